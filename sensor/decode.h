/*
 * decode.h - link layers, IPv4/IPv6 and L4 headers into struct packet.
 *
 * decode_packet() never reads beyond caplen; anything it cannot trust is
 * reported as a reason (enum bw_decode_reason) for the stats, and the
 * packet is skipped by the caller.
 */
#ifndef BW_DECODE_H
#define BW_DECODE_H

#include "packet.h"

/* Returns 1 if the link type is one decode_packet understands. */
int		 decode_dlt_supported(int dlt);

/*
 * Fill p from frame[0..caplen).  p->num, p->ts_ns, p->wirelen are set by the
 * caller before the call.  Returns DR_OK or the reason the packet is unusable
 * (DR_NOT_IP for non-IP frames; DR_FRAG_LATER is never returned: later
 * fragments come back DR_OK with p->frag == PKT_FRAG_LATER and no ports).
 */
enum bw_decode_reason decode_packet(struct packet *p, int dlt,
		    const uint8_t *frame, uint32_t caplen);

/* Short stable name of a reason, for stats and messages ("ipv4_trunc"). */
const char	*decode_reason_name(enum bw_decode_reason r);

/* Format an address ("10.0.0.1" or "2001:db8::1"); buf >= 46 bytes. */
const char	*bw_addr_str(const struct bw_addr *a, char *buf, size_t len);
/* Parse an address; returns 0 on success. */
int		 bw_addr_parse(const char *s, struct bw_addr *a);

#endif
