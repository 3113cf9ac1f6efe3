/*
 * The plan: which tests, in which flavors, and which jobs are skipped before
 * they start (and why). Skips decided here never start a process.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "runner.h"

static const char *const flavor_names[] = { [FL_H] = "h", [FL_NS] = "ns", [FL_UNS] = "uns" };

const char *flavor_name(enum flavor f)
{
	return f == FL_H || f == FL_NS || f == FL_UNS ? flavor_names[f] : "?";
}

int flavors_parse(const char *list, const char *seps)
{
	char buf[256], *save, *w;
	int mask = 0;

	snprintf(buf, sizeof(buf), "%s", list);
	for (w = strtok_r(buf, seps, &save); w; w = strtok_r(NULL, seps, &save)) {
		if (!strcmp(w, "h"))
			mask |= FL_H;
		else if (!strcmp(w, "ns"))
			mask |= FL_NS;
		else if (!strcmp(w, "uns"))
			mask |= FL_UNS;
		else
			return -1;
	}
	return mask;
}

/* Feature probes are slow (a criu run each): remember every answer for the run. */
struct feature_cache {
	char features[64][256];
	char missing[64][64];
	bool ok[64];
	int n;
};

static bool features_ok(struct feature_cache *fc, const struct engine *e, const char *features,
			char *missing, size_t len)
{
	for (int i = 0; i < fc->n; i++)
		if (!strcmp(fc->features[i], features)) {
			snprintf(missing, len, "%s", fc->missing[i]);
			return fc->ok[i];
		}
	bool ok = engine_has_features(e, features, missing, len);
	if (fc->n < 64) {
		snprintf(fc->features[fc->n], sizeof(fc->features[0]), "%s", features);
		snprintf(fc->missing[fc->n], sizeof(fc->missing[0]), "%s", ok ? "" : missing);
		fc->ok[fc->n++] = ok;
	}
	return ok;
}

static bool matches_any(const char *name, const char *const *res, int n)
{
	for (int i = 0; i < n; i++) {
		regex_t re;
		bool hit;

		if (regcomp(&re, res[i], REG_EXTENDED | REG_NOSUB))
			continue;   /* validated in check_regexes() */
		hit = !regexec(&re, name, 0, NULL, 0);
		regfree(&re);
		if (hit)
			return true;
	}
	return false;
}

static int check_regexes(const char *const *res, int n, const char *opt)
{
	for (int i = 0; i < n; i++) {
		regex_t re;
		char msg[256];
		int rc = regcomp(&re, res[i], REG_EXTENDED | REG_NOSUB);

		if (rc) {
			regerror(rc, &re, msg, sizeof(msg));
			fprintf(stderr, "zdtm: bad regular expression for %s '%s': %s\n", opt, res[i], msg);
			return -1;
		}
		regfree(&re);
	}
	return 0;
}

/* -t accepts the full name or a unique tail of it ("env00", "transition/fork"). */
static const struct test *resolve(const struct catalog *c, const char *name)
{
	const struct test *t = catalog_find(c, name), *found = NULL;

	if (t)
		return t;
	for (int i = 0; i < c->n; i++) {
		const char *full = c->tests[i].name;
		size_t lf = strlen(full), ln = strlen(name);

		if (ln < lf && full[lf - ln - 1] == '/' && !strcmp(full + lf - ln, name)) {
			if (found)
				return NULL;
			found = &c->tests[i];
		}
	}
	return found;
}

static bool selected(const struct test *t, const struct run_opts *o)
{
	if (o->all || matches_any(t->name, o->include, o->ninclude))
		return !matches_any(t->name, o->exclude, o->nexclude);
	return false;
}

static enum flavor best_flavor(unsigned mask)
{
	return mask & FL_UNS ? FL_UNS : mask & FL_NS ? FL_NS : FL_H;
}

/* Variations whose dumps are chained with --track-mem (see steps.c). */
static bool tracks_memory(const struct run_opts *o)
{
	return o->pre || (o->norst && o->iters > 1);
}

/* Whether a task without CAP_SYS_PTRACE in the initial user namespace (one in a user namespace of
 * its own) may open a userfaultfd that handles kernel faults too, as criu's lazy restore needs. */
