/*
 * app-web-util.h - what test-app-web-dns and test-app-web-tls-http share:
 * the parsers called on malloc'ed copies of exactly the bytes they may
 * read (so an ASan build turns any overread into a failure), the sweep of
 * every prefix of a message, a small message builder, and the loading of
 * TCP and UDP payloads from the shared captures ($BW_SHARED or
 * $srcdir/../shared).  Header-only, like check.h; the functions are
 * static inline so a program need not use all of them.
 */
#ifndef BW_APP_WEB_UTIL_H
#define BW_APP_WEB_UTIL_H

/* Before any system header: the including .c has none before this. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* u_int and friends in pcap.h under -std=c */
#endif

#include <sys/stat.h>

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sensor/app.h"
#include "../sensor/app-flow.h"
#include "../sensor/decode.h"
#include "../sensor/flow.h"
#include "check.h"

/* ---- calling the parsers on exact-size copies ---- */

static inline uint8_t *
dup_exact(const uint8_t *b, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (c == NULL)
		abort();
	if (n)
		memcpy(c, b, n);
	return c;
}

static inline int
dns(const uint8_t *b, size_t n, struct dns_info *o)
{
	uint8_t *c = dup_exact(b, n);
	int rc = app_dns_parse(c, n, o);
	free(c);
	return rc;
}

static inline int
tls(const uint8_t *b, size_t n, struct tls_info *o)
{
	uint8_t *c = dup_exact(b, n);
	int rc = app_tls_parse(c, n, o);
	free(c);
	return rc;
}

static inline int
http(const uint8_t *b, size_t n, struct http_info *o)
{
	uint8_t *c = dup_exact(b, n);
	int rc = app_http_parse(c, n, o);
	free(c);
	return rc;
}

static inline int
any_rc(int which, const uint8_t *b, size_t n)
{
	static struct dns_info d;	/* test-only scratch, too big for the stack twice */
	struct tls_info t;
	struct http_info h;

	if (which == 0)
		return dns(b, n, &d);
	if (which == 1)
		return tls(b, n, &t);
	return http(b, n, &h);
}

/*
 * Every prefix of b: APP_OK from okfrom on, before it APP_MORE (DNS: APP_NOT
 * below the 12-byte header).  One CHECK per sweep, naming the first bad
 * length.
 */
static inline void
sweep(const char *what, int which, const uint8_t *b, size_t n, size_t okfrom)
{
	size_t bad = (size_t)-1;
	int badrc = 0;

	for (size_t k = 0; k <= n; k++) {
		int rc = any_rc(which, b, k), want;

		if (k >= okfrom)
			want = APP_OK;
		else if (which == 0 && k < 12)
			want = APP_NOT;
		else
			want = APP_MORE;
		if (rc != want && bad == (size_t)-1) {
			bad = k;
			badrc = rc;
		}
	}
	check_count++;
	if (bad != (size_t)-1) {
		check_failures++;
		fprintf(stderr, "%s: prefix of %zu/%zu bytes gave %d\n", what,
		    bad, n, badrc);
	}
}

/* ---- a small message builder ---- */

struct mb {
	uint8_t	 b[4096];
	size_t	 n;
};

static inline void
b8(struct mb *m, unsigned v)
{
	if (m->n < sizeof(m->b))
		m->b[m->n++] = (uint8_t)v;
}

static inline void
b16(struct mb *m, unsigned v)
{
	b8(m, v >> 8);
	b8(m, v);
}

static inline void
b32(struct mb *m, uint32_t v)
{
	b16(m, v >> 16);
	b16(m, v & 0xffff);
}

static inline void
bmem(struct mb *m, const void *p, size_t k)
{
	for (size_t i = 0; i < k; i++)
		b8(m, ((const uint8_t *)p)[i]);
}

/* "www.example.com" as labels ending with the root label */
static inline void
bname(struct mb *m, const char *s)
{
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t k = dot ? (size_t)(dot - s) : strlen(s);
		b8(m, (unsigned)k);
		bmem(m, s, k);
		s += k + (dot ? 1 : 0);
	}
	b8(m, 0);
}

