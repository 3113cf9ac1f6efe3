/*
 * External mounts (the original's mnt_ext_* tests): a mount the test sees but that was made outside
 * its mount namespace, by the runner, so criu can neither dump nor make it: the dump names it
 * (--external mnt[/mnt_ext]:zdtm_ext) and the restore says where to bind it from
 * (--external mnt[zdtm_ext]:HOSTPATH), or criu finds it by itself (--external mnt[] on both). The
 * job's tmpfs DIR/ext holds a file "marker" and a directory "sub" with one too; by the test's flag
 * libzdtm's namespace init binds onto /mnt_ext:
 *   extmnt            the tmpfs itself (mount root "/"), named,
 *   extmnt-sub        its directory sub (a deeper bind root, "/sub"), named,
 *   extmnt-auto       the tmpfs itself, found by criu,
 *   extmnt-file-auto  its file marker (a file bind mount), found by criu,
 *   extmnt-multiple   the tmpfs itself, named, and its directory sub on /mnt_ext2 under its own key
 *                     (zdtm_ext2: --external=mnt[/mnt_ext2]:zdtm_ext2, one argument),
 *   extmnt-rootfs     a directory DIR/rootext of the file system the job's directory is on (the
 *                     host's root file system, not a tmpfs) with a file marker, named,
 *   extmnt-master     the tmpfs, made shared (MS_SHARED) in the job's namespace, its peer group N in
 *                     its file peer-group ("N\n"); the test's /mnt_ext (and /mnt_ext2 with
 *                     extmnt-multiple) is a slave of it (ZDTM_EXTMNT_SLAVE=1: master:N), named.
 * The tmpfs lives in the job's mount namespace and goes with it; DIR/rootext goes with DIR.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extmnt.h"

#define EXT_KEY "zdtm_ext"
#define EXT_KEY2 "zdtm_ext2"
#define MARKER "zdtm: a file of the external mount\n"

/* The host path the test's /mnt_ext is bound from, by its flag; NULL when it has none. */
static const char *ext_source(const struct job_ctx *ctx, char *buf, size_t len)
{
	const struct test *t = ctx->job->test;

	if (test_has_flag(t, "extmnt") || test_has_flag(t, "extmnt-auto") || test_has_flag(t, "extmnt-multiple") ||
	    test_has_flag(t, "extmnt-master"))
		snprintf(buf, len, "%s/ext", ctx->dir);
	else if (test_has_flag(t, "extmnt-rootfs"))
		snprintf(buf, len, "%s/rootext", ctx->dir);
	else if (test_has_flag(t, "extmnt-sub"))
		snprintf(buf, len, "%s/ext/sub", ctx->dir);
	else if (test_has_flag(t, "extmnt-file-auto"))
		snprintf(buf, len, "%s/ext/marker", ctx->dir);
	else
		return NULL;
	return buf;
}

void extmnt_describe(const struct job_ctx *ctx, struct flavor_setup *fs, int *n)
{
	char src[4200], *second;
	int d = 0, r = 0;

	if (!ext_source(ctx, src, sizeof(src)))
		return;
	snprintf(fs->env_store[2], sizeof(fs->env_store[2]), "ZDTM_EXTMNT=%s", src);
	fs->env[(*n)++] = fs->env_store[2];
	if (test_has_flag(ctx->job->test, "extmnt-auto") || test_has_flag(ctx->job->test, "extmnt-file-auto")) {
		snprintf(fs->ext_mnt_dump, sizeof(fs->ext_mnt_dump), "mnt[]");
		snprintf(fs->ext_mnt_restore, sizeof(fs->ext_mnt_restore), "mnt[]");
	} else {
		snprintf(fs->ext_mnt_dump, sizeof(fs->ext_mnt_dump), "mnt[/mnt_ext]:%s", EXT_KEY);
		snprintf(fs->ext_mnt_restore, sizeof(fs->ext_mnt_restore), "mnt[%s]:%s", EXT_KEY, src);
	}
	while (fs->dump_args[d])
		d++;
	while (fs->restore_args[r])
		r++;
	fs->dump_args[d++] = "--external";
	fs->dump_args[d++] = fs->ext_mnt_dump;
	fs->restore_args[r++] = "--external";
	fs->restore_args[r++] = fs->ext_mnt_restore;
	if (test_has_flag(ctx->job->test, "extmnt-master"))
		fs->env[(*n)++] = "ZDTM_EXTMNT_SLAVE=1";
	if (!test_has_flag(ctx->job->test, "extmnt-multiple"))
		return;
	/* The second mount: ZDTM_EXTMNT2, and one argument each ("--external=..."), its text kept
	 * behind the first's in the same buffers (flavor_setup has eight argument slots). */
	snprintf(fs->env_store[3], sizeof(fs->env_store[3]), "ZDTM_EXTMNT2=%s/ext/sub", ctx->dir);
	fs->env[(*n)++] = fs->env_store[3];
	second = fs->ext_mnt_dump + strlen(fs->ext_mnt_dump) + 1;
	snprintf(second, sizeof(fs->ext_mnt_dump) - (second - fs->ext_mnt_dump), "--external=mnt[/mnt_ext2]:%s",
		 EXT_KEY2);
	fs->dump_args[d] = second;
	second = fs->ext_mnt_restore + strlen(fs->ext_mnt_restore) + 1;
	snprintf(second, sizeof(fs->ext_mnt_restore) - (second - fs->ext_mnt_restore),
		 "--external=mnt[%s]:%s/ext/sub", EXT_KEY2, ctx->dir);
	fs->restore_args[r] = second;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * extmnt-master: the file peer-group in the tmpfs says its peer group in the job's namespace ("N\n",
 * from shared:N in mountinfo), the master the test's slaves must show (master:N) before and after C/R.
 */
