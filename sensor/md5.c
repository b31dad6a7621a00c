/*
 * md5.c - a small MD5 (RFC 1321).  JA3 and JA3S are defined as the MD5 of
 * a short text; a crypto library for one digest of a few hundred bytes per
 * TLS flow would be a dependency without a benefit.  The context streams,
 * so app-tls.c hashes the JA3 text while it writes it and the hash stays
 * right even when the text is cut to fit its buffer.
 */
#include <string.h>
#include "md5.h"

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

/* Per-round shift amounts and the sine table K[i] = floor(|sin(i+1)| 2^32). */
static const uint8_t md5_s[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21
};
static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
	0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
	0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
	0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
	0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391
};

static void
md5_block(void *ctx, const uint8_t *b)
{
	struct md5_ctx *c = ctx;
	uint32_t m[16], a, bb, cc, d, f, t;
	int i, g;

	for (i = 0; i < 16; i++)
		m[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
		    (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
	a = c->h[0]; bb = c->h[1]; cc = c->h[2]; d = c->h[3];
	for (i = 0; i < 64; i++) {
		if (i < 16) { f = (bb & cc) | (~bb & d); g = i; }
		else if (i < 32) { f = (d & bb) | (~d & cc); g = (5 * i + 1) & 15; }
		else if (i < 48) { f = bb ^ cc ^ d; g = (3 * i + 5) & 15; }
		else { f = cc ^ (bb | ~d); g = (7 * i) & 15; }
		t = d;
		d = cc;
		cc = bb;
		bb = bb + ROL(a + f + md5_k[i] + m[g], md5_s[i]);
		a = t;
	}
	c->h[0] += a; c->h[1] += bb; c->h[2] += cc; c->h[3] += d;
}

void
md5_init(struct md5_ctx *c)
{
	c->h[0] = 0x67452301;
	c->h[1] = 0xefcdab89;
	c->h[2] = 0x98badcfe;
	c->h[3] = 0x10325476;
	c->m.len = 0;
	c->m.n = 0;
}

void
md5_update(struct md5_ctx *c, const void *data, size_t len)
{
	md_buf_update(&c->m, data, len, md5_block, c);
}

void
md5_final(struct md5_ctx *c, uint8_t out[16])
{
	md_buf_pad(&c->m, 0, md5_block, c);
	for (int i = 0; i < 4; i++) {
		out[4 * i] = (uint8_t)c->h[i];
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 3] = (uint8_t)(c->h[i] >> 24);
	}
}
