/*
 * app-dns.c - DNS messages (RFC 1035) into struct dns_info.
 *
 * Why it is built this way: a DNS message is hostile input read once per
 * datagram, so the parser walks it in place and never copies more than the
 * text it keeps.  Two name readers split the two jobs a name has:
 * dns_skip_name() finds where a name ends in place (bounded by the message,
 * no pointers followed) and is used for every record; dns_read_name()
 * follows compression pointers to produce text and is used only for the
 * names we keep (first question, first DNS_MAX_ANSWERS answers).
 *
 * Compression pointers must go strictly backwards, each one below the
 * previous jump target, so a chain cannot revisit a byte and loops are
 * impossible; DNS_MAX_JUMPS bounds the work of a long but legal chain (see
 * zeek-dns-max-compression-depth.pcap) and the 255-byte name limit bounds
 * the label bytes read.  A name longer than that is kept cut to fit; a
 * structurally broken name we need (bad pointer, bad label type, chain too
 * long) makes the message malformed: APP_NOT.  A message that ends before
 * its header counts say is APP_MORE: it looks like DNS but is cut (a TCP
 * caller waits, a UDP caller gives up).
 */
#include <stdio.h>
#include <string.h>

#include "app.h"

#define DNS_HDR_LEN	12
#define DNS_MAX_JUMPS	32	/* pointers followed for one name */
#define DNS_MAX_WIRE	255	/* RFC 1035 2.3.4: octets in a name */

#define DN_OK		0
#define DN_TRUNC	1	/* runs off the end of the message */
#define DN_BAD		2	/* malformed */

/* A bounded text buffer: appends whole pieces or nothing, never a half
 * escape sequence; once something did not fit, nothing more is added. */
struct tbuf {
	char	*p;
	size_t	 len, o;
	int	 full;
};

static void
tb_init(struct tbuf *t, char *p, size_t len)
{
	t->p = p;
	t->len = len;
	t->o = 0;
	t->full = 0;
	if (len > 0)
		p[0] = '\0';
}

