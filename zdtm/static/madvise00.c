#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "MADV_DONTFORK, MADV_WIPEONFORK, MADV_DONTDUMP, MADV_(NO)HUGEPAGE of mappings survive, with content",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif

#define PG 4096UL
#define PAGES 4UL
#define LEN (PAGES * PG)

/* Mapping i lives at page 1 + 5 * i of a reserved area: one unmapped page between mappings. */
static const struct {
	int advice;      /* 0: none */
	const char *flag;
} maps[] = {
	{ MADV_DONTFORK, "dc" },
	{ MADV_WIPEONFORK, "wf" },
	{ MADV_DONTDUMP, "dd" },
	{ MADV_HUGEPAGE, "hg" },
	{ MADV_NOHUGEPAGE, "nh" },
	{ 0, NULL },
};
#define NMAPS (sizeof(maps) / sizeof(maps[0]))
#define AREA_PAGES (NMAPS * (PAGES + 1) + 1)
#define MAP_AT(area, i) ((area) + (1 + (i) * (PAGES + 1)) * PG)

/* Each mapping has its own flag and none of the others. */
static int check_flags(char *area)
{
	struct zdtm_vma v;

	for (size_t i = 0; i < NMAPS; i++) {
		char *p = MAP_AT(area, i);

		if (vma_find(p, &v, true) || v.start != (unsigned long)p)
			return fail("no VMA starts at mapping %zu (%p)", i, (void *)p);
		if (v.end != (unsigned long)p + LEN)
			return fail("mapping %zu ends at %lx, expected %lx", i, v.end, (unsigned long)p + LEN);
		for (size_t j = 0; j < NMAPS; j++) {
			if (!maps[j].flag || vma_has_flag(&v, maps[j].flag) == (i == j))
				continue;
			return fail("mapping %zu (advised %s) %s flag %s (VmFlags: %s)", i,
				    maps[i].flag ? maps[i].flag : "nothing", i == j ? "lost" : "gained",
				    maps[j].flag, v.flags);
		}
	}
	return 0;
}

/* In a child, the MADV_DONTFORK mapping is absent and the MADV_WIPEONFORK one is zero. */
static int check_fork(char *area)
{
	static const char zero[LEN];
	unsigned char vec[PAGES];
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0) {
		if (mincore(MAP_AT(area, 0), LEN, vec) == 0 || errno != ENOMEM)
			_exit(1);
		_exit(memcmp(MAP_AT(area, 1), zero, LEN) ? 2 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		return fail("the MADV_DONTFORK mapping is mapped in a child, expected it absent");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		return fail("the MADV_WIPEONFORK mapping is not zero in a child, expected zero");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("fork check child: wait status 0x%x, expected exit 0", status);
	return 0;
}

int main(int argc, char **argv)
{
	static char copy[NMAPS][LEN];
	char *area;

	test_init(argc, argv);
	area = mmap(NULL, AREA_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || munmap(area, AREA_PAGES * PG))
		return fail_errno("reserve the area");
	for (size_t i = 0; i < NMAPS; i++) {
		char *p = MAP_AT(area, i);

		if (mmap(p, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 -1, 0) != p)
			return fail_errno("mmap mapping %zu", i);
		datagen(p, LEN, i + 1);
		memcpy(copy[i], p, LEN);
		if (maps[i].advice && madvise(p, LEN, maps[i].advice)) {
			if (errno == EINVAL && maps[i].flag[0] == 'h')
				return skip("madvise(%s) is refused: no transparent huge pages", maps[i].flag);
			return fail_errno("madvise mapping %zu (%s)", i, maps[i].flag);
		}
	}
	if (check_flags(area) || check_fork(area))
		return 1;

	test_daemon();
	test_waitsig();

	if (check_flags(area))
		return 1;
	for (size_t i = 0; i < NMAPS; i++) {
		char what[32];

		snprintf(what, sizeof(what), "mapping %zu content", i);
		if (expect_bytes(what, MAP_AT(area, i), copy[i], LEN))
			return 1;
	}
	if (check_fork(area))
		return 1;
	return pass();
}
