/* The test process: start it, wait for "ready", stop it, read its verdict (testproc.c). */
#ifndef ZDTM_TESTPROC_H
#define ZDTM_TESTPROC_H

#include "flavor.h"

struct testproc {
	char pidfile[4200];
	char outfile[4200];
	char cwd[4200];
	pid_t pid;              /* the test's main process once ready */
	/* Our children beside it at "ready": processes the test sent out of its tree (a peer it
	 * orphaned, as net_lock_socket_iptables does). criu neither dumps nor kills them, so a
	 * dump does not wait for them to end; the job's end takes them along. */
	pid_t outside[8];
	int noutside;
	int inherit_fd;         /* set before the start: the test gets it as its fd 3; -1 for none */
};

/* Starts the test as the flavor says; 0 when ready, else r is filled and -1 returned. */
int testproc_start(struct job_ctx *ctx, const struct flavor_setup *fs, struct testproc *tp, struct result *r);
/* Waits until the (dumped) test process is gone, so its pid is free for restore. */
int testproc_wait_gone(struct job_ctx *ctx, struct testproc *tp, struct result *r);
/* SIGTERM, wait for the end, combine exit status and verdict line into r. */
void testproc_stop(struct job_ctx *ctx, struct testproc *tp, struct result *r);
/* Kills whatever is left of the test. */
void testproc_kill(struct testproc *tp);
int phase_timeout_ms(const struct job_ctx *ctx);

#endif
