#include <linux/keyctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

ZDTM_TEST(.doc = "a \"user\" key with a 100-byte payload in the process keyring (add_key, keyctl)",
	  .flavors = ZDTM_ALL_FLAVORS);

#define DESC "zdtm-keyring00"
#define LEN 100

/* The process keyring holds a user key DESC with the payload. */
static int check(const char *payload)
{
	char buf[LEN + 1], desc[256], want[256];
	long id, n;

	id = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_PROCESS_KEYRING, "user", DESC, 0);
	if (id < 0)
		return fail_errno("keyctl(KEYCTL_SEARCH) of the process keyring for user key %s", DESC);
	n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, id, desc, sizeof(desc));
	if (n < 0)
		return fail_errno("keyctl(KEYCTL_DESCRIBE)");
	/* "type;uid;gid;perm;description" */
	snprintf(want, sizeof(want), "user;%d;%d;", (int)getuid(), (int)getgid());
	if (strncmp(desc, want, strlen(want)) || !strstr(desc, ";" DESC))
		return fail("key described as \"%s\", expected \"%s...;%s\"", desc, want, DESC);
	n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf));
	if (n < 0)
		return fail_errno("keyctl(KEYCTL_READ)");
	if (expect_int("payload length", n, LEN) || expect_bytes("payload", buf, payload, LEN))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char payload[LEN];

	test_init(argc, argv);
	datagen(payload, LEN, 77);
	if (syscall(SYS_add_key, "user", DESC, payload, LEN, KEY_SPEC_PROCESS_KEYRING) < 0) {
		if (errno == ENOSYS)
			return skip("no kernel keyrings");
		return fail_errno("add_key to the process keyring");
	}
	if (check(payload))
		return 1;

	test_daemon();
	test_waitsig();

	return check(payload) ? 1 : pass();
}
