/*
 * The libcriu calls behind criu's options (the table is in options.c): each checks its value as
 * criu would, and a value RPC cannot express is status 2, before criu runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "setters.h"

static int bad(const char *name, const char *arg)
{
	shim_say("RPC cannot carry --%s %s", name, arg);
	return SHIM_CANNOT_CARRY;
}

/* A libcriu setter that failed (it only allocates): not criu's answer, but the request is not sent. */
static int lib(int rc, const char *name)
{
	if (rc >= 0)
		return 0;
	shim_say("libcriu refused --%s: %s", name, strerror(rc < -1 ? -rc : ENOMEM));
	return SHIM_REFUSED;
}

static bool number(const char *arg, long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(arg, &end, 10);
	return !errno && end != arg && !*end && *v >= min && *v <= max;
}

static int word(const char *arg, const char *const *words, int first)
{
	for (int i = 0; words[i]; i++)
		if (!strcmp(arg, words[i]))
			return first + i;
	return -1;
}

int set_tree(struct shim *s, const char *arg)
{
	long v;

	if (!number(arg, 1, INT_MAX, &v))
		return bad("tree", arg);
	criu_local_set_pid(s->o, v);
	return 0;
}

int set_images_dir(struct shim *s, const char *arg)
{
	int fd = open(arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		shim_say("cannot open the images dir %s: %s", arg, strerror(errno));
		return SHIM_REFUSED;
	}
	s->imgdir = arg;
	s->imgfd = fd;
	criu_local_set_images_dir_fd(s->o, fd);
	return 0;
}

int set_log_file(struct shim *s, const char *arg)
{
	s->log = arg;
	return 0;
}

int set_verbosity(struct shim *s, const char *arg)
{
	long v;

	if (!arg)   /* a bare --verbosity is one more than criu's default 2 */
		arg = "3";
	if (!number(arg, 0, 4, &v))
		return bad("verbosity", arg);
	criu_local_set_log_level(s->o, v);
	return 0;
}

int set_timeout(struct shim *s, const char *arg)
{
	long v;

	if (!number(arg, 0, INT_MAX, &v))
		return bad("timeout", arg);
	criu_local_set_timeout(s->o, v);
	return 0;
}

/* criu's sizes: a number with an optional K, M or G. */
int set_ghost_limit(struct shim *s, const char *arg)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end && !end[1])
		switch (*end++) {
		case 'G': case 'g': v <<= 10; /* fall through */
		case 'M': case 'm': v <<= 10; /* fall through */
		case 'K': case 'k': v <<= 10; break;
		default: end--;
		}
	if (errno || end == arg || *end || v > UINT_MAX)
		return bad("ghost-limit", arg);
	criu_local_set_ghost_limit(s->o, v);
	return 0;
}

int set_manage_cgroups(struct shim *s, const char *arg)
{
	static const char *const modes[] = { "ignore", "none", "props", "soft", "full", "strict", NULL };
	int m = arg ? word(arg, modes, CRIU_CG_MODE_IGNORE) : CRIU_CG_MODE_DEFAULT;

	if (m < 0)
		return bad("manage-cgroups", arg);
	criu_local_set_manage_cgroups(s->o, true);
	if (arg)
		criu_local_set_manage_cgroups_mode(s->o, m);
	return 0;
}

/* [CONTROLLER:]PATH, as on criu's command line; no controller: every one's. */
int set_cgroup_root(struct shim *s, const char *arg)
{
	const char *colon = strchr(arg, ':');
	char ctrl[64];

	if (!colon)
		return lib(criu_local_add_cg_root(s->o, NULL, arg), "cgroup-root");
	if ((size_t)(colon - arg) >= sizeof(ctrl))
		return bad("cgroup-root", arg);
	memcpy(ctrl, arg, colon - arg);
	ctrl[colon - arg] = 0;
	return lib(criu_local_add_cg_root(s->o, ctrl, colon + 1), "cgroup-root");
}

int set_network_lock(struct shim *s, const char *arg)
{
	static const char *const ways[] = { "iptables", "nftables", "skip", NULL };
	int m = word(arg, ways, CRIU_NETWORK_LOCK_IPTABLES);

	return m < 0 ? bad("network-lock", arg) : lib(criu_local_set_network_lock(s->o, m), "network-lock");
}

int set_pre_dump_mode(struct shim *s, const char *arg)
{
	static const char *const modes[] = { "splice", "read", NULL };
	int m = word(arg, modes, CRIU_PRE_DUMP_SPLICE);

	return m < 0 ? bad("pre-dump-mode", arg) : lib(criu_local_set_pre_dump_mode(s->o, m), "pre-dump-mode");
}

