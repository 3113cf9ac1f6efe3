#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "flock(): LOCK_EX on one file and LOCK_SH on another are held (/proc/locks, a child's tries)",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "", .opts = "--file-locks");

struct lockfile {
	const char *suffix;
	int op;              /* LOCK_EX or LOCK_SH */
	const char *type;    /* as /proc/locks spells it */
	int fd;
	struct stat st;
	dev_t dev;           /* as /proc/locks shows it (proc_fd_dev): on btrfs not st_dev */
};

static struct lockfile files[] = {
	{ .suffix = "ex", .op = LOCK_EX, .type = "WRITE" },
	{ .suffix = "sh", .op = LOCK_SH, .type = "READ" },
};

/* In a child, a fresh open of the file tries op | LOCK_NB: returns 0 when it succeeds, else errno. */
static int child_try(const char *path, int op)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			_exit(100);
		_exit(flock(fd, op | LOCK_NB) ? errno : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The /proc/locks line for this file: "FLOCK ADVISORY <type> <pid> <maj>:<min>:<ino> ..." */
static int expect_proc_locks(const struct lockfile *lf)
{
	char line[256], class[32], mode[32], type[32], want_dev[64];
	unsigned maj, min;
	unsigned long ino;
	int pid, n = 0;
	FILE *f = proc_locks_open();

	if (!f)
		return fail_errno("open /proc/locks");
	snprintf(want_dev, sizeof(want_dev), "%x:%x:%lu", major(lf->dev), minor(lf->dev),
		 (unsigned long)lf->st.st_ino);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*d: %31s %31s %31s %d %x:%x:%lu", class, mode, type, &pid, &maj, &min, &ino) != 7)
			continue;
		if (maj != major(lf->dev) || min != minor(lf->dev) || ino != lf->st.st_ino)
			continue;
		n++;
		if (strcmp(class, "FLOCK") || strcmp(type, lf->type) || pid != getpid()) {
			fclose(f);
			return fail("/proc/locks for %s: %s %s %s pid %d, expected FLOCK ADVISORY %s pid %d",
				    want_dev, class, mode, type, pid, lf->type, getpid());
		}
	}
	fclose(f);
	return expect_int("/proc/locks lines for the file", n, 1);
}

static int expect_held(const struct lockfile *lf)
{
	const char *path = test_path(lf->suffix);
	int sh = child_try(path, LOCK_SH), ex = child_try(path, LOCK_EX);

	if (expect_proc_locks(lf))
		return 1;
	/* LOCK_EX keeps out every other lock; LOCK_SH only exclusive ones */
	if (expect_int("a child's LOCK_EX|LOCK_NB: errno", ex, EWOULDBLOCK))
		return 1;
	return expect_int("a child's LOCK_SH|LOCK_NB: errno", sh, lf->op == LOCK_SH ? 0 : EWOULDBLOCK);
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct lockfile *lf = &files[i];

		lf->fd = open(test_path(lf->suffix), O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (lf->fd < 0 || fstat(lf->fd, &lf->st))
			return fail_errno("open %s", test_path(lf->suffix));
		if ((lf->dev = proc_fd_dev(lf->fd)) == (dev_t)-1)
			return fail("no mount of fd %d in /proc/self/mountinfo", lf->fd);
		if (flock(lf->fd, lf->op | LOCK_NB))
			return fail_errno("flock %s", test_path(lf->suffix));
	}

	test_daemon();
	test_waitsig();

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (expect_held(&files[i]))
			return 1;
	return pass();
}
