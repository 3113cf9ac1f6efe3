/* One criu call (criu.c). */
#ifndef ZDTM_CRIU_H
#define ZDTM_CRIU_H

#include "runner.h"

struct criu_call {
	const struct engine *engine;
	const struct test *test;
	const char *action;          /* dump, restore, pre-dump, ... */
	const char *imgdir;          /* --images-dir; the log and argv go there too */
	const char *const *args;     /* NULL-terminated, before the test's options */
	const char *phase_opts;      /* the test's dopts or ropts */
	double timeout_mul;
};

enum { CRIU_OK = 0, CRIU_REFUSED = -1 /* exited non-zero */, CRIU_CRASHED = -2 /* signal, timeout */ };

/* Runs the call; on failure fills r (verdict, phase, reason) and returns CRIU_REFUSED or
 * CRIU_CRASHED. Adds its time to r->criu. */
int criu_run(const struct criu_call *c, struct result *r);
/* The first Error line of a criu log that says something. */
void criu_first_error(const char *log, char *buf, size_t len);

#endif
