/* The snapshot's per process and per thread attributes (see state.c for what is compared and why). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "state_int.h"

/* Fallback definitions: linux/ioprio.h is missing from older headers. */
#ifndef IOPRIO_WHO_PROCESS
#define IOPRIO_WHO_PROCESS 1
#endif
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_DATA_MASK ((1 << IOPRIO_CLASS_SHIFT) - 1)

/* A line of /proc/PID/status and the key it gets in the snapshot. */
struct status_key {
	const char *status, *key;
};

static const struct status_key process_keys[] = {
	{ "Umask", "Umask" }, { "Uid", "Uid" }, { "Gid", "Gid" }, { "Groups", "Groups" },
	{ "CapInh", "CapInh" }, { "CapPrm", "CapPrm" }, { "CapEff", "CapEff" }, { "CapBnd", "CapBnd" },
	{ "CapAmb", "CapAmb" }, { "NoNewPrivs", "NoNewPrivs" }, { "Seccomp", "Seccomp" },
	{ "Seccomp_filters", "Seccomp_filters" }, { "SigIgn", "SigIgn" }, { "SigCgt", "SigCgt" },
	{ "Threads", "Threads" }, { "THP_enabled", "THP_enabled" },
	{ "untag_mask", "untag_mask" },
};
static const struct status_key thread_keys[] = {
	{ "Name", "comm" }, { "SigBlk", "SigBlk" }, { "Cpus_allowed_list", "cpus" },
	{ "Speculation_Store_Bypass", "Speculation_Store_Bypass" },
	{ "SpeculationIndirectBranch", "SpeculationIndirectBranch" },
};

/* The value of "Key:\tvalue" in a status text: at its start (Name is the first line) or after a newline. */
static const char *status_value(const char *status, const char *key, int *len)
{
	size_t klen = strlen(key);
	const char *p = status;

	while (p && (strncmp(p, key, klen) || p[klen] != ':'))
		if ((p = strchr(p, '\n')))
			p++;
	if (!p)
		return NULL;
	p += klen + 1;
	p += strspn(p, "\t ");
	*len = strcspn(p, "\n");
	return p;
}

static void status_fields(struct lines *l, const char *who, const char *status, const struct status_key *keys,
			  size_t nkeys)
{
	for (size_t i = 0; i < nkeys; i++) {
		int len;
		const char *v = status_value(status, keys[i].status, &len);

		if (v)
			add_line(l, "%s %s = %.*s", who, keys[i].key, len, v);
	}
}

static void one_file(struct lines *l, const char *who, pid_t pid, const char *name)
{
	char path[128], buf[4096];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	if (read_text(path, buf, sizeof(buf)) < 0)
		return;
	buf[strcspn(buf, "\n")] = 0;
	add_line(l, "%s %s = %s", who, name, buf);
}

/* criu restores a tree into a new time namespace whose offsets make the monotonic and boottime clocks
 * go on from where the dump stopped them: both offsets move by the time C/R took. What stays is
 * their difference, to the second: criu reads the two clocks apart, a few ms under load. */
static void timens(struct lines *l, const char *who, pid_t pid)
{
	char path[128], buf[256], *p;
	long long s, ns, mono = 0, boot = 0;

	snprintf(path, sizeof(path), "/proc/%d/timens_offsets", pid);
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return;
	if ((p = strstr(buf, "monotonic")) && sscanf(p, "monotonic %lld %lld", &s, &ns) == 2)
		mono = s * 1000000000LL + ns;
	if ((p = strstr(buf, "boottime")) && sscanf(p, "boottime %lld %lld", &s, &ns) == 2)
		boot = s * 1000000000LL + ns;
	add_line(l, "%s timens = boottime - monotonic %lld s", who, llround((boot - mono) / 1e9));
}

char *squeeze(char *s)
{
	char *out = s, *in = s;

	while (*in) {
		if ((*in == ' ' || *in == '\t') && (out == s || out[-1] == ' ')) {
			in++;
			continue;
		}
		*out++ = *in == '\t' ? ' ' : *in;
		in++;
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

/* "pipe:[1234]" -> "pipe", "anon_inode:[eventfd]" stays: object identities change across C/R.
 * Shared anonymous memory held as an fd comes back as a memfd named after it, as in the maps. */
static void normalize_target(char *s)
{
	char *br = strstr(s, ":[");

	if (!strncmp(s, "/memfd:/dev/zero", 16))
		memmove(s, s + 7, strlen(s + 7) + 1);
	if (br && (!strncmp(s, "pipe:", 5) || !strncmp(s, "socket:", 7) || !strncmp(s, "net:", 4) ||
		   !strncmp(s, "mnt:", 4) || !strncmp(s, "ipc:", 4) || !strncmp(s, "uts:", 4)))
		*br = 0;
}

void link_field(struct lines *l, const char *who, pid_t pid, const char *name, const char *key)
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

void state_task(struct lines *l, const char *who, pid_t pid, const char *status)
{
	status_fields(l, who, status, process_keys, sizeof(process_keys) / sizeof(process_keys[0]));
	one_file(l, who, pid, "personality");
	one_file(l, who, pid, "timerslack_ns");
	one_file(l, who, pid, "coredump_filter");
	one_file(l, who, pid, "oom_score_adj");
	timens(l, who, pid);
	link_field(l, who, pid, "cwd", "cwd");
	link_field(l, who, pid, "root", "root");
	limits(l, who, pid);
}

/* Nice (field 19) and scheduling policy (field 41) of /proc/PID/task/TID/stat. */
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

/* The I/O priority is per thread and only ioprio_get(2) shows it. */
static void ioprio(struct lines *l, const char *who, pid_t tid)
{
	long v = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, tid);

	if (v >= 0)
		add_line(l, "%s ioprio = class %ld data %ld", who, v >> IOPRIO_CLASS_SHIFT, v & IOPRIO_DATA_MASK);
}

static unsigned long long status_hex(const char *status, const char *key)
{
	int len;
	const char *v = status_value(status, key, &len);

	return v ? strtoull(v, NULL, 16) : 0;
}

/* Pending signals count only where blocked: an unblocked one is in flight, delivered as soon as a
 * thread runs (a parent-death signal racing the snapshot, a stop signal that SIGCONT flushes).
 * A process-wide one is held only while every thread blocks it. */
void state_threads(struct lines *l, const char *who, pid_t pid)
{
	char path[128], buf[8192], twho[64];
	unsigned long long blocked_by_all = ~0ULL, shared = 0;
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	if (!(d = opendir(path)))
		return;
	while ((de = readdir(d))) {
		pid_t tid = atoi(de->d_name);
		unsigned long long blocked;

		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
		if (read_text(path, buf, sizeof(buf)) <= 0)
			continue;
		snprintf(twho, sizeof(twho), "%s thread %d", who, status_last_field(buf, "NSpid:"));
		status_fields(l, twho, buf, thread_keys, sizeof(thread_keys) / sizeof(thread_keys[0]));
		blocked = status_hex(buf, "SigBlk");
		blocked_by_all &= blocked;
		shared = status_hex(buf, "ShdPnd");
		add_line(l, "%s SigPnd = %016llx", twho, status_hex(buf, "SigPnd") & blocked);
		sched(l, twho, pid, tid);
		ioprio(l, twho, tid);
	}
	closedir(d);
	add_line(l, "%s ShdPnd = %016llx", who, shared & blocked_by_all);
}
