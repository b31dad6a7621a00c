/*
 * output-report-host.c - one section per BMC: the peers it started
 * connections to (the egress question), the services others reached on
 * it (the exposure question) and its IPMI sessions (the credential
 * question), each a capped, sorted table.
 *
 * Why these three tables and in this order: an implant shows itself as a
 * new peer, an attacker as a new client of a service, and the IPMI
 * weaknesses (cipher 0, null users, hash dumps) only in the session
 * setup; the analyst reads them top to bottom for the BMC the verdict
 * pointed at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output-report.h"
#include "output-report-int.h"

#define ALERTED_ROWS	20	/* peers that alerted, per BMC */
#define PASSED_ROWS	10	/* the busiest other peers */
#define SERVICE_ROWS	15
#define IPMI_ROWS	15
#define SERVICE_CLIENTS	4

void
html_when(struct rctx *c, int64_t first, int64_t last)
{
	char a[32], z[32];
	int full = c->ax.full ? 2 : 0;

	if (first == INT64_MAX || first == TS_NONE) {
		rb_puts(c->b, "<td>&#8212;</td><td>&#8212;</td>");
		return;
	}
	rb_printf(c->b, "<td class=\"t\">%s</td><td class=\"t\">%s</td>",
	    fmt_time(first, full, a, sizeof(a)),
	    fmt_time(last, full, z, sizeof(z)));
}

static void
sids(struct rbuf *b, const char *what, const uint32_t *v, int n, int more)
{
	rb_puts(b, what);
	for (int i = 0; i < n; i++)
		rb_printf(b, "%s%u", i ? ", " : " ", v[i]);
	if (more)
		rb_puts(b, ", &#8230;");
}

static int
alerted(const struct r_peer *p)
{
	return p->alerts > 0 || p->policy_alert > 0;
}

#define CMPU(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int
cmp_out(const void *a, const void *b)
{
	const struct r_peer *x = *(const struct r_peer *const *)a;
	const struct r_peer *y = *(const struct r_peer *const *)b;
	int c;

	if (alerted(x) != alerted(y))
		return alerted(x) ? -1 : 1;
	CMPU(y->flows, x->flows);
	if ((c = ip_cmp(x->dest, y->dest)) != 0 ||
	    (c = rstr_cmp(x->proto, y->proto)) != 0)
		return c;
	CMPU(x->dport, y->dport);
	return 0;
}

static int
cmp_svc(const void *a, const void *b)
{
	const struct r_peer *x = *(const struct r_peer *const *)a;
	const struct r_peer *y = *(const struct r_peer *const *)b;
	int c;

	if ((c = rstr_cmp(x->proto, y->proto)) != 0)
		return c;
	CMPU(x->dport, y->dport);
	return ip_cmp(x->src, y->src);
}

static void
policy_cell(struct rbuf *b, const struct r_peer *p)
{
	rb_puts(b, "<td class=\"pol\">");
	if (p->nasid > 0) {
		rb_puts(b, "<span class=\"bad\">");
		sids(b, "alert", p->asid, p->nasid, p->asid_more);
		rb_puts(b, "</span>");
	} else if (p->policy_alert > 0)
		rb_puts(b, "<span class=\"bad\">alert</span>");
	if (p->npass > 0) {
		if (p->nasid > 0 || p->policy_alert > 0)
			rb_puts(b, "; ");
		sids(b, "pass", p->pass, p->npass, p->pass_more);
	}
	if (p->nasid == 0 && p->policy_alert == 0 && p->npass == 0)
		rb_puts(b, "&#8212;");
	rb_puts(b, "</td>");
}

static void
count_cell(struct rbuf *b, uint64_t n)
{
	if (n > 0)
		rb_printf(b, "<td class=\"n\">%llu</td>", (unsigned long long)n);
	else
		rb_puts(b, "<td class=\"n\">&#8212;</td>");
}

