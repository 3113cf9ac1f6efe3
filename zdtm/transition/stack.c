#include "zdtm.h"

ZDTM_TEST(.doc = "a loop keeps a pattern in the 128-byte red zone below its stack pointer and checks it without a call: C/R (the parasite) must not write below the task's stack pointer",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "transition");

#if !defined(__x86_64__)
int main(int argc, char **argv)
{
	test_init(argc, argv);
	return skip("x86_64 only");
}
#else

#define SPINS 4000000UL        /* a few hundred ms a round: most dumps land inside one */

/* Fills the 16 quadwords below %rsp (the red zone) with pattern ^ index, then re-reads them SPINS
 * times; no call, no push. Returns how many quadword reads differed. */
static unsigned long redzone_spin(unsigned long pattern)
{
	unsigned long bad = 0, spins = SPINS, tmp;

	asm volatile("lea -128(%%rsp), %%rdi\n\t"
		     "xor %%ecx, %%ecx\n"
		     "1:\n\t"
		     "mov %[pat], %[tmp]\n\t"
		     "xor %%rcx, %[tmp]\n\t"
		     "mov %[tmp], (%%rdi,%%rcx,8)\n\t"
		     "inc %%ecx\n\t"
		     "cmp $16, %%ecx\n\t"
		     "jne 1b\n"
		     "2:\n\t"
		     "xor %%ecx, %%ecx\n"
		     "3:\n\t"
		     "mov %[pat], %[tmp]\n\t"
		     "xor %%rcx, %[tmp]\n\t"
		     "cmp %[tmp], (%%rdi,%%rcx,8)\n\t"
		     "je 4f\n\t"
		     "inc %[bad]\n"
		     "4:\n\t"
		     "inc %%ecx\n\t"
		     "cmp $16, %%ecx\n\t"
		     "jne 3b\n\t"
		     "dec %[spins]\n\t"
		     "jnz 2b\n"
		     : [bad] "+r"(bad), [spins] "+r"(spins), [tmp] "=&r"(tmp)
		     : [pat] "r"(pattern)
		     : "rcx", "rdi", "memory", "cc");
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long bad = 0, rounds = 0;

	test_init(argc, argv);

	test_daemon();
	while (test_go() && !bad)
		bad = redzone_spin(0x5a5aa5a5deadbeefUL ^ rounds++);
	test_waitsig();

	if (bad)
		return fail("%lu red-zone quadwords below the stack pointer changed in round %lu", bad, rounds);
	test_msg("%lu rounds", rounds);
	return pass();
}
#endif
