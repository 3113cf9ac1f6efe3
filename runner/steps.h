/* The criu calls of one job, in order (steps.c): one plan for running and for --dry-run. */
#ifndef ZDTM_STEPS_H
#define ZDTM_STEPS_H

#include "runner.h"

enum step_kind { STEP_PRE_DUMP, STEP_SNAPSHOT, STEP_DUMP, STEP_RESTORE, STEP_DEDUP };

struct step {
	enum step_kind kind;
	int iter;                /* 1..--iter */
	int dir;                 /* images in DIR/img/<dir> */
	int prev;                /* dump-type: --prev-images-dir ../<prev>, 0 for none */
	bool leave_running;      /* dump-type: the tree keeps running (snapshots, --norst) */
	bool page_server;        /* dump-type: pages go to a page server started for this call */
	bool lazy;               /* restore: --lazy-pages, pages served by a lazy-pages daemon */
	bool remote;             /* lazy restore: the daemon gets the pages from a page server over TCP: */
	bool serve_images;       /*   one on the images (page-server --lazy-pages), or else the dump below */
	bool migrate;            /* dump: --lazy-pages --port: it stays up, the tree seized, and serves the
	                          * pages to the restore that follows; it ends once they are served */
	bool tls;                /* a page-server connection (page_server, remote, migrate): --tls, the run's files */
	bool leave_stopped;      /* dump, restore: --leave-stopped; the runner checks, then kills or continues */
	bool config;             /* every call (and its server): options through a config file */
	const char *pre_dump_mode;   /* dump-type: --pre-dump-mode splice|read, or NULL */
	bool mntns_compat;       /* restore: --mntns-compat-mode */
	bool join_ns;            /* restore: --join-ns net:RUNDIR/join-ns.net, checked after it */
	bool empty_ns;           /* dump-type, restore: --empty-ns net (restore: with our action script) */
	int freezecg;            /* dump-type: --freeze-cgroup CG --manage-cgroups, the tree put into CG
	                          * before, frozen or thawed; restore: --manage-cgroups, CG checked after */
	const char *script;      /* dump-type, restore: --script's user action script, then our recorder */
	bool auto_dedup;         /* dump-type (and its page server), restore: --auto-dedup */
	int punches;             /* the images dir whose pages-*.img the call must punch (dedup.c), 0: none */
	int fault;               /* CRIU_FAULT for the call (not its server), 0 for none */
	bool crit;               /* dump-type: its images through crit decode and encode, its ps (crit.c) */
	bool libfault;           /* dump-type, restore (not servers, not dedup): LD_PRELOAD of libfault */
	bool stream;             /* dump, restore: --stream, the images through an image streamer (stream.c) */
	bool retry;              /* runs only when the step before failed at its fault (< 128): the same
	                          * call again without it */
};

#define MAX_STEPS 4096
#define FAULT_NONFATAL 128       /* criu's fault codes from here on change behaviour, not fail */

/* Fills s with the job's criu calls; returns how many. */
int steps_plan(const struct run_opts *o, struct step *s);
/* "pre-dump", "dump", "restore" or "dedup": the criu action of a step. */
const char *step_action(const struct step *s);

#endif
