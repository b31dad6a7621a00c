/*
 * app-x509.c - the server certificate of a TLS 1.2 handshake: subject,
 * issuer, serial, validity and SHA-1 fingerprint of the first (leaf)
 * certificate, as Suricata's tls record shows them.
 *
 * Why: a BMC's web UI usually still has its factory certificate
 * ("CN=IPMI, O=Super Micro Computer", "iDRAC default certificate", ...),
 * which names the device on every HTTPS connection to it, and TLS 1.2
 * sends it in clear.  TLS 1.3 encrypts it, so there we stop (APP_NOT).
 *
 * How: the handshake records of the server's stream are copied, in order,
 * into a bounded buffer on the stack (a Certificate message spans records
 * as often as not), the handshake messages are walked to the Certificate
 * message, and its first certificate is read with a minimal strict DER
 * reader: definite, minimally encoded lengths of at most 4 bytes, every
 * element inside its parent, single-byte tags.  Only the fields up to the
 * subject are read; nothing is allocated.
 */
#include <stdio.h>
#include <string.h>

#include "app-x509.h"
#include "sha1.h"

#define TLS_HANDSHAKE	22
#define HS_SERVER_HELLO	2
#define HS_CERTIFICATE	11
#define X509_HS_MAX	16384	/* handshake bytes kept: > any leaf certificate */
#define TLS_MAX_RECORD	(16384 + 2048)

struct der {
	const uint8_t	*p;
	size_t		 n;
};

/*
 * The next element of d: its tag and content; d moves past it.
 * Returns 0, or -1 when d is empty or the element is not strict DER.
 */
static int
der_next(struct der *d, uint8_t *tag, struct der *c)
{
	size_t len, k, i;

	if (d->n < 2)
		return -1;
	*tag = d->p[0];
	if ((*tag & 0x1f) == 0x1f)
		return -1;			/* multi-byte tags: not in X.509 */
	len = d->p[1];
	i = 2;
	if (len & 0x80) {
		k = len & 0x7f;
		if (k == 0 || k > 4 || d->n - 2 < k || d->p[2] == 0)
			return -1;		/* indefinite, huge or not minimal */
		for (len = 0; k > 0; k--)
			len = len << 8 | d->p[i++];
		if (len < 0x80)
			return -1;		/* long form for a short length */
	}
	if (len > d->n - i)
		return -1;
	c->p = d->p + i;
	c->n = len;
	d->p += i + len;
	d->n -= i + len;
	return 0;
}

/* The next element must have this tag. */
static int
der_expect(struct der *d, uint8_t tag, struct der *c)
{
	uint8_t t;

	return der_next(d, &t, c) == 0 && t == tag ? 0 : -1;
}

/* Append s (NUL-terminated) to the string in buf, cut to fit. */
static void
cat(char *buf, size_t size, const char *s)
{
	size_t o = strlen(buf);

	while (*s != '\0' && o + 1 < size)
		buf[o++] = *s++;
	buf[o] = '\0';
}

