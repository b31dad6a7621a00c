/*
 * output-report-beacon.c - the beacon section of the report: one article
 * per beacon series (one source calling one destination, or one zone of
 * names), with a strip plot of its events over the capture, a histogram
 * of the gaps between them with the estimated period marked, and the
 * numbers of every alert the series raised.
 *
 * Why one section per series and not per alert: the detector alerts a
 * series again after its quiet time, so a day-long beacon raises about
 * one alert an hour with nearly the same picture each time.  One picture
 * with every alert marked on it, and a row of numbers per alert, shows
 * the same facts once and keeps the page small.  The events are rebuilt
 * from the flow (and DNS) records when they are there, so the strip
 * covers the whole capture; otherwise the alerts' own recent event times
 * (beacon.times) are drawn.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output-report.h"
#include "output-report-int.h"

#define SERIES_MAX	60	/* sections */
#define ALERT_ROWS	12	/* rows of numbers per section */
#define MARKS_MAX	512

struct series {
	const struct r_beacon **v;	/* its alerts, by time */
	size_t		 n;
	double		 best;		/* highest score */
};

static int
is_name(const struct r_beacon *x)
{
	return x->key != NULL && strcmp(x->key->s, "name") == 0;
}

#define CMPV(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int
series_cmp(const struct r_beacon *x, const struct r_beacon *y)
{
	int c;

	if ((c = ip_cmp(x->src, y->src)) != 0)
		return c;
	CMPV(x->sid, y->sid);
	if ((c = rstr_cmp(x->key, y->key)) != 0)
		return c;
	if (is_name(x))
		return rstr_cmp(x->name, y->name);
	if ((c = ip_cmp(x->dest, y->dest)) != 0 ||
	    (c = rstr_cmp(x->proto, y->proto)) != 0)
		return c;
	CMPV(x->dport, y->dport);
	return 0;
}

static int
cmp_alert(const void *a, const void *b)
{
	const struct r_beacon *x = *(const struct r_beacon *const *)a;
	const struct r_beacon *y = *(const struct r_beacon *const *)b;
	int c;

	if ((c = series_cmp(x, y)) != 0)
		return c;
	CMPV(x->ts, y->ts);
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if ((c = ip_cmp(x->dest, y->dest)) != 0)
		return c;
	CMPV(x->events, y->events);
	return 0;
}

static int
cmp_rank(const void *a, const void *b)
{
	const struct series *x = a, *y = b;

	if (x->best != y->best)
		return x->best > y->best ? -1 : 1;
	return cmp_alert(&x->v[0], &y->v[0]);
}

static int
cmp_show(const void *a, const void *b)
{
	const struct series *x = a, *y = b;

	return cmp_alert(&x->v[0], &y->v[0]);
}

/* name is zone or ends in ".zone", ignoring case. */
static int
in_zone(const struct rstr *name, const struct rstr *zone)
{
	size_t n = name->len, z = zone->len;

	while (n > 0 && name->s[n - 1] == '.')
		n--;
	if (z == 0 || n < z || strncasecmp(name->s + n - z, zone->s, z) != 0)
		return 0;
	return n == z || name->s[n - z - 1] == '.';
}

/*
 * The series' events over the whole capture, rebuilt from flow (and DNS)
 * records: flow starts of the same (src, dest, proto, port) for a "flow"
 * series, uses of a name in the zone for a "name" series.
 */
static void
rebuild(const struct report *r, const struct r_beacon *x, struct tlist *t)
{
	size_t i;
	uint32_t k;

	if (x->key == NULL || strcmp(x->key->s, "flow") == 0) {
		for (i = 0; i < r->npe; i++) {
			const struct r_peer *p = &r->pe[i];

			if (p->src == x->src && p->dest == x->dest &&
			    p->proto == x->proto && p->dport == x->dport)
				for (k = 0; k < p->starts.n; k++)
					tl_add(t, p->starts.v[k]);
		}
	} else if (is_name(x) && x->name != NULL) {
		for (i = 0; i < r->nns; i++) {
			const struct r_nameser *s = &r->ns[i];

			if (s->src != x->src || !in_zone(s->name, x->name) ||
			    (s->kind == 0 && r->dns == 0) ||
			    (s->kind == 1 && r->dns > 0))
				continue;
			for (k = 0; k < s->t.n; k++)
				tl_add(t, s->t.v[k]);
		}
	}
	tl_sort(t);
}

