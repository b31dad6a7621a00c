/*
 * test-decode-link.c - decode_packet() on hand-built frames: the link
 * layers (Ethernet and its padding, 802.1Q/802.1ad tags, SLL, SLL2, RAW,
 * the IPv4/IPv6 linktypes, NULL/LOOP, which DLTs are supported), that a
 * non-IP frame after an IP one leaves nothing behind, the reason names and
 * the address helpers.  Frames are decoded from exact-size malloc'ed
 * copies (decode-util.h), so under ASan any read past caplen is a crash.
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
/* Link layers                                                         */

static void
test_ether_ipv4_tcp(void)
{
	uint8_t f[256];
	size_t n;
	struct packet p;

	l4_tcp();
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 6, "10.50.0.29", "5.74.170.142", 0, 0x4000, 77,
	    l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK(p.mac_dst == p.frame && p.mac_src == p.frame + 6);
	CHECK(memcmp(p.mac_src, mac_s, 6) == 0);
	CHECK_INT(p.vlan_n, 0);
	CHECK_INT(p.vlan[0], 0);
	CHECK_INT(p.ipver, 4);
	CHECK_INT(p.proto, 6);
	CHECK_INT(p.ttl, 64);
	CHECK_INT(p.frag, PKT_FRAG_NONE);	/* DF alone is no fragment */
	CHECK_INT(p.frag_id, 0);
	CHECK_INT(p.ip_opts, 0);
	CHECK_STR(astr(&p.src), "10.50.0.29");
	CHECK_STR(astr(&p.dst), "5.74.170.142");
	CHECK(p.l3 == p.frame + 14);
	CHECK_INT(p.ip_len, 20 + 20 + 5);
	CHECK_INT(p.sport, 40000);
	CHECK_INT(p.dport, 443);
	CHECK_INT(p.tcp_seq, 1000);
	CHECK_INT(p.tcp_ack, 2000);
	CHECK_INT(p.tcp_flags, TH_PSH | TH_ACK);
	CHECK_INT(p.tcp_win, 512);
	CHECK(p.payload == p.frame + 54);
	CHECK_INT(p.payload_len, 5);
	CHECK_INT(p.payload_wire, 5);
	CHECK(memcmp(p.payload, "hello", 5) == 0);
}

/* Short frames are padded to 60 bytes: the padding is not payload. */
static void
test_ether_padding(void)
{
	uint8_t f[128];
	size_t n;
	struct packet p;

	l4len = mk_udp(l4buf, 1234, 514, "X");
	n = mk_eth(f, 0x0800);
	n += mk_ip4(f + n, 17, "192.0.2.1", "192.0.2.2", 0, 0, 1, l4buf,
	    l4len);
	CHECK_INT(n, 43);
	memset(f + n, 0xee, 60 - n);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 60), DR_OK);
	CHECK_INT(p.ip_len, 29);
	CHECK_INT(p.payload_len, 1);
	CHECK_INT(p.payload_wire, 1);
	CHECK(p.payload != NULL && p.payload[0] == 'X');
}

