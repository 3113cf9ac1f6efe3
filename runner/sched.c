/*
 * Scheduling: every job runs in a sandbox of its own, a process cloned into
 * new mount, pid, net and ipc namespaces that is pid 1 there (it reaps every
 * orphan of its test). Up to -p jobs run at once; a test flagged "excl" runs
 * alone. The runner waits on pidfds and a signalfd only: no polling, no sleeps.
 * SIGINT/SIGTERM/SIGHUP stop the run: running jobs are killed (which takes
 * their namespaces and every process in them along) and reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "flavor.h"
#include "rootless.h"
#include "runner.h"

#define JOB_TIMEOUT_S 600   /* a whole job, scaled by --timeout-mul: the last line of defence */
#define MAX_RUNNING 64

struct running {
	const struct job *job;
	pid_t pid;
	int pidfd, result_fd;
	double deadline;
	char dir[4096];
};

struct sched {
	const struct plan *plan;
	const struct run_opts *opts;
	const struct engine *engine, *restore_engine;
	const char *rundir;
	struct result *results;
	struct running run[MAX_RUNNING];
	int nrun, next, done;
	double start;
	bool exclusive_running, stop;
	int cgroup_makers;   /* running jobs whose test makes cgroups (cgroups_touched): at most one */
	int cgroup_walkers;  /* running jobs whose dumps record other jobs' cgroups (cgroups_walked) */
	bool *started;     /* by job index: a member of a group that started already */
	struct hang_guard guard;
	struct run_end *end;
};

static void job_dir(const struct sched *s, const struct job *j, char *buf, size_t len)
{
	char name[128];

	snprintf(name, sizeof(name), "%s", j->test->name);
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	snprintf(buf, len, "%s/%03d-%s-%s", s->rundir, j->index, name, flavor_name(j->flavor));
}

/* A line in the job's log from the runner's side (the start and the end of its sandbox). */
static void job_log(const char *dir, const char *line)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/job.log", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		logf_(fd, "%s", line);
		close(fd);
	}
}

/* The job's init: pid 1 of its own namespaces. Never returns. */
static void job_init(struct sched *s, const struct job *j, const char *dir, int result_fd)
{
	struct job_ctx ctx = { .job = j, .opts = s->opts, .engine = s->engine, .restore_engine = s->restore_engine };
	struct result r = { .verdict = V_BROKEN, .phase = "sandbox" };
	sigset_t mask;
	char log[4200];

	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);   /* read through a signalfd when reaping (proc_reap_all) */
	sigprocmask(SIG_SETMASK, &mask, NULL);
	setpgid(0, 0);   /* Ctrl-C is the runner's to handle, not the job's */
	snprintf(ctx.dir, sizeof(ctx.dir), "%s", dir);
	ctx.rundir = s->rundir;
	snprintf(log, sizeof(log), "%s/job.log", dir);
	ctx.log = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	metrics_init(&r.m);
	r.wall = now_sec();
	/* --script's action script and --stream's streamer stay where they are, /tmp included. */
	const char *want[] = { s->opts->script, s->opts->stream ? s->opts->streamer : NULL,
			       s->restore_engine ? s->restore_engine->path : NULL };
	const char *keep[8] = { dir, j->test->path, s->engine->path };
	int nkeep = 3;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (want[i])
			keep[nkeep++] = want[i];

	int rootless = 0;   /* --rootless: 0 in the unprivileged child that runs the cycle, 1 in the init after it */

	if (sandbox_enter(dir, keep, ctx.log) == 0 &&
	    (!s->opts->rootless || (rootless = rootless_enter(dir, ctx.log, &r)) == 0)) {
		logf_(ctx.log, "zdtm: sandbox ready");
		cycle_run(&ctx, &r);
		sandbox_leaks(dir, keep, &r);
	}
	if (rootless == 1)
		_exit(0);   /* the child wrote the result */
	r.wall = now_sec() - r.wall;
	if (write(result_fd, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	_exit(0);
}

static int start_job(struct sched *s, const struct job *j)
{
	struct running *rn = &s->run[s->nrun];
	int p[2];
	pid_t pid;

	job_dir(s, j, rn->dir, sizeof(rn->dir));
	if (mkdir_p(rn->dir, 0755) || pipe2(p, O_CLOEXEC))
		return -1;
	job_log(rn->dir, "zdtm: job started");
	pid = syscall(SYS_clone, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | SIGCHLD,
		      NULL, NULL, NULL, NULL);
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		job_init(s, j, rn->dir, p[1]);
	}
	close(p[1]);
	rn->job = j;
	rn->pid = pid;
	rn->result_fd = p[0];
	rn->pidfd = syscall(SYS_pidfd_open, pid, 0);
	rn->deadline = now_sec() + JOB_TIMEOUT_S * s->opts->timeout_mul;
	s->exclusive_running |= test_has_flag(j->test, "excl");
	s->cgroup_makers += cgroups_touched(j->test);
	s->cgroup_walkers += cgroups_walked(s->opts, j->test);
	s->nrun++;
	return 0;
}

