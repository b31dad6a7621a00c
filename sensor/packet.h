/*
 * packet.h - the one decoded view of a captured frame.
 *
 * decode fills a struct packet with pointers into the frame and the parsed
 * L2-L4 fields; every later stage reads only this struct, never the raw
 * link layer.  Addresses are kept as 16 bytes (IPv4 as ::ffff:a.b.c.d) so
 * that flow keys, rule address sets and GeoIP lookups need one code path.
 */
#ifndef BW_PACKET_H
#define BW_PACKET_H

#include <stdint.h>
#include <stddef.h>

struct bw_addr {
	uint8_t a[16];		/* network order; IPv4 is v4-mapped */
};

/* Malformed/skip reasons, counted by decode and printed in stats. */
enum bw_decode_reason {
	DR_OK = 0,
	DR_NOT_IP,		/* ARP, LLDP, ...: counted, not an error */
	DR_LINK_TRUNC,		/* link header longer than caplen */
	DR_VLAN_TRUNC,
	DR_TOO_MANY_VLAN,
	DR_IPV4_TRUNC,		/* caplen too short for the IPv4 header */
	DR_IPV4_BAD_VER,
	DR_IPV4_BAD_HLEN,	/* IHL < 5 or beyond total length */
	DR_IPV4_BAD_LEN,	/* total length < header length */
	DR_IPV6_TRUNC,
	DR_IPV6_BAD_VER,
	DR_IPV6_EXT_TRUNC,	/* extension header chain runs off the packet */
	DR_IPV6_TOO_MANY_EXT,
	DR_TCP_TRUNC,
	DR_TCP_BAD_OFF,		/* data offset < 5 or beyond the segment */
	DR_UDP_TRUNC,
	DR_UDP_BAD_LEN,
	DR_ICMP_TRUNC,
	DR_ICMPV6_TRUNC,
	DR_FRAG_LATER,		/* non-first fragment with no known flow */
	DR_UNKNOWN_L4,		/* IP with another protocol: flow on proto only */
	DR_MAX
};

#define PKT_FRAG_NONE	0
#define PKT_FRAG_FIRST	1	/* offset 0, more fragments set */
#define PKT_FRAG_LATER	2	/* offset > 0: no L4 header in this packet */

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20
#define TH_ECE 0x40
#define TH_CWR 0x80

struct packet {
	uint64_t	 num;		/* 1-based across all input files */
	int64_t		 ts_ns;		/* packet time, ns since the epoch */
	const uint8_t	*frame;
	uint32_t	 caplen;	/* bytes captured */
	uint32_t	 wirelen;	/* bytes on the wire (pcap len) */
	int		 dlt;		/* pcap link type of the source */

	const uint8_t	*mac_src;	/* NULL when the link has no MAC */
	const uint8_t	*mac_dst;
	uint16_t	 vlan[2];	/* outer first; 0 when absent */
	uint8_t		 vlan_n;

	uint8_t		 ipver;		/* 4 or 6; 0 before L3 */
	uint8_t		 proto;		/* IPPROTO_* of the L4 header */
	uint8_t		 ttl;		/* TTL / hop limit */
	uint8_t		 frag;		/* PKT_FRAG_* */
	uint32_t	 frag_id;	/* IPv4 id or IPv6 fragment id */
	uint8_t		 ip_opts;	/* 1 when IPv4 options were present */
	struct bw_addr	 src, dst;

	/* L4: for ICMP/ICMPv6 sport = type, dport = code */
	uint16_t	 sport, dport;
	uint8_t		 tcp_flags;
	uint32_t	 tcp_seq, tcp_ack;
	uint16_t	 tcp_win;

	const uint8_t	*l3;		/* IP header */
	uint32_t	 ip_len;	/* IP total length from the header */
	const uint8_t	*payload;	/* L4 payload (may be NULL) */
	uint32_t	 payload_len;	/* payload bytes present in the capture */
	uint32_t	 payload_wire;	/* payload length per the headers */
};

/* True when the address is an IPv4 address stored v4-mapped. */
static inline int
bw_addr_is_v4(const struct bw_addr *a)
{
	static const uint8_t p[12] = {0,0,0,0,0,0,0,0,0,0,0xff,0xff};
	const uint8_t *x = a->a;
	for (int i = 0; i < 12; i++)
		if (x[i] != p[i])
			return 0;
	return 1;
}

#endif
