/*
 * test-app-web-dns.c - the DNS parser of app.h (app-dns.c) on hand-built
 * messages and on payloads of real captures from ../shared/pcaps/external
 * (expected values read with tshark 4.0).  Each parser call gets a
 * malloc'ed copy of exactly the bytes it may read, so an ASan build turns
 * any overread into a failure; every real message is also parsed at every
 * truncated length: the result must move from APP_NOT (shorter than the
 * header) or APP_MORE to APP_OK exactly where the message is complete.
 * The hand-built part always runs; the capture part needs $BW_SHARED or
 * $srcdir/../shared and the test exits 77 (skip) when it is missing and
 * everything else passed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app-web-util.h"

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

int
main(void)
{
	int have_pcaps;

	test_dns_hand();
	have_pcaps = shared_found();
	if (have_pcaps) {
		pcap_dns();
		pcap_smoke("zeek-dns-corrupt.pcap");
	}
	return web_done(have_pcaps);
}