/* Patch a 16-bit length at off to cover everything after it. */
static inline void
blen16(struct mb *m, size_t off)
{
	size_t k = m->n - off - 2;
	m->b[off] = (uint8_t)(k >> 8);
	m->b[off + 1] = (uint8_t)k;
}

static inline void
blen24(struct mb *m, size_t off)
{
	size_t k = m->n - off - 3;
	m->b[off] = (uint8_t)(k >> 16);
	m->b[off + 1] = (uint8_t)(k >> 8);
	m->b[off + 2] = (uint8_t)k;
}

/* ---- real captures ---- */

struct seg {
	uint8_t		*d;
	size_t		 n;
	uint16_t	 sport, dport;
	uint8_t		 proto;
};

struct cap {
	struct seg	*v;
	size_t		 n;
};

static char shared[4096];

/* TCP and UDP payloads of dir/name in capture order; -1 if unreadable. */
static inline int
load(const char *name, struct cap *c)
{
	char path[8192], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t cap = 0;
	pcap_t *pc;
	int dlt;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/pcaps/external/%s", shared, name);
	if ((pc = pcap_open_offline(path, err)) == NULL) {
		fprintf(stderr, "%s: %s\n", path, err);
		check_count++;
		check_failures++;
		return -1;
	}
	dlt = pcap_datalink(pc);
	while (pcap_next_ex(pc, &h, &data) == 1) {
		struct packet p;

		memset(&p, 0, sizeof(p));
		if (decode_packet(&p, dlt, data, h->caplen) != DR_OK ||
		    p.payload_len == 0 || (p.proto != 6 && p.proto != 17))
			continue;
		if (c->n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((c->v = realloc(c->v, cap * sizeof(*c->v))) == NULL)
				abort();
		}
		c->v[c->n].d = dup_exact(p.payload, p.payload_len);
		c->v[c->n].n = p.payload_len;
		c->v[c->n].sport = p.sport;
		c->v[c->n].dport = p.dport;
		c->v[c->n].proto = p.proto;
		c->n++;
	}
	pcap_close(pc);
	return 0;
}

static inline void
cap_free(struct cap *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].d);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* The payloads from sport to dport concatenated (the captures used have
 * no loss or retransmission in the parts read). */
static inline uint8_t *
stream(const struct cap *c, uint16_t sport, uint16_t dport, size_t *n)
{
	uint8_t *s = NULL;

	*n = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i].proto != 6 || c->v[i].sport != sport ||
		    c->v[i].dport != dport)
			continue;
		if ((s = realloc(s, *n + c->v[i].n)) == NULL)
			abort();
		memcpy(s + *n, c->v[i].d, c->v[i].n);
		*n += c->v[i].n;
	}
	return s;
}

/*
 * Point shared at $BW_SHARED or $srcdir/../shared; 0 when its
 * pcaps/external directory is not there.
 */
static inline int
shared_found(void)
{
	const char *e = getenv("BW_SHARED"), *src = getenv("srcdir");
	struct stat st;
	char p[8192];

	if (e != NULL && *e != '\0')
		snprintf(shared, sizeof(shared), "%s", e);
	else
		snprintf(shared, sizeof(shared), "%s/../shared",
		    src != NULL && *src != '\0' ? src : ".");
	snprintf(p, sizeof(p), "%s/pcaps/external", shared);
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Captures that must only not crash, whole and at every length. */
static inline void
pcap_smoke(const char *file)
{
	struct cap c;

	if (load(file, &c) != 0)
		return;
	for (size_t i = 0; i < c.n; i++)
		for (size_t k = 0; k <= c.v[i].n; k++)
			for (int w = 0; w < 3; w++)
				(void)any_rc(w, c.v[i].d, k);
	cap_free(&c);
}

/*
 * The exit status: 77 (skip) when the shared captures were missing and
 * everything that could run passed.
 */
static inline int
web_done(int have_pcaps)
{
	if (!have_pcaps && check_failures == 0) {
		fprintf(stderr, "%d checks passed; shared captures missing: "
		    "skip\n", check_count);
		return 77;
	}
	fprintf(stderr, "%d checks, %d failed\n", check_count,
	    check_failures);
	return check_failures ? 1 : 0;
}

#endif
