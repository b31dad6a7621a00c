/*
 * output-report-svg.c - the report's pictures, drawn as inline SVG: a
 * strip plot of a series' events over the capture, a histogram of the
 * gaps between them with the estimated period marked, and one row of the
 * alert timeline.
 *
 * Why these shapes: an analyst decides "beacon or not" from two things,
 * whether the events cover the capture evenly (strip) and whether the gaps
 * pile up at one value and its multiples (histogram).  Every mark is
 * binned to a pixel column and all marks of a kind go into one <path>, so
 * a series of 20000 events costs a few kB, not one element each.  No wire
 * string is drawn here except through rb_esc(); numbers are clamped and
 * printed with fixed formats, so hostile values cannot break the markup.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output-report.h"
#include "output-report-int.h"

#define STRIP_W	640
#define STRIP_H	62
#define HIST_W	360
#define HIST_H	130
#define HIST_NB	40

static double
clampd(double v, double lo, double hi)
{
	if (!(v >= lo))			/* also NaN */
		return lo;
	return v > hi ? hi : v;
}

static double
xpos(const struct svg_axis *ax, int64_t t, double x0, double w)
{
	double f = (double)(t - ax->t0) / (double)(ax->t1 - ax->t0);

	return x0 + clampd(f, 0, 1) * w;
}

static void
time_label(struct rbuf *b, const struct svg_axis *ax, int64_t t, double x,
    const char *anchor, double y)
{
	char tb[32];

	rb_printf(b, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\">%s"
	    "</text>", x, y, anchor, fmt_time(t, ax->full ? 2 : 0, tb,
	    sizeof(tb)));
}

/*
 * Events t[0..n) (sorted, µs) over the axis; marks[0..nmarks) are the
 * alerts' times, drawn as red triangles under the strip.
 */
void
svg_strip(struct rbuf *b, const struct svg_axis *ax, const int64_t *t,
    size_t n, const int64_t *marks, size_t nmarks)
{
	const double x0 = 10, w = STRIP_W - 20;
	char s0[32], s1[32];
	int last = -1;

	rb_printf(b, "<svg class=\"strip\""
	    " viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">",
	    STRIP_W, STRIP_H, STRIP_W, STRIP_H);
	rb_printf(b, "<title>%zu events between %s and %s</title>", n,
	    fmt_time(ax->t0, 1, s0, sizeof(s0)),
	    fmt_time(ax->t1, 1, s1, sizeof(s1)));
	rb_printf(b, "<rect class=\"bg\" x=\"%.0f\" y=\"6\" width=\"%.0f\" "
	    "height=\"32\"/>", x0, w);
	rb_puts(b, "<path class=\"ev\" d=\"");
	for (size_t i = 0; i < n; i++) {
		int col = (int)floor(xpos(ax, t[i], x0, w) * 2);

		if (col == last)	/* one mark per half pixel */
			continue;
		last = col;
		rb_printf(b, "M%.1f 8v28", col / 2.0);
	}
	rb_puts(b, "\"/>");
	if (nmarks > 0) {
		last = -1;
		rb_puts(b, "<path class=\"mark\" d=\"");
		for (size_t i = 0; i < nmarks; i++) {
			int col = (int)floor(xpos(ax, marks[i], x0, w));

			if (col == last)
				continue;
			last = col;
			rb_printf(b, "M%d 38l-4 7h8z", col);
		}
		rb_printf(b, "\"><title>%zu alerts</title></path>", nmarks);
	}
	time_label(b, ax, ax->t0, x0, "start", 58);
	time_label(b, ax, ax->t0 + (ax->t1 - ax->t0) / 2, x0 + w / 2,
	    "middle", 58);
	time_label(b, ax, ax->t1, x0 + w, "end", 58);
	rb_puts(b, "</svg>");
}

static void
secs_label(struct rbuf *b, double s, double x, const char *anchor)
{
	char sb[32];

	rb_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
	    x, HIST_H - 4, anchor, fmt_span(s, sb, sizeof(sb)));
}

/*
 * Gaps between consecutive events of t[0..n) (sorted, µs) in HIST_NB bins
 * from 0 to a limit that shows the period and a few multiples of it (the
 * last bin also holds every longer gap); the period and its multiples
 * (missed beats) are marked.
 */
