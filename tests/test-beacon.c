/*
 * test-beacon.c - the beacon detector without packets: the pure scorer on
 * fixed and degenerate inputs, the streaming table (first alert, re-alert
 * quiet time, eviction, fixed memory, clock going back), the zone helper,
 * and a seeded grid of synthetic beacons and random traffic that prints
 * the detection table of doc/beacon.md and asserts its required region.
 * A benchmark of beacon_observe at 10^4 and 10^5 series (and 10^6 with
 * BEACON_BENCH=full; 0 skips it) is printed, not asserted.
 */
#include <math.h>
#include <stdint.h>
#include <time.h>

#include "check.h"
#include "beacon.h"
#include "rng.h"

#define SEC	1000000000LL
#define T0	(1700000000LL * SEC)
#define SEEDS	200

enum jkind { J_UNIFORM, J_ONESIDED };

/*
 * n observed beats of a renewal beacon: each sleep is P(1 + U(-j, j))
 * (uniform) or P(1 - U(0, j)) (Cobalt Strike); of round(n / (1 - miss))
 * beats, the surplus is dropped at random inner positions, so exactly the
 * share 'miss' of beats is missing.
 */
static size_t
gen_beacon(struct rng *r, int64_t *ts, size_t n, double P, enum jkind kind,
    double j, double miss)
{
	size_t total = (size_t)ceil((double)n / (1 - miss) - 1e-9), m = 0;
	int64_t all[1024];
	char drop[1024];
	double t = 0;

	if (total > 1024)
		total = 1024;
	for (size_t i = 0; i < total; i++) {
		all[i] = T0 + (int64_t)(t * SEC);
		drop[i] = 0;
		t += kind == J_UNIFORM ? P * (1 + j * (2 * unif(r) - 1)) :
		    P * (1 - j * unif(r));
	}
	for (size_t d = total - n; d > 0 && total > 2; ) {
		size_t i = 1 + rnd(r) % (total - 2);
		if (!drop[i]) {
			drop[i] = 1;
			d--;
		}
	}
	for (size_t i = 0; i < total; i++)
		if (!drop[i])
			ts[m++] = all[i];
	return m;
}

static size_t
gen_poisson(struct rng *r, int64_t *ts, size_t n, double mean)
{
	double t = 0;

	for (size_t i = 0; i < n; i++) {
		ts[i] = T0 + (int64_t)(t * SEC);
		t += expo(r, mean);
	}
	return n;
}

/* Human sessions: a few events seconds apart, hours between sessions. */
static size_t
gen_bursty(struct rng *r, int64_t *ts, size_t n)
{
	double t = 0;
	size_t i = 0;

	while (i < n) {
		int k = 1 + (int)expo(r, 4);
		for (int e = 0; e < k && i < n; e++) {
			ts[i++] = T0 + (int64_t)(t * SEC);
			t += 0.2 + expo(r, 20);
		}
		t += expo(r, 3600);
	}
	return n;
}

