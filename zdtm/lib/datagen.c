/* CRC-stamped buffers: the content is reproducible from a seed, and damage is detectable alone. */
#include <string.h>

#include "zdtm.h"

uint32_t zdtm_crc32(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t crc = ~0u;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

void datagen(void *buf, size_t len, uint32_t seed)
{
	unsigned char *p = buf;
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
	uint32_t crc;

	if (len < 4) {
		memset(buf, 0, len);
		return;
	}
	for (size_t i = 0; i < len - 4; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;   /* xorshift64 */
		p[i] = x >> 24;
	}
	crc = zdtm_crc32(p, len - 4);
	memcpy(p + len - 4, &crc, 4);
}

bool datachk(const void *buf, size_t len)
{
	uint32_t crc;

	if (len < 4)
		return false;
	memcpy(&crc, (const char *)buf + len - 4, 4);
	return crc == zdtm_crc32(buf, len - 4);
}
