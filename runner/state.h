/* What the runner can see of a test tree in /proc, before and after C/R (state.c). */
#ifndef ZDTM_STATE_H
#define ZDTM_STATE_H

#include "runner.h"

/* Writes a snapshot of the tree rooted at host pid root to path: sorted "key = value" lines. */
int state_snapshot(pid_t root, bool mounts, const char *path);
/* Compares two snapshots; on a difference fills why (task, field, both values) and returns 1.
 * memfd_shmem (--rootless): a shared anonymous mapping may come back as an unnamed memfd mapping of
 * the same range, protection and offset, as an unprivileged criu restores shared memory. */
int state_diff(const char *before, const char *after, bool memfd_shmem, char *why, size_t len);

#endif
