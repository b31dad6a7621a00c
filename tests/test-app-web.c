/*
 * test-app-web.c - the DNS, TLS and HTTP parsers of app.h (app-dns.c,
 * app-tls.c, app-http.c) on hand-built messages and on payloads of real
 * captures from ../shared/pcaps/external.
 *
 * Expected values of the real captures were read with tshark 4.0 (JA3,
 * JA3S, SNI, ALPN, DNS and HTTP fields).  tshark 4.0 has no JA4; the JA4
 * values are the one suricata-verify's ja4-tls test expects and, for the
 * other captures, values computed from tshark's field dump by an
 * independent script following the FoxIO JA4.md rules.
 *
 * Each parser call gets a malloc'ed copy of exactly the bytes it may read,
 * so an ASan build turns any overread into a failure; every real message
 * is also parsed at every truncated length: the result must move from
 * APP_MORE (or APP_NOT for DNS shorter than its header) to APP_OK exactly
 * where the message is complete.  The hand-built part always runs; the
 * capture part needs $BW_SHARED or $srcdir/../shared and the test exits 77
 * (skip) when it is missing and everything else passed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* u_int and friends in pcap.h under -std=c */
#endif

#include <sys/stat.h>

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sensor/app.h"
#include "../sensor/app-flow.h"
#include "../sensor/decode.h"
#include "../sensor/flow.h"
#include "check.h"

/* ---- calling the parsers on exact-size copies ---- */

static uint8_t *
dup_exact(const uint8_t *b, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (c == NULL)
		abort();
	if (n)
		memcpy(c, b, n);
	return c;
}

static int
dns(const uint8_t *b, size_t n, struct dns_info *o)
{
	uint8_t *c = dup_exact(b, n);
	int rc = app_dns_parse(c, n, o);
	free(c);
	return rc;
}

static int
tls(const uint8_t *b, size_t n, struct tls_info *o)
{
	uint8_t *c = dup_exact(b, n);
	int rc = app_tls_parse(c, n, o);
	free(c);
	return rc;
}

static int
http(const uint8_t *b, size_t n, struct http_info *o)
{
	uint8_t *c = dup_exact(b, n);
	int rc = app_http_parse(c, n, o);
	free(c);
	return rc;
}

static int
any_rc(int which, const uint8_t *b, size_t n)
{
	static struct dns_info d;	/* test-only scratch, too big for the stack twice */
	struct tls_info t;
	struct http_info h;

	if (which == 0)
		return dns(b, n, &d);
	if (which == 1)
		return tls(b, n, &t);
	return http(b, n, &h);
}

/*
 * Every prefix of b: APP_OK from okfrom on, before it APP_MORE (DNS: APP_NOT
 * below the 12-byte header).  One CHECK per sweep, naming the first bad
 * length.
 */
static void
sweep(const char *what, int which, const uint8_t *b, size_t n, size_t okfrom)
{
	size_t bad = (size_t)-1;
	int badrc = 0;

	for (size_t k = 0; k <= n; k++) {
		int rc = any_rc(which, b, k), want;

		if (k >= okfrom)
			want = APP_OK;
		else if (which == 0 && k < 12)
			want = APP_NOT;
		else
			want = APP_MORE;
		if (rc != want && bad == (size_t)-1) {
			bad = k;
			badrc = rc;
		}
	}
	check_count++;
	if (bad != (size_t)-1) {
		check_failures++;
		fprintf(stderr, "%s: prefix of %zu/%zu bytes gave %d\n", what,
		    bad, n, badrc);
	}
}

/* ---- a small message builder ---- */

struct mb {
	uint8_t	 b[4096];
	size_t	 n;
};

static void
b8(struct mb *m, unsigned v)
{
	if (m->n < sizeof(m->b))
		m->b[m->n++] = (uint8_t)v;
}

static void
b16(struct mb *m, unsigned v)
{
	b8(m, v >> 8);
	b8(m, v);
}

static void
b32(struct mb *m, uint32_t v)
{
	b16(m, v >> 16);
	b16(m, v & 0xffff);
}

static void
bmem(struct mb *m, const void *p, size_t k)
{
	for (size_t i = 0; i < k; i++)
		b8(m, ((const uint8_t *)p)[i]);
}

/* "www.example.com" as labels ending with the root label */
static void
bname(struct mb *m, const char *s)
{
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t k = dot ? (size_t)(dot - s) : strlen(s);
		b8(m, (unsigned)k);
		bmem(m, s, k);
		s += k + (dot ? 1 : 0);
	}
	b8(m, 0);
}

/* Patch a 16-bit length at off to cover everything after it. */
static void
blen16(struct mb *m, size_t off)
{
	size_t k = m->n - off - 2;
	m->b[off] = (uint8_t)(k >> 8);
	m->b[off + 1] = (uint8_t)k;
}

static void
blen24(struct mb *m, size_t off)
{
	size_t k = m->n - off - 3;
	m->b[off] = (uint8_t)(k >> 16);
	m->b[off + 1] = (uint8_t)(k >> 8);
	m->b[off + 2] = (uint8_t)k;
}

/* ---- DNS, hand-built ---- */

static void
dns_header(struct mb *m, unsigned id, unsigned flags, unsigned qd, unsigned an,
    unsigned ns, unsigned ar)
{
	m->n = 0;
	b16(m, id); b16(m, flags); b16(m, qd); b16(m, an); b16(m, ns); b16(m, ar);
}

/* An answer whose owner is a pointer to the question name (offset 12). */
static void
dns_rr(struct mb *m, unsigned type, uint32_t ttl, const void *rd, size_t k)
{
	b16(m, 0xc00c); b16(m, type); b16(m, 1); b32(m, ttl); b16(m, (unsigned)k);
	bmem(m, rd, k);
}

