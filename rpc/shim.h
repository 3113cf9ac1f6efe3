/*
 * zdtm-criu-rpc: the runner's criu command line carried over criu's RPC (libcriu, `criu swrk`).
 * options.c maps each option to its libcriu setter (setters.c), scripts.c runs --action-script on criu's
 * notifications, main.c runs the action and turns libcriu's answer into an exit status.
 */
#ifndef ZDTM_RPC_SHIM_H
#define ZDTM_RPC_SHIM_H

#include <stdbool.h>
#include <criu/criu.h>

/* Exit statuses, one line on stderr with each but the first. */
enum { SHIM_OK = 0, SHIM_REFUSED = 1, SHIM_CANNOT_CARRY = 2, SHIM_CRASHED = 3 };

#define MAX_SCRIPTS 8

struct shim {
	criu_opts *o;
	const char *criu, *action;
	const char *imgdir, *log, *pidfile;
	int imgfd;
	const char *ps_address;     /* --page-server --address A --port P: one setter, applied last */
	int ps_port;
	bool page_server, sibling;
	const char *scripts[MAX_SCRIPTS];
	int nscripts;
	int stderr_fd;              /* the real stderr while libcriu's goes to main.c */
};

/* Applies argv[i..] (criu's options) to s->o; 0, or the exit status after one line on stderr. */
int shim_options(struct shim *s, int argc, char **argv, int i);
/* Lets criu hand each action-script stage to us (RPC runs no scripts itself). */
void shim_scripts(struct shim *s);

void shim_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
