#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "SysV semaphores with SEM_UNDO adjustments held by the test and a child, and a child blocked in semop",
	  .flavors = ZDTM_NS_FLAVORS);

/*
 * sem 0 and 1: the undo child took 3 from sem 0 and gave 4 to sem 1 with SEM_UNDO; its exit
 *              after C/R must give them back.
 * sem 2:       the test added 30000 with SEM_UNDO and took it back without: the value is 0, the
 *              test's semadj is -30000. A semadj stays within [-32768, 32767], so now +2768 with
 *              SEM_UNDO fits and +2769 fails with ERANGE: that reads the test's semadj.
 * sem 3:       0, a waiting child blocks in semop(-1): GETNCNT 1.
 */
#define NSEMS 4
#define ADJ 30000
#define FITS (32768 - ADJ)   /* the largest +op with SEM_UNDO that a semadj of -ADJ allows */

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int id;
static pid_t undoer, waiter;
static struct zdtm_waiter *w;   /* 1: the undo child made its changes, 2: C/R over, exit */

static int sem_op(int num, int op, int flags)
{
	struct sembuf sb = { .sem_num = num, .sem_op = op, .sem_flg = flags };

	return semop(id, &sb, 1);
}

static void undo_child(void)
{
	struct sembuf ops[] = { { 0, -3, SEM_UNDO }, { 1, 4, SEM_UNDO } };

	if (semop(id, ops, 2))
		_exit(1);
	waiter_post(w, 1);
	waiter_wait(w, 2);
	_exit(0);   /* the kernel undoes: sem 0 += 3, sem 1 -= 4 */
}

/* A blocked semop returns EINTR once the task is stopped and resumed, as by the dump's freeze
 * (signal(7): "Interruption of system calls ... by stop signals"); a real program retries. */
static void waiting_child(void)
{
	while (sem_op(3, -1, 0))
		if (errno != EINTR)
			_exit(1);
	_exit(0);
}

static int expect_values(const char *when, const unsigned short *want)
{
	unsigned short v[NSEMS];

	if (semctl(id, 0, GETALL, (union semun){ .array = v }))
		return fail_errno("semctl(GETALL)");
	for (int i = 0; i < NSEMS; i++)
		if (v[i] != want[i])
			return fail("%s: semaphore %d is %u, expected %u", when, i, v[i], want[i]);
	return 0;
}

/* GETNCNT of sem 3 becomes 1 within 5 s (the waiter re-enters semop after restore). */
static int expect_ncnt(void)
{
	int n = -1;

	for (int i = 0; i < 500 && n != 1; i++, usleep(10000))
		n = semctl(id, 3, GETNCNT);
	return expect_int("GETNCNT of semaphore 3 (a child blocked in semop)", n, 1);
}

static int expect_state(void)
{
	static const unsigned short held[NSEMS] = { 7, 9, 0, 0 };

	return expect_values("undo held", held) || expect_ncnt();
}

/* The last semop on sem 0 was the undo child's, on sem 2 the test's. */
static int expect_pids(int pid0, int pid2, pid_t child)
{
	return expect_int("GETPID of semaphore 0", pid0, child) ||
	       expect_int("GETPID of semaphore 2", pid2, getpid());
}

/* Ends both children; sem 3 wakes the waiter, the waiter post lets the undo child exit. */
static int end_children(int ret)
{
	int status;

	waiter_post(w, 2);
	if (sem_op(3, 1, 0))
		kill(waiter, SIGKILL);
	if (undoer && (waitpid(undoer, &status, 0) != undoer || status))
		ret = ret ?: fail("undo child ended with status %#x, expected exit 0", status);
	if (waitpid(waiter, &status, 0) != waiter || status)
		ret = ret ?: fail("waiting child ended with status %#x, expected exit 0", status);
	return ret;
}

static int check_after(void)
{
	static const unsigned short undone[NSEMS] = { 10, 5, FITS, 0 };
	/* read now, checked last: the semops below change them */
	int pid0 = semctl(id, 0, GETPID), pid2 = semctl(id, 2, GETPID), status;
	pid_t child = undoer;

	if (expect_state())
		return 1;
	if (sem_op(2, FITS + 1, SEM_UNDO | IPC_NOWAIT) == 0)
		return fail("semop(sem 2, +%d, SEM_UNDO) succeeded, expected ERANGE: the test's semadj -%d is lost",
			    FITS + 1, ADJ);
	if (errno != ERANGE)
		return fail_errno("semop(sem 2, +%d, SEM_UNDO), expected ERANGE", FITS + 1);
	if (sem_op(2, FITS, SEM_UNDO | IPC_NOWAIT))
		return fail_errno("semop(sem 2, +%d, SEM_UNDO), expected it within the semadj range", FITS);
	/* the undo child exits: its semadj goes back into sem 0 and 1 */
	waiter_post(w, 2);
	if (waitpid(undoer, &status, 0) != undoer || status)
		return fail("undo child ended with status %#x, expected exit 0", status);
	undoer = 0;
	if (expect_values("after the undo child exited", undone))
		return 1;
	return expect_pids(pid0, pid2, child);
}

int main(int argc, char **argv)
{
	unsigned short init[NSEMS] = { 10, 5, 0, 0 };
	int ret;

	test_init(argc, argv);
	w = waiter_new();
	id = semget(IPC_PRIVATE, NSEMS, IPC_CREAT | 0600);
	if (id < 0 || semctl(id, 0, SETALL, (union semun){ .array = init }))
		return fail_errno("semget/SETALL");
	if (sem_op(2, ADJ, SEM_UNDO) || sem_op(2, -ADJ, 0))
		return fail_errno("semop(sem 2)");
	undoer = fork();
	if (undoer == 0)
		undo_child();
	waiter = fork();
	if (waiter == 0)
		waiting_child();
	if (undoer < 0 || waiter < 0)
		return fail_errno("fork");
	waiter_wait(w, 1);
	ret = expect_state() || expect_pids(semctl(id, 0, GETPID), semctl(id, 2, GETPID), undoer);
	if (ret)
		return end_children(ret);

	test_daemon();
	test_waitsig();

	return end_children(check_after()) ?: pass();
}
