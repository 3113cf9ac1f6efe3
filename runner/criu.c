/*
 * Driving criu: one function builds and runs every call, so each gets
 * --no-default-config, its own log in the images directory, its argv saved
 * beside the images (ACTION.argv), the test's declared options, and a timeout.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "criu.h"

#define CRIU_TIMEOUT_MS 60000

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

/* Lines criu copied from a program it ran (not its own "(secs) ..." lines): the last few before
 * the current line, joined with "; ". */
struct child_output {
	char text[300];
};

static void child_output_add(struct child_output *c, const char *line)
{
	if (line[0] == '(' || !line[0]) {
		c->text[0] = 0;   /* a line of criu's own ends the program's output */
		return;
	}
	if (c->text[0] && strlen(c->text) + strlen(line) + 3 >= sizeof(c->text))
		memmove(c->text, c->text + strlen(c->text) / 2, strlen(c->text) / 2 + 1);
	snprintf(c->text + strlen(c->text), sizeof(c->text) - strlen(c->text), "%s%s", c->text[0] ? "; " : "",
		 line);
}

/* criu's own errors look like "Error (file.c:N): ..."; tools it runs (ip, iptables) also print
 * "Error: ..." lines that criu itself ignores, so those only count when there is nothing else.
 * When criu's error is only a program's exit status ("exited, status=127"), what that program
 * printed just before it is the real cause ("sh: 1: iptables: not found") and leads the reason. */
