/* `zdtm run` options. Every bad input is a message and -1 (exit code 2), never a guess. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner.h"

enum {
	OPT_CRIU_BIN = 256, OPT_NOCR, OPT_NORST, OPT_KEEP_GOING, OPT_KEEP_IMG, OPT_REPORT,
	OPT_ITER, OPT_TIMEOUT_MUL, OPT_PRE, OPT_SNAPS, OPT_PAGE_SERVER, OPT_SIBLING, OPT_DRY_RUN, OPT_USER, OPT_JSON, OPT_TAP, OPT_JUNIT, OPT_SHARD, OPT_CRIU_BIN_RESTORE,
	OPT_DURATIONS, OPT_STATS, OPT_NO_HANG_GUARD, OPT_HTML, OPT_LAZY_PAGES, OPT_CRIU_CONFIG, OPT_FAULT, OPT_STOP, OPT_TLS,
	OPT_DEDUP, OPT_NOAUTO_DEDUP, OPT_PRE_DUMP_MODE, OPT_MNTNS_COMPAT, OPT_JOIN_NS, OPT_EMPTY_NS, OPT_SCRIPT, OPT_FREEZECG,
	OPT_REMOTE_LAZY, OPT_LAZY_MIGRATE, OPT_PRELOAD_LIBFAULT, OPT_CRIT, OPT_RPC, OPT_SET, OPT_STREAM, OPT_STREAMER,
	OPT_ROOTLESS,
};

static const struct option long_opts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "test", required_argument, NULL, 't' },
	{ "tests", required_argument, NULL, 'T' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "flavor", required_argument, NULL, 'f' },
	{ "parallel", required_argument, NULL, 'p' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "criu-bin", required_argument, NULL, OPT_CRIU_BIN },
	{ "criu-bin-restore", required_argument, NULL, OPT_CRIU_BIN_RESTORE },
	{ "nocr", no_argument, NULL, OPT_NOCR },
	{ "norst", no_argument, NULL, OPT_NORST },
	{ "iter", required_argument, NULL, OPT_ITER },
	{ "pre", required_argument, NULL, OPT_PRE },
	{ "snaps", no_argument, NULL, OPT_SNAPS },
	{ "page-server", no_argument, NULL, OPT_PAGE_SERVER },
	{ "sibling", no_argument, NULL, OPT_SIBLING },
	{ "lazy-pages", no_argument, NULL, OPT_LAZY_PAGES },
	{ "remote-lazy-pages", no_argument, NULL, OPT_REMOTE_LAZY },
	{ "lazy-migrate", no_argument, NULL, OPT_LAZY_MIGRATE },
	{ "preload-libfault", no_argument, NULL, OPT_PRELOAD_LIBFAULT },
	{ "crit", no_argument, NULL, OPT_CRIT },
	{ "rpc", no_argument, NULL, OPT_RPC },
	{ "tls", no_argument, NULL, OPT_TLS },
	{ "criu-config", no_argument, NULL, OPT_CRIU_CONFIG },
	{ "fault", required_argument, NULL, OPT_FAULT },
	{ "stop", no_argument, NULL, OPT_STOP },
	{ "dedup", no_argument, NULL, OPT_DEDUP },
	{ "noauto-dedup", no_argument, NULL, OPT_NOAUTO_DEDUP },
	{ "pre-dump-mode", required_argument, NULL, OPT_PRE_DUMP_MODE },
	{ "mntns-compat-mode", no_argument, NULL, OPT_MNTNS_COMPAT },
	{ "join-ns", no_argument, NULL, OPT_JOIN_NS },
	{ "empty-ns", no_argument, NULL, OPT_EMPTY_NS },
	{ "script", required_argument, NULL, OPT_SCRIPT },
	{ "freezecg", required_argument, NULL, OPT_FREEZECG },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "user", no_argument, NULL, OPT_USER },
	{ "rootless", no_argument, NULL, OPT_ROOTLESS },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "tap", required_argument, NULL, OPT_TAP },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "durations", required_argument, NULL, OPT_DURATIONS },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "no-hang-guard", no_argument, NULL, OPT_NO_HANG_GUARD },
	{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
	{ "keep-img", required_argument, NULL, OPT_KEEP_IMG },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "timeout-mul", required_argument, NULL, OPT_TIMEOUT_MUL },
	{ "set", required_argument, NULL, OPT_SET },
	{ "stream", no_argument, NULL, OPT_STREAM },
	{ "criu-image-streamer", required_argument, NULL, OPT_STREAMER },
	{ "group-max", required_argument, NULL, 'm' },
	{ 0 }
};

static int add(const char **list, int *n, const char *v, const char *what)
{
	if (*n >= MAX_SELECT) {
		fprintf(stderr, "zdtm: too many %s (at most %d)\n", what, MAX_SELECT);
		return -1;
	}
	list[(*n)++] = v;
	return 0;
}

static int parse_int(const char *v, int lo, int hi, const char *opt, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < lo || n > hi) {
		fprintf(stderr, "zdtm: %s wants a whole number from %d to %d, not '%s'\n", opt, lo, hi, v);
		return -1;
	}
	*out = n;
	return 0;
}

static int parse_flavors(const char *v, struct run_opts *o)
{
	int mask;

	if (!strcmp(v, "best")) {
		o->best = true;
		return 0;
	}
	mask = flavors_parse(v, ",");
	if (mask <= 0) {
		fprintf(stderr, "zdtm: -f wants a comma list of h, ns, uns, or 'best', not '%s'\n", v);
		return -1;
	}
	o->flavors = mask;
	return 0;
}

static int parse_keep(const char *v, struct run_opts *o)
{
	if (!strcmp(v, "failed"))
		o->keep = KEEP_FAILED;
	else if (!strcmp(v, "always"))
		o->keep = KEEP_ALWAYS;
	else if (!strcmp(v, "never"))
		o->keep = KEEP_NEVER;
	else {
		fprintf(stderr, "zdtm: --keep-img wants always, never or failed, not '%s'\n", v);
		return -1;
	}
	return 0;
}

static int parse_shard(const char *v, struct run_opts *o)
{
	int i, n, end = 0;

	if (!strcmp(v, "auto"))
		return shard_from_ci(&o->shard, &o->shards);
	if (sscanf(v, "%d/%d%n", &i, &n, &end) != 2 || v[end] || n < 1 || n > 1000 || i < 1 || i > n) {
		fprintf(stderr, "zdtm: --shard wants I/N with 1 <= I <= N, not '%s'\n", v);
		return -1;
	}
	o->shard = i;
	o->shards = n;
	return 0;
}

static int parse_timeout_mul(const char *v, struct run_opts *o)
{
	char *end;
	double m = strtod(v, &end);

	if (!*v || *end || m < 0.01 || m > 100) {
		fprintf(stderr, "zdtm: --timeout-mul wants a number from 0.01 to 100, not '%s'\n", v);
		return -1;
	}
	o->timeout_mul = m;
	return 0;
}

static int parse_pre_dump_mode(const char *v, struct run_opts *o)
{
	if (strcmp(v, "splice") && strcmp(v, "read")) {
		fprintf(stderr, "zdtm: --pre-dump-mode wants splice or read, not '%s'\n", v);
		return -1;
	}
	o->pre_dump_mode = v;
	return 0;
}

/* --script PATH: an executable file, by its absolute path (criu runs it from the images dir). */
static int parse_script(const char *v, struct run_opts *o)
{
	static char path[PATH_MAX];
	struct stat s;

	if (!realpath(v, path) || stat(path, &s) || access(path, X_OK)) {
		fprintf(stderr, "zdtm: --script wants an executable file, not '%s': %s\n", v, strerror(errno));
		return -1;
	}
	if (!S_ISREG(s.st_mode)) {
		fprintf(stderr, "zdtm: --script wants an executable file, not '%s': not a regular file\n", v);
		return -1;
	}
	o->script = path;
	return 0;
}

