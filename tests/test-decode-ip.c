/*
 * test-decode-ip.c - decode_packet() on hand-built frames: IPv4 (options,
 * malformed headers, fragments) and IPv6 (the extension header chain,
 * fragments).  Frames are decoded from exact-size malloc'ed copies
 * (decode-util.h), so under ASan any read past caplen is a crash.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode-util.h"

/* ------------------------------------------------------------------ */
/* IPv4                                                                */

static void
test_ipv4_options(void)
{
	uint8_t f[256];
	size_t n;
	struct packet p;

	l4_tcp();
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 6, "10.0.0.1", "10.0.0.2", 12, 0, 5, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.ip_opts, 1);
	CHECK_INT(p.ip_len, 32 + 25);
	CHECK_INT(p.sport, 40000);
	CHECK(p.payload == p.frame + 14 + 32 + 20);
	CHECK_INT(p.payload_len, 5);

	/* Maximal header, 40 bytes of options. */
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 6, "10.0.0.1", "10.0.0.2", 40, 0, 5, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.ip_opts, 1);
	CHECK_INT(p.dport, 443);

	/* Options cut by the snaplen (IHL 15, 34 bytes of frame). */
	CHECK_R(dec(&p, DLT_EN10MB_, f, 34), DR_IPV4_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 14 + 59), DR_IPV4_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 14 + 60), DR_TCP_TRUNC);
}

static void
test_ipv4_malformed(void)
{
	uint8_t f[256], *ip;
	size_t n;
	struct packet p;

	l4_tcp();
	n = mk_eth(f, 0x0800);
	ip = f + n;
	n += mk_ip4(ip, 6, "10.0.0.1", "10.0.0.2", 0, 0, 5, l4buf, l4len);

	CHECK_R(dec(&p, DLT_EN10MB_, f, 14 + 19), DR_IPV4_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 14), DR_IPV4_TRUNC);

	ip[0] = 0x44;			/* IHL 4 */
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV4_BAD_HLEN);
	ip[0] = 0x40;			/* IHL 0 */
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV4_BAD_HLEN);
	ip[0] = 0x55;			/* version 5 */
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV4_BAD_VER);
	ip[0] = 0x45;

	w16(ip + 2, 19);		/* total length below any header */
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV4_BAD_LEN);
	w16(ip + 2, 0);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV4_BAD_LEN);
	ip[0] = 0x46;			/* 24-byte header in 22 bytes */
	w16(ip + 2, 22);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV4_BAD_HLEN);
	ip[0] = 0x45;

	/* Total length 30: the TCP header cannot fit in the datagram. */
	w16(ip + 2, 30);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_TCP_TRUNC);

	/* Total length beyond the capture: a snaplen cut, still decoded. */
	w16(ip + 2, 1500);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.ip_len, 1500);
	CHECK_INT(p.payload_len, 5);
	CHECK_INT(p.payload_wire, 1500 - 40);
	w16(ip + 2, 45);

	/* A wrong header checksum is not looked at. */
	w16(ip + 10, 0xdead);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
}

