#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a memfd keeps its name, size, content, offset, seals and a shared mapping of it",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define NAME "zdtm-memfd00"
#define SIZE (3 * PG + 100)
#define OFFSET 1234
#define MAP_OFF PG             /* the mapping shows pages 1..2 */
#define MAP_LEN (2 * PG)
#define SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

static int check_vma(const char *mem, ino_t ino)
{
	unsigned long a = (unsigned long)mem;
	struct zdtm_vma v;

	if (vma_find(mem, &v, false) || v.start != a || !v.name[0])
		return fail("the memfd mapping %p is not in /proc/self/maps", (const void *)mem);
	if (v.end != a + MAP_LEN || strcmp(v.perms, "rw-s") || v.offset != MAP_OFF || v.ino != ino ||
	    strcmp(v.name, "/memfd:" NAME " (deleted)"))
		return fail("the memfd mapping is %lx-%lx %s offset %lx inode %lu %s, "
			    "expected %lx-%lx rw-s offset %lx inode %lu /memfd:" NAME " (deleted)",
			    v.start, v.end, v.perms, v.offset, v.ino, v.name, a, a + MAP_LEN, MAP_OFF, (unsigned long)ino);
	return 0;
}

/* The seals are enforced, not only reported: the size cannot change. */
static int refuses_size(int fd, off_t size)
{
	if (ftruncate(fd, size) == 0)
		return fail("ftruncate(%ld) of the sealed memfd succeeded, expected EPERM", (long)size);
	if (errno != EPERM)
		return fail_errno("ftruncate(%ld) of the sealed memfd: expected EPERM", (long)size);
	return 0;
}

int main(int argc, char **argv)
{
	static char data[SIZE], buf[SIZE + 1], late[PG];
	char link[64], target[256];
	struct stat st, now;
	char *mem;
	ssize_t n;
	int fd;

	test_init(argc, argv);
	datagen(data, SIZE, 1);
	datagen(late, PG, 2);
	fd = memfd_create(NAME, MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (fd < 0)
		return fail_errno("memfd_create");
	if (write_all(fd, data, SIZE) || lseek(fd, OFFSET, SEEK_SET) != OFFSET || fstat(fd, &st))
		return fail_errno("fill the memfd");
	mem = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, MAP_OFF);
	if (mem == MAP_FAILED)
		return fail_errno("mmap the memfd");
	/* Written through the mapping: the memfd holds it, not the original data. */
	memcpy(mem + PG, late, PG);
	memcpy(data + MAP_OFF + PG, late, PG);
	if (fcntl(fd, F_ADD_SEALS, SEALS))
		return fail_errno("F_ADD_SEALS");

	test_daemon();
	test_waitsig();

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlink %s", link);
	target[n] = 0;
	if (expect_str("memfd link", target, "/memfd:" NAME " (deleted)"))
		return 1;
	if (expect_int("seals", fcntl(fd, F_GET_SEALS), SEALS) ||
	    expect_int("fd flags (FD_CLOEXEC)", fcntl(fd, F_GETFD), FD_CLOEXEC) ||
	    expect_int("file flags", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK), O_RDWR) ||
	    expect_int("file offset", lseek(fd, 0, SEEK_CUR), OFFSET))
		return 1;
	if (refuses_size(fd, SIZE - 1) || refuses_size(fd, SIZE + 1))
		return 1;
	if (fstat(fd, &now))
		return fail_errno("fstat");
	if (expect_int("size", now.st_size, SIZE) || expect_int("mode", now.st_mode, st.st_mode))
		return 1;
	if (check_vma(mem, now.st_ino))
		return 1;
	if (expect_int("pread length", pread(fd, buf, sizeof(buf), 0), SIZE) ||
	    expect_bytes("memfd content", buf, data, SIZE) ||
	    expect_bytes("mapping content", mem, data + MAP_OFF, MAP_LEN))
		return 1;
	/* The mapping still shares the memfd's pages. */
	memcpy(mem, late, 100);
	if (pread(fd, buf, 100, MAP_OFF) != 100)
		return fail_errno("pread after writing the mapping");
	if (expect_bytes("memfd after writing the mapping", buf, late, 100))
		return 1;
	return pass();
}
