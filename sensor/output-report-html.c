/*
 * output-report-html.c - the report page: header, verdict, alerts grouped
 * by signature, the beacon and BMC sections (output-report-bmc.c,
 * output-report-host.c), the alert timeline, and writing the file.
 *
 * Why the page is built this way: it must open from file:// on an
 * air-gapped machine and be attached to a ticket, so it is one file with
 * inline CSS and SVG, a Content-Security-Policy that allows no script and
 * no fetch of any kind, and links only to its own sections.  Every wire
 * string goes through rb_esc(); ids are section numbers, never wire text.
 * Everything is sorted by content and the only time shown is packet time
 * (or SOURCE_DATE_EPOCH), so the same EVE input gives the same bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "output-report.h"
#include "output-report-int.h"

#define ROWS_PER_SIG	150
#define ROWS_TOTAL	600
#define TL_ROWS		30
#define TL_BINS		240
#define TL_WIDTH	720
#define VERDICT_LINKS	12

static const char css[] =
"body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;"
"color:#1d232b;margin:0 auto;max-width:1180px;padding:0 18px 40px;"
"background:#fff}"
"h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:28px 0 8px;"
"border-bottom:2px solid #e3e7ee;padding-bottom:3px}"
"h3{font-size:15px;margin:16px 0 4px}h4{font-size:13px;margin:10px 0 3px;"
"color:#4a5563}"
"a{color:#1f5fbf;text-decoration:none}a:hover{text-decoration:underline}"
"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:1px 14px;"
"margin:6px 0;font-size:13px}dl.meta dt{color:#5b6573}dl.meta dd{margin:0}"
"nav{font-size:13px;margin:8px 0}nav a{margin-right:12px}"
".verdict{border-left:6px solid #2e7d32;background:#f1f8f2;padding:8px 14px;"
"border-radius:4px}.verdict.amber{border-color:#b26a00;background:#fdf6ea}"
".verdict.red{border-color:#c62828;background:#fdf0f0}"
".verdict .headline{font-size:17px;font-weight:600;margin:4px 0 6px}"
".verdict ul{margin:0;padding-left:18px}.verdict li{margin:2px 0}"
".n{font-variant-numeric:tabular-nums;text-align:right}"
"span.n{font-weight:700}"
"table{border-collapse:collapse;font-size:12.5px;margin:4px 0 8px;"
"width:100%}th{text-align:left;color:#4a5563;font-weight:600;"
"border-bottom:1px solid #cfd6e0;padding:3px 6px}"
"td{border-bottom:1px solid #eef1f5;padding:3px 6px;vertical-align:top}"
"td.t,td.pol{white-space:nowrap;font-variant-numeric:tabular-nums}"
".name{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;"
"word-break:break-all}.sub{color:#5b6573;font-size:12.5px;margin:0 0 6px}"
".http,.ua,.cut{color:#5b6573;font-size:11.5px}"
".sev{display:inline-block;min-width:18px;text-align:center;"
"border-radius:9px;color:#fff;font-size:12px;margin-right:4px}"
".s1{background:#c62828}.s2{background:#e07b00}.s3{background:#6b7a90}"
".bad{color:#c62828;font-weight:600}tr.alerted td{background:#fff6f6}"
".tag{font-size:11.5px;border:1px solid #9aa5b4;border-radius:3px;"
"padding:0 4px;margin-left:6px;color:#4a5563;font-weight:400}"
".tag.bad{border-color:#c62828;color:#c62828}"
".none,.cap td,p.cap{color:#7a8594;font-style:italic}"
"article{border-top:1px solid #e3e7ee;margin-top:10px}"
".plots{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}"
"figure{margin:0}figcaption{font-size:11.5px;color:#5b6573}"
"table.bnums{width:auto}table.bnums td,table.bnums th{padding:2px 10px}"
"svg text{font:11px system-ui,sans-serif;fill:#5b6573}"
".strip .bg{fill:#f3f5f8}.strip .ev{stroke:#1f5fbf;stroke-width:1}"
".strip .mark{fill:#c62828}.hist .bar{fill:#6d8cc4}"
".hist .axis{stroke:#9aa5b4}.hist .period{stroke:#c62828;stroke-width:2}"
".hist .mult{stroke:#c62828;stroke-dasharray:3 3;opacity:.5}"
".hist .plabel{fill:#c62828}"
"table.timeline td{border:0;padding:1px 6px}"
"table.timeline td.lbl{max-width:330px;overflow:hidden;"
"text-overflow:ellipsis;white-space:nowrap}"
".tl .base{stroke:#dde2ea}.tl .t1{fill:#c62828;opacity:.35}"
".tl .t2{fill:#c62828;opacity:.55}.tl .t3{fill:#c62828;opacity:.8}"
".tl .t4{fill:#c62828}footer{margin-top:30px;color:#7a8594;font-size:12px}";

/* --- header and verdict --- */

