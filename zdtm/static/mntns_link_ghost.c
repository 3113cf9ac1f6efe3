#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "one unlinked file (a ghost, no --link-remap) held open in two mount namespaces through different mounts: the test's through its tmpfs, a child's through a bind of a subdirectory that only the child's namespace keeps; data, offsets, one inode, each fd on its own namespace's mount",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

/*
 *   NAME.mnt        tmpfs (both namespaces)
 *   NAME.mnt/a/F    the file, unlinked once both have it open
 *   NAME.mnt/b      bind of NAME.mnt/a, unmounted in the test's namespace: only the child has it
 * The test holds F through NAME.mnt at offset TOFF, the child through NAME.mnt/b at COFF on fd CFD.
 */
#define LEN 5000
#define TOFF 1111
#define COFF 3333
#define CFD 50

static char point[PATH_MAX + 64], data[LEN];
static struct zdtm_waiter *w;   /* 1: the child holds F (or gave up) */
static char *finding;

static const char *at(const char *sub)
{
	static char p[2][PATH_MAX + 128];
	static int k;
	char *s = p[k++ % 2];

	snprintf(s, PATH_MAX + 128, "%s/%s", point, sub);
	return s;
}

static void child(void)
{
	int fd;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		note(finding, "own mount namespace: %s", strerror(errno));
	else if ((fd = open(at("b/F"), O_RDWR)) < 0 || dup2(fd, CFD) != CFD || lseek(CFD, COFF, SEEK_SET) != COFF)
		note(finding, "open %s on fd %d at %d: %s", at("b/F"), CFD, COFF, strerror(errno));
	waiter_post(w, 1);
	for (;;)
		pause();
}

/* A line "key: value" of /proc/PID/fdinfo/FD, as a number; -1 when absent. */
static long fdinfo_of(pid_t pid, int fd, const char *key)
{
	char path[64], line[256];
	long v = -1;
	size_t n = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 0);
	if (f)
		fclose(f);
	return v;
}

/* The mount point of mount id in /proc/PID/mountinfo; "" when that namespace has no such mount. */
static const char *point_of(pid_t pid, long id)
{
	static char out[2][PATH_MAX];
	static int k;
	char path[64], line[4096], where[PATH_MAX], *o = out[k++ % 2];
	long mid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	f = fopen(path, "r");
	o[0] = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%ld %*d %*u:%*u %*s %4095s", &mid, where) == 2 && mid == id)
			snprintf(o, PATH_MAX, "%s", where);
	if (f)
		fclose(f);
	return o;
}

/* One process's fd on the ghost: offset, its mount (in its namespace, not in the other's), data. */
static int expect_fd(const char *who, pid_t pid, int fd, pid_t other, long off, const char *mnt, const struct stat *ghost)
{
	static char buf[LEN];
	char path[64], what[160];
	struct stat st;
	long id = fdinfo_of(pid, fd, "mnt_id");
	int rfd;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
	if (stat(path, &st))
		return fail_errno("%s's fd %d (%s)", who, fd, path);
	snprintf(what, sizeof(what), "%s's fd %d: offset", who, fd);
	if (expect_int(what, fdinfo_of(pid, fd, "pos"), off))
		return 1;
	if (st.st_nlink != 0 || st.st_size != LEN || st.st_ino != ghost->st_ino || st.st_dev != ghost->st_dev)
		return fail("%s's fd %d: inode %lu dev %#lx links %lu size %ld, expected inode %lu dev %#lx links 0 size %d",
			    who, fd, (unsigned long)st.st_ino, (unsigned long)st.st_dev, (unsigned long)st.st_nlink,
			    (long)st.st_size, (unsigned long)ghost->st_ino, (unsigned long)ghost->st_dev, LEN);
	snprintf(what, sizeof(what), "%s's fd %d: its mount (id %ld) in its own mountinfo", who, fd, id);
	if (expect_str(what, point_of(pid, id), mnt))
		return 1;
	snprintf(what, sizeof(what), "%s's fd %d: its mount (id %ld) in the other namespace", who, fd, id);
	if (expect_str(what, point_of(other, id), ""))
		return 1;
	rfd = open(path, O_RDONLY);
	if (rfd < 0 || pread(rfd, buf, LEN, 0) != LEN)
		return fail_errno("read %s", path);
	close(rfd);
	snprintf(what, sizeof(what), "%s's fd %d: the ghost's data", who, fd);
	return expect_bytes(what, buf, data, LEN);
}

static int check(pid_t pid, int fd)
{
	struct stat ghost;

	if (fstat(fd, &ghost))
		return fail_errno("fstat");
	if (expect_fd("the test", getpid(), fd, pid, TOFF, point, &ghost))
		return 1;
	return expect_fd("the child", pid, CFD, getpid(), COFF, at("b"), &ghost);
}

static int end(pid_t pid, int verdict)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return verdict;
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX];
	pid_t pid;
	int fd;

	test_init(argc, argv);
	w = waiter_new();
	if (!(finding = finding_new()) || !getcwd(cwd, sizeof(cwd)))
		return fail_errno("mmap, getcwd");
	datagen(data, LEN, 71);
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("mnt"));
	if (mkdir(point, 0755) || mount("zdtm_link_ghost", point, "tmpfs", 0, "size=1m") || mkdir(at("a"), 0755) ||
	    mkdir(at("b"), 0755) || mount(at("a"), at("b"), NULL, MS_BIND, NULL))
		return fail_errno("a tmpfs on %s with a bind of a/ on b/", point);
	fd = open(at("a/F"), O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write_all(fd, data, LEN) || lseek(fd, TOFF, SEEK_SET) != TOFF)
		return fail_errno("write %s", at("a/F"));
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	waiter_wait(w, 1);
	if (finding[0])
		return end(pid, fail("the child: %s", finding));
	/* b/ lives on only in the child's namespace; F only through the two fds */
	if (umount(at("b")) || unlink(at("a/F")))
		return end(pid, fail_errno("umount %s, unlink %s", at("b"), at("a/F")));
	if (check(pid, fd))
		return end(pid, 1);

	test_daemon();
	test_waitsig();

	return end(pid, check(pid, fd) ? 1 : pass());
}
