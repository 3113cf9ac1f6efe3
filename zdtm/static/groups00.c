#include <grp.h>
#include <stdio.h>
#include <sys/fsuid.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "supplementary groups and distinct real, effective and saved uids and gids",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid otheruid");

/* The real uid stays 0: the test can become root again to publish its verdict, and may signal
 * its launcher ("ready", see test_daemon() in zdtm.h). */
static const uid_t ruid = 0, euid = 1002, suid = 1001;
static const gid_t rgid = 2001, egid = 2002, sgid = 0;
static const gid_t groups[] = { 3, 100, 2003, 60000 };
#define NGROUPS (int)(sizeof(groups) / sizeof(groups[0]))

static int check_ids(void)
{
	uid_t r, e, s;
	gid_t rg, eg, sg, list[NGROUPS + 1];
	int n;

	if (getresuid(&r, &e, &s) || getresgid(&rg, &eg, &sg))
		return fail_errno("getresuid/getresgid");
	if (r != ruid || e != euid || s != suid)
		return fail("uids are %u/%u/%u, expected %u/%u/%u (real/effective/saved)", r, e, s, ruid, euid, suid);
	if (rg != rgid || eg != egid || sg != sgid)
		return fail("gids are %u/%u/%u, expected %u/%u/%u (real/effective/saved)", rg, eg, sg, rgid, egid, sgid);
	if (expect_int("fsuid", setfsuid(-1), euid) || expect_int("fsgid", setfsgid(-1), egid))
		return 1;
	n = getgroups(NGROUPS + 1, list);
	if (expect_int("number of supplementary groups", n, NGROUPS))
		return 1;
	for (int i = 0; i < n; i++)     /* the kernel keeps them sorted; so is the list above */
		if (list[i] != groups[i])
			return fail("supplementary group %d is %u, expected %u", i, list[i], groups[i]);
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	test_init(argc, argv);
	if (setgroups(NGROUPS, groups))
		return fail_errno("setgroups");
	if (setresgid(rgid, egid, sgid))
		return fail_errno("setresgid");
	if (setresuid(ruid, euid, suid))
		return fail_errno("setresuid");
	if (check_ids())
		return 1;

	test_daemon();
	test_waitsig();

	ret = check_ids();
	if (setresuid(0, 0, 0))         /* the outfile is renamed in a directory root owns */
		return ret ? ret : fail_errno("setresuid back to root");
	return ret ? ret : pass();
}
