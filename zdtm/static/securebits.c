#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "securebits KEEP_CAPS, NO_SETUID_FIXUP, NOROOT and NOROOT_LOCKED: a later setuid() keeps the caps",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

#define BITS (SECBIT_KEEP_CAPS | SECBIT_NO_SETUID_FIXUP | SECBIT_NOROOT | SECBIT_NOROOT_LOCKED)
#define OTHER_UID 12345

/* Effective capabilities, the low 64 bits. */
static uint64_t cap_eff(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return 0;
	return d[0].effective | (uint64_t)d[1].effective << 32;
}

/*
 * With SECBIT_NO_SETUID_FIXUP, leaving uid 0 clears no capability. A child
 * does it (the test keeps its uids) and exits 0 if its effective set is whole.
 */
static int setuid_keeps_caps(void)
{
	uint64_t before = cap_eff(), after;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		if (setresuid(OTHER_UID, OTHER_UID, OTHER_UID))
			_exit(2);
		after = cap_eff();
		_exit(after == before && before ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (status != 0)
		return fail("child after setresuid(%d): status %#x (exit 1: effective caps changed from %#llx; "
			    "2: setresuid failed), expected exit 0", OTHER_UID, status, (unsigned long long)before);
	return 0;
}

static int check(void)
{
	return expect_int("PR_GET_SECUREBITS", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0), BITS) ||
	       expect_int("PR_GET_KEEPCAPS", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), 1);
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (prctl(PR_SET_SECUREBITS, BITS, 0, 0, 0))
		return fail_errno("PR_SET_SECUREBITS %#x", BITS);
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	if (check() || setuid_keeps_caps())
		return 1;
	return pass();
}
