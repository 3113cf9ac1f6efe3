#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a seccomp filter chain inherited by a child and extended there: the child has both filters, the parent only its own",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid", .features = "seccomp_filters");

/* Each filter fails getpgid(MAGIC + i) with ERRNO + i; any other getpgid() works. */
#define MAGIC 0x5ecd0u
#define ERRNO EBADE

#ifndef SECCOMP_SET_MODE_FILTER
#define SECCOMP_SET_MODE_FILTER 1
#endif

static int install(unsigned i)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getpgid, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MAGIC + i, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ERRNO + i)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* Which filters act on this task: bit i set when getpgid(MAGIC + i) fails with ERRNO + i. */
static int filters(void)
{
	int mask = 0;

	for (unsigned i = 0; i < 2; i++) {
		errno = 0;
		if (syscall(SYS_getpgid, MAGIC + i) == -1 && errno == (int)(ERRNO + i))
			mask |= 1 << i;
	}
	return mask;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w = waiter_new();   /* 1: the child added its filter; 2: C/R over */
	int status;
	pid_t pid;

	test_init(argc, argv);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || install(0))
		return fail_errno("the parent's filter");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		if (install(1))
			_exit(100);
		waiter_post(w, 1);
		waiter_wait(w, 2);
		_exit(filters());       /* 3: both */
	}
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	if (expect_int("the parent's filters (bit mask)", filters(), 1))
		return 1;
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return fail("the child ended with status %#x", status);
	if (expect_int("the child's filters (bit mask)", WEXITSTATUS(status), 3))
		return 1;
	return pass();
}
