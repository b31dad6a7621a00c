/*
 * decode-int.h - what the decode-*.c files share and nobody else needs.
 *
 * Each layer is one function taking (p, bytes, len) where len is what is
 * actually present in the capture from that pointer on, so no layer ever
 * needs to know where the frame started.  Loads go through rd16/rd32 and
 * never through casts: frames are not aligned (Ethernet puts the IP header
 * at offset 14) and the sanitizers are part of the test suite.
 */
#ifndef BW_DECODE_INT_H
#define BW_DECODE_INT_H

#include <stdint.h>
#include "decode.h"

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_8021Q		0x8100
#define ETHERTYPE_8021AD	0x88a8
#define ETHERTYPE_QINQ_OLD	0x9100	/* pre-802.1ad QinQ, still seen */

/* Tags kept in p->vlan[]; further tags up to DECODE_MAX_VLAN are skipped. */
#define DECODE_KEEP_VLAN	2
#define DECODE_MAX_VLAN		4
/* Longest IPv6 extension header chain walked before giving up. */
#define DECODE_MAX_IPV6_EXT	8

static inline uint16_t
rd16(const uint8_t *b)
{
	return (uint16_t)((uint16_t)b[0] << 8 | b[1]);
}

static inline uint32_t
rd32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

/* decode-link.c: one per link type; b/len is the whole frame. */
enum bw_decode_reason decode_ether(struct packet *, const uint8_t *, uint32_t);
enum bw_decode_reason decode_sll(struct packet *, const uint8_t *, uint32_t);
enum bw_decode_reason decode_sll2(struct packet *, const uint8_t *, uint32_t);
enum bw_decode_reason decode_raw(struct packet *, const uint8_t *, uint32_t);
enum bw_decode_reason decode_null(struct packet *, const uint8_t *, uint32_t);
enum bw_decode_reason decode_loop(struct packet *, const uint8_t *, uint32_t);

/* decode-ip.c: b/len starts at the IP header. */
enum bw_decode_reason decode_ipv4(struct packet *, const uint8_t *, uint32_t);
enum bw_decode_reason decode_ipv6(struct packet *, const uint8_t *, uint32_t);

/*
 * decode-l4.c: b is the first byte after the IP header(s); cap is what is
 * present in the capture (already bounded by the IP length), wire is the L4
 * length the IP header claims.  Sets p->proto.
 */
enum bw_decode_reason decode_l4(struct packet *, uint8_t proto,
		    const uint8_t *b, uint32_t cap, uint32_t wire);

#endif
