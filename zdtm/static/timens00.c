#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child in a new time namespace with MONOTONIC +1 day and BOOTTIME +2 days sees shifted clocks",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid", .features = "timens");

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define MONO_OFF 86400
#define BOOT_OFF 172800
#define SLACK 5   /* seconds between the two clock readings, at most */

/* The child's clocks and its view of its offsets. */
struct report {
	struct timespec mono, boot;
	char offsets[128];
};

static struct zdtm_waiter *w;   /* 1: child reported; 2: C/R over, report again; 3: exit */
static int rep[2];

static void child_report(void)
{
	struct report r = { 0 };
	int fd = open("/proc/self/timens_offsets", O_RDONLY);

	if (fd < 0 || read(fd, r.offsets, sizeof(r.offsets) - 1) < 0)
		snprintf(r.offsets, sizeof(r.offsets), "unreadable: errno %d", errno);
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &r.mono);
	clock_gettime(CLOCK_BOOTTIME, &r.boot);
	if (write_all(rep[1], &r, sizeof(r)))
		_exit(10);
}

static int check_clock(const char *what, const struct timespec *child, clockid_t clk, long off)
{
	struct timespec mine;
	long diff;

	clock_gettime(clk, &mine);
	diff = child->tv_sec - mine.tv_sec;
	if (diff < off - SLACK || diff > off + 1)
		return fail("child's %s is %ld s ahead of the test's, expected %ld s", what, diff, off);
	return 0;
}

static int check(void)
{
	char c1[16] = "", c2[16] = "";
	long m = -1, mn = -1, b = -1, bn = -1;
	struct report r;

	if (read_all(rep[0], &r, sizeof(r)) != sizeof(r))
		return fail("the child in the time namespace sent no report");
	if (sscanf(r.offsets, "%15s %ld %ld %15s %ld %ld", c1, &m, &mn, c2, &b, &bn) != 6 ||
	    strcmp(c1, "monotonic") || strcmp(c2, "boottime") || m != MONO_OFF || b != BOOT_OFF || mn || bn)
		return fail("child's /proc/self/timens_offsets is \"%s\", expected monotonic %d 0, boottime %d 0",
			    r.offsets, MONO_OFF, BOOT_OFF);
	return check_clock("CLOCK_MONOTONIC", &r.mono, CLOCK_MONOTONIC, MONO_OFF) ||
	       check_clock("CLOCK_BOOTTIME", &r.boot, CLOCK_BOOTTIME, BOOT_OFF);
}

int main(int argc, char **argv)
{
	char offsets[64];
	int fd, n, ret, status;
	pid_t child;

	test_init(argc, argv);
	w = waiter_new();
	if (unshare(CLONE_NEWTIME))
		return errno == EINVAL ? skip("no time namespaces") : fail_errno("unshare(CLONE_NEWTIME)");
	n = snprintf(offsets, sizeof(offsets), "%d %d 0\n%d %d 0\n", CLOCK_MONOTONIC, MONO_OFF,
		     CLOCK_BOOTTIME, BOOT_OFF);
	fd = open("/proc/self/timens_offsets", O_WRONLY);
	if (fd < 0 || write(fd, offsets, n) != n)
		return fail_errno("write /proc/self/timens_offsets");
	close(fd);
	if (pipe(rep))
		return fail_errno("pipe");
	child = fork();
	if (child < 0)
		return fail_errno("fork");
	if (child == 0) {
		child_report();
		waiter_wait(w, 2);
		child_report();
		waiter_wait(w, 3);
		_exit(0);
	}
	ret = check();
	if (ret) {
		kill(child, SIGKILL);
		return ret;
	}

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	ret = check();
	waiter_post(w, 3);
	if (waitpid(child, &status, 0) != child || status != 0)
		ret = ret ?: fail("child ended with status %#x, expected exit 0", status);
	return ret ? 1 : pass();
}
