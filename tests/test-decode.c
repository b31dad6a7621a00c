/*
 * test-decode.c - decode_packet() on hand-built frames.
 *
 * Every frame is copied into a malloc'ed buffer of exactly its captured
 * length before decoding, so under ASan any read past caplen is a crash,
 * not a silent pass.  The sweep at the end cuts valid frames at every
 * length 0..len and checks both that nothing is read out of bounds and that
 * the reason returned is the one the cut layer deserves.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sensor/decode.h"
#include "check.h"

#define DLT_NULL_	0
#define DLT_EN10MB_	1
#define DLT_RAW12_	12
#define DLT_RAW14_	14
#define DLT_RAW_	101
#define DLT_LOOP_	108
#define DLT_SLL_	113
#define DLT_IPV4_	228
#define DLT_IPV6_	229
#define DLT_SLL2_	276

/* Which reasons some test produced: every reason decode can return is. */
static int reason_seen[DR_MAX];

/* ------------------------------------------------------------------ */
/* Frame building                                                      */

static void
w16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void
w32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static void
addr(uint8_t *b, const char *s, int v6)
{
	struct bw_addr a;

	if (bw_addr_parse(s, &a) != 0) {
		fprintf(stderr, "bad test address %s\n", s);
		exit(1);
	}
	memcpy(b, v6 ? a.a : a.a + 12, v6 ? 16 : 4);
}

