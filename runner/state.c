/*
 * The state a restore must bring back, as the kernel shows it in /proc, for
 * every task and thread of the test's tree: credentials and capabilities,
 * no_new_privs and seccomp, signal masks, umask, rlimits, personality, comm,
 * scheduling policy and nice, timer slack, cwd and root, the fd table with
 * each fd's target and fdinfo position and flags, memory maps (ranges,
 * permissions, offsets, backing file), the tree's shape (parent, session,
 * process group), thread count, namespace identity relative to the tree, and
 * in ns/uns the mount table.
 *
 * A snapshot is a sorted list of "key = value" lines; tasks are named by
 * their pid inside the test's pid namespace (criu restores those), so
 * h and ns snapshots compare the same way.
 *
 * What a restore legitimately changes is normalized away here, and only here:
 *  - inode numbers of pipes, sockets, anonymous inodes and memfd/shmem
 *    backing files, and mount ids: criu creates new objects;
 *  - shared anonymous memory ("/dev/zero (deleted)") comes back as a memfd
 *    named "/dev/zero (deleted)";
 *  - a deleted file behind a mapping is a new file after restore: same name,
 *    other inode;
 *  - neighbouring memory areas with one backing and permissions may be
 *    merged or split differently: they are compared merged;
 *  - namespace ids: compared by their position in the tree, not by number;
 *  - host pids (ns, uns): replaced by the pid inside the namespace.
 * The tree walk and the rules for memory areas (the memfd name, merging) are
 * in tree.c: the memory digest (memory.c) cuts memory into the same areas.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "tree.h"

struct lines {
	char **v;
	int n, cap;
};

static void add_line(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_line(struct lines *l, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = strdup(buf);
}

static void free_lines(struct lines *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* "pipe:[1234]" -> "pipe", "anon_inode:[eventfd]" stays: object identities change across C/R. */
static void normalize_target(char *s)
{
	char *br = strstr(s, ":[");

	if (br && (!strncmp(s, "pipe:", 5) || !strncmp(s, "socket:", 7) || !strncmp(s, "net:", 4) ||
		   !strncmp(s, "mnt:", 4) || !strncmp(s, "ipc:", 4) || !strncmp(s, "uts:", 4)))
		*br = 0;
}

static const char *const status_keys[] = {
	"Umask", "Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
	"NoNewPrivs", "Seccomp", "Seccomp_filters", "SigIgn", "SigCgt", "Threads",
};
static const char *const thread_status_keys[] = { "Name", "SigBlk" };

static void status_fields(struct lines *l, const char *who, const char *status,
			  const char *const *keys, size_t nkeys)
{
	for (size_t i = 0; i < nkeys; i++) {
		char key[64];
		const char *p;
		int len;

		snprintf(key, sizeof(key), "\n%s:", keys[i]);
		if (!(p = strstr(status, key)))
			continue;
		p += strlen(key);
		while (*p == '\t' || *p == ' ')
			p++;
		len = strcspn(p, "\n");
		add_line(l, "%s %s = %.*s", who, keys[i], len, p);
	}
}

static void one_file(struct lines *l, const char *who, pid_t pid, const char *name, const char *key)
{
	char path[128], buf[4096];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	if (read_text(path, buf, sizeof(buf)) < 0)
		return;
	buf[strcspn(buf, "\n")] = 0;
	add_line(l, "%s %s = %s", who, key, buf);
}

/* "100     1000     files   " -> "100 1000 files" */
static char *squeeze(char *s)
{
	char *out = s, *in = s;

	while (*in) {
		if (*in == ' ' && (out == s || out[-1] == ' ')) {
			in++;
			continue;
		}
		*out++ = *in++;
	}
	while (out > s && out[-1] == ' ')
		out--;
	*out = 0;
	return s;
}

static void limits(struct lines *l, const char *who, pid_t pid)
{
	char path[128], buf[8192], *save;

	snprintf(path, sizeof(path), "/proc/%d/limits", pid);
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "Limit", 5)) {
			char name[32];

			snprintf(name, sizeof(name), "%.25s", line);
			for (int i = strlen(name) - 1; i >= 0 && name[i] == ' '; i--)
				name[i] = 0;
			add_line(l, "%s limit %s = %s", who, name, squeeze(line + 26));
		}
}

static void link_field(struct lines *l, const char *who, pid_t pid, const char *name, const char *key)
{
	char path[128], target[1024];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = 0;
	normalize_target(target);
	add_line(l, "%s %s = %s", who, key, target);
}

