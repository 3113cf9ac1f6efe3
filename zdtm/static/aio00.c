#include <fcntl.h>
#include <linux/aio_abi.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a native AIO context whose ring holds completed, unreaped write and read events",
	  .flavors = ZDTM_ALL_FLAVORS, .features = "aio_remap");

#define NR_EVENTS 32
#define NOPS 6          /* ops 0-3 write, 4-5 read */
#define NREAP 2         /* reaped before the dump; the other 4 stay in the ring */
#define CHUNK 1500      /* op i moves CHUNK + 100 * i bytes */
#define SLOT 4096       /* op i works at offset SLOT * i of the file */
#define TAG(i) (0xa10c0de000000000ULL | (unsigned long long)(i))

/* The head of the ring the kernel maps at the context's address (a stable ABI: libaio reads it too). */
struct aio_ring {
	unsigned id, nr, head, tail, magic, compat_features, incompat_features, header_length;
	struct io_event events[];
};
#define AIO_RING_MAGIC 0xa10a10a1

static char bufs[NOPS + 1][SLOT], want[NOPS + 1][SLOT];
static struct iocb cbs[NOPS + 1];

static size_t op_len(int i)
{
	return CHUNK + 100 * i;
}

static long io_submit1(aio_context_t ctx, struct iocb *cb)
{
	struct iocb *list[1] = { cb };

	return syscall(SYS_io_submit, ctx, 1L, list);
}

static long io_getevents(aio_context_t ctx, long min, long max, struct io_event *ev, long msec)
{
	struct timespec ts = { msec / 1000, (msec % 1000) * 1000000L };

	return syscall(SYS_io_getevents, ctx, min, max, ev, &ts);
}

/* Op i: a pwrite of buffer i (reads: a pread into it) at slot i of fd, tagged TAG(i). */
static int submit(aio_context_t ctx, int fd, int i, int cmd)
{
	cbs[i] = (struct iocb){ .aio_data = TAG(i), .aio_lio_opcode = cmd, .aio_fildes = fd,
				.aio_buf = (unsigned long)bufs[i], .aio_nbytes = op_len(i),
				.aio_offset = (long long)SLOT * i };
	return io_submit1(ctx, &cbs[i]) == 1 ? 0 : -1;
}

/* Each event is one of the ops not reaped before the dump (seen false), each once, with its byte count. */
static int expect_events(const struct io_event *ev, int n, bool seen[NOPS])
{
	if (expect_int("unreaped events returned by io_getevents", n, NOPS - NREAP))
		return 1;
	for (int k = 0; k < n; k++) {
		int i = (int)(ev[k].data - TAG(0));

		if (ev[k].data < TAG(0) || ev[k].data >= TAG(NOPS) || seen[i])
			return fail("event %d has data %#llx, expected an unreaped tag of %#llx..%#llx, once", k,
				    (unsigned long long)ev[k].data, TAG(0), TAG(NOPS - 1));
		seen[i] = true;
		if (ev[k].obj != (unsigned long)&cbs[i])
			return fail("event of op %d: obj %#llx, expected iocb %p", i,
				    (unsigned long long)ev[k].obj, (void *)&cbs[i]);
		if (ev[k].res != (long long)op_len(i) || ev[k].res2 != 0)
			return fail("event of op %d: res %lld res2 %lld, expected %zu and 0", i,
				    (long long)ev[k].res, (long long)ev[k].res2, op_len(i));
	}
	return 0;
}