static const uint8_t mac_d[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t mac_s[6] = {0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};

static size_t
mk_eth(uint8_t *b, uint16_t type)
{
	memcpy(b, mac_d, 6);
	memcpy(b + 6, mac_s, 6);
	w16(b + 12, type);
	return 14;
}

/* One tag: TPID already written by the previous type field. */
static size_t
mk_tag(uint8_t *b, uint16_t tci, uint16_t next)
{
	w16(b, tci);
	w16(b + 2, next);
	return 4;
}

static size_t
mk_sll(uint8_t *b, uint16_t proto)
{
	memset(b, 0, 16);
	w16(b, 0);			/* to us */
	w16(b + 2, 1);			/* ARPHRD_ETHER */
	w16(b + 4, 6);
	memcpy(b + 6, mac_s, 6);
	w16(b + 14, proto);
	return 16;
}

static size_t
mk_sll2(uint8_t *b, uint16_t proto)
{
	memset(b, 0, 20);
	w16(b, proto);
	w32(b + 4, 3);			/* ifindex */
	w16(b + 8, 1);			/* ARPHRD_ETHER */
	b[10] = 4;			/* outgoing */
	b[11] = 6;
	memcpy(b + 12, mac_s, 6);
	return 20;
}

/* IPv4 header (+ optlen bytes of NOP options) followed by l4[0..l4len). */
static size_t
mk_ip4(uint8_t *b, uint8_t proto, const char *src, const char *dst,
    size_t optlen, uint16_t fragfield, uint16_t id, const uint8_t *l4,
    size_t l4len)
{
	size_t hl = 20 + optlen;

	b[0] = (uint8_t)(0x40 | (hl / 4));
	b[1] = 0;
	w16(b + 2, (uint16_t)(hl + l4len));
	w16(b + 4, id);
	w16(b + 6, fragfield);
	b[8] = 64;
	b[9] = proto;
	w16(b + 10, 0);
	addr(b + 12, src, 0);
	addr(b + 16, dst, 0);
	memset(b + 20, 1, optlen);	/* NOP */
	if (l4len)
		memcpy(b + hl, l4, l4len);
	return hl + l4len;
}

/* IPv6 header followed by rest[0..restlen) (extension headers and L4). */
static size_t
mk_ip6(uint8_t *b, uint8_t nh, const char *src, const char *dst,
    const uint8_t *rest, size_t restlen)
{
	w32(b, 0x60000000);
	w16(b + 4, (uint16_t)restlen);
	b[6] = nh;
	b[7] = 255;
	addr(b + 8, src, 1);
	addr(b + 24, dst, 1);
	if (restlen)
		memcpy(b + 40, rest, restlen);
	return 40 + restlen;
}

/* Generic 8*(len+1) extension header (HBH, routing, dstopts, mobility). */
static size_t
mk_ext(uint8_t *b, uint8_t nh, uint8_t len8)
{
	size_t n = ((size_t)len8 + 1) * 8;

	memset(b, 0, n);
	b[0] = nh;
	b[1] = len8;
	return n;
}

static size_t
mk_frag6(uint8_t *b, uint8_t nh, uint16_t off8, int more, uint32_t id)
{
	b[0] = nh;
	b[1] = 0;
	w16(b + 2, (uint16_t)(off8 << 3 | (more ? 1 : 0)));
	w32(b + 4, id);
	return 8;
}

static size_t
mk_tcp(uint8_t *b, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack,
    uint8_t flags, uint16_t win, size_t optlen, const char *payload)
{
	size_t hl = 20 + optlen, pl = payload ? strlen(payload) : 0;

	w16(b, sp);
	w16(b + 2, dp);
	w32(b + 4, seq);
	w32(b + 8, ack);
	b[12] = (uint8_t)((hl / 4) << 4);
	b[13] = flags;
	w16(b + 14, win);
	w32(b + 16, 0);
	memset(b + 20, 1, optlen);
	if (pl)
		memcpy(b + hl, payload, pl);
	return hl + pl;
}

static size_t
mk_udp(uint8_t *b, uint16_t sp, uint16_t dp, const char *payload)
{
	size_t pl = payload ? strlen(payload) : 0;

	w16(b, sp);
	w16(b + 2, dp);
	w16(b + 4, (uint16_t)(8 + pl));
	w16(b + 6, 0);
	if (pl)
		memcpy(b + 8, payload, pl);
	return 8 + pl;
}

static size_t
mk_icmp(uint8_t *b, uint8_t type, uint8_t code, const char *payload)
{
	size_t pl = payload ? strlen(payload) : 0;

	b[0] = type;
	b[1] = code;
	w16(b + 2, 0);
	w32(b + 4, 0x00070001);		/* id 7 seq 1 */
	if (pl)
		memcpy(b + 8, payload, pl);
	return 8 + pl;
}

/* ------------------------------------------------------------------ */
/* Decoding with an exact-size copy                                    */

static uint8_t *last_copy;

/*
 * Decode frame[0..len) from a fresh malloc'ed copy of exactly len bytes
 * (kept until the next call, so tests may compare pointers).  Checks the
 * invariants that hold for any input.
 */
static enum bw_decode_reason
dec(struct packet *p, int dlt, const uint8_t *frame, size_t len)
{
	enum bw_decode_reason r;

	free(last_copy);
	last_copy = malloc(len ? len : 1);
	if (last_copy == NULL) {
		perror("malloc");
		exit(1);
	}
	if (len)
		memcpy(last_copy, frame, len);
	memset(p, 0xa5, sizeof(*p));	/* decode must not rely on a zeroed p */
	p->num = 42;
	p->ts_ns = 1234567890123LL;
	p->wirelen = (uint32_t)len;
	r = decode_packet(p, dlt, last_copy, (uint32_t)len);

	CHECK((unsigned)r < DR_MAX);
	if ((unsigned)r < DR_MAX)
		reason_seen[r] = 1;
	CHECK(r != DR_FRAG_LATER && r != DR_UNKNOWN_L4);
	CHECK_INT(p->num, 42);
	CHECK_INT(p->ts_ns, 1234567890123LL);
	CHECK(p->frame == last_copy);
	CHECK_INT(p->caplen, len);
	CHECK_INT(p->dlt, dlt);
	CHECK(p->vlan_n <= 2);
	if (r == DR_OK) {
		CHECK(p->ipver == 4 || p->ipver == 6);
		CHECK(p->l3 >= last_copy && p->l3 < last_copy + len);
		CHECK(p->payload_len <= p->payload_wire);
		if (p->payload_len) {
			CHECK(p->payload != NULL);
			CHECK(p->payload >= last_copy);
			CHECK(p->payload + p->payload_len <= last_copy + len);
			CHECK(p->payload + p->payload_len <= p->l3 + p->ip_len);
		} else
			CHECK(p->payload == NULL);
		if (p->frag == PKT_FRAG_LATER)
			CHECK(p->sport == 0 && p->dport == 0);
		if (p->ipver == 4)
			CHECK(bw_addr_is_v4(&p->src) && bw_addr_is_v4(&p->dst));
	}
	return r;
}

static const char *
astr(const struct bw_addr *a)
{
	static char buf[4][64];
	static int i;

	i = (i + 1) % 4;
	return bw_addr_str(a, buf[i], sizeof(buf[i]));
}

#define CHECK_R(expr, want) do {					\
	enum bw_decode_reason _r = (expr);				\
	check_count++;							\
	if (_r != (want)) {						\
		check_failures++;					\
		fprintf(stderr, "%s:%d: %s gave %s, expected %s\n",	\
		    __FILE__, __LINE__, #expr, decode_reason_name(_r),	\
		    decode_reason_name(want));				\
	}								\
} while (0)

