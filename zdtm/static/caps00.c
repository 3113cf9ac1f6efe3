#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a reduced capability set: permitted, effective, inheritable, bounding and ambient",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

/*
 * The state, as changes to whatever the test starts with:
 *   permitted and effective lose CAP_NET_RAW, effective also loses CAP_SYS_TIME
 *   (still permitted), inheritable gets CAP_CHOWN, CAP_KILL and CAP_NET_BIND_SERVICE,
 *   the bounding set loses CAP_SYS_BOOT and CAP_MKNOD, ambient gets CAP_KILL and
 *   CAP_NET_BIND_SERVICE.
 */
#define BIT(c) (1ull << (c))

struct caps {
	uint64_t eff, prm, inh, bnd, amb;
};

static int get_caps(struct caps *c, int last)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	c->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	c->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	c->bnd = c->amb = 0;
	for (int i = 0; i <= last; i++) {
		if (prctl(PR_CAPBSET_READ, i, 0, 0, 0) == 1)
			c->bnd |= BIT(i);
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, i, 0, 0) == 1)
			c->amb |= BIT(i);
	}
	return 0;
}

static int set_caps(const struct caps *c)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ c->eff, c->prm, c->inh },
		{ c->eff >> 32, c->prm >> 32, c->inh >> 32 },
	};

	return syscall(SYS_capset, &h, d);
}

/* The highest capability the kernel knows: the bounding set answers EINVAL past it. */
static int last_cap(void)
{
	int i = 0;

	while (prctl(PR_CAPBSET_READ, i + 1, 0, 0, 0) >= 0)
		i++;
	return i;
}

static int expect_set(const char *what, uint64_t found, uint64_t expected)
{
	if (found == expected)
		return 0;
	return fail("%s capabilities are 0x%llx, expected 0x%llx (differ in 0x%llx)", what,
		    (unsigned long long)found, (unsigned long long)expected,
		    (unsigned long long)(found ^ expected));
}

int main(int argc, char **argv)
{
	const uint64_t need = BIT(CAP_NET_RAW) | BIT(CAP_SYS_TIME) | BIT(CAP_CHOWN) | BIT(CAP_KILL) |
			      BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SETPCAP);
	struct caps want, now;
	int last;

	test_init(argc, argv);
	last = last_cap();
	if (get_caps(&want, last))
		return fail_errno("capget");
	if ((want.eff & need) != need || !(want.bnd & BIT(CAP_SYS_BOOT)) || !(want.bnd & BIT(CAP_MKNOD)))
		return skip("needs effective caps 0x%llx and CAP_SYS_BOOT, CAP_MKNOD in the bounding set",
			    (unsigned long long)need);
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT, 0, 0, 0) || prctl(PR_CAPBSET_DROP, CAP_MKNOD, 0, 0, 0))
		return fail_errno("PR_CAPBSET_DROP");
	want.prm &= ~BIT(CAP_NET_RAW);
	want.eff &= ~(BIT(CAP_NET_RAW) | BIT(CAP_SYS_TIME));
	want.inh |= BIT(CAP_CHOWN) | BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE);
	if (set_caps(&want))
		return fail_errno("capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0))
		return fail_errno("PR_CAP_AMBIENT_RAISE");
	if (get_caps(&want, last))
		return fail_errno("capget");
	if (want.amb != (BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE)) || (want.bnd & BIT(CAP_SYS_BOOT)))
		return fail("the state was not built: ambient 0x%llx, bounding 0x%llx",
			    (unsigned long long)want.amb, (unsigned long long)want.bnd);

	test_daemon();
	test_waitsig();

	if (get_caps(&now, last))
		return fail_errno("capget");
	if (expect_set("effective", now.eff, want.eff) || expect_set("permitted", now.prm, want.prm) ||
	    expect_set("inheritable", now.inh, want.inh) || expect_set("bounding", now.bnd, want.bnd) ||
	    expect_set("ambient", now.amb, want.amb))
		return 1;
	return pass();
}
