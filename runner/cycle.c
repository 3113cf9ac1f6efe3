/*
 * One job's cycle, inside its sandbox:
 *   start -> ready -> { dump [--leave-running with --norst] -> restore } x --iter -> SIGTERM -> verdict
 * --nocr skips every criu step. Images of iteration N go to DIR/img/N.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "criu.h"
#include "flavor.h"
#include "testproc.h"

static void imgdir(const struct job_ctx *ctx, int iter, char *buf, size_t len)
{
	snprintf(buf, len, "%s/img/%d", ctx->dir, iter);
	mkdir_p(buf, 0755);
}

/* Appends the flavor's options (NULL-terminated) after the first n of args. */
static void add_flavor_args(const char **args, int n, const char *const *extra)
{
	while (*extra)
		args[n++] = *extra++;
	args[n] = NULL;
}

static int dump(struct job_ctx *ctx, const struct flavor_setup *fs, struct testproc *tp, const char *dir,
		struct result *r)
{
	char pid[16];
	const char *args[16] = { "--tree", pid, "--timeout", "10" };
	struct criu_call c = {
		.engine = ctx->engine, .test = ctx->job->test, .action = "dump", .imgdir = dir,
		.args = args, .phase_opts = ctx->job->test->dopts, .timeout_mul = ctx->opts->timeout_mul,
	};

	snprintf(pid, sizeof(pid), "%d", tp->pid);
	if (ctx->opts->norst)
		args[4] = "--leave-running";
	add_flavor_args(args, ctx->opts->norst ? 5 : 4, fs->dump_args);
	logf_(ctx->log, "zdtm: criu dump of pid %d into %s", tp->pid, dir);
	return criu_run(&c, r);
}

static int restore(struct job_ctx *ctx, const struct flavor_setup *fs, struct testproc *tp, const char *dir,
		   struct result *r)
{
	char pidfile[4200], buf[32];
	const char *args[16] = { "--restore-detached", "--pidfile", pidfile };
	struct criu_call c = {
		.engine = ctx->engine, .test = ctx->job->test, .action = "restore", .imgdir = dir,
		.args = args, .phase_opts = ctx->job->test->ropts, .timeout_mul = ctx->opts->timeout_mul,
	};
	int pid;

	snprintf(pidfile, sizeof(pidfile), "%s/restore.pid", dir);
	add_flavor_args(args, 3, fs->restore_args);
	logf_(ctx->log, "zdtm: criu restore from %s", dir);
	if (criu_run(&c, r))
		return -1;
	pid = read_text(pidfile, buf, sizeof(buf)) > 0 ? atoi(buf) : -1;
	/* In h the pid must come back as it was; in ns/uns only the namespace init's pid inside counts. */
	if (pid > 0 && ctx->job->flavor != FL_H)
		tp->pid = pid;
	if (pid != tp->pid) {
		r->verdict = V_FAIL;
		snprintf(r->reason, sizeof(r->reason), "restored root has pid %d, expected %d", pid, tp->pid);
		return -1;
	}
	return 0;
}

/*
 * A "crfail" test holds a state criu must refuse to dump: a clean refusal is
 * the expected outcome (the tree keeps running and must still pass), a
 * success or a crash is a failure.
 */
static int expected_refusal(struct job_ctx *ctx, int rc, struct result *r)
{
	if (rc == CRIU_REFUSED) {
		logf_(ctx->log, "zdtm: criu refused as the test expects (crfail): %s", r->reason);
		r->verdict = V_PASS;
		r->reason[0] = 0;
		return 1;
	}
	if (rc == CRIU_OK) {
		r->verdict = V_FAIL;
		snprintf(r->reason, sizeof(r->reason), "criu dump succeeded but the test expects a refusal (crfail)");
	}
	return -1;
}

static int checkpoint_restore(struct job_ctx *ctx, const struct flavor_setup *fs, struct testproc *tp,
			      struct result *r)
{
	char dir[4200];
	int rc;

	for (int i = 1; i <= ctx->opts->iters; i++) {
		imgdir(ctx, i, dir, sizeof(dir));
		rc = dump(ctx, fs, tp, dir, r);
		if (test_has_flag(ctx->job->test, "crfail"))
			return expected_refusal(ctx, rc, r) > 0 ? 0 : -1;
		if (rc)
			return -1;
		if (ctx->opts->norst)
			continue;
		if (testproc_wait_gone(ctx, tp, r) || restore(ctx, fs, tp, dir, r))
			return -1;
	}
	return 0;
}

void cycle_run(struct job_ctx *ctx, struct result *r)
{
	struct flavor_setup fs;
	struct testproc tp;

	if (flavor_prepare(ctx, &fs, r) || testproc_start(ctx, &fs, &tp, r))
		return;
	logf_(ctx->log, "zdtm: test ready, pid %d", tp.pid);
	if (!ctx->opts->nocr && checkpoint_restore(ctx, &fs, &tp, r)) {
		testproc_kill(&tp);
		return;
	}
	testproc_stop(ctx, &tp, r);
}
