#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child chroot()ed into a directory of the work dir: same /proc/PID/root, "
		 "its / holds the marker, .. stays at /",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

static struct zdtm_waiter *w;   /* 1: C/R over, check */

/* What the child sees of its root, as it sends it to the parent. */
struct view {
	int marker_errno;       /* access("/marker"): 0 when found */
	dev_t root_dev, dotdot_dev;
	ino_t root_ino, dotdot_ino;
};

static int look(struct view *v)
{
	struct stat root, dotdot;

	v->marker_errno = access("/marker", F_OK) ? errno : 0;
	if (stat("/", &root) || stat("/..", &dotdot))
		return -1;
	v->root_dev = root.st_dev, v->root_ino = root.st_ino;
	v->dotdot_dev = dotdot.st_dev, v->dotdot_ino = dotdot.st_ino;
	return 0;
}

static int child(const char *dir, int report)
{
	struct view v;

	int err = chroot(dir) || chdir("/") ? errno : 0;

	/* first report: the chroot's errno */
	if (write_all(report, &err, sizeof(err)) || err)
		return 10;
	waiter_wait(w, 1);
	if (look(&v))
		return 11;
	return write_all(report, &v, sizeof(v)) ? 12 : 0;
}

static int check_view(const struct view *v, const struct stat *dir)
{
	if (v->marker_errno)
		return fail("the child's /marker: errno %d, expected the marker file in its root", v->marker_errno);
	if (v->root_dev != dir->st_dev || v->root_ino != dir->st_ino)
		return fail("the child's / is inode %lu, expected the chroot directory's inode %lu",
			    (unsigned long)v->root_ino, (unsigned long)dir->st_ino);
	if (v->dotdot_dev != v->root_dev || v->dotdot_ino != v->root_ino)
		return fail("the child's /.. is inode %lu, expected its / (inode %lu): .. escapes the chroot",
			    (unsigned long)v->dotdot_ino, (unsigned long)v->root_ino);
	return 0;
}

/* /proc/PID/root names the chroot directory and is that inode */
static int check_proc_root(pid_t pid, const char *dir, const struct stat *made)
{
	char proc[64], link[PATH_MAX];
	struct stat st;
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/%d/root", pid);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0)
		return fail_errno("readlink %s", proc);
	link[n] = 0;
	if (expect_str(proc, link, dir))
		return 1;
	if (stat(proc, &st))
		return fail_errno("stat %s", proc);
	if (st.st_dev != made->st_dev || st.st_ino != made->st_ino)
		return fail("%s is inode %lu, expected %lu", proc, (unsigned long)st.st_ino,
			    (unsigned long)made->st_ino);
	return 0;
}

int main(int argc, char **argv)
{
	char top[PATH_MAX], dir[PATH_MAX + 64];
	struct view v;
	struct stat made;
	int report[2], status, ret, err;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (!getcwd(top, sizeof(top)))
		return fail_errno("getcwd");
	snprintf(dir, sizeof(dir), "%s/%s", top, test_path("root"));
	if (mkdir(dir, 0755) || stat(dir, &made))
		return fail_errno("mkdir %s", dir);
	if (close(open(test_path("root/marker"), O_CREAT | O_WRONLY, 0644)))
		return fail_errno("create the marker");
	if (pipe(report))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(dir, report[1]));
	close(report[1]);
	if (read_all(report[0], &err, sizeof(err)) != sizeof(err) || err) {
		waitpid(pid, &status, 0);
		errno = err;
		return fail_errno("the child's chroot(%s)", dir);
	}
	if (check_proc_root(pid, dir, &made)) {
		waiter_post(w, 1);
		waitpid(pid, &status, 0);
		return 1;
	}

	test_daemon();
	test_waitsig();

	ret = check_proc_root(pid, dir, &made);
	waiter_post(w, 1);
	if (read_all(report[0], &v, sizeof(v)) != sizeof(v))
		ret = ret ?: fail("the child sent no report, expected its view of /");
	else
		ret = ret ?: check_view(&v, &made);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (!ret && status != 0)
		return fail("child ended with status %#x, expected exit 0", status);
	return ret ? ret : pass();
}
