/*
 * engine.c - one packet, one way through the stages:
 *
 *	decode -> flow table -> detect (policy at flow start) -> output
 *
 * The engine owns each stage and is the only place that knows their order;
 * the stages talk to each other only through the small callbacks set up
 * here (flow end -> flow records, alert -> EVE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>

#include "engine.h"
#include "decode.h"
#include "flow.h"
#include "detect.h"
#include "rules.h"
#include "geoip.h"
#include "output-eve.h"
#include "app-flow.h"
#include "app.h"
#include "detect-bmc.h"
#include "engine-discover.h"
#include "output-syslog.h"
#include "learn.h"
#include "peer.h"
#include "state.h"

#define PENDING_MAX_PKTS	10	/* a held decision is made by then, */
#define PENDING_MAX_NS	(3 * 1000000000LL)	/* or this long after the start */

static void	beacon_start(struct engine *e, struct flow *f);
static int	is_bmc(void *arg, const struct bw_addr *a);

/* --learn watches the protected hosts: the rule file's $BMC, and the
 * BMCs found on the wire. */
static int
is_bmc_or_listed(struct engine *e, const struct bw_addr *a)
{
	return rules_var_contains(e->rules, "BMC", a) || is_bmc(e, a);
}

/* --learn: a flow a protected host started; with -r --learn-for, only
 * within that much packet time from the capture's start. */
static int
learning(struct engine *e, const struct flow *f, int64_t ts)
{
	return e->learn != NULL && is_bmc_or_listed(e, flow_src(f)) &&
	    (e->cfg.learn_for_ns == 0 || ts - e->first_ns < e->cfg.learn_for_ns);
}

static void
learn_flow(struct engine *e, const struct flow *f)
{
	const struct flow_ext *x = f->ext;

	if (learning(e, f, f->first_ns))
		learn_observe(e->learn, flow_src(f), flow_dst(f), f->key.proto,
		    flow_dport(f), x != NULL ? (x->name != NULL ? x->name :
		    x->rname) : NULL, f->verdict == FV_ALERT,
		    f->verdict == FV_PASS ? f->pass_sid : 0, f->first_ns,
		    f->bytes[0] + f->bytes[1]);
}

static void
learn_active(void *arg, struct flow *f)
{
	/* a held decision is not a verdict yet: such a flow is not learned */
	if (f->ext == NULL || !f->ext->pending)
		learn_flow(arg, f);
}

void
engine_learn_active(struct engine *e)
{
	if (e->learn != NULL)
		flow_table_foreach(e->ft, learn_active, e);
}

/*
 * A flow ended: decisions still held for a name are made now, and
 * conditions about what never happened (no RAKP 3) are decided; then the
 * flow record, then the flow's app state is released.
 */
static void
on_flow_end(void *arg, struct flow *f)
{
	struct engine *e = arg;
	struct flow_ext *x = f->ext;

	recheck_flow(e, f);	/* one of its hosts just became a BMC */
	if (e->det != NULL && x != NULL && (x->pending || flow_rmcp(x) != NULL))
		detect_flow(e->det, f, f->last_ns, 1);
	if (e->beacon)
		beacon_start(e, f);
	if (e->cfg.emit_flows || e->report != NULL)
		eve_flow(e, f);
	learn_flow(e, f);
	flow_ext_free(f->ext);
	f->ext = NULL;
}

static void
on_dns(void *arg, const struct flow *f, const struct dns_info *d, int64_t ts)
{
	struct engine *e = arg;

	if (e->cfg.emit_dns)
		eve_dns(e, f, d, ts);
	/* every query is an event of its zone's series: a DNS beacon
	 * through the site resolver uses a fresh name each time */
	if (e->beacon && !d->qr && d->qname[0] != '\0')
		detect_beacon_event(e->det, f, BK_NAME, d->qname, ts, 0);
}

/* Alerts by sid for /metrics; a full table counts the rest under sid 0. */
static void
count_sid(struct engine *e, uint32_t sid)
{
	uint32_t h = (sid * 2654435761u) % ENGINE_SID_SLOTS;

	for (int i = 0; i < ENGINE_SID_SLOTS; i++) {
		uint32_t k = (h + (uint32_t)i) % ENGINE_SID_SLOTS;
		if (e->by_sid[k].sid == sid || e->by_sid[k].n == 0) {
			e->by_sid[k].sid = sid;
			e->by_sid[k].n++;
			return;
		}
	}
}