/* Common L4 pieces. */
static uint8_t l4buf[1024];
static size_t l4len;

static void
l4_tcp(void)
{
	l4len = mk_tcp(l4buf, 40000, 443, 1000, 2000, 0x18, 512, 0, "hello");
}

static void
l4_udp(void)
{
	l4len = mk_udp(l4buf, 5353, 53, "dnsq");
}

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

static size_t
mk_null(uint8_t *b, uint32_t af, int little)
{
	if (little) {
		b[0] = (uint8_t)af;
		b[1] = (uint8_t)(af >> 8);
		b[2] = (uint8_t)(af >> 16);
		b[3] = (uint8_t)(af >> 24);
	} else
		w32(b, af);
	return 4;
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

static const char *S6 = "2001:db8:1::10";
static const char *D6 = "2001:db8:2::20";

/* Frame: Ethernet + IPv6 with chain[0..clen) after the fixed header. */
static size_t
ip6_frame(uint8_t *f, uint8_t nh, const uint8_t *chain, size_t clen)
{
	size_t n = mk_eth(f, 0x86dd);

	return n + mk_ip6(f + n, nh, S6, D6, chain, clen);
}

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

/* ------------------------------------------------------------------ */
/* L4                                                                  */

static size_t
v4_frame(uint8_t *f, uint8_t proto, const uint8_t *l4, size_t len)
{
	size_t n = mk_eth(f, 0x0800);

	return n + mk_ip4(f + n, proto, "10.1.0.40", "10.50.0.10", 0, 0, 3,
	    l4, len);
}

static void
test_tcp(void)
{
	uint8_t f[512], *th = f + 34;
	size_t n;
	struct packet p;

	l4len = mk_tcp(l4buf, 1, 2, 0xfffffffe, 0x80000000, 0xff, 65535, 12,
	    "data!");
	n = v4_frame(f, 6, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.tcp_seq, 0xfffffffe);
	CHECK_INT(p.tcp_ack, 0x80000000);
	CHECK_INT(p.tcp_flags, 0xff);
	CHECK_INT(p.tcp_win, 65535);
	CHECK(p.payload == p.frame + 34 + 32);
	CHECK_INT(p.payload_len, 5);

	th[12] = 0x40;			/* data offset 4 */
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_TCP_BAD_OFF);
	th[12] = 0x00;
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_TCP_BAD_OFF);
	th[12] = 0xf0;			/* 60 bytes in a 37-byte segment */
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_TCP_BAD_OFF);
	th[12] = 0x80;

	/* Options cut by the snaplen: the IP length says they are there. */
	CHECK_R(dec(&p, DLT_EN10MB_, f, 34 + 24), DR_TCP_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 34 + 19), DR_TCP_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 34 + 32), DR_OK);
	CHECK_INT(p.payload_len, 0);
	CHECK_INT(p.payload_wire, 5);
	CHECK(p.payload == NULL);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 34 + 34), DR_OK);
	CHECK_INT(p.payload_len, 2);
	CHECK_INT(p.payload_wire, 5);

	/* Pure SYN, no payload. */
	l4len = mk_tcp(l4buf, 15057, 443, 10, 0, TH_SYN, 8192, 0, NULL);
	n = v4_frame(f, 6, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.tcp_flags, TH_SYN);
	CHECK_INT(p.payload_len, 0);
	CHECK_INT(p.payload_wire, 0);
	CHECK(p.payload == NULL);
}

