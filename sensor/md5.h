/* md5.h - MD5 (RFC 1321) for JA3/JA3S fingerprints, not for security. */
#ifndef BW_MD5_H
#define BW_MD5_H

#include <stddef.h>
#include <stdint.h>
#include "md-buf.h"

struct md5_ctx {
	uint32_t	 h[4];
	struct md_buf	 m;
};

void	 md5_init(struct md5_ctx *c);
void	 md5_update(struct md5_ctx *c, const void *data, size_t len);
void	 md5_final(struct md5_ctx *c, uint8_t out[16]);

#endif