/* The alert just written, also to the syslog collector (or its spool). */
static void
to_syslog(struct engine *e, const struct rule *r)
{
	const char *line;
	size_t len;

	if (e->syslog == NULL)
		return;
	line = eve_last(e->eve, &len);
	(void)syslog_send(e->syslog, line, len, r->severity);
}

static void
on_alert(void *arg, const struct flow *f, const struct rule *r, int64_t ts)
{
	struct engine *e = arg;

	e->alerts++;
	count_sid(e, r->sid);
	eve_alert(e, f, r, ts, NULL);
	to_syslog(e, r);
}

static void
on_beacon(void *arg, const struct flow *f, const struct rule *r, int64_t ts,
    const struct beacon_alert *b)
{
	struct engine *e = arg;

	if (!b->suppressed) {
		e->alerts++;
		count_sid(e, r->sid);
		eve_alert(e, f, r, ts, b);
		to_syslog(e, r);
	}
	/* not the flow's verdict: tell the learner, or it would pass it
	 * (a suppressed beacon too) */
	if (learning(e, f, ts))
		learn_beacon(e->learn, flow_src(f), flow_dst(f), f->key.proto,
		    flow_dport(f), b->name, r->sid, b->r);
}

/*
 * The beacon detector hears of a flow start once the policy about it is
 * decided (a passed flow is no candidate unless the rule asks), with the
 * flow's own start time, so holding the decision a few packets changes
 * nothing in the series.
 */
static void
beacon_start(struct engine *e, struct flow *f)
{
	if ((f->flags & FF_BEACON_START) ||
	    (f->ext != NULL && f->ext->pending))
		return;
	f->flags |= FF_BEACON_START;
	detect_beacon_event(e->det, f, BK_FLOW, NULL, f->first_ns,
	    (uint32_t)f->bytes[DIR_TOSERVER]);
}

/*
 * The peer table exists when a rule asks for new_peer or a state
 * directory keeps it (so a reload that adds new_peer finds the history);
 * the state directory then fills it and the beacon series.
 */
static int
state_setup(struct engine *e)
{
	if (e->cfg.discover_only)
		return 0;
	if ((e->cfg.state_dir != NULL ||
	    (e->rules != NULL && e->rules->uses_new_peer)) &&
	    (e->peers = peer_table_new(PEER_TABLE_MAX)) == NULL) {
		fprintf(e->errf, "bmcwatch: out of memory\n");
		return 1;
	}
	detect_set_peers(e->det, e->peers);
	if (e->cfg.state_dir == NULL)
		return 0;
	if (e->cfg.state_interval_ns <= 0)
		e->cfg.state_interval_ns = 60 * 1000000000LL;
	if (detect_beacon_keep_keys(e->det) != 0) {
		fprintf(e->errf, "bmcwatch: out of memory\n");
		return 1;
	}
	return e->cfg.state_later ? 0 : engine_state_open(e);
}

/*
 * A live sensor opens its database after -D has forked: SQLite's locks
 * belong to a process, and a connection carried across fork() would
 * leave the child using the file without them (an analyst's sqlite3
 * could then reset the WAL under it).
 */
int
engine_state_open(struct engine *e)
{
	if (e->cfg.state_dir == NULL || e->state != NULL ||
	    e->cfg.discover_only)
		return 0;
	e->state = state_open(e->cfg.state_dir, e->peers, e->det, e->errf);
	return e->state == NULL ? 1 : 0;
}

void
engine_state_sync(struct engine *e)
{
	if (e->state != NULL)
		(void)state_sync(e->state, e->peers, e->det);
}

static int64_t
clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * One rule-set generation: the GeoIP databases, the rule file and the
 * detect tables built from them, all or nothing, so that SIGHUP can keep
 * the old set when any part fails.  The callers time it for /metrics
 * (set_loaded): a policy with large address lists or GeoIP on a slow
 * disk shows there, and a reload that stalls the capture loop has a
 * number.  0; 2 when a file is wrong (the error, naming file:line, is on
 * e->errf); 1 out of memory.
 */
static int
load_set(struct engine *e, struct geoip **gp, struct ruleset **rsp,
    struct detect **dp)
{
	struct geoip *g = NULL;
	struct ruleset *rs = NULL;
	struct detect *d = NULL;
	char err[512];

