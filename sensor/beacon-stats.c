/*
 * beacon-stats.c - is a series of event times periodic?  The pure scorer.
 *
 * Why it is built this way (doc/beacon.md has the long form and numbers):
 *  - Beacons are renewal processes: an implant sleeps P (+- jitter), calls
 *    home, sleeps again.  A missed beat (the callback went unseen, or the
 *    implant skipped one) makes a gap of about 2P or 3P; a second
 *    connection in the same beat makes a gap near 0 (a "companion").  So a
 *    gap u (in units of P) is modelled as k whole beats (P(k) geometric in
 *    the missed-beat rate) plus jitter, or as an event off the beat.
 *  - The period is fitted, not taken from the median: from a few
 *    quantiles of the gaps, P is refined as sum(gaps) / sum(beats), the
 *    maximum likelihood period of a renewal process with known k.  That
 *    is what makes 2P and 3P gaps count as on-period.
 *  - One-beat jitter is modelled as uniform, +-J, J fitted as the largest
 *    deviation: implants draw their sleep uniformly, and the flat model's
 *    evidence grows as (1/2J)^n, which random traffic cannot fake.
 *  - Strays are handled in a second walk, once P and a robust jitter are
 *    known: an event that breaks the rhythm while the next one keeps it
 *    is an extra.  Doing that before J is known let random traffic pick
 *    its own beats and cost more detection than it bought.
 *  - The evidence is the log-likelihood ratio (nats) of that model
 *    against a Poisson process with the same mean gap.  It weighs jitter,
 *    missed beats, stray events and the number of events on one scale.
 *    The score maps it to 0..1 against nats_needed(n), the evidence that
 *    random traffic of n events reaches about once in 10^5 (measured,
 *    doc/beacon.md), so score 0.8 means the same false-alarm rate at 8
 *    events as at 64.  RITA's quartile statistics, by contrast, need
 *    dozens of events and read +-50% jitter or one missed beat as noise.
 *  - The work per score is a sort and a few linear passes over at most
 *    64 events (the table's ring), with no allocation for them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"

#define NS		1000000000LL
#define SMALL		128	/* events scored without malloc */
#define KMAX		8	/* more beats in one gap: a break */
#define COMPANION	0.10	/* within 0.1 P of a beat: the same beat */
#define JITTER_MIN	0.01	/* timing noise floor, relative to P */
#define JITTER_SLACK	1.3	/* fitted jitter may exceed max_jitter by */
#define MISSED_MAX	0.3	/* missed beats beyond 30% are paid for */
#define OUTLIER		3.0	/* price of an off-beat gap, plus log(n) */
#define OMAX		3	/* outlier gaps tried at most */
#define COMPANION_NATS	1.0	/* price of a companion event */
#define EXTRA_NATS	1.5	/* price of an extra event, plus its share */
#define EXCESS_NATS	2.0	/* price of a missed beat beyond MISSED_MAX */
#define NSTART		5	/* starting points of the period search */
#define NREFINE		4	/* refinement steps per start */
#define LN5		1.6094379124341003
#define LN2PI		1.8378770664093453

struct fit {
	double		 P, half, m, llr;
	uint32_t	 beats, missed, companions, extra;
};

void
beacon_params_default(struct beacon_params *p)
{
	p->min_events = 8;
	p->max_jitter = 0.5;
	p->window_ns = 86400LL * NS;
	p->min_score = 0.8;
	p->realert_ns = 3600LL * NS;
}

/*
 * Evidence that random traffic of n events exceeds about once in 10^5
 * scorings: the larger of the 10^-4 quantiles of Poisson traffic and of a
 * heavy-tailed (lognormal, sigma 1) renewal process, 10^6 series per n,
 * plus 2 nats (doc/beacon.md).  Score 0.8 sits there.  Beyond 64 events
 * random traffic scores lower still, so the last knot is conservative.
 */
