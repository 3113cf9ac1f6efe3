/*
 * The memory of the test's tree, page by page, before and after C/R: for
 * every task state.c's snapshot walks (tree.c), every readable area, every
 * page hashed (xxh3, 64 bits). A digest file has one line per area, cut and
 * merged as state.c cuts and merges them (so both name the same areas):
 *   task 1: 7f12a000-7f12c000 rw-p [heap] : z*2 5f0c1b2a9e3d4c77
 * "z" is a page of zeros, "-" a page not digested, "H*N" N equal pages.
 * A page differs when both digests hold a hash for it and the hashes differ.
 *
 * How a page is read, so that digesting changes nothing a test could see
 * (no page is faulted into the test's page tables, no shmem hole filled):
 *  - present or swapped (/proc/PID/pagemap): through /proc/PID/mem;
 *  - absent in private anonymous memory: zeros, without reading;
 *  - absent in a file mapping (regular file, memfd, shared anonymous memory):
 *    the file's page through /proc/PID/map_files (a hole is zeros, found with
 *    SEEK_DATA, not read); its partial last page and beyond its end, not
 *    digested: bytes written through a mapping past a file's end stay in the
 *    page but are not in the file (shm_unaligned);
 *  - anything else absent: not digested.
 *
 * What legitimately changes, and is therefore not digested (each was seen
 * in a catalog run):
 *  - [vvar], [vvar_vclock], [vdso], [vsyscall] (the kernel's, not the test's)
 *    and areas without read permission;
 *  - each thread's stack below its stack pointer, and the page holding it:
 *    the part of the stack VMA from its start to the end of that page (the
 *    stack pointer of a sleeping thread is in /proc/PID/task/TID/syscall;
 *    stat's kstkesp is 0 for live tasks). Criu and the kernel may use it
 *    (red zone, signal frames, parasite calls);
 *  - what a process lists in libzdtm's volatile table (zdtm/lib/volatile.c),
 *    found by its section in the process's executable (elfsection.c): every
 *    thread's rseq area (the kernel rewrites cpu_id and mm_cid when the
 *    thread runs on another CPU: every test, the namespace init too), every
 *    thread's errno (a semop the dump interrupts returns EINTR: sem_undo),
 *    and what a test declares with test_volatile() (a counter a child or a
 *    timer keeps moving: busyloop00, posix_timers01).
 * Transition tests are not compared (cycle.c). A thread that is still
 * running when the digest starts (the test may be between "ready" and its
 * sleep) is waited for, up to 50 ms; libzdtm writes nothing of its own after
 * "ready" (test_daemon).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "memory.h"
#include "tree.h"

#define CHUNK 512                 /* pages read at once */
#define MAX_SP 1024               /* threads per task whose stacks are skipped */
#define BUSY_WAIT 0.05            /* seconds to wait for a running thread to sleep */
#define PM_PRESENT (1ULL << 63)
#define PM_SWAPPED (1ULL << 62)

enum { TOK_SKIPPED, TOK_ZERO };   /* a page's token; any other value is its hash */
enum how { SKIP, ZERO, MEM, FILE_ };

/* libzdtm's table of volatile areas (zdtm/lib/zdtm.h: struct zdtm_volatile_table, test_volatile()). */
#define VOLATILE_SECTION ".zdtm_volatile"
#define VOLATILE_MAX 64
struct volatile_table {
	uint64_t n;
	struct {
		uint64_t addr, len;
	} area[VOLATILE_MAX];
};

/* One task being digested. */
struct task {
	pid_t pid;
	int mem, pagemap;
	unsigned long sp[MAX_SP];
	int nsp;
	struct volatile_table vol;
	long page;
	uint64_t zero;            /* the hash of a page of zeros */
	char *buf;                /* CHUNK pages */
};

/* Where the executable's volatile table is, looked up once per executable and digest. */
struct exe_cache {
	dev_t dev;
	ino_t ino;
	unsigned long table;
};

/* One line of the digest: neighbouring areas merged as state.c merges them. */
struct area {
	struct vma v;
	uint64_t *tok;
	size_t n, cap;
};

