/*
 * The engine under test: which criu, which version, which features. Every
 * probe runs criu with --no-default-config so a host's criu.conf cannot
 * change what is tested.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "runner.h"

/* Runs criu with args; returns its exit status (-1 when it could not run) and its output. */
static int criu_probe(const char *criu, char *const args[], char *out, size_t len)
{
	char *argv[16] = { (char *)criu };
	char tmpl[] = "/tmp/zdtm-probe.XXXXXX";
	int fd = mkstemp(tmpl), status, n = 1;
	pid_t pid;

	if (fd < 0)
		return -1;
	unlink(tmpl);
	for (; args[n - 1] && n < 15; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	pid = proc_spawn(argv, NULL, fd, NULL);
	if (pid < 0 || proc_wait(pid, 30000, &status)) {
		if (pid > 0)
			proc_kill(pid);
		close(fd);
		return -1;
	}
	if (out) {
		ssize_t r = pread(fd, out, len - 1, 0);

		out[r > 0 ? r : 0] = 0;
	}
	close(fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * `criu check` and feature probes cost 5-100 ms each and their answers only change with the
 * binary or the kernel: they are remembered in .deps/engine-cache, keyed by the binary's path,
 * size and mtime and by the boot id.
 */
static void cache_init(struct engine *e, const char *root)
{
	char boot[64] = "", deps[4200];
	struct stat st;

	snprintf(deps, sizeof(deps), "%s/.deps", root);
	if (stat(deps, &st) || stat(e->path, &st) ||
	    read_text("/proc/sys/kernel/random/boot_id", boot, sizeof(boot)) <= 0)
		return;
	boot[strcspn(boot, "\n")] = 0;
	snprintf(e->cache, sizeof(e->cache), "%s/engine-cache", deps);
	snprintf(e->cache_key, sizeof(e->cache_key), "%.100s:%lld:%lld:%s", e->path, (long long)st.st_size,
		 (long long)st.st_mtime, boot);
}

static bool cache_get(const struct engine *e, const char *probe, int *rc)
{
	char line[600], want[400];
	FILE *f = e->cache[0] ? fopen(e->cache, "re") : NULL;
	bool found = false;

	snprintf(want, sizeof(want), "%s %s ", e->cache_key, probe);
	while (f && !found && fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want))) {
			*rc = atoi(line + strlen(want));
			found = true;
		}
	if (f)
		fclose(f);
	return found;
}

static void cache_put(const struct engine *e, const char *probe, int rc)
{
	FILE *f = e->cache[0] ? fopen(e->cache, "ae") : NULL;

	if (f) {
		fprintf(f, "%s %s %d\n", e->cache_key, probe, rc);
		fclose(f);
	}
}

static bool cap_in_bounding_set(int cap)
{
	char buf[4096], *p;
	unsigned long long mask;

	if (read_text("/proc/self/status", buf, sizeof(buf)) < 0 || !(p = strstr(buf, "CapBnd:")))
		return false;
	mask = strtoull(p + 7, NULL, 16);
	return mask & (1ull << cap);
}

static void candidate(const char *root, const char *override, char *out, size_t len)
{
	char path[4200], buf[4096];

	if (override) {
		snprintf(out, len, "%s", override);
		return;
	}
	if (getenv("CRIU") && *getenv("CRIU")) {
		snprintf(out, len, "%s", getenv("CRIU"));
		return;
	}
	snprintf(path, sizeof(path), "%s/.deps/criu-path", root);
	if (read_text(path, buf, sizeof(buf)) > 0) {
		buf[strcspn(buf, "\n")] = 0;
		snprintf(out, len, "%s", buf);
		return;
	}
	for (const char *dir = "/usr/local/sbin:/usr/sbin:/sbin:/usr/local/bin:/usr/bin"; *dir;) {
		size_t n = strcspn(dir, ":");

		snprintf(out, len, "%.*s/criu", (int)n, dir);
		if (!access(out, X_OK))
			return;
		dir += n + (dir[n] == ':');
	}
	out[0] = 0;
}

int engine_find(struct engine *e, const char *root, const char *override)
{
	char out[4096], *v;
	int rc;
	char *version[] = { "--version", NULL };
	char *check[] = { "check", "--no-default-config", NULL };

	memset(e, 0, sizeof(*e));
	char abs[4096];

	candidate(root, override, e->path, sizeof(e->path));
	/* criu runs with its images directory as cwd: a relative path would not reach it. */
	if (e->path[0] && realpath(e->path, abs))
		snprintf(e->path, sizeof(e->path), "%s", abs);
	if (!e->path[0] || access(e->path, X_OK)) {
		fprintf(stderr, "zdtm: no usable criu%s%s; run 'make deps' in a source tree, or install criu, "
			"set $CRIU or pass --criu-bin PATH\n", e->path[0] ? " at " : "", e->path);
		return -1;
	}
	if (criu_probe(e->path, version, out, sizeof(out)) || !(v = strstr(out, "Version:"))) {
		out[strcspn(out, "\n")] = 0;
		fprintf(stderr, "zdtm: %s is not a working criu ('--version' said: %.100s); run 'make deps'\n",
			e->path, out);
		return -1;
	}
	sscanf(v + 8, " %31s", e->version);
	cache_init(e, root);
	if (cache_get(e, "check", &rc) && rc == 0)
		;   /* passed before, on this boot, with this binary */
	else if (criu_probe(e->path, check, out, sizeof(out))) {
		fprintf(stderr, "zdtm: '%s check' fails here:\n%.1000s\nrun 'make deps' for a criu that works\n",
			e->path, out);
		return -1;
	} else
		cache_put(e, "check", 0);
	e->file_caps = getxattr(e->path, "security.capability", NULL, 0) > 0;
	/* Without CAP_SYS_RESOURCE criu cannot prlimit() a task of another uid. */
	e->uid_switch = cap_in_bounding_set(24 /* CAP_SYS_RESOURCE */);
	return 0;
}

bool engine_has_features(const struct engine *e, const char *features, char *missing, size_t len)
{
	char list[256], *save, *f;

	snprintf(list, sizeof(list), "%s", features);
	for (f = strtok_r(list, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
		char *argv[] = { "check", "--no-default-config", "--feature", f, NULL };
		char probe[128];
		int rc;

		snprintf(probe, sizeof(probe), "feature:%s", f);
		if (!cache_get(e, probe, &rc)) {
			rc = criu_probe(e->path, argv, NULL, 0);
			if (rc >= 0)
				cache_put(e, probe, rc);
		}
		if (rc) {
			snprintf(missing, len, "%s", f);
			return false;
		}
	}
	return true;
}

void engine_features(const struct engine *e, FILE *out)
{
	char line[600], want[400];
	FILE *f = e->cache[0] ? fopen(e->cache, "re") : NULL;
	bool first = true;

	snprintf(want, sizeof(want), "%s feature:", e->cache_key);
	fputc('{', out);
	while (f && fgets(line, sizeof(line), f)) {
		char name[64];
		int rc;

		if (strncmp(line, want, strlen(want)) || sscanf(line + strlen(want), "%63s %d", name, &rc) != 2)
			continue;
		fprintf(out, "%s\"%s\": %s", first ? "" : ", ", name, rc ? "false" : "true");
		first = false;
	}
	fputc('}', out);
	if (f)
		fclose(f);
}
