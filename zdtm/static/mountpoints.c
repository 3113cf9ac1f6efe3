#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a rich mount tree: tmpfs with an overmounted file, a non-root bind, a bind of a file, peers and slaves of a shared tmpfs with a mount propagated to some and removed from one, proc with an open file, and a child's own mount namespace with a tmpfs of its own and a ghost: both trees, files, fds, propagation",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

/*
 * Under NAME.d (a tmpfs):
 *   file                       written, held open on fd tfd
 *   over/                      holds test.over, then a tmpfs is mounted on it
 *   module                     a bind of the directory non-root/
 *   bmfile-mount               a bind of the file bmfile
 *   share-1                    a shared tmpfs; share-2, share-3 binds of it (peers)
 *   slave, slave2              binds of share-1 and share-3 made slaves
 *   share-1/sub                a tmpfs mounted after: on the peers and slaves, unmounted from slave2
 *   slave/own                  a tmpfs on the slave only
 *   kernel                     proc, kernel/meminfo held open on fd pfd
 *   ns2                        (the child's namespace only) a tmpfs with file, and a ghost held open
 */
#define GHOST_FD 60   /* the child's fd on its ghost */

static char top[PATH_MAX + 64], tree[4][32768];
static struct zdtm_waiter *w;
static char *finding;

static const char *at(const char *sub)
{
	static char p[4][PATH_MAX + 128];
	static int k;
	char *s = p[k++ % 4];

	snprintf(s, PATH_MAX + 128, "%s/%s", top, sub);
	return s;
}

static int bind(const char *from, const char *to, unsigned long then)
{
	if (mount(at(from), at(to), NULL, MS_BIND, NULL) || (then && mount(NULL, at(to), NULL, then, NULL)))
		return fail_errno("bind %s on %s", at(from), at(to));
	return 0;
}

static int tmpfs(const char *sub, unsigned long then)
{
	if ((mkdir(at(sub), 0755) && errno != EEXIST) || mount("zdtm_mpts", at(sub), "tmpfs", 0, "size=64k") ||
	    (then && mount(NULL, at(sub), NULL, then, NULL)))
		return fail_errno("tmpfs on %s", at(sub));
	return 0;
}

static int build(int *tfd, int *pfd)
{
	if (mkdir(top, 0755) || mount("zdtm_mpts", top, "tmpfs", 0, "size=1m"))
		return fail_errno("tmpfs on %s", top);
	*tfd = open(at("file"), O_RDWR | O_CREAT | O_EXCL, 0644);
	if (*tfd < 0 || write_all(*tfd, "hello", 5) || mkdir(at("over"), 0755) ||
	    mknod(at("over/test.over"), S_IFREG | 0600, 0) || tmpfs("over", 0))
		return fail_errno("file, over/test.over");
	if (mkdir(at("non-root"), 0755) || mkdir(at("module"), 0755) || bind("non-root", "module", 0) ||
	    mkdir(at("non-root/test"), 0755))
		return 1;
	if (mknod(at("bmfile"), S_IFREG | 0600, 0) || mknod(at("bmfile-mount"), S_IFREG | 0600, 0) ||
	    bind("bmfile", "bmfile-mount", 0))
		return fail_errno("bmfile");
	if (tmpfs("share-1", MS_SHARED) || mkdir(at("share-2"), 0755) || mkdir(at("share-3"), 0755) ||
	    mkdir(at("slave"), 0755) || mkdir(at("slave2"), 0755) || bind("share-1", "share-2", 0) ||
	    bind("share-1", "share-3", 0) || bind("share-1", "slave", MS_SLAVE) || bind("share-3", "slave2", MS_SLAVE))
		return 1;
	if (tmpfs("share-1/sub", 0) || mkdir(at("share-1/sub/test.share"), 0755) || umount(at("slave2/sub")))
		return fail_errno("share-1/sub, umount slave2/sub");
	if (tmpfs("slave/own", 0) || mkdir(at("slave/own/test.slave"), 0755))
		return 1;
	if (mkdir(at("kernel"), 0755) || mount("proc", at("kernel"), "proc", 0, NULL))
		return fail_errno("proc on %s", at("kernel"));
	*pfd = open(at("kernel/meminfo"), O_RDONLY);
	if (*pfd < 0 || mkdir(at("ns2"), 0755))
		return fail_errno("open %s", at("kernel/meminfo"));
	return 0;
}

static void child(void)
{
	int fd, gfd;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("zdtm_mntns2", at("ns2"), "tmpfs", 0, "size=64k") || mkdir(at("ns2/test"), 0755)) {
		note(finding, "own mount namespace with a tmpfs on %s: %s", at("ns2"), strerror(errno));
	} else {
		fd = open(at("ns2/test/test.file"), O_WRONLY | O_CREAT, 0644);
		gfd = open(at("ns2/test/ghost"), O_WRONLY | O_CREAT, 0644);
		if (fd < 0 || gfd < 0 || write_all(gfd, "ghost", 5) || unlink(at("ns2/test/ghost")) ||
		    dup2(gfd, GHOST_FD) != GHOST_FD)
			note(finding, "files in %s: %s", at("ns2/test"), strerror(errno));
		else
			close(gfd);
	}
	waiter_post(w, 1);
	for (;;)
		pause();
}

