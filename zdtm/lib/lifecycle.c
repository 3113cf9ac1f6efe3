/*
 * The protocol with the runner: test_init() forks; the launcher waits until
 * the test calls test_daemon(), writes the pidfile atomically and exits 0,
 * which is the runner's "ready" event. SIGTERM ends the C/R window.
 */
#include <fcntl.h>
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

static volatile sig_atomic_t got_sigterm;
static int ready_fd = -1;          /* write end: the launcher waits on it */
static char name[64];
static const char *outfile;
static char inprogress[4096];

static void on_sigterm(int sig)
{
	(void)sig;
	got_sigterm = 1;
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

/* The launcher: exit 0 once the test is ready, or report how it ended. */
static void launcher(pid_t child, int ready_rd, const char *pidfile)
{
	char c;
	int status;

	if (read(ready_rd, &c, 1) == 1) {
		write_pidfile(pidfile, child);
		_exit(0);
	}
	if (waitpid(child, &status, 0) < 0)
		die("waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == ZDTM_EXIT_SKIP)
		_exit(ZDTM_EXIT_SKIP);
	if (WIFEXITED(status))
		dprintf(2, "ERR: test exited with %d before it was ready\n", WEXITSTATUS(status));
	else
		dprintf(2, "ERR: test killed by signal %d before it was ready\n", WTERMSIG(status));
	_exit(ZDTM_EXIT_FAIL);
}

void test_init(int argc, char **argv)
{
	struct zdtm_args args = { 0 };
	struct sigaction sa = { .sa_handler = on_sigterm };
	int p[2];
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
	if (pipe2(p, O_CLOEXEC))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid > 0) {
		close(p[1]);
		zdtm_set_master(-1);  /* the launcher never gives a verdict */
		launcher(pid, p[0], args.pidfile);
	}
	close(p[0]);
	ready_fd = p[1];
	zdtm_set_master(getpid());
	setsid();
	srand48(getpid());
}

void test_daemon(void)
{
	if (ready_fd < 0)
		return;
	if (write(ready_fd, "R", 1) != 1)
		die("ready");
	close(ready_fd);
	ready_fd = -1;
}

void test_waitsig(void)
{
	sigset_t block, old;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigdelset(&old, SIGTERM);
	while (!got_sigterm)
		sigsuspend(&old);   /* returns on any handled signal, also after restore */
	sigprocmask(SIG_SETMASK, &old, NULL);
}

bool test_go(void)
{
	return !got_sigterm;
}
