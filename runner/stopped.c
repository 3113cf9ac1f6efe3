/*
 * --stop: criu dumps and restores with --leave-stopped, and the runner checks through /proc that it
 * did: every thread of the tree stopped or a zombie. The tree is then killed (after a dump, so its
 * pids are free for the restore) or continued (after a restore).
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stopped.h"
#include "tree.h"

/* The state letter of /proc/PID/task/TID/stat, or 0 when the thread is gone. */
static char thread_state(pid_t pid, const char *tid)
{
	char path[300], buf[1024], *p;

	snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid, tid);
	if (read_text(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return 0;
	return p[1] == ' ' ? p[2] : 0;
}

static int stopped_now(pid_t root, char *why, size_t len)
{
	static struct tree t;
	char path[300], state;
	struct dirent *e;
	DIR *d;

	memset(&t, 0, sizeof(t));
	tree_collect(&t, root);
	for (int i = 0; i < t.n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/task", t.host[i]);
		if (!(d = opendir(path)))
			continue;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.' && (state = thread_state(t.host[i], e->d_name)) && state != 'T' &&
			    state != 'Z') {
				snprintf(why, len, "task %d thread %s is in state %c, expected T (stopped) or Z", t.vpid[i],
					 e->d_name, state);
				closedir(d);
				return -1;
			}
		closedir(d);
	}
	if (!t.n)
		snprintf(why, len, "no task of the tree (pid %d) is left", root);
	return t.n ? 0 : -1;
}

/* criu stops the tree with SIGSTOP as it lets go of it: a busy thread runs on until the signal is
 * acted upon, which under load can take a while. A thread that is still not stopped after
 * STOP_WAIT_MS was not stopped by criu. */
#define STOP_WAIT_MS 3000

int tree_stopped(pid_t root, char *why, size_t len)
{
	for (int ms = 0; ms < STOP_WAIT_MS; ms += 10) {
		if (!stopped_now(root, why, len))
			return 0;
		usleep(10000);
	}
	return stopped_now(root, why, len);
}

void tree_signal(pid_t root, int sig)
{
	static struct tree t;

	memset(&t, 0, sizeof(t));
	tree_collect(&t, root);
	for (int i = 0; i < t.n; i++)
		kill(t.host[i], sig);
}
