#include <fcntl.h>
#include <linux/io_uring.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an io_uring with a registered file and a completed read whose CQE is not reaped yet",
	  .flavors = ZDTM_ALL_FLAVORS,
	  /* criu 4.2.1 has no io_uring support: the ring mapping stops it in proc_parse.c
	   * ("Unknown shit 600 (anon_inode:[io_uring])"); a bare ring fd fails in the parasite
	   * ("send_fds failed (-22)": the kernel refuses io_uring fds in SCM_RIGHTS) */
	  .flags = "crfail");

#define ENTRIES 8
#define LEN 3000
#define TAG 0x5a4d5a4d12345678ULL

struct ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int map_rings(struct ring *r, const struct io_uring_params *p)
{
	size_t sq_len = p->sq_off.array + p->sq_entries * sizeof(unsigned);
	size_t cq_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	char *sq, *cq;

	if (!(p->features & IORING_FEAT_SINGLE_MMAP))
		return -1;   /* every kernel since 5.4 has it */
	sq = mmap(NULL, sq_len > cq_len ? sq_len : cq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  r->fd, IORING_OFF_SQ_RING);
	r->sqes = mmap(NULL, p->sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || r->sqes == MAP_FAILED)
		return -1;
	cq = sq;
	r->sq_tail = (unsigned *)(sq + p->sq_off.tail);
	r->sq_mask = (unsigned *)(sq + p->sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + p->sq_off.array);
	r->cq_head = (unsigned *)(cq + p->cq_off.head);
	r->cq_tail = (unsigned *)(cq + p->cq_off.tail);
	r->cq_mask = (unsigned *)(cq + p->cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p->cq_off.cqes);
	return 0;
}

/* Queues a read of LEN bytes of registered file 0 into buf and waits for its completion. */
static int read_fixed(struct ring *r, char *buf, unsigned long long tag)
{
	unsigned tail = *r->sq_tail, i = tail & *r->sq_mask;
	struct io_uring_sqe *sqe = &r->sqes[i];

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_READ;
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->fd = 0;   /* index in the registered files */
	sqe->addr = (unsigned long)buf;
	sqe->len = LEN;
	sqe->off = 0;
	sqe->user_data = tag;
	r->sq_array[i] = i;
	atomic_store_explicit((_Atomic unsigned *)r->sq_tail, tail + 1, memory_order_release);
	return syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) == 1 ? 0 : -1;
}

/* The CQ holds exactly one CQE, unreaped: the read tagged tag, LEN bytes. */
static int expect_cqe(struct ring *r, unsigned long long tag)
{
	unsigned head = *r->cq_head,
		 tail = atomic_load_explicit((_Atomic unsigned *)r->cq_tail, memory_order_acquire);
	struct io_uring_cqe *cqe = &r->cqes[head & *r->cq_mask];

	if (expect_int("CQEs waiting", tail - head, 1))
		return 1;
	if (cqe->user_data != tag || cqe->res != LEN)
		return fail("CQE user_data %#llx res %d, expected %#llx res %d", (unsigned long long)cqe->user_data,
			    cqe->res, tag, LEN);
	return 0;
}

static void reap(struct ring *r)
{
	atomic_store_explicit((_Atomic unsigned *)r->cq_head, *r->cq_head + 1, memory_order_release);
}

int main(int argc, char **argv)
{
	static char data[LEN], buf[LEN], again[LEN];
	struct io_uring_params p = { 0 };
	struct ring r;
	int file;

	test_init(argc, argv);
	datagen(data, sizeof(data), 9);
	file = open(test_path("file"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (file < 0 || write_all(file, data, sizeof(data)))
		return fail_errno("write %s", test_path("file"));
	r.fd = syscall(__NR_io_uring_setup, ENTRIES, &p);
	if (r.fd < 0 && (errno == ENOSYS || errno == EPERM))
		return skip("io_uring_setup: %s", strerror(errno));
	if (r.fd < 0 || map_rings(&r, &p))
		return fail_errno("io_uring_setup/mmap");
	if (syscall(__NR_io_uring_register, r.fd, IORING_REGISTER_FILES, &file, 1))
		return fail_errno("IORING_REGISTER_FILES");
	if (read_fixed(&r, buf, TAG))
		return fail_errno("io_uring_enter");
	if (expect_cqe(&r, TAG) || expect_bytes("read through the ring", buf, data, LEN))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_cqe(&r, TAG) || expect_bytes("read through the ring", buf, data, LEN))
		return 1;
	reap(&r);
	/* the registered file and the ring still work */
	if (read_fixed(&r, again, TAG + 1))
		return fail_errno("io_uring_enter after C/R");
	if (expect_cqe(&r, TAG + 1) || expect_bytes("read after C/R", again, data, LEN))
		return 1;
	reap(&r);
	return pass();
}
