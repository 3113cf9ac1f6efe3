#include <elf.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "zdtm.h"

/*
 * criu puts the vdso back where it was when the kernel's vdso is the one it dumped; when it is not
 * (another kernel, or CRIU_FAULT=127, `zdtm run --fault 127`), the dumped vdso stays at its address as a
 * proxy whose functions jump into the new vdso, mapped elsewhere. Either way AT_SYSINFO_EHDR (criu
 * restores the auxv) must still point at a vdso image of the dumped size whose functions work, and
 * the [vdso]/[vvar*] areas, wherever they are, must be as many and as large as before: no proxy
 * piling up over --iter rounds. (Under `zdtm run --fault 127` the runner's own maps diff sees the moved
 * areas and fails first: by hand, CRIU_FAULT=127 scripts/manual-cr, this test passes, 3 rounds too.)
 */
ZDTM_TEST(.doc = "vdso and vvar areas as many and as large as before (addresses may move: a vdso proxy), "
		 "AT_SYSINFO_EHDR a vdso image of the dumped size, vdso functions (called through the ELF symbols "
		 "resolved before C/R and after) give sane, monotonic times and the right CPU",
	  .flavors = ZDTM_ALL_FLAVORS);

#define MAX_VMAS 8
#define MAX_ALL 64              /* VMAs of the whole process: a static binary has a dozen */

typedef int (*clock_gettime_t)(clockid_t, struct timespec *);
typedef int (*gettimeofday_t)(struct timeval *, void *);
typedef time_t (*time_t_fn)(time_t *);
typedef long (*getcpu_t)(unsigned *, unsigned *, void *);

struct vdso_fns {
	clock_gettime_t clock_gettime;
	gettimeofday_t gettimeofday;
	time_t_fn time;
	getcpu_t getcpu;
};

static struct zdtm_vma all[MAX_ALL];

/* The [vdso] and [vvar*] VMAs of /proc/self/maps; returns how many, or -1. *anon: the VMAs of no
 * file (file VMAs may merge after a restore: the binary's two r--p pieces in ns). */
static int vdso_vmas(struct zdtm_vma *v, int *anon)
{
	int n = vma_list(0, ~0UL, all, MAX_ALL, false), k = 0;

	*anon = 0;
	for (int i = 0; i < n && i < MAX_ALL; i++)
		*anon += all[i].name[0] != '/';
	if (n < 0 || n > MAX_ALL)
		return -1;
	for (int i = 0; i < n && k < MAX_VMAS; i++)
		if (!strcmp(all[i].name, "[vdso]") || !strncmp(all[i].name, "[vvar", 5))
			v[k++] = all[i];
	return k;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct zdtm_vma *)a)->name, ((const struct zdtm_vma *)b)->name);
}

/* "[vdso] 8192 r-xp, [vvar] 16384 r--p, ..." by name: what must stay, addresses aside. */
static void describe(const struct zdtm_vma *vmas, int n, char *out, size_t len)
{
	static struct zdtm_vma v[MAX_VMAS];

	memcpy(v, vmas, n * sizeof(*v));
	qsort(v, n, sizeof(*v), by_name);
	out[0] = 0;
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), len - strlen(out), "%s%s %lu %s", i ? ", " : "", v[i].name,
			 v[i].end - v[i].start, v[i].perms);
}

/* The address of a dynamic symbol of the vdso ELF image at base, or NULL. */
static void *vdso_sym(unsigned long base, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(base + eh->e_shoff);
	unsigned long bias = base;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return NULL;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			bias = base - ph[i].p_vaddr;
	for (int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Sym *sym = (const Elf64_Sym *)(base + sh[i].sh_offset);
		const char *str = (const char *)(base + sh[sh[i].sh_link].sh_offset);

		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		for (size_t k = 0; k < sh[i].sh_size / sizeof(*sym); k++)
			if (sym[k].st_shndx != SHN_UNDEF && !strcmp(str + sym[k].st_name, name))
				return (void *)(bias + sym[k].st_value);
	}
	return NULL;
}

