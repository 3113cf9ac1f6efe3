/*
 * The zdtm runner: data types shared by its rooms, and each room's entry points.
 * Data flows one way: options -> catalog -> plan (jobs) -> sched -> cycle -> result -> report.
 * The only process-wide mutable state is in sched.c (the interrupt flag, see there).
 */
#ifndef ZDTM_RUNNER_H
#define ZDTM_RUNNER_H

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <sys/types.h>

#define MAX_TESTS 1024
#define MAX_SELECT 64

enum flavor { FL_H = 1, FL_NS = 2, FL_UNS = 4 };

/* The unprivileged identity of tests (when they drop root) and of criu with --user. */
#define USER_UID 18943
#define USER_GID 58467
#define FL_ALL (FL_H | FL_NS | FL_UNS)

enum verdict { V_PASS, V_FAIL, V_SKIP, V_BROKEN, V_TIMEOUT, V_XFAIL, V_COUNT };

/* ---- options (options.c) ---- */

enum keep_img { KEEP_FAILED, KEEP_ALWAYS, KEEP_NEVER };

enum { FREEZECG_THAWED = 1, FREEZECG_FROZEN };   /* --freezecg: the job's cgroup before each dump */

struct run_opts {
	bool all;
	const char *tests[MAX_SELECT];      /* -t NAME */
	int ntests;
	const char *include[MAX_SELECT];    /* -T REGEX */
	int ninclude;
	const char *exclude[MAX_SELECT];    /* -x REGEX */
	int nexclude;
	unsigned flavors;                   /* -f: mask, 0 = what each test declares */
	bool best;                          /* -f best */
	const char *criu_bin;
	const char *criu_bin_restore;       /* --criu-bin-restore: restores with another criu */
	bool nocr, norst, keep_going, verbose;
	int iters;
	int pre;                            /* --pre N: pre-dumps (or snapshots) before each dump */
	bool snaps, page_server, sibling, dry_run;
	bool lazy_pages;                    /* --lazy-pages: restores get their pages from a lazy-pages daemon */
	bool remote_lazy;                   /* --remote-lazy-pages: which gets them from a page server on the images */
	bool lazy_migrate;                  /* --lazy-migrate: ... from the dump itself, which stays up to serve them */
	bool preload_libfault;              /* --preload-libfault: criu runs with LD_PRELOAD=libfault.so (short preads) */
	bool crit;                          /* --crit: each dump's images through crit and back (crit.c) */
	bool rpc;                           /* --rpc: dumps and restores through criu's RPC (bin/zdtm-criu-rpc) */
	bool criu_config;                   /* --criu-config: criu's options through a config file */
	int fault;                          /* --fault N: criu runs with CRIU_FAULT=N (0: none) */
	bool stop;                          /* --stop: dump and restore with --leave-stopped */
	bool dedup;                         /* --dedup: --auto-dedup on dumps, page servers and restores */
	bool noauto_dedup;                  /* --noauto-dedup: `criu dedup` after each chained dump */
	const char *pre_dump_mode;          /* --pre-dump-mode splice|read: on every dump-type call, or NULL */
	bool mntns_compat;                  /* --mntns-compat-mode: restores with criu's old mount engine */
	bool join_ns;                       /* --join-ns: restores join the run's network namespace (joinns.c) */
	bool tls;                           /* --tls: page-server connections over TLS with the run's CA (tls.c) */
	bool empty_ns;                      /* --empty-ns: dump and restore with --empty-ns net (emptyns.c) */
	int freezecg;                       /* --freezecg: 0 none, FREEZECG_THAWED, FREEZECG_FROZEN (freezecg.c) */
	const char *script;                 /* --script PATH: every call's user action script (script.c), or NULL */
	bool user;                          /* --user: criu runs as USER_UID with file capabilities */
	bool rootless;                      /* --rootless: each job's cycle as USER_UID in a user namespace it owns (rootless.c) */
	enum keep_img keep;
	const char *report_dir;
	const char *json;                   /* --json FILE */
	const char *tap, *junit;            /* --tap FILE, --junit FILE */
	const char *html;                   /* --html FILE (html.c, from the run's --json read back) */
	int shard, shards;                  /* --shard I/N: this run does part I (1-based) of N */
	const char *durations;              /* --durations FILE: a --json whose job times balance the shards */
	bool stats;                         /* --stats: a table of criu's costs after the summary */
	bool no_hang_guard;                 /* --no-hang-guard: list every TIMEOUT of a hanging criu */
	bool stream;                        /* --stream: images through an image streamer (stream.c) */
	char streamer[4096];                /* --criu-image-streamer PATH, else ours beside the runner */
	bool set_groups;                    /* --set groups: tests that can share a tree run in groups (groups.c) */
	int group_max;                      /* up to N tests in one group (-m N, default 10); 0 without groups */
	int parallel;
	double timeout_mul;
};

