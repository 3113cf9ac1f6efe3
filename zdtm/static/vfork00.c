#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child blocked in vfork() while its vforked child waits in read() on a pipe",
	  .flavors = ZDTM_ALL_FLAVORS,
	  /* criu: "Unseizable non-zombie N found, state D" only after its 10 s --timeout: noauto keeps
	   * -a fast; run it with -t. */
	  .flags = "crfail noauto");

#define TOKEN 0x5a17c0de1234abcdULL

static struct zdtm_waiter *w;   /* 1: the vforked child is about to read */
static volatile unsigned long long seen;   /* written by the vforked child, read by its parent */

/*
 * The child that vforks: exit 0 when the vforked child read the token, saw its
 * memory shared, and exited 0; a distinct code for each other ending.
 */
static int vfork_parent(int rfd)
{
	unsigned long long token = 0;
	int status;
	pid_t pid = vfork();

	if (pid < 0)
		return 10;
	if (pid == 0) {
		waiter_post(w, 1);
		if (read(rfd, &token, sizeof(token)) != sizeof(token))
			_exit(20);
		seen = token;   /* the vfork parent's memory */
		_exit(token == TOKEN ? 0 : 21);
	}
	if (seen != TOKEN)
		return 11;   /* memory not shared, or the child never wrote it */
	if (waitpid(pid, &status, 0) != pid)
		return 12;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 13;
}

/* The vfork parent is in its (killable, shown as D) vfork wait, the vforked child sleeps in read(). */
static int check_blocked(pid_t parent, pid_t *child)
{
	char ps, cs = '?';
	pid_t cp;
	char path[64], buf[64];
	int fd, n;

	/* The vforked child is the only child of the vfork parent. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", parent, parent);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail_errno("open %s", path);
	n = read_all(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	if (sscanf(buf, "%d", child) != 1)
		return fail("vfork parent %d has no child (children: \"%s\"), expected the vforked one", parent, buf);
	for (int i = 0; i < 10000; i++) {   /* until the child has entered read() */
		ps = proc_state(parent);
		cs = proc_state(*child);
		if (ps == 'D' && cs == 'S')
			break;
		sched_yield();
	}
	cp = proc_stat_field(*child, 4);
	if (ps != 'D')
		return fail("vfork parent %d is in state %c, expected D (waiting for its vforked child)", parent, ps);
	if (cs != 'S' || cp != parent)
		return fail("vforked child %d is in state %c with parent %d, expected S with parent %d",
			    *child, cs, cp, parent);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long token = TOKEN;
	pid_t parent, child, child_after;
	int p[2], status;

	test_init(argc, argv);
	w = waiter_new();
	if (pipe(p))
		return fail_errno("pipe");
	parent = fork();
	if (parent < 0)
		return fail_errno("fork");
	if (parent == 0) {
		close(p[1]);
		_exit(vfork_parent(p[0]));
	}
	close(p[0]);
	waiter_wait(w, 1);
	if (check_blocked(parent, &child))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_blocked(parent, &child_after))
		return 1;
	if (expect_int("vforked child pid", child_after, child))
		return 1;
	if (write_all(p[1], &token, sizeof(token)))
		return fail_errno("write the token");
	if (waitpid(parent, &status, 0) != parent)
		return fail_errno("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("vfork parent ended with status %#x, expected exit 0 (10-13: vfork parent, 20-21: vforked child)",
			    status);
	return pass();
}
