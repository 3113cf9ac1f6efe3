#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a SysV message queue with five messages of three types: mode, counts, each message by type",
	  .flavors = ZDTM_NS_FLAVORS);

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

#define MSG_KEY 0x5a4d0003
#define MSG_MODE 0620
#define MAXLEN 1000

struct message {
	long mtype;
	char mtext[MAXLEN];
};

/* In queue order; lengths differ so that a swap is visible. */
static const struct {
	long type;
	size_t len;
} queued[] = { { 3, 100 }, { 1, 1000 }, { 2, 17 }, { 1, 300 }, { 3, 4 } };
#define NMSG (sizeof(queued) / sizeof(queued[0]))

static void fill(struct message *m, size_t i)
{
	m->mtype = queued[i].type;
	datagen(m->mtext, queued[i].len, 100 + i);
}

static int expect_queue(int id, size_t bytes)
{
	struct msqid_ds ds;

	if (msgctl(id, IPC_STAT, &ds))
		return fail_errno("msgctl(%d, IPC_STAT)", id);
	if (expect_int("queue key", ds.msg_perm.__key, MSG_KEY) ||
	    expect_int("msgget(key) id", msgget(MSG_KEY, 0), id) ||
	    expect_int("messages queued", ds.msg_qnum, NMSG) ||
	    expect_int("bytes queued", ds.__msg_cbytes, bytes))
		return 1;
	if ((ds.msg_perm.mode & 0777) != MSG_MODE)
		return fail("queue mode 0%o, expected 0%o", ds.msg_perm.mode & 0777, MSG_MODE);
	return 0;
}

/* msgrcv(type, flags) returns message i of the queued ones. */
static int expect_message(int id, long type, int flags, size_t i)
{
	static struct message want, got;
	const char *how = flags & MSG_COPY ? "MSG_COPY position" : "type";
	ssize_t n;

	fill(&want, i);
	n = msgrcv(id, &got, MAXLEN, type, IPC_NOWAIT | flags);
	if (n < 0)
		return fail_errno("msgrcv(%s %ld), expected message %zu", how, type, i);
	if (got.mtype != want.mtype || (size_t)n != queued[i].len)
		return fail("msgrcv(%s %ld): type %ld, %zd bytes, expected message %zu: type %ld, %zu bytes",
			    how, type, got.mtype, n, i, want.mtype, queued[i].len);
	return expect_bytes("message text", got.mtext, want.mtext, n);
}

int main(int argc, char **argv)
{
	static struct message m;
	size_t bytes = 0;
	int id;

	test_init(argc, argv);
	id = msgget(MSG_KEY, IPC_CREAT | IPC_EXCL | MSG_MODE);
	if (id < 0)
		return fail_errno("msgget");
	for (size_t i = 0; i < NMSG; i++) {
		fill(&m, i);
		if (msgsnd(id, &m, queued[i].len, IPC_NOWAIT))
			return fail_errno("msgsnd %zu", i);
		bytes += queued[i].len;
	}
	if (expect_queue(id, bytes))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_queue(id, bytes))
		return 1;
	/* MSG_COPY peeks at position i: the queue order */
	for (size_t i = 0; i < NMSG; i++)
		if (expect_message(id, i, MSG_COPY, i))
			return 1;
	/* type 1 first (in order), then the lowest type <= 2, then whatever is first */
	if (expect_message(id, 1, 0, 1) || expect_message(id, 1, 0, 3) || expect_message(id, -2, 0, 2) ||
	    expect_message(id, 0, 0, 0) || expect_message(id, 0, 0, 4))
		return 1;
	if (msgrcv(id, &m, MAXLEN, 0, IPC_NOWAIT) != -1 || errno != ENOMSG)
		return fail_errno("msgrcv on the drained queue, expected ENOMSG");
	return pass();
}