/* --freezecg frozen|thawed. Not criu's zdtm PATH:STATE: each job has a cgroup of its own (parallel
 * jobs cannot share one freezer), which the runner makes and removes. */
static int parse_freezecg(const char *v, struct run_opts *o)
{
	if (strchr(v, ':')) {
		fprintf(stderr, "zdtm: --freezecg wants frozen or thawed, not '%s': the runner makes each job's "
				"cgroup itself, no PATH\n", v);
		return -1;
	}
	if (strcmp(v, "frozen") && strcmp(v, "thawed")) {
		fprintf(stderr, "zdtm: --freezecg wants frozen or thawed, not '%s'\n", v);
		return -1;
	}
	o->freezecg = v[0] == 'f' ? FREEZECG_FROZEN : FREEZECG_THAWED;
	return 0;
}

static int one_option(int c, struct run_opts *o)
{
	switch (c) {
	case 'a': o->all = true; return 0;
	case 't': return add(o->tests, &o->ntests, optarg, "-t");
	case 'T': return add(o->include, &o->ninclude, optarg, "-T");
	case 'x': return add(o->exclude, &o->nexclude, optarg, "-x");
	case 'f': return parse_flavors(optarg, o);
	case 'p': return parse_int(optarg, 1, 64, "-p", &o->parallel);
	case 'v': o->verbose = true; return 0;
	case OPT_CRIU_BIN: o->criu_bin = optarg; return 0;
	case OPT_CRIU_BIN_RESTORE: o->criu_bin_restore = optarg; return 0;
	case OPT_NOCR: o->nocr = true; return 0;
	case OPT_NORST: o->norst = true; return 0;
	case OPT_ITER: return parse_int(optarg, 1, 1000, "--iter", &o->iters);
	case OPT_PRE: return parse_int(optarg, 0, 100, "--pre", &o->pre);
	case OPT_SNAPS: o->snaps = true; return 0;
	case OPT_PAGE_SERVER: o->page_server = true; return 0;
	case OPT_TLS: o->tls = true; return 0;
	case OPT_SIBLING: o->sibling = true; return 0;
	case OPT_LAZY_PAGES: o->lazy_pages = true; return 0;
	/* The remote lazy modes are lazy restores too: every --lazy-pages rule (nolazy, uffd) holds. */
	case OPT_REMOTE_LAZY: o->lazy_pages = o->remote_lazy = true; return 0;
	case OPT_LAZY_MIGRATE: o->lazy_pages = o->lazy_migrate = true; return 0;
	case OPT_PRELOAD_LIBFAULT: o->preload_libfault = true; return 0;
	case OPT_CRIT: o->crit = true; return 0;
	case OPT_RPC: o->rpc = true; return 0;
	case OPT_CRIU_CONFIG: o->criu_config = true; return 0;
	case OPT_STOP: o->stop = true; return 0;
	case OPT_DEDUP: o->dedup = true; return 0;
	case OPT_NOAUTO_DEDUP: o->noauto_dedup = true; return 0;
	case OPT_PRE_DUMP_MODE: return parse_pre_dump_mode(optarg, o);
	case OPT_MNTNS_COMPAT: o->mntns_compat = true; return 0;
	case OPT_JOIN_NS: o->join_ns = true; return 0;
	case OPT_EMPTY_NS: o->empty_ns = true; return 0;
	case OPT_SCRIPT: return parse_script(optarg, o);
	case OPT_FREEZECG: return parse_freezecg(optarg, o);
	case OPT_FAULT: return parse_int(optarg, 1, 1000, "--fault", &o->fault);
	case OPT_DRY_RUN: o->dry_run = true; return 0;
	case OPT_USER: o->user = true; return 0;
	case OPT_ROOTLESS: o->rootless = true; return 0;
	case OPT_JSON: o->json = optarg; return 0;
	case OPT_TAP: o->tap = optarg; return 0;
	case OPT_JUNIT: o->junit = optarg; return 0;
	case OPT_HTML: o->html = optarg; return 0;
	case OPT_SHARD: return parse_shard(optarg, o);
	case OPT_DURATIONS: o->durations = optarg; return 0;
	case OPT_STATS: o->stats = true; return 0;
	case OPT_NO_HANG_GUARD: o->no_hang_guard = true; return 0;
	case OPT_KEEP_GOING: o->keep_going = true; return 0;
	case OPT_KEEP_IMG: return parse_keep(optarg, o);
	case OPT_REPORT: o->report_dir = optarg; return 0;
	case OPT_TIMEOUT_MUL: return parse_timeout_mul(optarg, o);
	case OPT_STREAM: o->stream = true; return 0;
	case OPT_STREAMER: snprintf(o->streamer, sizeof(o->streamer), "%s", optarg); return 0;
	case 'm': return parse_int(optarg, 2, MAX_GROUP, "-m", &o->group_max);
	case OPT_SET:
		if (strcmp(optarg, "groups")) {
			fprintf(stderr, "zdtm: --set knows one set, groups (tests that share a tree), not '%s'\n", optarg);
			return -1;
		}
		o->set_groups = true;
		return 0;
	}
	return -1;   /* getopt already said what was wrong */
}

