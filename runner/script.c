/*
 * --script PATH: every dump and restore gets `--action-script PATH` (the user's script) and then
 * `--action-script RUNDIR/zdtm-script-record`, a link to this runner (criu 4.2.1 execs a script's
 * path as it is, with no arguments). criu runs each script at every stage of the action with the
 * stage in $CRTOOLS_SCRIPT_ACTION (and the root task in $CRTOOLS_INIT_PID once it exists), its cwd
 * being the images dir, where the recorder appends one line per stage ($CRTOOLS_IMAGE_DIR, a
 * /proc/CRIU/fd/N path, is closed by post-resume). After
 * each successful call the runner checks that the stages criu documents (criu(8), --action-script)
 * came, in this order; it is what criu 4.2.1 was seen to call here:
 *   dump:    pre-dump, network-lock*, post-dump, network-unlock* (--leave-running only)
 *   restore: pre-restore, setup-namespaces*, post-setup-namespaces*, post-restore, network-unlock*,
 *            pre-resume, post-resume
 * (* only when the tree has a network namespace of its own: ns and uns.) A pre-dump is not checked:
 * criu's pre-dump cannot run on this machine (no soft-dirty bit), so its stages were never seen.
 * A failing user script makes criu abort the call: that is the call's own failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "script.h"

void script_recorder(const char *rundir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" SCRIPT_RECORDER, rundir);
}

int script_create(const char *path)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = 0;
	if (n > 0 && !symlink(exe, path))
		return 0;
	fprintf(stderr, "zdtm: --script: cannot link %s to the runner: %s\n", path, strerror(errno));
	return -1;
}

int script_record(void)
{
	const char *action = getenv("CRTOOLS_SCRIPT_ACTION"), *init = getenv("CRTOOLS_INIT_PID");
	const char *path = SCRIPT_RECORD;
	char line[256];
	int fd, n;

	n = snprintf(line, sizeof(line), "%s %s\n", action ? action : "(unset)", init ? init : "-");
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, line, n) != n) {
		fprintf(stderr, "zdtm " SCRIPT_RECORDER ": cannot record %s in %s: %s\n", action, path, strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

void script_reset(const char *imgdir)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/" SCRIPT_RECORD, imgdir);
	unlink(path);
}

/* The stages criu documents for step st, in order; how many. */
static int expected(const struct step *st, bool ns, const char **e)
{
	int n = 0;

	if (st->kind == STEP_RESTORE) {
		e[n++] = "pre-restore";
		if (ns) {
			e[n++] = "setup-namespaces";
			e[n++] = "post-setup-namespaces";
		}
		e[n++] = "post-restore";
		if (ns)
			e[n++] = "network-unlock";
		e[n++] = "pre-resume";
		e[n++] = "post-resume";
		return n;
	}
	if (st->kind != STEP_DUMP && st->kind != STEP_SNAPSHOT)
		return 0;
	e[n++] = "pre-dump";
	if (ns)
		e[n++] = "network-lock";
	e[n++] = "post-dump";
	if (ns && st->leave_running)
		e[n++] = "network-unlock";
	return n;
}

int script_check(const struct step *st, bool ns, const char *imgdir, char *why, size_t len)
{
	const char *e[8];
	char path[4200], kept[4300], seen[64][32], list[600] = "";
	int ne = expected(st, ns, e), n = 0, at = 0;
	FILE *f;

	if (!ne)
		return 0;
	snprintf(path, sizeof(path), "%s/" SCRIPT_RECORD, imgdir);
	if ((f = fopen(path, "re"))) {
		while (n < 64 && fscanf(f, "%31s %*s", seen[n]) == 1)
			n++;
		fclose(f);
	}
	/* Kept per action: a restore records into its dump's images dir. */
	snprintf(kept, sizeof(kept), "%s.%s", path, step_action(st));
	rename(path, kept);
	for (int i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? "," : "", seen[i]);
	for (int i = 0; i < ne; i++) {
		int j = at;

		while (j < n && strcmp(seen[j], e[i]))
			j++;
		if (j < n) {
			at = j + 1;
			continue;
		}
		for (j = 0; j < at && strcmp(seen[j], e[i]); j++)
			;
		if (j < at)
			snprintf(why, len, "criu called the %s action script out of order (expected after %s; it called: %s)",
				 e[i], i ? e[i - 1] : "none", list);
		else
			snprintf(why, len, "criu never called the %s action script (it called: %s)", e[i], n ? list : "none");
		return -1;
	}
	return 0;
}
