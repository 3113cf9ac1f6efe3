/*
 * criu's command-line options, each with the libcriu 4.2.1 call that carries it over RPC.
 * Everything is checked here, before criu runs: an option that is not in the table, or one whose
 * value RPC cannot express, ends the shim with status 2.
 *
 * Not carried (exit 2):
 *   --lazy-pages        rpc.proto has lazy_pages, libcriu 4.2.1 has no setter for it
 *   --leave-stopped     rpc.proto has leave_stopped, libcriu 4.2.1 has no setter
 *   --tls, --tls-cacert, --tls-cert, --tls-key
 *                       rpc.proto has the fields, libcriu 4.2.1 has no setters
 *   --status-fd         only for page-server and lazy-pages, actions libcriu cannot request
 *   --empty-ns X        RPC takes any CLONE_* mask, but criu itself empties only net
 *   --config            RPC's config file is read by criu after the RPC options and overrides
 *                       them: not the same run as the command line, so not taken
 *   anything else not in the table below
 *
 * Carried differently:
 *   --log-file DIR/NAME work dir = DIR (an fd), log file = NAME: RPC takes a name without '/'
 *   --pidfile F         criu writes no pidfile for RPC: main.c writes the pid of the response
 *   --restore-detached  RPC restores are always detached: accepted, nothing to set
 *   --restore-sibling   criu_local_restore_child() instead of criu_local_restore()
 *   --action-script S   criu notifies each stage, scripts.c runs S (criu_local_set_notify_cb)
 *   --unprivileged      criu_local_set_unprivileged: in libcriu.so.2 but missing from criu.h
 *   --no-default-config accepted, but not carried: libcriu starts `criu swrk FD` with no way to add
 *                       it, and swrk reads /etc/criu/default.conf and $HOME/.criu/default.conf
 *                       (seen: a bad option in the latter makes every request exit 3)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

/* Exported by libcriu.so.2 (4.2.1) beside criu_set_unprivileged, but not declared in its criu.h. */
void criu_local_set_unprivileged(criu_opts *opts, bool unprivileged);

enum arg { NONE, NEEDS, OPTIONAL };   /* OPTIONAL: only as --name=value, as criu parses it */

struct opt {
	const char *name;
	enum arg arg;
	void (*flag)(criu_opts *o, bool on);               /* a plain on/off option */
	int (*set)(struct shim *s, const char *arg);       /* 0, or an exit status */
};

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

static int set_tree(struct shim *s, const char *arg)
{
	long v;

	if (!number(arg, 1, INT_MAX, &v))
		return bad("tree", arg);
	criu_local_set_pid(s->o, v);
	return 0;
}

static int set_images_dir(struct shim *s, const char *arg)
{
	int fd = open(arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		shim_say("cannot open the images dir %s: %s", arg, strerror(errno));
		return SHIM_REFUSED;
	}
	s->imgdir = arg;
	criu_local_set_images_dir_fd(s->o, fd);
	return 0;
}

/* RPC wants a bare name, relative to the work dir: the work dir becomes the log's own directory. */
static int set_log_file(struct shim *s, const char *arg)
{
	const char *slash = strrchr(arg, '/');
	char dir[PATH_MAX];
	int fd;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - arg) + 1 : 1, slash ? arg : ".");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		shim_say("cannot open the log's directory %s: %s", dir, strerror(errno));
		return SHIM_REFUSED;
	}
	s->log = arg;
	criu_local_set_work_dir_fd(s->o, fd);
	return lib(criu_local_set_log_file(s->o, slash ? slash + 1 : arg), "log-file");
}

static int set_verbosity(struct shim *s, const char *arg)
{
	long v;

	if (!arg)   /* a bare --verbosity is one more than criu's default 2 */
		arg = "3";
	if (!number(arg, 0, 4, &v))
		return bad("verbosity", arg);
	criu_local_set_log_level(s->o, v);
	return 0;
}

static int set_timeout(struct shim *s, const char *arg)
{
	long v;

	if (!number(arg, 0, INT_MAX, &v))
		return bad("timeout", arg);
	criu_local_set_timeout(s->o, v);
	return 0;
}

