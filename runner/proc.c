/* Child processes: spawn in an own process group, wait with a timeout on a pidfd (no polling), kill. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

int proc_wait(pid_t pid, int ms, int *status)
{
	int fd = pidfd_open(pid), rc;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (fd < 0)
		return -1;
	do
		rc = poll(&pfd, 1, ms);
	while (rc < 0 && errno == EINTR);
	close(fd);
	if (rc == 0)
		return 1;
	if (rc < 0)
		return -1;
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

void proc_kill(pid_t pid)
{
	int status;

	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	proc_wait(pid, 5000, &status);
}

pid_t proc_spawn(char *const argv[], const char *dir, int out_fd, char *const envp[])
{
	return proc_spawn_fd(argv, dir, out_fd, envp, -1, false);
}

pid_t proc_spawn_fd(char *const argv[], const char *dir, int out_fd, char *const envp[], int keep_fd,
		    bool as_user)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);   /* the runner blocks signals it reads from fds */
	/* Ignored signals survive exec: a runner started in the background by a shell (SIGINT and
	 * SIGQUIT ignored) would hand that to every test, and its state would depend on who ran it. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	setpgid(0, 0);
	if (out_fd < 0)
		out_fd = open("/dev/null", O_WRONLY);
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	int null = open("/dev/null", O_RDONLY);
	dup2(null, 0);
	if (keep_fd >= 0 && keep_fd != 3) {
		dup2(keep_fd, 3);   /* dup2 clears close-on-exec */
		keep_fd = 3;
	} else if (keep_fd == 3)
		fcntl(3, F_SETFD, 0);
	/* Only stdio (and keep_fd) go to the child: anything else would be dumped with a test. */
	syscall(SYS_close_range, keep_fd >= 0 ? 4 : 3, ~0u, 0);
	if (as_user && (setgroups(0, NULL) || setgid(USER_GID) || setuid(USER_UID))) {
		dprintf(2, "drop to uid %d: %s\n", USER_UID, strerror(errno));
		_exit(127);
	}
	if (dir && chdir(dir)) {
		dprintf(2, "chdir %s: %s\n", dir, strerror(errno));
		_exit(127);
	}
	if (envp)
		execve(argv[0], argv, envp);
	else
		execv(argv[0], argv);
	dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

void proc_status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "status 0x%x", status);
}

int proc_children(pid_t *out, int max)
{
	char buf[4096], *p, *end;
	int n = 0;

	/* The job's init has one thread: its children are those of /proc/self/task/TID/children. */
	snprintf(buf, sizeof(buf), "/proc/self/task/%d/children", (int)syscall(SYS_gettid));
	if (read_text(buf, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; n < max; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		out[n++] = pid;
	}
	return n;
}

/* Whether every child left is one of keep[0..nkeep-1]. */
static bool only_kept(const pid_t *keep, int nkeep)
{
	pid_t left[64];
	int n = nkeep ? proc_children(left, 64) : -1;

	for (int i = 0; i < n; i++) {
		bool kept = false;

		for (int k = 0; k < nkeep && !kept; k++)
			kept = left[i] == keep[k];
		if (!kept)
			return false;
	}
	return n >= 0;
}

int proc_reap_all(int ms, const pid_t *keep, int nkeep)
{
	double deadline = now_sec() + ms / 1000.0;
	sigset_t chld;
	int sfd, rc = 1;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC);   /* SIGCHLD is blocked in the job's init */
	if (sfd < 0)
		return -1;
	for (;;) {
		struct pollfd pfd = { .fd = sfd, .events = POLLIN };
		struct signalfd_siginfo si;
		siginfo_t info = { 0 };
		int left = (deadline - now_sec()) * 1000;

		if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG) < 0) {
			rc = errno == ECHILD ? 0 : -1;
			break;
		}
		if (info.si_pid)
			continue;
		if (only_kept(keep, nkeep)) {
			rc = 0;
			break;
		}
		if (left <= 0 || poll(&pfd, 1, left) == 0)
			break;
		if (read(sfd, &si, sizeof(si)) < 0 && errno != EAGAIN)
			break;
	}
	close(sfd);
	return rc;
}

bool proc_user_can_exec(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(setgroups(0, NULL) || setgid(USER_GID) || setuid(USER_UID) || access(path, X_OK));
	return pid > 0 && proc_wait(pid, 10000, &status) == 0 && WIFEXITED(status) && !WEXITSTATUS(status);
}
