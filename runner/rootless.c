/*
 * --rootless: a job's cycle runs the way CRIU's CI runs its rootless job (`sudo -u nobody
 * unshare -Ucfpm --mount-proc zdtm.py run --rootless`): as USER_UID, in a user namespace that
 * uid owns (it is mapped to itself, nothing else is), with mount, pid and cgroup namespaces of
 * that user namespace. Nothing there is privileged: the runner's side holds no capability, the
 * tests keep their uid, and criu (--unprivileged) gets cap_checkpoint_restore and cap_sys_ptrace
 * from its file capabilities, in that user namespace only.
 *
 * criu is the run's own copy of the engine (rootless_criu), with just those file capabilities.
 *
 * The job's init (root, pid 1 of the sandbox) makes the namespaces and waits; the cycle runs in
 * its child, pid 1 of the new pid namespace, which reaps the test's orphans. The sandbox around
 * it is unchanged: when the job's init ends, everything in it ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "rootless.h"

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = -1;

	if (fd >= 0) {
		rc = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
		close(fd);
	}
	return rc;
}

/* Becomes USER_UID, then the owner of a new user namespace, with the namespaces it owns. */
static const char *own_namespaces(const char *dir, int log)
{
	char map[64], path[4200];

	/* The job's directory (made by root) is where the cycle writes everything. */
	snprintf(path, sizeof(path), "%s/job.log", dir);
	if (chown(dir, USER_UID, USER_GID) || chown(path, USER_UID, USER_GID))
		return "chown the job's directory";
	if (setgroups(0, NULL) || setresgid(USER_GID, USER_GID, USER_GID) || setresuid(USER_UID, USER_UID, USER_UID))
		return "drop to the unprivileged uid";
	/* The uid change made the task undumpable, which gives its /proc files to root: its own maps
	 * below could not be written. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) || unshare(CLONE_NEWUSER))
		return "a user namespace of its own";
	snprintf(map, sizeof(map), "%d %d 1\n", USER_UID, USER_UID);
	if (write_text("/proc/self/setgroups", "deny") || write_text("/proc/self/uid_map", map))
		return "map its uid";
	snprintf(map, sizeof(map), "%d %d 1\n", USER_GID, USER_GID);
	if (write_text("/proc/self/gid_map", map))
		return "map its gid";
	if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWCGROUP))
		return "mount, pid and cgroup namespaces";
	logf_(log, "rootless: uid %d owns the job's user namespace", USER_UID);
	return NULL;
}

/* In the new pid namespace: its /proc, a devpts of the new user namespace (a pty's owner must be a
 * uid it maps, or criu cannot give it back), then no capability left. The bounding set stays full, as
 * under CRIU's CI: criu restores a task's bounding set, and one with less than the default would be
 * restored by dropping capabilities (CAP_SETPCAP), which an unprivileged criu cannot do. */
static const char *unprivileged(int log)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct none[2] = { { 0 } };

	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return "mount /proc of its pid namespace";
	if (sandbox_devpts(log))
		return "a devpts of its own";
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) || syscall(SYS_capset, &head, none))
		return "drop its capabilities";
	return NULL;
}

int rootless_enter(const char *dir, int log, struct result *r)
{
	const char *what = own_namespaces(dir, log);
	int status;
	pid_t pid;

	if (!what && (pid = fork()) == 0) {
		if ((what = unprivileged(log))) {
			logf_(log, "rootless: %s: %s", what, strerror(errno));
			_exit(1);
		}
		return 0;
	}
	if (!what && pid < 0)
		what = "fork pid 1 of its pid namespace";
	if (what) {
		snprintf(r->reason, sizeof(r->reason), "--rootless: %s: %s", what, strerror(errno));
		logf_(log, "%s", r->reason);
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	proc_status_str(status, r->reason, sizeof(r->reason));
	snprintf(r->reason + strlen(r->reason), sizeof(r->reason) - strlen(r->reason),
		 ": the job's unprivileged pid 1 ended without a result (--rootless; see job.log)");
	return -1;
}

/* What CRIU's CI gives its criu for the rootless job: setcap cap_checkpoint_restore,cap_sys_ptrace+eip. */
static int set_file_caps(const char *path)
{
	struct vfs_cap_data caps = { .magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE };

	caps.data[CAP_TO_INDEX(CAP_SYS_PTRACE)].permitted |= CAP_TO_MASK(CAP_SYS_PTRACE);
	caps.data[CAP_TO_INDEX(CAP_CHECKPOINT_RESTORE)].permitted |= CAP_TO_MASK(CAP_CHECKPOINT_RESTORE);
	for (int i = 0; i < VFS_CAP_U32; i++)
		caps.data[i].inheritable = caps.data[i].permitted;
	return setxattr(path, "security.capability", &caps, sizeof(caps), 0);
}

static void copy_path(const char *rundir, bool restore, char *buf, size_t len)
{
	snprintf(buf, len, "%s/criu-rootless%s", rundir, restore ? "-restore" : "");
}

void rootless_remove(const char *rundir)
{
	char path[4200];

	for (int restore = 0; restore < 2; restore++) {
		copy_path(rundir, restore, path, sizeof(path));
		unlink(path);
	}
}

int rootless_criu(const char *rundir, bool restore, struct engine *e)
{
	char copy[4200];
	struct statvfs fs;

	copy_path(rundir, restore, copy, sizeof(copy));
	if (!statvfs(rundir, &fs) && (fs.f_flag & ST_NOSUID)) {
		fprintf(stderr, "zdtm: --rootless: %s is on a nosuid mount, where criu's file capabilities would "
			"not apply\n", rundir);
		return -1;
	}
	if (copy_file(e->path, copy, 0755) || set_file_caps(copy)) {
		fprintf(stderr, "zdtm: --rootless: a copy of %s with file capabilities at %s: %s\n", e->path, copy,
			strerror(errno));
		unlink(copy);
		return -1;
	}
	snprintf(e->path, sizeof(e->path), "%s", copy);
	e->file_caps = true;
	return 0;
}
