#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "/proc/self/exe of the process and of each of its threads names the test's binary (same path, same inode)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define THREADS 3

static pid_t tids[THREADS];
static struct zdtm_waiter *done;

static void *thread(void *arg)
{
	tids[(long)arg] = syscall(SYS_gettid);
	waiter_wait(done, 1);
	return NULL;
}

/* /proc/self/task/TID/exe names `path` and is the file `want`. */
static int check_exe(pid_t tid, const char *path, const struct stat *want)
{
	char link[64], name[4096];
	struct stat st;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/task/%d/exe", tid);
	n = readlink(link, name, sizeof(name) - 1);
	if (n < 0 || stat(link, &st))
		return fail_errno("%s", link);
	name[n] = 0;
	if (strcmp(name, path))
		return fail("%s is \"%s\", expected \"%s\"", link, name, path);
	if (st.st_dev != want->st_dev || st.st_ino != want->st_ino)
		return fail("%s is inode %lu on %lx, expected %lu on %lx", link, (unsigned long)st.st_ino,
			    (unsigned long)st.st_dev, (unsigned long)want->st_ino, (unsigned long)want->st_dev);
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096];
	pthread_t th[THREADS];
	struct stat want;
	ssize_t n;

	test_init(argc, argv);
	done = waiter_new();
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n < 0 || stat("/proc/self/exe", &want))
		return fail_errno("/proc/self/exe");
	path[n] = 0;
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], NULL, thread, (void *)i))
			return fail("pthread_create");
	for (int i = 0; i < THREADS; i++)
		while (!__atomic_load_n(&tids[i], __ATOMIC_SEQ_CST))
			usleep(1000);

	test_daemon();
	test_waitsig();

	if (check_exe(getpid(), path, &want))
		return 1;
	for (int i = 0; i < THREADS; i++)
		if (check_exe(tids[i], path, &want))
			return 1;
	waiter_post(done, 1);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	return pass();
}