static void fds(struct lines *l, const char *who, pid_t pid)
{
	char path[128];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	if (!(d = opendir(path)))
		return;
	while ((de = readdir(d))) {
		char name[64], info[4096], key[64];
		long long pos = -1;
		unsigned flags = 0;
		const char *p;

		if (de->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "fd/%s", de->d_name);
		snprintf(key, sizeof(key), "fd %s", de->d_name);
		link_field(l, who, pid, name, key);
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, de->d_name);
		if (read_text(path, info, sizeof(info)) <= 0)
			continue;
		if ((p = strstr(info, "pos:")))
			pos = atoll(p + 4);
		if ((p = strstr(info, "flags:")))
			flags = strtoul(p + 6, NULL, 8);
		add_line(l, "%s fd %s pos = %lld", who, de->d_name, pos);
		add_line(l, "%s fd %s flags = 0%o", who, de->d_name, flags);
	}
	closedir(d);
}

static void add_vma(struct lines *l, const char *who, const struct vma *v)
{
	/* A file's identity is its path and inode; anonymous backings only have a name, and so do
	 * deleted files: criu recreates them as new files. */
	size_t len = strlen(v->file);
	bool deleted = len > 10 && !strcmp(v->file + len - 10, " (deleted)");

	if (v->file[0] == '/' && !vma_anonymous_backing(v->file) && !deleted)
		add_line(l, "%s map %lx-%lx = %s %lx %s %s:%lu", who, v->start, v->end, v->perms, v->off,
			 v->file, v->dev, v->ino);
	else
		add_line(l, "%s map %lx-%lx = %s %lx %s", who, v->start, v->end, v->perms, v->off, v->file);
}

static void maps(struct lines *l, const char *who, pid_t pid)
{
	char path[128];
	struct vma cur = { 0 }, v;
	bool have = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	if (!(f = fopen(path, "re")))
		return;
	while (vma_next(f, &v)) {
		if (have && vma_continues(&cur, &v)) {
			cur.end = v.end;
			continue;
		}
		if (have)
			add_vma(l, who, &cur);
		cur = v;
		have = true;
	}
	if (have)
		add_vma(l, who, &cur);
	fclose(f);
}

static void namespaces(struct lines *l, struct tree *t, const char *who, pid_t pid)
{
	static const char *const kinds[] = { "ipc", "mnt", "net", "pid", "user", "uts", "time", "cgroup" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char path[128], id[64];
		ssize_t n;
		int k;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, kinds[i]);
		n = readlink(path, id, sizeof(id) - 1);
		if (n < 0)
			continue;
		id[n] = 0;
		for (k = 0; k < t->nns && strcmp(t->ns_seen[k], id); k++)
			;
		if (k == t->nns && t->nns < 64)
			snprintf(t->ns_seen[t->nns++], sizeof(t->ns_seen[0]), "%s", id);
		add_line(l, "%s ns %s = #%d", who, kinds[i], k);
	}
}

