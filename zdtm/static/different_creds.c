#include <linux/capability.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a thread that dropped capabilities its leader keeps (raw per-thread capset): both keep their own sets",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

/* The thread drops CAP_SYS_ADMIN and CAP_NET_ADMIN from its effective and permitted sets. */
#define DROPPED ((1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_NET_ADMIN))

struct caps {
	unsigned long long eff, prm, inh;
};
static struct caps leader, dropped;
static struct zdtm_waiter *w;   /* 1: the thread dropped them; 2: C/R over */
static char *finding;

static int get_caps(struct caps *c)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	c->eff = d[0].effective | (unsigned long long)d[1].effective << 32;
	c->prm = d[0].permitted | (unsigned long long)d[1].permitted << 32;
	c->inh = d[0].inheritable | (unsigned long long)d[1].inheritable << 32;
	return 0;
}

static int set_caps(const struct caps *c)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ (unsigned)c->eff, (unsigned)c->prm, (unsigned)c->inh },
		{ c->eff >> 32, c->prm >> 32, c->inh >> 32 },
	};

	return syscall(SYS_capset, &h, d);
}

static int check(const char *who, const struct caps *want)
{
	struct caps c;

	if (get_caps(&c))
		return note(finding, "%s: capget: %s", who, strerror(errno));
	if (c.eff != want->eff || c.prm != want->prm || c.inh != want->inh)
		return note(finding, "%s: CapEff %#llx CapPrm %#llx CapInh %#llx, expected %#llx %#llx %#llx", who,
			    c.eff, c.prm, c.inh, want->eff, want->prm, want->inh);
	return 0;
}

static void *thread(void *arg)
{
	(void)arg;
	if (set_caps(&dropped))
		note(finding, "thread: capset: %s", strerror(errno));
	else
		check("thread before C/R", &dropped);
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (!finding[0])
		check("thread after C/R", &dropped);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding || get_caps(&leader))
		return fail_errno("a shared buffer, capget");
	if ((leader.prm & DROPPED) != DROPPED)
		return skip("the test lacks CAP_SYS_ADMIN or CAP_NET_ADMIN (CapPrm %#llx)", leader.prm);
	dropped = (struct caps){ leader.eff & ~DROPPED, leader.prm & ~DROPPED, leader.inh & ~DROPPED };
	if ((errno = pthread_create(&th, NULL, thread, NULL)))
		return fail_errno("pthread_create");
	waiter_wait(w, 1);
	check("the leader before C/R", &leader);

	test_daemon();
	test_waitsig();

	if (!finding[0])
		check("the leader after C/R", &leader);
	waiter_post(w, 2);
	pthread_join(th, NULL);
	return expect_clean_end(finding, "", 0) ? 1 : pass();
}
