#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <unistd.h>

#include "zdtm.h"

/* ns only, as cr_veth: the outside is the job's network namespace, which needs real root. */
ZDTM_TEST(.doc = "a veth link whose peer is in a bridge outside, restored into a veth pair made beforehand (--external netdev[zdtm-cv0]:zdtm-cw2): after a restore the inside end's peer is the prepared pair's zdtm-cw3 (by ifindex), and it keeps kind, MTU, address and state, and the bridge answers through the prepared peer",
	  .flavors = ZDTM_FLAVOR_NS, .flags = "suid noemptyns onerestore", .outer_netns = true,
	  .ropts = "--external netdev[zdtm-cv0]:zdtm-cw2");

/* Outside (the job's namespace, which outlives the tree): the bridge 10.13.0.2/24 with the dumped
 * link's peer zdtm-cv1 and the prepared pair's zdtm-cw3 in it; zdtm-cw2, the prepared end, waits
 * there for the restore. The dumped pair dies with the dumped namespace. */
static int outside(int outer, int self)
{
	return setns(outer, CLONE_NEWNET) || link_add("zdtm-cvbr", "bridge", NULL) ||
	       link_set("zdtm-cvbr", NULL, "10.13.0.2", 0) || link_set("zdtm-cv1", "zdtm-cvbr", NULL, 0) ||
	       link_add("zdtm-cw2", "veth", "zdtm-cw3") || link_set("zdtm-cw3", "zdtm-cvbr", NULL, 0) ||
	       setns(self, CLONE_NEWNET);
}

/* The ifindex of link name in the job's namespace (the outside). */
static int outside_index(int outer, const char *name)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), index;

	if (self < 0 || setns(outer, CLONE_NEWNET))
		return -1;
	index = if_nametoindex(name);
	if (setns(self, CLONE_NEWNET))
		return -1;
	close(self);
	return index;
}

int main(int argc, char **argv)
{
	char before[160], after[160];
	int outer, self, dumped_peer, prepared_peer;
	long started;

	test_init(argc, argv);
	outer = test_outer_netns();
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (outer < 0 || self < 0)
		return fail_errno("the job's network namespace and ours");
	if (link_add("zdtm-cv0", "veth", "zdtm-cv1") || link_move("zdtm-cv1", outer) || outside(outer, self) ||
	    link_set("zdtm-cv0", NULL, "10.13.0.1", 1400))
		return fail_errno("veth zdtm-cv0 10.13.0.1/24 here, peer zdtm-cv1 outside; zdtm-cw2/zdtm-cw3 prepared");
	close(self);
	/* The test's end names its peer by the peer's ifindex outside: zdtm-cv1's now, zdtm-cw3's once
	 * criu has moved the prepared zdtm-cw2 in as zdtm-cv0. */
	dumped_peer = outside_index(outer, "zdtm-cv1");
	prepared_peer = outside_index(outer, "zdtm-cw3");
	if (dumped_peer <= 0 || prepared_peer <= 0)
		return fail_errno("the ifindexes of zdtm-cv1 and zdtm-cw3 outside");
	if (expect_int("zdtm-cv0's peer ifindex", link_peer_index("zdtm-cv0"), dumped_peer))
		return 1;
	if (udp_refused("10.13.0.2"))
		return fail("no answer from 10.13.0.2 through the veth before C/R");
	test_msg("%s", link_desc("zdtm-cv0", before, sizeof(before)));
	/* A restored process is a new one: its start time tells whether a restore happened. */
	started = proc_stat_field(getpid(), 22);

	test_daemon();
	test_waitsig();

	if (expect_int(proc_stat_field(getpid(), 22) != started ? "zdtm-cv0's peer ifindex after the restore "
								    "(zdtm-cw3's: the prepared pair)"
								  : "zdtm-cv0's peer ifindex (zdtm-cv1's)",
		       link_peer_index("zdtm-cv0"), proc_stat_field(getpid(), 22) != started ? prepared_peer : dumped_peer))
		return 1;
	if (expect_str("link", link_desc("zdtm-cv0", after, sizeof(after)), before))
		return 1;
	if (udp_refused("10.13.0.2"))
		return fail("no answer from 10.13.0.2 (the bridge outside) through the veth after C/R");
	return pass();
}
