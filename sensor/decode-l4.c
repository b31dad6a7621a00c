/*
 * decode-l4.c - TCP, UDP, ICMP and ICMPv6 headers.
 *
 * The L4 header must be wholly present in the capture, or the packet gets
 * the protocol's *_TRUNC reason; the payload may be cut (snaplen), and
 * payload_len says how much of it is there while payload_wire says how
 * much the headers promise.  Any other protocol (SCTP, GRE, ESP, ...) is
 * DR_OK with ports 0 and the rest of the IP payload as payload: the flow
 * table keys such packets on addresses and protocol only.
 *
 * A first fragment holds only part of the datagram, so a UDP length larger
 * than the IP payload is expected there and not an error, and neither are
 * TCP options that run on into the next fragment (a SYN fragmented inside
 * its options still tells us ports and flags; the flow table needs them to
 * attribute the later fragments).  A first fragment too short for the
 * 20-byte TCP header itself (RFC 1858's tiny fragment) is DR_TCP_TRUNC.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>

#include "decode.h"
#include "decode-int.h"

#define PROTO_ICMP	1
#define PROTO_TCP	6
#define PROTO_UDP	17
#define PROTO_ICMPV6	58

#define TCP_HLEN	20
#define UDP_HLEN	8
#define ICMP_HLEN	8	/* type, code, checksum and 4 more, both ICMPs */

static inline void
set_payload(struct packet *p, const uint8_t *b, uint32_t cap, uint32_t wire)
{
	p->payload = cap ? b : NULL;
	p->payload_len = cap;
	p->payload_wire = wire;
}

enum bw_decode_reason
decode_l4(struct packet *p, uint8_t proto, const uint8_t *b, uint32_t cap,
    uint32_t wire)
{
	uint32_t hl, ulen;

	p->proto = proto;
	switch (proto) {
	case PROTO_TCP:
		if (cap < TCP_HLEN)
			return DR_TCP_TRUNC;
		hl = (uint32_t)(b[12] >> 4) << 2;
		if (hl < TCP_HLEN)
			return DR_TCP_BAD_OFF;
		if (hl > wire) {
			/* Options continuing in the next fragment are fine. */
			if (p->frag != PKT_FRAG_FIRST)
				return DR_TCP_BAD_OFF;
		} else if (hl > cap)		/* options cut by snaplen */
			return DR_TCP_TRUNC;
		p->sport = rd16(b);
		p->dport = rd16(b + 2);
		p->tcp_seq = rd32(b + 4);
		p->tcp_ack = rd32(b + 8);
		p->tcp_flags = b[13];
		p->tcp_win = rd16(b + 14);
		if (hl <= wire)
			set_payload(p, b + hl, cap - hl, wire - hl);
		return DR_OK;			/* else no payload in this fragment */

	case PROTO_UDP:
		if (cap < UDP_HLEN)
			return DR_UDP_TRUNC;
		ulen = rd16(b + 4);
		if (ulen < UDP_HLEN ||
		    (ulen > wire && p->frag != PKT_FRAG_FIRST))
			return DR_UDP_BAD_LEN;
		p->sport = rd16(b);
		p->dport = rd16(b + 2);
		if (cap > ulen)			/* trailing bytes inside IP */
			cap = ulen;
		set_payload(p, b + UDP_HLEN, cap - UDP_HLEN, ulen - UDP_HLEN);
		return DR_OK;

	case PROTO_ICMP:
	case PROTO_ICMPV6:
		if (cap < ICMP_HLEN)
			return proto == PROTO_ICMP ? DR_ICMP_TRUNC :
			    DR_ICMPV6_TRUNC;
		p->sport = b[0];		/* type */
		p->dport = b[1];		/* code */
		set_payload(p, b + ICMP_HLEN, cap - ICMP_HLEN,
		    wire - ICMP_HLEN);
		return DR_OK;

	case 132:
		/* SCTP: only the ports of the common header, so its flows and
		 * Community IDs are per association as the spec has them; a
		 * header cut short is still a flow, on the protocol alone. */
		if (cap >= 12 && wire >= 12) {
			p->sport = rd16(b);
			p->dport = rd16(b + 2);
			set_payload(p, b + 12, cap - 12, wire - 12);
			return DR_OK;
		}
		set_payload(p, b, cap, wire);
		return DR_OK;

	default:
		set_payload(p, b, cap, wire);
		return DR_OK;
	}
}