static void
test_udp(void)
{
	uint8_t f[512], *uh = f + 34;
	size_t n;
	struct packet p;

	l4len = mk_udp(l4buf, 623, 623, "0123456789");
	n = v4_frame(f, 17, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.sport, 623);
	CHECK_INT(p.dport, 623);
	CHECK(p.payload == p.frame + 34 + 8);
	CHECK_INT(p.payload_len, 10);
	CHECK_INT(p.payload_wire, 10);

	w16(uh + 4, 7);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_UDP_BAD_LEN);
	w16(uh + 4, 0);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_UDP_BAD_LEN);
	w16(uh + 4, 19);		/* one more than the IP payload */
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_UDP_BAD_LEN);
	w16(uh + 4, 65507);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_UDP_BAD_LEN);

	/* UDP shorter than the IP payload: the rest is not UDP payload. */
	w16(uh + 4, 12);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.payload_len, 4);
	CHECK_INT(p.payload_wire, 4);
	w16(uh + 4, 8);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.payload_len, 0);
	CHECK(p.payload == NULL);
	w16(uh + 4, 18);

	/* Snaplen cut: payload_len is what is present. */
	CHECK_R(dec(&p, DLT_EN10MB_, f, n - 3), DR_OK);
	CHECK_INT(p.payload_len, 7);
	CHECK_INT(p.payload_wire, 10);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 34 + 7), DR_UDP_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 34), DR_UDP_TRUNC);

	/* IP total length too short for the UDP header. */
	w16(f + 14 + 2, 20 + 6);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_UDP_TRUNC);

	/* UDP over IPv6. */
	l4len = mk_udp(l4buf, 9623, 623, "rmcp");
	n = ip6_frame(f, 17, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.sport, 9623);
	CHECK_INT(p.payload_len, 4);
	w16(f + 54 + 4, 13);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_UDP_BAD_LEN);
}

static void
test_icmp(void)
{
	uint8_t f[512];
	size_t n;
	struct packet p;

	l4len = mk_icmp(l4buf, 8, 0, "abcdefgh");
	n = v4_frame(f, 1, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.proto, 1);
	CHECK_INT(p.sport, 8);
	CHECK_INT(p.dport, 0);
	CHECK(p.payload == p.frame + 42);
	CHECK_INT(p.payload_len, 8);

	l4len = mk_icmp(l4buf, 3, 13, NULL);
	n = v4_frame(f, 1, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.sport, 3);
	CHECK_INT(p.dport, 13);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n - 1), DR_ICMP_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 34), DR_ICMP_TRUNC);
	/* Cut by the IP length. */
	w16(f + 16, 20 + 4);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_ICMP_TRUNC);

	l4len = mk_icmp(l4buf, 1, 4, NULL);
	n = ip6_frame(f, 58, l4buf, l4len);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
	CHECK_INT(p.proto, 58);
	CHECK_INT(p.sport, 1);
	CHECK_INT(p.dport, 4);
	CHECK_R(dec(&p, DLT_EN10MB_, f, n - 1), DR_ICMPV6_TRUNC);
	CHECK_R(dec(&p, DLT_EN10MB_, f, 54), DR_ICMPV6_TRUNC);
}