static bool busy_thread(pid_t pid, pid_t tid, unsigned long *sp)
{
	char path[96], buf[512], *last;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", pid, tid);
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return false;                 /* gone: nothing to skip */
	if (!strncmp(buf, "running", 7))
		return true;
	buf[strcspn(buf, "\n")] = 0;
	/* "NR ARGS... SP PC" or "-1 SP PC": the stack pointer is the second last field. */
	if ((last = strrchr(buf, ' '))) {
		*last = 0;
		*sp = strtoul((last = strrchr(buf, ' ')) ? last + 1 : buf, NULL, 16);
	}
	return false;
}

/* The stack pointers of pid's threads. While one still runs, they are read again every
 * millisecond for BUSY_WAIT seconds at most: a test falls asleep right after "ready", and a restored
 * thread right after the restore; a thread that keeps spinning (busyloop00) is digested as it is. */
static void stack_pointers(struct task *t)
{
	char path[64];
	struct names tids;
	double end = now_sec() + BUSY_WAIT;

	snprintf(path, sizeof(path), "/proc/%d/task", t->pid);
	for (;;) {
		bool busy = false;

		t->nsp = 0;
		if (dir_list(path, &tids))
			return;
		for (int i = 0; i < tids.n && t->nsp < MAX_SP; i++) {
			unsigned long sp = 0;

			busy |= busy_thread(t->pid, atoi(tids.v[i]), &sp);
			if (sp)
				t->sp[t->nsp++] = sp;
		}
		names_free(&tids);
		if (!busy || now_sec() > end)
			return;
		usleep(1000);
	}
}

static bool skipped_area(const struct vma *v)
{
	static const char *const kernel[] = { "[vvar]", "[vvar_vclock]", "[vdso]", "[vsyscall]" };

	for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++)
		if (!strcmp(v->file, kernel[i]))
			return true;
	return v->perms[0] != 'r';
}

/* The end of what is skipped at the bottom of v: up to and with the page of the highest stack
 * pointer inside it, or v->start when no thread's stack pointer is in v. */
static unsigned long stack_skip_end(const struct task *t, const struct vma *v)
{
	unsigned long end = v->start;

	for (int i = 0; i < t->nsp; i++)
		if (t->sp[i] >= v->start && t->sp[i] < v->end) {
			unsigned long e = (t->sp[i] & ~(t->page - 1)) + t->page;

			if (e > end)
				end = e;
		}
	return end;
}

static void add_token(struct area *a, uint64_t tok)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->tok = realloc(a->tok, a->cap * sizeof(*a->tok));
	}
	a->tok[a->n++] = tok;
}

/* The task's volatile areas, from the table libzdtm keeps in it (none in a process of another binary). */
static void volatile_areas(struct task *t, struct exe_cache *c)
{
	char exe[64];
	struct stat st;

	t->vol.n = 0;
	snprintf(exe, sizeof(exe), "/proc/%d/exe", t->pid);
	if (stat(exe, &st))
		return;
	if (st.st_dev != c->dev || st.st_ino != c->ino)
		*c = (struct exe_cache){ st.st_dev, st.st_ino, elf_section(exe, VOLATILE_SECTION) };
	if (!c->table || pread(t->mem, &t->vol, sizeof(t->vol), c->table) != sizeof(t->vol))
		t->vol.n = 0;
	if (t->vol.n > VOLATILE_MAX)
		t->vol.n = VOLATILE_MAX;
}

/* Zeroes what of the task's volatile areas lies in the page at addr (held in page). */
static void mask_volatile(const struct task *t, char *page, unsigned long addr)
{
	for (uint64_t i = 0; i < t->vol.n; i++) {
		unsigned long lo = t->vol.area[i].addr, hi = lo + t->vol.area[i].len;

		lo = lo > addr ? lo : addr;
		hi = hi < addr + t->page ? hi : addr + t->page;
		if (lo < hi)
			memset(page + (lo - addr), 0, hi - lo);
	}
}

static uint64_t page_token(const struct task *t, char *page, unsigned long addr)
{
	uint64_t h;

	mask_volatile(t, page, addr);
	h = XXH3_64bits(page, t->page);

	return h == t->zero ? TOK_ZERO : h <= TOK_ZERO ? TOK_ZERO + 1 : h;
}

/* Reads n pages at off of fd into t->buf; returns how many whole pages were read. A file's last,
 * partial page is not one: what a mapping shows beyond the file's end (bytes written there through
 * it, kept with the page) is not in the file. */
static size_t read_pages(const struct task *t, int fd, size_t n, off_t off)
{
	ssize_t got = fd < 0 ? -1 : pread(fd, t->buf, n * t->page, off);

	return got <= 0 ? 0 : got / t->page;
}

