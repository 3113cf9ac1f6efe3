/*
 * criu's command-line options, each with the libcriu 4.2.1 call that carries it over RPC.
 * Everything is checked here and in setters.c, before criu runs: an option not in the table, or one whose
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
 *   --inherit-fd fd[N]:KEY  criu_local_add_inherit_fd(N, KEY): criu swrk, started by libcriu from
 *                       the shim, inherits the shim's fd N (the runner's inherited-fd tests)
 *   --no-default-config accepted, but not carried: libcriu starts `criu swrk FD` with no way to add
 *                       it, and swrk reads /etc/criu/default.conf and $HOME/.criu/default.conf
 *                       (seen: a bad option in the latter makes every request exit 3)
 */
#include <string.h>

#include "setters.h"

/* Exported by libcriu.so.2 (4.2.1) beside criu_set_unprivileged, but not declared in its criu.h. */
void criu_local_set_unprivileged(criu_opts *opts, bool unprivileged);

enum arg { NONE, NEEDS, OPTIONAL };   /* OPTIONAL: only as --name=value, as criu parses it */

struct opt {
	const char *name;
	enum arg arg;
	void (*flag)(criu_opts *o, bool on);               /* a plain on/off option */
	int (*set)(struct shim *s, const char *arg);       /* 0, or an exit status */
};

static const struct opt opts[] = {
	{ "tree", NEEDS, NULL, set_tree },
	{ "images-dir", NEEDS, NULL, set_images_dir },
	{ "log-file", NEEDS, NULL, set_log_file },
	{ "verbosity", OPTIONAL, NULL, set_verbosity },
	{ "no-default-config", NONE, NULL, set_accepted },
	{ "restore-detached", NONE, NULL, set_accepted },
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
	{ "cgroup-root", NEEDS, NULL, set_cgroup_root },
	{ "mntns-compat-mode", NONE, criu_local_set_mntns_compat_mode, NULL },
	{ "external", NEEDS, NULL, set_external },
	{ "inherit-fd", NEEDS, NULL, set_inherit_fd },
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
	return setters_finish(s);
}
