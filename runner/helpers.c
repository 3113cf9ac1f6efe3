/*
 * The programs criu itself runs, and which jobs need them: one place decides, from the job's
 * flavor and the test's criu options, so a machine without them gets SKIPs that name the missing
 * program instead of FAILs that end in "exited, status=127". Seen with criu 4.2.1 (by hiding
 * each program, tests/without-programs):
 *  - ns and uns: criu dumps and restores the job's network namespace with ip (addresses, routes,
 *    rules) and locks it with iptables-restore and ip6tables-restore; where those are the
 *    nf_tables builds, the restore runs the -legacy-restore ones as well;
 *  - --tcp-established (every test holding a TCP connection): in h (where there is no network
 *    namespace of the job's own to lock as a whole) criu locks each connection
 *    with iptables or ip6tables rules.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

struct helper {
	const char *prog, *package, *what;
	bool netns, tcp;      /* needed by ns/uns jobs, by tests dumped with --tcp-established */
	bool nft_only;        /* only where iptables-restore is the nf_tables build */
};

static const struct helper helpers[] = {
	{ "ip", "iproute2", "to dump and restore the network namespace of ns and uns jobs", .netns = true },
	{ "iptables-restore", "iptables", "to lock the network namespace of ns and uns jobs", .netns = true },
	{ "ip6tables-restore", "iptables", "to lock the network namespace of ns and uns jobs", .netns = true },
	{ "iptables-legacy-restore", "iptables", "to restore the network namespace of ns and uns jobs",
	  .netns = true, .nft_only = true },
	{ "ip6tables-legacy-restore", "iptables", "to restore the network namespace of ns and uns jobs",
	  .netns = true, .nft_only = true },
	{ "iptables", "iptables", "to lock TCP connections (tests dumped with --tcp-established)", .tcp = true },
	{ "ip6tables", "iptables", "to lock TCP connections (tests dumped with --tcp-established)", .tcp = true },
};

bool helper_find(const char *prog, char *path, size_t len)
{
	const char *dirs = getenv("PATH") ? getenv("PATH") : "/usr/sbin:/usr/bin:/sbin:/bin";
	char list[4096], *save;

	snprintf(list, sizeof(list), "%s", dirs);
	for (char *d = strtok_r(list, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, len, "%s/%s", d, prog);
		if (!access(path, X_OK))
			return true;
	}
	path[0] = 0;
	return false;
}

/* Whether iptables-restore here is the nf_tables build (Debian's default). */
static bool nft_iptables(void)
{
	char path[4096], real[PATH_MAX];

	return helper_find("iptables-restore", path, sizeof(path)) && realpath(path, real) && strstr(real, "nft");
}

static bool needed(const struct helper *h, const struct test *t, enum flavor f, bool nft)
{
	if (h->nft_only && !nft)
		return false;
	if (h->netns && f != FL_H)
		return true;
	return h->tcp && f == FL_H && (strstr(t->opts, "--tcp-established") || strstr(t->dopts, "--tcp-established"));
}

bool helpers_missing(const struct test *t, enum flavor f, char *why, size_t len)
{
	bool nft = nft_iptables();
	char path[4096];

	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		const struct helper *h = &helpers[i];

		if (!needed(h, t, f, nft) || helper_find(h->prog, path, sizeof(path)))
			continue;
		snprintf(why, len, "criu needs %s %s: not found (Debian package %s; make deps installs it)",
			 h->prog, h->what, h->package);
		return true;
	}
	return false;
}

void helpers_report(void)
{
	bool nft = nft_iptables();
	char path[4096];

	printf("programs criu runs:\n");
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		const struct helper *h = &helpers[i];

		if (h->nft_only && !nft)
			continue;
		if (helper_find(h->prog, path, sizeof(path)))
			printf("  %-25s %s\n", h->prog, path);
		else
			printf("  %-25s missing (package %s): jobs that need it %s are skipped\n", h->prog,
			       h->package, h->what);
	}
}
