/*
 * --freezecg frozen|thawed: criu freezes the dumped tree through a freezer cgroup rather than by
 * seizing each task (`--freeze-cgroup PATH`, here a cgroup v2 one: criu writes its cgroup.freeze),
 * and dumps and restores the tree's cgroups (`--manage-cgroups`). Before each dump-type call the
 * runner puts every task of the tree into the job's cgroup CGROUP2/zdtm-freezecg-INO (named as
 * cgroups.c names a job's cgroups, so it goes after each dump that ended the tree, and with the job
 * on every path) and, for frozen, freezes it first: criu must dump a tree already frozen. A dump
 * that leaves the tree running leaves the cgroup as it found it: the runner thaws it. After a
 * restore the tree must be back in that cgroup (criu made it again) and thawed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "freezecg.h"
#include "tree.h"

void freezecg_path(const char *jobdir, char *buf, size_t len)
{
	char mnt[4096];
	unsigned long ino = cgroups_job_ino(jobdir);

	if (!ino || cgroups_v2_mount(mnt, sizeof(mnt)))
		snprintf(buf, len, "CGROUP2/zdtm-freezecg-INO");
	else
		snprintf(buf, len, "%s/zdtm-freezecg-%lu", mnt, ino);
}

static int put(const char *cg, const char *file, const char *val)
{
	char path[4300];
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	rc = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return rc;
}

/* cgroup.events' "frozen" value, or -1. */
static int frozen_now(const char *cg)
{
	char path[4300], buf[256], *p;

	snprintf(path, sizeof(path), "%s/cgroup.events", cg);
	if (read_text(path, buf, sizeof(buf)) <= 0 || !(p = strstr(buf, "frozen ")))
		return -1;
	return atoi(p + 7);
}

/* Sets cgroup.freeze and waits for cgroup.events to say so (a task is frozen once it leaves the
 * kernel, which under load takes a while). */
static int set_frozen(const char *cg, bool frozen, char *why, size_t len)
{
	if (put(cg, "cgroup.freeze", frozen ? "1" : "0")) {
		snprintf(why, len, "cannot write %d to %s/cgroup.freeze: %s", frozen, cg, strerror(errno));
		return -1;
	}
	for (int ms = 0; ms < 5000; ms += 10) {
		if (frozen_now(cg) == frozen)
			return 0;
		usleep(10000);
	}
	snprintf(why, len, "%s is not %s 5 s after cgroup.freeze=%d", cg, frozen ? "frozen" : "thawed", frozen);
	return -1;
}

#define MOVE_PASSES 20

static bool in_cgroup(pid_t pid, const char *cg);

int freezecg_prepare(const char *jobdir, pid_t root, bool frozen, char *why, size_t len)
{
	static struct tree t;
	char cg[4200], pid[16];

	freezecg_path(jobdir, cg, sizeof(cg));
	if (mkdir(cg, 0755) && errno != EEXIST) {
		snprintf(why, len, "cannot make the freezer cgroup %s: %s", cg, strerror(errno));
		return -1;
	}
	/* A task forks while its tree is moved (transition tests): a child born before its parent
	 * moved stays behind, so move again until a pass finds every task in the cgroup. */
	for (int pass = 0, moved = 1; moved; pass++) {
		if (pass == MOVE_PASSES) {
			snprintf(why, len, "the tree still had tasks outside %s after %d passes", cg, pass);
			return -1;
		}
		memset(&t, 0, sizeof(t));
		tree_collect(&t, root);
		moved = 0;
		for (int i = 0; i < t.n; i++) {
			if (in_cgroup(t.host[i], cg))
				continue;
			snprintf(pid, sizeof(pid), "%d", t.host[i]);
			if (put(cg, "cgroup.procs", pid) && errno != ESRCH) {
				snprintf(why, len, "cannot move task %d into %s: %s", t.vpid[i], cg, strerror(errno));
				return -1;
			}
			moved++;
		}
	}
	return set_frozen(cg, frozen, why, len);
}

int freezecg_thaw(const char *jobdir, char *why, size_t len)
{
	char cg[4200];

	freezecg_path(jobdir, cg, sizeof(cg));
	return set_frozen(cg, false, why, len);
}

/* Whether /proc/PID/cgroup puts the task in cg's cgroup v2 cgroup ("0::/NAME"). */
/* A task that is gone, a zombie, or one that is exiting (PF_EXITING in /proc/PID/stat's flags: the
 * kernel skips it, silently, when it is written to cgroup.procs) is in no cgroup to move or check:
 * transition tests fork and reap all the time (seen: transition/fork still had tasks "outside"
 * after 20 passes), and a child can end between the tree's walk and this look. */
#define PF_EXITING 0x4

static bool in_cgroup(pid_t pid, const char *cg)
{
	char path[64], buf[4096], want[300], *state, st;
	unsigned flags = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_text(path, buf, sizeof(buf)) <= 0 || !(state = strrchr(buf, ')')) ||
	    sscanf(state + 1, " %c %*d %*d %*d %*d %*d %u", &st, &flags) != 2 || st == 'Z' || st == 'X' ||
	    (flags & PF_EXITING))
		return true;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	snprintf(want, sizeof(want), "\n0::/%s\n", strrchr(cg, '/') + 1);
	if (read_text(path, buf + 1, sizeof(buf) - 1) <= 0)
		return true;
	buf[0] = '\n';
	return strstr(buf, want) != NULL;
}

int freezecg_check(const char *jobdir, pid_t root, char *why, size_t len)
{
	static struct tree t;
	char cg[4200];
	int f;

	freezecg_path(jobdir, cg, sizeof(cg));
	memset(&t, 0, sizeof(t));
	tree_collect(&t, root);
	for (int i = 0; i < t.n; i++)
		if (!in_cgroup(t.host[i], cg)) {
			snprintf(why, len, "restored task %d is not in the freezer cgroup %s", t.vpid[i], cg);
			return -1;
		}
	if ((f = frozen_now(cg)) != 0) {
		snprintf(why, len, "the restored tree's cgroup %s is %s, expected thawed", cg,
			 f < 0 ? "unreadable" : "frozen");
		return -1;
	}
	return 0;
}
