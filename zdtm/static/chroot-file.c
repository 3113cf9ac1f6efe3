#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child chroot()ed into a directory holds open a file outside its root: same inode, "
		 "offset, content, /proc/PID/fd names it, a write through it reaches the file; the chroot stays",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

#define OFFSET 1234

static struct zdtm_waiter *w;   /* 1: the child is in its chroot; 2: C/R over, check; 3: checked */
static char data[8192], more[512];
static char *finding;

static int child_check(int fd, const struct stat *made)
{
	char buf[sizeof(data)];
	struct stat st;

	if (access("/marker", F_OK))
		return note(finding, "the child's /marker: %s, expected the marker in its chroot", strerror(errno));
	if (fstat(fd, &st))
		return note(finding, "fstat: %s", strerror(errno));
	if (st.st_dev != made->st_dev || st.st_ino != made->st_ino)
		return note(finding, "the child's fd is inode %lu, expected the outside file's %lu",
			    (unsigned long)st.st_ino, (unsigned long)made->st_ino);
	if (lseek(fd, 0, SEEK_CUR) != OFFSET)
		return note(finding, "the child's fd offset %ld, expected %d", (long)lseek(fd, 0, SEEK_CUR), OFFSET);
	if (pread(fd, buf, sizeof(buf), 0) != sizeof(buf) || memcmp(buf, data, sizeof(buf)))
		return note(finding, "the content read through the child's fd differs");
	if (write_all(fd, more, sizeof(more)))
		return note(finding, "write through the child's fd: %s", strerror(errno));
	return 0;
}

static int child(const char *dir, const char *file)
{
	struct stat made;
	int fd = open(file, O_RDWR);

	if (fd < 0 || fstat(fd, &made) || lseek(fd, OFFSET, SEEK_SET) != OFFSET)
		return note(finding, "open %s: %s", file, strerror(errno));
	if (chroot(dir) || chdir("/"))
		return note(finding, "chroot %s: %s", dir, strerror(errno));
	if (fd != 3 && (dup2(fd, 3) != 3 || close(fd)))
		return note(finding, "dup2: %s", strerror(errno));
	waiter_post(w, 1);
	waiter_wait(w, 2);
	return child_check(3, &made);
}

/* The parent's view of the child's fd 3: the file's full path. */
static int check_fd_link(pid_t pid, const char *file, char *out)
{
	char proc[64], link[PATH_MAX];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/%d/fd/3", pid);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0)
		return note(out, "readlink %s: %s", proc, strerror(errno));
	link[n] = 0;
	if (strcmp(link, file))
		return note(out, "%s is \"%s\", expected \"%s\"", proc, link, file);
	return 0;
}

int main(int argc, char **argv)
{
	char top[PATH_MAX], dir[PATH_MAX + 64], file[PATH_MAX + 64], buf[sizeof(more)];
	char problem[ZDTM_FINDING_LEN] = "";
	int status, fd;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (!(finding = finding_new()))
		return fail_errno("a finding buffer");
	datagen(data, sizeof(data), 61);
	datagen(more, sizeof(more), 62);
	if (!getcwd(top, sizeof(top)))
		return fail_errno("getcwd");
	snprintf(dir, sizeof(dir), "%s/%s", top, test_path("root"));
	snprintf(file, sizeof(file), "%s/%s", top, test_path("outside"));
	if (mkdir(dir, 0755) || close(open(test_path("root/marker"), O_CREAT | O_WRONLY, 0644)))
		return fail_errno("make the root %s", dir);
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, sizeof(data)) || close(fd))
		return fail_errno("create %s", file);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		int ret = child(dir, file);

		waiter_post(w, 1);
		_exit(ret);
	}
	waiter_wait(w, 1);
	if (finding[0] || check_fd_link(pid, file, problem)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return fail("before C/R: %s", finding[0] ? finding : problem);
	}

	test_daemon();
	test_waitsig();

	check_fd_link(pid, file, problem);
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (expect_clean_end(finding, problem, status))
		return 1;
	/* only the child held the file open */
	fd = open(file, O_RDONLY);
	if (fd < 0 || pread(fd, buf, sizeof(buf), OFFSET) != sizeof(buf))
		return fail_errno("pread %s", file);
	if (expect_bytes("the file after the child's write at its offset", buf, more, sizeof(buf)))
		return 1;
	return pass();
}
