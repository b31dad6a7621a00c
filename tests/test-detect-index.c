/*
 * test-detect-index.c - the rule prefilter against the plain definition,
 * on a random rule set and random flows (seeded: the same every run).
 *
 *  1. For every flow, the index's candidate bitset must be exactly the
 *     rules whose source set, destination set and protocol/destination
 *     port admit the flow, computed here rule by rule with addrset.h.
 *  2. detect_flow (which uses the index) must give the verdict, the pass
 *     sid and the alert sids, in order, that a linear scan of the rule
 *     headers gives: first matching pass rule wins, else every matching
 *     alert rule in file order.  The rules also carry source-port sets,
 *     which the index leaves to detect_flow's full test.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "detect.h"
#include "detect-index.h"
#include "addrset.h"
#include "app-flow.h"
#include "rules.h"
#include "check.h"
#include "addr-test.h"

#define NRULES	400
#define NFLOWS	20000

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* A small world, so that rules and flows meet often. */
static void
rand_ip(char *b, size_t len)
{
	if (rnd(8) == 0)
		snprintf(b, len, "2001:db8::%x", rnd(8));
	else
		snprintf(b, len, "10.%u.%u.%u", rnd(3), rnd(4), rnd(6));
}

static void
rand_addr_item(char *b, size_t len)
{
	char ip[48];

	switch (rnd(5)) {
	case 0:
		snprintf(b, len, "10.%u.0.0/16", rnd(3));
		break;
	case 1:
		snprintf(b, len, "10.%u.%u.0/24", rnd(3), rnd(4));
		break;
	case 2:
		snprintf(b, len, "2001:db8::/%u", 120 + rnd(9));
		break;
	default:
		rand_ip(ip, sizeof(ip));
		snprintf(b, len, "%s", ip);
		break;
	}
}

static void
rand_addrs(char *b, size_t len)
{
	char x[56], y[56];

	switch (rnd(6)) {
	case 0:
	case 1:
		snprintf(b, len, "any");
		break;
	case 2:
		rand_addr_item(x, sizeof(x));
		snprintf(b, len, "%s", x);
		break;
	case 3:
		rand_addr_item(x, sizeof(x));
		snprintf(b, len, "!%s", x);
		break;
	case 4:
		rand_addr_item(x, sizeof(x));
		rand_addr_item(y, sizeof(y));
		snprintf(b, len, "[%s, %s]", x, y);
		break;
	default:
		snprintf(b, len, "[10.%u.0.0/16, !10.%u.%u.0/24]", rnd(3),
		    rnd(3), rnd(4));
		break;
	}
}

static const uint16_t ports[] = { 22, 53, 80, 123, 161, 443, 623, 1000 };

static void
rand_ports(char *b, size_t len)
{
	switch (rnd(5)) {
	case 0:
	case 1:
		snprintf(b, len, "any");
		break;
	case 2:
		snprintf(b, len, "%u", ports[rnd(8)]);
		break;
	case 3:
		snprintf(b, len, "[%u, %u:%u]", ports[rnd(8)], 100 + rnd(100),
		    200 + rnd(900));
		break;
	default:
		snprintf(b, len, "!%u", ports[rnd(8)]);
		break;
	}
}

static char *
rand_rules(void)
{
	static const char *const proto[] = { "ip", "tcp", "udp", "icmp" };
	size_t cap = NRULES * 200, len = 0;
	char *t = malloc(cap);

	for (int i = 0; i < NRULES && t != NULL; i++) {
		char s[128], d[128], sp[64], dp[64];
		int p = (int)rnd(4), pass = rnd(4) == 0;

		/* pass rules narrow (one host or block), or nothing alerts */
		if (pass) {
			rand_ip(s, sizeof(s));
			if (rnd(2))
				snprintf(d, sizeof(d), "any");
			else
				rand_addr_item(d, sizeof(d));
		} else {
			rand_addrs(s, sizeof(s));
			rand_addrs(d, sizeof(d));
		}
		rand_ports(sp, sizeof(sp));
		rand_ports(dp, sizeof(dp));
		if (p == 0 || p == 3 || rnd(3) != 0)
			snprintf(sp, sizeof(sp), "any");
		if (p == 0 || p == 3)
			snprintf(dp, sizeof(dp), "any");
		len += (size_t)snprintf(t + len, cap - len,
		    "%s %s %s %s -> %s %s (msg:\"r%d\"; sid:%d;)\n",
		    pass ? "pass" : "alert", proto[p], s, sp, d, dp,
		    i, i + 1);
	}
	return t;
}

static struct flow
rand_flow(void)
{
	static const uint8_t protos[] = { 6, 6, 17, 17, 1, 58, 47 };
	struct flow f;
	char a[64], b[64];
	int v6;

	memset(&f, 0, sizeof(f));
	/* one family per flow, as on the wire */
	do {
		rand_ip(a, sizeof(a));
		rand_ip(b, sizeof(b));
		v6 = strchr(a, ':') != NULL;
	} while (v6 != (strchr(b, ':') != NULL));
	f.key.proto = protos[rnd(7)];
	f.init = (uint8_t)rnd(2);
	f.key.addr[f.init] = A(a);
	f.key.addr[!f.init] = A(b);
	f.key.port[f.init] = rnd(2) ? ports[rnd(8)] : (uint16_t)rnd(65536);
	f.key.port[!f.init] = rnd(4) ? ports[rnd(8)] : (uint16_t)rnd(65536);
	return f;
}

