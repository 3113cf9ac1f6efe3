/*
 * /proc readers that many tests need to compare a state before and after C/R:
 * the VMA around an address (maps, or smaps with its VmFlags and sizes) and a task's state letter.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

/* "start-end perms offset dev inode   name" */
static bool parse_range(const char *line, struct zdtm_vma *v)
{
	int name_at = 0;

	if (sscanf(line, "%lx-%lx %4s %lx %*s %*s %n", &v->start, &v->end, v->perms, &v->offset, &name_at) < 4)
		return false;
	snprintf(v->name, sizeof(v->name), "%s", name_at ? line + name_at : "");
	v->name[strcspn(v->name, "\n")] = 0;
	return true;
}

int vma_find(const void *addr, struct zdtm_vma *v, bool smaps)
{
	unsigned long a = (unsigned long)addr;
	FILE *f = fopen(smaps ? "/proc/self/smaps" : "/proc/self/maps", "re");
	struct zdtm_vma cur;
	char line[512];
	bool in = false, found = false;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (parse_range(line, &cur)) {
			if (found)
				break;   /* past the one we wanted */
			in = cur.start <= a && a < cur.end;
			if (in) {
				*v = cur;
				v->flags[0] = 0;
				v->smaps[0] = 0;
				found = true;
			}
			continue;
		}
		if (!in)
			continue;
		if (!strncmp(line, "VmFlags:", 8)) {
			snprintf(v->flags, sizeof(v->flags), "%s", line + 8 + strspn(line + 8, " "));
			v->flags[strcspn(v->flags, "\n")] = 0;
		} else if (strlen(v->smaps) + strlen(line) < sizeof(v->smaps)) {
			strcat(v->smaps, line);
		}
	}
	fclose(f);
	return found ? 0 : -1;
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

char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read_all(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	p = strrchr(buf, ')');   /* the command may hold spaces and parentheses */
	return p && p[1] == ' ' && p[2] ? p[2] : '?';
}
