#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a shared tmpfs of the test and its copy in a child's own mount namespace made a slave of it (propagation across mount namespaces): both mounts and their tags; after C/R a mount made by the test reaches the child, one made by the child does not come back",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static struct zdtm_waiter *w;   /* 1: the child is set up (or gave up); 2: mount at back; 3: done */
static char *finding, point[PATH_MAX + 64], tree[4][8192];

static void child(void)
{
	char path[PATH_MAX + 80];

	/* no MS_PRIVATE: the copy of the shared tmpfs starts in the test's peer group */
	if (unshare(CLONE_NEWNS) || mount(NULL, point, NULL, MS_SLAVE, NULL))
		note(finding, "own mount namespace, %s a slave: %s", point, strerror(errno));
	waiter_post(w, 1);
	waiter_wait(w, 2);
	snprintf(path, sizeof(path), "%s/back", point);
	if (mount("zdtm_back", path, "tmpfs", 0, "size=64k"))
		note(finding, "mount on %s: %s", path, strerror(errno));
	waiter_post(w, 3);
	for (;;)
		pause();
}

static int end(pid_t pid, int verdict)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return verdict;
}

/* After C/R: the test's new mount shows in the child's namespace; the child's does not in the test's. */
static int expect_propagation(pid_t pid)
{
	char path[2 * PATH_MAX];
	struct stat a, b;

	snprintf(path, sizeof(path), "%s/fwd", point);
	if (mount("zdtm_fwd", path, "tmpfs", 0, "size=64k") || mknod(strcat(path, "/f"), S_IFREG | 0600, 0))
		return fail_errno("a tmpfs with a file on %s/fwd", point);
	snprintf(path, sizeof(path), "/proc/%d/root%s/fwd/f", pid, point);
	if (access(path, F_OK))
		return fail_errno("%s, expected the test's mount propagated to the child", path);
	waiter_post(w, 2);
	waiter_wait(w, 3);
	if (finding[0])
		return fail("the child: %s", finding);
	snprintf(path, sizeof(path), "/proc/%d/root%s/back", pid, point);
	if (stat(path, &a) || stat(point, &b) || a.st_dev == b.st_dev)
		return fail("%s is no mount of its own, expected the child's tmpfs", path);
	snprintf(path, sizeof(path), "%s/back", point);
	if (stat(path, &a) || a.st_dev != b.st_dev)
		return fail("%s is a mount point, expected nothing from the slave", path);
	return 0;
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX], path[PATH_MAX + 80];
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (!(finding = finding_new()) || !getcwd(cwd, sizeof(cwd)))
		return fail_errno("mmap, getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("mnt"));
	if (mkdir(point, 0755) || mount("zdtm_shared", point, "tmpfs", 0, "size=1m") ||
	    mount(NULL, point, NULL, MS_SHARED, NULL))
		return fail_errno("a shared tmpfs on %s", point);
	snprintf(path, sizeof(path), "%s/fwd", point);
	if (mkdir(path, 0755) || (snprintf(path, sizeof(path), "%s/back", point), mkdir(path, 0755)))
		return fail_errno("mkdir in %s", point);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	waiter_wait(w, 1);
	if (finding[0])
		return end(pid, fail("the child: %s", finding));
	if (mountinfo_tree(0, point, tree[0], sizeof(tree[0])) != 1 || mountinfo_tree(pid, point, tree[1], sizeof(tree[1])) != 1 ||
	    !strstr(tree[0], " shared:#1 ") || !strstr(tree[1], " master:#1 "))
		return end(pid, fail("the test's mount \"%s\", the child's \"%s\": expected shared and its slave", tree[0], tree[1]));

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, point, tree[2], sizeof(tree[2])) < 0 || mountinfo_tree(pid, point, tree[3], sizeof(tree[3])) < 0)
		return end(pid, fail_errno("mountinfo"));
	if (expect_lines("the test's mount", tree[2], tree[0]) || expect_lines("the child's mount", tree[3], tree[1]) ||
	    expect_propagation(pid))
		return end(pid, 1);
	return end(pid, pass());
}
