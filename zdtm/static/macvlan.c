#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a macvlan link (bridge mode) in the test's network namespace on a parent outside (a veth end in the job's namespace): kind, mode, MAC, MTU, address and link state kept, and it reaches the parent's peer after C/R (--external macvlan[...]:parent)",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "suid noemptyns", .outer_netns = true,
	  .ropts = "--external macvlan[zdtm-mv0]:zdtm-mvp0");

/* Outside: veth zdtm-mvp0 (the parent) to zdtm-mvp1 (10.12.0.2/24); inside: zdtm-mv0 10.12.0.1/24.
 * The outside lives in the job's namespace and goes with it. */
static int outside(int outer)
{
	return setns(outer, CLONE_NEWNET) || link_add("zdtm-mvp0", "veth", "zdtm-mvp1") ||
	       link_set("zdtm-mvp0", NULL, NULL, 0) || link_set("zdtm-mvp1", NULL, "10.12.0.2", 0) ||
	       link_add("zdtm-mv0", "macvlan", "zdtm-mvp0");
}

int main(int argc, char **argv)
{
	char before[160], after[160];
	int outer, self;

	test_init(argc, argv);
	outer = test_outer_netns();
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (outer < 0 || self < 0)
		return fail_errno("the job's network namespace and ours");
	if (outside(outer) || link_move("zdtm-mv0", self) || setns(self, CLONE_NEWNET) ||
	    link_set("zdtm-mv0", NULL, "10.12.0.1", 1400))
		return fail_errno("macvlan zdtm-mv0 10.12.0.1/24 here on zdtm-mvp0 (veth to zdtm-mvp1 10.12.0.2/24) outside");
	close(self);
	if (udp_refused("10.12.0.2"))
		return fail("no answer from 10.12.0.2 through the macvlan before C/R");
	test_msg("%s", link_desc("zdtm-mv0", before, sizeof(before)));

	test_daemon();
	test_waitsig();

	if (expect_str("link", link_desc("zdtm-mv0", after, sizeof(after)), before))
		return 1;
	if (udp_refused("10.12.0.2"))
		return fail("no answer from 10.12.0.2 (the parent's peer outside) through the macvlan after C/R");
	return pass();
}
