/*
 * /proc readers that many tests need to compare a state before and after C/R:
 * the VMAs around an address or in a range (maps, or smaps with their VmFlags and sizes),
 * a task's state letter and the other numeric fields of /proc/PID/stat, the lines of an fd's fdinfo.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

/* "start-end perms offset dev inode   name" */
static bool parse_range(const char *line, struct zdtm_vma *v)
{
	int name_at = 0;

	if (sscanf(line, "%lx-%lx %4s %lx %*s %lu %n", &v->start, &v->end, v->perms, &v->offset, &v->ino,
		   &name_at) < 5)
		return false;
	snprintf(v->name, sizeof(v->name), "%s", name_at ? line + name_at : "");
	v->name[strcspn(v->name, "\n")] = 0;
	v->flags[0] = 0;
	v->smaps[0] = 0;
	return true;
}

/* One smaps line of the VMA v: its VmFlags, or one more line of its sizes. */
static void add_smaps_line(struct zdtm_vma *v, const char *line)
{
	if (!strncmp(line, "VmFlags:", 8)) {
		size_t n;

		snprintf(v->flags, sizeof(v->flags), "%s", line + 8 + strspn(line + 8, " "));
		for (n = strcspn(v->flags, "\n"); n && v->flags[n - 1] == ' '; n--)
			;   /* the kernel ends the list with a blank */
		v->flags[n] = 0;
	} else if (strlen(v->smaps) + strlen(line) < sizeof(v->smaps)) {
		strcat(v->smaps, line);
	}
}

int vma_list(unsigned long lo, unsigned long hi, struct zdtm_vma *v, int max, bool smaps)
{
	FILE *f = fopen(smaps ? "/proc/self/smaps" : "/proc/self/maps", "re");
	struct zdtm_vma cur;
	char line[512];
	bool in = false;   /* the lines that follow belong to v[n - 1] */
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (parse_range(line, &cur)) {
			if (cur.start >= hi)
				break;   /* the file is in address order */
			in = cur.end > lo && n < max;
			if (in)
				v[n] = cur;
			n += cur.end > lo;
		} else if (in) {
			add_smaps_line(&v[n - 1], line);
		}
	}
	fclose(f);
	return n;
}

int vma_find(const void *addr, struct zdtm_vma *v, bool smaps)
{
	unsigned long a = (unsigned long)addr;

	return vma_list(a, a + 1, v, 1, smaps) == 1 ? 0 : -1;
}