/* Parses `zdtm run ...` arguments; prints a message and returns -1 on bad input. */
int parse_run_opts(int argc, char **argv, struct run_opts *o);

/* ---- the test catalog (catalog.c) ---- */

struct test {
	char name[128];          /* zdtm/static/env00 */
	char path[4096];         /* absolute path of the binary */
	char doc[256];
	unsigned flavors;
	char flags[128];
	char features[256];
	char opts[256], dopts[256], ropts[256];
	int timeout;
	bool built;              /* the binary exists (and, once described, answers --describe) */
	bool described;
};

/* One entry of zdtm/known-failures (known.c): the jobs it lists, the failure it expects. */
struct known_failure {
	char test[128], flavor[16], variation[16], criu[32];
	char phase[16];          /* where the failure happens: restore, state, verify, ... */
	char pattern[128];       /* a POSIX extended regex its reason must match, when has_re */
	regex_t re;
	bool has_re;
	bool sometimes;          /* phase written "PHASE?": it fails in some runs only, a pass is no XPASS */
	char reason[256];        /* the description: what criu loses */
	int line;                /* in the file */
};

#define MAX_KNOWN 400
#define MAX_KNOWN_PER_JOB 4

struct catalog {
	char root[4096];
	struct known_failure known[MAX_KNOWN];   /* zdtm/known-failures */
	int nknown;
	struct test tests[MAX_TESTS];
	int n;
};

/* Finds every zdtm/{static,transition}/NAME.c under root and loads the known failures; the number
 * of tests, or -1 (after a message naming the line) when the known-failures file has a bad entry. */
int catalog_load(struct catalog *c, const char *root);
const struct test *catalog_find(const struct catalog *c, const char *name);
/* Reads the test's --describe once; false when it is not built or does not answer. */
bool catalog_describe(struct test *t);
void catalog_suggest(const struct catalog *c, const char *name);   /* "did you mean" */
bool test_has_flag(const struct test *t, const char *flag);

/* ---- known failures (known.c) ---- */

/* Reads zdtm/known-failures ($ZDTM_KNOWN_FAILURES instead, for self-tests); -1 after a message
 * naming the file and line of a malformed entry. */
int known_load(struct catalog *c);
/* Appends to out[n..max) the entries for this job not in it yet, in file order; the new n. */
int catalog_known(const struct catalog *c, const struct test *t, const char *flavor, const char *variation,
		  const char *criu_version, const struct known_failure **out, int n, int max);
/* `zdtm list --known`: every entry as parsed, with its line. */
void known_list(const struct catalog *c, FILE *out);

/* ---- the engine (engine.c) ---- */

struct engine {
	char path[4096];
	char version[32];
	bool uid_switch;          /* false when CAP_SYS_RESOURCE is missing: tests stay root */
	bool file_caps;           /* the binary carries file capabilities (needed by --user) */
	char cache[4200];         /* probe answers for this binary on this boot ("" for none) */
	char cache_key[256];
};

/* Locates and checks criu (--criu-bin, $CRIU, .deps/criu-path, PATH); message + -1 on failure. */
int engine_find(struct engine *e, const char *root, const char *override);
/* `criu check --feature F` for each word of features; the first missing one goes to *missing. */
bool engine_has_features(const struct engine *e, const char *features, char *missing, size_t len);
/* The features probed so far on this machine, as a JSON object {"name": true|false, ...}. */
void engine_features(const struct engine *e, FILE *out);

/* ---- jobs (plan.c) ---- */

struct test_group;

