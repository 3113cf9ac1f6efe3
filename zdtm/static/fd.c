#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "the test and its child hold fds of several kinds at scattered numbers: after C/R each holds exactly the fds it had, each on the same kind of file, and none that criu opened for itself",
	  .flavors = ZDTM_ALL_FLAVORS);

/* The fds of this process, one a line, "N TARGET" with the inode numbers of pipes and sockets
 * left out ("pipe:", "socket:"), sorted by number: at most 64 lines. */
static int fd_list(char *out, size_t len)
{
	int fds[64], n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < 64)
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
			fds[n++] = atoi(e->d_name);
	closedir(d);
	for (int i = 1; i < n; i++)     /* insertion sort */
		for (int k = i; k > 0 && fds[k - 1] > fds[k]; k--) {
			int t = fds[k];

			fds[k] = fds[k - 1], fds[k - 1] = t;
		}
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		char link[64], target[PATH_MAX];
		ssize_t l;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fds[i]);
		l = readlink(link, target, sizeof(target) - 1);
		if (l < 0)
			return -1;
		target[l] = 0;
		if (!strncmp(target, "pipe:[", 6) || !strncmp(target, "socket:[", 8))
			strchr(target, '[')[0] = 0;
		snprintf(out + strlen(out), len - strlen(out), "%s%d %s", i ? "\n" : "", fds[i], target);
	}
	return n;
}

/* Opens a file, a pipe, a socketpair and an eventfd, moved to scattered numbers from base. */
static int open_set(int base)
{
	int p[2], s[2], fd = open(test_path("file"), O_RDWR | O_CREAT, 0600);

	if (fd < 0 || pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, s))
		return -1;
	int set[] = { fd, p[0], p[1], s[0], s[1], eventfd(0, 0) };

	for (int i = 0; i < 6; i++)
		if (set[i] < 0 || dup2(set[i], base + 7 * i) < 0 || close(set[i]))
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static char before[2][8192], after[8192];
	struct zdtm_waiter *w = waiter_new();
	char *finding = finding_new();
	int status;
	pid_t pid;

	test_init(argc, argv);
	if (!finding || open_set(20))
		return fail_errno("open the parent's fds");
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		if (open_set(100) || fd_list(before[1], sizeof(before[1])) < 0)
			_exit(note(finding, "open the child's fds: errno %d", errno));
		waiter_post(w, 1);
		waiter_wait(w, 2);
		if (fd_list(after, sizeof(after)) < 0)
			_exit(note(finding, "list the child's fds: errno %d", errno));
		if (strcmp(after, before[1]))
			_exit(note(finding, "the child's fds:\n%s\nexpected:\n%s", after, before[1]));
		_exit(0);
	}
	waiter_wait(w, 1);
	if (fd_list(before[0], sizeof(before[0])) < 0)
		return fail_errno("list the fds");

	test_daemon();
	test_waitsig();

	waiter_post(w, 2);
	if (fd_list(after, sizeof(after)) < 0)
		return fail_errno("list the fds after C/R");
	if (expect_lines("the fds", after, before[0]))
		return 1;
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, "", status) ? 1 : pass();
}