static void sched(struct lines *l, const char *who, pid_t pid, pid_t tid)
{
	char path[128], buf[2048], *p;
	int field = 3;
	long nice = 0, policy = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if (read_text(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return;
	for (p += 2; *p && field <= 41; field++) {
		if (field == 19)
			nice = atol(p);
		if (field == 41)
			policy = atol(p);
		p = strchr(p, ' ');
		if (!p)
			break;
		p++;
	}
	add_line(l, "%s nice = %ld", who, nice);
	add_line(l, "%s policy = %ld", who, policy);
}

static void threads(struct lines *l, const char *who, pid_t pid)
{
	char path[128], buf[8192], twho[64];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	if (!(d = opendir(path)))
		return;
	while ((de = readdir(d))) {
		pid_t tid = atoi(de->d_name);

		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
		if (read_text(path, buf, sizeof(buf)) <= 0)
			continue;
		snprintf(twho, sizeof(twho), "%s thread %d", who, status_last_field(buf, "NSpid:"));
		status_fields(l, twho, buf, thread_status_keys, 2);
		sched(l, twho, pid, tid);
	}
	closedir(d);
}

static void mounts(struct lines *l, pid_t pid)
{
	char path[128], line[2048];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	if (!(f = fopen(path, "re")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char root[512], point[512], opts[256], rest[1024], type[64] = "?";
		const char *sep;

		if (sscanf(line, "%*d %*d %*s %511s %511s %255s %1023[^\n]", root, point, opts, rest) < 4)
			continue;
		if ((sep = strstr(rest, " - ")))
			sscanf(sep + 3, "%63s", type);
		add_line(l, "mount %s = %s %s %s%s%s", point, root, type, opts,
			 strstr(rest, "shared:") && strstr(rest, "shared:") < sep ? " shared" : "",
			 strstr(rest, "master:") && strstr(rest, "master:") < sep ? " slave" : "");
	}
	fclose(f);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_snapshot(pid_t root, bool with_mounts, const char *path)
{
	struct tree t = { 0 };
	struct lines l = { 0 };
	FILE *f;

	tree_collect(&t, root);
	for (int i = 0; i < t.n; i++) {
		char who[32], status[8192], spath[64];

		snprintf(who, sizeof(who), "task %d", t.vpid[i]);
		snprintf(spath, sizeof(spath), "/proc/%d/status", t.host[i]);
		if (read_text(spath, status, sizeof(status)) <= 0)
			continue;
		status_fields(&l, who, status, status_keys, sizeof(status_keys) / sizeof(status_keys[0]));
		add_line(&l, "%s parent = %d", who, tree_vpid(&t, status_last_field(status, "PPid:")));
		add_line(&l, "%s session = %d", who, status_last_field(status, "NSsid:"));
		add_line(&l, "%s pgrp = %d", who, status_last_field(status, "NSpgid:"));
		one_file(&l, who, t.host[i], "personality", "personality");
		one_file(&l, who, t.host[i], "timerslack_ns", "timerslack_ns");
		link_field(&l, who, t.host[i], "cwd", "cwd");
		link_field(&l, who, t.host[i], "root", "root");
		limits(&l, who, t.host[i]);
		fds(&l, who, t.host[i]);
		maps(&l, who, t.host[i]);
		namespaces(&l, &t, who, t.host[i]);
		threads(&l, who, t.host[i]);
	}
	if (with_mounts && t.n)
		mounts(&l, t.host[0]);
	add_line(&l, "tasks = %d", t.n);
	qsort(l.v, l.n, sizeof(*l.v), by_string);
	f = fopen(path, "we");
	for (int i = 0; f && i < l.n; i++)
		fprintf(f, "%s\n", l.v[i]);
	free_lines(&l);
	return f && !fclose(f) ? 0 : -1;
}

static int load(const char *path, struct lines *l)
{
	FILE *f = fopen(path, "re");
	char line[1100];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		add_line(l, "%s", line);
	}
	fclose(f);
	return 0;
}

static void key_of(const char *line, char *key, size_t len)
{
	const char *eq = strstr(line, " = ");

	snprintf(key, len, "%.*s", eq ? (int)(eq - line) : (int)strlen(line), line);
}

static const char *value_of(const char *line)
{
	const char *eq = strstr(line, " = ");

	return eq ? eq + 3 : "";
}

int state_diff(const char *before, const char *after, char *why, size_t len)
{
	struct lines a = { 0 }, b = { 0 };
	int i = 0, j = 0, diffs = 0;
	size_t used = 0;

	why[0] = 0;
	if (load(before, &a) || load(after, &b)) {
		snprintf(why, len, "cannot read the state snapshots");
		free_lines(&a);
		free_lines(&b);
		return 1;
	}
	/* Both lists are sorted: walk them together, key by key. */
	while (i < a.n || j < b.n) {
		char ka[512] = "", kb[512] = "";
		int c;

		if (i < a.n)
			key_of(a.v[i], ka, sizeof(ka));
		if (j < b.n)
			key_of(b.v[j], kb, sizeof(kb));
		c = i >= a.n ? 1 : j >= b.n ? -1 : strcmp(ka, kb);
		if (c == 0 && !strcmp(a.v[i], b.v[j])) {
			i++, j++;
			continue;
		}
		if (++diffs <= 3 && used + 1 < len) {
			const char *sep = used ? "; " : "";

			if (c == 0)
				used += snprintf(why + used, len - used, "%s%s: %s, expected %s", sep, ka,
						 value_of(b.v[j]), value_of(a.v[i]));
			else if (c < 0)
				used += snprintf(why + used, len - used, "%s%s lost (was %s)", sep, ka, value_of(a.v[i]));
			else
				used += snprintf(why + used, len - used, "%s%s appeared (%s)", sep, kb, value_of(b.v[j]));
		}
		i += c <= 0;
		j += c >= 0;
	}
	if (diffs > 3 && used + 1 < len)
		snprintf(why + used, len - used, "; and %d more differences", diffs - 3);
	free_lines(&a);
	free_lines(&b);
	return diffs ? 1 : 0;
}
