/*
 * app-syslog.c - the header of a syslog message: "<PRI>" and, when the
 * sender follows one of the two formats, the hostname and application.
 * RFC 5424: "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID ...", with
 * "-" for a missing field.  RFC 3164 (BSD): "<PRI>Mmm dd hh:mm:ss
 * HOSTNAME TAG: ..." where TAG is often "name[pid]"; rsyslog also sends
 * this form with an RFC 3339 timestamp.  Over TCP the message may carry
 * RFC 6587 octet counting, "LEN SP <PRI>...".
 *
 * Why it is built this way: the PRI is the only part every sender
 * agrees on, so it alone decides APP_OK/APP_NOT; the rest is best effort
 * and only fills hostname/app_name when the layout is unambiguous.  Real
 * senders (Cisco's "72: Mar  3 ...", NetScreen, FortiGate key=value)
 * send free text after the PRI, and guessing a hostname there would put
 * wrong values in front of an analyst.  A token right after the
 * timestamp that ends in ':' or holds '[' is a tag with no hostname
 * ("Apr  5 12:56:51 robin: Hello").  The parser is stateless; a stream
 * that stops inside the octet count or the PRI is APP_MORE.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"

#define PRI_MAX		191
#define COUNT_DIGITS	9	/* RFC 6587 MSG-LEN, bounded */

/* A cursor over [p, end). */
struct cur {
	const uint8_t	*p;
	const uint8_t	*end;
};

static int
is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* Take the next token (up to SP or the end); 0 if there is none. */
static int
token(struct cur *c, const uint8_t **s, const uint8_t **e)
{
	const uint8_t *p = c->p;

	if (p >= c->end)
		return 0;
	*s = p;
	while (p < c->end && *p != ' ' && *p != '\n' && *p != '\r' &&
	    *p != '\0')
		p++;
	if (p == *s)
		return 0;
	*e = p;
	if (p < c->end && *p == ' ')
		p++;
	c->p = p;
	return 1;
}

/* Copy [s, e) into dst, cut to fit; "-" is RFC 5424's nil value. */
static void
copy_tok(char *dst, size_t size, const uint8_t *s, const uint8_t *e)
{
	size_t len = (size_t)(e - s);

	if (len == 1 && *s == '-')
		len = 0;
	if (len > size - 1)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

static void
rfc5424(struct cur *c, struct syslog_info *out)
{
	const uint8_t *s, *e;

	out->rfc5424 = 1;
	if (!token(c, &s, &e))			/* TIMESTAMP */
		return;
	if (!token(c, &s, &e))
		return;
	copy_tok(out->hostname, sizeof(out->hostname), s, e);
	if (!token(c, &s, &e))
		return;
	copy_tok(out->app_name, sizeof(out->app_name), s, e);
}

/* "Mmm dd hh:mm:ss " (day space-padded) at c; moves past it. */
static int
bsd_stamp(struct cur *c)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const uint8_t *p = c->p;
	int i;

	if (c->end - p < 16)
		return 0;
	for (i = 0; i < 12; i++)
		if (memcmp(p, months + 3 * i, 3) == 0)
			break;
	if (i == 12 || p[3] != ' ' || (p[4] != ' ' && !is_digit(p[4])) ||
	    !is_digit(p[5]) || p[6] != ' ')
		return 0;
	for (i = 7; i < 15; i++)
		if ((i == 9 || i == 12) ? p[i] != ':' : !is_digit(p[i]))
			return 0;
	if (p[15] != ' ')
		return 0;
	c->p = p + 16;
	return 1;
}

/* "YYYY-MM-DDT..." (RFC 3339, as rsyslog sends it) and its SP. */
static int
iso_stamp(struct cur *c)
{
	const uint8_t *p = c->p, *s, *e;
	int i;

	if (c->end - p < 11)
		return 0;
	for (i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? p[i] != '-' : !is_digit(p[i]))
			return 0;
	if (p[10] != 'T')
		return 0;
	return token(c, &s, &e);
}

/* TAG: the leading name of a token that ends in ':' or holds '['. */
static int
tag(const uint8_t *s, const uint8_t *e, struct syslog_info *out)
{
	const uint8_t *t = s;

	while (t < e && *t != '[' && *t != ':')
		t++;
	if (t == e || t == s)
		return 0;
	if (*t == ':' && t + 1 != e)
		return 0;			/* "a:b" is not a tag */
	copy_tok(out->app_name, sizeof(out->app_name), s, t);
	return 1;
}

static void
rfc3164(struct cur *c, struct syslog_info *out)
{
	const uint8_t *s, *e;

	if (!bsd_stamp(c) && !iso_stamp(c))
		return;
	if (!token(c, &s, &e))
		return;
	if (tag(s, e, out))
		return;				/* no hostname */
	copy_tok(out->hostname, sizeof(out->hostname), s, e);
	if (token(c, &s, &e))
		(void)tag(s, e, out);
}

int
app_syslog_parse(const uint8_t *b, size_t n, struct syslog_info *out)
{
	struct cur c;
	size_t i = 0, count = 0, digits;
	unsigned pri = 0;

	memset(out, 0, sizeof(*out));
	if (b == NULL || n == 0)
		return APP_NOT;
	c.end = b + n;
	if (is_digit(b[0])) {
		/* RFC 6587 octet counting: MSG-LEN SP SYSLOG-MSG */
		if (b[0] == '0')
			return APP_NOT;
		for (; i < n && is_digit(b[i]); i++) {
			if (i == COUNT_DIGITS)
				return APP_NOT;
			count = count * 10 + (size_t)(b[i] - '0');
		}
		if (i == n)
			return APP_MORE;
		if (b[i++] != ' ')
			return APP_NOT;
		if (i == n)
			return APP_MORE;
		if (count < n - i)
			c.end = b + i + count;	/* this frame only */
	}
	if (b[i++] != '<')
		return APP_NOT;
	for (digits = 0; i < n && is_digit(b[i]); i++) {
		if (++digits > 3)
			return APP_NOT;
		pri = pri * 10 + (unsigned)(b[i] - '0');
	}
	if (i == n)
		return APP_MORE;
	if (digits == 0 || b[i++] != '>' || pri > PRI_MAX)
		return APP_NOT;
	if (b + i > c.end)
		return APP_NOT;		/* the count ends inside the PRI */
	out->facility = (uint8_t)(pri >> 3);
	out->severity = (uint8_t)(pri & 7);
	c.p = b + i;
	/* RFC 5424 VERSION "1" SP, then a timestamp or "-" */
	if (c.end - c.p >= 3 && c.p[0] == '1' && c.p[1] == ' ' &&
	    (is_digit(c.p[2]) || c.p[2] == '-')) {
		c.p += 2;
		rfc5424(&c, out);
	} else
		rfc3164(&c, out);
	return APP_OK;
}
