/*
 * test-detect.c - policy evaluation on hand-made flows: pass precedence,
 * negation, ports, protocols, IPv6, thresholds of every type and track
 * over packet time, and GeoIP/ASN conditions against the databases that
 * tests/mkmmdb.pl builds (those checks are skipped, with a message, when
 * the databases cannot be built).
 *
 * Flows are built with the initiator in key slot 1, so a test that passes
 * proves detect reads flow_src()/flow_dst() and not the key order.
 */
#include <sys/wait.h>

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "detect.h"
#include "app-flow.h"
#include "geoip.h"
#include "rules.h"
#include "check.h"
#include "addr-test.h"
#include "mmdb-test.h"

#define SEC	1000000000LL
#define T0	(1768583854LL * SEC)	/* packet time, not wall clock */

static struct flow
F(int proto, const char *src, uint16_t sport, const char *dst, uint16_t dport)
{
	struct flow f;

	memset(&f, 0, sizeof(f));
	f.key.proto = (uint8_t)proto;
	f.init = 1;
	f.key.addr[1] = A(src);
	f.key.port[1] = sport;
	f.key.addr[0] = A(dst);
	f.key.port[0] = dport;
	return f;
}

struct seen {
	int		 n;
	uint32_t	 sid[64];
	int64_t		 ts[64];
};

static void
cb(void *arg, const struct flow *f, const struct rule *r, int64_t ts)
{
	struct seen *s = arg;

	(void)f;
	if (s->n < 64) {
		s->sid[s->n] = r->sid;
		s->ts[s->n] = ts;
	}
	s->n++;
}

static struct ruleset *
compile(const char *text, const struct geoip *geo)
{
	struct ruleset *rs = rules_load_string("t.rules", text, geo, stderr);

	CHECK(rs != NULL);
	if (rs == NULL)
		exit(1);
	return rs;
}

/*
 * The policy decision for a fresh flow: detect_flow remembers per flow
 * which rules matched (f->ext), so each call here is a new flow, as the
 * flow table would hand them over.  'final' because these flows will
 * never carry a name; holding alerts for one is tested in test_pending.
 */
static int
df(struct detect *d, struct flow *f, int64_t ts)
{
	int n = detect_flow(d, f, ts, 1);

	flow_ext_free(f->ext);
	f->ext = NULL;
	return n;
}

/* Evaluate one flow; returns the alert count, fills s. */
static int
eval(struct detect *d, struct seen *s, struct flow f, int64_t ts, int *verdict)
{
	int n;

	s->n = 0;
	n = df(d, &f, ts);
	if (verdict != NULL)
		*verdict = f.verdict;
	CHECK_INT(n, s->n);
	return n;
}