struct job {
	const struct test *test;
	const struct test_group *group;   /* --set groups: the group it runs in (also the group's own job) */
	/* The entries listing this job, most precise first: a failure one of them expects is XFAIL. */
	const struct known_failure *known[MAX_KNOWN_PER_JOB];
	enum flavor flavor;
	int index;
	char skip[256];          /* non-empty: decided before running */
};

struct plan {
	struct job *jobs;        /* in catalog order, the order of every report */
	int n;
	struct test_group *groups;    /* --set groups (groups.c) */
	int ngroups;
	int *order;              /* the order jobs start in (order.c); NULL: catalog order */
};

/* Selection x flavors -> jobs; returns -1 (after a message) on bad selection. re: the restoring
 * criu of a cross-version run (--criu-bin-restore), else NULL. */
int plan_build(struct plan *p, const struct catalog *c, const struct run_opts *o,
	       const struct engine *e, const struct engine *re);
const char *flavor_name(enum flavor f);
/* --shard I/N (shard.c): keeps part I of the jobs; -1 (after a message) on a bad --durations file. */
int shard_keep(struct plan *p, const struct run_opts *o);
/* --shard auto (cishard.c): I/N from a CI's parallel-job variables; -1 (after a message) when none. */
int shard_from_ci(int *shard, int *shards);
/* "h ns" or "h,uns" -> mask; -1 when a word is not a flavor. */
int flavors_parse(const char *list, const char *seps);

/* ---- --stream's image streamer (stream.c) ---- */

struct result;

/* Ours, beside the runner: bin/zdtm-image-streamer. */
void stream_default(char *buf, size_t len);
/* Starts `STREAMER --images-dir dir --progress-fd 3 capture|serve` on dir/img.stream, ready once it
 * says socket-init; its pid, or -1 with r's phase and reason. */
pid_t stream_start(const char *streamer, const char *dir, bool capture, struct result *r);
/* Waits for it (it ends when criu closes its socket): 0 when it exited 0, else -1 with the reason. */
int stream_stop(pid_t pid, const char *dir, bool capture, struct result *r);
/* After a dump: the stream's images into dir, less inventory.img; -1 with the reason. */
int stream_extract(const char *streamer, const char *dir, struct result *r);

/* ---- test groups (groups.c) ---- */

#define MAX_GROUP 32
#define GROUP_INIT_NAME "zdtm/group/zdtm-group"   /* under the catalog's root */

/* Tests that can share one tree, started under one init (zdtm/group/zdtm-group) and dumped and
 * restored together: criu restores many unrelated tests at once. Verdicts stay per test. */
struct test_group {
	struct test test;        /* the group's init as a test, named zdtm/group/NN */
	struct job job;          /* runs the group; its index is its first member's */
	int member[MAX_GROUP];   /* the members' job indices */
	const struct test *tests[MAX_GROUP];   /* and their tests */
	int n;
};

/* --set groups: packs the jobs that can share a tree (static tests with no flags, options,
 * features or known failures of their own, not skipped) into groups of up to o->group_max, in
 * catalog order, per flavor; the other jobs SKIP with the reason. -1 on failure. */
int plan_groups(struct plan *p, const struct catalog *c, const struct run_opts *o);
/* `zdtm group [-m N] [-f F] [selection]`: the groups run --set groups would run. */
int cmd_group(struct catalog *c, int argc, char **argv);
/* The group's members' env words for its init: ZDTM_GROUP=names, ZDTM_GROUP_DIR=dir. */
void group_env(const struct test_group *g, const char *dir, char *names, size_t nlen, char *where, size_t wlen);
/* After the group's job: each member's result from the group's (in results[g->job.index]) and
 * from the member lines of the group's outfile. */
void group_judge(const struct test_group *g, const char *outfile, struct result *results);

/* ---- the start order and its prediction (order.c) ---- */

struct result;

/* Seconds per test and flavor, from an earlier run. */
struct job_times {
	struct { char name[128], flavor[8]; double secs; } *v;
	int n, cap;
};

/* From a --json report (path), or with path NULL the times the runner kept; -1 on a bad report. */
int times_load(struct job_times *t, const char *path);
void times_free(struct job_times *t);
/* A job's expected seconds: its recorded time, else the mean of all recorded (0 for a skip). */
double times_of(const struct job_times *t, const struct job *j);
/* Remembers the times of this run's jobs for the next run's order ($ZDTM_TIMES, else the user's cache). */
void times_keep(const struct plan *p, const struct result *results);
/* Sets p->order: excl jobs first, then longest first. */
int plan_order(struct plan *p, const struct job_times *t);

