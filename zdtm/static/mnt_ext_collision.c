#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "an external mountpoint colliding with another mount in a nested mount namespace: the test's /mnt_ext is the runner's tmpfs (--external mnt[/mnt_ext]:zdtm_ext); a child in a mount namespace of its own unmounted its copy and mounted a tmpfs of its own at the same path; after C/R each namespace has its own mount at /mnt_ext (the external one with the runner's file, the child's with its file), neither taken for the other; ns and uns only: the runner makes external mounts only there",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "extmnt suid");

#define MARKER "zdtm: a file of the external mount\n"
#define CHILDS "the child's own tmpfs at /mnt_ext\n"

static struct zdtm_waiter *w;   /* 1: the child is set up (or gave up); 2: C/R over, check */
static char *finding;           /* shared: the child's finding, "" when none */

static int expect_file(char *buf, const char *who, const char *path, const char *want)
{
	char got[256];
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return note(buf, "%s: open %s: %s", who, path, strerror(errno));
	n = read(fd, got, sizeof(got) - 1);
	close(fd);
	got[n < 0 ? 0 : n] = 0;
	if (strcmp(got, want))
		return note(buf, "%s: %s holds \"%s\", expected \"%s\"", who, path, got, want);
	return 0;
}

/* /mnt_ext is one mount, of root root, type tmpfs and source source; its mountinfo into desc. */
static int expect_mount(char *buf, const char *who, const char *source, char *desc, size_t len)
{
	char want[128];

	if (mountinfo_at("/mnt_ext", desc, len) != 1)
		return note(buf, "%s: /mnt_ext should be one mount, mountinfo has \"%s\"", who, desc);
	snprintf(want, sizeof(want), " tmpfs %s ", source);
	if (strncmp(desc, "/ ", 2) || !strstr(desc, want))
		return note(buf, "%s: /mnt_ext is \"%s\", expected the root / of tmpfs %s", who, desc, source);
	return 0;
}

static int child(void)
{
	char before[512] = "", after[512] = "";
	int fd;

	if (unshare(CLONE_NEWNS) || umount2("/mnt_ext", MNT_DETACH) ||
	    mount("zdtm-collision", "/mnt_ext", "tmpfs", 0, "size=64k,mode=0755"))
		note(finding, "the child: unshare(CLONE_NEWNS), umount /mnt_ext, mount a tmpfs there: %s",
		     strerror(errno));
	else if (!expect_mount(finding, "the child before C/R", "zdtm-collision", before, sizeof(before))) {
		fd = open("/mnt_ext/marker", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write_all(fd, CHILDS, strlen(CHILDS)) || close(fd))
			note(finding, "the child: write /mnt_ext/marker: %s", strerror(errno));
	}
	waiter_post(w, 1);
	if (finding[0])
		return 10;
	waiter_wait(w, 2);
	if (expect_mount(finding, "the child after C/R", "zdtm-collision", after, sizeof(after)) ||
	    expect_file(finding, "the child after C/R", "/mnt_ext/marker", CHILDS))
		return 11;
	if (strcmp(after, before))
		return note(finding, "the child's /mnt_ext is \"%s\" after C/R, expected \"%s\"", after, before);
	return 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "", before[512] = "", after[512] = "";
	int status = 0;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding)
		return fail_errno("mmap a shared buffer for the child's finding");
	if (expect_mount(problem, "the test before C/R", "zdtm-ext", before, sizeof(before)))
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

	if (!expect_mount(problem, "the test after C/R", "zdtm-ext", after, sizeof(after)) &&
	    !expect_file(problem, "the test after C/R", "/mnt_ext/marker", MARKER) && strcmp(after, before))
		note(problem, "the test's /mnt_ext is \"%s\" after C/R, expected \"%s\"", after, before);
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
