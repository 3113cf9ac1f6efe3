/* Small file helpers: directories, whole-file reads and copies, first matching line, logging. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner.h"

int mkdir_p(const char *path, mode_t mode)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, mode) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return (mkdir(buf, mode) && errno != EEXIST) ? -1 : 0;
}

/* Never crosses into another file system: a leftover mount stops it instead of being emptied. */
static int rm_rf_at(int dirfd, const char *name, dev_t dev)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0);
	if (st.st_dev != dev)
		return -1;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rm_rf_at(fd, de->d_name, dev);
	closedir(d);
	return unlinkat(dirfd, name, AT_REMOVEDIR);
}

int rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -1;
	return rm_rf_at(AT_FDCWD, path, st.st_dev);
}

void runner_dir(char *buf, size_t len, int up)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
	for (int i = 0; i <= up && strrchr(buf, '/'); i++)
		*strrchr(buf, '/') = 0;
}

ssize_t read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while (total < (ssize_t)len - 1 && (n = read(fd, buf + total, len - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = 0;
	return total;
}

int grep_first(const char *path, const char *needle, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char line[1024];
	int found = -1;

	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f)) {
		if (!strstr(line, needle))
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(buf, len, "%s", line);
		found = 0;
	}
	fclose(f);
	return found;
}

void logf_(int fd, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	int n;

	/* Each line starts with the monotonic clock: make bench reads where a job's time goes. */
	int t = snprintf(buf, sizeof(buf), "[%.6f] ", now_sec());

	va_start(ap, fmt);
	n = vsnprintf(buf + t, sizeof(buf) - 1 - t, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += t;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(fd, buf, n) < 0)
		return;   /* a lost log line is not worth failing a job */
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dir_list(const char *dir, struct names *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	out->n = 0;
	out->v = NULL;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (!(out->n & 63))
			out->v = realloc(out->v, (out->n + 64) * sizeof(*out->v));
		out->v[out->n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(out->v, out->n, sizeof(*out->v), by_name);
	return 0;
}

bool names_has(const struct names *l, const char *name)
{
	return l->n && bsearch(&name, l->v, l->n, sizeof(*l->v), by_name);
}

void names_free(struct names *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int can_write_file(const char *path, char *why, size_t len)
{
	struct stat st;
	bool made = stat(path, &st) != 0;
	int fd;

	if (!made && S_ISDIR(st.st_mode)) {
		snprintf(why, len, "it is a directory");
		return -1;
	}
	/* Root passes every access() check: only really opening it tells (/proc, a read-only mount). */
	fd = open(path, O_WRONLY | O_CLOEXEC | (made ? O_CREAT | O_EXCL : 0), 0644);
	if (fd < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	close(fd);
	if (made)
		unlink(path);
	return 0;
}

int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1;
	ssize_t n = 0;

	if (in >= 0)
		out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	if (in >= 0)
		close(in);
	if (out < 0 || close(out) || n < 0)
		return -1;
	return 0;
}
