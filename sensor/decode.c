/*
 * decode.c - entry point of the decode stage: reset the fields decode owns,
 * dispatch on the link type, and the small helpers (reason names, address
 * text) that every later stage uses to talk about a decoded packet.
 *
 * decode_packet() runs once per captured frame, so it allocates nothing and
 * resets only the fields it owns (not the caller's num/ts_ns/wirelen) with
 * plain stores instead of a memset of the whole struct.  The layers live in
 * decode-link.c, decode-ip.c and decode-l4.c; each one is handed a pointer
 * and the number of bytes present from there on, so bounds checks are local
 * and a layer cannot read past the capture.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <string.h>

#include "decode.h"
#include "decode-int.h"

/*
 * pcap link types (the DLT_ values pcap_datalink() hands out).  DLT_RAW is
 * 12 almost everywhere and 14 on OpenBSD; files store LINKTYPE_RAW (101).
 * OpenBSD also reuses 12 for DLT_LOOP, so there 12 means LOOP.
 */
#define LT_NULL		0
#define LT_EN10MB	1
#define LT_RAW12	12
#define LT_RAW14	14
#define LT_RAW		101
#define LT_LOOP		108
#define LT_LINUX_SLL	113
#define LT_IPV4		228
#define LT_IPV6		229
#define LT_LINUX_SLL2	276

int
decode_dlt_supported(int dlt)
{
	switch (dlt) {
	case LT_NULL:
	case LT_EN10MB:
	case LT_RAW12:
	case LT_RAW14:
	case LT_RAW:
	case LT_LOOP:
	case LT_LINUX_SLL:
	case LT_IPV4:
	case LT_IPV6:
	case LT_LINUX_SLL2:
		return 1;
	default:
		return 0;
	}
}

enum bw_decode_reason
decode_packet(struct packet *p, int dlt, const uint8_t *frame,
    uint32_t caplen)
{
	p->frame = frame;
	p->caplen = caplen;
	p->dlt = dlt;
	p->mac_src = NULL;
	p->mac_dst = NULL;
	p->vlan[0] = 0;
	p->vlan[1] = 0;
	p->vlan_n = 0;
	p->ipver = 0;
	p->proto = 0;
	p->ttl = 0;
	p->frag = PKT_FRAG_NONE;
	p->frag_id = 0;
	p->ip_opts = 0;
	memset(&p->src, 0, sizeof(p->src));
	memset(&p->dst, 0, sizeof(p->dst));
	p->sport = 0;
	p->dport = 0;
	p->tcp_flags = 0;
	p->tcp_seq = 0;
	p->tcp_ack = 0;
	p->tcp_win = 0;
	p->l3 = NULL;
	p->ip_len = 0;
	p->payload = NULL;
	p->payload_len = 0;
	p->payload_wire = 0;

	switch (dlt) {
	case LT_EN10MB:
		return decode_ether(p, frame, caplen);
	case LT_LINUX_SLL:
		return decode_sll(p, frame, caplen);
	case LT_LINUX_SLL2:
		return decode_sll2(p, frame, caplen);
	case LT_IPV4:
		return decode_ipv4(p, frame, caplen);
	case LT_IPV6:
		return decode_ipv6(p, frame, caplen);
	case LT_NULL:
		return decode_null(p, frame, caplen);
#ifdef __OpenBSD__
	case LT_RAW12:			/* DLT_LOOP on OpenBSD */
#endif
	case LT_LOOP:
		return decode_loop(p, frame, caplen);
#ifndef __OpenBSD__
	case LT_RAW12:
#endif
	case LT_RAW14:
	case LT_RAW:
		return decode_raw(p, frame, caplen);
	default:
		/* The capture stage refuses unsupported link types up front. */
		return DR_NOT_IP;
	}
}

static const char *const reason_names[DR_MAX] = {
	[DR_OK]			= "ok",
	[DR_NOT_IP]		= "not_ip",
	[DR_LINK_TRUNC]		= "link_trunc",
	[DR_VLAN_TRUNC]		= "vlan_trunc",
	[DR_TOO_MANY_VLAN]	= "too_many_vlan",
	[DR_IPV4_TRUNC]		= "ipv4_trunc",
	[DR_IPV4_BAD_VER]	= "ipv4_bad_ver",
	[DR_IPV4_BAD_HLEN]	= "ipv4_bad_hlen",
	[DR_IPV4_BAD_LEN]	= "ipv4_bad_len",
	[DR_IPV6_TRUNC]		= "ipv6_trunc",
	[DR_IPV6_BAD_VER]	= "ipv6_bad_ver",
	[DR_IPV6_EXT_TRUNC]	= "ipv6_ext_trunc",
	[DR_IPV6_TOO_MANY_EXT]	= "ipv6_too_many_ext",
	[DR_TCP_TRUNC]		= "tcp_trunc",
	[DR_TCP_BAD_OFF]	= "tcp_bad_off",
	[DR_UDP_TRUNC]		= "udp_trunc",
	[DR_UDP_BAD_LEN]	= "udp_bad_len",
	[DR_ICMP_TRUNC]		= "icmp_trunc",
	[DR_ICMPV6_TRUNC]	= "icmpv6_trunc",
	[DR_FRAG_LATER]		= "frag_later",
	[DR_UNKNOWN_L4]		= "unknown_l4",
};

const char *
decode_reason_name(enum bw_decode_reason r)
{
	if ((unsigned)r >= DR_MAX || reason_names[r] == NULL)
		return "unknown";
	return reason_names[r];
}

const char *
bw_addr_str(const struct bw_addr *a, char *buf, size_t len)
{
	const char *s;

	if (bw_addr_is_v4(a))
		s = inet_ntop(AF_INET, a->a + 12, buf, (socklen_t)len);
	else
		s = inet_ntop(AF_INET6, a->a, buf, (socklen_t)len);
	if (s == NULL && len > 0)
		buf[0] = '\0';
	return buf;
}

int
bw_addr_parse(const char *s, struct bw_addr *a)
{
	struct in_addr in4;
	uint8_t in6[16];

	if (inet_pton(AF_INET, s, &in4) == 1) {
		memset(a->a, 0, 10);
		a->a[10] = 0xff;
		a->a[11] = 0xff;
		memcpy(a->a + 12, &in4, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, in6) == 1) {
		memcpy(a->a, in6, 16);
		return 0;
	}
	return -1;
}
