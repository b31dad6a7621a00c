/*
 * sha1.c - a small SHA-1 (FIPS 180-4).  The Community ID spec fixes SHA-1;
 * it hashes a few dozen bytes per flow, so a compact implementation beats
 * pulling in a crypto library for one function.
 */
#include <string.h>
#include "sha1.h"

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))

static void
sha1_block(void *ctx, const uint8_t *b)
{
	struct sha1_ctx *c = ctx;
	uint32_t w[80], a, bb, cc, d, e, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
		    (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
	for (; i < 80; i++)
		w[i] = ROL(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = c->h[0]; bb = c->h[1]; cc = c->h[2]; d = c->h[3]; e = c->h[4];
	for (i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) { f = (bb & cc) | (~bb & d); k = 0x5a827999; }
		else if (i < 40) { f = bb ^ cc ^ d; k = 0x6ed9eba1; }
		else if (i < 60) { f = (bb & cc) | (bb & d) | (cc & d); k = 0x8f1bbcdc; }
		else { f = bb ^ cc ^ d; k = 0xca62c1d6; }
		t = ROL(a, 5) + f + e + k + w[i];
		e = d; d = cc; cc = ROL(bb, 30); bb = a; a = t;
	}
	c->h[0] += a; c->h[1] += bb; c->h[2] += cc; c->h[3] += d; c->h[4] += e;
}

void
sha1_init(struct sha1_ctx *c)
{
	static const uint32_t iv[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
	};
	memcpy(c->h, iv, sizeof(iv));
	c->m.len = 0;
	c->m.n = 0;
}

void
sha1_update(struct sha1_ctx *c, const void *data, size_t len)
{
	md_buf_update(&c->m, data, len, sha1_block, c);
}

void
sha1_final(struct sha1_ctx *c, uint8_t out[20])
{
	md_buf_pad(&c->m, 1, sha1_block, c);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}
