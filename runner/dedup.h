/* --dedup, --noauto-dedup: a call that deduplicates must free the page blocks it made redundant (dedup.c). */
#ifndef ZDTM_DEDUP_H
#define ZDTM_DEDUP_H

#include "runner.h"

/* The 512-byte blocks the pages-*.img files of dir hold; -1 when it has none. */
long long dedup_blocks(const char *dir);
/* After a call that punches dir's pages (restore: the ones it read; chained dump or criu dedup: the
 * parent's that the new images hold again), before: dedup_blocks(dir) before the call. A restore
 * must have freed every block, a chained call must not have added any. 0, or -1 with why. */
int dedup_check(const char *dir, long long before, bool restore, int log, char *why, size_t len);

#endif