struct prediction {
	double wall;             /* of the schedule, N workers taking jobs in p->order */
	double sum, longest;     /* of the job times */
	double bound;            /* max(longest, sum / N): no schedule can be faster */
};
void plan_predict(const struct plan *p, const struct job_times *t, int workers, struct prediction *out);

/* ---- one job's outcome ---- */

/* What the engine cost in one job: criu's wall time per action (summed over rounds), and what
 * criu's stats images (stats.c) say: freeze time, pages, image size. -1 where nothing was seen. */
struct metrics {
	double dump, pre_dump, restore;   /* seconds inside criu */
	double freezing, frozen;          /* seconds freezing the tree, and the tree kept frozen */
	double memdump, memwrite;         /* seconds collecting and writing pages */
	long long pages_scanned, pages_written, pages_restored;
	long long image_bytes;            /* the largest dump's *.img files */
	double mem_digest;                /* seconds the runner spent digesting the tree's memory */
};

struct result {
	enum verdict verdict;
	char phase[32];          /* where it ended: start, dump, restore, stop, ... */
	char reason[768];        /* the first useful line: test's FAIL, criu's Error, ... */
	char known[320];         /* XFAIL: "known failure at PHASE: description" of the entry */
	double wall;             /* seconds */
	double criu;             /* seconds spent inside criu */
	double test;             /* seconds the test took to get ready and to give its verdict */
	struct metrics m;
	char files[256];         /* where the job's files were kept ("" when removed) */
};

const char *verdict_name(enum verdict v);
/* A FAIL or BROKEN of a listed job becomes XFAIL (r->known says which entry) when an entry expects
 * its phase and reason; otherwise its reason says what was expected instead. */
void known_judge(const struct job *j, struct result *r);
/* Whether a pass of this job is news (XPASS): an entry lists it that is not a "sometimes" one. */
bool known_xpass(const struct job *j);

/* ---- one job's cycle (cycle.c), run inside the job's sandbox ---- */

struct job_ctx {
	const struct job *job;
	const struct run_opts *opts;
	const struct engine *engine;
	const struct engine *restore_engine;   /* the same one unless --criu-bin-restore */
	char dir[4096];          /* the job's own directory */
	const char *rundir;      /* the run's directory ("RUN" for --dry-run) */
	struct inhfd *inhfd;     /* the test's inherited fd (inhfd.c), NULL for none and for --dry-run */
	int log;                 /* fd of dir/job.log */
};

void cycle_run(struct job_ctx *ctx, struct result *r);
/* --dry-run: the job's commands, with PID for the test's pid. */
void cycle_print(struct job_ctx *ctx, FILE *f);

/* ---- the sandbox (sandbox.c) ---- */

/* In a fresh process in new mnt/pid/net/ipc namespaces: make it livable. keep: NULL-terminated
 * paths the job needs that may lie under /tmp (its directory, the test, criu). */
int sandbox_enter(const char *dir, const char *const *keep, int log);
/* A devpts instance of the caller's own on /dev/pts (and /dev/ptmx); 0, or -1 logged. */
int sandbox_devpts(int log);
/* What the job left in its private /tmp is a leak: a FAIL at phase "leak" unless it failed already. */
void sandbox_leaks(const char *dir, const char *const *keep, struct result *r);

/* ---- scheduling (sched.c) ---- */

/* How a run ended early: by a signal, or because the hang guard saw a criu that hangs. */
struct run_end {
	bool interrupted;
	char stopped[256];       /* non-empty: why the run stopped starting jobs */
};

/* Runs every job, up to opts->parallel at once; fills results[] (a job never run keeps
 * V_COUNT); returns the number of jobs that ended. */
int sched_run(const struct plan *p, const struct run_opts *o, const struct engine *e,
	      const struct engine *restore_engine, const char *rundir, struct result *results,
	      struct run_end *end);

/* ---- the hang guard (hangguard.c) ---- */

struct hang_guard {
	int jobs;                     /* jobs that ended having run criu */
	int streak;                   /* of them, the last ones in a row that timed out in action */
	char action[16];
	int early_dumps, early_restores;   /* timeouts among the first jobs */
};