/* criu's sizes: a number with an optional K, M or G. */
static int set_ghost_limit(struct shim *s, const char *arg)
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

static int set_manage_cgroups(struct shim *s, const char *arg)
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

static int set_network_lock(struct shim *s, const char *arg)
{
	static const char *const ways[] = { "iptables", "nftables", "skip", NULL };
	int m = word(arg, ways, CRIU_NETWORK_LOCK_IPTABLES);

	return m < 0 ? bad("network-lock", arg) : lib(criu_local_set_network_lock(s->o, m), "network-lock");
}

static int set_pre_dump_mode(struct shim *s, const char *arg)
{
	static const char *const modes[] = { "splice", "read", NULL };
	int m = word(arg, modes, CRIU_PRE_DUMP_SPLICE);

	return m < 0 ? bad("pre-dump-mode", arg) : lib(criu_local_set_pre_dump_mode(s->o, m), "pre-dump-mode");
}

static int set_empty_ns(struct shim *s, const char *arg)
{
	if (strcmp(arg, "net"))
		return bad("empty-ns", arg);
	criu_local_set_empty_ns(s->o, CLONE_NEWNET);
	return 0;
}

/* NS:PATH-OR-PID[,EXTRA], split into RPC's three fields. */
static int set_join_ns(struct shim *s, const char *arg)
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

static int set_external(struct shim *s, const char *arg)
{
	return lib(criu_local_add_external(s->o, arg), "external");
}

static int set_freeze_cgroup(struct shim *s, const char *arg)
{
	return lib(criu_local_set_freeze_cgroup(s->o, arg), "freeze-cgroup");
}

/* Relative to the images dir, as on the command line. */
static int set_prev_images_dir(struct shim *s, const char *arg)
{
	return lib(criu_local_set_parent_images(s->o, arg), "prev-images-dir");
}

static int set_root(struct shim *s, const char *arg)
{
	return lib(criu_local_set_root(s->o, arg), "root");
}

static int set_address(struct shim *s, const char *arg)
{
	s->ps_address = arg;
	return 0;
}

static int set_port(struct shim *s, const char *arg)
{
	long v;

	if (!number(arg, 1, 65535, &v))
		return bad("port", arg);
	s->ps_port = v;
	return 0;
}

static int set_page_server(struct shim *s, const char *arg)
{
	(void)arg;
	s->page_server = true;
	return 0;
}

static int set_pidfile(struct shim *s, const char *arg)
{
	s->pidfile = arg;
	return 0;
}

static int set_sibling(struct shim *s, const char *arg)
{
	(void)arg;
	s->sibling = true;
	return 0;
}

static int set_script(struct shim *s, const char *arg)
{
	if (s->nscripts == MAX_SCRIPTS)
		return bad("action-script", "(more than 8)");
	s->scripts[s->nscripts++] = arg;
	return 0;
}

static int ignore(struct shim *s, const char *arg)
{
	(void)s, (void)arg;
	return 0;
}

