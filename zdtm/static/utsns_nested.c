#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a child in a UTS namespace of its own: its hostname and domainname and the test's stay apart",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

#define PARENT_HOST "zdtm-utsns-parent.host"
#define PARENT_DOMAIN "zdtm-utsns-parent.domain"
#define CHILD_HOST "zdtm-utsns-child.host"
#define CHILD_DOMAIN "zdtm-utsns-child.domain"

static struct zdtm_waiter *w;   /* 1: the child is set up (or gave up); 2: C/R over, check */
static char *finding;           /* shared: the child's finding, "" when none */

static int set_names(const char *host, const char *domain)
{
	return sethostname(host, strlen(host)) || setdomainname(domain, strlen(domain)) ? -1 : 0;
}

/* uname() of the calling process names host and domain; else a finding in buf. */
static int check_names(char *buf, const char *who, const char *host, const char *domain)
{
	struct utsname u;

	if (uname(&u))
		return note(buf, "%s uname: %s", who, strerror(errno));
	if (strcmp(u.nodename, host) || strcmp(u.domainname, domain))
		return note(buf, "%s hostname \"%s\" domainname \"%s\", expected \"%s\" \"%s\"", who,
			    u.nodename, u.domainname, host, domain);
	return 0;
}

static int child(void)
{
	if (unshare(CLONE_NEWUTS) || set_names(CHILD_HOST, CHILD_DOMAIN))
		note(finding, "unshare(CLONE_NEWUTS) and set names: %s", strerror(errno));
	else
		check_names(finding, "its", CHILD_HOST, CHILD_DOMAIN);
	waiter_post(w, 1);
	if (finding[0])
		return 10;
	waiter_wait(w, 2);
	return check_names(finding, "its", CHILD_HOST, CHILD_DOMAIN) ? 11 : 0;
}

/* The test's own names, and the child in another UTS namespace (inodes compared now: they change on restore). */
static int check_parent(char *buf, pid_t pid)
{
	char path[64];
	struct stat mine, its;

	if (check_names(buf, "the test's", PARENT_HOST, PARENT_DOMAIN))
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", pid);
	if (stat("/proc/self/ns/uts", &mine) || stat(path, &its))
		return note(buf, "stat the uts namespaces: %s", strerror(errno));
	if (mine.st_ino == its.st_ino)
		return note(buf, "the child's uts namespace is the test's (inode %lu), expected its own",
			    (unsigned long)its.st_ino);
	return 0;
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "";
	int status = 0;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding)
		return fail_errno("mmap a shared buffer for the child's finding");
	if (set_names(PARENT_HOST, PARENT_DOMAIN))
		return fail_errno("set the test's hostname and domainname");
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
