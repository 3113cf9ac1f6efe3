#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* mntns_pivot_root_ro.c includes this file with ROOT_RO and its own declaration. */
#ifndef ROOT_RO
#define ROOT_RO 0
ZDTM_TEST(.doc = "a child in its own mount namespace whose root is a directory it bound and switched to with pivot_root (the old root detached), running a copy of the binary from there: root mount, file and exe kept",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");
#endif

/*
 * The child copies the binary into the new root and executes it there: after the old root is
 * detached, nothing it maps may lie outside its root, or criu could not name it. The inner
 * process talks to the test through two pipes at fixed fds: one byte "go" in, its finding out.
 */
#define CMD_FD 100
#define RES_FD 101
#define INSIDE_ENV "ZDTM_PIVOT_INSIDE"
#define DATA "data on the new root\n"

/* The process inside the new root: its root mount, file and exe, before and after C/R. */
static int inside(void)
{
	static char before[2 * PATH_MAX], after[2 * PATH_MAX], out[5 * PATH_MAX];
	char buf[64] = "", exe[PATH_MAX] = "";
	struct stat st;
	int fd, n;

	mountinfo_at("/", before, sizeof(before));
	if (write(RES_FD, "r", 1) != 1 || read(CMD_FD, buf, 1) != 1)
		return 1;
	mountinfo_at("/", after, sizeof(after));
	fd = open("/data", O_RDONLY);
	n = fd < 0 ? -1 : read_all(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	if (readlink("/proc/self/exe", exe, sizeof(exe) - 1) < 0 || stat("/old", &st) != -1)
		snprintf(out, sizeof(out), "readlink /proc/self/exe: %s; or /old is back", strerror(errno));
	else if (strcmp(after, before) || !strstr(before, ROOT_RO ? " ro," : " rw,"))
		snprintf(out, sizeof(out), "the root mount is \"%s\", expected \"%s\" (%s)", after, before,
			 ROOT_RO ? "ro" : "rw");
	else if (strcmp(exe, "/zdtm-bin") || strcmp(buf, DATA))
		snprintf(out, sizeof(out), "exe \"%s\", /data \"%s\"; expected /zdtm-bin, \"%s\"", exe, buf, DATA);
	return write_all(RES_FD, out, strlen(out)) ? 1 : 0;
}

/* Copies the running binary to path. */
static int copy_self(const char *path)
{
	static char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_EXCL, 0755), n;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, n))
			return -1;
	return in < 0 || out < 0 || close(in) || close(out) ? -1 : 0;
}

/* The child: a new mount namespace, its root a bind mount with the binary, pivot_root, detach the old root. */
static const char *child(const char *root, int cmd, int res, char **argv)
{
	int fd;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return "unshare(CLONE_NEWNS), make / private";
	if (mount(root, root, NULL, MS_BIND, NULL) || chdir(root) || mkdir("old", 0755) ||
	    mkdir("proc", 0555) || copy_self("zdtm-bin"))
		return "a bind mount of the new root with the binary";
	fd = open("data", O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write_all(fd, DATA, strlen(DATA)) || close(fd))
		return "write /data";
	/* proc first: in a user namespace it may be mounted only while a full /proc is visible */
	if (mount("proc", "proc", "proc", 0, NULL))
		return "mount proc";
	if (syscall(SYS_pivot_root, ".", "old") || chdir("/") || umount2("/old", MNT_DETACH) || rmdir("/old"))
		return "pivot_root, detach the old root";
	if (ROOT_RO && mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL))
		return "remount / read-only";
	if (dup2(cmd, CMD_FD) < 0 || dup2(res, RES_FD) < 0 || setenv(INSIDE_ENV, "1", 1))
		return "pipes to fds 100, 101";
	/* every other fd names a file of the detached old root */
	if (syscall(SYS_close_range, 0, CMD_FD - 1, 0) || syscall(SYS_close_range, RES_FD + 1, ~0U, 0))
		return "close_range";
	execv("/zdtm-bin", argv);
	return "execute /zdtm-bin";
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX], root[PATH_MAX + 64], finding[ZDTM_FINDING_LEN] = "";
	int cmd[2], res[2], n, status;
	pid_t pid;

	if (getenv(INSIDE_ENV))
		return inside();
	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)) || pipe2(cmd, O_CLOEXEC) || pipe2(res, O_CLOEXEC))
		return fail_errno("getcwd, pipes");
	snprintf(root, sizeof(root), "%s/%s", cwd, test_path("root"));
	if (mkdir(root, 0755))
		return fail_errno("mkdir %s", root);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		const char *what = child(root, cmd[0], res[1], argv);

		dprintf(res[1], "%s: %s", what, strerror(errno));
		_exit(1);
	}
	close(cmd[0]);
	close(res[1]);
	if (read(res[0], finding, 1) != 1 || finding[0] != 'r') {
		read_all(res[0], finding + 1, sizeof(finding) - 2);
		waitpid(pid, &status, 0);
		return fail("the child did not set up its root: %s", finding);
	}
	finding[0] = 0;

	test_daemon();
	test_waitsig();

	if (write(cmd[1], "c", 1) != 1)
		return fail_errno("tell the child to check");
	n = read_all(res[0], finding, sizeof(finding) - 1);
	finding[n > 0 ? n : 0] = 0;
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, "", status) ? 1 : pass();
}
