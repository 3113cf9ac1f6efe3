#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a memfd whose fd is closed lives on in two shared mappings of it, at other offsets, still one memory",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define NAME "zdtm-memfd_mmap"
#define PAGES 6UL
/* Mapping A shows file pages 0..3, mapping B pages 2..5: pages 2 and 3 are in both. */
#define A_OFF 0UL
#define B_OFF (2 * PG)
#define MAP_LEN (4 * PG)

/* Both mappings are there, rw-s, at their offsets, of one memfd (one inode) with its name. */
static int check_vmas(const char *a, const char *b)
{
	const char *addr[2] = { a, b };
	const unsigned long off[2] = { A_OFF, B_OFF };
	struct zdtm_vma v[2];

	for (int i = 0; i < 2; i++) {
		unsigned long s = (unsigned long)addr[i];

		if (vma_find(addr[i], &v[i], false) || v[i].start != s || !v[i].name[0])
			return fail("mapping %c (%p) is not in /proc/self/maps", 'A' + i, (const void *)addr[i]);
		if (v[i].end != s + MAP_LEN || strcmp(v[i].perms, "rw-s") || v[i].offset != off[i] ||
		    strcmp(v[i].name, "/memfd:" NAME " (deleted)"))
			return fail("mapping %c is %lx-%lx %s offset %lx %s, "
				    "expected %lx-%lx rw-s offset %lx /memfd:" NAME " (deleted)", 'A' + i,
				    s, v[i].end, v[i].perms, v[i].offset, v[i].name, s, s + MAP_LEN, off[i]);
	}
	if (v[0].ino != v[1].ino)
		return fail("mapping A shows inode %lu, B %lu, expected one memfd", v[0].ino, v[1].ino);
	return 0;
}

/* Both mappings show the file: A pages 0..3, B pages 2..5. */
static int check_content(const char *a, const char *b, const char *file)
{
	return expect_bytes("mapping A content", a, file + A_OFF, MAP_LEN) ||
	       expect_bytes("mapping B content", b, file + B_OFF, MAP_LEN);
}

int main(int argc, char **argv)
{
	static char file[PAGES * PG], late[2][PG];
	char *a, *b;
	int fd;

	test_init(argc, argv);
	datagen(file, sizeof(file), 1);
	datagen(late[0], PG, 2);
	datagen(late[1], PG, 3);
	fd = memfd_create(NAME, 0);
	if (fd < 0)
		return fail_errno("memfd_create");
	if (write_all(fd, file, sizeof(file)))
		return fail_errno("fill the memfd");
	a = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, A_OFF);
	b = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, B_OFF);
	if (a == MAP_FAILED || b == MAP_FAILED)
		return fail_errno("mmap the memfd");
	if (close(fd))
		return fail_errno("close the memfd");
	if (check_vmas(a, b) || check_content(a, b, file))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_vmas(a, b) || check_content(a, b, file))
		return 1;
	/* One memory: a write through A shows in B (file page 2), and one through B in A (page 3). */
	memcpy(a + 2 * PG, late[0], PG);
	memcpy(b + 1 * PG, late[1], PG);
	memcpy(file + 2 * PG, late[0], PG);
	memcpy(file + 3 * PG, late[1], PG);
	if (check_content(a, b, file))
		return 1;
	return pass();
}