static void
test_ipv4_fragments(void)
{
	uint8_t f[512], data[200];
	size_t n;
	struct packet p;

	/* First fragment: UDP length covers the whole datagram. */
	l4len = mk_udp(l4buf, 123, 137, NULL);
	w16(l4buf + 4, 264);
	memset(l4buf + 8, 'X', 40);
	l4len += 40;
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 17, "164.1.123.163", "164.1.123.61", 0, 0x2000,
	    242, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.frag, PKT_FRAG_FIRST);
	CHECK_INT(p.frag_id, 242);
	CHECK_INT(p.proto, 17);
	CHECK_INT(p.sport, 123);
	CHECK_INT(p.dport, 137);
	CHECK_INT(p.payload_len, 40);
	CHECK_INT(p.payload_wire, 256);

	/* The same UDP header unfragmented is a bad length. */
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 17, "164.1.123.163", "164.1.123.61", 0, 0x4000,
	    242, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_UDP_BAD_LEN);

	/* Later fragment (offset 48 bytes): no L4 header, data as payload. */
	memset(data, 0, sizeof(data));
	mk_tcp(data, 80, 8080, 1, 2, TH_SYN, 3, 0, NULL);  /* looks like TCP */
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 17, "164.1.123.163", "164.1.123.61", 0, 6, 242,
	    data, 116);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.frag, PKT_FRAG_LATER);
	CHECK_INT(p.frag_id, 242);
	CHECK_INT(p.proto, 17);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.dport, 0);
	CHECK_INT(p.tcp_flags, 0);
	CHECK(p.payload == p.frame + 34);
	CHECK_INT(p.payload_len, 116);
	CHECK_INT(p.payload_wire, 116);
	CHECK_STR(astr(&p.src), "164.1.123.163");

	/* Later fragment with MF too, and one too short for any L4 header. */
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 6, "10.0.0.1", "10.0.0.2", 0, 0x2000 | 100, 9,
	    data, 3);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.frag, PKT_FRAG_LATER);
	CHECK_INT(p.proto, 6);
	CHECK_INT(p.payload_len, 3);

	/* Later fragment with no data at all. */
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 6, "10.0.0.1", "10.0.0.2", 0, 100, 9, data, 0);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.frag, PKT_FRAG_LATER);
	CHECK(p.payload == NULL);
	CHECK_INT(p.payload_len, 0);

	/* A tiny first fragment that cuts the TCP header (RFC 1858). */
	l4_tcp();
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 6, "10.0.0.1", "10.0.0.2", 0, 0x2000, 9, l4buf, 8);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_TCP_TRUNC);
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 6, "10.0.0.1", "10.0.0.2", 0, 0x2000, 9, l4buf, 19);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_TCP_TRUNC);

	/* A SYN whose 40-byte header is split after 24 bytes: ports kept. */
	l4len = mk_tcp(l4buf, 12345, 80, 1000, 0, TH_SYN, 8192, 20, NULL);
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 6, "192.168.1.100", "10.0.0.5", 0, 0x2000, 1,
	    l4buf, 24);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.frag, PKT_FRAG_FIRST);
	CHECK_INT(p.sport, 12345);
	CHECK_INT(p.dport, 80);
	CHECK_INT(p.tcp_flags, TH_SYN);
	CHECK_INT(p.tcp_seq, 1000);
	CHECK(p.payload == NULL);
	CHECK_INT(p.payload_len, 0);
	CHECK_INT(p.payload_wire, 0);
	/* ... also when the snaplen cuts that fragment after 20 bytes ... */
	CHECK_R(dec(&p, DLT_EN10MB_, f, n - 4), DR_OK);
	CHECK_INT(p.payload_len, 0);
	CHECK_INT(p.payload_wire, 0);
	/* ... but not without fragmentation. */
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 6, "192.168.1.100", "10.0.0.5", 0, 0, 1, l4buf, 24);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_TCP_BAD_OFF);
}

/* ------------------------------------------------------------------ */
/* IPv6                                                                */

