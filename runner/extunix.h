/* An external unix peer: the runner's datagram socket a test connects to (extunix.c). */
#ifndef ZDTM_RUNNER_EXTUNIX_H
#define ZDTM_RUNNER_EXTUNIX_H

#include "runner.h"

struct extunix {
	int fd;                  /* the runner's bound socket, -1 when the test has none */
	char path[4200];
};

/* For a test flagged extunix-peer: binds the peer in the test's working directory cwd (a host
 * path). 0 (e->fd -1 for other tests), or -1 with why. */
int extunix_start(struct extunix *e, const struct test *t, const char *cwd, char *why, size_t len);
/* After the test's end: what the peer received must be the test's two datagrams, in order. 0, or
 * -1 with why. */
int extunix_check(struct extunix *e, char *why, size_t len);
void extunix_close(struct extunix *e);

#endif
