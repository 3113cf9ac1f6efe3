/*
 * Facts about the machine that decide whether results can be trusted: the
 * kernel, its taint, the file system tests run on, capabilities the runner
 * lacks, and the criu features the catalog asks for. `zdtm check` prints them
 * all; every run prints the warnings and compares the taint before and after.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>

#include "runner.h"

long host_taint(void)
{
	char buf[64];

	return read_text("/proc/sys/kernel/tainted", buf, sizeof(buf)) > 0 ? atol(buf) : -1;
}

/* A warning about the file system under dir, or NULL when it is a good one. */
const char *host_fs_warning(const char *dir, char *buf, size_t len)
{
	struct statfs fs;
	struct statvfs vfs;

	if (statfs(dir, &fs) || statvfs(dir, &vfs)) {
		snprintf(buf, len, "cannot stat %s", dir);
		return buf;
	}
	if (fs.f_type == 0x9123683e)   /* BTRFS_SUPER_MAGIC */
		snprintf(buf, len, "%s is on btrfs: stat() gives a subvolume's device, /proc the mount's "
			 "(tests that look files up in /proc use the mount's: libzdtm proc_fd_dev)", dir);
	else if (fs.f_type == 0x794c7630)   /* OVERLAYFS_SUPER_MAGIC */
		snprintf(buf, len, "%s is on overlayfs: maps and fdinfo may show other dev/ino than stat()", dir);
	else if (vfs.f_flag & ST_NODEV)
		snprintf(buf, len, "%s is mounted nodev: device nodes there do not open", dir);
	else
		return NULL;
	return buf;
}

static const char *fs_name(long type)
{
	switch (type) {
	case 0xef53: return "ext4";
	case 0x58465342: return "xfs";
	case 0x9123683e: return "btrfs";
	case 0x794c7630: return "overlayfs";
	case 0x01021994: return "tmpfs";
	default: return "other";
	}
}

static const char *const cap_names[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid",
	"setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw",
	"ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
	"sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod",
	"lease", "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog",
	"wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};

static void print_missing_caps(void)
{
	char buf[4096], *p;
	unsigned long long bnd;
	int missing = 0;

	if (read_text("/proc/self/status", buf, sizeof(buf)) < 0 || !(p = strstr(buf, "CapBnd:")))
		return;
	bnd = strtoull(p + 7, NULL, 16);
	printf("capabilities missing from the bounding set:");
	for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (!(bnd & (1ull << i))) {
			printf(" cap_%s", cap_names[i]);
			missing++;
		}
	printf("%s\n", missing ? "" : " none");
	if (!(bnd & (1ull << 24)))
		printf("  -> root criu cannot prlimit() a task of another uid: tests stay root in h and ns\n");
}

/* The distinct criu features the catalog asks for, plus the ones variations need. */
static void print_features(const struct catalog *c, const struct engine *e)
{
	char seen[64][64];
	int n = 0;
	static const char *const extra[] = { "mem_dirty_track", "userns", "uffd", "timens" };

	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		snprintf(seen[n++], sizeof(seen[0]), "%s", extra[i]);
	for (int i = 0; i < c->n; i++) {
		char list[256], *save;

		catalog_describe((struct test *)&c->tests[i]);
		snprintf(list, sizeof(list), "%s", c->tests[i].features);
		for (char *f = strtok_r(list, " ", &save); f && n < 64; f = strtok_r(NULL, " ", &save)) {
			int k = 0;

			while (k < n && strcmp(seen[k], f))
				k++;
			if (k == n)
				snprintf(seen[n++], sizeof(seen[0]), "%s", f);
		}
	}
	printf("criu features:");
	for (int k = 0; k < n; k++) {
		char missing[64];

		printf(" %s%s", engine_has_features(e, seen[k], missing, sizeof(missing)) ? "+" : "-", seen[k]);
	}
	printf("   (+ present, - missing)\n");
}

int host_report(const struct catalog *c, const struct engine *e)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	const char *dirs[] = { tmp, c->root };
	struct utsname u;
	char warn[512];

	uname(&u);
	printf("criu: %s, version %s, 'criu check' passes, file capabilities %s\n", e->path, e->version,
	       e->file_caps ? "set (--user can work)" : "not set (--user cannot work)");
	print_features(c, e);
	helpers_report();
	printf("kernel: %s %s, taint %ld\n", u.release, u.machine, host_taint());
	for (int i = 0; i < 2; i++) {
		struct statfs fs;

		if (!statfs(dirs[i], &fs))
			printf("file system of %s: %s\n", dirs[i], fs_name(fs.f_type));
		if (host_fs_warning(dirs[i], warn, sizeof(warn)))
			printf("  warning: %s\n", warn);
	}
	print_missing_caps();
	printf("--user: uid %d %s execute %s\n", USER_UID, proc_user_can_exec(e->path) ? "can" : "cannot",
	       e->path);
	return 0;
}