static void
test_policy(void)
{
	struct ruleset *rs = compile(
	    "var BMC = [10.50.0.0/16, fd00:50::/48]\n"
	    "var MGMT = [10.1.0.0/24, fd00:1::/64]\n"
	    "portvar HIGH = [1024:, !8080]\n"
	    "pass udp $BMC any -> [10.1.0.10, fd00:1::10] 123 (msg:\"ntp\"; "
	    "sid:100;)\n"
	    "pass tcp $BMC $HIGH -> $MGMT [514, 6514] (msg:\"syslog\"; "
	    "sid:101;)\n"
	    "alert ip $BMC any -> !$MGMT any (msg:\"egress\"; sid:1000;)\n"
	    "alert tcp $BMC any -> any 443 (msg:\"https\"; sid:1001;)\n"
	    "alert icmp any any -> $BMC any (msg:\"ping\"; sid:1002;)\n"
	    "alert udp any :1023 -> $BMC [623, 161:162] (msg:\"ipmi\"; "
	    "sid:1003;)\n", NULL);
	struct seen s;
	struct detect *d = detect_new(rs, NULL, cb, &s);
	struct detect_stats st;
	struct flow f;
	int v;

	CHECK(d != NULL);

	/* pass wins over the matching alert rule 1000 */
	CHECK_INT(eval(d, &s, F(17, "10.50.0.9", 40000, "10.1.0.10", 123), T0,
	    &v), 0);
	CHECK_INT(v, FV_PASS);
	f = F(17, "10.50.0.9", 40000, "10.1.0.10", 123);
	f.pass_sid = 7;
	df(d, &f, T0);
	CHECK_INT(f.pass_sid, 100);
	/* same flow to another NTP server in MGMT: nothing matches */
	CHECK_INT(eval(d, &s, F(17, "10.50.0.9", 40000, "10.1.0.11", 123), T0,
	    &v), 0);
	CHECK_INT(v, FV_NOMATCH);
	f = F(17, "10.50.0.9", 40000, "10.1.0.11", 123);
	f.pass_sid = 7;
	df(d, &f, T0);
	CHECK_INT(f.pass_sid, 0);
	/* to the Internet: egress; the direction matters */
	CHECK_INT(eval(d, &s, F(17, "10.50.0.9", 40000, "8.8.8.8", 123), T0,
	    &v), 1);
	CHECK_INT(v, FV_ALERT);
	CHECK_INT(s.sid[0], 1000);
	CHECK_INT(s.ts[0], T0);
	CHECK_INT(eval(d, &s, F(17, "8.8.8.8", 123, "10.50.0.9", 40000), T0,
	    &v), 0);
	CHECK_INT(v, FV_NOMATCH);
	/* two alert rules, in file order */
	CHECK_INT(eval(d, &s, F(6, "10.50.0.9", 40000, "203.0.113.5", 443), T0,
	    &v), 2);
	CHECK_INT(s.sid[0], 1000);
	CHECK_INT(s.sid[1], 1001);
	/* port sets: sport 8080 is not in HIGH, 1023 neither */
	CHECK_INT(eval(d, &s, F(6, "10.50.0.9", 50000, "10.1.0.20", 514), T0,
	    &v), 0);
	CHECK_INT(v, FV_PASS);
	CHECK_INT(eval(d, &s, F(6, "10.50.0.9", 8080, "10.1.0.20", 514), T0,
	    &v), 0);
	CHECK_INT(v, FV_NOMATCH);
	CHECK_INT(eval(d, &s, F(6, "10.50.0.9", 1023, "10.1.0.20", 6514), T0,
	    &v), 0);
	CHECK_INT(v, FV_NOMATCH);
	CHECK_INT(eval(d, &s, F(6, "10.50.0.9", 1024, "10.1.0.20", 6514), T0,
	    &v), 0);
	CHECK_INT(v, FV_PASS);
	/* protocol: the syslog pass rule is tcp only */
	CHECK_INT(eval(d, &s, F(17, "10.50.0.9", 50000, "10.1.0.20", 514), T0,
	    &v), 0);
	CHECK_INT(v, FV_NOMATCH);
	/* udp source and destination port ranges */
	CHECK_INT(eval(d, &s, F(17, "10.1.0.5", 1023, "10.50.1.1", 162), T0,
	    &v), 1);
	CHECK_INT(s.sid[0], 1003);
	CHECK_INT(eval(d, &s, F(17, "10.1.0.5", 1024, "10.50.1.1", 623), T0,
	    &v), 0);
	CHECK_INT(eval(d, &s, F(17, "10.1.0.5", 0, "10.50.1.1", 160), T0,
	    &v), 0);
	CHECK_INT(eval(d, &s, F(6, "10.1.0.5", 100, "10.50.1.1", 623), T0,
	    &v), 0);
	/* icmp covers ICMPv4 and ICMPv6, not others */
	CHECK_INT(eval(d, &s, F(1, "10.1.0.5", 0, "10.50.1.1", 0), T0, &v), 1);
	CHECK_INT(eval(d, &s, F(58, "fd00:1::5", 0, "fd00:50::1", 0), T0, &v),
	    1);
	CHECK_INT(s.sid[0], 1002);
	CHECK_INT(eval(d, &s, F(17, "10.1.0.5", 0, "10.50.1.1", 0), T0, &v), 0);
	/* ip covers any protocol, e.g. GRE; IPv6 addresses */
	CHECK_INT(eval(d, &s, F(47, "fd00:50::7", 0, "2001:db8::1", 0), T0,
	    &v), 1);
	CHECK_INT(s.sid[0], 1000);
	CHECK_INT(eval(d, &s, F(17, "fd00:50::7", 5, "fd00:1::10", 123), T0,
	    &v), 0);
	CHECK_INT(v, FV_PASS);
	CHECK_INT(eval(d, &s, F(47, "fd00:51::7", 0, "2001:db8::1", 0), T0,
	    &v), 0);
	CHECK_INT(v, FV_NOMATCH);
	/* a v4-mapped address is IPv4, never a v6 prefix */
	CHECK_INT(eval(d, &s, F(47, "::ffff:10.50.0.1", 0, "9.9.9.9", 0), T0,
	    &v), 1);

	detect_stats(d, &st);
	CHECK_INT(st.evaluated, 23);
	CHECK_INT(st.passed, 5);
	CHECK_INT(st.alerts, 8);
	CHECK_INT(st.suppressed, 0);
	detect_free(d);

	/* no callback is fine; an empty rule set matches nothing */
	d = detect_new(rs, NULL, NULL, NULL);
	f = F(6, "10.50.0.9", 40000, "203.0.113.5", 443);
	CHECK_INT(df(d, &f, T0), 2);
	CHECK_INT(f.verdict, FV_ALERT);
	detect_free(d);
	rules_free(rs);

	rs = compile("# nothing\n", NULL);
	d = detect_new(rs, NULL, cb, &s);
	CHECK_INT(eval(d, &s, F(6, "1.1.1.1", 1, "2.2.2.2", 2), T0, &v), 0);
	CHECK_INT(v, FV_NOMATCH);
	detect_free(d);
	rules_free(rs);
	detect_free(NULL);
}

