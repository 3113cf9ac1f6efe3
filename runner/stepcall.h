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
};

/* The call of step st of the job; pid: the tree's root ("PID" for --dry-run). */
void step_call(const struct job_ctx *ctx, const struct flavor_setup *fs, const struct step *st, const char *pid,
	       struct step_call *sc);
/* The background criu a step needs before it runs (a page server for a dump-type step with
 * --page-server, a lazy-pages daemon for a lazy restore), with readiness on fd 3; false for none. */
bool server_call(const struct step *st, const struct step_call *sc, struct step_call *srv);

#endif
