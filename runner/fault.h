/* --fault N: what a call that failed at an injected fault must leave behind (fault.c). */
#ifndef ZDTM_FAULT_H
#define ZDTM_FAULT_H

#include "runner.h"

/* After a failed restore: no process of it may be left in the job's pid namespace (the job's init,
 * the caller, is pid 1 there) within 2 s. Zombies are reaped. 0, or -1 with the leftovers in why. */
int fault_leftovers(char *why, size_t len);
/* Moves the failed call's files out of the way of its retry: a dump-type call's whole images
 * directory to DIR.fault; a restore's ACTION.{log,argv,out,conf} to ACTION.fault.* in place. */
void fault_set_aside(const char *dir, const char *action, bool whole_dir, int log);

#endif
