#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a userfaultfd held by the program with a registered range of 4 missing pages; a fault after C/R is served through it",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#define PAGE 4096
#define NPAGES 4
#define FAULT_PAGE 2

static char *area;

static void *toucher(void *arg)
{
	(void)arg;
	return (void *)(long)area[FAULT_PAGE * PAGE + 7];   /* blocks until the page is copied in */
}

/* The fd is a userfaultfd and the range is registered for missing pages ("um"), nothing resident. */
static int check(int uffd)
{
	char link[64], target[128];
	struct zdtm_vma v;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", uffd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return fail_errno("readlink %s", link);
	target[n] = 0;
	if (expect_str("the fd", target, "anon_inode:[userfaultfd]"))
		return 1;
	if (vma_find(area, &v, true))
		return fail("no mapping at %p", area);
	if (!vma_has_flag(&v, "um"))
		return fail("the registered range's VmFlags are \"%s\", expected \"um\" among them", v.flags);
	return expect_int("Rss of the registered range (kB)", vma_kb(&v, "Rss"), 0);
}

/* A thread reads the missing page: the fault comes to the fd, UFFDIO_COPY serves it. */
static int serve_fault(int uffd)
{
	static char page[PAGE];
	struct pollfd p = { .fd = uffd, .events = POLLIN };
	struct uffdio_copy copy = { .len = PAGE, .src = (unsigned long)page };
	struct uffd_msg msg;
	pthread_t th;
	void *got;

	memset(page, 0x5a, sizeof(page));
	page[7] = 42;
	if ((errno = pthread_create(&th, NULL, toucher, NULL)))
		return fail_errno("pthread_create");
	if (poll(&p, 1, 10000) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg))
		return fail_errno("no page fault event on the userfaultfd within 10 s");
	if (expect_int("event", msg.event, UFFD_EVENT_PAGEFAULT) ||
	    expect_int("fault address", msg.arg.pagefault.address & ~(PAGE - 1UL),
		       (unsigned long)area + FAULT_PAGE * PAGE))
		return 1;
	copy.dst = msg.arg.pagefault.address & ~(PAGE - 1UL);
	if (ioctl(uffd, UFFDIO_COPY, &copy))
		return fail_errno("UFFDIO_COPY");
	pthread_join(th, &got);
	return expect_int("the byte the faulting thread read", (long)got, 42);
}

int main(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int uffd;

	test_init(argc, argv);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	if (uffd < 0 && (errno == ENOSYS || errno == EPERM))
		return skip("userfaultfd: %s", strerror(errno));
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		return fail_errno("userfaultfd, UFFDIO_API");
	area = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return fail_errno("mmap");
	reg.range.start = (unsigned long)area;
	reg.range.len = NPAGES * PAGE;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		return fail_errno("UFFDIO_REGISTER");
	if (check(uffd))
		return 1;

	test_daemon();
	test_waitsig();

	return check(uffd) || serve_fault(uffd) ? 1 : pass();
}
