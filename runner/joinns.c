/*
 * --join-ns: criu restores an h test into a network namespace it is told to join
 * (--join-ns net:PATH) instead of the one it was dumped in. The run makes one such namespace,
 * with lo up, and binds it onto RUNDIR/join-ns.net (as `ip netns add` binds onto /run/netns/NAME):
 * each job's sandbox sees it there, under its own copy of the run directory. After each restore
 * the test's /proc/PID/ns/net must be that namespace. The runner removes it when the run ends,
 * however it ends (Ctrl-C included: sched.c reads the signals and returns).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "joinns.h"

void joinns_path(const char *rundir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/join-ns.net", rundir);
}

static int lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	if (fd >= 0 && !ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The runner steps into a new network namespace, binds it, and steps back. */
int joinns_create(const char *path)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd, rc = -1;
	const char *what = "open /proc/self/ns/net";

	if (home < 0)
		goto out;
	what = "create the file";
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		goto out;
	close(fd);
	what = "unshare(CLONE_NEWNET)";
	if (unshare(CLONE_NEWNET))
		goto out;
	what = "bring lo up";
	if (!lo_up()) {
		what = "bind /proc/self/ns/net onto it";
		rc = mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL);
	}
	if (setns(home, CLONE_NEWNET)) {
		what = "go back to the runner's network namespace";
		rc = -1;
	}
out:
	if (rc)
		fprintf(stderr, "zdtm: --join-ns: %s: cannot %s: %s\n", path, what, strerror(errno));
	if (home >= 0)
		close(home);
	if (rc)
		joinns_remove(path);
	return rc;
}

void joinns_remove(const char *path)
{
	umount2(path, MNT_DETACH);
	unlink(path);
}

int joinns_check(pid_t pid, const char *path, char *why, size_t len)
{
	char ns[64];
	struct stat want, got;

	snprintf(ns, sizeof(ns), "/proc/%d/ns/net", pid);
	if (stat(path, &want) || stat(ns, &got)) {
		snprintf(why, len, "cannot stat %s or %s: %s", path, ns, strerror(errno));
		return -1;
	}
	if (want.st_ino == got.st_ino && want.st_dev == got.st_dev)
		return 0;
	snprintf(why, len, "the restored tree's network namespace is net:[%lu], expected the --join-ns one, "
		 "net:[%lu]", (unsigned long)got.st_ino, (unsigned long)want.st_ino);
	return -1;
}
