/*
 * test-learn.c - the --learn writer (sensor/learn.c): how flows become
 * rules, that every rule written loads with the real parser, that a
 * second run merges into the file, and that output and memory are
 * bounded and deterministic.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "beacon.h"
#include "check.h"
#include "decode.h"
#include "learn.h"
#include "rules.h"

#define T0	1764000000000000000LL	/* 2025-11-24T16:00:00Z */
#define SEC	1000000000LL

static char dir[] = "/tmp/test-learn.XXXXXX";

static struct bw_addr
A(const char *s)
{
	struct bw_addr a;

	if (bw_addr_parse(s, &a) != 0) {
		fprintf(stderr, "bad address %s\n", s);
		exit(99);
	}
	return a;
}

static void
obs(struct learn *l, const char *src, const char *dst, int proto, int port,
    const char *name, int alerted, unsigned psid, int64_t t)
{
	struct bw_addr s = A(src), d = A(dst);

	learn_observe(l, &s, &d, (uint8_t)proto, (uint16_t)port, name, alerted,
	    psid, T0 + t * SEC, 100);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* Load the written file with the real parser; returns the pass rules. */
static int
load(const char *text)
{
	char *full;
	struct ruleset *rs;
	int n = -1;

	if (asprintf(&full, "var BMC = [10.50.0.0/16]\n%s", text) < 0)
		return -1;
	if ((rs = rules_load_string("learned", full, NULL, stderr)) != NULL) {
		n = 0;
		for (size_t i = 0; i < rs->nrules; i++)
			n += rs->rules[i].action == RA_PASS;
		rules_free(rs);
	}
	free(full);
	return n;
}

/* The sid a "# learned:" line gives KEY, 0 if none. */
static unsigned
sid_of(const char *txt, const char *key)
{
	char pfx[300];
	const char *p;
	unsigned sid = 0;

	snprintf(pfx, sizeof(pfx), "# learned: %s sid=", key);
	if ((p = strstr(txt, pfx)) != NULL)
		sscanf(p + strlen(pfx), "%u", &sid);
	return sid;
}

static char *
path(const char *name)
{
	static char buf[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

/* The first capture: something of every kind. */
static void
feed1(struct learn *l)
{
	/* an NTP pool: five addresses, one name, two BMCs */
	obs(l, "10.50.0.1", "192.0.2.1", 17, 123, "pool.ntp.org", 0, 0, 0);
	obs(l, "10.50.0.1", "192.0.2.77", 17, 123, "pool.ntp.org", 0, 0, 64);
	obs(l, "10.50.0.2", "198.51.100.3", 17, 123, "Pool.NTP.org", 0, 0, 5);
	obs(l, "10.50.0.2", "198.51.100.4", 17, 123, "pool.ntp.org", 0, 0, 9);
	obs(l, "10.50.0.2", "198.51.100.5", 17, 123, "pool.ntp.org", 0, 0, 99);
	/* syslog to four collectors of one /24: collapsed */
	for (int i = 1; i <= 4; i++) {
		char d[32];

		snprintf(d, sizeof(d), "10.1.5.%d", i);
		obs(l, "10.50.0.3", d, 17, 514, NULL, 0, 0, i);
	}
	/* three in another /24: not collapsed */
	obs(l, "10.50.0.3", "10.1.6.1", 6, 389, NULL, 0, 0, 1);
	obs(l, "10.50.0.3", "10.1.6.2", 6, 389, NULL, 0, 0, 2);
	obs(l, "10.50.0.3", "10.1.6.3", 6, 389, NULL, 0, 0, 3);
	/* ephemeral ports towards one host collapse; a lone high port stays */
	obs(l, "10.50.0.4", "10.1.0.7", 17, 40000, NULL, 0, 0, 1);
	obs(l, "10.50.0.4", "10.1.0.7", 17, 40001, NULL, 0, 0, 2);
	obs(l, "10.50.0.4", "10.1.0.7", 17, 51234, NULL, 0, 0, 3);
	obs(l, "10.50.0.4", "10.1.0.8", 17, 33000, NULL, 0, 0, 3);
	/* alerted: reported, never passed, also for a name */
	obs(l, "10.50.0.5", "203.0.113.5", 6, 443, NULL, 1, 0, 7);
	obs(l, "10.50.0.5", "203.0.113.9", 6, 443, "c2.example.net", 0, 0, 8);
	obs(l, "10.50.0.5", "203.0.113.10", 6, 443, "c2.example.net", 1, 0,
	    9);
	/* already passed by the site's rules: counted only */
	obs(l, "10.50.0.6", "10.1.0.10", 17, 123, NULL, 0, 100, 10);
	/* DNS: per resolver, whatever the query */
	obs(l, "10.50.0.6", "10.1.0.53", 17, 53, "a.example.com", 0, 0, 11);
	obs(l, "10.50.0.7", "10.1.0.53", 17, 53, "b.example.com", 0, 0, 12);
	/* a name that cannot go into a rule is ignored */
	obs(l, "10.50.0.7", "10.1.0.90", 6, 443, "ev\"il;*", 0, 0, 13);
	/* IPv6 */
	obs(l, "10.50.0.7", "fd00:50::25", 6, 25, NULL, 0, 0, 14);
}

static void
test_aggregate(void)
{
	struct learn *l = learn_new(1000);
	char err[256];
	char *txt;

	learn_note_capture(l, "day1.pcap");
	feed1(l);
	CHECK_INT(learn_flows(l), 24);
	CHECK_INT(learn_dropped(l), 0);
	CHECK_INT(learn_write(l, path("a.rules"), "$BMC", err, sizeof(err)), 0);
	txt = slurp(path("a.rules"));
	CHECK(strstr(txt, "pass udp $BMC any -> any 123 (msg:\"learned: NTP to "
	    "pool.ntp.org\"; host:\"pool.ntp.org\"; sid:") != NULL);
	CHECK_INT(count(txt, "host:\"pool.ntp.org\""), 1);
	CHECK(sid_of(txt, "udp/123/host=pool.ntp.org") >= 900000);
	CHECK(strstr(txt, "pool.ntp.org sid=") != NULL && strstr(strstr(txt,
	    "pool.ntp.org sid="), " flows=5 bytes=500 hosts=2 addrs=5 "
	    "first=2025-11-24T16:00:00Z last=2025-11-24T16:01:39Z") != NULL);
	CHECK(strstr(txt, "periodic") == NULL);	/* no series in feed1 */
	CHECK(strstr(txt, "pass udp $BMC any -> 10.1.5.0/24 514 (msg:\"learned: "
	    "syslog to 10.1.5.0/24\"") != NULL);
	CHECK_INT(count(txt, "10.1.5."), 3);	/* key, rule, msg */
	CHECK_INT(count(txt, "pass tcp $BMC any -> 10.1.6."), 3);
	CHECK(strstr(txt, "pass udp $BMC any -> 10.1.0.7 32768: ") != NULL);
	CHECK_INT(count(txt, "-> 10.1.0.7 "), 1);
	CHECK(strstr(txt, "pass udp $BMC any -> 10.1.0.8 33000 ") != NULL);
	/* alerted */
	CHECK(strstr(txt, "# Not passed (an alert rule matched):") != NULL);
	CHECK(strstr(txt, "pass tcp $BMC any -> 203.0.113.5") == NULL);
	CHECK(strstr(txt, "# reported: tcp/443/dst=203.0.113.5 ") != NULL);
	CHECK(strstr(txt, "# reported: tcp/443/host=c2.example.net ") != NULL);
	CHECK(strstr(txt, "host:\"c2.example.net\"; sid") == NULL);
	CHECK(strstr(txt, "Not passed") < strstr(txt, "\n# reported:"));
	/* passed, DNS, bad name, IPv6 */
	CHECK(strstr(txt, "-> 10.1.0.10 ") == NULL);
	CHECK(strstr(txt, "# totals: passed-flows=1 passed-bytes=100 "
	    "dropped=0") != NULL);
	CHECK(strstr(txt, "pass udp $BMC any -> 10.1.0.53 53 (msg:\"learned: "
	    "DNS to 10.1.0.53\"") != NULL);
	CHECK(strstr(txt, "example.com") == NULL);
	CHECK(strstr(txt, "pass tcp $BMC any -> 10.1.0.90 443 ") != NULL);
	CHECK(strstr(txt, "evil") == NULL && strstr(txt, "ev\"") == NULL);
	CHECK(strstr(txt, "pass tcp $BMC any -> fd00:50::25 25 ") != NULL);
	CHECK(strstr(txt, "# capture: day1.pcap") != NULL);
	CHECK(strstr(txt, "# sids: 900000-999999") != NULL);
	/* 1 pool + 1 /24 + 3 ldap + 2 high ports + dns + 443 + smtp */
	CHECK_INT(count(txt, "\npass "), 10);
	CHECK_INT(load(txt), 10);
	free(txt);
	learn_free(l);
}

static void
test_merge(void)
{
	struct learn *l = learn_new(1000);
	char err[256], *a, *b;
	unsigned pool;
	FILE *f;

	feed1(l);
	CHECK_INT(learn_write(l, path("m.rules"), "$BMC", err, sizeof(err)), 0);
	learn_free(l);
	a = slurp(path("m.rules"));
	pool = sid_of(a, "udp/123/host=pool.ntp.org");
	CHECK(pool >= 900000 && pool <= 900009);

	/* the analyst comments one rule out and adds one of his own */
	{
		char *p = strstr(a, "pass tcp $BMC any -> fd00:50::25");

		CHECK(p != NULL);
		f = fopen(path("m.rules"), "w");
		fwrite(a, 1, (size_t)(p - a), f);
		fputs("# ", f);
		fputs(p, f);
		fputs("pass tcp $BMC any -> 10.9.9.9 22 (msg:\"mine\"; sid:5;)\n",
		    f);
		fclose(f);
	}

	l = learn_new(1000);
	learn_note_capture(l, "day2.pcap");
	/* the same pool again, by a learned rule's sid and without */
	obs(l, "10.50.0.9", "192.0.2.200", 17, 123, "pool.ntp.org", 0, 0,
	    1000);
	obs(l, "10.50.0.9", "192.0.2.201", 17, 123, NULL, 0, pool, 2000);
	/* a fifth syslog collector: under the /24 rule */
	obs(l, "10.50.0.3", "10.1.5.9", 17, 514, NULL, 0, 0, 1500);
	/* another ephemeral port: under the 32768: rule */
	obs(l, "10.50.0.4", "10.1.0.7", 17, 45000, NULL, 0, 0, 1500);
	/* something new */
	obs(l, "10.50.0.4", "10.1.0.30", 17, 162, NULL, 0, 0, 1600);
	CHECK_INT(learn_write(l, path("m.rules"), "$BMC", err, sizeof(err)), 0);
	b = slurp(path("m.rules"));
	CHECK_INT(count(b, "host:\"pool.ntp.org\""), 1);
	CHECK_INT(sid_of(b, "udp/123/host=pool.ntp.org"), pool);
	CHECK(strstr(strstr(b, "pool.ntp.org sid="), " "
	    "flows=7 bytes=700 hosts=2 addrs=5 first=2025-11-24T16:00:00Z "
	    "last=2025-11-24T16:33:20Z") != NULL);
	CHECK_INT(count(b, "-> 10.1.5."), 1);
	CHECK(strstr(b, "-> 10.1.5.9") == NULL);
	CHECK_INT(count(b, "-> 10.1.0.7 "), 1);
	/* sids stable: every old rule line is still there, unchanged */
	for (char *p = a; (p = strstr(p, "\npass ")) != NULL; p++) {
		char line[512];
		size_t n = strcspn(p + 1, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)n, p + 1);
		if (strstr(line, "fd00:50::25") != NULL)
			continue;
		CHECK(strstr(b, line) != NULL);
	}
	CHECK(strstr(b, "# pass tcp $BMC any -> fd00:50::25 25 ") != NULL);
	CHECK(strstr(b, "\npass tcp $BMC any -> fd00:50::25") == NULL);
	CHECK(strstr(b, "pass udp $BMC any -> 10.1.0.30 162 (msg:\"learned: "
	    "SNMP trap to 10.1.0.30\"; sid:900010; rev:1;)") != NULL);
	CHECK(strstr(b, "pass tcp $BMC any -> 10.9.9.9 22 (msg:\"mine\"; "
	    "sid:5;)\n") != NULL);
	CHECK_INT(count(b, "# --- end of learned rules"), 1);
	CHECK(strstr(b, "# capture: day1.pcap") == NULL);
	CHECK(strstr(b, "# capture: day2.pcap") != NULL);
	CHECK_INT(count(b, "# reported: "), 2);
	CHECK_INT(count(b, "\npass "), 10 - 1 + 1 + 1);
	CHECK_INT(load(b), 11);

	/* a third run that sees nothing changes nothing */
	learn_free(l);
	l = learn_new(10);
	CHECK_INT(learn_write(l, path("m.rules"), "$BMC", err, sizeof(err)), 0);
	free(a);
	a = slurp(path("m.rules"));
	CHECK_STR(a, b);
	learn_free(l);
	free(a);
	free(b);
}

static void
test_determinism(void)
{
	struct learn *l1 = learn_new(1000), *l2 = learn_new(1000);
	struct bw_addr s = A("10.50.0.1");
	char err[256], *a, *b, *c;

	feed1(l1);
	/* the same flows in another order */
	for (int i = 1; i <= 20; i++) {
		struct bw_addr d1 = A(i % 2 ? "10.1.0.1" : "10.1.0.2");
		struct bw_addr d2 = A(i % 2 ? "10.1.0.2" : "10.1.0.1");

		learn_observe(l1, &s, &d1, 6, (uint16_t)(1000 + i), NULL, 0, 0,
		    T0, 1);
		learn_observe(l2, &s, &d2, 6, (uint16_t)(1021 - i), NULL, 0, 0,
		    T0, 1);
	}
	feed1(l2);
	CHECK_INT(learn_write(l1, path("d1.rules"), "$BMC", err, sizeof(err)),
	    0);
	CHECK_INT(learn_write(l2, path("d2.rules"), "$BMC", err, sizeof(err)),
	    0);
	CHECK_INT(learn_write(l1, path("d3.rules"), "$BMC", err, sizeof(err)),
	    0);
	a = slurp(path("d1.rules"));
	b = slurp(path("d2.rules"));
	c = slurp(path("d3.rules"));
	CHECK_STR(a, b);
	CHECK_STR(a, c);
	/* rules sorted by protocol then port */
	CHECK(strstr(a, "-> fd00:50::25 25") < strstr(a, "-> 10.1.6.1 389"));
	CHECK(strstr(a, "-> 10.1.6.3 389") < strstr(a, " 443 "));
	CHECK(strstr(a, " 443 ") < strstr(a, "-> 10.1.0.1 1001 "));
	CHECK(strstr(a, "-> 10.1.0.1 1001 ") < strstr(a, "-> 10.1.0.2 1002 "));
	CHECK(strstr(a, "-> 10.1.0.53 53") < strstr(a, "-> any 123"));
	CHECK_INT(load(a), 30);
	free(a);
	free(b);
	free(c);
	learn_free(l1);
	learn_free(l2);
}

/* A small deterministic jitter in [-1, 1). */
static double
jit(unsigned *st)
{
	*st = *st * 1103515245u + 12345u;
	return ((*st >> 8) % 2000) / 1000.0 - 1;
}

static const char *
line_of(const char *txt, const char *start)
{
	static char buf[512];
	const char *p = strstr(txt, start);

	if (p == NULL)
		return "";
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(p, "\n"), p);
	return buf;
}

/* Periodic series are listed with their period and a guess; a series a
   beacon rule alerted on is reported, never passed. */
static void
test_periodic(void)
{
	struct learn *l = learn_new(1000);
	struct bw_addr s = A("10.50.0.4"), d = A("10.9.0.6");
	struct bw_addr s5 = A("10.50.0.5"), r5 = A("10.1.0.53");
	struct bw_addr s1 = A("10.50.0.1"), d1 = A("10.1.0.10");
	struct bw_addr s2 = A("10.50.0.2"), d2 = A("10.9.0.5");
	struct bw_addr s3 = A("10.50.0.3"), d3 = A("10.1.0.20");
	struct beacon_result br;
	char err[256], *txt;
	const char *ln;
	unsigned st = 7;
	double period;
	int64_t t;

	for (int i = 0; i < 20; i++) {
		/* NTP polling every 64 s, 1 % jitter */
		t = T0 + (int64_t)((i * 64 + 0.6 * jit(&st)) * SEC);
		learn_observe(l, &s1, &d1, 17, 123, NULL, 0, 0, t, 96);
		/* a callback every 300 s, 10 % jitter, to an unknown host */
		t = T0 + (int64_t)((i * 300 + 30 * jit(&st)) * SEC);
		learn_observe(l, &s2, &d2, 6, 443, "cdn.example.org", 0, 0, t,
		    4000);
		/* SSH at random times: not periodic */
		t = T0 + (int64_t)((i * 150 + 140 * jit(&st)) * SEC);
		learn_observe(l, &s3, &d3, 6, 22, NULL, 0, 0, t, 500);
		/* flows a beacon rule alerted on; the verdict did not */
		learn_observe(l, &s, &d, 6, 8443, NULL, 0, 0, T0 + i * 60 * SEC,
		    300);
		/* DNS queries through the resolver, one zone a DNS beacon */
		learn_observe(l, &s5, &r5, 17, 53, "x1.evil.example", 0, 0,
		    T0 + (i * 37 % 600) * SEC, 80);
	}
	memset(&br, 0, sizeof(br));
	br.period_s = 60;
	br.jitter = 0.01;
	br.score = 0.99;
	br.events = 12;
	learn_beacon(l, &s, &d, 6, 8443, NULL, 2000, &br);
	br.period_s = 45;
	learn_beacon(l, &s5, &r5, 17, 53, "evil.example", 2001, &br);
	learn_beacon(l, &s5, &r5, 17, 53, "evil.example", 2001, &br);
	CHECK_INT(learn_write(l, path("p.rules"), "$BMC", err, sizeof(err)), 0);
	txt = slurp(path("p.rules"));

	ln = line_of(txt, "#   periodic: 10.50.0.1 -> 10.1.0.10 udp/123 every ");
	CHECK(sscanf(ln, "#   periodic: 10.50.0.1 -> 10.1.0.10 udp/123 every "
	    "%lf s", &period) == 1 && period > 63 && period < 65);
	CHECK(strstr(ln, "(jitter ") != NULL && strstr(ln, ", 20 events, "
	    "score ") != NULL);
	CHECK(strstr(ln, "looks like NTP polling (2^6 s)") != NULL);
	/* listed under its (passed) rule */
	CHECK(strstr(txt, "pass udp $BMC any -> 10.1.0.10 123 ") >
	    strstr(txt, ln));

	ln = line_of(txt, "#   periodic: 10.50.0.2 -> 10.9.0.5 tcp/443 every ");
	CHECK(sscanf(ln, "#   periodic: 10.50.0.2 -> 10.9.0.5 tcp/443 every "
	    "%lf s", &period) == 1 && period > 290 && period < 310);
	CHECK(strstr(ln, "looks like a beacon: review before passing") != NULL);
	CHECK(strstr(txt, "periodic: 10.50.0.3") == NULL);

	/* the beacon alert: reported, its line replaces the series' own */
	CHECK(strstr(txt, "# reported: tcp/8443/dst=10.9.0.6 ") != NULL);
	CHECK(strstr(txt, "pass tcp $BMC any -> 10.9.0.6") == NULL);
	CHECK(strstr(txt, "#   periodic: 10.50.0.4 -> 10.9.0.6 tcp/8443 every "
	    "60.0 s (jitter 1 %, 12 events, score 0.99): beacon alert (sid "
	    "2000), not passed\n") != NULL);
	CHECK_INT(count(txt, "periodic: 10.50.0.4 -> 10.9.0.6 tcp/8443"), 1);
	/* the DNS beacon: the resolver is reported, the zone named */
	CHECK(strstr(txt, "# reported: udp/53/dst=10.1.0.53 ") != NULL);
	CHECK(strstr(txt, "pass udp $BMC any -> 10.1.0.53") == NULL);
	CHECK_INT(count(txt, "#   periodic: 10.50.0.5 -> 10.1.0.53 udp/53 names "
	    "*.evil.example every 45.0 s"), 1);
	CHECK_INT(load(txt), 3);

	/* a merge keeps the lines (and the reports) */
	learn_free(l);
	l = learn_new(10);
	CHECK_INT(learn_write(l, path("p.rules"), "$BMC", err, sizeof(err)), 0);
	free(txt);
	txt = slurp(path("p.rules"));
	CHECK(strstr(txt, "looks like NTP polling (2^6 s)") != NULL);
	CHECK(strstr(txt, "# reported: tcp/8443/dst=10.9.0.6 ") != NULL);
	CHECK(strstr(txt, "beacon alert (sid 2000), not passed") != NULL);
	free(txt);
	learn_free(l);
}

static void
test_bounded(void)
{
	struct learn *l = learn_new(3);
	struct bw_addr s = A("10.50.0.1"), d = A("10.1.0.1");
	char err[256], *txt;

	for (int i = 0; i < 10; i++)
		learn_observe(l, &s, &d, 6, (uint16_t)(100 + i), NULL, 0, 0,
		    T0, 1);
	/* an existing tuple still counts */
	learn_observe(l, &s, &d, 6, 100, NULL, 0, 0, T0, 1);
	CHECK_INT(learn_flows(l), 11);
	CHECK_INT(learn_dropped(l), 7);
	CHECK_INT(learn_write(l, path("b.rules"), "$BMC", err, sizeof(err)), 0);
	txt = slurp(path("b.rules"));
	CHECK_INT(count(txt, "\npass "), 3);
	CHECK(strstr(txt, "dropped=7") != NULL);
	CHECK(strstr(txt, "-> 10.1.0.1 100 (") != NULL);
	CHECK(strstr(txt, "flows=2 ") != NULL);
	CHECK_INT(load(txt), 3);
	free(txt);
	learn_free(l);
}

static void
test_other_protos(void)
{
	struct learn *l = learn_new(100);
	char err[256], *txt;

	obs(l, "10.50.0.1", "10.1.0.1", 1, 8, NULL, 0, 0, 1);
	obs(l, "10.50.0.1", "10.1.0.1", 58, 0, NULL, 0, 0, 2);
	obs(l, "10.50.0.1", "10.1.0.2", 47, 0, NULL, 0, 0, 3);
	obs(l, "10.50.0.1", "fd00::1", 6, 8443, "Mgmt.Example.COM", 0, 0, 4);
	CHECK_INT(learn_write(l, path("o.rules"), "$BMC", err, sizeof(err)), 0);
	txt = slurp(path("o.rules"));
	CHECK(strstr(txt, "pass icmp $BMC any -> 10.1.0.1 any (") != NULL);
	CHECK(strstr(txt, "# learned: icmp/any/dst=10.1.0.1 sid=900000 "
	    "flows=2 ") != NULL);
	CHECK(strstr(txt, "pass ip $BMC any -> 10.1.0.2 any (") != NULL);
	CHECK(strstr(txt, "pass tcp $BMC any -> any 8443 (msg:\"learned: "
	    "HTTPS to mgmt.example.com\"; host:\"mgmt.example.com\"") != NULL);
	CHECK_INT(load(txt), 3);
	free(txt);
	learn_free(l);
}

static void
test_errors(void)
{
	struct learn *l = learn_new(10);
	struct bw_addr s = A("10.50.0.1"), d = A("10.1.0.1");
	char err[256], *txt;
	FILE *f;

	learn_observe(l, &s, &d, 6, 22, NULL, 0, 0, T0, 1);
	/* never clobber a file this writer did not produce */
	f = fopen(path("hand.rules"), "w");
	fputs("pass tcp any any -> any 22 (msg:\"x\"; sid:1;)\n", f);
	fclose(f);
	errno = 0;
	CHECK_INT(learn_write(l, path("hand.rules"), "$BMC", err, sizeof(err)),
	    -1);
	CHECK_INT(errno, EEXIST);
	CHECK(strstr(err, "not a file written by --learn") != NULL);
	txt = slurp(path("hand.rules"));
	CHECK_STR(txt, "pass tcp any any -> any 22 (msg:\"x\"; sid:1;)\n");
	free(txt);
	/* a learned line edited into nonsense is an error, not a drop */
	f = fopen(path("bad.rules"), "w");
	fputs("# bmcwatch-learn: v1\n# learned: tcp/22/dst=10.1.0.1\"; x "
	    "sid=900000 flows=1 bytes=1 hosts=1 addrs=1 "
	    "first=2025-11-24T16:00:00Z last=2025-11-24T16:00:00Z\n", f);
	fclose(f);
	CHECK_INT(learn_write(l, path("bad.rules"), "$BMC", err, sizeof(err)),
	    -1);
	CHECK_INT(errno, EINVAL);
	CHECK(strstr(err, "bad.rules:2: malformed") != NULL);
	f = fopen(path("long.rules"), "w");
	fputs("# bmcwatch-learn: v1\n# learned: tcp/22/host=", f);
	for (int i = 0; i < 300; i++)
		fputc('a', f);
	fputs(" sid=900000 flows=1 bytes=1 hosts=1 addrs=1 "
	    "first=2025-11-24T16:00:00Z last=2025-11-24T16:00:00Z\n", f);
	fclose(f);
	CHECK_INT(learn_write(l, path("long.rules"), "$BMC", err, sizeof(err)),
	    -1);
	CHECK_INT(errno, EINVAL);
	CHECK_INT(learn_write(l, path("v.rules"), "BMC", err, sizeof(err)), -1);
	CHECK_INT(learn_write(l, "/nonexistent/dir/x.rules", "$BMC", err,
	    sizeof(err)), -1);
	/* a full sid range */
	CHECK_INT(learn_set_sid_range(l, 5, 4), -1);
	CHECK_INT(learn_set_sid_range(l, 800000, 800000), 0);
	learn_observe(l, &s, &d, 6, 23, NULL, 0, 0, T0, 1);
	CHECK_INT(learn_write(l, path("full.rules"), "$BMC", err, sizeof(err)),
	    -1);
	CHECK_INT(errno, ENOSPC);
	CHECK(access(path("full.rules"), F_OK) != 0);
	CHECK(access(path("full.rules.tmp"), F_OK) != 0);
	learn_free(l);
}

int
main(void)
{
	char cmd[300];

	if (mkdtemp(dir) == NULL)
		return 99;
	test_aggregate();
	test_merge();
	test_determinism();
	test_periodic();
	test_bounded();
	test_other_protos();
	test_errors();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (check_failures == 0 && system(cmd) != 0)
		return 99;
	CHECK_DONE();
}
