#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "keeps pread()ing random blocks of a 16 MB file and read()ing it in order, checking every block",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define BLK 4000                /* not a page multiple: blocks straddle pages */
#define NBLK 4096               /* 16 MB */

static char problem[200];

/* Block k of the file is datagen(k + 1); `how` names the read for the message. */
static int check_block(const char *buf, ssize_t got, unsigned k, const char *how)
{
	static char want[BLK];

	datagen(want, BLK, k + 1);
	if (got != BLK)
		snprintf(problem, sizeof(problem), "%s of block %u gave %zd bytes, expected %d (errno %d)", how, k,
			 got, BLK, errno);
	else if (memcmp(buf, want, BLK))
		snprintf(problem, sizeof(problem), "%s of block %u: other bytes (CRC stamp %s)", how, k,
			 datachk(buf, BLK) ? "intact: another block" : "broken");
	return problem[0] != 0;
}

/* The next block in order, through the file offset, which must be where the last read() left it. */
static int read_next(int fd, unsigned *next)
{
	char buf[BLK];
	off_t pos = lseek(fd, 0, SEEK_CUR);

	if (pos != (off_t)*next * BLK) {
		snprintf(problem, sizeof(problem), "file offset %lld, expected %lld (block %u)", (long long)pos,
			 (long long)*next * BLK, *next);
		return 1;
	}
	if (check_block(buf, read(fd, buf, BLK), *next, "read"))
		return 1;
	if (++*next == NBLK) {
		*next = 0;
		if (lseek(fd, 0, SEEK_SET)) {
			snprintf(problem, sizeof(problem), "lseek to 0: errno %d", errno);
			return 1;
		}
	}
	return 0;
}

static int read_random(int fd)
{
	char buf[BLK];
	unsigned k = lrand48() % NBLK;

	return check_block(buf, pread(fd, buf, BLK, (off_t)k * BLK), k, "pread");
}

static int make_file(const char *path)
{
	static char buf[BLK];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	for (unsigned k = 0; k < NBLK; k++) {
		datagen(buf, BLK, k + 1);
		if (write_all(fd, buf, BLK))
			return -1;
	}
	return close(fd);
}

int main(int argc, char **argv)
{
	unsigned next = 0, rounds = 0;
	struct stat st;
	int fd, fl;

	test_init(argc, argv);
	if (make_file(test_path("test")))
		return fail_errno("write %s", test_path("test"));
	fd = open(test_path("test"), O_RDONLY);
	if (fd < 0)
		return fail_errno("open %s", test_path("test"));

	test_daemon();
	while (test_go() && !read_random(fd) && !read_random(fd) && !read_next(fd, &next))
		rounds++;
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	fl = fcntl(fd, F_GETFL);
	if ((fl & O_ACCMODE) != O_RDONLY)
		return fail("file flags 0%o, expected O_RDONLY", fl);
	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (expect_int("file size", st.st_size, (long long)NBLK * BLK))
		return 1;
	for (unsigned k = 0; k < NBLK; k++)     /* the whole file, in order, through the offset */
		if (read_next(fd, &next))
			return fail("%s", problem);
	test_msg("%u rounds of two random blocks and one in order", rounds);
	return pass();
}