static void
stat_dd(struct rbuf *b, const char *dt, int64_t v)
{
	if (v < 0)
		rb_printf(b, "<dt>%s</dt><dd>&#8212;</dd>", dt);
	else
		rb_printf(b, "<dt>%s</dt><dd>%lld</dd>", dt, (long long)v);
}

static void
header(struct rctx *c, int64_t gen)
{
	struct report *r = c->r;
	const struct report_meta *m = c->m;
	struct rbuf *b = c->b;
	const struct r_stats *st = &r->st;
	char t0[32], t1[32], d[32];

	rb_puts(b, "<header id=\"top\"><h1>bmcwatch triage report</h1>"
	    "<dl class=\"meta\"><dt>Captures</dt><dd class=\"name\">");
	for (int i = 0; i < m->ncaptures; i++) {
		if (i > 0)
			rb_puts(b, "<br>");
		rb_escn(b, m->captures[i], strlen(m->captures[i]));
	}
	if (m->ncaptures == 0)
		rb_puts(b, "&#8212;");
	rb_puts(b, "</dd><dt>Time span</dt><dd>");
	if (c->have_span)
		rb_printf(b, "%s &#8211; %s UTC (%s)", fmt_time(r->tmin, 1, t0,
		    sizeof(t0)), fmt_time(r->tmax, 1, t1, sizeof(t1)),
		    fmt_span((double)(r->tmax - r->tmin) / 1e6, d, sizeof(d)));
	else
		rb_puts(b, "&#8212;");
	rb_puts(b, "</dd>");
	stat_dd(b, "Packets", st->seen ? st->pkts : -1);
	stat_dd(b, "Flows", st->seen && st->flows >= 0 ? st->flows :
	    r->flows > 0 ? (int64_t)r->flows : -1);
	stat_dd(b, "Malformed packets", st->seen ? st->malformed : -1);
	rb_puts(b, "<dt>Dropped / lost</dt><dd>");
	if (st->seen) {
		if (st->kernel_drops >= 0)
			rb_printf(b, "%lld dropped by the kernel, ",
			    (long long)st->kernel_drops);
		rb_printf(b, "%lld flows evicted, %lld files failed, %lld "
		    "truncated, %lld alerts suppressed by thresholds",
		    (long long)st->evicted, (long long)st->files_failed,
		    (long long)st->files_truncated, (long long)st->suppressed);
	} else
		rb_puts(b, "&#8212; (no stats record)");
	rb_puts(b, "</dd><dt>Rules</dt><dd><span class=\"name\">");
	if (m->rules_path != NULL)
		rb_escn(b, m->rules_path, strlen(m->rules_path));
	else
		rb_puts(b, "&#8212;");
	rb_puts(b, "</span>");
	if (m->nrules > 0)
		rb_printf(b, " (%zu rules)", m->nrules);
	rb_puts(b, "</dd><dt>Version</dt><dd>");
	if (m->version != NULL)
		rb_escn(b, m->version, strlen(m->version));
	rb_printf(b, "</dd><dt>Generated</dt><dd>%s UTC</dd></dl></header>\n",
	    fmt_time(gen * 1000000, 1, t0, sizeof(t0)));
	rb_puts(b, "<nav><a href=\"#verdict\">Verdict</a><a href=\"#alerts\">"
	    "Alerts</a><a href=\"#beacons\">Beacons</a><a href=\"#bmcs\">BMCs"
	    "</a><a href=\"#timeline\">Timeline</a></nav>\n");
}

