/*
 * Flavors. h: the test runs in the job's sandbox beside criu. ns and uns: the
 * test gets a root directory of its own (DIR/root: its static binary, /test as
 * its cwd, /proc, /tmp, /dev) and libzdtm's namespace init puts it into new
 * pid, mnt, net, ipc, uts (and, for uns, user) namespaces there. criu dumps
 * the tree from that init and restores it with --root; the /dev tmpfs belongs
 * to the job and is declared external.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "extmnt.h"
#include "flavor.h"

#define DEV_KEY "zdtm_dev"

static const struct { const char *name; unsigned major, minor; } dev_nodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 }, { "random", 1, 8 },
	{ "urandom", 1, 9 }, { "tty", 5, 0 },
};

static int fail_setup(struct result *r, const char *what)
{
	snprintf(r->phase, sizeof(r->phase), "start");
	snprintf(r->reason, sizeof(r->reason), "flavor set-up: %s: %s", what, strerror(errno));
	return -1;
}

/* A tmpfs with the few device nodes tests use; devpts is mounted by the namespace init. */
static int make_dev(const char *dev)
{
	char path[4300];

	if (mkdir_p(dev, 0755) || mount("zdtm-dev", dev, "tmpfs", MS_NOSUID, "mode=0755"))
		return -1;
	for (size_t i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dev, dev_nodes[i].name);
		if (mknod(path, S_IFCHR | 0666, makedev(dev_nodes[i].major, dev_nodes[i].minor)) ||
		    chmod(path, 0666))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/pts", dev);
	if (mkdir(path, 0755))
		return -1;
	snprintf(path, sizeof(path), "%s/ptmx", dev);
	return symlink("pts/ptmx", path);
}

/* A static binary at its catalog name in the root: a copy is all the root needs to run it. */
static int copy_binary(const char *root, const char *name, const char *from)
{
	char path[4300];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	*strrchr(path, '/') = 0;
	if (mkdir_p(path, 0755))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", root, name);
	return copy_file(from, path, 0755);
}

/* A group's members, static like the group's init. */
static int copy_members(const struct test_group *g, const struct flavor_setup *fs)
{
	for (int i = 0; i < g->n; i++)
		if (copy_binary(fs->root, g->tests[i]->name, g->tests[i]->path))
			return -1;
	return 0;
}

static bool runs_group(const struct job *j)
{
	return j->group && j == &j->group->job;
}

static int make_root(const struct job_ctx *ctx, struct flavor_setup *fs)
{
	static const char *const dirs[] = { "test", "proc", "tmp", "dev", ".old" };
	const struct test *t = ctx->job->test;
	char path[4300];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fs->root, dirs[i]);
		if (mkdir_p(path, 0755))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/tmp", fs->root);
	if (chmod(path, 01777) || chmod(fs->cwd, 0777) || chmod(fs->root, 0755))
		return -1;
	if (copy_binary(fs->root, t->name, t->path))   /* fs->exe */
		return -1;
	return runs_group(ctx->job) ? copy_members(ctx->job->group, fs) : 0;
}

static void set_env(struct flavor_setup *fs, int *n, int slot, const char *key, const char *val)
{
	snprintf(fs->env_store[slot], sizeof(fs->env_store[slot]), "%s=%s", key, val);
	fs->env[(*n)++] = fs->env_store[slot];
}

