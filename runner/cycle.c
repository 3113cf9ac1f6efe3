/*
 * One job's cycle, inside its sandbox:
 *   start -> ready -> the criu steps of the variation (steps.c) -> SIGTERM -> verdict
 * Each dump-type step's images go to DIR/img/<N>; a restore uses the images of the dump before it.
 * The same calls, with placeholders, are what --dry-run prints (cycle_print).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crit.h"
#include "dedup.h"
#include "emptyns.h"
#include "fault.h"
#include "freezecg.h"
#include "extunix.h"
#include "inhfd.h"
#include "joinns.h"
#include "memory.h"
#include "script.h"
#include "stopped.h"
#include "state.h"
#include "stepcall.h"
#include "testproc.h"

static int restored(struct job_ctx *ctx, struct testproc *tp, const struct step_call *sc, struct result *r)
{
	char buf[32];
	int pid = read_text(sc->pidfile, buf, sizeof(buf)) > 0 ? atoi(buf) : -1;

	/* In h the pid must come back as it was; in ns/uns only the namespace init's pid inside counts. */
	if (pid > 0 && ctx->job->flavor != FL_H)
		tp->pid = pid;
	if (pid == tp->pid)
		return 0;
	r->verdict = V_FAIL;
	snprintf(r->reason, sizeof(r->reason), "restored root has pid %d, expected %d", pid, tp->pid);
	return -1;
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

/* --lazy-migrate: the dump that stays up to serve the pages of the restore after it. */
struct migration {
	pid_t pid;                     /* the dump, ready; -1: none */
	const struct step_call *sc;    /* its call (run_steps keeps it intact until the restore) */
	pid_t tree;                    /* the dumped tree's root, which the dump kills at its end */
};

/* The migrating dump ended after serving the restore's pages (or is killed when the restore
 * failed): then its tree, which it held seized, is gone. */
static int end_migration(struct job_ctx *ctx, struct migration *mig, int rc, struct result *r)
{
	int status;

	if (rc != CRIU_OK)
		proc_kill(mig->pid);
	else
		rc = criu_stop_server(&mig->sc->call, mig->pid, r);
	mig->pid = -1;
	if (rc == CRIU_OK && proc_wait(mig->tree, phase_timeout_ms(ctx), &status) == 1) {
		r->verdict = V_TIMEOUT;
		snprintf(r->phase, sizeof(r->phase), "dump");
		snprintf(r->reason, sizeof(r->reason), "the tree of the migrating dump (pid %d) is still alive after "
			 "the dump ended", mig->tree);
		return CRIU_CRASHED;
	}
	return rc;
}

/* A step's criu call, with the servers it needs (page server, lazy-pages daemon, --stream's image
 * streamer) around it: each is started and ready before the call, and judged after it (it ends by
 * itself once served), the last started first. A migrating dump is itself started as a server; its restore ends it. */
static int call_step(struct job_ctx *ctx, const struct step *st, struct step_call *sc, struct migration *mig,
		     struct result *r)
{
	struct step_call srv[MAX_SERVERS];
	pid_t server[MAX_SERVERS] = { 0 };
	int nsrv = server_calls(st, sc, srv), rc = CRIU_OK, k;
	bool capture = st->kind != STEP_RESTORE;
	pid_t streamer = -1;

	if (st->migrate) {
		mig->pid = criu_start_server(&sc->call, r);
		mig->sc = sc;
		return mig->pid < 0 ? mig->pid : CRIU_OK;
	}
	for (k = 0; k < nsrv && rc == CRIU_OK; k++)
		if ((server[k] = criu_start_server(&srv[k].call, r)) < 0)
			rc = CRIU_CRASHED;
	if (rc == CRIU_OK && st->stream)
		rc = (streamer = stream_start(ctx->opts->streamer, sc->dir, capture, r)) < 0 ? CRIU_CRASHED : CRIU_OK;
	if (rc == CRIU_OK)
		rc = criu_run(&sc->call, r);
	if (streamer > 0 && rc != CRIU_OK)
		proc_kill(streamer);
	else if (streamer > 0 && (stream_stop(streamer, sc->dir, capture, r) ||
				  (capture && stream_extract(ctx->opts->streamer, sc->dir, r))))
		rc = CRIU_CRASHED;
	/* --preload-libfault: a criu that ignored LD_PRELOAD would pass without being tested. */
	if (rc == CRIU_OK && st->libfault && criu_libfault_loaded(&sc->call, r->reason, sizeof(r->reason))) {
		r->verdict = V_FAIL;
		snprintf(r->phase, sizeof(r->phase), "%s", sc->call.action);
		rc = CRIU_REFUSED;
	}
	for (k = nsrv - 1; k >= 0; k--)
		if (server[k] > 0 && rc != CRIU_OK)
			proc_kill(server[k]);
		else if (server[k] > 0)
			rc = criu_stop_server(&srv[k].call, server[k], r);
	if (st->kind == STEP_RESTORE && mig->pid > 0)
		rc = end_migration(ctx, mig, rc, r);
	if (rc == CRIU_OK && st->lazy && criu_lazy_served(sc->dir, r->reason, sizeof(r->reason))) {
		r->verdict = V_FAIL;
		snprintf(r->phase, sizeof(r->phase), "lazy-pages");
		return CRIU_REFUSED;
	}
	return rc;
}

