/*
 * --action-script over RPC: criu runs no scripts for an RPC client, it notifies it of each stage
 * instead (notify_scripts) and waits for the answer. We run the scripts as criu would have: with
 * `sh -c`, in the images dir, the stage in $CRTOOLS_SCRIPT_ACTION, the images dir in
 * $CRTOOLS_IMAGE_DIR, the root task in $CRTOOLS_INIT_PID once criu names one. A script that fails
 * fails the stage, and criu the request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim.h"

static struct shim *shim;   /* libcriu's callback has no context argument */

static int run_one(const char *script, const char *action, int pid)
{
	char init[16];
	int status;
	pid_t child = fork();

	if (child < 0)
		return -1;
	if (child == 0) {
		if (shim->stderr_fd >= 0)
			dup2(shim->stderr_fd, 2);
		setenv("CRTOOLS_SCRIPT_ACTION", action, 1);
		setenv("CRTOOLS_IMAGE_DIR", shim->imgdir ? shim->imgdir : ".", 1);
		if (pid > 0) {
			snprintf(init, sizeof(init), "%d", pid);
			setenv("CRTOOLS_INIT_PID", init, 1);
		}
		if (shim->imgdir && chdir(shim->imgdir))
			_exit(127);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	if (waitpid(child, &status, 0) != child)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int notified(char *action, criu_notify_arg_t na)
{
	int pid = criu_notify_pid(na);

	for (int i = 0; i < shim->nscripts; i++)
		if (run_one(shim->scripts[i], action, pid)) {
			shim_say("action script %s failed at %s", shim->scripts[i], action);
			return -1;
		}
	return 0;
}

void shim_scripts(struct shim *s)
{
	if (!s->nscripts)
		return;
	shim = s;
	criu_local_set_notify_cb(s->o, notified);
}
