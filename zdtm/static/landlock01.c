#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a Landlock ruleset fd (not enforced yet) with one rule: a child that enforces it may make directories beneath one directory only",
	  .flavors = ZDTM_ALL_FLAVORS);

#define HANDLED LANDLOCK_ACCESS_FS_MAKE_DIR

/* A child enforces the ruleset and tries a directory in allowed/ and one in denied/. */
static int child(int rs, char *finding)
{
	char dir[512];

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_landlock_restrict_self, rs, 0))
		return note(finding, "landlock_restrict_self with the ruleset fd: %s", strerror(errno));
	snprintf(dir, sizeof(dir), "%s/sub", test_path("allowed"));
	if (mkdir(dir, 0755))
		return note(finding, "mkdir %s beneath the allowed directory: %s", dir, strerror(errno));
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/sub", test_path("denied"));
	if (mkdir(dir, 0755) == 0) {
		rmdir(dir);
		return note(finding, "mkdir %s outside the allowed directory succeeded, expected EACCES", dir);
	}
	if (errno != EACCES)
		return note(finding, "mkdir %s: %s, expected EACCES", dir, strerror(errno));
	return 0;
}

static int check(int rs)
{
	char link[64], target[128], *finding = finding_new();
	int status;
	ssize_t n;
	pid_t pid;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", rs);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlink %s", link);
	target[n] = 0;
	if (expect_str("the ruleset fd", target, "anon_inode:[landlock-ruleset]"))
		return 1;
	if (!finding)
		return fail_errno("finding_new");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(rs, finding));
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	/* mkdir outside: still allowed here, the ruleset only restricted the child */
	return expect_clean_end(finding, "", status);
}

int main(int argc, char **argv)
{
	struct landlock_ruleset_attr attr = { .handled_access_fs = HANDLED };
	struct landlock_path_beneath_attr rule = { .allowed_access = HANDLED };
	int rs;

	test_init(argc, argv);
	if (mkdir(test_path("allowed"), 0755) || mkdir(test_path("denied"), 0755))
		return fail_errno("mkdir");
	rs = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0 && (errno == ENOSYS || errno == EOPNOTSUPP))
		return skip("no Landlock: %s", strerror(errno));
	if (rs < 0)
		return fail_errno("landlock_create_ruleset");
	rule.parent_fd = open(test_path("allowed"), O_PATH | O_DIRECTORY);
	if (rule.parent_fd < 0 || syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &rule, 0))
		return fail_errno("landlock_add_rule");
	close(rule.parent_fd);
	if (check(rs))
		return 1;

	test_daemon();
	test_waitsig();

	return check(rs) ? 1 : pass();
}
