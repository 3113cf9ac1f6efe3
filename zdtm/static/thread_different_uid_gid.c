#include <pthread.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a thread whose real/effective/saved uids and gids and groups differ from its thread group leader's (set with raw per-thread syscalls) keeps them, the leader keeps its own",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

/*
 * glibc's setresuid() changes every thread (it signals them all); the raw syscalls change only
 * the calling thread's credentials, which is how a process gets threads of different uids.
 */
struct creds {
	uid_t uid[3];
	gid_t gid[3];
	gid_t groups[16];
	int ngroups;
};
static const struct creds thread_creds = { { 1001, 1002, 1003 }, { 2001, 2002, 2003 }, { 3001, 3002 }, 2 };
static struct creds leader_creds;
static struct zdtm_waiter *w;   /* 1: the thread changed its credentials; 2: C/R over */
static char *finding;

static int get_creds(struct creds *c)
{
	c->ngroups = syscall(SYS_getgroups, 16, c->groups);
	return syscall(SYS_getresuid, &c->uid[0], &c->uid[1], &c->uid[2]) ||
	       syscall(SYS_getresgid, &c->gid[0], &c->gid[1], &c->gid[2]) || c->ngroups < 0;
}

/* The calling thread's credentials against want; fsuid and fsgid follow the effective ids. */
static int check(const char *who, const struct creds *want)
{
	struct creds c = { 0 };

	if (get_creds(&c))
		return note(finding, "%s: read its credentials: %s", who, strerror(errno));
	if (memcmp(c.uid, want->uid, sizeof(c.uid)) || memcmp(c.gid, want->gid, sizeof(c.gid)))
		return note(finding, "%s: uids %d/%d/%d gids %d/%d/%d, expected %d/%d/%d and %d/%d/%d", who, c.uid[0],
			    c.uid[1], c.uid[2], c.gid[0], c.gid[1], c.gid[2], want->uid[0], want->uid[1], want->uid[2],
			    want->gid[0], want->gid[1], want->gid[2]);
	if (c.ngroups != want->ngroups || memcmp(c.groups, want->groups, c.ngroups * sizeof(gid_t)))
		return note(finding, "%s: %d groups (first %d), expected %d (first %d)", who, c.ngroups,
			    c.ngroups ? (int)c.groups[0] : -1, want->ngroups, want->ngroups ? (int)want->groups[0] : -1);
	if (setfsuid(-1) != (int)want->uid[1] || setfsgid(-1) != (int)want->gid[1])
		return note(finding, "%s: fsuid %d fsgid %d, expected %d %d", who, setfsuid(-1), setfsgid(-1),
			    want->uid[1], want->gid[1]);
	return 0;
}

static void *thread(void *arg)
{
	const struct creds *c = &thread_creds;

	(void)arg;
	if (syscall(SYS_setgroups, c->ngroups, c->groups) || syscall(SYS_setresgid, c->gid[0], c->gid[1], c->gid[2]) ||
	    syscall(SYS_setresuid, c->uid[0], c->uid[1], c->uid[2]))
		note(finding, "thread: set its credentials: %s", strerror(errno));
	else
		check("thread before C/R", c);
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (!finding[0])
		check("thread after C/R", c);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t th;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding || get_creds(&leader_creds))
		return fail_errno("a shared buffer, the leader's credentials");
	if ((errno = pthread_create(&th, NULL, thread, NULL)))
		return fail_errno("pthread_create");
	waiter_wait(w, 1);
	if (check("the leader before C/R", &leader_creds) || finding[0]) {
		waiter_post(w, 2);
		pthread_join(th, NULL);
		return fail("%s", finding);
	}

	test_daemon();
	test_waitsig();

	if (!finding[0])
		check("the leader after C/R", &leader_creds);
	waiter_post(w, 2);
	pthread_join(th, NULL);
	return expect_clean_end(finding, "", 0) ? 1 : pass();
}
