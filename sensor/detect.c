/*
 * detect.c - the egress policy: pass rules first, then every alert rule,
 * then thresholds.
 *
 * Rules are tested linearly, in file order.  A policy is a few dozen to a
 * few hundred rules and a flow is evaluated once at its start (not per
 * packet), so an index would buy little; instead each test is ordered
 * from cheapest to dearest: protocol, then ports, then the two address
 * binary searches, and GeoIP/ASN last, looked up at most once per side
 * and flow however many rules ask.
 *
 * GeoIP conditions: an address with no country (private space, or absent
 * from the database) matches neither `geoip:dst,CN` nor `geoip:dst,!US`.
 * "Not in the list" means "known to be elsewhere"; otherwise every
 * internal address would match every negated list.  ASN likewise.
 *
 * Thresholds (Suricata's threshold keyword) are in detect-threshold.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "detect-app.h"
#include "detect-index.h"
#include "app-flow.h"
#include "geoip.h"
#include "beacon.h"
#include "peer.h"
#include "detect-threshold.h"

struct detect {
	const struct ruleset *rs;
	struct geoip	*geo;
	detect_alert_cb	 cb;
	void		*arg;
	struct detect_stats st;
	size_t		*pass, npass;	/* rule indexes, file order */
	size_t		*alert, nalert;
	struct detect_index *ix;	/* NULL: test every rule */
	struct thr_table *thr;		/* NULL when no rule thresholds */
	struct user_enum *ue;		/* NULL when no rule needs it */
	size_t		*beacon, nbeacon;	/* beacon rules */
	struct beacon_table *bt;	/* NULL without beacon rules */
	struct beacon_params *bp;	/* per beacon rule, defaults filled */
	detect_beacon_cb bcb;
	void		*barg;
	int		(*is_bmc)(void *, const struct bw_addr *);
	void		*bmc_arg;
	size_t		*np, nnp;	/* new_peer rules */
	struct peer_table *peers;	/* the engine's; NULL = new_peer off */
};

/* GeoIP answers for one flow: looked up on first use, per side. */
struct geo_view {
	int		 done[2];
	char		 cc[2][3];
	uint32_t	 asn[2];
};

#define BEACON_MAX_SERIES	(1 << 17)	/* 131072 series, ~57 MB at most */
#define BEACON_MIN_PERIOD_S	1.0

static int beacon_setup(struct detect *d);

struct detect *
detect_new(const struct ruleset *rs, struct geoip *geo, detect_alert_cb cb,
    void *arg)
{
	struct detect *d;
	size_t n = rs != NULL ? rs->nrules : 0;
	int need_thr = 0, need_ue = 0;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->rs = rs;
	d->geo = geo;
	d->cb = cb;
	d->arg = arg;
	if ((d->pass = calloc(n + 1, sizeof(*d->pass))) == NULL ||
	    (d->alert = calloc(n + 1, sizeof(*d->alert))) == NULL ||
	    (d->beacon = calloc(n + 1, sizeof(*d->beacon))) == NULL ||
	    (d->np = calloc(n + 1, sizeof(*d->np))) == NULL) {
		detect_free(d);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (rs->rules[i].action == RA_PASS)
			d->pass[d->npass++] = i;
		else if (rs->rules[i].action == RA_BEACON)
			d->beacon[d->nbeacon++] = i;
		else
			d->alert[d->nalert++] = i;
		if (rs->rules[i].new_peer)
			d->np[d->nnp++] = i;
		if (rs->rules[i].thr.type != THR_NONE)
			need_thr = 1;
		for (size_t k = 0; k < rs->rules[i].napp; k++)
			if (rs->rules[i].app[k].kind == AC_IPMI_USER_ENUM)
				need_ue = 1;
	}
	if (need_ue && (d->ue = user_enum_new(4096)) == NULL) {
		detect_free(d);
		return NULL;
	}
	if (d->nbeacon > 0 && beacon_setup(d) == -1) {
		detect_free(d);
		return NULL;
	}
	d->ix = detect_index_new(rs, d->pass, d->npass, d->alert, d->nalert);
	if (need_thr && (d->thr = thr_new()) == NULL) {
		detect_free(d);
		return NULL;
	}
	return d;
}

void
detect_free(struct detect *d)
{
	if (d == NULL)
		return;
	free(d->pass);
	free(d->alert);
	detect_index_free(d->ix);
	thr_free(d->thr);
	free(d->beacon);
	free(d->np);
	free(d->bp);
	beacon_table_free(d->bt);
	user_enum_free(d->ue);
	free(d);
}

