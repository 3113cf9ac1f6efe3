/*
 * The criu command line of each step of the plan (steps.c), and of the server started for it:
 * what runs (cycle.c) and what --dry-run prints come from here.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "emptyns.h"
#include "freezecg.h"
#include "inhfd.h"
#include "joinns.h"
#include "script.h"
#include "stepcall.h"
#include "tls.h"

static void add_args(const char **args, int *n, const char *const *extra)
{
	while (*extra && *n < 47)
		args[(*n)++] = *extra++;
	args[*n] = NULL;
}

/* LD_PRELOAD=PATH of libzdtm-fault.so, which is built beside the runner. */
static void libfault_path(char *buf, size_t len)
{
	char dir[4096];

	runner_dir(dir, sizeof(dir), 0);
	snprintf(buf, len, "LD_PRELOAD=%s/libzdtm-fault.so", dir);
}

/* --script: the user's script, then the recorder, at every stage (script.c). */
static void script_args(const struct job_ctx *ctx, const struct step *st, struct step_call *sc, int *n)
{
	if (!st->script)
		return;
	script_recorder(ctx->rundir, sc->record, sizeof(sc->record));
	add_args(sc->args, n, (const char *const[]){ "--action-script", st->script, "--action-script", sc->record,
						     NULL });
}

static void restore_args(const struct job_ctx *ctx, const struct flavor_setup *fs, const struct step *st,
			 struct step_call *sc, int n)
{
	char path[4200];

	sc->call.engine = ctx->restore_engine ? ctx->restore_engine : ctx->engine;
	snprintf(sc->pidfile, sizeof(sc->pidfile), "%s/restore.pid", sc->dir);
	add_args(sc->args, &n, (const char *const[]){ "--restore-detached", "--pidfile", sc->pidfile, NULL });
	/* --sibling: the tree becomes a child of criu's parent (this job's init), not of criu. */
	if (ctx->opts->sibling)
		add_args(sc->args, &n, (const char *const[]){ "--restore-sibling", NULL });
	if (st->lazy)
		add_args(sc->args, &n, (const char *const[]){ "--lazy-pages", NULL });
	if (st->leave_stopped)
		add_args(sc->args, &n, (const char *const[]){ "--leave-stopped", NULL });
	/* The original's cgroup02: the tree's pids cgroup comes back as newroot, a child of the job's own
	 * top cgroup (cgroups.c names it and removes it), its empty children under it. */
	if (test_has_flag(ctx->job->test, "cgroup-root")) {
		const char *base = strrchr(ctx->job->test->name, '/');
		unsigned long ino = cgroups_job_ino(ctx->dir);
		char num[24] = "INO";   /* --dry-run: no job directory */

		if (ino)
			snprintf(num, sizeof(num), "%lu", ino);
		snprintf(sc->cgroot, sizeof(sc->cgroot), "pids:/zdtm-%s-%s/newroot", base ? base + 1 : ctx->job->test->name,
			 num);
		add_args(sc->args, &n, (const char *const[]){ "--cgroup-root", sc->cgroot, NULL });
	}
	if (st->auto_dedup)
		add_args(sc->args, &n, (const char *const[]){ "--auto-dedup", NULL });
	if (st->mntns_compat)
		add_args(sc->args, &n, (const char *const[]){ "--mntns-compat-mode", NULL });
	if (st->join_ns) {
		joinns_path(ctx->rundir, path, sizeof(path));
		snprintf(sc->join_ns, sizeof(sc->join_ns), "net:%s", path);
		add_args(sc->args, &n, (const char *const[]){ "--join-ns", sc->join_ns, NULL });
	}
	if (st->empty_ns) {
		emptyns_script(ctx->rundir, sc->script, sizeof(sc->script));
		add_args(sc->args, &n, (const char *const[]){ "--empty-ns", "net", "--action-script", sc->script, NULL });
	}
	script_args(ctx, st, sc, &n);
	if (st->freezecg)
		add_args(sc->args, &n, (const char *const[]){ "--manage-cgroups", NULL });
	/* A test with an inherited fd: criu's fd 3, a fresh end of the runner's pair, takes the place of
	 * the dumped one (inhfd.c renews the pair before the call). */
	if (inhfd_kind(ctx->job->test) != INHFD_NONE) {
		snprintf(sc->inherit, sizeof(sc->inherit), "fd[3]:%s", ctx->inhfd ? ctx->inhfd->name :
			 inhfd_kind(ctx->job->test) == INHFD_PIPE ? "pipe:[INO]" : "socket:[INO]");
		add_args(sc->args, &n, (const char *const[]){ "--inherit-fd", sc->inherit, NULL });
		sc->call.inherit = ctx->inhfd != NULL;
		sc->call.inherit_fd = ctx->inhfd ? ctx->inhfd->theirs : -1;
	}
	add_args(sc->args, &n, (const char *const *)fs->restore_args);
	sc->call.phase_opts = ctx->job->test->ropts;
}

