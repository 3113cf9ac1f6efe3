#include <sys/resource.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "soft and hard limits of all 16 resources, most of them lowered, survive exactly",
	  .flavors = ZDTM_ALL_FLAVORS);

#define INF RLIM_INFINITY
#define MB (1ull << 20)

/* the limits to set; a hard limit of INF means "keep the current one" */
static const struct {
	int res;
	const char *name;
	rlim_t soft, hard;
} want[] = {
	{ RLIMIT_CPU, "CPU", 3600, 7200 },
	{ RLIMIT_FSIZE, "FSIZE", 1024 * MB, 2048 * MB },
	{ RLIMIT_DATA, "DATA", 1024 * MB, INF },
	{ RLIMIT_STACK, "STACK", 4 * MB, 64 * MB },
	{ RLIMIT_CORE, "CORE", 1 * MB, 8 * MB },
	{ RLIMIT_RSS, "RSS", 512 * MB, INF },
	{ RLIMIT_NPROC, "NPROC", 5000, 6000 },
	{ RLIMIT_NOFILE, "NOFILE", 500, 1000 },
	{ RLIMIT_MEMLOCK, "MEMLOCK", 64 * 1024, 128 * 1024 },
	{ RLIMIT_AS, "AS", 16384 * MB, INF },
	{ RLIMIT_LOCKS, "LOCKS", 1000, 2000 },
	{ RLIMIT_SIGPENDING, "SIGPENDING", 500, 1000 },
	{ RLIMIT_MSGQUEUE, "MSGQUEUE", 4096, 409600 },
	{ RLIMIT_RTTIME, "RTTIME", 1000000, 2000000 },
	{ RLIMIT_NICE, "NICE", 0, 0 },
	{ RLIMIT_RTPRIO, "RTPRIO", 0, 0 },
};
#define N (int)(sizeof(want) / sizeof(want[0]))

static rlim_t min(rlim_t a, rlim_t b)
{
	return a < b ? a : b;    /* RLIM_INFINITY is the largest value */
}

int main(int argc, char **argv)
{
	struct rlimit set[N], now;

	test_init(argc, argv);
	for (int i = 0; i < N; i++) {
		if (getrlimit(want[i].res, &now))
			return fail_errno("getrlimit %s", want[i].name);
		/* only lower hard limits: raising them needs CAP_SYS_RESOURCE */
		set[i].rlim_max = min(want[i].hard, now.rlim_max);
		set[i].rlim_cur = min(want[i].soft, set[i].rlim_max);
		if (setrlimit(want[i].res, &set[i]))
			return fail_errno("setrlimit %s %llu/%llu", want[i].name,
					  (unsigned long long)set[i].rlim_cur,
					  (unsigned long long)set[i].rlim_max);
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < N; i++) {
		if (getrlimit(want[i].res, &now))
			return fail_errno("getrlimit %s", want[i].name);
		if (now.rlim_cur != set[i].rlim_cur || now.rlim_max != set[i].rlim_max)
			return fail("RLIMIT_%s is %llu/%llu (soft/hard), expected %llu/%llu", want[i].name,
				    (unsigned long long)now.rlim_cur, (unsigned long long)now.rlim_max,
				    (unsigned long long)set[i].rlim_cur,
				    (unsigned long long)set[i].rlim_max);
	}
	return pass();
}