static void
test_ipv6_ext(void)
{
	uint8_t f[1024], c[800];
	size_t n, cl;
	struct packet p;

	/* Plain IPv6 TCP. */
	l4_tcp();
	n = ip6_frame(f, 6, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.ipver, 6);
	CHECK_INT(p.ip_len, 40 + l4len);
	CHECK_STR(astr(&p.src), S6);
	CHECK_STR(astr(&p.dst), D6);
	CHECK(!bw_addr_is_v4(&p.src));
	CHECK_INT(p.ttl, 255);
	CHECK_INT(p.frag, PKT_FRAG_NONE);
	CHECK_INT(p.ip_opts, 0);

	/* Hop-by-hop (8) + UDP. */
	l4_udp();
	cl = mk_ext(c, 17, 0);
	memcpy(c + cl, l4buf, l4len);
	cl += l4len;
	n = ip6_frame(f, 0, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.proto, 17);
	CHECK_INT(p.dport, 53);
	CHECK(p.payload == p.frame + 14 + 40 + 8 + 8);
	CHECK_INT(p.payload_len, 4);

	/* Hop-by-hop + routing (24 bytes) + TCP. */
	l4_tcp();
	cl = mk_ext(c, 43, 0);
	cl += mk_ext(c + cl, 6, 2);
	memcpy(c + cl, l4buf, l4len);
	cl += l4len;
	n = ip6_frame(f, 0, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.proto, 6);
	CHECK_INT(p.sport, 40000);
	CHECK_INT(p.payload_len, 5);
	CHECK(p.payload == p.frame + 14 + 40 + 8 + 24 + 20);

	/* Destination options + ICMPv6. */
	l4len = mk_icmp(l4buf, 135, 0, "nsnsnsnsnsnsnsns");
	cl = mk_ext(c, 58, 1);
	memcpy(c + cl, l4buf, l4len);
	cl += l4len;
	n = ip6_frame(f, 60, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.proto, 58);
	CHECK_INT(p.sport, 135);
	CHECK_INT(p.dport, 0);
	CHECK_INT(p.payload_len, 16);

	/* AH (length in 4-byte units minus 2: 24 bytes) + TCP. */
	l4_tcp();
	memset(c, 0, 24);
	c[0] = 6;
	c[1] = 4;			/* (4 + 2) * 4 = 24 */
	memcpy(c + 24, l4buf, l4len);
	n = ip6_frame(f, 51, c, 24 + l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.proto, 6);
	CHECK_INT(p.dport, 443);
	CHECK(p.payload == p.frame + 14 + 40 + 24 + 20);

	/* Destination options + mobility header (binding update, nh 59). */
	cl = mk_ext(c, 135, 0);
	cl += mk_ext(c + cl, 59, 1);
	n = ip6_frame(f, 60, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.proto, 59);
	CHECK(p.payload == NULL);
	CHECK_INT(p.payload_len, 0);

	/* Mobility then UDP (Home Address-ish chains do this). */
	l4_udp();
	cl = mk_ext(c, 17, 0);
	memcpy(c + cl, l4buf, l4len);
	cl += l4len;
	n = ip6_frame(f, 135, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.proto, 17);
	CHECK_INT(p.sport, 5353);

	/* No next header straight away, with trailing bytes. */
	memset(c, 0x33, 16);
	n = ip6_frame(f, 59, c, 16);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.proto, 59);
	CHECK_INT(p.sport, 0);
	CHECK(p.payload == NULL);
	CHECK_INT(p.payload_len, 0);
	CHECK_INT(p.ip_len, 56);

	/* Unknown protocol after an extension header: OK, ports 0. */
	cl = mk_ext(c, 47, 0);
	memset(c + cl, 0x77, 12);
	cl += 12;
	n = ip6_frame(f, 0, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.proto, 47);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.payload_len, 12);
	CHECK(p.payload == p.frame + 14 + 48);

	/* Eight extension headers are fine, nine are too many. */
	for (int k = 8; k <= 9; k++) {
		cl = 0;
		for (int i = 0; i < k; i++)
			cl += mk_ext(c + cl, i == k - 1 ? 17 : 60, 0);
		l4_udp();
		memcpy(c + cl, l4buf, l4len);
		cl += l4len;
		n = ip6_frame(f, 60, c, cl);
		if (k == 8) {
			CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
			CHECK_INT(p.dport, 53);
		} else
			CHECK_R(dec(&p, DLT_EN10MB_, f, n),
			    DR_IPV6_TOO_MANY_EXT);
	}
	/* A loop of fragment headers is bounded the same way. */
	cl = 0;
	for (int i = 0; i < 12; i++)
		cl += mk_frag6(c + cl, 44, 0, 0, 1);
	n = ip6_frame(f, 44, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV6_TOO_MANY_EXT);

	/* Extension header length runs off the capture. */
	l4_udp();
	cl = mk_ext(c, 17, 3);		/* 32 bytes claimed */
	n = ip6_frame(f, 0, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n - 8), DR_IPV6_EXT_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 14 + 40 + 1), DR_IPV6_EXT_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 14 + 40), DR_IPV6_EXT_TRUNC);
	/* ... or off the payload length while the bytes are captured. */
	n = ip6_frame(f, 0, c, cl);
	w16(f + 14 + 4, 16);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV6_EXT_TRUNC);
	/* AH cut. */
	memset(c, 0, 24);
	c[0] = 6;
	c[1] = 4;
	n = ip6_frame(f, 51, c, 24);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n - 1), DR_IPV6_EXT_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_TCP_TRUNC);

	/* Fixed header. */
	n = ip6_frame(f, 59, NULL, 0);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n - 1), DR_IPV6_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 14), DR_IPV6_TRUNC);
	f[14] = 0x45;
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV6_BAD_VER);

	/* Payload length beyond the capture: decoded, payload cut. */
	l4_tcp();
	n = ip6_frame(f, 6, l4buf, l4len);
	w16(f + 14 + 4, 1000);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.ip_len, 1040);
	CHECK_INT(p.payload_len, 5);
	CHECK_INT(p.payload_wire, 980);
	/* Payload length shorter than what the frame holds: padding. */
	w16(f + 14 + 4, 22);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.payload_len, 2);
	CHECK_INT(p.payload_wire, 2);
}