/* Feeds a finished job; true (with why) when criu seems to hang in every call. */
bool hang_guard_feed(struct hang_guard *g, const struct result *r, char *why, size_t len);
/* For a run that stopped at its first failures (no --keep-going): true (with why) when every job that
 * ran criu, two at least, timed out in the same criu action. */
bool hang_guard_all_hung(const struct hang_guard *g, char *why, size_t len);

/* ---- reports (report.c) ---- */

/* The variation in the words of the command line: "cr --page-server --iter 3". */
const char *run_variation(const struct run_opts *o, char *buf, size_t len);
void report_header(const struct run_opts *o, const struct engine *e, const struct plan *p, const char *rundir);
/* On a terminal: "[done/total, about N left]" (no output elsewhere). */
void report_progress(int done, int total, double elapsed);
/* One line per finished job; a failure adds its reason and where its files are. */
void report_job(const struct job *j, const struct result *r, const char *dir);
/* Counts and the failures again; returns the run's exit code (0 only when nothing failed). */
int report_summary(const struct plan *p, const struct result *results, const struct run_end *end,
		   long taint_before);
int report_tap(const char *path, const struct plan *p, const struct result *results);
int report_junit(const char *path, const struct plan *p, const struct result *results);
/* --json: every job and the totals, for machines (bench, compare, merge). */
int report_json(const char *path, const struct run_opts *o, const struct engine *e, const struct plan *p,
		const struct result *results, double wall);
/* The same with the environment block given as JSON text (zdtm merge keeps the first report's). */
int report_json_env(const char *path, const char *environment, const struct plan *p,
		    const struct result *results, double wall);

/* ---- --json reports read back (jsonload.c) ---- */

/* Enough of a report to merge it, compare it, or balance shards by it. */
struct loaded_report {
	char *environment;        /* the environment object, as JSON text */
	struct test *tests;       /* one per job; only the name is known */
	struct job *jobs;
	struct result *results;
	int n;
	double wall;
};

/* ---- the HTML report (html.c) ---- */

/* One self-contained page of the jobs of these reports (each report's variation is more columns). */
int html_write(FILE *f, const struct loaded_report *reps, int nreps);
int html_file(const char *path, const struct loaded_report *reps, int nreps);
/* zdtm report --html A.json [B.json ...]: the page on stdout; exit code as a command. */
int cmd_report(int argc, char **argv);

/* Reads a report written by --json; a message and -1 when it is not one. */
int json_load(const char *path, struct loaded_report *r);
void json_free(struct loaded_report *r);

/* ---- criu's stats images (stats.c) ---- */

void metrics_init(struct metrics *m);
/* Adds what criu's stats-dump (after a dump or pre-dump) or stats-restore in imgdir reports. */
void stats_add_dump(const char *imgdir, struct metrics *m);
void stats_add_restore(const char *imgdir, struct metrics *m);
/* The image sanity check of the original zdtm: the pages stats-dump says were written (private and
 * shared) fill the pages-*.img files exactly. 0 when they do or when there are no stats; -1 with why. */
int stats_check_pages(const char *imgdir, char *why, size_t len);
/* `zdtm run --stats`: one line per job with what criu cost. */
void report_stats(const struct plan *p, const struct result *results);

/* ---- huge pages for hugetlb jobs (hugepages.c) ---- */

/* When the plan holds jobs flagged "hugetlb": adds huge pages to vm.nr_hugepages for as many of
 * them as may run at once, to be taken back at exit or on a fatal signal. -1 after a message. */
int hugepages_reserve(const struct plan *p, int parallel);
/* Takes back what hugepages_reserve() added (also run at exit); idempotent. */
void hugepages_release(void);

/* ---- cgroups a job made (cgroups.c) ---- */

/* Removes every cgroup tree zdtm-*-INO (INO: the inode of the job's test directory under jobdir)
 * of every cgroup hierarchy, logging each to log (if >= 0). 0, or -1 when one could not go. */
int cgroups_remove(const char *jobdir, int log);
/* The inode of the job's test directory under jobdir, which names its cgroups; 0 when none. */
unsigned long cgroups_job_ino(const char *jobdir);
/* The mount point of the cgroup v2 hierarchy into buf; 0, or -1 when none is mounted. */
int cgroups_v2_mount(char *buf, size_t len);
/* Whether t makes or dumps cgroups (--manage-cgroups in its options): the scheduler runs one such
 * job at a time, since criu dumps and restores every cgroup below the task's own. */
