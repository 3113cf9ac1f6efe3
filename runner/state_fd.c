/* The snapshot's fd table: each fd's target, position and flags, what fdinfo says of the object
 * behind it (epoll registrations, eventfd counters, signalfd masks, timerfd settings, inotify and
 * fanotify marks, locks), and the tree's lines of /proc/locks (see state.c for the normalizations). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "state_int.h"

/* One lock as /proc/locks and fdinfo's "lock:" print it, after the ordinal "N:". */
struct lock {
	bool blocked;                  /* "->": waiting for the lock above it */
	char type[16], kind[16], rw[16], devino[48], start[24], end[24];
	long pid;
};

static int lock_parse(const char *s, struct lock *lk)
{
	s = strchr(s, ':');
	if (!s)
		return -1;
	s += 1 + strspn(s + 1, " \t");
	lk->blocked = !strncmp(s, "->", 2);
	if (lk->blocked)
		s += 2;
	return sscanf(s, "%15s %15s %15s %ld %47s %23s %23s", lk->type, lk->kind, lk->rw, &lk->pid, lk->devino,
		      lk->start, lk->end) == 7 ? 0 : -1;
}

/* The lock's owner by its pid inside the test's namespace: host pids differ in ns/uns, and an OFD
 * lock (-1) belongs to its open file, not to a task. */
static void lock_text(const struct tree *t, const struct lock *lk, char *out, size_t len)
{
	char owner[32];

	if (lk->pid == -1)
		snprintf(owner, sizeof(owner), "ofd");
	else if (tree_vpid(t, lk->pid))
		snprintf(owner, sizeof(owner), "task %d", tree_vpid(t, lk->pid));
	else
		snprintf(owner, sizeof(owner), "outside");
	snprintf(out, len, "%s%s %s %s %s %s %s", lk->blocked ? "-> " : "", lk->type, lk->kind, lk->rw, owner,
		 lk->start, lk->end);
}

static void remember_file(struct tree *t, const char *who, pid_t pid, const char *fd, const char *info)
{
	const char *mnt = info ? strstr(info, "mnt_id:") : NULL;
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, fd);
	if (stat(path, &st))
		return;
	if (t->nfiles == t->files_cap) {
		t->files_cap = t->files_cap ? t->files_cap * 2 : 64;
		t->files = realloc(t->files, t->files_cap * sizeof(*t->files));
	}
	t->files[t->nfiles].dev = st.st_dev;
	t->files[t->nfiles].ino = st.st_ino;
	t->files[t->nfiles].pid = pid;
	t->files[t->nfiles].mnt_id = mnt ? atoi(mnt + 7) : -1;
	snprintf(t->files[t->nfiles++].who, sizeof(t->files[0].who), "%s fd %s", who, fd);
}

/* "name:value" tokens of an inotify or fanotify line, less the file handle (the inode names the
 * file) and with mount ids blanked (criu's mounts are new ones). */
static void mark_tokens(char *s)
{
	char out[512] = "", *save;
	size_t used = 0;

	for (char *tok = strtok_r(s, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (!strncmp(tok, "fhandle-", 8) || !strncmp(tok, "f_handle:", 9))
			continue;
		if (!strncmp(tok, "mnt_id:", 7))
			tok = "mnt_id:*";
		used += snprintf(out + used, sizeof(out) - used, "%s%s", used ? " " : "", tok);
		if (used >= sizeof(out))
			break;
	}
	strcpy(s, out);
}

/* A timerfd: its clock, flags and interval; of the time left only whether it runs. An expiry not
 * read yet shows it_value 0 until a read or timerfd_gettime() forwards the timer, so unread ticks
 * count as armed: a periodic timer that fell due during C/R is still armed. */
struct timerfd {
	char clockid[16], flags[16], interval[48];
	bool seen, armed;
};

static void timerfd_line(struct timerfd *tf, const char *line)
{
	long long s = 0, ns = 0;

	if (sscanf(line, "clockid: %15s", tf->clockid) == 1)
		tf->seen = true;
	else if (!strncmp(line, "settime flags:", 14))
		sscanf(line + 14, " %15s", tf->flags);
	else if (sscanf(line, "it_value: (%lld, %lld)", &s, &ns) == 2 || sscanf(line, "ticks: %lld", &s) == 1)
		tf->armed |= s || ns;
	else if (!strncmp(line, "it_interval:", 12))
		snprintf(tf->interval, sizeof(tf->interval), "%s", line + 12 + strspn(line + 12, " \t"));
}

/* One line of /proc/PID/fdinfo/N beyond pos and flags. */
static void fdinfo_line(struct lines *l, const struct tree *t, const char *fwho, char *line, struct timerfd *tf)
{
	struct lock lk;
	char text[256];
	unsigned long long data;
	unsigned events;
	int tfd;

	if (!strncmp(line, "lock:", 5) && !lock_parse(line + 5, &lk)) {
		lock_text(t, &lk, text, sizeof(text));
		add_line(l, "%s lock = %s", fwho, text);
	} else if (sscanf(line, "tfd: %d events: %x data: %llx", &tfd, &events, &data) == 3) {
		add_line(l, "%s tfd %d = events %x data %llx", fwho, tfd, events, data);
	} else if (!strncmp(line, "eventfd-count:", 14) || !strncmp(line, "eventfd-semaphore:", 18) ||
		   !strncmp(line, "sigmask:", 8)) {
		int k = strcspn(line, ":");

		add_line(l, "%s %.*s = %s", fwho, k, line, squeeze(line + k + 1 + strspn(line + k + 1, " \t")));
	} else if (!strncmp(line, "inotify wd:", 11)) {
		char *marks = line + 11 + strcspn(line + 11, " ");

		mark_tokens(marks);
		add_line(l, "%s inotify wd %d = %s", fwho, atoi(line + 11), marks);
	} else if (!strncmp(line, "fanotify ", 9)) {
		bool group = !strncmp(line + 9, "flags:", 6);

		mark_tokens(line + 9);
		add_line(l, "%s fanotify%s = %s", fwho, group ? "" : " mark", line + 9);
	} else {
		timerfd_line(tf, line);
	}
}

static void fdinfo(struct lines *l, const struct tree *t, const char *fwho, char *info)
{
	struct timerfd tf = { .flags = "?", .interval = "?" };
	long long pos = -1;
	unsigned flags = 0;
	char *save;

	for (char *line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "pos:", 4))
			pos = atoll(line + 4);
		else if (!strncmp(line, "flags:", 6))
			flags = strtoul(line + 6, NULL, 8);
		else
			fdinfo_line(l, t, fwho, line, &tf);
	}
	add_line(l, "%s pos = %lld", fwho, pos);
	add_line(l, "%s flags = 0%o", fwho, flags);
	if (tf.seen)
		add_line(l, "%s timerfd = clockid %s flags %s interval %s %s", fwho, tf.clockid, tf.flags, tf.interval,
			 tf.armed ? "armed" : "disarmed");
}

