/*
 * --preload-libfault: LD_PRELOADed into criu's dump, pre-dump and restore, this library cuts every
 * pread (and preadv: criu reads its page images with it) of more than 2 KiB short by 1 KiB, as a
 * file system may: criu must read on until it has what it asked for. At exit it says on stderr (criu's ACTION.out) how many it cut, which
 * is how the runner knows it was loaded at all.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define CUT_ABOVE 2048
#define CUT_BY 1024

static long preads, cut;

static ssize_t short_pread(int fd, void *buf, size_t count, off_t off, const char *name)
{
	static ssize_t (*real)(int, void *, size_t, off_t);

	if (!real)
		real = (ssize_t (*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, name);
	preads++;
	if (count > CUT_ABOVE) {
		count -= CUT_BY;
		cut++;
	}
	return real(fd, buf, count, off);
}

ssize_t pread64(int fd, void *buf, size_t count, off_t off)
{
	return short_pread(fd, buf, count, off, "pread64");
}

ssize_t pread(int fd, void *buf, size_t count, off_t off)
{
	return short_pread(fd, buf, count, off, "pread");
}

/* The iovecs of a preadv of more than 2 KiB, 1 KiB shorter: the last ones shortened or left out. */
static int shorter(const struct iovec *iov, int n, struct iovec *out)
{
	size_t total = 0, drop = CUT_BY;

	for (int i = 0; i < n; i++) {
		out[i] = iov[i];
		total += iov[i].iov_len;
	}
	preads++;
	if (total <= CUT_ABOVE)
		return n;
	cut++;
	while (n > 0 && drop) {
		size_t d = out[n - 1].iov_len < drop ? out[n - 1].iov_len : drop;

		out[n - 1].iov_len -= d;
		drop -= d;
		if (!out[n - 1].iov_len)
			n--;
	}
	return n;
}

#define MAX_IOV 1024

static ssize_t short_preadv(int fd, const struct iovec *iov, int n, off_t off, int flags, const char *name)
{
	static ssize_t (*real)(int, const struct iovec *, int, off_t, int);
	struct iovec mine[MAX_IOV];

	if (!real)
		real = (ssize_t (*)(int, const struct iovec *, int, off_t, int))dlsym(RTLD_NEXT, name);
	if (n > 0 && n <= MAX_IOV)
		n = shorter(iov, n, mine), iov = mine;
	return real(fd, iov, n, off, flags);
}

ssize_t preadv(int fd, const struct iovec *iov, int n, off_t off)
{
	return short_preadv(fd, iov, n, off, 0, "preadv");
}

ssize_t preadv64(int fd, const struct iovec *iov, int n, off_t off)
{
	return short_preadv(fd, iov, n, off, 0, "preadv64");
}

ssize_t preadv2(int fd, const struct iovec *iov, int n, off_t off, int flags)
{
	return short_preadv(fd, iov, n, off, flags, "preadv2");
}

__attribute__((destructor)) static void report(void)
{
	dprintf(2, "libfault: %ld of %ld preads cut short\n", cut, preads);
}