static bool userns_uffd(void)
{
	char v[8];

	return read_text("/proc/sys/vm/unprivileged_userfaultfd", v, sizeof(v)) > 0 && v[0] == '1';
}

/* Why this job cannot run here, or "" when it can. */
static void skip_reason(struct job *j, bool explicit, const struct run_opts *o,
			const struct engine *e, struct feature_cache *fc)
{
	const struct test *t = j->test;
	char missing[64];

	if (!(t->flavors & j->flavor))
		snprintf(j->skip, sizeof(j->skip), "flavor %s not supported by the test", flavor_name(j->flavor));
	else if (o->stream && access(o->streamer, X_OK))
		snprintf(j->skip, sizeof(j->skip), "--stream: no image streamer at %s (criu-image-streamer, "
			 "or ours: make builds bin/zdtm-image-streamer)", o->streamer);
	else if (o->user && j->flavor != FL_H)
		snprintf(j->skip, sizeof(j->skip), "--user runs criu unprivileged, which dumps the h flavor only");
	else if (o->mntns_compat && j->flavor == FL_H)
		snprintf(j->skip, sizeof(j->skip), "--mntns-compat-mode restores a mount namespace; in h the test "
			 "has none of its own");
	else if (o->empty_ns && j->flavor == FL_H)
		snprintf(j->skip, sizeof(j->skip), "--empty-ns restores a test's own network namespace; in h the "
			 "test has none");
	else if (o->empty_ns && test_has_flag(t, "noemptyns"))
		snprintf(j->skip, sizeof(j->skip), "the test's state is in its network namespace, which --empty-ns "
			 "restores empty (noemptyns)");
	else if (o->freezecg && test_has_flag(t, "nofreezecg"))
		snprintf(j->skip, sizeof(j->skip), "the test keeps its tree in cgroup2 cgroups of its own or has criu "
			 "ignore cgroups; --freezecg moves the tree into the job's cgroup2 cgroup (nofreezecg)");
	else if (o->join_ns && j->flavor != FL_H)
		snprintf(j->skip, sizeof(j->skip), "--join-ns restores an h test into another network namespace; in "
			 "%s criu restores the test's own", flavor_name(j->flavor));
	else if (o->join_ns && test_has_flag(t, "samens"))
		snprintf(j->skip, sizeof(j->skip), "the test needs the network namespace it was dumped in (samens); "
			 "--join-ns restores it into another");
	else if (o->rootless && j->flavor != FL_H)
		snprintf(j->skip, sizeof(j->skip), "--rootless: an unprivileged criu (cap_checkpoint_restore, "
			 "cap_sys_ptrace) cannot make the namespaces of %s; h only, as in CRIU's CI", flavor_name(j->flavor));
	else if (o->rootless && (test_has_flag(t, "suid") || test_has_flag(t, "otheruid")))
		snprintf(j->skip, sizeof(j->skip), "the test needs real root (%s); --rootless runs it as uid %d, its "
			 "only uid", test_has_flag(t, "suid") ? "suid" : "otheruid", USER_UID);
	else if (o->rootless && cgroups_touched(t))
		snprintf(j->skip, sizeof(j->skip), "an unprivileged criu cannot manage cgroups (--manage-cgroups; "
			 "--rootless)");
	else if (o->user && test_has_flag(t, "suid"))
		snprintf(j->skip, sizeof(j->skip), "the test needs root (suid); --user runs it as uid %d", USER_UID);
	else if ((o->user || o->rootless) && test_has_flag(t, "nouser"))
		snprintf(j->skip, sizeof(j->skip), "an unprivileged criu cannot dump this state (nouser)");
	else if ((o->user || o->rootless) && !o->dry_run && !proc_user_can_exec(e->path))
		snprintf(j->skip, sizeof(j->skip), "%s: uid %d cannot execute %s (a parent directory is not "
			 "searchable)", o->user ? "--user" : "--rootless", USER_UID, e->path);
	else if ((o->user || o->rootless) && !o->dry_run && !proc_user_can_exec(t->path))
		snprintf(j->skip, sizeof(j->skip), "%s: uid %d cannot execute the test (a parent directory "
			 "is not searchable)", o->user ? "--user" : "--rootless", USER_UID);
	else if (!explicit && test_has_flag(t, "noauto"))
		snprintf(j->skip, sizeof(j->skip), "manual run only (noauto): select it with -t");
	else if (!e->uid_switch && !o->nocr && !o->user && j->flavor != FL_UNS && test_has_flag(t, "otheruid"))
		snprintf(j->skip, sizeof(j->skip), "the test takes other uids and criu lacks CAP_SYS_RESOURCE "
			 "here (it cannot prlimit such a task)");
	else if ((o->norst || o->nocr) && test_has_flag(t, "reqrst"))
		snprintf(j->skip, sizeof(j->skip), "needs a restore (reqrst) and %s runs none", o->nocr ? "--nocr" : "--norst");
	else if (!o->nocr && helpers_missing(t, j->flavor, j->skip, sizeof(j->skip)))
		;   /* helpers_missing() said which program */
	else if (!o->nocr && t->features[0] && !features_ok(fc, e, t->features, missing, sizeof(missing)))
		snprintf(j->skip, sizeof(j->skip), "missing criu feature %s", missing);
	else if (o->iters > 1 && test_has_flag(t, "onerestore"))
		snprintf(j->skip, sizeof(j->skip), "the test prepares what one restore consumes (onerestore); --iter %d "
			 "restores %d times", o->iters, o->iters);
	else if (o->stop && test_has_flag(t, "nostop"))
		snprintf(j->skip, sizeof(j->skip), "the test sees the SIGCONT that continues a stopped tree (nostop)");
	else if (o->lazy_migrate && j->flavor == FL_H)
		snprintf(j->skip, sizeof(j->skip), "--lazy-migrate: the dumped tree keeps its pids until its pages are "
			 "served, so only a restore into a new pid namespace (ns, uns) can run beside it");
	else if (o->lazy_pages && test_has_flag(t, "nolazy"))
		snprintf(j->skip, sizeof(j->skip), "the test cannot be restored lazily (nolazy)");
	else if (o->lazy_pages && !o->dry_run && !features_ok(fc, e, "uffd", missing, sizeof(missing)))
		snprintf(j->skip, sizeof(j->skip), "missing criu feature uffd, which --lazy-pages needs");
	else if (o->lazy_pages && (j->flavor == FL_UNS || o->rootless) && !userns_uffd())
		snprintf(j->skip, sizeof(j->skip), "--lazy-pages in a user namespace needs vm.unprivileged_userfaultfd "
			 "= 1 (0 here: the restored tree cannot open a userfaultfd)");
	else if (tracks_memory(o) && !o->dry_run && !features_ok(fc, e, "mem_dirty_track", missing, sizeof(missing)))
		snprintf(j->skip, sizeof(j->skip), "missing criu feature mem_dirty_track, which %s needs "
			 "(no soft-dirty bit in this kernel)", o->pre ? (o->snaps ? "--pre --snaps" : "--pre")
							       : "--norst --iter (a chain of dumps)");
}

