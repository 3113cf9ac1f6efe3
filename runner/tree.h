/* The test's tree as /proc shows it (tree.c): its tasks and their memory areas; read by the state
 * snapshot (state.c) and the memory digest (memory.c), so both see the same tasks and areas. */
#ifndef ZDTM_TREE_H
#define ZDTM_TREE_H

#include <stdio.h>

#include "runner.h"

#define MAX_TASKS 512

/* An open file of the tree by its identity, so a lock on it is named by the fd that holds it. */
struct held_file {
	dev_t dev;              /* stat()'s: on btrfs a subvolume's own, not the one /proc/locks prints */
	ino_t ino;
	pid_t pid;              /* whose fd, and its mount (fdinfo mnt_id): the device /proc/locks */
	int mnt_id;             /* prints is that mount's major:minor in the task's mountinfo */
	char who[48];           /* "task 3 fd 4" */
};

struct tree {
	pid_t host[MAX_TASKS];    /* host pid of each process */
	pid_t vpid[MAX_TASKS];    /* its pid in the test's namespace */
	int n;
	char ns_seen[64][64];     /* namespace ids in order of appearance (state.c) */
	int nns;
	struct held_file *files;  /* every fd of the tree, filled by state_fds() (state_fd.c) */
	int nfiles, files_cap;
};

/* Every process of the tree rooted at host pid root, parents before children. */
void tree_collect(struct tree *t, pid_t root);
pid_t tree_vpid(const struct tree *t, pid_t host);   /* 0: outside the tree */
/* The last value of a multi-value status line (NSpid: 5 3 -> 3), or -1. */
pid_t status_last_field(const char *status, const char *key);

/* One line of /proc/PID/maps; a memfd's "/memfd:" prefix is dropped from file (criu recreates
 * shared anonymous memory as a memfd named after the original backing). */
struct vma {
	unsigned long start, end, off, ino;
	char perms[8], dev[16], file[900];
	char policy[64];          /* the NUMA policy word of numa_maps, where the reader fills it */
};

/* The next area of f; false at the end. */
bool vma_next(FILE *f, struct vma *v);
/* b continues a (same permissions, backing and policy, adjacent): the kernel may merge or split
 * such neighbours differently after a restore. */
bool vma_continues(const struct vma *a, const struct vma *b);
/* Shared anonymous memory, memfd and SysV shm: new objects after a restore, known by name only. */
bool vma_anonymous_backing(const char *file);

#endif
