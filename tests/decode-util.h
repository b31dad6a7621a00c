/*
 * decode-util.h - what the test-decode-* programs share: linktype numbers,
 * frame builders (Ethernet, VLAN tags, SLL, SLL2, NULL/LOOP, IPv4, IPv6 and
 * its extension headers, TCP, UDP, ICMP), dec() which decodes an exact-size
 * malloc'ed copy (so under ASan any read past caplen is a crash, not a
 * silent pass) and checks the invariants that hold for any input, and the
 * record of which reasons were produced.  Header-only, like check.h; the
 * functions are static inline so a program need not use all of them.
 *
 * The decode tests are three programs (link layers; IPv4/IPv6 and
 * fragments; L4 with the truncation sweep and mutations).  Each reason
 * decode can return must come up in the program listed for it in
 * reason_part[] below; a reason added to the enum and not listed there is
 * required of the L4 program, so it cannot slip through unchecked.
 */
#ifndef BW_DECODE_UTIL_H
#define BW_DECODE_UTIL_H

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

static inline void
w16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline void
w32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static inline void
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

static inline size_t
mk_eth(uint8_t *b, uint16_t type)
{
	memcpy(b, mac_d, 6);
	memcpy(b + 6, mac_s, 6);
	w16(b + 12, type);
	return 14;
}

/* One tag: TPID already written by the previous type field. */
static inline size_t
mk_tag(uint8_t *b, uint16_t tci, uint16_t next)
{
	w16(b, tci);
	w16(b + 2, next);
	return 4;
}

static inline size_t
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

static inline size_t
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
static inline size_t
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
static inline size_t
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
static inline size_t
mk_ext(uint8_t *b, uint8_t nh, uint8_t len8)
{
	size_t n = ((size_t)len8 + 1) * 8;

	memset(b, 0, n);
	b[0] = nh;
	b[1] = len8;
	return n;
}

static inline size_t
mk_frag6(uint8_t *b, uint8_t nh, uint16_t off8, int more, uint32_t id)
{
	b[0] = nh;
	b[1] = 0;
	w16(b + 2, (uint16_t)(off8 << 3 | (more ? 1 : 0)));
	w32(b + 4, id);
	return 8;
}

static inline size_t
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

static inline size_t
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

static inline size_t
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
static inline enum bw_decode_reason
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

static inline const char *
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

static inline void
l4_tcp(void)
{
	l4len = mk_tcp(l4buf, 40000, 443, 1000, 2000, 0x18, 512, 0, "hello");
}

static inline void
l4_udp(void)
{
	l4len = mk_udp(l4buf, 5353, 53, "dnsq");
}

static inline size_t
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

static const char *const S6 = "2001:db8:1::10";
static const char *const D6 = "2001:db8:2::20";

/* Frame: Ethernet + IPv6 with chain[0..clen) after the fixed header. */
static inline size_t
ip6_frame(uint8_t *f, uint8_t nh, const uint8_t *chain, size_t clen)
{
	size_t n = mk_eth(f, 0x86dd);

	return n + mk_ip6(f + n, nh, S6, D6, chain, clen);
}

static inline size_t
v4_frame(uint8_t *f, uint8_t proto, const uint8_t *l4, size_t len)
{
	size_t n = mk_eth(f, 0x0800);

	return n + mk_ip4(f + n, proto, "10.1.0.40", "10.50.0.10", 0, 0, 3,
	    l4, len);
}

/*
 * Which program must produce each reason.  DR_FRAG_LATER and DR_UNKNOWN_L4
 * are never returned (dec() checks that on every call); the L4 program
 * also checks they were never seen there.
 */
enum decode_part { PART_NONE, PART_LINK, PART_IP, PART_L4 };

static const enum decode_part reason_part[DR_MAX] = {
	[DR_NOT_IP] = PART_LINK,
	[DR_LINK_TRUNC] = PART_LINK,
	[DR_VLAN_TRUNC] = PART_LINK,
	[DR_TOO_MANY_VLAN] = PART_LINK,
	[DR_IPV4_TRUNC] = PART_IP,
	[DR_IPV4_BAD_VER] = PART_IP,
	[DR_IPV4_BAD_HLEN] = PART_IP,
	[DR_IPV4_BAD_LEN] = PART_IP,
	[DR_IPV6_TRUNC] = PART_IP,
	[DR_IPV6_BAD_VER] = PART_IP,
	[DR_IPV6_EXT_TRUNC] = PART_IP,
	[DR_IPV6_TOO_MANY_EXT] = PART_IP,
	[DR_OK] = PART_L4,
	[DR_TCP_TRUNC] = PART_L4,
	[DR_TCP_BAD_OFF] = PART_L4,
	[DR_UDP_TRUNC] = PART_L4,
	[DR_UDP_BAD_LEN] = PART_L4,
	[DR_ICMP_TRUNC] = PART_L4,
	[DR_ICMPV6_TRUNC] = PART_L4,
	[DR_FRAG_LATER] = PART_L4,
	[DR_UNKNOWN_L4] = PART_L4,
};

/*
 * Every reason of this part came up in some test of the program; a reason
 * with no part is required of the L4 program.
 */
static inline void
check_reasons_covered(enum decode_part part)
{
	for (int i = 0; i < DR_MAX; i++) {
		enum decode_part want = reason_part[i];

		if (want == PART_NONE)
			want = PART_L4;
		if (want != part)
			continue;
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

#endif