bool cgroups_touched(const struct test *t);
/* Whether the job's dumps record every cgroup below a hierarchy's root, where other jobs' cgroups
 * are: a test that makes cgroups, or any job under --freezecg. Such a job waits while one that
 * makes cgroups runs, and the other way round (sched.c). */
bool cgroups_walked(const struct run_opts *o, const struct test *t);

/* ---- processes (proc.c) ---- */

/* Waits up to ms for pid (a child) to end; 0 with *status, 1 on timeout, -1 on error. */
int proc_wait(pid_t pid, int ms, int *status);
/* Whether USER_UID could execute path (every parent directory searchable, the file executable). */
bool proc_user_can_exec(const char *path);
/* Reaps every child until none is left but those of keep[0..nkeep-1] (SIGCHLD must be blocked);
 * 0, 1 on timeout, -1. */
int proc_reap_all(int ms, const pid_t *keep, int nkeep);
/* The pids of the calling (single-threaded) process's children, at most max; how many, or -1. */
int proc_children(pid_t *out, int max);
/* Kills pid's process group and pid, then reaps pid. */
void proc_kill(pid_t pid);
/* Starts argv with stdout/stderr to out_fd (or /dev/null), cwd dir, own process group. */
pid_t proc_spawn(char *const argv[], const char *dir, int out_fd, char *const envp[]);
/* The same, and keep_fd (if >= 0) becomes the child's fd 3; as_user: the child drops to
 * USER_UID/USER_GID (no supplementary groups) before exec. */
pid_t proc_spawn_fd(char *const argv[], const char *dir, int out_fd, char *const envp[], int keep_fd,
		    bool as_user);
/* Describes a wait status: "exit 3", "signal 9 (Killed)". */
void proc_status_str(int status, char *buf, size_t len);
double now_sec(void);

/* ---- zdtm compare (compare.c) ---- */

/* Prints verdict changes and moved criu times between two --json reports; exit code as a command. */
int cmd_compare(int argc, char **argv);
/* Joins the --json reports of shards into one summary and reports; exit code as a command. */
int cmd_merge(int argc, char **argv);

/* ---- the machine (host.c) ---- */

long host_taint(void);
/* A warning about the file system under dir (btrfs, overlayfs, nodev), or NULL. */
const char *host_fs_warning(const char *dir, char *buf, size_t len);
/* `zdtm check`: engine, features, kernel, taint, file systems, capabilities. */
int host_report(const struct catalog *c, const struct engine *e);

/* ---- the programs criu runs (helpers.c) ---- */

/* Looks prog up in PATH; false (path "") when it is not there. */
bool helper_find(const char *prog, char *path, size_t len);
/* Whether a program criu runs for this test in this flavor is missing here; why names it. */
bool helpers_missing(const struct test *t, enum flavor f, char *why, size_t len);
/* `zdtm check`: each program, where it was found or what is skipped without it. */
void helpers_report(void);

/* ---- files (fsutil.c) ---- */

int mkdir_p(const char *path, mode_t mode);
/* Whether path can be written (made in an existing, writable directory, or overwritten); -1 with why. */
int can_write_file(const char *path, char *why, size_t len);
int rm_rf(const char *path);
/* The runner's own directory (ROOT/bin, where bin/zdtm-criu-rpc and bin/libzdtm-fault.so are built
 * beside it), up levels higher (1: the suite's root). */
void runner_dir(char *buf, size_t len, int up);
/* Copies from into a new file to (made with mode, replaced if it was there); 0 or -1. */
int copy_file(const char *from, const char *to, mode_t mode);
/* Reads a whole small file into buf (NUL-terminated); length or -1. */
ssize_t read_text(const char *path, char *buf, size_t len);
/* Copies the first line of path containing needle into buf; 0 if found. */
int grep_first(const char *path, const char *needle, char *buf, size_t len);
void logf_(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The names in a directory, sorted. */
struct names {
	char **v;
	int n;
};
int dir_list(const char *dir, struct names *out);
bool names_has(const struct names *l, const char *name);
void names_free(struct names *l);

#endif
