#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a pipe shared with a child: bytes queued before C/R, then the child's write after it, then EOF",
	  .flavors = ZDTM_ALL_FLAVORS);

#define BEFORE 1500
#define AFTER 2500

#ifndef SYS_kcmp
#define SYS_kcmp 312
#endif
#define KCMP_FILE_ 0

/* The child: keeps both ends through C/R, then writes AFTER bytes. Exit 0 on success. */
static int child(int wfd, struct zdtm_waiter *w)
{
	static char data[AFTER];

	waiter_wait(w, 1);      /* C/R is over */
	datagen(data, sizeof(data), 2);
	return write_all(wfd, data, sizeof(data)) ? 3 : 0;
}

int main(int argc, char **argv)
{
	static char before[BEFORE], after[AFTER], buf[BEFORE + AFTER];
	struct zdtm_waiter *w;
	int p[2], status, unshared = -1;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	datagen(before, sizeof(before), 1);
	datagen(after, sizeof(after), 2);
	if (pipe(p))
		return fail_errno("pipe");
	if (write_all(p[1], before, sizeof(before)))
		return fail_errno("write");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(p[1], w));

	test_daemon();
	test_waitsig();

	/* both processes hold the same open files, not two copies (checked while the child lives) */
	for (int i = 0; i < 2; i++)
		if (syscall(SYS_kcmp, getpid(), pid, KCMP_FILE_, p[i], p[i]))
			unshared = p[i];
	waiter_post(w, 1);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (unshared >= 0)
		return fail("kcmp: fd %d differs between the test and its child, expected one shared "
			    "pipe end", unshared);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("child ended with status 0x%x, expected exit 0", status);
	/* the child is gone: once our write end closes, nobody else holds one */
	if (close(p[1]))
		return fail_errno("close");
	if (expect_int("bytes in the pipe", read_all(p[0], buf, sizeof(buf)), sizeof(buf)))
		return 1;
	if (expect_bytes("bytes queued before C/R", buf, before, BEFORE))
		return 1;
	if (expect_bytes("bytes the child wrote after C/R", buf + BEFORE, after, AFTER))
		return 1;
	if (expect_int("read after all writers closed (EOF)", read(p[0], buf, 1), 0))
		return 1;
	return pass();
}
