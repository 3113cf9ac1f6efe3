/* --freezecg STATE: the test runs in a cgroup v2 cgroup of its job, which criu freezes the tree by
 * (--freeze-cgroup); frozen before each dump or left thawed (freezecg.c). */
#ifndef ZDTM_FREEZECG_H
#define ZDTM_FREEZECG_H

#include "runner.h"

/* The job's cgroup: CGROUP2/zdtm-freezecg-INO (INO as cgroups.c's), or a placeholder for --dry-run. */
void freezecg_path(const char *jobdir, char *buf, size_t len);
/* Before a dump-type call: the cgroup exists, every task of the tree is in it, and it is frozen
 * (frozen) or thawed. 0, or -1 with why. */
int freezecg_prepare(const char *jobdir, pid_t root, bool frozen, char *why, size_t len);
/* After a dump that left the tree running (criu leaves the cgroup as it found it): thawed again. */
int freezecg_thaw(const char *jobdir, char *why, size_t len);
/* After a restore: every task of the tree is back in the job's cgroup, which is thawed. */
int freezecg_check(const char *jobdir, pid_t root, char *why, size_t len);

#endif
