#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "POSIX record locks (F_SETLK): a write lock on bytes 0-99, a read lock on 200-299; a child's F_GETLK sees them",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "", .opts = "--file-locks");

/* One F_GETLK question a child asks, and the answer it must get. */
struct probe {
	short ask;           /* lock type the child would take */
	off_t start, len;
	short held;          /* F_UNLCK: nothing in the way */
	off_t held_start, held_len;
};

static const struct probe probes[] = {
	{ F_RDLCK, 0, 100, F_WRLCK, 0, 100 },      /* the write lock keeps out readers */
	{ F_WRLCK, 50, 10, F_WRLCK, 0, 100 },      /* ... and writers of any part of it */
	{ F_WRLCK, 200, 100, F_RDLCK, 200, 100 },  /* the read lock keeps out writers */
	{ F_WRLCK, 299, 1, F_RDLCK, 200, 100 },    /* ... up to its last byte */
	{ F_RDLCK, 200, 100, F_UNLCK, 0, 0 },      /* ... but not readers */
	{ F_WRLCK, 100, 100, F_UNLCK, 0, 0 },      /* the gap between them is free */
	{ F_WRLCK, 300, 0, F_UNLCK, 0, 0 },        /* so is everything after */
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

static int set_lock(int fd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	return fcntl(fd, F_SETLK, &fl);
}

/* A child (its own lock owner) asks every probe on fd and writes the answers to out. */
static int ask_in_child(int fd, struct flock *answers)
{
	int p[2], status;
	pid_t pid;

	if (pipe(p))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		for (size_t i = 0; i < NPROBES; i++) {
			struct flock fl = { .l_type = probes[i].ask, .l_whence = SEEK_SET,
					    .l_start = probes[i].start, .l_len = probes[i].len };

			if (fcntl(fd, F_GETLK, &fl))
				_exit(2);
			if (write_all(p[1], &fl, sizeof(fl)))
				_exit(3);
		}
		_exit(0);
	}
	close(p[1]);
	status = read_all(p[0], answers, NPROBES * sizeof(*answers));
	close(p[0]);
	if (status != (int)(NPROBES * sizeof(*answers)))
		return fail("child's F_GETLK answers: %d bytes, expected %zu", status, NPROBES * sizeof(*answers));
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return fail("F_GETLK child ended with status %#x, expected exit 0", status);
	return 0;
}

static int expect_answer(const struct probe *p, const struct flock *fl)
{
	if (fl->l_type != p->held)
		return fail("F_GETLK type %d on %ld+%ld: found lock type %d, expected %d (0 read, 1 write, 2 none)",
			    p->ask, (long)p->start, (long)p->len, fl->l_type, p->held);
	if (p->held == F_UNLCK)
		return 0;
	if (fl->l_start != p->held_start || fl->l_len != p->held_len || fl->l_pid != getpid())
		return fail("F_GETLK on %ld+%ld: lock %ld+%ld held by pid %d, expected %ld+%ld held by pid %d",
			    (long)p->start, (long)p->len, (long)fl->l_start, (long)fl->l_len, fl->l_pid,
			    (long)p->held_start, (long)p->held_len, getpid());
	return 0;
}

int main(int argc, char **argv)
{
	struct flock answers[NPROBES];
	int fd;

	test_init(argc, argv);
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 4096))
		return fail_errno("create %s", test_path("test"));
	if (set_lock(fd, F_WRLCK, 0, 100) || set_lock(fd, F_RDLCK, 200, 100))
		return fail_errno("F_SETLK");

	test_daemon();
	test_waitsig();

	if (ask_in_child(fd, answers))
		return 1;
	for (size_t i = 0; i < NPROBES; i++)
		if (expect_answer(&probes[i], &answers[i]))
			return 1;
	return pass();
}