static bool same(const char *a, const char *b)
{
	struct stat x, y;

	return !stat(at(a), &x) && !stat(at(b), &y) && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* The child's fd GHOST_FD is on an unlinked file holding "ghost". */
static int expect_ghost(pid_t pid)
{
	char path[64], buf[8] = "";
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, GHOST_FD);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || pread(fd, buf, sizeof(buf) - 1, 0) < 0)
		return fail_errno("the child's ghost (%s)", path);
	close(fd);
	if (st.st_nlink || strcmp(buf, "ghost"))
		return fail("the child's ghost has %lu links and holds \"%s\", expected 0 and \"ghost\"",
			    (unsigned long)st.st_nlink, buf);
	return 0;
}

/* What the paths and fds show. */
static int expect_files(pid_t pid, int tfd, int pfd)
{
	char buf[16] = "", path[PATH_MAX + 200];

	if (pread(tfd, buf, sizeof(buf) - 1, 0) != 5 || strcmp(buf, "hello"))
		return fail("the open %s holds \"%s\", expected \"hello\"", at("file"), buf);
	if (pread(pfd, buf, 9, 0) != 9 || memcmp(buf, "MemTotal:", 9))
		return fail_errno("the open %s reads \"%.9s\", expected \"MemTotal:\"", at("kernel/meminfo"), buf);
	if (access(at("kernel/self/stat"), R_OK) || access(at("non-root/test"), F_OK) || access(at("module/test"), F_OK))
		return fail_errno("kernel/self/stat, non-root/test, module/test");
	if (!same("bmfile", "bmfile-mount"))
		return fail("bmfile-mount is bmfile: %d, expected 1", same("bmfile", "bmfile-mount"));
	if (access(at("over/test.over"), F_OK) == 0)
		return fail("%s is seen, expected it hidden by the tmpfs over it", at("over/test.over"));
	for (const char *const *s = (const char *const[]){ "share-2", "share-3", "slave", NULL }; *s; s++) {
		char p[64];

		snprintf(p, sizeof(p), "%s/sub/test.share", *s);
		if (!same("share-1/sub/test.share", p))
			return fail("%s is not share-1/sub/test.share, expected the mount propagated there", at(p));
	}
	if (!access(at("slave2/sub/test.share"), F_OK) || same("share-1/own", "slave/own") ||
	    access(at("slave/own/test.slave"), F_OK))
		return fail("slave2/sub/test.share %s, share-1/own is slave/own: %d, slave/own/test.slave %s: expected "
			    "no, 0 (no propagation from the slave), yes", access(at("slave2/sub/test.share"), F_OK) ? "no" : "yes",
			    same("share-1/own", "slave/own"), access(at("slave/own/test.slave"), F_OK) ? "no" : "yes");
	snprintf(path, sizeof(path), "/proc/%d/root%s", pid, at("ns2/test/test.file"));
	if (access(path, F_OK) || !access(at("ns2/test"), F_OK))
		return fail("%s: %d, %s in the test's namespace: %d, expected 0 and -1", path, access(path, F_OK),
			    at("ns2/test"), access(at("ns2/test"), F_OK));
	return expect_ghost(pid);
}

static int expect_all(pid_t pid, int tfd, int pfd, int k)
{
	if (mountinfo_tree(0, top, tree[k], sizeof(tree[k])) < 0 ||
	    mountinfo_tree(pid, top, tree[k + 1], sizeof(tree[k + 1])) < 0)
		return fail_errno("mountinfo");
	if (k && (expect_lines("the test's mounts", tree[2], tree[0]) ||
		  expect_lines("the child's mounts", tree[3], tree[1])))
		return 1;
	return expect_files(pid, tfd, pfd);
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
	int tfd = -1, pfd = -1;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	if (!(finding = finding_new()) || !getcwd(cwd, sizeof(cwd)))
		return fail_errno("mmap, getcwd");
	snprintf(top, sizeof(top), "%s/%s", cwd, test_path("d"));
	if (build(&tfd, &pfd))
		return 1;
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		child();
	waiter_wait(w, 1);
	if (finding[0])
		return end(pid, fail("the child: %s", finding));
	if (expect_all(pid, tfd, pfd, 0))
		return end(pid, 1);

	test_daemon();
	test_waitsig();

	if (expect_all(pid, tfd, pfd, 2))
		return end(pid, 1);
	/* the file under the overmount is still there */
	if (umount(at("over")) || access(at("over/test.over"), F_OK))
		return end(pid, fail_errno("umount %s, then %s", at("over"), at("over/test.over")));
	return end(pid, pass());
}
