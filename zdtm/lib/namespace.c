/*
 * The ns and uns flavors. The runner starts the test binary with
 * ZDTM_NEWNS=1, ZDTM_ROOT (the host path of the test's root directory),
 * ZDTM_DEV (a host tmpfs with device nodes), optionally ZDTM_EXTMNT (a host path bound onto the
 * test's /mnt_ext: an external mount; ZDTM_EXTMNT2 one onto /mnt_ext2; with ZDTM_EXTMNT_SLAVE=1 both
 * are slaves of their shared host mount) and, for uns, ZDTM_USERNS=1.
 *
 *   launcher (ZDTM_NEWNS=1): clones the future namespace init into new pid,
 *     mnt, net, ipc, uts (+ user) namespaces, writes its id maps, waits for
 *     "ready", writes the init's host pid to the pidfile and exits 0.
 *   init, before exec: bind-mounts the root and /dev, pivot_root()s into the
 *     root, mounts /proc and a devpts, brings lo up, and re-execs the test
 *     binary from inside the root (ZDTM_NEWNS=2), so criu finds every file it
 *     maps inside the root it dumps.
 *   init (ZDTM_NEWNS=2): pid 1 of the test's namespaces; forks the test proper
 *     (which continues in test_init() with the pidfile "<pidfile>ns"), reports
 *     its readiness, reaps orphans, and on SIGTERM forwards SIGTERM to the test
 *     and exits with the test's exit status.
 */
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"
#include "lib.h"

/* uns: ns uid/gid 0..65535 are host 200000..265535 (documented in the README). */
#define USERNS_BASE 200000
#define USERNS_SIZE 65536

static void die(const char *what)
{
	dprintf(2, "ERR: namespace set-up: %s: %s\n", what, strerror(errno));
	_exit(ZDTM_EXIT_FAIL);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write_all(fd, text, strlen(text)) || close(fd))
		die(path);
}

static void write_id_maps(pid_t pid)
{
	char path[64], map[64];

	snprintf(map, sizeof(map), "0 %d %d\n", USERNS_BASE, USERNS_SIZE);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	write_file(path, map);
	/* setgroups stays allowed: we write the maps as root of the parent namespace, and tests
	 * that drop root inside set their supplementary groups. */
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	write_file(path, map);
}

static void loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		die("lo");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		die("lo up");
	close(fd);
}

/*
 * ZDTM_EXTMNT(2): the runner's external mounts (runner/extmnt.c), which criu must not own. A slave
 * (ZDTM_EXTMNT_SLAVE) is cloned before / turns private, which would cut its copy of the host's shared
 * mount from its peer group: the detached clone stays in it (or its slave, in a user namespace) until
 * it is moved into place and made a slave there. fds: the clones, -1 where none.
 */