static void
test_degenerate(void)
{
	struct beacon_params p;
	struct beacon_result r;
	int64_t ts[64];
	uint32_t sz[64];

	beacon_params_default(&p);
	CHECK_INT(p.min_events, 8);
	CHECK(p.max_jitter == 0.5 && p.min_score == 0.8);
	CHECK_INT(p.window_ns, 86400 * SEC);
	CHECK_INT(p.realert_ns, 3600 * SEC);

	CHECK_INT(beacon_score(ts, NULL, 0, &p, &r), 0);
	CHECK_INT(r.events, 0);
	ts[0] = T0;
	CHECK_INT(beacon_score(ts, NULL, 1, &p, &r), 0);
	CHECK_INT(r.events, 1);
	ts[1] = T0 + 60 * SEC;
	CHECK_INT(beacon_score(ts, NULL, 2, &p, &r), 0);
	CHECK(fabs(r.period_s - 60) < 1e-9 && r.score == 0);

	/* all at the same instant: one event, nothing periodic */
	for (int i = 0; i < 20; i++)
		ts[i] = T0;
	CHECK_INT(beacon_score(ts, NULL, 20, &p, &r), 0);
	CHECK_INT(r.events, 1);
	CHECK(r.score == 0);

	/* both ends of int64 and huge gaps: finite, in range, no alert */
	ts[0] = INT64_MIN;
	ts[1] = INT64_MAX;
	ts[2] = 0;
	ts[3] = 1;
	ts[4] = INT64_MAX - 1;
	CHECK_INT(beacon_score(ts, NULL, 5, &p, &r), 0);
	CHECK(r.score >= 0 && r.score <= 1 && isfinite(r.period_s));
	p.window_ns = 0;	/* no window: all count, 1 ns apart is one */
	CHECK_INT(beacon_score(ts, NULL, 5, &p, &r), 0);
	CHECK_INT(r.events, 3);
	CHECK(r.score >= 0 && r.score <= 1 && isfinite(r.llr));
	beacon_params_default(&p);

	/* gaps of years between three minutes of beats: the window keeps
	 * only the last day */
	for (int i = 0; i < 10; i++)
		ts[i] = T0 + i * 365 * 86400 * SEC;
	for (int i = 10; i < 20; i++)
		ts[i] = ts[9] + (i - 9) * 60 * SEC;
	CHECK_INT(beacon_score(ts, NULL, 20, &p, &r), 1);
	CHECK_INT(r.events, 11);
	CHECK(fabs(r.period_s - 60) < 0.01);

	/* sizes: mode and share near it */
	for (int i = 0; i < 10; i++) {
		ts[i] = T0 + i * 300 * SEC;
		sz[i] = i < 7 ? 517 : (i == 7 ? 520 : 4000);
	}
	CHECK_INT(beacon_score(ts, sz, 10, &p, &r), 1);
	CHECK_INT(r.size_mode, 517);
	CHECK(fabs(r.size_share - 0.8) < 1e-9);
}

static void
test_fixed(void)
{
	struct beacon_params p;
	struct beacon_result r, r2;
	int64_t ts[64], sh[64], dup[128];
	size_t n = 0;

	beacon_params_default(&p);
	/* a clean 60 s beacon: 8 events are enough */
	for (int i = 0; i < 8; i++)
		ts[i] = T0 + i * 60 * SEC + (i % 3) * 40000000LL;
	CHECK_INT(beacon_score(ts, NULL, 8, &p, &r), 1);
	CHECK(r.score > 0.95);
	CHECK(fabs(r.period_s - 60) < 0.1);
	CHECK(r.jitter < 0.02);
	CHECK_INT(r.missed, 0);
	CHECK_INT(r.events, 8);
	CHECK(fabs(r.span_s - 420) < 0.1);
	/* 7 are below min_events: scored, but no beacon */
	CHECK_INT(beacon_score(ts, NULL, 7, &p, &r), 0);
	CHECK(r.score > 0.9);

	/* missed beats: gaps of 2P and 3P are on-period, not a longer
	 * period */
	{
		static const int beat[] = { 0, 1, 2, 4, 5, 6, 9, 10, 11, 12 };
		for (int i = 0; i < 10; i++)
			ts[i] = T0 + beat[i] * 300 * SEC;
	}
	CHECK_INT(beacon_score(ts, NULL, 10, &p, &r), 1);
	CHECK(fabs(r.period_s - 300) < 0.5);
	CHECK_INT(r.missed, 3);

	/* unsorted, duplicated input: the same answer as sorted */
	for (int i = 0; i < 12; i++)
		ts[i] = T0 + i * 120 * SEC + ((i * 7919) % 13) * SEC;
	CHECK_INT(beacon_score(ts, NULL, 12, &p, &r), 1);
	for (int i = 0; i < 12; i++) {
		sh[i] = ts[(i * 5) % 12];
		dup[n++] = sh[i];
		dup[n++] = sh[i];
	}
	CHECK_INT(beacon_score(sh, NULL, 12, &p, &r2), 1);
	CHECK(r.score == r2.score && r.period_s == r2.period_s);
	CHECK_INT(beacon_score(dup, NULL, n, &p, &r2), 1);
	CHECK(r.score == r2.score && r2.events == 12);

	/* Cobalt Strike: 60 s sleep, 50% jitter, one-sided */
	{
		static const double f[] = { 0.91, 0.55, 0.78, 0.97, 0.62,
		    0.83, 0.70, 0.51, 0.88, 0.66, 0.74, 0.95, 0.59, 0.80, 0.69 };
		int64_t t = T0;
		for (int i = 0; i < 16; i++) {
			ts[i] = t;
			if (i < 15)
				t += (int64_t)(60 * f[i] * SEC);
		}
	}
	CHECK_INT(beacon_score(ts, NULL, 16, &p, &r), 1);
	CHECK(r.period_s > 40 && r.period_s < 50);

	/* a backwards clock: descending input scores as ascending */
	for (int i = 0; i < 10; i++)
		sh[i] = T0 - i * 90 * SEC;
	CHECK_INT(beacon_score(sh, NULL, 10, &p, &r), 1);
	CHECK(fabs(r.period_s - 90) < 0.01);
}

