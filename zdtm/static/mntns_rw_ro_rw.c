#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "read-write, read-only, read-write again down one path: a proc mount, a self-bind of its sys/ remounted read-only, and a self-bind of sys/net below it that stays writable: the tree, EROFS in sys/ only, net sysctls writable",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

static char top[PATH_MAX + 64], tree[2][8192];

static const char *at(const char *sub)
{
	static char p[2][PATH_MAX + 128];
	static int k;
	char *s = p[k++ % 2];

	snprintf(s, PATH_MAX + 128, "%s/%s", top, sub);
	return s;
}

/* Opening sub for writing gives errno want (0: it opens, and its value is written back). */
static int expect_write(const char *sub, int want)
{
	char buf[64] = "";
	int fd = open(at(sub), O_RDWR), err = fd < 0 ? errno : 0;
	ssize_t n;

	if (err != want)
		return fail("open %s for writing: %s, expected %s", at(sub), err ? strerror(err) : "opened",
			    want ? strerror(want) : "opened");
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0 || lseek(fd, 0, SEEK_SET) || write(fd, buf, n) != n)
		return fail_errno("write \"%.*s\" back to %s", (int)(n > 0 ? n - 1 : 0), buf, at(sub));
	close(fd);
	return 0;
}

static int expect_all(int k)
{
	if (mountinfo_tree(0, top, tree[k], sizeof(tree[k])) != 3)
		return fail("mounts under %s:\n%s\nexpected 3", top, tree[k]);
	if (k && expect_lines("the mounts", tree[1], tree[0]))
		return 1;
	if (!strstr(tree[k], "/sys /sys ro,") || !strstr(tree[k], "/sys/net /sys/net rw,"))
		return fail("mounts under %s:\n%s\nexpected sys/ ro and sys/net rw", top, tree[k]);
	return expect_write("sys/net/ipv4/ip_forward", 0) || expect_write("sys/kernel/ns_last_pid", EROFS) ||
	       expect_write("sys/net/core/somaxconn", 0) || expect_write("self/comm", 0);
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX];

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(top, sizeof(top), "%s/%s", cwd, test_path("proc"));
	if (mkdir(top, 0755) || mount("proc", top, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return fail_errno("proc on %s", top);
	if (mount(at("sys"), at("sys"), NULL, MS_BIND, NULL) || mount(at("sys/net"), at("sys/net"), NULL, MS_BIND, NULL) ||
	    mount(NULL, at("sys"), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL))
		return fail_errno("self-binds of sys and sys/net, sys remounted read-only");
	if (expect_all(0))
		return 1;

	test_daemon();
	test_waitsig();

	return expect_all(1) ? 1 : pass();
}
