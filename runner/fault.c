/*
 * --fault N < 128 makes criu fail at a named point (CRIU_FAULT): the call must fail cleanly, and
 * its retry without the fault must find the ground clear. What "clear" means is checked here.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fault.h"

/* The processes of the pid namespace but the caller, named in why. */
static void others(char *why, size_t len)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t used = 0;
	char comm[64], path[300];

	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	why[0] = 0;
	while (d && (e = readdir(d))) {
		pid_t pid = atoi(e->d_name);

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		if (read_text(path, comm, sizeof(comm)) <= 0)
			continue;   /* gone meanwhile */
		comm[strcspn(comm, "\n")] = 0;
		used += snprintf(why + used, used < len ? len - used : 0, "%s%d (%s)", used ? ", " : "", pid, comm);
	}
	if (d)
		closedir(d);
}

/* criu kills what it restored and returns: the tasks may take a moment to die. */
int fault_leftovers(char *why, size_t len)
{
	for (int i = 0; i < 100; i++) {
		others(why, len);
		if (!why[0])
			return 0;
		usleep(20000);
	}
	return -1;
}

void fault_set_aside(const char *dir, const char *action, bool whole_dir, int log)
{
	static const char *const kinds[] = { "log", "argv", "out", "conf" };
	char from[4300], to[4400];

	if (whole_dir) {
		snprintf(to, sizeof(to), "%s.fault", dir);
		if (rename(dir, to) || mkdir_p(dir, 0755))
			logf_(log, "zdtm: cannot set %s aside: %m", dir);
		return;
	}
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		snprintf(from, sizeof(from), "%s/%s.%s", dir, action, kinds[i]);
		snprintf(to, sizeof(to), "%s/%s.fault.%s", dir, action, kinds[i]);
		if (!access(from, F_OK))
			rename(from, to);
	}
}
