/*
 * app.c - the application stage: feed each flow's payload to the right
 * parser, detect the protocol from content (ports are only a hint, so
 * RMCP on 9623 or SSH on 80 are still recognised), and keep what was
 * learned on the flow (app-flow.h).
 *
 * Why it is built this way:
 *  - Parsing stops as soon as a direction has given its metadata (the
 *    hello, the request line, the banner): the per-packet cost of a long
 *    transfer is one branch.  Only DNS and RMCP, where every message
 *    matters, are parsed for the whole flow.
 *  - TCP directions are reassembled in order into a bounded buffer (the
 *    first APP_REASM_MAX bytes), enough for a ClientHello split across
 *    segments; out-of-order data ends the attempt instead of guessing.
 *  - DNS answers fill a bounded cache address -> name, so a later flow to
 *    that address carries the name the BMC resolved (Zeek's "resolved").
 */
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "app-internal.h"
#include "hash.h"

#define MAX_TRIES	4		/* payload packets to find a protocol */

static const char *const names[APP_MAX] = {
	"unknown", "dns", "tls", "http", "rmcp", "snmp", "ntp", "ssh",
	"syslog", "failed"
};

const char *
app_proto_name(enum app_proto p)
{
	return (unsigned)p < APP_MAX ? names[p] : "unknown";
}

