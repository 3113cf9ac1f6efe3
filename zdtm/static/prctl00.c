#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "prctl state: comm, parent-death signal, no_new_privs, child subreaper, timer slack, dumpable",
	  .flavors = ZDTM_ALL_FLAVORS);

#define COMM "zdtm-prctl.42"    /* 13 of the 15 characters comm can hold */
#define PDEATHSIG SIGUSR2
#define SLACK 123457            /* ns; the default is 50000 */

/*
 * The parent-death signal fires when the launcher exits after test_daemon(),
 * and may fire again when criu leaves the restored tree: deliveries are
 * counted but not judged, the setting is.
 */
static volatile sig_atomic_t pdeath_seen;

static void on_pdeath(int sig)
{
	(void)sig;
	pdeath_seen++;
}

static long get_int(int option)
{
	int val = -1;

	return prctl(option, &val, 0, 0, 0) ? -1 : val;
}

/* Every setting is compared, and all differences go into one verdict. */
static int check(void)
{
	const struct { const char *what; long found, expected; } v[] = {
		{ "PR_GET_PDEATHSIG", get_int(PR_GET_PDEATHSIG), PDEATHSIG },
		{ "PR_GET_CHILD_SUBREAPER", get_int(PR_GET_CHILD_SUBREAPER), 1 },
		{ "PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1 },
		{ "PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0 },
		{ "PR_GET_TIMERSLACK", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), SLACK },
	};
	char comm[16] = "", diff[512] = "";
	size_t n = 0;

	if (prctl(PR_GET_NAME, comm, 0, 0, 0))
		return fail_errno("PR_GET_NAME");
	if (strcmp(comm, COMM))
		n += snprintf(diff + n, sizeof(diff) - n, "; comm is \"%s\", expected \"%s\"", comm, COMM);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (v[i].found != v[i].expected && n < sizeof(diff))
			n += snprintf(diff + n, sizeof(diff) - n, "; %s gives %ld, expected %ld",
				      v[i].what, v[i].found, v[i].expected);
	return n ? fail("%s", diff + 2) : 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_pdeath };

	test_init(argc, argv);
	if (sigaction(PDEATHSIG, &sa, NULL))
		return fail_errno("sigaction");
	if (prctl(PR_SET_NAME, COMM, 0, 0, 0) || prctl(PR_SET_PDEATHSIG, PDEATHSIG, 0, 0, 0) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) ||
	    prctl(PR_SET_TIMERSLACK, SLACK, 0, 0, 0) || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		return fail_errno("prctl");
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	if (check())
		return 1;
	test_msg("parent-death signal delivered %d times", pdeath_seen);
	return pass();
}
