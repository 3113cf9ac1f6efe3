#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "1024 one-page mappings of one file at fixed addresses in a scrambled page order, shared and "
		 "private (half of those written): each VMA's range, offset, inode, perms and content",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define SLOTS 1024UL
/* Slot s maps file page page_of(s): neighbours never map neighbouring pages, so no two VMAs merge. */
#define page_of(s) (((s) * 7 + 3) % SLOTS)
#define is_shared(s) ((s) % 2 == 0)
#define is_written(s) ((s) % 4 == 1)     /* private slots written after mapping: their own copy */

static int check_slot(const char *area, unsigned long s, ino_t ino)
{
	static char want[PG];
	const char *addr = area + s * PG;
	struct zdtm_vma v;

	if (vma_find(addr, &v, false))
		return fail("slot %lu (%p) is not mapped", s, (const void *)addr);
	if (v.start != (unsigned long)addr || v.end != v.start + PG || v.offset != page_of(s) * PG ||
	    v.ino != ino || strcmp(v.perms, is_shared(s) ? "rw-s" : "rw-p"))
		return fail("slot %lu is %lx-%lx %s offset %#lx inode %lu, expected %p-%lx %s offset %#lx inode %lu",
			    s, v.start, v.end, v.perms, v.offset, v.ino, (const void *)addr,
			    (unsigned long)addr + PG, is_shared(s) ? "rw-s" : "rw-p", page_of(s) * PG,
			    (unsigned long)ino);
	datagen(want, PG, is_written(s) ? 100000 + s : page_of(s));
	if (memcmp(addr, want, PG))
		return fail("slot %lu holds other data than %s", s,
			    is_written(s) ? "its private write" : "its file page");
	return 0;
}

int main(int argc, char **argv)
{
	static char page[PG], buf[PG];
	struct stat st;
	char *area;
	int fd;

	test_init(argc, argv);
	fd = open(test_path("file"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || fstat(fd, &st))
		return fail_errno("create %s", test_path("file"));
	for (unsigned long p = 0; p < SLOTS; p++) {
		datagen(page, PG, p);
		if (write_all(fd, page, PG))
			return fail_errno("write %s", test_path("file"));
	}
	area = mmap(NULL, SLOTS * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return fail_errno("reserve the area");
	for (unsigned long s = 0; s < SLOTS; s++) {
		char *addr = area + s * PG;

		if (mmap(addr, PG, PROT_READ | PROT_WRITE, (is_shared(s) ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED,
			 fd, page_of(s) * PG) != addr)
			return fail_errno("mmap slot %lu", s);
		if (is_written(s))
			datagen(addr, PG, 100000 + s);
	}
	close(fd);

	test_daemon();
	test_waitsig();

	for (unsigned long s = 0; s < SLOTS; s++)
		if (check_slot(area, s, st.st_ino))
			return 1;
	/* a shared slot still reaches the file */
	datagen(page, PG, 200000);
	memcpy(area + 2 * PG, page, PG);
	fd = open(test_path("file"), O_RDONLY);
	if (fd < 0 || pread(fd, buf, PG, page_of(2) * PG) != PG)
		return fail_errno("read %s", test_path("file"));
	if (expect_bytes("file page after a write through shared slot 2", buf, page, PG))
		return 1;
	return pass();
}
