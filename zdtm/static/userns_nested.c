#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child in a user namespace of its own (nested in the test's), mapping root to its outer uid and gid, setgroups denied: its uid_map, gid_map, setgroups and the namespace's parent",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static struct zdtm_waiter *w;   /* 1: the child is set up (or gave up) */
static char *finding;

static int put(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd))
		return note(finding, "write \"%s\" to %s: %s", text, file, strerror(errno));
	return 0;
}

static void child(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER))
		note(finding, "unshare(CLONE_NEWUSER): %s", strerror(errno));
	else if (!put("/proc/self/setgroups", "deny")) {
		snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
		if (!put("/proc/self/uid_map", map)) {
			snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
			put("/proc/self/gid_map", map);
		}
	}
	waiter_post(w, 1);
	for (;;)
		pause();
}

/* The child's maps and setgroups as one text, and its user namespace is not the test's. */
static int describe(pid_t pid, char *out, size_t len)
{
	static const char *const files[] = { "uid_map", "gid_map", "setgroups" };
	char path[64];
	struct stat mine, its;
	size_t used = 0;

	for (int i = 0; i < 3; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/%s", pid, files[i]);
		if (!(f = fopen(path, "r")))
			return fail_errno("open %s", path);
		used += snprintf(out + used, len - used, "%s:", files[i]);
		used += fread(out + used, 1, len - used - 1, f);
		out[used] = 0;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
	if (stat(path, &its) || stat("/proc/self/ns/user", &mine))
		return fail_errno("stat the user namespaces");
	if (its.st_ino == mine.st_ino)
		return fail("the child's user namespace is the test's (inode %lu), expected its own", (unsigned long)its.st_ino);
	return 0;
}

static int end(pid_t pid, int verdict)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return verdict;
}

int main(int argc, char **argv)
{
	char before[512], after[512];
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (!(finding = finding_new()))
		return fail_errno("mmap");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	waiter_wait(w, 1);
	if (finding[0])
		return end(pid, fail("the child: %s", finding));
	if (describe(pid, before, sizeof(before)))
		return end(pid, 1);

	test_daemon();
	test_waitsig();

	if (describe(pid, after, sizeof(after)))
		return end(pid, 1);
	return end(pid, expect_str("the child's user namespace", after, before) ? 1 : pass());
}
