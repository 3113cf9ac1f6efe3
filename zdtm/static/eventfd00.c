#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two eventfds keep counter, O_NONBLOCK and EFD_SEMAPHORE semantics",
	  .flavors = ZDTM_ALL_FLAVORS);

/* The hex number after `key` in the fd's fdinfo, or -1. */
static long long fdinfo_hex(int fd, const char *key)
{
	char val[64];

	return fdinfo_lines(fd, key, val, sizeof(val)) == 1 ? strtoll(val, NULL, 16) : -1;
}

/* Counter, flags and semaphore bit as the kernel reports them, untouched by reading. */
static int expect_state(const char *what, int fd, long long count, bool nonblock, bool sem)
{
	char buf[64];
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return fail_errno("%s: F_GETFL", what);
	snprintf(buf, sizeof(buf), "%s O_NONBLOCK", what);
	if (expect_int(buf, !!(fl & O_NONBLOCK), nonblock))
		return 1;
	snprintf(buf, sizeof(buf), "%s eventfd-count", what);
	if (expect_int(buf, fdinfo_hex(fd, "eventfd-count:"), count))
		return 1;
	snprintf(buf, sizeof(buf), "%s eventfd-semaphore", what);
	return expect_int(buf, fdinfo_hex(fd, "eventfd-semaphore:"), sem);
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

int main(int argc, char **argv)
{
	eventfd_t v = 0;
	int plain, sem;

	test_init(argc, argv);
	plain = eventfd(5, EFD_NONBLOCK);
	sem = eventfd(1, EFD_SEMAPHORE);
	if (plain < 0 || sem < 0)
		return fail_errno("eventfd");
	if (eventfd_write(plain, 37) || eventfd_write(sem, 2))
		return fail_errno("eventfd_write");

	test_daemon();
	test_waitsig();

	if (expect_state("plain", plain, 42, true, false) || expect_state("semaphore", sem, 3, false, true))
		return 1;
	/* plain: one read takes the whole counter, the next one would block */
	if (eventfd_read(plain, &v))
		return fail_errno("read plain");
	if (expect_int("plain read", v, 42))
		return 1;
	if (eventfd_read(plain, &v) == 0)
		return fail("second plain read gave %llu, expected EAGAIN", (unsigned long long)v);
	/* semaphore: three reads of 1, then nothing to read */
	for (int i = 0; i < 3; i++) {
		if (!readable(sem))
			return fail("semaphore not readable before read %d of 3", i + 1);
		if (eventfd_read(sem, &v))
			return fail_errno("semaphore read %d of 3", i + 1);
		if (v != 1)
			return fail("semaphore read %d of 3 gave %llu, expected 1", i + 1, (unsigned long long)v);
	}
	if (readable(sem))
		return fail("semaphore is still readable after 3 reads, expected counter 0");
	return pass();
}
