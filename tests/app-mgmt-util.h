/*
 * app-mgmt-util.h - what test-app-mgmt-rmcp and test-app-mgmt-svc share:
 * loading a capture's L4 payloads through libpcap and decode_packet (as
 * the sensor sees them), finding a frame or one direction of a TCP
 * stream, running every management parser on every length of a payload
 * (an exact-size malloc'ed copy each time, so ASan sees any read past n),
 * the parsers called on exact-size copies, and where the captures are:
 * $srcdir/pcaps and $BW_SHARED (default $srcdir/../shared) /pcaps.
 * Header-only, like check.h; the functions are static inline so a program
 * need not use all of them.
 */
#ifndef BW_APP_MGMT_UTIL_H
#define BW_APP_MGMT_UTIL_H

/* Before any system header: the including .c has none before this. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* u_int and friends in pcap.h under -std=c */
#endif

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sensor/app.h"
#include "../sensor/decode.h"
#include "check.h"

/* One captured packet's L4 payload, copied out of libpcap's buffer. */
struct seg {
	uint32_t	 num;		/* frame number, 1-based */
	uint16_t	 sport, dport;
	uint8_t		 proto;
	uint32_t	 seq;
	size_t		 len;
	uint8_t		*data;
};

struct cap {
	size_t		 n;
	struct seg	*v;
};

#define PATHLEN	4096
static char shared[PATHLEN], srcdir[PATHLEN];

/* dst = a + b + c; paths that do not fit are a test setup error. */
static inline void
join3(char *dst, const char *a, const char *b, const char *c)
{
	if (snprintf(dst, PATHLEN, "%s%s%s", a, b, c) >= PATHLEN) {
		fprintf(stderr, "path too long: %s%s%s\n", a, b, c);
		exit(1);
	}
}
#define join(dst, a, b) join3(dst, a, b, "")

static inline void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		perror("malloc");
		exit(1);
	}
	return p;
}

/* Load every decodable packet of path; -1 (and a note) if unreadable. */
static inline int
cap_load(struct cap *c, const char *dir, const char *file)
{
	char path[PATHLEN], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *pc;
	uint32_t num = 0;
	size_t cap = 0;

	memset(c, 0, sizeof(*c));
	join3(path, dir, "/", file);
	if ((pc = pcap_open_offline(path, err)) == NULL) {
		fprintf(stderr, "skip %s: %s\n", file, err);
		return -1;
	}
	while (pcap_next_ex(pc, &h, &d) == 1) {
		struct packet p;
		struct seg *s;

		num++;
		memset(&p, 0, sizeof(p));
		p.num = num;
		p.wirelen = h->len;
		if (decode_packet(&p, pcap_datalink(pc), d, h->caplen) !=
		    DR_OK || p.frag == PKT_FRAG_LATER)
			continue;
		if (c->n == cap) {
			cap = cap ? cap * 2 : 64;
			c->v = realloc(c->v, cap * sizeof(*c->v));
			if (c->v == NULL) {
				perror("realloc");
				exit(1);
			}
		}
		s = &c->v[c->n++];
		s->num = num;
		s->sport = p.sport;
		s->dport = p.dport;
		s->proto = p.proto;
		s->seq = p.tcp_seq;
		s->len = p.payload_len;
		s->data = xmalloc(s->len);
		if (s->len)
			memcpy(s->data, p.payload, s->len);
	}
	pcap_close(pc);
	return 0;
}

static inline void
cap_free(struct cap *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].data);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static inline const struct seg *
frame(const struct cap *c, uint32_t num)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].num == num)
			return &c->v[i];
	fprintf(stderr, "frame %u not decoded\n", num);
	check_count++;
	check_failures++;
	return NULL;
}

/* One direction of a TCP connection, in order; retransmits dropped. */
static inline size_t
stream(const struct cap *c, uint16_t sport, uint16_t dport, uint8_t *buf,
    size_t size)
{
	size_t used = 0;
	uint32_t next = 0;
	int started = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct seg *s = &c->v[i];
		size_t k;

		if (s->proto != 6 || s->sport != sport || s->dport != dport ||
		    s->len == 0)
			continue;
		if (started && s->seq != next)
			continue;
		k = s->len < size - used ? s->len : size - used;
		memcpy(buf + used, s->data, k);
		used += k;
		next = s->seq + (uint32_t)s->len;
		started = 1;
	}
	return used;
}

/* ---- every parser on every length of a payload ---- */

static inline int
p_rmcp(const uint8_t *b, size_t n, void *o)
{
	struct rmcp_info *r = o;
	int rv = app_rmcp_parse(b, n, r);

	if (memchr(r->username, 0, sizeof(r->username)) == NULL ||
	    r->username_len > 16)
		return 99;
	return rv;
}

static inline int
p_snmp(const uint8_t *b, size_t n, void *o)
{
	struct snmp_info *s = o;
	int rv = app_snmp_parse(b, n, s);

	if (memchr(s->community, 0, sizeof(s->community)) == NULL ||
	    memchr(s->usm_user, 0, sizeof(s->usm_user)) == NULL ||
	    memchr(s->sys_descr, 0, sizeof(s->sys_descr)) == NULL ||
	    memchr(s->sys_object_id, 0, sizeof(s->sys_object_id)) == NULL)
		return 99;
	return rv;
}