static int resolve(const char *what, unsigned long base, struct vdso_fns *f)
{
	f->clock_gettime = (clock_gettime_t)vdso_sym(base, "__vdso_clock_gettime");
	f->gettimeofday = (gettimeofday_t)vdso_sym(base, "__vdso_gettimeofday");
	f->time = (time_t_fn)vdso_sym(base, "__vdso_time");
	f->getcpu = (getcpu_t)vdso_sym(base, "__vdso_getcpu");
	if (!f->clock_gettime || !f->gettimeofday || !f->time || !f->getcpu)
		return fail("%s at %lx: __vdso_clock_gettime %p, __vdso_gettimeofday %p, __vdso_time %p, "
			    "__vdso_getcpu %p: expected all four", what, base, (void *)f->clock_gettime,
			    (void *)f->gettimeofday, (void *)f->time, (void *)f->getcpu);
	return 0;
}

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* The vdso's reading of clk lies between two system-call readings. */
static int check_clock(const char *what, const struct vdso_fns *f, const char *name, clockid_t clk)
{
	struct timespec a, v, b;

	if (syscall(SYS_clock_gettime, clk, &a) || f->clock_gettime(clk, &v) || syscall(SYS_clock_gettime, clk, &b))
		return fail_errno("%s: clock_gettime(%s)", what, name);
	if (ns(&v) < ns(&a) || ns(&v) > ns(&b))
		return fail("%s: clock_gettime(%s) is %lld ns, expected between the syscall's %lld and %lld", what,
			    name, ns(&v), ns(&a), ns(&b));
	return 0;
}

/* Every vdso function of f answers as the kernel does; CLOCK_MONOTONIC not below mono_before. */
static int check_fns(const char *what, const struct vdso_fns *f, const struct timespec *mono_before)
{
	struct timespec mono, r1, r2;
	unsigned cpu = ~0U, sys_cpu;
	struct timeval tv;
	cpu_set_t set, all;
	time_t t;

	if (check_clock(what, f, "CLOCK_MONOTONIC", CLOCK_MONOTONIC) ||
	    check_clock(what, f, "CLOCK_REALTIME", CLOCK_REALTIME) ||
	    check_clock(what, f, "CLOCK_BOOTTIME", CLOCK_BOOTTIME))
		return 1;
	f->clock_gettime(CLOCK_MONOTONIC, &mono);
	if (mono_before && ns(&mono) < ns(mono_before))
		return fail("%s: CLOCK_MONOTONIC went back from %lld to %lld ns", what, ns(mono_before), ns(&mono));
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &r1);
	f->gettimeofday(&tv, NULL);
	t = f->time(NULL);
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &r2);
	if (tv.tv_sec * 1000000LL + tv.tv_usec < ns(&r1) / 1000 || tv.tv_sec * 1000000LL + tv.tv_usec > ns(&r2) / 1000)
		return fail("%s: gettimeofday gives %lld us, expected between %lld and %lld (CLOCK_REALTIME)", what,
			    tv.tv_sec * 1000000LL + tv.tv_usec, ns(&r1) / 1000, ns(&r2) / 1000);
	/* time() reads the coarse clock, which may still show the previous second for a tick. */
	if (t < r1.tv_sec - 1 || t > r2.tv_sec)
		return fail("%s: time() gives %lld, expected between %lld and %lld (CLOCK_REALTIME)", what,
			    (long long)t, (long long)r1.tv_sec - 1, (long long)r2.tv_sec);
	if (syscall(SYS_getcpu, &sys_cpu, NULL, NULL))
		return fail_errno("getcpu syscall");
	CPU_ZERO(&set);
	CPU_SET(sys_cpu, &set);
	if (sched_getaffinity(0, sizeof(all), &all) || sched_setaffinity(0, sizeof(set), &set))
		return fail_errno("pin to CPU %u", sys_cpu);
	if (f->getcpu(&cpu, NULL, NULL))
		return fail("%s: getcpu failed", what);
	if (sched_setaffinity(0, sizeof(all), &all))   /* the affinity is no part of this test's state */
		return fail_errno("unpin");
	if (cpu != sys_cpu)
		return fail("%s: getcpu() on CPU %u pinned by the kernel's answer gives %u", what, sys_cpu, cpu);
	return 0;
}