static void
test_thresholds(void)
{
	struct ruleset *rs = compile(
	    "alert tcp any any -> any 1 (msg:\"l\"; sid:1; threshold:type "
	    "limit, track by_src, count 2, seconds 60;)\n"
	    "alert tcp any any -> any 2 (msg:\"t\"; sid:2; threshold:type "
	    "threshold, track by_dst, count 3, seconds 10;)\n"
	    "alert tcp any any -> any 3 (msg:\"b\"; sid:3; threshold:type "
	    "both, track by_rule, count 2, seconds 10;)\n"
	    "alert tcp any any -> any 4 (msg:\"p\"; sid:4; threshold:type "
	    "limit, track by_both, count 1, seconds 10;)\n"
	    "alert tcp any any -> any 5 (msg:\"u\"; sid:5;)\n"
	    "alert tcp any any -> any 6 (msg:\"m\"; sid:6; threshold:type "
	    "limit, track by_src, count 1, seconds 3600;)\n", NULL);
	struct seen s;
	struct detect *d = detect_new(rs, NULL, cb, &s);
	struct detect_stats st;
	int v, n;

	/* limit: at most 2 per 60 s per source */
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.0.1", 1), T0, &v), 1);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.0.2", 1), T0 + SEC,
	    &v), 1);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.0.3", 1), T0 + 2 * SEC,
	    &v), 0);
	CHECK_INT(v, FV_ALERT);			/* matched, suppressed */
	CHECK_INT(eval(d, &s, F(6, "10.0.0.2", 9, "10.9.0.3", 1), T0 + 3 * SEC,
	    &v), 1);			/* another source */
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.0.3", 1), T0 + 59 * SEC,
	    &v), 0);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.0.3", 1), T0 + 60 * SEC,
	    &v), 1);			/* new window */
	CHECK_INT(s.ts[0], T0 + 60 * SEC);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.0.3", 1), T0 + 61 * SEC,
	    &v), 1);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.0.3", 1), T0 + 62 * SEC,
	    &v), 0);

	/* threshold: every 3rd match within 10 s, per destination */
	n = 0;
	for (int i = 0; i < 6; i++)
		n += eval(d, &s, F(6, i % 2 ? "10.0.0.1" : "10.0.0.2", 9,
		    "10.9.9.9", 2), T0 + i * SEC, &v) * (i + 1);
	CHECK_INT(n, 3 + 6);		/* the 3rd and the 6th */
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.9.8", 2), T0 + 6 * SEC,
	    &v), 0);			/* another destination: count 1 */
	/* window expired at T0+10: the count restarts */
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.9.9", 2), T0 + 10 * SEC,
	    &v), 0);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.9.9", 2), T0 + 11 * SEC,
	    &v), 0);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.9.9.9", 2), T0 + 12 * SEC,
	    &v), 1);

	/* both: once per window, at the 2nd match, whatever the addresses */
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.8.0.1", 3), T0, &v), 0);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.2", 9, "10.8.0.2", 3), T0 + SEC,
	    &v), 1);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.3", 9, "10.8.0.3", 3), T0 + 2 * SEC,
	    &v), 0);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.4", 9, "10.8.0.4", 3), T0 + 3 * SEC,
	    &v), 0);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.4", 9, "10.8.0.4", 3), T0 + 15 * SEC,
	    &v), 0);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.4", 9, "10.8.0.4", 3), T0 + 16 * SEC,
	    &v), 1);

	/* by_both: one key for the address pair in either direction */
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.7.0.1", 4), T0, &v), 1);
	CHECK_INT(eval(d, &s, F(6, "10.7.0.1", 9, "10.0.0.1", 4), T0 + SEC,
	    &v), 0);
	CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.7.0.2", 4), T0 + SEC,
	    &v), 1);
	CHECK_INT(eval(d, &s, F(6, "fd00::1", 9, "fd00::2", 4), T0 + SEC,
	    &v), 1);
	CHECK_INT(eval(d, &s, F(6, "fd00::2", 9, "fd00::1", 4), T0 + 2 * SEC,
	    &v), 0);

	/* no threshold: every match */
	for (int i = 0; i < 5; i++)
		CHECK_INT(eval(d, &s, F(6, "10.0.0.1", 9, "10.7.0.1", 5), T0,
		    &v), 1);

	detect_stats(d, &st);
	CHECK_INT(st.alerts, 18);
	CHECK_INT(st.suppressed, 16);
	CHECK_INT(st.evaluated, 34);

	/*
	 * Many distinct sources: the table is bounded, so old entries are
	 * overwritten, but a first sighting always alerts and recent keys
	 * are still remembered.
	 */
	n = 0;
	for (int i = 0; i < 200000; i++) {
		char src[32];
		struct flow f;

		snprintf(src, sizeof(src), "10.%d.%d.%d", (i >> 16) & 255,
		    (i >> 8) & 255, i & 255);
		f = F(6, src, 9, "10.9.9.9", 6);
		n += df(d, &f, T0 + i);
	}
	CHECK_INT(n, 200000);
	CHECK_INT(eval(d, &s, F(6, "10.3.13.63", 9, "10.9.9.9", 6),
	    T0 + 200000, &v), 0);		/* i = 199999 */
	detect_free(d);
	rules_free(rs);
}

