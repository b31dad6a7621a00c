/*
 * app-tls.c - the TLS ClientHello / ServerHello at the start of one
 * direction's byte stream into struct tls_info: versions, SNI, ALPN, JA3 or
 * JA3S, and JA4 for clients.
 *
 * Why it is built this way: a hello may be split over several TLS records
 * (and any record over several TCP segments, which the caller concatenates
 * in order).  Rather than copy the fragments into one buffer, hs_gather()
 * records where each fragment of the handshake message lies in b, and a
 * small cursor (struct cur) reads the message through that map byte by
 * byte; a hello is a few hundred bytes, read once per flow, so the
 * indirection costs nothing that matters and the parser stays allocation-
 * and copy-free.  Every cursor read is bounds-checked against the end of
 * the structure it is in; a read past it marks the cursor bad and the
 * hello is APP_NOT (the whole message is present by then, so a bad length
 * is malformed, not short).
 *
 * JA3/JA3S follow the Salesforce definition (decimal values, GREASE
 * removed), hashed with MD5 while the text is written so the hash is right
 * even when ja3_string is cut to fit.  JA4 follows the FoxIO specification
 * (technical_details/JA4.md as of ja4 v0.18, 2024-2025): "t", version from
 * supported_versions, d/i, counts capped at 99, first/last ALPN characters
 * (hex when not alphanumeric), "000000000000" for empty lists, no "_" when
 * there are no signature algorithms.  Sorting needs the values in an array:
 * up to JA4_MAX of each, beyond that ja4 is left "" (a real hello has a few
 * dozen; ndpi-ja3_lots_of_cipher_suites.pcap has 350).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "md5.h"
#include "sha256.h"

#define TLS_HANDSHAKE	22
#define TLS_CLIENT_HELLO 1
#define TLS_SERVER_HELLO 2
#define TLS_MAX_FRAGS	32		/* records one hello may span */
#define TLS_MAX_RECORD	(16384 + 2048)	/* RFC 8446 5.2 upper bound */
#define TLS_MAX_HELLO	(1 << 17)	/* > the largest well-formed hello */
#define JA4_MAX		2048

#define EXT_SNI		0x0000
#define EXT_GROUPS	0x000a
#define EXT_POINTFMT	0x000b
#define EXT_SIGALGS	0x000d
#define EXT_ALPN	0x0010
#define EXT_VERSIONS	0x002b

/* Where the handshake message lies in b: fragment i is b[pos[i]..+len[i]). */
struct hs {
	const uint8_t	*b;
	size_t		 pos[TLS_MAX_FRAGS];
	size_t		 len[TLS_MAX_FRAGS];
	int		 nfrag;
	size_t		 avail;		/* message bytes present */
};

struct cur {
	const struct hs	*h;
	size_t		 p, end;	/* offsets in the handshake message */
	int		 bad;
};

/* Text written to a cut-to-fit buffer and, for JA3, into an MD5. */
struct tout {
	char		*p;
	size_t		 len, o;
	int		 full;
	struct md5_ctx	*md5;
	/* the JA3 string reaches MD5 in pieces of this size, not one
	 * md5_update per number and comma (720 k calls on the bench mix) */
	char		 mb[256];
	size_t		 mn;
};

