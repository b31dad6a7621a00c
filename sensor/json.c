/*
 * json.c - see json.h.  Output is byte-identical for the same calls: no
 * locale-dependent formatting (numbers are formatted by hand or with "%.*f"
 * in the C locale the program never leaves).
 */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

#include "json.h"

void
json_init(struct json *j)
{
	memset(j, 0, sizeof(*j));
}

void
json_free(struct json *j)
{
	free(j->buf);
	memset(j, 0, sizeof(*j));
}

void
json_reset(struct json *j)
{
	j->len = 0;
	j->depth = 0;
	j->oom = 0;
	if (j->buf != NULL)
		j->buf[0] = '\0';
}

static int
grow(struct json *j, size_t need)
{
	size_t cap;
	char *nb;

	if (j->len + need + 1 <= j->cap)
		return 0;
	cap = j->cap ? j->cap : 1024;
	while (cap < j->len + need + 1)
		cap *= 2;
	if ((nb = realloc(j->buf, cap)) == NULL) {
		j->oom = 1;
		return -1;
	}
	j->buf = nb;
	j->cap = cap;
	return 0;
}

static void
put(struct json *j, const char *s, size_t n)
{
	if (grow(j, n) < 0)
		return;
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void
putc_(struct json *j, char c)
{
	put(j, &c, 1);
}

/* Length of a valid UTF-8 sequence at s (max n bytes), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) { len = 2; cp = s[0] & 0x1f; }
	else if ((s[0] & 0xf0) == 0xe0) { len = 3; cp = s[0] & 0x0f; }
	else if ((s[0] & 0xf8) == 0xf0) { len = 4; cp = s[0] & 0x07; }
	else return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void
escape(struct json *j, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, run = 0;

	putc_(j, '"');
	while (i < n) {
		unsigned char c = s[i];
		size_t ul;
		char e[6];

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			/* copy runs of plain ASCII in one go */
			run = i;
			while (i < n && s[i] >= 0x20 && s[i] < 0x80 &&
			    s[i] != '"' && s[i] != '\\')
				i++;
			put(j, str + run, i - run);
			continue;
		}
		if (c >= 0x80 && (ul = utf8_len(s + i, n - i)) > 0) {
			put(j, str + i, ul);
			i += ul;
			continue;
		}
		switch (c) {
		case '"': put(j, "\\\"", 2); break;
		case '\\': put(j, "\\\\", 2); break;
		case '\n': put(j, "\\n", 2); break;
		case '\r': put(j, "\\r", 2); break;
		case '\t': put(j, "\\t", 2); break;
		default:
			/* control char or invalid UTF-8 byte: show it */
			memcpy(e, "\\u00", 4);
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			put(j, e, 6);
		}
		i++;
	}
	putc_(j, '"');
}

void
json_escape_to(const char *s, size_t n, char *out, size_t outlen)
{
	struct json j;

	json_init(&j);
	escape(&j, s, n);
	if (outlen > 0) {
		size_t k = j.len >= 2 ? j.len - 2 : 0;
		if (k >= outlen)
			k = outlen - 1;
		if (j.buf != NULL)
			memcpy(out, j.buf + 1, k);
		out[k] = '\0';
	}
	json_free(&j);
}

static void
key(struct json *j, const char *k)
{
	if (j->depth > 0) {
		if (!j->first[j->depth - 1])
			putc_(j, ',');
		j->first[j->depth - 1] = 0;
	}
	if (k != NULL) {
		escape(j, k, strlen(k));
		putc_(j, ':');
	}
}

static void
open_(struct json *j, const char *k, char c)
{
	key(j, k);
	putc_(j, c);
	if (j->depth < JSON_MAXDEPTH)
		j->first[j->depth] = 1;
	j->depth++;
}

void json_obj_open(struct json *j, const char *k) { open_(j, k, '{'); }
void json_arr_open(struct json *j, const char *k) { open_(j, k, '['); }

void
json_obj_close(struct json *j)
{
	putc_(j, '}');
	if (j->depth > 0)
		j->depth--;
}

void
json_arr_close(struct json *j)
{
	putc_(j, ']');
	if (j->depth > 0)
		j->depth--;
}

void
json_strn(struct json *j, const char *k, const char *v, size_t n)
{
	key(j, k);
	escape(j, v, n);
}

void
json_str(struct json *j, const char *k, const char *v)
{
	json_strn(j, k, v, strlen(v));
}

void
json_uint(struct json *j, const char *k, uint64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%" PRIu64, v);

	key(j, k);
	put(j, b, (size_t)n);
}

void
json_int(struct json *j, const char *k, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%" PRId64, v);

	key(j, k);
	put(j, b, (size_t)n);
}

void
json_double(struct json *j, const char *k, double v, int prec)
{
	char b[64];
	int n;

	if (v != v || v > 1e300 || v < -1e300)	/* NaN/inf are not JSON */
		v = 0;
	n = snprintf(b, sizeof(b), "%.*f", prec, v);
	key(j, k);
	put(j, b, (size_t)n);
}

void
json_bool(struct json *j, const char *k, int v)
{
	key(j, k);
	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
}

const char *
json_time(int64_t ts_ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ts_ns / 1000000000LL);
	long usec = (long)((ts_ns % 1000000000LL) / 1000);
	struct tm tm;

	if (usec < 0) {
		usec += 1000000;
		sec--;
	}
	gmtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+0000",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, usec);
	return buf;
}
