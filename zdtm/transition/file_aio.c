#include <aio.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "POSIX AIO reads (glibc's helper threads) of CRC-stamped blocks of a file, four in flight at a time, each checked when it completes",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define BLOCK 4096
#define BLOCKS 256
#define INFLIGHT 4

int main(int argc, char **argv)
{
	static char file[BLOCK], bufs[INFLIGHT][BLOCK], want[BLOCK];
	struct aiocb cb[INFLIGHT];
	const struct aiocb *list[INFLIGHT];
	unsigned long done = 0;
	unsigned blk[INFLIGHT];
	char problem[200] = "";
	int fd;

	test_init(argc, argv);
	fd = open(test_path("data"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail_errno("open");
	for (int b = 0; b < BLOCKS; b++) {
		datagen(file, BLOCK, b);
		if (write_all(fd, file, BLOCK))
			return fail_errno("write block %d", b);
	}
	memset(cb, 0, sizeof(cb));
	for (int i = 0; i < INFLIGHT; i++) {
		cb[i].aio_fildes = fd;
		cb[i].aio_buf = bufs[i];
		cb[i].aio_nbytes = BLOCK;
		list[i] = &cb[i];
	}

	test_daemon();
	for (int i = 0; i < INFLIGHT; i++) {
		blk[i] = lrand48() % BLOCKS;
		cb[i].aio_offset = (off_t)blk[i] * BLOCK;
		if (aio_read(&cb[i]))
			return fail_errno("aio_read");
	}
	while (!problem[0]) {
		bool stop = !test_go();

		if (aio_suspend(list, INFLIGHT, NULL) && errno != EINTR) {
			snprintf(problem, sizeof(problem), "aio_suspend: errno %d", errno);
			break;
		}
		for (int i = 0; i < INFLIGHT && !problem[0]; i++) {
			int err = aio_error(&cb[i]);
			ssize_t n;

			if (err == EINPROGRESS || list[i] == NULL)
				continue;
			n = aio_return(&cb[i]);
			datagen(want, BLOCK, blk[i]);
			if (err || n != BLOCK || memcmp(bufs[i], want, BLOCK))
				snprintf(problem, sizeof(problem), "read of block %u: error %d, %zd bytes, %s", blk[i], err,
					 n, n == BLOCK && datachk(bufs[i], BLOCK) ? "another block's data" : "bad data");
			done++;
			if (stop) {             /* let the others finish, start nothing */
				list[i] = NULL;
				continue;
			}
			blk[i] = lrand48() % BLOCKS;
			cb[i].aio_offset = (off_t)blk[i] * BLOCK;
			if (aio_read(&cb[i]))
				snprintf(problem, sizeof(problem), "aio_read: errno %d", errno);
		}
		if (stop) {
			int left = 0;

			for (int i = 0; i < INFLIGHT; i++)
				left += list[i] != NULL;
			if (!left)
				break;
		}
	}
	test_waitsig();

	if (problem[0])
		return fail("%s", problem);
	test_msg("%lu blocks read", done);
	return pass();
}
