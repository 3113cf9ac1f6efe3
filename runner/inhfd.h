/* Inherited fds: the pair whose one end the test holds from the runner (inhfd.c). */
#ifndef ZDTM_RUNNER_INHFD_H
#define ZDTM_RUNNER_INHFD_H

#include "runner.h"

enum inhfd_kind { INHFD_NONE, INHFD_PIPE, INHFD_SOCKET };

struct inhfd {
	enum inhfd_kind kind;
	int mine;           /* the runner's end, -1 for none */
	int theirs;         /* the test's end (or the restore's) until handed over, -1 after */
	char name[64];      /* criu's name of the test's end that a restore replaces: pipe:[INO], socket:[INO] */
	char ino[24];       /* its inode, for a dump's --external unix[INO] */
	char next[64];      /* ... of the pair being handed to a restore */
};

/* The kind a test declares (flag inhfd-pipe or inhfd-socket). */
enum inhfd_kind inhfd_kind(const struct test *t);
/* A first pair for the test: 0, or -1 with why. */
int inhfd_start(struct inhfd *h, enum inhfd_kind kind, char *why, size_t len);
/* A fresh pair for a restore, whose end for the restored test is h->theirs; the old name stays
 * in h->name for --inherit-fd. 0, or -1 with why. */
int inhfd_renew(struct inhfd *h, char *why, size_t len);
/* The test's end was handed over (to the test, or to a restore that took it: then its name is the
 * test's from now on): the runner closes its copy. */
void inhfd_handed(struct inhfd *h, bool took);
/* Before SIGTERM: the message into the runner's end. 0, or -1 with why. */
int inhfd_say(struct inhfd *h, char *why, size_t len);
void inhfd_close(struct inhfd *h);

#endif
