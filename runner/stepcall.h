/* The criu command of a planned step and of the server it needs (stepcall.c). */
#ifndef ZDTM_STEPCALL_H
#define ZDTM_STEPCALL_H

#include "criu.h"
#include "flavor.h"
#include "steps.h"

#define PAGE_SERVER_PORT "27000"   /* each job has a network namespace of its own */

/* The arguments of one step, before the test's declared options. */
struct step_call {
	struct criu_call call;
	const char *args[48];
	char dir[4200], prev[32], pidfile[4300], env[32], join_ns[4300], script[4200], record[4200], cgroup[4200];
	char tls[3][4200];      /* --tls: the CA, the certificate, the key */
	char preload[4200];     /* --preload-libfault: LD_PRELOAD=PATH */
	char inherit[96];       /* a restore of a test with an inherited fd: fd[3]:NAME */
	char external[96];      /* a dump of a test with an inherited socket: unix[INO] */
	char cgroot[4300];      /* a restore of a test flagged cgroup-root: pids:/zdtm-NAME-INO/newroot */
};

/* The call of step st of the job; pid: the tree's root ("PID" for --dry-run). */
void step_call(const struct job_ctx *ctx, const struct flavor_setup *fs, const struct step *st, const char *pid,
	       struct step_call *sc);
#define MAX_SERVERS 2
/* The background criu calls a step needs, in the order they start, each ready on fd 3: a page
 * server for a dump-type step with --page-server; for a lazy restore a lazy-pages daemon, after
 * the page server on the images it reads (--remote-lazy-pages). Returns how many. */
int server_calls(const struct step *st, const struct step_call *sc, struct step_call srv[MAX_SERVERS]);

#endif
