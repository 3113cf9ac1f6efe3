/*
 * criu's stats images: after every dump (and pre-dump) criu writes "stats-dump", after a restore
 * "stats-restore", into the images directory. Each is one protobuf message in criu's image framing:
 *   u32 service magic, u32 stats magic, u32 length, StatsEntry { 1: dump {...}, 2: restore {...} }
 * whose inner fields are all varints (times in microseconds, page counts). We read the numbers we
 * report and nothing else; a missing or odd file leaves the metrics as they were.
 */
#include <dirent.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner.h"

#define SERVICE_MAGIC 0x55105940u
#define STATS_MAGIC 0x57093306u
#define MAX_FIELD 16

/* Field numbers of the dump and restore messages. */
enum { D_FREEZING = 1, D_FROZEN, D_MEMDUMP, D_MEMWRITE, D_PAGES_SCANNED, D_PAGES_WRITTEN = 7,
       D_SHPAGES_WRITTEN = 14 };
enum { R_PAGES_RESTORED = 5 };

struct cursor {
	const uint8_t *p, *end;
};

static int varint(struct cursor *c, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; c->p < c->end && shift < 64; shift += 7) {
		uint8_t b = *c->p++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

/* Walks one message: varint fields go to vals[] (by number), the length-delimited field `sub`
 * becomes *inner. Other wire types end the walk: criu's stats use none. */
static int walk(struct cursor c, uint64_t *vals, unsigned sub, struct cursor *inner)
{
	uint64_t key, v;

	while (c.p < c.end) {
		if (varint(&c, &key))
			return -1;
		if ((key & 7) == 0) {
			if (varint(&c, &v))
				return -1;
			if (vals && (key >> 3) < MAX_FIELD)
				vals[key >> 3] = v;
		} else if ((key & 7) == 2) {
			if (varint(&c, &v) || v > (uint64_t)(c.end - c.p))
				return -1;
			if ((key >> 3) == sub && inner)
				*inner = (struct cursor){ c.p, c.p + v };
			c.p += v;
		} else {
			return -1;
		}
	}
	return 0;
}

/* The varint fields of the stats entry's sub-message `which` (1 dump, 2 restore); -1 if absent. */
static int read_stats(const char *imgdir, const char *name, unsigned which, uint64_t *vals)
{
	char path[4200], buf[4096];
	uint32_t hdr[3];
	ssize_t n;
	struct cursor inner = { NULL, NULL };

	snprintf(path, sizeof(path), "%s/%s", imgdir, name);
	n = read_text(path, buf, sizeof(buf));
	if (n < (ssize_t)sizeof(hdr))
		return -1;
	memcpy(hdr, buf, sizeof(hdr));
	if (hdr[0] != SERVICE_MAGIC || hdr[1] != STATS_MAGIC || hdr[2] > n - sizeof(hdr))
		return -1;
	memset(vals, 0, MAX_FIELD * sizeof(*vals));
	if (walk((struct cursor){ (uint8_t *)buf + sizeof(hdr), (uint8_t *)buf + sizeof(hdr) + hdr[2] }, NULL,
		 which, &inner) || !inner.p)
		return -1;
	return walk(inner, vals, 0, NULL);
}

static void add_time(double *sum, uint64_t usec)
{
	*sum = (*sum < 0 ? 0 : *sum) + usec / 1e6;
}

static void add_count(long long *sum, uint64_t n)
{
	*sum = (*sum < 0 ? 0 : *sum) + (long long)n;
}

/* Bytes in the files of imgdir named PREFIX...SUFFIX, and whether one is not whole pages. The size
 * of a dump on disk is that of its "*.img" files (logs and our own notes are not images). */
static long long files_bytes(const char *imgdir, const char *prefix, const char *suffix, bool *ragged)
{
	size_t plen = strlen(prefix), slen = strlen(suffix);
	long page = sysconf(_SC_PAGESIZE);
	DIR *d = opendir(imgdir);
	struct dirent *e;
	struct stat st;
	long long sum = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len > plen + slen && !strncmp(e->d_name, prefix, plen) && !strcmp(e->d_name + len - slen, suffix) &&
		    !fstatat(dirfd(d), e->d_name, &st, 0)) {
			sum += st.st_size;
			*ragged |= st.st_size % page != 0;
		}
	}
	closedir(d);
	return sum;
}

int stats_check_pages(const char *imgdir, char *why, size_t len)
{
	uint64_t v[MAX_FIELD];
	bool ragged = false;
	long long bytes, want;

	if (read_stats(imgdir, "stats-dump", 1, v) || (bytes = files_bytes(imgdir, "pages-", ".img", &ragged)) < 0)
		return 0;
	want = (long long)(v[D_PAGES_WRITTEN] + v[D_SHPAGES_WRITTEN]) * sysconf(_SC_PAGESIZE);
	if (!ragged && bytes == want)
		return 0;
	snprintf(why, len, "page counts mismatch: stats-dump says %llu pages written (%llu shared), "
		 "the pages-*.img files hold %lld bytes%s, expected %lld",
		 (unsigned long long)(v[D_PAGES_WRITTEN] + v[D_SHPAGES_WRITTEN]),
		 (unsigned long long)v[D_SHPAGES_WRITTEN], bytes, ragged ? " (not whole pages)" : "", want);
	return -1;
}

void metrics_init(struct metrics *m)
{
	*m = (struct metrics){ .freezing = -1, .frozen = -1, .memdump = -1, .memwrite = -1, .pages_scanned = -1,
			       .pages_written = -1, .pages_restored = -1, .image_bytes = -1, .mem_digest = -1 };
}

void stats_add_dump(const char *imgdir, struct metrics *m)
{
	uint64_t v[MAX_FIELD];
	bool ragged = false;
	long long size = files_bytes(imgdir, "", ".img", &ragged);

	if (size > m->image_bytes)
		m->image_bytes = size;
	if (read_stats(imgdir, "stats-dump", 1, v))
		return;
	add_time(&m->freezing, v[D_FREEZING]);
	add_time(&m->frozen, v[D_FROZEN]);
	add_time(&m->memdump, v[D_MEMDUMP]);
	add_time(&m->memwrite, v[D_MEMWRITE]);
	add_count(&m->pages_scanned, v[D_PAGES_SCANNED]);
	add_count(&m->pages_written, v[D_PAGES_WRITTEN]);
}

void stats_add_restore(const char *imgdir, struct metrics *m)
{
	uint64_t v[MAX_FIELD];

	if (!read_stats(imgdir, "stats-restore", 2, v))
		add_count(&m->pages_restored, v[R_PAGES_RESTORED]);
}