int
app_proto_from_name(const char *s)
{
	for (int i = 0; i < APP_MAX; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

struct app_ctx *
app_new(size_t dns_cache)
{
	struct app_ctx *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	if (dns_cache < 64)
		dns_cache = 64;
	a->ndns = 1;
	while (a->ndns < dns_cache)
		a->ndns <<= 1;
	if ((a->dns = calloc(a->ndns, sizeof(*a->dns))) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void
app_set_inventory_only(struct app_ctx *a, int on)
{
	a->inventory_only = (uint8_t)(on != 0);
}

void
app_free(struct app_ctx *a)
{
	if (a == NULL)
		return;
	free(a->dns);
	free(a);
}

void
app_set_dns_cb(struct app_ctx *a, app_dns_cb cb, void *arg)
{
	a->on_dns = cb;
	a->dns_arg = arg;
}

void
app_stats(const struct app_ctx *a, struct app_stats *s)
{
	*s = a->st;
}

/* ---- resolved names -------------------------------------------------- */

static uint32_t
addr_hash(const struct bw_addr *x)
{
	return fnv1a32(FNV32_INIT, x, sizeof(*x));
}

/* Direct-mapped: the newest answer for an address wins its slot. */
void
app_dns_remember(struct app_ctx *a, const struct bw_addr *addr,
    const char *name, int64_t ts)
{
	struct dns_cache_entry *e = &a->dns[addr_hash(addr) & (a->ndns - 1)];

	if (e->used && memcmp(&e->addr, addr, sizeof(*addr)) != 0)
		a->st.dns_cache_replaced++;
	e->addr = *addr;
	e->ts_ns = ts;
	e->used = 1;
	snprintf(e->name, sizeof(e->name), "%s", name);
	a->st.dns_cache_inserts++;
}

const char *
app_dns_lookup(struct app_ctx *a, const struct bw_addr *addr)
{
	struct dns_cache_entry *e = &a->dns[addr_hash(addr) & (a->ndns - 1)];

	if (e->used && memcmp(&e->addr, addr, sizeof(*addr)) == 0)
		return e->name;
	return NULL;
}

/* ---- per flow -------------------------------------------------------- */

struct flow_ext *
app_ext(struct flow *f)
{
	if (f->ext == NULL)
		f->ext = calloc(1, sizeof(struct flow_ext));
	return f->ext;
}

int
app_flow_start(struct app_ctx *a, struct flow *f)
{
	const char *n = app_dns_lookup(a, flow_dst(f));
	struct flow_ext *x;

	if (n == NULL || (x = app_ext(f)) == NULL)
		return 0;
	x->rname = strdup(n);
	a->st.resolved++;
	return x->rname != NULL ? APP_EV_NAME : 0;
}

static int
port_is(const struct flow *f, uint16_t a, uint16_t b)
{
	uint16_t d = flow_dport(f), s = flow_sport(f);

	return d == a || d == b || s == a || s == b;
}

/*
 * UDP: one datagram is one message.  Content first where the protocol has
 * a signature (RMCP's 06 00, BER's 30, syslog's '<'), ports where it has
 * none (DNS, NTP).
 */
static enum app_proto
detect_udp(const struct flow *f, const uint8_t *b, size_t n,
    union app_datagram *m, int *parsed)
{
	*parsed = 1;
	if (n >= 4 && b[0] == 0x06 && b[1] == 0x00 &&
	    ((b[3] & 0x7f) == 0x06 || (b[3] & 0x7f) == 0x07)) {
		*parsed = 0;		/* known by its header alone */
		return APP_RMCP;
	}
	if ((port_is(f, 53, 5353) || port_is(f, 5355, 53)) &&
	    app_parse_datagram(APP_DNS, b, n, m) == APP_OK)
		return APP_DNS;
	if (n >= 2 && b[0] == 0x30 &&
	    app_parse_datagram(APP_SNMP, b, n, m) == APP_OK)
		return APP_SNMP;
	if (port_is(f, 123, 123) &&
	    app_parse_datagram(APP_NTP, b, n, m) == APP_OK)
		return APP_NTP;
	if (n >= 3 && b[0] == '<' && isdigit(b[1]) &&
	    app_parse_datagram(APP_SYSLOG, b, n, m) == APP_OK)
		return APP_SYSLOG;
	*parsed = 0;
	return APP_UNKNOWN;
}

/* TCP: decided on the first bytes of a direction. */
static enum app_proto
detect_tcp(const struct flow *f, const uint8_t *b, size_t n)
{
	if (n >= 3 && b[0] == 0x16 && b[1] == 0x03)
		return APP_TLS;
	if (n >= 4 && memcmp(b, "SSH-", 4) == 0)
		return APP_SSH;
	if (n >= 5 && (memcmp(b, "HTTP/", 5) == 0 ||
	    memcmp(b, "GET ", 4) == 0 || memcmp(b, "POST ", 5) == 0 ||
	    memcmp(b, "PUT ", 4) == 0 || memcmp(b, "HEAD ", 5) == 0 ||
	    memcmp(b, "DELETE ", n < 7 ? n : 7) == 0 ||
	    memcmp(b, "PATCH ", n < 6 ? n : 6) == 0 ||
	    memcmp(b, "OPTIONS ", n < 8 ? n : 8) == 0 ||
	    memcmp(b, "CONNECT ", n < 8 ? n : 8) == 0))
		return APP_HTTP;
	if (port_is(f, 53, 53) && n >= 2)
		return APP_DNS;
	if (port_is(f, 22, 2200))
		return APP_SSH;		/* servers may talk before the banner */
	if ((port_is(f, 514, 601) || port_is(f, 6514, 10514)) && n >= 2 &&
	    (b[0] == '<' || isdigit(b[0])))
		return APP_SYSLOG;
	return APP_UNKNOWN;
}

/* Append an in-order TCP segment; 0 if the bytes are usable. */
static int
reasm_add(struct flow_ext *x, int dir, const struct packet *p)
{
	struct reasm *r = x->ra[dir];
	uint32_t len = p->payload_len, seq = p->tcp_seq, skip;

	if (r == NULL) {
		/* malloc, not calloc: only the header needs zeroing, the
		 * 8 KB buffer is written before it is read (calloc of it
		 * was 16 % of all instructions on the benchmark) */
		if ((r = x->ra[dir] = malloc(sizeof(*r))) == NULL)
			return -1;
		r->next_seq = 0;
		r->len = 0;
		r->started = r->full = 0;
	}
	if (!r->started) {
		r->started = 1;
		r->next_seq = seq;
	}
	if ((int32_t)(seq - r->next_seq) > 0)
		return -1;			/* a gap: give up, don't guess */
	skip = r->next_seq - seq;		/* retransmitted overlap */
	if (skip >= len)
		return 0;
	len -= skip;
	if (len > (uint32_t)(APP_REASM_MAX - r->len)) {
		len = (uint32_t)(APP_REASM_MAX - r->len);
		r->full = 1;
	}
	memcpy(r->buf + r->len, p->payload + skip, len);
	r->len = (uint16_t)(r->len + len);
	r->next_seq += len;
	return 0;
}

static void
reasm_done(struct flow_ext *x, int dir)
{
	x->done[dir] = 1;
	free(x->ra[dir]);
	x->ra[dir] = NULL;
}

static int
tcp_payload(struct app_ctx *a, struct flow *f, struct flow_ext *x, int dir,
    const struct packet *p, int64_t ts)
{
	struct reasm *r;
	int rc, ev = 0;

	if (p->frag == PKT_FRAG_LATER || x->done[dir])
		return 0;
	if (reasm_add(x, dir, p) < 0) {
		reasm_done(x, dir);
		return 0;
	}
	r = x->ra[dir];
	if (x->app == APP_UNKNOWN) {
		enum app_proto ap = detect_tcp(f, r->buf, r->len);
		if (ap == APP_UNKNOWN) {
			if (++x->tries[dir] >= MAX_TRIES || r->full)
				reasm_done(x, dir);
			return 0;
		}
		x->app = (uint8_t)ap;
		a->st.detected[ap]++;
		ev |= APP_EV_META;
	}
	rc = app_meta_stream(a, f, x, dir, r->buf, r->len, ts, &ev);
	if (rc != APP_MORE || r->full)
		reasm_done(x, dir);
	return ev;
}

static int
udp_payload(struct app_ctx *a, struct flow *f, struct flow_ext *x, int dir,
    const struct packet *p, int64_t ts)
{
	int ev = 0, parsed = 0;

	if (p->frag == PKT_FRAG_LATER)
		return 0;
	if (x->app == APP_UNKNOWN) {
		enum app_proto ap;
		if (x->tries[0] + x->tries[1] >= 2 * MAX_TRIES)
			return 0;
		x->tries[dir]++;
		ap = detect_udp(f, p->payload, p->payload_len, &a->last,
		    &parsed);
		if (ap == APP_UNKNOWN)
			return 0;
		x->app = (uint8_t)ap;
		a->st.detected[ap]++;
		ev |= APP_EV_META;
	}
	app_meta_datagram(a, f, x, dir, p->payload, p->payload_len, ts, &ev,
	    parsed ? &a->last : NULL);
	return ev;
}

const union app_datagram *
app_last_datagram(const struct app_ctx *a)
{
	return a->last_ok ? &a->last : NULL;
}

int
app_packet(struct app_ctx *a, struct flow *f, int dir, const struct packet *p)
{
	struct flow_ext *x;

	a->last_ok = 0;
	if (p->payload_len == 0 || p->payload == NULL)
		return 0;
	if ((x = f->ext) == NULL) {
		/* nothing left to learn on a flow whose parsers gave up */
		if ((x = app_ext(f)) == NULL)
			return 0;
	}
	if (x->app == APP_FAILED || (x->done[0] && x->done[1] &&
	    x->app != APP_DNS && x->app != APP_RMCP))
		return 0;
	if (p->proto == 6)
		return tcp_payload(a, f, x, dir, p, p->ts_ns);
	if (p->proto == 17)
		return udp_payload(a, f, x, dir, p, p->ts_ns);
	return 0;
}

int
app_settled(const struct flow *f)
{
	const struct flow_ext *x = f->ext;

	if (f->key.proto != 6 && f->key.proto != 17)
		return 1;
	if (x == NULL)
		return 0;
	if (x->name != NULL || x->app == APP_FAILED)
		return 1;
	if (f->key.proto == 17)
		return x->tries[DIR_TOSERVER] > 0 || x->app != APP_UNKNOWN;
	return x->done[DIR_TOSERVER] || x->tries[DIR_TOSERVER] >= MAX_TRIES;
}

void
flow_ext_free(struct flow_ext *x)
{
	if (x == NULL)
		return;
	free(x->ra[0]);
	free(x->ra[1]);
	free(x->name);
	free(x->rname);
	/* only the flow's own protocol's strings: the union's other
	 * members are the same bytes read as other pointers */
	switch (x->app) {
	case APP_TLS:
		free(x->u.tls.hello);
		free(x->u.tls.ja3s);
		free(x->u.tls.cert);
		break;
	case APP_HTTP:
		free(x->u.http.method);
		free(x->u.http.uri);
		free(x->u.http.ua);
		free(x->u.http.server);
		break;
	case APP_SSH:
		free(x->u.ssh.client);
		free(x->u.ssh.server);
		break;
	case APP_SNMP:
		free(x->u.snmp.community);
		free(x->u.snmp.user);
		break;
	case APP_SYSLOG:
		free(x->u.syslog.host);
		break;
	case APP_RMCP:
		free(x->u.rmcp);
		break;
	default:
		break;
	}
	free(x->alerted);
	free(x);
}