static void
test_stream(void)
{
	struct beacon_params p;
	struct beacon_result r;
	struct beacon_table *t;
	struct beacon_table_stats st, st2;
	const char *key = "10.50.0.7>203.0.113.9:443/6";
	int alerts = 0, first = -1;

	beacon_params_default(&p);
	t = beacon_table_new(1000);
	CHECK(t != NULL);
	/* 60 s beacon for 3 hours: first alert at event 8, then one per
	 * hour of quiet time */
	for (int i = 0; i < 180; i++) {
		int64_t ts = T0 + i * 60 * SEC + (i % 5) * 100000000LL;
		if (beacon_observe(t, key, strlen(key), ts, 517, &p, &r)) {
			if (first < 0) {
				first = i + 1;
				CHECK_INT(r.events, 8);
				CHECK_INT(r.total, 8);
				CHECK(fabs(r.period_s - 60) < 0.5);
				CHECK_INT(r.size_mode, 517);
			}
			alerts++;
		}
	}
	CHECK_INT(first, 8);
	CHECK_INT(alerts, 3);
	beacon_table_stats(t, &st);
	CHECK_INT(st.series, 1);
	CHECK_INT(st.alerts, 3);
	CHECK_INT(st.events, 180);
	CHECK(st.series_bytes <= 448);
	CHECK(beacon_lookup(t, key, strlen(key), &p, &r) == 1 &&
	    r.events == BEACON_RING);
	CHECK_INT(beacon_lookup(t, "nope", 4, &p, &r), 0);

	/* memory does not grow with events */
	for (int i = 0; i < 10000; i++)
		beacon_observe(t, "x", 1, T0 + i * SEC, 1, &p, &r);
	beacon_table_stats(t, &st2);
	CHECK(st2.bytes == st.bytes);
	CHECK_INT(st2.series, 2);

	/* the same millisecond twice is one event */
	for (int i = 0; i < 8; i++) {
		int64_t ts = T0 + i * 30 * SEC;
		int a = beacon_observe(t, "dup", 3, ts, 1, &p, &r);
		int b = beacon_observe(t, "dup", 3, ts + 100, 1, &p, &r);
		CHECK_INT(a + b, i == 7 ? 1 : 0);
	}
	CHECK_INT(r.events, 8);

	/* the clock going back a little: kept; by more than the window: the
	 * series starts over */
	for (int i = 0; i < 12; i++) {
		int64_t ts = T0 + (i ^ 1) * 120 * SEC;	/* pairs swapped */
		beacon_observe(t, "back", 4, ts, 1, &p, &r);
	}
	CHECK(beacon_lookup(t, "back", 4, &p, &r) && r.events == 12);
	CHECK(fabs(r.period_s - 120) < 0.01);
	beacon_observe(t, "back", 4, T0 - 3 * 86400 * SEC, 1, &p, &r);
	CHECK(beacon_lookup(t, "back", 4, &p, &r) && r.events == 1);
	beacon_table_stats(t, &st);
	CHECK_INT(st.resets, 1);
	beacon_table_free(t);
}

