#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an unlinked open sparse file: size, offset, data at three offsets, the holes between (SEEK_DATA/SEEK_HOLE)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define KB 1024L
#define MB (1024 * KB)
#define SIZE (4 * MB)      /* ends in a hole */
#define POS (MB + 100)     /* the fd's offset */

static const struct { off_t off; size_t len; } chunks[] = {
	{ 0, 4 * KB }, { MB, 8 * KB }, { 3 * MB + 4 * KB, 4 * KB },
};
#define NCHUNKS (sizeof(chunks) / sizeof(chunks[0]))

/* data segments as SEEK_DATA/SEEK_HOLE show them: start, end pairs */
struct layout {
	int n;
	off_t seg[16][2];
};

static int get_layout(int fd, struct layout *l)
{
	off_t data, hole = 0;

	l->n = 0;
	while (l->n < 16) {
		data = lseek(fd, hole, SEEK_DATA);
		if (data < 0)
			return errno == ENXIO ? 0 : -1;
		hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0)
			return -1;
		l->seg[l->n][0] = data;
		l->seg[l->n][1] = hole;
		l->n++;
	}
	return 0;
}

static int expect_layout(const struct layout *found, const struct layout *want)
{
	if (found->n != want->n)
		return fail("file has %d data segments, expected %d", found->n, want->n);
	for (int i = 0; i < want->n; i++)
		if (found->seg[i][0] != want->seg[i][0] || found->seg[i][1] != want->seg[i][1])
			return fail("data segment %d is %ld-%ld, expected %ld-%ld", i, (long)found->seg[i][0],
				    (long)found->seg[i][1], (long)want->seg[i][0], (long)want->seg[i][1]);
	return 0;
}

/* every byte: the chunks' data where written, zeroes elsewhere */
static int expect_content(int fd, const char *want)
{
	char *buf = malloc(SIZE);
	int ret = 0;

	if (!buf)
		return fail_errno("malloc");
	if (pread(fd, buf, SIZE, 0) != SIZE)
		ret = fail_errno("pread %ld bytes", SIZE);
	else
		ret = expect_bytes("file content", buf, want, SIZE);
	free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	struct layout before, after;
	struct stat st;
	char *want;
	int fd;

	test_init(argc, argv);
	want = calloc(1, SIZE);
	if (!want)
		return fail_errno("calloc");
	fd = open(test_path("test"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, SIZE))
		return fail_errno("create %s", test_path("test"));
	for (size_t i = 0; i < NCHUNKS; i++) {
		datagen(want + chunks[i].off, chunks[i].len, 30 + i);
		if (pwrite(fd, want + chunks[i].off, chunks[i].len, chunks[i].off) != (ssize_t)chunks[i].len)
			return fail_errno("pwrite at %ld", (long)chunks[i].off);
	}
	if (get_layout(fd, &before))
		return fail_errno("SEEK_DATA/SEEK_HOLE");
	if (before.n != NCHUNKS)
		return skip("this filesystem shows %d data segments for %zu written chunks: no holes", before.n, NCHUNKS);
	if (unlink(test_path("test")) || lseek(fd, POS, SEEK_SET) != POS)
		return fail_errno("unlink %s", test_path("test"));

	test_daemon();
	test_waitsig();

	if (fstat(fd, &st))
		return fail_errno("fstat");
	if (st.st_mode != (S_IFREG | 0600))
		return fail("file mode 0%o, expected 0%o", st.st_mode, S_IFREG | 0600);
	if (expect_int("st_nlink", st.st_nlink, 0) || expect_int("file size", st.st_size, SIZE) ||
	    expect_int("fd offset", lseek(fd, 0, SEEK_CUR), POS))
		return 1;
	if (get_layout(fd, &after))
		return fail_errno("SEEK_DATA/SEEK_HOLE");
	if (expect_layout(&after, &before) || expect_content(fd, want))
		return 1;
	free(want);
	return pass();
}