static void
test_other_l4(void)
{
	static const uint8_t protos[] = { 47, 46, 50, 2, 41, 89 };
	uint8_t f[512], body[40];
	size_t n;
	struct packet p;

	memset(body, 0x5c, sizeof(body));
	for (size_t i = 0; i < sizeof(protos); i++) {
		n = v4_frame(f, protos[i], body, 28);
		CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
		CHECK_INT(p.proto, protos[i]);
		CHECK_INT(p.sport, 0);
		CHECK_INT(p.dport, 0);
		CHECK(p.payload == p.frame + 34);
		CHECK_INT(p.payload_len, 28);
		CHECK_INT(p.payload_wire, 28);

		n = ip6_frame(f, protos[i], body, 13);
		CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
		CHECK_INT(p.proto, protos[i]);
		CHECK_INT(p.payload_len, 13);

		/* Nothing after the IP header at all. */
		n = v4_frame(f, protos[i], body, 0);
		CHECK_R(dec(&p, DLT_EN10MB_, f, n), DR_OK);
		CHECK(p.payload == NULL);
	}
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

/* ------------------------------------------------------------------ */
/* Truncation sweep                                                    */

/*
 * Cut frame at every length.  hdr[] lists the offsets where each layer's
 * header ends together with the reason a cut before it gives; once all
 * headers are present the result must be DR_OK with the payload cut.
 */
struct cut {
	uint32_t	 end;		/* this layer needs bytes [0, end) */
	enum bw_decode_reason r;	/* reason when fewer are present */
};

/* The swept frames, kept for the mutation pass. */
static struct {
	int	 dlt;
	size_t	 n;
	uint8_t	 f[1024];
} swept[16];
static size_t nswept;

static void
sweep(const char *what, int dlt, const uint8_t *f, size_t n,
    const struct cut *cuts, size_t ncuts)
{
	struct packet p;
	int bad = 0;

	if (nswept < sizeof(swept) / sizeof(swept[0]) &&
	    n <= sizeof(swept[0].f)) {
		swept[nswept].dlt = dlt;
		swept[nswept].n = n;
		memcpy(swept[nswept].f, f, n);
		nswept++;
	}

	for (size_t len = 0; len <= n; len++) {
		enum bw_decode_reason want = DR_OK, got;

		for (size_t i = 0; i < ncuts; i++)
			if (len < cuts[i].end) {
				want = cuts[i].r;
				break;
			}
		got = dec(&p, dlt, f, len);
		if (got != want) {
			if (bad++ < 5)
				fprintf(stderr, "%s: cut at %zu gave %s, "
				    "expected %s\n", what, len,
				    decode_reason_name(got),
				    decode_reason_name(want));
			check_failures++;
		}
		check_count++;
		if (got == DR_OK && ncuts > 0) {
			uint32_t full = cuts[ncuts - 1].end;

			CHECK_INT(p.payload_len, len - full);
		}
	}
}

static void
test_truncation_sweep(void)
{
	uint8_t f[1024], c[512];
	size_t n, cl;

	/* Ethernet / 802.1ad / 802.1Q / IPv4 with options / TCP with options. */
	l4len = mk_tcp(l4buf, 1, 2, 3, 4, TH_ACK, 5, 8, "payload bytes");
	n = mk_eth(f, 0x88a8);
	n += mk_tag(f + n, 1, 0x8100);
	n += mk_tag(f + n, 2, 0x0800);
	n += mk_ip4(f + n, 6, "10.0.0.1", "10.0.0.2", 8, 0, 1, l4buf, l4len);
	{
		struct cut cuts[] = {
			{ 14, DR_LINK_TRUNC }, { 18, DR_VLAN_TRUNC },
			{ 22, DR_VLAN_TRUNC }, { 50, DR_IPV4_TRUNC },
			{ 78, DR_TCP_TRUNC },
		};
		sweep("eth/qinq/ipv4/tcp", DLT_EN10MB_, f, n, cuts, 5);
	}

	/* SLL / IPv4 / UDP. */
	l4len = mk_udp(l4buf, 53, 53, "0123456789abcdef");
	n = mk_sll(f, 0x0800);
	n += mk_ip4(f + n, 17, "10.0.0.1", "10.0.0.2", 0, 0, 1, l4buf, l4len);
	{
		struct cut cuts[] = {
			{ 16, DR_LINK_TRUNC }, { 36, DR_IPV4_TRUNC },
			{ 44, DR_UDP_TRUNC },
		};
		sweep("sll/ipv4/udp", DLT_SLL_, f, n, cuts, 3);
	}

	/* SLL2 / IPv6 / HBH / routing / dstopts / AH / frag(first) / TCP. */
	l4len = mk_tcp(l4buf, 1, 2, 3, 4, TH_SYN, 5, 4, "xyz");
	cl = mk_ext(c, 43, 0);
	cl += mk_ext(c + cl, 60, 2);
	cl += mk_ext(c + cl, 51, 0);
	memset(c + cl, 0, 16);		/* AH: (2 + 2) * 4 = 16 */
	c[cl] = 44;
	c[cl + 1] = 2;
	cl += 16;
	cl += mk_frag6(c + cl, 6, 0, 1, 99);
	memcpy(c + cl, l4buf, l4len);
	cl += l4len;
	n = mk_sll2(f, 0x86dd);
	n += mk_ip6(f + n, 0, S6, D6, c, cl);
	{
		struct cut cuts[] = {
			{ 20, DR_LINK_TRUNC }, { 60, DR_IPV6_TRUNC },
			{ 60 + 8 + 24 + 8 + 16 + 8, DR_IPV6_EXT_TRUNC },
			{ 124 + 24, DR_TCP_TRUNC },
		};
		sweep("sll2/ipv6/ext/tcp", DLT_SLL2_, f, n, cuts, 4);
	}

	/* NULL / IPv6 / ICMPv6. */
	l4len = mk_icmp(l4buf, 128, 0, "ping ping");
	n = mk_null(f, 30, 1);
	n += mk_ip6(f + n, 58, "::1", "::1", l4buf, l4len);
	{
		struct cut cuts[] = {
			{ 4, DR_LINK_TRUNC }, { 44, DR_IPV6_TRUNC },
			{ 52, DR_ICMPV6_TRUNC },
		};
		sweep("null/ipv6/icmpv6", DLT_NULL_, f, n, cuts, 3);
	}

	/* LOOP / IPv4 / ICMP. */
	l4len = mk_icmp(l4buf, 8, 0, "ping");
	n = mk_null(f, 2, 0);
	n += mk_ip4(f + n, 1, "10.0.0.1", "10.0.0.2", 4, 0, 1, l4buf, l4len);
	{
		struct cut cuts[] = {
			{ 4, DR_LINK_TRUNC }, { 28, DR_IPV4_TRUNC },
			{ 36, DR_ICMP_TRUNC },
		};
		sweep("loop/ipv4/icmp", DLT_LOOP_, f, n, cuts, 3);
	}

	/* RAW / IPv4 / later fragment: no L4 header to cut. */
	memset(c, 0xab, 64);
	n = mk_ip4(f, 6, "10.0.0.1", "10.0.0.2", 0, 10, 1, c, 64);
	{
		struct cut cuts[] = {
			{ 1, DR_LINK_TRUNC }, { 20, DR_IPV4_TRUNC },
		};
		sweep("raw/ipv4/frag", DLT_RAW_, f, n, cuts, 2);
	}

	/* IPV6 linktype / later fragment. */
	cl = mk_frag6(c, 17, 3, 0, 5);
	memset(c + cl, 0xcd, 30);
	cl += 30;
	n = mk_ip6(f, 44, S6, D6, c, cl);
	{
		struct cut cuts[] = {
			{ 40, DR_IPV6_TRUNC }, { 48, DR_IPV6_EXT_TRUNC },
		};
		sweep("ipv6/frag", DLT_IPV6_, f, n, cuts, 2);
	}

	/* IPV4 linktype / GRE (no ports). */
	memset(c, 0x11, 40);
	n = mk_ip4(f, 47, "10.0.0.1", "10.0.0.2", 0, 0, 1, c, 40);
	{
		struct cut cuts[] = { { 20, DR_IPV4_TRUNC } };
		sweep("ipv4/gre", DLT_IPV4_, f, n, cuts, 1);
	}

	/* SCTP: ports from the common header; cut shorter, a portless flow */
	struct packet p;
	memset(c, 0, 40);
	c[0] = 0x00; c[1] = 0x07; c[2] = 0x0b; c[3] = 0x59;	/* 7 -> 2905 */
	n = mk_ip4(f, 132, "10.0.0.1", "10.0.0.2", 0, 0, 1, c, 40);
	CHECK_R(dec(&p, DLT_IPV4_, f, n), DR_OK);
	CHECK_INT(p.sport, 7);
	CHECK_INT(p.dport, 2905);
	CHECK_INT(p.payload_len, 28);
	CHECK_R(dec(&p, DLT_IPV4_, f, 20 + 11), DR_OK);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.payload_len, 11);
}

