#include <stdio.h>
#include <string.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a bridge with a veth end as its port in the test's network namespace: the bridge's and both veth ends' kind, master, MAC, MTU, link state and address kept",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid noemptyns");

static const char *const links[] = { "zdtm-br0", "zdtm-bp0", "zdtm-bp1" };

int main(int argc, char **argv)
{
	char before[3][160], after[160];

	test_init(argc, argv);
	if (link_add("zdtm-br0", "bridge", NULL) || link_add("zdtm-bp0", "veth", "zdtm-bp1") ||
	    link_set("zdtm-br0", NULL, "10.11.0.1", 1400) || link_set("zdtm-bp0", "zdtm-br0", NULL, 1400) ||
	    link_set("zdtm-bp1", NULL, "10.11.1.1", 1400))
		return fail_errno("bridge zdtm-br0 10.11.0.1/24 with port zdtm-bp0 (veth to zdtm-bp1 10.11.1.1/24)");
	for (int i = 0; i < 3; i++)
		test_msg("%s", link_desc(links[i], before[i], sizeof(before[i])));

	test_daemon();
	test_waitsig();

	for (int i = 0; i < 3; i++)
		if (expect_str("link", link_desc(links[i], after, sizeof(after)), before[i]))
			return 1;
	return pass();
}
