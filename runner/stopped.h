/* --stop: a tree criu left stopped (stopped.c). */
#ifndef ZDTM_STOPPED_H
#define ZDTM_STOPPED_H

#include "runner.h"

/* Every thread of every task of the tree rooted at root is stopped (T) or a zombie (Z) within 3 s;
 * 0, or -1 with the first one that is not, named by pid, tid and state, in why. */
int tree_stopped(pid_t root, char *why, size_t len);
/* Sends sig to every task of the tree, parents first. */
void tree_signal(pid_t root, int sig);

#endif