/* A dump is chained to the one before it (--prev-images-dir) only within a chain: --pre N, or
 * --norst --iter N; a restore ends a chain (steps.c). */
static bool has_chain(const struct run_opts *o)
{
	return o->pre || (o->norst && o->iters > 1);
}

/* --dedup punches what a chained dump overwrites in its parent, and what a restore has read;
 * --noauto-dedup runs `criu dedup` on a chained dump: each needs something to punch. */
static int check_dedup(const struct run_opts *o)
{
	if (o->dedup && o->noauto_dedup) {
		fprintf(stderr, "zdtm: --dedup and --noauto-dedup are two ways to deduplicate the images: give one\n");
		return -1;
	}
	if (o->noauto_dedup && !has_chain(o)) {
		fprintf(stderr, "zdtm: --noauto-dedup runs criu dedup on a dump chained to a parent: give --pre N or "
				"--norst --iter N (a restore ends a chain, so --iter N alone chains nothing)\n");
		return -1;
	}
	if (o->dedup && o->norst && !has_chain(o)) {
		fprintf(stderr, "zdtm: --dedup punches a parent's pages or a restore's: --norst without --iter N "
				"or --pre N has neither\n");
		return -1;
	}
	return 0;
}

/* --remote-lazy-pages: a page server started from the images serves the lazy-pages daemon;
 * --lazy-migrate: the dump itself stays up as that server (both imply --lazy-pages). */
