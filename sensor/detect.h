/*
 * detect.h - the egress policy: evaluate the rule set on a flow once its
 * initiator is known.  Pass rules win; otherwise every matching alert rule
 * raises an alert, subject to its threshold.
 */
#ifndef BW_DETECT_H
#define BW_DETECT_H

#include <stdint.h>
#include "flow.h"
#include "rules.h"

struct geoip;
struct detect;

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

struct detect_stats {
	uint64_t	 evaluated, passed, alerts, suppressed;
};
void		 detect_stats(const struct detect *d, struct detect_stats *s);

#endif
