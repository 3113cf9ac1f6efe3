/*
 * zdtm: the command line.
 *   zdtm run  (-a | -t NAME... | -T REGEX) [options]   checkpoint/restore tests with criu
 *   zdtm list [-i | -k]                                 the catalog, or its known failures
 *   zdtm group [-m N] [-f F] [selection]                the groups run --set groups runs
 *   zdtm check [--criu-bin PATH]                        the engine and this machine
 * Exit codes: 0 all passed (or skipped), 1 something failed, 2 bad input, 130 interrupted.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crit.h"
#include "criu.h"
#include "emptyns.h"
#include "joinns.h"
#include "rootless.h"
#include "tls.h"
#include "script.h"
#include "runner.h"

/*
 * The one description of the command line: `zdtm --help` prints it, and scripts/man-page turns it
 * into zdtm(1). Its shape is what that script reads: a section is a line "name:", an entry is
 * "  TERM  text" (two spaces or more between), a deeper-indented line goes on with the text above.
 */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: zdtm run (-a | -t NAME | -T REGEX) [options]\n"
		"       zdtm list [-i | -k]           the catalog (-i: flavors, flags, doc; -k: known failures)\n"
		"       zdtm group [-m N] [-f FLAVORS] [-t NAME | -T REGEX]\n"
		"       zdtm check [--criu-bin PATH]\n"
		"       zdtm compare A.json B.json\n"
		"       zdtm merge [--json F] [--tap F] [--junit F] [--html F] A.json B.json ...\n"
		"       zdtm report --html A.json [B.json ...]\n"
		"commands:\n"
		"  run                   checkpoint and restore the chosen tests with criu: one job per test\n"
		"                        and flavor, each in its own namespaces, judged by the test and the runner\n"
		"  list                  the catalog; -i adds each test's flavors, flags and doc\n"
		"  group                 the groups of tests run --set groups would run (whole catalog by default)\n"
		"  check                 preflight: criu, its features, the kernel, file systems, capabilities\n"
		"  compare               verdicts and criu times that changed between two --json reports\n"
		"  merge                 join the --json reports of a run's shards: the summary, and one\n"
		"                        JSON, TAP, JUnit or HTML report of the whole run\n"
		"  report                an HTML page of --json reports, on stdout: tests by variation and flavor\n"
		"                        coloured by verdict, failures, criu's times, the environment\n"
		"run options:\n"
		"  -a, --all             every test of the catalog (noauto tests are skipped)\n"
		"  -t, --test NAME       this test (repeatable); zdtm/static/env00 or env00\n"
		"  -T, --tests REGEX     tests whose name matches (repeatable)\n"
		"  -x, --exclude REGEX   leave out tests whose name matches (repeatable)\n"
		"  -f, --flavor LIST     h,ns,uns (default: what each test declares) or best\n"
		"  -p, --parallel N      run N jobs at once (default 1)\n"
		"  --criu-bin PATH       the criu to test (default: $CRIU, make deps, PATH)\n"
		"  --criu-bin-restore P  restore with this criu (dump with --criu-bin): cross-version C/R\n"
		"  --nocr                no criu: start, SIGTERM, verdict (checks the tests)\n"
		"  --norst               dump with --leave-running, no restore\n"
		"  --iter N              N rounds of dump + restore\n"
		"  --pre N               N pre-dumps before each dump (needs criu's mem_dirty_track)\n"
		"  --snaps               with --pre: full dumps with --leave-running instead of pre-dumps\n"
		"  --page-server         dumps send their pages to a criu page-server\n"
		"  --tls                 with --page-server: its connections over TLS (--tls, a CA, a certificate\n"
		"                        and a key made with openssl in the run directory)\n"
		"  --sibling             restore with --restore-sibling (the runner is the tree's parent)\n"
		"  --lazy-pages          restore with --lazy-pages: a criu lazy-pages daemon serves the pages\n"
		"  --remote-lazy-pages   as --lazy-pages, the daemon reading the pages from a criu page-server\n"
		"                        --lazy-pages started on the images\n"
		"  --lazy-migrate        as --lazy-pages, the daemon reading the pages from the dump itself\n"
		"                        (dump --lazy-pages --port), which holds the tree until they are served;\n"
		"                        ns and uns only (h jobs SKIP: the tree keeps its pids meanwhile)\n"
		"  --rpc                 dumps and restores through criu's RPC interface: bin/zdtm-criu-rpc (built\n"
		"                        with libcriu by make deps) maps each option to libcriu; servers stay CLI\n"
		"  --crit                after each dump, every image through crit decode and encode must come\n"
		"                        back byte for byte, and crit x DIR ps must list the tasks of the tree\n"
		"  --preload-libfault    dumps and restores run with LD_PRELOAD of libzdtm-fault.so, which cuts\n"
		"                        every pread over 2 KiB short by 1 KiB: criu must read on\n"
		"  --criu-config         criu gets its options in a config file (--config IMGDIR/ACTION.conf)\n"
		"  --stop                dump and restore with --leave-stopped; the tree must be stopped\n"
		"  --fault N             criu runs with CRIU_FAULT=N; N < 128: a call that fails must fail\n"
		"                        cleanly and is retried without the fault\n"
		"  --dedup               dumps, page servers and restores with --auto-dedup; the images they\n"
		"                        deduplicate must lose blocks (a restore's) or gain none (a parent's)\n"
		"  --noauto-dedup        criu dedup after each dump chained to a parent (--pre N, --norst --iter N)\n"
		"  --pre-dump-mode M     with --pre: every pre-dump and dump with --pre-dump-mode M (splice, read)\n"
		"  --mntns-compat-mode   restore with criu's old mount engine (ns and uns; h jobs SKIP)\n"
		"  --join-ns             restores join a network namespace of the run (--join-ns net:PATH; h only)\n"
		"  --empty-ns            dump and restore with --empty-ns net; an action script brings lo up in the\n"
		"                        restored, empty network namespace (ns and uns; h jobs SKIP)\n"
		"  --freezecg STATE      the test runs in a cgroup v2 cgroup of its job, frozen before each dump (frozen)\n"
		"                        or not (thawed); dumps with --freeze-cgroup it --manage-cgroups\n"
		"  --script PATH         every dump and restore with --action-script PATH, and a recorder that checks\n"
		"                        criu ran the stages of the action it documents, in order\n"
		"  --dry-run             print each job's criu commands, run nothing\n"
		"  --user                dumps run as uid 18943 (file capabilities, --unprivileged); restores as root\n"
		"  --rootless            each job as uid 18943 in a user namespace it owns: criu --unprivileged with\n"
		"                        cap_checkpoint_restore and cap_sys_ptrace from its file capabilities (h only)\n"
		"  --keep-going          do not stop at the first failure\n"
		"  --keep-img WHEN       failed (default), always, never: keep job files\n"
		"  --report DIR          keep each job's log, verdict and kept files under DIR\n"
		"  --json FILE           write every job's verdict and times, and the totals, as JSON\n"
		"  --tap FILE            write a TAP 14 report (one test point per job)\n"
		"  --junit FILE          write a JUnit XML report (one testsuite per flavor)\n"
		"  --html FILE           write an HTML page of the run (no script, nothing fetched; as zdtm report)\n"
		"  --shard I/N           run only part I of N stable parts of the selected jobs; --shard auto:\n"
		"                        I/N from the CI (GitLab, CircleCI, Buildkite, ZDTM_SHARD_INDEX/TOTAL)\n"
		"  --durations FILE      job times of this --json: start order, --shard parts, --dry-run's prediction\n"
		"  --stats               print a table of what criu cost per job (times, pages, image size)\n"
		"  --set groups          tests that can share a tree (no flags, criu options, features or known\n"
		"                        failures of their own) run in groups under one init of ours, dumped and\n"
		"                        restored as one tree; each test keeps its verdict; the others SKIP\n"
		"                        (zdtm group shows the groups)\n"
		"  -m, --group-max N     up to N tests in a group (default 10)\n"
		"  --no-hang-guard       keep going when criu times out in job after job (default: stop)\n"
		"  --timeout-mul X       scale every timeout (also $ZDTM_TIMEOUT_MUL)\n"
		"  -v, --verbose         print each job's log\n"
		"exit status:\n"
		"  0                     nothing failed (skips and known failures do not fail a run)\n"
		"  1                     a job failed (compare: a verdict changed)\n"
		"  2                     bad input: an unknown test or option, no usable criu, not root,\n"
		"                        a report that cannot be written\n"
		"  130                   interrupted (SIGINT, SIGTERM, SIGHUP): running jobs are killed\n"
		"environment:\n"
		"  CRIU                  the criu to test when --criu-bin is not given\n"
		"  ZDTM_TIMEOUT_MUL      scale every timeout, as --timeout-mul\n"
		"  ZDTM_ROOT             the suite's tree (default: the directory above bin/zdtm)\n"
		"  ZDTM_DIRS             test directories under it, colon separated\n"
		"                        (default zdtm/static:zdtm/transition)\n"
		"  ZDTM_TIMES            where the job times of runs are kept (default ~/.cache/zdtm/job-times)\n"
		"  ZDTM_SHARD_INDEX      with ZDTM_SHARD_TOTAL: part I of N for --shard auto (from 1); also\n"
		"                        CI_NODE_INDEX/CI_NODE_TOTAL, CIRCLE_NODE_INDEX/CIRCLE_NODE_TOTAL,\n"
		"                        BUILDKITE_PARALLEL_JOB/BUILDKITE_PARALLEL_JOB_COUNT\n"
		"  TMPDIR                where run directories are made (default /tmp)\n"
		"files:\n"
		"  zdtm/static, zdtm/transition   the tests (NAME.c and the binary NAME), under the suite's tree\n"
		"  zdtm/known-failures   jobs expected to fail (XFAIL), with criu's error\n"
		"  .deps/criu-path       the criu that make deps obtained (a source tree only)\n");
}