static inline int
p_ntp(const uint8_t *b, size_t n, void *o)
{
	return app_ntp_parse(b, n, o);
}

static inline int
p_ssh(const uint8_t *b, size_t n, void *o)
{
	struct ssh_info *s = o;
	int rv = app_ssh_parse(b, n, s);

	if (memchr(s->proto_version, 0, sizeof(s->proto_version)) == NULL ||
	    memchr(s->software_version, 0, sizeof(s->software_version)) ==
	    NULL || memchr(s->comments, 0, sizeof(s->comments)) == NULL)
		return 99;
	return rv;
}

static inline int
p_syslog(const uint8_t *b, size_t n, void *o)
{
	struct syslog_info *s = o;
	int rv = app_syslog_parse(b, n, s);

	if (memchr(s->hostname, 0, sizeof(s->hostname)) == NULL ||
	    memchr(s->app_name, 0, sizeof(s->app_name)) == NULL ||
	    s->severity > 7 || s->facility > 23)
		return 99;
	return rv;
}

static const struct parser {
	const char	*name;
	int		(*fn)(const uint8_t *, size_t, void *);
} parsers[] = {
	{ "rmcp", p_rmcp }, { "snmp", p_snmp }, { "ntp", p_ntp },
	{ "ssh", p_ssh }, { "syslog", p_syslog },
};

/* Large enough for any of the result structs. */
union anyinfo {
	struct rmcp_info	r;
	struct snmp_info	s;
	struct ntp_info		t;
	struct ssh_info		h;
	struct syslog_info	y;
};

static size_t sweeps;

static inline void
sweep(const char *what, uint32_t num, const uint8_t *b, size_t n)
{
	union anyinfo out;
	uint8_t *copy;
	size_t len, i;
	int rv, bad = 0;

	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		for (len = 0; len <= n; len++) {
			copy = xmalloc(len);
			if (len)
				memcpy(copy, b, len);
			rv = parsers[i].fn(copy, len, &out);
			free(copy);
			sweeps++;
			if (rv != APP_OK && rv != APP_MORE && rv != APP_NOT) {
				fprintf(stderr, "%s frame %u: %s at %zu/%zu "
				    "returned %d\n", what, num,
				    parsers[i].name, len, n, rv);
				bad++;
			}
		}
	check_count++;
	if (bad)
		check_failures++;
}

static inline void
sweep_cap(const char *what, const struct cap *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].len)
			sweep(what, c->v[i].num, c->v[i].data, c->v[i].len);
}

/* Parse a copy of exactly the payload (ASan sees reads beyond it). */
#define PARSE_COPY(name, fn, type)					\
static inline int								\
name(const struct seg *s, type *out)					\
{									\
	uint8_t *d;							\
	int rv;								\
									\
	if (s == NULL) {						\
		memset(out, 0, sizeof(*out));				\
		return -99;						\
	}								\
	d = xmalloc(s->len);						\
	memcpy(d, s->data, s->len);					\
	rv = fn(d, s->len, out);					\
	free(d);							\
	return rv;							\
}
PARSE_COPY(rmcp_of, app_rmcp_parse, struct rmcp_info)
PARSE_COPY(snmp_of, app_snmp_parse, struct snmp_info)
PARSE_COPY(ntp_of, app_ntp_parse, struct ntp_info)
PARSE_COPY(syslog_of, app_syslog_parse, struct syslog_info)

/*
 * The project's captures are remade by pcaps/make-captures.sh, and each
 * run moves ports, session ids and even frame numbers (nmap's ARP), so
 * these checks find the messages by port and order, not by frame.
 */
static inline int
on_port(const struct seg *s, uint8_t proto, uint16_t port)
{
	return s->proto == proto && s->len > 0 &&
	    (s->sport == port || s->dport == port);
}

static inline int
test_shared_present(void)
{
	char path[PATHLEN];
	FILE *f;

	join(path, shared, "/ipmi-lanplus-ipmi_sim.pcap");
	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	fclose(f);
	return 1;
}

/*
 * Load dir/file, run test on it, then sweep every payload through every
 * parser (the failures naming what); a missing capture is skipped.
 */
static inline void
with_cap(const char *dir, const char *file, const char *what,
    void (*test)(const struct cap *))
{
	struct cap c;

	if (cap_load(&c, dir, file) == 0) {
		test(&c);
		sweep_cap(what, &c);
		cap_free(&c);
	}
}

/*
 * Set srcdir and shared from the environment; returns whether the shared
 * captures are there.
 */
static inline int
mgmt_setup(void)
{
	const char *e;

	e = getenv("srcdir");
	join(srcdir, e ? e : ".", "");
	e = getenv("BW_SHARED");
	if (e)
		join(shared, e, "/pcaps");
	else
		join(shared, srcdir, "/../shared/pcaps");
	return test_shared_present();
}

/*
 * The exit status: 77 (skip) when the shared captures were missing and
 * everything that could run passed.
 */
static inline int
mgmt_done(int have_shared)
{
	fprintf(stderr, "%zu truncated parses\n", sweeps);
	if (!have_shared && check_failures == 0) {
		fprintf(stderr, "%d checks, 0 failed (shared captures "
		    "skipped)\n", check_count);
		return 77;
	}
	fprintf(stderr, "%d checks, %d failed\n", check_count,
	    check_failures);
	return check_failures ? 1 : 0;
}

#endif
