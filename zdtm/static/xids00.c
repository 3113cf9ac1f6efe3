#include <signal.h>
#include <sys/fsuid.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child with eight distinct ids: real, effective, saved and filesystem uid and gid",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid otheruid");

/*
 * A child takes the ids, so the test process stays root: it can signal its launcher ("ready")
 * and publish its verdict. The fs ids differ from the effective ones: setresuid() and
 * setresgid() reset them, so they are set last (to the real and saved ids, which an
 * unprivileged task may choose).
 */
struct ids {
	uid_t ruid, euid, suid, fsuid;
	gid_t rgid, egid, sgid, fsgid;
};

static const struct ids want = { 1001, 1002, 1003, 1001, 2001, 2002, 2003, 2003 };

static void get_ids(struct ids *ids)
{
	getresuid(&ids->ruid, &ids->euid, &ids->suid);
	getresgid(&ids->rgid, &ids->egid, &ids->sgid);
	ids->fsuid = setfsuid(-1);   /* an invalid id changes nothing and returns the current one */
	ids->fsgid = setfsgid(-1);
}

/* Reports its ids once set, then again after C/R; exits 1 if it could not take them. */
static void child(int fd, struct zdtm_waiter *w)
{
	struct ids now;

	if (setresgid(want.rgid, want.egid, want.sgid) || setresuid(want.ruid, want.euid, want.suid))
		_exit(1);
	setfsgid(want.fsgid);
	setfsuid(want.fsuid);
	get_ids(&now);
	if (write_all(fd, &now, sizeof(now)))
		_exit(1);
	waiter_wait(w, 1);
	get_ids(&now);
	_exit(write_all(fd, &now, sizeof(now)) ? 1 : 0);
}

static int check(int fd, const char *when)
{
	struct ids f;

	if (read_all(fd, &f, sizeof(f)) != sizeof(f))
		return fail("%s: the child sent no ids (it could not take them, or died)", when);
	if (f.ruid != want.ruid || f.euid != want.euid || f.suid != want.suid || f.fsuid != want.fsuid)
		return fail("%s: uids %u/%u/%u fs %u, expected %u/%u/%u fs %u (real/effective/saved)", when,
			    f.ruid, f.euid, f.suid, f.fsuid, want.ruid, want.euid, want.suid, want.fsuid);
	if (f.rgid != want.rgid || f.egid != want.egid || f.sgid != want.sgid || f.fsgid != want.fsgid)
		return fail("%s: gids %u/%u/%u fs %u, expected %u/%u/%u fs %u (real/effective/saved)", when,
			    f.rgid, f.egid, f.sgid, f.fsgid, want.rgid, want.egid, want.sgid, want.fsgid);
	return 0;
}

int main(int argc, char **argv)
{
	struct zdtm_waiter *w;
	int p[2], ret, status;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (pipe(p))
		return fail_errno("pipe");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		close(p[0]);
		child(p[1], w);
	}
	close(p[1]);
	ret = check(p[0], "before C/R");

	if (!ret) {
		test_daemon();
		test_waitsig();
	}

	waiter_post(w, 1);   /* the child reports its ids again */
	if (!ret)
		ret = check(p[0], "after C/R");
	if (waitpid(pid, &status, 0) != pid)
		return ret ?: fail_errno("waitpid");
	if (!ret && status)
		return fail("the child ended with status %#x, expected exit 0", status);
	return ret ?: pass();
}