/* The project root: bin/zdtm lives one level below it (or $ZDTM_ROOT). */
static int find_root(char *buf, size_t len)
{
	char exe[4096];
	ssize_t n;

	if (getenv("ZDTM_ROOT")) {
		snprintf(buf, len, "%s", getenv("ZDTM_ROOT"));
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -1;
	exe[n] = 0;
	snprintf(buf, len, "%s", dirname(dirname(exe)));
	return 0;
}

static int cmd_list(struct catalog *c, int argc, char **argv)
{
	bool info = argc > 1 && (!strcmp(argv[1], "-i") || !strcmp(argv[1], "--info"));

	if (argc == 2 && (!strcmp(argv[1], "-k") || !strcmp(argv[1], "--known"))) {
		known_list(c, stdout);
		return 0;
	}
	if (argc > 1 + info) {
		fprintf(stderr, "zdtm: list takes only -i or -k\n");
		return 2;
	}
	if (info)
		printf("%-36s %-10s %-20s %s\n", "test", "flavors", "flags", "doc");
	for (int i = 0; i < c->n; i++) {
		struct test *t = &c->tests[i];
		char fl[16];

		if (!info) {
			printf("%s\n", t->name);
			continue;
		}
		catalog_describe(t);
		snprintf(fl, sizeof(fl), "%s%s%s", t->flavors & FL_H ? "h " : "",
			 t->flavors & FL_NS ? "ns " : "", t->flavors & FL_UNS ? "uns" : "");
		printf("%-36s %-10s %-20s %s%s\n", t->name, fl, t->flags, t->built ? "" : "[not built] ", t->doc);
	}
	return 0;
}

static int cmd_check(const struct catalog *c, int argc, char **argv)
{
	struct engine e;
	const char *bin = NULL;

	if (argc == 3 && !strcmp(argv[1], "--criu-bin"))
		bin = argv[2];
	else if (argc != 1) {
		fprintf(stderr, "zdtm: check takes only --criu-bin PATH\n");
		return 2;
	}
	if (engine_find(&e, c->root, bin))
		return 1;
	return host_report(c, &e);
}

static int make_rundir(const struct run_opts *o, char *buf, size_t len)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	if (o->report_dir) {
		snprintf(buf, len, "%s", o->report_dir);
		return mkdir_p(buf, 0755) || chmod(buf, 0755);
	}
	snprintf(buf, len, "%s/zdtm-run.XXXXXX", tmp);
	/* uns: criu restores from inside the user namespace, whose root must reach the job's files. */
	return mkdtemp(buf) && !chmod(buf, 0755) ? 0 : -1;
}

