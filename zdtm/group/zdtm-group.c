/*
 * A group's init (`zdtm run --set groups`): started by the runner like a test, it starts every
 * member test of its group as its own children, in its namespaces (ns, uns: libzdtm made them),
 * says ready once they all are, so that criu dumps and restores them as one tree, and on SIGTERM
 * ends them and writes one line per member ("member NAME: PASS" or the member's verdict line)
 * before its own verdict: PASS when no member failed.
 *
 * ZDTM_GROUP: the members' names (zdtm/static/env00 ...), ZDTM_GROUP_DIR: where those paths are
 * (the catalog's root in h, / in the test's own root in ns and uns). Each member works in a
 * directory of its own named after it. The members get the runner's identity (ZDTM_UID...);
 * the init stays root (flag suid), as it would need to be to switch theirs.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a group's init: starts its member tests in one tree, one verdict line per member",
	  .flags = "suid");

#define MAX_MEMBERS 32

struct member {
	char name[128], dir[4000], pidfile[4200], outfile[4200];
	pid_t pid;               /* the member test once ready, else 0 */
	char verdict[512];       /* its verdict line, or why it has none */
};

static struct member members[MAX_MEMBERS];
static int nmembers;

/* The first verdict line of a member's outfile ("PASS", "FAIL: ...", "SKIP: ..."), else "". */
static void read_verdict(struct member *m)
{
	char path[4300], line[512];
	FILE *f = fopen(m->outfile, "re");

	if (!f) {
		snprintf(path, sizeof(path), "%s.inprogress", m->outfile);
		f = fopen(path, "re");
	}
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strcmp(line, "PASS") || !strncmp(line, "FAIL: ", 6) || !strncmp(line, "SKIP: ", 6)) {
			snprintf(m->verdict, sizeof(m->verdict), "%s", line);
			break;
		}
	}
	if (f)
		fclose(f);
}

/* Runs the member's launcher and waits for it: exit 0 means the member is ready. */
static int start_member(struct member *m, const char *bindir, char *const *env)
{
	char exe[4400], pidarg[4500], outarg[4500], base[128], cwd[3800], dir[4000];
	int status;
	pid_t launcher;

	snprintf(base, sizeof(base), "%s", strrchr(m->name, '/') ? strrchr(m->name, '/') + 1 : m->name);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	snprintf(dir, sizeof(dir), "%s/%s", cwd, base);
	snprintf(m->dir, sizeof(m->dir), "%s", dir);
	if (mkdir(m->dir, 0777) && errno != EEXIST)
		return fail_errno("mkdir %s", m->dir);
	chmod(m->dir, 0777);   /* the member may drop root */
	snprintf(exe, sizeof(exe), "%s/%s", bindir, m->name);
	snprintf(m->pidfile, sizeof(m->pidfile), "%s/%s.pid", dir, base);
	snprintf(m->outfile, sizeof(m->outfile), "%s/%s.out", dir, base);
	snprintf(pidarg, sizeof(pidarg), "--pidfile=%s", m->pidfile);
	snprintf(outarg, sizeof(outarg), "--outfile=%s", m->outfile);
	launcher = fork();
	if (launcher < 0)
		return fail_errno("fork");
	if (launcher == 0) {
		char *argv[] = { exe, pidarg, outarg, NULL };

		if (chdir(m->dir) == 0)
			execve(exe, argv, env);
		_exit(127);
	}
	if (waitpid(launcher, &status, 0) != launcher)
		return fail_errno("waitpid %s", m->name);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		char buf[32] = "";
		int fd = open(m->pidfile, O_RDONLY);

		if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0)
			m->pid = atoi(buf);
		if (fd >= 0)
			close(fd);
		if (m->pid <= 0)
			return fail("%s: ready, but no pid in %s", m->name, m->pidfile);
		return 0;
	}
	/* Ended before it was ready: a skip, a failure to build its state, or a crash. */
	read_verdict(m);
	if (!m->verdict[0])
		snprintf(m->verdict, sizeof(m->verdict), "FAIL: ended before it was ready (wait status %#x)", status);
	return 0;
}

/* Our environment for the members: no namespace set-up of their own (they share ours). */
static char **member_env(char **env, size_t max)
{
	static const char *const drop[] = { "ZDTM_NEWNS=", "ZDTM_USERNS=", "ZDTM_ROOT=", "ZDTM_DEV=", "ZDTM_GROUP" };
	size_t n = 0;

	for (char **e = environ; *e && n < max - 1; e++) {
		bool keep = true;

		for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			keep &= strncmp(*e, drop[i], strlen(drop[i])) != 0;
		if (keep)
			env[n++] = *e;
	}
	env[n] = NULL;
	return env;
}

int main(int argc, char **argv)
{
	const char *list = getenv("ZDTM_GROUP"), *bindir = getenv("ZDTM_GROUP_DIR");
	char names[4300], *save = NULL, *env[128];
	int failed = 0, status;

	if (!list || !bindir)
		return fail("ZDTM_GROUP and ZDTM_GROUP_DIR must name the members");
	snprintf(names, sizeof(names), "%s", list);
	member_env(env, sizeof(env) / sizeof(env[0]));   /* before test_init: it reads ZDTM_UID */
	unsetenv("ZDTM_UID");
	unsetenv("ZDTM_GID");
	test_init(argc, argv);
	/* The members' launchers exit once they are ready: the members become our children. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		return fail_errno("PR_SET_CHILD_SUBREAPER");
	for (char *w = strtok_r(names, " ", &save); w && nmembers < MAX_MEMBERS; w = strtok_r(NULL, " ", &save)) {
		snprintf(members[nmembers].name, sizeof(members[0].name), "%s", w);
		if (start_member(&members[nmembers++], bindir, env))
			return 1;
	}

	test_daemon();
	test_waitsig();

	for (int i = 0; i < nmembers; i++)
		if (members[i].pid > 0 && kill(members[i].pid, SIGTERM))
			snprintf(members[i].verdict, sizeof(members[i].verdict), "FAIL: gone before SIGTERM");
	for (int i = 0; i < nmembers; i++) {
		struct member *m = &members[i];

		if (m->pid > 0 && !m->verdict[0]) {
			if (waitpid(m->pid, &status, 0) != m->pid)
				snprintf(m->verdict, sizeof(m->verdict), "FAIL: cannot wait for pid %d", m->pid);
			else if (read_verdict(m), !m->verdict[0])
				snprintf(m->verdict, sizeof(m->verdict), "FAIL: no verdict (wait status %#x)", status);
		}
		test_msg("member %s: %s", m->name, m->verdict);
		failed += !strncmp(m->verdict, "FAIL", 4);
	}
	while (waitpid(-1, &status, WNOHANG) > 0)   /* orphans of the members */
		;
	return failed ? fail("%d of %d members failed", failed, nmembers) : pass();
}
