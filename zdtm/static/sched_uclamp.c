#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a process's utilization clamps: uclamp min 128, max 768 (sched_setattr)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define SCHED_FLAG_KEEP_ALL 0x18
#define SCHED_FLAG_UTIL_CLAMP_MIN 0x20
#define SCHED_FLAG_UTIL_CLAMP_MAX 0x40
#define UMIN 128
#define UMAX 768

struct sched_attr_v1 {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};

static int check(void)
{
	struct sched_attr_v1 got = { 0 };

	if (syscall(SYS_sched_getattr, 0, &got, sizeof(got), 0))
		return fail_errno("sched_getattr");
	if (got.sched_util_min != UMIN || got.sched_util_max != UMAX)
		return fail("uclamp min %u max %u, expected min %d max %d", got.sched_util_min, got.sched_util_max,
			    UMIN, UMAX);
	return 0;
}

int main(int argc, char **argv)
{
	struct sched_attr_v1 a = {
		.size = sizeof(a),
		.sched_flags = SCHED_FLAG_KEEP_ALL | SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX,
		.sched_util_min = UMIN, .sched_util_max = UMAX,
	};

	test_init(argc, argv);
	if (syscall(SYS_sched_setattr, 0, &a, 0)) {
		if (errno == EOPNOTSUPP || errno == ENOSYS)
			return skip("no uclamp: %s", strerror(errno));
		return fail_errno("sched_setattr(uclamp)");
	}
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	return check() ? 1 : pass();
}
