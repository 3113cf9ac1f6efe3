/* The snapshot's memory areas: ranges, permissions, offsets, backing file, and each area's NUMA
 * policy word of /proc/PID/numa_maps (see state.c for the normalizations; the areas are read and
 * merged by tree.c, as the memory digest reads them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state_int.h"

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
	if (v->policy[0])
		add_line(l, "%s numa %lx-%lx = %s", who, v->start, v->end, v->policy);
}

/* numa_maps lists the areas of maps in the same order, by start address: "START POLICY ...".
 * Only the policy word counts; page counts and nodes of the pages move freely. */
struct numa_reader {
	FILE *f;
	char line[1024];
	bool have;          /* line holds an area not matched yet */
};

static void numa_policy(struct numa_reader *nr, struct vma *v)
{
	unsigned long start;

	v->policy[0] = 0;
	while (nr->f && (nr->have || fgets(nr->line, sizeof(nr->line), nr->f))) {
		nr->have = true;
		if (sscanf(nr->line, "%lx", &start) != 1 || start < v->start) {
			nr->have = false;
			continue;
		}
		if (start == v->start) {
			sscanf(nr->line, "%*x %63s", v->policy);
			nr->have = false;
		}
		return;     /* an area numa_maps does not list ([vsyscall]) leaves the line for the next */
	}
}

void state_maps(struct lines *l, const char *who, pid_t pid)
{
	char path[128];
	struct vma cur = { 0 }, v;
	bool have = false;
	struct numa_reader nr = { 0 };
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	if (!(f = fopen(path, "re")))
		return;
	snprintf(path, sizeof(path), "/proc/%d/numa_maps", pid);
	nr.f = fopen(path, "re");
	while (vma_next(f, &v)) {
		numa_policy(&nr, &v);
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
	if (nr.f)
		fclose(nr.f);
	fclose(f);
}