void
svg_gaps(struct rbuf *b, const int64_t *t, size_t n, double period)
{
	const double x0 = 10, w = HIST_W - 20, y0 = 20, h = HIST_H - 40;
	uint32_t bins[HIST_NB], max = 0;
	double hi = 0, bw, g;
	char sb[32];
	size_t i, ngaps = n > 1 ? n - 1 : 0;

	memset(bins, 0, sizeof(bins));
	for (i = 1; i < n; i++)
		if ((g = (double)(t[i] - t[i - 1]) / 1e6) > hi)
			hi = g;
	if (period > 0 && isfinite(period)) {
		if (hi < period * 1.25)
			hi = period * 1.25;
		if (hi > period * 4.5)
			hi = period * 4.5;
	}
	if (!(hi > 0))
		hi = 1;
	for (i = 1; i < n; i++) {
		g = (double)(t[i] - t[i - 1]) / 1e6;
		int k = (int)clampd(g / hi * HIST_NB, 0, HIST_NB - 1);
		if (++bins[k] > max)
			max = bins[k];
	}
	rb_printf(b, "<svg class=\"hist\""
	    " viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">",
	    HIST_W, HIST_H, HIST_W, HIST_H);
	rb_printf(b, "<title>%zu gaps, 0 to %s; period %s</title>", ngaps,
	    fmt_span(hi, sb, sizeof(sb)), period > 0 ? "marked" : "unknown");
	rb_printf(b, "<path class=\"axis\" d=\"M%.0f %.0fh%.0f\"/>", x0,
	    y0 + h, w);
	bw = w / HIST_NB;
	rb_puts(b, "<path class=\"bar\" d=\"");
	for (int k = 0; k < HIST_NB; k++) {
		double bh;

		if (bins[k] == 0)
			continue;
		bh = h * bins[k] / max;
		if (bh < 1.5)
			bh = 1.5;
		rb_printf(b, "M%.1f %.1fh%.1fv%.1fh-%.1fz", x0 + k * bw + 0.5,
		    y0 + h - bh, bw - 1, bh, bw - 1);
	}
	rb_puts(b, "\"/>");
	if (period > 0 && isfinite(period)) {
		for (int m = 2; m <= 4; m++)
			if (period * m < hi)
				rb_printf(b, "<path class=\"mult\" d=\"M%.1f %.0f"
				    "v%.0f\"><title>%d x period (missed beats)"
				    "</title></path>", x0 + period * m / hi * w,
				    y0, h, m);
		double px = x0 + clampd(period / hi, 0, 1) * w;
		rb_printf(b, "<path class=\"period\" d=\"M%.1f %.0fv%.0f\"/>",
		    px, y0 - 4, h + 4);
		rb_printf(b, "<text class=\"plabel\" x=\"%.1f\" y=\"%.0f\" "
		    "text-anchor=\"%s\">period %s</text>", px + (px > w * 0.6 ?
		    -4 : 4), y0 - 8, px > w * 0.6 ? "end" : "start",
		    fmt_span(period, sb, sizeof(sb)));
	}
	rb_printf(b, "<text x=\"%.0f\" y=\"%.0f\">max %u</text>", x0,
	    y0 - 8, max);
	secs_label(b, 0, x0, "start");
	secs_label(b, hi, x0 + w, "end");
	rb_puts(b, "</svg>");
}

/*
 * One timeline row: bins[0..nb) counts over the axis; four shades by
 * count, each one <path>.
 */
void
svg_timeline_row(struct rbuf *b, const uint32_t *bins, int nb, int width,
    const char *cls)
{
	static const char *shade[4] = { "t1", "t2", "t3", "t4" };
	double bw = (double)width / nb;

	rb_printf(b, "<svg class=\"tl %s\""
	    " viewBox=\"0 0 %d 18\" width=\"%d\" height=\"18\">", cls, width,
	    width);
	rb_printf(b, "<path class=\"base\" d=\"M0 17h%d\"/>", width);
	for (int s = 0; s < 4; s++) {
		int any = 0;

		for (int k = 0; k < nb; k++) {
			uint32_t c = bins[k];
			int lvl = c == 0 ? -1 : c == 1 ? 0 : c < 4 ? 1 :
			    c < 10 ? 2 : 3;

			if (lvl != s)
				continue;
			if (!any)
				rb_printf(b, "<path class=\"%s\" d=\"", shade[s]);
			any = 1;
			rb_printf(b, "M%.1f 2h%.1fv15h-%.1fz", k * bw,
			    bw < 2 ? 2 : bw, bw < 2 ? 2 : bw);
		}
		if (any)
			rb_puts(b, "\"/>");
	}
	rb_puts(b, "</svg>");
}

/* The time axis under the timeline: five labels. */
void
svg_time_axis(struct rbuf *b, const struct svg_axis *ax, int width)
{
	rb_printf(b, "<svg class=\"tl axis\""
	    " viewBox=\"0 0 %d 16\" width=\"%d\" height=\"16\">", width,
	    width);
	for (int i = 0; i <= 4; i++) {
		int64_t t = ax->t0 + (ax->t1 - ax->t0) / 4 * i;

		time_label(b, ax, t, width * i / 4.0, i == 0 ? "start" :
		    i == 4 ? "end" : "middle", 12);
	}
	rb_puts(b, "</svg>");
}