static void
test_dns_hand(void)
{
	static const uint8_t a4[] = { 192, 0, 2, 1 };
	static const uint8_t a6[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0xbe, 0xef };
	static const uint8_t cname[] = { 3, 'w', 'e', 'b', 0xc0, 0x14 };
	static const uint8_t mx[] = { 0, 10, 4, 'M', 'a', 'i', 'l', 0xc0, 0x14 };
	static const uint8_t txt[] = { 7, 'v', '=', 's', 'p', 'f', '1', ' ',
	    3, 'a', 'l', 'l' };
	static const uint8_t srv[] = { 0, 1, 0, 2, 0x01, 0xbb, 3, 's', 'r', 'v',
	    0xc0, 0x14 };
	static const uint8_t soa[] = { 2, 'n', 's', 0xc0, 0x14, 0xc0, 0x14,
	    0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5 };
	static const uint8_t ptr[] = { 0xc0, 0x0c };
	static struct dns_info d;
	struct mb m;
	char buf[16];
	size_t full;

	/* Query: mixed case lower-cased, flags split out. */
	dns_header(&m, 0xbeef, 0x0100, 1, 0, 0, 0);
	bname(&m, "WWW.Example.COM");
	b16(&m, 28); b16(&m, 1);
	CHECK_INT(dns(m.b, m.n, &d), APP_OK);
	CHECK_INT(d.id, 0xbeef);
	CHECK_INT(d.qr, 0);
	CHECK_INT(d.rd, 1);
	CHECK_STR(d.qname, "www.example.com");
	CHECK_INT(d.qtype, 28);
	CHECK_INT(d.qclass, 1);
	sweep("dns hand query", 0, m.b, m.n, m.n);

	/* Response with one answer of each decoded type (10 > 8 kept). */
	dns_header(&m, 7, 0x8583, 1, 10, 0, 0);
	bname(&m, "Example.COM");	/* 12: 7example, 20: 3com, 24: 0 */
	b16(&m, 255); b16(&m, 1);
	dns_rr(&m, 1, 60, a4, sizeof(a4));
	dns_rr(&m, 28, 61, a6, sizeof(a6));
	dns_rr(&m, 5, 62, cname, sizeof(cname));
	dns_rr(&m, 15, 63, mx, sizeof(mx));
	dns_rr(&m, 16, 64, txt, sizeof(txt));
	dns_rr(&m, 33, 65, srv, sizeof(srv));
	dns_rr(&m, 6, 66, soa, sizeof(soa));
	dns_rr(&m, 12, 67, ptr, sizeof(ptr));
	dns_rr(&m, 2, 68, ptr, sizeof(ptr));
	dns_rr(&m, 99, 69, txt, sizeof(txt));	/* walked, not kept */
	full = m.n;
	CHECK_INT(dns(m.b, m.n, &d), APP_OK);
	CHECK_INT(d.qr, 1);
	CHECK_INT(d.aa, 1);
	CHECK_INT(d.rd, 1);
	CHECK_INT(d.ra, 1);
	CHECK_INT(d.rcode, 3);
	CHECK_INT(d.ancount, 10);
	CHECK_INT(d.nanswers, DNS_MAX_ANSWERS);
	CHECK_STR(d.answers[0].rrname, "example.com");
	CHECK_STR(d.answers[0].rdata, "192.0.2.1");
	CHECK_INT(d.answers[0].ttl, 60);
	CHECK_STR(d.answers[1].rdata, "2001:0db8:0000:0000:0000:0000:0000:beef");
	CHECK_STR(d.answers[2].rdata, "web.com");
	CHECK_STR(d.answers[3].rdata, "mail.com");
	CHECK_STR(d.answers[4].rdata, "v=spf1 all");
	CHECK_STR(d.answers[5].rdata, "srv.com");
	CHECK_STR(d.answers[6].rdata, "ns.com");
	CHECK_STR(d.answers[7].rdata, "example.com");
	CHECK_INT(d.answers[7].rrtype, 12);
	sweep("dns hand response", 0, m.b, m.n, full);

	/* Bytes outside printable ASCII in a label come out as \xNN. */
	dns_header(&m, 1, 0, 1, 0, 0, 0);
	b8(&m, 4); b8(&m, 'a'); b8(&m, 0); b8(&m, 0xff); b8(&m, '\n'); b8(&m, 0);
	b16(&m, 1); b16(&m, 1);
	CHECK_INT(dns(m.b, m.n, &d), APP_OK);
	CHECK_STR(d.qname, "a\\x00\\xff\\x0a");

	/* Root name. */
	dns_header(&m, 1, 0, 1, 0, 0, 0);
	b8(&m, 0); b16(&m, 2); b16(&m, 1);
	CHECK_INT(dns(m.b, m.n, &d), APP_OK);
	CHECK_STR(d.qname, "");

	/* A pointer to itself, forwards, or into a loop: malformed. */
	dns_header(&m, 1, 0, 1, 0, 0, 0);
	b16(&m, 0xc00c); b16(&m, 1); b16(&m, 1);
	CHECK_INT(dns(m.b, m.n, &d), APP_NOT);
	dns_header(&m, 1, 0, 1, 0, 0, 0);
	b16(&m, 0xc010); b16(&m, 1); b16(&m, 1); b8(&m, 1); b8(&m, 'x'); b8(&m, 0);
	CHECK_INT(dns(m.b, m.n, &d), APP_NOT);
	dns_header(&m, 1, 0x8000, 1, 1, 0, 0);
	bname(&m, "a");				/* 12: 1a 0 */
	b16(&m, 1); b16(&m, 1);
	b8(&m, 1); b8(&m, 'b'); b16(&m, 0xc013);	/* 19: "b" then itself */
	b16(&m, 1); b16(&m, 1); b32(&m, 0); b16(&m, 4); bmem(&m, a4, 4);
	CHECK_INT(dns(m.b, m.n, &d), APP_NOT);

	/* Chains of pointers each to the one before, hidden in the rdata of
	 * an opaque first answer and used by the second: 20 jumps are fine,
	 * 40 are over the limit. */
	for (int len = 20; len <= 40; len += 20) {
		size_t last = 0;
		dns_header(&m, 1, 0x8000, 1, 2, 0, 0);
		bname(&m, "a");
		b16(&m, 1); b16(&m, 1);
		b16(&m, 0xc00c); b16(&m, 0xff00); b16(&m, 1); b32(&m, 0);
		b16(&m, (unsigned)(2 * (len - 1)));
		for (int i = 0; i < len - 1; i++) {
			b16(&m, i == 0 ? 0xc00c : (unsigned)(0xc000 | last));
			last = m.n - 2;
		}
		b16(&m, (unsigned)(0xc000 | last));
		b16(&m, 1); b16(&m, 1); b32(&m, 0); b16(&m, 4); bmem(&m, a4, 4);
		CHECK_INT(dns(m.b, m.n, &d), len == 20 ? APP_OK : APP_NOT);
		if (len == 20) {
			CHECK_INT(d.nanswers, 2);
			CHECK_STR(d.answers[1].rrname, "a");
			CHECK_STR(d.answers[1].rdata, "192.0.2.1");
		}
	}

	/* Label types 0x40 and 0x80 are not names. */
	dns_header(&m, 1, 0, 1, 0, 0, 0);
	b8(&m, 0x41); b8(&m, 'x'); b8(&m, 0); b16(&m, 1); b16(&m, 1);
	CHECK_INT(dns(m.b, m.n, &d), APP_NOT);

	/* A name over 255 bytes is kept cut, not overrun. */
	dns_header(&m, 1, 0, 1, 0, 0, 0);
	for (int i = 0; i < 5; i++) {
		b8(&m, 63);
		for (int j = 0; j < 63; j++)
			b8(&m, 'a' + i);
	}
	b8(&m, 0); b16(&m, 1); b16(&m, 1);
	CHECK_INT(dns(m.b, m.n, &d), APP_OK);
	CHECK(strlen(d.qname) < sizeof(d.qname));
	CHECK(strncmp(d.qname, "aaaa", 4) == 0);

	/* Unassigned opcode, short header, counts that cannot fit. */
	dns_header(&m, 1, 0x1800, 1, 0, 0, 0);
	bname(&m, "a"); b16(&m, 1); b16(&m, 1);
	CHECK_INT(dns(m.b, m.n, &d), APP_NOT);
	CHECK_INT(dns(m.b, 11, &d), APP_NOT);
	dns_header(&m, 1, 0, 1, 0xffff, 0, 0);
	bname(&m, "a"); b16(&m, 1); b16(&m, 1);
	CHECK_INT(dns(m.b, m.n, &d), APP_MORE);
	CHECK_INT(app_dns_parse(NULL, 0, &d), APP_NOT);

	CHECK_STR(app_dns_type_name(1, buf, sizeof(buf)), "A");
	CHECK_STR(app_dns_type_name(28, buf, sizeof(buf)), "AAAA");
	CHECK_STR(app_dns_type_name(65, buf, sizeof(buf)), "HTTPS");
	CHECK_STR(app_dns_type_name(4242, buf, sizeof(buf)), "4242");
	CHECK_STR(app_dns_rcode_name(0, buf, sizeof(buf)), "NOERROR");
	CHECK_STR(app_dns_rcode_name(3, buf, sizeof(buf)), "NXDOMAIN");
	CHECK_STR(app_dns_rcode_name(5, buf, sizeof(buf)), "REFUSED");
	CHECK_STR(app_dns_rcode_name(12, buf, sizeof(buf)), "12");
	CHECK_STR(app_dns_rcode_name(16, buf, sizeof(buf)), "BADVERS/BADSIG");
}

