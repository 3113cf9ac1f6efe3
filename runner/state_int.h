/* Inside the /proc snapshot (state*.c): the line list, the tree, and the readers of each room. */
#ifndef ZDTM_STATE_INT_H
#define ZDTM_STATE_INT_H

#include <sys/types.h>

#include "runner.h"
#include "tree.h"

struct lines {
	char **v;
	int n, cap;
};

void add_line(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
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
