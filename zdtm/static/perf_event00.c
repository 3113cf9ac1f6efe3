#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a perf_event fd counting this process's user page faults (software counter) keeps counting from its value",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PAGE 4096
#define NTOUCH 64

/* Touches NTOUCH fresh anonymous pages: at least NTOUCH page faults. */
static int touch(void)
{
	char *p = mmap(NULL, NTOUCH * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (int i = 0; i < NTOUCH; i++)
		p[i * PAGE] = 1;
	return munmap(p, NTOUCH * PAGE);
}

static long long count(int fd)
{
	long long v;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? v : -1;
}

int main(int argc, char **argv)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE, .size = sizeof(attr), .config = PERF_COUNT_SW_PAGE_FAULTS,
		.exclude_kernel = 1, .exclude_hv = 1,
	};
	long long before, after, later;
	int fd;

	test_init(argc, argv);
	fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0 && (errno == ENOSYS || errno == EACCES || errno == EPERM || errno == ENOENT))
		return skip("perf_event_open: %s", strerror(errno));
	if (fd < 0)
		return fail_errno("perf_event_open(PERF_COUNT_SW_PAGE_FAULTS)");
	if (touch())
		return fail_errno("touch pages");
	before = count(fd);
	if (before < NTOUCH)
		return fail("%lld page faults counted after touching %d pages", before, NTOUCH);

	test_daemon();
	test_waitsig();

	after = count(fd);
	if (after < before)
		return fail("the counter reads %lld after C/R, expected at least %lld (its value before)", after, before);
	if (touch())
		return fail_errno("touch pages");
	later = count(fd);
	if (later < after + NTOUCH)
		return fail("the counter went from %lld to %lld over %d new page faults: it stopped counting",
			    after, later, NTOUCH);
	return pass();
}
