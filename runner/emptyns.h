/* --empty-ns: criu restores the test's network namespace empty; our action script sets it up (emptyns.c). */
#ifndef ZDTM_EMPTYNS_H
#define ZDTM_EMPTYNS_H

#include "runner.h"

/* criu runs an action script by its path alone: the runner is the script when its name is this. */
#define EMPTYNS_ACTION "zdtm-empty-ns-action"

/* The script of a run: RUNDIR/EMPTYNS_ACTION, a link to this runner's binary. */
void emptyns_script(const char *rundir, char *buf, size_t len);
/* Makes the link; 0, or -1 after a message. */
int emptyns_create(const char *path);
/* criu runs it at every action of the restore; at setup-namespaces it brings lo up in the network
 * namespace of $CRTOOLS_INIT_PID. The exit code for criu. */
int emptyns_action(void);
/* lo is up in pid's network namespace; 0, or -1 with why. */
int emptyns_check(pid_t pid, char *why, size_t len);

#endif