	if (e->cfg.geo_country != NULL || e->cfg.geo_asn != NULL) {
		if ((g = geoip_open(e->cfg.geo_country, e->cfg.geo_asn, err,
		    sizeof(err))) == NULL) {
			fprintf(e->errf, "bmcwatch: %s\n", err);
			return 2;
		}
	}
	if (e->cfg.rules_path != NULL &&
	    (rs = rules_load(e->cfg.rules_path, g, e->errf)) == NULL) {
		geoip_close(g);
		return 2;
	}
	if (rs != NULL && !e->cfg.discover_only &&
	    (d = detect_new(rs, g, on_alert, e)) == NULL) {
		fprintf(e->errf, "bmcwatch: out of memory\n");
		rules_free(rs);
		geoip_close(g);
		return 1;
	}
	if (d != NULL) {
		detect_set_discovered(d, is_bmc, e);
		if (detect_has_beacon(d))
			detect_set_beacon_cb(d, on_beacon, e);
	}
	*gp = g;
	*rsp = rs;
	*dp = d;
	return 0;
}

/* A set loaded in force since t0 (monotonic): the /metrics numbers. */
static void
set_loaded(struct engine *e, int64_t t0)
{
	e->beacon = detect_has_beacon(e->det);
	e->rules_load_s = (double)(clock_ns(CLOCK_MONOTONIC) - t0) / 1e9;
	e->rules_loaded_ns = clock_ns(CLOCK_REALTIME);
	e->rules_generation++;
}

int
engine_open(struct engine *e)
{
	char err[512];
	int64_t t0 = clock_ns(CLOCK_MONOTONIC);
	int rc;

	if (e->errf == NULL)
		e->errf = stderr;
	if ((rc = load_set(e, &e->geo, &e->rules, &e->det)) != 0)
		return rc;
	set_loaded(e, t0);
	if ((e->eve = eve_open(e->cfg.eve_path)) == NULL) {
		fprintf(e->errf, "bmcwatch: %s: %s\n", e->cfg.eve_path,
		    strerror(errno));
		return 1;
	}
	if (e->cfg.max_flows == 0)
		e->cfg.max_flows = flow_table_default_max();
	e->ft = flow_table_new(e->cfg.max_flows, &e->cfg.timeouts,
	    on_flow_end, e);
	if (e->ft == NULL) {
		fprintf(e->errf, "bmcwatch: cannot allocate a flow table of %zu "
		    "flows\n", e->cfg.max_flows);
		return 1;
	}
	if (e->cfg.syslog_url != NULL && !e->cfg.discover_only) {
		e->syslog = syslog_open(e->cfg.syslog_url, e->cfg.spool_dir,
		    e->cfg.spool_max ? e->cfg.spool_max : (size_t)64 << 20, NULL,
		    err, sizeof(err));
		if (e->syslog == NULL) {
			fprintf(e->errf, "bmcwatch: --syslog %s: %s\n",
			    e->cfg.syslog_url, err);
			return 2;
		}
	}
	if (e->bmc == NULL && (e->bmc = bmc_inventory_new(4096)) == NULL) {
		fprintf(e->errf, "bmcwatch: out of memory\n");
		return 1;
	}
	if ((e->app = app_new(16384)) == NULL) {
		fprintf(e->errf, "bmcwatch: out of memory\n");
		return 1;
	}
	app_set_dns_cb(e->app, on_dns, e);
	/* the inventory pass writes nothing: JA3/JA4, DNS answers... would
	 * be thrown away */
	app_set_inventory_only(e->app, e->cfg.discover_only);
	return state_setup(e);
}

static void
count_layers(struct engine *e, const struct packet *p)
{
	struct bw_counters *c = &e->c;

	switch (p->dlt) {
	case 1: c->ethernet++; break;
	case 113: c->sll++; break;
	case 276: c->sll2++; break;
	case 0: case 108: c->null++; break;
	default: c->raw++; break;
	}
	if (p->vlan_n == 1)
		c->vlan++;
	else if (p->vlan_n > 1)
		c->vlan_qinq++;
	if (p->ipver == 4) {
		c->ipv4++;
		if (p->frag != PKT_FRAG_NONE)
			c->ipv4_frag++;
		if (p->ip_opts)
			c->ipv4_opts++;
	} else if (p->ipver == 6) {
		c->ipv6++;
		if (p->frag != PKT_FRAG_NONE)
			c->ipv6_frag++;
	}
	switch (p->proto) {
	case 6: c->tcp++; break;
	case 17: c->udp++; break;
	case 1: c->icmpv4++; break;
	case 58: c->icmpv6++; break;
	default: c->other_l4++; break;
	}
}

