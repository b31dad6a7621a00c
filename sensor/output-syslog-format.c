/*
 * output-syslog-format.c - the syslog output's text: the URL that names
 * the collector, the RFC 5424 message made from an EVE line, and the
 * RFC 6587 octet-counting frame around it on TCP (output-syslog.h
 * describes all three).  Nothing here touches a socket or keeps state:
 * the connection and the spool are output-syslog.c's.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output-syslog.h"
#include "output-syslog-int.h"

/* ---- the message ---- */

static int
sev_map(int severity)
{
	switch (severity) {
	case 1: return 2;	/* crit */
	case 2: return 3;	/* err */
	case 3: return 4;	/* warning */
	case 4: return 5;	/* notice */
	default: return 6;	/* info */
	}
}

/* The string value of the first "key":"..." in the line, or NULL. */
static const char *
json_field(const char *s, size_t n, const char *key, size_t *vlen)
{
	size_t kl = strlen(key), i, j;

	for (i = 0; i + kl + 4 <= n; i++) {
		if (s[i] != '"' || memcmp(s + i + 1, key, kl) != 0 ||
		    memcmp(s + i + 1 + kl, "\":\"", 3) != 0)
			continue;
		i += kl + 4;
		for (j = i; j < n && s[j] != '"' && s[j] != '\\'; j++)
			;
		if (j == n || s[j] != '"')
			return NULL;
		*vlen = j - i;
		return s + i;
	}
	return NULL;
}

static int
digits(const char *s, int n)
{
	while (n-- > 0)
		if (*s < '0' || *s++ > '9')
			return 0;
	return 1;
}

/* EVE's 2026-01-16T17:17:34.441782+0000 as RFC 3339 (+00:00); "-" if
 * it is not a time RFC 5424 accepts. */
static void
rfc3339(const char *t, size_t n, char *out, size_t outlen)
{
	size_t i = 19, frac = 0;

	snprintf(out, outlen, "-");
	if (n < 20 || n > 40 || !digits(t, 4) || t[4] != '-' ||
	    !digits(t + 5, 2) || t[7] != '-' || !digits(t + 8, 2) ||
	    t[10] != 'T' || !digits(t + 11, 2) || t[13] != ':' ||
	    !digits(t + 14, 2) || t[16] != ':' || !digits(t + 17, 2))
		return;
	if (t[i] == '.') {
		while (++i < n && t[i] >= '0' && t[i] <= '9')
			frac++;
		if (frac < 1 || frac > 6)
			return;
	}
	if (n - i == 1 && t[i] == 'Z')
		snprintf(out, outlen, "%.*s", (int)n, t);
	else if ((t[i] == '+' || t[i] == '-') && n - i == 5 &&
	    digits(t + i + 1, 4))
		snprintf(out, outlen, "%.*s%.3s:%.2s", (int)i, t, t + i,
		    t + i + 3);
	else if ((t[i] == '+' || t[i] == '-') && n - i == 6 &&
	    digits(t + i + 1, 2) && t[i + 3] == ':' && digits(t + i + 4, 2))
		snprintf(out, outlen, "%.*s", (int)n, t);
}

size_t
syslog_format(char *buf, size_t len, int facility, int severity,
    const char *hostname, pid_t pid, const char *eve, size_t n)
{
	char ts[48], id[40];
	const char *v;
	size_t vl, hl, i;
	int h;

	while (n > 0 && (eve[n - 1] == '\n' || eve[n - 1] == '\r'))
		n--;
	snprintf(ts, sizeof(ts), "-");
	if ((v = json_field(eve, n, "timestamp", &vl)) != NULL)
		rfc3339(v, vl, ts, sizeof(ts));
	snprintf(id, sizeof(id), "-");
	if ((v = json_field(eve, n, "event_type", &vl)) != NULL &&
	    vl >= 1 && vl <= 32) {
		for (i = 0; i < vl && v[i] > 32 && v[i] < 127; i++)
			;
		if (i == vl)
			snprintf(id, sizeof(id), "%.*s", (int)vl, v);
	}
	if (hostname == NULL || hostname[0] == '\0')
		hostname = "-";
	h = snprintf(buf, len, "<%d>1 %s %s bmcwatch %ld %s - ",
	    facility * 8 + sev_map(severity), ts, hostname, (long)pid, id);
	hl = h < 0 ? 0 : (size_t)h;
	if (hl < len) {
		size_t c = len - hl - 1 < n ? len - hl - 1 : n;
		memcpy(buf + hl, eve, c);
		buf[hl + c] = '\0';
	}
	return hl + n;
}

/* ---- the URL ---- */

static const struct {
	const char *name;
	int code;
} facilities[] = {
	{ "kern", 0 }, { "user", 1 }, { "mail", 2 }, { "daemon", 3 },
	{ "auth", 4 }, { "syslog", 5 }, { "lpr", 6 }, { "news", 7 },
	{ "uucp", 8 }, { "cron", 9 }, { "authpriv", 10 }, { "ftp", 11 },
	{ "local0", 16 }, { "local1", 17 }, { "local2", 18 },
	{ "local3", 19 }, { "local4", 20 }, { "local5", 21 },
	{ "local6", 22 }, { "local7", 23 },
};

#define URL_FORMS "unix:PATH, udp://HOST[:PORT] or tcp://HOST[:PORT]"

