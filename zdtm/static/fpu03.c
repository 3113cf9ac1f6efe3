#include <pthread.h>
#include <string.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a thread other than the main one holds eight values on its x87 register stack (and a control word of its own) across C/R",
	  .flavors = ZDTM_ALL_FLAVORS);

#if !defined(__x86_64__)
int main(int argc, char **argv)
{
	test_init(argc, argv);
	return skip("x86_64 only");
}
#else

#define FPU_CW 0x0c7f           /* all exceptions masked, 64-bit precision, round toward zero */

static struct zdtm_waiter *w;   /* 1: the stack is loaded; 2: C/R is over */
static long double want[8], got[8];
static unsigned short cw_got;

static void *thread(void *arg)
{
	unsigned short cw = FPU_CW;

	(void)arg;
	asm volatile("fninit\n\tfldcw %0" : : "m"(cw));
	for (int i = 7; i >= 0; i--)    /* st(0) ends up as want[0] */
		asm volatile("fldt %0" : : "m"(want[i]));
	waiter_post(w, 1);
	waiter_wait(w, 2);              /* futex waits: no x87 code */
	for (int i = 0; i < 8; i++)
		asm volatile("fstpt %0" : "=m"(got[i]));
	asm volatile("fnstcw %0" : "=m"(cw_got));
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;

	test_init(argc, argv);
	w = waiter_new();
	for (int i = 0; i < 8; i++)
		want[i] = (long double)(i + 1) / 7.0L + i * 1e300L;
	if (pthread_create(&th, NULL, thread, NULL))
		return fail("pthread_create");
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	pthread_join(th, NULL);
	if (expect_int("the thread's x87 control word", cw_got, FPU_CW))
		return 1;
	for (int i = 0; i < 8; i++)
		if (memcmp(&got[i], &want[i], 10))
			return fail("the thread's st(%d) is %La, expected %La", i, got[i], want[i]);
	return pass();
}
#endif