int set_empty_ns(struct shim *s, const char *arg)
{
	if (strcmp(arg, "net"))
		return bad("empty-ns", arg);
	criu_local_set_empty_ns(s->o, CLONE_NEWNET);
	return 0;
}

/* NS:PATH-OR-PID[,EXTRA], split into RPC's three fields. */
int set_join_ns(struct shim *s, const char *arg)
{
	char buf[PATH_MAX], *file, *extra;

	snprintf(buf, sizeof(buf), "%s", arg);
	file = strchr(buf, ':');
	if (!file || file == buf || !file[1])
		return bad("join-ns", arg);
	*file++ = 0;
	extra = strchr(file, ',');
	if (extra)
		*extra++ = 0;
	return lib(criu_local_join_ns_add(s->o, buf, file, extra), "join-ns");
}

int set_external(struct shim *s, const char *arg)
{
	return lib(criu_local_add_external(s->o, arg), "external");
}

/* fd[N]:KEY, as on the command line. */
int set_inherit_fd(struct shim *s, const char *arg)
{
	int fd, used = 0;

	if (sscanf(arg, "fd[%d]:%n", &fd, &used) != 1 || !used || !arg[used]) {
		shim_say("RPC cannot carry --inherit-fd %s (not fd[N]:KEY)", arg);
		return SHIM_CANNOT_CARRY;
	}
	return lib(criu_local_add_inherit_fd(s->o, fd, arg + used), "inherit-fd");
}

int set_freeze_cgroup(struct shim *s, const char *arg)
{
	return lib(criu_local_set_freeze_cgroup(s->o, arg), "freeze-cgroup");
}

/* Relative to the images dir, as on the command line. */
int set_prev_images_dir(struct shim *s, const char *arg)
{
	return lib(criu_local_set_parent_images(s->o, arg), "prev-images-dir");
}

int set_root(struct shim *s, const char *arg)
{
	return lib(criu_local_set_root(s->o, arg), "root");
}

int set_address(struct shim *s, const char *arg)
{
	s->ps_address = arg;
	return 0;
}

int set_port(struct shim *s, const char *arg)
{
	long v;

	if (!number(arg, 1, 65535, &v))
		return bad("port", arg);
	s->ps_port = v;
	return 0;
}

int set_page_server(struct shim *s, const char *arg)
{
	(void)arg;
	s->page_server = true;
	return 0;
}

int set_pidfile(struct shim *s, const char *arg)
{
	s->pidfile = arg;
	return 0;
}

int set_sibling(struct shim *s, const char *arg)
{
	(void)arg;
	s->sibling = true;
	return 0;
}

int set_script(struct shim *s, const char *arg)
{
	if (s->nscripts == MAX_SCRIPTS)
		return bad("action-script", "(more than 8)");
	s->scripts[s->nscripts++] = arg;
	return 0;
}

int set_accepted(struct shim *s, const char *arg)
{
	(void)s, (void)arg;
	return 0;
}

/*
 * The log: RPC takes a file name without '/', in criu's work dir. A bare name stays in the images dir,
 * as on the command line; DIR/NAME makes DIR (relative: to the images dir, as criu's) the work dir.
 */
static int place_log(struct shim *s)
{
	const char *slash = s->log ? strrchr(s->log, '/') : NULL;
	char dir[PATH_MAX];
	int fd;

	if (!slash)
		return s->log ? lib(criu_local_set_log_file(s->o, s->log), "log-file") : 0;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - s->log) + 1, s->log);
	fd = openat(dir[0] != '/' && s->imgfd >= 0 ? s->imgfd : AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		shim_say("cannot open the log's directory %s: %s", dir, strerror(errno));
		return SHIM_REFUSED;
	}
	criu_local_set_work_dir_fd(s->o, fd);
	return lib(criu_local_set_log_file(s->o, slash + 1), "log-file");
}

int setters_finish(struct shim *s)
{
	if (s->page_server && (!s->ps_address || !s->ps_port)) {
		shim_say("RPC cannot carry --page-server without --address and --port");
		return SHIM_CANNOT_CARRY;
	}
	/* libcriu 4.2.1 answers -ENOMEM here even when it set both (its success path falls through to
	 * the error return): the answer tells nothing, so it is not read. */
	if (s->page_server)
		criu_local_set_page_server_address_port(s->o, s->ps_address, s->ps_port);
	return place_log(s);
}