/* A directory string as printable ASCII ('?' for anything else). */
static void
str_value(uint8_t tag, const struct der *v, char *out, size_t size)
{
	size_t o = 0, i, w;

	w = tag == 0x1e ? 2 : tag == 0x1c ? 4 : 1;	/* BMP, Universal */
	for (i = 0; i + w <= v->n && o + 1 < size; i += w) {
		uint32_t c = 0;
		for (size_t k = 0; k < w; k++)
			c = c << 8 | v->p[i + k];
		out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[o] = '\0';
}

/* Dotted text of an OID; -1 when malformed. */
static int
oid_text(const struct der *o, char *out, size_t size)
{
	uint32_t arc = 0;
	size_t i;
	int first = 1;
	char num[16];

	out[0] = '\0';
	if (o->n == 0 || (o->p[o->n - 1] & 0x80))
		return -1;
	for (i = 0; i < o->n; i++) {
		if (arc == 0 && o->p[i] == 0x80)
			return -1;		/* non-minimal arc */
		if (arc > (UINT32_MAX >> 7))
			return -1;
		arc = arc << 7 | (o->p[i] & 0x7f);
		if (o->p[i] & 0x80)
			continue;
		if (first) {
			unsigned a = arc < 40 ? 0 : arc < 80 ? 1 : 2;
			snprintf(num, sizeof(num), "%u.%u", a,
			    (unsigned)(arc - 40 * a));
			first = 0;
		} else
			snprintf(num, sizeof(num), ".%u", (unsigned)arc);
		cat(out, size, num);
		arc = 0;
	}
	return 0;
}

static const struct {
	const char	*oid, *name;
} attr_names[] = {
	{ "2.5.4.3", "CN" }, { "2.5.4.4", "SN" }, { "2.5.4.5", "serialNumber" },
	{ "2.5.4.6", "C" }, { "2.5.4.7", "L" }, { "2.5.4.8", "ST" },
	{ "2.5.4.9", "street" }, { "2.5.4.10", "O" }, { "2.5.4.11", "OU" },
	{ "2.5.4.12", "title" }, { "2.5.4.42", "GN" },
	{ "1.2.840.113549.1.9.1", "emailAddress" },
	{ "0.9.2342.19200300.100.1.1", "UID" },
	{ "0.9.2342.19200300.100.1.25", "DC" },
};

/*
 * A Name (SEQUENCE OF SET OF SEQUENCE {OID, value}) into "K=v, K=v" and
 * its CN, O and OU (the last of each, as the most specific).
 */
static int
name(const struct der *nm, char *dn, size_t dnsize, char *cn, char *o,
    char *ou, size_t fsize)
{
	struct der seq = *nm, set, atv, oid, val;
	char oidbuf[64], v[256];
	const char *key;
	char *f;
	uint8_t tag;

	dn[0] = cn[0] = o[0] = ou[0] = '\0';
	while (seq.n > 0) {
		if (der_expect(&seq, 0x31, &set) == -1 || set.n == 0)
			return -1;
		while (set.n > 0) {
			if (der_expect(&set, 0x30, &atv) == -1 ||
			    der_expect(&atv, 0x06, &oid) == -1 ||
			    der_next(&atv, &tag, &val) == -1 || atv.n != 0 ||
			    oid_text(&oid, oidbuf, sizeof(oidbuf)) == -1)
				return -1;
			key = oidbuf;
			for (size_t i = 0; i < sizeof(attr_names) /
			    sizeof(attr_names[0]); i++)
				if (strcmp(oidbuf, attr_names[i].oid) == 0)
					key = attr_names[i].name;
			str_value(tag, &val, v, sizeof(v));
			if (dn[0] != '\0')
				cat(dn, dnsize, ", ");
			cat(dn, dnsize, key);
			cat(dn, dnsize, "=");
			cat(dn, dnsize, v);
			f = strcmp(key, "CN") == 0 ? cn : strcmp(key, "O") == 0 ?
			    o : strcmp(key, "OU") == 0 ? ou : NULL;
			if (f != NULL) {
				f[0] = '\0';		/* the last one wins */
				cat(f, fsize, v);
			}
		}
	}
	return 0;
}

/* UTCTime or GeneralizedTime as "YYYY-MM-DDTHH:MM:SS"; "" if odd. */
static void
asn1_time(uint8_t tag, const struct der *t, char *out, size_t size)
{
	char d[16];
	size_t i, nd = tag == 0x17 ? 12 : 14;

	out[0] = '\0';
	if ((tag != 0x17 && tag != 0x18) || t->n < nd + 1 ||
	    t->p[nd] != 'Z')
		return;
	for (i = 0; i < nd; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return;
		d[i] = (char)t->p[i];
	}
	if (tag == 0x17)
		snprintf(out, size, "%s%.2s-%.2s-%.2sT%.2s:%.2s:%.2s",
		    d[0] < '5' ? "20" : "19", d, d + 2, d + 4, d + 6, d + 8,
		    d + 10);
	else
		snprintf(out, size, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", d, d + 4,
		    d + 6, d + 8, d + 10, d + 12);
}

int
app_x509_der(const uint8_t *b, size_t n, struct x509_info *out)
{
	struct der all = { b, n }, cert, tbs, ver, vint, serial, alg, iss,
	    validity, subj, t;
	struct sha1_ctx sc;
	uint8_t tag, md[20];
	size_t i;

	memset(out, 0, sizeof(*out));
	if (b == NULL || der_expect(&all, 0x30, &cert) == -1 || all.n != 0 ||
	    der_expect(&cert, 0x30, &tbs) == -1)
		return APP_NOT;
	out->version = 1;
	if (tbs.n > 0 && tbs.p[0] == 0xa0) {
		if (der_expect(&tbs, 0xa0, &ver) == -1 ||
		    der_expect(&ver, 0x02, &vint) == -1 || vint.n != 1 ||
		    ver.n != 0 || vint.p[0] > 2)
			return APP_NOT;
		out->version = (uint8_t)(vint.p[0] + 1);
	}
	if (der_expect(&tbs, 0x02, &serial) == -1 || serial.n == 0 ||
	    der_expect(&tbs, 0x30, &alg) == -1 ||
	    der_expect(&tbs, 0x30, &iss) == -1 ||
	    der_expect(&tbs, 0x30, &validity) == -1 ||
	    der_expect(&tbs, 0x30, &subj) == -1)
		return APP_NOT;
	if (name(&iss, out->issuer, sizeof(out->issuer), out->issuer_cn,
	    out->issuer_o, out->issuer_ou, sizeof(out->issuer_cn)) == -1 ||
	    name(&subj, out->subject, sizeof(out->subject), out->subject_cn,
	    out->subject_o, out->subject_ou, sizeof(out->subject_cn)) == -1)
		return APP_NOT;
	out->self_signed = iss.n == subj.n && memcmp(iss.p, subj.p,
	    iss.n) == 0;
	for (i = 0; i < serial.n; i++) {
		char h[4];
		snprintf(h, sizeof(h), i ? ":%02X" : "%02X", serial.p[i]);
		if (strlen(out->serial) + strlen(h) + 1 > sizeof(out->serial))
			break;
		cat(out->serial, sizeof(out->serial), h);
	}
	if (der_next(&validity, &tag, &t) == 0) {
		asn1_time(tag, &t, out->not_before, sizeof(out->not_before));
		if (der_next(&validity, &tag, &t) == 0)
			asn1_time(tag, &t, out->not_after,
			    sizeof(out->not_after));
	}
	sha1_init(&sc);
	sha1_update(&sc, b, n);
	sha1_final(&sc, md);
	for (i = 0; i < 20; i++)
		snprintf(out->fingerprint + 3 * i, 4, i < 19 ? "%02x:" : "%02x",
		    md[i]);
	return APP_OK;
}

static uint32_t
be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* The Certificate message body (l bytes declared, have present). */
static int
cert_msg(const uint8_t *m, size_t l, size_t have, int full,
    struct x509_info *out)
{
	size_t list, clen;

	if (l < 6)
		return APP_NOT;			/* no certificate in it */
	if (have < 3)
		return full ? APP_NOT : APP_MORE;
	list = be24(m);
	if (list != l - 3)
		return APP_NOT;
	if (have < 6)
		return full ? APP_NOT : APP_MORE;
	clen = be24(m + 3);
	if (clen == 0 || clen > list - 3)
		return APP_NOT;
	if (have - 6 < clen)
		return full ? APP_NOT : APP_MORE;
	return app_x509_der(m + 6, clen, out);
}

int
app_x509_tls(const uint8_t *b, size_t n, struct x509_info *out)
{
	uint8_t hs[X509_HS_MAX];
	size_t pos = 0, hl = 0, off, len, take, ml;
	int full = 0, ended = 0;

	memset(out, 0, sizeof(*out));
	if (b == NULL || (n >= 1 && b[0] != TLS_HANDSHAKE) ||
	    (n >= 2 && b[1] != 3))
		return APP_NOT;
	/* gather the handshake records present in b */
	while (pos < n && !ended) {
		if (n - pos < 5)
			break;
		if (b[pos] != TLS_HANDSHAKE) {
			ended = 1;		/* CCS, alert, data: no more hs */
			break;
		}
		if (b[pos + 1] != 3)
			return APP_NOT;
		len = (size_t)b[pos + 3] << 8 | b[pos + 4];
		if (len == 0 || len > TLS_MAX_RECORD)
			return APP_NOT;
		take = n - pos - 5 < len ? n - pos - 5 : len;
		if (take > X509_HS_MAX - hl) {
			take = X509_HS_MAX - hl;
			full = 1;
		}
		memcpy(hs + hl, b + pos + 5, take);
		hl += take;
		if (full || n - pos - 5 < len)
			break;
		pos += 5 + len;
	}
	/* walk the handshake messages to the Certificate */
	for (off = 0; hl - off >= 4; off += 4 + ml) {
		ml = be24(hs + off + 1);
		if (hs[off] == HS_CERTIFICATE)
			return cert_msg(hs + off + 4, ml, hl - off - 4,
			    full || ended, out);
		if (hs[off] != HS_SERVER_HELLO || off != 0)
			return APP_NOT;		/* only ServerHello may come first */
		if (ml > hl - off - 4)
			return full || ended ? APP_NOT : APP_MORE;
	}
	return full || ended ? APP_NOT : APP_MORE;
}