/* A known failure of either criu counts: in a cross-version run the loss may be the dumper's or the
 * restorer's. */
static int known_for(const struct catalog *c, const struct job *j, const char *variation, const struct run_opts *o,
		     const struct engine *e, const struct engine *re, const struct known_failure **out, int n)
{
	n = catalog_known(c, j->test, flavor_name(j->flavor), variation, e->version, out, n, MAX_KNOWN_PER_JOB);
	if (re && !o->norst)
		n = catalog_known(c, j->test, flavor_name(j->flavor), variation, re->version, out, n,
				  MAX_KNOWN_PER_JOB);
	return n;
}

/* The variation words of entries for what only one variation brings ("lazy" for --lazy-pages), in
 * this order; none when the run is a plain cr or norst one. */
static int special_variations(const struct run_opts *o, const char **w)
{
	int n = 0;

	if (o->remote_lazy)
		w[n++] = "remote-lazy";
	if (o->lazy_migrate)
		w[n++] = "lazy-migrate";
	if (o->lazy_pages)
		w[n++] = "lazy";
	if (o->page_server)
		w[n++] = "page-server";
	if (o->criu_config)
		w[n++] = "config";
	if (o->fault)
		w[n++] = "fault";
	if (o->stop)
		w[n++] = "stop";
	if (o->dedup)
		w[n++] = "dedup";
	if (o->noauto_dedup)
		w[n++] = "noauto-dedup";
	if (o->pre_dump_mode)
		w[n++] = !strcmp(o->pre_dump_mode, "read") ? "pre-dump-read" : "pre-dump-splice";
	if (o->mntns_compat)
		w[n++] = "mntns-compat";
	if (o->join_ns)
		w[n++] = "join-ns";
	if (o->empty_ns)
		w[n++] = "empty-ns";
	if (o->tls)
		w[n++] = "tls";
	if (o->script)
		w[n++] = "script";
	if (o->freezecg)
		w[n++] = "freezecg";
	if (o->stream)
		w[n++] = "stream";
	if (o->rootless)
		w[n++] = "rootless";
	return n;
}