static void
cap_row(struct rbuf *b, size_t left, int cols, const char *what)
{
	if (left > 0)
		rb_printf(b, "<tr class=\"cap\"><td colspan=\"%d\">%zu more %s "
		    "not shown</td></tr>", cols, left, what);
}

static void
outbound(struct rctx *c, const struct rstr *ip, const struct r_peer **v)
{
	struct report *r = c->r;
	struct rbuf *b = c->b;
	size_t n = 0, i, na = 0, no = 0;
	char x[32], y[32];

	for (i = 0; i < r->npe; i++)
		if (r->pe[i].src == ip)
			v[n++] = &r->pe[i];
	rb_puts(b, "<h4>Connections it started</h4>");
	if (n == 0) {
		rb_puts(b, "<p class=\"none\">None seen.</p>");
		return;
	}
	qsort(v, n, sizeof(*v), cmp_out);
	rb_puts(b, "<table class=\"peers\"><thead><tr><th>Peer</th><th>Port"
	    "</th><th>App</th><th>Name</th><th>Flows</th><th>Bytes out / in"
	    "</th><th>First</th><th>Last</th><th>Policy</th></tr></thead>"
	    "<tbody>");
	for (i = 0; i < n; i++) {
		const struct r_peer *p = v[i];

		/* alerted peers first (sorted so), then the busiest others */
		if (alerted(p) ? na++ >= ALERTED_ROWS : no++ >= PASSED_ROWS)
			continue;
		rb_printf(b, "<tr%s><td>", alerted(p) ? " class=\"alerted\"" :
		    "");
		html_host(c, p->dest);
		rb_puts(b, "</td><td>");
		html_port(b, p->dport, p->proto);
		rb_puts(b, "</td><td>");
		rb_esc(b, p->app);
		rb_puts(b, "</td><td class=\"name\">");
		rb_esc_cut(b, p->name, CELL_MAX);
		rb_puts(b, "</td>");
		count_cell(b, p->flows);
		if (p->flows > 0)
			rb_printf(b, "<td class=\"n\">%s / %s</td>",
			    fmt_bytes(p->bytes_ts, x, sizeof(x)),
			    fmt_bytes(p->bytes_tc, y, sizeof(y)));
		else
			rb_puts(b, "<td class=\"n\">&#8212;</td>");
		html_when(c, p->first, p->last);
		policy_cell(b, p);
		rb_puts(b, "</tr>");
	}
	cap_row(b, na > ALERTED_ROWS ? na - ALERTED_ROWS : 0, 9,
	    "peers that alerted");
	cap_row(b, no > PASSED_ROWS ? no - PASSED_ROWS : 0, 9, "other peers");
	rb_puts(b, "</tbody></table>");
}