/*
 * Every reason decode can return came up in some test above; DR_OK is
 * among them and DR_FRAG_LATER/DR_UNKNOWN_L4 are never returned.
 */
static void
test_reasons_covered(void)
{
	for (int i = 0; i < DR_MAX; i++) {
		if (i == DR_FRAG_LATER || i == DR_UNKNOWN_L4) {
			CHECK_INT(reason_seen[i], 0);
			continue;
		}
		if (!reason_seen[i])
			fprintf(stderr, "reason %s never produced\n",
			    decode_reason_name((enum bw_decode_reason)i));
		CHECK(reason_seen[i]);
	}
}

/*
 * Deterministic mutation: flip random bytes (mostly in the first 128, where
 * the headers are) of every swept frame and cut it at a random length.  The
 * invariants in dec() and ASan do the checking.
 */
static uint32_t
xorshift(void)
{
	static uint32_t x = 2463534242U;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static void
test_mutations(void)
{
	uint8_t m[1024];
	struct packet p;

	for (size_t k = 0; k < nswept; k++) {
		for (int it = 0; it < 20000; it++) {
			size_t n = swept[k].n, len;
			int flips = 1 + (int)(xorshift() % 4);

			memcpy(m, swept[k].f, n);
			for (int i = 0; i < flips; i++) {
				size_t at = xorshift() % (n < 128 ? n : 128);

				if (xorshift() % 4 == 0)
					at = xorshift() % n;
				m[at] = (uint8_t)xorshift();
			}
			len = xorshift() % 3 ? n : xorshift() % (n + 1);
			(void)dec(&p, swept[k].dlt, m, len);
		}
	}
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
	test_ipv4_options();
	test_ipv4_malformed();
	test_ipv4_fragments();
	test_ipv6_ext();
	test_ipv6_fragments();
	test_tcp();
	test_udp();
	test_icmp();
	test_other_l4();
	test_reset();
	test_reason_names();
	test_addr();
	test_truncation_sweep();
	test_reasons_covered();
	test_mutations();
	free(last_copy);
	CHECK_DONE();
}