static int write_peer_group(const char *ext)
{
	char line[4096], point[4200], group[32] = "", path[4300], *p;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %*s %4199s", point) != 1 || strcmp(point, ext))
			continue;
		group[0] = 0;   /* the last mount at ext is the one on top: ours */
		for (p = strtok(line, " \n"); p && strcmp(p, "-"); p = strtok(NULL, " \n"))
			if (!strncmp(p, "shared:", 7))
				snprintf(group, sizeof(group), "%s\n", p + 7);
	}
	fclose(f);
	if (!group[0])
		return -1;
	snprintf(path, sizeof(path), "%s/peer-group", ext);
	return write_file(path, group) || chmod(path, 0444) ? -1 : 0;
}

/* The external source's files: a file marker and a directory sub with one too. */
static int fill_ext(const char *ext)
{
	char path[4300];

	snprintf(path, sizeof(path), "%s/marker", ext);
	if (write_file(path, MARKER) || chmod(path, 0666))
		return -1;
	snprintf(path, sizeof(path), "%s/sub", ext);
	if (mkdir(path, 0777) || chmod(path, 0777))
		return -1;
	snprintf(path, sizeof(path), "%s/sub/marker", ext);
	return write_file(path, MARKER) || chmod(path, 0666) ? -1 : 0;
}

/* The mountpoint in the test's root: a directory, or a file for a file's bind. */
static int mountpoint(const char *root, const char *name, bool file)
{
	char path[4300];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	if (!file)
		return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return -1;
	return close(fd);
}

int extmnt_prepare(const struct job_ctx *ctx, const struct flavor_setup *fs)
{
	const struct test *t = ctx->job->test;
	char ext[4200], src[4200];

	if (!ext_source(ctx, src, sizeof(src)))
		return 0;
	if (test_has_flag(t, "extmnt-rootfs")) {
		/* A plain directory of the job's file system: no mount of its own. */
		snprintf(ext, sizeof(ext), "%s/rootext", ctx->dir);
		if (mkdir_p(ext, 0777) || chmod(ext, 0777) || fill_ext(ext))
			return -1;
		return mountpoint(fs->root, "mnt_ext", false);
	}
	snprintf(ext, sizeof(ext), "%s/ext", ctx->dir);
	if (mkdir_p(ext, 0755) || mount("zdtm-ext", ext, "tmpfs", MS_NOSUID, "mode=0777,size=1m"))
		return -1;
	/* The master peer of the test's slave mounts: its peer group lives on in this namespace. */
	if (test_has_flag(t, "extmnt-master") && (mount(NULL, ext, NULL, MS_SHARED, NULL) || write_peer_group(ext)))
		return -1;
	if (fill_ext(ext))
		return -1;
	if (test_has_flag(t, "extmnt-multiple") && mountpoint(fs->root, "mnt_ext2", false))
		return -1;
	return mountpoint(fs->root, "mnt_ext", test_has_flag(t, "extmnt-file-auto"));
}