/* Digests the tree's memory into DIR/memory.<name>; the time it took counts in the job's metrics. */
static int digest(struct job_ctx *ctx, const struct testproc *tp, const char *name, char *path, size_t len,
		  struct result *r)
{
	double t0 = now_sec();
	int rc;

	snprintf(path, len, "%s/memory.%s", ctx->dir, name);
	rc = memory_digest(tp->pid, path);
	r->m.mem_digest = (r->m.mem_digest < 0 ? 0 : r->m.mem_digest) + now_sec() - t0;
	return rc;
}

static int step_failed(struct result *r, const char *phase, const struct step *st, const char *why)
{
	r->verdict = V_FAIL;
	snprintf(r->phase, sizeof(r->phase), "%s", phase);
	snprintf(r->reason, sizeof(r->reason), "after %s %d: %s", step_action(st), st->dir, why);
	return -1;
}

/* Compares what /proc shows of the tree now, then its memory, with what they were before the first
 * criu call. Transition tests change their state all the time: only their own checks count. */
static int same_state(struct job_ctx *ctx, const struct testproc *tp, const struct step *st, struct result *r)
{
	char before[4200], after[4200], name[32], why[400];

	if (test_has_flag(ctx->job->test, "transition"))
		return 0;
	snprintf(before, sizeof(before), "%s/state.before", ctx->dir);
	snprintf(after, sizeof(after), "%s/state.after-%d", ctx->dir, st->dir);
	if (state_snapshot(tp->pid, ctx->job->flavor != FL_H, after) || state_diff(before, after, ctx->opts->rootless, why, sizeof(why)))
		return step_failed(r, "state", st, why);
	snprintf(before, sizeof(before), "%s/memory.before", ctx->dir);
	snprintf(name, sizeof(name), "after-%d", st->dir);
	if (digest(ctx, tp, name, after, sizeof(after), r) || memory_diff(before, after, ctx->opts->rootless, why, sizeof(why)))
		return step_failed(r, "memory", st, why);
	return 0;
}

/* --stop: criu left every thread of the tree stopped (or a zombie); then the tree gets sig, if any
 * (SIGKILL after a dump, so that its pids are free). */
static int left_stopped(const struct testproc *tp, const struct step *st, struct result *r, int sig)
{
	char why[300];

	if (tree_stopped(tp->pid, why, sizeof(why)))
		return step_failed(r, step_action(st), st, why);
	if (sig)
		tree_signal(tp->pid, sig);
	return 0;
}

/* --join-ns: the restored tree is in the run's network namespace (joinns.c). */
static int joined(const struct job_ctx *ctx, const struct testproc *tp, const struct step *st, struct result *r)
{
	char path[4200], why[300];

	joinns_path(ctx->rundir, path, sizeof(path));
	return joinns_check(tp->pid, path, why, sizeof(why)) ? step_failed(r, "state", st, why) : 0;
}

/* --empty-ns: the action script brought lo up in the restored, empty network namespace (emptyns.c). */
static int lo_up(const struct testproc *tp, const struct step *st, struct result *r)
{
	char why[300];

	return emptyns_check(tp->pid, why, sizeof(why)) ? step_failed(r, "state", st, why) : 0;
}

/* --freezecg: the restored tree is back in the job's cgroup, thawed (freezecg.c). */
static int cgroup_thawed(const struct job_ctx *ctx, const struct testproc *tp, const struct step *st,
			 struct result *r)
{
	char why[4500];

	return freezecg_check(ctx->dir, tp->pid, why, sizeof(why)) ? step_failed(r, "restore", st, why) : 0;
}