void
detect_stats(const struct detect *d, struct detect_stats *s)
{
	*s = d->st;
	if (d->bt != NULL) {
		struct beacon_table_stats b;
		beacon_table_stats(d->bt, &b);
		s->beacon_series = b.series;
		s->beacon_evictions = b.evictions;
	}
}

static int
header_match(const struct rule *r, const struct flow *f)
{
	uint8_t p = f->key.proto;

	switch (r->proto) {
	case RP_IP:
		break;
	case RP_TCP:
	case RP_UDP:
		if (p != (r->proto == RP_TCP ? 6 : 17) ||
		    !portset_contains(&r->dport, flow_dport(f)) ||
		    !portset_contains(&r->sport, flow_sport(f)))
			return 0;
		break;
	case RP_ICMP:
		if (p != 1 && p != 58)
			return 0;
		break;
	}
	return addrset_contains(&r->dst, flow_dst(f)) &&
	    addrset_contains(&r->src, flow_src(f));
}

static void
view(struct detect *d, struct geo_view *gv, const struct flow *f, int i)
{
	const struct geo_result *g;

	if (gv->done[i])
		return;
	gv->done[i] = 1;
	if (d->geo == NULL)
		return;
	/* the result is only valid until the next lookup: copy it */
	g = geoip_lookup(d->geo, i == 0 ? flow_src(f) : flow_dst(f));
	memcpy(gv->cc[i], g->cc, sizeof(gv->cc[i]));
	gv->asn[i] = g->asn;
}

static int
cc_match(const struct geo_cond *c, const char *cc)
{
	int in = 0;

	if (cc[0] == '\0')
		return 0;		/* unknown never matches */
	for (size_t i = 0; i < c->ncc && !in; i++)
		in = memcmp(c->cc[i], cc, 2) == 0;
	return c->neg ? !in : in;
}

static int
asn_match(const struct asn_cond *c, uint32_t asn)
{
	int in = 0;

	if (asn == 0)
		return 0;
	for (size_t i = 0; i < c->nasn && !in; i++)
		in = c->asn[i] == asn;
	return c->neg ? !in : in;
}

/* Combine the per-side answers as the condition's side asks. */
static int
sides(enum rule_side side, int s, int d)
{
	switch (side) {
	case SIDE_SRC:
		return s;
	case SIDE_DST:
		return d;
	case SIDE_EITHER:
		return s || d;
	case SIDE_BOTH:
		return s && d;
	}
	return 0;
}

static int
geo_match(struct detect *d, const struct rule *r, const struct flow *f,
    struct geo_view *gv)
{
	for (size_t i = 0; i < r->ngeo; i++) {
		const struct geo_cond *c = &r->geo[i];

		view(d, gv, f, 0);
		view(d, gv, f, 1);
		if (!sides(c->side, cc_match(c, gv->cc[0]),
		    cc_match(c, gv->cc[1])))
			return 0;
	}
	for (size_t i = 0; i < r->nasn; i++) {
		const struct asn_cond *c = &r->asn[i];

		view(d, gv, f, 0);
		view(d, gv, f, 1);
		if (!sides(c->side, asn_match(c, gv->asn[0]),
		    asn_match(c, gv->asn[1])))
			return 0;
	}
	return 1;
}

/* $BMC_DISCOVERED: the set grows as the inventory learns. */
static int
discovered(struct detect *d, const struct rule *r, const struct flow *f)
{
	if (r->src_discovered && (d->is_bmc == NULL ||
	    !d->is_bmc(d->bmc_arg, flow_src(f))))
		return 0;
	if (r->dst_discovered && (d->is_bmc == NULL ||
	    !d->is_bmc(d->bmc_arg, flow_dst(f))))
		return 0;
	return 1;
}

void
detect_set_discovered(struct detect *d,
    int (*is_bmc)(void *, const struct bw_addr *), void *arg)
{
	d->is_bmc = is_bmc;
	d->bmc_arg = arg;
}

static int
rule_match(struct detect *d, const struct rule *r, const struct flow *f,
    struct geo_view *gv)
{
	return header_match(r, f) &&
	    ((!r->src_discovered && !r->dst_discovered) ||
	    discovered(d, r, f)) &&
	    (r->ngeo + r->nasn == 0 || geo_match(d, r, f, gv));
}

/* A rule already matched this flow (alerted or suppressed): once only. */
static int
seen_rule(const struct flow *f, uint32_t ridx)
{
	const struct flow_ext *x = f->ext;

	if (x == NULL)
		return 0;
	for (uint16_t i = 0; i < x->nalerted; i++)
		if (x->alerted[i] == ridx)
			return 1;
	return 0;
}