static size_t
count_flag(const struct rctx *c, uint32_t f)
{
	size_t n = 0;

	for (size_t k = 0; k < c->nbmc; k++)
		n += (c->flags[c->bmc[k]] & f) != 0;
	return n;
}

/* "<n> BMC(s) text: link, link, ..." for the BMCs with flag f. */
static void
finding(struct rctx *c, uint32_t f, const char *id, const char *text)
{
	struct rbuf *b = c->b;
	size_t n = count_flag(c, f), shown = 0;

	rb_printf(b, "<li%s><span class=\"n\" id=\"n-%s\">%zu</span> BMC%s %s",
	    n > 0 ? " class=\"bad\"" : "", id, n, n == 1 ? "" : "s", text);
	for (size_t k = 0; k < c->nbmc && n > 0; k++) {
		size_t h = c->bmc[k];

		if (!(c->flags[h] & f))
			continue;
		if (shown++ >= VERDICT_LINKS) {
			rb_printf(b, " +%zu more", n - VERDICT_LINKS);
			break;
		}
		rb_puts(b, shown == 1 ? ": " : ", ");
		html_host(c, c->r->ho[h].ip);
	}
	rb_puts(b, "</li>");
}

static void
verdict(struct rctx *c, size_t nsig)
{
	struct report *r = c->r;
	struct rbuf *b = c->b;
	size_t out = count_flag(c, F_OUT), bea = count_flag(c, F_BEACON);
	size_t ipmi = count_flag(c, F_IPMI), sev1 = 0, notset;
	const char *cls, *head;

	for (size_t i = 0; i < r->nag; i++)
		if (r->ag[i].severity <= 1)
			sev1 += r->ag[i].count;
	notset = count_flag(c, F_NOTSET);
	if (out > 0 || bea > 0 || sev1 > 0) {
		cls = "red";
		head = out > 0 || bea > 0 ? "A BMC called out: investigate" :
		    "Severity 1 alerts: investigate";
	} else if (ipmi > 0 || r->alerts > 0) {
		cls = "amber";
		head = "No BMC called out; findings to review";
	} else {
		cls = "green";
		head = "Nothing unexpected seen";
	}
	rb_printf(b, "<section id=\"verdict\" class=\"verdict %s\"><h2>Verdict"
	    "</h2><p class=\"headline\">%s</p><ul>", cls, head);
	rb_printf(b, "<li><a href=\"#bmcs\"><span class=\"n\" id=\"n-bmcs\">"
	    "%zu</span> BMCs seen</a> (%s", c->nbmc, c->m->is_protected ?
	    "the rule file's $BMC set" : "hosts that answered RMCP/IPMI; no "
	    "rule file given");
	if (notset > 0)
		rb_printf(b, "; %zu answered IPMI but are not in it", notset);
	rb_puts(b, ")</li>");
	finding(c, F_OUT, "outbound", "made unexpected outbound connections");
	finding(c, F_BEACON, "beacon", "<a href=\"#beacons\">beaconed</a> "
	    "(periodic connections or names)");
	rb_printf(b, "<li>IPMI: <span class=\"n\" id=\"n-ipmi\">%zu</span> "
	    "BMC%s with findings<ul>", ipmi, ipmi == 1 ? "" : "s");
	finding(c, F_CIPHER0, "cipher0", "accepted cipher suite 0 (any "
	    "password works)");
	finding(c, F_HASH, "hash", "handed out a password hash (RAKP 2 "
	    "without RAKP 3)");
	finding(c, F_ENUM, "enum", "had user names enumerated (5 or more "
	    "from one client)");
	finding(c, F_ANON, "anon", "reported anonymous login enabled");
	finding(c, F_NULLTRY, "nulltry", "saw a login with the null user "
	    "name");
	finding(c, F_AUTH15, "auth15", "ran IPMI 1.5 sessions with auth "
	    "none or clear-text password");
	finding(c, F_NULLEN, "nullen", "reported null user names enabled");
	rb_printf(b, "</ul></li><li><a href=\"#alerts\"><span class=\"n\" "
	    "id=\"n-alerts\">%llu</span> alerts</a> in <span class=\"n\" "
	    "id=\"n-groups\">%zu</span> groups of <span class=\"n\" "
	    "id=\"n-sigs\">%zu</span> signatures; %zu of severity 1</li>"
	    "</ul></section>\n", (unsigned long long)r->alerts, r->nag, nsig,
	    sev1);
}