static void
test_evict(void)
{
	struct beacon_params p;
	struct beacon_result r;
	struct beacon_table *t;
	struct beacon_table_stats st;
	char key[32];

	beacon_params_default(&p);
	t = beacon_table_new(4);
	/* a slow beacon, mature after 4 events */
	for (int i = 0; i < 4; i++)
		beacon_observe(t, "slow", 4, T0 + i * 3600 * SEC, 1, &p, &r);
	/* a flood of one-off keys churns only the young series */
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "oneoff-%d", i);
		beacon_observe(t, key, strlen(key), T0 + 3 * 3600 * SEC + i,
		    1, &p, &r);
	}
	beacon_table_stats(t, &st);
	CHECK_INT(st.series, 4);
	CHECK_INT(st.evictions, 997);
	CHECK(beacon_lookup(t, "slow", 4, &p, &r) && r.events == 4);
	/* the beacon goes on and alerts at its 8th event */
	int got = 0;
	for (int i = 4; i < 8; i++)
		got += beacon_observe(t, "slow", 4, T0 + i * 3600 * SEC, 1, &p,
		    &r);
	CHECK_INT(got, 1);
	/* once out of the window, a mature series goes first */
	beacon_observe(t, "late", 4, T0 + 40 * 86400 * SEC, 1, &p, &r);
	CHECK_INT(beacon_lookup(t, "slow", 4, &p, &r), 0);
	/* a table of one */
	beacon_table_free(t);
	t = beacon_table_new(1);
	beacon_observe(t, "a", 1, T0, 1, &p, &r);
	beacon_observe(t, "b", 1, T0, 1, &p, &r);
	CHECK_INT(beacon_lookup(t, "a", 1, &p, &r), 0);
	CHECK_INT(beacon_lookup(t, "b", 1, &p, &r), 1);
	beacon_table_free(t);
	CHECK(beacon_table_new(0) == NULL);
}

static void
test_zone(void)
{
	char b[64];

	CHECK_STR(beacon_zone("x7f3a.c2.Example.COM.", b, sizeof(b)),
	    "example.com");
	CHECK_STR(beacon_zone("a.b.example.co.uk", b, sizeof(b)),
	    "example.co.uk");
	CHECK_STR(beacon_zone("example.co.uk", b, sizeof(b)), "example.co.uk");
	CHECK_STR(beacon_zone("co.uk", b, sizeof(b)), "co.uk");
	CHECK_STR(beacon_zone("www.bbc.com.au", b, sizeof(b)), "bbc.com.au");
	CHECK_STR(beacon_zone("x.y.example.de", b, sizeof(b)), "example.de");
	/* the second level is only special under a two-letter TLD */
	CHECK_STR(beacon_zone("a.co.example", b, sizeof(b)), "co.example");
	CHECK_STR(beacon_zone("localhost", b, sizeof(b)), "localhost");
	CHECK_STR(beacon_zone("example.com", b, sizeof(b)), "example.com");
	CHECK_STR(beacon_zone("10.1.2.3", b, sizeof(b)), "10.1.2.3");
	CHECK_STR(beacon_zone("3.2.1.10.in-addr.arpa", b, sizeof(b)),
	    "3.2.1.10.in-addr.arpa");
	CHECK(beacon_zone("", b, sizeof(b)) == NULL);
	CHECK(beacon_zone("...", b, sizeof(b)) == NULL);
	CHECK(beacon_zone("a.very.long.name.example.com", b, 8) == NULL);
}

/* ---- the grid ---- */

struct cell {
	double		 P;
	enum jkind	 kind;
	double		 j, miss;
};

/*
 * The region where 100% detection is required.  Below it a Poisson
 * process produces the same gaps too often for any detector to promise
 * both 100% detection and no false alarms (doc/beacon.md, "limits").
 */