static void
mark_rule(struct flow *f, uint32_t ridx)
{
	struct flow_ext *x = app_ext(f);
	uint32_t *na;

	if (x == NULL)
		return;
	if (x->nalerted == x->calerted) {
		uint16_t nc = x->calerted ? (uint16_t)(x->calerted * 2) : 4;
		if (nc <= x->calerted ||
		    (na = realloc(x->alerted, nc * sizeof(*na))) == NULL)
			return;
		x->alerted = na;
		x->calerted = nc;
	}
	x->alerted[x->nalerted++] = ridx;
}

/*
 * Is a name (SNI, Host, query) still to come?  Then policy alerts wait
 * for it: a pass rule keyed on the name may clear the flow, and an alert
 * that names where the BMC went reads better than one with an address.
 * The engine makes the final call within a few packets (app_settled,
 * PENDING_MAX_PKTS) or at flow end, so nothing waits for long.
 */
static int
name_may_come(const struct flow *f)
{
	const struct flow_ext *x = f->ext;

	if (x != NULL && x->name != NULL)
		return 0;
	if (f->key.proto != 6 && f->key.proto != 17)
		return 0;
	return !app_settled(f);
}

/*
 * new_peer: once a flow's name is settled (or never coming), the flow is
 * observed once in the peer table if any new_peer rule's header matches
 * it, passed flows included (a peer that was passed is still not new).
 * Observing at decision time rather than flow end means two concurrent
 * flows to a new peer alert once, not twice.
 */
static void
peer_observe_flow(struct detect *d, struct flow *f, int64_t ts,
    struct geo_view *gv)
{
	struct flow_ext *x;

	if (d->peers == NULL || (f->ext != NULL && f->ext->peer != 0))
		return;
	for (size_t i = 0; i < d->nnp; i++) {
		if (!rule_match(d, &d->rs->rules[d->np[i]], f, gv))
			continue;
		if ((x = app_ext(f)) == NULL)
			return;
		x->peer = (uint8_t)(1 + peer_observe(d->peers, flow_src(f),
		    flow_dst(f), x->name != NULL ? x->name : x->rname, ts));
		return;
	}
}

/* The flow is to a new peer and the rule's learning window is over. */
static int
peer_is_new(const struct detect *d, const struct rule *r,
    const struct flow *f, int64_t ts)
{
	int64_t since;

	if (d->peers == NULL || f->ext == NULL || f->ext->peer != 2)
		return 0;
	since = peer_since(d->peers);
	/* since may come from the state file: compare without overflow */
	return since != PEER_NEVER && ts >= since &&
	    (uint64_t)ts - (uint64_t)since >=
	    (uint64_t)r->new_peer_learn_s * 1000000000ULL;
}

void
detect_set_peers(struct detect *d, struct peer_table *t)
{
	if (d != NULL)
		d->peers = t;
}

/* The next rule of list [off, off + n) of the index at or after i: only
 * rules whose header can match f (detect-index.c), or all of them. */
static size_t
next_rule(const uint64_t *cand, size_t off, size_t i, size_t n)
{
	return cand == NULL ? i : detect_index_next(cand, off + i, off + n) - off;
}