/*
 * Client data inside one long connection: a burst is initiator payload
 * after BURST_GAP_NS of initiator silence.  A beacon that keeps its
 * TLS session open shows up only this way.
 */
#define BURST_GAP_NS	(2 * 1000000000LL)
#define BURST_MIN_AGE_NS (30 * 1000000000LL)	/* only long-lived connections */

static void
burst(struct engine *e, struct flow *f, int dir, const struct packet *p)
{
	struct flow_ext *x = f->ext;

	if (dir != DIR_TOSERVER || f->key.proto != 6 || p->payload_wire == 0 ||
	    x == NULL)
		return;
	/* a short session (one beacon beat, a web request) is the flow
	 * series' business; bursts are for connections that stay open, or
	 * that come back without a handshake after idling past their
	 * timeout */
	if ((p->ts_ns - f->first_ns >= BURST_MIN_AGE_NS ||
	    !(f->st[DIR_TOSERVER] & FS_SYN)) &&	/* resumed after a timeout */
	    (x->last_c2s_ns == 0 || p->ts_ns - x->last_c2s_ns >= BURST_GAP_NS))
		detect_beacon_event(e->det, f, BK_BURST, NULL, p->ts_ns,
		    p->payload_wire);
	x->last_c2s_ns = p->ts_ns;
}

static int
is_bmc(void *arg, const struct bw_addr *a)
{
	struct engine *e = arg;

	return e->bmc != NULL && bmc_is_bmc(e->bmc, a);
}

/* The inventory learned something about host a. */
static void
bmc_found(struct engine *e, const struct bw_addr *a, int64_t ts, int how)
{
	if (e->cfg.discover_only)
		return;
	if (e->eve != NULL)
		eve_bmc(e, a, ts);
	/* only $BMC_DISCOVERED rules change their answer for a new BMC:
	 * without one, walking every open flow would be all cost */
	if (how != BMC_NEW || e->det == NULL || e->rules == NULL ||
	    !e->rules->uses_discovered)
		return;
	recheck_add(e, a, ts);
}

/* The app stage, then the policy again when it learned something. */
static void
app_step(struct engine *e, struct flow *f, int dir, const struct packet *p)
{
	struct flow_ext *x;
	int ev = 0;

	if (p->payload_len > 0)
		ev = app_packet(e->app, f, dir, p);
	if (e->det == NULL)
		return;
	x = f->ext;
	if (ev & (APP_EV_NAME | APP_EV_META))
		detect_flow(e->det, f, p->ts_ns, x != NULL && x->pending &&
		    app_settled(f));
	else if (x != NULL && x->pending && (app_settled(f) ||
	    f->pkts[0] + f->pkts[1] >= PENDING_MAX_PKTS ||
	    p->ts_ns - f->first_ns >= PENDING_MAX_NS))
		detect_flow(e->det, f, p->ts_ns, 1);
	if (!e->beacon)
		return;
	beacon_start(e, f);
	if ((ev & APP_EV_NAME) && x != NULL && x->app == APP_TLS &&
	    x->name != NULL)
		detect_beacon_event(e->det, f, BK_NAME, x->name, f->first_ns,
		    (uint32_t)f->bytes[DIR_TOSERVER]);
	burst(e, f, dir, p);
}

