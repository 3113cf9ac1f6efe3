#include <linux/membarrier.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "membarrier registrations of the mm (private expedited, its sync-core and rseq kinds) still let the process issue those commands (EPERM without)",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * A registration cannot be read back, but it shows: a private expedited command is refused with
 * EPERM until the mm registered for it. The global expedited registration only matters to other
 * processes' commands, so it is not observable here and not part of this test.
 */
static const struct {
	int reg, cmd;
	const char *name;
} kinds[] = {
	{ MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, MEMBARRIER_CMD_PRIVATE_EXPEDITED, "PRIVATE_EXPEDITED" },
	{ MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE,
	  "PRIVATE_EXPEDITED_SYNC_CORE" },
	{ MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ,
	  "PRIVATE_EXPEDITED_RSEQ" },
};
#define NKINDS (int)(sizeof(kinds) / sizeof(kinds[0]))

static int membarrier(int cmd)
{
	return syscall(SYS_membarrier, cmd, 0, 0);
}

/* Each command gives 0 when registered, EPERM when not. */
static int check(const char *when, bool registered)
{
	for (int i = 0; i < NKINDS; i++) {
		int ret = membarrier(kinds[i].cmd);

		if (registered && ret)
			return fail_errno("%s: MEMBARRIER_CMD_%s, expected 0: the registration is lost", when,
					  kinds[i].name);
		if (!registered && (ret != -1 || errno != EPERM))
			return fail_errno("%s: MEMBARRIER_CMD_%s gives %d, expected EPERM", when, kinds[i].name, ret);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int supported;

	test_init(argc, argv);
	supported = membarrier(MEMBARRIER_CMD_QUERY);
	if (supported < 0)
		return skip("membarrier(QUERY): %s", strerror(errno));
	for (int i = 0; i < NKINDS; i++)
		if (!(supported & kinds[i].cmd))
			return skip("membarrier: MEMBARRIER_CMD_%s is not supported (query %#x)", kinds[i].name,
				    supported);
	if (check("before registering", false))
		return 1;
	for (int i = 0; i < NKINDS; i++)
		if (membarrier(kinds[i].reg))
			return fail_errno("register for MEMBARRIER_CMD_%s", kinds[i].name);
	if (check("registered, before C/R", true))
		return 1;

	test_daemon();
	test_waitsig();

	if (check("after C/R", true))
		return 1;
	return pass();
}