static void
test_vlan(void)
{
	uint8_t f[256];
	size_t n;
	struct packet p;

	l4_udp();

	/* 802.1Q, PCP 5 and DEI set: both must be masked off. */
	n = mk_eth(f, 0x8100);
	n += mk_tag(f + n, 0xb000 | 20, 0x0800);
	n += mk_ip4(f + n, 17, "10.0.0.1", "10.0.0.2", 0, 0, 1, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.vlan_n, 1);
	CHECK_INT(p.vlan[0], 20);
	CHECK_INT(p.vlan[1], 0);
	CHECK(p.l3 == p.frame + 18);
	CHECK_INT(p.sport, 5353);

	/* VLAN 0 priority tag. */
	n = mk_eth(f, 0x8100);
	n += mk_tag(f + n, 0xa000, 0x0800);
	n += mk_ip4(f + n, 17, "10.0.0.1", "10.0.0.2", 0, 0, 1, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.vlan_n, 1);
	CHECK_INT(p.vlan[0], 0);

	/* 802.1ad QinQ: S-tag 200 then C-tag 2001. */
	n = mk_eth(f, 0x88a8);
	n += mk_tag(f + n, 200, 0x8100);
	n += mk_tag(f + n, 2001, 0x86dd);
	l4len = mk_icmp(l4buf, 128, 0, "ping");
	n += mk_ip6(f + n, 58, "2001:db8::1", "2001:db8::2", l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.vlan_n, 2);
	CHECK_INT(p.vlan[0], 200);
	CHECK_INT(p.vlan[1], 2001);
	CHECK_INT(p.ipver, 6);
	CHECK(p.l3 == p.frame + 22);

	/* Two 0x8100 tags, and the old 0x9100 QinQ TPID. */
	l4_udp();
	n = mk_eth(f, 0x9100);
	n += mk_tag(f + n, 13, 0x8100);
	n += mk_tag(f + n, 10, 0x0800);
	n += mk_ip4(f + n, 17, "10.0.0.1", "10.0.0.2", 0, 0, 1, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.vlan_n, 2);
	CHECK_INT(p.vlan[0], 13);
	CHECK_INT(p.vlan[1], 10);

	/* Three and four tags: decoded, the outer two kept. */
	for (int tags = 3; tags <= 5; tags++) {
		n = mk_eth(f, 0x88a8);
		for (int i = 0; i < tags; i++)
			n += mk_tag(f + n, (uint16_t)(100 + i),
			    i == tags - 1 ? 0x0800 : 0x8100);
		n += mk_ip4(f + n, 17, "10.0.0.1", "10.0.0.2", 0, 0, 1, l4buf,
		    l4len);
		if (tags <= 4) {
			CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
			CHECK_INT(p.vlan_n, 2);
			CHECK_INT(p.vlan[0], 100);
			CHECK_INT(p.vlan[1], 101);
			CHECK(p.l3 == p.frame + 14 + 4 * tags);
			CHECK_INT(p.dport, 53);
		} else
			CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_TOO_MANY_VLAN);
	}

	/* Tag cut by the capture. */
	n = mk_eth(f, 0x8100);
	n += mk_tag(f + n, 5, 0x0800);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 17), DR_VLAN_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 14), DR_VLAN_TRUNC);
	/* ... and the tag is whole but no IP follows. */
	CHECK_R(dec(&p, DLT_EN10MB_, f, 18), DR_IPV4_TRUNC);

	/* ARP inside a tag is still not IP; the tag is reported. */
	n = mk_eth(f, 0x8100);
	n += mk_tag(f + n, 7, 0x0806);
	memset(f + n, 0, 28);
	n += 28;
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_NOT_IP);
	CHECK_INT(p.vlan_n, 1);
	CHECK_INT(p.vlan[0], 7);
}

static void
test_ether_other(void)
{
	uint8_t f[128];
	size_t n;
	struct packet p;

	n = mk_eth(f, 0x0806);		/* ARP */
	memset(f + n, 0, 28);
	n += 28;
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_NOT_IP);
	CHECK_INT(p.ipver, 0);
	CHECK(p.l3 == NULL);

	n = mk_eth(f, 0x0026);		/* 802.3 length field, LLC */
	memset(f + n, 0x42, 38);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n + 38), DR_NOT_IP);

	CHECK_R(dec(&p, DLT_EN10MB_, f, 13), DR_LINK_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 0), DR_LINK_TRUNC);
	CHECK(p.mac_src == NULL);

	/* Ethertype IPv4, IPv6 inside: the version is checked. */
	l4_udp();
	n = mk_eth(f, 0x0800);
	n += mk_ip6(f + n, 17, "::1", "::2", l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV4_BAD_VER);
	n = mk_eth(f, 0x86dd);
	n += mk_ip4(f + n, 17, "10.0.0.1", "10.0.0.2", 0, 0, 1, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_IPV6_BAD_VER);
}

