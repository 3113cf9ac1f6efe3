#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two stacked seccomp BPF filters that fail getppid() and getpgid(MAGIC) with their own errnos",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid", .features = "seccomp_filters");

/*
 * getppid() cannot fail, so any error from it is the first filter's. The second
 * filter also looks at an argument: getpgid(MAGIC) fails with EBADE, while any
 * other getpgid() still works. Neither call is made by criu or by the library.
 */
#define MAGIC 0x5eccu
#define PPID_ERRNO ENOTUNIQ
#define PGID_ERRNO EBADE

#ifndef SECCOMP_SET_MODE_FILTER
#define SECCOMP_SET_MODE_FILTER 1
#endif

#define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define ARG0_LO (offsetof(struct seccomp_data, args[0]))
#define ARG0_HI (offsetof(struct seccomp_data, args[0]) + 4)

static int install(struct sock_filter *code, unsigned short len)
{
	struct sock_fprog prog = { .len = len, .filter = code };

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static int install_filters(void)
{
	struct sock_filter ppid[] = {
		LOAD(arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		LOAD(nr),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | PPID_ERRNO),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter pgid[] = {
		LOAD(arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 7),
		LOAD(nr),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getpgid, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_LO),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MAGIC, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_HI),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | PGID_ERRNO),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return fail_errno("PR_SET_NO_NEW_PRIVS");
	if (install(ppid, sizeof(ppid) / sizeof(ppid[0])) || install(pgid, sizeof(pgid) / sizeof(pgid[0])))
		return fail_errno("seccomp(SECCOMP_SET_MODE_FILTER)");
	return 0;
}

/* The value of "Key:" in /proc/self/status, or -1. */
static long status_field(const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long val = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':')
			sscanf(line + klen + 1, "%ld", &val);
	if (f)
		fclose(f);
	return val;
}

static int check(void)
{
	long ret;

	errno = 0;
	ret = syscall(SYS_getppid);
	if (ret != -1 || errno != PPID_ERRNO)
		return fail("getppid() gave %ld (errno %d), expected -1 with errno %d", ret, errno, PPID_ERRNO);
	errno = 0;
	ret = syscall(SYS_getpgid, MAGIC);
	if (ret != -1 || errno != PGID_ERRNO)
		return fail("getpgid(%#x) gave %ld (errno %d), expected -1 with errno %d", MAGIC, ret, errno,
			    PGID_ERRNO);
	ret = syscall(SYS_getpgid, 0);
	if (ret != getpgrp())
		return fail("getpgid(0) gave %ld (errno %d), expected the process group %d", ret, errno, getpgrp());
	if (expect_int("Seccomp mode", status_field("Seccomp"), SECCOMP_MODE_FILTER) ||
	    expect_int("Seccomp_filters", status_field("Seccomp_filters"), 2) ||
	    expect_int("NoNewPrivs", status_field("NoNewPrivs"), 1) ||
	    expect_int("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (install_filters() || check())
		return 1;

	test_daemon();
	test_waitsig();

	return check() ? 1 : pass();
}
