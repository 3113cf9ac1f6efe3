#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an unlinked file whose one open file description parent and child share (fork): after C/R "
		 "still one (kcmp, shared offset), the child's writes are read by the parent, st_nlink 0",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
#define KCMP_FILE_ 0

#define FIRST 3000     /* bytes written before C/R */
#define MORE 5000      /* bytes the child writes after C/R */

int main(int argc, char **argv)
{
	static char data[FIRST + MORE], buf[FIRST + MORE];
	struct zdtm_waiter *w;   /* 1: C/R over, the child writes; 2: written */
	struct stat st;
	int fd, status;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	datagen(data, sizeof(data), 81);
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, FIRST))
		return fail_errno("create %s", test_path("test"));
	if (unlink(test_path("test")))
		return fail_errno("unlink");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		waiter_wait(w, 1);
		status = write_all(fd, data + FIRST, MORE);
		waiter_post(w, 2);
		_exit(status ? 1 : 0);
	}

	test_daemon();
	test_waitsig();

	if (syscall(SYS_kcmp, getpid(), pid, KCMP_FILE_, fd, fd) != 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return fail("kcmp(KCMP_FILE) of the parent's and the child's fd %d is not 0: two open files, expected one", fd);
	}
	if (expect_int("offset before the child's write", lseek(fd, 0, SEEK_CUR), FIRST)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 1;
	}
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (status)
		return fail("the child's write failed: wait status %#x, expected 0", status);
	if (expect_int("the parent's offset after the child's write", lseek(fd, 0, SEEK_CUR), FIRST + MORE))
		return 1;
	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("st_nlink", st.st_nlink, 0) || expect_int("file size", st.st_size, FIRST + MORE))
		return 1;
	if (pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return fail_errno("pread");
	if (expect_bytes("content read by the parent", buf, data, sizeof(buf)))
		return 1;
	return pass();
}