static void
test_sll(void)
{
	uint8_t f[256];
	size_t n;
	struct packet p;

	l4_udp();
	n = mk_sll(f, 0x0800);
	n += mk_ip4(f + n, 17, "127.0.0.1", "127.0.0.2", 0, 0, 1, l4buf,
	    l4len);
	CHECK_R(dec(&p, DLT_SLL_, f, n), DR_OK);
	CHECK(p.mac_src == p.frame + 6);
	CHECK(p.mac_dst == NULL);
	CHECK(p.l3 == p.frame + 16);
	CHECK_STR(astr(&p.dst), "127.0.0.2");
	CHECK_INT(p.dport, 53);

	/* A tag behind the cooked header. */
	n = mk_sll(f, 0x8100);
	n += mk_tag(f + n, 42, 0x86dd);
	l4len = mk_icmp(l4buf, 129, 0, NULL);
	n += mk_ip6(f + n, 58, "fe80::1", "fe80::2", l4buf, l4len);
	CHECK_R(dec(&p, DLT_SLL_, f, n), DR_OK);
	CHECK_INT(p.vlan_n, 1);
	CHECK_INT(p.vlan[0], 42);
	CHECK_INT(p.sport, 129);

	n = mk_sll(f, 0x0806);
	memset(f + n, 0, 28);
	CHECK_R(dec(&p, DLT_SLL_, f, n + 28), DR_NOT_IP);
	CHECK_R(dec(&p, DLT_SLL_, f, 15), DR_LINK_TRUNC);
	CHECK_R(dec(&p, DLT_SLL_, f, 16), DR_NOT_IP);

	/* Address length other than 6: no MAC. */
	l4_udp();
	n = mk_sll(f, 0x0800);
	w16(f + 4, 0);
	n += mk_ip4(f + n, 17, "127.0.0.1", "127.0.0.2", 0, 0, 1, l4buf,
	    l4len);
	CHECK_R(dec(&p, DLT_SLL_, f, n), DR_OK);
	CHECK(p.mac_src == NULL);
}

static void
test_sll2(void)
{
	uint8_t f[256];
	size_t n;
	struct packet p;

	l4len = mk_icmp(l4buf, 128, 0, "abcd");
	n = mk_sll2(f, 0x86dd);
	n += mk_ip6(f + n, 58, "fe80::8c36:6ff:fe44:acaf",
	    "fe80::8c36:6ff:fe44:acaf", l4buf, l4len);
	CHECK_R(dec(&p, DLT_SLL2_, f, n), DR_OK);
	CHECK(p.mac_src == p.frame + 12);
	CHECK(p.l3 == p.frame + 20);
	CHECK_INT(p.ipver, 6);
	CHECK_INT(p.proto, 58);
	CHECK_INT(p.ttl, 255);
	CHECK_STR(astr(&p.src), "fe80::8c36:6ff:fe44:acaf");
	CHECK_INT(p.sport, 128);
	CHECK_INT(p.dport, 0);
	CHECK_INT(p.payload_len, 4);
	CHECK_INT(p.ip_len, 40 + 12);

	n = mk_sll2(f, 0x8035);		/* RARP */
	memset(f + n, 0, 28);
	CHECK_R(dec(&p, DLT_SLL2_, f, n + 28), DR_NOT_IP);
	CHECK_R(dec(&p, DLT_SLL2_, f, 19), DR_LINK_TRUNC);
}

static void
test_raw(void)
{
	static const int dlts[] = { DLT_RAW12_, DLT_RAW14_, DLT_RAW_ };
	uint8_t f[256];
	size_t n4, n6;
	struct packet p;

	for (size_t i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++) {
		l4_udp();
		n4 = mk_ip4(f, 17, "198.51.100.1", "198.51.100.2", 0, 0, 9,
		    l4buf, l4len);
		CHECK_R(dec(&p, dlts[i], f, n4), DR_OK);
		CHECK_INT(p.ipver, 4);
		CHECK(p.l3 == p.frame);
		CHECK(p.mac_src == NULL && p.mac_dst == NULL);
		CHECK_STR(astr(&p.src), "198.51.100.1");
		CHECK_INT(p.payload_len, 4);

		n6 = mk_ip6(f, 17, "2001:db8::1", "2620:fe::9", l4buf, l4len);
		CHECK_R(dec(&p, dlts[i], f, n6), DR_OK);
		CHECK_INT(p.ipver, 6);
		CHECK_STR(astr(&p.dst), "2620:fe::9");
		CHECK_INT(p.dport, 53);

		f[0] = 0x50;		/* version 5 */
		CHECK_R(dec(&p, dlts[i], f, n6), DR_NOT_IP);
		CHECK_R(dec(&p, dlts[i], f, 0), DR_LINK_TRUNC);
	}
}