/* The sids that alert for one flow, as a bit mask of sid - 1. */
static unsigned
sids(struct detect *d, struct seen *s, struct flow f, int *verdict)
{
	unsigned m = 0;

	eval(d, s, f, T0, verdict);
	for (int i = 0; i < s->n && i < 64; i++)
		m |= 1u << (s->sid[i] - 1);
	return m;
}

#define B(n)	(1u << ((n) - 1))

static void
test_geo(void)
{
	char dir[1024], c[1100], a[1100], err[256];
	struct geoip *g;
	struct ruleset *rs;
	struct detect *d;
	struct seen s;
	int rc, v;

	if ((rc = mkdbs(dir, sizeof(dir))) != 0) {
		fprintf(stderr, "skip geoip/asn detection checks: cannot build "
		    "test databases\n");
		CHECK(rc == 77);
		return;
	}
	snprintf(c, sizeof(c), "%s/country-geolite2.mmdb", dir);
	snprintf(a, sizeof(a), "%s/asn.mmdb", dir);
	if ((g = geoip_open(c, a, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		CHECK(g != NULL);
		rmdbs(dir);
		return;
	}
	rs = compile(
	    "pass tcp any any -> any 25 (msg:\"p\"; geoip:dst,DE; sid:20;)\n"
	    "alert ip any any -> any any (msg:\"1\"; geoip:dst,CN,RU; sid:1;)\n"
	    "alert ip any any -> any any (msg:\"2\"; geoip:dst,!US,de; "
	    "sid:2;)\n"
	    "alert ip any any -> any any (msg:\"3\"; geoip:any,CN; sid:3;)\n"
	    "alert ip any any -> any any (msg:\"4\"; geoip:both,CN,RU; sid:4;)\n"
	    "alert ip any any -> any any (msg:\"5\"; asn:dst,24940; sid:5;)\n"
	    "alert ip any any -> any any (msg:\"6\"; asn:dst,!24940; sid:6;)\n"
	    "alert ip any any -> any any (msg:\"7\"; geoip:src,CN; "
	    "asn:dst,AS12389; sid:7;)\n"
	    "alert ip any any -> any any (msg:\"8\"; geoip:src,!CN; sid:8;)\n",
	    g);
	d = detect_new(rs, g, cb, &s);

	/* CN destination: in the list; not US/DE; "any"; other ASN */
	CHECK_INT(sids(d, &s, F(6, "10.50.0.1", 1, "192.0.2.5", 443), &v),
	    B(1) | B(2) | B(3) | B(6));
	CHECK_INT(v, FV_ALERT);
	/* DE: only the ASN rule; and the pass rule for port 25 */
	CHECK_INT(sids(d, &s, F(6, "10.50.0.1", 1, "198.51.100.1", 443), &v),
	    B(5));
	CHECK_INT(sids(d, &s, F(6, "10.50.0.1", 1, "198.51.100.1", 25), &v),
	    0);
	CHECK_INT(v, FV_PASS);
	/* US: nothing (not in the lists, excluded by !US) */
	CHECK_INT(sids(d, &s, F(17, "10.50.0.1", 1, "203.0.113.9", 53), &v),
	    B(6));
	/* unknown country and ASN never match, negated or not */
	CHECK_INT(sids(d, &s, F(6, "10.50.0.1", 1, "10.1.0.1", 25), &v), 0);
	CHECK_INT(v, FV_NOMATCH);
	/* IPv6: RU; both sides CN/RU; src CN with the RU ASN */
	CHECK_INT(sids(d, &s, F(6, "fd00::1", 1, "2001:db8::1", 443), &v),
	    B(1) | B(2) | B(6));
	CHECK_INT(sids(d, &s, F(6, "192.0.2.7", 1, "2001:db8::1", 443), &v),
	    B(1) | B(2) | B(3) | B(4) | B(6) | B(7));
	/* src side: DE source is "not CN"; unknown source is not */
	CHECK_INT(sids(d, &s, F(6, "198.51.100.1", 1, "10.50.0.1", 443), &v),
	    B(8));
	CHECK_INT(sids(d, &s, F(6, "10.9.0.1", 1, "10.50.0.1", 443), &v), 0);

	detect_free(d);
	rules_free(rs);
	geoip_close(g);
	rmdbs(dir);
}

/*
 * Alerts wait for the flow's name; a pass rule keyed on the name clears
 * the flow when it arrives; findings (ipmi.) are not silenced by a pass;
 * a rule alerts once per flow however often the flow is evaluated.
 */
static void
beacon_cb(void *arg, const struct flow *f, const struct rule *r, int64_t ts,
    const struct beacon_alert *b)
{
	(void)f; (void)r; (void)ts; (void)b;
	(*(int *)arg)++;
}

static void
test_pending(void)
{
	struct ruleset *rs = compile(
	    "var BMC = [10.50.0.0/16]\n"
	    "pass tcp $BMC any -> any 443 (msg:\"vendor\"; tls.sni:\"*.vendor.example\"; sid:10;)\n"
	    "pass udp any any -> $BMC 623 (msg:\"admins do IPMI\"; sid:11;)\n"
	    "alert ip $BMC any -> any any (msg:\"egress\"; sid:20;)\n"
	    "alert udp any any -> $BMC any (msg:\"cipher 0\"; ipmi.cipher:0; sid:21;)\n"
	    "alert tcp $BMC any -> any any (msg:\"named\"; host:\"*.evil.example\"; sid:22;)\n",
	    NULL);
	struct seen s = {0};
	struct detect *d = detect_new(rs, NULL, cb, &s);
	struct flow f;

	/* no name yet: held */
	f = F(6, "10.50.0.9", 40000, "203.0.113.5", 443);
	CHECK_INT(detect_flow(d, &f, T0, 0), 0);
	CHECK_INT(f.verdict, FV_NONE);
	CHECK(f.ext != NULL && f.ext->pending);
	/* the SNI arrives and a pass rule takes it */
	f.ext->app = APP_TLS;
	f.ext->name = strdup("updates.VENDOR.example");
	CHECK_INT(detect_flow(d, &f, T0 + 1, 0), 0);
	CHECK_INT(f.verdict, FV_PASS);
	CHECK_INT(f.pass_sid, 10);
	CHECK_INT(f.ext->pending, 0);
	flow_ext_free(f.ext);

	/* another name: alerts, named, each rule once */
	f = F(6, "10.50.0.9", 40001, "203.0.113.5", 443);
	CHECK_INT(detect_flow(d, &f, T0, 0), 0);
	f.ext->app = APP_TLS;
	f.ext->name = strdup("c2.evil.example");
	s.n = 0;
	CHECK_INT(detect_flow(d, &f, T0 + 1, 0), 2);
	CHECK_INT(s.sid[0], 20);
	CHECK_INT(s.sid[1], 22);
	CHECK_INT(detect_flow(d, &f, T0 + 2, 1), 0);
	CHECK_INT(f.verdict, FV_ALERT);
	flow_ext_free(f.ext);

	/* no name ever: the final call decides */
	f = F(6, "10.50.0.9", 40002, "203.0.113.5", 443);
	CHECK_INT(detect_flow(d, &f, T0, 0), 0);
	CHECK_INT(detect_flow(d, &f, T0 + 1, 1), 1);
	flow_ext_free(f.ext);

	/* a passed IPMI flow still raises the cipher 0 finding */
	f = F(17, "10.1.0.40", 40003, "10.50.0.10", 623);
	CHECK_INT(detect_flow(d, &f, T0, 0), 0);
	CHECK_INT(f.verdict, FV_PASS);
	CHECK(app_ext(&f) != NULL);
	f.ext->app = APP_RMCP;
	f.ext->u.rmcp = calloc(1, sizeof(*f.ext->u.rmcp));
	f.ext->u.rmcp->offer_valid = 1;
	f.ext->u.rmcp->offer_suite = 0;
	s.n = 0;
	CHECK_INT(detect_flow(d, &f, T0 + 1, 0), 1);
	CHECK_INT(s.sid[0], 21);
	CHECK_INT(detect_flow(d, &f, T0 + 2, 0), 0);
	flow_ext_free(f.ext);
	detect_free(d);
	rules_free(rs);
}

/* Beacon series outlive a reload that keeps the rule's sid. */
static void
test_beacon_reload(void)
{
	const char *text =
	    "beacon ip 10.50.0.0/16 any -> any any (msg:\"b\"; sid:2000;)\n";
	struct ruleset *rs1 = compile(text, NULL), *rs2 = compile(text, NULL);
	struct seen s = {0};
	struct detect *d1 = detect_new(rs1, NULL, cb, &s), *d2;
	struct flow f = F(6, "10.50.0.9", 40000, "203.0.113.5", 443);
	int i, alerts = 0;

	f.verdict = FV_NOMATCH;
	for (i = 0; i < 6; i++)
		detect_beacon_event(d1, &f, BK_FLOW, NULL,
		    T0 + (int64_t)i * 60 * SEC, 100);
	CHECK(detect_has_beacon(d1));
	d2 = detect_new(rs2, NULL, cb, &s);
	detect_set_beacon_cb(d2, beacon_cb, &alerts);
	detect_adopt(d2, d1);
	detect_free(d1);
	rules_free(rs1);
	/* two more clockwork events: the 8th of the series alerts */
	for (; i < 8; i++)
		detect_beacon_event(d2, &f, BK_FLOW, NULL,
		    T0 + (int64_t)i * 60 * SEC, 100);
	CHECK_INT(alerts, 1);
	detect_free(d2);
	rules_free(rs2);
}

/*
 * Threshold counters outlive a reload for the rules that stay as they
 * were (sid, gid, rev, threshold), wherever the rule now sits in the
 * file; a rule whose threshold or rev changed counts from zero.
 */
static void
test_threshold_reload(void)
{
	struct ruleset *rs1 = compile(
	    "alert tcp any any -> any 1 (msg:\"l\"; sid:1000; threshold:type "
	    "limit, track by_src, count 2, seconds 3600;)\n"
	    "alert tcp any any -> any 2 (msg:\"c\"; sid:1001; threshold:type "
	    "limit, track by_src, count 1, seconds 3600;)\n"
	    "alert tcp any any -> any 3 (msg:\"r\"; sid:1002; rev:1; "
	    "threshold:type limit, track by_rule, count 1, seconds 3600;)\n",
	    NULL);
	/* a new rule first: every kept rule has another index now */
	const char *text2 =
	    "alert tcp any any -> any 9 (msg:\"n\"; sid:999; threshold:type "
	    "limit, track by_src, count 1, seconds 3600;)\n"
	    "alert tcp any any -> any 3 (msg:\"r\"; sid:1002; rev:2; "
	    "threshold:type limit, track by_rule, count 1, seconds 3600;)\n"
	    "alert tcp any any -> any 2 (msg:\"c\"; sid:1001; threshold:type "
	    "limit, track by_src, count 1, seconds 60;)\n"
	    "alert tcp any any -> any 1 (msg:\"l2\"; sid:1000; threshold:type "
	    "limit, track by_src, count 2, seconds 3600;)\n";
	struct ruleset *rs2 = compile(text2, NULL), *rs3 = compile(text2, NULL);
	struct seen s;
	struct detect *d1 = detect_new(rs1, NULL, cb, &s), *d2, *d3;
	int v;

	CHECK_INT(eval(d1, &s, F(6, "10.0.0.1", 9, "10.9.0.1", 1), T0, &v), 1);
	CHECK_INT(eval(d1, &s, F(6, "10.0.0.1", 9, "10.9.0.2", 1), T0 + SEC,
	    &v), 1);
	CHECK_INT(eval(d1, &s, F(6, "10.0.0.1", 9, "10.9.0.3", 1), T0 + 2 * SEC,
	    &v), 0);			/* limit reached */
	CHECK_INT(eval(d1, &s, F(6, "10.0.0.1", 9, "10.9.0.1", 2), T0, &v), 1);
	CHECK_INT(eval(d1, &s, F(6, "10.0.0.1", 9, "10.9.0.1", 3), T0, &v), 1);

	/* a fresh set without the hand-over alerts again: what adopt stops */
	d3 = detect_new(rs3, NULL, cb, &s);
	CHECK_INT(eval(d3, &s, F(6, "10.0.0.1", 9, "10.9.0.4", 1),
	    T0 + 3 * SEC, &v), 1);
	detect_free(d3);
	rules_free(rs3);

	d2 = detect_new(rs2, NULL, cb, &s);
	CHECK_INT((int)detect_adopt(d2, d1), 1);	/* sid 1000's entry */
	detect_free(d1);
	rules_free(rs1);
	/* sid 1000 unchanged: still suppressed for 10.0.0.1 till the hour
	 * is over; another source has its own count */
	CHECK_INT(eval(d2, &s, F(6, "10.0.0.1", 9, "10.9.0.4", 1), T0 + 3 * SEC,
	    &v), 0);
	CHECK_INT(v, FV_ALERT);
	CHECK_INT(eval(d2, &s, F(6, "10.0.0.2", 9, "10.9.0.4", 1), T0 + 3 * SEC,
	    &v), 1);
	CHECK_INT(eval(d2, &s, F(6, "10.0.0.1", 9, "10.9.0.5", 1),
	    T0 + 3599 * SEC, &v), 0);
	CHECK_INT(eval(d2, &s, F(6, "10.0.0.1", 9, "10.9.0.5", 1),
	    T0 + 3600 * SEC, &v), 1);	/* the window carried over ends */
	/* sid 1001's threshold changed, sid 1002's rev: both count anew */
	CHECK_INT(eval(d2, &s, F(6, "10.0.0.1", 9, "10.9.0.1", 2), T0 + SEC,
	    &v), 1);
	CHECK_INT(eval(d2, &s, F(6, "10.0.0.1", 9, "10.9.0.1", 2), T0 + 2 * SEC,
	    &v), 0);
	CHECK_INT(eval(d2, &s, F(6, "10.0.0.1", 9, "10.9.0.1", 3), T0 + SEC,
	    &v), 1);
	CHECK_INT(s.sid[0], 1002);
	/* a second reload with nothing left to keep keeps nothing */
	CHECK_INT((int)detect_adopt(d2, NULL), 0);
	detect_free(d2);
	rules_free(rs2);
}

int
main(void)
{
	test_pending();
	test_beacon_reload();
	test_threshold_reload();
	test_policy();
	test_thresholds();
	test_geo();
	CHECK_DONE();
}
