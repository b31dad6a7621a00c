/* sha1.h - SHA-1 for Community ID hashing (not for security). */
#ifndef BW_SHA1_H
#define BW_SHA1_H

#include <stddef.h>
#include <stdint.h>
#include "md-buf.h"

struct sha1_ctx {
	uint32_t	 h[5];
	struct md_buf	 m;
};

void	 sha1_init(struct sha1_ctx *c);
void	 sha1_update(struct sha1_ctx *c, const void *data, size_t len);
void	 sha1_final(struct sha1_ctx *c, uint8_t out[20]);

#endif