static void
test_ipv4_ipv6_linktypes(void)
{
	uint8_t f[256];
	size_t n;
	struct packet p;

	l4_tcp();
	n = mk_ip4(f, 6, "192.168.0.2", "192.168.0.1", 0, 0, 1, l4buf, l4len);
	CHECK_R(dec(&p, DLT_IPV4_, f, n), DR_OK);
	CHECK_INT(p.dport, 443);
	CHECK_R(dec(&p, DLT_IPV6_, f, n), DR_IPV6_BAD_VER);

	n = mk_ip6(f, 6, "2001:db8::1", "2001:db8::2", l4buf, l4len);
	CHECK_R(dec(&p, DLT_IPV6_, f, n), DR_OK);
	CHECK_INT(p.dport, 443);
	CHECK_INT(p.ip_len, n);
	CHECK_R(dec(&p, DLT_IPV4_, f, n), DR_IPV4_BAD_VER);
}

static void
test_null_loop(void)
{
	static const uint32_t af6[] = { 10, 24, 28, 30 };
	uint8_t f[256];
	size_t n;
	struct packet p;

	l4_udp();
	for (int little = 0; little <= 1; little++) {
		n = mk_null(f, 2, little);
		n += mk_ip4(f + n, 17, "127.0.0.1", "127.0.0.1", 0, 0, 1,
		    l4buf, l4len);
		CHECK_R(dec(&p, DLT_NULL_, f, n), DR_OK);
		CHECK_INT(p.ipver, 4);
		CHECK(p.l3 == p.frame + 4);
		CHECK(p.mac_src == NULL);
		for (size_t i = 0; i < 4; i++) {
			n = mk_null(f, af6[i], little);
			n += mk_ip6(f + n, 17, "::1", "::1", l4buf, l4len);
			CHECK_R(dec(&p, DLT_NULL_, f, n), DR_OK);
			CHECK_INT(p.ipver, 6);
			CHECK_STR(astr(&p.src), "::1");
		}
		n = mk_null(f, 7, little);
		CHECK_R(dec(&p, DLT_NULL_, f, n + 20), DR_NOT_IP);
		/* AF says IPv6, the packet is IPv4. */
		n = mk_null(f, 30, little);
		n += mk_ip4(f + n, 17, "127.0.0.1", "127.0.0.1", 0, 0, 1,
		    l4buf, l4len);
		CHECK_R(dec(&p, DLT_NULL_, f, n), DR_IPV6_BAD_VER);
	}
	CHECK_R(dec(&p, DLT_NULL_, f, 3), DR_LINK_TRUNC);

	/* LOOP: network byte order only. */
	n = mk_null(f, 2, 0);
	n += mk_ip4(f + n, 17, "127.0.0.1", "127.0.0.1", 0, 0, 1, l4buf, l4len);
	CHECK_R(dec(&p, DLT_LOOP_, f, n), DR_OK);
	CHECK_INT(p.ipver, 4);
	mk_null(f, 2, 1);
	CHECK_R(dec(&p, DLT_LOOP_, f, n), DR_NOT_IP);
	n = mk_null(f, 24, 0);
	n += mk_ip6(f + n, 17, "::1", "::1", l4buf, l4len);
	CHECK_R(dec(&p, DLT_LOOP_, f, n), DR_OK);
	CHECK_INT(p.ipver, 6);
	CHECK_R(dec(&p, DLT_LOOP_, f, 2), DR_LINK_TRUNC);
}

static void
test_dlt_supported(void)
{
	static const int yes[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };
	static const int no[] = { -1, 9, 105, 127, 147, 192, 1000 };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		CHECK_INT(decode_dlt_supported(yes[i]), 1);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		CHECK_INT(decode_dlt_supported(no[i]), 0);
}

