/* --rootless: a job's cycle as an unprivileged uid in a user namespace it owns (rootless.c). */
#ifndef ZDTM_ROOTLESS_H
#define ZDTM_ROOTLESS_H

#include "runner.h"

/* In the job's init, after its sandbox: makes the namespaces and forks. Returns 0 in the child
 * (pid 1 of the new pid namespace, unprivileged), which runs the cycle and writes the result; in
 * the init, 1 once that child ended well, or -1 with r->reason saying what went wrong. */
int rootless_enter(const char *dir, int log, struct result *r);

/* The run's copy of e's criu (RUNDIR/criu-rootless, -restore for the restore engine) with the file
 * capabilities CRIU's CI gives its rootless criu, cap_checkpoint_restore and cap_sys_ptrace (+eip),
 * whatever e's binary carries; e then names the copy. 0, or -1 after a message. */
int rootless_criu(const char *rundir, bool restore, struct engine *e);
/* Removes those copies (nothing when none is there). */
void rootless_remove(const char *rundir);

#endif