/* ---- TLS, hand-built ---- */

/*
 * The ClientHello of the FoxIO JA4.md example (ciphers, extensions and
 * signature algorithms in its order), with GREASE added, in one record.
 * alpn0/alpn0_len: the first ALPN value.
 */
static void
client_hello(struct mb *m, const uint8_t *alpn0, size_t alpn0_len)
{
	static const unsigned ciphers[] = { 0x0a0a, 0x1301, 0x1302, 0x1303,
	    0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
	    0x009c, 0x009d, 0x002f, 0x0035 };
	static const unsigned exts[] = { 0x1a1a, 0x001b, 0x0000, 0x0033,
	    0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012,
	    0x002b, 0xff01, 0x000b, 0x000a, 0x0015, 0x2a2a };
	static const unsigned sigalgs[] = { 0x0403, 0x0804, 0x0401, 0x0503,
	    0x0805, 0x0501, 0x0806, 0x0601 };
	size_t rec, hs, cl, el, xl, ll;

	m->n = 0;
	b8(m, 22); b16(m, 0x0301); rec = m->n; b16(m, 0);
	b8(m, 1); hs = m->n; b8(m, 0); b16(m, 0);
	b16(m, 0x0303);
	for (int i = 0; i < 32; i++)
		b8(m, (unsigned)i);
	b8(m, 0);				/* session id */
	cl = m->n; b16(m, 0);
	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
		b16(m, ciphers[i]);
	blen16(m, cl);
	b8(m, 1); b8(m, 0);			/* compression: null */
	el = m->n; b16(m, 0);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		b16(m, exts[i]);
		xl = m->n; b16(m, 0);
		switch (exts[i]) {
		case 0x0000:
			ll = m->n; b16(m, 0);
			b8(m, 0); b16(m, 11); bmem(m, "example.com", 11);
			blen16(m, ll);
			break;
		case 0x0010:
			ll = m->n; b16(m, 0);
			b8(m, (unsigned)alpn0_len); bmem(m, alpn0, alpn0_len);
			b8(m, 8); bmem(m, "http/1.1", 8);
			blen16(m, ll);
			break;
		case 0x000d:
			ll = m->n; b16(m, 0);
			for (size_t j = 0; j < 8; j++)
				b16(m, sigalgs[j]);
			blen16(m, ll);
			break;
		case 0x002b:
			b8(m, 6); b16(m, 0x3a3a); b16(m, 0x0304); b16(m, 0x0303);
			break;
		case 0x000a:
			b16(m, 8); b16(m, 0x4a4a); b16(m, 0x001d); b16(m, 0x0017);
			b16(m, 0x0018);
			break;
		case 0x000b:
			b8(m, 1); b8(m, 0);
			break;
		case 0x2a2a:
			b8(m, 0);
			break;
		}
		blen16(m, xl);
	}
	blen16(m, el);
	blen24(m, hs);
	blen16(m, rec);
}

/* The same handshake bytes re-cut into records of the given sizes. */
static size_t
rerecord(const struct mb *in, const size_t *cuts, size_t ncuts, struct mb *out)
{
	const uint8_t *body = in->b + 5;
	size_t left = in->n - 5, p = 0;

	out->n = 0;
	for (size_t i = 0; left > 0; i++) {
		size_t k = i < ncuts && cuts[i] < left ? cuts[i] : left;
		b8(out, 22); b16(out, 0x0303); b16(out, (unsigned)k);
		bmem(out, body + p, k);
		p += k;
		left -= k;
	}
	return out->n;
}

