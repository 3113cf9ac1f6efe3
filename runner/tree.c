/*
 * The test's tree as /proc shows it: which processes belong to it (followed
 * through every thread's children, so the namespace init and its test come
 * in in ns/uns), and their memory areas. The state snapshot (state.c) and
 * the memory digest (memory.c) both walk it, so they name the same tasks by
 * the same pids and cut memory into the same areas.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tree.h"

pid_t status_last_field(const char *status, const char *key)
{
	const char *p = strstr(status, key);
	pid_t v = -1;
	char *end;

	if (!p)
		return -1;
	for (p += strlen(key); *p && *p != '\n';) {
		long x = strtol(p, &end, 10);

		if (end == p)
			break;
		v = x;
		p = end;
	}
	return v;
}

pid_t tree_vpid(const struct tree *t, pid_t host)
{
	for (int i = 0; i < t->n; i++)
		if (t->host[i] == host)
			return t->vpid[i];
	return 0;
}

/* A process's pid in the test's namespace, from its NSpid line; -1 when it is gone. */
static pid_t vpid_of(pid_t pid)
{
	char path[64], buf[8192];

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	return read_text(path, buf, sizeof(buf)) > 0 ? status_last_field(buf, "NSpid:") : -1;
}

struct child {
	pid_t host, vpid;
};

static int by_vpid(const void *a, const void *b)
{
	const struct child *x = a, *y = b;

	return x->vpid != y->vpid ? (x->vpid < y->vpid ? -1 : 1) : (x->host > y->host) - (x->host < y->host);
}

/* Children in the order of their pids in the test's namespace, which a restore keeps: /proc lists
 * them in the order they were made (or moved), which a restore may change, and the state numbers
 * namespaces in the order the walk meets them. */
void tree_collect(struct tree *t, pid_t pid)
{
	char path[128];
	struct child kids[MAX_TASKS];
	int nkids = 0;
	DIR *d;
	struct dirent *de;

	if (t->n >= MAX_TASKS || (t->vpid[t->n] = vpid_of(pid)) == -1)
		return;
	t->host[t->n++] = pid;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	if (!(d = opendir(path)))
		return;
	while ((de = readdir(d))) {
		char cpath[160], children[4096], *save;

		if (de->d_name[0] == '.')
			continue;
		snprintf(cpath, sizeof(cpath), "/proc/%d/task/%s/children", pid, de->d_name);
		if (read_text(cpath, children, sizeof(children)) <= 0)
			continue;
		for (char *c = strtok_r(children, " \n", &save); c && nkids < MAX_TASKS; c = strtok_r(NULL, " \n", &save))
			kids[nkids++] = (struct child){ atoi(c), vpid_of(atoi(c)) };
	}
	closedir(d);
	qsort(kids, nkids, sizeof(kids[0]), by_vpid);
	for (int i = 0; i < nkids; i++)
		tree_collect(t, kids[i].host);
}

bool vma_next(FILE *f, struct vma *v)
{
	char line[1024];

	while (fgets(line, sizeof(line), f)) {
		memset(v, 0, sizeof(*v));
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %899[^\n]", &v->start, &v->end, v->perms, &v->off,
			   v->dev, &v->ino, v->file) < 6)
			continue;
		if (!strncmp(v->file, "/memfd:/", 8))
			memmove(v->file, v->file + 7, strlen(v->file + 7) + 1);
		if (!strncmp(v->file, "socket:[", 8))   /* a packet socket's ring: criu makes a new socket */
			v->file[6] = 0;
		return true;
	}
	return false;
}

bool vma_continues(const struct vma *a, const struct vma *b)
{
	bool anon = !a->file[0] || a->file[0] == '[';

	return a->end == b->start && !strcmp(a->perms, b->perms) && !strcmp(a->file, b->file) &&
	       !strcmp(a->policy, b->policy) && (anon || b->off == a->off + (a->end - a->start));
}

bool vma_anonymous_backing(const char *path)
{
	return !strncmp(path, "/dev/zero", 9) || !strncmp(path, "/memfd:", 7) || !strncmp(path, "/SYSV", 5);
}
