/*
 * Command line of a test: --pidfile=F --outfile=O, the options the test
 * declared with ZDTM_OPTION (kept in the "zdtm_options" section, so there is
 * no registry to fill at run time), --describe and --help.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zdtm.h"
#include "lib.h"

/* Every test has at least this one, so the section always exists. */
static bool zdtm_verbose;
ZDTM_OPTION(zdtm_verbose, "print more messages (library)");

extern const struct zdtm_option __start_zdtm_options[], __stop_zdtm_options[];

static const char *type_name[] = { "bool", "int", "uint", "long", "string" };

static void usage(FILE *f, const char *argv0)
{
	fprintf(f, "usage: %s --pidfile=FILE --outfile=FILE [options]\n"
		   "       %s --describe\n%s\n\noptions:\n", argv0, argv0,
		zdtm_desc.doc ? zdtm_desc.doc : "");
	for (const struct zdtm_option *o = __start_zdtm_options; o < __stop_zdtm_options; o++)
		fprintf(f, "  --%s=%s\t%s\n", o->name, type_name[o->type], o->doc);
}

static void print_flavors(unsigned mask)
{
	if (!mask)
		mask = ZDTM_ALL_FLAVORS;
	printf("flavors:%s%s%s\n", mask & ZDTM_FLAVOR_H ? " h" : "",
	       mask & ZDTM_FLAVOR_NS ? " ns" : "", mask & ZDTM_FLAVOR_UNS ? " uns" : "");
}

/* One "key: value" per line; the runner's catalog reads exactly this. */
static void describe(void)
{
	printf("doc: %s\n", zdtm_desc.doc ? zdtm_desc.doc : "");
	print_flavors(zdtm_desc.flavors);
	printf("flags: %s\n", zdtm_desc.flags ? zdtm_desc.flags : "");
	printf("features: %s\n", zdtm_desc.features ? zdtm_desc.features : "");
	printf("opts: %s\n", zdtm_desc.opts ? zdtm_desc.opts : "");
	printf("dopts: %s\n", zdtm_desc.dopts ? zdtm_desc.dopts : "");
	printf("ropts: %s\n", zdtm_desc.ropts ? zdtm_desc.ropts : "");
	printf("timeout: %d\n", zdtm_desc.timeout);
	for (const struct zdtm_option *o = __start_zdtm_options; o < __stop_zdtm_options; o++)
		printf("option: %s %s %s\n", o->name, type_name[o->type], o->doc);
}

static int parse_bool(const char *v, bool *out)
{
	if (!v || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off"))
		*out = false;
	else
		return -1;
	return 0;
}

static int parse_number(const char *v, long long lo, long long hi, long long *out)
{
	char *end;

	if (!v || !*v)
		return -1;
	errno = 0;
	*out = strtoll(v, &end, 0);
	return (errno || *end || *out < lo || *out > hi) ? -1 : 0;
}

static int set_option(const struct zdtm_option *o, const char *v)
{
	long long n;

	switch (o->type) {
	case ZDTM_OPT_BOOL:
		return parse_bool(v, o->value);
	case ZDTM_OPT_INT:
		if (parse_number(v, INT_MIN, INT_MAX, &n))
			return -1;
		*(int *)o->value = n;
		return 0;
	case ZDTM_OPT_UINT:
		if (parse_number(v, 0, UINT_MAX, &n))
			return -1;
		*(unsigned *)o->value = n;
		return 0;
	case ZDTM_OPT_LONG:
		if (parse_number(v, LONG_MIN, LONG_MAX, &n))
			return -1;
		*(long *)o->value = n;
		return 0;
	case ZDTM_OPT_STRING:
		if (!v)
			return -1;
		*(char **)o->value = (char *)v;
		return 0;
	}
	return -1;
}

static int parse_one(char *arg, struct zdtm_args *args)
{
	char *eq = strchr(arg, '=');
	const char *v = eq ? eq + 1 : NULL;
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);

	if (strncmp(arg, "--", 2))
		return -1;
	arg += 2;
	len -= 2;
	if (len == 7 && !strncmp(arg, "pidfile", 7) && v)
		args->pidfile = v;
	else if (len == 7 && !strncmp(arg, "outfile", 7) && v)
		args->outfile = v;
	else {
		for (const struct zdtm_option *o = __start_zdtm_options; o < __stop_zdtm_options; o++)
			if (strlen(o->name) == len && !strncmp(o->name, arg, len))
				return set_option(o, v);
		return -1;
	}
	return 0;
}

void zdtm_parse_args(int argc, char **argv, struct zdtm_args *args)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--describe")) {
			describe();
			exit(0);
		}
		if (!strcmp(argv[i], "--help")) {
			usage(stdout, argv[0]);
			exit(0);
		}
		if (parse_one(argv[i], args)) {
			fprintf(stderr, "%s: bad option '%s'\n", argv[0], argv[i]);
			usage(stderr, argv[0]);
			exit(2);
		}
	}
	if (!args->pidfile || !args->outfile) {
		fprintf(stderr, "%s: --pidfile and --outfile are required\n", argv[0]);
		usage(stderr, argv[0]);
		exit(2);
	}
}