static void add_pages(const struct task *t, struct area *a, unsigned long addr, size_t n, size_t got)
{
	for (size_t i = 0; i < n; i++)
		add_token(a, i < got ? page_token(t, t->buf + i * t->page, addr + i * t->page) : TOK_SKIPPED);
}

/* Hashes the run of n present pages from addr, through /proc/PID/mem. */
static void digest_mem_run(const struct task *t, unsigned long addr, size_t n, struct area *a)
{
	size_t got = read_pages(t, t->mem, n, addr);

	/* /proc/PID/mem stops at the first page it cannot read: retry one page at a time. */
	if (got < n && n > 1) {
		for (size_t i = 0; i < n; i++)
			digest_mem_run(t, addr + i * t->page, 1, a);
		return;
	}
	add_pages(t, a, addr, n, got);
}

/* The file behind an area, read by file offset: fd (-1 if it cannot be opened) and its size. */
struct backing {
	int fd;
	off_t size;
};

/* Hashes the run of n absent pages from addr through the area's file: a hole is zeros without
 * reading (a large, mostly untouched shared mapping costs nothing), pages past the end are not
 * digested. */
static void digest_file_run(const struct task *t, const struct vma *v, const struct backing *f, unsigned long addr,
			    size_t n, struct area *a)
{
	off_t off = v->off + (addr - v->start), data, hole;
	size_t k;

	for (size_t i = 0; i < n; i += k) {
		off_t at = off + i * t->page, whole = (f->size - at) / t->page;

		if (f->fd < 0 || whole <= 0) {
			add_token(a, TOK_SKIPPED);
			k = 1;
			continue;
		}
		data = lseek(f->fd, at, SEEK_DATA);
		if (data < 0)
			data = errno == ENXIO ? f->size : at;   /* only a hole left, or no answer: read */
		k = (data - at) / t->page;
		k = k < n - i ? k : n - i;
		k = (off_t)k < whole ? k : (size_t)whole;
		for (size_t z = 0; z < k; z++)
			add_token(a, TOK_ZERO);
		if (k)
			continue;
		hole = lseek(f->fd, at, SEEK_HOLE);
		k = hole > at ? (hole - at + t->page - 1) / t->page : 1;
		k = k < n - i ? k : n - i;
		k = k < CHUNK ? k : CHUNK;
		add_pages(t, a, addr + i * t->page, k, read_pages(t, f->fd, k, at));
	}
}

static enum how how_to_read(const struct vma *v, uint64_t pm)
{
	if (pm & (PM_PRESENT | PM_SWAPPED))
		return MEM;
	if (v->perms[3] == 'p' && (!v->file[0] || v->file[0] == '['))
		return ZERO;
	return v->file[0] == '/' ? FILE_ : SKIP;
}

