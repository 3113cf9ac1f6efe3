/*
 * The test process and its verdict. The launcher (our child) exits 0 when the
 * test is ready; the test itself is reparented to the job's init (us), so its
 * exit status is ours to collect. A verdict counts only when the verdict line
 * in the outfile and the exit status agree.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testproc.h"

#define PHASE_TIMEOUT_MS 30000

int phase_timeout_ms(const struct job_ctx *ctx)
{
	int base = ctx->job->test->timeout > 0 ? ctx->job->test->timeout * 1000 : PHASE_TIMEOUT_MS;

	return base * ctx->opts->timeout_mul;
}

struct verdict_line {
	enum verdict v;
	int count;
	char text[400];
};

/* Scans the outfile for verdict lines: "PASS", "FAIL: ...", "SKIP: ...". */
static void read_verdict(const char *outfile, struct verdict_line *vl)
{
	FILE *f = fopen(outfile, "re");
	char line[1024];

	memset(vl, 0, sizeof(*vl));
	vl->v = V_BROKEN;
	while (f && fgets(line, sizeof(line), f)) {
		enum verdict v;

		line[strcspn(line, "\n")] = 0;
		if (!strcmp(line, "PASS"))
			v = V_PASS;
		else if (!strncmp(line, "FAIL: ", 6))
			v = V_FAIL;
		else if (!strncmp(line, "SKIP: ", 6))
			v = V_SKIP;
		else
			continue;
		if (!vl->count++) {
			vl->v = v;
			snprintf(vl->text, sizeof(vl->text), "%s", line);
		}
	}
	if (f)
		fclose(f);
}

static int expected_exit(enum verdict v)
{
	return v == V_PASS ? 0 : v == V_SKIP ? 77 : 1;
}

/* The outfile only appears when the test exited; else the .inprogress copy tells how far it got. */
static void judge(struct testproc *tp, int status, struct result *r)
{
	struct verdict_line vl;
	char st[64], path[4300];

	read_verdict(tp->outfile, &vl);
	if (!vl.count) {
		snprintf(path, sizeof(path), "%s.inprogress", tp->outfile);
		read_verdict(path, &vl);
	}
	proc_status_str(status, st, sizeof(st));
	r->verdict = V_BROKEN;
	if (!vl.count)
		snprintf(r->reason, sizeof(r->reason), "no verdict from the test (%s)", st);
	else if (vl.count > 1)
		snprintf(r->reason, sizeof(r->reason), "%d verdicts from the test, the first: %s", vl.count, vl.text);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != expected_exit(vl.v))
		snprintf(r->reason, sizeof(r->reason), "verdict \"%s\" but %s", vl.text, st);
	else {
		r->verdict = vl.v;
		/* A skip's reason is the test's words; a failure keeps its "FAIL: file:line:" */
		snprintf(r->reason, sizeof(r->reason), "%s",
			 vl.v == V_PASS ? "" : vl.v == V_SKIP ? vl.text + 6 : vl.text);
	}
}

static int read_pid(const char *path)
{
	char buf[32];

	return read_text(path, buf, sizeof(buf)) > 0 ? atoi(buf) : -1;
}

/* Our children at "ready" other than the test (in ns and uns: its namespace init). */
static void note_outside(struct testproc *tp)
{
	pid_t kids[64];
	int n = proc_children(kids, 64);

	tp->noutside = 0;
	for (int i = 0; i < n && tp->noutside < (int)(sizeof(tp->outside) / sizeof(tp->outside[0])); i++)
		if (kids[i] != tp->pid)
			tp->outside[tp->noutside++] = kids[i];
}