static void
services(struct rctx *c, const struct rstr *ip, const struct r_peer **v)
{
	struct report *r = c->r;
	struct rbuf *b = c->b;
	size_t n = 0, i, j, rows = 0;

	for (i = 0; i < r->npe; i++)
		if (r->pe[i].dest == ip)
			v[n++] = &r->pe[i];
	rb_puts(b, "<h4>Services reached on it</h4>");
	if (n == 0) {
		rb_puts(b, "<p class=\"none\">None seen.</p>");
		return;
	}
	qsort(v, n, sizeof(*v), cmp_svc);
	rb_puts(b, "<table class=\"svcs\"><thead><tr><th>Service</th><th>App"
	    "</th><th>Clients</th><th>Flows</th><th>Alerts</th><th>First"
	    "</th><th>Last</th><th>Policy</th></tr></thead><tbody>");
	for (i = 0; i < n; i = j) {
		struct r_peer sum;
		size_t nc = 0;

		for (j = i; j < n && v[j]->proto == v[i]->proto &&
		    v[j]->dport == v[i]->dport; j++)
			;
		if (rows++ >= SERVICE_ROWS)
			continue;
		memset(&sum, 0, sizeof(sum));
		sum.first = INT64_MAX;
		sum.last = INT64_MIN;
		for (size_t k = i; k < j; k++) {
			const struct r_peer *p = v[k];

			sum.flows += p->flows;
			sum.alerts += p->alerts;
			sum.policy_alert += p->policy_alert;
			if (sum.app == NULL)
				sum.app = p->app;
			if (p->first < sum.first)
				sum.first = p->first;
			if (p->last > sum.last)
				sum.last = p->last;
			for (int s = 0; s < p->nasid; s++)
				if (sum.nasid < SMALL_SET)
					sum.asid[sum.nasid++] = p->asid[s];
			for (int s = 0; s < p->npass; s++)
				if (sum.npass < SMALL_SET)
					sum.pass[sum.npass++] = p->pass[s];
		}
		rb_printf(b, "<tr%s><td>", alerted(&sum) ?
		    " class=\"alerted\"" : "");
		html_port(b, v[i]->dport, v[i]->proto);
		rb_puts(b, "</td><td>");
		rb_esc(b, sum.app);
		rb_puts(b, "</td><td>");
		for (size_t k = i; k < j && nc < SERVICE_CLIENTS; k++, nc++) {
			if (nc > 0)
				rb_puts(b, ", ");
			html_host(c, v[k]->src);
		}
		if (j - i > nc)
			rb_printf(b, " +%zu more", j - i - nc);
		rb_puts(b, "</td>");
		count_cell(b, sum.flows);
		count_cell(b, sum.alerts);
		html_when(c, sum.first, sum.last);
		policy_cell(b, &sum);
		rb_puts(b, "</tr>");
	}
	cap_row(b, rows > SERVICE_ROWS ? rows - SERVICE_ROWS : 0, 8,
	    "services");
	rb_puts(b, "</tbody></table>");
}

static void
cipher(struct rbuf *b, int cs)
{
	if (cs < 0)
		rb_puts(b, "<td>&#8212;</td>");
	else if (cs == 0)
		rb_puts(b, "<td><span class=\"bad\">0</span></td>");
	else
		rb_printf(b, "<td>%d</td>", cs);
}

static void
ipmi_row(struct rctx *c, const struct r_ipmi *s, uint64_t count,
    int64_t first, int64_t last)
{
	struct rbuf *b = c->b;

	rb_puts(b, "<tr><td>");
	html_host(c, s->src);
	rb_puts(b, "</td>");
	cipher(b, s->offered);
	cipher(b, s->accepted);
	rb_puts(b, "<td class=\"name\">");
	for (int u = 0; u < s->nusers; u++) {
		if (u > 0)
			rb_puts(b, ", ");
		if (s->users[u]->len == 0)
			rb_puts(b, "<span class=\"bad\">(null user)</span>");
		else
			rb_esc_cut(b, s->users[u], 64);
	}
	if (s->users_more)
		rb_puts(b, ", &#8230;");
	rb_puts(b, "</td><td>");
	switch (ipmi_outcome(s)) {
	case 0: rb_puts(b, "session set up (RAKP 1-4)"); break;
	case 1: rb_puts(b, "<span class=\"bad\">password hash handed out "
	    "(RAKP 2 without RAKP 3)</span>"); break;
	case 2: rb_printf(b, "user name rejected (RAKP 2 status %d)",
	    s->rakp2_status); break;
	case 3: rb_puts(b, "open session only"); break;
	default: rb_puts(b, "no session (ping / capabilities)"); break;
	}
	if (s->auth_type == 0 || s->auth_type == 4)
		rb_printf(b, "; <span class=\"bad\">IPMI 1.5 auth %s</span>",
		    s->auth_type == 0 ? "none" : "password");
	rb_printf(b, "</td><td class=\"n\">%llu</td>", (unsigned long long)count);
	html_when(c, first, last);
	rb_puts(b, "</tr>");
}

