#include <float.h>
#include <string.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "x87 control word (round toward zero) and MXCSR (round up, FTZ, DAZ) survive and still steer arithmetic",
	  .flavors = ZDTM_ALL_FLAVORS);

#if !defined(__x86_64__)
int main(int argc, char **argv)
{
	test_init(argc, argv);
	return skip("x86_64 only");
}
#else

/* x87: all exceptions masked, 64-bit precision, rounding control 11 = toward zero. */
#define FPU_CW 0x0f7f
/* SSE: all exceptions masked, FTZ (bit 15), rounding control 10 = up, DAZ (bit 6). */
#define MXCSR 0xdfc0
#define MXCSR_FLAGS 0x3f   /* sticky exception flags: not part of the state */

static unsigned short get_cw(void)
{
	unsigned short cw;

	asm volatile("fnstcw %0" : "=m"(cw) : : "memory");
	return cw;
}

static void set_cw(unsigned short cw)
{
	asm volatile("fldcw %0" : : "m"(cw) : "memory");
}

static unsigned get_mxcsr(void)
{
	unsigned m;

	asm volatile("stmxcsr %0" : "=m"(m) : : "memory");
	return m;
}

static void set_mxcsr(unsigned m)
{
	asm volatile("ldmxcsr %0" : : "m"(m) : "memory");
}

/* Results that depend on the current modes; volatile operands keep the compiler from folding them. */
static volatile long double ld_two = 2.0L, ld_three = 3.0L;
static volatile double d_one = 1.0, d_three = 3.0, d_min = DBL_MIN, d_quarter = 0.25;
static volatile double d_denormal = DBL_MIN / 4, d_unit = 1.0;

struct results {
	long double x87_div;   /* 2/3: toward zero differs from nearest; 10 bytes + padding */
	double sse_div;        /* 1/3: up differs from nearest */
	double sse_tiny;       /* DBL_MIN/4: zero with FTZ */
	double sse_denormal;   /* denormal * 1: zero with DAZ */
};

static __attribute__((noinline)) void compute(struct results *r)
{
	r->x87_div = ld_two / ld_three;
	r->sse_div = d_one / d_three;
	r->sse_tiny = d_min * d_quarter;
	r->sse_denormal = d_denormal * d_unit;
}

/* Bitwise, since under DAZ a denormal compares equal to zero. */
static bool same(const void *a, const void *b, size_t len)
{
	return !memcmp(a, b, len);
}

static int check_modes(const char *when, const struct results *want)
{
	static const double zero = 0.0;
	struct results now;
	unsigned short cw = get_cw();
	unsigned m = get_mxcsr();

	if (cw != FPU_CW)
		return fail("%s: x87 control word is %#x, expected %#x", when, cw, FPU_CW);
	if ((m & ~MXCSR_FLAGS) != MXCSR)
		return fail("%s: MXCSR is %#x (flags masked), expected %#x", when, m & ~MXCSR_FLAGS, MXCSR);
	compute(&now);
	if (!same(&now.x87_div, &want->x87_div, 10))
		return fail("%s: x87 2/3 is %La, expected %La (toward zero)", when, now.x87_div, want->x87_div);
	if (!same(&now.sse_div, &want->sse_div, sizeof(double)))
		return fail("%s: SSE 1/3 is %a, expected %a (rounded up)", when, now.sse_div, want->sse_div);
	if (!same(&now.sse_tiny, &zero, sizeof(double)) || !same(&now.sse_denormal, &zero, sizeof(double)))
		return fail("%s: DBL_MIN/4 is %a and denormal*1 is %a, expected 0 and 0 (FTZ, DAZ)",
			    when, now.sse_tiny, now.sse_denormal);
	return 0;
}

int main(int argc, char **argv)
{
	struct results nearest, want;

	test_init(argc, argv);
	compute(&nearest);
	set_cw(FPU_CW);
	set_mxcsr(MXCSR);
	compute(&want);
	/* The operands must tell the modes apart, or the checks below prove nothing. */
	if (same(&nearest.x87_div, &want.x87_div, 10) ||
	    same(&nearest.sse_div, &want.sse_div, sizeof(double)) ||
	    same(&nearest.sse_tiny, &want.sse_tiny, sizeof(double)) ||
	    same(&nearest.sse_denormal, &want.sse_denormal, sizeof(double)))
		return fail("the default and the set modes give the same results");
	if (check_modes("before C/R", &want))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_modes("after C/R", &want))
		return 1;
	return pass();
}
#endif
