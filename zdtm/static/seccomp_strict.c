#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child in SECCOMP_MODE_STRICT blocked in read(): it still echoes data, then dies of getpid()",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid", .features = "seccomp_suspend");

/*
 * In strict mode only read, write, exit and sigreturn are allowed: the child
 * leaves with the raw exit syscall (glibc's _exit() is exit_group). It says
 * "ready" on the report pipe, then waits for commands on the command pipe:
 * 'e' + MSG bytes come back with every byte inverted; 'k' makes it call
 * getpid(), which the kernel answers with SIGKILL.
 */
#define MSG 16

static int cmd[2], rep[2];

static void raw_exit(int code)
{
	syscall(SYS_exit, code);
}

static int read_n(int fd, char *buf, int len)
{
	int n;

	for (int got = 0; got < len; got += n) {
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			return -1;
	}
	return 0;
}

static void strict_child(void)
{
	char c, buf[MSG];

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0))
		_exit(10);   /* still allowed: not in strict mode */
	if (write(rep[1], "r", 1) != 1)
		raw_exit(11);
	for (;;) {
		if (read(cmd[0], &c, 1) != 1)
			raw_exit(12);
		if (c == 'k')
			syscall(SYS_getpid);   /* SIGKILL */
		if (c != 'e' || read_n(cmd[0], buf, MSG))
			raw_exit(13);
		for (int i = 0; i < MSG; i++)
			buf[i] = ~buf[i];
		if (write(rep[1], buf, MSG) != MSG)
			raw_exit(14);
	}
}

static int seccomp_mode(pid_t pid)
{
	char path[64], buf[4096], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	p = strstr(buf, "\nSeccomp:");
	return p ? (int)strtol(p + 9, NULL, 10) : -1;
}

/* Sends 'e' and a message, expects it back inverted. */
static int echo(void)
{
	char msg[MSG + 1] = "e", want[MSG], got[MSG];

	datagen(msg + 1, MSG, 77);
	for (int i = 0; i < MSG; i++)
		want[i] = ~msg[i + 1];
	if (write_all(cmd[1], msg, sizeof(msg)))
		return fail_errno("write the command");
	if (read_all(rep[0], got, MSG) != MSG)
		return fail("the strict child gave no echo (EOF)");
	return expect_bytes("echo of the strict child", got, want, MSG);
}

int main(int argc, char **argv)
{
	int status = 0, ret;
	pid_t child;
	char c = 0;

	test_init(argc, argv);
	if (pipe(cmd) || pipe(rep))
		return fail_errno("pipe");
	child = fork();
	if (child < 0)
		return fail_errno("fork");
	if (child == 0)
		strict_child();
	close(cmd[0]);
	close(rep[1]);
	if (read(rep[0], &c, 1) != 1 || c != 'r') {
		waitpid(child, &status, 0);
		return fail("the child never said ready (status %#x)", status);
	}
	if (expect_int("child's Seccomp mode", seccomp_mode(child), SECCOMP_MODE_STRICT))
		return 1;

	test_daemon();
	test_waitsig();

	ret = expect_int("child's Seccomp mode", seccomp_mode(child), SECCOMP_MODE_STRICT);
	if (!ret)
		ret = echo();
	if (write(cmd[1], "k", 1) != 1)
		ret = ret ?: fail_errno("write 'k'");
	if (waitpid(child, &status, 0) != child)
		return fail_errno("waitpid");
	if (ret)
		return ret;
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		return fail("strict child after getpid(): status %#x, expected killed by SIGKILL (%#x)",
			    status, SIGKILL);
	return pass();
}