static void
test_ipv6_fragments(void)
{
	uint8_t f[512], c[256];
	size_t n, cl;
	struct packet p;

	/* First fragment: offset 0, M set. */
	l4_udp();
	w16(l4buf + 4, 1000);		/* whole datagram */
	cl = mk_frag6(c, 17, 0, 1, 0xdeadbeef);
	memcpy(c + cl, l4buf, l4len);
	cl += l4len;
	n = ip6_frame(f, 44, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.frag, PKT_FRAG_FIRST);
	CHECK_INT(p.frag_id, 0xdeadbeef);
	CHECK_INT(p.proto, 17);
	CHECK_INT(p.sport, 5353);
	CHECK_INT(p.payload_len, 4);
	CHECK_INT(p.payload_wire, 992);

	/* Later fragment: no ports, payload is the fragment data. */
	cl = mk_frag6(c, 17, 185, 0, 0xdeadbeef);
	memset(c + cl, 'Q', 32);
	cl += 32;
	n = ip6_frame(f, 44, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.frag, PKT_FRAG_LATER);
	CHECK_INT(p.frag_id, 0xdeadbeef);
	CHECK_INT(p.proto, 17);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.dport, 0);
	CHECK(p.payload == p.frame + 14 + 48);
	CHECK_INT(p.payload_len, 32);
	CHECK_INT(p.payload_wire, 32);

	/* Later fragment behind hop-by-hop, with M set. */
	cl = mk_ext(c, 44, 0);
	cl += mk_frag6(c + cl, 6, 1, 1, 77);
	memset(c + cl, 0, 8);
	cl += 8;
	n = ip6_frame(f, 0, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.frag, PKT_FRAG_LATER);
	CHECK_INT(p.frag_id, 77);
	CHECK_INT(p.proto, 6);

	/* Atomic fragment (offset 0, M clear): not fragmented. */
	l4_tcp();
	cl = mk_frag6(c, 6, 0, 0, 1234);
	memcpy(c + cl, l4buf, l4len);
	cl += l4len;
	n = ip6_frame(f, 44, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.frag, PKT_FRAG_NONE);
	CHECK_INT(p.frag_id, 0);
	CHECK_INT(p.proto, 6);
	CHECK_INT(p.dport, 443);
	CHECK_INT(p.payload_len, 5);

	/* First fragment cutting the TCP options. */
	l4len = mk_tcp(l4buf, 4444, 22, 1, 0, TH_SYN, 1, 12, NULL);
	cl = mk_frag6(c, 6, 0, 1, 55);
	memcpy(c + cl, l4buf, 24);
	cl += 24;
	n = ip6_frame(f, 44, c, cl);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.frag, PKT_FRAG_FIRST);
	CHECK_INT(p.frag_id, 55);
	CHECK_INT(p.sport, 4444);
	CHECK_INT(p.tcp_flags, TH_SYN);
	CHECK_INT(p.payload_len, 0);

	/* Fragment header cut. */
	CHECK_R(dec(&p, DLT_EN10MB_, f, 14 + 40 + 7), DR_IPV6_EXT_TRUNC);
	/* Fragment header beyond a zero payload length (frag6 "negative"). */
	n = ip6_frame(f, 44, c, cl);
	w16(f + 14 + 4, 0);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV6_EXT_TRUNC);
}

int
main(void)
{
	test_ipv4_options();
	test_ipv4_malformed();
	test_ipv4_fragments();
	test_ipv6_ext();
	test_ipv6_fragments();
	check_reasons_covered(PART_IP);
	free(last_copy);
	CHECK_DONE();
}
