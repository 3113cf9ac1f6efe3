#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a read lease on one file and a write lease on another: F_GETLEASE and /proc/locks unchanged",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "", .opts = "--file-locks");

struct leased {
	const char *suffix;
	int oflags;          /* a read lease needs a read-only fd; a write lease the only open fd */
	int type;            /* F_RDLCK or F_WRLCK */
	const char *word;    /* as /proc/locks spells it */
	int fd;
	struct stat st;
	dev_t dev;           /* as /proc/locks shows it (proc_fd_dev): on btrfs not st_dev */
};

static struct leased files[] = {
	{ .suffix = "rd", .oflags = O_RDONLY, .type = F_RDLCK, .word = "READ" },
	{ .suffix = "wr", .oflags = O_RDWR, .type = F_WRLCK, .word = "WRITE" },
};
#define NFILES (int)(sizeof(files) / sizeof(files[0]))

/* The /proc/locks line for this file: "N: LEASE ACTIVE <type> <pid> <maj>:<min>:<ino> ..." */
static int expect_proc_locks(const struct leased *l)
{
	char line[256], class[32], mode[32], type[32];
	unsigned maj, min;
	unsigned long ino;
	int pid, n = 0, ret = 0;
	FILE *f = proc_locks_open();

	if (!f)
		return fail_errno("open /proc/locks");
	while (fgets(line, sizeof(line), f) && !ret) {
		if (sscanf(line, "%*d: %31s %31s %31s %d %x:%x:%lu", class, mode, type, &pid, &maj, &min, &ino) != 7)
			continue;
		if (maj != major(l->dev) || min != minor(l->dev) || ino != l->st.st_ino)
			continue;
		n++;
		if (strcmp(class, "LEASE") || strcmp(mode, "ACTIVE") || strcmp(type, l->word) || pid != getpid())
			ret = fail("/proc/locks for the %s file: %s %s %s pid %d, expected LEASE ACTIVE %s pid %d",
				   l->suffix, class, mode, type, pid, l->word, getpid());
	}
	fclose(f);
	return ret ?: expect_int("/proc/locks lines for the file", n, 1);
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	for (int i = 0; i < NFILES; i++) {
		struct leased *l = &files[i];
		const char *path = test_path(l->suffix);

		/* created first and closed: the lease fd must be the file's only open one */
		if (close(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)))
			return fail_errno("create %s", path);
		l->fd = open(path, l->oflags);
		if (l->fd < 0 || fstat(l->fd, &l->st))
			return fail_errno("open %s", path);
		if ((l->dev = proc_fd_dev(l->fd)) == (dev_t)-1)
			return fail("no mount of fd %d in /proc/self/mountinfo", l->fd);
		if (fcntl(l->fd, F_SETLEASE, l->type))
			return fail_errno("F_SETLEASE %s on %s", l->word, path);
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < NFILES; i++) {
		const struct leased *l = &files[i];
		int now = fcntl(l->fd, F_GETLEASE);

		if (now < 0)
			return fail_errno("F_GETLEASE on the %s file", l->suffix);
		if (now != l->type)
			return fail("F_GETLEASE on the %s file is %d, expected %d (%s)", l->suffix, now, l->type,
				    l->word);
		if (expect_proc_locks(l))
			return 1;
	}
	return pass();
}
