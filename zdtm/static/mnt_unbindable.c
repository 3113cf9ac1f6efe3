#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "mounts of every propagation type: shared, its peer, its slave, a shared slave, unbindable, private",
	  .flavors = ZDTM_NS_FLAVORS, .flags = "suid");

/*
 * Peer group numbers may change across C/R; the relations may not:
 *   shared   shared:A                 a tmpfs made shared
 *   peer     shared:A                 a bind of shared: the same peer group
 *   slave    master:A                 a bind of shared made a slave
 *   sslave   shared:B master:A        a bind of shared made a slave, then shared again (B != A)
 *   unbind   unbindable               a tmpfs made unbindable
 *   private  (nothing)                a tmpfs made private
 */
struct tags {
	bool found, unbindable;
	int shared, master;
};

static char cwd[PATH_MAX];

/* The optional fields of the top mount at test_path(name). */
static struct tags tags_of(const char *name)
{
	static char line[4096];
	char want[2 * PATH_MAX], point[PATH_MAX];
	struct tags t = { 0 };
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int off;

	snprintf(want, sizeof(want), "%s/%s", cwd, test_path(name));
	while (f && fgets(line, sizeof(line), f)) {
		/* id parent major:minor root mountpoint options [optional fields] - ... */
		if (sscanf(line, "%*d %*d %*u:%*u %*s %4095s %*s%n", point, &off) != 1 || strcmp(point, want))
			continue;
		t = (struct tags){ .found = true };
		for (char *tok = strtok(line + off, " \n"); tok && strcmp(tok, "-"); tok = strtok(NULL, " \n")) {
			sscanf(tok, "shared:%d", &t.shared);
			sscanf(tok, "master:%d", &t.master);
			t.unbindable |= !strcmp(tok, "unbindable");
		}
	}
	if (f)
		fclose(f);
	return t;
}

static int expect_tags(const char *name, struct tags t, int shared, int master, bool unbindable)
{
	if (!t.found)
		return fail("no mount at %s", test_path(name));
	if (t.shared != shared || t.master != master || t.unbindable != unbindable)
		return fail("%s: shared:%d master:%d%s, expected shared:%d master:%d%s", name, t.shared, t.master,
			    t.unbindable ? " unbindable" : "", shared, master, unbindable ? " unbindable" : "");
	return 0;
}

static int expect_all(void)
{
	struct tags s = tags_of("shared"), ss = tags_of("sslave");

	if (!s.shared)
		return fail("%s has no peer group (shared:%d), expected a shared mount", test_path("shared"), s.shared);
	if (ss.shared == s.shared || !ss.shared)
		return fail("the shared slave has peer group %d, expected its own, not 0 nor the master's %d",
			    ss.shared, s.shared);
	if (expect_tags("shared", s, s.shared, 0, false) || expect_tags("peer", tags_of("peer"), s.shared, 0, false) ||
	    expect_tags("slave", tags_of("slave"), 0, s.shared, false) ||
	    expect_tags("sslave", ss, ss.shared, s.shared, false) ||
	    expect_tags("unbind", tags_of("unbind"), 0, 0, true) || expect_tags("private", tags_of("private"), 0, 0, false))
		return 1;
	/* the binds show the shared tmpfs */
	for (const char *const *n = (const char *const[]){ "peer", "slave", "sslave", NULL }; *n; n++) {
		struct stat a, b;

		if (stat(test_path("shared"), &a) || stat(test_path(*n), &b))
			return fail_errno("stat %s", test_path(*n));
		if (a.st_dev != b.st_dev)
			return fail("%s is on device %#lx, expected the shared tmpfs %#lx", test_path(*n),
				    (unsigned long)b.st_dev, (unsigned long)a.st_dev);
	}
	/* unbindable does what it says */
	if (mount(test_path("unbind"), test_path("probe"), NULL, MS_BIND, NULL) == 0) {
		umount(test_path("probe"));
		return fail("bind of the unbindable %s succeeded, expected EINVAL", test_path("unbind"));
	}
	if (errno != EINVAL)
		return fail_errno("bind of the unbindable %s, expected EINVAL", test_path("unbind"));
	return 0;
}

static int tmpfs(const char *name, unsigned long propagation)
{
	if (mkdir(test_path(name), 0755) || mount("zdtm_unbindable", test_path(name), "tmpfs", 0, "size=64k") ||
	    mount(NULL, test_path(name), NULL, propagation, NULL))
		return fail_errno("tmpfs on %s", test_path(name));
	return 0;
}

static int bind(const char *name, unsigned long propagation, unsigned long then)
{
	if (mkdir(test_path(name), 0755) || mount(test_path("shared"), test_path(name), NULL, MS_BIND, NULL) ||
	    (propagation && mount(NULL, test_path(name), NULL, propagation, NULL)) ||
	    (then && mount(NULL, test_path(name), NULL, then, NULL)))
		return fail_errno("bind of %s on %s", test_path("shared"), test_path(name));
	return 0;
}

int main(int argc, char **argv)
{
	test_init(argc, argv);
	if (!getcwd(cwd, sizeof(cwd)))
		return fail_errno("getcwd");
	if (mkdir(test_path("probe"), 0755))
		return fail_errno("mkdir");
	if (tmpfs("shared", MS_SHARED) || bind("peer", 0, 0) || bind("slave", MS_SLAVE, 0) ||
	    bind("sslave", MS_SLAVE, MS_SHARED) || tmpfs("unbind", MS_UNBINDABLE) || tmpfs("private", MS_PRIVATE))
		return 1;
	if (expect_all())
		return 1;

	test_daemon();
	test_waitsig();

	return expect_all() ? 1 : pass();
}
