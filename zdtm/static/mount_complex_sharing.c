#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "complex sharing: binds of private, shared, slave and shared-slave mounts' subdirectories put into a shared tmpfs with three peers, whose propagated copies were then made private, slave or shared anew, and one remounted read-only: the whole tree with its groups and flags, a file, propagation after C/R",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid", .features = "move_mount_set_group");

/*
 * One step: mount a tmpfs (from NULL) or bind from/root on point, or only change point (from ""),
 * then apply up to two propagation or remount flags.
 */
struct step {
	const char *point, *from;
	unsigned long flags[2];
};

#define RO (MS_REMOUNT | MS_BIND | MS_RDONLY)
static const char *const kinds[] = { "private", "shared", "slave", "slave-shared", NULL };

static const struct step steps[] = {
	{ "shared-bind-1", NULL, { MS_SHARED } },
	{ "shared-bind-2", "shared-bind-1", { 0 } }, { "shared-bind-3", "shared-bind-1", { 0 } }, { "shared-bind-4", "shared-bind-1", { 0 } },
	{ "private-mnt", NULL, { MS_PRIVATE } },
	{ "shared-mnt", "private-mnt", { MS_SHARED } },            /* a group of its own, S */
	{ "slave-mnt", "shared-mnt", { MS_SLAVE } },              /* master S */
	{ "slave-shared-mnt", "slave-mnt", { MS_SHARED } },       /* master S, a group T */
	/* binds of their subdir/ into shared-bind-1: copies appear in shared-bind-2..4 */
	{ "shared-bind-1/prop-private", "private-mnt/subdir", { 0 } },
	{ "shared-bind-1/prop-shared", "shared-mnt/subdir", { 0 } },
	{ "shared-bind-1/prop-slave", "slave-mnt/subdir", { 0 } },
	{ "shared-bind-1/prop-slave-shared", "slave-shared-mnt/subdir", { 0 } },
	{ "shared-bind-1/prop-mount-flags", "private-mnt/subdir", { RO } },
	{ "shared-bind-2/prop-mount-flags", "", { RO } },
};

/* The propagated copies of shared-bind-1/prop-KIND in shared-bind-2, 3, 4 get these. */
static const unsigned long copy_flags[3][2] = { { MS_PRIVATE }, { MS_SLAVE }, { MS_PRIVATE, MS_SHARED } };

/* top, 4 shared-bind-N, 4 of the private-mnt family, 5 binds into shared-bind-1, 3 x 5 copies */
#define MOUNTS 29

static char top[PATH_MAX + 64], tree[2][32768];

static const char *at(const char *sub)
{
	static char p[4][PATH_MAX + 128];
	static int k;
	char *s = p[k++ % 4];

	snprintf(s, PATH_MAX + 128, "%s/%s", top, sub);
	return s;
}

static int apply(const char *point, const unsigned long *flags)
{
	for (int i = 0; i < 2 && flags[i]; i++)
		if (mount(NULL, at(point), NULL, flags[i], NULL))
			return fail_errno("mount flags %#lx on %s", flags[i], at(point));
	return 0;
}

static int step(const struct step *s)
{
	char sub[64];

	if (!s->from) {
		if (mount("zdtm_complex", at(s->point), "tmpfs", 0, "size=64k"))
			return fail_errno("tmpfs on %s", at(s->point));
	} else if (s->from[0] && mount(at(s->from), at(s->point), NULL, MS_BIND, NULL)) {
		return fail_errno("bind %s on %s", at(s->from), at(s->point));
	}
	if (apply(s->point, s->flags))
		return 1;
	if (!s->from && !strcmp(s->point, "shared-bind-1")) {
		for (int i = 0; kinds[i]; i++) {
			snprintf(sub, sizeof(sub), "shared-bind-1/prop-%s", kinds[i]);
			if (mkdir(at(sub), 0755))
				return fail_errno("mkdir %s", at(sub));
		}
		if (mkdir(at("shared-bind-1/prop-mount-flags"), 0755))
			return fail_errno("mkdir");
	}
	if (!s->from && !strcmp(s->point, "private-mnt") && mkdir(at("private-mnt/subdir"), 0755))
		return fail_errno("mkdir %s", at("private-mnt/subdir"));
	return 0;
}

