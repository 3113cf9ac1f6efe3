/*
 * --empty-ns: criu dumps an ns or uns test without the contents of its network namespace and
 * restores it into an empty one (--empty-ns net), which it leaves to an action script to set up:
 * criu runs the script (with `sh -c`, at every action, the action in $CRTOOLS_SCRIPT_ACTION) and
 * at setup-namespaces, once the restored init's namespaces exist, the script brings lo up in the
 * init's network namespace ($CRTOOLS_INIT_PID). The script is this runner itself, run through a
 * link RUNDIR/zdtm-empty-ns-action (criu 4.2.1 execs the path as it is, with no arguments), so it
 * needs no program in the test's root. After the restore the runner checks that lo is up there.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emptyns.h"

void emptyns_script(const char *rundir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" EMPTYNS_ACTION, rundir);
}

int emptyns_create(const char *path)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = 0;
	if (n > 0 && !symlink(exe, path))
		return 0;
	fprintf(stderr, "zdtm: --empty-ns: cannot link %s to the runner: %s\n", path, strerror(errno));
	return -1;
}

/* lo's flags in the current network namespace, or -1. */
static int lo_flags(bool up)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	if (fd >= 0 && !ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= up ? IFF_UP : 0;
		rc = up && ioctl(fd, SIOCSIFFLAGS, &ifr) ? -1 : ifr.ifr_flags;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

static int enter_net(pid_t pid)
{
	char path[64];
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	rc = setns(fd, CLONE_NEWNET);
	close(fd);
	return rc;
}

int emptyns_action(void)
{
	const char *action = getenv("CRTOOLS_SCRIPT_ACTION"), *init = getenv("CRTOOLS_INIT_PID");

	if (!action || strcmp(action, "setup-namespaces"))
		return 0;
	if (!init || enter_net(atoi(init)) || lo_flags(true) < 0) {
		fprintf(stderr, "zdtm " EMPTYNS_ACTION ": cannot bring lo up in the network namespace of "
			"CRTOOLS_INIT_PID=%s: %s\n", init ? init : "(unset)", strerror(errno));
		return 1;
	}
	return 0;
}

/* In a child, so that the caller stays in its own namespace. */
int emptyns_check(pid_t pid, char *why, size_t len)
{
	int status, flags;
	pid_t child = fork();

	if (child == 0) {
		flags = enter_net(pid) ? -1 : lo_flags(false);
		_exit(flags < 0 ? 2 : (flags & IFF_UP) ? 0 : 1);
	}
	if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) == 2) {
		snprintf(why, len, "cannot read lo's flags in the network namespace of pid %d", pid);
		return -1;
	}
	if (WEXITSTATUS(status) == 1) {
		snprintf(why, len, "lo is down in the restored network namespace (the setup-namespaces action "
			 "script was to bring it up)");
		return -1;
	}
	return 0;
}
