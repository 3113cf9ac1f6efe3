/* One criu call (criu.c). */
#ifndef ZDTM_CRIU_H
#define ZDTM_CRIU_H

#include <stdio.h>

#include "runner.h"

struct criu_call {
	const struct engine *engine;
	const struct test *test;
	const char *action;          /* dump, restore, pre-dump, ... */
	const char *imgdir;          /* --images-dir; the log and argv go there too */
	const char *const *args;     /* NULL-terminated, before the test's options */
	const char *phase_opts;      /* the test's dopts or ropts */
	double timeout_mul;
	bool unprivileged;           /* --unprivileged (--user, --rootless) */
	bool as_user;                /* --user: the call drops to USER_UID (under --rootless the job is that uid) */
	bool config;                 /* --criu-config: the options go through IMGDIR/ACTION.conf */
	const char *env;             /* NAME=VALUE added to criu's environment (CRIU_FAULT=N), or NULL */
	const char *preload;         /* LD_PRELOAD=PATH added too (--preload-libfault), or NULL */
	bool rpc;                    /* through bin/zdtm-criu-rpc --criu PATH (--rpc; dump, pre-dump, restore) */
	bool inherit;                /* inherit_fd becomes criu's fd 3 (--inherit-fd fd[3]:...) */
	int inherit_fd;
};

enum { CRIU_OK = 0, CRIU_REFUSED = -1 /* exited non-zero */, CRIU_CRASHED = -2 /* signal, timeout */,
       CRIU_UNCARRIED = -3 /* --rpc: the shim cannot carry an option the test declares; nothing ran */ };

/* Runs the call; on failure fills r (verdict, phase, reason) and returns CRIU_REFUSED or
 * CRIU_CRASHED. Adds its time to r->criu. */
int criu_run(const struct criu_call *c, struct result *r);
#define MAX_ARGS 96

struct criu_cmd {
	char *argv[MAX_ARGS];
	char log[4200], opts[256], extra[256];
	char conf_path[4200], conf[8192];   /* --criu-config: the file's path and content ("" without) */
	char rpc[4200];                     /* --rpc: the shim's path */
};

/* The exact command line of a call (what runs, what --dry-run prints, what ACTION.argv keeps), and
 * with --criu-config the content of its ACTION.conf (what --dry-run prints below it). */
void criu_command(const struct criu_call *c, struct criu_cmd *cmd);
/* prefix: what leads the line ("if it failed: "), or NULL. */
void criu_print(const struct criu_call *c, const char *prefix, FILE *f);
/* A background criu (page-server, lazy-pages, a migrating dump) that reports readiness on
 * --status-fd 3: its pid once ready, or CRIU_REFUSED or CRIU_CRASHED with r filled. criu_stop_server() waits for it to end by itself and judges its exit. */
pid_t criu_start_server(const struct criu_call *c, struct result *r);
int criu_stop_server(const struct criu_call *c, pid_t pid, struct result *r);
/* A lazy-pages daemon that ended well must have served every page it was given: each of its
 * "UFFD transferred pages: (N/M)" lines has N == M, and there is at least one. 0, or -1 with why. */
int criu_lazy_served(const char *imgdir, char *why, size_t len);
/* --preload-libfault: the library's line in the call's ACTION.out says it was loaded; 0, or -1 with
 * why. */
int criu_libfault_loaded(const struct criu_call *c, char *why, size_t len);
/* --rpc: bin/zdtm-criu-rpc, beside the runner. */
void rpc_shim(char *buf, size_t len);
/* The first Error line of a criu log that says something. */
void criu_first_error(const char *log, char *buf, size_t len);

#endif
