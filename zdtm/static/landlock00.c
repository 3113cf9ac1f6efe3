#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a Landlock domain on the task: making directories is allowed beneath one directory only",
	  .flavors = ZDTM_ALL_FLAVORS);

/* The only access the ruleset handles: nothing the test, libzdtm or a restore needs. */
#define HANDLED LANDLOCK_ACCESS_FS_MAKE_DIR

/* A directory made in `parent` is allowed (and removed again) or refused with EACCES. */
static int expect_mkdir(const char *parent, bool allowed)
{
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/sub", parent);
	if (mkdir(dir, 0755) == 0) {
		rmdir(dir);
		return allowed ? 0 : fail("mkdir %s outside the allowed directory succeeded, expected EACCES", dir);
	}
	if (allowed)
		return fail_errno("mkdir %s beneath the allowed directory", dir);
	if (errno != EACCES)
		return fail_errno("mkdir %s outside the allowed directory, expected EACCES", dir);
	return 0;
}

static int enter_domain(void)
{
	struct landlock_ruleset_attr attr = { .handled_access_fs = HANDLED };
	struct landlock_path_beneath_attr rule = { .allowed_access = HANDLED };
	int rs;

	rs = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0)
		return -1;
	rule.parent_fd = open(test_path("allowed"), O_PATH | O_DIRECTORY);
	if (rule.parent_fd < 0 || syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &rule, 0))
		return -1;
	close(rule.parent_fd);
	/* as an unprivileged task would: no_new_privs first */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_landlock_restrict_self, rs, 0))
		return -1;
	return close(rs);
}

static int check(void)
{
	return expect_mkdir(test_path("allowed"), true) || expect_mkdir(test_path("denied"), false);
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (mkdir(test_path("allowed"), 0755) || mkdir(test_path("denied"), 0755))
		return fail_errno("mkdir");
	if (syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) < 0)
		return skip("no Landlock: %s", strerror(errno));
	if (enter_domain())
		return fail_errno("create and enter the Landlock domain");
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	return check() ? 1 : pass();
}