static void
test_tls_hand(void)
{
	static const size_t cuts[] = { 1, 2, 40, 3 };
	static const uint8_t h2[] = { 'h', '2' }, odd[] = { 0x30, 0xab };
	struct tls_info t;
	struct mb m, r;

	client_hello(&m, h2, 2);
	CHECK_INT(tls(m.b, m.n, &t), APP_OK);
	CHECK_INT(t.is_client_hello, 1);
	CHECK_INT(t.record_version, 0x0301);
	CHECK_INT(t.hello_version, 0x0303);
	CHECK_INT(t.version, 0x0304);
	CHECK_STR(t.sni, "example.com");
	CHECK_STR(t.alpn, "h2,http/1.1");
	CHECK_STR(t.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
	CHECK_STR(t.ja3_string, "771,4865-4866-4867-49195-49199-49196-49200-"
	    "52393-52392-49171-49172-156-157-47-53,27-0-51-16-17513-23-45-13-"
	    "5-35-18-43-65281-11-10-21,29-23-24,0");
	CHECK_STR(t.ja3, "c000e2caf3a25423f9de6c8a4b12a975");
	CHECK_STR(app_tls_version_name(t.version), "TLS 1.3");
	sweep("tls hand hello", 1, m.b, m.n, m.n);

	/* The hello cut into 1-, 2-, 40-, 3-byte and a last record. */
	rerecord(&m, cuts, 4, &r);
	CHECK_INT(tls(r.b, r.n, &t), APP_OK);
	CHECK_STR(t.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
	CHECK_STR(t.ja3, "c000e2caf3a25423f9de6c8a4b12a975");
	CHECK_STR(t.sni, "example.com");
	sweep("tls hand hello in records", 1, r.b, r.n, r.n);
	/* An alert record inside the hello: not a handshake stream. */
	r.b[5 + 1] = 21;
	CHECK_INT(tls(r.b, r.n, &t), APP_NOT);

	/* Non-alphanumeric ALPN characters go as hex (JA4.md). */
	client_hello(&m, odd, 2);
	CHECK_INT(tls(m.b, m.n, &t), APP_OK);
	CHECK(strncmp(t.ja4, "t13d15163b_", 11) == 0);
	CHECK_STR(t.alpn, "0\\xab,http/1.1");

	/* Not TLS: SSLv2 hello, HTTP, a handshake that is not a hello,
	 * an impossible record length. */
	{
		static const uint8_t v2[] = { 0x80, 0x2e, 0x01, 0x00, 0x02 };
		static const uint8_t cert[] = { 22, 3, 3, 0, 4, 11, 0, 0, 0 };
		static const uint8_t big[] = { 22, 3, 1, 0xff, 0xff, 1 };
		CHECK_INT(tls(v2, sizeof(v2), &t), APP_NOT);
		CHECK_INT(tls((const uint8_t *)"GET / HTTP/1.1\r\n", 16, &t),
		    APP_NOT);
		CHECK_INT(tls(cert, sizeof(cert), &t), APP_NOT);
		CHECK_INT(tls(big, sizeof(big), &t), APP_NOT);
		CHECK_INT(tls(cert, 0, &t), APP_MORE);
		CHECK_INT(app_tls_parse(NULL, 0, &t), APP_NOT);
	}

	/* A bad inner length (cipher list past the message): malformed. */
	client_hello(&m, h2, 2);
	m.b[5 + 4 + 2 + 32 + 1] = 0xff;
	CHECK_INT(tls(m.b, m.n, &t), APP_NOT);

	/* ServerHello: TLS 1.3 via supported_versions, ALPN selected. */
	{
		size_t rec, hs, el, xl;

		m.n = 0;
		b8(&m, 22); b16(&m, 0x0303); rec = m.n; b16(&m, 0);
		b8(&m, 2); hs = m.n; b8(&m, 0); b16(&m, 0);
		b16(&m, 0x0303);
		for (int i = 0; i < 32; i++)
			b8(&m, 0xaa);
		b8(&m, 0);
		b16(&m, 0x1301);
		b8(&m, 0);
		el = m.n; b16(&m, 0);
		b16(&m, 0x002b); b16(&m, 2); b16(&m, 0x0304);
		b16(&m, 0x0010); xl = m.n; b16(&m, 0); b16(&m, 3);
		b8(&m, 2); bmem(&m, "h2", 2); blen16(&m, xl);
		blen16(&m, el);
		blen24(&m, hs);
		blen16(&m, rec);
		CHECK_INT(tls(m.b, m.n, &t), APP_OK);
		CHECK_INT(t.is_server_hello, 1);
		CHECK_INT(t.version, 0x0304);
		CHECK_INT(t.cipher, 0x1301);
		CHECK_STR(t.alpn, "h2");
		CHECK_STR(t.ja3_string, "771,4865,43-16");
		CHECK_STR(t.ja3, "2b83a23dea22815f9c4ffaaeaebdc796");
		CHECK_STR(t.ja4, "");
		sweep("tls hand server hello", 1, m.b, m.n, m.n);
	}

	CHECK_STR(app_tls_version_name(0x0303), "TLS 1.2");
	CHECK_STR(app_tls_version_name(0x0301), "TLSv1");
	CHECK_STR(app_tls_version_name(0x0300), "SSLv3");
	CHECK_STR(app_tls_version_name(0x7f1c), "TLS 1.3 draft-28");
	CHECK_STR(app_tls_version_name(0), "UNDETERMINED");
}

/* ---- HTTP, hand-built ---- */

static int
http_str(const char *s, struct http_info *h)
{
	return http((const uint8_t *)s, strlen(s), h);
}

/*
 * A flow's summary of its ClientHello (app-meta.c): JA3, JA4 and the ALPN
 * list share one allocation, and a part still empty is filled by a later
 * hello while a part once set stays, as with separate strings.
 */
static void
test_tls_flow(void)
{
	static const uint8_t h2[] = { 'h', '2' }, odd[] = { 0x30, 0xab };
	struct app_ctx *a = app_new(16);
	const struct tls_flow *t;
	struct packet p;
	struct flow f;
	struct mb m;

	CHECK(a != NULL);
	memset(&f, 0, sizeof(f));
	f.key.proto = 6;
	f.key.port[0] = 40000;
	f.key.port[1] = 443;
	memset(&p, 0, sizeof(p));
	p.proto = 6;
	p.ts_ns = 1000000000LL;

	/* the inventory pass computes no fingerprints: ALPN only */
	app_set_inventory_only(a, 1);
	client_hello(&m, h2, 2);
	p.payload = m.b;
	p.payload_len = p.payload_wire = (uint32_t)m.n;
	p.tcp_seq = 1;
	app_packet(a, &f, DIR_TOSERVER, &p);
	CHECK(f.ext != NULL && (t = flow_tls(f.ext)) != NULL);
	CHECK(flow_http(f.ext) == NULL);
	CHECK(flow_tls_hello(t, TLS_HELLO_JA3) == NULL);
	CHECK(flow_tls_hello(t, TLS_HELLO_JA4) == NULL);
	CHECK_STR(flow_tls_hello(t, TLS_HELLO_ALPN), "h2,http/1.1");

	/* a hello the other way with fingerprints: they fill in, the ALPN
	 * list already known stays */
	app_set_inventory_only(a, 0);
	client_hello(&m, odd, 2);
	p.tcp_seq = 5000;
	app_packet(a, &f, DIR_TOCLIENT, &p);
	CHECK_STR(flow_tls_hello(t, TLS_HELLO_JA3),
	    "c000e2caf3a25423f9de6c8a4b12a975");
	CHECK(flow_tls_hello(t, TLS_HELLO_JA4) != NULL &&
	    strncmp(flow_tls_hello(t, TLS_HELLO_JA4), "t13d15163b_", 11) == 0);
	CHECK_STR(flow_tls_hello(t, TLS_HELLO_ALPN), "h2,http/1.1");
	flow_ext_free(f.ext);
	app_free(a);
}

static void
test_http_hand(void)
{
	static const char req[] = "GET /a?b=c HTTP/1.1\r\n"
	    "HOST:  Web.Example.COM:8080 \r\n"
	    "user-AGENT: curl/8.0\r\n"
	    "Content-Length: 12\r\n"
	    "\r\nbody";
	struct http_info h;
	char big[10000];

	CHECK_INT(http_str(req, &h), APP_OK);
	CHECK_INT(h.is_request, 1);
	CHECK_STR(h.method, "GET");
	CHECK_STR(h.uri, "/a?b=c");
	CHECK_STR(h.protocol, "HTTP/1.1");
	CHECK_STR(h.host, "web.example.com");
	CHECK_INT(h.host_port, 8080);
	CHECK_STR(h.user_agent, "curl/8.0");
	CHECK_INT(h.content_length, 12);
	sweep("http hand request", 2, (const uint8_t *)req, strlen(req),
	    strlen(req) - 4);

	/* LF-only lines, leading empty line, response without a reason. */
	CHECK_INT(http_str("\r\nHTTP/1.0 204\nServer: x\nContent-Type: a/b\n\n",
	    &h), APP_OK);
	CHECK_INT(h.is_request, 0);
	CHECK_INT(h.status, 204);
	CHECK_STR(h.protocol, "HTTP/1.0");
	CHECK_STR(h.server, "x");
	CHECK_STR(h.content_type, "a/b");

	/* Host forms: IPv6 literal, trailing dot, absolute URI wins. */
	CHECK_INT(http_str("GET / HTTP/1.1\r\nHost: [2001:db8::1]:81\r\n\r\n",
	    &h), APP_OK);
	CHECK_STR(h.host, "[2001:db8::1]");
	CHECK_INT(h.host_port, 81);
	CHECK_INT(http_str("GET / HTTP/1.1\r\nHost: bmc.lan.\r\n\r\n", &h),
	    APP_OK);
	CHECK_STR(h.host, "bmc.lan");
	CHECK_INT(h.host_port, 0);
	CHECK_INT(http_str("GET http://u@Proxy.Example:3128/x HTTP/1.1\r\n"
	    "Host: other\r\n\r\n", &h), APP_OK);
	CHECK_STR(h.host, "proxy.example");
	CHECK_INT(h.host_port, 3128);
	CHECK_STR(h.uri, "http://u@Proxy.Example:3128/x");

	/* Control bytes in a value are escaped; a raw space in a target is
	 * kept. */
	CHECK_INT(http_str("GET /a b HTTP/1.1\r\nUser-Agent: a\x01z\r\n\r\n",
	    &h), APP_OK);
	CHECK_STR(h.uri, "/a b");
	CHECK_STR(h.user_agent, "a\\x01z");

	/* Incomplete but plausible: more.  Never HTTP: not. */
	CHECK_INT(http_str("", &h), APP_MORE);
	CHECK_INT(http_str("HTT", &h), APP_MORE);
	CHECK_INT(http_str("POST /x HTTP/1.1\r\nHost: a", &h), APP_MORE);
	CHECK_INT(http_str("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", &h), APP_NOT);
	CHECK_INT(http_str("SSH-", &h), APP_MORE);
	CHECK_INT(http_str("SSH-2", &h), APP_NOT);
	CHECK_INT(http((const uint8_t *)"\x16\x03\x01\x02\x00\x01", 6, &h),
	    APP_NOT);
	CHECK_INT(http_str("GET /\r\n\r\n", &h), APP_NOT);	/* HTTP/0.9 */
	CHECK_INT(http_str("get / HTTP/1.1\r\n\r\n", &h), APP_NOT);
	CHECK_INT(http_str("GET / HTTP/1.1x\r\n\r\n", &h), APP_NOT);
	CHECK_INT(http_str("HTTP/1.1 2x0 OK\r\n\r\n", &h), APP_NOT);
	CHECK_INT(http_str("GET  HTTP/1.1\r\n\r\n", &h), APP_NOT);
	CHECK_INT(app_http_parse(NULL, 0, &h), APP_NOT);

	/* 8 KB limit: headers never ending are OK with what was read; a
	 * start line longer than the limit is not HTTP. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET / HTTP/1.1\r\nHost: h\r\nX: ", 28);
	CHECK_INT(http((const uint8_t *)big, 8191, &h), APP_MORE);
	CHECK_INT(http((const uint8_t *)big, sizeof(big), &h), APP_OK);
	CHECK_STR(h.host, "h");
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	CHECK_INT(http((const uint8_t *)big, sizeof(big), &h), APP_NOT);
	CHECK_INT(http((const uint8_t *)big, 4000, &h), APP_MORE);
}

/* ---- real captures ---- */

struct seg {
	uint8_t		*d;
	size_t		 n;
	uint16_t	 sport, dport;
	uint8_t		 proto;
};

struct cap {
	struct seg	*v;
	size_t		 n;
};

static char shared[4096];

/* TCP and UDP payloads of dir/name in capture order; -1 if unreadable. */
static int
load(const char *name, struct cap *c)
{
	char path[8192], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t cap = 0;
	pcap_t *pc;
	int dlt;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/pcaps/external/%s", shared, name);
	if ((pc = pcap_open_offline(path, err)) == NULL) {
		fprintf(stderr, "%s: %s\n", path, err);
		check_count++;
		check_failures++;
		return -1;
	}
	dlt = pcap_datalink(pc);
	while (pcap_next_ex(pc, &h, &data) == 1) {
		struct packet p;

		memset(&p, 0, sizeof(p));
		if (decode_packet(&p, dlt, data, h->caplen) != DR_OK ||
		    p.payload_len == 0 || (p.proto != 6 && p.proto != 17))
			continue;
		if (c->n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((c->v = realloc(c->v, cap * sizeof(*c->v))) == NULL)
				abort();
		}
		c->v[c->n].d = dup_exact(p.payload, p.payload_len);
		c->v[c->n].n = p.payload_len;
		c->v[c->n].sport = p.sport;
		c->v[c->n].dport = p.dport;
		c->v[c->n].proto = p.proto;
		c->n++;
	}
	pcap_close(pc);
	return 0;
}

static void
cap_free(struct cap *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].d);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* The payloads from sport to dport concatenated (the captures used have
 * no loss or retransmission in the parts read). */
static uint8_t *
stream(const struct cap *c, uint16_t sport, uint16_t dport, size_t *n)
{
	uint8_t *s = NULL;

	*n = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i].proto != 6 || c->v[i].sport != sport ||
		    c->v[i].dport != dport)
			continue;
		if ((s = realloc(s, *n + c->v[i].n)) == NULL)
			abort();
		memcpy(s + *n, c->v[i].d, c->v[i].n);
		*n += c->v[i].n;
	}
	return s;
}

