/* --crit: criu's images decoded and encoded again by crit, and crit's view of the tree (crit.c). */
#ifndef ZDTM_CRIT_H
#define ZDTM_CRIT_H

#include <stddef.h>

/* Whether crit (pycriu and its protobuf) can run here: 0, or -1 with why. */
int crit_probe(char *why, size_t len);
/* After a dump into imgdir: every image comes back byte for byte through crit decode and encode,
 * and, where state_before (the runner's /proc snapshot of the tree) is given, `crit x imgdir ps`
 * lists its tasks. 0, or -1 with why. The outputs stay in imgdir (crit.out, crit-ps.out). */
int crit_check(const char *imgdir, const char *state_before, char *why, size_t len);

#endif