/* After a restore: the root's pid, criu's stats, the state of the tree. */
static int after_restore(struct job_ctx *ctx, struct testproc *tp, const struct step *st, struct step_call *sc,
			 struct result *r)
{
	stats_add_restore(sc->dir, &r->m);
	if (restored(ctx, tp, sc, r) || (st->leave_stopped && left_stopped(tp, st, r, 0)) ||
	    (st->join_ns && joined(ctx, tp, st, r)) || (st->empty_ns && lo_up(tp, st, r)) ||
	    (st->freezecg && cgroup_thawed(ctx, tp, st, r)) ||
	    same_state(ctx, tp, st, r))
		return -1;
	/* --stop: compared while stopped, continued after, since a test may catch SIGCONT itself. */
	if (st->leave_stopped)
		tree_signal(tp->pid, SIGCONT);
	return 0;
}

/* After a dump-type step: criu's stats, the tree gone (or as it was, when it keeps running), the
 * page images as the stats say. */
static int after_dump(struct job_ctx *ctx, struct testproc *tp, const struct step *st, struct step_call *sc,
		      struct result *r)
{
	char why[4500];

	/* --lazy-migrate: the tree stays, seized by the dump, until the restore has its pages; the dump
	 * writes no pages of its own. */
	if (st->migrate)
		return 0;
	stats_add_dump(sc->dir, &r->m);
	/* --crit: the images as crit reads and writes them, the tree as crit lists it (crit.c). */
	if (st->crit) {
		snprintf(why, sizeof(why), "%s/state.before", ctx->dir);
		if (crit_check(sc->dir, test_has_flag(ctx->job->test, "transition") ? NULL : why, why, sizeof(why)))
			return step_failed(r, "images", st, why);
	}
	/* --freezecg: criu leaves the cgroup of a tree that it leaves running or stopped as it found it,
	 * frozen or not (freezecg.c); thawed, a tree left stopped shows stopped. */
	if (st->freezecg && (st->leave_running || st->leave_stopped) && freezecg_thaw(ctx->dir, why, sizeof(why)))
		return step_failed(r, step_action(st), st, why);
	if (st->leave_stopped && left_stopped(tp, st, r, SIGKILL))
		return -1;
	if (!st->leave_running && testproc_wait_gone(ctx, tp, r))
		return -1;
	/* The tree is gone: its cgroups go too, the restore must make them again. */
	if (!st->leave_running)
		cgroups_remove(ctx->dir, ctx->log);
	if (stats_check_pages(sc->dir, r->reason, sizeof(r->reason))) {
		r->verdict = V_FAIL;
		snprintf(r->phase, sizeof(r->phase), "images");
		return -1;
	}
	/* A dump that leaves the tree running must leave it as it was. */
	return st->leave_running && same_state(ctx, tp, st, r) ? -1 : 0;
}

/*
 * --fault N < 128, a call that ran with CRIU_FAULT=N: 0 when it did not fail (this criu has no such
 * fault point on its path) and the cycle goes on; 1 when it failed cleanly (a dump leaves the tree
 * running as it was, a restore leaves no process behind) and its retry is to run; -1 with r filled.
 * Some faults make criu kill itself (1, dump-early): a criu that died counts as a failure, one that
 * ran out of time does not.
 */
static int faulted(struct job_ctx *ctx, struct testproc *tp, const struct step *st, struct step_call *sc, int rc,
		   struct result *r)
{
	char why[400];

	if (rc == CRIU_OK) {
		logf_(ctx->log, "zdtm: %s: criu %s did not fail (no such fault point on its path)", sc->env,
		      sc->call.action);
		return 0;
	}
	snprintf(r->reason + strlen(r->reason), sizeof(r->reason) - strlen(r->reason), " (with %s)", sc->env);
	if (r->verdict == V_TIMEOUT)
		return -1;
	logf_(ctx->log, "zdtm: %s: criu %s failed as injected: %s", sc->env, sc->call.action, r->reason);
	if (st->kind == STEP_RESTORE && fault_leftovers(why, sizeof(why))) {
		snprintf(r->phase, sizeof(r->phase), "restore");
		snprintf(r->reason, sizeof(r->reason), "criu restore failed at %s but left processes behind: %s",
			 sc->env, why);
		return -1;
	}
	if (st->kind != STEP_RESTORE && same_state(ctx, tp, st, r))
		return -1;
	fault_set_aside(sc->dir, sc->call.action, st->kind != STEP_RESTORE, ctx->log);
	r->verdict = V_PASS;
	r->phase[0] = r->reason[0] = 0;
	return 1;
}

/* The images dir whose page blocks step st frees (--dedup, --noauto-dedup), "" for none. */
static const char *punched_dir(const struct job_ctx *ctx, const struct step *st, char *buf, size_t len)
{
	if (!st->punches)
		return "";
	snprintf(buf, len, "%s/img/%d", ctx->dir, st->punches);
	return buf;
}

