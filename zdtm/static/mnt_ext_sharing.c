#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an external mount shared across mount namespaces: the runner's tmpfs bound at /mnt_ext (--external mnt[/mnt_ext]:zdtm_ext), made shared by the test, and a child in a mount namespace of its own whose copy of it is a peer (the same shared:N); after C/R both are the same tmpfs in one peer group, and a tmpfs the child mounts on /mnt_ext/sub shows in the test's /mnt_ext/sub; ns and uns only: the runner makes external mounts only there",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "extmnt suid");

#define MARKER "zdtm: a file of the external mount\n"
#define WRITTEN "written by the child after C/R\n"

static struct zdtm_waiter *w;   /* 1: the child is set up (or gave up); 2: C/R over, check; 3: mounted */
static char *finding;           /* shared: the child's finding, "" when none */
static char *child_group;       /* shared: the child's shared:N after C/R */

/* /mnt_ext as mountinfo shows it ("ROOT OPTS FSTYPE SOURCE SUPER") and its shared:N; 0 or a note. */
static int ext_mount(char *buf, const char *who, char *desc, size_t len, char *group, size_t glen)
{
	char line[1024], mp[512], *p;
	FILE *f;

	if (mountinfo_at("/mnt_ext", desc, len) != 1)
		return note(buf, "%s: /mnt_ext should be one mount, mountinfo has \"%s\"", who, desc);
	if (strncmp(desc, "/ ", 2) || !strstr(desc, " tmpfs zdtm-ext "))
		return note(buf, "%s: /mnt_ext is \"%s\", expected the runner's tmpfs zdtm-ext at its root /", who,
			    desc);
	group[0] = 0;
	if (!(f = fopen("/proc/self/mountinfo", "re")))
		return note(buf, "%s: open mountinfo: %s", who, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %*s %*s %511s", mp) == 1 && !strcmp(mp, "/mnt_ext"))
			for (p = strtok(line, " \n"); p && strcmp(p, "-"); p = strtok(NULL, " \n"))
				if (!strncmp(p, "shared:", 7))
					snprintf(group, glen, "%s", p);
	fclose(f);
	if (!group[0])
		return note(buf, "%s: /mnt_ext is not shared (no shared:N in mountinfo)", who);
	return 0;
}

static int read_file(char *buf, const char *path, const char *want)
{
	char got[256];
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return note(buf, "open %s: %s", path, strerror(errno));
	n = read(fd, got, sizeof(got) - 1);
	close(fd);
	got[n < 0 ? 0 : n] = 0;
	if (strcmp(got, want))
		return note(buf, "%s holds \"%s\", expected \"%s\"", path, got, want);
	return 0;
}

/* In a mount namespace of its own: its /mnt_ext a peer of the test's; after C/R it mounts on sub. */
static int child(void)
{
	char desc[512], group[32];
	int fd;

	if (unshare(CLONE_NEWNS))
		note(finding, "unshare(CLONE_NEWNS): %s", strerror(errno));
	else
		ext_mount(finding, "the child before C/R", desc, sizeof(desc), group, sizeof(group));
	waiter_post(w, 1);
	if (finding[0])
		return 10;
	waiter_wait(w, 2);
	if (ext_mount(finding, "the child after C/R", desc, sizeof(desc), child_group, 32) ||
	    read_file(finding, "/mnt_ext/marker", MARKER))
		return 11;
	if (mount("zdtm-ext-sharing", "/mnt_ext/sub", "tmpfs", 0, "size=64k"))
		return note(finding, "the child: mount a tmpfs on /mnt_ext/sub: %s", strerror(errno));
	fd = open("/mnt_ext/sub/written", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, WRITTEN, strlen(WRITTEN)) || close(fd))
		return note(finding, "the child: write /mnt_ext/sub/written: %s", strerror(errno));
	waiter_post(w, 3);
	return 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "", desc[512], before[512], group[32], mounted[512];
	int status = 0;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	child_group = finding_new();
	if (!finding || !child_group)
		return fail_errno("mmap a shared buffer for the child's finding");
	if (mount(NULL, "/mnt_ext", NULL, MS_SHARED, NULL))
		return fail_errno("make /mnt_ext shared");
	if (ext_mount(problem, "the test before C/R", before, sizeof(before), group, sizeof(group)))
		return fail("%s", problem);
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child());
	waiter_wait(w, 1);
	if (finding[0]) {
		waitpid(pid, &status, 0);
		return expect_clean_end(finding, "", status);
	}

	test_daemon();
	test_waitsig();

	if (!ext_mount(problem, "the test after C/R", desc, sizeof(desc), group, sizeof(group)) && strcmp(desc, before))
		note(problem, "the test's /mnt_ext is \"%s\" after C/R, expected \"%s\"", desc, before);
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (expect_clean_end(finding, problem, status))
		return 1;
	/* One peer group across the two namespaces: the child's mount propagated to the test. */
	if (expect_str("the child's /mnt_ext peer group (the test's)", child_group, group))
		return 1;
	if (mountinfo_at("/mnt_ext/sub", mounted, sizeof(mounted)) != 1 || !strstr(mounted, " tmpfs zdtm-ext-sharing "))
		return fail("the test's /mnt_ext/sub is \"%s\", expected the child's tmpfs zdtm-ext-sharing propagated", mounted);
	if (read_file(problem, "/mnt_ext/sub/written", WRITTEN))
		return fail("%s", problem);
	if (umount("/mnt_ext/sub"))
		return fail_errno("umount /mnt_ext/sub");
	return pass();
}