/* Appends the tokens of v's pages to a, CHUNK pages at a time. */
static void digest_vma(const struct task *t, const struct vma *v, struct area *a)
{
	unsigned long skip_end = stack_skip_end(t, v);
	struct backing f = { -1, 0 };
	uint64_t pm[CHUNK];
	enum how how[CHUNK];
	char path[96];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/map_files/%lx-%lx", t->pid, v->start, v->end);
	if (v->file[0] == '/' && (f.fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0 && !fstat(f.fd, &st))
		f.size = st.st_size;
	for (unsigned long at = v->start; at < v->end;) {
		size_t n = (v->end - at) / t->page < CHUNK ? (v->end - at) / t->page : CHUNK;
		off_t pmoff = at / t->page * sizeof(uint64_t);

		if (pread(t->pagemap, pm, n * sizeof(uint64_t), pmoff) != (ssize_t)(n * sizeof(uint64_t)))
			for (size_t i = 0; i < n; i++)
				pm[i] = PM_PRESENT;   /* no pagemap: read everything through mem */
		for (size_t i = 0; i < n; i++)
			how[i] = at + i * t->page < skip_end ? SKIP : how_to_read(v, pm[i]);
		for (size_t i = 0, j; i < n; i = j) {
			for (j = i + 1; j < n && how[j] == how[i]; j++)
				;
			if (how[i] == MEM)
				digest_mem_run(t, at + i * t->page, j - i, a);
			else if (how[i] == FILE_)
				digest_file_run(t, v, &f, at + i * t->page, j - i, a);
			else
				for (size_t k = i; k < j; k++)
					add_token(a, how[i] == ZERO ? TOK_ZERO : TOK_SKIPPED);
		}
		at += n * t->page;
	}
	if (f.fd >= 0)
		close(f.fd);
}

static void put_token(FILE *f, uint64_t tok)
{
	if (tok == TOK_SKIPPED)
		fputs(" -", f);
	else if (tok == TOK_ZERO)
		fputs(" z", f);
	else
		fprintf(f, " %016llx", (unsigned long long)tok);
}

static void write_area(FILE *f, pid_t vpid, struct area *a)
{
	fprintf(f, "task %d: %lx-%lx %s%s%s :", vpid, a->v.start, a->v.end, a->v.perms, a->v.file[0] ? " " : "",
		a->v.file);
	for (size_t i = 0, j; i < a->n; i = j) {
		for (j = i + 1; j < a->n && a->tok[j] == a->tok[i]; j++)
			;
		put_token(f, a->tok[i]);
		if (j - i > 1)
			fprintf(f, "*%zu", j - i);
	}
	fputc('\n', f);
	a->n = 0;
}

static void digest_task(struct task *t, pid_t vpid, FILE *out)
{
	char path[64];
	struct area a = { 0 };
	bool have = false;
	struct vma v;
	FILE *maps;

	snprintf(path, sizeof(path), "/proc/%d/maps", t->pid);
	if (!(maps = fopen(path, "re")))
		return;
	stack_pointers(t);
	while (vma_next(maps, &v)) {
		bool skip = skipped_area(&v), joins = have && !skip && vma_continues(&a.v, &v);

		if (have && !joins) {
			write_area(out, vpid, &a);
			have = false;
		}
		if (skip)
			continue;
		if (joins)
			a.v.end = v.end;
		else
			a.v = v;
		have = true;
		digest_vma(t, &v, &a);
	}
	if (have)
		write_area(out, vpid, &a);
	free(a.tok);
	fclose(maps);
}

int memory_digest(pid_t root, const char *path)
{
	struct tree tr = { 0 };
	struct task t = { .page = sysconf(_SC_PAGESIZE) };
	struct exe_cache exe = { 0 };
	FILE *out = fopen(path, "we");

	t.buf = calloc(CHUNK, t.page);
	if (!out || !t.buf) {
		free(t.buf);
		return out ? fclose(out), -1 : -1;
	}
	t.zero = XXH3_64bits(t.buf, t.page);
	tree_collect(&tr, root);
	for (int i = 0; i < tr.n; i++) {
		char mem[64], pagemap[64];

		t.pid = tr.host[i];
		snprintf(mem, sizeof(mem), "/proc/%d/mem", t.pid);
		snprintf(pagemap, sizeof(pagemap), "/proc/%d/pagemap", t.pid);
		t.mem = open(mem, O_RDONLY | O_CLOEXEC);
		t.pagemap = open(pagemap, O_RDONLY | O_CLOEXEC);
		if (t.mem >= 0) {
			volatile_areas(&t, &exe);
			digest_task(&t, tr.vpid[i], out);
		}
		if (t.mem >= 0)
			close(t.mem);
		if (t.pagemap >= 0)
			close(t.pagemap);
	}
	free(t.buf);
	return fclose(out) ? -1 : 0;
}

/* ---- comparing two digests ---- */

struct mline {
	char *key;                /* "task 1: 7f12a000-7f12c000 rw-p [heap]" */
	char *toks;               /* " z*2 5f0c1b2a9e3d4c77" */
	unsigned long start;
	bool matched;
};

struct digest {
	struct mline *v;
	int n;
};

/* Under --rootless shared anonymous memory may come back as an unnamed memfd (state.c says why):
 * both sides' keys name such areas alike, so that their pages are still compared. */
static char *area_key(const char *line, bool memfd_shmem)
{
	static const char memfd[] = " /memfd: (deleted)";
	size_t n = strlen(line), m = sizeof(memfd) - 1;
	char *key;

	if (!memfd_shmem || n < m || strcmp(line + n - m, memfd))
		return strdup(line);
	if (asprintf(&key, "%.*s /dev/zero (deleted)", (int)(n - m), line) < 0)
		return NULL;
	return key;
}

static int load_digest(const char *path, struct digest *d, bool memfd_shmem)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0;
	char *line = NULL;
	ssize_t got;
	int vcap = 0;

	memset(d, 0, sizeof(*d));
	if (!f)
		return -1;
	while ((got = getline(&line, &cap, f)) > 0) {
		char *sep = strstr(line, " : ");

		line[strcspn(line, "\n")] = 0;
		if (!sep)
			continue;
		if (d->n == vcap) {
			vcap = vcap ? vcap * 2 : 64;
			d->v = realloc(d->v, vcap * sizeof(*d->v));
		}
		*sep = 0;
		d->v[d->n] = (struct mline){ .key = area_key(line, memfd_shmem), .toks = strdup(sep + 2) };
		sscanf(strchr(line, ':') + 1, "%lx", &d->v[d->n].start);
		d->n++;
	}
	free(line);
	fclose(f);
	return 0;
}

