#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

/* h, ns: uprobe_events needs real root (not uns). */
ZDTM_TEST(.doc = "an enabled uprobe (tracefs uprobe_events) on a function of the test's own text, not hit yet (its breakpoint written into the text page), dumped with --allow-uprobes: the function still works and the probe fires in the restored task, which then gets its [uprobes] page",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid", .opts = "--allow-uprobes");

static char tracefs[PATH_MAX], event[64];

__attribute__((noinline)) int probed(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 3 + 1;
}

static int tracefs_write(const char *file, const char *text)
{
	char path[PATH_MAX + 64];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", tracefs, file);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0)
		return -1;
	ret = write_all(fd, text, strlen(text));
	return close(fd) || ret ? -1 : 0;
}

/* The probe's hits from uprobe_profile ("PATH EVENT HITS", the event without its group), or -1. */
static long hits(void)
{
	char path[PATH_MAX + 64], line[PATH_MAX + 128], name[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/uprobe_profile", tracefs);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		long h;

		if (sscanf(line, "%*s %127s %ld", name, &h) == 2 && !strcmp(name, strchr(event, '/') + 1))
			n = h;
	}
	fclose(f);
	return n;
}

/* tracefs is mounted only while the test uses it: not across C/R (criu would have to keep it). */
static int mount_tracefs(void)
{
	return mount("zdtm_tracefs", tracefs, "tracefs", 0, NULL);
}

/* Disables and deletes the probe; 0, or -1 with errno. Runs once (at the end or at exit). */
static int remove_probe(void)
{
	static bool done;
	char cmd[128], enable[128];
	int ret;

	if (done)
		return 0;
	done = true;
	snprintf(enable, sizeof(enable), "events/%s/enable", event);
	snprintf(cmd, sizeof(cmd), "-:%s\n", event);
	mount_tracefs();        /* it may be mounted already: one more on top does no harm */
	ret = tracefs_write(enable, "0\n") || tracefs_write("uprobe_events", cmd) ? -1 : 0;
	umount2(tracefs, MNT_DETACH);
	return ret;
}

static void remove_at_exit(void)
{
	remove_probe();
}

static bool has_uprobes_vma(void)
{
	struct zdtm_vma v[64];
	int n = vma_list(0, ~0UL, v, 64, false);

	for (int i = 0; i < n && i < 64; i++)
		if (!strcmp(v[i].name, "[uprobes]"))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	char exe[PATH_MAX], cmd[PATH_MAX + 128], enable[128];
	struct zdtm_vma text;
	struct stat st;
	ssize_t n;

	test_init(argc, argv);
	if (!getcwd(tracefs, sizeof(tracefs) - 16) || stat(".", &st))
		return fail_errno("getcwd");
	strcat(tracefs, "/tracefs");
	if (mkdir(tracefs, 0700))
		return fail_errno("mkdir %s", tracefs);
	if (mount_tracefs())
		return errno == ENODEV ? skip("no tracefs in this kernel") : fail_errno("mount tracefs on %s", tracefs);
	if (access(strcat(strcpy(cmd, tracefs), "/uprobe_events"), W_OK)) {
		umount2(tracefs, MNT_DETACH);
		return skip("no uprobe_events in tracefs (CONFIG_UPROBE_EVENTS)");
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0 || vma_find((void *)probed, &text, false))
		return fail_errno("the binary and the VMA of probed()");
	exe[n] = 0;
	snprintf(event, sizeof(event), "zdtm_uprobes/p%lu", (unsigned long)st.st_ino);   /* one per job */
	snprintf(cmd, sizeof(cmd), "p:%s %s:0x%lx\n", event, exe,
		 (unsigned long)probed - text.start + text.offset);
	snprintf(enable, sizeof(enable), "events/%s/enable", event);
	if (tracefs_write("uprobe_events", cmd))
		return fail_errno("uprobe_events: %s", cmd);
	atexit(remove_at_exit);   /* a probe left in the kernel would outlive the test */
	if (tracefs_write(enable, "1\n"))
		return fail_errno("enable %s", event);
	/* Not hit before the dump: the kernel maps [uprobes] at the first hit, and criu does not
	 * restore that mapping (the kernel makes it again), which the runner's state diff would
	 * take for a loss. */
	if (expect_int("the probe's hits", hits(), 0) || expect_int("a [uprobes] mapping before any hit", has_uprobes_vma(), 0) ||
	    expect_int("the first byte of probed() (int3: the probe's breakpoint)", *(volatile unsigned char *)probed, 0xcc))
		return 1;
	if (umount2(tracefs, 0))
		return fail_errno("umount %s", tracefs);

	test_daemon();
	test_waitsig();

	if (expect_int("the first byte of probed() after C/R", *(volatile unsigned char *)probed, 0xcc))
		return 1;
	if (mount_tracefs())
		return fail_errno("mount tracefs again");
	if (expect_int("probed(5) after C/R", probed(5), 16) || expect_int("the probe's hits after C/R", hits(), 1) ||
	    expect_int("a [uprobes] mapping after the hit", has_uprobes_vma(), 1))
		return 1;
	if (remove_probe())
		return fail_errno("delete the probe %s", event);
	return pass();
}
