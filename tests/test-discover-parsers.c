/*
 * test-discover-parsers.c - the parsers passive BMC discovery (issue 10)
 * reads peers with: X.509 certificates in a TLS server flight, SSDP and
 * SLP, on hand-built messages, then cut at every length and with bytes
 * flipped, each parse on an exact-size malloc'ed copy so ASan sees any
 * overread.  test-discover takes the tables, the scoring and the replay
 * of real peers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app-x509.h"
#include "detect-bmc.h"
#include "sha1.h"
#include "check.h"

/* ---- a tiny DER / TLS builder -------------------------------------------- */

struct buf {
	uint8_t		 b[4096];
	size_t		 n;
};

static void
put(struct buf *o, const void *p, size_t n)
{
	if (o->n + n > sizeof(o->b))
		exit(2);
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static void
put1(struct buf *o, unsigned v)
{
	uint8_t c = (uint8_t)v;

	put(o, &c, 1);
}

/* tag, minimal DER length, content */
static void
tlv(struct buf *o, uint8_t tag, const void *p, size_t n)
{
	put1(o, tag);
	if (n < 0x80)
		put1(o, (unsigned)n);
	else if (n < 0x100) {
		put1(o, 0x81);
		put1(o, (unsigned)n);
	} else {
		put1(o, 0x82);
		put1(o, (unsigned)(n >> 8));
		put1(o, (unsigned)n);
	}
	put(o, p, n);
}

static void
tlvb(struct buf *o, uint8_t tag, const struct buf *c)
{
	tlv(o, tag, c->b, c->n);
}

/* One RDN {OID 2.5.4.x, string} appended to a Name's content. */
static void
rdn(struct buf *name, uint8_t attr, uint8_t strtag, const char *v)
{
	struct buf atv = {0}, set = {0};
	uint8_t oid[3] = { 0x55, 0x04, attr };
	uint8_t bmp[128];
	size_t n = strlen(v);

	tlv(&atv, 0x06, oid, 3);
	if (strtag == 0x1e) {			/* BMPString */
		for (size_t i = 0; i < n; i++) {
			bmp[2 * i] = 0;
			bmp[2 * i + 1] = (uint8_t)v[i];
		}
		tlv(&atv, strtag, bmp, 2 * n);
	} else
		tlv(&atv, strtag, v, n);
	tlvb(&set, 0x30, &atv);
	tlvb(name, 0x31, &set);
}

/* A certificate: issuer NULL means self-signed. */
static void
make_cert(struct buf *out, const char *cn, const char *o, const char *ou,
    const char *issuer_cn, int bmp_cn)
{
	static const uint8_t alg[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
	    0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 };
	static const uint8_t ver[] = { 0x02, 0x01, 0x02 };
	static const uint8_t serial[] = { 0x1c, 0x2d };
	struct buf subj = {0}, iss = {0}, val = {0}, tbs = {0}, cert = {0};
	struct buf spki = {0};

	rdn(&subj, 6, 0x13, "US");
	rdn(&subj, 10, 0x0c, o);
	rdn(&subj, 11, 0x0c, ou);
	rdn(&subj, 3, bmp_cn ? 0x1e : 0x0c, cn);
	if (issuer_cn == NULL)
		iss = subj;
	else
		rdn(&iss, 3, 0x13, issuer_cn);
	tlv(&val, 0x17, "190102030405Z", 13);
	tlv(&val, 0x18, "20491231235959Z", 15);
	tlv(&tbs, 0xa0, ver, sizeof(ver));
	tlv(&tbs, 0x02, serial, sizeof(serial));
	tlv(&tbs, 0x30, alg, sizeof(alg));
	tlvb(&tbs, 0x30, &iss);
	tlvb(&tbs, 0x30, &val);
	tlvb(&tbs, 0x30, &subj);
	tlv(&spki, 0x03, "\0", 1);
	tlvb(&tbs, 0x30, &spki);
	tlvb(&cert, 0x30, &tbs);
	tlv(&cert, 0x30, alg, sizeof(alg));
	tlv(&cert, 0x03, "\0\1\2\3", 4);
	out->n = 0;
	tlvb(out, 0x30, &cert);
}

static void
put24(struct buf *o, size_t v)
{
	put1(o, (unsigned)(v >> 16));
	put1(o, (unsigned)(v >> 8));
	put1(o, (unsigned)v);
}

/* ServerHello + Certificate (+ ServerHelloDone) in records of at most
 * 'rec' bytes, as a server sends them. */
static void
make_tls(struct buf *out, const struct buf *cert, size_t rec)
{
	struct buf hs = {0};
	uint8_t sh[38] = { 0x03, 0x03 };	/* version, random, sid 0, ... */
	size_t i, k;

	put1(&hs, 2);
	put24(&hs, sizeof(sh));
	put(&hs, sh, sizeof(sh));
	put1(&hs, 11);
	put24(&hs, cert->n + 6);
	put24(&hs, cert->n + 3);
	put24(&hs, cert->n);
	put(&hs, cert->b, cert->n);
	put1(&hs, 14);
	put24(&hs, 0);
	out->n = 0;
	for (i = 0; i < hs.n; i += k) {
		k = hs.n - i < rec ? hs.n - i : rec;
		put1(out, 22);
		put1(out, 3);
		put1(out, 3);
		put1(out, (unsigned)(k >> 8));
		put1(out, (unsigned)k);
		put(out, hs.b + i, k);
	}
}

/* Parse a copy of exactly n bytes, so ASan sees any overread. */
static int
x509_tls_n(const uint8_t *b, size_t n, struct x509_info *x)
{
	uint8_t *c = malloc(n ? n : 1);
	int rc;

	memcpy(c, b, n);
	rc = app_x509_tls(c, n, x);
	free(c);
	return rc;
}

static int
x509_der_n(const uint8_t *b, size_t n, struct x509_info *x)
{
	uint8_t *c = malloc(n ? n : 1);
	int rc;

	memcpy(c, b, n);
	rc = app_x509_der(c, n, x);
	free(c);
	return rc;
}

static void
test_x509(void)
{
	struct buf cert, tls, bad;
	struct x509_info x;
	struct sha1_ctx sc;
	uint8_t md[20];
	char fp[64];
	size_t i, done;
	int rc, more = 0;

	make_cert(&cert, "IPMI", "Super Micro Computer", "Software", NULL, 0);
	CHECK_INT(x509_der_n(cert.b, cert.n, &x), APP_OK);
	CHECK_STR(x.subject, "C=US, O=Super Micro Computer, OU=Software, CN=IPMI");
	CHECK_STR(x.issuer, x.subject);
	CHECK_STR(x.subject_cn, "IPMI");
	CHECK_STR(x.subject_o, "Super Micro Computer");
	CHECK_STR(x.subject_ou, "Software");
	CHECK_INT(x.self_signed, 1);
	CHECK_INT(x.version, 3);
	CHECK_STR(x.serial, "1C:2D");
	CHECK_STR(x.not_before, "2019-01-02T03:04:05");
	CHECK_STR(x.not_after, "2049-12-31T23:59:59");
	sha1_init(&sc);
	sha1_update(&sc, cert.b, cert.n);
	sha1_final(&sc, md);
	for (i = 0; i < 20; i++)
		snprintf(fp + 3 * i, 4, i < 19 ? "%02x:" : "%02x", md[i]);
	CHECK_STR(x.fingerprint, fp);

	/* BMPString CN, another issuer */
	make_cert(&cert, "iDRAC default certificate", "Dell Inc.", "Remote "
	    "Access Group", "Dell CA", 1);
	CHECK_INT(x509_der_n(cert.b, cert.n, &x), APP_OK);
	CHECK_STR(x.subject_cn, "iDRAC default certificate");
	CHECK_STR(x.issuer, "CN=Dell CA");
	CHECK_INT(x.self_signed, 0);

	/* every cut and every flipped byte: no crash, cuts are APP_NOT */
	for (i = 0; i < cert.n; i++)
		if (x509_der_n(cert.b, i, &x) != APP_NOT)
			CHECK_INT(i, -1);
	for (i = 0; i < cert.n; i++) {
		bad = cert;
		bad.b[i] ^= 0xff;
		rc = x509_der_n(bad.b, bad.n, &x);
		CHECK(rc == APP_OK || rc == APP_NOT);
		CHECK(memchr(x.subject, 0, sizeof(x.subject)) != NULL);
	}
	/* not strict DER: long form for a short length, indefinite, junk */
	bad.n = 0;
	put(&bad, "\x30\x81\x03\x02\x01\x01", 6);
	CHECK_INT(x509_der_n(bad.b, bad.n, &x), APP_NOT);
	bad.n = 0;
	put(&bad, "\x30\x80\x02\x01\x01\x00\x00", 7);
	CHECK_INT(x509_der_n(bad.b, bad.n, &x), APP_NOT);
	bad = cert;
	put1(&bad, 0);
	CHECK_INT(x509_der_n(bad.b, bad.n, &x), APP_NOT);

	/* the TLS stream: records of 100 bytes, cut at every length */
	make_cert(&cert, "IPMI", "Super Micro Computer", "Software", NULL, 0);
	make_tls(&tls, &cert, 100);
	done = 0;
	for (i = 0; i <= tls.n; i++) {
		rc = x509_tls_n(tls.b, i, &x);
		if (rc == APP_OK && done == 0)
			done = i;
		if (rc == APP_MORE)
			more++;
		CHECK(rc != APP_NOT);
		CHECK(done == 0 || rc == APP_OK);
	}
	/* OK as soon as the certificate's last record is complete */
	CHECK(done > 0 && done < tls.n);
	CHECK(more > 0);
	CHECK_INT(x509_tls_n(tls.b, tls.n, &x), APP_OK);
	CHECK_STR(x.subject_cn, "IPMI");
	make_tls(&tls, &cert, 16384);		/* one record */
	CHECK_INT(x509_tls_n(tls.b, tls.n, &x), APP_OK);
	CHECK_STR(x.subject_o, "Super Micro Computer");
	for (i = 0; i < tls.n; i++) {		/* flipped bytes */
		bad = tls;
		bad.b[i] ^= 0x5a;
		rc = x509_tls_n(bad.b, bad.n, &x);
		CHECK(rc == APP_OK || rc == APP_MORE || rc == APP_NOT);
	}
	/* TLS 1.3: ServerHello, then ChangeCipherSpec and encrypted data */
	bad.n = 0;
	put(&bad, tls.b, 5 + 4 + 38);
	bad.b[3] = 0;
	bad.b[4] = 4 + 38;
	put(&bad, "\x14\x03\x03\x00\x01\x01\x17\x03\x03\x00\x02\xaa\xbb", 13);
	CHECK_INT(x509_tls_n(bad.b, bad.n, &x), APP_NOT);
	/* not a server stream, not TLS, an empty chain */
	CHECK_INT(x509_tls_n((const uint8_t *)"\x16\x03\x01\x00\x05\x01\x00\x00"
	    "\x01\x00", 10, &x), APP_NOT);
	CHECK_INT(x509_tls_n((const uint8_t *)"\x15\x03\x03\x00\x02\x02\x28", 7,
	    &x), APP_NOT);
	CHECK_INT(x509_tls_n((const uint8_t *)"GET / HTTP/1.1\r\n", 16, &x),
	    APP_NOT);
	CHECK_INT(x509_tls_n((const uint8_t *)"\x16\x03\x03\x00\x07\x0b\x00\x00"
	    "\x03\x00\x00\x00", 12, &x), APP_NOT);
	CHECK_INT(x509_tls_n((const uint8_t *)"\x16", 1, &x), APP_MORE);
	CHECK_INT(app_x509_tls(NULL, 0, &x), APP_NOT);
}

/* ---- SSDP and SLP ---------------------------------------------------------- */

static int
ssdp_n(const char *s, size_t n, struct ssdp_info *o)
{
	uint8_t *c = malloc(n ? n : 1);
	int rc;

	memcpy(c, s, n);
	rc = app_ssdp_parse(c, n, o);
	free(c);
	return rc;
}

static int
slp_n(const uint8_t *b, size_t n, struct slp_info *o)
{
	uint8_t *c = malloc(n ? n : 1);
	int rc;

	memcpy(c, b, n);
	rc = app_slp_parse(c, n, o);
	free(c);
	return rc;
}

static void
put16(struct buf *o, size_t v)
{
	put1(o, (unsigned)(v >> 8));
	put1(o, (unsigned)v);
}

static void
slp_str(struct buf *o, const char *s)
{
	put16(o, strlen(s));
	put(o, s, strlen(s));
}

static void
slp_msg(struct buf *o, uint8_t fn, const struct buf *body)
{
	size_t len = 14 + 2 + body->n;

	o->n = 0;
	put1(o, 2);
	put1(o, fn);
	put24(o, len);
	put16(o, 0);			/* flags */
	put24(o, 0);			/* next extension */
	put16(o, 0x1234);		/* xid */
	slp_str(o, "en");
	put(o, body->b, body->n);
}

static void
test_ssdp_slp(void)
{
	static const char notify[] = "NOTIFY * HTTP/1.1\r\n"
	    "HOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\n"
	    "NTS: ssdp:alive\r\nSERVER: Linux/4.14, UPnP/1.0, Supermicro "
	    "IPMI SSDP/1.0\r\nUSN: uuid:1::upnp:rootdevice\r\n"
	    "LOCATION: http://10.50.0.10:49152/d.xml\r\n\r\n";
	static const char resp[] = "HTTP/1.1 200 OK\r\nst: urn:dmtf-org:"
	    "service:redfish-rest:1\r\nserver:  Foo\x01 \r\n\r\n";
	struct ssdp_info s;
	struct slp_info l;
	struct buf body = {0}, m;
	size_t i;
	int rc;

	CHECK_INT(ssdp_n(notify, strlen(notify), &s), APP_OK);
	CHECK_INT(s.kind, SSDP_NOTIFY);
	CHECK_STR(s.server, "Linux/4.14, UPnP/1.0, Supermicro IPMI SSDP/1.0");
	CHECK_STR(s.usn, "uuid:1::upnp:rootdevice");
	CHECK_STR(s.nt, "upnp:rootdevice");
	CHECK_STR(s.nts, "ssdp:alive");
	CHECK_STR(s.location, "http://10.50.0.10:49152/d.xml");
	CHECK_INT(ssdp_n(resp, strlen(resp), &s), APP_NOT);	/* \x01 */
	CHECK_INT(ssdp_n(resp, 66, &s), APP_OK);
	CHECK_INT(s.kind, SSDP_RESPONSE);
	CHECK_STR(s.nt, "urn:dmtf-org:service:redfish-rest:1");
	CHECK_INT(ssdp_n("M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n", 35, &s),
	    APP_OK);
	CHECK_INT(s.kind, SSDP_MSEARCH);
	CHECK_INT(ssdp_n("GET / HTTP/1.1\r\n\r\n", 18, &s), APP_NOT);
	CHECK_INT(ssdp_n("", 0, &s), APP_NOT);
	for (i = 0; i <= strlen(notify); i++) {
		rc = ssdp_n(notify, i, &s);
		CHECK(rc == (i >= 16 ? APP_OK : APP_NOT));
		CHECK(strlen(s.server) < sizeof(s.server));
	}

	/* SrvRply with two URLs, one with an auth block */
	put16(&body, 0);
	put16(&body, 2);
	put1(&body, 0); put16(&body, 300);
	slp_str(&body, "service:obmc_console://10.50.0.13:2200");
	put1(&body, 0);
	put1(&body, 0); put16(&body, 300);
	slp_str(&body, "service:management-hardware.IBM:integrated-management-module2://10.50.0.14");
	put1(&body, 1); put16(&body, 2); put16(&body, 6); put16(&body, 0);
	slp_msg(&m, SLP_SRVRPLY, &body);
	CHECK_INT(slp_n(m.b, m.n, &l), APP_OK);
	CHECK_INT(l.function, SLP_SRVRPLY);
	CHECK_INT(l.xid, 0x1234);
	CHECK_INT(l.nurls, 2);
	CHECK(strncmp(l.text, "service:obmc_console://10.50.0.13:2200, "
	    "service:management-hardware.IBM:", 72) == 0);
	for (i = 0; i < m.n; i++) {
		rc = slp_n(m.b, i, &l);
		CHECK(rc == APP_MORE || rc == APP_NOT);
	}
	for (i = 0; i < m.n; i++) {
		struct buf bad = m;
		bad.b[i] ^= 0xff;
		rc = slp_n(bad.b, bad.n, &l);
		CHECK(rc == APP_OK || rc == APP_MORE || rc == APP_NOT);
	}
	/* SAAdvert: URL, scopes, attributes */
	body.n = 0;
	slp_str(&body, "service:service-agent://10.50.0.13");
	slp_str(&body, "DEFAULT");
	slp_str(&body, "(service-type=obmc)");
	put1(&body, 0);
	slp_msg(&m, SLP_SAADVERT, &body);
	CHECK_INT(slp_n(m.b, m.n, &l), APP_OK);
	CHECK_STR(l.text, "service:service-agent://10.50.0.13, (service-type=obmc)");
	/* SrvTypeRply, a request, a count running off the message */
	body.n = 0;
	put16(&body, 0);
	slp_str(&body, "service:redfish,service:ssh");
	slp_msg(&m, SLP_SRVTYPERPLY, &body);
	CHECK_INT(slp_n(m.b, m.n, &l), APP_OK);
	CHECK_STR(l.text, "service:redfish,service:ssh");
	body.n = 0;
	slp_msg(&m, SLP_SRVRQST, &body);
	CHECK_INT(slp_n(m.b, m.n, &l), APP_OK);
	body.n = 0;
	put16(&body, 0);
	put16(&body, 9);
	slp_msg(&m, SLP_SRVRPLY, &body);
	CHECK_INT(slp_n(m.b, m.n, &l), APP_NOT);
	CHECK_INT(slp_n((const uint8_t *)"\x01\x02", 2, &l), APP_NOT);
	CHECK_INT(slp_n((const uint8_t *)"\x02\x0c", 2, &l), APP_NOT);
}

int
main(void)
{
	test_x509();
	test_ssdp_slp();
	CHECK_DONE();
}