static int check_lazy(const struct run_opts *o)
{
	if (o->remote_lazy && o->lazy_migrate) {
		fprintf(stderr, "zdtm: --remote-lazy-pages and --lazy-migrate are two sources of lazy pages: give one\n");
		return -1;
	}
	/* The migrating dump serves its pages from the tree it keeps seized: no page server of its
	 * own, and no parent images (a lazy dump's pages are all in its own page pipes). */
	if (o->lazy_migrate && (o->page_server || o->pre)) {
		fprintf(stderr, "zdtm: --lazy-migrate: the dump itself serves the pages; not with %s\n",
			o->page_server ? "--page-server" : "--pre N");
		return -1;
	}
	return 0;
}

/* --rpc: dumps and restores go through criu's RPC (bin/zdtm-criu-rpc, libcriu 4.2.1), which has no
 * config file and no fault injection, and no setter for --lazy-pages, --leave-stopped or --tls; a
 * background dump with a status fd and criu's environment are not the shim's to give. */
static int check_rpc(const struct run_opts *o)
{
	const char *what = !o->rpc ? NULL : o->criu_config ? "--criu-config" : o->fault ? "--fault"
			   : o->lazy_pages ? "a lazy restore (--lazy-pages)" : o->stop ? "--stop (--leave-stopped)"
			   : o->tls ? "--tls" : o->preload_libfault ? "--preload-libfault" : NULL;

	if (what)
		fprintf(stderr, "zdtm: --rpc drives criu through its RPC interface, which cannot carry %s\n", what);
	return what ? -1 : 0;
}

/* --stream: the images go to a streamer, not to a page server or a lazy-pages daemon, and are not
 * on disk for crit, dedup or a pre-dump's parent; RPC and config files have no streamer to start,
 * a retried fault no second stream, an unprivileged criu no way into root's socket. */