void criu_first_error(const char *log, char *buf, size_t len)
{
	FILE *f = fopen(log, "re");
	struct child_output child = { "" };
	char line[1024];
	bool own = false;

	buf[0] = 0;
	while (!own && f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strstr(line, "Error") || is_harmless(line) || (buf[0] && !strstr(line, "Error ("))) {
			child_output_add(&child, line);
			continue;
		}
		own = strstr(line, "Error (") != NULL;
		if (own && strstr(line, "exited, status=") && child.text[0])
			snprintf(buf, len, "%s; %s", child.text, line);
		else
			snprintf(buf, len, "%s", line);
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

static void save_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
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

/* criu's config file syntax: one option a line without its dashes, its argument after a blank,
 * in double quotes (with \" and \\ escaped) when it holds a blank, a quote or a '#'. */
static void config_text(char *const *opts, char *out, size_t len)
{
	size_t used = 0;

	out[0] = 0;
	for (int i = 0; opts[i] && used < len; i++) {
		const char *w = opts[i];

		if (w[0] == '-') {
			/* -v4 is the one short option the runner gives; a config file names options long. */
			w = !strncmp(w, "-v", 2) && w[1] != '-' ? "verbosity=4" : w + strspn(w, "-");
			used += snprintf(out + used, len - used, "%s%s", used ? "\n" : "", w);
			continue;
		}
		if (!strpbrk(w, " \t\"#\\")) {
			used += snprintf(out + used, len - used, " %s", w);
			continue;
		}
		used += snprintf(out + used, len - used, " \"");
		for (; *w && used + 3 < len; w++)
			used += snprintf(out + used, len - used, "%s%c", *w == '"' || *w == '\\' ? "\\" : "", *w);
		used += snprintf(out + used, len - used, "\"");
	}
	if (used && used + 1 < len)
		snprintf(out + used, len - used, "\n");
}

/* --criu-config: everything after --no-default-config moves into IMGDIR/ACTION.conf. */
static void move_to_config(const struct criu_call *c, struct criu_cmd *cmd)
{
	snprintf(cmd->conf_path, sizeof(cmd->conf_path), "%s/%s.conf", c->imgdir, c->action);
	config_text(cmd->argv + 3, cmd->conf, sizeof(cmd->conf));
	cmd->argv[3] = "--config";
	cmd->argv[4] = cmd->conf_path;
	cmd->argv[5] = NULL;
}

void rpc_shim(char *buf, size_t len)
{
	char dir[4096];

	runner_dir(dir, sizeof(dir), 0);
	snprintf(buf, len, "%s/zdtm-criu-rpc", dir);
}

void criu_command(const struct criu_call *c, struct criu_cmd *cmd)
{
	int n = 0;

	cmd->conf[0] = cmd->conf_path[0] = 0;
	snprintf(cmd->log, sizeof(cmd->log), "%s/%s.log", c->imgdir, c->action);
	snprintf(cmd->opts, sizeof(cmd->opts), "%s", c->test->opts);
	snprintf(cmd->extra, sizeof(cmd->extra), "%s", c->phase_opts ? c->phase_opts : "");
	if (c->rpc) {
		rpc_shim(cmd->rpc, sizeof(cmd->rpc));
		cmd->argv[n++] = cmd->rpc;
		cmd->argv[n++] = "--criu";
	}
	cmd->argv[n++] = (char *)c->engine->path;
	cmd->argv[n++] = (char *)c->action;
	cmd->argv[n++] = "--no-default-config";
	cmd->argv[n++] = "--images-dir";
	cmd->argv[n++] = (char *)c->imgdir;
	cmd->argv[n++] = "--log-file";
	cmd->argv[n++] = cmd->log;
	cmd->argv[n++] = "-v4";
	if (c->unprivileged)
		cmd->argv[n++] = "--unprivileged";
	for (int i = 0; c->args[i] && n < MAX_ARGS - 8; i++)
		cmd->argv[n++] = (char *)c->args[i];
	/* The test's own options are for dump and restore; a server (page-server, lazy-pages) and
	 * criu dedup take none. */
	if (strcmp(c->action, "page-server") && strcmp(c->action, "lazy-pages") && strcmp(c->action, "dedup")) {
		n = add_words(cmd->argv, n, cmd->opts);
		n = add_words(cmd->argv, n, cmd->extra);
	}
	cmd->argv[n] = NULL;
	if (c->config)
		move_to_config(c, cmd);
}

void criu_print(const struct criu_call *c, const char *prefix, FILE *f)
{
	struct criu_cmd cmd;

	criu_command(c, &cmd);
	fprintf(f, "  %s%s%s%s%s", prefix ? prefix : "", c->env ? c->env : "", c->env ? " " : "",
		c->preload ? c->preload : "", c->preload ? " " : "");
	for (int i = 0; cmd.argv[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", cmd.argv[i]);
	fputc('\n', f);
	for (char *line = cmd.conf, *end; *line && (end = strchr(line, '\n')); line = end + 1)
		fprintf(f, "    | %.*s\n", (int)(end - line), line);
}

/* --rpc: the shim's "zdtm-criu-rpc: ..." line in ACTION.out, which leads (or is) the reason. */
static void shim_line(const struct criu_call *c, char *err, size_t len)
{
	char out[4200], line[600], found[600] = "";
	FILE *f;

	snprintf(out, sizeof(out), "%s/%s.out", c->imgdir, c->action);
	if (!(f = fopen(out, "re")))
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "zdtm-criu-rpc: ", 15))
			snprintf(found, sizeof(found), "%.*s", (int)strcspn(line, "\n"), line);
	fclose(f);
	if (found[0])
		snprintf(err, len, "%s", found);
}

/* The shim's "RPC cannot carry --X" names an option the test itself declares (not one of the
 * runner's, which options.c refuses up front): a job of this test cannot run over RPC at all. */
static bool test_option_uncarried(const struct criu_call *c, const char *line)
{
	const char *p = strstr(line, "RPC cannot carry ");
	char opt[128];

	if (!p || sscanf(p + 17, "%127s", opt) != 1 || strncmp(opt, "--", 2))
		return false;
	return strstr(c->test->opts, opt) || strstr(c->test->dopts, opt) || strstr(c->test->ropts, opt);
}

/* Fails r for a criu call that did not exit 0 (or did not end in time). */
static int judge_exit(const struct criu_call *c, const char *log, int rc, int status, struct result *r)
{
	snprintf(r->phase, sizeof(r->phase), "%s", c->action);
	if (rc == 1) {
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
		/* --rpc: the shim says in one line why RPC could not carry an option or swrk crashed;
		 * a refusal reads as on the command line, by the log's first error. */
		if (c->rpc && !rc && WIFEXITED(status) && (!err[0] || WEXITSTATUS(status) >= 2))
			shim_line(c, err, sizeof(err));
		r->verdict = V_FAIL;
		snprintf(r->reason, sizeof(r->reason), "criu %s%s failed (%s): %s", c->action, c->rpc ? " over RPC" : "",
			 st, err[0] ? err : "no Error line in its log");
		if (c->rpc && !rc && WIFEXITED(status) && WEXITSTATUS(status) == 3)
			return CRIU_CRASHED;   /* criu swrk crashed or broke the connection */
		if (c->rpc && !rc && WIFEXITED(status) && WEXITSTATUS(status) == 2 && test_option_uncarried(c, err)) {
			r->verdict = V_SKIP;
			snprintf(r->reason, sizeof(r->reason), "--rpc: %s (the test's own option)", err + 15);
			return CRIU_UNCARRIED;
		}
		return !rc && WIFEXITED(status) ? CRIU_REFUSED : CRIU_CRASHED;
	}
	return CRIU_OK;
}

#define MAX_ENV 256

/* The runner's environment with the call's NAME=VALUE additions (CRIU_FAULT=N, LD_PRELOAD=PATH)
 * in place of any of those names; NULL when it has none. */
static char **call_env(const struct criu_call *c, char **env, int max)
{
	extern char **environ;
	const char *extra[] = { c->env, c->preload };
	int n = 0;

	if (!c->env && !c->preload)
		return NULL;
	for (char **e = environ; *e && n < max - 3; e++) {
		bool replaced = false;

		for (int k = 0; k < 2; k++)
			replaced |= extra[k] && !strncmp(*e, extra[k], strcspn(extra[k], "=") + 1);
		if (!replaced)
			env[n++] = *e;
	}
	for (int k = 0; k < 2; k++)
		if (extra[k])
			env[n++] = (char *)extra[k];
	env[n] = NULL;
	return env;
}

static pid_t spawn(const struct criu_call *c, struct criu_cmd *cmd, int keep_fd)
{
	char out[4200], saved[4200], *env[MAX_ENV];
	pid_t pid;
	int fd;

	criu_command(c, cmd);
	snprintf(out, sizeof(out), "%s/%s.out", c->imgdir, c->action);
	snprintf(saved, sizeof(saved), "%s/%s.argv", c->imgdir, c->action);
	save_argv(saved, cmd->argv);
	if (c->config)
		save_text(cmd->conf_path, cmd->conf);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	pid = proc_spawn_fd(cmd->argv, c->imgdir, fd, call_env(c, env, MAX_ENV), keep_fd, c->as_user);
	if (fd >= 0)
		close(fd);
	return pid;
}

/* The call's wall time, in the total and in its action's own sum. */
static void add_time(const char *action, double t, struct result *r)
{
	r->criu += t;
	if (!strcmp(action, "dump"))
		r->m.dump += t;
	else if (!strcmp(action, "pre-dump"))
		r->m.pre_dump += t;
	else if (!strcmp(action, "restore"))
		r->m.restore += t;
}

int criu_run(const struct criu_call *c, struct result *r)
{
	struct criu_cmd cmd;
	double start = now_sec();
	int status, rc;
	pid_t pid = spawn(c, &cmd, c->inherit ? c->inherit_fd : -1);

	rc = pid < 0 ? -1 : proc_wait(pid, CRIU_TIMEOUT_MS * c->timeout_mul, &status);
	add_time(c->action, now_sec() - start, r);
	if (rc == 1)
		proc_kill(pid);
	return judge_exit(c, cmd.log, rc, status, r);
}

pid_t criu_start_server(const struct criu_call *c, struct result *r)
{
	struct criu_cmd cmd;
	struct pollfd pfd;
	int p[2], status = 0, rc;
	char byte = 1;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = spawn(c, &cmd, p[1]);   /* its --status-fd is fd 3 */
	close(p[1]);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	/* criu writes one NUL byte to the status fd once it listens. */
	if (pid > 0 && poll(&pfd, 1, CRIU_TIMEOUT_MS * c->timeout_mul) == 1 && read(p[0], &byte, 1) == 1 &&
	    byte == 0) {
		close(p[0]);
		return pid;
	}
	close(p[0]);
	if (pid > 0 && proc_wait(pid, 0, &status) == 1)
		proc_kill(pid);
	rc = judge_exit(c, cmd.log, pid < 0 ? -1 : 0, status ? status : 1 << 8, r);
	snprintf(r->reason + strlen(r->reason), sizeof(r->reason) - strlen(r->reason), " (not ready)");
	return rc < 0 ? rc : CRIU_CRASHED;
}

int criu_stop_server(const struct criu_call *c, pid_t pid, struct result *r)
{
	char log[4200];
	int status, rc = proc_wait(pid, CRIU_TIMEOUT_MS * c->timeout_mul, &status);

	if (rc == 1)
		proc_kill(pid);
	snprintf(log, sizeof(log), "%s/%s.log", c->imgdir, c->action);
	return judge_exit(c, log, rc, status, r);
}

int criu_libfault_loaded(const struct criu_call *c, char *why, size_t len)
{
	char out[4200], line[256];
	long cut, preads;
	FILE *f;

	snprintf(out, sizeof(out), "%s/%s.out", c->imgdir, c->action);
	if ((f = fopen(out, "re")))
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "libfault: %ld of %ld preads cut short", &cut, &preads) == 2) {
				fclose(f);
				return 0;
			}
	if (f)
		fclose(f);
	snprintf(why, len, "criu %s ran without libfault (no \"libfault: ...\" line in %s.out): LD_PRELOAD "
		 "was not honoured", c->action, c->action);
	return -1;
}

int criu_lazy_served(const char *imgdir, char *why, size_t len)
{
	char log[4200], line[1024], *p;
	long done, total;
	int seen = 0;
	FILE *f;

	snprintf(log, sizeof(log), "%s/lazy-pages.log", imgdir);
	if (!(f = fopen(log, "re"))) {
		snprintf(why, len, "no lazy-pages.log");
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		if ((p = strstr(line, "UFFD transferred pages: (")) && sscanf(p + 25, "%ld/%ld", &done, &total) == 2) {
			seen++;
			if (done != total) {
				line[strcspn(line, "\n")] = 0;
				snprintf(why, len, "the lazy-pages daemon served %ld of %ld pages of a task: %s", done,
					 total, line);
				fclose(f);
				return -1;
			}
		}
	fclose(f);
	if (!seen)
		snprintf(why, len, "the lazy-pages daemon served no task (no \"UFFD transferred pages\" in its log)");
	return seen ? 0 : -1;
}
