/*
 * hash.h - FNV-1a, the one small hash the sensor's lookup tables share
 * (resolved names, IPMI user enumeration, thresholds, the BMC inventory,
 * known peers).
 *
 * Why FNV-1a: keys are short (a 16-byte address, a host name), the loop
 * inlines to a few instructions per byte, and every table that hashes
 * what an attacker sends is either bounded and set-associative or
 * chained with a size bound, so a crafted collision costs a slot, never
 * time or memory.  The flow table, which sees every packet, has its own
 * stronger hash (flow-table.c).
 */
#ifndef BW_HASH_H
#define BW_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FNV32_INIT	2166136261u
#define FNV64_INIT	14695981039346656037ULL

static inline uint32_t
fnv1a32(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * 16777619u;
	return h;
}

static inline uint64_t
fnv1a64(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * 1099511628211ULL;
	return h;
}

#endif
