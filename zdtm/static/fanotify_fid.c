#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a fanotify group in FID mode (FAN_REPORT_FID) marking a directory for FAN_CREATE: events carry the directory's file handle",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "suid");

/* The next event: FAN_CREATE without an fd, with one FID record whose handle is the directory's. */
static int expect_create(int fd, const char *dir)
{
	union { char buf[4096]; struct fanotify_event_metadata ev; } u;
	struct { struct file_handle fh; char room[MAX_HANDLE_SZ]; } want = { .fh.handle_bytes = MAX_HANDLE_SZ };
	struct fanotify_event_info_fid *fid;
	struct file_handle *got;
	ssize_t n = read(fd, u.buf, sizeof(u.buf));
	int mnt;

	if (n < 0)
		return fail_errno("no fanotify event, expected FAN_CREATE");
	if (n < (ssize_t)sizeof(u.ev) || u.ev.vers != FANOTIFY_METADATA_VERSION)
		return fail("fanotify read %zd bytes version %d", n, u.ev.vers);
	if (u.ev.mask != FAN_CREATE || u.ev.fd != FAN_NOFD)
		return fail("fanotify event mask %#llx fd %d, expected FAN_CREATE (%#x) without fd (%d): not FID mode",
			    (unsigned long long)u.ev.mask, u.ev.fd, FAN_CREATE, FAN_NOFD);
	fid = (struct fanotify_event_info_fid *)(u.buf + u.ev.metadata_len);
	if (u.ev.event_len <= u.ev.metadata_len || fid->hdr.info_type != FAN_EVENT_INFO_TYPE_FID)
		return fail("the event has %u bytes of records, first type %d, expected a FID record (type %d)",
			    u.ev.event_len - u.ev.metadata_len, fid->hdr.info_type, FAN_EVENT_INFO_TYPE_FID);
	got = (struct file_handle *)fid->handle;
	if (name_to_handle_at(AT_FDCWD, dir, &want.fh, &mnt, 0))
		return fail_errno("name_to_handle_at %s", dir);
	if (got->handle_type != want.fh.handle_type || got->handle_bytes != want.fh.handle_bytes ||
	    memcmp(got->f_handle, want.fh.f_handle, got->handle_bytes))
		return fail("the event's file handle (type %d, %u bytes) is not the directory's (type %d, %u bytes)",
			    got->handle_type, got->handle_bytes, want.fh.handle_type, want.fh.handle_bytes);
	return 0;
}

int main(int argc, char **argv)
{
	char before[2048], after[2048], file[256];
	const char *dir;
	int fd;

	test_init(argc, argv);
	dir = test_path("dir");
	snprintf(file, sizeof(file), "%s/new", dir);
	if (mkdir(dir, 0755))
		return fail_errno("mkdir %s", dir);
	fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_NONBLOCK, O_RDONLY);
	if (fd < 0 && (errno == EPERM || errno == ENOSYS || errno == EINVAL))
		return skip("fanotify_init(FAN_REPORT_FID): %s", strerror(errno));
	if (fd < 0)
		return fail_errno("fanotify_init(FAN_REPORT_FID)");
	if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_ONLYDIR, FAN_CREATE, AT_FDCWD, dir))
		return fail_errno("fanotify_mark %s", dir);
	if (fdinfo_lines(fd, "fanotify ", before, sizeof(before)) != 2)
		return fail("fdinfo shows %d fanotify lines, expected 2 (group, mark): %s",
			    fdinfo_lines(fd, "fanotify ", before, sizeof(before)), before);

	test_daemon();
	test_waitsig();

	if (fdinfo_lines(fd, "fanotify ", after, sizeof(after)) < 0)
		return fail_errno("read fanotify fdinfo");
	/* the group line: its flags hold FAN_REPORT_FID */
	if (expect_str("fanotify fdinfo", strtok(after, ";"), strtok(before, ";")))
		return 1;
	if (close(open(file, O_WRONLY | O_CREAT, 0644)))
		return fail_errno("create %s", file);
	return expect_create(fd, dir) ? 1 : pass();
}
