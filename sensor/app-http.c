/*
 * app-http.c - the HTTP/1.x request or status line and header block at the
 * start of one direction's byte stream into struct http_info.
 *
 * Why it is built this way: the caller feeds the growing stream of a flow
 * until the header block is complete, so the parser is a single forward
 * scan over at most HTTP_MAX_HEAD bytes that can be re-run on a longer
 * prefix; it keeps only the fields the EVE http object and the rules use.
 * It judges the start line on the bytes it has, so a stream that cannot
 * become HTTP (a TLS record, an SSH banner, binary) is APP_NOT at once
 * rather than APP_MORE until the limit: methods are upper-case letters,
 * '-' and '_' only (no digit, so "SSH-2.0-" fails at the '2'), and a
 * response must start with "HTTP/".  Lines may end in CRLF or a bare LF
 * (both seen in the wild).  Text is copied with control bytes written as
 * \xNN so no NUL or newline reaches a result string; bytes >= 0x80 are kept
 * (UTF-8 in URIs and agents) and left to the JSON writer to escape.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"

#define HTTP_MAX_HEAD	8192

struct line {
	const uint8_t	*p;
	size_t		 n;		/* without CR LF */
};

static int
lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
is_method_char(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

static int
is_ctl(uint8_t c)
{
	return c < 0x20 || c == 0x7f;
}

/* Copy k bytes as text, controls as \xNN, cut to fit whole characters. */
static void
copy_text(char *dst, size_t len, const uint8_t *s, size_t k, int lower)
{
	size_t o = 0;

	if (len == 0)
		return;
	for (size_t i = 0; i < k; i++) {
		if (is_ctl(s[i])) {
			if (o + 4 + 1 > len)
				break;
			snprintf(dst + o, 5, "\\x%02x", s[i]);
			o += 4;
		} else {
			if (o + 1 + 1 > len)
				break;
			dst[o++] = (char)(lower ? lc(s[i]) : s[i]);
		}
	}
	dst[o] = '\0';
}

/* "HTTP/" DIGIT "." DIGIT, judged on the first k bytes (k may be short). */
static int
version_prefix_ok(const uint8_t *s, size_t k)
{
	static const char v[] = "HTTP/0.0";

	for (size_t i = 0; i < k && i < 8; i++) {
		if (v[i] == '0') {
			if (s[i] < '0' || s[i] > '9')
				return 0;
		} else if (s[i] != (uint8_t)v[i])
			return 0;
	}
	return 1;
}

/*
 * Judge a start line that may be incomplete (complete = 0): 1 if it is or
 * may still become a valid request or status line, 0 if it cannot.
 */
static int
start_line_ok(const uint8_t *s, size_t k, int complete, struct http_info *out)
{
	size_t i, sp1, sp2;

	/* A line cut between its CR and LF is judged without the CR. */
	if (!complete && k > 0 && s[k - 1] == '\r')
		k--;
	if (memcmp(s, "HTTP/", k < 5 ? k : 5) == 0) {
		/* "HTTP" may still become a status line or a method. */
		if (k < 5)
			return !complete;
		/* Status line: HTTP/d.d SP ddd [SP reason] */
		if (!version_prefix_ok(s, k))
			return 0;
		if (k > 8 && s[8] != ' ')
			return 0;
		for (i = 9; i < k && i < 12; i++)
			if (s[i] < '0' || s[i] > '9')
				return 0;
		if (k > 12 && s[12] != ' ')
			return 0;
		for (i = 0; i < k; i++)
			if (is_ctl(s[i]) && s[i] != '\t')
				return 0;
		if (!complete)
			return 1;
		if (k < 12)
			return 0;
		out->is_request = 0;
		copy_text(out->protocol, sizeof(out->protocol), s, 8, 0);
		out->status = (uint16_t)((s[9] - '0') * 100 +
		    (s[10] - '0') * 10 + (s[11] - '0'));
		return out->status >= 100;
	}

	/* Request line: METHOD SP request-target SP HTTP/d.d */
	for (i = 0; i < k && is_method_char(s[i]); i++)
		;
	if (i >= sizeof(out->method))
		return 0;
	if (i == k)
		return !complete;
	if (i == 0 || s[i] != ' ')
		return 0;
	sp1 = i;
	for (i = sp1 + 1; i < k; i++)
		if (is_ctl(s[i]))
			return 0;
	if (!complete) {
		/* A target cannot start with a second space. */
		if (k > sp1 + 1 && s[sp1 + 1] == ' ')
			return 0;
		return 1;
	}
	/* The version follows the last space: targets with raw spaces
	 * happen and are kept whole. */
	for (sp2 = k; sp2 > sp1 + 1 && s[sp2 - 1] != ' '; sp2--)
		;
	if (sp2 <= sp1 + 2 || k - sp2 != 8 || !version_prefix_ok(s + sp2, 8))
		return 0;
	out->is_request = 1;
	copy_text(out->method, sizeof(out->method), s, sp1, 0);
	copy_text(out->uri, sizeof(out->uri), s + sp1 + 1, sp2 - 1 - (sp1 + 1),
	    0);
	copy_text(out->protocol, sizeof(out->protocol), s + sp2, 8, 0);
	return 1;
}

/* Next line at *pos within lim; 0 when no line end is there yet. */
static int
next_line(const uint8_t *b, size_t lim, size_t *pos, struct line *l)
{
	const uint8_t *nl;
	size_t k;

	if (*pos >= lim)
		return 0;
	nl = memchr(b + *pos, '\n', lim - *pos);
	if (nl == NULL)
		return 0;
	k = (size_t)(nl - (b + *pos));
	l->p = b + *pos;
	l->n = k > 0 && l->p[k - 1] == '\r' ? k - 1 : k;
	*pos += k + 1;
	return 1;
}

static int
name_is(const struct line *l, size_t nlen, const char *name)
{
	size_t k = strlen(name);

	if (nlen != k)
		return 0;
	for (size_t i = 0; i < k; i++)
		if (lc(l->p[i]) != name[i])
			return 0;
	return 1;
}

/* host[:port], [v6]:port: host lower-cased without a final dot. */
static void
set_host(struct http_info *out, const uint8_t *s, size_t k)
{
	size_t hl = k, i;
	uint32_t port = 0;

	if (k > 0 && s[0] == '[') {
		for (hl = 0; hl < k && s[hl] != ']'; hl++)
			;
		if (hl < k)
			hl++;
	} else {
		for (hl = 0; hl < k && s[hl] != ':'; hl++)
			;
	}
	out->host_port = 0;
	if (hl + 1 < k && s[hl] == ':') {
		for (i = hl + 1; i < k && s[i] >= '0' && s[i] <= '9'; i++) {
			port = port * 10 + (uint32_t)(s[i] - '0');
			if (port > 65535)
				break;
		}
		if (i == k && port <= 65535)
			out->host_port = (uint16_t)port;
	}
	if (hl > 0 && s[hl - 1] == '.')
		hl--;
	copy_text(out->host, sizeof(out->host), s, hl, 1);
}

/* Authority of an absolute-form target ("http://host:port/..."). */
static int
uri_host(const struct line *start, struct http_info *out)
{
	const uint8_t *u;
	size_t k, i, skip;

	/* The target lies between the first and the last space. */
	for (i = 0; i < start->n && start->p[i] != ' '; i++)
		;
	u = start->p + i + 1;
	k = start->n - i - 1 - 9;
	if (k >= 7 && lc(u[0]) == 'h' && lc(u[1]) == 't' && lc(u[2]) == 't' &&
	    lc(u[3]) == 'p' && u[4] == ':' && u[5] == '/' && u[6] == '/')
		skip = 7;
	else if (k >= 8 && lc(u[0]) == 'h' && lc(u[1]) == 't' &&
	    lc(u[2]) == 't' && lc(u[3]) == 'p' && lc(u[4]) == 's' &&
	    u[5] == ':' && u[6] == '/' && u[7] == '/')
		skip = 8;
	else
		return 0;
	u += skip;
	k -= skip;
	for (i = 0; i < k && u[i] != '/' && u[i] != '?' && u[i] != '#'; i++)
		;
	/* userinfo@ is not part of the host */
	for (size_t j = i; j > 0; j--)
		if (u[j - 1] == '@') {
			u += j;
			i -= j;
			break;
		}
	if (i == 0)
		return 0;
	set_host(out, u, i);
	return 1;
}

static void
header(const struct line *l, struct http_info *out, int *have_host)
{
	const uint8_t *v;
	size_t c, k;

	for (c = 0; c < l->n && l->p[c] != ':'; c++)
		;
	if (c == l->n || c == 0)
		return;
	v = l->p + c + 1;
	k = l->n - c - 1;
	while (k > 0 && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		k--;
	}
	while (k > 0 && (v[k - 1] == ' ' || v[k - 1] == '\t'))
		k--;
	/* Tolerate "Name :" as servers do. */
	while (c > 0 && (l->p[c - 1] == ' ' || l->p[c - 1] == '\t'))
		c--;

	if (name_is(l, c, "host")) {
		if (!*have_host)
			set_host(out, v, k);
		*have_host = 1;
	} else if (name_is(l, c, "user-agent") && out->user_agent[0] == '\0')
		copy_text(out->user_agent, sizeof(out->user_agent), v, k, 0);
	else if (name_is(l, c, "server") && out->server[0] == '\0')
		copy_text(out->server, sizeof(out->server), v, k, 0);
	else if (name_is(l, c, "content-type") && out->content_type[0] == '\0')
		copy_text(out->content_type, sizeof(out->content_type), v, k,
		    0);
	else if (name_is(l, c, "content-length") && out->content_length == 0) {
		uint64_t x = 0;
		size_t i;

		for (i = 0; i < k && v[i] >= '0' && v[i] <= '9'; i++) {
			if (x > (UINT64_MAX - 9) / 10)
				break;
			x = x * 10 + (uint64_t)(v[i] - '0');
		}
		out->content_length = i == k ? x : 0;
	}
}

int
app_http_parse(const uint8_t *b, size_t n, struct http_info *out)
{
	size_t lim, pos = 0;
	struct line start, l;
	int have_host = 0;

	memset(out, 0, sizeof(*out));
	if (b == NULL)
		return APP_NOT;
	lim = n < HTTP_MAX_HEAD ? n : HTTP_MAX_HEAD;
	/* RFC 9112 2.2: empty lines before a request line are ignored. */
	while (pos < lim && (b[pos] == '\r' || b[pos] == '\n'))
		pos++;
	if (pos == lim)
		return n >= HTTP_MAX_HEAD ? APP_NOT : APP_MORE;
	if (!next_line(b, lim, &pos, &start)) {
		if (!start_line_ok(b + pos, lim - pos, 0, out))
			return APP_NOT;
		return n >= HTTP_MAX_HEAD ? APP_NOT : APP_MORE;
	}
	if (!start_line_ok(start.p, start.n, 1, out)) {
		memset(out, 0, sizeof(*out));
		return APP_NOT;
	}
	if (out->is_request)
		have_host = uri_host(&start, out);

	while (next_line(b, lim, &pos, &l)) {
		if (l.n == 0)
			return APP_OK;		/* end of the header block */
		if (l.p[0] == ' ' || l.p[0] == '\t')
			continue;		/* obsolete line folding */
		header(&l, out, &have_host);
	}
	return n >= HTTP_MAX_HEAD ? APP_OK : APP_MORE;
}
