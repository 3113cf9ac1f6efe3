#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a tmpfs with size, nr_inodes, mode, uid and gid options holding a sparse file, a symlink, a fifo, a 0700 dir, an xattr",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define OPTS "size=1236k,nr_inodes=77,mode=1751,uid=1234,gid=4321"
#define PG 4096
#define HOLES_SIZE (3 << 20)
#define XATTR_VALUE "zdtm tmpfs_opts"

/* The sparse file: data at these ranges, holes elsewhere up to HOLES_SIZE. */
static const struct {
	off_t off, len;
} data_at[] = { { 0, PG }, { 1 << 20, 2 * PG } };
#define NDATA (sizeof(data_at) / sizeof(data_at[0]))

static char point[2 * PATH_MAX];
static bool have_xattr;

static const char *in(const char *name)
{
	static char path[4][PATH_MAX];
	static unsigned next;
	char *p = path[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", test_path("tmpfs"), name);
	return p;
}

/* The super block options (the field after "- tmpfs source") of the mount at point. */
static int super_opts(char *opts, size_t len)
{
	static char line[4096];
	char mp[PATH_MAX], type[64], so[1024];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	const char *sep;
	int ret = -1;

	while (f && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		if (sscanf(line, "%*d %*d %*u:%*u %*s %4095s", mp) != 1 || strcmp(mp, point) || !sep ||
		    sscanf(sep, " - %63s %*s %1023s", type, so) != 2)
			continue;
		snprintf(opts, len, "%s %s", type, so);
		ret = 0;
	}
	if (f)
		fclose(f);
	return ret;
}

static int build(void)
{
	char buf[2 * PG];
	int fd;

	fd = open(in("holes"), O_RDWR | O_CREAT | O_EXCL, 0644);
	if (fd < 0 || ftruncate(fd, HOLES_SIZE))
		return fail_errno("create holes");
	for (size_t i = 0; i < NDATA; i++) {
		datagen(buf, data_at[i].len, i + 1);
		if (pwrite(fd, buf, data_at[i].len, data_at[i].off) != data_at[i].len)
			return fail_errno("write holes at %lld", (long long)data_at[i].off);
	}
	close(fd);
	if (symlink("holes", in("link")) || mkfifo(in("fifo"), 0640) || mkdir(in("private"), 0700) ||
	    mknod(in("private/inner"), S_IFREG | 0600, 0))
		return fail_errno("symlink/fifo/dir");
	if (mknod(in("attrs"), S_IFREG | 0644, 0))
		return fail_errno("create attrs");
	have_xattr = !setxattr(in("attrs"), "user.zdtm", XATTR_VALUE, strlen(XATTR_VALUE), 0);
	if (!have_xattr && errno != EOPNOTSUPP)
		return fail_errno("setxattr user.zdtm");
	if (!have_xattr)
		test_msg("tmpfs has no user xattrs here: not checked");
	return 0;
}

/* The sparse file has its data where it was written and holes elsewhere. */
static int expect_holes(void)
{
	char want[2 * PG], got[2 * PG];
	off_t pos = 0, data, hole;
	int fd = open(in("holes"), O_RDONLY);
	struct stat st;

	if (fd < 0 || fstat(fd, &st))
		return fail_errno("open holes");
	if (expect_int("holes: size", st.st_size, HOLES_SIZE) || expect_int("holes: 512-byte blocks", st.st_blocks, 3 * PG / 512))
		return 1;
	for (size_t i = 0; i < NDATA; i++, pos = hole) {
		data = lseek(fd, pos, SEEK_DATA);
		hole = lseek(fd, data, SEEK_HOLE);
		if (data != data_at[i].off || hole != data_at[i].off + data_at[i].len)
			return fail("holes: data %lld..%lld, expected %lld..%lld", (long long)data, (long long)hole,
				    (long long)data_at[i].off, (long long)(data_at[i].off + data_at[i].len));
		datagen(want, data_at[i].len, i + 1);
		if (pread(fd, got, data_at[i].len, data) != data_at[i].len)
			return fail_errno("read holes");
		if (expect_bytes("holes data", got, want, data_at[i].len))
			return 1;
	}
	if (lseek(fd, pos, SEEK_DATA) != -1 || errno != ENXIO)
		return fail("holes: data after %lld, expected a hole up to the end", (long long)pos);
	close(fd);
	return 0;
}

static int expect_mode(const char *name, mode_t mode)
{
	struct stat st;

	if (lstat(in(name), &st))
		return fail_errno("lstat %s", name);
	if (st.st_mode != mode)
		return fail("%s: mode %#o, expected %#o", name, st.st_mode, mode);
	return 0;
}

static int expect_contents(void)
{
	char target[PATH_MAX] = "";

	if (expect_holes() || expect_mode("link", S_IFLNK | 0777) || expect_mode("fifo", S_IFIFO | 0640) ||
	    expect_mode("private", S_IFDIR | 0700) || expect_mode("private/inner", S_IFREG | 0600) ||
	    expect_mode(".", S_IFDIR | 01751))
		return 1;
	if (readlink(in("link"), target, sizeof(target) - 1) < 0)
		return fail_errno("readlink link");
	return expect_str("symlink target", target, "holes");
}

static int expect_xattr(void)
{
	char value[64] = "";
	ssize_t n;

	if (!have_xattr)
		return 0;
	n = getxattr(in("attrs"), "user.zdtm", value, sizeof(value) - 1);
	if (n < 0)
		return fail_errno("getxattr user.zdtm, expected \"%s\"", XATTR_VALUE);
	return expect_str("xattr user.zdtm", value, XATTR_VALUE);
}

static int expect_fs(const struct statfs *want, const char *opts)
{
	struct statfs sf;
	char now[1100];

	if (statfs(test_path("tmpfs"), &sf))
		return fail_errno("statfs");
	if (expect_int("f_type", sf.f_type, want->f_type) || expect_int("f_bsize", sf.f_bsize, want->f_bsize) ||
	    expect_int("f_blocks", sf.f_blocks, want->f_blocks) || expect_int("f_bfree", sf.f_bfree, want->f_bfree) ||
	    expect_int("f_files", sf.f_files, want->f_files) || expect_int("f_flags", sf.f_flags, want->f_flags))
		return 1;
	if (super_opts(now, sizeof(now)))
		return fail("no mountinfo line for %s", point);
	return expect_str("fs type and super block options", now, opts);
}

static int expect_ffree(long ffree)
{
	struct statfs sf;

	if (statfs(test_path("tmpfs"), &sf))
		return fail_errno("statfs");
	return expect_int("f_ffree", sf.f_ffree, ffree);
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX], opts[1100], want[] = OPTS;
	struct statfs sf;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("tmpfs"));
	if (mkdir(test_path("tmpfs"), 0755) || mount("zdtm_tmpfs_opts", test_path("tmpfs"), "tmpfs", 0, OPTS))
		return fail_errno("mount tmpfs -o %s", OPTS);
	if (build())
		return 1;
	if (statfs(test_path("tmpfs"), &sf) || super_opts(opts, sizeof(opts)))
		return fail_errno("statfs/mountinfo");
	for (char *o = strtok(want, ","); o && strncmp(o, "uid=", 4); o = strtok(NULL, ","))
		if (!strstr(opts, o))   /* uid and gid are shown as seen from the initial user ns */
			return fail("super block options \"%s\", expected %s in them", opts, o);
	if (expect_contents() || expect_xattr())
		return 1;

	test_daemon();
	test_waitsig();

	/* f_ffree last: user xattrs take inode space, a lost one shows there too */
	if (expect_contents() || expect_fs(&sf, opts) || expect_xattr() || expect_ffree(sf.f_ffree))
		return 1;
	return pass();
}