int
syslog_parse_url(struct syslog_dest *o, const char *url, char *err,
    size_t errlen)
{
	char hostbuf[256], port[8] = "514";
	const char *rest, *q, *end, *h, *he, *c;
	struct addrinfo hints;
	size_t i, n;
	int rc;

	o->facility = 16;
	if (url == NULL || url[0] == '\0') {
		snprintf(err, errlen, "syslog URL is empty (expected "
		    URL_FORMS ")");
		return -1;
	}
	if (strlen(url) >= sizeof(o->url)) {
		snprintf(err, errlen, "syslog URL is too long");
		return -1;
	}
	snprintf(o->url, sizeof(o->url), "%s", url);
	end = url + strlen(url);
	if ((q = strchr(url, '?')) != NULL) {
		const char *f = q + 1;
		if (strncmp(f, "facility=", 9) != 0) {
			snprintf(err, errlen, "syslog URL '%s': unknown "
			    "option '%s' (only facility=NAME)", url, f);
			return -1;
		}
		f += 9;
		for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]);
		    i++)
			if (strcmp(f, facilities[i].name) == 0)
				break;
		if (i == sizeof(facilities) / sizeof(facilities[0])) {
			snprintf(err, errlen, "syslog URL '%s': unknown "
			    "facility '%s' (local0..local7, user, daemon, "
			    "auth, authpriv, syslog, ...)", url, f);
			return -1;
		}
		o->facility = facilities[i].code;
		end = q;
	}
	if (strncmp(url, "unix:", 5) == 0) {
		rest = url + 5;
		if (strncmp(rest, "//", 2) == 0)
			rest += 2;
		n = (size_t)(end - rest);
		if (n == 0 || n >= sizeof(o->sun.sun_path)) {
			snprintf(err, errlen, "syslog URL '%s': %s socket "
			    "path", url, n ? "too long a" : "no");
			return -1;
		}
		o->transport = T_UNIX;
		o->sun.sun_family = AF_UNIX;
		memcpy(o->sun.sun_path, rest, n);
		return 0;
	}
	if (strncmp(url, "udp://", 6) == 0)
		o->transport = T_UDP;
	else if (strncmp(url, "tcp://", 6) == 0)
		o->transport = T_TCP;
	else {
		snprintf(err, errlen, "syslog URL '%s': unknown scheme "
		    "(expected " URL_FORMS ")", url);
		return -1;
	}
	h = url + 6;
	if (*h == '[') {
		if ((he = memchr(h, ']', (size_t)(end - h))) == NULL) {
			snprintf(err, errlen, "syslog URL '%s': no ']' after "
			    "the IPv6 address", url);
			return -1;
		}
		h++;
		c = he + 1;
		if (c != end && *c != ':') {
			snprintf(err, errlen, "syslog URL '%s': junk after "
			    "']'", url);
			return -1;
		}
	} else {
		c = memchr(h, ':', (size_t)(end - h));
		he = c ? c : end;
		if (c != NULL && memchr(c + 1, ':', (size_t)(end - c - 1))) {
			snprintf(err, errlen, "syslog URL '%s': write an IPv6 "
			    "address in brackets: [ADDR]:PORT", url);
			return -1;
		}
		if (c == NULL)
			c = end;
	}
	if (he == h || (size_t)(he - h) >= sizeof(hostbuf) ||
	    memchr(h, '/', (size_t)(he - h)) != NULL) {
		snprintf(err, errlen, "syslog URL '%s': %s host (expected "
		    URL_FORMS ")", url, he == h ? "no" : "bad");
		return -1;
	}
	memcpy(hostbuf, h, (size_t)(he - h));
	hostbuf[he - h] = '\0';
	if (c != end) {
		long p;
		n = (size_t)(end - c - 1);
		if (n == 0 || n > 5 || !digits(c + 1, (int)n) ||
		    (p = strtol(c + 1, NULL, 10)) < 1 || p > 65535) {
			snprintf(err, errlen, "syslog URL '%s': the port must "
			    "be a number from 1 to 65535", url);
			return -1;
		}
		snprintf(port, sizeof(port), "%ld", p);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = o->transport == T_TCP ? SOCK_STREAM : SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(hostbuf, port, &hints, &o->ai)) != 0) {
		snprintf(err, errlen, "syslog URL '%s': cannot resolve '%s': "
		    "%s", url, hostbuf, gai_strerror(rc));
		return -1;
	}
	return 0;
}

/* ---- TCP framing, the host name ---- */

size_t
syslog_frame(char **buf, size_t *cap, const void *msg, size_t n)
{
	int h;

	/* the length is at most 7 digits (SPOOL_MAX_RECORD), 16 is ample */
	if (n + 16 > *cap) {
		char *nb = realloc(*buf, n + 16);
		if (nb == NULL)
			return 0;
		*buf = nb;
		*cap = n + 16;
	}
	h = snprintf(*buf, *cap, "%zu ", n);
	memcpy(*buf + h, msg, n);
	return (size_t)h + n;
}

void
syslog_hostname(char *buf, size_t len)
{
	size_t i;

	if (gethostname(buf, len - 1) < 0)
		buf[0] = '\0';
	buf[len - 1] = '\0';
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] <= 32 || buf[i] >= 127) {
			buf[0] = '\0';	/* not RFC 5424's PRINTUSASCII */
			break;
		}
}