int main(int argc, char **argv)
{
	aio_context_t ctx = 0, ctx_before;
	struct io_event ev[NR_EVENTS];
	struct aio_ring *ring;
	bool reaped[NOPS] = { false };
	unsigned nr_before;
	char file[SLOT];
	int fd;

	test_init(argc, argv);
	fd = open(test_path("data"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail_errno("open %s", test_path("data"));
	/* ops 4 and 5 read what is already at their slots */
	for (int i = 0; i < NOPS; i++)
		datagen(want[i], op_len(i), 100 + i);
	for (int i = 4; i < NOPS; i++)
		if (pwrite(fd, want[i], op_len(i), (off_t)SLOT * i) != (ssize_t)op_len(i))
			return fail_errno("pwrite slot %d", i);
	if (syscall(SYS_io_setup, NR_EVENTS, &ctx))
		return errno == ENOSYS ? skip("no native AIO (io_setup: ENOSYS)") : fail_errno("io_setup");
	for (int i = 0; i < 4; i++)
		memcpy(bufs[i], want[i], op_len(i));
	for (int i = 0; i < NOPS; i++)
		if (submit(ctx, fd, i, i < 4 ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD))
			return fail_errno("io_submit op %d", i);
	/* Wait for all six completions without reaping: watch the ring's tail. */
	ring = (struct aio_ring *)ctx;
	for (int t = 0; t < 5000 && ring->tail - ring->head < NOPS; t++)
		usleep(1000);
	if (expect_int("completed events in the ring", ring->tail - ring->head, NOPS))
		return 1;
	if (expect_int("events reaped before the dump", io_getevents(ctx, NREAP, NREAP, ev, 1000), NREAP))
		return 1;
	for (int k = 0; k < NREAP; k++) {
		if (ev[k].data - TAG(0) >= NOPS)
			return fail("reaped event has data %#llx, expected a tag of %#llx..%#llx",
				    (unsigned long long)ev[k].data, TAG(0), TAG(NOPS - 1));
		reaped[ev[k].data - TAG(0)] = true;
	}
	ctx_before = ctx;
	nr_before = ring->nr;

	test_daemon();
	test_waitsig();

	if (ctx != ctx_before)
		return fail("context id %#lx, expected %#lx", (unsigned long)ctx, (unsigned long)ctx_before);
	if (ring->magic != AIO_RING_MAGIC || ring->nr != nr_before)
		return fail("ring at %#lx: magic %#x nr %u, expected %#x and %u", (unsigned long)ctx,
			    ring->magic, ring->nr, AIO_RING_MAGIC, nr_before);
	/* ask for more than there should be: extra events would show up */
	if (expect_events(ev, io_getevents(ctx, 0, NR_EVENTS, ev, 0), reaped))
		return 1;
	for (int i = 4; i < NOPS; i++)
		if (expect_bytes("buffer filled by a read before the dump", bufs[i], want[i], op_len(i)))
			return 1;
	/* the context still works: a new write at slot NOPS */
	datagen(want[NOPS], op_len(NOPS), 100 + NOPS);
	memcpy(bufs[NOPS], want[NOPS], op_len(NOPS));
	if (submit(ctx, fd, NOPS, IOCB_CMD_PWRITE))
		return fail_errno("io_submit after restore");
	if (expect_int("events of the write after restore", io_getevents(ctx, 1, NR_EVENTS, ev, 5000), 1))
		return 1;
	if (ev[0].data != TAG(NOPS) || ev[0].obj != (unsigned long)&cbs[NOPS] ||
	    ev[0].res != (long long)op_len(NOPS))
		return fail("event after restore: data %#llx obj %#llx res %lld, expected %#llx %p %zu",
			    (unsigned long long)ev[0].data, (unsigned long long)ev[0].obj, (long long)ev[0].res,
			    TAG(NOPS), (void *)&cbs[NOPS], op_len(NOPS));
	/* every write is in the file: the four before the dump and the new one */
	for (int i = 0; i <= NOPS; i++) {
		if (pread(fd, file, op_len(i), (off_t)SLOT * i) != (ssize_t)op_len(i))
			return fail_errno("pread slot %d", i);
		if (expect_bytes("file content", file, want[i], op_len(i)))
			return 1;
	}
	if (syscall(SYS_io_destroy, ctx))
		return fail_errno("io_destroy");
	return pass();
}
