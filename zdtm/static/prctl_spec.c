#include <string.h>
#include <sys/prctl.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "speculative store bypass disabled for the task (PR_SET_SPECULATION_CTRL, PR_SPEC_DISABLE)",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef PR_SET_SPECULATION_CTRL
#define PR_GET_SPECULATION_CTRL 52
#define PR_SET_SPECULATION_CTRL 53
#define PR_SPEC_STORE_BYPASS 0
#define PR_SPEC_PRCTL (1UL << 0)
#define PR_SPEC_DISABLE (1UL << 2)
#endif

static int check(void)
{
	return expect_int("PR_GET_SPECULATION_CTRL(PR_SPEC_STORE_BYPASS)",
			  prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0), PR_SPEC_PRCTL | PR_SPEC_DISABLE);
}

int main(int argc, char **argv)
{
	int now;

	test_init(argc, argv);
	now = prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
	if (now < 0 || !(now & PR_SPEC_PRCTL))
		return skip("store bypass control is not per task here (PR_GET_SPECULATION_CTRL: %d)", now);
	if (prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, PR_SPEC_DISABLE, 0, 0))
		return fail_errno("prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, PR_SPEC_DISABLE)");
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	return check() ? 1 : pass();
}