int
detect_flow(struct detect *d, struct flow *f, int64_t ts_ns, int final)
{
	const struct rule *rules = d->rs != NULL ? d->rs->rules : NULL;
	const uint64_t *c = d->ix != NULL ? detect_index_lookup(d->ix, f) : NULL;
	struct geo_view gv;
	int matched = 0, n = 0, pending = 0;

	memset(&gv, 0, sizeof(gv));
	d->st.evaluated++;
	if (f->verdict != FV_PASS) {
		f->pass_sid = 0;
		for (size_t i = next_rule(c, 0, 0, d->npass); i < d->npass;
		    i = next_rule(c, 0, i + 1, d->npass)) {
			const struct rule *r = &rules[d->pass[i]];
			if (rule_match(d, r, f, &gv) && (r->napp == 0 ||
			    detect_app_match(d->ue, r, f, ts_ns, final))) {
				f->verdict = FV_PASS;
				f->pass_sid = r->sid;
				d->st.passed++;
				break;
			}
		}
	}
	if (f->verdict != FV_PASS && !final)
		pending = name_may_come(f);
	if (pending || (f->ext != NULL && f->ext->pending)) {
		struct flow_ext *x = app_ext(f);
		if (x != NULL)
			x->pending = (uint8_t)pending;
	}
	if (d->nnp > 0 && !pending)
		peer_observe_flow(d, f, ts_ns, &gv);
	for (size_t i = next_rule(c, d->npass, 0, d->nalert); i < d->nalert;
	    i = next_rule(c, d->npass, i + 1, d->nalert)) {
		const struct rule *r = &rules[d->alert[i]];

		if (!r->finding && (f->verdict == FV_PASS || pending))
			continue;
		if (seen_rule(f, (uint32_t)d->alert[i])) {
			matched = 1;
			continue;
		}
		if (!rule_match(d, r, f, &gv) || (r->napp > 0 &&
		    !detect_app_match(d->ue, r, f, ts_ns, final)) ||
		    (r->new_peer && !peer_is_new(d, r, f, ts_ns)))
			continue;
		matched = 1;
		mark_rule(f, (uint32_t)d->alert[i]);
		if (!thr_check(d->thr, d->alert[i], &r->thr, f, ts_ns)) {
			d->st.suppressed++;
			continue;
		}
		d->st.alerts++;
		n++;
		/* the alert record says what the flow's policy is now */
		if (f->verdict != FV_PASS)
			f->verdict = FV_ALERT;
		if (d->cb != NULL)
			d->cb(d->arg, f, r, ts_ns);
	}
	if (f->verdict != FV_PASS)
		f->verdict = matched ? FV_ALERT : pending ? FV_NONE : FV_NOMATCH;
	return n;
}

/* ---- beacon rules ---------------------------------------------------- */

/* Each beacon rule gets the detector's defaults where it set nothing. */
static int
beacon_setup(struct detect *d)
{
	if ((d->bt = beacon_table_new(BEACON_MAX_SERIES)) == NULL ||
	    (d->bp = calloc(d->nbeacon, sizeof(*d->bp))) == NULL)
		return -1;
	for (size_t i = 0; i < d->nbeacon; i++) {
		const struct rule_beacon *rb = &d->rs->rules[d->beacon[i]].beacon;
		struct beacon_params *p = &d->bp[i];

		beacon_params_default(p);
		if (rb->min_events)
			p->min_events = rb->min_events;
		if (rb->max_jitter > 0)
			p->max_jitter = rb->max_jitter;
		if (rb->window_s)
			p->window_ns = (int64_t)rb->window_s * 1000000000LL;
		if (rb->min_score > 0)
			p->min_score = rb->min_score;
	}
	return 0;
}

size_t
detect_adopt(struct detect *d, struct detect *old)
{
	size_t kept;

	if (d == NULL || old == NULL)
		return 0;
	/* O(table) once per reload: each kept entry is filed again */
	kept = thr_adopt(d->thr, d->rs, old->thr, old->rs);
	if (d->bt != NULL && old->bt != NULL) {
		beacon_table_free(d->bt);
		d->bt = old->bt;
		old->bt = NULL;
	}
	return kept;
}

void
detect_set_beacon_cb(struct detect *d, detect_beacon_cb cb, void *arg)
{
	d->bcb = cb;
	d->barg = arg;
}

int
detect_has_beacon(const struct detect *d)
{
	return d != NULL && d->nbeacon > 0;
}

/*
 * The series key: which rule, which kind, who, and to what.  Fixed
 * layout (zeroed) so that equal series hash equally.
 */
struct beacon_key {
	uint32_t	 rule;
	uint8_t		 kind;
	uint8_t		 proto;
	uint16_t	 port;
	struct bw_addr	 src, dst;
	uint64_t	 flow_id;	/* burst: the initiator's port */
	char		 zone[96];
};

