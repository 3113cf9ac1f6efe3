#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

#ifndef MEMFD_KEEP_FD
ZDTM_TEST(.doc = "a child whose executable is a memfd (execveat on a close-on-exec memfd): /proc/PID/exe and its text mapping name the memfd, it runs on after C/R",
	  .flavors = ZDTM_ALL_FLAVORS);
#define MEMFD_KEEP_FD 0
#endif

/*
 * The child is this very binary, copied into a memfd and started with execveat(AT_EMPTY_PATH):
 * argv "NAME --exe-child GO REPORT [KEPT]" sends it to child_main() before test_init(). With
 * MEMFD_KEEP_FD (memfd05) the memfd has no close-on-exec and stays open in the child as fd KEPT.
 */
#define CHILD_ARG "--exe-child"

/* What /proc/PID/exe and the text mapping of a process started from memfd "name" show. */
static void exe_name(char *buf, size_t len)
{
	snprintf(buf, len, "/memfd:%s (deleted)", test_name());
}

/* The child's own view, after C/R: exe link, the mapping of its code, the kept fd. */
static int child_check(const char *want, int kept, char *err, size_t len)
{
	char link[256] = "";
	struct zdtm_vma v;
	struct stat exe, fd;

	if (readlink("/proc/self/exe", link, sizeof(link) - 1) < 0 || strcmp(link, want))
		return snprintf(err, len, "child: /proc/self/exe is \"%s\", expected \"%s\"", link, want);
	if (vma_find((void *)child_check, &v, false) || strcmp(v.name, want) || v.perms[2] != 'x')
		return snprintf(err, len, "child: its code is mapped %s from \"%s\", expected r-x from \"%s\"",
				v.perms, v.name, want);
	if (kept < 0)
		return 0;
	if (stat("/proc/self/exe", &exe) || fstat(kept, &fd))
		return snprintf(err, len, "child: stat the exe or fd %d: %s", kept, strerror(errno));
	if (exe.st_ino != fd.st_ino || exe.st_dev != fd.st_dev)
		return snprintf(err, len, "child: fd %d is inode %lu, the exe inode %lu: expected one file",
				kept, (unsigned long)fd.st_ino, (unsigned long)exe.st_ino);
	if (fcntl(kept, F_GETFD) != 0 || (fcntl(kept, F_GETFL) & O_ACCMODE) != O_RDWR)
		return snprintf(err, len, "child: fd %d has fd flags %#x, fl %#x, expected 0 and O_RDWR", kept,
				fcntl(kept, F_GETFD), fcntl(kept, F_GETFL));
	return 0;
}

static int child_main(char **argv)
{
	int go = atoi(argv[2]), report = atoi(argv[3]), kept = argv[4] ? atoi(argv[4]) : -1;
	char want[256], err[512] = "", c;

	snprintf(want, sizeof(want), "/memfd:%s (deleted)", basename(argv[0]));
	if (write(report, "r", 1) != 1 || read(go, &c, 1) != 1)
		return 2;
	child_check(want, kept, err, sizeof(err));
	write_all(report, err, strlen(err));
	return 0;
}

/* A memfd holding this binary, open read-write at fd number want. */
static int exe_memfd(int want)
{
	int exe = open("/proc/self/exe", O_RDONLY), fd;
	struct stat st;

	fd = memfd_create(test_name(), MEMFD_KEEP_FD ? 0 : MFD_CLOEXEC);
	if (exe < 0 || fd < 0 || fstat(exe, &st) || sendfile(fd, exe, NULL, st.st_size) != st.st_size)
		return -1;
	close(exe);
	if (dup2(fd, want) != want)
		return -1;
	close(fd);
	if (!MEMFD_KEEP_FD && fcntl(want, F_SETFD, FD_CLOEXEC))
		return -1;
	return want;
}

static int check_exe(pid_t pid)
{
	char path[64], link[256] = "", want[256];

	exe_name(want, sizeof(want));
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	if (readlink(path, link, sizeof(link) - 1) < 0)
		return fail_errno("readlink %s", path);
	return expect_str("the child's /proc/PID/exe", link, want);
}

int main(int argc, char **argv)
{
	int go[2], report[2], fd, n, status;
	char gos[16], reps[16], fds[16], err[512], c;
	pid_t pid;

	if (argc >= 4 && !strcmp(argv[1], CHILD_ARG))
		return child_main(argv);
	test_init(argc, argv);
	if (pipe(go) || pipe(report))
		return fail_errno("pipe");
	fd = exe_memfd(20);
	if (fd < 0)
		return fail_errno("copy the binary into a memfd");
	snprintf(gos, sizeof(gos), "%d", go[0]);
	snprintf(reps, sizeof(reps), "%d", report[1]);
	snprintf(fds, sizeof(fds), "%d", fd);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		char *args[] = { (char *)test_name(), CHILD_ARG, gos, reps, MEMFD_KEEP_FD ? fds : NULL, NULL };

		close(go[1]);
		close(report[0]);
		syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
		_exit(3);
	}
	close(fd);
	close(go[0]);
	close(report[1]);
	if (read(report[0], &c, 1) != 1)
		return fail("the child did not start from the memfd");
	if (check_exe(pid))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_exe(pid) || write(go[1], "g", 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	n = read_all(report[0], err, sizeof(err) - 1);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (n > 0) {
		err[n] = 0;
		return fail("%s", err);
	}
	if (expect_int("the child's wait status", status, 0))
		return 1;
	return pass();
}
