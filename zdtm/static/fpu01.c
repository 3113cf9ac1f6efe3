#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two threads spin with all 16 AVX ymm registers live (distinct full 256-bit values): every bit survives",
	  .flavors = ZDTM_ALL_FLAVORS);

#if !defined(__x86_64__)
int main(int argc, char **argv)
{
	test_init(argc, argv);
	return skip("x86_64 only");
}
#else

#define NTHREADS 2
#define NREGS 16
#define REG 32   /* bytes in a ymm register */

struct spinner {
	pthread_t thread;
	uint8_t in[NREGS][REG] __attribute__((aligned(32)));
	uint8_t out[NREGS][REG] __attribute__((aligned(32)));
	volatile int loaded;   /* set by the thread once its registers hold `in` */
};

static struct spinner spinners[NTHREADS];
static volatile int stop;   /* set by the main thread after C/R */

/*
 * Everything between loading and storing the registers is in one asm block, so
 * no compiled code (and no call: the ABI lets callees clobber ymm) runs while
 * they are live. The loop touches only general registers and memory.
 */
#define LOAD(n) "vmovdqu " #n "*32(%[in]), %%ymm" #n "\n\t"
#define STORE(n) "vmovdqu %%ymm" #n ", " #n "*32(%[out])\n\t"
#define ALL(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

static void *spin(void *arg)
{
	struct spinner *s = arg;
	sigset_t all;

	/* No signal handler runs here: only C/R may stop this thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	asm volatile(ALL(LOAD)
		     "movl $1, %[loaded]\n\t"
		     "1: pause\n\t"
		     "cmpl $0, %[stop]\n\t"
		     "je 1b\n\t"
		     ALL(STORE)
		     "vzeroupper"
		     : [loaded] "=m"(s->loaded)
		     : [in] "r"(s->in), [out] "r"(s->out), [stop] "m"(stop)
		     : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
		       "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	return NULL;
}

static int check(int t)
{
	const struct spinner *s = &spinners[t];

	for (int r = 0; r < NREGS; r++)
		for (int b = 0; b < REG; b++)
			if (s->out[r][b] != s->in[r][b])
				return fail("thread %d: ymm%d byte %d (%s half) is %#x, expected %#x", t, r, b,
					    b < 16 ? "lower" : "upper", s->out[r][b], s->in[r][b]);
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 0;

	test_init(argc, argv);
	__builtin_cpu_init();
	if (!__builtin_cpu_supports("avx"))
		return skip("no AVX (or the kernel does not enable the ymm state)");
	for (int t = 0; t < NTHREADS; t++) {
		datagen(spinners[t].in, sizeof(spinners[t].in), t + 1);
		if ((errno = pthread_create(&spinners[t].thread, NULL, spin, &spinners[t])))
			return fail_errno("pthread_create");
	}
	for (int t = 0; t < NTHREADS; t++)
		while (!spinners[t].loaded)
			;

	test_daemon();
	test_waitsig();

	stop = 1;
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(spinners[t].thread, NULL);
	for (int t = 0; t < NTHREADS && !ret; t++)
		ret = check(t);
	return ret ?: pass();
}
#endif
