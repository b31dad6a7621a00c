/*
 * detect.h - the egress policy: evaluate the rule set on a flow once its
 * initiator is known.  Pass rules win; otherwise every matching alert rule
 * raises an alert, subject to its threshold.
 */
#ifndef BW_DETECT_H
#define BW_DETECT_H

#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "rules.h"

struct geoip;
struct detect;
struct beacon_result;

/* Called for every alert that survives thresholding. */
typedef void (*detect_alert_cb)(void *arg, const struct flow *f,
		    const struct rule *r, int64_t ts_ns);

struct detect	*detect_new(const struct ruleset *rs, struct geoip *geo,
		    detect_alert_cb cb, void *arg);
void		 detect_free(struct detect *d);
/*
 * Evaluate the policy for f at packet time ts_ns: at flow start, again
 * whenever the app stage learns something, and a last time ('final') when
 * a deferred decision must be made or the flow ends.  Sets f->verdict
 * (and f->pass_sid) and calls the alert callback for each alert; a rule
 * alerts at most once per flow however often the flow is evaluated.
 *
 * Pass rules win over policy alert rules.  While the flow's name (SNI,
 * HTTP Host, DNS query) may still arrive, policy alerts are held
 * (flow_ext->pending) until it does or until 'final': a pass rule keyed
 * on the name may clear the flow, and the alert then carries the name.  Rules that test
 * management-protocol fields (ipmi., snmp., ntp.) are findings about the
 * content and are not silenced by pass rules.  Returns the number of
 * alerts raised.
 */
int		 detect_flow(struct detect *d, struct flow *f, int64_t ts_ns,
		    int final);

/* Called when a beacon rule's series first looks periodic (and again
 * after each quiet time), also when the rule's threshold suppresses the
 * alert: then b->suppressed is set and no alert should be written. */
struct beacon_alert {
	const char	*key;		/* "flow", "name" or "burst" */
	const char	*name;		/* the zone for "name" series */
	const struct beacon_result *r;
	const int64_t	*times;		/* the series' recent events, oldest first */
	size_t		 ntimes;
	int		 suppressed;	/* the rule's threshold holds the alert
					   back: no alert, but still a beacon */
};
typedef void (*detect_beacon_cb)(void *arg, const struct flow *f,
		    const struct rule *r, int64_t ts_ns,
		    const struct beacon_alert *b);
void		 detect_set_beacon_cb(struct detect *d, detect_beacon_cb cb,
		    void *arg);
/* How rules with $BMC_DISCOVERED ask whether an address is a BMC. */
void		 detect_set_discovered(struct detect *d,
		    int (*is_bmc)(void *arg, const struct bw_addr *a), void *arg);
/*
 * SIGHUP: d (the new rule set) takes over old's state before old and its
 * rule set are freed: the beacon series (keyed by sid, so a kept rule
 * keeps its series; a removed rule's series age out) and the threshold
 * counters of the rules still there with the same sid, gid, rev and
 * threshold (detect-threshold.c says why).  Returns the threshold
 * entries kept.
 */
size_t		 detect_adopt(struct detect *d, struct detect *old);
/* 1 when the rule set has beacon rules (the engine skips the events). */
int		 detect_has_beacon(const struct detect *d);
/*
 * One event for the beacon rules whose header matches f: a flow start
 * (BK_FLOW, once its policy is decided), a DNS query or TLS SNI (BK_NAME,
 * name = the full name; the series is keyed by its zone) or a client data
 * burst inside a connection (BK_BURST).  Passed flows are skipped unless
 * the rule says beacon.include_passed.
 */
void		 detect_beacon_event(struct detect *d, const struct flow *f,
		    int kind, const char *name, int64_t ts_ns, uint32_t size);

/* new_peer rules use this table of known peers (owned by the caller);
 * without one they never match. */
struct peer_table;
void		 detect_set_peers(struct detect *d, struct peer_table *t);

/*
 * Beacon series across restarts (state.c).  keep_keys must be called
 * before the first event; each/clean/restore wrap beacon.h's, with the
 * series key spelt out for the state database.
 */
struct beacon_saved;
struct beacon_desc {
	uint32_t	 sid;
	const char	*kind;		/* "flow", "name" or "burst" */
	struct bw_addr	 src, dst;	/* dst: flow and burst */
	uint8_t		 proto;
	uint16_t	 port, sport;	/* sport: burst */
	const char	*zone;		/* name */
};
int		 detect_beacon_keep_keys(struct detect *d);
long		 detect_beacon_each(struct detect *d, int all,
		    int (*fn)(void *arg, const struct beacon_saved *s,
		    const struct beacon_desc *k), void *arg);
void		 detect_beacon_clean(struct detect *d);
int		 detect_beacon_restore(struct detect *d,
		    const struct beacon_saved *s);

struct detect_stats {
	uint64_t	 evaluated, passed, alerts, suppressed;
	uint64_t	 beacon_events, beacon_series, beacon_evictions;
};
void		 detect_stats(const struct detect *d, struct detect_stats *s);

#endif