static void
tb_put(struct tbuf *t, const char *s, size_t k)
{
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

/* One byte of wire text: printable ASCII as is, the rest as \xNN. */
static void
tb_byte(struct tbuf *t, uint8_t c, int lower)
{
	char e[5];

	if (c >= 0x20 && c < 0x7f) {
		if (lower && c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		e[0] = (char)c;
		tb_put(t, e, 1);
		return;
	}
	snprintf(e, sizeof(e), "\\x%02x", c);
	tb_put(t, e, 4);
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * Find the end of the name at off, in place: labels up to the root label
 * or up to and including a pointer.  *next is the offset just after it.
 */
static int
dns_skip_name(const uint8_t *b, size_t n, size_t off, size_t *next)
{
	size_t pos = off;

	for (;;) {
		uint8_t l;

		if (pos >= n)
			return DN_TRUNC;
		l = b[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 2 > n)
				return DN_TRUNC;
			*next = pos + 2;
			return DN_OK;
		}
		if (l & 0xc0)		/* 0x40 (RFC 6891 obsoleted), 0x80 */
			return DN_BAD;
		if (l == 0) {
			*next = pos + 1;
			return DN_OK;
		}
		pos += 1 + (size_t)l;
	}
}

/*
 * Text of the name at off, following pointers, dot-separated without a
 * final dot ("" for the root).  The caller has checked with dns_skip_name
 * that the in-place part lies within n.
 */
static int
dns_read_name(const uint8_t *b, size_t n, size_t off, char *out,
    size_t outlen)
{
	struct tbuf t;
	size_t pos = off, limit = off, wire = 0;
	int jumps = 0, labels = 0;

	tb_init(&t, out, outlen);
	for (;;) {
		uint8_t l;

		if (pos >= n)
			return DN_BAD;
		l = b[pos];
		if ((l & 0xc0) == 0xc0) {
			size_t to;

			if (pos + 2 > n)
				return DN_BAD;
			to = (size_t)(l & 0x3f) << 8 | b[pos + 1];
			if (to >= limit || ++jumps > DNS_MAX_JUMPS)
				return DN_BAD;
			limit = to;
			pos = to;
			continue;
		}
		if (l & 0xc0)
			return DN_BAD;
		if (l == 0)
			return DN_OK;
		if (pos + 1 + l > n)
			return DN_BAD;
		wire += 1 + (size_t)l;
		if (wire + 1 > DNS_MAX_WIRE) {
			/* Too long for DNS: keep what fits, stop reading. */
			return DN_OK;
		}
		if (labels++ > 0)
			tb_put(&t, ".", 1);
		for (size_t i = 0; i < l; i++)
			tb_byte(&t, b[pos + 1 + i], 1);
		pos += 1 + (size_t)l;
	}
}

/* A name inside rdata [off, end): its in-place part must fit in the rdata. */
static void
dns_rdata_name(const uint8_t *b, size_t n, size_t off, size_t end,
    char *out, size_t outlen)
{
	size_t next;

	out[0] = '\0';
	if (off >= end || dns_skip_name(b, end, off, &next) != DN_OK ||
	    dns_read_name(b, n, off, out, outlen) != DN_OK)
		out[0] = '\0';
}

static void
dns_rdata(const uint8_t *b, size_t n, size_t off, uint16_t type,
    uint16_t rdlen, struct dns_answer *a)
{
	const uint8_t *r = b + off;
	size_t end = off + rdlen;
	struct tbuf t;

	a->rdata[0] = '\0';
	/* addresses formatted by hand: an snprintf per answer was 4 % of
	 * the replay of a segment full of DNS */
	switch (type) {
	case 1:		/* A */
		if (rdlen == 4) {
			char *o = a->rdata;

			for (int i = 0; i < 4; i++) {
				unsigned v = r[i];

				if (i > 0)
					*o++ = '.';
				if (v >= 100)
					*o++ = (char)('0' + v / 100);
				if (v >= 10)
					*o++ = (char)('0' + v / 10 % 10);
				*o++ = (char)('0' + v % 10);
			}
			*o = '\0';
		}
		break;
	case 28:	/* AAAA, uncompressed as Suricata prints it */
		if (rdlen == 16) {
			static const char hx[] = "0123456789abcdef";
			char *o = a->rdata;

			for (int i = 0; i < 16; i++) {
				if (i > 0 && i % 2 == 0)
					*o++ = ':';
				*o++ = hx[r[i] >> 4];
				*o++ = hx[r[i] & 15];
			}
			*o = '\0';
		}
		break;
	case 2:		/* NS */
	case 5:		/* CNAME */
	case 6:		/* SOA: mname */
	case 12:	/* PTR */
		dns_rdata_name(b, n, off, end, a->rdata, sizeof(a->rdata));
		break;
	case 15:	/* MX: preference, exchange */
		if (rdlen > 2)
			dns_rdata_name(b, n, off + 2, end, a->rdata,
			    sizeof(a->rdata));
		break;
	case 33:	/* SRV: priority, weight, port, target */
		if (rdlen > 6)
			dns_rdata_name(b, n, off + 6, end, a->rdata,
			    sizeof(a->rdata));
		break;
	case 16:	/* TXT: character-strings joined as SPF reads them */
		tb_init(&t, a->rdata, sizeof(a->rdata));
		for (size_t p = off; p < end; ) {
			size_t l = b[p];
			if (p + 1 + l > end)
				break;
			for (size_t i = 0; i < l; i++)
				tb_byte(&t, b[p + 1 + i], 0);
			p += 1 + l;
		}
		break;
	default:
		break;
	}
}

int
app_dns_parse(const uint8_t *b, size_t n, struct dns_info *out)
{
	size_t pos, next;
	uint16_t flags;
	uint32_t rr, nrr;
	int rc;

	memset(out, 0, sizeof(*out));
	if (b == NULL || n < DNS_HDR_LEN)
		return APP_NOT;
	out->id = rd16(b);
	flags = rd16(b + 2);
	out->qr = (uint8_t)(flags >> 15);
	out->opcode = (uint8_t)((flags >> 11) & 0x0f);
	out->aa = (uint8_t)((flags >> 10) & 1);
	out->tc = (uint8_t)((flags >> 9) & 1);
	out->rd = (uint8_t)((flags >> 8) & 1);
	out->ra = (uint8_t)((flags >> 7) & 1);
	out->rcode = (uint8_t)(flags & 0x0f);
	out->qdcount = rd16(b + 4);
	out->ancount = rd16(b + 6);
	out->nscount = rd16(b + 8);
	out->arcount = rd16(b + 10);

	/* Opcodes 0-2 and 4-6 are assigned; anything else is not DNS. */
	if (out->opcode == 3 || out->opcode > 6)
		return APP_NOT;
	/* Each question takes >= 5 bytes and each record >= 11: counts that
	 * cannot fit say the message is cut, without walking it. */
	if ((size_t)out->qdcount * 5 + ((size_t)out->ancount +
	    out->nscount + out->arcount) * 11 > n - DNS_HDR_LEN)
		return APP_MORE;

	pos = DNS_HDR_LEN;
	for (uint16_t q = 0; q < out->qdcount; q++) {
		if ((rc = dns_skip_name(b, n, pos, &next)) != DN_OK)
			return rc == DN_TRUNC ? APP_MORE : APP_NOT;
		if (next + 4 > n)
			return APP_MORE;
		if (q == 0) {
			if (dns_read_name(b, n, pos, out->qname,
			    sizeof(out->qname)) != DN_OK)
				return APP_NOT;
			out->qtype = rd16(b + next);
			out->qclass = rd16(b + next + 2);
		}
		pos = next + 4;
	}

	/* Every record is walked so that a cut message is never APP_OK;
	 * only the first answers are decoded. */
	nrr = (uint32_t)out->ancount + out->nscount + out->arcount;
	for (rr = 0; rr < nrr; rr++) {
		uint16_t type, rdlen;

		if ((rc = dns_skip_name(b, n, pos, &next)) != DN_OK)
			return rc == DN_TRUNC ? APP_MORE : APP_NOT;
		if (next + 10 > n)
			return APP_MORE;
		type = rd16(b + next);
		rdlen = rd16(b + next + 8);
		if (next + 10 + rdlen > n)
			return APP_MORE;
		if (rr < out->ancount && out->nanswers < DNS_MAX_ANSWERS) {
			struct dns_answer *a = &out->answers[out->nanswers++];

			if (dns_read_name(b, n, pos, a->rrname,
			    sizeof(a->rrname)) != DN_OK)
				return APP_NOT;
			a->rrtype = type;
			a->ttl = rd32(b + next + 4);
			dns_rdata(b, n, next + 10, type, rdlen, a);
		}
		pos = next + 10 + rdlen;
	}
	return APP_OK;
}

/* Suricata's spellings (rust/src/dns/log.rs), typos included, so that EVE
 * consumers see the same strings from both. */
static const struct {
	uint16_t	 t;
	const char	*name;
} dns_types[] = {
	{ 1, "A" }, { 2, "NS" }, { 3, "ND" }, { 4, "MF" }, { 5, "CNAME" },
	{ 6, "SOA" }, { 7, "MB" }, { 8, "MG" }, { 9, "MR" }, { 10, "NULL" },
	{ 11, "WKS" }, { 12, "PTR" }, { 13, "HINFO" }, { 14, "MINFO" },
	{ 15, "MX" }, { 16, "TXT" }, { 17, "RP" }, { 18, "AFSDB" },
	{ 19, "X25" }, { 20, "ISDN" }, { 21, "RT" }, { 22, "NSAP" },
	{ 23, "NSAPPT" }, { 24, "SIG" }, { 25, "KEY" }, { 26, "PX" },
	{ 27, "GPOS" }, { 28, "AAAA" }, { 29, "LOC" }, { 30, "NXT" },
	{ 33, "SRV" }, { 34, "ATMA" }, { 35, "NAPTR" }, { 36, "KX" },
	{ 37, "CERT" }, { 38, "A6" }, { 39, "DNAME" }, { 41, "OPT" },
	{ 42, "APL" }, { 43, "DS" }, { 44, "SSHFP" }, { 45, "IPSECKEY" },
	{ 46, "RRSIG" }, { 47, "NSEC" }, { 48, "DNSKEY" }, { 49, "DHCID" },
	{ 50, "NSEC3" }, { 51, "NSEC3PARAM" }, { 52, "TLSA" }, { 55, "HIP" },
	{ 59, "CDS" }, { 60, "CDSNKEY" }, { 65, "HTTPS" }, { 99, "SPF" },
	{ 249, "TKEY" }, { 250, "TSIG" }, { 254, "MAILA" }, { 255, "ANY" },
	{ 256, "URI" },
};

const char *
app_dns_type_name(uint16_t t, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(dns_types) / sizeof(dns_types[0]); i++)
		if (dns_types[i].t == t)
			return dns_types[i].name;
	if (buf == NULL || len == 0)
		return "";
	snprintf(buf, len, "%u", t);
	return buf;
}

const char *
app_dns_rcode_name(uint8_t rc, char *buf, size_t len)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE"
	};
	/* 16-22 only exist as extended (EDNS/TSIG) codes. */
	static const char *const ext[] = {
		"BADVERS/BADSIG", "BADKEY", "BADTIME", "BADMODE", "BADNAME",
		"BADALG", "BADTRUNC"
	};

	if (rc < sizeof(names) / sizeof(names[0]))
		return names[rc];
	if (rc >= 16 && rc - 16 < (int)(sizeof(ext) / sizeof(ext[0])))
		return ext[rc - 16];
	if (buf == NULL || len == 0)
		return "";
	snprintf(buf, len, "%u", rc);
	return buf;
}
