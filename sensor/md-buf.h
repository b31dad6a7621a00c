/*
 * md-buf.h - what MD5, SHA-1 and SHA-256 share (the Merkle-Damgard
 * construction): input gathered into 64-byte blocks across any number of
 * updates, and the final padding (0x80, zeros up to 56 bytes mod 64, the
 * length in bits in 8 bytes: little-endian for MD5, big-endian for the
 * SHAs).  Each hash keeps only its state words and its block function.
 * Header-only so that the block function, a constant at every call,
 * inlines as if written in each hash.
 */
#ifndef BW_MD_BUF_H
#define BW_MD_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct md_buf {
	uint64_t	 len;		/* bytes hashed so far */
	uint8_t		 buf[64];
	size_t		 n;		/* bytes waiting in buf */
};

typedef void	(*md_block_fn)(void *ctx, const uint8_t *block);

static inline void
md_buf_update(struct md_buf *b, const void *data, size_t len,
    md_block_fn block, void *ctx)
{
	const uint8_t *p = data;

	b->len += len;
	while (len > 0) {
		size_t k = 64 - b->n < len ? 64 - b->n : len;
		memcpy(b->buf + b->n, p, k);
		b->n += k;
		p += k;
		len -= k;
		if (b->n == 64) {
			block(ctx, b->buf);
			b->n = 0;
		}
	}
}

static inline void
md_buf_pad(struct md_buf *b, int big_endian, md_block_fn block, void *ctx)
{
	uint64_t bits = b->len * 8;
	/* 0x80 and the zeros in one update: a byte-at-a-time loop cost as
	 * much as hashing a short input */
	static const uint8_t pad[64] = { 0x80 };
	uint8_t lb[8];

	md_buf_update(b, pad, b->n < 56 ? 56 - b->n : 120 - b->n, block, ctx);
	for (int i = 0; i < 8; i++)
		lb[i] = (uint8_t)(bits >> (big_endian ? 56 - 8 * i : 8 * i));
	md_buf_update(b, lb, 8, block, ctx);
}

#endif