bool vma_has_flag(const struct zdtm_vma *v, const char *flag)
{
	size_t len = strlen(flag);

	for (const char *p = v->flags; (p = strstr(p, flag)); p += len)
		if ((p == v->flags || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
			return true;
	return false;
}

long vma_kb(const struct zdtm_vma *v, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "%s:", key);
	for (p = v->smaps; (p = strstr(p, pat)); p++)
		if (p == v->smaps || p[-1] == '\n')
			return atol(p + strlen(pat));
	return -1;
}

/* The fields of /proc/PID/stat from the state on ("S 1 2 ..."), in buf; NULL if unreadable. */
static const char *stat_from_state(pid_t pid, char *buf, size_t len)
{
	char path[64], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read_all(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	p = strrchr(buf, ')');   /* the command may hold spaces and parentheses */
	return p && p[1] == ' ' && p[2] ? p + 2 : NULL;
}

char proc_state(pid_t pid)
{
	char buf[1024];
	const char *p = stat_from_state(pid, buf, sizeof(buf));

	return p ? *p : '?';
}

long proc_stat_field(pid_t pid, int field)
{
	char buf[1024];
	const char *p = stat_from_state(pid, buf, sizeof(buf));

	if (field < 4)
		return -1;
	for (int i = 3; p && i < field; i++) {   /* p is at field i */
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
	return p && *p ? strtol(p, NULL, 10) : -1;
}

int fdinfo_lines(int fd, const char *prefix, char *out, size_t len)
{
	char path[64], line[512];
	size_t plen = strlen(prefix), used = 0;
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	out[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		const char *v = line + plen;

		if (strncmp(line, prefix, plen))
			continue;
		v += strspn(v, " \t");
		line[strcspn(line, "\n")] = 0;
		used += snprintf(out + used, used < len ? len - used : 0, "%s%s", n++ ? "; " : "", v);
		used = used < len ? used : len;
	}
	fclose(f);
	return n;
}

dev_t proc_fd_dev(int fd)
{
	char buf[64], line[1024];
	unsigned id, want, maj, min;
	dev_t dev = (dev_t)-1;
	FILE *f;

	if (fdinfo_lines(fd, "mnt_id:", buf, sizeof(buf)) != 1 || sscanf(buf, "%u", &want) != 1)
		return dev;
	f = fopen("/proc/self/mountinfo", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %*u %u:%u", &id, &maj, &min) == 3 && id == want) {
			dev = makedev(maj, min);
			break;
		}
	if (f)
		fclose(f);
	return dev;
}

/* The whole of path in one malloc'd, NUL-terminated buffer; its length in *len. NULL on error. */
static char *read_whole(const char *path, size_t *len)
{
	size_t cap = 16384, used = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = 0;

	while (buf && fd >= 0 && (n = read(fd, buf + used, cap - used - 1)) > 0)
		if ((used += n) + 1 == cap && !(buf = realloc(buf, cap *= 2)))
			break;
	if (fd >= 0)
		close(fd);
	if (!buf || fd < 0 || n < 0) {
		free(buf);
		return NULL;
	}
	buf[used] = 0;
	*len = used;
	return buf;
}

/*
 * /proc/locks comes out one page per read(), each page from a fresh walk of the kernel's lock
 * lists by position: a lock another process takes or drops between two reads shifts the
 * positions, and a line is shown twice or not at all (seen: file_locks00 found its one flock
 * twice while parallel jobs locked their own files). Two whole reads in a row that agree are a
 * consistent view.
 */
FILE *proc_locks_open(void)
{
	size_t len = 0, prev_len = 0;
	char *prev = NULL, *cur = NULL;
	FILE *f = NULL;

	for (int tries = 0; tries < 200; tries++) {
		if (!(cur = read_whole("/proc/locks", &len)))
			break;
		if (prev && len == prev_len && !memcmp(prev, cur, len))
			break;
		free(prev);
		prev = cur;
		prev_len = len;
		cur = NULL;
		usleep(1000);
	}
	if (!cur) {         /* never two alike: the last view, which may show a line twice */
		cur = prev;
		len = prev_len;
		prev = NULL;
	}
	if (cur && (f = fmemopen(NULL, len + 1, "w+")) && (fwrite(cur, 1, len, f) != len || fseek(f, 0, SEEK_SET))) {
		fclose(f);
		f = NULL;
	}
	free(prev);
	free(cur);
	return f;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int proc_locks_of(int fd, char *out, size_t len)
{
	char line[256], class[32], mode[32], type[32], start[32], end[32], *lines[64];
	dev_t dev = proc_fd_dev(fd);
	unsigned maj, min;
	unsigned long ino;
	struct stat st;
	size_t used = 0;
	int pid, n = 0;
	FILE *f;

	if (dev == (dev_t)-1 || fstat(fd, &st) || !(f = proc_locks_open()))
		return -1;
	while (n < 64 && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');
		bool waiter;

		if (!p)
			continue;
		p += 1 + strspn(p + 1, " ");
		waiter = !strncmp(p, "-> ", 3);
		if (sscanf(p + (waiter ? 3 : 0), "%31s %31s %31s %d %x:%x:%lu %31s %31s", class, mode, type, &pid,
			   &maj, &min, &ino, start, end) != 9 ||
		    makedev(maj, min) != dev || ino != st.st_ino)
			continue;
		if (asprintf(&lines[n], "%s%s %s %s %d %s %s", waiter ? "-> " : "", class, mode, type, pid,
			     start, end) < 0)
			break;
		n++;
	}
	fclose(f);
	qsort(lines, n, sizeof(lines[0]), cmp_str);
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		used += snprintf(out + used, used < len ? len - used : 0, "%s%s", i ? "; " : "", lines[i]);
		used = used < len ? used : len;
		free(lines[i]);
	}
	return n;
}

int mountinfo_at(const char *point, char *out, size_t len)
{
	static char line[8192], root[PATH_MAX], where[PATH_MAX];
	char opts[256], type[64], source[256], super[1024], *dash;
	size_t used = 0;
	int n = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return -1;
	out[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*d %*d %*u:%*u %4095s %4095s %255s", root, where, opts) != 3 ||
		    sscanf(dash, " - %63s %255s %1023s", type, source, super) != 3 || strcmp(where, point))
			continue;
		used += snprintf(out + used, used < len ? len - used : 0, "%s%s %s %s %s %s", n++ ? "; " : "",
				 root, opts, type, source, super);
		used = used < len ? used : len;
	}
	fclose(f);
	return n;
}
