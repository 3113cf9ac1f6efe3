#include "zdtm.h"

/* uns only: binfmt_misc has an instance per user namespace (Linux 6.7); in ns the test would
 * register its formats in the host's instance. */
ZDTM_TEST(.doc = "the user namespace's own binfmt_misc mounted in the test's mount namespace with two registrations, an extension one (disabled) and a magic one with flags: each entry's text and the status",
	  .flavors = ZDTM_FLAVOR_UNS, .flags = "suid");

#define FS_TYPE "binfmt_misc"
#define FS_OPTS ""
#define FS_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)
#define FS_MAGIC 0x42494e4d
#define FS_SETUP(point) (bm_register(point) || bm_read(point, entries[0], sizeof(entries[0])))
#define FS_CHECK(point) bm_check(point)

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const rules[] = {
	":zdtm_ext:E::zdtmx::/zdtm/interp-ext:",
	":zdtm_magic:M:2:\\x7fZD\\xffM:\\xff\\xff\\xf0\\xff\\xff:/zdtm/interp-magic:POC",
};
static char entries[2][2048];

static int put(const char *point, const char *name, const char *text)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", point, name);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd))
		return fail_errno("write \"%s\" to %s", text, path);
	return 0;
}

static int bm_register(const char *point)
{
	return put(point, "register", rules[0]) || put(point, "register", rules[1]) || put(point, "zdtm_ext", "0");
}

/* status, zdtm_ext and zdtm_magic, one after another */
static int bm_read(const char *point, char *out, size_t len)
{
	static const char *const names[] = { "status", "zdtm_ext", "zdtm_magic" };
	char path[4200];
	size_t used = 0;

	for (int i = 0; i < 3; i++) {
		int fd, n;

		snprintf(path, sizeof(path), "%s/%s", point, names[i]);
		used += snprintf(out + used, len - used, "[%s] ", names[i]);
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, out + used, len - used - 1);
		if (fd >= 0)
			close(fd);
		if (n < 0)
			return fail_errno("read %s", path);
		used += n;
		out[used] = 0;
	}
	return 0;
}

static int bm_check(const char *point)
{
	if (bm_read(point, entries[1], sizeof(entries[1])))
		return 1;
	if (!strcmp(entries[1], entries[0]))
		return 0;
	return fail("binfmt_misc holds \"%s\", expected \"%s\"", entries[1], entries[0]);
}

#include "mnt_ramfs.c"
