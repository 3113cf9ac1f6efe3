/*
 * --crit, as CRIU's own CI does in a script of its own: after each dump, crit (criu's image tool,
 * in Debian's python3-pycriu of the same criu version, under .deps/pycriu from make deps) must
 * decode every image and encode it again to the same bytes (scripts/crit-roundtrip, one Python
 * for all images), and `crit x DIR ps` must list the tasks the runner saw in /proc before the dump.
 * Both run with the system's /usr/bin/python3, whose python3-protobuf pycriu needs.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crit.h"
#include "runner.h"

#define PYTHON "/usr/bin/python3"
#define MAX_TASKS 256

/* Runs argv with PYTHONPATH at .deps/pycriu, its output into out; 0 when it exited 0. */
static int run_python(char *const *argv, const char *out)
{
	extern char **environ;
	char root[4096], pypath[4200], *env[256];
	int n = 0, status = 0, fd;
	pid_t pid;

	runner_dir(root, sizeof(root), 1);
	snprintf(pypath, sizeof(pypath), "PYTHONPATH=%s/.deps/pycriu", root);
	for (char **e = environ; *e && n < 254; e++)
		if (strncmp(*e, "PYTHONPATH=", 11))
			env[n++] = *e;
	env[n++] = pypath;
	env[n] = NULL;
	if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return -1;
	pid = proc_spawn(argv, NULL, fd, env);
	close(fd);
	if (pid < 0 || proc_wait(pid, 60000, &status)) {
		if (pid > 0)
			proc_kill(pid);
		return -1;
	}
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

/* The last line of a file, for a reason. */
static void last_line(const char *path, char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen(path, "re");

	buf[0] = 0;
	while (f && fgets(line, sizeof(line), f))
		if (line[strspn(line, " \n")])
			snprintf(buf, len, "%.*s", (int)strcspn(line, "\n"), line);
	if (f)
		fclose(f);
}

static int roundtrip(const char *imgdir, const char *arg, char *why, size_t len)
{
	char root[4096], script[4200], out[4200], line[400];
	char *argv[] = { PYTHON, script, (char *)arg, NULL };

	runner_dir(root, sizeof(root), 1);
	snprintf(script, sizeof(script), "%s/scripts/crit-roundtrip", root);
	snprintf(out, sizeof(out), "%s/crit.out", imgdir ? imgdir : "/tmp");
	if (!run_python(argv, out)) {
		if (!imgdir)
			unlink(out);
		return 0;
	}
	last_line(out, line, sizeof(line));
	if (!imgdir)
		unlink(out);
	snprintf(why, len, "%s", line[0] ? line : "crit-roundtrip failed without a word");
	return -1;
}

int crit_probe(char *why, size_t len)
{
	return roundtrip(NULL, "--probe", why, len);
}

/* The task ids ("task N ...") of a state snapshot, in order of first appearance. */
static int state_tasks(const char *path, long *ids, int max)
{
	char line[256];
	FILE *f = fopen(path, "re");
	int n = 0;
	long id;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "task %ld ", &id) == 1 && (!n || ids[n - 1] != id) && n < max)
			ids[n++] = id;
	if (f)
		fclose(f);
	return n;
}

static bool listed(long id, const long *ids, int n)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* `crit x imgdir ps`: its PID column against the tasks the runner saw. */
static int same_tree(const char *imgdir, const char *state_before, char *why, size_t len)
{
	char out[4200], line[256];
	char *argv[] = { PYTHON, "-m", "crit", "x", (char *)imgdir, "ps", NULL };
	long seen[MAX_TASKS], crit[MAX_TASKS], pid;
	int nseen = state_tasks(state_before, seen, MAX_TASKS), ncrit = 0;
	FILE *f;

	snprintf(out, sizeof(out), "%s/crit-ps.out", imgdir);
	if (run_python(argv, out)) {
		last_line(out, line, sizeof(line));
		snprintf(why, len, "crit x DIR ps failed: %s", line);
		return -1;
	}
	f = fopen(out, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%ld", &pid) == 1 && ncrit < MAX_TASKS)
			crit[ncrit++] = pid;
	if (f)
		fclose(f);
	for (int i = 0; i < nseen; i++)
		if (!listed(seen[i], crit, ncrit)) {
			snprintf(why, len, "crit x DIR ps lists %d tasks without task %ld of the %d the runner saw",
				 ncrit, seen[i], nseen);
			return -1;
		}
	for (int i = 0; i < ncrit; i++)
		if (!listed(crit[i], seen, nseen)) {
			snprintf(why, len, "crit x DIR ps lists task %ld, which the runner did not see (it saw %d)",
				 crit[i], nseen);
			return -1;
		}
	return 0;
}

int crit_check(const char *imgdir, const char *state_before, char *why, size_t len)
{
	char what[500];

	if (roundtrip(imgdir, imgdir, what, sizeof(what))) {
		snprintf(why, len, "crit: %s", what);
		return -1;
	}
	return state_before && !access(state_before, R_OK) ? same_tree(imgdir, state_before, why, len) : 0;
}
