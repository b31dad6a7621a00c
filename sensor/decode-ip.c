/*
 * decode-ip.c - IPv4 (options, fragments) and IPv6 (extension headers,
 * fragments) down to the first byte of the L4 header.
 *
 * Two lengths travel downwards: what the IP header says (wire) and what is
 * present in the capture, bounded by that (cap).  Bytes after the IP total
 * length are link padding and never become payload; bytes missing at the
 * end (snaplen) are normal and only matter when an L4 header is cut, which
 * decode-l4.c reports.  The IPv4 header checksum is not verified: offloads
 * leave it wrong on the capturing host and a sensor must see that traffic.
 *
 * A later fragment (offset > 0) carries no L4 header: it comes back DR_OK
 * with frag = PKT_FRAG_LATER, frag_id set, ports 0 and the fragment data as
 * payload, so the flow table can attribute it to its first fragment.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <string.h>

#include "decode.h"
#include "decode-int.h"

#define IPV4_HLEN	20
#define IPV6_HLEN	40

#define IP4_MF		0x2000
#define IP4_OFFMASK	0x1fff

#define IP6_NH_HOPOPTS	0
#define IP6_NH_ROUTING	43
#define IP6_NH_FRAGMENT	44
#define IP6_NH_AH	51
#define IP6_NH_NONE	59
#define IP6_NH_DSTOPTS	60
#define IP6_NH_MOBILITY	135

static const uint8_t v4mapped[12] = {0,0,0,0,0,0,0,0,0,0,0xff,0xff};

enum bw_decode_reason
decode_ipv4(struct packet *p, const uint8_t *ip, uint32_t len)
{
	uint32_t hlen, tot, end;
	uint16_t off;

	/* The version first: a short IPv6 packet is not a cut IPv4 one. */
	if (len < 1)
		return DR_IPV4_TRUNC;
	if ((ip[0] >> 4) != 4)
		return DR_IPV4_BAD_VER;
	if (len < IPV4_HLEN)
		return DR_IPV4_TRUNC;
	hlen = (uint32_t)(ip[0] & 0x0f) << 2;
	if (hlen < IPV4_HLEN)
		return DR_IPV4_BAD_HLEN;
	tot = rd16(ip + 2);
	if (tot < hlen)			/* too short even for 20 bytes, or */
		return tot < IPV4_HLEN ? DR_IPV4_BAD_LEN : DR_IPV4_BAD_HLEN;
	if (len < hlen)			/* options cut by the snaplen */
		return DR_IPV4_TRUNC;

	p->ipver = 4;
	p->l3 = ip;
	p->ip_len = tot;
	p->ttl = ip[8];
	p->ip_opts = hlen > IPV4_HLEN;
	memcpy(p->src.a, v4mapped, 12);
	memcpy(p->src.a + 12, ip + 12, 4);
	memcpy(p->dst.a, v4mapped, 12);
	memcpy(p->dst.a + 12, ip + 16, 4);

	end = tot < len ? tot : len;
	off = rd16(ip + 6);
	if (off & (IP4_MF | IP4_OFFMASK)) {
		p->frag_id = rd16(ip + 4);
		if (off & IP4_OFFMASK) {
			p->frag = PKT_FRAG_LATER;
			p->proto = ip[9];
			if (end > hlen)
				p->payload = ip + hlen;
			p->payload_len = end - hlen;
			p->payload_wire = tot - hlen;
			return DR_OK;
		}
		p->frag = PKT_FRAG_FIRST;
	}
	return decode_l4(p, ip[9], ip + hlen, end - hlen, tot - hlen);
}

/*
 * The chain is bounded by the payload length as well as the capture: an
 * extension header beyond the payload length is as broken as one beyond
 * the snaplen, and both are DR_IPV6_EXT_TRUNC.
 */
enum bw_decode_reason
decode_ipv6(struct packet *p, const uint8_t *ip, uint32_t len)
{
	uint32_t tot, end, off, hl;
	unsigned int n = 0;
	uint16_t fo;
	uint8_t nh;

	if (len < 1)
		return DR_IPV6_TRUNC;
	if ((ip[0] >> 4) != 6)
		return DR_IPV6_BAD_VER;
	if (len < IPV6_HLEN)
		return DR_IPV6_TRUNC;
	tot = IPV6_HLEN + (uint32_t)rd16(ip + 4);

	p->ipver = 6;
	p->l3 = ip;
	p->ip_len = tot;
	p->ttl = ip[7];
	memcpy(p->src.a, ip + 8, 16);
	memcpy(p->dst.a, ip + 24, 16);

	end = tot < len ? tot : len;
	off = IPV6_HLEN;
	nh = ip[6];
	for (;;) {
		switch (nh) {
		case IP6_NH_HOPOPTS:
		case IP6_NH_ROUTING:
		case IP6_NH_DSTOPTS:
		case IP6_NH_MOBILITY:
			if (++n > DECODE_MAX_IPV6_EXT)
				return DR_IPV6_TOO_MANY_EXT;
			if (end - off < 2)
				return DR_IPV6_EXT_TRUNC;
			hl = ((uint32_t)ip[off + 1] + 1) << 3;
			break;
		case IP6_NH_AH:
			if (++n > DECODE_MAX_IPV6_EXT)
				return DR_IPV6_TOO_MANY_EXT;
			if (end - off < 2)
				return DR_IPV6_EXT_TRUNC;
			hl = ((uint32_t)ip[off + 1] + 2) << 2;
			break;
		case IP6_NH_FRAGMENT:
			if (++n > DECODE_MAX_IPV6_EXT)
				return DR_IPV6_TOO_MANY_EXT;
			if (end - off < 8)
				return DR_IPV6_EXT_TRUNC;
			fo = rd16(ip + off + 2);
			nh = ip[off];
			off += 8;
			if (fo & 0xfff8) {
				/* Later fragment: the rest is opaque. */
				p->frag = PKT_FRAG_LATER;
				p->frag_id = rd32(ip + off - 4);
				p->proto = nh;
				if (end > off)
					p->payload = ip + off;
				p->payload_len = end - off;
				p->payload_wire = tot - off;
				return DR_OK;
			}
			if (fo & 1) {
				p->frag = PKT_FRAG_FIRST;
				p->frag_id = rd32(ip + off - 4);
			}
			/* else an atomic fragment (RFC 6946): not fragmented */
			continue;
		case IP6_NH_NONE:
			p->proto = IP6_NH_NONE;
			return DR_OK;
		default:
			return decode_l4(p, nh, ip + off, end - off, tot - off);
		}
		if (end - off < hl)
			return DR_IPV6_EXT_TRUNC;
		nh = ip[off];
		off += hl;
	}
}
