/*
 * test-decode-l4.c - decode_packet() on hand-built frames: TCP, UDP, ICMP
 * and other L4 protocols; then the truncation sweep, which cuts valid
 * frames at every length 0..len and checks both that nothing is read out
 * of bounds and that the reason returned is the one the cut layer
 * deserves; then random mutations of the swept frames.  Frames are decoded
 * from exact-size malloc'ed copies (decode-util.h), so under ASan any
 * read past caplen is a crash, not a silent pass.
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
/* L4                                                                  */

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
	test_tcp();
	test_udp();
	test_icmp();
	test_other_l4();
	test_truncation_sweep();
	check_reasons_covered(PART_L4);
	test_mutations();
	free(last_copy);
	CHECK_DONE();
}
