#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one process writes CRC-stamped records through a MAP_SHARED file mapping (msync), another preads and checks them",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define RECLEN 100              /* not a divisor of the page size: records straddle pages */
#define NREC 2000               /* the file's slots: record s lives in slot s % NREC */
#define WINDOW 64               /* records written ahead of the reader at most */
#define PG 4096UL

/*
 * The main process writes record s, msyncs it and tells the reader s through a pipe; the reader
 * preads record s and one earlier record the writer cannot have overwritten yet, then acks s.
 */
static char problem[200];

static bool holds(const char *rec, unsigned s)
{
	char want[RECLEN];

	datagen(want, RECLEN, s);
	return !memcmp(rec, want, RECLEN);
}

static int check_record(int fd, unsigned s)
{
	char buf[RECLEN];
	ssize_t got = pread(fd, buf, RECLEN, (off_t)(s % NREC) * RECLEN);

	if (got != RECLEN)
		return snprintf(problem, sizeof(problem), "record %u: pread gave %zd bytes, expected %d", s, got, RECLEN);
	if (!holds(buf, s))
		return snprintf(problem, sizeof(problem), "record %u holds other bytes (CRC stamp %s)", s,
				datachk(buf, RECLEN) ? "intact: another record" : "broken");
	return 0;
}

/* Reads numbers until EOF: each must be the next; acks each checked record. */
static void reader(int fd, int in, int ack, char *report, size_t rlen)
{
	unsigned s, next = 0, old;

	while (read_all(in, &s, sizeof(s)) == sizeof(s)) {
		old = next > NREC - WINDOW - 1 ? next - (NREC - WINDOW - 1) : 0;
		old += lrand48() % (next - old + 1);
		if (s != next) {
			snprintf(problem, sizeof(problem), "told of record %u, expected %u", s, next);
			break;
		}
		if (check_record(fd, s) || check_record(fd, old))
			break;
		if (write_all(ack, &s, sizeof(s))) {
			snprintf(problem, sizeof(problem), "ack of record %u: errno %d", s, errno);
			break;
		}
		next++;
	}
	snprintf(report, rlen, "%s", problem[0] ? problem : "");
	_exit(problem[0] ? 1 : next == 0);
}

static int write_record(char *map, unsigned s, int tell)
{
	char *rec = map + (s % NREC) * RECLEN;
	char *start = (char *)((unsigned long)rec & ~(PG - 1));

	datagen(rec, RECLEN, s);
	if (msync(start, rec + RECLEN - start, MS_SYNC))
		return snprintf(problem, sizeof(problem), "msync of record %u: errno %d", s, errno);
	if (write_all(tell, &s, sizeof(s)))
		return snprintf(problem, sizeof(problem), "telling the reader of record %u: errno %d", s, errno);
	return 0;
}

/* The reader's ack of record `want`. */
static int take_ack(int ack, unsigned want)
{
	unsigned s;

	if (read_all(ack, &s, sizeof(s)) != sizeof(s))
		return snprintf(problem, sizeof(problem), "no ack of record %u: the reader is gone", want);
	if (s != want)
		return snprintf(problem, sizeof(problem), "ack of record %u, expected %u", s, want);
	return 0;
}

int main(int argc, char **argv)
{
	char *map, (*report)[200];
	int fd, rfd, tell[2], ack[2], status;
	unsigned s = 0, acked = 0;
	pid_t pid;

	test_init(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	report = mmap(NULL, sizeof(*report), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fd = open(test_path("data"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	rfd = open(test_path("data"), O_RDONLY);
	if (report == MAP_FAILED || fd < 0 || rfd < 0 || ftruncate(fd, NREC * RECLEN))
		return fail_errno("file %s", test_path("data"));
	map = mmap(NULL, NREC * RECLEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || pipe(tell) || pipe(ack))
		return fail_errno("mmap/pipe");
	close(fd);              /* the mapping alone keeps the writer's way to the file */
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(tell[1]), close(ack[0]);
		munmap(map, NREC * RECLEN);
		reader(rfd, tell[0], ack[1], *report, sizeof(*report));
	}
	close(tell[0]), close(ack[1]), close(rfd);

	test_daemon();
	/* More than the file's slots: records overwrite older ones, even under --nocr. */
	while ((test_go() || s < NREC + WINDOW) && !problem[0]) {
		if (s - acked == WINDOW && take_ack(ack[0], acked++))
			break;
		if (!write_record(map, s, tell[1]))
			s++;
	}
	close(tell[1]);         /* EOF: the reader checks what is left and exits */
	while (!problem[0] && acked < s && !take_ack(ack[0], acked))
		acked++;
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	test_waitsig();

	if ((*report)[0])       /* the reader's finding first: the writer then lost its acks */
		return fail("reader: %s%s%s", *report, problem[0] ? "; writer: " : "", problem);
	if (problem[0])
		return fail("%s", problem);
	if (status)
		return fail("reader ended with wait status 0x%x, expected 0", status);
	for (unsigned r = s > NREC ? s - NREC : 0; r < s; r++)
		if (!holds(map + (r % NREC) * RECLEN, r))
			return fail("the writer's mapping holds other bytes than record %u in slot %u", r, r % NREC);
	test_msg("%u records written and read back", s);
	return pass();
}