static void describe_ns(const struct job_ctx *ctx, struct flavor_setup *fs, int *n)
{
	snprintf(fs->root, sizeof(fs->root), "%s/root", ctx->dir);
	snprintf(fs->dev, sizeof(fs->dev), "%s/dev", ctx->dir);
	snprintf(fs->cwd, sizeof(fs->cwd), "%s/test", fs->root);
	snprintf(fs->exe, sizeof(fs->exe), "%s/%s", fs->root, ctx->job->test->name);
	snprintf(fs->pidfile_arg, sizeof(fs->pidfile_arg), "/test/test.pid");
	snprintf(fs->outfile_arg, sizeof(fs->outfile_arg), "/test/test.out");
	snprintf(fs->pidfile, sizeof(fs->pidfile), "%s/test/test.pid", fs->root);
	snprintf(fs->outfile, sizeof(fs->outfile), "%s/test/test.out", fs->root);
	fs->env[(*n)++] = "ZDTM_NEWNS=1";
	set_env(fs, n, 0, "ZDTM_ROOT", fs->root);
	set_env(fs, n, 1, "ZDTM_DEV", fs->dev);
	if (ctx->job->flavor == FL_UNS)
		fs->env[(*n)++] = "ZDTM_USERNS=1";
	snprintf(fs->ext_dump, sizeof(fs->ext_dump), "mnt[/dev]:%s", DEV_KEY);
	snprintf(fs->ext_restore, sizeof(fs->ext_restore), "mnt[%s]:%s", DEV_KEY, fs->dev);
	const char *dump[] = { "--root", fs->root, "--external", fs->ext_dump, NULL };
	const char *restore[] = { "--root", fs->root, "--external", fs->ext_restore, NULL };
	memcpy(fs->dump_args, dump, sizeof(dump));
	memcpy(fs->restore_args, restore, sizeof(restore));
	extmnt_describe(ctx, fs, n);
}

void flavor_describe(const struct job_ctx *ctx, struct flavor_setup *fs)
{
	int n = 0;

	memset(fs, 0, sizeof(*fs));
	fs->env[n++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	fs->env[n++] = "LANG=C";
	/* Tests drop root where criu can still dump them: with CAP_SYS_RESOURCE (engine.c), and
	 * always in uns, where criu reaches the tasks through their user namespace.
	 * Under --rootless they have one uid, the run's. */
	if ((ctx->engine->uid_switch || ctx->job->flavor == FL_UNS || ctx->opts->user) && !ctx->opts->rootless) {
		fs->env[n++] = "ZDTM_UID=18943";
		fs->env[n++] = "ZDTM_GID=58467";
		fs->env[n++] = ctx->opts->user ? "ZDTM_GROUPS=" : "ZDTM_GROUPS=27495 48244";
	}
	if (runs_group(ctx->job)) {
		/* h: the members are where the catalog is (the init's path less its own name) */
		char dir[4200];

		snprintf(dir, sizeof(dir), "%s", ctx->job->test->path);
		dir[strlen(dir) - strlen(GROUP_INIT_NAME)] = 0;
		group_env(ctx->job->group, ctx->job->flavor == FL_H ? dir : "/", fs->env_store[4],
			  sizeof(fs->env_store[4]), fs->env_store[5], sizeof(fs->env_store[5]));
		fs->env[n++] = fs->env_store[4];
		fs->env[n++] = fs->env_store[5];
	}
	if (ctx->job->flavor != FL_H) {
		describe_ns(ctx, fs, &n);
		return;
	}
	snprintf(fs->exe, sizeof(fs->exe), "%s", ctx->job->test->path);
	snprintf(fs->cwd, sizeof(fs->cwd), "%s/test", ctx->dir);
	snprintf(fs->pidfile, sizeof(fs->pidfile), "%s/test.pid", fs->cwd);
	snprintf(fs->outfile, sizeof(fs->outfile), "%s/test.out", fs->cwd);
	snprintf(fs->pidfile_arg, sizeof(fs->pidfile_arg), "%s", fs->pidfile);
	snprintf(fs->outfile_arg, sizeof(fs->outfile_arg), "%s", fs->outfile);
}

int flavor_prepare(const struct job_ctx *ctx, struct flavor_setup *fs, struct result *r)
{
	flavor_describe(ctx, fs);
	if (ctx->job->flavor == FL_H)
		return mkdir_p(fs->cwd, 0777) || chmod(fs->cwd, 0777) ? fail_setup(r, fs->cwd) : 0;
	if (make_root(ctx, fs))
		return fail_setup(r, "the test's root");
	if (make_dev(fs->dev))
		return fail_setup(r, "the test's /dev");
	if (extmnt_prepare(ctx, fs))
		return fail_setup(r, "the external mount");
	return 0;
}
