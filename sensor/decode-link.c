/*
 * decode-link.c - link layers down to an ethertype (or an IP version).
 *
 * Ethernet and both Linux cooked headers end in an ethertype, so they share
 * decode_ethertype(), which also peels 802.1Q / 802.1ad tags: SLL captures
 * on a trunk interface can carry tags too.  The first two tags (outer first)
 * are kept for the flow key; a third and fourth are skipped, and only a
 * fifth makes the frame DR_TOO_MANY_VLAN (real networks stop at two, but
 * provider bridges stack a few, and dropping the traffic would blind us).
 *
 * BSD loopback (NULL) stores the address family in the byte order of the
 * machine that captured, which need not be ours; the value always fits in
 * a byte, so whichever byte order gives a small number is the right one.
 * The IPv6 family differs by OS: 10 (Linux), 24 (Net/OpenBSD), 28
 * (FreeBSD), 30 (macOS).  LOOP is the same header in network byte order.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>

#include "decode.h"
#include "decode-int.h"

#define ETH_HLEN	14
#define SLL_HLEN	16
#define SLL2_HLEN	20
#define NULL_HLEN	4

static enum bw_decode_reason
decode_ethertype(struct packet *p, uint16_t type, const uint8_t *b,
    uint32_t len)
{
	unsigned int n = 0;

	while (type == ETHERTYPE_8021Q || type == ETHERTYPE_8021AD ||
	    type == ETHERTYPE_QINQ_OLD) {
		if (n >= DECODE_MAX_VLAN)
			return DR_TOO_MANY_VLAN;
		if (len < 4)
			return DR_VLAN_TRUNC;
		if (n < DECODE_KEEP_VLAN) {
			p->vlan[n] = rd16(b) & 0x0fff;	/* drop PCP and DEI */
			p->vlan_n = (uint8_t)(n + 1);
		}
		n++;
		type = rd16(b + 2);
		b += 4;
		len -= 4;
	}

	switch (type) {
	case ETHERTYPE_IPV4:
		return decode_ipv4(p, b, len);
	case ETHERTYPE_IPV6:
		return decode_ipv6(p, b, len);
	default:
		/* ARP, LLDP, 802.3 length + LLC, PPPoE, MPLS, ... */
		return DR_NOT_IP;
	}
}

enum bw_decode_reason
decode_ether(struct packet *p, const uint8_t *b, uint32_t len)
{
	if (len < ETH_HLEN)
		return DR_LINK_TRUNC;
	p->mac_dst = b;
	p->mac_src = b + 6;
	return decode_ethertype(p, rd16(b + 12), b + ETH_HLEN, len - ETH_HLEN);
}

/*
 * Linux cooked v1: packet type(2) ARPHRD type(2) address length(2)
 * address(8) protocol(2).  The address is the sender's.
 */
enum bw_decode_reason
decode_sll(struct packet *p, const uint8_t *b, uint32_t len)
{
	if (len < SLL_HLEN)
		return DR_LINK_TRUNC;
	if (rd16(b + 4) == 6)
		p->mac_src = b + 6;
	return decode_ethertype(p, rd16(b + 14), b + SLL_HLEN,
	    len - SLL_HLEN);
}

/*
 * Linux cooked v2: protocol(2) reserved(2) ifindex(4) ARPHRD type(2)
 * packet type(1) address length(1) address(8).
 */
enum bw_decode_reason
decode_sll2(struct packet *p, const uint8_t *b, uint32_t len)
{
	if (len < SLL2_HLEN)
		return DR_LINK_TRUNC;
	if (b[11] == 6)
		p->mac_src = b + 12;
	return decode_ethertype(p, rd16(b), b + SLL2_HLEN, len - SLL2_HLEN);
}

/* Raw IP: the version nibble says which.  Anything else is not IP. */
enum bw_decode_reason
decode_raw(struct packet *p, const uint8_t *b, uint32_t len)
{
	if (len < 1)
		return DR_LINK_TRUNC;
	switch (b[0] >> 4) {
	case 4:
		return decode_ipv4(p, b, len);
	case 6:
		return decode_ipv6(p, b, len);
	default:
		return DR_NOT_IP;
	}
}

static enum bw_decode_reason
decode_af(struct packet *p, uint32_t af, const uint8_t *b, uint32_t len)
{
	switch (af) {
	case 2:				/* AF_INET everywhere */
		return decode_ipv4(p, b, len);
	case 10:			/* AF_INET6: Linux */
	case 24:			/* NetBSD, OpenBSD, BSD/OS */
	case 28:			/* FreeBSD, DragonFly */
	case 30:			/* macOS */
		return decode_ipv6(p, b, len);
	default:
		return DR_NOT_IP;
	}
}

enum bw_decode_reason
decode_null(struct packet *p, const uint8_t *b, uint32_t len)
{
	uint32_t af;

	if (len < NULL_HLEN)
		return DR_LINK_TRUNC;
	af = rd32(b);
	if (af > 0xffff)		/* written little-endian */
		af = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
		    (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return decode_af(p, af, b + NULL_HLEN, len - NULL_HLEN);
}

enum bw_decode_reason
decode_loop(struct packet *p, const uint8_t *b, uint32_t len)
{
	if (len < NULL_HLEN)
		return DR_LINK_TRUNC;
	return decode_af(p, rd32(b), b + NULL_HLEN, len - NULL_HLEN);
}