/* --tls: both ends of the page-server connection with the run's CA, certificate and key (tls.c),
 * whose paths step_call put in sc->tls. */
static void tls_args(const struct step *st, struct step_call *sc, int *n)
{
	if (st->tls)
		add_args(sc->args, n, (const char *const[]){ "--tls", "--tls-cacert", sc->tls[0], "--tls-cert",
							     sc->tls[1], "--tls-key", sc->tls[2], NULL });
}

void step_call(const struct job_ctx *ctx, const struct flavor_setup *fs, const struct step *st, const char *pid,
	       struct step_call *sc)
{
	const struct run_opts *o = ctx->opts;
	int n = 0;

	memset(sc, 0, sizeof(*sc));
	snprintf(sc->dir, sizeof(sc->dir), "%s/img/%d", ctx->dir, st->dir);
	tls_path(ctx->rundir, TLS_CA, sc->tls[0], sizeof(sc->tls[0]));
	tls_path(ctx->rundir, TLS_CERT, sc->tls[1], sizeof(sc->tls[1]));
	tls_path(ctx->rundir, TLS_KEY, sc->tls[2], sizeof(sc->tls[2]));
	sc->call = (struct criu_call){ .engine = ctx->engine, .test = ctx->job->test, .action = step_action(st),
				       .imgdir = sc->dir, .args = sc->args, .timeout_mul = o->timeout_mul,
				       .unprivileged = (o->user && st->kind != STEP_RESTORE) || o->rootless,
				       .as_user = o->user && st->kind != STEP_RESTORE, .config = st->config,
				       .rpc = o->rpc && st->kind != STEP_DEDUP };
	if (st->libfault) {
		libfault_path(sc->preload, sizeof(sc->preload));
		sc->call.preload = sc->preload;
	}
	if (st->fault) {
		snprintf(sc->env, sizeof(sc->env), "CRIU_FAULT=%d", st->fault);
		sc->call.env = sc->env;
	}
	if (st->stream)
		add_args(sc->args, &n, (const char *const[]){ "--stream", NULL });
	/* --user, as in the original zdtm: the user checkpoints its own tree; the restore runs as root
	 * (criu 4.2.1 restoring unprivileged fails here at its last step, setresgid EPERM). */
	if (st->kind == STEP_RESTORE) {
		restore_args(ctx, fs, st, sc, n);
		return;
	}
	/* --noauto-dedup: criu finds the parent by the images' "parent" link; it takes no other option. */
	if (st->kind == STEP_DEDUP) {
		sc->args[0] = NULL;
		return;
	}
	add_args(sc->args, &n, (const char *const[]){ "--tree", pid, "--timeout", "10", NULL });
	if (st->leave_running)
		add_args(sc->args, &n, (const char *const[]){ "--leave-running", NULL });
	if (st->leave_stopped)
		add_args(sc->args, &n, (const char *const[]){ "--leave-stopped", NULL });
	if (st->prev || st->kind == STEP_SNAPSHOT) {
		snprintf(sc->prev, sizeof(sc->prev), "../%d", st->prev);
		if (st->prev)
			add_args(sc->args, &n, (const char *const[]){ "--prev-images-dir", sc->prev, NULL });
		add_args(sc->args, &n, (const char *const[]){ "--track-mem", NULL });
	}
	if (st->page_server)
		add_args(sc->args, &n, (const char *const[]){ "--page-server", "--address", "127.0.0.1",
							       "--port", PAGE_SERVER_PORT, NULL });
	/* --lazy-migrate: the dump listens for the lazy-pages daemon; ready once all but the pages is
	 * dumped (cycle.c starts it as a server). */
	if (st->migrate)
		add_args(sc->args, &n, (const char *const[]){ "--lazy-pages", "--port", PAGE_SERVER_PORT,
							       "--status-fd", "3", NULL });
	tls_args(st, sc, &n);
	if (st->auto_dedup)
		add_args(sc->args, &n, (const char *const[]){ "--auto-dedup", NULL });
	if (st->pre_dump_mode)
		add_args(sc->args, &n, (const char *const[]){ "--pre-dump-mode", st->pre_dump_mode, NULL });
	if (st->empty_ns)
		add_args(sc->args, &n, (const char *const[]){ "--empty-ns", "net", NULL });
	script_args(ctx, st, sc, &n);
	/* An inherited socket: its peer, the runner's end, is outside the tree (and in ns, uns outside
	 * the test's network namespace), so criu is told it is external. */
	if (inhfd_kind(ctx->job->test) == INHFD_SOCKET) {
		snprintf(sc->external, sizeof(sc->external), "unix[%s]", ctx->inhfd ? ctx->inhfd->ino : "INO");
		add_args(sc->args, &n, (const char *const[]){ "--external", sc->external, NULL });
	}
	if (st->freezecg) {
		freezecg_path(ctx->dir, sc->cgroup, sizeof(sc->cgroup));
		add_args(sc->args, &n, (const char *const[]){ "--freeze-cgroup", sc->cgroup, "--manage-cgroups", NULL });
	}
	add_args(sc->args, &n, (const char *const *)fs->dump_args);
	sc->call.phase_opts = ctx->job->test->dopts;
}

