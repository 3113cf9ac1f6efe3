#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* mntns_shared_bind02.c includes this file with SHARED_TMPFS 1 and its own declaration. */
#ifndef SHARED_TMPFS
#define SHARED_TMPFS 0
ZDTM_TEST(.doc = "the test's root mount made shared, a child's mount namespace with a peer of it, a non-root bind made in the child that propagated back, and a tmpfs below both: both trees, the peer groups across the namespaces, mount and umount propagation both ways after C/R",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");
#endif

/*
 * D is NAME.d: a directory of the root mount (made shared), or (SHARED_TMPFS) a shared tmpfs.
 *   D/test/sub   a tmpfs the test mounts last: propagated to D/test.bind/sub, in both namespaces
 *   D/test.bind  a bind of D/test the child makes in its namespace: propagated to the test's
 * After C/R the child unmounts D/test/sub (gone from all four places), the test D/test.bind (gone
 * from the child's namespace too).
 */
static char top[PATH_MAX + 64], tree[4][8192];
static struct zdtm_waiter *w;   /* 1: the child's bind is made; 2, 3: its umount asked, done */
static char *finding;

static const char *at(const char *sub)
{
	static char p[4][PATH_MAX + 128];
	static int k;
	char *s = p[k++ % 4];

	snprintf(s, PATH_MAX + 128, "%s/%s", top, sub);
	return s;
}

static void child(void)
{
	if (unshare(CLONE_NEWNS) || mount(at("test"), at("test.bind"), NULL, MS_BIND, NULL))
		note(finding, "own mount namespace, a bind of %s on %s: %s", at("test"), at("test.bind"), strerror(errno));
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (!finding[0] && umount(at("test/sub")))
		note(finding, "umount %s in the child's namespace: %s", at("test/sub"), strerror(errno));
	waiter_post(w, 3);
	for (;;)
		pause();
}

/* The raw peer group of the top mount at point in pid's mountinfo; 0 when none or not shared. */
static int group_of(pid_t pid, const char *point)
{
	char path[64], line[4096], where[PATH_MAX];
	int off, g = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*d %*d %*u:%*u %*s %4095s %*s%n", where, &off) == 1 && !strcmp(where, point)) {
			char *s = strstr(line + off, " shared:");

			g = s && s < strstr(line, " - ") ? atoi(s + 8) : 0;
		}
	if (f)
		fclose(f);
	return g;
}

/* How many mounts pid's namespace has at point. */
static int mounts_at(pid_t pid, const char *point)
{
	char path[64], line[4096], where[PATH_MAX];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		n += sscanf(line, "%*d %*d %*u:%*u %*s %4095s", where) == 1 && !strcmp(where, point);
	if (f)
		fclose(f);
	return n;
}

static int expect_groups(pid_t pid)
{
	const char *shared = SHARED_TMPFS ? top : "/";
	int s = group_of(getpid(), shared), b = group_of(getpid(), at("test.bind"));

	if (!s || s != group_of(pid, shared))
		return fail("%s is in peer group %d in the test's namespace, %d in the child's, expected one group", shared,
			    s, group_of(pid, shared));
	if (b != s || group_of(pid, at("test.bind")) != s)
		return fail("test.bind is in peer group %d in the test's namespace, %d in the child's, expected %s's %d", b,
			    group_of(pid, at("test.bind")), shared, s);
	return 0;
}

static int expect_trees(pid_t pid, int k)
{
	if (mountinfo_tree(0, top, tree[k], sizeof(tree[k])) < 0 ||
	    mountinfo_tree(pid, top, tree[k + 1], sizeof(tree[k + 1])) < 0)
		return fail_errno("mountinfo");
	if (k && (expect_lines("the test's mounts", tree[2], tree[0]) ||
		  expect_lines("the child's mounts", tree[3], tree[1])))
		return 1;
	for (int i = 0; i < 2; i++) {
		pid_t p = i ? pid : getpid();

		if (mounts_at(p, at("test.bind")) != 1 || mounts_at(p, at("test/sub")) != 1 ||
		    mounts_at(p, at("test.bind/sub")) != 1)
			return fail("the %s's namespace has %d mounts at test.bind, %d at test/sub, %d at test.bind/sub, expected 1 1 1",
				    i ? "child" : "test", mounts_at(p, at("test.bind")), mounts_at(p, at("test/sub")),
				    mounts_at(p, at("test.bind/sub")));
	}
	return expect_groups(pid);
}

/* The child's umount of test/sub reaches the test's namespace, the test's of test.bind the child's. */
static int expect_propagation(pid_t pid)
{
	waiter_post(w, 2);
	waiter_wait(w, 3);
	if (finding[0])
		return fail("the child: %s", finding);
	for (int i = 0; i < 2; i++) {
		pid_t p = i ? pid : getpid();

		if (mounts_at(p, at("test/sub")) || mounts_at(p, at("test.bind/sub")))
			return fail("the %s's namespace has %d mounts at test/sub, %d at test.bind/sub after the child's umount, expected none",
				    i ? "child" : "test", mounts_at(p, at("test/sub")), mounts_at(p, at("test.bind/sub")));
	}
	if (umount(at("test.bind")))
		return fail_errno("umount %s", at("test.bind"));
	if (mounts_at(pid, at("test.bind")))
		return fail("the child's namespace has %d mounts at test.bind after the test's umount, expected none",
			    mounts_at(pid, at("test.bind")));
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
	char cwd[PATH_MAX];
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (!(finding = finding_new()) || !getcwd(cwd, sizeof(cwd)))
		return fail_errno("mmap, getcwd");
	snprintf(top, sizeof(top), "%s/%s", cwd, test_path("d"));
	if (mkdir(top, 0755))
		return fail_errno("mkdir %s", top);
	if (SHARED_TMPFS ? mount("zdtm_shared_bind", top, "tmpfs", 0, "size=1m") || mount(NULL, top, NULL, MS_SHARED, NULL)
			 : mount(NULL, "/", NULL, MS_SHARED, NULL))
		return fail_errno("make %s shared", SHARED_TMPFS ? top : "/");
	if (mkdir(at("test"), 0755) || mkdir(at("test/sub"), 0755) || mkdir(at("test.bind"), 0755))
		return fail_errno("mkdir in %s", top);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	waiter_wait(w, 1);
	if (finding[0])
		return end(pid, fail("the child: %s", finding));
	if (mount("zdtm_shared_sub", at("test/sub"), "tmpfs", 0, "size=64k"))
		return end(pid, fail_errno("tmpfs on %s", at("test/sub")));
	if (expect_trees(pid, 0))
		return end(pid, 1);

	test_daemon();
	test_waitsig();

	if (expect_trees(pid, 2) || expect_propagation(pid))
		return end(pid, 1);
	return end(pid, pass());
}
