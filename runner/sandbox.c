/*
 * A job's sandbox: the runner clones each job's init into new mount, pid,
 * net and ipc namespaces (sched.c); here that init makes them livable. When
 * the init exits, the kernel kills everything left in its pid namespace and
 * the namespaces go away with it: nothing of a job outlives the job.
 */
#include <errno.h>
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

int sandbox_enter(int log)
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
	if (loopback_up()) {
		logf_(log, "sandbox: bring up lo: %s", strerror(errno));
		return -1;
	}
	return 0;
}
