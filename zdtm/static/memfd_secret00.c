#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a memfd_secret() fd of two pages, mapped shared, holding data only this process can see",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif
#define LEN (2 * 4096)

/* The fd is a secretmem file, the mapping shows it, and a second mapping of the fd sees the data. */
static int check(int fd, char *map)
{
	char link[64], target[256];
	struct zdtm_vma v;
	ssize_t n;
	char *again;
	int ret;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlink %s", link);
	target[n] = 0;
	if (expect_str("the fd's file", target, "/secretmem (deleted)"))
		return 1;
	if (vma_find(map, &v, false))
		return fail("no mapping at %p", map);
	if (expect_str("the mapping's file", v.name, "/secretmem (deleted)") || expect_str("perms", v.perms, "rw-s"))
		return 1;
	if (!datachk(map, LEN))
		return fail("the secret mapping's data is corrupt");
	again = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (again == MAP_FAILED)
		return fail_errno("mmap the secret fd again");
	ret = expect_bytes("a second mapping of the fd", again, map, LEN);
	munmap(again, LEN);
	return ret;
}

int main(int argc, char **argv)
{
	char *map;
	int fd;

	test_init(argc, argv);
	fd = syscall(SYS_memfd_secret, 0);
	if (fd < 0 && (errno == ENOSYS || errno == EINVAL))
		return skip("no memfd_secret: %s", strerror(errno));
	if (fd < 0)
		return fail_errno("memfd_secret");
	if (ftruncate(fd, LEN))
		return fail_errno("ftruncate");
	map = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return fail_errno("mmap the secret fd");
	datagen(map, LEN, 47);
	if (check(fd, map))
		return 1;

	test_daemon();
	test_waitsig();

	return check(fd, map) ? 1 : pass();
}
