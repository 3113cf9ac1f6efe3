#include <fcntl.h>
#include <mqueue.h>
#include <string.h>
#include <sys/stat.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a POSIX message queue with four messages of three priorities: attributes, priority order, content",
	  .flavors = ZDTM_NS_FLAVORS);

#define MQ_NAME "/zdtm-mqueue00"
#define MAXMSG 8
#define MSGSIZE 256

/* In send order; received by priority, FIFO within one priority. */
static const struct {
	unsigned prio;
	size_t len;
} sent[] = { { 5, 200 }, { 1, 10 }, { 9, 256 }, { 5, 33 } };
#define NMSG (sizeof(sent) / sizeof(sent[0]))
static const int recv_order[NMSG] = { 2, 0, 3, 1 };

static int expect_attr(mqd_t q)
{
	struct mq_attr a;

	if (mq_getattr(q, &a))
		return fail_errno("mq_getattr");
	if (expect_int("mq_flags O_NONBLOCK", a.mq_flags & O_NONBLOCK, O_NONBLOCK) ||
	    expect_int("mq_maxmsg", a.mq_maxmsg, MAXMSG) ||
	    expect_int("mq_msgsize", a.mq_msgsize, MSGSIZE) ||
	    expect_int("mq_curmsgs", a.mq_curmsgs, NMSG))
		return 1;
	return 0;
}

static int expect_messages(mqd_t q)
{
	char want[MSGSIZE], got[MSGSIZE];
	unsigned prio;
	ssize_t n;

	for (size_t k = 0; k < NMSG; k++) {
		int i = recv_order[k];

		datagen(want, sent[i].len, 200 + i);
		n = mq_receive(q, got, sizeof(got), &prio);
		if (n < 0)
			return fail_errno("mq_receive %zu, expected message %d", k, i);
		if ((size_t)n != sent[i].len || prio != sent[i].prio)
			return fail("message %zu: %zd bytes, priority %u, expected message %d: %zu bytes, priority %u",
				    k, n, prio, i, sent[i].len, sent[i].prio);
		if (expect_bytes("message content", got, want, n))
			return 1;
	}
	if (mq_receive(q, got, sizeof(got), &prio) != -1 || errno != EAGAIN)
		return fail_errno("mq_receive on the drained queue, expected EAGAIN");
	return 0;
}

int main(int argc, char **argv)
{
	struct mq_attr attr = { .mq_maxmsg = MAXMSG, .mq_msgsize = MSGSIZE };
	char buf[MSGSIZE];
	mqd_t q;

	test_init(argc, argv);
	q = mq_open(MQ_NAME, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0640, &attr);
	if (q == (mqd_t)-1 && (errno == ENOSYS || errno == ENOENT))
		return skip("no POSIX message queues: mq_open: %s", strerror(errno));
	if (q == (mqd_t)-1)
		return fail_errno("mq_open");
	for (size_t i = 0; i < NMSG; i++) {
		datagen(buf, sent[i].len, 200 + i);
		if (mq_send(q, buf, sent[i].len, sent[i].prio))
			return fail_errno("mq_send %zu", i);
	}
	if (expect_attr(q))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_attr(q) || expect_messages(q))
		return 1;
	return pass();
}
