#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "two threads wait in a futex with all 32 AVX-512 zmm registers and the 8 opmask registers live (distinct values): every bit survives",
	  .flavors = ZDTM_ALL_FLAVORS);

#if !defined(__x86_64__)
int main(int argc, char **argv)
{
	test_init(argc, argv);
	return skip("x86_64 only");
}
#else

#define NTHREADS 2
#define NZMM 32
#define ZMM 64   /* bytes in a zmm register */
#define NK 8     /* opmask registers, 64 bits each with AVX512BW */

struct waiter_regs {
	pthread_t thread;
	uint8_t in[NZMM][ZMM] __attribute__((aligned(64)));
	uint8_t out[NZMM][ZMM] __attribute__((aligned(64)));
	uint64_t kin[NK], kout[NK];
	volatile int loaded;   /* set by the thread once its registers hold `in` */
};

static struct waiter_regs threads[NTHREADS];
static volatile int stop;   /* the futex word: set and woken by the main thread after C/R */

/*
 * Loading, waiting and storing are one asm block: no compiled code runs while the registers are
 * live (the ABI lets any call clobber them, and glibc's string functions use zmm16-31). The wait
 * is a FUTEX_WAIT on `stop`: a syscall preserves the whole extended state, and the threads burn
 * no CPU while they are dumped.
 */
#define LOADZ(n) "vmovdqu64 " #n "*64(%[in]), %%zmm" #n "\n\t"
#define STOREZ(n) "vmovdqu64 %%zmm" #n ", " #n "*64(%[out])\n\t"
#define LOADK(n) "kmovq " #n "*8(%[kin]), %%k" #n "\n\t"
#define STOREK(n) "kmovq %%k" #n ", " #n "*8(%[kout])\n\t"
#define ZMMS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) \
	X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31)
#define KS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)

__attribute__((target("avx512f,avx512bw"))) static void *hold(void *arg)
{
	struct waiter_regs *s = arg;
	sigset_t all;

	/* No signal handler runs here: only C/R may stop this thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	asm volatile(ZMMS(LOADZ) KS(LOADK)
		     "movl $1, %[loaded]\n\t"
		     "1: cmpl $0, (%%rdi)\n\t"
		     "jne 2f\n\t"
		     "movl $202, %%eax\n\t"   /* SYS_futex (rdi: &stop, esi: op, edx: 0) */
		     "xorl %%r10d, %%r10d\n\t"
		     "syscall\n\t"
		     "jmp 1b\n\t"
		     "2:\n\t"
		     ZMMS(STOREZ) KS(STOREK)
		     "vzeroupper"
		     : [loaded] "=m"(s->loaded)
		     : [in] "r"(s->in), [out] "r"(s->out), [kin] "r"(s->kin), [kout] "r"(s->kout), "D"(&stop),
		       "S"(FUTEX_WAIT_PRIVATE), "d"(0)
		     : "memory", "rax", "rcx", "r10", "r11", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
		       "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15",
		       "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25",
		       "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31", "k0", "k1", "k2", "k3", "k4", "k5",
		       "k6", "k7");
	return NULL;
}

static int check(int t)
{
	const struct waiter_regs *s = &threads[t];

	for (int r = 0; r < NZMM; r++)
		for (int b = 0; b < ZMM; b++)
			if (s->out[r][b] != s->in[r][b])
				return fail("thread %d: zmm%d byte %d is %#x, expected %#x", t, r, b, s->out[r][b],
					    s->in[r][b]);
	for (int k = 0; k < NK; k++)
		if (s->kout[k] != s->kin[k])
			return fail("thread %d: k%d is %#llx, expected %#llx", t, k, (unsigned long long)s->kout[k],
				    (unsigned long long)s->kin[k]);
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 0;

	test_init(argc, argv);
	__builtin_cpu_init();
	if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw"))
		return skip("no AVX-512F and AVX-512BW on this CPU (or the kernel does not enable their state)");
	for (int t = 0; t < NTHREADS; t++) {
		datagen(threads[t].in, sizeof(threads[t].in), t + 1);
		datagen(threads[t].kin, sizeof(threads[t].kin), t + 11);
		if ((errno = pthread_create(&threads[t].thread, NULL, hold, &threads[t])))
			return fail_errno("pthread_create");
	}
	for (int t = 0; t < NTHREADS; t++)
		while (!threads[t].loaded)
			usleep(1000);

	test_daemon();
	test_waitsig();

	stop = 1;
	syscall(SYS_futex, &stop, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(threads[t].thread, NULL);
	for (int t = 0; t < NTHREADS && !ret; t++)
		ret = check(t);
	return ret ?: pass();
}
#endif
