#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two MAP_SHARED mappings of a file that was then unlinked and closed: content, "
		 "writes through one seen in the other, maps lines end in (deleted)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PAGE 4096
#define NPAGES 4
/* the second mapping shows file pages 1 and 2 */
#define WIN_OFF 1
#define WIN_PAGES 2

/* The /proc/self/maps line that starts at addr names `want`. */
static int expect_maps_name(const void *addr, const char *want)
{
	struct zdtm_vma v;

	if (vma_find(addr, &v, false) || v.start != (unsigned long)addr || !v.name[0])
		return fail("no maps line with a name starts at %p, expected one naming %s", addr, want);
	return expect_str("maps name", v.name, want);
}

int main(int argc, char **argv)
{
	static char data[NPAGES * PAGE], more[PAGE];
	char cwd[PATH_MAX], deleted[PATH_MAX + 64];
	char *whole, *win;
	int fd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 21);
	datagen(more, sizeof(more), 22);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(deleted, sizeof(deleted), "%s/%s (deleted)", cwd, test_path("test"));
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, sizeof(data)))
		return fail_errno("create %s", test_path("test"));
	whole = mmap(NULL, sizeof(data), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	win = mmap(NULL, WIN_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, WIN_OFF * PAGE);
	if (whole == MAP_FAILED || win == MAP_FAILED)
		return fail_errno("mmap");
	/* the content reaches the file only through the mapping */
	memcpy(whole, data, sizeof(data));
	if (unlink(test_path("test")) || close(fd))
		return fail_errno("unlink and close %s", test_path("test"));

	test_daemon();
	test_waitsig();

	if (expect_bytes("whole mapping", whole, data, sizeof(data)) ||
	    expect_bytes("window mapping", win, data + WIN_OFF * PAGE, WIN_PAGES * PAGE))
		return 1;
	if (expect_maps_name(whole, deleted) || expect_maps_name(win, deleted))
		return 1;
	/* both still map one file object: a write through one shows in the other, both ways */
	memcpy(whole + (WIN_OFF + 1) * PAGE, more, PAGE);
	if (expect_bytes("window after a write through the whole mapping", win + PAGE, more, PAGE))
		return 1;
	memcpy(win, more, PAGE);
	if (expect_bytes("whole mapping after a write through the window", whole + WIN_OFF * PAGE, more, PAGE))
		return 1;
	return pass();
}