static void free_digest(struct digest *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->v[i].key);
		free(d->v[i].toks);
	}
	free(d->v);
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct mline *)a)->key, ((const struct mline *)b)->key);
}

/* " z*2 5f0c..." -> one token per page; returns how many. */
static size_t expand(const char *s, uint64_t **out)
{
	size_t n = 0, cap = 0;
	char *end;

	*out = NULL;
	while (*s == ' ' && s[1]) {
		uint64_t tok = s[1] == '-' ? TOK_SKIPPED : s[1] == 'z' ? TOK_ZERO : strtoull(s + 1, NULL, 16);
		size_t count = 1;

		s += strcspn(s + 1, " *") + 1;
		if (*s == '*') {
			count = strtoul(s + 1, &end, 10);
			s = end;
		}
		while (count--) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				*out = realloc(*out, cap * sizeof(**out));
			}
			(*out)[n++] = tok;
		}
	}
	return n;
}

/* Pages of one area that differ: how many, and the first in *first. */
static size_t area_diff(const struct mline *a, const struct mline *b, size_t *first)
{
	uint64_t *ta, *tb;
	size_t na = expand(a->toks, &ta), nb = expand(b->toks, &tb), diffs = 0;

	for (size_t i = 0; i < na && i < nb; i++)
		if (ta[i] != TOK_SKIPPED && tb[i] != TOK_SKIPPED && ta[i] != tb[i] && !diffs++)
			*first = i;
	free(ta);
	free(tb);
	return diffs;
}

/* An area found on one side only: state.c compares the layout and let it pass, so the digest cut
 * the memory differently (a normalization it lacks). Reported only when no page differs. */
static void unmatched(const char *key, const char *side, char *why, size_t len, int *n)
{
	if (!(*n)++)
		snprintf(why, len, "%s: not found %s", key, side);
}

int memory_diff(const char *before, const char *after, bool memfd_shmem, char *why, size_t len)
{
	struct digest a, b;
	long page = sysconf(_SC_PAGESIZE);
	size_t pages = 0, areas = 0, first = 0, d;
	int lost = 0;
	char other[512] = "";

	why[0] = 0;
	if (load_digest(before, &a, memfd_shmem) || load_digest(after, &b, memfd_shmem)) {
		snprintf(why, len, "cannot read the memory digests");
		free_digest(&a);
		free_digest(&b);
		return 1;
	}
	qsort(b.v, b.n, sizeof(*b.v), by_key);
	for (int i = 0; i < a.n; i++) {
		struct mline *m = bsearch(&a.v[i], b.v, b.n, sizeof(*b.v), by_key);

		if (!m) {
			unmatched(a.v[i].key, "after", other, sizeof(other), &lost);
			continue;
		}
		m->matched = true;
		if (!strcmp(a.v[i].toks, m->toks) || !(d = area_diff(&a.v[i], m, &first)))
			continue;
		if (!areas++)
			snprintf(why, len, "%s: page %zu (0x%lx) differs", a.v[i].key, first,
				 a.v[i].start + first * page);
		pages += d;
	}
	for (int i = 0; i < b.n; i++)
		if (!b.v[i].matched)
			unmatched(b.v[i].key, "before", other, sizeof(other), &lost);
	if (pages > 1) {
		size_t used = strlen(why);

		snprintf(why + used, len - used, " (%zu pages differ in %zu areas)", pages, areas);
	} else if (!pages && lost)
		snprintf(why, len, "%s", other);
	free_digest(&a);
	free_digest(&b);
	return pages || lost ? 1 : 0;
}
