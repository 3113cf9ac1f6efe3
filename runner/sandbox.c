/*
 * A job's sandbox: the runner clones each job's init into new mount, pid,
 * net and ipc namespaces (sched.c); here that init makes them livable. When
 * the init exits, the kernel kills everything left in its pid namespace and
 * the namespaces go away with it: nothing of a job outlives the job.
 * The host's /tmp is the one thing the namespaces would share: each job gets
 * its own (DIR/tmp), so what a test or criu leaves there is seen, and blamed
 * on the right job, and never reaches the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runner.h"

static int loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	if (fd < 0)
		return -1;
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc;
}

#define PRIVATE_TMP "tmp"
#define MAX_KEEP 8

/* The first component under /tmp of path ("/tmp/a/b" -> "a"), or "" when path is elsewhere. */
static void tmp_component(const char *path, char *out, size_t len)
{
	out[0] = 0;
	if (!strncmp(path, "/tmp/", 5))
		snprintf(out, len, "%.*s", (int)strcspn(path + 5, "/"), path + 5);
}

/*
 * /tmp becomes DIR/tmp. What the job needs from the old /tmp (its own directory, the test
 * binary, criu: the project may live in /tmp) is bound back at the same paths: the first
 * component of each under /tmp, with every mount below it (a run directory on a file system
 * mounted under /tmp must stay that file system inside the job, not the directory beneath it).
 */
static int private_tmp(const char *dir, const char *const *keep, int log)
{
	char tmp[4200], names[MAX_KEEP][256], path[4300], fdpath[64];
	int fds[MAX_KEEP], n = 0, rc = 0;

	for (int i = 0; keep[i] && n < MAX_KEEP; i++) {
		tmp_component(keep[i], names[n], sizeof(names[n]));
		bool dup = !names[n][0];

		for (int k = 0; k < n && !dup; k++)
			dup = !strcmp(names[k], names[n]);
		if (dup)
			continue;
		snprintf(path, sizeof(path), "/tmp/%s", names[n]);
		if ((fds[n] = open(path, O_PATH | O_CLOEXEC)) >= 0)
			n++;
	}
	snprintf(tmp, sizeof(tmp), "%s/" PRIVATE_TMP, dir);
	if (mkdir(tmp, 01777) || chmod(tmp, 01777) || mount(tmp, "/tmp", NULL, MS_BIND, NULL)) {
		logf_(log, "sandbox: a private /tmp from %s: %s", tmp, strerror(errno));
		rc = -1;
	}
	for (int k = 0; k < n; k++) {
		struct stat st;

		snprintf(path, sizeof(path), "/tmp/%s", names[k]);
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fds[k]);
		if (!rc && (fstat(fds[k], &st) || (S_ISDIR(st.st_mode) ? mkdir(path, 0755) : mknod(path, S_IFREG | 0644, 0)) ||
			    mount(fdpath, path, NULL, MS_BIND | MS_REC, NULL))) {
			logf_(log, "sandbox: bind %s back: %s", path, strerror(errno));
			rc = -1;
		}
		close(fds[k]);
	}
	return rc;
}

void sandbox_leaks(const char *dir, const char *const *keep, struct result *r)
{
	char tmp[4200], found[300] = "", name[256];
	struct names left;
	int n = 0;

	snprintf(tmp, sizeof(tmp), "%s/" PRIVATE_TMP, dir);
	if (dir_list(tmp, &left))
		return;
	for (int i = 0; i < left.n; i++) {
		bool ours = false;

		for (int k = 0; keep[k] && !ours; k++) {
			tmp_component(keep[k], name, sizeof(name));
			ours = !strcmp(name, left.v[i]);
		}
		if (!ours && n++ < 3)
			snprintf(found + strlen(found), sizeof(found) - strlen(found), "%s/tmp/%s", n > 1 ? ", " : "",
				 left.v[i]);
	}
	names_free(&left);
	if (!n || (r->verdict != V_PASS && r->verdict != V_SKIP && r->verdict != V_XFAIL))
		return;
	r->verdict = V_FAIL;
	snprintf(r->phase, sizeof(r->phase), "leak");
	snprintf(r->reason, sizeof(r->reason), "left behind %s%s", found, n > 3 ? " and more" : "");
}

/* A devpts instance of the job's own, also in h: pty indexes start at 0 in every job, so a restore
 * that needs its pty's index back never finds it taken by another job's pty. */
int sandbox_devpts(int log)
{
	if (mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") ||
	    mount("/dev/pts/ptmx", "/dev/ptmx", NULL, MS_BIND, NULL)) {
		logf_(log, "sandbox: a devpts instance of the job's own: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int sandbox_enter(const char *dir, const char *const *keep, int log)
{
	/* Mounts made inside the job never propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL)) {
		logf_(log, "sandbox: make / slave: %s", strerror(errno));
		return -1;
	}
	/* criu reads /proc of its own pid namespace: give the job a fresh one. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		logf_(log, "sandbox: mount /proc: %s", strerror(errno));
		return -1;
	}
	if (private_tmp(dir, keep, log) || sandbox_devpts(log))
		return -1;
	if (loopback_up()) {
		logf_(log, "sandbox: bring up lo: %s", strerror(errno));
		return -1;
	}
	return 0;
}
