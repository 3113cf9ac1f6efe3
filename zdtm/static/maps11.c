#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a MAP_DROPPABLE and a WIPEONFORK mapping in a parent and a child forked before C/R: each keeps its VmFlags (dp, wf) and its own data (droppable pages: theirs or zero); forks after C/R see zeros",
	  .flavors = ZDTM_ALL_FLAVORS);

#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif

#define PG 4096UL
#define LEN (4 * PG)

/* The droppable mapping is wiped on fork as well: the kernel adds VM_WIPEONFORK to it. */
enum { DP, WF, NMAPS };
static const struct {
	const char *name;
	bool dp;
} maps[NMAPS] = { [DP] = { "MAP_DROPPABLE", true }, [WF] = { "MADV_WIPEONFORK", false } };

static char *map[NMAPS];
static char parent_data[NMAPS][LEN], child_data[NMAPS][LEN], zero[LEN];
static struct zdtm_waiter *w;   /* 1: the child has written its data; 2: C/R over, check */
static char *finding;

/* A droppable page the kernel dropped reads as zeros: so may one criu restores empty. */
static bool dropped(const char *page)
{
	return !memcmp(page, zero, PG);
}

/* Mapping i of this process: one VMA of LEN bytes, rw-p, its flags, the bytes in want. */
static int check_map(const char *who, int i, const char *want, char *out)
{
	struct zdtm_vma v;

	if (vma_find(map[i], &v, true) || v.start != (unsigned long)map[i] || v.end != v.start + LEN)
		return note(out, "%s: the %s mapping at %p is not one VMA of %lu bytes", who, maps[i].name,
			    (void *)map[i], LEN);
	if (strcmp(v.perms, "rw-p") || !vma_has_flag(&v, "wf") || vma_has_flag(&v, "dp") != maps[i].dp)
		return note(out, "%s: the %s mapping is %s with VmFlags \"%s\", expected rw-p with wf%s", who,
			    maps[i].name, v.perms, v.flags, maps[i].dp ? " and dp" : ", without dp");
	for (size_t b = 0; b < LEN; b++)
		if (map[i][b] != want[b] && !(maps[i].dp && dropped(map[i] + b / PG * PG)))
			return note(out, "%s: the %s mapping: byte %zu is %#x, expected %#x%s", who, maps[i].name, b,
				    (unsigned char)map[i][b], (unsigned char)want[b],
				    maps[i].dp ? " (or a zero page: the kernel may drop a droppable page)" : "");
	return 0;
}

static int check_all(const char *who, char want[NMAPS][LEN], char *out)
{
	for (int i = 0; i < NMAPS; i++)
		if (check_map(who, i, want ? want[i] : zero, out))
			return 1;
	return 0;
}

/* A process forked now sees both mappings zeroed; it notes into the shared finding. */
static int check_fork(const char *who, char *out)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return note(out, "%s: fork: %s", who, strerror(errno));
	if (pid == 0)
		_exit(check_all(who, NULL, finding));
	if (waitpid(pid, &status, 0) != pid || status)
		return finding[0] ? 1 : note(out, "%s: wait status %#x, expected 0", who, status);
	return 0;
}

static int child(void)
{
	if (check_all("child before C/R", NULL, finding))
		return waiter_post(w, 1), 1;
	for (int i = 0; i < NMAPS; i++)
		memcpy(map[i], child_data[i], LEN);
	waiter_post(w, 1);
	waiter_wait(w, 2);
	if (check_all("child after C/R", child_data, finding))
		return 1;
	return check_fork("grandchild forked after C/R", finding);
}

int main(int argc, char **argv)
{
	char problem[ZDTM_FINDING_LEN] = "";
	int status = 0;
	pid_t pid;

	test_init(argc, argv);
	w = waiter_new();
	finding = finding_new();
	if (!finding)
		return fail_errno("mmap a shared buffer for the child's finding");
	map[DP] = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_DROPPABLE | MAP_ANONYMOUS, -1, 0);
	if (map[DP] == MAP_FAILED)
		return errno == EINVAL ? skip("MAP_DROPPABLE: EINVAL (kernel before 6.11)") : fail_errno("mmap droppable");
	/* The kernel may drop a droppable page at any time (criu restores them empty): its content is
	 * the test's own check (its data or zeros), not the runner's memory digest; the child inherits it. */
	test_volatile(map[DP], LEN);
	map[WF] = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map[WF] == MAP_FAILED || madvise(map[WF], LEN, MADV_WIPEONFORK))
		return fail_errno("mmap and MADV_WIPEONFORK");
	for (int i = 0; i < NMAPS; i++) {
		datagen(parent_data[i], LEN, i + 1);
		datagen(child_data[i], LEN, i + 11);
		memcpy(map[i], parent_data[i], LEN);
	}
	pid = fork();
	if (pid < 0)
		return fail_errno("fork");
	if (pid == 0)
		_exit(child());
	waiter_wait(w, 1);
	if (finding[0] || check_all("parent before C/R", parent_data, problem)) {
		waiter_post(w, 2);
		waitpid(pid, &status, 0);
		return expect_clean_end(finding, problem, status);
	}

	test_daemon();
	test_waitsig();

	if (!check_all("parent after C/R", parent_data, problem))
		check_fork("child forked after C/R", problem);
	waiter_post(w, 2);
	if (waitpid(pid, &status, 0) != pid)
		return fail_errno("waitpid");
	return expect_clean_end(finding, problem, status) ? 1 : pass();
}
