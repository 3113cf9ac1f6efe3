/*
 * zdtm-criu-rpc --criu PATH ACTION OPTION...: runs a criu command line of the runner's through
 * criu's RPC (libcriu starts `PATH swrk`), so a run can test the RPC path with the same plan.
 * Exit: 0 done; 1 criu refused (its errno and the log's last error on stderr); 2 an option or action
 * RPC cannot carry (before criu runs); 3 `criu swrk` crashed or broke the connection.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The log's place as criu sees it: a relative --log-file is in the images dir. */
static int log_dir(const struct shim *s)
{
	return s->log[0] != '/' && s->imgfd >= 0 ? s->imgfd : AT_FDCWD;
}

/* When the log last changed (0: no log): a request criu refuses before it opens its log leaves an
 * older log in place, whose errors are not this request's. */
static long long log_stamp(const struct shim *s)
{
	struct stat st;

	if (!s->log || fstatat(log_dir(s), s->log, &st, 0))
		return 0;
	return st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

/* criu's own words on why, as the command line would show them: the log's last error line, less
 * the closing "Dumping FAILED." that says nothing more than our exit status. */
static void last_error(const struct shim *s, long long before, char *out, size_t len)
{
	const char *log = s->log;
	int fd = log && log_stamp(s) != before ? openat(log_dir(s), log, O_RDONLY | O_CLOEXEC) : -1;
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char line[1024];

	snprintf(out, len, "criu wrote nothing to %s", log ? log : "its log");
	if (!f)
		return;
	snprintf(out, len, "no error line in %s", log);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "Error") && !strstr(line, "FAILED.")) {
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
static int judge(const struct shim *s, int rc, int err, const char *said, long long before)
{
	char why[1100];

	if (rc >= 0)
		return strcmp(s->action, "restore") || !s->pidfile ? SHIM_OK : write_pidfile(s->pidfile, rc);
	if (rc == -ECOMM || rc == -EBADMSG || rc == -ECONNREFUSED) {
		shim_say("criu swrk crashed or closed the connection: %s%s%s", strerror(-rc), *said ? "; libcriu: " : "",
			 said);
		return SHIM_CRASHED;
	}
	last_error(s, before, why, sizeof(why));
	if (rc == -EBADE)   /* criu's answer: errno is the cr_errno it sent, 0 when it sent none */
		shim_say("criu %s failed (criu's errno %d%s%s): %s%s%s", s->action, err, err ? ", " : "",
			 err ? strerror(err) : "", why, *said ? "; stderr: " : "", said);
	else
		shim_say("criu %s failed: %s%s%s: %s", s->action, strerror(-rc), *said ? "; libcriu: " : "", said, why);
	return SHIM_REFUSED;
}

/*
 * libcriu reports on stderr (perror) besides its return value: that text is kept and folded into our
 * one line. Scripts and a successful run keep the real stderr (s->stderr_fd).
 */
static int quiet_begin(struct shim *s)
{
	int cap = memfd_create("libcriu-stderr", MFD_CLOEXEC);

	fflush(stderr);
	s->stderr_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
	if (cap < 0 || s->stderr_fd < 0 || dup2(cap, 2) < 0) {
		if (cap >= 0)
			close(cap);
		return -1;
	}
	return cap;
}

static void quiet_end(struct shim *s, int cap, char *said, size_t len)
{
	char raw[512];
	ssize_t n = cap < 0 ? -1 : pread(cap, raw, sizeof(raw) - 1, 0);
	size_t used = 0;

	raw[n > 0 ? n : 0] = 0;
	said[0] = 0;
	for (char *line = strtok(raw, "\n"); line && used < len; line = strtok(NULL, "\n"))
		used += snprintf(said + used, len - used, "%s%s", used ? "; " : "", line);
	if (s->stderr_fd >= 0) {
		dup2(s->stderr_fd, 2);
		close(s->stderr_fd);
		s->stderr_fd = -1;
	}
	if (cap >= 0)
		close(cap);
}

static int run(struct shim *s)
{
	char said[512];
	long long before = log_stamp(s);
	int rc, err, cap = quiet_begin(s);

	errno = 0;
	if (!strcmp(s->action, "dump"))
		rc = criu_local_dump(s->o);
	else if (!strcmp(s->action, "pre-dump"))
		rc = criu_local_pre_dump(s->o);
	else if (s->sibling)
		rc = criu_local_restore_child(s->o);
	else
		rc = criu_local_restore(s->o);
	err = errno;
	quiet_end(s, cap, said, sizeof(said));
	if (rc >= 0 && *said)
		fprintf(stderr, "%s\n", said);
	return judge(s, rc, err, said, before);
}

int main(int argc, char **argv)
{
	struct shim s = { .stderr_fd = -1, .imgfd = -1 };
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
	/* A swrk that dies while we write to it must give an error, not kill us; and libcriu waits for
	 * its swrk, which an inherited SIGCHLD SIG_IGN would turn into ECHILD. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
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
