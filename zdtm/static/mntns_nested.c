#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child in a mount namespace of its own with a private tmpfs (size, nr_inodes, mode, nosuid, nodev) "
		 "holding a file: options and data kept, the test never sees it",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define FS_OPTS "size=2m,nr_inodes=77,mode=0710"
/* What the kernel shows of FS_OPTS in mountinfo's super options. */
static const char *const shown[] = { "size=2048k", "nr_inodes=77", "mode=710" };
#define DATA_LEN 5000
#define SEED 0x6d6e7473

static struct zdtm_waiter *w;   /* 1: the child is set up (or gave up); 2: C/R over, check */
static char *finding;           /* shared: the child's finding, "" when none */
static char point[PATH_MAX + 64];   /* the mount point's absolute path */

/*
 * The mounts at point in the caller's /proc/self/mountinfo: how many, and the last one as
 * "MOUNT-OPTIONS FSTYPE SOURCE SUPER-OPTIONS" (its ids and optional fields left out).
 */
static int mounts_at(char *desc, size_t len)
{
	char line[4096], where[PATH_MAX], opts[256], type[32], source[128], super[256], *dash;
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*d %*d %*u:%*u %*s %4095s %255s", where, opts) != 2 ||
		    sscanf(dash, " - %31s %127s %255s", type, source, super) != 3 || strcmp(where, point))
			continue;
		if (snprintf(desc, len, "%s %s %s %s", opts, type, source, super) < (int)len)
			n++;
	}
	fclose(f);
	return n;
}

static int check_file(void)
{
	char got[DATA_LEN + 1], want[DATA_LEN];
	int fd = open(test_path("mnt/data"), O_RDONLY), n;

	if (fd < 0)
		return note(finding, "open %s: %s, expected the file on its tmpfs", test_path("mnt/data"),
			    strerror(errno));
	n = read_all(fd, got, sizeof(got));
	close(fd);
	datagen(want, DATA_LEN, SEED);
	if (n != DATA_LEN || memcmp(got, want, DATA_LEN))
		return note(finding, "%s holds %d bytes (stamp %s), expected the %d bytes written",
			    test_path("mnt/data"), n, n > 4 && datachk(got, n) ? "good" : "bad", DATA_LEN);
	return 0;
}

/* Mounts its tmpfs, writes the file; its mountinfo entry is the state compared after C/R. */
static int setup(char *before)
{
	char data[DATA_LEN];
	int fd;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return note(finding, "unshare(CLONE_NEWNS), make / private: %s", strerror(errno));
	if (mount("zdtm_mntns_nested", point, "tmpfs", MS_NOSUID | MS_NODEV, FS_OPTS))
		return note(finding, "mount tmpfs %s on %s: %s", FS_OPTS, point, strerror(errno));
	datagen(data, DATA_LEN, SEED);
	fd = open(test_path("mnt/data"), O_WRONLY | O_CREAT | O_EXCL, 0640);
	if (fd < 0 || write_all(fd, data, DATA_LEN) || close(fd))
		return note(finding, "write %s: %s", test_path("mnt/data"), strerror(errno));
	if (mounts_at(before, ZDTM_FINDING_LEN) != 1)
		return note(finding, "no single mount at %s in its mountinfo after mounting", point);
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		if (!strstr(before, shown[i]))
			return note(finding, "its mount \"%s\" lacks %s", before, shown[i]);
	return 0;
}

static int child(void)
{
	char before[ZDTM_FINDING_LEN] = "", after[ZDTM_FINDING_LEN] = "";
	int n;

	setup(before);
	waiter_post(w, 1);
	if (finding[0])
		return 10;
	waiter_wait(w, 2);
	n = mounts_at(after, sizeof(after));
	if (n != 1)
		return note(finding, "%d mounts at %s in its mountinfo, expected 1: \"%s\"", n, point, before);
	if (strcmp(after, before))
		return note(finding, "its mount at %s is \"%s\", expected \"%s\"", point, after, before);
	return check_file() ? 12 : 0;
}

/* The test sees none of the child's mount, and the child is in another mount namespace. */
static int check_parent(char *buf, pid_t pid)
{
	char desc[ZDTM_FINDING_LEN], path[64];
	struct stat mine, its;
	int n = mounts_at(desc, sizeof(desc));

	if (n)
		return note(buf, "the test sees %d mounts at %s (\"%s\"), expected none", n, point, desc);
	if (!access(test_path("mnt/data"), F_OK))
		return note(buf, "the test sees %s, expected it only in the child's tmpfs", test_path("mnt/data"));
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	if (stat("/proc/self/ns/mnt", &mine) || stat(path, &its))
		return note(buf, "stat the mount namespaces: %s", strerror(errno));
	if (mine.st_ino == its.st_ino)
		return note(buf, "the child's mount namespace is the test's (inode %lu), expected its own",
			    (unsigned long)its.st_ino);
	return 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "", cwd[PATH_MAX];
	int status = 0;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding)
		return fail_errno("mmap a shared buffer for the child's finding");
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(point, sizeof(point), "%s/%s", cwd, test_path("mnt"));
	if (mkdir(point, 0755))
		return fail_errno("mkdir %s", point);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child());
	waiter_wait(w, 1);
	if (finding[0] || check_parent(problem, pid)) {
		waiter_post(w, 2);
		waitpid(pid, &status, 0);
		return expect_clean_end(finding, problem, status);
	}

	test_daemon();
	test_waitsig();

	check_parent(problem, pid);
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
