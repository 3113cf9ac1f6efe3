/* Checks that fail with both values in the message. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "zdtm.h"

int zdtm_expect_int(const char *file, int line, const char *what, long long found, long long expected)
{
	if (found == expected)
		return 0;
	return zdtm_fail(file, line, 0, "%s: found %lld, expected %lld", what, found, expected);
}

int zdtm_expect_str(const char *file, int line, const char *what, const char *found, const char *expected)
{
	if (found && expected && !strcmp(found, expected))
		return 0;
	return zdtm_fail(file, line, 0, "%s: found \"%s\", expected \"%s\"", what,
			 found ? found : "(null)", expected ? expected : "(null)");
}

int zdtm_expect_bytes(const char *file, int line, const char *what,
		      const void *found, const void *expected, size_t len)
{
	const unsigned char *f = found, *e = expected;

	for (size_t i = 0; i < len; i++)
		if (f[i] != e[i])
			return zdtm_fail(file, line, 0,
					 "%s: byte %zu of %zu is 0x%02x, expected 0x%02x",
					 what, i, len, f[i], e[i]);
	return 0;
}

int zdtm_expect_queued(const char *file, int line, const char *what, int fd, const void *want, size_t len)
{
	int queued;
	char *buf;
	ssize_t n;
	int ret;

	if (ioctl(fd, FIONREAD, &queued))
		return zdtm_fail(file, line, errno, "FIONREAD on %s", what);
	if (queued != (int)len)
		return zdtm_fail(file, line, 0, "%s holds %d bytes, expected %zu", what, queued, len);
	buf = malloc(len + 1);
	if (!buf)
		return zdtm_fail(file, line, errno, "%s: no memory for %zu bytes", what, len);
	n = read_all(fd, buf, len);
	if (n != (ssize_t)len)
		ret = zdtm_fail(file, line, n < 0 ? errno : 0, "%s: read %zd bytes, expected %zu", what, n, len);
	else
		ret = zdtm_expect_bytes(file, line, what, buf, want, len);
	free(buf);
	return ret;
}

int zdtm_expect_sockopt(const char *file, int line, const char *what, int fd, int level, int opt, int expected)
{
	int val = 0;
	socklen_t len = sizeof(val);

	if (getsockopt(fd, level, opt, &val, &len))
		return zdtm_fail(file, line, errno, "getsockopt %s", what);
	return zdtm_expect_int(file, line, what, val, expected);
}

int zdtm_expect_clean_end(const char *file, int line, const char *child, const char *problem, int status)
{
	/* The child's finding first: the main process then merely waited for it in vain. */
	if (child[0])
		return zdtm_fail(file, line, 0, "child: %s%s%s", child, problem[0] ? "; main: " : "", problem);
	if (problem[0])
		return zdtm_fail(file, line, 0, "%s", problem);
	if (status)
		return zdtm_fail(file, line, 0, "child ended with wait status 0x%x, expected 0", status);
	return 0;
}

char *finding_new(void)
{
	char *buf = mmap(NULL, ZDTM_FINDING_LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return buf == MAP_FAILED ? NULL : buf;   /* anonymous memory starts zeroed: an empty finding */
}

int note(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, ZDTM_FINDING_LEN, fmt, ap);
	va_end(ap);
	return 1;
}