/* ---- DNS ---- */

static void
pcap_dns(void)
{
	static struct dns_info d;
	struct cap c;
	uint8_t *s;
	size_t n;
	char what[128];

	if (load("tcpdump-dns_udp.pcap", &c) == 0 && c.n == 2) {
		CHECK_INT(dns(c.v[0].d, c.v[0].n, &d), APP_OK);
		CHECK_INT(d.id, 0x5934);
		CHECK_INT(d.qr, 0);
		CHECK_INT(d.rd, 1);
		CHECK_STR(d.qname, "www.tcpdump.org");
		CHECK_INT(d.qtype, 1);
		CHECK_INT(d.arcount, 1);
		CHECK_INT(dns(c.v[1].d, c.v[1].n, &d), APP_OK);
		CHECK_INT(d.qr, 1);
		CHECK_INT(d.aa, 1);
		CHECK_INT(d.ra, 0);
		CHECK_INT(d.rcode, 0);
		CHECK_INT(d.ancount, 2);
		CHECK_INT(d.nscount, 2);
		CHECK_INT(d.arcount, 5);
		CHECK_INT(d.nanswers, 2);
		CHECK_STR(d.answers[0].rrname, "www.tcpdump.org");
		CHECK_INT(d.answers[0].rrtype, 1);
		CHECK_INT(d.answers[0].ttl, 60);
		CHECK_STR(d.answers[0].rdata, "192.139.46.66");
		CHECK_STR(d.answers[1].rdata, "198.199.88.104");
		sweep("dns_udp query", 0, c.v[0].d, c.v[0].n, c.v[0].n);
		sweep("dns_udp response", 0, c.v[1].d, c.v[1].n, c.v[1].n);
	} else
		CHECK(!"tcpdump-dns_udp.pcap: 2 payloads");
	cap_free(&c);

	/* TCP: the message follows its 2-byte length. */
	if (load("tcpdump-dns_tcp.pcap", &c) == 0 && c.n == 2) {
		for (int i = 0; i < 2; i++) {
			s = stream(&c, c.v[i].sport, c.v[i].dport, &n);
			CHECK(n > 2 && (size_t)(s[0] << 8 | s[1]) == n - 2);
			CHECK_INT(dns(s + 2, n - 2, &d), APP_OK);
			CHECK_INT(d.id, 0x4319);
			CHECK_STR(d.qname, "www.tcpdump.org");
			CHECK_INT(d.qr, i);
			if (i == 1) {
				CHECK_INT(d.nanswers, 2);
				CHECK_STR(d.answers[1].rdata, "198.199.88.104");
			}
			snprintf(what, sizeof(what), "dns_tcp %d", i);
			sweep(what, 0, s + 2, n - 2, n - 2);
			free(s);
		}
	} else
		CHECK(!"tcpdump-dns_tcp.pcap: 2 payloads");
	cap_free(&c);

	if (load("ndpi-dns_long_domainname.pcap", &c) == 0 && c.n == 2) {
		CHECK_INT(dns(c.v[0].d, c.v[0].n, &d), APP_OK);
		CHECK_STR(d.qname, "gmr02c.16.0.fhkfhsdkfhsk.tunnel.example.com");
		CHECK_INT(dns(c.v[1].d, c.v[1].n, &d), APP_OK);
		CHECK_INT(d.rcode, 3);
		CHECK_INT(d.nanswers, 0);
		CHECK_INT(d.nscount, 1);
		sweep("dns_long_domainname", 0, c.v[1].d, c.v[1].n, c.v[1].n);
	} else
		CHECK(!"ndpi-dns_long_domainname.pcap");
	cap_free(&c);

	if (load("zeek-dns-corrupt.pcap", &c) == 0 && c.n == 2) {
		CHECK_INT(dns(c.v[1].d, c.v[1].n, &d), APP_OK);
		CHECK_STR(d.qname, "zeek.org");
		CHECK_INT(d.nanswers, 2);
		CHECK_STR(d.answers[0].rrname, "zeek.org");
		CHECK_STR(d.answers[0].rdata, "192.0.78.212");
		CHECK_STR(d.answers[1].rdata, "192.0.78.150");
		CHECK_INT(d.answers[1].ttl, 60);
		sweep("dns-corrupt", 0, c.v[1].d, c.v[1].n, c.v[1].n);
	} else
		CHECK(!"zeek-dns-corrupt.pcap");
	cap_free(&c);

	/* Answer k's owner is a chain of k-1 pointers: within the limit. */
	if (load("zeek-dns-max-compression-depth.pcap", &c) == 0 && c.n == 1) {
		CHECK_INT(dns(c.v[0].d, c.v[0].n, &d), APP_OK);
		CHECK_INT(d.nanswers, 7);
		for (int i = 0; i < 7; i++) {
			snprintf(what, sizeof(what), "127.0.0.%d", i + 1);
			CHECK_STR(d.answers[i].rrname, "a");
			CHECK_STR(d.answers[i].rdata, what);
		}
		sweep("dns-max-compression-depth", 0, c.v[0].d, c.v[0].n,
		    c.v[0].n);
	} else
		CHECK(!"zeek-dns-max-compression-depth.pcap");
	cap_free(&c);

	/* The second question and the CNAME are names over 255 bytes
	 * (tshark: "<Name too long>"): kept cut to fit. */
	if (load("ndpi-malformed_dns.pcap", &c) == 0 && c.n == 6) {
		CHECK_INT(dns(c.v[0].d, c.v[0].n, &d), APP_OK);
		CHECK_STR(d.qname, "www.xt.com");
		for (size_t i = 1; i < c.n; i++) {
			if (c.v[i].n < 100)
				continue;
			CHECK_INT(dns(c.v[i].d, c.v[i].n, &d), APP_OK);
			CHECK_INT(d.qdcount, 2);
			CHECK_INT(d.nanswers, 2);
			CHECK_STR(d.answers[0].rdata, "66.66.66.66");
			CHECK_INT(d.answers[1].rrtype, 5);
			CHECK(strlen(d.answers[1].rdata) > 200);
		}
		sweep("malformed_dns", 0, c.v[1].d, c.v[1].n, c.v[1].n);
	} else
		CHECK(!"ndpi-malformed_dns.pcap");
	cap_free(&c);

	/* The response was cut by the snaplen: not a whole message. */
	if (load("tcpdump-dns_udp_2-snaplen.pcap", &c) == 0 && c.n == 2) {
		CHECK_INT(dns(c.v[0].d, c.v[0].n, &d), APP_OK);
		CHECK_INT(dns(c.v[1].d, c.v[1].n, &d), APP_MORE);
	} else
		CHECK(!"tcpdump-dns_udp_2-snaplen.pcap");
	cap_free(&c);

	if (load("tcpdump-dns-badcookie-null.pcap", &c) == 0 && c.n == 4) {
		CHECK_INT(dns(c.v[1].d, c.v[1].n, &d), APP_OK);
		CHECK_STR(d.qname, "");
		CHECK_INT(d.qtype, 6);
		CHECK_INT(d.rcode, 7);
		CHECK_INT(dns(c.v[3].d, c.v[3].n, &d), APP_OK);
		CHECK_INT(d.nanswers, 1);
		CHECK_INT(d.answers[0].rrtype, 6);
		CHECK_STR(d.answers[0].rdata, "a.root-servers.net");
	} else
		CHECK(!"tcpdump-dns-badcookie-null.pcap");
	cap_free(&c);
}