/* After a call that deduplicates: it freed what it had to (dedup.c). */
static int punched(const struct job_ctx *ctx, const struct step *st, long long before, struct result *r)
{
	char dir[4200], why[400];

	if (!*punched_dir(ctx, st, dir, sizeof(dir)) ||
	    !dedup_check(dir, before, st->kind == STEP_RESTORE, ctx->log, why, sizeof(why)))
		return 0;
	return step_failed(r, "images", st, why);
}

/* What the cycle checks after a call, by its kind (criu dedup has only its punches checked). */
static int after_step(struct job_ctx *ctx, struct testproc *tp, const struct step *st, struct step_call *sc,
		      struct result *r)
{
	char why[700];

	if (st->kind == STEP_DEDUP)
		return 0;
	/* --script: criu ran the action's stages it documents, in order (script.c). */
	if (st->script && script_check(st, ctx->job->flavor != FL_H, sc->dir, why, sizeof(why)))
		return step_failed(r, step_action(st), st, why);
	return (st->kind == STEP_RESTORE ? after_restore : after_dump)(ctx, tp, st, sc, r);
}

/* Two calls, used in turn: a migrating dump's stays intact while its restore runs. */
static int run_steps(struct job_ctx *ctx, const struct flavor_setup *fs, struct testproc *tp, struct migration *mig,
		     struct result *r)
{
	static struct step steps[MAX_STEPS];
	static struct step_call calls[2];
	int n = steps_plan(ctx->opts, steps), rc;
	bool retry = false;
	char pid[16], dir[4200], why[4500];
	long long blocks;

	for (int i = 0; i < n; i++) {
		const struct step *st = &steps[i];
		struct step_call *sc = &calls[i % 2];

		if (st->retry && !retry)
			continue;   /* the faulted call before it succeeded */
		snprintf(pid, sizeof(pid), "%d", tp->pid);
		/* A restore of a test with an inherited fd gets a fresh pair (inhfd.c). */
		if (st->kind == STEP_RESTORE && ctx->inhfd && inhfd_renew(ctx->inhfd, why, sizeof(why)))
			return step_failed(r, "restore", st, why);
		step_call(ctx, fs, st, pid, sc);
		mkdir_p(sc->dir, 0755);
		/* --user: criu writes its images and logs as that user. */
		if (ctx->opts->user && chown(sc->dir, USER_UID, USER_GID))
			logf_(ctx->log, "zdtm: chown %s: %m", sc->dir);
		logf_(ctx->log, "zdtm: criu %s (round %d%s) of pid %d, images in %s", sc->call.action, st->iter,
		      st->retry ? ", retried without the fault" : "", tp->pid, sc->dir);
		blocks = *punched_dir(ctx, st, dir, sizeof(dir)) ? dedup_blocks(dir) : -1;
		if (st->script)
			script_reset(sc->dir);
		/* --freezecg: the tree in the job's cgroup, frozen or not, before each dump-type call. */
		if (st->freezecg && st->kind != STEP_RESTORE &&
		    freezecg_prepare(ctx->dir, tp->pid, st->freezecg == FREEZECG_FROZEN, why, sizeof(why))) {
			r->verdict = V_FAIL;
			snprintf(r->phase, sizeof(r->phase), "%s", step_action(st));
			snprintf(r->reason, sizeof(r->reason), "before %s %d: %s", step_action(st), st->dir, why);
			return -1;
		}
		if (st->migrate)
			mig->tree = tp->pid;
		rc = call_step(ctx, st, sc, mig, r);
		if (st->kind == STEP_RESTORE && ctx->inhfd)
			inhfd_handed(ctx->inhfd, rc == CRIU_OK);
		logf_(ctx->log, "zdtm: criu %s (round %d) ended", sc->call.action, st->iter);
		if (st->fault && i + 1 < n && steps[i + 1].retry) {
			if ((rc = faulted(ctx, tp, st, sc, rc, r)) < 0)
				return -1;
			if ((retry = rc == 1))
				continue;
		}
		if (rc == CRIU_UNCARRIED)
			return -1;   /* a SKIP: the test's option cannot go over RPC (criu.c) */
		if (st->kind == STEP_DUMP && test_has_flag(ctx->job->test, "crfail")) {
			if (expected_refusal(ctx, rc, r) < 0)
				return -1;
			/* --freezecg frozen: a refused dump leaves the cgroup frozen as criu found it; the
			 * test must run to take its SIGTERM. */
			if (st->freezecg && freezecg_thaw(ctx->dir, why, sizeof(why)))
				return step_failed(r, "dump", st, why);
			return 0;
		}
		if (rc || after_step(ctx, tp, st, sc, r) || punched(ctx, st, blocks, r))
			return -1;
	}
	return 0;
}

