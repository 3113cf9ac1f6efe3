#include <fcntl.h>
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

ZDTM_TEST(.doc = "a mount subtree overmounted by a moved one whose children are peers of the hidden ones (criu must mount the hidden tree aside and remap it), the whole in a second mount namespace too: both trees, the peer group shared across the namespaces, the files, propagation after C/R",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

/*
 * Under NAME.d (a tmpfs):
 *   1      a private self-bind                     hidden by 2 below
 *   1/a    a self-bind made shared (group G)       hidden
 *   1/a/c  a tmpfs, propagated to 2/a/c            hidden
 *   2      a tmpfs, moved onto 1 at the end        on top at 1
 *   2/a    a bind of 1/a (group G)                 seen at 1/a
 *   2/a/c  the propagated copy of 1/a/c            seen at 1/a/c
 * A child unshares its mount namespace after that: copies of all, 1/a's in group G too.
 */
static char top[PATH_MAX + 64], tree[4][16384];
static struct zdtm_waiter *w;   /* 1: the child has its namespace (or gave up) */
static char *finding;

static const char *at(const char *sub)
{
	static char p[4][PATH_MAX + 128];
	static int k;
	char *s = p[k++ % 4];

	snprintf(s, PATH_MAX + 128, "%s/%s", top, sub);
	return s;
}

static int build(void)
{
	int fd;

	if (mkdir(top, 0755) || mount("zdtm_remap", top, "tmpfs", 0, "size=1m") || mkdir(at("1"), 0755) ||
	    mkdir(at("2"), 0755) || mount(at("1"), at("1"), NULL, MS_BIND, NULL) ||
	    mount(NULL, at("1"), NULL, MS_PRIVATE, NULL) || mount("zdtm_remap2", at("2"), "tmpfs", 0, "size=1m"))
		return fail_errno("tmpfs on %s, a private self-bind of 1, a tmpfs on 2", top);
	if (mkdir(at("1/a"), 0755) || mkdir(at("2/a"), 0755) || mount(at("1/a"), at("1/a"), NULL, MS_BIND, NULL) ||
	    mount(NULL, at("1/a"), NULL, MS_SHARED, NULL) || mount(at("1/a"), at("2/a"), NULL, MS_BIND, NULL))
		return fail_errno("a shared self-bind of 1/a and its peer on 2/a");
	if (mkdir(at("1/a/c"), 0755) || mount("zdtm_remap_c", at("1/a/c"), "tmpfs", 0, "size=64k"))
		return fail_errno("a tmpfs on 1/a/c");
	fd = open(at("2/a/c/file"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write_all(fd, "c", 1) || close(fd) || mknod(at("1/under"), S_IFREG | 0600, 0) ||
	    mknod(at("2/over"), S_IFREG | 0600, 0))
		return fail_errno("files in 2/a/c, 1, 2");
	if (mount(at("2"), at("1"), NULL, MS_MOVE, NULL))
		return fail_errno("move 2 onto 1");
	return 0;
}

static void child(void)
{
	if (unshare(CLONE_NEWNS))
		note(finding, "own mount namespace: %s", strerror(errno));
	waiter_post(w, 1);
	for (;;)
		pause();
}

/* What the paths show: the moved tmpfs at 1 (with over, without under), the tmpfs c at 1/a/c. */
static int expect_files(void)
{
	char buf[4] = "";
	int fd;

	if (access(at("1/over"), F_OK) || !access(at("1/under"), F_OK) || access(at("2"), F_OK))
		return fail("%s/1 shows over: %s, under: %s, expected the moved tmpfs (over only); 2 left: %s", top,
			    access(at("1/over"), F_OK) ? "no" : "yes", access(at("1/under"), F_OK) ? "no" : "yes",
			    access(at("2"), F_OK) ? "no" : "yes");
	fd = open(at("1/a/c/file"), O_RDONLY);
	if (fd < 0 || read_all(fd, buf, sizeof(buf) - 1) < 0)
		return fail_errno("read %s", at("1/a/c/file"));
	close(fd);
	return expect_str(at("1/a/c/file"), buf, "c");
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

static int expect_trees(pid_t pid, int k)
{
	if (mountinfo_tree(0, top, tree[k], sizeof(tree[k])) < 0 ||
	    mountinfo_tree(pid, top, tree[k + 1], sizeof(tree[k + 1])) < 0)
		return fail_errno("mountinfo");
	if (k && (expect_lines("the test's mounts", tree[2], tree[0]) ||
		  expect_lines("the child's mounts", tree[3], tree[1])))
		return 1;
	if (!group_of(getpid(), at("1/a")) || group_of(getpid(), at("1/a")) != group_of(pid, at("1/a")))
		return fail("1/a is in peer group %d in the test's namespace, %d in the child's, expected one group",
			    group_of(getpid(), at("1/a")), group_of(pid, at("1/a")));
	return expect_files();
}

/* A tmpfs mounted on 1/a/x in the test's namespace reaches 1/a/x in the child's. */
static int expect_propagation(pid_t pid)
{
	char path[PATH_MAX + 200];

	if (mkdir(at("1/a/x"), 0755) || mount("zdtm_remap_x", at("1/a/x"), "tmpfs", 0, "size=64k") ||
	    mknod(at("1/a/x/f"), S_IFREG | 0600, 0))
		return fail_errno("a tmpfs on %s", at("1/a/x"));
	snprintf(path, sizeof(path), "/proc/%d/root%s", pid, at("1/a/x/f"));
	if (access(path, F_OK))
		return fail_errno("%s, expected the mount propagated into the child's namespace", path);
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
	if (build())
		return 1;
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	waiter_wait(w, 1);
	if (finding[0])
		return end(pid, fail("the child: %s", finding));
	if (expect_trees(pid, 0))
		return end(pid, 1);

	test_daemon();
	test_waitsig();

	if (expect_trees(pid, 2) || expect_propagation(pid))
		return end(pid, 1);
	return end(pid, pass());
}
