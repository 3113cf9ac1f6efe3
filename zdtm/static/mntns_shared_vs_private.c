#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a private tmpfs with a tmpfs below it, inside the shared root mount, and two mount namespaces copied from it (a child's, its child's): the three trees, the root's peer group across them; after C/R a mount beside the private tmpfs reaches both children, an umount below it reaches none",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define KIDS 2

static char top[PATH_MAX + 64], probe[PATH_MAX + 64], tree[2][KIDS + 1][4096];
static struct zdtm_waiter *w[KIDS];
static char *finding;

/* Child i unshares its mount namespace and forks child i + 1: a chain, so that the runner's walk of
 * the tree (by /proc children lists, whose order a restore may change for siblings) meets the
 * namespaces in one order. */
static void child(pid_t *pid)
{
	pid_t next = 0;
	int i = 0;

	for (;;) {
		if (unshare(CLONE_NEWNS))
			note(finding, "child %d: own mount namespace: %s", i + 1, strerror(errno));
		if (i + 1 == KIDS || (next = fork()) != 0)
			break;
		i++;   /* the next child goes on from here */
	}
	if (next < 0)
		note(finding, "child %d: fork: %s", i + 1, strerror(errno));
	if (i + 1 < KIDS)
		pid[i + 1] = next;   /* before the post: the test reads it after waiting */
	waiter_post(w[i], 1);
	for (;;)
		pause();
}

/* The raw peer group of the top mount at point in pid's mountinfo; 0 when none. */
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

static int expect_trees(const pid_t *pid, int k)
{
	int g = group_of(getpid(), "/");

	for (int i = 0; i <= KIDS; i++) {
		pid_t p = i ? pid[i - 1] : 0;
		char what[64];

		if (mountinfo_tree(p, top, tree[k][i], sizeof(tree[k][i])) != 2)
			return fail("mounts under %s in namespace %d:\n%s\nexpected 2", top, i, tree[k][i]);
		if (strstr(tree[k][i], "shared:") || strstr(tree[k][i], "master:"))
			return fail("mounts under %s in namespace %d:\n%s\nexpected both private", top, i, tree[k][i]);
		snprintf(what, sizeof(what), "the mounts of %s %d", i ? "child" : "the test", i);
		if (k && expect_lines(what, tree[1][i], tree[0][i]))
			return 1;
		if (!g || group_of(p ? p : getpid(), "/") != g)
			return fail("/ is in peer group %d in namespace %d, %d in the test's, expected one group",
				    group_of(p ? p : getpid(), "/"), i, g);
	}
	return 0;
}

static int mounted(pid_t pid, const char *path)
{
	char p[PATH_MAX + 200];
	struct stat a, b;

	snprintf(p, sizeof(p), "/proc/%d/root%s", pid, path);
	if (stat(p, &a))
		return -1;
	snprintf(p + strlen(p), sizeof(p) - strlen(p), "/..");
	return !stat(p, &b) && a.st_dev != b.st_dev;
}

/* A tmpfs on probe (beside the private tmpfs) reaches both children; the umount of top/fs none. */
static int expect_propagation(const pid_t *pid)
{
	char fs[PATH_MAX + 80];

	snprintf(fs, sizeof(fs), "%s/fs", top);
	if (mount("zdtm_probe", probe, "tmpfs", 0, "size=64k") || umount(fs))
		return fail_errno("a tmpfs on %s, umount %s", probe, fs);
	for (int i = 0; i < KIDS; i++)
		if (mounted(pid[i], probe) != 1 || mounted(pid[i], fs) != 1)
			return fail("child %d: %s mounted: %d, %s mounted: %d, expected 1 (propagated from the shared root) and 1 (private)",
				    i + 1, probe, mounted(pid[i], probe), fs, mounted(pid[i], fs));
	return 0;
}

static int end(const pid_t *pid, int verdict)
{
	for (int i = KIDS - 1; i >= 0; i--)
		if (pid[i] > 0)
			kill(pid[i], SIGKILL);
	if (pid[0] > 0)
		waitpid(pid[0], NULL, 0);   /* the others are the namespace init's to reap */
	return verdict;
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX], fs[PATH_MAX + 80];
	pid_t *pid, first;

	test_init(argc, argv);
	pid = mmap(NULL, sizeof(pid_t) * KIDS, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pid == MAP_FAILED || !(finding = finding_new()) || !getcwd(cwd, sizeof(cwd)))
		return fail_errno("mmap, getcwd");
	for (int i = 0; i < KIDS; i++)
		w[i] = waiter_new();
	snprintf(top, sizeof(top), "%s/%s", cwd, test_path("d"));
	snprintf(probe, sizeof(probe), "%s/%s", cwd, test_path("probe"));
	snprintf(fs, sizeof(fs), "%s/fs", top);
	if (mkdir(top, 0755) || mkdir(probe, 0755) || mount(NULL, "/", NULL, MS_SHARED, NULL) ||
	    mount("zdtm_fs", top, "tmpfs", 0, "size=1m") || mount(NULL, top, NULL, MS_PRIVATE, NULL) ||
	    mkdir(fs, 0755) || mount("zdtm_fs", fs, "tmpfs", 0, "size=64k"))
		return fail_errno("/ shared, a private tmpfs on %s, a tmpfs on %s", top, fs);
	first = fork();
	if (first < 0)
		return fail_errno("fork");
	if (first == 0)
		child(pid);
	pid[0] = first;   /* shared: only the parent writes it */
	for (int i = 0; i < KIDS; i++)
		waiter_wait(w[i], 1);
	if (finding[0])
		return end(pid, fail("%s", finding));
	if (expect_trees(pid, 0))
		return end(pid, 1);

	test_daemon();
	test_waitsig();

	if (expect_trees(pid, 1) || expect_propagation(pid))
		return end(pid, 1);
	return end(pid, pass());
}
