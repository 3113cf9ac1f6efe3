#include <aio.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "POSIX AIO reads (glibc's helper threads) pending on two TCP connections: after C/R data sent by the peers completes them",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "nouser", .opts = "--tcp-established");

#define N 2
#define LEN 100

/* glibc starts the aio helper threads itself (not through libzdtm's pthread_create), so their rseq
 * areas, in the thread descriptors at the top of their small stacks, are not entered as volatile:
 * the CPU ids in them change after restore. Each helper's stack mapping (found from the stack
 * pointer in /proc/self/task/TID/syscall) is left out of the memory digest. 0 or -1. */
static int helper_stacks_volatile(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	struct zdtm_vma v;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[64], line[256];
		unsigned long sp;
		FILE *f;

		if (de->d_name[0] == '.' || atoi(de->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", atoi(de->d_name));
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f) &&
		    sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %lx", &sp) == 1 && !vma_find((void *)sp, &v, false))
			test_volatile((void *)v.start, v.end - v.start);
		fclose(f);
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	static char bufs[N][LEN], data[N][LEN];
	const struct aiocb *list[N];
	struct aiocb cb[N];
	int sk[N][2];

	test_init(argc, argv);
	memset(cb, 0, sizeof(cb));
	for (int i = 0; i < N; i++) {
		datagen(data[i], LEN, 70 + i);
		if (tcp_pair(AF_INET, 0, sk[i]))
			return fail_errno("tcp_pair");
		cb[i].aio_fildes = sk[i][0];
		cb[i].aio_buf = bufs[i];
		cb[i].aio_nbytes = LEN;
		list[i] = &cb[i];
		if (aio_read(&cb[i]))
			return fail_errno("aio_read");
	}
	/* The helper threads are blocked in read() now or soon: nothing to read yet. */
	usleep(50000);
	for (int i = 0; i < N; i++)
		if (aio_error(&cb[i]) != EINPROGRESS)
			return fail("aio read %d completed before any data: error %d", i, aio_error(&cb[i]));
	if (helper_stacks_volatile())
		return fail_errno("/proc/self/task");

	test_daemon();
	test_waitsig();

	for (int i = 0; i < N; i++)
		if (expect_int("a pending aio read: aio_error", aio_error(&cb[i]), EINPROGRESS))
			return 1;
	for (int i = 0; i < N; i++)
		if (write_all(sk[i][1], data[i], LEN))
			return fail_errno("write to the peer %d", i);
	for (int i = 0; i < N; i++) {
		struct timespec tmo = { 5, 0 };
		const struct aiocb *one[1] = { list[i] };
		ssize_t n;

		while (aio_error(&cb[i]) == EINPROGRESS)
			if (aio_suspend(one, 1, &tmo) && errno == EAGAIN)
				return fail("aio read %d did not complete 5 s after the peer wrote", i);
		n = aio_return(&cb[i]);
		if (n < 0)
			return fail("aio read %d failed: error %d", i, aio_error(&cb[i]));
		/* A TCP read may return a prefix: the rest is still queued on the socket. */
		if (n < LEN && read_all(sk[i][0], bufs[i] + n, LEN - n) != LEN - n)
			return fail_errno("read the rest of connection %d", i);
		if (expect_bytes("bytes the aio read got", bufs[i], data[i], LEN))
			return 1;
	}
	return pass();
}
