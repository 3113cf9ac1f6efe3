#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a mount with a submount of its own, both hidden by a mount over the same directory: the three mounts, their order and options kept, the hidden subtree stays hidden",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

int main(int argc, char **argv)
{
	static char point[PATH_MAX + 64], sub[PATH_MAX + 80], top[2][2 * PATH_MAX], under[2][2 * PATH_MAX];
	char cwd[PATH_MAX];
	struct stat st;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("mnt"));
	snprintf(sub, sizeof(sub), "%s/sub", point);
	if (mkdir(point, 0755) || mount("zdtm_lower", point, "tmpfs", 0, "size=1m") || mkdir(sub, 0700) ||
	    mount("zdtm_sub", sub, "tmpfs", MS_NOEXEC, "size=2m,mode=0750"))
		return fail_errno("a tmpfs on %s with another on %s", point, sub);
	if (mount("zdtm_upper", point, "tmpfs", MS_NODEV, "size=3m,mode=0701"))
		return fail_errno("a tmpfs over %s", point);
	if (mountinfo_at(point, top[0], sizeof(top[0])) != 2 || mountinfo_at(sub, under[0], sizeof(under[0])) != 1)
		return fail("mounts at %s: \"%s\", at %s: \"%s\"; expected two and one", point, top[0], sub, under[0]);

	test_daemon();
	test_waitsig();

	if (mountinfo_at(point, top[1], sizeof(top[1])) < 0 || mountinfo_at(sub, under[1], sizeof(under[1])) < 0)
		return fail_errno("mountinfo");
	if (expect_str("the mounts at the point", top[1], top[0]) ||
	    expect_str("the hidden submount", under[1], under[0]))
		return 1;
	if (!stat(sub, &st))
		return fail("%s is visible, expected it hidden under the upper tmpfs", sub);
	return pass();
}