static void extmnt_clone(int fds[2])
{
	const char *src[2] = { getenv("ZDTM_EXTMNT"), getenv("ZDTM_EXTMNT2") };

	for (int i = 0; i < 2; i++) {
		fds[i] = -1;
		if (src[i] && getenv("ZDTM_EXTMNT_SLAVE") &&
		    (fds[i] = open_tree(AT_FDCWD, src[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)) < 0)
			die("clone the external mount");
	}
}

static void extmnt_bind(const char *root, const int fds[2])
{
	const char *src[2] = { getenv("ZDTM_EXTMNT"), getenv("ZDTM_EXTMNT2") };
	const char *dst[2] = { "mnt_ext", "mnt_ext2" };
	char path[4096];

	for (int i = 0; i < 2; i++) {
		if (!src[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, dst[i]);
		if (fds[i] < 0 && mount(src[i], path, NULL, MS_BIND, NULL))
			die(i ? "bind ZDTM_EXTMNT2 onto /mnt_ext2" : "bind ZDTM_EXTMNT onto /mnt_ext");
		if (fds[i] >= 0 && (move_mount(fds[i], "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) ||
				    mount(NULL, path, NULL, MS_SLAVE, NULL) || close(fds[i])))
			die(i ? "a slave of ZDTM_EXTMNT2 at /mnt_ext2" : "a slave of ZDTM_EXTMNT at /mnt_ext");
	}
}

/* In the new namespaces: make the root the test's "/", then re-exec from inside it. */
static void init_setup(char **argv, const char *root, const char *dev)
{
	char path[4096];
	size_t len = strlen(root);
	/* The binary lies inside the root (the runner put it there): its path as seen from it. */
	const char *exe = strncmp(argv[0], root, len) || argv[0][len] != '/' ? NULL : argv[0] + len;
	int ext[2];

	extmnt_clone(ext);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("make / private");
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL))
		die("bind the root");
	snprintf(path, sizeof(path), "%s/dev", root);
	if (mount(dev, path, NULL, MS_BIND, NULL))
		die("bind /dev");
	extmnt_bind(root, ext);
	/* The runner makes .old: in a user namespace the root directory is not ours to write. */
	if (chdir(root) || (mkdir(".old", 0700) && errno != EEXIST) || syscall(SYS_pivot_root, ".", ".old"))
		die("pivot_root");
	/* proc first, while the old root still shows a whole /proc (needed in a user namespace). */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		die("mount /proc");
	if (umount2("/.old", MNT_DETACH))
		die("detach the old root");
	if (mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620"))
		die("mount /dev/pts");
	if (chdir("/test"))
		die("chdir /test");
	sethostname("zdtm", 4);
	loopback_up();
	if (!exe) {
		errno = EINVAL;
		die("the test binary is not inside ZDTM_ROOT");
	}
	setenv("ZDTM_NEWNS", "2", 1);
	execv(exe, argv);
	die(exe);
}

static void launcher(char **argv, const struct zdtm_args *args)
{
	const char *root = getenv("ZDTM_ROOT"), *dev = getenv("ZDTM_DEV");
	bool userns = getenv("ZDTM_USERNS") != NULL;
	int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
	int go[2], status[2], st = ZDTM_EXIT_FAIL;
	char host_pidfile[4096], fd[16];
	pid_t init;

	if (!root || !dev)
		die("ZDTM_ROOT and ZDTM_DEV are required with ZDTM_NEWNS");
	if (pipe(go) || pipe(status))
		die("pipe");
	/* .outer_netns: the init inherits this fd through its exec and hands it to the test only. */
	if (zdtm_desc.outer_netns && !userns) {
		int outer = open("/proc/self/ns/net", O_RDONLY);

		snprintf(fd, sizeof(fd), "%d", outer);
		if (outer < 0 || setenv("ZDTM_OUTER_NETNS", fd, 1))
			die("open /proc/self/ns/net");
	}
	init = syscall(SYS_clone, flags | (userns ? CLONE_NEWUSER : 0) | SIGCHLD, NULL, NULL, NULL, NULL);
	if (init < 0)
		die("clone");
	if (init == 0) {
		char c;

		close(go[1]);
		close(status[0]);
		if (read(go[0], &c, 1) < 0)   /* the id maps are written */
			die("wait for the id maps");
		close(go[0]);
		/* A new user namespace keeps our host ids until we take its root's. */
		if (userns && (setgid(0) || setuid(0)))
			die("become root of the user namespace");
		snprintf(fd, sizeof(fd), "%d", status[1]);
		setenv("ZDTM_NSFD", fd, 1);
		init_setup(argv, root, dev);
	}
	close(go[0]);
	close(status[1]);
	if (userns)
		write_id_maps(init);
	close(go[1]);
	if (read(status[0], &st, sizeof(st)) != sizeof(st))
		st = ZDTM_EXIT_FAIL;
	/* Ready only once the init has closed its end: the runner's first look must not see it. */
	while (read(status[0], &fd, 1) > 0)
		;
	if (st == 0) {
		/* The pidfile as the test sees it, inside its root. */
		snprintf(host_pidfile, sizeof(host_pidfile), "%s%s", root, args->pidfile);
		char buf[32];
		int len = snprintf(buf, sizeof(buf), "%d\n", init), out;
		char tmp[4200];

		snprintf(tmp, sizeof(tmp), "%s.tmp", host_pidfile);
		out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0 || write_all(out, buf, len) || close(out) || rename(tmp, host_pidfile))
			die(host_pidfile);
	}
	_exit(st);
}

/*
 * pid 1 of the test's namespaces. Its SIGTERM handler passes SIGTERM on to the test; the init
 * itself only waits for its children. No signal is ever blocked and no fd kept: the runner
 * compares the init's state before and after C/R like any other task's. The handler is set
 * before the test is forked, because a namespace init ignores signals it has no handler for.
 */
static volatile sig_atomic_t init_test_pid, init_got_sigterm, init_passed_on;

static void init_on_sigterm(int sig)
{
	(void)sig;
	init_got_sigterm = 1;
	if (init_test_pid > 0) {
		kill(init_test_pid, SIGTERM);
		init_passed_on = 1;
	}
}

static int exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static pid_t read_pid(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return atoi(buf);
}

/* Reaps every child (orphans of the test come to us) until the test itself has ended. */
static void init_serve(void)
{
	int status = 0, st;
	pid_t pid;
	sigset_t none;

	/* It came before we knew whom to pass it to. Only then: a second SIGTERM would interrupt
	 * whatever the test does after its first one (a waitpid returning EINTR, seen in --nocr). */
	if (init_got_sigterm && !init_passed_on)
		kill(init_test_pid, SIGTERM);
	for (;;) {
		pid = waitpid(-1, &st, 0);
		if (pid == init_test_pid) {
			status = st;
			break;
		}
		if (pid < 0 && errno == ECHILD)
			break;
	}
	/* The test is gone; its verdict counts once the runner has said C/R is over. */
	sigemptyset(&none);
	while (!init_got_sigterm)
		sigsuspend(&none);
	_exit(exit_code(status));
}

static int outer_netns = -1;

int test_outer_netns(void)
{
	if (outer_netns < 0)
		errno = ENOENT;
	return outer_netns;
}

void zdtm_close_outer_netns(void)
{
	if (outer_netns >= 0)
		close(outer_netns);
	outer_netns = -1;
}

static void init(struct zdtm_args *args)
{
	static char pidfile[4096];
	int fd = atoi(getenv("ZDTM_NSFD") ? getenv("ZDTM_NSFD") : "-1"), status, st;
	int null = open("/dev/null", O_RDWR);
	struct sigaction term = { .sa_handler = init_on_sigterm }, dfl = { .sa_handler = SIG_DFL };
	pid_t t;

	sigaction(SIGTERM, &term, NULL);
	snprintf(pidfile, sizeof(pidfile), "%sns", args->pidfile);
	unsetenv("ZDTM_NEWNS");
	unsetenv("ZDTM_NSFD");
	outer_netns = getenv("ZDTM_OUTER_NETNS") ? atoi(getenv("ZDTM_OUTER_NETNS")) : -1;
	unsetenv("ZDTM_OUTER_NETNS");
	setsid();
	t = fork();
	if (t < 0)
		die("fork");
	if (t == 0) {
		sigaction(SIGTERM, &dfl, NULL);   /* test_init() installs its own */
		close(fd);
		close(null);
		args->pidfile = pidfile;   /* the test proper continues in test_init() */
		return;
	}
	zdtm_close_outer_netns();
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	close(null);
	if (waitpid(t, &status, 0) < 0)
		die("waitpid");
	st = exit_code(status);
	if (!st)   /* before "ready": the runner's first look must not find the pidfile open */
		init_test_pid = read_pid(pidfile);
	if (write(fd, &st, sizeof(st)) != sizeof(st))
		_exit(ZDTM_EXIT_FAIL);
	close(fd);
	if (st)
		_exit(st);
	init_serve();
}

void zdtm_enter_namespaces(char **argv, struct zdtm_args *args)
{
	const char *stage = getenv("ZDTM_NEWNS");

	if (!strcmp(stage, "1"))
		launcher(argv, args);
	if (!strcmp(stage, "2")) {
		init(args);
		return;
	}
	dprintf(2, "ERR: ZDTM_NEWNS=%s: expected 1 or 2\n", stage);
	exit(ZDTM_EXIT_FAIL);
}
