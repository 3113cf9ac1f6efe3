#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an overlayfs mount (lower, upper, work on a tmpfs) with a lower file open read-only through it at offset 100",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#define LEN 4000
#define OFF 100

static char base[512], merged[600], data[LEN];

static int check(int fd)
{
	char link[64], target[700], want[700], buf[LEN], mounts[1024];
	struct statfs sf;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlink %s", link);
	target[n] = 0;
	snprintf(want, sizeof(want), "%s/file", merged);
	if (expect_str("the fd's path", target, want))
		return 1;
	if (fstatfs(fd, &sf) || expect_int("f_type of the fd's file system", sf.f_type, OVERLAYFS_SUPER_MAGIC))
		return fail_errno("fstatfs");
	if (mountinfo_at(merged, mounts, sizeof(mounts)) != 1 || !strstr(mounts, " overlay "))
		return fail("mounts at %s: \"%s\", expected one overlay", merged, mounts);
	if (expect_int("offset", lseek(fd, 0, SEEK_CUR), OFF))
		return 1;
	n = pread(fd, buf, LEN, 0);
	if (expect_int("bytes in the file", n, LEN) || expect_bytes("its data", buf, data, LEN))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char cwd[256], opts[2048], path[700];
	const char *dirs[] = { "lower", "upper", "work", "merged" };
	int fd;

	test_init(argc, argv);
	datagen(data, LEN, 66);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(base, sizeof(base), "%s/%s", cwd, test_path("ovl"));
	snprintf(merged, sizeof(merged), "%s/merged", base);
	if (mkdir(base, 0755) || mount("zdtm", base, "tmpfs", 0, "size=4m"))
		return fail_errno("a tmpfs on %s", base);
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", base, dirs[i]);
		if (mkdir(path, 0755))
			return fail_errno("mkdir %s", path);
	}
	snprintf(path, sizeof(path), "%s/lower/file", base);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || write_all(fd, data, LEN) || close(fd))
		return fail_errno("write %s", path);
	snprintf(opts, sizeof(opts), "lowerdir=%s/lower,upperdir=%s/upper,workdir=%s/work", base, base, base);
	if (mount("overlay", merged, "overlay", 0, opts)) {
		if (errno == ENODEV)
			return skip("no overlayfs");
		return fail_errno("mount overlay on %s", merged);
	}
	snprintf(path, sizeof(path), "%s/file", merged);
	fd = open(path, O_RDONLY);
	if (fd < 0 || lseek(fd, OFF, SEEK_SET) != OFF)
		return fail_errno("open %s", path);
	if (check(fd))
		return 1;

	test_daemon();
	test_waitsig();

	return check(fd) ? 1 : pass();
}