/* AT_SYSINFO_EHDR starts a mapping of the dumped vdso's size: the [vdso] itself, or its proxy. */
static int check_ehdr(unsigned long vdso_len, const struct zdtm_vma *after, int n, bool *moved)
{
	unsigned long ehdr = getauxval(AT_SYSINFO_EHDR);
	struct zdtm_vma v;

	if (vma_find((void *)ehdr, &v, false))
		return fail("AT_SYSINFO_EHDR %lx: nothing mapped there", ehdr);
	if (v.start != ehdr || v.end - v.start != vdso_len || v.perms[0] != 'r' || v.perms[2] != 'x')
		return fail("AT_SYSINFO_EHDR %lx is in %lx-%lx %s %s, expected the start of an r-x mapping of %lu bytes",
			    ehdr, v.start, v.end, v.perms, v.name, vdso_len);
	*moved = true;
	for (int i = 0; i < n; i++)
		if (!strcmp(after[i].name, "[vdso]") && after[i].start == ehdr)
			*moved = false;
	return 0;
}

int main(int argc, char **argv)
{
	static struct zdtm_vma before[MAX_VMAS], after[MAX_VMAS];
	char was[512], now[512];
	struct vdso_fns dumped, now_fns;
	struct timespec mono_before;
	unsigned long vdso = 0, vdso_len = 0;
	bool moved = false;
	int n, m, anon_before, anon_after;

	test_init(argc, argv);
	n = vdso_vmas(before, &anon_before);
	for (int i = 0; i < n; i++)
		if (!strcmp(before[i].name, "[vdso]")) {
			vdso = before[i].start;
			vdso_len = before[i].end - before[i].start;
		}
	if (!vdso)
		return skip("no [vdso] in /proc/self/maps");
	if (expect_int("AT_SYSINFO_EHDR", getauxval(AT_SYSINFO_EHDR), vdso))
		return 1;
	describe(before, n, was, sizeof(was));
	if (resolve("the vdso before C/R", vdso, &dumped) || check_fns("before C/R", &dumped, NULL))
		return 1;
	dumped.clock_gettime(CLOCK_MONOTONIC, &mono_before);

	test_daemon();
	test_waitsig();

	m = vdso_vmas(after, &anon_after);
	describe(after, m, now, sizeof(now));
	if (expect_str("vdso and vvar areas (name, size, perms)", now, was))
		return 1;
	if (check_ehdr(vdso_len, after, m, &moved))
		return 1;
	/* A moved vdso leaves the dumped vdso and vvar behind as plain mappings (the proxy), once: over
	 * --iter rounds they must not pile up. */
	if (anon_after < anon_before || anon_after > anon_before + (moved ? n : 0))
		return fail("%d VMAs of no file after C/R, %d before: expected %s", anon_after, anon_before,
			    moved ? "at most one more for each vdso/vvar area (the proxy)" : "as many");
	/* What glibc does: the functions found at startup, called again (through the proxy if moved). */
	if (check_fns("the vdso functions resolved before C/R", &dumped, &mono_before))
		return 1;
	/* Resolved again, as code that looks the vdso up now would: through AT_SYSINFO_EHDR, not the
	 * [vdso] of maps, whose ELF header criu overwrites with its mark ("CRIUv...") when it moves it. */
	if (resolve("AT_SYSINFO_EHDR after C/R", getauxval(AT_SYSINFO_EHDR), &now_fns) ||
	    check_fns("the functions of AT_SYSINFO_EHDR after C/R", &now_fns, &mono_before))
		return 1;
	test_msg("vdso %s: %s; %d VMAs of no file, %d before\n",
		 moved ? "moved, AT_SYSINFO_EHDR is its proxy" : "in place", now, anon_after, anon_before);
	return pass();
}
