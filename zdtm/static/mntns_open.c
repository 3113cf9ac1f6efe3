#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

/* mntns_ghost.c and mntns_link_remap.c include this file with GHOST 1 (unlinked) and 2 (unlinked
 * name, another link left) and their own declaration. */
#ifndef GHOST
#define GHOST 0
ZDTM_TEST(.doc = "the test holds an fd on a file of a tmpfs mounted only in a child's own mount namespace: data, offset and the fd's mount (the child's, at its point) kept",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");
#endif

#define LEN 4000
#define OFF 1234

static char point[PATH_MAX + 64];

static const char *point_file(const char *dir)
{
	static char path[PATH_MAX + 80];

	snprintf(path, sizeof(path), "%s/file", dir);
	return path;
}

/* The child: its own mount namespace, a tmpfs at point, a file sent to the parent as an fd. */
static int child(int sk, struct zdtm_waiter *w, const char *data)
{
	char path[PATH_MAX + 80];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/file", point);
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("zdtm_other_ns", point, "tmpfs", 0, "size=1m"))
		return 1;
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write_all(fd, data, LEN) || lseek(fd, OFF, SEEK_SET) != OFF || scm_send(sk, "f", 2, &fd, 1))
		return 2;
	if (GHOST == 2)   /* the open name goes, the inode stays linked: criu needs --link-remap */
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s", ".other");
	if (GHOST == 2 && link(point_file(point), path))
		return 3;
	ret = GHOST && unlink(point_file(point)) ? 3 : 0;   /* a ghost lives on only through the fd, in the parent */
	close(fd);
	waiter_post(w, 1);   /* nothing of the child changes after this */
	if (!ret)
		waiter_wait(w, 2);
	return ret;
}

/* The mount point of mount id in /proc/pid/mountinfo, into out; "" when it is not there. */
static const char *mount_point(pid_t pid, int id, char *out, size_t len)
{
	char path[64], line[4096], where[PATH_MAX];
	int mid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	f = fopen(path, "r");
	snprintf(out, len, "%s", "");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %*d %*u:%*u %*s %4095s", &mid, where) == 2 && mid == id)
			snprintf(out, len, "%s", where);
	if (f)
		fclose(f);
	return out;
}

/* The fd's data, offset, link count, and its mount: the child's mount at point, none of the test's. */
static int expect_fd(int fd, pid_t pid, const char *data)
{
	static char buf[LEN], found[PATH_MAX], mine[PATH_MAX];
	char id[32];
	struct stat st;

	if (fstat(fd, &st) || fdinfo_lines(fd, "mnt_id:", id, sizeof(id)) != 1)
		return fail_errno("fstat, fdinfo mnt_id");
	if (expect_int("offset", lseek(fd, 0, SEEK_CUR), OFF) || expect_int("links", st.st_nlink, GHOST == 1 ? 0 : 1) ||
	    expect_int("size", st.st_size, LEN))
		return 1;
	if (expect_str("the fd's mount in the child's mountinfo", mount_point(pid, atoi(id), found, sizeof(found)), point) ||
	    expect_str("the fd's mount in the test's mountinfo", mount_point(getpid(), atoi(id), mine, sizeof(mine)), ""))
		return 1;
	if (expect_int("bytes read", pread(fd, buf, LEN, 0), LEN))
		return 1;
	return expect_bytes("the file's data", buf, data, LEN);
}

int main(int argc, char **argv)
{
	static char data[LEN];
	struct zdtm_waiter *w = waiter_new();
	char cwd[PATH_MAX], buf[4];
	int sk[2], fd = -1, nfds = 1, status = 0, ret;
	pid_t pid;

	test_init(argc, argv);
	datagen(data, LEN, 61);
	if (!getcwd(cwd, sizeof(cwd)) || socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sk))
		return fail_errno("getcwd, socketpair");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("mnt"));
	if (mkdir(point, 0755))
		return fail_errno("mkdir %s", point);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child(sk[1], w, data));
	close(sk[1]);   /* a child that gives up closes the last writer: the peek reads the end */
	if (recv(sk[0], buf, 1, MSG_PEEK) != 1 || scm_recv(sk[0], buf, sizeof(buf), &fd, &nfds) != 2 || nfds != 1) {
		waitpid(pid, &status, 0);
		return fail_errno("the child's fd (child exit status 0x%x)", status);
	}
	waiter_wait(w, 1);

	test_daemon();
	test_waitsig();

	ret = expect_fd(fd, pid, data);
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (ret || expect_int("the child's wait status (exit 3: unlink failed)", status, 0))
		return 1;
	return pass();
}