static int check_stream(const struct run_opts *o)
{
	const char *what = !o->stream ? NULL : o->page_server ? "--page-server" : o->lazy_pages ? "a lazy restore"
			   : o->pre || o->snaps ? "--pre N" : o->dedup || o->noauto_dedup ? "deduplication"
			   : o->crit ? "--crit" : o->rpc ? "--rpc" : o->fault ? "--fault" : o->user ? "--user" : NULL;

	if (what)
		fprintf(stderr, "zdtm: --stream sends the images to an image streamer; not with %s\n", what);
	return what ? -1 : 0;
}

/* --rootless: everything runs unprivileged in a user namespace of its own, h only (an unprivileged
 * criu cannot make a test's namespaces); whatever needs root on the host has no place in it. */
static int check_rootless(const struct run_opts *o)
{
	const char *what = !o->rootless ? NULL : o->user ? "--user (which restores as root)"
			   : o->flavors && !(o->flavors & FL_H) ? "-f ns or uns (an unprivileged criu cannot make the "
								  "test's namespaces: give -f h)"
			   : o->join_ns ? "--join-ns (the run's namespace is root's)" : o->empty_ns ? "--empty-ns (ns, uns only)"
			   : o->mntns_compat ? "--mntns-compat-mode (ns, uns only)"
			   : o->freezecg ? "--freezecg (a cgroup of root's)" : o->set_groups ? "--set groups (the group's init is root's)"
			   : o->preload_libfault ? "--preload-libfault (criu has file capabilities: the loader ignores LD_PRELOAD)"
			   : NULL;

	if (what)
		fprintf(stderr, "zdtm: --rootless runs the job unprivileged in a user namespace of its own; not with %s\n",
			what);
	return what ? -1 : 0;
}