/* The reports are written at the end of a run: a typo in their paths must cost a second, not a run. */
static int check_outputs(const struct run_opts *o)
{
	const char *const files[][2] = { { "--json", o->json }, { "--tap", o->tap }, { "--junit", o->junit },
					 { "--html", o->html } };
	char why[4400];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (files[i][1] && can_write_file(files[i][1], why, sizeof(why))) {
			fprintf(stderr, "zdtm: %s %s: cannot write there: %s\n", files[i][0], files[i][1], why);
			return -1;
		}
	return 0;
}

/* What the schedule of -p N would take, from the job times at hand. */
static void print_prediction(const struct plan *p, const struct job_times *t, int workers)
{
	struct prediction pr;

	plan_predict(p, t, workers, &pr);
	printf("zdtm: predicted wall with -p %d: %.1f s (job times: sum %.1f s, longest %.1f s; "
	       "bound max(longest, sum / %d) %.1f s; efficiency %.0f%%)\n", workers, pr.wall, pr.sum, pr.longest,
	       workers, pr.bound, pr.wall > 0 ? 100 * pr.bound / pr.wall : 100);
}

/* --dry-run: every job's commands, nothing run. */
static int dry_run(const struct plan *p, const struct run_opts *o, const struct engine *e,
		   const struct engine *re)
{
	for (int i = 0; i < p->n; i++) {
		struct job_ctx ctx = { .job = &p->jobs[i], .opts = o, .engine = e, .restore_engine = re };
		const struct test_group *g = p->jobs[i].group;

		if (g && g->member[0] != i)   /* a group is shown once, at its first member */
			continue;
		if (g) {
			ctx.job = &g->job;
			printf("%s (%s): %d tests in one tree:", g->test.name, flavor_name(g->job.flavor), g->n);
			for (int k = 0; k < g->n; k++)
				printf(" %s", g->tests[k]->name);
			printf("\n");
		}
		if (p->jobs[i].skip[0]) {
			printf("%s (%s): SKIP (%s)\n", p->jobs[i].test->name, flavor_name(p->jobs[i].flavor),
			       p->jobs[i].skip);
			continue;
		}
		snprintf(ctx.dir, sizeof(ctx.dir), "JOB%d", i);
		ctx.rundir = "RUN";
		cycle_print(&ctx, stdout);
	}
	return 0;
}

