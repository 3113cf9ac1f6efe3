#include <sched.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "glibc's rseq registration of the main thread: still registered, cpu_id fields follow the cpu",
	  .flavors = ZDTM_ALL_FLAVORS, .features = "get_rseq_conf");

/*
 * glibc registers a struct rseq at thread pointer + __rseq_offset with
 * RSEQ_SIG. Registering the same area, length and signature again fails
 * with EBUSY exactly when that registration is in place (EINVAL if another
 * area is registered; success, which changes the state, if none is).
 */
#ifndef SYS_rseq
#define SYS_rseq 334
#endif

static struct rseq *area(void)
{
	return (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
}

static int check_registered(unsigned len)
{
	if (syscall(SYS_rseq, area(), len, 0, RSEQ_SIG) == 0)
		return fail("rseq(area %p, len %u) registered anew, expected EBUSY: no registration was left",
			    (void *)area(), len);
	if (errno != EBUSY)
		return fail_errno("rseq(area %p, len %u, sig %#x), expected EBUSY (this exact registration)",
				  (void *)area(), len, RSEQ_SIG);
	return 0;
}

/* The kernel refreshes cpu_id on every return to user space; retry across migrations. */
static int check_cpu(void)
{
	volatile struct rseq *rs = area();
	unsigned cpu = ~0u, id = 0, start = 0;

	for (int i = 0; i < 1000; i++) {
		start = rs->cpu_id_start;
		id = rs->cpu_id;
		if (syscall(SYS_getcpu, &cpu, NULL, NULL))
			return fail_errno("getcpu");
		if (id == cpu && start == cpu && rs->cpu_id == cpu)
			return 0;
	}
	return fail("rseq cpu_id %d cpu_id_start %u, expected both %u (getcpu)", (int)id, start, cpu);
}

int main(int argc, char **argv)
{
	unsigned len;

	test_init(argc, argv);
	if (__rseq_size == 0)
		return skip("glibc did not register rseq (__rseq_size 0)");
	len = __rseq_size < 32 ? 32 : __rseq_size;   /* glibc registers at least the original 32 bytes */
	if (check_registered(len) || check_cpu())
		return 1;

	test_daemon();
	test_waitsig();

	if (check_registered(len) || check_cpu())
		return 1;
	return pass();
}
