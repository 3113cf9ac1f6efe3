#include <sys/ipc.h>
#include <sys/sem.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a SysV semaphore set of five semaphores: key, id, mode, count, every value, still usable",
	  .flavors = ZDTM_NS_FLAVORS);

#define SEM_KEY 0x5a4d0002
#define SEM_MODE 0604
#define NSEMS 5

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static unsigned short values[NSEMS] = { 0, 1, 7, 42, 32767 };

/* The set has the same key, mode, size and values. */
static int expect_set(int id)
{
	unsigned short found[NSEMS] = { 0 };
	struct semid_ds ds;
	union semun arg = { .buf = &ds };

	if (semctl(id, 0, IPC_STAT, arg))
		return fail_errno("semctl(%d, IPC_STAT)", id);
	if (expect_int("set key", ds.sem_perm.__key, SEM_KEY) ||
	    expect_int("number of semaphores", ds.sem_nsems, NSEMS) ||
	    expect_int("semget(key) id", semget(SEM_KEY, 0, 0), id))
		return 1;
	if ((ds.sem_perm.mode & 0777) != SEM_MODE)
		return fail("set mode 0%o, expected 0%o", ds.sem_perm.mode & 0777, SEM_MODE);
	arg.array = found;
	if (semctl(id, 0, GETALL, arg))
		return fail_errno("semctl(GETALL)");
	for (int i = 0; i < NSEMS; i++)
		if (found[i] != values[i])
			return fail("semaphore %d is %u, expected %u", i, found[i], values[i]);
	return 0;
}

int main(int argc, char **argv)
{
	struct sembuf take = { .sem_num = 3, .sem_op = -2, .sem_flg = IPC_NOWAIT };
	struct sembuf zero = { .sem_num = 0, .sem_op = -1, .sem_flg = IPC_NOWAIT };
	union semun arg = { .array = values };
	int id;

	test_init(argc, argv);
	id = semget(SEM_KEY, NSEMS, IPC_CREAT | IPC_EXCL | SEM_MODE);
	if (id < 0)
		return fail_errno("semget");
	if (semctl(id, 0, SETALL, arg))
		return fail_errno("semctl(SETALL)");
	if (expect_set(id))
		return 1;

	test_daemon();
	test_waitsig();

	if (expect_set(id))
		return 1;
	/* the set still works: 42 - 2, and 0 cannot be taken */
	if (semop(id, &take, 1))
		return fail_errno("semop(sem 3, -2) after C/R");
	if (expect_int("semaphore 3 after taking 2", semctl(id, 3, GETVAL), 40))
		return 1;
	if (semop(id, &zero, 1) != -1 || errno != EAGAIN)
		return fail_errno("semop(sem 0, -1) after C/R, expected EAGAIN");
	return pass();
}