/* --html: the page is drawn from the run's JSON read back (html.c reads reports), the --json file
 * when there is one, else a temporary one in the run directory. */
static int run_html(const struct run_opts *o, const struct engine *e, const struct plan *p,
		    const struct result *results, double wall, const char *rundir)
{
	char tmp[4200];
	const char *json = o->json;
	struct loaded_report r;
	int rc;

	if (!json) {
		snprintf(tmp, sizeof(tmp), "%s/html.json", rundir);
		if (report_json(tmp, o, e, p, results, wall))
			return -1;
		json = tmp;
	}
	rc = json_load(json, &r);
	if (!o->json)
		unlink(tmp);
	if (rc)
		return -1;
	rc = html_file(o->html, &r, 1);
	json_free(&r);
	return rc;
}

static int cmd_run(struct catalog *c, int argc, char **argv)
{
	struct run_opts o;
	struct engine e = { .path = "(none)", .version = "-" }, re;
	struct plan p;
	struct result *results;
	char rundir[4096], netns[4200], script[4200], record[4200], why[600];
	struct run_end end = { 0 };
	struct job_times times;
	long taint;
	double start;
	int rc;

	if (parse_run_opts(argc, argv, &o))
		return 2;
	if (geteuid()) {
		fprintf(stderr, "zdtm: run needs root (namespaces, criu)\n");
		return 2;
	}
	if (!o.dry_run && check_outputs(&o))
		return 2;
	if (!o.nocr && engine_find(&e, c->root, o.criu_bin))
		return 2;
	if (o.criu_bin_restore && !o.nocr && engine_find(&re, c->root, o.criu_bin_restore))
		return 2;
	if (o.user && !e.file_caps) {
		fprintf(stderr, "zdtm: --user runs criu as uid %d, but %s has no file capabilities "
			"(make deps gives its criu cap_checkpoint_restore, cap_sys_ptrace, ...)\n", USER_UID, e.path);
		return 2;
	}
	rpc_shim(why, sizeof(why));
	if (o.rpc && !o.dry_run && access(why, X_OK)) {
		fprintf(stderr, "zdtm: --rpc needs %s, built with libcriu (make deps, then make)\n", why);
		return 2;
	}
	if (o.crit && !o.dry_run && crit_probe(why, sizeof(why))) {
		fprintf(stderr, "zdtm: --crit: crit cannot run here: %s (make deps puts Debian's python3-pycriu in "
			".deps/pycriu; it needs python3-protobuf)\n", why);
		return 2;
	}
	if (plan_build(&p, c, &o, &e, o.criu_bin_restore && !o.nocr ? &re : NULL) || plan_groups(&p, c, &o))
		return 2;
	if (times_load(&times, o.durations) || plan_order(&p, &times))
		return 2;
	if (o.dry_run) {
		dry_run(&p, &o, &e, o.criu_bin_restore ? &re : NULL);
		print_prediction(&p, &times, o.parallel);
		return 0;
	}
	if (make_rundir(&o, rundir, sizeof(rundir))) {
		fprintf(stderr, "zdtm: cannot make a run directory %s\n", rundir);
		return 2;
	}
	joinns_path(rundir, netns, sizeof(netns));
	emptyns_script(rundir, script, sizeof(script));
	script_recorder(rundir, record, sizeof(record));
	if ((o.rootless && (rootless_criu(rundir, false, &e) || (o.criu_bin_restore && rootless_criu(rundir, true, &re)))) ||
	    (o.join_ns && joinns_create(netns)) || (o.empty_ns && emptyns_create(script)) ||
	    (o.tls && tls_create(rundir, o.user || o.rootless)) || (o.script && script_create(record))) {
		unlink(script);
		unlink(record);
		if (o.join_ns)
			joinns_remove(netns);
		tls_remove(rundir);
		rootless_remove(rundir);
		rmdir(rundir);
		return 2;
	}
	results = calloc(p.n, sizeof(*results));
	for (int i = 0; i < p.n; i++)
		results[i].verdict = V_COUNT;
	/* Orphans of anything we start come back to us, not to a pid 1 that may not reap. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	taint = host_taint();
	start = now_sec();
	report_header(&o, &e, &p, rundir);
	hugepages_reserve(&p, o.parallel);
	if (o.criu_bin_restore)
		printf("zdtm: restores with criu %s (%s)\n", re.version, re.path);
	sched_run(&p, &o, &e, o.criu_bin_restore ? &re : NULL, rundir, results, &end);
	hugepages_release();
	if (o.join_ns)
		joinns_remove(netns);
	if (o.empty_ns)
		unlink(script);
	if (o.tls)
		tls_remove(rundir);
	if (o.rootless)
		rootless_remove(rundir);
	if (o.script)
		unlink(record);
	rc = report_summary(&p, results, &end, taint);
	times_keep(&p, results);
	if (o.stats)
		report_stats(&p, results);
	if (o.json && report_json(o.json, &o, &e, &p, results, now_sec() - start) && !rc)
		rc = 1;
	if (o.tap && report_tap(o.tap, &p, results) && !rc)
		rc = 1;
	if (o.junit && report_junit(o.junit, &p, results) && !rc)
		rc = 1;
	if (o.html && run_html(&o, &e, &p, results, now_sec() - start, rundir) && !rc)
		rc = 1;
	if (!o.report_dir && rmdir(rundir) == 0)
		return rc;
	printf("zdtm: files kept in %s\n", rundir);
	return rc;
}

/* "zdtm -h", "zdtm help", and "zdtm run --help" (any command's) all print the one usage text. */
static bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help") || !strcmp(arg, "help");
}

int main(int argc, char **argv)
{
	static struct catalog catalog;
	char root[4096];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(basename(argv[0]), EMPTYNS_ACTION))   /* criu runs us as --empty-ns's action script */
		return emptyns_action();
	if (!strcmp(basename(argv[0]), SCRIPT_RECORDER))   /* criu runs us as --script's recorder */
		return script_record();
	if (argc < 2 || is_help(argv[1]) || (argc > 2 && is_help(argv[2]))) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (find_root(root, sizeof(root))) {
		fprintf(stderr, "zdtm: cannot find the project root; set ZDTM_ROOT\n");
		return 2;
	}
	if (catalog_load(&catalog, root) < 0)
		return 2;
	if (!strcmp(argv[1], "check"))
		return cmd_check(&catalog, argc - 1, argv + 1);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(argv[1], "merge"))
		return cmd_merge(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return cmd_list(&catalog, argc - 1, argv + 1);
	if (!strcmp(argv[1], "run"))
		return cmd_run(&catalog, argc - 1, argv + 1);
	if (!strcmp(argv[1], "group"))
		return cmd_group(&catalog, argc - 1, argv + 1);
	fprintf(stderr, "zdtm: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