/* A background criu of the step: its call is the step's, with another action and no fault. */
static struct step_call *server(const struct step_call *sc, struct step_call *srv, const char *action)
{
	*srv = *sc;
	srv->call.action = action;
	srv->call.args = srv->args;
	srv->call.phase_opts = NULL;
	srv->call.env = NULL;   /* a fault is injected into the step's own call */
	srv->call.preload = NULL;
	srv->call.inherit = false;
	srv->call.rpc = false;   /* libcriu cannot start a page server or a lazy-pages daemon */
	return srv;
}

int server_calls(const struct step *st, const struct step_call *sc, struct step_call srv[MAX_SERVERS])
{
	struct step_call *s;
	int nsrv = 0, n = 0;

	if (st->kind != STEP_RESTORE && st->page_server) {
		s = server(sc, &srv[nsrv++], "page-server");
		add_args(s->args, &n, (const char *const[]){ "--port", PAGE_SERVER_PORT, NULL });
		if (st->auto_dedup)
			add_args(s->args, &n, (const char *const[]){ "--auto-dedup", NULL });
		tls_args(st, s, &n);
		add_args(s->args, &n, (const char *const[]){ "--status-fd", "3", NULL });
	}
	if (st->kind != STEP_RESTORE || !st->lazy)
		return nsrv;
	/* --remote-lazy-pages: a page server on the images, for the daemon below. */
	if (st->serve_images) {
		s = server(sc, &srv[nsrv++], "page-server");
		add_args(s->args, &n, (const char *const[]){ "--lazy-pages", "--port", PAGE_SERVER_PORT, NULL });
		tls_args(st, s, &n);
		add_args(s->args, &n, (const char *const[]){ "--status-fd", "3", NULL });
	}
	s = server(sc, &srv[nsrv++], "lazy-pages");
	n = 0;
	if (st->remote)
		add_args(s->args, &n, (const char *const[]){ "--page-server", "--address", "127.0.0.1", "--port",
							     PAGE_SERVER_PORT, NULL });
	tls_args(st, s, &n);
	add_args(s->args, &n, (const char *const[]){ "--status-fd", "3", NULL });
	return nsrv;
}
