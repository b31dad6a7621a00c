/*
 * rules-beacon.c - the beacon.* options of `beacon` rules: thresholds of
 * the periodicity detector and which series to keep.  Unset options keep
 * the detector's defaults (beacon_params_default, doc/beacon.md), so
 * `beacon ip $BMC any -> any any (msg:"..."; sid:N;)` is a complete rule.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "rules-int.h"

int
rp_is_beacon_option(const char *key)
{
	return strncmp(key, "beacon.", 7) == 0;
}

static int
number(const char *v, double lo, double hi, double *out)
{
	char *end;
	double d;

	if (v == NULL || !(isdigit((unsigned char)v[0]) || v[0] == '.'))
		return -1;
	d = strtod(v, &end);
	if (*end != '\0' || !(d >= lo && d <= hi))
		return -1;
	*out = d;
	return 0;
}

/* "3600", "90s", "15m", "24h", "7d" */
static int
duration(const char *v, uint32_t *out)
{
	char *end;
	unsigned long n;
	uint64_t mult = 1;

	if (v == NULL || !isdigit((unsigned char)v[0]))
		return -1;
	n = strtoul(v, &end, 10);
	if (*end == 's') mult = 1;
	else if (*end == 'm') mult = 60;
	else if (*end == 'h') mult = 3600;
	else if (*end == 'd') mult = 86400;
	else if (*end != '\0') return -1;
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (n == 0 || n * mult > 366 * 86400ULL)
		return -1;
	*out = (uint32_t)(n * mult);
	return 0;
}

int
rp_beacon_option(struct parser *ps, struct rule *r, const char *key,
    struct pos kpos, int has_value, const char *v, struct pos vp)
{
	struct rule_beacon *b = &r->beacon;
	double d;

	if (r->action != RA_BEACON) {
		rp_perr(ps, kpos, "option \"%s\" is only for beacon rules", key);
		return -1;
	}
	if (strcmp(key, "beacon.include_passed") == 0) {
		if (has_value) {
			rp_perr(ps, kpos, "option \"%s\" takes no value", key);
			return -1;
		}
		b->include_passed = 1;
		return 0;
	}
	if (!has_value) {
		rp_perr(ps, kpos, "option \"%s\" needs a value", key);
		return -1;
	}
	if (strcmp(key, "beacon.min_events") == 0) {
		if (number(v, 3, 100000, &d) == -1 || d != floor(d)) {
			rp_perr(ps, vp, "beacon.min_events: expected a whole "
			    "number from 3 to 100000, found \"%s\"", v);
			return -1;
		}
		b->min_events = (uint32_t)d;
		return 0;
	}
	if (strcmp(key, "beacon.max_jitter") == 0) {
		if (number(v, 0.01, 1.0, &d) == -1) {
			rp_perr(ps, vp, "beacon.max_jitter: expected a fraction "
			    "of the period from 0.01 to 1, found \"%s\"", v);
			return -1;
		}
		b->max_jitter = d;
		return 0;
	}
	if (strcmp(key, "beacon.score") == 0) {
		if (number(v, 0.01, 1.0, &d) == -1) {
			rp_perr(ps, vp, "beacon.score: expected a score from "
			    "0.01 to 1, found \"%s\"", v);
			return -1;
		}
		b->min_score = d;
		return 0;
	}
	if (strcmp(key, "beacon.window") == 0) {
		if (duration(v, &b->window_s) == -1) {
			rp_perr(ps, vp, "beacon.window: expected a duration "
			    "such as 3600, 90m, 24h or 7d (at most 366d), found "
			    "\"%s\"", v);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "beacon.keys") == 0) {
		const char *p = v;
		b->keys = 0;
		while (*p != '\0') {
			size_t n;
			while (*p == ' ' || *p == '\t')
				p++;
			n = strcspn(p, ", \t");
			if (n == 4 && strncmp(p, "flow", 4) == 0)
				b->keys |= BK_FLOW;
			else if (n == 4 && strncmp(p, "name", 4) == 0)
				b->keys |= BK_NAME;
			else if (n == 5 && strncmp(p, "burst", 5) == 0)
				b->keys |= BK_BURST;
			else {
				rp_perr(ps, vp, "beacon.keys: unknown key \"%.*s\" "
				    "(flow, name, burst)", (int)n, p);
				return -1;
			}
			p += n;
			while (*p == ' ' || *p == '\t' || *p == ',')
				p++;
		}
		if (b->keys == 0) {
			rp_perr(ps, vp, "beacon.keys: no key given");
			return -1;
		}
		return 0;
	}
	rp_perr(ps, kpos, "unknown option \"%s\"", key);
	return -1;
}

/*
 * new_peer[:LEARN]: alert when the source talks to a responder (address or
 * name) it never talked to before, once LEARN (default 7d; 0 = none) has
 * passed since the sensor began learning (peer.h).  It lives here with
 * the beacon options: both are detectors over time, not over one flow.
 */
int
rp_new_peer_option(struct parser *ps, struct rule *r, struct pos kpos,
    int has_value, const char *v, struct pos vp)
{
	uint32_t s;

	if (r->new_peer) {
		rp_perr(ps, kpos, "option \"new_peer\" given twice");
		return -1;
	}
	if (r->action != RA_ALERT) {
		rp_perr(ps, kpos, "option \"new_peer\" is only for alert "
		    "rules");
		return -1;
	}
	r->new_peer = 1;
	r->new_peer_learn_s = NEW_PEER_LEARN_S;
	if (!has_value)
		return 0;
	if (strcmp(v, "0") == 0) {
		r->new_peer_learn_s = 0;
		return 0;
	}
	if (duration(v, &s) == -1) {
		rp_perr(ps, vp, "new_peer: expected a learning window like "
		    "3600, 90s, 15m, 24h or 7d (0 = none), found \"%s\"", v);
		return -1;
	}
	r->new_peer_learn_s = s;
	return 0;
}
