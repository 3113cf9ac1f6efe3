/*
 * The state a restore must bring back, as the kernel shows it in /proc, for every task, thread and fd
 * of the test's tree; README.md ("The runner's own check") has the table of every field, and
 * tests/state-fields proves each is read. The readers: state_task.c (per process and per thread),
 * state_fd.c (fds, fdinfo, locks), state_mem.c (memory areas, NUMA policy); here the tree, namespaces,
 * mounts, the snapshot and the diff.
 *
 * A snapshot is a sorted list of "key = value" lines; tasks are named by
 * their pid inside the test's pid namespace (criu restores those), so
 * h and ns snapshots compare the same way.
 *
 * What a restore legitimately changes is normalized away, by these rules and only these:
 *  - inode numbers of pipes, sockets, anonymous inodes and memfd/shmem
 *    backing files, and mount ids: criu creates new objects;
 *  - shared anonymous memory ("/dev/zero (deleted)") comes back as a memfd
 *    named "/dev/zero (deleted)", in the maps and as an fd's target;
 *  - a deleted file behind a mapping is a new file after restore: same name,
 *    other inode;
 *  - neighbouring memory areas with one backing, permissions and NUMA policy may be
 *    merged or split differently: they are compared merged;
 *  - NUMA: only the policy word of numa_maps; page counts and nodes move freely;
 *  - namespace ids: compared by their position in the tree, not by number;
 *  - host pids (ns, uns): replaced by the pid inside the namespace, also a lock's owner;
 *  - time namespace offsets: criu restores the tree into a new time namespace whose monotonic and
 *    boottime offsets both move by the time C/R took (the clocks go on from the dump); only their
 *    difference is compared, to the second (criu reads the two clocks apart: ms under load);
 *  - locks: no ordinal (a position in a global list); the file by the fd that holds it (fdinfo's
 *    lock lines belong to their fd; a /proc/locks line names the tree's first fd of that file),
 *    since a file criu recreates (tmpfs in ns) gets a new inode; OFD locks have no owner pid;
 *    a blocked waiter ("->") is left out: a restored waiter queues again only once it runs, and the
 *    snapshot races it (file_locks04 checks its waiter itself);
 *  - epoll: a registration's events and data; the target's pos, ino and sdev are its own fd's
 *    (compared there) and its inode is new;
 *  - pending signals: only those blocked (per thread; process-wide, by every thread): an unblocked
 *    one is in flight, delivered as soon as a thread runs (prctl00's parent-death signal races the
 *    first snapshot; a stopped task dumped with --leave-running gets a SIGSTOP that SIGCONT flushes);
 *  - eventfd-id: a new object's id;
 *  - timerfd: the time left is only "armed" or "disarmed", and unread ticks count as armed:
 *    fdinfo shows 0 left for an expired periodic timer until a read forwards it;
 *  - inotify and fanotify marks: the file handle is dropped (the inode names the file), a mark's
 *    mount id is blanked (new mounts).
 * The tree walk and the rules for memory areas (the memfd name, merging) are in tree.c: the memory
 * digest (memory.c) cuts memory into the same areas.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "state_int.h"

void add_line(struct lines *l, const char *fmt, ...)
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
		add_line(&l, "%s parent = %d", who, tree_vpid(&t, status_last_field(status, "PPid:")));
		add_line(&l, "%s session = %d", who, status_last_field(status, "NSsid:"));
		add_line(&l, "%s pgrp = %d", who, status_last_field(status, "NSpgid:"));
		state_task(&l, who, t.host[i], status);
		state_fds(&l, &t, who, t.host[i]);
		state_maps(&l, who, t.host[i]);
		namespaces(&l, &t, who, t.host[i]);
		state_threads(&l, who, t.host[i]);
	}
	state_locks(&l, &t);
	free(t.files);
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

/* A shared anonymous mapping that came back as an unnamed memfd (same range, protection, offset):
 * how an unprivileged criu restores shared memory, having no /proc/PID/map_files to share it by. */
static bool shmem_as_memfd(const char *key, const char *was, const char *is)
{
	static const char shmem[] = "/dev/zero (deleted)", memfd[] = "/memfd: (deleted)";
	size_t lw = strlen(was), li = strlen(is);

	return strstr(key, " map ") && lw > sizeof(shmem) && li > sizeof(memfd) &&
	       !strcmp(was + lw - (sizeof(shmem) - 1), shmem) && !strcmp(is + li - (sizeof(memfd) - 1), memfd) &&
	       lw - (sizeof(shmem) - 1) == li - (sizeof(memfd) - 1) && !strncmp(was, is, lw - (sizeof(shmem) - 1));
}

int state_diff(const char *before, const char *after, bool memfd_shmem, char *why, size_t len)
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
		if (c == 0 && (!strcmp(a.v[i], b.v[j]) ||
			       (memfd_shmem && shmem_as_memfd(ka, value_of(a.v[i]), value_of(b.v[j]))))) {
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
