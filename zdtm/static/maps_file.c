#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a file mapped privately (changed, file untouched) and shared (writes reach the file) at offsets",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PG 4096UL
#define FILE_PAGES 8
/* The private mapping shows file pages 2..4, the shared one pages 5..6. */
#define PRIV_OFF 2
#define PRIV_PAGES 3
#define SHARED_OFF 5
#define SHARED_PAGES 2

/* Page contents: the file's own, and what the test writes through each mapping. */
static char file_data[FILE_PAGES * PG], priv_data[PG], shared_data[PG], priv_late[PG], shared_late[PG];

static int check_vma(const char *what, const void *addr, unsigned long pages, const char *perms,
		     unsigned long off, unsigned long ino)
{
	struct zdtm_vma v;

	if (vma_find(addr, &v, false))
		return fail("%s mapping %p is not in /proc/self/maps", what, addr);
	if (v.start != (unsigned long)addr || v.end != v.start + pages * PG || strcmp(v.perms, perms) ||
	    v.offset != off * PG || v.ino != ino)
		return fail("%s mapping is %lx-%lx %s offset %lx inode %lu, expected %p-%lx %s offset %lx inode %lu",
			    what, v.start, v.end, v.perms, v.offset, v.ino, addr, (unsigned long)addr + pages * PG,
			    perms, off * PG, ino);
	return 0;
}

/* The file holds its own data except for the pages written through the shared mapping. */
static int check_file(const char *when, const char *shared_page0, const char *shared_page1)
{
	static char buf[FILE_PAGES * PG];
	char what[96];
	int fd = open(test_path("test"), O_RDONLY);

	if (fd < 0 || pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		return fail_errno("read %s", test_path("test"));
	close(fd);
	for (int i = 0; i < FILE_PAGES; i++) {
		const char *want = file_data + i * PG;

		if (i == SHARED_OFF)
			want = shared_page0;
		if (i == SHARED_OFF + 1)
			want = shared_page1;
		snprintf(what, sizeof(what), "%s: file page %d", when, i);
		if (expect_bytes(what, buf + i * PG, want, PG))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char *priv, *shared;
	struct stat st;
	int fd;

	test_init(argc, argv);
	datagen(file_data, sizeof(file_data), 1);
	datagen(priv_data, PG, 2);
	datagen(shared_data, PG, 3);
	datagen(priv_late, PG, 4);
	datagen(shared_late, PG, 5);
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, file_data, sizeof(file_data)) || fstat(fd, &st))
		return fail_errno("create %s", test_path("test"));
	priv = mmap(NULL, PRIV_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PRIV_OFF * PG);
	shared = mmap(NULL, SHARED_PAGES * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, SHARED_OFF * PG);
	if (priv == MAP_FAILED || shared == MAP_FAILED)
		return fail_errno("mmap %s", test_path("test"));
	close(fd);   /* the mappings alone keep the file */
	memcpy(priv, priv_data, PG);
	memcpy(shared, shared_data, PG);

	test_daemon();
	test_waitsig();

	if (check_vma("private", priv, PRIV_PAGES, "rw-p", PRIV_OFF, st.st_ino) ||
	    check_vma("shared", shared, SHARED_PAGES, "rw-s", SHARED_OFF, st.st_ino))
		return 1;
	if (expect_bytes("private page 0 (written)", priv, priv_data, PG) ||
	    expect_bytes("private page 1 (file page 3)", priv + PG, file_data + 3 * PG, PG) ||
	    expect_bytes("private page 2 (file page 4)", priv + 2 * PG, file_data + 4 * PG, PG) ||
	    expect_bytes("shared page 0 (written)", shared, shared_data, PG) ||
	    expect_bytes("shared page 1 (file page 6)", shared + PG, file_data + 6 * PG, PG))
		return 1;
	if (check_file("after C/R", shared_data, file_data + 6 * PG))
		return 1;
	/* Still the same kind of mapping: new private writes stay, new shared writes reach the file. */
	memcpy(priv + PG, priv_late, PG);
	memcpy(shared + PG, shared_late, PG);
	if (check_file("after writing both mappings", shared_data, shared_late))
		return 1;
	return pass();
}
