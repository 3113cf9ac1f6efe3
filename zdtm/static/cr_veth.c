#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a veth link in the test's network namespace whose peer is outside, in a bridge of the job's namespace: the inside end's kind, MTU, address and link state kept, and after C/R criu's new peer (--external veth[...]:peer@bridge) carries traffic again",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "suid noemptyns", .outer_netns = true,
	  .ropts = "--external veth[zdtm-cv0]:zdtm-cv1@zdtm-cvbr");

/* The bridge (10.13.0.2/24) outside holds the peer; the test's end is 10.13.0.1/24. The outside
 * lives in the job's namespace and goes with it. */

static int outside(int outer, int self)
{
	return setns(outer, CLONE_NEWNET) || link_add("zdtm-cvbr", "bridge", NULL) ||
	       link_set("zdtm-cvbr", NULL, "10.13.0.2", 0) || link_set("zdtm-cv1", "zdtm-cvbr", NULL, 0) ||
	       setns(self, CLONE_NEWNET);
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
	if (link_add("zdtm-cv0", "veth", "zdtm-cv1") || link_move("zdtm-cv1", outer) || outside(outer, self) ||
	    link_set("zdtm-cv0", NULL, "10.13.0.1", 1400))
		return fail_errno("veth zdtm-cv0 10.13.0.1/24 here, its peer zdtm-cv1 in bridge zdtm-cvbr 10.13.0.2/24 outside");
	close(self);
	if (udp_refused("10.13.0.2"))
		return fail("no answer from 10.13.0.2 through the veth before C/R");
	test_msg("%s", link_desc("zdtm-cv0", before, sizeof(before)));

	test_daemon();
	test_waitsig();

	if (expect_str("link", link_desc("zdtm-cv0", after, sizeof(after)), before))
		return 1;
	if (udp_refused("10.13.0.2"))
		return fail("no answer from 10.13.0.2 (the bridge outside) through the veth after C/R");
	return pass();
}
