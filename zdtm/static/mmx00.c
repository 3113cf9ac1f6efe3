#include <string.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the eight MMX registers hold the values loaded before C/R (the x87 stack in MMX use, all tags valid)",
	  .flavors = ZDTM_ALL_FLAVORS);

#if !defined(__x86_64__)
int main(int argc, char **argv)
{
	test_init(argc, argv);
	return skip("x86_64 only");
}
#else

/* Nothing between the load and the store touches the x87/MMX registers: the compiler uses SSE for
 * floating point on x86-64, and test_daemon()/test_waitsig() do no long double arithmetic. */
static void mmx_load(const unsigned long long *v)
{
	asm volatile("movq 0(%0), %%mm0\n\tmovq 8(%0), %%mm1\n\tmovq 16(%0), %%mm2\n\tmovq 24(%0), %%mm3\n\t"
		     "movq 32(%0), %%mm4\n\tmovq 40(%0), %%mm5\n\tmovq 48(%0), %%mm6\n\tmovq 56(%0), %%mm7"
		     : : "r"(v) : "memory");
}

static void mmx_store(unsigned long long *v)
{
	asm volatile("movq %%mm0, 0(%0)\n\tmovq %%mm1, 8(%0)\n\tmovq %%mm2, 16(%0)\n\tmovq %%mm3, 24(%0)\n\t"
		     "movq %%mm4, 32(%0)\n\tmovq %%mm5, 40(%0)\n\tmovq %%mm6, 48(%0)\n\tmovq %%mm7, 56(%0)\n\temms"
		     : : "r"(v) : "memory");
}

int main(int argc, char **argv)
{
	unsigned long long want[8], got[8];

	test_init(argc, argv);
	for (int i = 0; i < 8; i++)
		want[i] = 0x0123456789abcdefULL * (i + 3) ^ (0x5a5aULL << (i * 7));
	mmx_load(want);

	test_daemon();
	test_waitsig();

	mmx_store(got);
	for (int i = 0; i < 8; i++)
		if (got[i] != want[i])
			return fail("mm%d is %#llx, expected %#llx", i, got[i], want[i]);
	return pass();
}
#endif
