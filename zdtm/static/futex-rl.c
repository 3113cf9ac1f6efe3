#include <linux/futex.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "each thread's robust futex list head and length (glibc's in two threads, one set with set_robust_list in a third) are unchanged, seen by the thread and by tid",
	  .flavors = ZDTM_ALL_FLAVORS);

enum { MAIN, GLIBC, OWN, NTHREADS };
static const char *names[NTHREADS] = { "the main thread", "a plain thread", "a thread with its own head" };

/* What each thread had before C/R (the kernel takes only len == sizeof(struct robust_list_head)). */
static struct {
	pid_t tid;
	void *head;
	size_t len;
} seen[NTHREADS];
static struct robust_list_head own = { .list.next = &own.list };
#define OWN_LEN (sizeof(own))
static struct zdtm_waiter *w;   /* NTHREADS - 1: threads recorded; NTHREADS: C/R over */
static char *finding;

static int get(pid_t tid, void **head, size_t *len)
{
	return syscall(SYS_get_robust_list, tid, head, len);
}

/* Thread i's own view now against what it recorded; 1 with a finding if they differ. */
static int check_self(int i, const char *when)
{
	void *head = NULL;
	size_t len = 0;

	if (get(0, &head, &len))
		return note(finding, "%s, %s: get_robust_list: %s", names[i], when, strerror(errno));
	if (head != seen[i].head || len != seen[i].len)
		return note(finding, "%s, %s: robust list head %p len %zu, expected %p len %zu", names[i], when, head,
			    len, seen[i].head, seen[i].len);
	return 0;
}

static void *thread(void *arg)
{
	int i = (int)(long)arg;

	if (i == OWN && syscall(SYS_set_robust_list, &own, OWN_LEN))
		note(finding, "set_robust_list: %s", strerror(errno));
	seen[i].tid = gettid();
	get(0, &seen[i].head, &seen[i].len);
	waiter_post(w, i);   /* threads start one after another: stages 1, 2 */
	waiter_wait(w, NTHREADS);
	check_self(i, "after C/R");
	return NULL;
}

/* The main thread reads every thread's head by tid. */
static int check_by_tid(const char *when, char *out)
{
	void *head;
	size_t len;

	for (int i = 0; i < NTHREADS; i++)
		if (get(seen[i].tid, &head, &len) || head != seen[i].head || len != seen[i].len)
			return note(out, "%s: get_robust_list(tid of %s) gives %p len %zu, expected %p len %zu", when,
				    names[i], head, len, seen[i].head, seen[i].len);
	return 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "";
	pthread_t th[NTHREADS];

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding)
		return fail_errno("mmap a shared buffer for the threads' finding");
	seen[MAIN].tid = gettid();
	get(0, &seen[MAIN].head, &seen[MAIN].len);
	for (long i = 1; i < NTHREADS; i++) {
		if (pthread_create(&th[i], NULL, thread, (void *)i))
			return fail("pthread_create");
		waiter_wait(w, i);
	}
	if (finding[0])
		return fail("%s", finding);
	if (seen[OWN].head != &own || seen[OWN].len != OWN_LEN || seen[GLIBC].head == seen[MAIN].head)
		return fail("robust list heads before C/R: main %p, plain %p, own %p len %zu: not three distinct ones",
			    seen[MAIN].head, seen[GLIBC].head, seen[OWN].head, seen[OWN].len);
	if (check_by_tid("before C/R", problem))
		return fail("%s", problem);

	test_daemon();
	test_waitsig();

	check_by_tid("after C/R", problem);
	check_self(MAIN, "after C/R");
	waiter_post(w, NTHREADS);
	for (int i = 1; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	return expect_clean_end(finding, problem, 0) ? 1 : pass();
}
