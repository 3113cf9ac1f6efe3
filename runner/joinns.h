/* --join-ns: the run's network namespace that every restore joins (joinns.c). */
#ifndef ZDTM_JOINNS_H
#define ZDTM_JOINNS_H

#include "runner.h"

/* Where the namespace is kept for a run: RUNDIR/join-ns.net. */
void joinns_path(const char *rundir, char *buf, size_t len);
/* A new network namespace with lo up, bound onto path; 0, or -1 after a message. */
int joinns_create(const char *path);
/* Unbinds and removes it (nothing when it is not there). */
void joinns_remove(const char *path);
/* The task pid is in the namespace bound on path; 0, or -1 with both inodes in why. */
int joinns_check(pid_t pid, const char *path, char *why, size_t len);

#endif
