#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "keeps appending numbered records to a file and re-reading them; the file holds exactly those records",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define RECLEN 100      /* not a divisor of the page size: records straddle pages */
#define MAXREC 20000    /* then the file is truncated and a new generation starts */

static char problem[160];

/* Record n of generation g is datagen(g * MAXREC + n). */
static int check_record(int fd, unsigned gen, unsigned n)
{
	char buf[RECLEN], want[RECLEN];
	ssize_t got = pread(fd, buf, RECLEN, (off_t)n * RECLEN);

	datagen(want, RECLEN, gen * MAXREC + n);
	if (got != RECLEN)
		snprintf(problem, sizeof(problem), "record %u: pread gave %zd bytes, expected %d", n, got, RECLEN);
	else if (memcmp(buf, want, RECLEN))
		snprintf(problem, sizeof(problem), "record %u of generation %u holds other bytes (CRC stamp %s)",
			 n, gen, datachk(buf, RECLEN) ? "intact: another record" : "broken");
	return problem[0] != 0;
}

/* The file is exactly `count` records long and the O_APPEND offset is at its end. */
static int check_size(int fd, unsigned count)
{
	struct stat st;
	off_t pos = lseek(fd, 0, SEEK_CUR);

	if (fstat(fd, &st))
		snprintf(problem, sizeof(problem), "fstat: errno %d", errno);
	else if (st.st_size != (off_t)count * RECLEN)
		snprintf(problem, sizeof(problem), "file size %lld, expected %lld (%u records)",
			 (long long)st.st_size, (long long)count * RECLEN, count);
	else if (pos != st.st_size && count)
		snprintf(problem, sizeof(problem), "file offset %lld, expected %lld", (long long)pos,
			 (long long)st.st_size);
	return problem[0] != 0;
}

static int append(int fd, unsigned gen, unsigned n)
{
	char rec[RECLEN];

	datagen(rec, RECLEN, gen * MAXREC + n);
	if (write_all(fd, rec, RECLEN))
		snprintf(problem, sizeof(problem), "append of record %u: errno %d", n, errno);
	return problem[0] != 0;
}

int main(int argc, char **argv)
{
	unsigned gen = 0, n = 0, total = 0;
	int fd, fl;

	test_init(argc, argv);
	fd = open(test_path("test"), O_RDWR | O_APPEND | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail_errno("open %s", test_path("test"));

	test_daemon();
	while (test_go()) {
		if (n == MAXREC) {
			if (ftruncate(fd, 0)) {
				snprintf(problem, sizeof(problem), "ftruncate: errno %d", errno);
				break;
			}
			gen++, n = 0;
		}
		if (append(fd, gen, n) || check_size(fd, n + 1) || check_record(fd, gen, n) ||
		    check_record(fd, gen, lrand48() % (n + 1)))
			break;
		n++, total++;
	}
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	if (check_size(fd, n))
		return fail("%s", problem);
	for (unsigned i = 0; i < n; i++)
		if (check_record(fd, gen, i))
			return fail("%s", problem);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || !(fl & O_APPEND))
		return fail("file flags 0x%x lost O_APPEND", fl);
	test_msg("%u records appended, the file holds the last %u", total, n);
	return pass();
}