static void
ipmi_sessions(struct rctx *c, const struct rstr *ip)
{
	const struct r_ipmi **v = (const struct r_ipmi **)c->ipx;
	struct rbuf *b = c->b;
	size_t n = c->r->nip, i, j, rows = 0, lo = n;

	for (i = 0; i < n; i++)
		if (v[i]->dest == ip) {
			lo = i;
			break;
		}
	if (lo == n)
		return;
	rb_puts(b, "<h4>IPMI sessions</h4><table class=\"ipmi\"><thead><tr>"
	    "<th>Client</th><th>Cipher offered</th><th>Accepted</th>"
	    "<th>Users</th><th>Outcome</th><th>Count</th><th>First</th>"
	    "<th>Last</th></tr></thead><tbody>");
	for (i = lo; i < n && v[i]->dest == ip; i = j) {
		int64_t first = INT64_MAX, last = INT64_MIN;

		for (j = i; j < n && v[j]->dest == ip &&
		    ipmi_key_cmp(v[i], v[j]) == 0; j++) {
			if (v[j]->ts != TS_NONE && v[j]->ts < first)
				first = v[j]->ts;
			if (v[j]->ts != TS_NONE && v[j]->ts > last)
				last = v[j]->ts;
		}
		if (rows++ < IPMI_ROWS)
			ipmi_row(c, v[i], j - i, first, last);
	}
	cap_row(b, rows > IPMI_ROWS ? rows - IPMI_ROWS : 0, 8,
	    "kinds of session");
	rb_puts(b, "</tbody></table>");
}

static const struct {
	uint32_t	 flag;
	const char	*text;
} tags[] = {
	{ F_OUT, "called out" },
	{ F_BEACON, "beacon" },
	{ F_CIPHER0, "cipher 0 accepted" },
	{ F_HASH, "password hash handed out" },
	{ F_ENUM, "user names enumerated" },
	{ F_ANON, "anonymous login enabled" },
	{ F_NULLTRY, "null user login" },
	{ F_NULLEN, "null user names enabled" },
	{ F_AUTH15, "IPMI 1.5 weak auth" },
	{ F_NOTSET, "answers IPMI, not in $BMC" },
};

void
html_bmcs(struct rctx *c)
{
	struct report *r = c->r;
	struct rbuf *b = c->b;
	const struct r_peer **v;

	rb_puts(b, "<section id=\"bmcs\"><h2>BMCs</h2>");
	if (c->nbmc == 0) {
		rb_puts(b, "<p class=\"none\">No BMC seen (no host of the rule "
		    "file's $BMC set, none answered IPMI).</p></section>\n");
		return;
	}
	if ((v = calloc(r->npe + 1, sizeof(*v))) == NULL) {
		b->oom = 1;
		return;
	}
	for (size_t k = 0; k < c->nbmc; k++) {
		size_t h = c->bmc[k];
		uint32_t f = c->flags[h];

		if (c->bmc_no[h] < 0)
			continue;
		rb_printf(b, "<article class=\"bmc\" id=\"bmc-%d\"><h3>",
		    c->bmc_no[h]);
		rb_esc(b, r->ho[h].ip);
		for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++)
			if (f & tags[t].flag)
				rb_printf(b, " <span class=\"tag%s\">%s</span>",
				    tags[t].flag == F_NOTSET ? "" : " bad",
				    tags[t].text);
		rb_puts(b, "</h3>");
		outbound(c, r->ho[h].ip, v);
		services(c, r->ho[h].ip, v);
		ipmi_sessions(c, r->ho[h].ip);
		rb_puts(b, "</article>\n");
	}
	if (c->nbmc_shown < c->nbmc)
		rb_printf(b, "<p class=\"cap\">%zu more BMCs without findings "
		    "are not shown.</p>", c->nbmc - c->nbmc_shown);
	rb_puts(b, "</section>\n");
	free(v);
}
