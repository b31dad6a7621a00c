/*
 * learn-periodic.c - which learned destinations are periodic, and which
 * ones a beacon rule alerted on (issue 7): the analyst must tell NTP
 * polling from a beacon before accepting a rule, and a series a beacon
 * rule alerted on is reported, never passed.
 *
 * Why the learner keeps its own series instead of asking the detector's:
 * the detector only builds series for flows its beacon rules match, and
 * skips passed flows, so a learning policy without beacon rules (the
 * usual one: site variables and hard alerts) would show no period at all,
 * and one with a catch-all beacon rule alerts on every periodic service,
 * NTP included, which then can never be learned.  The learner's series
 * use the detector's table and statistics (beacon.h: same ring, same
 * score), one event per flow start per (src, dst, proto, port), and are
 * scored once, when OUT is written.  Bounded: LEARN_SERIES series (the
 * table evicts one-off series first), about 14 MB at most.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "beacon.h"
#include "decode.h"
#include "learn.h"
#include "learn-int.h"

#define MAX_ALERTS	65536
#define MIN_PERIOD_S	1.0	/* as the detector: faster is retries */

/* Fixed layout, zeroed: equal series hash equally. */
struct skey {
	struct bw_addr	 src, dst;
	uint8_t		 proto;
	uint8_t		 pad;
	uint16_t	 port;
};

static void
skey(struct skey *k, const struct bw_addr *src, const struct bw_addr *dst,
    uint8_t proto, uint16_t port)
{
	memset(k, 0, sizeof(*k));
	k->src = *src;
	k->dst = *dst;
	k->proto = proto;
	k->port = port;
}

void
lw_series_event(struct learn *l, const struct bw_addr *src,
    const struct bw_addr *dst, uint8_t proto, uint16_t port, int64_t ts_ns,
    uint64_t bytes)
{
	struct beacon_params p;
	struct beacon_result r;
	struct skey k;

	beacon_params_default(&p);
	skey(&k, src, dst, proto, port);
	(void)beacon_observe(l->bt, &k, sizeof(k), ts_ns,
	    bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes, &p, &r);
}

void
learn_beacon(struct learn *l, const struct bw_addr *src,
    const struct bw_addr *dst, uint8_t proto, uint16_t dport,
    const char *zone, uint32_t sid, const struct beacon_result *r)
{
	struct lalert *a = NULL;

	if (proto != 6 && proto != 17)
		dport = 0;
	if (zone == NULL || strlen(zone) >= sizeof(a->zone))
		zone = "";
	for (size_t i = 0; i < l->nalert && a == NULL; i++) {
		struct lalert *b = &l->alert[i];

		if (b->sid == sid && b->proto == proto && b->port == dport &&
		    memcmp(&b->src, src, sizeof(*src)) == 0 &&
		    memcmp(&b->dst, dst, sizeof(*dst)) == 0 &&
		    strcmp(b->zone, zone) == 0)
			a = b;
	}
	if (a == NULL) {
		if (l->nalert >= MAX_ALERTS) {
			l->alert_lost = 1;	/* learn_write refuses */
			return;
		}
		if (l->nalert == l->alertcap) {
			size_t cap = l->alertcap ? l->alertcap * 2 : 16;
			struct lalert *n = realloc(l->alert, cap * sizeof(*n));

			if (n == NULL) {
				l->alert_lost = 1;
				return;
			}
			l->alert = n;
			l->alertcap = cap;
		}
		a = &l->alert[l->nalert++];
		memset(a, 0, sizeof(*a));
		a->src = *src;
		a->dst = *dst;
		a->proto = proto;
		a->port = dport;
		a->sid = sid;
		snprintf(a->zone, sizeof(a->zone), "%s", zone);
		l->alert_sorted = 0;
	}
	a->period = r->period_s;
	a->jitter = r->jitter;
	a->score = r->score;
	a->events = r->events;
}

/* Alerts by (dst, proto, port): what a tuple is matched on. */
static int
cmp_alert(const void *x, const void *y)
{
	const struct lalert *a = x, *b = y;
	int c = memcmp(&a->dst, &b->dst, sizeof(a->dst));

	if (c != 0)
		return c;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	return a->port < b->port ? -1 : a->port > b->port;
}

/* The alerts about t's destination: [*lo, return). */
static size_t
alerts_of(const struct learn *l, const struct tuple *t, size_t *lo)
{
	struct lalert key;
	size_t a = 0, b = l->nalert, hi;

	memset(&key, 0, sizeof(key));
	key.dst = t->dst;
	key.proto = t->proto;
	key.port = t->dport;
	while (a < b) {
		size_t m = a + (b - a) / 2;

		if (cmp_alert(&l->alert[m], &key) < 0)
			a = m + 1;
		else
			b = m;
	}
	for (hi = a; hi < l->nalert && cmp_alert(&l->alert[hi], &key) == 0;
	    hi++)
		;
	*lo = a;
	return hi;
}

