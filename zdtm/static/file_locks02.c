#include <fcntl.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "OFD locks (F_OFD_SETLK): a write lock on bytes 0-99, a read lock on 200-299; F_OFD_GETLK from another open file description sees them, its own does not",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "", .opts = "--file-locks");

/* One F_OFD_GETLK question, and the answer it must get. */
struct probe {
	short ask;           /* lock type the asker would take */
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

	return fcntl(fd, F_OFD_SETLK, &fl);
}

/* F_OFD_GETLK for probe p on fd; answer in *fl */
static int ask(int fd, const struct probe *p, struct flock *fl)
{
	*fl = (struct flock){ .l_type = p->ask, .l_whence = SEEK_SET, .l_start = p->start, .l_len = p->len };
	if (fcntl(fd, F_OFD_GETLK, fl))
		return fail_errno("F_OFD_GETLK on %ld+%ld", (long)p->start, (long)p->len);
	return 0;
}

/* An OFD lock has no owning process: F_OFD_GETLK reports l_pid -1. */
static int expect_answer(const char *who, const struct probe *p, short held, const struct flock *fl)
{
	if (fl->l_type != held)
		return fail("%s: F_OFD_GETLK type %d on %ld+%ld: found lock type %d, expected %d (0 read, 1 write, 2 none)",
			    who, p->ask, (long)p->start, (long)p->len, fl->l_type, held);
	if (held == F_UNLCK)
		return 0;
	if (fl->l_start != p->held_start || fl->l_len != p->held_len || fl->l_pid != -1)
		return fail("%s: F_OFD_GETLK on %ld+%ld: lock %ld+%ld pid %d, expected %ld+%ld pid -1", who,
			    (long)p->start, (long)p->len, (long)fl->l_start, (long)fl->l_len, fl->l_pid,
			    (long)p->held_start, (long)p->held_len);
	return 0;
}

int main(int argc, char **argv)
{
	struct flock fl;
	int fd, other;

	test_init(argc, argv);
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, 4096))
		return fail_errno("create %s", test_path("test"));
	if (set_lock(fd, F_WRLCK, 0, 100) || set_lock(fd, F_RDLCK, 200, 100))
		return fail_errno("F_OFD_SETLK");

	test_daemon();
	test_waitsig();

	other = open(test_path("test"), O_RDWR);
	if (other < 0)
		return fail_errno("open %s again", test_path("test"));
	for (size_t i = 0; i < NPROBES; i++) {
		/* another open file description meets the locks; the locking one never does */
		if (ask(other, &probes[i], &fl) || expect_answer("other description", &probes[i], probes[i].held, &fl))
			return 1;
		if (ask(fd, &probes[i], &fl) || expect_answer("locking description", &probes[i], F_UNLCK, &fl))
			return 1;
	}
	close(other);
	return pass();
}
