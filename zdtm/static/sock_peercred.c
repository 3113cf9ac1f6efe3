#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a unix socketpair with one end in a child: SO_PEERCRED (pid, uid, gid) of both ends",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * socketpair() stamps both ends with its caller's pid and effective ids. When the test is root,
 * it creates the pair as euid/egid 1000, so that credentials of the restoring task (root) or of
 * the child (another pid) cannot pass for the right ones.
 */
#define PAIR_ID 1000

static struct zdtm_waiter *w;   /* 1: C/R is over, report again */

static int peercred(int sk, struct ucred *uc)
{
	socklen_t len = sizeof(*uc);

	return getsockopt(sk, SOL_SOCKET, SO_PEERCRED, uc, &len);
}

static int make_pair(int sk[2])
{
	int ret;

	if (geteuid() != 0)
		return socketpair(AF_UNIX, SOCK_STREAM, 0, sk);
	if (setegid(PAIR_ID) || seteuid(PAIR_ID))
		return -1;
	ret = socketpair(AF_UNIX, SOCK_STREAM, 0, sk);
	if (seteuid(0) || setegid(0))
		return -1;
	return ret;
}

/* The child reports its end's credentials before and after C/R on `report`. */
static void child(int sk, int report)
{
	struct ucred uc = { 0 };

	peercred(sk, &uc);
	write_all(report, &uc, sizeof(uc));
	waiter_wait(w, 1);
	uc = (struct ucred){ 0 };
	peercred(sk, &uc);
	write_all(report, &uc, sizeof(uc));
	_exit(0);
}

static int expect_cred(const char *what, const struct ucred *found, const struct ucred *want)
{
	if (found->pid != want->pid || found->uid != want->uid || found->gid != want->gid)
		return fail("%s: SO_PEERCRED pid %d uid %u gid %u, expected pid %d uid %u gid %u", what,
			    found->pid, found->uid, found->gid, want->pid, want->uid, want->gid);
	return 0;
}

/* Both ends carry `want`, as seen by the parent (sk) and by the child (its report). */
static int expect_both(const char *when, int sk, int report, const struct ucred *want)
{
	struct ucred mine = { 0 }, childs = { 0 };
	char what[64];

	if (peercred(sk, &mine))
		return fail_errno("SO_PEERCRED %s", when);
	if (read_all(report, &childs, sizeof(childs)) != sizeof(childs))
		return fail("the child sent no report %s", when);
	snprintf(what, sizeof(what), "parent's end %s", when);
	if (expect_cred(what, &mine, want))
		return 1;
	snprintf(what, sizeof(what), "child's end %s", when);
	return expect_cred(what, &childs, want);
}

int main(int argc, char **argv)
{
	struct ucred want;
	int sk[2], rp[2], ret, status;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	want.pid = getpid();
	want.uid = geteuid() ? geteuid() : PAIR_ID;
	want.gid = geteuid() ? getegid() : PAIR_ID;
	if (make_pair(sk) || pipe(rp))
		return fail_errno("socketpair as %u:%u", want.uid, want.gid);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(sk[0]);
		close(rp[0]);
		child(sk[1], rp[1]);
	}
	close(sk[1]);
	close(rp[1]);
	ret = expect_both("before C/R", sk[0], rp[0], &want);
	if (ret) {
		waiter_post(w, 1);
		waitpid(pid, NULL, 0);
		return ret;
	}

	test_daemon();
	test_waitsig();

	waiter_post(w, 1);
	ret = expect_both("after C/R", sk[0], rp[0], &want);
	if (waitpid(pid, &status, 0) != pid || status != 0)
		ret = ret ?: fail("child ended with status %#x, expected exit 0", status);
	return ret ? 1 : pass();
}
