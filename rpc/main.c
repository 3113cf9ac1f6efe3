/*
 * zdtm-criu-rpc --criu PATH ACTION OPTION...: runs a criu command line of the runner's through
 * criu's RPC (libcriu starts `PATH swrk`), so a run can test the RPC path with the same plan.
 * Exit: 0 done; 1 criu refused (its errno and the log's last error on stderr); 2 an option or action
 * RPC cannot carry (before criu runs); 3 `criu swrk` crashed or broke the connection.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "shim.h"

void shim_say(const char *fmt, ...)
{
	va_list ap;

	fputs("zdtm-criu-rpc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The log's last "Error" line: criu's own words on why, as the command line would show them. */
static void last_error(const char *log, char *out, size_t len)
{
	char line[1024];
	FILE *f = log ? fopen(log, "r") : NULL;

	snprintf(out, len, "see %s", log ? log : "criu's log");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "Error")) {
			line[strcspn(line, "\n")] = 0;
			snprintf(out, len, "%s", line);
		}
	fclose(f);
}

static int write_pidfile(const char *path, int pid)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%d", pid) < 0 || fclose(f)) {
		shim_say("cannot write the pidfile %s: %s", path, strerror(errno));
		return SHIM_REFUSED;
	}
	return SHIM_OK;
}

/*
 * libcriu's answers (criu.h): -EBADE criu said no (errno = criu's cr_errno); -ECOMM the request or
 * the answer did not pass (swrk gone); -EBADMSG an answer that is no answer (swrk died mid-way);
 * -ECONNREFUSED no swrk to talk to.
 */
static int judge(const struct shim *s, int rc, int err)
{
	char why[1100];

	if (rc >= 0)
		return strcmp(s->action, "restore") || !s->pidfile ? SHIM_OK : write_pidfile(s->pidfile, rc);
	if (rc == -ECOMM || rc == -EBADMSG || rc == -ECONNREFUSED) {
		shim_say("criu swrk crashed or closed the connection: %s (errno %s)", strerror(-rc), strerror(err));
		return SHIM_CRASHED;
	}
	last_error(s->log, why, sizeof(why));
	shim_say("criu %s failed: %s (errno %d%s%s): %s", s->action, strerror(-rc), err, err ? ", " : "",
		 err ? strerror(err) : "", why);
	return SHIM_REFUSED;
}

static int run(struct shim *s)
{
	int rc;

	errno = 0;
	if (!strcmp(s->action, "dump"))
		rc = criu_local_dump(s->o);
	else if (!strcmp(s->action, "pre-dump"))
		rc = criu_local_pre_dump(s->o);
	else if (s->sibling)
		rc = criu_local_restore_child(s->o);
	else
		rc = criu_local_restore(s->o);
	return judge(s, rc, errno);
}

int main(int argc, char **argv)
{
	struct shim s = { 0 };
	int rc;

	if (argc < 4 || strcmp(argv[1], "--criu")) {
		fprintf(stderr, "usage: zdtm-criu-rpc --criu PATH dump|pre-dump|restore CRIU-OPTION...\n");
		return SHIM_CANNOT_CARRY;
	}
	s.criu = argv[2];
	s.action = argv[3];
	if (strcmp(s.action, "dump") && strcmp(s.action, "pre-dump") && strcmp(s.action, "restore")) {
		shim_say("RPC cannot carry the action %s", s.action);
		return SHIM_CANNOT_CARRY;
	}
	/* A swrk that dies while we write to it must give an error, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if (criu_local_init_opts(&s.o) || criu_local_set_service_binary(s.o, s.criu)) {
		shim_say("libcriu cannot set up its options");
		return SHIM_REFUSED;
	}
	rc = shim_options(&s, argc, argv, 4);
	if (rc)
		return rc;
	shim_scripts(&s);
	return run(&s);
}
