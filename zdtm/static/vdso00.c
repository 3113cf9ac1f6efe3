#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "vdso and vvar stay mapped in place; clock_gettime, gettimeofday and getcpu through them stay sane",
	  .flavors = ZDTM_ALL_FLAVORS);

#define MAX_VMAS 8
#define MAX_ALL 64              /* VMAs of the whole process: a static binary has a dozen */
#define VDSO_MAX (64 * 1024)

/* The [vdso] and [vvar*] VMAs of /proc/self/maps; returns how many, or -1. */
static int vdso_vmas(struct zdtm_vma *v)
{
	static struct zdtm_vma all[MAX_ALL];
	int n = vma_list(0, ~0UL, all, MAX_ALL, false), k = 0;

	if (n < 0 || n > MAX_ALL)
		return -1;
	for (int i = 0; i < n && k < MAX_VMAS; i++)
		if (!strcmp(all[i].name, "[vdso]") || !strncmp(all[i].name, "[vvar", 5))
			v[k++] = all[i];
	return k;
}

/* The VMA named like `was` is still at the same range. */
static int check_same_place(const struct zdtm_vma *was, const struct zdtm_vma *now, int n)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(now[i].name, was->name))
			continue;
		if (now[i].start != was->start || now[i].end != was->end)
			return fail("%s is at %lx-%lx, expected %lx-%lx", was->name, now[i].start,
				    now[i].end, was->start, was->end);
		return 0;
	}
	return fail("%s is no longer mapped, expected at %lx-%lx", was->name, was->start, was->end);
}

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* The libc (vdso) reading of clk lies between two system-call readings. */
static int check_clock(const char *what, clockid_t clk)
{
	struct timespec a, v, b;

	if (syscall(SYS_clock_gettime, clk, &a) || clock_gettime(clk, &v) || syscall(SYS_clock_gettime, clk, &b))
		return fail_errno("clock_gettime(%s)", what);
	if (ns(&v) < ns(&a) || ns(&v) > ns(&b))
		return fail("vdso %s is %lld ns, expected between the syscall's %lld and %lld",
			    what, ns(&v), ns(&a), ns(&b));
	return 0;
}

static int check_clocks(const struct timespec *mono_before)
{
	struct timespec mono, real, real2;
	struct timeval tv;
	time_t t;

	if (check_clock("CLOCK_MONOTONIC", CLOCK_MONOTONIC) || check_clock("CLOCK_REALTIME", CLOCK_REALTIME) ||
	    check_clock("CLOCK_BOOTTIME", CLOCK_BOOTTIME))
		return 1;
	if (clock_gettime(CLOCK_MONOTONIC, &mono))
		return fail_errno("clock_gettime");
	if (ns(&mono) < ns(mono_before))
		return fail("CLOCK_MONOTONIC went back from %lld to %lld ns", ns(mono_before), ns(&mono));
	clock_gettime(CLOCK_REALTIME, &real);
	gettimeofday(&tv, NULL);
	t = time(NULL);
	clock_gettime(CLOCK_REALTIME, &real2);
	if (tv.tv_sec * 1000000LL + tv.tv_usec < ns(&real) / 1000 ||
	    tv.tv_sec * 1000000LL + tv.tv_usec > ns(&real2) / 1000)
		return fail("gettimeofday gives %lld us, expected between %lld and %lld (CLOCK_REALTIME)",
			    tv.tv_sec * 1000000LL + tv.tv_usec, ns(&real) / 1000, ns(&real2) / 1000);
	/* time() reads the coarse clock, which may still show the previous second for a tick. */
	if (t < real.tv_sec - 1 || t > real2.tv_sec)
		return fail("time() gives %lld, expected between %lld and %lld (CLOCK_REALTIME)",
			    (long long)t, (long long)real.tv_sec - 1, (long long)real2.tv_sec);
	return 0;
}

/* Pinned to the CPU the kernel names, getcpu() must name the same one. */
static int check_getcpu(void)
{
	unsigned cpu, sys_cpu, node;
	cpu_set_t set;

	if (syscall(SYS_getcpu, &sys_cpu, NULL, NULL))
		return fail_errno("getcpu syscall");
	CPU_ZERO(&set);
	CPU_SET(sys_cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return fail_errno("pin to CPU %u", sys_cpu);
	if (getcpu(&cpu, &node))
		return fail_errno("getcpu");
	if (expect_int("getcpu() on the pinned CPU", cpu, sys_cpu) ||
	    expect_int("sched_getcpu() on the pinned CPU", sched_getcpu(), sys_cpu))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static char vdso_copy[VDSO_MAX];
	static struct zdtm_vma before[MAX_VMAS], after[MAX_VMAS];
	struct zdtm_vma *vdso = NULL;
	struct timespec mono_before;
	int n;

	test_init(argc, argv);
	n = vdso_vmas(before);
	for (int i = 0; i < n; i++)
		if (!strcmp(before[i].name, "[vdso]"))
			vdso = &before[i];
	if (!vdso)
		return skip("no [vdso] in /proc/self/maps");
	if (vdso->end - vdso->start > VDSO_MAX)
		return fail("[vdso] is %lu bytes, expected at most %d", vdso->end - vdso->start, VDSO_MAX);
	if (expect_int("AT_SYSINFO_EHDR", getauxval(AT_SYSINFO_EHDR), vdso->start))
		return 1;
	memcpy(vdso_copy, (void *)vdso->start, vdso->end - vdso->start);
	if (clock_gettime(CLOCK_MONOTONIC, &mono_before))
		return fail_errno("clock_gettime");

	test_daemon();
	test_waitsig();

	if (expect_int("number of vdso/vvar VMAs", vdso_vmas(after), n))
		return 1;
	for (int i = 0; i < n; i++)
		if (check_same_place(&before[i], after, n))
			return 1;
	if (expect_bytes("[vdso] content", (void *)vdso->start, vdso_copy, vdso->end - vdso->start))
		return 1;
	if (check_clocks(&mono_before) || check_getcpu())
		return 1;
	return pass();
}
