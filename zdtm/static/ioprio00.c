#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a process's I/O priority: best-effort class, level 3 (ioprio_set)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_BE 2
#define LEVEL 3
#define IOPRIO (IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT | LEVEL)

static int check(void)
{
	int got = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);

	if (got < 0)
		return fail_errno("ioprio_get");
	if (got != IOPRIO)
		return fail("ioprio class %d level %d, expected class %d level %d", got >> IOPRIO_CLASS_SHIFT,
			    got & 0xff, IOPRIO_CLASS_BE, LEVEL);
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO))
		return fail_errno("ioprio_set(best-effort, %d)", LEVEL);
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	return check() ? 1 : pass();
}
