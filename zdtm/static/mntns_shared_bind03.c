#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "binds of one directory in different peer groups: a shared self-bind, a peer of it, a non-root bind of its subdirectory (a peer too), a bind of it moved to a group of its own, a slave of it: the tags and, after C/R, a mount below the first reaching its peers and slave only",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

/*
 * Under NAME.d (a directory of the root mount):
 *   1   self-bind, made private then shared       shared:#1
 *   2   bind of 1/D                                shared:#1 (root /1/D)
 *   3   bind of 1                                  shared:#1
 *   A   bind of 1, made private then shared        shared:#2 (a group of its own)
 *   B   bind of 1, made a slave                    master:#1
 * (mountinfo_tree numbers groups by first use in point order.)
 */
static char top[PATH_MAX + 64], tree[2][8192];

static const char *at(const char *sub)
{
	static char p[4][PATH_MAX + 128];
	static int k;
	char *s = p[k++ % 4];

	snprintf(s, PATH_MAX + 128, "%s/%s", top, sub);
	return s;
}

static int bind(const char *from, const char *to, unsigned long first, unsigned long then)
{
	if (mkdir(at(to), 0755) || mount(at(from), at(to), NULL, MS_BIND, NULL) ||
	    (first && mount(NULL, at(to), NULL, first, NULL)) || (then && mount(NULL, at(to), NULL, then, NULL)))
		return fail_errno("bind %s on %s", at(from), at(to));
	return 0;
}

/* The tree's line for mount point sub has tags. */
static int expect_tags(const char *t, const char *sub, const char *tags)
{
	char want[PATH_MAX + 256];
	const char *l;

	snprintf(want, sizeof(want), "%s ", at(sub));
	for (l = t; l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (!strncmp(l, want, strlen(want))) {
			size_t n = strcspn(l, "\n");
			char line[PATH_MAX * 2 + 512];

			snprintf(line, sizeof(line), "%.*s", (int)n, l);
			if (!strstr(line, tags) || (!strchr(tags, 'm') && strstr(line, "master:")))
				return fail("%s: \"%s\", expected the tags \"%s\"", sub, line, tags);
			return 0;
		}
	return fail("no mount at %s in:\n%s", at(sub), t);
}

static int expect_tree(int k)
{
	if (mountinfo_tree(0, top, tree[k], sizeof(tree[k])) != 5)
		return fail("mounts under %s:\n%s\nexpected 5", top, tree[k]);
	if (k && expect_lines("the mounts", tree[1], tree[0]))
		return 1;
	return expect_tags(tree[k], "1", " shared:#1 ") || expect_tags(tree[k], "2", " shared:#1 ") ||
	       expect_tags(tree[k], "3", " shared:#1 ") || expect_tags(tree[k], "A", " shared:#2 ") ||
	       expect_tags(tree[k], "B", " master:#1 ");
}

/* A tmpfs on 1/D/test reaches 2/test, 3/D/test and B/D/test, not A/D/test. */
static int expect_propagation(void)
{
	struct stat a, b;

	if (mkdir(at("1/D/test"), 0755) || mount("zdtm_shared03", at("1/D/test"), "tmpfs", 0, "size=64k") ||
	    mknod(at("1/D/test/f"), S_IFREG | 0600, 0) || stat(at("1/D/test/f"), &a))
		return fail_errno("a tmpfs on %s", at("1/D/test"));
	for (const char *const *p = (const char *const[]){ "2/test/f", "3/D/test/f", "B/D/test/f", NULL }; *p; p++)
		if (stat(at(*p), &b) || b.st_ino != a.st_ino || b.st_dev != a.st_dev)
			return fail("%s is not 1/D/test/f, expected the mount propagated there", at(*p));
	if (!access(at("A/D/test/f"), F_OK))
		return fail("%s is there, expected no propagation into A's own group", at("A/D/test/f"));
	return 0;
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX];

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(top, sizeof(top), "%s/%s", cwd, test_path("d"));
	if (mkdir(top, 0755) || mkdir(at("1"), 0755))
		return fail_errno("mkdir %s", top);
	if (mount(at("1"), at("1"), NULL, MS_BIND, NULL) || mount(NULL, at("1"), NULL, MS_PRIVATE, NULL) ||
	    mount(NULL, at("1"), NULL, MS_SHARED, NULL) || mkdir(at("1/D"), 0755))
		return fail_errno("a shared self-bind of %s", at("1"));
	if (bind("1", "A", MS_PRIVATE, MS_SHARED) || bind("1", "B", MS_SLAVE, 0) || bind("1/D", "2", 0, 0) ||
	    bind("1", "3", 0, 0))
		return 1;
	if (expect_tree(0))
		return 1;

	test_daemon();
	test_waitsig();

	return expect_tree(1) || expect_propagation() ? 1 : pass();
}