/* --- alerts --- */

static int
cmp_ag(const void *a, const void *b)
{
	const struct r_agroup *x = *(const struct r_agroup *const *)a;
	const struct r_agroup *y = *(const struct r_agroup *const *)b;
	int c;

	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	if (x->sid != y->sid)
		return x->sid < y->sid ? -1 : 1;
	if ((c = rstr_cmp(x->sig, y->sig)) != 0)
		return c;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if ((c = ip_cmp(x->src, y->src)) != 0 ||
	    (c = ip_cmp(x->dest, y->dest)) != 0 ||
	    (c = rstr_cmp(x->proto, y->proto)) != 0)
		return c;
	return (x->dport > y->dport) - (x->dport < y->dport);
}

static void
alert_row(struct rctx *c, const struct r_agroup *a, int geo)
{
	struct rbuf *b = c->b;

	rb_puts(b, "<tr class=\"ag\"><td>");
	html_host(c, a->src);
	rb_puts(b, "</td><td>");
	html_host(c, a->dest);
	rb_puts(b, ":");
	html_port(b, a->dport, a->proto);
	if (a->app != NULL) {
		rb_puts(b, " <small>");
		rb_esc(b, a->app);
		rb_puts(b, "</small>");
	}
	rb_puts(b, "</td><td class=\"name\">");
	for (int i = 0; i < a->nnames; i++) {
		if (i > 0)
			rb_puts(b, "<br>");
		rb_esc_cut(b, a->names[i], CELL_MAX);
	}
	if (a->more_names)
		rb_puts(b, "<br>&#8230;");
	if (a->url != NULL) {
		rb_puts(b, "<div class=\"http\">");
		rb_esc_cut(b, a->method, 16);
		rb_puts(b, " ");
		rb_esc_cut(b, a->url, CELL_MAX);
		rb_puts(b, "</div>");
	}
	if (a->ua != NULL) {
		rb_puts(b, "<div class=\"ua\">UA: ");
		rb_esc_cut(b, a->ua, CELL_MAX);
		rb_puts(b, "</div>");
	}
	if (a->beacon)
		rb_puts(b, "<div><a href=\"#beacons\">beacon</a></div>");
	rb_puts(b, "</td>");
	if (geo) {
		rb_puts(b, "<td>");
		rb_esc(b, a->cc);
		if (a->asn > 0)
			rb_printf(b, " AS%lld ", (long long)a->asn);
		rb_esc(b, a->asorg);
		rb_puts(b, "</td>");
	}
	html_when(c, a->first, a->last);
	rb_printf(b, "<td class=\"n\">%llu</td></tr>",
	    (unsigned long long)a->count);
}