/* -v: the job's own story (its log and the test's output) under its report line. */
static void print_job_files(const char *dir)
{
	static const char *const files[] = { "job.log", "test/test.out", "test/test.out.inprogress",
					     "root/test/test.out", "root/test/test.out.inprogress" };
	char path[4200], buf[16384];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (read_text(path, buf, sizeof(buf)) > 0)
			printf("  --- %s ---\n%s", files[i], buf);
	}
}

/* What is kept of a finished job: everything when it failed (unless --keep-img never).
 * Returns true when the job's directory is still there. */
static bool tidy_job(const struct sched *s, const char *dir, enum verdict v)
{
	bool failed = v != V_PASS && v != V_SKIP && v != V_XFAIL;
	bool keep = s->opts->keep == KEEP_ALWAYS || (failed && s->opts->keep == KEEP_FAILED);
	char sub[4200];

	if (keep)
		return true;
	if (!s->opts->report_dir) {
		rm_rf(dir);
		return false;
	}
	snprintf(sub, sizeof(sub), "%s/img", dir);
	rm_rf(sub);
	snprintf(sub, sizeof(sub), "%s/test", dir);
	rm_rf(sub);
	return true;
}

/* The hang guard's one line, said at once and again at the end of the report. */
static void hang_says(char *why, size_t len)
{
	strncat(why, ": this criu hangs here; stopping (--no-hang-guard runs every job)", len - strlen(why) - 1);
	fprintf(stderr, "zdtm: %s\n", why);
}