/* The rule's header, tested the plain way. */
static int
proto_ok(const struct rule *r, const struct flow *f, int ports_too)
{
	uint8_t p = f->key.proto;

	switch (r->proto) {
	case RP_IP:
		return 1;
	case RP_TCP:
	case RP_UDP:
		return p == (r->proto == RP_TCP ? 6 : 17) &&
		    portset_contains(&r->dport, flow_dport(f)) &&
		    (!ports_too || portset_contains(&r->sport, flow_sport(f)));
	case RP_ICMP:
		return p == 1 || p == 58;
	}
	return 0;
}

static int
header(const struct rule *r, const struct flow *f, int sport_too)
{
	return proto_ok(r, f, sport_too) &&
	    addrset_contains(&r->src, flow_src(f)) &&
	    addrset_contains(&r->dst, flow_dst(f));
}

struct seen {
	int		 n;
	uint32_t	 sid[NRULES];
};

static void
cb(void *arg, const struct flow *f, const struct rule *r, int64_t ts)
{
	struct seen *s = arg;

	(void)f;
	(void)ts;
	if (s->n < NRULES)
		s->sid[s->n++] = r->sid;
}

int
main(void)
{
	char *text = rand_rules();
	struct ruleset *rs;
	struct detect_index *ix;
	struct detect *d;
	struct seen seen;
	size_t ord[NRULES], pass[NRULES], alert[NRULES], np = 0, na = 0;
	size_t bits = 0, heads = 0, alerts = 0, passes = 0;

	CHECK(text != NULL);
	rs = text != NULL ? rules_load_string("random.rules", text, NULL,
	    stderr) : NULL;
	CHECK(rs != NULL);
	if (rs == NULL)
		return 1;
	CHECK_INT(rs->nrules, NRULES);
	for (size_t i = 0; i < rs->nrules; i++) {
		if (rs->rules[i].action == RA_PASS)
			pass[np++] = i;
		else
			alert[na++] = i;
	}
	memcpy(ord, pass, np * sizeof(*ord));
	memcpy(ord + np, alert, na * sizeof(*ord));
	ix = detect_index_new(rs, pass, np, alert, na);
	d = detect_new(rs, NULL, cb, &seen);
	CHECK(ix != NULL && d != NULL);
	if (ix == NULL || d == NULL)
		return 1;

	for (int k = 0; k < NFLOWS; k++) {
		struct flow f = rand_flow();
		const uint64_t *c = detect_index_lookup(ix, &f);
		uint32_t want_pass = 0, want[NRULES];
		int nwant = 0, bad = 0;

		/* 1: the bitset is exactly the header test without sport */
		for (size_t b = 0; b < np + na; b++) {
			int bit = (int)(c[b / 64] >> (b % 64) & 1);
			int h = header(&rs->rules[ord[b]], &f, 0);

			bits += (size_t)bit;
			heads += (size_t)h;
			if (bit != h && bad++ == 0)
				fprintf(stderr, "flow %d rule sid %u: index %d, "
				    "header %d\n", k, rs->rules[ord[b]].sid,
				    bit, h);
		}
		CHECK_INT(bad, 0);
		/* detect_index_next visits exactly the set bits, in order */
		for (size_t b = 0, i = detect_index_next(c, 0, np + na);
		    b < np + na; b++)
			if (c[b / 64] >> (b % 64) & 1) {
				CHECK_INT(i, b);
				i = detect_index_next(c, b + 1, np + na);
			}

		/* 2: detect_flow against the linear scan */
		for (size_t i = 0; i < np && want_pass == 0; i++)
			if (header(&rs->rules[pass[i]], &f, 1))
				want_pass = rs->rules[pass[i]].sid;
		for (size_t i = 0; i < na && want_pass == 0; i++)
			if (header(&rs->rules[alert[i]], &f, 1))
				want[nwant++] = rs->rules[alert[i]].sid;
		seen.n = 0;
		(void)detect_flow(d, &f, 1, 1);
		flow_ext_free(f.ext);
		if (want_pass != 0) {
			passes++;
			CHECK_INT(f.verdict, FV_PASS);
			CHECK_INT(f.pass_sid, want_pass);
		} else
			CHECK_INT(f.verdict, nwant > 0 ? FV_ALERT : FV_NOMATCH);
		CHECK_INT(seen.n, nwant);
		for (int i = 0; i < nwant && i < seen.n; i++)
			CHECK_INT(seen.sid[i], want[i]);
		alerts += (size_t)nwant;
	}
	/* the test means something: flows matched, and the index pruned */
	fprintf(stderr, "%d flows x %zu rules: %zu candidates, %zu header "
	    "matches, %zu passed flows, %zu alerts\n", NFLOWS, np + na, bits,
	    heads, passes, alerts);
	CHECK(passes > NFLOWS / 20);
	CHECK(alerts > NFLOWS / 10);
	CHECK(bits < (size_t)NFLOWS * (np + na) / 4);
	detect_free(d);
	detect_index_free(ix);
	rules_free(rs);
	free(text);
	CHECK_DONE();
}