void
detect_beacon_event(struct detect *d, const struct flow *f, int kind,
    const char *name, int64_t ts, uint32_t size)
{
	const struct rule *rules;
	struct beacon_key k;
	char zone[96];
	int64_t times[BEACON_RING];
	size_t klen;

	if (d == NULL || d->nbeacon == 0)
		return;
	rules = d->rs->rules;
	if (kind == BK_NAME && (name == NULL ||
	    beacon_zone(name, zone, sizeof(zone)) == NULL))
		return;
	for (size_t i = 0; i < d->nbeacon; i++) {
		const struct rule *r = &rules[d->beacon[i]];
		struct geo_view gv;
		struct beacon_result res;
		struct beacon_alert ba;
		uint8_t keys = r->beacon.keys ? r->beacon.keys :
		    (BK_FLOW | BK_NAME | BK_BURST);

		if (!(keys & kind) ||
		    (f->verdict == FV_PASS && !r->beacon.include_passed))
			continue;
		memset(&gv, 0, sizeof(gv));
		if (!rule_match(d, r, f, &gv) || (r->napp > 0 &&
		    !detect_app_match(d->ue, r, f, ts, 0)))
			continue;
		memset(&k, 0, sizeof(k));
		/* the sid, not the rule's index: series outlive a reload
		 * that keeps the rule (detect_adopt) */
		k.rule = r->sid;
		k.kind = (uint8_t)kind;
		k.src = *flow_src(f);
		switch (kind) {
		case BK_FLOW:
			k.dst = *flow_dst(f);
			k.port = flow_dport(f);
			k.proto = f->key.proto;
			klen = offsetof(struct beacon_key, flow_id);
			break;
		case BK_NAME:
			/* up to the NUL only: the rest stays zero, so
			 * equal zones are equal keys */
			snprintf(k.zone, sizeof(k.zone), "%s", zone);
			klen = sizeof(k);
			break;
		default:
			/* the 5-tuple, not the flow id: a connection idle
			 * past its timeout comes back as a new flow record,
			 * and its series must go on */
			k.dst = *flow_dst(f);
			k.port = flow_dport(f);
			k.proto = f->key.proto;
			k.flow_id = flow_sport(f);
			klen = offsetof(struct beacon_key, zone);
			break;
		}
		d->st.beacon_events++;
		/* sub-second "periods" are retries and bursts (LLMNR, DNS
		 * resends), not a timer an implant sleeps on */
		if (beacon_observe(d->bt, &k, klen, ts, size, &d->bp[i],
		    &res) != 1 || res.period_s < BEACON_MIN_PERIOD_S)
			continue;
		/* a suppressed beacon is still a beacon: the callback hears of
		 * it (the learner must not pass it), flagged, with no alert */
		ba.suppressed = !thr_check(d->thr, d->beacon[i], &r->thr, f,
		    ts);
		if (ba.suppressed)
			d->st.suppressed++;
		else
			d->st.alerts++;
		ba.key = kind == BK_FLOW ? "flow" : kind == BK_NAME ? "name" :
		    "burst";
		ba.name = kind == BK_NAME ? zone : NULL;
		ba.r = &res;
		ba.times = times;
		ba.ntimes = beacon_times(d->bt, &k, klen, times,
		    sizeof(times) / sizeof(times[0]));
		if (d->bcb != NULL)
			d->bcb(d->barg, f, r, ts, &ba);
	}
}

/* ---- beacon series across restarts ---------------------------------- */

int
detect_beacon_keep_keys(struct detect *d)
{
	if (d == NULL || d->bt == NULL)
		return 0;
	return beacon_table_keep_keys(d->bt);
}

struct each_arg {
	int		(*fn)(void *, const struct beacon_saved *,
			    const struct beacon_desc *);
	void		*arg;
};

static int
each_one(void *arg, const struct beacon_saved *s)
{
	struct each_arg *ea = arg;
	struct beacon_key k;
	struct beacon_desc dk;

	/* a key of another layout (another version) is not ours to spell */
	if (s->keylen > sizeof(k) ||
	    s->keylen < offsetof(struct beacon_key, flow_id))
		return 0;
	memset(&k, 0, sizeof(k));
	memcpy(&k, s->key, s->keylen);
	memset(&dk, 0, sizeof(dk));
	dk.sid = k.rule;
	dk.src = k.src;
	switch (k.kind) {
	case BK_FLOW:
		dk.kind = "flow";
		break;
	case BK_NAME:
		dk.kind = "name";
		k.zone[sizeof(k.zone) - 1] = '\0';
		dk.zone = k.zone;
		break;
	default:
		dk.kind = "burst";
		dk.sport = (uint16_t)k.flow_id;
		break;
	}
	if (k.kind != BK_NAME) {
		dk.dst = k.dst;
		dk.proto = k.proto;
		dk.port = k.port;
	}
	return ea->fn(ea->arg, s, &dk);
}

long
detect_beacon_each(struct detect *d, int all,
    int (*fn)(void *, const struct beacon_saved *, const struct beacon_desc *),
    void *arg)
{
	struct each_arg ea = { fn, arg };

	if (d == NULL || d->bt == NULL)
		return 0;
	return beacon_table_each(d->bt, all, each_one, &ea);
}

void
detect_beacon_clean(struct detect *d)
{
	if (d != NULL && d->bt != NULL)
		beacon_table_clean(d->bt);
}

int
detect_beacon_restore(struct detect *d, const struct beacon_saved *s)
{
	if (d == NULL || d->bt == NULL)
		return -1;
	return beacon_table_restore(d->bt, s);
}