static void finish_job(struct sched *s, int i, const char *why_killed)
{
	struct running *rn = &s->run[i];
	struct result *r = &s->results[rn->job->index];
	const struct test_group *g = rn->job->group;
	enum verdict verdict;
	bool kept;
	int status;

	if (why_killed)
		kill(rn->pid, SIGKILL);
	while (waitpid(rn->pid, &status, 0) < 0 && errno == EINTR)
		;
	job_log(rn->dir, "zdtm: job ended, its namespaces are gone");
	if (why_killed || read(rn->result_fd, r, sizeof(*r)) != sizeof(*r)) {
		char st[64];

		proc_status_str(status, st, sizeof(st));
		memset(r, 0, sizeof(*r));
		metrics_init(&r->m);
		r->verdict = why_killed && !strcmp(why_killed, "timeout") ? V_TIMEOUT : V_BROKEN;
		snprintf(r->phase, sizeof(r->phase), "job");
		snprintf(r->reason, sizeof(r->reason), "%s",
			 why_killed ? (r->verdict == V_TIMEOUT ? "the whole job ran out of time" : why_killed)
				    : "the job's init died without a result");
		if (!why_killed)
			snprintf(r->reason + strlen(r->reason), sizeof(r->reason) - strlen(r->reason), " (%s)", st);
	}
	/* Every process of the job is gone with its pid namespace: so go its cgroups, on every path. */
	if (cgroups_remove(rn->dir, -1)) {
		int err = errno;

		/* Said on stderr too: a cgroup left behind shows only at the end of make check. */
		job_log(rn->dir, "zdtm: some cgroups of the job could not be removed");
		fprintf(stderr, "zdtm: %s: some cgroups of the job could not be removed (%s)\n", rn->job->test->name,
			strerror(err));
	}
	known_judge(rn->job, r);
	if (s->opts->verbose)
		print_job_files(rn->dir);
	verdict = r->verdict;
	if (g) {   /* the group's own job: each member's result from it, before its files go */
		struct job_ctx ctx = { .job = rn->job, .opts = s->opts, .engine = s->engine,
				       .restore_engine = s->restore_engine };
		struct flavor_setup fs;

		snprintf(ctx.dir, sizeof(ctx.dir), "%s", rn->dir);
		flavor_describe(&ctx, &fs);
		group_judge(g, fs.outfile, s->results);
	}
	kept = tidy_job(s, rn->dir, verdict);
	for (int k = 0; k < (g ? g->n : 1); k++) {
		const struct job *j = g ? &s->plan->jobs[g->member[k]] : rn->job;
		struct result *jr = &s->results[j->index];

		if (kept)
			snprintf(jr->files, sizeof(jr->files), "%s", rn->dir);
		report_job(j, jr, kept ? jr->files : NULL);
	}
	if (test_has_flag(rn->job->test, "excl"))
		s->exclusive_running = false;
	s->cgroup_makers -= cgroups_touched(rn->job->test);
	s->cgroup_walkers -= cgroups_walked(s->opts, rn->job->test);
	if (verdict == V_FAIL || verdict == V_BROKEN || verdict == V_TIMEOUT)
		s->stop |= !s->opts->keep_going;
	if (!s->opts->no_hang_guard && !s->end->stopped[0] &&
	    hang_guard_feed(&s->guard, r, s->end->stopped, sizeof(s->end->stopped))) {
		hang_says(s->end->stopped, sizeof(s->end->stopped));
		s->stop = true;
	}
	close(rn->pidfd);
	close(rn->result_fd);
	s->run[i] = s->run[--s->nrun];
	s->done += g ? g->n : 1;
	report_progress(s->done, s->plan->n, now_sec() - s->start);
}

static void skip_job(struct sched *s, const struct job *j)
{
	struct result *r = &s->results[j->index];

	memset(r, 0, sizeof(*r));
	metrics_init(&r->m);
	r->verdict = V_SKIP;
	snprintf(r->reason, sizeof(r->reason), "%s", j->skip);
	report_job(j, r, NULL);
	s->done++;
}

/*
 * The next job to start, at s->next in the start order: the first one from there that may start
 * beside the running ones, moved up to s->next (the others keep their order). A job that makes
 * cgroups waits while any job that dumps cgroups runs, and a job that dumps them waits while one
 * that makes them runs: criu dumps every cgroup below the task's one, a hierarchy's root here, so
 * it would dump the other job's cgroups and make them again on restore, after that job removed
 * them (seen: an empty cpu cgroup of cgroup04 made by another cgroup test's restore; a pids
 * cgroup of cgroup00 made by a --freezecg job's restore).
 */
static bool cgroups_wait(const struct sched *s, const struct job *j)
{
	if (j->skip[0])
		return false;
	if (cgroups_touched(j->test))
		return s->cgroup_walkers > 0;
	return cgroups_walked(s->opts, j->test) && s->cgroup_makers > 0;
}