static int build(void)
{
	static const char *const dirs[] = { "shared-bind-1", "shared-bind-2", "shared-bind-3", "shared-bind-4",
					    "private-mnt", "shared-mnt", "slave-mnt", "slave-shared-mnt", NULL };
	char sub[64];
	int fd;

	if (mkdir(top, 0755) || mount("zdtm_complex", top, "tmpfs", 0, "size=1m") || mount(NULL, top, NULL, MS_PRIVATE, NULL))
		return fail_errno("a private tmpfs on %s", top);
	for (int i = 0; dirs[i]; i++)
		if (mkdir(at(dirs[i]), 0755))
			return fail_errno("mkdir %s", at(dirs[i]));
	fd = open(at("testfile"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || write_all(fd, "TESTFILE", 8) || close(fd))
		return fail_errno("write %s", at("testfile"));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) - 1; i++)
		if (step(&steps[i]))
			return 1;
	for (int c = 0; c < 3; c++)
		for (int i = 0; kinds[i]; i++) {
			snprintf(sub, sizeof(sub), "shared-bind-%d/prop-%s", c + 2, kinds[i]);
			if (apply(sub, copy_flags[c]))
				return 1;
		}
	return step(&steps[sizeof(steps) / sizeof(steps[0]) - 1]);
}

static int expect_tree(int k)
{
	char buf[16] = "";
	int fd, n = mountinfo_tree(0, top, tree[k], sizeof(tree[k]));

	if (n != MOUNTS)
		return fail("%d mounts under %s, expected %d:\n%s", n, top, MOUNTS, tree[k]);
	if (k && expect_lines("the mounts", tree[1], tree[0]))
		return 1;
	fd = open(at("testfile"), O_RDONLY);
	if (fd < 0 || read_all(fd, buf, sizeof(buf) - 1) < 0)
		return fail_errno("read %s", at("testfile"));
	close(fd);
	return expect_str(at("testfile"), buf, "TESTFILE");
}

/* A tmpfs on shared-mnt/subdir/x reaches the slaves and the binds of group S's subdir, not the
 * private ones. */
static int expect_propagation(void)
{
	static const char *const yes[] = { "slave-mnt/subdir/x/f", "slave-shared-mnt/subdir/x/f",
					   "shared-bind-1/prop-shared/x/f", "shared-bind-1/prop-slave/x/f",
					   "shared-bind-3/prop-shared/x/f", NULL };
	static const char *const no[] = { "private-mnt/subdir/x/f", "shared-bind-1/prop-private/x/f",
					  "shared-bind-2/prop-shared/x/f", NULL };

	if (mkdir(at("shared-mnt/subdir/x"), 0755) || mount("zdtm_x", at("shared-mnt/subdir/x"), "tmpfs", 0, "size=64k") ||
	    mknod(at("shared-mnt/subdir/x/f"), S_IFREG | 0600, 0))
		return fail_errno("a tmpfs on %s", at("shared-mnt/subdir/x"));
	for (int i = 0; yes[i]; i++)
		if (access(at(yes[i]), F_OK))
			return fail_errno("%s, expected the mount on shared-mnt/subdir/x propagated there", at(yes[i]));
	for (int i = 0; no[i]; i++)
		if (!access(at(no[i]), F_OK))
			return fail("%s is there, expected no propagation", at(no[i]));
	return 0;
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX];

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(top, sizeof(top), "%s/%s", cwd, test_path("d"));
	if (build() || expect_tree(0))
		return 1;

	test_daemon();
	test_waitsig();

	return expect_tree(1) || expect_propagation() ? 1 : pass();
}