static void
alerts(struct rctx *c, const struct r_agroup **v, size_t n)
{
	struct rbuf *b = c->b;
	size_t i, j, total = 0, sig = 0;
	int geo = 0;

	/* the Geo column only when a GeoIP database was loaded */
	for (i = 0; i < n; i++)
		geo |= v[i]->cc != NULL || v[i]->asorg != NULL || v[i]->asn > 0;
	rb_puts(b, "<section id=\"alerts\"><h2>Alerts by signature</h2>");
	if (n == 0)
		rb_puts(b, "<p class=\"none\">No alerts.</p>");
	for (i = 0; i < n; i = j, sig++) {
		uint64_t cnt = 0;
		size_t k;

		for (j = i; j < n && v[j]->sid == v[i]->sid &&
		    v[j]->sig == v[i]->sig; j++)
			cnt += v[j]->count;
		rb_printf(b, "<h3 id=\"sig-%zu\"><span class=\"sev s%d\">%d"
		    "</span> ", sig, v[i]->severity >= 1 &&
		    v[i]->severity <= 3 ? v[i]->severity : 3, v[i]->severity);
		rb_esc(b, v[i]->sig);
		rb_printf(b, "</h3><p class=\"sub\">sid %u &#183; ", v[i]->sid);
		if (v[i]->cat != NULL && v[i]->cat->len > 0) {
			rb_esc(b, v[i]->cat);
			rb_puts(b, " &#183; ");
		}
		rb_printf(b, "%llu alerts in %zu groups</p>",
		    (unsigned long long)cnt, j - i);
		rb_printf(b, "<table class=\"alerts\"><thead><tr><th>Source</th>"
		    "<th>Destination</th><th>Name (SNI / Host / DNS)</th>%s"
		    "<th>First</th><th>Last</th><th>Count</th></tr></thead>"
		    "<tbody>", geo ? "<th>Geo</th>" : "");
		for (k = i; k < j && k - i < ROWS_PER_SIG &&
		    total < ROWS_TOTAL; k++, total++)
			alert_row(c, v[k], geo);
		if (k < j)
			rb_printf(b, "<tr class=\"cap\"><td colspan=\"%d\">%zu "
			    "more groups of this signature not shown</td></tr>",
			    geo ? 7 : 6, j - k);
		rb_puts(b, "</tbody></table>");
	}
	rb_puts(b, "</section>\n");
}

/* --- timeline --- */

static void
timeline(struct rctx *c, const struct r_agroup **v, size_t n)
{
	struct rbuf *b = c->b;
	uint32_t bins[TL_BINS];
	size_t i, j, rows = 0;
	double w = (double)(c->ax.t1 - c->ax.t0);

	rb_puts(b, "<section id=\"timeline\"><h2>Timeline of alerts</h2>");
	if (n == 0 || !c->have_span) {
		rb_puts(b, "<p class=\"none\">No alerts.</p></section>\n");
		return;
	}
	rb_puts(b, "<table class=\"timeline\"><tbody>");
	for (i = 0; i < n; i = j) {
		uint64_t cnt = 0;

		memset(bins, 0, sizeof(bins));
		for (j = i; j < n && v[j]->sid == v[i]->sid &&
		    v[j]->sig == v[i]->sig; j++) {
			cnt += v[j]->count;
			for (uint32_t k = 0; k < v[j]->t.n; k++) {
				double f = (double)(v[j]->t.v[k] - c->ax.t0) / w;
				int x = (int)(f * TL_BINS);

				x = x < 0 ? 0 : x >= TL_BINS ? TL_BINS - 1 : x;
				if (bins[x] < UINT32_MAX)
					bins[x]++;
			}
		}
		if (rows++ >= TL_ROWS)
			continue;
		rb_printf(b, "<tr><td class=\"lbl\"><span class=\"sev s%d\">%d"
		    "</span> ", v[i]->severity >= 1 && v[i]->severity <= 3 ?
		    v[i]->severity : 3, v[i]->severity);
		rb_esc(b, v[i]->sig);
		rb_puts(b, "</td><td>");
		svg_timeline_row(b, bins, TL_BINS, TL_WIDTH, "row");
		rb_printf(b, "</td><td class=\"n\">%llu</td></tr>",
		    (unsigned long long)cnt);
	}
	if (rows > TL_ROWS)
		rb_printf(b, "<tr class=\"cap\"><td colspan=\"3\">%zu more "
		    "signatures not shown</td></tr>", rows - TL_ROWS);
	rb_puts(b, "<tr><td></td><td>");
	svg_time_axis(b, &c->ax, TL_WIDTH);
	rb_puts(b, "</td><td></td></tr></tbody></table></section>\n");
}