static const struct job *next_startable(struct sched *s)
{
	int *order = s->plan->order;

	for (int k = s->next; k < s->plan->n; k++) {
		const struct job *j = &s->plan->jobs[order ? order[k] : k];

		if (cgroups_wait(s, j))
			continue;
		if (k > s->next && order) {
			int idx = order[k];

			memmove(&order[s->next + 1], &order[s->next], (k - s->next) * sizeof(*order));
			order[s->next] = idx;
		}
		return k == s->next || order ? j : NULL;
	}
	return NULL;
}

/* Starts what may start now: skips at once, "excl" tests only on an idle runner. */
static void fill(struct sched *s)
{
	while (!s->stop && s->next < s->plan->n && !s->exclusive_running && s->nrun < s->opts->parallel) {
		const struct job *j = next_startable(s);

		if (!j)
			return;
		if (s->started[j->index]) {   /* ran with its group */
			s->next++;
			continue;
		}
		if (j->skip[0]) {
			skip_job(s, j);
			s->next++;
			continue;
		}
		if (test_has_flag(j->test, "excl") && s->nrun)
			return;
		if (j->group) {   /* the whole group, in one job */
			for (int k = 0; k < j->group->n; k++)
				s->started[j->group->member[k]] = true;
			j = &j->group->job;
		}
		if (start_job(s, j)) {
			fprintf(stderr, "zdtm: cannot start a sandbox for %s: %s\n", j->test->name, strerror(errno));
			s->stop = true;
			return;
		}
		s->next++;
	}
}

static int wait_events(struct sched *s, int sfd)
{
	struct pollfd pfd[MAX_RUNNING + 1];
	double now = now_sec(), first = now + 3600;
	int rc;

	for (int i = 0; i < s->nrun; i++) {
		pfd[i] = (struct pollfd){ .fd = s->run[i].pidfd, .events = POLLIN };
		if (s->run[i].deadline < first)
			first = s->run[i].deadline;
	}
	pfd[s->nrun] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	rc = poll(pfd, s->nrun + 1, (int)((first - now) * 1000) + 1);
	if (rc < 0 && errno != EINTR)
		return -1;
	if (pfd[s->nrun].revents) {
		struct signalfd_siginfo si;

		if (read(sfd, &si, sizeof(si)) > 0) {
			fprintf(stderr, "zdtm: %s: stopping the run\n", strsignal(si.ssi_signo));
			s->end->interrupted = s->stop = true;
		}
	}
	for (int i = s->nrun - 1; i >= 0; i--) {
		if (s->end->interrupted)
			finish_job(s, i, "interrupted");
		else if (pfd[i].revents)
			finish_job(s, i, NULL);
		else if (now_sec() > s->run[i].deadline)
			finish_job(s, i, "timeout");
	}
	/* The hang guard tripped: what still runs waits on the same criu. */
	while (s->end->stopped[0] && s->nrun)
		finish_job(s, s->nrun - 1, "stopped: the run stopped, criu hangs here");
	return 0;
}

int sched_run(const struct plan *p, const struct run_opts *o, const struct engine *e,
	      const struct engine *restore_engine, const char *rundir, struct result *results,
	      struct run_end *end)
{
	struct sched s = { .plan = p, .opts = o, .engine = e, .restore_engine = restore_engine,
			   .rundir = rundir, .results = results, .end = end,
			   .start = now_sec() };
	sigset_t set, old;
	int sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	s.started = calloc(p->n + 1, sizeof(*s.started));
	if (s.opts->parallel > MAX_RUNNING || !s.started)
		return -1;
	for (fill(&s); s.nrun; fill(&s))
		if (wait_events(&s, sfd))
			break;
	free(s.started);
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	/* Stopped at its first failures before the guard could trip: still say when they were all one hang. */
	if (s.stop && !end->interrupted && !end->stopped[0] && !o->no_hang_guard &&
	    hang_guard_all_hung(&s.guard, end->stopped, sizeof(end->stopped)))
		hang_says(end->stopped, sizeof(end->stopped));
	return s.done;
}