/* Under --user the entries for "user-cr" or "user-norst" (what only the unprivileged dump or the
 * user's test tree brings) come first; under variations of their own their entries ("lazy", ...)
 * come next; then the ordinary "cr" or "norst" ones: what criu loses in a plain cycle it loses
 * there too. */
static void known(const struct catalog *c, struct job *j, const struct run_opts *o, const struct engine *e,
		  const struct engine *re)
{
	const char *variation = o->norst ? "norst" : "cr", *special[16];
	int n = 0, nspecial = special_variations(o, special);
	char user[16];

	if (o->nocr)
		return;
	snprintf(user, sizeof(user), "user-%s", variation);
	if (o->user)
		n = known_for(c, j, user, o, e, re, j->known, n);
	for (int i = 0; i < nspecial; i++)
		n = known_for(c, j, special[i], o, e, re, j->known, n);
	known_for(c, j, variation, o, e, re, j->known, n);
}

static int add_jobs(struct plan *p, const struct catalog *c, const struct test *t, bool explicit,
		    const struct run_opts *o, const struct engine *e, const struct engine *re,
		    struct feature_cache *fc)
{
	unsigned want = o->best ? best_flavor(t->flavors) : o->flavors ? o->flavors : t->flavors;

	if (!catalog_describe((struct test *)t)) {
		fprintf(stderr, "zdtm: %s is not built (or its --describe fails); run 'make'\n", t->name);
		return -1;
	}
	for (enum flavor f = FL_H; f <= FL_UNS; f <<= 1) {
		if (!(want & f))
			continue;
		struct job *j = &p->jobs[p->n];

		memset(j, 0, sizeof(*j));
		j->test = t;
		j->flavor = f;
		j->index = p->n++;
		known(c, j, o, e, re);
		skip_reason(j, explicit, o, e, fc);
	}
	return 0;
}

int plan_build(struct plan *p, const struct catalog *c, const struct run_opts *o, const struct engine *e,
	       const struct engine *re)
{
	struct feature_cache *fc = calloc(1, sizeof(*fc));
	int rc = -1;

	p->n = 0;
	p->order = NULL;
	p->groups = NULL;
	p->ngroups = 0;
	p->jobs = calloc((c->n + o->ntests) * 3 + 1, sizeof(*p->jobs));
	if (!fc || !p->jobs || check_regexes(o->include, o->ninclude, "-T") ||
	    check_regexes(o->exclude, o->nexclude, "-x"))
		goto out;
	for (int i = 0; i < o->ntests; i++) {
		const struct test *t = resolve(c, o->tests[i]);

		if (!t) {
			fprintf(stderr, "zdtm: no test named '%s'\n", o->tests[i]);
			catalog_suggest(c, o->tests[i]);
			goto out;
		}
		if (add_jobs(p, c, t, true, o, e, re, fc))
			goto out;
	}
	for (int i = 0; i < c->n; i++)
		if (selected(&c->tests[i], o) && add_jobs(p, c, &c->tests[i], false, o, e, re, fc))
			goto out;
	if (!p->n) {
		fprintf(stderr, "zdtm: the selection matches no test (see 'zdtm list')\n");
		goto out;
	}
	if (o->shards && shard_keep(p, o))
		goto out;
	rc = 0;
out:
	free(fc);
	return rc;
}
