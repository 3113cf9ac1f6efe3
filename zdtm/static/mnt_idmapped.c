#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an idmapped bind mount of a tmpfs (mount_setattr MOUNT_ATTR_IDMAP, uid/gid 0 shown as 1000) with a file in it",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define MAPPED 1000

static char src[512], dst[512];

/* A user namespace mapping its 0 to our MAPPED, held by a child; its fd, or -1. */
static int idmap_userns(pid_t *child)
{
	char path[64], map[32];
	int sync[2], fd;
	char c;

	if (pipe(sync))
		return -1;
	*child = fork();
	if (*child < 0)
		return -1;
	if (*child == 0) {
		if (unshare(CLONE_NEWUSER))
			_exit(1);
		close(sync[0]);
		close(sync[1]);   /* unshared: the parent may write the maps */
		pause();
		_exit(0);
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) < 0)
		return -1;
	close(sync[0]);
	snprintf(map, sizeof(map), "0 %d 1\n", MAPPED);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)*child, i ? "gid_map" : "uid_map");
		fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, map, strlen(map)) != (ssize_t)strlen(map) || close(fd))
			return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)*child);
	return open(path, O_RDONLY | O_CLOEXEC);
}

static int expect_owner(const char *dir, int uid)
{
	char path[600];
	struct stat st;

	snprintf(path, sizeof(path), "%s/file", dir);
	if (stat(path, &st))
		return fail_errno("stat %s", path);
	if (st.st_uid != (uid_t)uid || st.st_gid != (gid_t)uid)
		return fail("%s is owned by %d:%d, expected %d:%d", path, st.st_uid, st.st_gid, uid, uid);
	return 0;
}

static int check(void)
{
	char mounts[1024];

	if (mountinfo_at(dst, mounts, sizeof(mounts)) != 1)
		return fail("mounts at %s: \"%s\", expected one", dst, mounts);
	if (!strstr(mounts, "idmapped"))
		return fail("the mount at %s is \"%s\", expected \"idmapped\" among its options", dst, mounts);
	return expect_owner(dst, MAPPED) || expect_owner(src, 0);
}

int main(int argc, char **argv)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };
	char cwd[256], path[600];
	int fd, tree, status, userns;
	pid_t child = -1;

	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(src, sizeof(src), "%s/%s", cwd, test_path("src"));
	snprintf(dst, sizeof(dst), "%s/%s", cwd, test_path("dst"));
	snprintf(path, sizeof(path), "%s/file", src);
	if (mkdir(src, 0755) || mkdir(dst, 0755) || mount("zdtm", src, "tmpfs", 0, "size=1m") ||
	    (fd = open(path, O_WRONLY | O_CREAT, 0644)) < 0 || close(fd))
		return fail_errno("a tmpfs on %s with a file", src);
	userns = idmap_userns(&child);
	if (userns < 0)
		return fail_errno("a user namespace for the idmapping");
	attr.userns_fd = userns;
	tree = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return fail_errno("open_tree(OPEN_TREE_CLONE) %s", src);
	if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr))) {
		kill(child, SIGKILL);
		if (errno == EINVAL || errno == ENOSYS)
			return skip("no idmapped tmpfs mounts: mount_setattr: %s", strerror(errno));
		return fail_errno("mount_setattr(MOUNT_ATTR_IDMAP)");
	}
	if (move_mount(tree, "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH))
		return fail_errno("move_mount to %s", dst);
	close(tree);
	close(userns);
	kill(child, SIGKILL);   /* the mount holds the user namespace */
	waitpid(child, &status, 0);
	if (check())
		return 1;

	test_daemon();
	test_waitsig();

	return check() ? 1 : pass();
}
