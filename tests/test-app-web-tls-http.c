/*
 * test-app-web-tls-http.c - the TLS and HTTP parsers of app.h (app-tls.c,
 * app-http.c) and a flow's ClientHello summary (app-meta.c) on hand-built
 * messages and on payloads of real captures from ../shared/pcaps/external.
 *
 * Expected values of the real captures were read with tshark 4.0 (JA3,
 * JA3S, SNI, ALPN and HTTP fields).  tshark 4.0 has no JA4; the JA4
 * values are the one suricata-verify's ja4-tls test expects and, for the
 * other captures, values computed from tshark's field dump by an
 * independent script following the FoxIO JA4.md rules.
 *
 * Each parser call gets a malloc'ed copy of exactly the bytes it may read,
 * so an ASan build turns any overread into a failure; every real message
 * is also parsed at every truncated length: the result must move from
 * APP_MORE to APP_OK exactly where the message is complete.  The
 * hand-built part always runs; the capture part needs $BW_SHARED or
 * $srcdir/../shared and the test exits 77 (skip) when it is missing and
 * everything else passed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app-web-util.h"

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

int
main(void)
{
	int have_pcaps;

	test_tls_hand();
	test_tls_flow();
	test_http_hand();
	have_pcaps = shared_found();
	if (have_pcaps) {
		pcap_tls();
		pcap_http();
		pcap_smoke("ndpi-badpackets.pcap");
		pcap_smoke("zeek-http-post-json.pcap");
	}
	return web_done(have_pcaps);
}