static int
required(const struct cell *c, size_t n)
{
	if (c->j == 0)
		return n >= 8;
	if (c->kind == J_UNIFORM && c->j <= 0.2)
		return n >= 16;
	if (c->kind == J_ONESIDED)
		return n >= (c->miss == 0 ? 16 : 48);
	/* +-50%: 32 events in the 24 h window, so not hourly beacons */
	return n >= 48 && c->P * 32 <= 86400;
}

/* Stream every series of a cell through one table; count detections. */
static int
run_cell(const struct cell *c, size_t n, int kind, int *median_at)
{
	struct beacon_params p;
	struct beacon_result r;
	struct beacon_table *t = beacon_table_new(SEEDS);
	int64_t ts[1024];
	int det = 0, at[SEEDS], nat = 0;

	beacon_params_default(&p);
	for (int s = 0; s < SEEDS; s++) {
		struct rng g = { 0x5eed0000ULL + (uint64_t)s * 7919 +
		    (uint64_t)n * 104729 + (uint64_t)(c->P * 13) +
		    (uint64_t)(c->j * 1000) * 31 + (uint64_t)(c->miss * 1000) *
		    17 + (uint64_t)kind * 1000003 + (uint64_t)c->kind * 7 };
		size_t m;

		if (kind == 0)
			m = gen_beacon(&g, ts, n, c->P, c->kind, c->j, c->miss);
		else if (kind == 1)
			m = gen_poisson(&g, ts, n, c->P);
		else
			m = gen_bursty(&g, ts, n);
		for (size_t i = 0; i < m; i++)
			if (beacon_observe(t, &s, sizeof(s), ts[i], 300, &p,
			    &r)) {
				det++;
				at[nat++] = (int)i + 1;
				break;
			}
	}
	beacon_table_free(t);
	/* median events to the first alert */
	for (int i = 1; i < nat; i++)
		for (int k = i; k > 0 && at[k - 1] > at[k]; k--) {
			int x = at[k];
			at[k] = at[k - 1];
			at[k - 1] = x;
		}
	*median_at = nat ? at[nat / 2] : 0;
	return det;
}

static void
test_grid(void)
{
	static const double periods[] = { 60, 300, 3600 };
	static const struct { enum jkind k; double j; const char *name; }
	    jit[] = {
		{ J_UNIFORM, 0, "none" }, { J_UNIFORM, 0.2, "+-20%" },
		{ J_UNIFORM, 0.5, "+-50%" }, { J_ONESIDED, 0.5, "-50% CS" }
	};
	static const double misses[] = { 0, 0.1, 0.2 };
	static const size_t ns[] = { 8, 16, 48, 120 };
	int fails = 0, fp = 0;

	printf("detected %% of %d seeds (median events to the first alert)\n",
	    SEEDS);
	printf("%-6s %-8s %-5s", "period", "jitter", "miss");
	for (size_t k = 0; k < 4; k++)
		printf(" %12s%-3zu", "n=", ns[k]);
	printf("\n");
	for (size_t a = 0; a < 3; a++)
		for (size_t b = 0; b < 4; b++)
			for (size_t d = 0; d < 3; d++) {
				struct cell c = { periods[a], jit[b].k,
				    jit[b].j, misses[d] };
				printf("%-6.0f %-8s %-5.0f", c.P, jit[b].name,
				    c.miss * 100);
				for (size_t k = 0; k < 4; k++) {
					int med, det = run_cell(&c, ns[k], 0,
					    &med);
					int req = required(&c, ns[k]);
					printf(" %6.1f%%%s(%3d)",
					    100.0 * det / SEEDS,
					    req ? "*" : " ", med);
					if (req && det != SEEDS)
						fails++;
				}
				printf("\n");
			}
	printf("* = 100%% required\n");
	printf("false alarms of %d seeds (streamed through the table)\n",
	    SEEDS);
	for (size_t k = 0; k < 4; k++) {
		for (size_t a = 0; a < 3; a++) {
			struct cell c = { periods[a], J_UNIFORM, 0, 0 };
			int med, pf = run_cell(&c, ns[k], 1, &med);
			int bf = a == 0 ? run_cell(&c, ns[k], 2, &med) : 0;
			printf("n=%-3zu poisson(mean %4.0fs) %d", ns[k], c.P, pf);
			if (a == 0)
				printf("   bursty %d", bf);
			printf("\n");
			fp += pf + bf;
		}
	}
	CHECK_INT(fails, 0);
	CHECK_INT(fp, 0);
}