/* ---- TLS ---- */

struct tls_case {
	const char	*file;
	const char	*sni, *alpn, *ja3, *ja4;	/* client */
	const char	*ja3s, *salpn;			/* server */
	uint16_t	 version, sversion;
};

static const struct tls_case tls_cases[] = {
	{ "arkime-tls-alpn-h2-null.pcap", "www.cloudflare.com", "h2,http/1.1",
	  "3faa4ad39f690c4ef1c3160caa375465",
	  "t12d4605h2_85626a9a5f7f_aaf95bb78ec9",
	  "7f76f3e952a1bc7d407366fafe1db7ed", "h2", 0x0303, 0x0303 },
	/* The value suricata-verify tests/ja4-tls expects. */
	{ "suricata-ja4-tls.pcap", "", "spdy/3.1,http/1.1",
	  "308b0bd904abbef5e0034a1ff7a78920",
	  "t12i1810s1_27d4652c4487_06a4338d0495",
	  "ccc514751b175866924439bdbb5bba34", NULL, 0x0303, 0x0303 },
	{ "arkime-tls-split-client-hello.pcap", "clients2.google.com",
	  "h2,http/1.1", "35708a08e7be9f7aa5bce7f2d5c1cecb",
	  "t13d1516h2_8daaf6152771_02713d6af862",
	  "eb1d94daa7e0344597e756a1fb6e7054", NULL, 0x0304, 0 },
	{ "ndpi-ja3_lots_of_cipher_suites.pcap", "", "",
	  "b2498734f22ddc9be05c39837ac8ac54",
	  "t12i990300_28808c40d9f1_1e2a54cae03f",
	  "9d456958a9e86bb0d503543beaf1a65b", NULL, 0x0303, 0 },
	{ "zeek-tls-openjdk-sll2.pcap", "zeek.org", "h2,http/1.1",
	  "bddb16608b241c89053080cf80771423",
	  /* signature_algorithms only, not signature_algorithms_cert (50),
	   * as FoxIO's rust/ja4 reads them */
	  "t13d3113h2_1d947a95fc68_7e1102d2036b",
	  "15af977ce25de452b96affa2addb1036", NULL, 0x0304, 0x0304 },
	{ "zeek-tls-hrr.pcap", "", "", "0f14b679807628ec7f9c02cada3ee941",
	  "t13i040900_16476d049b0b_78f1d400d464",
	  "15af977ce25de452b96affa2addb1036", NULL, 0x0304, 0x0304 },
	{ "zeek-tls-tls13-ech.pcap", "cloudflare-ech.com", "h2,http/1.1",
	  "2fcbf8655473005933c5869b2b5d8044",
	  "t13d1517h2_8daaf6152771_b1ff8ab2d16f",
	  "f4febc55ea12b31ae17cfb7e614afda8", NULL, 0x0304, 0x0304 },
	{ "suricata-linktype-228.pcap", "www.perdu.com", NULL,
	  "0b09d0461dd983ec22962da717eb6051",
	  "t12d110400_43e74fd21232_f8ec56bc740a",
	  "0eb8fa4a82f6323e55344b920edb3e98", NULL, 0x0303, 0x0303 },
};

