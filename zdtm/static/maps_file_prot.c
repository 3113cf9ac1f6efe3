#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one file mapped four times with different protections and types (r-- shared, rw- shared, r-x private, rw- private written): perms, offsets, inode, content",
	  .flavors = ZDTM_ALL_FLAVORS);

#define PAGES 4

static const struct {
	int prot, flags;
	const char *perms;
	int page;               /* file offset in pages */
} maps[] = {
	{ PROT_READ, MAP_SHARED, "r--s", 0 },
	{ PROT_READ | PROT_WRITE, MAP_SHARED, "rw-s", 1 },
	{ PROT_READ | PROT_EXEC, MAP_PRIVATE, "r-xp", 0 },
	{ PROT_READ | PROT_WRITE, MAP_PRIVATE, "rw-p", 2 },
};
#define N (int)(sizeof(maps) / sizeof(maps[0]))

int main(int argc, char **argv)
{
	static char data[PAGES * 4096], priv[4096];
	struct zdtm_vma v;
	char *m[N];
	int fd;

	test_init(argc, argv);
	datagen(data, sizeof(data), 31);
	datagen(priv, sizeof(priv), 32);
	fd = open(test_path("file"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, sizeof(data)))
		return fail_errno("file");
	for (int i = 0; i < N; i++) {
		m[i] = mmap(NULL, 2 * 4096, maps[i].prot, maps[i].flags, fd, maps[i].page * 4096);
		if (m[i] == MAP_FAILED)
			return fail_errno("mmap %d", i);
	}
	close(fd);
	memcpy(m[3], priv, sizeof(priv));      /* the private copy only */

	test_daemon();
	test_waitsig();

	for (int i = 0; i < N; i++) {
		if (vma_find(m[i], &v, false))
			return fail("mapping %d is gone", i);
		if (strcmp(v.perms, maps[i].perms) || v.offset != (unsigned long)maps[i].page * 4096 ||
		    v.end - v.start != 2 * 4096 || !strstr(v.name, test_path("file")))
			return fail("mapping %d: %s offset %lx size %lx %s, expected %s offset %x size 2000 of %s", i,
				    v.perms, v.offset, v.end - v.start, v.name, maps[i].perms, maps[i].page * 4096,
				    test_path("file"));
	}
	if (expect_bytes("r--s mapping", m[0], data, 2 * 4096) || expect_bytes("rw-s mapping", m[1], data + 4096, 2 * 4096) ||
	    expect_bytes("r-xp mapping", m[2], data, 2 * 4096) || expect_bytes("written rw-p page", m[3], priv, 4096) ||
	    expect_bytes("unwritten rw-p page", m[3] + 4096, data + 3 * 4096, 4096))
		return 1;
	return pass();
}
