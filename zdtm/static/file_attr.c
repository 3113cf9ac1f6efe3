#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an open unlinked file keeps its mode (0604), its mtime and atime to the nanosecond (set in "
		 "the past), size and content",
	  .flavors = ZDTM_ALL_FLAVORS);

#define MODE 0604
static const struct timespec times[2] = {
	{ 1000000000, 123456789 },     /* atime */
	{ 1200000000, 987654321 },     /* mtime */
};

/* atime and mtime as "mtime S.NNNNNNNNN atime S.NNNNNNNNN"; usec: nanoseconds cut to microseconds. */
static const char *times_str(const struct timespec *a, const struct timespec *m, bool usec, char *buf, size_t len)
{
	long an = usec ? a->tv_nsec / 1000 * 1000 : a->tv_nsec, mn = usec ? m->tv_nsec / 1000 * 1000 : m->tv_nsec;

	snprintf(buf, len, "mtime %ld.%09ld atime %ld.%09ld", (long)m->tv_sec, mn, (long)a->tv_sec, an);
	return buf;
}

static int check_times(const char *when, const struct stat *st, bool usec)
{
	char found[80], want[80];

	times_str(&st->st_atim, &st->st_mtim, usec, found, sizeof(found));
	times_str(&times[0], &times[1], usec, want, sizeof(want));
	if (strcmp(found, want))
		return fail("%s: %s%s, expected %s", when, usec ? "to the microsecond " : "", found, want);
	return 0;
}

int main(int argc, char **argv)
{
	static char data[10000], buf[sizeof(data)];
	struct stat st;
	int fd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 91);
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, sizeof(data)))
		return fail_errno("create %s", test_path("test"));
	if (fchmod(fd, MODE) || futimens(fd, times) || unlink(test_path("test")))
		return fail_errno("chmod, set times and unlink %s", test_path("test"));
	if (fstat(fd, &st) || check_times("before C/R", &st, false))
		return 1;

	test_daemon();
	test_waitsig();

	/* before any read: a read may move the atime */
	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (st.st_mode != (S_IFREG | MODE))
		return fail("file mode 0%o, expected 0%o", st.st_mode, S_IFREG | MODE);
	if (expect_int("st_nlink", st.st_nlink, 0) ||
	    expect_int("file size", st.st_size, sizeof(data)))
		return 1;
	if (check_times("after C/R", &st, true))
		return 1;
	if (pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return fail_errno("pread");
	if (expect_bytes("file content", buf, data, sizeof(buf)))
		return 1;
	/* last, so that a loss of the nanoseconds alone does not hide the rest */
	if (check_times("after C/R", &st, false))
		return 1;
	return pass();
}