static int
is_grease(unsigned v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* ASCII only, unlike isalnum(3) under a locale. */
static int
is_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

static uint8_t
hs_at(const struct hs *h, size_t off)
{
	for (int i = 0; i < h->nfrag; i++) {
		if (off < h->len[i])
			return h->b[h->pos[i] + off];
		off -= h->len[i];
	}
	return 0;	/* callers stay below avail */
}

static unsigned
c8(struct cur *c)
{
	if (c->bad || c->p >= c->end) {
		c->bad = 1;
		return 0;
	}
	return hs_at(c->h, c->p++);
}

static unsigned
c16(struct cur *c)
{
	unsigned hi = c8(c);
	return hi << 8 | c8(c);
}

static void
cskip(struct cur *c, size_t k)
{
	if (c->bad || k > c->end - c->p) {
		c->bad = 1;
		c->p = c->end;
		return;
	}
	c->p += k;
}

/* A cursor over the next k bytes of c; c moves past them. */
static struct cur
csub(struct cur *c, size_t k)
{
	struct cur s = *c;

	cskip(c, k);
	s.end = c->bad ? s.p : s.p + k;
	s.bad = c->bad;
	return s;
}

static int
cmore(const struct cur *c)
{
	return !c->bad && c->p < c->end;
}

static void
to_init(struct tout *t, char *p, size_t len, struct md5_ctx *md5)
{
	t->p = p;
	t->len = len;
	t->o = 0;
	t->full = 0;
	t->md5 = md5;
	t->mn = 0;
	if (len > 0)
		p[0] = '\0';
}

/* What the JA3 string's MD5 has not seen yet: call before md5_final. */
static void
to_md5_flush(struct tout *t)
{
	if (t->md5 != NULL && t->mn > 0)
		md5_update(t->md5, t->mb, t->mn);
	t->mn = 0;
}

static void
to_put(struct tout *t, const char *s, size_t k)
{
	if (t->md5 != NULL) {
		if (t->mn + k > sizeof(t->mb))
			to_md5_flush(t);
		if (k > sizeof(t->mb))
			md5_update(t->md5, s, k);
		else {
			memcpy(t->mb + t->mn, s, k);
			t->mn += k;
		}
	}
	if (t->full || t->len == 0)
		return;
	if (t->o + k + 1 > t->len) {
		t->full = 1;
		return;
	}
	memcpy(t->p + t->o, s, k);
	t->o += k;
	t->p[t->o] = '\0';
}

/* Decimal by hand: snprintf per number was a fifth of all the sensor's
 * instructions on the benchmark (a hello has ~60 numbers). */
static void
to_num(struct tout *t, unsigned v)
{
	char d[12];
	size_t k = sizeof(d);

	do {
		d[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && k > 0);
	to_put(t, d + k, sizeof(d) - k);
}

/* A wire byte of a name: printable ASCII as is, the rest as \xNN. */
static void
to_byte(struct tout *t, uint8_t c)
{
	char e[5];

	if (c >= 0x20 && c < 0x7f) {
		e[0] = (char)c;
		to_put(t, e, 1);
	} else {
		snprintf(e, sizeof(e), "\\x%02x", c);
		to_put(t, e, 4);
	}
}

static void
hex_digest(const uint8_t *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/*
 * Map the handshake message (4-byte header + body) in the records at the
 * start of b.  APP_OK when all of it is present, APP_MORE when the stream
 * is a plausible TLS handshake so far, APP_NOT otherwise.
 */
static int
hs_gather(const uint8_t *b, size_t n, struct hs *h, struct tls_info *out)
{
	size_t pos = 0, need = 0;

	memset(h, 0, sizeof(*h));
	h->b = b;
	for (;;) {
		size_t rlen, take;

		if (h->avail >= 1 && hs_at(h, 0) != TLS_CLIENT_HELLO &&
		    hs_at(h, 0) != TLS_SERVER_HELLO)
			return APP_NOT;
		if (need == 0 && h->avail >= 4) {
			size_t len = (size_t)hs_at(h, 1) << 16 |
			    (size_t)hs_at(h, 2) << 8 | hs_at(h, 3);
			/* 38 = the smallest ServerHello body. */
			if (len < 38 || len > TLS_MAX_HELLO)
				return APP_NOT;
			need = 4 + len;
		}
		if (need > 0 && h->avail >= need)
			return APP_OK;
		if (pos >= n)
			return APP_MORE;
		/* Record header, judged on as many bytes as are present. */
		if (b[pos] != TLS_HANDSHAKE)
			return APP_NOT;
		if (pos + 1 < n && b[pos + 1] != 3)
			return APP_NOT;
		if (pos + 2 < n && b[pos + 2] > 4)
			return APP_NOT;
		if (pos + 5 > n)
			return APP_MORE;
		rlen = (size_t)b[pos + 3] << 8 | b[pos + 4];
		if (rlen > TLS_MAX_RECORD)
			return APP_NOT;
		if (pos == 0)
			out->record_version = (uint16_t)(b[1] << 8 | b[2]);
		pos += 5;
		if (rlen == 0)
			continue;
		take = rlen < n - pos ? rlen : n - pos;
		if (take > 0) {
			if (h->nfrag == TLS_MAX_FRAGS)
				return APP_NOT;
			h->pos[h->nfrag] = pos;
			h->len[h->nfrag] = take;
			h->nfrag++;
			h->avail += take;
		}
		pos += rlen;	/* may pass n: the loop then asks for more */
	}
}

/* ALPN protocol list (RFC 7301) as "h2,http/1.1"; first value kept for JA4. */
static void
tls_alpn(struct cur e, struct tls_info *out, char ja4a[2])
{
	struct cur l = csub(&e, c16(&e));
	struct tout t;
	int first = 1;

	to_init(&t, out->alpn, sizeof(out->alpn), NULL);
	while (cmore(&l)) {
		size_t k = c8(&l);
		struct cur v = csub(&l, k);
		uint8_t a = 0, z = 0;

		if (l.bad)
			break;
		if (!first)
			to_put(&t, ",", 1);
		for (size_t i = 0; i < k; i++) {
			uint8_t c = (uint8_t)c8(&v);
			if (i == 0)
				a = c;
			z = c;
			to_byte(&t, c);
		}
		first = 0;
		/* JA4: the first value that is not GREASE ({0x?A,0x?A}, RFC
		 * 8701) decides; an empty one leaves "00". */
		if (ja4a == NULL || (k == 2 && is_grease((unsigned)a << 8 | z)))
			continue;
		if (k > 0) {
			if (is_alnum(a) && is_alnum(z)) {
				ja4a[0] = (char)a;
				ja4a[1] = (char)z;
			} else {
				static const char hx[] = "0123456789abcdef";
				ja4a[0] = hx[a >> 4];
				ja4a[1] = hx[z & 15];
			}
		}
		ja4a = NULL;
	}
}

/* Server name (RFC 6066 3): the first host_name entry. */
static void
tls_sni(struct cur e, struct tls_info *out)
{
	struct cur l = csub(&e, c16(&e));
	struct tout t;

	while (cmore(&l)) {
		unsigned type = c8(&l);
		size_t k = c16(&l);
		struct cur v = csub(&l, k);

		if (l.bad)
			return;
		if (type != 0)
			continue;
		to_init(&t, out->sni, sizeof(out->sni), NULL);
		for (size_t i = 0; i < k; i++)
			to_byte(&t, (uint8_t)c8(&v));
		return;
	}
}

/* JA3 list of u16 values (8 bits when one), '-'-joined, GREASE removed. */
static void
ja3_list(struct tout *t, struct cur l, int u8)
{
	int first = 1;

	while (cmore(&l)) {
		unsigned v = u8 ? c8(&l) : c16(&l);
		if (l.bad || (!u8 && is_grease(v)))
			continue;
		if (!first)
			to_put(t, "-", 1);
		to_num(t, v);
		first = 0;
	}
}

static int
cmp16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* First 12 hex characters of SHA-256 over "xxxx,xxxx,..." (+ "_" + tail). */
static void
ja4_hash(const uint16_t *v, size_t n, struct cur *tail, char out[13])
{
	static const char hx[] = "0123456789abcdef";
	struct sha256_ctx s;
	uint8_t d[32];
	char full[65], buf[512];
	size_t bl = 0;

	if (n == 0) {
		memcpy(out, "000000000000", 13);
		return;
	}
	sha256_init(&s);
	/* "xxxx,xxxx,...[_xxxx,...]" built in a buffer and hashed in large
	 * pieces: snprintf and a hash update per value were the cost */
#define JA4_PUT(sep, val) do {						\
	if (bl + 5 > sizeof(buf)) {					\
		sha256_update(&s, buf, bl);				\
		bl = 0;							\
	}								\
	if ((sep) != 0)							\
		buf[bl++] = (sep);					\
	buf[bl++] = hx[(val) >> 12 & 15];				\
	buf[bl++] = hx[(val) >> 8 & 15];				\
	buf[bl++] = hx[(val) >> 4 & 15];				\
	buf[bl++] = hx[(val) & 15];					\
} while (0)
	for (size_t i = 0; i < n; i++)
		JA4_PUT(i ? ',' : 0, (unsigned)v[i]);
	if (tail != NULL) {
		int first = 1;
		while (cmore(tail)) {
			unsigned a = c16(tail);
			if (tail->bad || is_grease(a))
				continue;
			JA4_PUT(first ? '_' : ',', a);
			first = 0;
		}
	}
#undef JA4_PUT
	sha256_update(&s, buf, bl);
	sha256_final(&s, d);
	hex_digest(d, 32, full);
	memcpy(out, full, 12);
	out[12] = '\0';
}

static const char *
ja4_version(unsigned v)
{
	switch (v) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0002: return "s2";
	default: return "00";
	}
}

static int
tls_client(const struct hs *h, size_t end, struct tls_info *out, int fp)
{
	struct cur c = { h, 4, end, 0 }, ciphers, exts, e;
	struct cur groups = { h, 0, 0, 0 }, pointfmt = groups, sigalgs = groups;
	uint16_t ja4c[JA4_MAX], ja4e[JA4_MAX];
	size_t nc = 0, ne = 0, next = 0;
	int sni = 0, ja4ok = 1, has_sigalgs = 0;
	char alpn4[2] = { '0', '0' }, hb[13], hc[13];
	unsigned maxver = 0;
	struct md5_ctx md5;
	struct tout t;
	uint8_t d[16];

	out->is_client_hello = 1;
	out->hello_version = (uint16_t)c16(&c);
	cskip(&c, 32);				/* random */
	cskip(&c, c8(&c));			/* session id */
	ciphers = csub(&c, c16(&c));
	if ((ciphers.end - ciphers.p) % 2 != 0)
		return APP_NOT;
	cskip(&c, c8(&c));			/* compression methods */
	if (c.bad)
		return APP_NOT;
	exts = csub(&c, cmore(&c) ? c16(&c) : 0);
	if (c.bad)
		return APP_NOT;

	/* One pass over the extensions; lists used later are kept as cursors. */
	for (e = exts; cmore(&e); ) {
		unsigned type = c16(&e);
		struct cur v = csub(&e, c16(&e));

		if (e.bad)
			return APP_NOT;
		if (is_grease(type))
			continue;
		next++;
		if (type != EXT_SNI && type != EXT_ALPN) {
			if (ne < JA4_MAX)
				ja4e[ne++] = (uint16_t)type;
			else
				ja4ok = 0;
		}
		switch (type) {
		case EXT_SNI:
			if (!sni)
				tls_sni(v, out);
			sni = 1;
			break;
		case EXT_ALPN:
			if (out->alpn[0] == '\0')
				tls_alpn(v, out, alpn4);
			break;
		case EXT_VERSIONS: {
			struct cur l = csub(&v, c8(&v));
			while (cmore(&l)) {
				unsigned x = c16(&l);
				if (!l.bad && !is_grease(x) && x > maxver)
					maxver = x;
			}
			break;
		}
		case EXT_GROUPS:
			if (groups.end == 0)
				groups = csub(&v, c16(&v));
			break;
		case EXT_POINTFMT:
			if (pointfmt.end == 0)
				pointfmt = csub(&v, c8(&v));
			break;
		case EXT_SIGALGS:
			if (!has_sigalgs)
				sigalgs = csub(&v, c16(&v));
			has_sigalgs = 1;
			break;
		}
	}
	out->version = maxver ? (uint16_t)maxver : out->hello_version;
	if (!fp)
		return APP_OK;

	/* JA3: SSLVersion,Ciphers,Extensions,EllipticCurves,PointFormats */
	md5_init(&md5);
	to_init(&t, out->ja3_string, sizeof(out->ja3_string), &md5);
	to_num(&t, out->hello_version);
	to_put(&t, ",", 1);
	ja3_list(&t, ciphers, 0);
	to_put(&t, ",", 1);
	{
		int first = 1;
		for (e = exts; cmore(&e); ) {
			unsigned type = c16(&e);
			cskip(&e, c16(&e));
			if (e.bad || is_grease(type))
				continue;
			if (!first)
				to_put(&t, "-", 1);
			to_num(&t, type);
			first = 0;
		}
	}
	to_put(&t, ",", 1);
	ja3_list(&t, groups, 0);
	to_put(&t, ",", 1);
	ja3_list(&t, pointfmt, 1);
	to_md5_flush(&t);
	md5_final(&md5, d);
	hex_digest(d, 16, out->ja3);

	/* JA4 */
	for (e = ciphers; cmore(&e); ) {
		unsigned v = c16(&e);
		if (e.bad || is_grease(v))
			continue;
		if (nc < JA4_MAX)
			ja4c[nc++] = (uint16_t)v;
		else
			ja4ok = 0;
	}
	if (!ja4ok)
		return APP_OK;
	qsort(ja4c, nc, sizeof(ja4c[0]), cmp16);
	qsort(ja4e, ne, sizeof(ja4e[0]), cmp16);
	ja4_hash(ja4c, nc, NULL, hb);
	ja4_hash(ja4e, ne, has_sigalgs ? &sigalgs : NULL, hc);
	snprintf(out->ja4, sizeof(out->ja4), "t%s%c%02zu%02zu%c%c_%s_%s",
	    ja4_version(out->version), sni ? 'd' : 'i', nc > 99 ? 99 : nc,
	    next > 99 ? 99 : next, alpn4[0], alpn4[1], hb, hc);
	return APP_OK;
}

static int
tls_server(const struct hs *h, size_t end, struct tls_info *out)
{
	struct cur c = { h, 4, end, 0 }, exts, e;
	unsigned selected = 0;
	struct md5_ctx md5;
	struct tout t;
	uint8_t d[16];
	int first = 1;

	out->is_server_hello = 1;
	out->hello_version = (uint16_t)c16(&c);
	cskip(&c, 32);				/* random */
	cskip(&c, c8(&c));			/* session id */
	out->cipher = (uint16_t)c16(&c);
	cskip(&c, 1);				/* compression method */
	if (c.bad)
		return APP_NOT;
	exts = csub(&c, cmore(&c) ? c16(&c) : 0);
	if (c.bad)
		return APP_NOT;

	/* JA3S: SSLVersion,Cipher,Extensions */
	md5_init(&md5);
	to_init(&t, out->ja3_string, sizeof(out->ja3_string), &md5);
	to_num(&t, out->hello_version);
	to_put(&t, ",", 1);
	to_num(&t, out->cipher);
	to_put(&t, ",", 1);
	for (e = exts; cmore(&e); ) {
		unsigned type = c16(&e);
		struct cur v = csub(&e, c16(&e));

		if (e.bad)
			return APP_NOT;
		if (is_grease(type))
			continue;
		if (!first)
			to_put(&t, "-", 1);
		to_num(&t, type);
		first = 0;
		if (type == EXT_VERSIONS && selected == 0) {
			selected = c16(&v);
			if (v.bad)
				selected = 0;
		} else if (type == EXT_ALPN && out->alpn[0] == '\0')
			tls_alpn(v, out, NULL);
	}
	to_md5_flush(&t);
	md5_final(&md5, d);
	hex_digest(d, 16, out->ja3);
	out->version = selected ? (uint16_t)selected : out->hello_version;
	return APP_OK;
}

int
app_tls_parse(const uint8_t *b, size_t n, struct tls_info *out)
{
	return app_tls_parse_fp(b, n, out, 1);
}

int
app_tls_parse_fp(const uint8_t *b, size_t n, struct tls_info *out, int fp)
{
	struct hs h;
	size_t end;
	int rc;

	memset(out, 0, sizeof(*out));
	if (b == NULL)
		return APP_NOT;
	if ((rc = hs_gather(b, n, &h, out)) != APP_OK)
		return rc;
	end = 4 + ((size_t)hs_at(&h, 1) << 16 | (size_t)hs_at(&h, 2) << 8 |
	    hs_at(&h, 3));
	if (hs_at(&h, 0) == TLS_CLIENT_HELLO)
		rc = tls_client(&h, end, out, fp);
	else
		rc = tls_server(&h, end, out);
	if (rc != APP_OK) {
		uint16_t rv = out->record_version;
		memset(out, 0, sizeof(*out));
		out->record_version = rv;
	}
	return rc;
}

/* Suricata's SSLVersionToString() strings (TLS 1.0 is "TLSv1" there). */
const char *
app_tls_version_name(uint16_t v)
{
	static const char *const draft[] = {
		"TLS 1.3 draft-16", "TLS 1.3 draft-17", "TLS 1.3 draft-18",
		"TLS 1.3 draft-19", "TLS 1.3 draft-20", "TLS 1.3 draft-21",
		"TLS 1.3 draft-22", "TLS 1.3 draft-23", "TLS 1.3 draft-24",
		"TLS 1.3 draft-25", "TLS 1.3 draft-26", "TLS 1.3 draft-27",
		"TLS 1.3 draft-28"
	};

	switch (v) {
	case 0x0002: return "SSLv2";
	case 0x0300: return "SSLv3";
	case 0x0301: return "TLSv1";
	case 0x0302: return "TLS 1.1";
	case 0x0303: return "TLS 1.2";
	case 0x0304: return "TLS 1.3";
	case 0xfb14: return "TLS 1.3 draft-20-fb";
	case 0xfb15: return "TLS 1.3 draft-21-fb";
	case 0xfb16: return "TLS 1.3 draft-22-fb";
	case 0xfb17: return "TLS 1.3 draft-23-fb";
	case 0xfb1a: return "TLS 1.3 draft-26-fb";
	}
	if (v >= 0x7f10 && v <= 0x7f1c)
		return draft[v - 0x7f10];
	if (v >= 0x7f01 && v < 0x7f10)
		return "TLS 1.3 draft-<16";
	return "UNDETERMINED";	/* Suricata prints 0x%04x; no buffer here */
}