/* Combinations that cannot mean anything are refused here, in one place. */
static int check_combinations(const struct run_opts *o)
{
	if (!o->all && !o->ntests && !o->ninclude) {
		fprintf(stderr, "zdtm: say which tests to run: -a, -t NAME or -T REGEX\n");
		return -1;
	}
	if (o->nocr && o->norst) {
		fprintf(stderr, "zdtm: --nocr and --norst exclude each other (--nocr runs no criu at all)\n");
		return -1;
	}
	if (o->nocr && (o->iters > 1 || o->pre || o->snaps || o->page_server || o->sibling || o->user ||
			o->lazy_pages || o->criu_config || o->fault || o->stop || o->dedup || o->noauto_dedup ||
			o->pre_dump_mode || o->mntns_compat || o->join_ns || o->empty_ns || o->tls || o->script || o->freezecg ||
			o->preload_libfault || o->crit || o->rpc || o->stream || o->rootless)) {
		fprintf(stderr, "zdtm: --iter, --pre, --snaps, --page-server, --sibling, --user, --lazy-pages, "
				"--criu-config, --fault, --stop, --dedup, --noauto-dedup, --pre-dump-mode, --mntns-compat-mode, --join-ns, --empty-ns, --tls, --script, --freezecg, --crit, --rpc, --stream, --rootless and the lazy and libfault variations need criu; "
				"--nocr runs none\n");
		return -1;
	}
	if (o->snaps && !o->pre) {
		fprintf(stderr, "zdtm: --snaps replaces the pre-dumps of --pre N with snapshots: give --pre too\n");
		return -1;
	}
	if ((o->sibling || o->lazy_pages) && o->norst) {
		fprintf(stderr, "zdtm: --sibling and the lazy variations are ways to restore; --norst does not restore\n");
		return -1;
	}
	if (check_lazy(o))
		return -1;
	if (check_dedup(o))
		return -1;
	/* criu reads pages by the mode in pre-dumps only (a dump takes the option and ignores it). */
	if (o->pre_dump_mode && (!o->pre || o->snaps)) {
		fprintf(stderr, "zdtm: --pre-dump-mode is how criu pre-dump reads pages: give --pre N (without "
				"--snaps, whose pre-steps are dumps)\n");
		return -1;
	}
	if (o->mntns_compat && o->norst) {
		fprintf(stderr, "zdtm: --mntns-compat-mode is a way to restore; --norst does not restore\n");
		return -1;
	}
	if (o->mntns_compat && o->flavors == FL_H) {
		fprintf(stderr, "zdtm: --mntns-compat-mode restores a mount namespace: -f h has none of its own "
				"(give ns or uns)\n");
		return -1;
	}
	if (o->join_ns && o->norst) {
		fprintf(stderr, "zdtm: --join-ns is a way to restore; --norst does not restore\n");
		return -1;
	}
	if (o->join_ns && o->flavors && !(o->flavors & FL_H)) {
		fprintf(stderr, "zdtm: --join-ns restores an h test into another network namespace; in ns and uns "
				"criu restores the test's own (give -f h)\n");
		return -1;
	}
	if (o->freezecg && o->user) {
		fprintf(stderr, "zdtm: --freezecg: an unprivileged criu (--user) cannot freeze a cgroup or manage "
				"cgroups\n");
		return -1;
	}
	if (o->empty_ns && o->norst) {
		fprintf(stderr, "zdtm: --empty-ns restores into an empty network namespace; --norst does not restore\n");
		return -1;
	}
	if (o->empty_ns && (o->join_ns || o->flavors == FL_H)) {
		fprintf(stderr, "zdtm: --empty-ns restores the network namespace of an ns or uns test: not with %s\n",
			o->join_ns ? "--join-ns (h only)" : "-f h");
		return -1;
	}
	/* In this runner only the page server's connection is TCP: a lazy restore talks to its daemon over
	 * a unix socket, and the daemon reads the images (criu's lazy daemon uses TLS only to reach a
	 * remote page server, as a dump with --lazy-pages starts one; the runner makes none). */
	if (o->tls && !o->page_server && !o->remote_lazy && !o->lazy_migrate) {
		fprintf(stderr, "zdtm: --tls secures the connections to a page server: give --page-server, "
				"--remote-lazy-pages or --lazy-migrate%s\n",
			o->lazy_pages ? " (with --lazy-pages the restore talks to its daemon over a unix socket)" : "");
		return -1;
	}
	if (check_rpc(o) || check_stream(o) || check_rootless(o))
		return -1;
	/* The loader ignores LD_PRELOAD in a program with file capabilities run by another user. */
	if (o->preload_libfault && o->user) {
		fprintf(stderr, "zdtm: --preload-libfault: criu has file capabilities, so the loader ignores "
				"LD_PRELOAD when --user runs it\n");
		return -1;
	}
	if (o->stop && o->norst) {
		fprintf(stderr, "zdtm: --stop leaves the dumped tree stopped; --norst leaves it running\n");
		return -1;
	}
	return 0;
}

int parse_run_opts(int argc, char **argv, struct run_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->iters = 1;
	o->parallel = 1;
	o->timeout_mul = getenv("ZDTM_TIMEOUT_MUL") ? atof(getenv("ZDTM_TIMEOUT_MUL")) : 1.0;
	if (o->timeout_mul < 0.01 || o->timeout_mul > 100)
		o->timeout_mul = 1.0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":at:T:x:f:p:vm:", long_opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];

			fprintf(stderr, c == '?' ? "zdtm: unknown option '%s'\n"
						 : "zdtm: option '%s' needs a value\n", bad);
			return -1;
		}
		if (one_option(c, o))
			return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "zdtm: unexpected argument '%s' (tests are named with -t)\n", argv[optind]);
		return -1;
	}
	if (o->group_max && !o->set_groups) {
		fprintf(stderr, "zdtm: -m N is the size of --set groups' groups: give --set groups\n");
		return -1;
	}
	if (o->set_groups && !o->group_max)
		o->group_max = 10;
	/* The group's init stays root to give its members their ids; an unprivileged criu cannot dump it. */
	if (o->set_groups && o->user) {
		fprintf(stderr, "zdtm: --set groups: the group's init is root's, which --user's criu cannot dump\n");
		return -1;
	}
	if (o->streamer[0] && !o->stream) {
		fprintf(stderr, "zdtm: --criu-image-streamer names the streamer of --stream: give --stream\n");
		return -1;
	}
	if (o->stream && !o->streamer[0])
		stream_default(o->streamer, sizeof(o->streamer));
	return check_combinations(o);
}
