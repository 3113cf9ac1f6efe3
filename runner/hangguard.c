/*
 * The hang guard: a criu that hangs in every call would make each job wait out its criu timeout,
 * and a run of the whole catalog would take hours (criu 4.1.1 dumps hang on some AMD machines, see
 * the README). The guard watches the jobs as they end and stops the run when the same criu action
 * timed out in HANG_STREAK jobs in a row, or in most of the first HANG_WINDOW jobs. Jobs that ran
 * no criu (skips) do not count. --no-hang-guard turns it off.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"

#define HANG_STREAK 3
#define HANG_WINDOW 10

/* The criu action a job timed out in ("dump", "restore", ...), or NULL. */
static const char *criu_timeout(const struct result *r)
{
	static const char *const actions[] = { "dump", "pre-dump", "restore", "page-server", "lazy-pages" };

	if (r->verdict != V_TIMEOUT || strncmp(r->reason, "criu ", 5))
		return NULL;
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(r->phase, actions[i]))
			return actions[i];
	return NULL;
}

bool hang_guard_feed(struct hang_guard *g, const struct result *r, char *why, size_t len)
{
	const char *action = criu_timeout(r);

	if (r->verdict == V_SKIP || r->verdict == V_COUNT)
		return false;
	g->jobs++;
	if (!action) {
		g->streak = 0;
		return false;
	}
	if (g->streak && strcmp(g->action, action))
		g->streak = 0;
	snprintf(g->action, sizeof(g->action), "%s", action);
	g->streak++;
	if (g->jobs <= HANG_WINDOW && !strcmp(action, "dump"))
		g->early_dumps++;
	else if (g->jobs <= HANG_WINDOW && !strcmp(action, "restore"))
		g->early_restores++;
	if (g->streak >= HANG_STREAK) {
		if (g->streak == g->jobs)
			snprintf(why, len, "criu %s timed out in %d of %d jobs", action, g->streak, g->jobs);
		else
			snprintf(why, len, "criu %s timed out in %d jobs in a row", action, g->streak);
		return true;
	}
	if (g->early_dumps > HANG_WINDOW / 2 || g->early_restores > HANG_WINDOW / 2) {
		snprintf(why, len, "criu %s timed out in %d of the first %d jobs", action,
			 g->early_dumps > HANG_WINDOW / 2 ? g->early_dumps : g->early_restores, g->jobs);
		return true;
	}
	return false;
}

bool hang_guard_all_hung(const struct hang_guard *g, char *why, size_t len)
{
	if (g->jobs < 2 || g->streak != g->jobs)
		return false;
	snprintf(why, len, "criu %s timed out in %d of %d jobs", g->action, g->streak, g->jobs);
	return true;
}
