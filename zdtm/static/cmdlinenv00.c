#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "argv and environ strings rewritten in place: /proc/self/cmdline and environ show the new text",
	  .flavors = ZDTM_ALL_FLAVORS);

#define MAX_AREA (64 * 1024)

/* One of the two areas the kernel shows: [start, end) of the process's own stack. */
struct area {
	const char *name;      /* "cmdline" or "environ" */
	char *start;
	size_t len;
	char old[MAX_AREA];    /* the original bytes, put back before exit (libzdtm keeps argv pointers) */
	char new[MAX_AREA];
};

static struct area args = { .name = "cmdline" }, env = { .name = "environ" };

/* Fields 48-51 of /proc/self/stat: arg_start arg_end env_start env_end. */
static int find_areas(void)
{
	long v[4];

	for (int i = 0; i < 4; i++)
		if ((v[i] = proc_stat_field(getpid(), 48 + i)) < 0)
			return fail("cannot parse fields 48-51 of /proc/self/stat");
	args.start = (char *)v[0];
	args.len = v[1] - v[0];
	env.start = (char *)v[2];
	env.len = v[3] - v[2];
	if (!args.len || args.len > MAX_AREA || !env.len || env.len > MAX_AREA)
		return fail("argument area %zu bytes, environment %zu bytes, expected 1..%d each",
			    args.len, env.len, MAX_AREA);
	return 0;
}

/* New NUL-separated strings, as many as fit, other lengths than the originals; ends in NUL. */
static void rewrite(struct area *a, const char *fmt)
{
	size_t off = 0;

	memcpy(a->old, a->start, a->len);
	for (int i = 0; off < a->len; i++)
		off += snprintf(a->new + off, a->len - off, fmt, i, i * 7919 % 1000) + 1;
	a->new[a->len - 1] = 0;
	memcpy(a->start, a->new, a->len);
}

/* What /proc/self/<name> shows is exactly the new text. */
static int check(const struct area *a, const char *when)
{
	static char buf[MAX_AREA + 1];
	char path[64];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/self/%s", a->name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail_errno("open %s", path);
	n = read_all(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	if (n != (int)a->len)
		return fail("%s: %s has %d bytes, expected %zu", when, path, n, a->len);
	for (int i = 0; i < n; i++)
		if (buf[i] != a->new[i])
			return fail("%s: %s byte %d is %#x, expected %#x (\"%s\" where \"%s\")", when, path, i,
				    (unsigned char)buf[i], (unsigned char)a->new[i], buf + i, a->new + i);
	return 0;
}

static int restore_and(int ret)
{
	memcpy(args.start, args.old, args.len);
	memcpy(env.start, env.old, env.len);
	return ret;
}

int main(int argc, char **argv)
{
	int ret;

	test_init(argc, argv);
	if (find_areas())
		return 1;
	rewrite(&args, "rewritten-arg-%d-%d");
	rewrite(&env, "ZDTM_NEW_%d=value-%d");
	if ((ret = check(&args, "before C/R") || check(&env, "before C/R")))
		return restore_and(ret);

	test_daemon();
	test_waitsig();

	ret = check(&args, "after C/R") || check(&env, "after C/R");
	return restore_and(ret) ?: pass();
}