/* Decoding a non-IP frame after an IP one leaves nothing behind. */
static void
test_reset(void)
{
	uint8_t f[256], g[64];
	size_t n, m;
	struct packet p;
	enum bw_decode_reason r;

	l4_tcp();
	n = mk_eth(f, 0x8100);
	n += mk_tag(f + n, 9, 0x0800);
	n += mk_ip4(f + n, 6, "10.0.0.1", "10.0.0.2", 4, 0x2000, 5, l4buf,
	    l4len);
	m = mk_eth(g, 0x0806);
	memset(g + m, 0, 28);
	m += 28;

	memset(&p, 0, sizeof(p));
	CHECK_INT(decode_packet(&p, DLT_EN10MB_, f, (uint32_t)n), DR_OK);
	CHECK_INT(p.vlan_n, 1);
	CHECK_INT(p.frag, PKT_FRAG_FIRST);
	r = decode_packet(&p, DLT_EN10MB_, g, (uint32_t)m);
	CHECK_INT(r, DR_NOT_IP);
	CHECK_INT(p.vlan_n, 0);
	CHECK_INT(p.vlan[0], 0);
	CHECK_INT(p.ipver, 0);
	CHECK_INT(p.proto, 0);
	CHECK_INT(p.ttl, 0);
	CHECK_INT(p.frag, 0);
	CHECK_INT(p.frag_id, 0);
	CHECK_INT(p.ip_opts, 0);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.dport, 0);
	CHECK_INT(p.tcp_flags, 0);
	CHECK_INT(p.tcp_seq, 0);
	CHECK_INT(p.tcp_ack, 0);
	CHECK_INT(p.tcp_win, 0);
	CHECK(p.l3 == NULL);
	CHECK_INT(p.ip_len, 0);
	CHECK(p.payload == NULL);
	CHECK_INT(p.payload_len, 0);
	CHECK_INT(p.payload_wire, 0);
	for (int i = 0; i < 16; i++) {
		CHECK_INT(p.src.a[i], 0);
		CHECK_INT(p.dst.a[i], 0);
	}
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static void
test_reason_names(void)
{
	for (int i = 0; i < DR_MAX; i++) {
		const char *s = decode_reason_name((enum bw_decode_reason)i);

		CHECK(s != NULL && strcmp(s, "unknown") != 0);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(s, decode_reason_name(
			    (enum bw_decode_reason)j)) != 0);
	}
	CHECK_STR(decode_reason_name(DR_OK), "ok");
	CHECK_STR(decode_reason_name(DR_IPV4_TRUNC), "ipv4_trunc");
	CHECK_STR(decode_reason_name(DR_TOO_MANY_VLAN), "too_many_vlan");
	CHECK_STR(decode_reason_name(DR_MAX), "unknown");
	CHECK_STR(decode_reason_name((enum bw_decode_reason)-1), "unknown");
}

static void
test_addr(void)
{
	struct bw_addr a;
	char buf[46];

	CHECK_INT(bw_addr_parse("10.50.0.29", &a), 0);
	CHECK(bw_addr_is_v4(&a));
	CHECK_INT(a.a[12], 10);
	CHECK_INT(a.a[15], 29);
	CHECK_STR(bw_addr_str(&a, buf, sizeof(buf)), "10.50.0.29");

	CHECK_INT(bw_addr_parse("::ffff:192.0.2.1", &a), 0);
	CHECK(bw_addr_is_v4(&a));
	CHECK_STR(bw_addr_str(&a, buf, sizeof(buf)), "192.0.2.1");

	CHECK_INT(bw_addr_parse("2001:DB8::1", &a), 0);
	CHECK(!bw_addr_is_v4(&a));
	CHECK_INT(a.a[0], 0x20);
	CHECK_INT(a.a[15], 1);
	CHECK_STR(bw_addr_str(&a, buf, sizeof(buf)), "2001:db8::1");

	CHECK_INT(bw_addr_parse("::", &a), 0);
	CHECK_STR(bw_addr_str(&a, buf, sizeof(buf)), "::");
	CHECK_INT(bw_addr_parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
	    &a), 0);
	CHECK_STR(bw_addr_str(&a, buf, sizeof(buf)),
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

	memset(&a, 0x11, sizeof(a));
	CHECK(bw_addr_parse("10.0.0.256", &a) != 0);
	CHECK(bw_addr_parse("2001:db8::1::2", &a) != 0);
	CHECK(bw_addr_parse("", &a) != 0);
	CHECK(bw_addr_parse("example.com", &a) != 0);
	CHECK(bw_addr_parse("10.0.0.1/24", &a) != 0);
	CHECK_INT(a.a[0], 0x11);	/* untouched on failure */
}

int
main(void)
{
	test_ether_ipv4_tcp();
	test_ether_padding();
	test_vlan();
	test_ether_other();
	test_sll();
	test_sll2();
	test_raw();
	test_ipv4_ipv6_linktypes();
	test_null_loop();
	test_dlt_supported();
	test_reset();
	test_reason_names();
	test_addr();
	check_reasons_covered(PART_LINK);
	free(last_copy);
	CHECK_DONE();
}