static const struct opt opts[] = {
	{ "tree", NEEDS, NULL, set_tree },
	{ "images-dir", NEEDS, NULL, set_images_dir },
	{ "log-file", NEEDS, NULL, set_log_file },
	{ "verbosity", OPTIONAL, NULL, set_verbosity },
	{ "no-default-config", NONE, NULL, ignore },
	{ "restore-detached", NONE, NULL, ignore },
	{ "pidfile", NEEDS, NULL, set_pidfile },
	{ "restore-sibling", NONE, NULL, set_sibling },
	{ "action-script", NEEDS, NULL, set_script },
	{ "timeout", NEEDS, NULL, set_timeout },
	{ "leave-running", NONE, criu_local_set_leave_running, NULL },
	{ "unprivileged", NONE, criu_local_set_unprivileged, NULL },
	{ "track-mem", NONE, criu_local_set_track_mem, NULL },
	{ "prev-images-dir", NEEDS, NULL, set_prev_images_dir },
	{ "auto-dedup", NONE, criu_local_set_auto_dedup, NULL },
	{ "pre-dump-mode", NEEDS, NULL, set_pre_dump_mode },
	{ "page-server", NONE, NULL, set_page_server },
	{ "address", NEEDS, NULL, set_address },
	{ "port", NEEDS, NULL, set_port },
	{ "empty-ns", NEEDS, NULL, set_empty_ns },
	{ "join-ns", NEEDS, NULL, set_join_ns },
	{ "freeze-cgroup", NEEDS, NULL, set_freeze_cgroup },
	{ "manage-cgroups", OPTIONAL, NULL, set_manage_cgroups },
	{ "mntns-compat-mode", NONE, criu_local_set_mntns_compat_mode, NULL },
	{ "external", NEEDS, NULL, set_external },
	{ "root", NEEDS, NULL, set_root },
	{ "tcp-established", NONE, criu_local_set_tcp_established, NULL },
	{ "tcp-close", NONE, criu_local_set_tcp_close, NULL },
	{ "skip-in-flight", NONE, criu_local_set_tcp_skip_in_flight, NULL },
	{ "network-lock", NEEDS, NULL, set_network_lock },
	{ "ghost-limit", NEEDS, NULL, set_ghost_limit },
	{ "file-locks", NONE, criu_local_set_file_locks, NULL },
	{ "ext-unix-sk", NONE, criu_local_set_ext_unix_sk, NULL },
	{ "link-remap", NONE, criu_local_set_link_remap, NULL },
	{ "shell-job", NONE, criu_local_set_shell_job, NULL },
	{ "evasive-devices", NONE, criu_local_set_evasive_devices, NULL },
	{ "force-irmap", NONE, criu_local_set_force_irmap, NULL },
	{ "weak-sysctls", NONE, criu_local_set_weak_sysctls, NULL },
	{ "skip-file-rwx-check", NONE, criu_local_set_skip_file_rwx_check, NULL },
	{ "auto-ext-mnt", NONE, criu_local_set_auto_ext_mnt, NULL },
	{ "ext-sharing", NONE, criu_local_set_ext_sharing, NULL },
	{ "ext-masters", NONE, criu_local_set_ext_masters, NULL },
};

static const struct opt *find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i].name) == len && !strncmp(opts[i].name, name, len))
			return &opts[i];
	return NULL;
}

/* -v4, -vvv: criu's short verbosity (its default level is 2, each v one more). */
static int short_v(struct shim *s, const char *w)
{
	int n = strspn(w + 1, "v");

	if (n > 1 || !w[2])
		return set_verbosity(s, (char[]){ '0' + (2 + n > 4 ? 4 : 2 + n), 0 });
	return set_verbosity(s, w + 2);
}

/* Applies one word (and the next, for an option that takes one); returns how many it used, or -status. */
static int one(struct shim *s, char **w, int left)
{
	const char *name = w[0] + 2, *eq = strchr(name, '=');
	const struct opt *o;
	int rc;

	if (!strncmp(w[0], "-v", 2))
		return (rc = short_v(s, w[0])) ? -rc : 1;
	o = strncmp(w[0], "--", 2) ? NULL : find(name, eq ? (size_t)(eq - name) : strlen(name));
	if (!o || (eq && o->arg == NONE) || (!eq && o->arg == NEEDS && left < 2)) {
		shim_say("RPC cannot carry %s", w[0]);
		return -SHIM_CANNOT_CARRY;
	}
	if (o->flag) {
		o->flag(s->o, true);
		return 1;
	}
	if (eq || o->arg != NEEDS)
		return (rc = o->set(s, eq ? eq + 1 : NULL)) ? -rc : 1;
	return (rc = o->set(s, w[1])) ? -rc : 2;
}

int shim_options(struct shim *s, int argc, char **argv, int i)
{
	while (i < argc) {
		int used = one(s, argv + i, argc - i);

		if (used < 0)
			return -used;
		i += used;
	}
	if (s->page_server && (!s->ps_address || !s->ps_port)) {
		shim_say("RPC cannot carry --page-server without --address and --port");
		return SHIM_CANNOT_CARRY;
	}
	/* libcriu 4.2.1 answers -ENOMEM here even when it set both (its success path falls through to
	 * the error return): the answer tells nothing, so it is not read. */
	if (s->page_server)
		criu_local_set_page_server_address_port(s->o, s->ps_address, s->ps_port);
	return 0;
}