void
engine_packet(struct engine *e, int dlt, int64_t ts_ns, const uint8_t *frame,
    uint32_t caplen, uint32_t wirelen)
{
	struct packet p;
	struct flow_update u;
	int r;

	e->c.pkts++;
	e->c.bytes += wirelen;
	if (wirelen > e->c.max_pkt_size)
		e->c.max_pkt_size = wirelen;
	/* a timeline that steps back (next file older) must not rewind the
	 * flow clock: flows would never expire */
	if (e->c.pkts == 1 || ts_ns < e->first_ns)
		e->first_ns = ts_ns;
	if (ts_ns > e->last_ns || e->c.pkts == 1)
		e->last_ns = ts_ns;
	p.num = e->c.pkts;
	p.ts_ns = e->last_ns > ts_ns ? e->last_ns : ts_ns;
	p.wirelen = wirelen;
	r = (int)decode_packet(&p, dlt, frame, caplen);
	if (r != DR_OK) {
		e->c.reason[r]++;
		return;
	}
	e->c.decoded++;
	count_layers(e, &p);
	if (e->cfg.stats_interval_ns > 0) {
		if (e->last_stats_ns == 0)
			e->last_stats_ns = p.ts_ns;
		else if (p.ts_ns - e->last_stats_ns >= e->cfg.stats_interval_ns) {
			eve_stats(e);
			e->last_stats_ns = p.ts_ns;
		}
	}
	if (e->state != NULL && !e->sync_by_timer) {
		/* a replay writes its batches by packet time: the same
		 * capture leaves the same database, however fast it ran */
		if (e->last_sync_ns == 0)
			e->last_sync_ns = p.ts_ns;
		else if (p.ts_ns - e->last_sync_ns >=
		    e->cfg.state_interval_ns) {
			engine_state_sync(e);
			e->last_sync_ns = p.ts_ns;
		}
	}
	if (e->nrecheck > 0)
		recheck_due(e, p.ts_ns);
	flow_table_packet(e->ft, &p, &u);
	if (u.flow == NULL) {
		e->c.reason[DR_FRAG_LATER]++;
		return;
	}
	if (u.created) {
		app_flow_start(e->app, u.flow);
		if (e->det != NULL)
			detect_flow(e->det, u.flow, p.ts_ns, 0);
	}
	app_step(e, u.flow, u.dir, &p);
	if ((r = discover_packet(e, u.flow, u.dir, &p)) != 0)
		bmc_found(e, &p.src, p.ts_ns, r);
}

/* A new rule set knows nothing of which old rule matched a flow. */
static void
forget_matches(void *arg, struct flow *f)
{
	(void)arg;
	if (f->ext != NULL)
		f->ext->nalerted = 0;
}

int
engine_reload(struct engine *e)
{
	struct geoip *g = NULL;
	struct ruleset *rs = NULL;
	struct detect *d = NULL;
	int64_t t0 = clock_ns(CLOCK_MONOTONIC);

	if (load_set(e, &g, &rs, &d) != 0) {
		e->rules_reload_failed++;
		return -1;
	}
	if (rs != NULL && rs->uses_new_peer && e->peers == NULL &&
	    (e->peers = peer_table_new(PEER_TABLE_MAX)) == NULL) {
		fprintf(e->errf, "bmcwatch: out of memory\n");
		detect_free(d);
		rules_free(rs);
		geoip_close(g);
		e->rules_reload_failed++;
		return -1;
	}
	detect_adopt(d, e->det);	/* beacon windows, thresholds survive */
	detect_set_peers(d, e->peers);	/* and so do the known peers */
	if (e->state != NULL)
		(void)detect_beacon_keep_keys(d);
	detect_free(e->det);
	rules_free(e->rules);
	geoip_close(e->geo);
	e->det = d;
	e->rules = rs;
	e->geo = g;
	set_loaded(e, t0);
	flow_table_foreach(e->ft, forget_matches, NULL);
	return 0;
}

void
engine_stats(struct engine *e)
{
	eve_stats(e);
}

void
engine_close(struct engine *e)
{
	/* the last batch: after the caller flushed the flows, whose final
	 * decisions observe peers */
	if (e->state != NULL) {
		engine_state_sync(e);
		state_close(e->state);
		e->state = NULL;
	}
	peer_table_free(e->peers);
	e->peers = NULL;
	detect_free(e->det);
	e->det = NULL;
	app_free(e->app);
	e->app = NULL;
	bmc_inventory_free(e->bmc);
	e->bmc = NULL;
	if (e->syslog != NULL) {
		/* the end of a replay: one bounded attempt to deliver what
		 * waits; what cannot go stays in the spool for the next run */
		uint64_t left = syslog_flush(e->syslog, 2000);
		if (left > 0)
			fprintf(e->errf, "bmcwatch: %llu alerts left in the "
			    "syslog spool%s%s\n", (unsigned long long)left,
			    e->cfg.spool_dir ? " " : " (in memory: lost)",
			    e->cfg.spool_dir ? e->cfg.spool_dir : "");
		syslog_close(e->syslog);
		e->syslog = NULL;
	}
	flow_table_free(e->ft);
	e->ft = NULL;
	rules_free(e->rules);
	e->rules = NULL;
	geoip_close(e->geo);
	e->geo = NULL;
}
