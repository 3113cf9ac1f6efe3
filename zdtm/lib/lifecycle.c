/*
 * The protocol with the runner: test_init() forks; the launcher waits until
 * the test calls test_daemon(), writes the pidfile atomically and exits 0,
 * which is the runner's "ready" event. SIGTERM ends the C/R window.
 */
#include <fcntl.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <grp.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"
#include "lib.h"

/* A futex word: SIGTERM's handler sets it and wakes test_waitsig(), so waiting needs no
 * signal-mask games (the runner compares the blocked mask before and after C/R). */
static _Atomic int got_sigterm;
static pid_t launcher_pid;         /* waits for our SIGUSR2: "ready" */
static char name[64];
static const char *outfile;
static char inprogress[4096];

static void on_sigterm(int sig)
{
	(void)sig;
	atomic_store(&got_sigterm, 1);
	syscall(SYS_futex, &got_sigterm, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

const char *test_name(void)
{
	return name;
}

const char *test_path(const char *suffix)
{
	static char buf[16][128];
	static unsigned next;
	char *p = buf[next++ % 16];

	snprintf(p, sizeof(buf[0]), "%s.%s", name, suffix);
	return p;
}

static void die(const char *what)
{
	dprintf(2, "ERR: %s: %s\n", what, strerror(errno));
	exit(ZDTM_EXIT_FAIL);
}

/* The outfile appears under its final name only when the test has exited. */
static void publish_outfile(void)
{
	if (zdtm_is_master() && inprogress[0])
		rename(inprogress, outfile);
}

static void redirect_output(const char *path)
{
	int fd;

	static char abs[4096];

	/* Absolute, so a test that changes its cwd can still publish its outfile at exit. */
	if (path[0] != '/' && getcwd(abs, sizeof(abs) - strlen(path) - 2)) {
		strcat(abs, "/");
		strcat(abs, path);
		path = abs;
	}
	snprintf(inprogress, sizeof(inprogress), "%s.inprogress", path);
	outfile = path;
	unlink(path);
	fd = open(inprogress, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0666);
	if (fd < 0)
		die(inprogress);
	if (dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		die("dup2");
	if (fd > 2)
		close(fd);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
}

/* ZDTM_UID/ZDTM_GID/ZDTM_GROUPS: the runner's choice of identity, unless the test needs root. */
static void switch_identity(void)
{
	const char *uid = getenv("ZDTM_UID"), *gid = getenv("ZDTM_GID");
	const char *groups = getenv("ZDTM_GROUPS");
	gid_t list[16];
	int n = 0;

	if (!uid || !gid || (zdtm_desc.flags && strstr(zdtm_desc.flags, "suid")))
		return;
	for (char *s = (char *)groups, *end; s && *s && n < 16; s = end) {
		list[n++] = strtoul(s, &end, 10);
		if (end == s)
			break;
	}
	if (setgroups(n, list) || setgid(atoi(gid)) || setuid(atoi(uid)))
		die("switch identity");
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

static void write_pidfile(const char *path, pid_t pid)
{
	char tmp[4096], buf[32];
	int fd, len;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		die(tmp);
	len = snprintf(buf, sizeof(buf), "%d\n", pid);
	if (write_all(fd, buf, len) || close(fd) || rename(tmp, path))
		die(path);
}

/*
 * The launcher: exit 0 once the test is ready, or report how it ended. The
 * test says "ready" with SIGUSR2: a signal leaves nothing behind in the test
 * (a pipe end would be seen by the runner, and inherited by the test's children).
 */
/*
 * The launcher keeps no file open for writing (a mount with a writer cannot be made read-only:
 * mnt_ro_root remounts / so); it opens the outfile by name only to say why the test died.
 */
static void launcher(pid_t child, const sigset_t *waitset, const char *pidfile)
{
	int null = open("/dev/null", O_WRONLY), out;
	siginfo_t si;
	int status;

	if (null >= 0 && (dup2(null, 1) < 0 || dup2(null, 2) < 0))
		die("dup2");
	if (null > 2)
		close(null);
	for (;;) {
		if (sigwaitinfo(waitset, &si) < 0)
			continue;
		if (si.si_signo == SIGUSR2 && si.si_pid == child) {
			write_pidfile(pidfile, child);
			_exit(0);
		}
		if (si.si_signo == SIGCHLD && waitpid(child, &status, WNOHANG) == child)
			break;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == ZDTM_EXIT_SKIP)
		_exit(ZDTM_EXIT_SKIP);
	/* the test's exit published the outfile under its final name; a signal left it in progress */
	if ((out = open(inprogress, O_WRONLY | O_APPEND)) < 0)
		out = open(outfile, O_WRONLY | O_APPEND);
	if (WIFEXITED(status))
		dprintf(out, "ERR: test exited with %d before it was ready\n", WEXITSTATUS(status));
	else
		dprintf(out, "ERR: test killed by signal %d before it was ready\n", WTERMSIG(status));
	_exit(ZDTM_EXIT_FAIL);
}

/* The main thread's volatile areas, in every process of a test binary, also one that runs without
 * test_init() (the namespace init in ns/uns; a copy of the binary a test executes in its own root). */
__attribute__((constructor)) static void main_thread_volatile(void)
{
	zdtm_volatile_thread();
}

void test_init(int argc, char **argv)
{
	struct zdtm_args args = { 0 };
	struct sigaction sa = { .sa_handler = on_sigterm };
	sigset_t waitset, old;
	pid_t pid;

	snprintf(name, sizeof(name), "%s", basename(argv[0]));
	zdtm_parse_args(argc, argv, &args);
	if (getenv("ZDTM_NEWNS"))
		zdtm_enter_namespaces(argv, &args);   /* returns in the test, under its ns init */
	switch_identity();
	redirect_output(args.outfile);
	atexit(publish_outfile);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL))
		die("sigaction");
	sigemptyset(&waitset);
	sigaddset(&waitset, SIGUSR2);
	sigaddset(&waitset, SIGCHLD);
	sigprocmask(SIG_BLOCK, &waitset, &old);   /* before fork: no signal is lost */
	launcher_pid = getpid();
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid > 0) {
		zdtm_set_master(-1);  /* the launcher never gives a verdict */
		launcher(pid, &waitset, args.pidfile);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	zdtm_set_master(getpid());
	setsid();
	srand48(getpid());
}

void test_daemon(void)
{
	zdtm_close_outer_netns();
	if (!launcher_pid || getpid() != zdtm_master_pid())
		return;
	pid_t launcher = launcher_pid;

	/* Nothing of libzdtm may change once the launcher has the signal: the runner digests the
	 * test's memory right after "ready". */
	launcher_pid = 0;
	if (kill(launcher, SIGUSR2))
		die("ready");
}

void test_waitsig(void)
{
	/* Returns early on any signal and after a restore; the loop waits again. */
	while (!atomic_load(&got_sigterm))
		syscall(SYS_futex, &got_sigterm, FUTEX_WAIT, 0, NULL, NULL, 0);
}

bool test_go(void)
{
	return !atomic_load(&got_sigterm);
}