void cycle_run(struct job_ctx *ctx, struct result *r)
{
	struct flavor_setup fs;
	struct testproc tp;
	struct migration mig = { .pid = -1 };
	struct inhfd inhfd;
	struct extunix eu;
	char state[4200], why[300];
	double t0 = now_sec();
	int rc;

	if (flavor_prepare(ctx, &fs, r))
		return;
	logf_(ctx->log, "zdtm: flavor %s set up", flavor_name(ctx->job->flavor));
	if (extunix_start(&eu, ctx->job->test, fs.cwd, why, sizeof(why)) ||
	    inhfd_start(&inhfd, inhfd_kind(ctx->job->test), why, sizeof(why))) {
		extunix_close(&eu);
		r->verdict = V_BROKEN;
		snprintf(r->phase, sizeof(r->phase), "start");
		snprintf(r->reason, sizeof(r->reason), "%s", why);
		return;
	}
	ctx->inhfd = inhfd.kind != INHFD_NONE ? &inhfd : NULL;
	tp.inherit_fd = inhfd.theirs;
	rc = testproc_start(ctx, &fs, &tp, r);
	inhfd_handed(&inhfd, true);
	if (rc) {
		inhfd_close(&inhfd);
		extunix_close(&eu);
		return;
	}
	r->test = now_sec() - t0;
	logf_(ctx->log, "zdtm: test ready, pid %d", tp.pid);
	snprintf(state, sizeof(state), "%s/state.before", ctx->dir);
	if (!ctx->opts->nocr && !test_has_flag(ctx->job->test, "transition") &&
	    (state_snapshot(tp.pid, ctx->job->flavor != FL_H, state) ||
	     digest(ctx, &tp, "before", state, sizeof(state), r)))
		logf_(ctx->log, "zdtm: cannot write %s", state);
	if (run_steps(ctx, &fs, &tp, &mig, r)) {
		if (mig.pid > 0)
			proc_kill(mig.pid);
		testproc_kill(&tp);
		inhfd_close(&inhfd);
		extunix_close(&eu);
		return;
	}
	/* The message the test must find in the fd it holds (a reader gone is the test's to report). */
	if (ctx->inhfd && inhfd_say(&inhfd, why, sizeof(why)))
		logf_(ctx->log, "zdtm: %s", why);
	inhfd_close(&inhfd);
	ctx->inhfd = NULL;
	t0 = now_sec();
	testproc_stop(ctx, &tp, r);
	r->test += now_sec() - t0;
	/* What the test sent its external peer, before the dump and after the restore, must be there. */
	if (eu.fd >= 0 && r->verdict == V_PASS && extunix_check(&eu, why, sizeof(why))) {
		r->verdict = V_FAIL;
		snprintf(r->phase, sizeof(r->phase), "state");
		snprintf(r->reason, sizeof(r->reason), "%s", why);
	}
	extunix_close(&eu);
	logf_(ctx->log, "zdtm: verdict read");
}

void cycle_print(struct job_ctx *ctx, FILE *f)
{
	static struct step steps[MAX_STEPS];
	int n = steps_plan(ctx->opts, steps);
	struct flavor_setup fs;
	struct step_call sc, srv[MAX_SERVERS];

	flavor_describe(ctx, &fs);
	fprintf(f, "%s (%s): start %s, then\n", ctx->job->test->name, flavor_name(ctx->job->flavor), fs.exe);
	for (int i = 0; i < n; i++) {
		step_call(ctx, &fs, &steps[i], "PID", &sc);
		const char *prefix = steps[i].retry ? "if it failed: " : NULL;

		for (int k = 0, nsrv = server_calls(&steps[i], &sc, srv); k < nsrv; k++)
			criu_print(&srv[k].call, prefix, f);
		if (steps[i].stream)
			fprintf(f, "  %s --images-dir %s --progress-fd 3 %s %s %s/img.stream\n", ctx->opts->streamer, sc.dir,
				steps[i].kind == STEP_RESTORE ? "serve" : "capture",
				steps[i].kind == STEP_RESTORE ? "<" : ">", sc.dir);
		criu_print(&sc.call, prefix, f);
	}
	fprintf(f, "  SIGTERM PID, verdict from %s\n", fs.outfile);
}
