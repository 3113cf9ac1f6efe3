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

/* /tmp becomes DIR/tmp; DIR itself stays reachable at its old path if that was under /tmp. */
static int private_tmp(const char *dir, int log)
{
	char tmp[4200], inner[4200];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/" PRIVATE_TMP, dir);
	if (mkdir(tmp, 01777) || chmod(tmp, 01777) || (fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		logf_(log, "sandbox: %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (mount(tmp, "/tmp", NULL, MS_BIND, NULL)) {
		logf_(log, "sandbox: bind %s on /tmp: %s", tmp, strerror(errno));
		close(fd);
		return -1;
	}
	if (!strncmp(dir, "/tmp/", 5)) {
		snprintf(inner, sizeof(inner), "/proc/self/fd/%d", fd);
		if (mkdir_p(dir, 0755) || mount(inner, dir, NULL, MS_BIND, NULL)) {
			logf_(log, "sandbox: bind the job directory back: %s", strerror(errno));
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

void sandbox_leaks(const char *dir, struct result *r)
{
	char tmp[4200], found[300] = "";
	const char *skeleton = !strncmp(dir, "/tmp/", 5) ? dir + 5 : "";
	size_t first = strcspn(skeleton, "/");   /* the mount point made for DIR */
	struct names left;
	int n = 0;

	snprintf(tmp, sizeof(tmp), "%s/" PRIVATE_TMP, dir);
	if (dir_list(tmp, &left))
		return;
	for (int i = 0; i < left.n; i++)
		if ((strlen(left.v[i]) != first || strncmp(left.v[i], skeleton, first)) && n++ < 3)
			snprintf(found + strlen(found), sizeof(found) - strlen(found), "%s/tmp/%s", n > 1 ? ", " : "",
				 left.v[i]);
	names_free(&left);
	if (!n || (r->verdict != V_PASS && r->verdict != V_SKIP && r->verdict != V_XFAIL))
		return;
	r->verdict = V_FAIL;
	snprintf(r->phase, sizeof(r->phase), "leak");
	snprintf(r->reason, sizeof(r->reason), "left behind %s%s", found, n > 3 ? " and more" : "");
}

int sandbox_enter(const char *dir, int log)
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
	if (private_tmp(dir, log))
		return -1;
	if (loopback_up()) {
		logf_(log, "sandbox: bring up lo: %s", strerror(errno));
		return -1;
	}
	return 0;
}
