#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

/* mnt_ext_master.c includes this file with ONE_MOUNT and its own declaration. */
#ifndef ONE_MOUNT
ZDTM_TEST(.doc = "several external mounts with one external master: the runner's tmpfs, shared in the job's mount namespace, bound at /mnt_ext (its root) and /mnt_ext2 (its directory sub), both slaves of it; dumped as --external mnt[/mnt_ext]:zdtm_ext and mnt[/mnt_ext2]:zdtm_ext2, bound back by the restore from the tmpfs and its sub, both still slaves of the same peer group (criu keeps a named external mount's master without --external mnt[]:m); ns and uns only: the runner makes external mounts only there",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "extmnt-multiple extmnt-master");
#endif

#define MARKER "zdtm: a file of the external mount\n"
#define WRITTEN "written by the test through /mnt_ext before C/R\n"

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* The optional field "master:N" of point's line in /proc/self/mountinfo into out ("" when it has
 * none), and "shared:N" into shared; 0, or -1 when point is not one mount. */
static int propagation(const char *point, char *master, char *shared, size_t len)
{
	char line[1024], mp[512], *p;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;

	if (!f)
		return -1;
	master[0] = shared[0] = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %*s %511s", mp) != 1 || strcmp(mp, point))
			continue;
		found++;
		for (p = strtok(line, " \n"); p && strcmp(p, "-"); p = strtok(NULL, " \n")) {
			if (!strncmp(p, "master:", 7))
				snprintf(master, len, "%s", p);
			if (!strncmp(p, "shared:", 7))
				snprintf(shared, len, "%s", p);
		}
	}
	fclose(f);
	return found == 1 ? 0 : -1;
}

/* point is one tmpfs mount of the runner's (source zdtm-ext) with root root, a slave of an external
 * master and no peer of anything: its master into master. */
static int check_mount(const char *when, const char *point, const char *root, char *seen, size_t len,
		       char *master)
{
	char r[64] = "", opts[128] = "", fstype[32] = "", source[64] = "", shared[32];

	if (mountinfo_at(point, seen, len) != 1)
		return fail("%s: %s should be one mount, mountinfo has \"%s\"", when, point, seen);
	sscanf(seen, "%63s %127s %31s %63s", r, opts, fstype, source);
	if (expect_str("the external mount's root", r, root) ||
	    expect_str("the external mount's file system", fstype, "tmpfs") ||
	    expect_str("the external mount's source", source, "zdtm-ext"))
		return -1;
	if (propagation(point, master, shared, 32))
		return fail("%s: no single line for %s in mountinfo", when, point);
	if (!master[0])
		return fail("%s: %s is no slave: mountinfo has no master:N for it", when, point);
	return expect_str("the external mount's peer group (none: a slave only)", shared, "");
}

/* The runner's word for its tmpfs's peer group N in the job's namespace, outside the test's
 * (/mnt_ext/peer-group): "master:N" into out, as a slave of it shows its master. */
static int runner_master(char *out, size_t len)
{
	char buf[32];

	if (read_file("/mnt_ext/peer-group", buf, sizeof(buf)))
		return fail_errno("read /mnt_ext/peer-group");
	snprintf(out, len, "master:%.*s", (int)strcspn(buf, "\n"), buf);
	return 0;
}

static int expect_file(const char *path, const char *text)
{
	char buf[256];

	if (read_file(path, buf, sizeof(buf)))
		return fail_errno("read %s", path);
	return expect_str(path, buf, text);
}

int main(int argc, char **argv)
{
	char before[2][512] = { "", "" }, after[2][512] = { "", "" }, master[2][32], master_after[2][32], runner[32];
	int fd;

	test_init(argc, argv);
	if (check_mount("before", "/mnt_ext", "/", before[0], sizeof(before[0]), master[0]))
		return 1;
	if (runner_master(runner, sizeof(runner)) ||
	    expect_str("/mnt_ext's master (the runner's tmpfs's peer group)", master[0], runner))
		return 1;
#ifndef ONE_MOUNT
	if (check_mount("before", "/mnt_ext2", "/sub", before[1], sizeof(before[1]), master[1]))
		return 1;
	if (expect_str("/mnt_ext2's master (the runner's tmpfs's peer group)", master[1], runner))
		return 1;
#endif
	fd = open("/mnt_ext/sub/written", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, WRITTEN, strlen(WRITTEN)) || close(fd))
		return fail_errno("write /mnt_ext/sub/written");

	test_daemon();
	test_waitsig();

	if (check_mount("after C/R", "/mnt_ext", "/", after[0], sizeof(after[0]), master_after[0]) ||
	    expect_str("/mnt_ext's mountinfo", after[0], before[0]))
		return 1;
	if (expect_str("/mnt_ext's master (the runner's tmpfs's peer group)", master_after[0], runner))
		return 1;
	if (expect_file("/mnt_ext/marker", MARKER) || expect_file("/mnt_ext/sub/marker", MARKER) ||
	    expect_file("/mnt_ext/sub/written", WRITTEN))
		return 1;
#ifndef ONE_MOUNT
	if (check_mount("after C/R", "/mnt_ext2", "/sub", after[1], sizeof(after[1]), master_after[1]) ||
	    expect_str("/mnt_ext2's mountinfo", after[1], before[1]))
		return 1;
	if (expect_str("/mnt_ext2's master (the runner's tmpfs's peer group)", master_after[1], runner))
		return 1;
	/* One file system under both: what was written through /mnt_ext is seen through /mnt_ext2. */
	if (expect_file("/mnt_ext2/marker", MARKER) || expect_file("/mnt_ext2/written", WRITTEN))
		return 1;
#endif
	return pass();
}