/* Benign periodic traffic is periodic: what it scores (doc/beacon.md). */
static void
test_benign(void)
{
	struct beacon_params p;
	struct beacon_result r;
	struct rng g = { 42 };
	int64_t ts[64];

	beacon_params_default(&p);
	/* NTP: 64 s polls with milliseconds of scheduling noise */
	for (int i = 0; i < 32; i++)
		ts[i] = T0 + i * 64 * SEC + (int64_t)(unif(&g) * 5e6);
	CHECK_INT(beacon_score(ts, NULL, 32, &p, &r), 1);
	printf("ntp 64 s: score %.3f jitter %.3f\n", r.score, r.jitter);
	/* SNMP polls every 60 s with a second of poller jitter */
	for (int i = 0; i < 32; i++)
		ts[i] = T0 + i * 60 * SEC + (int64_t)(unif(&g) * SEC);
	CHECK_INT(beacon_score(ts, NULL, 32, &p, &r), 1);
	printf("snmp 60 s: score %.3f jitter %.3f\n", r.score, r.jitter);
}

static double
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* ns per beacon_observe: table inserts only, and with a score each time */
static void
bench(void)
{
	static const size_t sizes[] = { 10000, 100000, 1000000 };
	const char *e = getenv("BEACON_BENCH");
	struct beacon_params p;
	struct beacon_result r;
	size_t na = 2;

	if (e != NULL && strcmp(e, "0") == 0)
		return;
	/* a million series hold 440 MB: only when asked for */
	if (e != NULL && strcmp(e, "full") == 0)
		na = 3;
	beacon_params_default(&p);
	for (size_t a = 0; a < na; a++) {
		size_t ns = sizes[a];
		struct beacon_table *t = beacon_table_new(ns);
		struct beacon_table_stats st;
		double t0, t1, t2;
		uint64_t key;
		size_t nm;

		if (t == NULL) {
			printf("bench %zu series: no memory\n", ns);
			continue;
		}
		p.min_events = BEACON_RING;	/* fill without scoring */
		t0 = now_ns();
		for (int ev = 0; ev < 15; ev++)
			for (key = 0; key < ns; key++)
				beacon_observe(t, &key, sizeof(key),
				    T0 + ev * 60 * SEC + (int64_t)key, 100,
				    &p, &r);
		t1 = now_ns();
		/* now each of up to 10^5 series is scored once at 16 events */
		p.min_events = 8;
		p.min_score = 1.1;		/* never reached, never quiet */
		nm = ns < 100000 ? ns : 100000;
		for (size_t i = 0; i < nm; i++) {
			/* a permutation: 2654435761 is prime to 10 */
			key = (uint64_t)i * 2654435761u % ns;
			beacon_observe(t, &key, sizeof(key),
			    T0 + 15 * 60 * SEC + (int64_t)key, 100, &p, &r);
		}
		t2 = now_ns();
		beacon_table_stats(t, &st);
		printf("bench %7zu series: %5.0f ns/observe (insert), "
		    "%5.0f ns/observe (scored), %zu bytes/series, %.1f MB\n",
		    ns, (t1 - t0) / (15.0 * ns), (t2 - t1) / nm,
		    st.series_bytes, st.bytes / 1e6);
		beacon_table_free(t);
	}
}

int
main(void)
{
	test_degenerate();
	test_fixed();
	test_stream();
	test_evict();
	test_zone();
	test_benign();
	test_grid();
	bench();
	CHECK_DONE();
}