int testproc_start(struct job_ctx *ctx, const struct flavor_setup *fs, struct testproc *tp, struct result *r)
{
	char pidarg[4300], outarg[4300], store[64];
	char *argv[] = { (char *)fs->exe, pidarg, outarg, NULL };
	int status, rc;
	pid_t launcher;

	snprintf(tp->cwd, sizeof(tp->cwd), "%s", fs->cwd);
	snprintf(tp->pidfile, sizeof(tp->pidfile), "%s", fs->pidfile);
	snprintf(tp->outfile, sizeof(tp->outfile), "%s", fs->outfile);
	snprintf(pidarg, sizeof(pidarg), "--pidfile=%s", fs->pidfile_arg);
	snprintf(outarg, sizeof(outarg), "--outfile=%s", fs->outfile_arg);
	tp->pid = -1;
	snprintf(r->phase, sizeof(r->phase), "start");
	launcher = proc_spawn_fd(argv, tp->cwd, ctx->log, (char *const *)fs->env, tp->inherit_fd, false);
	rc = launcher < 0 ? -1 : proc_wait(launcher, phase_timeout_ms(ctx), &status);
	if (rc == 1) {
		proc_kill(launcher);
		r->verdict = V_TIMEOUT;
		snprintf(r->reason, sizeof(r->reason), "test not ready after %d ms", phase_timeout_ms(ctx));
		return -1;
	}
	if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    (tp->pid = read_pid(tp->pidfile)) > 0) {
		note_outside(tp);
		return 0;
	}
	/* It ended before it was ready: a skip, a failure to build the state, or a crash. */
	judge(tp, status, r);
	if (r->verdict == V_BROKEN && !strncmp(r->reason, "no verdict", 10)) {
		char why[300] = "", path[4300];

		snprintf(path, sizeof(path), "%s.inprogress", tp->outfile);
		if (grep_first(tp->outfile, "ERR", why, sizeof(why)) && grep_first(path, "ERR", why, sizeof(why))) {
			/* Before its outfile exists a test (or its namespace init) reports to the job log. */
			snprintf(path, sizeof(path), "%s/job.log", ctx->dir);
			grep_first(path, "ERR", why, sizeof(why));
		}
		snprintf(r->reason, sizeof(r->reason), "test ended before it was ready (launcher %s)%s%s",
			 rc ? "not started" : (proc_status_str(status, store, sizeof(store)), store),
			 why[0] ? ": " : "", why);
	}
	return -1;
}

/* criu killed the whole dumped tree; every task of it comes back to us (pid 1) to be reaped. */
int testproc_wait_gone(struct job_ctx *ctx, struct testproc *tp, struct result *r)
{
	int rc = proc_reap_all(phase_timeout_ms(ctx), tp->outside, tp->noutside);

	if (rc == 0)
		return 0;
	r->verdict = rc == 1 ? V_TIMEOUT : V_BROKEN;
	snprintf(r->phase, sizeof(r->phase), "dump");
	snprintf(r->reason, sizeof(r->reason), "tasks of the test (pid %d) %s after criu dump", tp->pid,
		 rc == 1 ? "still alive" : "cannot be waited for");
	return -1;
}

void testproc_stop(struct job_ctx *ctx, struct testproc *tp, struct result *r)
{
	int status, rc;

	snprintf(r->phase, sizeof(r->phase), "verify");
	if (kill(tp->pid, SIGTERM)) {
		r->verdict = V_BROKEN;
		snprintf(r->reason, sizeof(r->reason), "test pid %d is gone before SIGTERM", tp->pid);
		return;
	}
	rc = proc_wait(tp->pid, phase_timeout_ms(ctx), &status);
	if (rc) {
		testproc_kill(tp);
		r->verdict = rc == 1 ? V_TIMEOUT : V_BROKEN;
		snprintf(r->reason, sizeof(r->reason), "test did not end %d ms after SIGTERM",
			 phase_timeout_ms(ctx));
		return;
	}
	tp->pid = -1;
	judge(tp, status, r);
}

void testproc_kill(struct testproc *tp)
{
	if (tp->pid > 0)
		proc_kill(tp->pid);
	tp->pid = -1;
}
