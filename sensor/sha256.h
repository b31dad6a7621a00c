/* sha256.h - SHA-256 for JA4 fingerprints, not for security. */
#ifndef BW_SHA256_H
#define BW_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include "md-buf.h"

struct sha256_ctx {
	uint32_t	 h[8];
	struct md_buf	 m;
};

void	 sha256_init(struct sha256_ctx *c);
void	 sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void	 sha256_final(struct sha256_ctx *c, uint8_t out[32]);

#endif