/* The alerts' own event times, merged and without duplicates. */
static void
own_times(const struct series *s, struct tlist *t)
{
	uint32_t i, n = 0;

	for (size_t a = 0; a < s->n; a++)
		for (i = 0; i < s->v[a]->ntimes; i++) {
			double v = s->v[a]->times[i];

			if (v > -9e12 && v < 9e12)
				tl_add(t, (int64_t)llround(v * 1e6));
		}
	tl_sort(t);
	for (i = 0; i < t->n; i++)
		if (n == 0 || t->v[i] != t->v[n - 1])
			t->v[n++] = t->v[i];
	t->n = n;
}

static double
clampv(double v, double lo, double hi)
{
	if (!(v >= lo))
		return lo;
	return v > hi ? hi : v;
}

static void
numbers_row(struct rctx *c, const struct r_beacon *x)
{
	char t[32], p[32], s[32], z[32];

	rb_printf(c->b, "<tr><td class=\"t\">%s</td><td class=\"n\">%s</td>"
	    "<td class=\"n\">&#177;%.0f%%</td><td class=\"n\">%lld</td>"
	    "<td class=\"n\">%s</td><td class=\"n\">%.2f</td><td class=\"n\">"
	    "%s</td><td class=\"n\">%lld</td></tr>",
	    x->ts != TS_NONE ? fmt_time(x->ts, c->ax.full ? 2 : 0, t,
	    sizeof(t)) : "?", fmt_span(x->period, p, sizeof(p)),
	    clampv(x->jitter * 100, 0, 1e6), (long long)x->events,
	    fmt_span(x->span, s, sizeof(s)), clampv(x->score, -1e6, 1e6),
	    fmt_bytes((uint64_t)(x->size_mode > 0 ? x->size_mode : 0), z,
	    sizeof(z)), (long long)x->missed);
}

static void
title(struct rctx *c, const struct r_beacon *x, size_t no)
{
	struct rbuf *b = c->b;

	rb_printf(b, "<article class=\"beacon\" id=\"beacon-%zu\"><h3>"
	    "<span class=\"sev s%d\">%d</span> ", no,
	    x->severity >= 1 && x->severity <= 3 ? x->severity : 3,
	    x->severity);
	html_host(c, x->src);
	rb_puts(b, " &#8594; ");
	if (is_name(x) && x->name != NULL) {
		rb_puts(b, "<span class=\"name\">*.");
		rb_esc_cut(b, x->name, CELL_MAX);
		rb_puts(b, "</span> <small>(names in this zone; last flow to ");
		html_host(c, x->dest);
		rb_puts(b, ")</small>");
	} else {
		html_host(c, x->dest);
		rb_puts(b, ":");
		html_port(b, x->dport, x->proto);
		if (x->wire != NULL && x->wire->len > 0) {
			rb_puts(b, " <span class=\"name\">");
			rb_esc_cut(b, x->wire, CELL_MAX);
			rb_puts(b, "</span>");
		}
	}
	rb_puts(b, "</h3>");
}