/*
 * By destination, whatever the name: the name a flow had when the beacon
 * rule fired may differ from the one at its end (a resolved name vs the
 * SNI), and a named group is reported as soon as one of its tuples is.
 * A DNS name series marks the resolver: it is what the queries went to.
 */
void
lw_beacon_mark(struct learn *l)
{
	if (!l->alert_sorted) {
		lw_sort(l->alert, l->nalert, sizeof(*l->alert), cmp_alert);
		l->alert_sorted = 1;
	}
	for (size_t i = 0; i < l->nt; i++) {
		size_t lo, hi = alerts_of(l, l->t[i], &lo);

		if (hi > lo)
			l->t[i]->alerted = 1;
	}
}

/*
 * What a periodic series probably is.  NTP clients poll at a power of two
 * seconds (ntpd and chrony: 2^4 to 2^17); the other management services
 * a BMC calls are polled or kept alive on a timer too.  Anything else
 * with a clock behind it is what a beacon looks like.
 */
static void
guess(const struct tuple *t, double period, char *buf, size_t len)
{
	static const uint16_t timed[] = { 49, 53, 67, 88, 161, 162, 389, 514,
	    546, 547, 636, 1812, 1813, 3268, 3269, 6514 };
	const char *svc;

	if (t->proto == 17 && t->dport == 123) {
		long k = lround(log2(period));

		if (k >= 4 && k <= 17 && fabs(period - ldexp(1, (int)k)) <=
		    0.05 * ldexp(1, (int)k))
			snprintf(buf, len, "looks like NTP polling (2^%ld s)", k);
		else
			snprintf(buf, len, "NTP port, but not an NTP poll "
			    "interval (a power of two seconds): review");
		return;
	}
	if (t->proto == 6 || t->proto == 17)
		for (size_t i = 0; i < sizeof(timed) / sizeof(timed[0]); i++)
			if (timed[i] == t->dport &&
			    (svc = lw_service_name(t->dport)) != NULL) {
				snprintf(buf, len, "periodic %s (polling or "
				    "keepalive): check against the BMC's "
				    "setting", svc);
				return;
			}
	snprintf(buf, len, "looks like a beacon: review before passing");
}

static int
add_line(struct rec *r, const struct bw_addr *src, const struct tuple *t,
    const char *names, double period, double jitter, uint32_t events,
    double score, const char *what)
{
	char s[64], d[64], port[8], line[512];

	lw_port_word(t->proto == 6 || t->proto == 17 ? t->dport : PORT_ANY,
	    port, sizeof(port));
	snprintf(line, sizeof(line), "%s -> %s %s/%s%s%s every %.1f s "
	    "(jitter %.0f %%, %" PRIu32 " events, score %.2f): %s",
	    bw_addr_str(src, s, sizeof(s)), bw_addr_str(&t->dst, d, sizeof(d)),
	    lw_proto_word(t->proto), port, names[0] ? " names *." : "", names,
	    period, jitter * 100, events, score, what);
	return lw_rec_per(r, line);
}

int
lw_periodic_lines(struct learn *l, const struct tuple *t, struct rec *r)
{
	struct beacon_params p;
	size_t lo, hi;
	char what[128];

	beacon_params_default(&p);
	for (size_t j = 0; j < t->nsrc; j++) {
		int64_t ts[BEACON_RING];
		struct beacon_result res;
		struct skey k;
		size_t n;

		skey(&k, &t->src[j], &t->dst, t->proto, t->dport);
		n = beacon_times(l->bt, &k, sizeof(k), ts, BEACON_RING);
		if (n < p.min_events || beacon_score(ts, NULL, n, &p, &res) != 1 ||
		    res.period_s < MIN_PERIOD_S)
			continue;
		guess(t, res.period_s, what, sizeof(what));
		if (add_line(r, &t->src[j], t, "", res.period_s, res.jitter,
		    res.events, res.score, what) < 0)
			return -1;
	}
	/* after the learner's own lines: an alert's line replaces the line
	 * of the same series */
	for (size_t i = (hi = alerts_of(l, t, &lo), lo); i < hi; i++) {
		const struct lalert *a = &l->alert[i];

		snprintf(what, sizeof(what), "beacon alert (sid %" PRIu32
		    "), not passed", a->sid);
		if (add_line(r, &a->src, t, a->zone, a->period, a->jitter,
		    a->events, a->score, what) < 0)
			return -1;
	}
	return 0;
}
