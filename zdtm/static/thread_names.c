#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the main thread and three threads each with its own comm name, same tids",
	  .flavors = ZDTM_ALL_FLAVORS);

#define NTHREADS 3

/* Index 0 is the main thread. Names use the full 15 bytes, spaces and punctuation. */
static const char *const names[NTHREADS + 1] = { "tn main:renamed", "worker one", "w2", "fifteen-chars-x" };

static struct {
	pthread_t thread;
	pid_t tid;
} slots[NTHREADS + 1];

static pthread_barrier_t named;
static struct zdtm_waiter *w;   /* 1: checks done, end */

/* Workers name themselves (PR_SET_NAME acts on the calling thread), except NAMED_BY_MAIN. */
#define NAMED_BY_MAIN 2

static void *worker(void *arg)
{
	int i = (int)(intptr_t)arg;

	slots[i].tid = gettid();
	if (i != NAMED_BY_MAIN)
		prctl(PR_SET_NAME, names[i], 0, 0, 0);
	pthread_barrier_wait(&named);
	waiter_wait(w, 1);
	return NULL;
}

static int check_comm(int i, const char *when)
{
	char path[64], comm[32] = "";
	int fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", slots[i].tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail_errno("%s: open %s (thread %d)", when, path, i);
	n = read_all(fd, comm, sizeof(comm) - 1);
	close(fd);
	comm[n > 0 ? n : 0] = 0;
	if (n > 0 && comm[n - 1] == '\n')
		comm[n - 1] = 0;
	if (strcmp(comm, names[i]))
		return fail("%s: thread %d (tid %d) comm \"%s\", expected \"%s\"", when, i, slots[i].tid,
			    comm, names[i]);
	return 0;
}

/* /proc/self/task holds exactly these tids, and each has its name. */
static int check_all(const char *when)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0, known = 0;

	if (!d)
		return fail_errno("opendir /proc/self/task");
	while ((de = readdir(d))) {
		pid_t tid = atoi(de->d_name);

		if (tid <= 0)
			continue;
		n++;
		for (int i = 0; i <= NTHREADS; i++)
			known += tid == slots[i].tid;
	}
	closedir(d);
	if (n != NTHREADS + 1 || known != n)
		return fail("%s: /proc/self/task lists %d threads, %d of them known, expected %d and %d", when,
			    n, known, NTHREADS + 1, NTHREADS + 1);
	for (int i = 0; i <= NTHREADS; i++)
		if (check_comm(i, when))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	test_init(argc, argv);
	w = waiter_new();
	slots[0].tid = gettid();
	if (prctl(PR_SET_NAME, names[0], 0, 0, 0))
		return fail_errno("PR_SET_NAME");
	pthread_barrier_init(&named, NULL, NTHREADS + 1);
	for (int i = 1; i <= NTHREADS; i++)
		if ((errno = pthread_create(&slots[i].thread, NULL, worker, (void *)(intptr_t)i)))
			return fail_errno("pthread_create");
	/* another thread's name, set from outside: glibc writes /proc/self/task/TID/comm */
	if ((errno = pthread_setname_np(slots[NAMED_BY_MAIN].thread, names[NAMED_BY_MAIN])))
		return fail_errno("pthread_setname_np");
	pthread_barrier_wait(&named);
	ret = check_all("before C/R");

	if (!ret) {
		test_daemon();
		test_waitsig();
		ret = check_all("after C/R");
	}

	waiter_post(w, 1);
	for (int i = 1; i <= NTHREADS; i++)
		pthread_join(slots[i].thread, NULL);
	return ret ?: pass();
}