static void
section(struct rctx *c, const struct series *s, size_t no)
{
	struct rbuf *b = c->b;
	const struct r_beacon *first = s->v[0], *last = s->v[s->n - 1];
	struct tlist own, re;
	const struct tlist *use;
	int64_t marks[MARKS_MAX];
	size_t nm = 0, i;
	char t0[32], t1[32];

	memset(&own, 0, sizeof(own));
	memset(&re, 0, sizeof(re));
	own_times(s, &own);
	rebuild(c->r, first, &re);
	use = re.n >= own.n && re.n > 0 ? &re : &own;
	for (i = 0; i < s->n && nm < MARKS_MAX; i++)
		if (s->v[i]->ts != TS_NONE)
			marks[nm++] = s->v[i]->ts;

	title(c, first, no);
	rb_printf(b, "<p class=\"sub\">sid %u &#183; ", first->sid);
	rb_esc(b, first->sig);
	rb_printf(b, " &#183; %zu alert%s, %s &#8211; %s</p>", s->n,
	    s->n == 1 ? "" : "s", first->ts != TS_NONE ? fmt_time(first->ts,
	    1, t0, sizeof(t0)) : "?", last->ts != TS_NONE ?
	    fmt_time(last->ts, 1, t1, sizeof(t1)) : "?");
	rb_puts(b, "<div class=\"plots\"><figure>");
	if (c->have_span)
		svg_strip(b, &c->ax, use->v, use->n, marks, nm);
	rb_printf(b, "<figcaption>%u events over the capture (%s); "
	    "triangles: alerts</figcaption></figure><figure>", use->n,
	    use == &re ? "rebuilt from the flow and DNS records" :
	    "the alerts' recent event times");
	svg_gaps(b, use->v, use->n, last->period);
	rb_puts(b, "<figcaption>gaps between events; red: estimated period, "
	    "dashed: its multiples (missed beats)</figcaption></figure></div>");
	rb_puts(b, "<table class=\"bnums\"><thead><tr><th>Alert</th>"
	    "<th>Period</th><th>Jitter</th><th>Events</th><th>Span</th>"
	    "<th>Score</th><th>Data size mode</th><th>Missed beats</th></tr>"
	    "</thead><tbody>");
	for (i = 0; i < s->n; i++) {
		/* the first few and the latest */
		if (s->n > ALERT_ROWS && i == ALERT_ROWS / 3) {
			rb_printf(b, "<tr class=\"cap\"><td colspan=\"8\">%zu "
			    "alerts in between not shown</td></tr>",
			    s->n - ALERT_ROWS);
			i = s->n - (ALERT_ROWS - ALERT_ROWS / 3);
		}
		numbers_row(c, s->v[i]);
	}
	rb_puts(b, "</tbody></table>");
	rb_puts(b, "</article>\n");
	tl_free(&own);
	tl_free(&re);
}

void
html_beacons(struct rctx *c)
{
	struct report *r = c->r;
	const struct r_beacon **v;
	struct series *sv;
	size_t ns = 0, n, i, j;

	rb_puts(c->b, "<section id=\"beacons\"><h2>Beacons</h2>");
	if (r->nbc == 0) {
		rb_puts(c->b, "<p class=\"none\">No beacon alerts.</p>"
		    "</section>\n");
		return;
	}
	v = calloc(r->nbc, sizeof(*v));
	sv = calloc(r->nbc, sizeof(*sv));
	if (v == NULL || sv == NULL) {
		free(v);
		free(sv);
		c->b->oom = 1;
		return;
	}
	for (i = 0; i < r->nbc; i++)
		v[i] = &r->bc[i];
	qsort(v, r->nbc, sizeof(*v), cmp_alert);
	for (i = 0; i < r->nbc; i = j) {
		sv[ns].v = &v[i];
		sv[ns].best = v[i]->score;
		for (j = i + 1; j < r->nbc && series_cmp(v[i], v[j]) == 0; j++)
			if (v[j]->score > sv[ns].best)
				sv[ns].best = v[j]->score;
		sv[ns++].n = j - i;
	}
	qsort(sv, ns, sizeof(*sv), cmp_rank);
	n = ns < SERIES_MAX ? ns : SERIES_MAX;
	qsort(sv, n, sizeof(*sv), cmp_show);
	c->nbeacon_shown = n;
	rb_printf(c->b, "<p class=\"sub\">%zu beacon alerts in %zu series."
	    "</p>", r->nbc, ns);
	for (i = 0; i < n; i++)
		section(c, &sv[i], i);
	if (n < ns)
		rb_printf(c->b, "<p class=\"cap\">%zu more series with lower "
		    "scores are not shown.</p>", ns - n);
	rb_puts(c->b, "</section>\n");
	free(v);
	free(sv);
}