static double
nats_needed(size_t n)
{
	static const double knot[][2] = {
		{ 4, 16.5 }, { 8, 15.0 }, { 24, 14.4 }, { 32, 14.0 },
		{ 48, 13.0 }, { 64, 12.0 }
	};
	size_t nk = sizeof(knot) / sizeof(knot[0]);

	if (n <= knot[0][0])
		return knot[0][1];
	for (size_t i = 1; i < nk; i++)
		if (n <= knot[i][0]) {
			double a = (n - knot[i - 1][0]) /
			    (knot[i][0] - knot[i - 1][0]);
			return knot[i - 1][1] + a * (knot[i][1] - knot[i - 1][1]);
		}
	return knot[nk - 1][1];
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Shell sort (Ciura's gaps) for the rings' short arrays; qsort beyond. */
static void
sort_doubles(double *v, size_t n)
{
	static const size_t gaps[] = { 57, 23, 10, 4, 1 };

	if (n > SMALL) {
		qsort(v, n, sizeof(*v), cmp_double);
		return;
	}
	for (size_t g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
		size_t h = gaps[g];
		for (size_t i = h; i < n; i++) {
			double x = v[i];
			size_t j = i;
			while (j >= h && v[j - h] > x) {
				v[j] = v[j - h];
				j -= h;
			}
			v[j] = x;
		}
	}
}

static void
sort_u32(uint32_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint32_t x = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/*
 * Walk the sorted times t[0..n) against period P.  An event within
 * COMPANION P of the last beat is a companion (same beat); one earlier
 * than floor_u P is an extra; any other is the next beat, k = round(gap /
 * P) beats on.  (Choosing the best of several events in one beat window
 * would absorb stray events better, but it lets random traffic pick its
 * beats too and cost more power than it bought: doc/beacon.md.)  Beat gaps
 * go to u[] (in units of P) and k[].  Returns the refined P: sum of beat
 * gaps / sum of beats, the maximum likelihood period of a renewal process.
 */
static int
fits(double x, double J)
{
	long k = (long)(x + 0.5);

	if (k < 1)
		k = 1;
	return fabs(x - (double)k) <= J * (double)k;
}

static double
fit_at(const double *t, size_t n, double P, double floor_u, double skipj,
    struct fit *f, double *u, int *k)
{
	double last = t[0], sumg = 0, inv = 1 / P;
	uint32_t sumk = 0;

	memset(f, 0, sizeof(*f));
	f->P = P;
	for (size_t i = 1; i < n; i++) {
		double x = (t[i] - last) * inv;
		long kk;

		if (x < COMPANION) {
			f->companions++;
			continue;
		}
		if (x < floor_u) {
			f->extra++;
			continue;
		}
		if (x > KMAX + 0.5) {
			f->extra++;	/* a break: the chain starts over */
			last = t[i];
			continue;
		}
		/* off the beat while the next event is on it: a stray */
		if (skipj > 0 && i + 1 < n && !fits(x, skipj) &&
		    fits((t[i + 1] - last) * inv, skipj)) {
			f->extra++;
			continue;
		}
		kk = (long)(x + 0.5);	/* x >= floor_u > 0: rounds */
		if (kk < 1)
			kk = 1;
		sumg += t[i] - last;
		last = t[i];
		sumk += (uint32_t)kk;
		f->missed += (uint32_t)(kk - 1);
		u[f->beats] = x;
		k[f->beats] = (int)kk;
		f->beats++;
	}
	if (f->beats == 0)
		return P;
	f->m = (double)f->missed / sumk;
	return sumg / sumk;
}

/*
 * Log-likelihood ratio of a fit for one-beat jitter half-width J: the beat
 * gaps under the beacon model against the same gaps under an exponential
 * with their mean, plus the price of events off the beat.  One-beat gaps
 * are uniform in 1 +- J.  Multi-beat gaps are Gaussian with the variance
 * of k uniform jitters, cut at +- k J.  A gap beyond that is an outlier
 * and pays OUTLIER + log(beats) nats.
 */
static double
flat_llr(const struct fit *f, const double *u, const int *k, double J,
    double mu, double m)
{
	static const double logk[KMAX + 1] = { 0, 0, 0.6931471805599453,
	    1.0986122886681098, 1.3862943611198906, 1.6094379124341003,
	    1.791759469228055, 1.9459101090932196, 2.0794415416798357 };
	double ll = 0, lw1 = log1p(-m), lm = m > 0 ? log(m) : 0;
	double lj = -log(2 * J), lmu = log(mu), out, nev, off, excess;
	double v1 = J * J / 3, lv1 = log(v1) + LN2PI;
	uint32_t nb = f->beats;

	out = OUTLIER + log((double)nb);
	for (uint32_t i = 0; i < nb; i++) {
		double d = u[i] - k[i], le = -lmu - u[i] / mu;

		if (fabs(d) > J * k[i]) {
			ll -= out;
			continue;
		}
		if (k[i] == 1) {
			ll += lw1 + lj - le;
			continue;
		}
		/* Gaussian of variance k J^2 / 3 */
		ll += lw1 + (k[i] - 1) * lm - 0.5 * d * d / (k[i] * v1) -
		    0.5 * (logk[k[i]] + lv1) - le;
	}
	/*
	 * Companions cost COMPANION_NATS: a second connection right after
	 * the beat is common in real implants.  Extras cost their Bernoulli
	 * share plus EXTRA_NATS.  Free off-beat events would let random
	 * traffic drop its awkward gaps.
	 */
	ll -= COMPANION_NATS * f->companions;
	if (f->extra) {
		nev = (double)(nb + f->extra);
		off = f->extra / nev;
		ll += nb * log1p(-off) + f->extra * (log(off) - EXTRA_NATS);
	}
	/* missed beats beyond MISSED_MAX: random traffic fitted with a
	 * short period looks like a beacon that misses half its beats */
	excess = f->missed - MISSED_MAX * (nb + f->missed);
	if (excess > 0)
		ll -= EXCESS_NATS * excess;
	return ll;
}

/*
 * The best LLR of a fit over J: the largest deviation any beat gap needs
 * (k jitters reach k J), or a smaller one with the gaps beyond it left as
 * outliers (one per 8 beat gaps, at most OMAX); never above jmax, so jitter
 * beyond the limit is paid for, not fitted.  Same for missed beats.
 */
static double
fit_llr(struct fit *f, const double *u, const int *k, double *d, double jmax)
{
	double mu = 0, best = -1e9, m;
	uint32_t nb = f->beats, omax;

	if (nb == 0)
		return best;
	/* the OMAX + 1 largest deviations, largest first */
	for (uint32_t i = 0; i <= OMAX; i++)
		d[i] = 0;
	for (uint32_t i = 0; i < nb; i++) {
		double x = fabs(u[i] - k[i]) / k[i];
		uint32_t j = OMAX;
		mu += u[i];
		if (x <= d[OMAX])
			continue;
		while (j > 0 && d[j - 1] < x) {
			d[j] = d[j - 1];
			j--;
		}
		d[j] = x;
	}
	mu /= nb;
	m = f->m < MISSED_MAX ? f->m : MISSED_MAX;
	omax = nb / 8 < OMAX ? nb / 8 : OMAX;
	for (uint32_t o = 0; o <= omax && o < nb; o++) {
		double J = d[o], l;

		if (J < JITTER_MIN)
			J = JITTER_MIN;
		if (J > jmax)
			J = jmax;
		l = flat_llr(f, u, k, J, mu, m);
		if (l > best) {
			best = l;
			f->half = J;
		}
		if (J == jmax || J == JITTER_MIN)
			break;
	}
	return best;
}

/*
 * The core: t[0..n) sorted, distinct, in seconds; w has room for 3n
 * doubles and kw for n ints.  Fills the timing fields of out.
 */
static void
score_times(const double *t, size_t n, double extra_nats,
    const struct beacon_params *p, struct beacon_result *out, double *w,
    int *kw)
{
	double starts[NSTART], done[NSTART], floor_u, jmax;
	double *g = w, *u = w + n, *scr = w + 2 * n;
	struct fit best, f;
	size_t ng = n - 1, ndone = 0;

	out->period_s = n == 2 ? t[1] - t[0] : 0;
	if (n < 3)
		return;
	for (size_t i = 0; i < ng; i++)
		g[i] = t[i + 1] - t[i];
	sort_doubles(g, ng);
	/* the median and quartiles; half the median for series with many
	 * 2P gaps; a high quantile for series with many companions */
	starts[0] = g[ng / 2];
	starts[1] = g[ng / 4];
	starts[2] = g[(3 * ng) / 4];
	starts[3] = g[ng / 2] / 2;
	starts[4] = g[ng - 1 - ng / 8];
	jmax = p->max_jitter * JITTER_SLACK;
	floor_u = 1.0 - 1.25 * p->max_jitter;
	if (floor_u < 2 * COMPANION)
		floor_u = 2 * COMPANION;
	memset(&best, 0, sizeof(best));
	best.llr = -1e9;
	for (int s = 0; s < NSTART; s++) {
		double P = starts[s];
		size_t i;

		if (!(P > 0))
			continue;
		for (int r = 0; ; r++) {
			double np = fit_at(t, n, P, floor_u, 0, &f, u, kw);
			if (fabs(np - P) <= 1e-9 * P || r == NREFINE)
				break;	/* f is the fit at P */
			P = np;
		}
		/* starts often converge to the same period: score it once */
		for (i = 0; i < ndone; i++)
			if (fabs(done[i] - P) <= 1e-9 * P)
				break;
		if (i < ndone)
			continue;
		done[ndone++] = P;
		f.llr = fit_llr(&f, u, kw, scr, jmax);
		if (f.llr > best.llr)
			best = f;
	}
	/*
	 * Once the period and jitter are known, walk again letting events
	 * that break the rhythm be strays when the next event keeps it.
	 * Only here: skipping before J is known lets random traffic choose
	 * which of its events are beats.
	 */
	if (best.beats > 2) {
		double P = best.P, J;
		/* J from the median deviation (uniform: J / 2), which the
		 * strays being skipped cannot inflate */
		fit_at(t, n, P, floor_u, 0, &f, u, kw);
		for (uint32_t i = 0; i < f.beats; i++)
			scr[i] = fabs(u[i] - kw[i]) / kw[i];
		sort_doubles(scr, f.beats);
		J = 2 * scr[f.beats / 2];
		if (J < 3 * JITTER_MIN)
			J = 3 * JITTER_MIN;
		for (int r = 0; r < NREFINE; r++) {
			double np = fit_at(t, n, P, floor_u, J, &f, u, kw);
			if (fabs(np - P) <= 1e-9 * P)
				break;
			P = np;
		}
		fit_at(t, n, P, floor_u, J, &f, u, kw);
		f.llr = fit_llr(&f, u, kw, scr, jmax);
		if (f.llr > best.llr)
			best = f;
	}
	if (best.beats == 0)
		return;
	out->period_s = best.P;
	out->jitter = best.half;
	out->llr = best.llr;
	out->missed = best.missed;
	out->extra = best.extra + best.companions;
	/* 0.8 at nats_needed(n), 0.96 at twice that, 0.99 at three times */
	out->score = best.llr > 0 ?
	    1.0 - exp(-LN5 * best.llr / (nats_needed(n) + extra_nats)) : 0;
}

static void
sizes_mode(uint32_t *sz, size_t n, struct beacon_result *out)
{
	size_t best = 0, run = 1, near = 0;
	uint32_t mode;

	if (n > 64)
		qsort(sz, n, sizeof(*sz), cmp_u32);
	else
		sort_u32(sz, n);
	mode = sz[0];
	for (size_t i = 1; i <= n; i++) {
		if (i < n && sz[i] == sz[i - 1]) {
			run++;
			continue;
		}
		if (run > best) {
			best = run;
			mode = sz[i - 1];
		}
		run = 1;
	}
	/* names and padding move sizes a little: near is within 10% or
	 * 16 bytes */
	for (size_t i = 0; i < n; i++) {
		uint32_t d = sz[i] > mode ? sz[i] - mode : mode - sz[i];
		if (d <= 16 || d <= mode / 10)
			near++;
	}
	out->size_mode = mode;
	out->size_share = (double)near / n;
}

int
beacon_score_sorted(const double *t, uint32_t *sizes, size_t n,
    double extra_nats, const struct beacon_params *p,
    struct beacon_result *out)
{
	double wbuf[3 * SMALL], *w;
	int kbuf[SMALL], *kw;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return 0;
	w = n <= SMALL ? wbuf : malloc(3 * n * sizeof(*w));
	kw = n <= SMALL ? kbuf : malloc(n * sizeof(*kw));
	if (w == NULL || kw == NULL) {
		if (w != wbuf)
			free(w);
		if (kw != kbuf)
			free(kw);
		return -1;
	}
	out->events = (uint32_t)n;
	out->span_s = t[n - 1] - t[0];
	if (sizes)
		sizes_mode(sizes, n, out);
	score_times(t, n, extra_nats, p, out, w, kw);
	if (w != wbuf)
		free(w);
	if (kw != kbuf)
		free(kw);
	return out->events >= p->min_events && out->score >= p->min_score;
}

struct ev {
	int64_t		 ts;
	uint32_t	 size;
};

static int
cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	return (x->ts > y->ts) - (x->ts < y->ts);
}

int
beacon_score(const int64_t *ts_ns, const uint32_t *sizes, size_t n,
    const struct beacon_params *p, struct beacon_result *out)
{
	struct ev ebuf[SMALL], *ev;
	double tbuf[SMALL], *t;
	uint32_t zbuf[SMALL], *z;
	size_t m = 0, first = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return 0;
	ev = n <= SMALL ? ebuf : malloc(n * sizeof(*ev));
	t = n <= SMALL ? tbuf : malloc(n * sizeof(*t));
	z = n <= SMALL ? zbuf : malloc(n * sizeof(*z));
	if (ev == NULL || t == NULL || z == NULL)
		goto done;
	for (size_t i = 0; i < n; i++) {
		ev[i].ts = ts_ns[i];
		ev[i].size = sizes ? sizes[i] : 0;
	}
	qsort(ev, n, sizeof(*ev), cmp_ev);
	/* sorted, so the unsigned differences are exact even across the
	 * whole int64 range */
	while (p->window_ns > 0 && (uint64_t)ev[n - 1].ts -
	    (uint64_t)ev[first].ts > (uint64_t)p->window_ns)
		first++;
	/* distinct times at 1 ms, the table's resolution */
	for (size_t i = first; i < n; i++) {
		double s = (double)((uint64_t)ev[i].ts -
		    (uint64_t)ev[first].ts) / 1e9;
		if (m > 0 && s - t[m - 1] < 0.001)
			continue;
		z[m] = ev[i].size;
		t[m++] = s;
	}
	rc = beacon_score_sorted(t, sizes ? z : NULL, m, 0, p, out);
done:
	if (ev != ebuf)
		free(ev);
	if (t != tbuf)
		free(t);
	if (z != zbuf)
		free(z);
	return rc;
}
