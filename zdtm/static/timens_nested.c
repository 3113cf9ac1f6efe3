#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child in a nested time namespace (MONOTONIC +3 days) while the test went back into its own (time_for_children its own again): criu refuses to dump it; the child keeps its namespace, offsets and shifted clock. ns only: in uns the test may not setns() back into a time namespace of the initial user namespace (EPERM)",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "suid crfail", .features = "timens");

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

#define MONO_OFF 259200

static long ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_ino;
}

static int set_offset(void)
{
	char buf[64];
	int fd = open("/proc/self/timens_offsets", O_WRONLY), n;

	n = snprintf(buf, sizeof(buf), "monotonic %d 0", MONO_OFF);
	if (fd < 0 || write(fd, buf, n) != n)
		return -1;
	return close(fd);
}

static struct zdtm_waiter *w;   /* the test asks with an odd stage, the child answers with the next */
static volatile long *child_clock;
static int stage;

static void child(void)
{
	struct timespec ts;

	for (int k = 1;; k += 2) {
		waiter_wait(w, k);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		*child_clock = ts.tv_sec;
		waiter_post(w, k + 1);
	}
}

/* The child's CLOCK_MONOTONIC is ahead of the test's by the offset. */
static int expect_clock(void)
{
	struct timespec mine;
	long d;

	waiter_post(w, ++stage);
	waiter_wait(w, ++stage);
	clock_gettime(CLOCK_MONOTONIC, &mine);
	d = *child_clock - mine.tv_sec;
	if (d < MONO_OFF - 5 || d > MONO_OFF + 1)
		return fail("the child's CLOCK_MONOTONIC is %ld s ahead of the test's, expected %d s", d, MONO_OFF);
	return 0;
}

/* The child's time namespace is not the test's, holds the offset, and its clock is ahead by it. */
static int expect_child(pid_t pid)
{
	char path[64], offs[128] = "";
	long m = -1, mn = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/time", pid);
	if (ino_of(path) == ino_of("/proc/self/ns/time") ||
	    ino_of("/proc/self/ns/time_for_children") != ino_of("/proc/self/ns/time"))
		return fail("time namespaces: the child's %ld, the test's %ld, its time_for_children %ld; expected the child's own and the test's for its children",
			    ino_of(path), ino_of("/proc/self/ns/time"), ino_of("/proc/self/ns/time_for_children"));
	snprintf(path, sizeof(path), "/proc/%d/timens_offsets", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, offs, sizeof(offs) - 1) < 0 || close(fd))
		return fail_errno("read %s", path);
	if (sscanf(offs, "monotonic %ld %ld", &m, &mn) != 2 || m != MONO_OFF || mn)
		return fail("the child's offsets \"%s\", expected monotonic %d 0", offs, MONO_OFF);
	return expect_clock();
}

int main(int argc, char **argv)
{
	pid_t pid;
	int own;

	test_init(argc, argv);
	w = waiter_new();
	child_clock = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (child_clock == MAP_FAILED)
		return fail_errno("mmap");
	own = open("/proc/self/ns/time", O_RDONLY);
	if (own < 0 || unshare(CLONE_NEWTIME) || set_offset())
		return fail_errno("a new time namespace for the children with monotonic +%d", MONO_OFF);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	if (setns(own, CLONE_NEWTIME) || close(own)) {
		kill(pid, SIGKILL);
		return fail_errno("setns back into the test's own time namespace");
	}
	if (expect_child(pid)) {
		kill(pid, SIGKILL);
		return 1;
	}

	test_daemon();
	test_waitsig();

	own = expect_child(pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return own ? 1 : pass();
}
