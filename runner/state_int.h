/* Inside the /proc snapshot (state*.c): the line list, the tree, and the readers of each room. */
#ifndef ZDTM_STATE_INT_H
#define ZDTM_STATE_INT_H

#include <sys/types.h>

#include "runner.h"

#define MAX_TASKS 512

/* An open file of the tree by its identity, so a lock on it is named by the fd that holds it. */
struct held_file {
	dev_t dev;
	ino_t ino;
	char who[48];           /* "task 3 fd 4" */
};

struct tree {
	pid_t host[MAX_TASKS];    /* pid of each process in the runner's /proc */
	pid_t vpid[MAX_TASKS];    /* its pid in the test's namespace */
	int n;
	char ns_seen[64][64];     /* namespace ids in order of appearance */
	int nns;
	struct held_file *files;  /* every fd of the tree, filled by state_fds() */
	int nfiles, files_cap;
};

struct lines {
	char **v;
	int n, cap;
};

void add_line(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The last value of a multi-value status line (NSpid: 5 3 -> 3); -1 when absent. */
pid_t last_field(const char *status, const char *key);
/* A host pid's pid inside the test's namespace; 0 outside the tree. */
pid_t vpid_of(const struct tree *t, pid_t host);
/* "100     1000     files   " -> "100 1000 files", in place. */
char *squeeze(char *s);

/* state_task.c: per process and per thread attributes; link_field: a /proc/PID link, normalized. */
void link_field(struct lines *l, const char *who, pid_t pid, const char *name, const char *key);
void state_task(struct lines *l, const char *who, pid_t pid, const char *status);
void state_threads(struct lines *l, const char *who, pid_t pid);
/* state_fd.c: the fd table with what fdinfo says of each fd, and the tree's file locks. */
void state_fds(struct lines *l, struct tree *t, const char *who, pid_t pid);
void state_locks(struct lines *l, const struct tree *t);
/* state_mem.c: memory areas, merged as the kernel may merge them, with their NUMA policy. */
void state_maps(struct lines *l, const char *who, pid_t pid);

#endif