/* Length of the first handshake message when it sits in one record. */
static size_t
hello_end(const uint8_t *s, size_t n)
{
	size_t rl, hl;

	if (n < 9)
		return 0;
	rl = (size_t)s[3] << 8 | s[4];
	hl = (size_t)s[6] << 16 | (size_t)s[7] << 8 | s[8];
	return hl + 4 <= rl ? 9 + hl : 0;
}

static void
pcap_tls_case(const struct tls_case *tc)
{
	struct tls_info t;
	struct cap c;
	uint8_t *s;
	size_t i, n, end;
	char what[256];

	if (load(tc->file, &c) != 0)
		return;
	/* The client is the first payload that starts a handshake record. */
	for (i = 0; i < c.n; i++)
		if (c.v[i].proto == 6 && c.v[i].n > 5 && c.v[i].d[0] == 22)
			break;
	CHECK(i < c.n);
	if (i == c.n) {
		cap_free(&c);
		return;
	}

	s = stream(&c, c.v[i].sport, c.v[i].dport, &n);
	CHECK_INT(tls(s, n, &t), APP_OK);
	CHECK_INT(t.is_client_hello, 1);
	CHECK_STR(t.sni, tc->sni);
	if (tc->alpn != NULL)
		CHECK_STR(t.alpn, tc->alpn);
	CHECK_STR(t.ja3, tc->ja3);
	CHECK_STR(t.ja4, tc->ja4);
	CHECK_INT(t.version, tc->version);
	CHECK(strlen(t.ja3_string) > 10 && strlen(t.ja3_string) <
	    sizeof(t.ja3_string));
	/* Where the hello ends: the smallest prefix that parses. */
	end = hello_end(s, n);
	if (end == 0) {
		for (end = 1; end <= n; end++)
			if (tls(s, end, &t) == APP_OK)
				break;
		CHECK(end > c.v[i].n);		/* spans segments */
		CHECK_INT(tls(c.v[i].d, c.v[i].n, &t), APP_MORE);
	}
	snprintf(what, sizeof(what), "%s client hello", tc->file);
	sweep(what, 1, s, end, end);
	/* Never HTTP or DNS-shaped enough to be taken for HTTP. */
	{
		struct http_info h;
		CHECK_INT(http(s, end, &h), APP_NOT);
	}
	free(s);

	s = stream(&c, c.v[i].dport, c.v[i].sport, &n);
	CHECK_INT(tls(s, n, &t), APP_OK);
	CHECK_INT(t.is_server_hello, 1);
	CHECK_STR(t.ja3, tc->ja3s);
	CHECK_STR(t.ja4, "");
	if (tc->salpn != NULL)
		CHECK_STR(t.alpn, tc->salpn);
	if (tc->sversion != 0)
		CHECK_INT(t.version, tc->sversion);
	end = hello_end(s, n);
	snprintf(what, sizeof(what), "%s server hello", tc->file);
	if (end > 0)
		sweep(what, 1, s, end, end);
	free(s);
	cap_free(&c);
}

/* Captures that must only not crash, whole and at every length. */
static void
pcap_smoke(const char *file)
{
	struct cap c;

	if (load(file, &c) != 0)
		return;
	for (size_t i = 0; i < c.n; i++)
		for (size_t k = 0; k <= c.v[i].n; k++)
			for (int w = 0; w < 3; w++)
				(void)any_rc(w, c.v[i].d, k);
	cap_free(&c);
}

