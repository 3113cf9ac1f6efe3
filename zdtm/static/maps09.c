#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a private and a shared anonymous MAP_HUGETLB mapping (2 huge pages each): both still hugetlb (2 MiB pages, VmFlags ht), private and shared as before, their bytes kept",
	  .flavors = ZDTM_ALL_FLAVORS, .flags = "hugetlb");

#define HPAGE (2UL << 20)
#define LEN (2 * HPAGE)

/* The VMA at p is one hugetlb mapping of LEN bytes with perms ("rw-p"), holding seed's bytes. */
static int expect_huge(const char *what, char *p, const char *perms)
{
	struct zdtm_vma v;

	if (vma_find(p, &v, true))
		return fail("%s: no mapping at %p", what, (void *)p);
	if (v.start != (unsigned long)p || v.end - v.start != LEN || strcmp(v.perms, perms) ||
	    !vma_has_flag(&v, "ht") || vma_kb(&v, "KernelPageSize") != 2048)
		return fail("%s: %lx-%lx %s, flags \"%s\", %ld kB pages; expected %p+%lu %s, ht, 2048 kB pages", what,
			    v.start, v.end, v.perms, v.flags, vma_kb(&v, "KernelPageSize"), (void *)p, LEN, perms);
	for (unsigned long off = 0; off < LEN; off += HPAGE)
		if (!datachk(p + off, HPAGE))
			return fail("%s: huge page %lu lost its bytes", what, off / HPAGE);
	return 0;
}

int main(int argc, char **argv)
{
	char *priv, *shared;

	test_init(argc, argv);
	priv = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	shared = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (priv == MAP_FAILED || shared == MAP_FAILED)
		return errno == ENOMEM ? skip("no free huge pages (vm.nr_hugepages)") : fail_errno("mmap MAP_HUGETLB");
	for (unsigned long off = 0; off < LEN; off += HPAGE) {
		datagen(priv + off, HPAGE, off + 1);
		datagen(shared + off, HPAGE, off + 2);
	}

	test_daemon();
	test_waitsig();

	if (expect_huge("the private mapping", priv, "rw-p") || expect_huge("the shared mapping", shared, "rw-s"))
		return 1;
	return pass();
}
