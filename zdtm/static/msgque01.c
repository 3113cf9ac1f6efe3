#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a SysV message queue with empty and msgmax-long messages and a lowered msg_qbytes: selective msgrcv order",
	  .flavors = ZDTM_NS_FLAVORS);

#define MAXMAX 65536
#define QBYTES_SLACK 123   /* msg_qbytes is set to the queued bytes plus this */

struct message {
	long mtype;
	char mtext[MAXMAX];
};

/* In queue order; len -1 stands for msgmax. */
static const struct {
	long type;
	int len;
} queued[] = { { 5, 0 }, { 2, 200 }, { 7, -1 }, { 2, 0 }, { 1, 33 }, { 5, 1000 }, { 3, 1 } };
#define NMSG (sizeof(queued) / sizeof(queued[0]))

/* What msgrcv(type, flags) returns, one after the other, and the message it must be. */
static const struct {
	long type;
	int flags;
	size_t i;
} reads[] = {
	{ 2, 0, 1 },            /* the first of type 2 */
	{ -3, 0, 4 },           /* the lowest type <= 3: type 1 */
	{ 5, MSG_EXCEPT, 2 },   /* the first not of type 5: the msgmax one */
	{ -3, 0, 3 },           /* the empty one of type 2 (lower than 3) */
	{ 5, 0, 0 },            /* the empty one of type 5 */
	{ 3, MSG_EXCEPT, 5 },
	{ 0, 0, 6 },
};

static int msgmax;

static size_t len_of(size_t i)
{
	return queued[i].len < 0 ? (size_t)msgmax : (size_t)queued[i].len;
}

/* The queue holds every message; *qbytes gets its msg_qbytes. */
static int expect_queue(int id, size_t bytes, unsigned long *qbytes)
{
	struct msqid_ds ds;

	if (msgctl(id, IPC_STAT, &ds))
		return fail_errno("msgctl(%d, IPC_STAT)", id);
	*qbytes = ds.msg_qbytes;
	if (expect_int("messages queued", ds.msg_qnum, NMSG) || expect_int("bytes queued", ds.__msg_cbytes, bytes))
		return 1;
	return 0;
}

static int expect_message(int id, long type, int flags, size_t i)
{
	static struct message want, got;
	ssize_t n;

	want.mtype = queued[i].type;
	datagen(want.mtext, len_of(i), 100 + i);
	n = msgrcv(id, &got, MAXMAX, type, IPC_NOWAIT | flags);
	if (n < 0)
		return fail_errno("msgrcv(type %ld, flags %#x), expected message %zu", type, flags, i);
	if (got.mtype != want.mtype || (size_t)n != len_of(i))
		return fail("msgrcv(type %ld, flags %#x): type %ld, %zd bytes; expected message %zu: type %ld, %zu bytes",
			    type, flags, got.mtype, n, i, want.mtype, len_of(i));
	return expect_bytes("message text", got.mtext, want.mtext, n);
}

static int read_msgmax(void)
{
	FILE *f = fopen("/proc/sys/kernel/msgmax", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

int main(int argc, char **argv)
{
	static struct message m;
	struct msqid_ds ds;
	unsigned long qbytes;
	size_t bytes = 0;
	int id;

	test_init(argc, argv);
	msgmax = read_msgmax();
	if (msgmax < 1000 || msgmax > MAXMAX)
		return skip("kernel.msgmax is %d, the test handles 1000..%d", msgmax, MAXMAX);
	id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (id < 0)
		return fail_errno("msgget");
	for (size_t i = 0; i < NMSG; i++)
		bytes += len_of(i);
	/* lowering msg_qbytes needs no privilege; the queue must still hold everything */
	if (msgctl(id, IPC_STAT, &ds))
		return fail_errno("msgctl(IPC_STAT)");
	if (ds.msg_qbytes < bytes + QBYTES_SLACK + 1)
		return skip("msg_qbytes %lu, the test needs more than %zu", ds.msg_qbytes, bytes + QBYTES_SLACK);
	ds.msg_qbytes = bytes + QBYTES_SLACK;
	if (msgctl(id, IPC_SET, &ds))
		return fail_errno("msgctl(IPC_SET, msg_qbytes %lu)", ds.msg_qbytes);
	for (size_t i = 0; i < NMSG; i++) {
		m.mtype = queued[i].type;
		datagen(m.mtext, len_of(i), 100 + i);
		if (msgsnd(id, &m, len_of(i), IPC_NOWAIT))
			return fail_errno("msgsnd %zu (%zu bytes)", i, len_of(i));
	}
	if (expect_queue(id, bytes, &qbytes) || expect_int("msg_qbytes", qbytes, bytes + QBYTES_SLACK))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_queue(id, bytes, &qbytes))
		return 1;
	/* the msgmax message is exactly that long: one byte less of room is E2BIG, and it stays */
	if (msgrcv(id, &m, msgmax - 1, 7, IPC_NOWAIT) != -1 || errno != E2BIG)
		return fail_errno("msgrcv(type 7, %d bytes of room), expected E2BIG", msgmax - 1);
	for (size_t r = 0; r < sizeof(reads) / sizeof(reads[0]); r++)
		if (expect_message(id, reads[r].type, reads[r].flags, reads[r].i))
			return 1;
	if (msgrcv(id, &m, MAXMAX, 0, IPC_NOWAIT) != -1 || errno != ENOMSG)
		return fail_errno("msgrcv on the drained queue, expected ENOMSG");
	/* as found right after C/R */
	if (expect_int("msg_qbytes", qbytes, bytes + QBYTES_SLACK))
		return 1;
	return pass();
}