static void
pcap_tls(void)
{
	struct tls_info t;
	struct cap c;

	for (size_t i = 0; i < sizeof(tls_cases) / sizeof(tls_cases[0]); i++)
		pcap_tls_case(&tls_cases[i]);

	/* ja3_string is cut to its buffer, the hash is over the whole. */
	if (load("ndpi-ja3_lots_of_cipher_suites.pcap", &c) == 0) {
		for (size_t i = 0; i < c.n; i++)
			if (c.v[i].n > 5 && c.v[i].d[0] == 22 &&
			    tls(c.v[i].d, c.v[i].n, &t) == APP_OK &&
			    t.is_client_hello) {
				CHECK(strlen(t.ja3_string) > 1000);
				CHECK(strncmp(t.ja3_string, "771,15-197-149-",
				    15) == 0);
				break;
			}
	}
	cap_free(&c);

	/* SSLv2-compatible hello: not parsed (APP_NOT). */
	if (load("zeek-tls-ssl-v2.pcap", &c) == 0 && c.n > 0)
		CHECK_INT(tls(c.v[0].d, c.v[0].n, &t), APP_NOT);
	cap_free(&c);

	pcap_smoke("ndpi-tls_missing_ch_frag.pcapng");
	pcap_smoke("ndpi-tls_invalid_reads.pcapng");
	pcap_smoke("zeek-tls-irc-starttls-sll.pcap");
}

/* ---- HTTP ---- */

static size_t
head_end(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(s + i, "\r\n\r\n", 4) == 0)
			return i + 4;
	return 0;
}

static void
pcap_http(void)
{
	struct http_info h;
	struct cap c;
	uint8_t *s;
	size_t n, end;

	if (load("zeek-http-get.pcap", &c) == 0 && c.n >= 2) {
		s = stream(&c, c.v[0].sport, c.v[0].dport, &n);
		CHECK_INT(http(s, n, &h), APP_OK);
		CHECK_INT(h.is_request, 1);
		CHECK_STR(h.method, "GET");
		CHECK_STR(h.uri, "/download/CHANGES.bro-aux.txt");
		CHECK_STR(h.protocol, "HTTP/1.1");
		CHECK_STR(h.host, "bro.org");
		CHECK_STR(h.user_agent, "Wget/1.14 (darwin12.2.0)");
		end = head_end(s, n);
		sweep("http-get request", 2, s, n, end);
		free(s);
		s = stream(&c, c.v[0].dport, c.v[0].sport, &n);
		CHECK_INT(http(s, n, &h), APP_OK);
		CHECK_INT(h.is_request, 0);
		CHECK_INT(h.status, 200);
		CHECK_STR(h.server, "Apache/2.4.3 (Fedora)");
		CHECK_STR(h.content_type, "text/plain; charset=UTF-8");
		CHECK_INT(h.content_length, 4705);
		end = head_end(s, n);
		sweep("http-get response", 2, s, end + 100, end);
		free(s);
	} else
		CHECK(!"zeek-http-get.pcap");
	cap_free(&c);

	if (load("ndpi-http.pcapng", &c) == 0 && c.n >= 2) {
		s = stream(&c, c.v[0].sport, c.v[0].dport, &n);
		CHECK_INT(http(s, n, &h), APP_OK);
		CHECK_STR(h.host, "google.com");
		CHECK_STR(h.user_agent, "curl/7.68.0");
		CHECK_STR(h.uri, "/");
		free(s);
		s = stream(&c, c.v[0].dport, c.v[0].sport, &n);
		CHECK_INT(http(s, n, &h), APP_OK);
		CHECK_INT(h.status, 301);
		CHECK_STR(h.server, "gws");
		CHECK_STR(h.content_type, "text/html; charset=UTF-8");
		CHECK_INT(h.content_length, 219);
		free(s);
	} else
		CHECK(!"ndpi-http.pcapng");
	cap_free(&c);

	/* Pipelined: the first request of the stream is the one parsed. */
	if (load("zeek-http-pipelined-requests.pcap", &c) == 0 && c.n >= 2) {
		s = stream(&c, c.v[0].sport, c.v[0].dport, &n);
		CHECK_INT(http(s, n, &h), APP_OK);
		CHECK_STR(h.uri, "/style/enhanced.css");
		CHECK_STR(h.host, "www.mozilla.org");
		CHECK(strncmp(h.user_agent, "Mozilla/5.0 (Windows; U;", 24) == 0);
		end = head_end(s, n);
		sweep("pipelined request", 2, s, end + 50, end);
		free(s);
	} else
		CHECK(!"zeek-http-pipelined-requests.pcap");
	cap_free(&c);

	/* The request comes in two segments: more, then the whole. */
	if (load("ndpi-http-lines-split.pcap", &c) == 0 && c.n >= 2) {
		CHECK_INT(http(c.v[0].d, c.v[0].n, &h), APP_MORE);
		s = stream(&c, c.v[0].sport, c.v[0].dport, &n);
		CHECK_INT(http(s, n, &h), APP_OK);
		CHECK_STR(h.host, "toni.lan");
		CHECK_INT(h.host_port, 31337);
		CHECK_STR(h.user_agent, "uclient-fetch");
		free(s);
		s = stream(&c, c.v[0].dport, c.v[0].sport, &n);
		CHECK_INT(http(s, n, &h), APP_OK);
		CHECK_STR(h.server, "SimpleHTTP/0.6 Python/2.7.16");
		free(s);
	} else
		CHECK(!"ndpi-http-lines-split.pcap");
	cap_free(&c);

	/* SSH banners both ways: not HTTP, not TLS. */
	if (load("tcpdump-ssh.pcap", &c) == 0 && c.n >= 2) {
		struct tls_info t;
		for (int i = 0; i < 2; i++) {
			CHECK_INT(http(c.v[i].d, c.v[i].n, &h), APP_NOT);
			CHECK_INT(tls(c.v[i].d, c.v[i].n, &t), APP_NOT);
		}
	} else
		CHECK(!"tcpdump-ssh.pcap");
	cap_free(&c);
}

/* Returns 0 when the shared captures are not there. */
static int
test_pcaps(void)
{
	const char *e = getenv("BW_SHARED"), *src = getenv("srcdir");
	struct stat st;

	if (e != NULL && *e != '\0')
		snprintf(shared, sizeof(shared), "%s", e);
	else
		snprintf(shared, sizeof(shared), "%s/../shared",
		    src != NULL && *src != '\0' ? src : ".");
	{
		char p[8192];
		snprintf(p, sizeof(p), "%s/pcaps/external", shared);
		if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
			return 0;
	}
	pcap_dns();
	pcap_tls();
	pcap_http();
	pcap_smoke("zeek-dns-corrupt.pcap");
	pcap_smoke("ndpi-badpackets.pcap");
	pcap_smoke("zeek-http-post-json.pcap");
	return 1;
}

int
main(void)
{
	int have_pcaps;

	test_dns_hand();
	test_tls_hand();
	test_tls_flow();
	test_http_hand();
	have_pcaps = test_pcaps();
	if (!have_pcaps && check_failures == 0) {
		fprintf(stderr, "%d checks passed; shared captures missing: "
		    "skip\n", check_count);
		return 77;
	}
	CHECK_DONE();
}
