/*
 * The variations, as a list of criu calls. For each --iter round:
 *   --pre N      N times `criu pre-dump` (--snaps: `criu dump --leave-running`), each chained to the
 *                one before with --prev-images-dir and --track-mem,
 *   the dump     chained to the last pre-step; --leave-running with --norst,
 *   the restore  from the dump's images, unless --norst.
 * A restore ends a chain (the restored tree has fresh memory tracking); with --norst the chain runs
 * on across rounds, as the tree does. --page-server applies to every dump-type call.
 * --tls: the dump-type calls' page-server connections (each call and its server) over TLS.
 * --lazy-pages: every restore is lazy (a lazy-pages daemon serves its pages).
 * --remote-lazy-pages: ... and the daemon reads them from a page server started on the images.
 * --lazy-migrate: ... from the dump, which stays up (the tree seized) to serve them.
 * --stop: the dump and the restore leave the tree stopped (pre-steps leave it running anyway).
 * --dedup: every dump-type call and restore with --auto-dedup: a chained dump punches what it
 *              writes again out of its parent's pages, a restore the pages it has read.
 * --pre-dump-mode M: every dump-type call (pre-dumps read pages by it, dumps take it and ignore it).
 * --mntns-compat-mode: every restore with criu's old mount engine.
 * --join-ns: every restore joins the run's network namespace.
 * --empty-ns: every call with --empty-ns net; restores with the action script that sets it up.
 * --script PATH: every call (not criu dedup) with the user's action script and our recorder.
 * --freezecg STATE: every call (not criu dedup) with --manage-cgroups, dump-type ones with
 *              --freeze-cgroup of the job's cgroup.
 * --noauto-dedup: `criu dedup` on each chained dump-type call's images, after it (it punches the
 *              parent's pages that the dump holds again).
 * --crit: after every dump-type call, its images through crit and back, and crit's ps of them.
 * --preload-libfault: every dump-type call and restore with LD_PRELOAD of our short-pread library.
 * --stream: every dump and restore with --stream, an image streamer capturing or serving the images.
 * Attributes of every call: --criu-config (options through a config file); --fault N (the call runs
 * with CRIU_FAULT=N; a fatal fault, N < 128, is followed by a retry of the same call without it,
 * which runs when the faulted call failed).
 */
#include "steps.h"

const char *step_action(const struct step *s)
{
	return s->kind == STEP_PRE_DUMP ? "pre-dump" : s->kind == STEP_RESTORE ? "restore" :
	       s->kind == STEP_DEDUP ? "dedup" : "dump";
}

/* What every step of the variation carries, whatever its kind. */
static struct step common(const struct run_opts *o, struct step st)
{
	st.config = o->criu_config;
	st.fault = st.kind == STEP_DEDUP ? 0 : o->fault;   /* criu dedup has no fault point */
	st.libfault = o->preload_libfault && st.kind != STEP_DEDUP;
	st.crit = o->crit && st.kind != STEP_DEDUP && st.kind != STEP_RESTORE;
	st.stream = o->stream && (st.kind == STEP_DUMP || st.kind == STEP_RESTORE);
	if (st.kind != STEP_DEDUP)
		st.auto_dedup = o->dedup;
	if (st.kind != STEP_DEDUP && st.kind != STEP_RESTORE)
		st.pre_dump_mode = o->pre_dump_mode;
	if (st.kind != STEP_DEDUP) {
		st.empty_ns = o->empty_ns;
		st.script = o->script;
		st.freezecg = o->freezecg;
	}
	st.tls = o->tls && (st.page_server || st.remote || st.migrate);
	/* What the call punches: a restore its own images; a chained dump (with --auto-dedup) or a
	 * dedup the parent's. */
	if (st.kind == STEP_DEDUP || (st.auto_dedup && st.kind != STEP_RESTORE))
		st.punches = st.prev;
	else if (st.auto_dedup && !st.lazy)   /* a lazy restore's pages are read by its daemon */
		st.punches = st.dir;
	return st;
}

static int add(const struct run_opts *o, struct step *s, int n, struct step st)
{
	st = common(o, st);
	if (n < MAX_STEPS)
		s[n++] = st;
	if (st.fault && st.fault < FAULT_NONFATAL && n < MAX_STEPS) {
		st.fault = 0;
		st.retry = true;
		s[n++] = st;
	}
	return n;
}

/* --noauto-dedup: `criu dedup` of the dump-type call just added, when it has a parent. */
static int dedup(const struct run_opts *o, struct step *s, int n, int iter, int dir, int prev)
{
	if (!o->noauto_dedup || !prev)
		return n;
	return add(o, s, n, (struct step){ .kind = STEP_DEDUP, .iter = iter, .dir = dir, .prev = prev });
}

int steps_plan(const struct run_opts *o, struct step *s)
{
	int n = 0, dir = 0, chain = 0;

	if (o->nocr)
		return 0;
	for (int i = 1; i <= o->iters; i++) {
		for (int k = 0; k < o->pre; k++) {
			n = add(o, s, n, (struct step){ .kind = o->snaps ? STEP_SNAPSHOT : STEP_PRE_DUMP, .iter = i,
						     .dir = ++dir, .prev = chain, .leave_running = o->snaps,
						     .page_server = o->page_server });
			n = dedup(o, s, n, i, dir, chain);
			chain = dir;
		}
		n = add(o, s, n, (struct step){ .kind = STEP_DUMP, .iter = i, .dir = ++dir, .prev = chain,
					     .leave_running = o->norst, .page_server = o->page_server,
					     .leave_stopped = o->stop, .migrate = o->lazy_migrate });
		n = dedup(o, s, n, i, dir, chain);
		chain = dir;
		if (o->norst)
			continue;
		n = add(o, s, n, (struct step){ .kind = STEP_RESTORE, .iter = i, .dir = dir, .lazy = o->lazy_pages,
					     .remote = o->remote_lazy || o->lazy_migrate, .serve_images = o->remote_lazy,
					     .leave_stopped = o->stop, .mntns_compat = o->mntns_compat,
					     .join_ns = o->join_ns });
		chain = 0;
	}
	return n;
}
