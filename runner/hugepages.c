/*
 * Huge pages for the run. A test flagged "hugetlb" maps MAP_HUGETLB, SHM_HUGETLB or MFD_HUGETLB
 * memory, which the kernel only gives from huge pages reserved beforehand (vm.nr_hugepages, 0 on
 * a fresh machine). When the plan holds such jobs the runner adds HUGEPAGES_PER_JOB pages for
 * each that may run at once, and takes them back when the run ends: at exit, and on SIGINT,
 * SIGTERM or SIGHUP outside the scheduler (which turns those into an orderly stop itself). It
 * takes back what it added, not more: another run's pages, added meanwhile, stay.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

#define NR_HUGEPAGES "/proc/sys/vm/nr_hugepages"
/* A test maps at most 4 huge pages; criu's restore may hold a second copy while it maps them. */
#define HUGEPAGES_PER_JOB 8

static long added;
static pid_t owner;

static long read_nr(void)
{
	char buf[32];

	return read_text(NR_HUGEPAGES, buf, sizeof(buf)) > 0 ? atol(buf) : -1;
}

/* Async-signal-safe: open, read, write, close and a hand-made number. */
static int write_nr(long n)
{
	char buf[24], *p = buf + sizeof(buf);
	int fd = open(NR_HUGEPAGES, O_WRONLY | O_CLOEXEC), ok;

	*--p = '\n';
	do
		*--p = '0' + n % 10;
	while ((n /= 10) > 0);
	ok = fd >= 0 && write(fd, p, buf + sizeof(buf) - p) == buf + sizeof(buf) - p;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

void hugepages_release(void)
{
	char buf[32];
	long now;
	int fd;
	ssize_t n;

	if (!added || getpid() != owner)
		return;
	fd = open(NR_HUGEPAGES, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	now = 0;
	for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
		now = now * 10 + buf[i] - '0';
	write_nr(now > added ? now - added : 0);
	added = 0;
}

static void on_signal(int sig)
{
	hugepages_release();
	signal(sig, SIG_DFL);
	raise(sig);
}

int hugepages_reserve(const struct plan *p, int parallel)
{
	long jobs = 0, before, want, got;

	for (int i = 0; i < p->n; i++)
		if (!p->jobs[i].skip[0] && test_has_flag(p->jobs[i].test, "hugetlb"))
			jobs++;
	if (!jobs)
		return 0;
	if (jobs > parallel)
		jobs = parallel;
	before = read_nr();
	want = before + jobs * HUGEPAGES_PER_JOB;
	if (before < 0 || write_nr(want) || (got = read_nr()) < before) {
		fprintf(stderr, "zdtm: cannot reserve huge pages in %s: hugetlb tests will skip\n", NR_HUGEPAGES);
		return -1;
	}
	owner = getpid();
	added = got - before;
	atexit(hugepages_release);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	printf("zdtm: vm.nr_hugepages %ld -> %ld for %ld hugetlb job%s at once%s\n", before, got, jobs,
	       jobs > 1 ? "s" : "", got < want ? " (fewer than asked: memory)" : "");
	return 0;
}
