/*
 * Driving criu: one function builds and runs every call, so each gets
 * --no-default-config, its own log in the images directory, its argv saved
 * beside the images (ACTION.argv), the test's declared options, and a timeout.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "criu.h"

#define CRIU_TIMEOUT_MS 60000
#define MAX_ARGS 96

/* Lines criu logs as errors on every run on some machines, that explain nothing. */
static const char *const harmless[] = {
	"rlimit: Can't setup RLIMIT_NOFILE for self",   /* no CAP_SYS_RESOURCE in the bounding set */
};

static bool is_harmless(const char *line)
{
	for (size_t i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++)
		if (strstr(line, harmless[i]))
			return true;
	return false;
}

/* criu's own errors look like "Error (file.c:N): ..."; tools it runs (ip, iptables) also print
 * "Error: ..." lines that criu itself ignores, so those only count when there is nothing else. */
void criu_first_error(const char *log, char *buf, size_t len)
{
	FILE *f = fopen(log, "re");
	char line[1024];
	bool own = false;

	buf[0] = 0;
	while (!own && f && fgets(line, sizeof(line), f)) {
		if (!strstr(line, "Error") || is_harmless(line) || (buf[0] && !strstr(line, "Error (")))
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(buf, len, "%s", line);
		own = strstr(line, "Error (") != NULL;
	}
	if (f)
		fclose(f);
}

/* Appends the words of a space separated option string. */
static int add_words(char **argv, int n, char *words)
{
	char *save;

	for (char *w = strtok_r(words, " ", &save); w && n < MAX_ARGS - 1; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	return n;
}

static void save_argv(const char *path, char **argv)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return;
	for (int i = 0; argv[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", argv[i]);
	fputc('\n', f);
	fclose(f);
}

int criu_run(const struct criu_call *c, struct result *r)
{
	char *argv[MAX_ARGS], log[4200], out[4200], saved[4200], opts[256], extra[256];
	int n = 0, fd, status, rc;
	double start;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/%s.log", c->imgdir, c->action);
	snprintf(out, sizeof(out), "%s/%s.out", c->imgdir, c->action);
	snprintf(saved, sizeof(saved), "%s/%s.argv", c->imgdir, c->action);
	snprintf(opts, sizeof(opts), "%s", c->test->opts);
	snprintf(extra, sizeof(extra), "%s", c->phase_opts ? c->phase_opts : "");
	argv[n++] = (char *)c->engine->path;
	argv[n++] = (char *)c->action;
	argv[n++] = "--no-default-config";
	argv[n++] = "--images-dir";
	argv[n++] = (char *)c->imgdir;
	argv[n++] = "--log-file";
	argv[n++] = log;
	argv[n++] = "-v4";
	for (int i = 0; c->args[i] && n < MAX_ARGS - 8; i++)
		argv[n++] = (char *)c->args[i];
	n = add_words(argv, n, opts);
	n = add_words(argv, n, extra);
	argv[n] = NULL;
	save_argv(saved, argv);

	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	start = now_sec();
	pid = proc_spawn(argv, c->imgdir, fd, NULL);
	if (fd >= 0)
		close(fd);
	rc = pid < 0 ? -1 : proc_wait(pid, CRIU_TIMEOUT_MS * c->timeout_mul, &status);
	r->criu += now_sec() - start;
	snprintf(r->phase, sizeof(r->phase), "%s", c->action);
	if (rc == 1) {
		proc_kill(pid);
		r->verdict = V_TIMEOUT;
		snprintf(r->reason, sizeof(r->reason), "criu %s did not finish in %.0f s",
			 c->action, CRIU_TIMEOUT_MS * c->timeout_mul / 1000);
		return CRIU_CRASHED;
	}
	if (rc || !WIFEXITED(status) || WEXITSTATUS(status)) {
		char err[400], st[64] = "not started";

		if (!rc)
			proc_status_str(status, st, sizeof(st));
		criu_first_error(log, err, sizeof(err));
		r->verdict = V_FAIL;
		snprintf(r->reason, sizeof(r->reason), "criu %s failed (%s): %s", c->action, st,
			 err[0] ? err : "no Error line in its log");
		return !rc && WIFEXITED(status) ? CRIU_REFUSED : CRIU_CRASHED;
	}
	return 0;
}
