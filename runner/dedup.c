/*
 * --dedup and --noauto-dedup check that deduplication happened, not only that the test survived it.
 * criu deduplicates by punching holes (fallocate PUNCH_HOLE) in pages-*.img: a punched page keeps
 * the file's size (the page-count check of stats.c still holds) but frees its blocks, so the blocks
 * of an images dir's page files, before and after the call, tell what was punched.
 *  - A restore with --auto-dedup punches every page it reads: its page images must be left without
 *    a block (the whole catalog in h frees them all, here).
 *  - A chained dump with --auto-dedup, or `criu dedup` after it, punches the parent's pages that the
 *    new images hold again. Which those are, only the two pagemaps say (a dump of an idle tree may
 *    hold none of the parent's pages): the parent must not gain blocks, and what it lost is logged.
 */
#include <string.h>
#include <sys/stat.h>

#include "dedup.h"

long long dedup_blocks(const char *dir)
{
	struct names l;
	long long sum = -1;
	char path[4400];
	struct stat st;

	if (dir_list(dir, &l))
		return -1;
	for (int i = 0; i < l.n; i++) {
		size_t len = strlen(l.v[i]);

		if (strncmp(l.v[i], "pages-", 6) || len < 10 || strcmp(l.v[i] + len - 4, ".img"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, l.v[i]);
		if (!stat(path, &st))
			sum = (sum < 0 ? 0 : sum) + st.st_blocks;
	}
	names_free(&l);
	return sum;
}

int dedup_check(const char *dir, long long before, bool restore, int log, char *why, size_t len)
{
	long long after = dedup_blocks(dir);

	logf_(log, "zdtm: dedup: the pages-*.img of %s held %lld blocks, now %lld", dir, before, after);
	if (restore && before > 0 && after > 0) {
		snprintf(why, len, "restore --auto-dedup left %lld of the %lld blocks of the pages-*.img it read "
			 "(it punches every page it reads)", after, before);
		return -1;
	}
	if (!restore && after > before) {
		snprintf(why, len, "the parent's pages-*.img grew from %lld to %lld blocks in a deduplication", before,
			 after);
		return -1;
	}
	return 0;
}
