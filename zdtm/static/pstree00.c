#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a three-level process tree: two children with two children each, same pids and parents",
	  .flavors = ZDTM_ALL_FLAVORS);

/*
 * Slots: children 0 and 1; grandchild k of child c is slot 2 + 2 * c + k.
 * Every descendant reports (slot, pid, ppid) once before C/R and once after.
 */
#define NCHILDREN 2
#define NSLOTS (NCHILDREN + NCHILDREN * 2)

struct report {
	int slot, phase;
	pid_t pid, ppid;
};

static struct zdtm_waiter *w;   /* 1: C/R over, report again */
static int report_fd[2];

static int report(int slot, int phase)
{
	struct report r = { slot, phase, getpid(), getppid() };

	return write_all(report_fd[1], &r, sizeof(r));
}

/* Ends the children it made; exits non-zero if anything went wrong below it. */
static int descendant(int slot, int nkids)
{
	pid_t kids[2];
	int bad = 0, status;

	for (int k = 0; k < nkids; k++) {
		kids[k] = fork();
		if (kids[k] < 0)
			return 10;
		if (kids[k] == 0)
			_exit(descendant(NCHILDREN + 2 * slot + k, 0));
	}
	if (report(slot, 0))
		bad = 11;
	waiter_wait(w, 1);
	if (report(slot, 1))
		bad = 12;
	for (int k = 0; k < nkids; k++)
		if (waitpid(kids[k], &status, 0) != kids[k] || status != 0)
			bad = 13;
	return bad;
}

/* Reads the reports of one phase; a slot that never reports keeps pid 0. */
static int collect(int phase, struct report *by_slot)
{
	struct report r;

	for (int i = 0; i < NSLOTS; i++) {
		if (read_all(report_fd[0], &r, sizeof(r)) != sizeof(r))
			return 0;   /* EOF: the rest of the tree is gone */
		if (r.slot < 0 || r.slot >= NSLOTS || r.phase != phase)
			return fail("report of slot %d phase %d, expected phase %d", r.slot, r.phase, phase);
		by_slot[r.slot] = r;
	}
	return 0;
}

static int compare(int slot, const struct report *found, pid_t pid, pid_t ppid)
{
	if (!found->pid)
		return fail("slot %d (pid %d) never reported, expected a live process", slot, pid);
	if (found->pid != pid || found->ppid != ppid)
		return fail("slot %d: pid %d parent %d, expected pid %d parent %d", slot,
			    found->pid, found->ppid, pid, ppid);
	return 0;
}

static pid_t parent_of(int slot, const struct report *before)
{
	return slot < NCHILDREN ? getpid() : before[(slot - NCHILDREN) / 2].pid;
}

int main(int argc, char **argv)
{
	struct report before[NSLOTS] = { 0 }, after[NSLOTS] = { 0 };
	pid_t kids[NCHILDREN];
	int ret, status;

	test_init(argc, argv);
	w = waiter_new();
	if (pipe(report_fd))
		return fail_errno("pipe");
	for (int c = 0; c < NCHILDREN; c++) {
		kids[c] = fork();
		if (kids[c] < 0)
			return fail_errno("fork");
		if (kids[c] == 0)
			_exit(descendant(c, 2));
	}
	close(report_fd[1]);   /* reports end in EOF if the whole tree is gone */
	ret = collect(0, before);
	for (int s = 0; s < NSLOTS && !ret; s++)
		ret = compare(s, &before[s], before[s].pid, parent_of(s, before));
	if (ret) {
		waiter_post(w, 1);   /* let the tree end itself */
		return ret;
	}

	test_daemon();
	test_waitsig();

	waiter_post(w, 1);
	ret = collect(1, after);
	for (int s = 0; s < NSLOTS && !ret; s++)
		ret = compare(s, &after[s], before[s].pid, before[s].ppid);
	for (int c = 0; c < NCHILDREN; c++)
		if (waitpid(kids[c], &status, 0) != kids[c] || status != 0)
			ret = ret ?: fail("child %d ended with status %#x, expected exit 0", c, status);
	return ret ? 1 : pass();
}
