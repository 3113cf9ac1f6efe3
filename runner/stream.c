/*
 * --stream: criu's images go through an image streamer instead of the images directory. Around
 * a dump: `STREAMER --images-dir DIR --progress-fd 3 capture > DIR/img.stream`, ready once it says
 * "socket-init"; it ends when criu closes its socket and must exit 0. Around a restore: the same
 * with serve, from DIR/img.stream. STREAMER: --criu-image-streamer PATH, else ours beside the
 * runner (bin/zdtm-image-streamer, criu-image-streamer's command line). After a dump the stream
 * is extracted into DIR (for the runner's page count check), less inventory.img, so that a restore
 * that read the directory instead of the streamer would fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

#define STREAM_FILE "img.stream"
#define READY_MS 10000

void stream_default(char *buf, size_t len)
{
	char dir[4096];

	runner_dir(dir, sizeof(dir), 0);
	snprintf(buf, len, "%s/zdtm-image-streamer", dir);
}

/* The streamer with its stdin or stdout on DIR/img.stream, its stderr on DIR/streamer-CMD.log,
 * progress_fd (if >= 0) as its fd 3. */
static pid_t spawn(const char *streamer, const char *dir, const char *cmd, int progress_fd)
{
	char stream[4200], log[4200];
	bool capture = !strcmp(cmd, "capture");
	pid_t pid;

	snprintf(stream, sizeof(stream), "%s/" STREAM_FILE, dir);
	snprintf(log, sizeof(log), "%s/streamer-%s.log", dir, cmd);
	pid = fork();
	if (pid)
		return pid;
	int io = capture ? open(stream, O_WRONLY | O_CREAT | O_TRUNC, 0600) : open(stream, O_RDONLY);
	int err = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char *argv[] = { (char *)streamer, "--images-dir", (char *)dir, "--progress-fd", "3", (char *)cmd, NULL };

	if (io < 0 || err < 0 || dup2(io, capture ? 1 : 0) < 0 || dup2(err, 2) < 0)
		_exit(127);
	if (progress_fd >= 0 && dup2(progress_fd, 3) < 0)
		_exit(127);
	if (progress_fd < 0) {   /* extract: no progress */
		argv[3] = (char *)cmd;
		argv[4] = NULL;
	}
	syscall(SYS_close_range, progress_fd >= 0 ? 4 : 3, ~0u, 0);
	execv(streamer, argv);
	dprintf(2, "exec %s: %s\n", streamer, strerror(errno));
	_exit(127);
}

/* The streamer's last words, into the reason. */
static void why(const char *dir, const char *cmd, const char *what, struct result *r)
{
	char log[4200], line[300] = "";

	snprintf(log, sizeof(log), "%s/streamer-%s.log", dir, cmd);
	grep_first(log, "", line, sizeof(line));
	r->verdict = V_FAIL;   /* the images did not get through */
	snprintf(r->reason, sizeof(r->reason), "image streamer (%s) %s%s%s", cmd, what, line[0] ? ": " : "", line);
}

pid_t stream_start(const char *streamer, const char *dir, bool capture, struct result *r)
{
	const char *cmd = capture ? "capture" : "serve";
	char buf[64] = "";
	int p[2], status;
	ssize_t n = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = spawn(streamer, dir, cmd, p[1]);
	close(p[1]);
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };

	if (pid > 0 && poll(&pfd, 1, READY_MS) == 1)
		n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	if (n > 0 && !strncmp(buf, "socket-init", 11))
		return pid;
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	snprintf(r->phase, sizeof(r->phase), "%s", capture ? "dump" : "restore");
	why(dir, cmd, "not ready", r);
	return -1;
}

int stream_stop(pid_t pid, const char *dir, bool capture, struct result *r)
{
	const char *cmd = capture ? "capture" : "serve";
	int status, rc = proc_wait(pid, READY_MS, &status);
	char st[64];

	if (rc == 1)
		proc_kill(pid);
	if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	proc_status_str(status, st, sizeof(st));
	snprintf(r->phase, sizeof(r->phase), "%s", capture ? "dump" : "restore");
	why(dir, cmd, rc == 1 ? "did not end after criu" : st, r);
	return -1;
}

int stream_extract(const char *streamer, const char *dir, struct result *r)
{
	char inventory[4200];
	pid_t pid = spawn(streamer, dir, "extract", -1);
	int status;

	snprintf(inventory, sizeof(inventory), "%s/inventory.img", dir);
	if (pid > 0 && proc_wait(pid, READY_MS, &status) == 0 && WIFEXITED(status) && !WEXITSTATUS(status) &&
	    unlink(inventory) == 0)
		return 0;
	if (pid > 0)
		proc_kill(pid);
	snprintf(r->phase, sizeof(r->phase), "dump");
	why(dir, "extract", "could not extract the images (or there was no inventory.img)", r);
	return -1;
}
