#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two producers pass CRC-stamped messages through a SysV queue to the main process, a SysV semaphore counts them",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#define PRODUCERS 2
#define MAXDATA 600             /* payload lengths vary: a swap or a cut is visible */
#define PATIENCE 5000           /* 1 ms naps with an empty queue before it is a finding */
#define LAST 0xffffffffu        /* seq of a producer's final message: data holds its count */

/* Producer p sends mtype p + 1; its message n carries seq n and datagen(p << 24 | n). */
struct message {
	long mtype;
	uint32_t seq;
	uint32_t len;
	char data[MAXDATA];
};

static struct shared {
	_Atomic int stop;               /* main: send your last message */
	char report[PRODUCERS][160];    /* a producer's finding */
} *sh;

static size_t msg_len(uint32_t n)
{
	return 8 + 4 + (n * 37) % (MAXDATA - 4);
}

static int sem_add(int semid, int delta, int flags)
{
	struct sembuf op = { .sem_num = 0, .sem_op = delta, .sem_flg = flags };
	int ret;

	while ((ret = semop(semid, &op, 1)) && errno == EINTR)
		;
	return ret;
}

/* Counts on the semaphore first, then sends: the semaphore is never below the queue's count. */
static void producer(int p, int qid, int semid)
{
	struct message m = { .mtype = p + 1 };
	uint32_t n = 0;
	int ret;

	do {
		m.seq = n;
		m.len = msg_len(n) - 8;
		datagen(m.data, m.len, (uint32_t)p << 24 | n);
		if (sem_add(semid, 1, 0)) {
			snprintf(sh->report[p], sizeof(sh->report[p]), "semop +1 for message %u: errno %d", n, errno);
			_exit(1);
		}
		while ((ret = msgsnd(qid, &m, msg_len(n), 0)) && errno == EINTR)
			;
		if (ret) {
			snprintf(sh->report[p], sizeof(sh->report[p]), "msgsnd of message %u: errno %d", n, errno);
			_exit(1);
		}
		n++;
	} while (!sh->stop);
	m.seq = LAST;
	m.len = sizeof(n);
	memcpy(m.data, &n, sizeof(n));
	while ((ret = msgsnd(qid, &m, 8 + sizeof(n), 0)) && errno == EINTR)
		;
	_exit(ret != 0);
}

/* One message, any producer's: its seq is that producer's next, its data intact. 1 on a finding. */
static int receive(int qid, int semid, uint32_t *next, int *done, char *problem, size_t plen)
{
	static char want[MAXDATA];
	struct message m;
	ssize_t got;
	int p, naps = 0;

	while ((got = msgrcv(qid, &m, sizeof(m) - sizeof(long), 0, IPC_NOWAIT)) < 0 &&
	       (errno == EINTR || errno == ENOMSG) && naps++ < PATIENCE)
		usleep(1000);
	if (got < 0)
		return snprintf(problem, plen, "msgrcv after %u and %u messages: errno %d", next[0], next[1], errno);
	p = m.mtype - 1;
	if (p < 0 || p >= PRODUCERS || done[p])
		return snprintf(problem, plen, "message of type %ld, expected 1..%d of a running producer",
				m.mtype, PRODUCERS);
	if (m.seq == LAST) {
		uint32_t count;

		done[p] = 1;
		memcpy(&count, m.data, sizeof(count));
		if (got != 8 + sizeof(count) || count != next[p])
			return snprintf(problem, plen, "producer %d's last message: %zd bytes, count %u, "
					"expected 12 bytes, count %u", p, got, count, next[p]);
		return 0;
	}
	datagen(want, msg_len(next[p]) - 8, (uint32_t)p << 24 | next[p]);
	if (m.seq != next[p] || (size_t)got != msg_len(next[p]))
		return snprintf(problem, plen, "producer %d: message %u of %zd bytes, expected message %u of %zu bytes",
				p, m.seq, got, next[p], msg_len(next[p]));
	if (memcmp(m.data, want, m.len))
		return snprintf(problem, plen, "producer %d: message %u holds other bytes (CRC stamp %s)", p, m.seq,
				datachk(m.data, m.len) ? "intact: another message" : "broken");
	if (sem_add(semid, -1, IPC_NOWAIT))
		return snprintf(problem, plen, "semaphore is 0 with producer %d's message %u received: errno %d",
				p, m.seq, errno);
	next[p]++;
	return 0;
}

/* The queue is empty and the semaphore is back to 0. */
static int expect_empty(int qid, int semid)
{
	struct msqid_ds ds;

	if (msgctl(qid, IPC_STAT, &ds))
		return fail_errno("msgctl IPC_STAT");
	if (expect_int("messages left in the queue", ds.msg_qnum, 0))
		return 1;
	return expect_int("semaphore value", semctl(semid, 0, GETVAL), 0);
}

int main(int argc, char **argv)
{
	char problem[400] = "";
	uint32_t next[PRODUCERS] = { 0 };
	int qid, semid, status, done[PRODUCERS] = { 0 }, ret = 0;
	pid_t pids[PRODUCERS];

	test_init(argc, argv);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return fail_errno("mmap");
	qid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	semid = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (qid < 0 || semid < 0)
		return fail_errno("msgget/semget");
	for (int p = 0; p < PRODUCERS; p++) {
		pids[p] = fork();
		if (pids[p] < 0)
			return fail_errno("fork");
		if (pids[p] == 0)
			producer(p, qid, semid);
	}

	test_daemon();
	/* At least a few messages each, even when SIGTERM comes at once (--nocr). */
	while ((test_go() || next[0] < 4 || next[1] < 4) && !problem[0])
		receive(qid, semid, next, done, problem, sizeof(problem));
	sh->stop = 1;
	while (!problem[0] && !(done[0] && done[1]))
		receive(qid, semid, next, done, problem, sizeof(problem));
	for (int p = 0; p < PRODUCERS; p++) {
		if (problem[0])
			kill(pids[p], SIGKILL);
		if (waitpid(pids[p], &status, 0) != pids[p])
			return fail_errno("waitpid");
		/* a producer's own finding is the cause: the main process then waited in vain */
		if (sh->report[p][0] || (status && !problem[0]))
			snprintf(problem, sizeof(problem), "producer %d ended with wait status 0x%x, expected 0: %s",
				 p, status, sh->report[p]);
	}
	test_waitsig();

	if (problem[0])
		ret = fail("%s", problem);
	else if (!(ret = expect_empty(qid, semid)))
		test_msg("%u + %u messages passed", next[0], next[1]);
	msgctl(qid, IPC_RMID, NULL);
	semctl(semid, 0, IPC_RMID);
	return ret ? ret : pass();
}