void state_fds(struct lines *l, struct tree *t, const char *who, pid_t pid)
{
	enum { INFO_MAX = 1 << 16 };   /* an epoll set prints a line per registration */
	char path[128], *info = malloc(INFO_MAX);
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	if (!info || !(d = opendir(path))) {
		free(info);
		return;
	}
	while ((de = readdir(d))) {
		char name[64], fwho[64];

		if (de->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "fd/%s", de->d_name);
		snprintf(fwho, sizeof(fwho), "%s fd %s", who, de->d_name);
		link_field(l, who, pid, name, fwho + strlen(who) + 1);
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, de->d_name);
		if (read_text(path, info, INFO_MAX) > 0) {
			remember_file(t, who, pid, de->d_name, info);
			fdinfo(l, t, fwho, info);
		} else {
			remember_file(t, who, pid, de->d_name, NULL);
		}
	}
	closedir(d);
	free(info);
}

/* The major:minor of mount mnt_id in pid's mountinfo, as /proc/locks prints a file's device; false
 * where the mount is not found. */
static bool mount_dev(pid_t pid, int mnt_id, dev_t *dev)
{
	char path[64], line[4096];
	unsigned maj, min;
	int id;
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	if (mnt_id < 0 || !(f = fopen(path, "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%d %*d %u:%u", &id, &maj, &min) == 3 && id == mnt_id;
	fclose(f);
	if (found)
		*dev = makedev(maj, min);
	return found;
}

static bool same_file(const struct held_file *h, dev_t dev, unsigned long ino)
{
	dev_t mdev;

	if (h->ino != ino)
		return false;
	return h->dev == dev || (mount_dev(h->pid, h->mnt_id, &mdev) && mdev == dev);
}

/* The first fd of the tree (in /proc order) that holds a file: "dev:inode" as /proc/locks prints it,
 * where dev is the file's mount's device (on btrfs not stat()'s; issue #19). */
static const char *holder(const struct tree *t, const char *devino)
{
	unsigned maj, min;
	unsigned long ino;

	if (sscanf(devino, "%x:%x:%lu", &maj, &min, &ino) != 3)
		return NULL;
	for (int i = 0; i < t->nfiles; i++)
		if (same_file(&t->files[i], makedev(maj, min), ino))
			return t->files[i].who;
	return NULL;
}

/*
 * /proc/locks whole, as one consistent view: the file comes a page per read(), each page from a
 * fresh walk of the lock list by position, so a lock taken or dropped by a parallel job between two
 * reads hides a line or shows one twice (seen: a lease "appeared" after a restore, missed before
 * the dump). Two whole reads that agree are a view; libzdtm's proc_locks_open() does the same.
 * The text in a malloc'd buffer (NULL when unreadable), to be freed.
 */
static char *locks_view(void)
{
	size_t size = 1 << 20;
	char *prev = malloc(size), *cur = malloc(size), *tmp;
	ssize_t nprev = -1, ncur = -1;

	for (int tries = 0; prev && cur && tries < 200; tries++) {
		if ((ncur = read_text("/proc/locks", cur, size)) < 0 || (ncur == nprev && !memcmp(prev, cur, ncur)))
			break;
		tmp = prev;
		prev = cur;
		cur = tmp;
		nprev = ncur;
		usleep(1000);
	}
	free(prev);
	if (ncur < 0) {
		free(cur);
		return NULL;
	}
	return cur;   /* never two alike in 200 tries: the last read */
}

/* The tree's locks in /proc/locks: those of its tasks, and OFD locks (no pid) on files it holds,
 * not blocked waiters (see state.c). A lock is named by the fd that holds its file; a file no fd
 * holds keeps its dev:inode. */
void state_locks(struct lines *l, const struct tree *t)
{
	char text[256], *view = locks_view(), *save = NULL;
	struct lock lk;

	for (char *line = view ? strtok_r(view, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		const char *file;

		if (lock_parse(line, &lk) || lk.blocked || (lk.pid != -1 && !tree_vpid(t, lk.pid)))
			continue;
		file = holder(t, lk.devino);
		if (!file && lk.pid == -1)
			continue;
		lock_text(t, &lk, text, sizeof(text));
		add_line(l, "lock %s = %s", file ? file : lk.devino, text);
	}
	free(view);
}
