#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zdtm.h"

/* bpf() needs CAP_BPF of the initial user namespace while unprivileged_bpf_disabled is set (as here),
 * so root of a user namespace (uns) cannot create a map: h and ns only, as real root. */
ZDTM_TEST(.doc = "an ARRAY and a HASH (BPF_F_NO_PREALLOC) BPF map keep their attributes, names and entries",
	  .flavors = ZDTM_FLAVOR_H | ZDTM_FLAVOR_NS, .flags = "suid");

#define ARR_N 8
#define ARR_VAL 40
#define HASH_MAX 64
#define HASH_N 20
#define HASH_VAL 24
#define HASH_KEY(i) (0x5a5a000000001000ULL + 7 * (uint64_t)(i))

struct map_want {
	const char *what;
	int fd;
	unsigned type, key_size, value_size, max_entries, flags;
	const char *name;
};

static long bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int map_create(const struct map_want *m)
{
	union bpf_attr a = { .map_type = m->type, .key_size = m->key_size, .value_size = m->value_size,
			     .max_entries = m->max_entries, .map_flags = m->flags };

	strncpy(a.map_name, m->name, sizeof(a.map_name) - 1);
	return bpf(BPF_MAP_CREATE, &a);
}

static int lookup(int fd, const void *key, void *val)
{
	union bpf_attr a = { .map_fd = fd, .key = (unsigned long)key, .value = (unsigned long)val };

	return bpf(BPF_MAP_LOOKUP_ELEM, &a);
}

static int update(int fd, const void *key, const void *val)
{
	union bpf_attr a = { .map_fd = fd, .key = (unsigned long)key, .value = (unsigned long)val,
			     .flags = BPF_ANY };

	return bpf(BPF_MAP_UPDATE_ELEM, &a);
}

/* What BPF_OBJ_GET_INFO_BY_FD says about the map is what it was created with. */
static int expect_info(const struct map_want *m)
{
	struct bpf_map_info info = { 0 };
	union bpf_attr a = { .info = { .bpf_fd = m->fd, .info_len = sizeof(info), .info = (unsigned long)&info } };
	char what[64];

	if (bpf(BPF_OBJ_GET_INFO_BY_FD, &a))
		return fail_errno("%s: BPF_OBJ_GET_INFO_BY_FD on fd %d", m->what, m->fd);
	if (info.type != m->type || info.key_size != m->key_size || info.value_size != m->value_size ||
	    info.max_entries != m->max_entries || info.map_flags != m->flags)
		return fail("%s: type %u key_size %u value_size %u max_entries %u map_flags %#x, "
			    "expected %u %u %u %u %#x", m->what, info.type, info.key_size, info.value_size,
			    info.max_entries, info.map_flags, m->type, m->key_size, m->value_size,
			    m->max_entries, m->flags);
	snprintf(what, sizeof(what), "%s: map name", m->what);
	return expect_str(what, info.name, m->name);
}

/* Every key holds its stamped value, the hash holds nothing else, an absent key is ENOENT. */
static int expect_entries(int arr, int hash)
{
	char val[ARR_VAL], want[ARR_VAL];
	uint64_t key = 0, next, absent = HASH_KEY(HASH_N);
	int n = 0;

	for (uint32_t i = 0; i < ARR_N; i++) {
		datagen(want, ARR_VAL, i);
		if (lookup(arr, &i, val))
			return fail_errno("array: lookup of index %u", i);
		if (expect_bytes("array value", val, want, ARR_VAL))
			return 1;
	}
	for (int i = 0; i < HASH_N; i++) {
		key = HASH_KEY(i);
		datagen(want, HASH_VAL, 1000 + i);
		if (lookup(hash, &key, val))
			return fail_errno("hash: lookup of key %#llx", (unsigned long long)key);
		if (expect_bytes("hash value", val, want, HASH_VAL))
			return 1;
	}
	errno = 0;
	if (lookup(hash, &absent, val) == 0 || errno != ENOENT)
		return fail_errno("hash: lookup of absent key %#llx, expected ENOENT", (unsigned long long)absent);
	/* a NULL key starts the walk */
	union bpf_attr a = { .map_fd = hash, .key = 0, .next_key = (unsigned long)&next };
	for (; bpf(BPF_MAP_GET_NEXT_KEY, &a) == 0; n++, key = next, a.key = (unsigned long)&key)
		if (next < HASH_KEY(0) || next >= HASH_KEY(HASH_N) || (next - HASH_KEY(0)) % 7)
			return fail("hash holds key %#llx, which was never inserted", (unsigned long long)next);
	if (errno != ENOENT)
		return fail_errno("hash: BPF_MAP_GET_NEXT_KEY");
	return expect_int("keys in the hash", n, HASH_N);
}

int main(int argc, char **argv)
{
	struct map_want m[2] = {
		{ "array", -1, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), ARR_VAL, ARR_N, 0, "zdtm_array" },
		{ "hash", -1, BPF_MAP_TYPE_HASH, sizeof(uint64_t), HASH_VAL, HASH_MAX, BPF_F_NO_PREALLOC,
		  "zdtm_hash" },
	};
	char val[ARR_VAL];
	uint64_t key;

	test_init(argc, argv);
	for (int k = 0; k < 2; k++) {
		m[k].fd = map_create(&m[k]);
		if (m[k].fd < 0 && errno == EPERM)
			return skip("bpf(BPF_MAP_CREATE): EPERM, no CAP_BPF here (unprivileged_bpf_disabled)");
		if (m[k].fd < 0)
			return fail_errno("%s: BPF_MAP_CREATE", m[k].what);
	}
	for (uint32_t i = 0; i < ARR_N; i++) {
		datagen(val, ARR_VAL, i);
		if (update(m[0].fd, &i, val))
			return fail_errno("array: update of index %u", i);
	}
	for (int i = 0; i < HASH_N; i++) {
		key = HASH_KEY(i);
		datagen(val, HASH_VAL, 1000 + i);
		if (update(m[1].fd, &key, val))
			return fail_errno("hash: update of key %#llx", (unsigned long long)key);
	}

	test_daemon();
	test_waitsig();

	if (expect_info(&m[0]) || expect_info(&m[1]) || expect_entries(m[0].fd, m[1].fd))
		return 1;
	/* the maps are still writable: the restored hash takes one more key */
	key = HASH_KEY(HASH_N);
	if (update(m[1].fd, &key, val))
		return fail_errno("hash: update of a new key after restore");
	return pass();
}