/* --- the page --- */

static int64_t
generated_at(const struct report *r, const struct report_meta *m)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (m->generated_at > 0)
		return m->generated_at;
	if (e != NULL && *e != '\0') {
		errno = 0;
		v = strtoll(e, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0 && v < 253402300800LL)
			return v;
	}
	return r->tmax != INT64_MIN ? r->tmax / 1000000 : 0;
}

int
report_render(struct report *r, struct rbuf *b, const struct report_meta *m)
{
	struct rctx c;
	const struct r_agroup **v;
	size_t nsig = 0, i;
	int64_t gen = generated_at(r, m);
	char tb[32];

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.m = m;
	c.b = b;
	c.have_span = r->tmin <= r->tmax;
	if (c.have_span) {
		c.ax.t0 = r->tmin;
		c.ax.t1 = r->tmax > r->tmin ? r->tmax : r->tmin + 1000000;
		/* dates in the labels when the span crosses midnight */
		c.ax.full = c.ax.t0 / (86400LL * 1000000) !=
		    c.ax.t1 / (86400LL * 1000000);
	}
	if (ctx_classify(&c) != 0 ||
	    (v = calloc(r->nag + 1, sizeof(*v))) == NULL) {
		ctx_free(&c);
		return -1;
	}
	for (i = 0; i < r->nag; i++)
		v[i] = &r->ag[i];
	qsort(v, r->nag, sizeof(*v), cmp_ag);
	for (i = 0; i < r->nag; i++)
		nsig += i == 0 || v[i]->sid != v[i - 1]->sid ||
		    v[i]->sig != v[i - 1]->sig;
	for (i = 0; i < r->nag; i++)
		tl_sort(&r->ag[i].t);

	rb_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset="
	    "\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content="
	    "\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
	    "base-uri 'none'; form-action 'none'\">\n<meta name=\"referrer\" "
	    "content=\"no-referrer\">\n<meta name=\"viewport\" content=\""
	    "width=device-width, initial-scale=1\">\n<title>bmcwatch report");
	if (c.have_span)
		rb_printf(b, " %s", fmt_time(r->tmin, 1, tb, sizeof(tb)));
	rb_printf(b, "</title>\n<style>%s</style></head>\n<body>\n", css);
	header(&c, gen);
	verdict(&c, nsig);
	alerts(&c, v, r->nag);
	html_beacons(&c);
	html_bmcs(&c);
	timeline(&c, v, r->nag);
	rb_printf(b, "<footer>Made by ");
	if (m->version != NULL)
		rb_escn(b, m->version, strlen(m->version));
	rb_printf(b, " from %llu EVE records (%llu alerts, %llu flows, %llu "
	    "DNS, %llu stats, %llu other; %llu lines were not JSON objects)."
	    " All times are packet times in UTC.</footer>\n</body></html>\n",
	    (unsigned long long)r->lines, (unsigned long long)r->alerts,
	    (unsigned long long)r->flows, (unsigned long long)r->dns,
	    (unsigned long long)r->stats, (unsigned long long)r->other,
	    (unsigned long long)r->bad);
	free(v);
	ctx_free(&c);
	return b->oom ? -1 : 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
report_write(struct report *r, const char *path, const struct report_meta *m,
    char *err, size_t errlen)
{
	struct rbuf b;
	char *tmp = NULL;
	int fd = -1, rc = -1;

	memset(&b, 0, sizeof(b));
	if (report_render(r, &b, m) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, b.p, b.len) != 0)
			snprintf(err, errlen, "standard output: %s",
			    strerror(errno));
		else
			rc = 0;
		goto out;
	}
	if ((tmp = malloc(strlen(path) + 16)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	snprintf(tmp, strlen(path) + 16, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0644) != 0 || write_all(fd, b.p, b.len) != 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	rc = close(fd);
	fd = -1;
	if (rc != 0) {
		rc = -1;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = -1;
	if (rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	rb_free(&b);
	return rc;
}
