#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a bind of a directory and a bind of a file whose sources were then removed (mountinfo roots end in //deleted): both binds at their points, the file's data",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define DATA "the bound file's data"

static char cwd[PATH_MAX], tree[2][16384];

static int expect_binds(void)
{
	char buf[64] = "", path[PATH_MAX];
	struct stat st;
	int fd = open(test_path("fbind"), O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0 || fstat(fd, &st))
		return fail_errno("read %s", test_path("fbind"));
	close(fd);
	if (expect_int("the bound file's links", st.st_nlink, 0))
		return 1;
	if (stat(test_path("dbind"), &st))
		return fail_errno("stat %s", test_path("dbind"));
	if (expect_int("the bound directory's links", st.st_nlink, 0))
		return 1;
	snprintf(path, sizeof(path), "%s/x", test_path("dbind"));
	if (!mknod(path, S_IFREG | 0600, 0) || errno != ENOENT)
		return fail("create %s: %s, expected ENOENT in a removed directory", path, strerror(errno));
	return expect_str("the bound file's data", buf, DATA);   /* last: criu 4.2 loses it */
}

int main(int argc, char **argv)
{
	int fd;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	fd = open(test_path("fsrc"), O_WRONLY | O_CREAT | O_EXCL, 0640);
	if (fd < 0 || write_all(fd, DATA, strlen(DATA)) || close(fd) || mknod(test_path("fbind"), S_IFREG | 0600, 0) ||
	    mkdir(test_path("dsrc"), 0750) || mkdir(test_path("dbind"), 0755))
		return fail_errno("create the sources and the points");
	if (mount(test_path("fsrc"), test_path("fbind"), NULL, MS_BIND, NULL) ||
	    mount(test_path("dsrc"), test_path("dbind"), NULL, MS_BIND, NULL))
		return fail_errno("bind");
	if (unlink(test_path("fsrc")) || rmdir(test_path("dsrc")))
		return fail_errno("remove the sources");
	if (mountinfo_tree(0, cwd, tree[0], sizeof(tree[0])) != 2 || !strstr(tree[0], "//deleted") || expect_binds())
		return fail("mounts under %s:\n%s\nexpected two binds of deleted sources", cwd, tree[0]);

	test_daemon();
	test_waitsig();

	if (mountinfo_tree(0, cwd, tree[1], sizeof(tree[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_lines("the mounts under the test's dir", tree[1], tree[0]) || expect_binds())
		return 1;
	return pass();
}
