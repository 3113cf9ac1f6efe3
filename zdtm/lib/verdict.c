/*
 * Verdicts and messages. A verdict line is "PASS", "FAIL: file:line: msg" or
 * "SKIP: reason", unprefixed, on the test's stdout (its outfile); every other
 * line carries a "HH:MM:SS.mmm pid: " prefix. Only the main test process
 * writes verdicts: in helper processes fail() becomes an "ERR:" message, so
 * the runner sees exactly one verdict. Lines are written with one write(2).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"
#include "lib.h"

static pid_t master;       /* 0 before test_init: manual use still prints */
static int verdicts;

void zdtm_set_master(pid_t pid)
{
	master = pid;
}

pid_t zdtm_master_pid(void)
{
	return master;
}

bool zdtm_is_master(void)
{
	return master == 0 || master == getpid();
}

int zdtm_msg_prefix(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	return snprintf(buf, len, "%02d:%02d:%02d.%03ld %d: ", tm.tm_hour, tm.tm_min,
			tm.tm_sec, ts.tv_nsec / 1000000, getpid());
}

static void emit(const char *head, const char *file, int line, int err,
		 const char *fmt, va_list ap)
{
	char buf[4096];
	int n = 0;

	if (!head)
		n = zdtm_msg_prefix(buf, sizeof(buf));
	else
		n = snprintf(buf, sizeof(buf), "%s", head);
	if (file)
		n += snprintf(buf + n, sizeof(buf) - n, "%s:%d: ", file, line);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if (n > (int)sizeof(buf) - 64)
		n = sizeof(buf) - 64;
	if (err)
		n += snprintf(buf + n, sizeof(buf) - n, " (errno %d: %s)", err, strerror(err));
	buf[n++] = '\n';
	if (write(1, buf, n) < 0)
		return;   /* nowhere left to report */
}

/* A second verdict is a bug in the test; keep the first and make it visible. */
static bool take_verdict(const char *kind)
{
	if (!zdtm_is_master())
		return false;
	if (verdicts++) {
		dprintf(1, "ERR: second verdict %s ignored: a test gives exactly one\n", kind);
		return false;
	}
	return true;
}

int zdtm_pass(void)
{
	if (take_verdict("PASS") && write(1, "PASS\n", 5) < 0)
		return ZDTM_EXIT_FAIL;
	return ZDTM_EXIT_PASS;
}

int zdtm_fail(const char *file, int line, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(take_verdict("FAIL") ? "FAIL: " : "ERR: ", file, line, err, fmt, ap);
	va_end(ap);
	return ZDTM_EXIT_FAIL;
}

int zdtm_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(take_verdict("SKIP") ? "SKIP: " : "ERR: ", NULL, 0, 0, fmt, ap);
	va_end(ap);
	return ZDTM_EXIT_SKIP;
}

void zdtm_msg(const char *file, int line, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(NULL, err ? file : NULL, line, err, fmt, ap);
	va_end(ap);
}
