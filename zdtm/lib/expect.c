/* Checks that fail with both values in the message. */
#include <stdio.h>
#include <string.h>

#include "zdtm.h"

int zdtm_expect_int(const char *file, int line, const char *what, long long found, long long expected)
{
	if (found == expected)
		return 0;
	return zdtm_fail(file, line, 0, "%s: found %lld, expected %lld", what, found, expected);
}

int zdtm_expect_str(const char *file, int line, const char *what, const char *found, const char *expected)
{
	if (found && expected && !strcmp(found, expected))
		return 0;
	return zdtm_fail(file, line, 0, "%s: found \"%s\", expected \"%s\"", what,
			 found ? found : "(null)", expected ? expected : "(null)");
}

int zdtm_expect_bytes(const char *file, int line, const char *what,
		      const void *found, const void *expected, size_t len)
{
	const unsigned char *f = found, *e = expected;

	for (size_t i = 0; i < len; i++)
		if (f[i] != e[i])
			return zdtm_fail(file, line, 0,
					 "%s: byte %zu of %zu is 0x%02x, expected 0x%02x",
					 what, i, len, f[i], e[i]);
	return 0;
}
