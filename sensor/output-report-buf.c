/*
 * output-report-buf.c - the report's plumbing: an output buffer, the one
 * escaping function every wire string goes through, a string pool, a hash
 * index and time formatting.
 *
 * Why one escaping function for HTML text, quoted attributes and SVG text:
 * the report never puts a wire string anywhere else (no URL, no style, no
 * id), and escaping & < > " ' is right in all three, so there is no
 * context in which a caller could pick the wrong function.  What cannot be
 * shown faithfully (control characters, invalid UTF-8, C1 controls from
 * EVE's \u00XX, bidirectional overrides that would reorder the text
 * around them) is shown as a visible escape instead of being dropped;
 * backslashes are doubled so that "\x41" on the wire is not mistaken for
 * an escape.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "output-report.h"
#include "output-report-int.h"
#include "hash.h"

/* --- buffer --- */

static int
rb_grow(struct rbuf *b, size_t need)
{
	size_t cap;
	char *np;

	if (b->oom)
		return -1;
	if (b->len + need + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + need + 1) {
		if (cap > SIZE_MAX / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	if ((np = realloc(b->p, cap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = np;
	b->cap = cap;
	return 0;
}

void
rb_put(struct rbuf *b, const char *s, size_t n)
{
	if (rb_grow(b, n) != 0)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
rb_puts(struct rbuf *b, const char *s)
{
	rb_put(b, s, strlen(s));
}

void
rb_printf(struct rbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || rb_grow(b, (size_t)n) != 0) {
		b->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
rb_free(struct rbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* --- escaping --- */

/* Length of a valid UTF-8 sequence at s and its code point; 0 if invalid. */
static size_t
utf8_dec(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long c;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	c = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Code points that reorder or hide text: shown as \u{NNNN}. */
static int
invisible(unsigned long c)
{
	return c == 0x061c || c == 0x200b || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x2028 || c == 0x2029 || c == 0xfeff;
}

void
rb_escn(struct rbuf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run, ul;
	unsigned long cp;
	char e[16];

	while (i < n) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '&' && c != '<' &&
		    c != '>' && c != '"' && c != '\'' && c != '\\') {
			run = i;
			while (i < n && s[i] >= 0x20 && s[i] < 0x7f &&
			    s[i] != '&' && s[i] != '<' && s[i] != '>' &&
			    s[i] != '"' && s[i] != '\'' && s[i] != '\\')
				i++;
			rb_put(b, str + run, i - run);
			continue;
		}
		switch (c) {
		case '&': rb_puts(b, "&amp;"); i++; continue;
		case '<': rb_puts(b, "&lt;"); i++; continue;
		case '>': rb_puts(b, "&gt;"); i++; continue;
		case '"': rb_puts(b, "&quot;"); i++; continue;
		case '\'': rb_puts(b, "&#39;"); i++; continue;
		case '\\': rb_puts(b, "\\\\"); i++; continue;
		default: break;
		}
		if (c >= 0x80 && (ul = utf8_dec(s + i, n - i, &cp)) > 0) {
			if (cp >= 0x80 && cp < 0xa0)	/* C1, or EVE's \u00XX */
				snprintf(e, sizeof(e), "\\x%02lx", cp);
			else if (invisible(cp))
				snprintf(e, sizeof(e), "\\u{%04lx}", cp);
			else {
				rb_put(b, str + i, ul);
				i += ul;
				continue;
			}
			rb_puts(b, e);
			i += ul;
			continue;
		}
		/* control character or a byte that is not valid UTF-8 */
		snprintf(e, sizeof(e), "\\x%02x", c);
		rb_puts(b, e);
		i++;
	}
}

void
rb_esc(struct rbuf *b, const struct rstr *s)
{
	if (s != NULL)
		rb_escn(b, s->s, s->len);
}

/*
 * At most max bytes of s (not splitting a UTF-8 sequence), then a visible
 * note of what was cut: table cells stay readable and the page small; the
 * whole string is in the EVE record.
 */
void
rb_esc_cut(struct rbuf *b, const struct rstr *s, size_t max)
{
	size_t n;

	if (s == NULL)
		return;
	if (s->len <= max) {
		rb_escn(b, s->s, s->len);
		return;
	}
	n = max;
	for (int k = 0; k < 3 && n > 0 &&
	    ((unsigned char)s->s[n] & 0xc0) == 0x80; k++)
		n--;
	rb_escn(b, s->s, n);
	rb_printf(b, "<span class=\"cut\">&#8230; (%zu more bytes)</span>",
	    s->len - n);
}

char *
report_escape(const char *s, size_t n)
{
	struct rbuf b;

	memset(&b, 0, sizeof(b));
	rb_escn(&b, s, n);
	rb_put(&b, "", 0);
	if (b.oom) {
		rb_free(&b);
		return NULL;
	}
	return b.p;
}

/* --- string pool --- */

static uint64_t
hash_bytes(const void *p, size_t n)
{
	uint64_t h = fnv1a64(FNV64_INIT, p, n);

	return h ^ (h >> 29);
}

static int
sp_grow(struct spool *p)
{
	size_t cap = p->cap ? p->cap * 2 : 256, i, j;
	struct rstr **ns;

	if ((ns = calloc(cap, sizeof(*ns))) == NULL)
		return -1;
	for (i = 0; i < p->cap; i++) {
		if (p->slot[i] == NULL)
			continue;
		j = hash_bytes(p->slot[i]->s, p->slot[i]->len) & (cap - 1);
		while (ns[j] != NULL)
			j = (j + 1) & (cap - 1);
		ns[j] = p->slot[i];
	}
	free(p->slot);
	p->slot = ns;
	p->cap = cap;
	return 0;
}

const struct rstr *
sp_intern(struct spool *p, const char *s, size_t n)
{
	struct rstr *r;
	size_t j;

	if ((p->n + 1) * 2 > p->cap && sp_grow(p) != 0)
		return NULL;
	j = hash_bytes(s, n) & (p->cap - 1);
	for (; p->slot[j] != NULL; j = (j + 1) & (p->cap - 1))
		if (p->slot[j]->len == n && memcmp(p->slot[j]->s, s, n) == 0)
			return p->slot[j];
	if ((r = malloc(sizeof(*r) + n + 1)) == NULL)
		return NULL;
	r->len = n;
	memcpy(r->s, s, n);
	r->s[n] = '\0';
	p->slot[j] = r;
	p->n++;
	return r;
}

void
sp_free(struct spool *p)
{
	for (size_t i = 0; i < p->cap; i++)
		free(p->slot[i]);
	free(p->slot);
	memset(p, 0, sizeof(*p));
}

int
rstr_cmp(const struct rstr *a, const struct rstr *b)
{
	size_t n;
	int c;

	if (a == b)
		return 0;
	if (a == NULL || b == NULL)
		return a == NULL ? -1 : 1;
	n = a->len < b->len ? a->len : b->len;
	if ((c = memcmp(a->s, b->s, n)) != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* IPv4 before IPv6, numerically; anything else after, by bytes. */
int
ip_cmp(const struct rstr *a, const struct rstr *b)
{
	unsigned char ka[17], kb[17];

	memset(ka, 0xff, sizeof(ka));
	memset(kb, 0xff, sizeof(kb));
	if (a != NULL && inet_pton(AF_INET, a->s, ka + 1) == 1)
		ka[0] = 4;
	else if (a != NULL && inet_pton(AF_INET6, a->s, ka + 1) == 1)
		ka[0] = 6;
	if (b != NULL && inet_pton(AF_INET, b->s, kb + 1) == 1)
		kb[0] = 4;
	else if (b != NULL && inet_pton(AF_INET6, b->s, kb + 1) == 1)
		kb[0] = 6;
	if (ka[0] == 4)
		memset(ka + 5, 0, 12);
	if (kb[0] == 4)
		memset(kb + 5, 0, 12);
	int c = memcmp(ka, kb, sizeof(ka));
	return c != 0 ? c : rstr_cmp(a, b);
}

/* --- hash index --- */

void
km_init(struct kmap *m, size_t keylen)
{
	memset(m, 0, sizeof(*m));
	m->keylen = keylen;
}

uint32_t
km_get(const struct kmap *m, const void *key)
{
	size_t j;

	if (m->cap == 0)
		return UINT32_MAX;
	j = hash_bytes(key, m->keylen) & (m->cap - 1);
	for (; m->val[j] != UINT32_MAX; j = (j + 1) & (m->cap - 1))
		if (memcmp(m->keys + j * m->keylen, key, m->keylen) == 0)
			return m->val[j];
	return UINT32_MAX;
}

static int
km_grow(struct kmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i, j;
	uint8_t *nk;
	uint32_t *nv;

	nk = malloc(cap * m->keylen);
	nv = malloc(cap * sizeof(*nv));
	if (nk == NULL || nv == NULL) {
		free(nk);
		free(nv);
		return -1;
	}
	memset(nv, 0xff, cap * sizeof(*nv));
	for (i = 0; i < m->cap; i++) {
		if (m->val[i] == UINT32_MAX)
			continue;
		j = hash_bytes(m->keys + i * m->keylen, m->keylen) & (cap - 1);
		while (nv[j] != UINT32_MAX)
			j = (j + 1) & (cap - 1);
		memcpy(nk + j * m->keylen, m->keys + i * m->keylen, m->keylen);
		nv[j] = m->val[i];
	}
	free(m->keys);
	free(m->val);
	m->keys = nk;
	m->val = nv;
	m->cap = cap;
	return 0;
}

int
km_put(struct kmap *m, const void *key, uint32_t val)
{
	size_t j;

	if ((m->n + 1) * 2 > m->cap && km_grow(m) != 0)
		return -1;
	j = hash_bytes(key, m->keylen) & (m->cap - 1);
	while (m->val[j] != UINT32_MAX)
		j = (j + 1) & (m->cap - 1);
	memcpy(m->keys + j * m->keylen, key, m->keylen);
	m->val[j] = val;
	m->n++;
	return 0;
}

void
km_free(struct kmap *m)
{
	free(m->keys);
	free(m->val);
	m->keys = NULL;
	m->val = NULL;
	m->n = m->cap = 0;
}

/* --- time lists --- */

int
tl_add(struct tlist *t, int64_t v)
{
	if (t->n >= TL_MAX) {
		t->dropped++;
		return 0;
	}
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 8;
		int64_t *nv = realloc(t->v, cap * sizeof(*nv));

		if (nv == NULL)
			return -1;
		t->v = nv;
		t->cap = cap;
	}
	t->v[t->n++] = v;
	return 0;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

void
tl_sort(struct tlist *t)
{
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmp_i64);
}

void
tl_free(struct tlist *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* --- time --- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* EVE's "2026-11-25T22:32:11.086248+0000" (also Z, +hh:mm, no fraction). */
int
parse_time(const char *s, int64_t *us)
{
	int y, mo, d, h, mi, se, oh, om, frac = 0, fd = 0;
	int64_t t;

	if (strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != ' ') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	s += 19;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, fd++)
			if (fd < 6)
				frac = frac * 10 + (*s - '0');
		if (fd == 0)
			return -1;
		for (int k = fd; k < 6; k++)
			frac *= 10;
	}
	t = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + se;
	if (*s == '+' || *s == '-') {
		int sign = *s == '-' ? -1 : 1;

		s++;
		if (digits(s, 2, &oh))
			return -1;
		s += 2;
		if (*s == ':')
			s++;
		if (digits(s, 2, &om))
			return -1;
		s += 2;
		t -= sign * (oh * 3600 + om * 60);
	} else if (*s == 'Z')
		s++;
	if (*s != '\0')
		return -1;
	*us = t * 1000000 + frac;
	return 0;
}

/* full: "2026-11-25 22:32:11"; 0: "22:32:11"; 2: "11-25 22:32". */
const char *
fmt_time(int64_t us, int full, char *buf, size_t len)
{
	int64_t s = us / 1000000, days, sod;
	int64_t z, era, doe, yoe, doy, mp, y, m, d;

	if (us % 1000000 < 0)
		s--;
	days = s / 86400;
	sod = s % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	z = days + 719468;			/* civil_from_days (Hinnant) */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (full == 1)
		snprintf(buf, len, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld",
		    (long long)y, (long long)m, (long long)d,
		    (long long)(sod / 3600), (long long)(sod / 60 % 60),
		    (long long)(sod % 60));
	else if (full == 2)
		snprintf(buf, len, "%02lld-%02lld %02lld:%02lld",
		    (long long)m, (long long)d, (long long)(sod / 3600),
		    (long long)(sod / 60 % 60));
	else
		snprintf(buf, len, "%02lld:%02lld:%02lld",
		    (long long)(sod / 3600), (long long)(sod / 60 % 60),
		    (long long)(sod % 60));
	return buf;
}

/* A duration for people: "1.5 s", "4 min 10 s", "3 h 20 min", "2 d 4 h". */
const char *
fmt_span(double s, char *buf, size_t len)
{
	if (!(s >= 0) || s > 1e12)
		snprintf(buf, len, "?");
	else if (s < 60)
		snprintf(buf, len, "%.1f s", s);
	else if (s < 3600)
		snprintf(buf, len, "%d min %d s", (int)(s / 60),
		    (int)s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%d h %d min", (int)(s / 3600),
		    (int)(s / 60) % 60);
	else
		snprintf(buf, len, "%lld d %d h", (long long)(s / 86400),
		    (int)((long long)(s / 3600) % 24));
	return buf;
}

const char *
fmt_bytes(uint64_t v, char *buf, size_t len)
{
	if (v < 10000)
		snprintf(buf, len, "%llu B", (unsigned long long)v);
	else if (v < 10000000ULL)
		snprintf(buf, len, "%.1f kB", (double)v / 1e3);
	else if (v < 10000000000ULL)
		snprintf(buf, len, "%.1f MB", (double)v / 1e6);
	else
		snprintf(buf, len, "%.1f GB", (double)v / 1e9);
	return buf;
}
