#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a memfd created with MFD_NOEXEC_SEAL: F_SEAL_EXEC set, mode 0666, chmod to executable refused",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#define LEN 3000

static int check(int fd, const char *data)
{
	char buf[LEN];
	struct stat st;

	if (expect_int("seals", fcntl(fd, F_GET_SEALS), F_SEAL_EXEC))
		return 1;
	if (fstat(fd, &st) || expect_int("mode", st.st_mode & 07777, 0666))
		return fail_errno("fstat");
	if (fchmod(fd, 0755) == 0)
		return fail("fchmod 0755 of the exec-sealed memfd succeeded, expected EPERM");
	if (errno != EPERM)
		return fail_errno("fchmod 0755 of the exec-sealed memfd, expected EPERM");
	if (pread(fd, buf, LEN, 0) != LEN)
		return fail_errno("pread");
	return expect_bytes("the memfd's data", buf, data, LEN);
}

int main(int argc, char **argv)
{
	char data[LEN];
	int fd;

	test_init(argc, argv);
	datagen(data, LEN, 8);
	fd = memfd_create("zdtm-noexec", MFD_NOEXEC_SEAL);
	if (fd < 0 && errno == EINVAL)
		return skip("no MFD_NOEXEC_SEAL");
	if (fd < 0)
		return fail_errno("memfd_create(MFD_NOEXEC_SEAL)");
	if (write_all(fd, data, LEN))
		return fail_errno("write");
	if (check(fd, data))
		return 1;

	test_daemon();
	test_waitsig();

	return check(fd, data) ? 1 : pass();
}
