#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a process under SCHED_DEADLINE: runtime 2 ms, deadline 10 ms, period 20 ms (sched_setattr)",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid");   /* needs root with CAP_SYS_NICE of the host */

#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif

struct sched_attr_v1 {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};

static const struct sched_attr_v1 want = {
	.size = sizeof(want), .sched_policy = SCHED_DEADLINE,
	.sched_runtime = 2000000, .sched_deadline = 10000000, .sched_period = 20000000,
};

static int check(void)
{
	struct sched_attr_v1 got = { 0 };

	if (syscall(SYS_sched_getattr, 0, &got, sizeof(got), 0))
		return fail_errno("sched_getattr");
	if (got.sched_policy != want.sched_policy || got.sched_runtime != want.sched_runtime ||
	    got.sched_deadline != want.sched_deadline || got.sched_period != want.sched_period)
		return fail("policy %u runtime %llu deadline %llu period %llu ns, expected policy %u runtime %llu "
			    "deadline %llu period %llu ns", got.sched_policy, (unsigned long long)got.sched_runtime,
			    (unsigned long long)got.sched_deadline, (unsigned long long)got.sched_period,
			    want.sched_policy, (unsigned long long)want.sched_runtime,
			    (unsigned long long)want.sched_deadline, (unsigned long long)want.sched_period);
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (syscall(SYS_sched_setattr, 0, &want, 0)) {
		if (errno == EPERM || errno == ENOSYS)
			return skip("sched_setattr(SCHED_DEADLINE): %s", strerror(errno));
		return fail_errno("sched_setattr(SCHED_DEADLINE)");
	}
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	return check() ? 1 : pass();
}
