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
 *   extmnt-file-auto  its file marker (a file bind mount), found by criu.
 * The tmpfs lives in the job's mount namespace and goes with it.
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
#define MARKER "zdtm: a file of the external mount\n"

/* The host path the test's /mnt_ext is bound from, by its flag; NULL when it has none. */
static const char *ext_source(const struct job_ctx *ctx, char *buf, size_t len)
{
	const struct test *t = ctx->job->test;

	if (test_has_flag(t, "extmnt") || test_has_flag(t, "extmnt-auto"))
		snprintf(buf, len, "%s/ext", ctx->dir);
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
	char src[4200];
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
	fs->dump_args[d] = fs->ext_mnt_dump;
	fs->restore_args[r++] = "--external";
	fs->restore_args[r] = fs->ext_mnt_restore;
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

int extmnt_prepare(const struct job_ctx *ctx, const struct flavor_setup *fs)
{
	char ext[4200], path[4300], src[4200];
	int fd;

	if (!ext_source(ctx, src, sizeof(src)))
		return 0;
	snprintf(ext, sizeof(ext), "%s/ext", ctx->dir);
	if (mkdir_p(ext, 0755) || mount("zdtm-ext", ext, "tmpfs", MS_NOSUID, "mode=0777,size=1m"))
		return -1;
	snprintf(path, sizeof(path), "%s/marker", ext);
	if (write_file(path, MARKER) || chmod(path, 0666))
		return -1;
	snprintf(path, sizeof(path), "%s/sub", ext);
	if (mkdir(path, 0777) || chmod(path, 0777))
		return -1;
	snprintf(path, sizeof(path), "%s/sub/marker", ext);
	if (write_file(path, MARKER) || chmod(path, 0666))
		return -1;
	/* The mountpoint in the test's root: a directory, or a file for a file's bind. */
	snprintf(path, sizeof(path), "%s/mnt_ext", fs->root);
	if (!test_has_flag(ctx->job->test, "extmnt-file-auto"))
		return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return -1;
	return close(fd);
}
