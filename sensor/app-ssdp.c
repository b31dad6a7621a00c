/*
 * app-ssdp.c - SSDP (UPnP discovery, HTTP over UDP 1900) and SLPv2
 * (RFC 2608, port 427): the two ways a BMC announces itself.
 *
 * Why: Supermicro BMCs run a UPnP stack, Redfish services advertise
 * "urn:dmtf-org:service:redfish-rest:1" over SSDP (DSP0266 "Discovery"),
 * and OpenBMC and IBM/Lenovo management modules answer SLP (threats.md
 * 2.1).  The SERVER/USN/NT headers and SLP service URLs name the device.
 *
 * How: one datagram is one message, so APP_MORE is only returned for a
 * SLP message longer than the bytes given (SLP over TCP).  SSDP is read
 * line by line, only the headers we keep are copied; SLP is read through
 * a (pointer, length) pair narrowed to the message length of its header,
 * so no length field can lead outside it.  Copies are printable ASCII.
 */
#include <string.h>
#include <strings.h>

#include "app-x509.h"

/* Copy [s, s+n) as printable ASCII, cut to fit; leading/trailing blanks
 * are dropped. */
static void
copy_text(char *dst, size_t size, const uint8_t *s, size_t n)
{
	size_t o = 0;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < n && o + 1 < size; i++)
		dst[o++] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	dst[o] = '\0';
}

/* Append ", " and [s, s+n) to the text in dst. */
static void
append_text(char *dst, size_t size, const uint8_t *s, size_t n)
{
	size_t o = strlen(dst);

	if (o > 0 && o + 2 < size) {
		memcpy(dst + o, ", ", 2);
		o += 2;
		dst[o] = '\0';
	}
	copy_text(dst + o, size - o, s, n);
}

static int
starts(const uint8_t *b, size_t n, const char *s)
{
	size_t k = strlen(s);

	return n >= k && strncasecmp((const char *)b, s, k) == 0;
}

int
app_ssdp_parse(const uint8_t *b, size_t n, struct ssdp_info *out)
{
	const uint8_t *line, *end, *colon;
	size_t ll, kl;
	int first = 1;

	memset(out, 0, sizeof(*out));
	if (b == NULL || n == 0)
		return APP_NOT;
	for (size_t i = 0; i < n; i++)
		if ((b[i] < 0x20 && b[i] != '\t' && b[i] != '\r' &&
		    b[i] != '\n') || b[i] == 0x7f)
			return APP_NOT;		/* text only */
	for (line = b; line < b + n; line = end + 1) {
		end = memchr(line, '\n', (size_t)(b + n - line));
		if (end == NULL)
			end = b + n;
		ll = (size_t)(end - line);
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if (first) {
			first = 0;
			if (starts(line, ll, "NOTIFY * HTTP/1."))
				out->kind = SSDP_NOTIFY;
			else if (starts(line, ll, "M-SEARCH * HTTP/1."))
				out->kind = SSDP_MSEARCH;
			else if (starts(line, ll, "HTTP/1.") && ll >= 12 &&
			    line[8] == ' ')
				out->kind = SSDP_RESPONSE;
			else
				return APP_NOT;
			continue;
		}
		if (ll == 0)
			break;			/* end of the header block */
		if ((colon = memchr(line, ':', ll)) == NULL)
			continue;
		kl = (size_t)(colon - line);
		line = colon + 1;
		ll -= kl + 1;
#define HDR(name, field)						\
	if (kl == sizeof(name) - 1 &&					\
	    strncasecmp((const char *)colon - kl, name, kl) == 0) {	\
		copy_text(out->field, sizeof(out->field), line, ll);	\
		continue;						\
	}
		HDR("SERVER", server)
		HDR("USN", usn)
		HDR("LOCATION", location)
		HDR("NT", nt)
		HDR("ST", nt)
		HDR("NTS", nts)
#undef HDR
	}
	return out->kind != 0 ? APP_OK : APP_NOT;
}

/* ---- SLP ----------------------------------------------------------------- */

struct rd {
	const uint8_t	*p;
	size_t		 n;
	int		 bad;
};

static unsigned
rd8(struct rd *r)
{
	if (r->bad || r->n < 1) {
		r->bad = 1;
		return 0;
	}
	r->n--;
	return *r->p++;
}

static unsigned
rd16(struct rd *r)
{
	unsigned hi = rd8(r);

	return hi << 8 | rd8(r);
}

/* A <length, string> field: 16-bit length then bytes. */
static const uint8_t *
rdstr(struct rd *r, size_t *len)
{
	const uint8_t *s;

	*len = rd16(r);
	if (r->bad || *len > r->n) {
		r->bad = 1;
		*len = 0;
		return NULL;
	}
	s = r->p;
	r->p += *len;
	r->n -= *len;
	return s;
}

/* Skip <#auths, auth blocks>: each block is BSD(2), length(2, whole block). */
static void
skip_auths(struct rd *r)
{
	unsigned k = rd8(r);

	while (k-- > 0 && !r->bad) {
		size_t bl;
		rd16(r);
		bl = rd16(r);
		if (bl < 4 || bl - 4 > r->n) {
			r->bad = 1;
			return;
		}
		r->p += bl - 4;
		r->n -= bl - 4;
	}
}

int
app_slp_parse(const uint8_t *b, size_t n, struct slp_info *out)
{
	struct rd r;
	const uint8_t *s;
	size_t mlen, l, lang;
	unsigned cnt;

	memset(out, 0, sizeof(*out));
	if (b == NULL || n < 1 || b[0] != 2 || (n >= 2 && (b[1] == 0 ||
	    b[1] > 11)))
		return APP_NOT;
	if (n < 14)
		return APP_MORE;
	mlen = (size_t)b[2] << 16 | (size_t)b[3] << 8 | b[4];
	lang = (size_t)b[12] << 8 | b[13];
	if (mlen < 14 + lang)
		return APP_NOT;
	if (mlen > n)
		return APP_MORE;
	out->function = b[1];
	out->xid = (uint16_t)(b[10] << 8 | b[11]);
	r.p = b + 14 + lang;
	r.n = mlen - 14 - lang;
	r.bad = 0;
	switch (out->function) {
	case SLP_SRVRPLY:
		out->error = (uint16_t)rd16(&r);
		cnt = rd16(&r);
		for (; cnt > 0 && !r.bad; cnt--) {
			rd8(&r);		/* reserved */
			rd16(&r);		/* lifetime */
			s = rdstr(&r, &l);
			skip_auths(&r);
			if (!r.bad) {
				append_text(out->text, sizeof(out->text), s, l);
				if (out->nurls < 255)
					out->nurls++;
			}
		}
		break;
	case SLP_ATTRRPLY:
	case SLP_SRVTYPERPLY:
		out->error = (uint16_t)rd16(&r);
		s = rdstr(&r, &l);
		if (!r.bad)
			copy_text(out->text, sizeof(out->text), s, l);
		break;
	case SLP_DAADVERT:
		out->error = (uint16_t)rd16(&r);
		rd16(&r);			/* boot timestamp */
		rd16(&r);
		/* FALLTHROUGH */
	case SLP_SAADVERT:
		s = rdstr(&r, &l);		/* URL */
		if (!r.bad)
			copy_text(out->text, sizeof(out->text), s, l);
		(void)rdstr(&r, &l);		/* scope list */
		s = rdstr(&r, &l);		/* attribute list */
		if (!r.bad && l > 0)
			append_text(out->text, sizeof(out->text), s, l);
		break;
	default:
		break;
	}
	return r.bad ? APP_NOT : APP_OK;
}
