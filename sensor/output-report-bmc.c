/*
 * output-report-bmc.c - the report's per-host facts: which hosts are BMCs
 * and what was found about each (what the verdict counts and the BMC
 * sections tag), and how hosts and ports are written.
 *
 * Why IPMI records are ordered here by sorting and not merged at ingest:
 * a BMC polled over IPMI every minute for a day has 1440 sessions that
 * differ only in time; sorting on every field but time makes equal
 * sessions adjacent, so the BMC section merges them into one row with a
 * count and first/last seen, and the user-name enumeration check sees
 * each (client, BMC) pair as one run, deterministically.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output-report.h"
#include "output-report-int.h"

#define BEACON_MAX	60	/* beacon sections */

static size_t
host_index(const struct rctx *c, const struct rstr *ip)
{
	uint32_t i;

	if (ip == NULL || (i = km_get(&c->r->hm, &ip)) == UINT32_MAX)
		return SIZE_MAX;
	return i;
}

int
host_flags(const struct rctx *c, const struct rstr *ip)
{
	size_t i = host_index(c, ip);

	return i == SIZE_MAX ? 0 : (int)c->flags[i];
}

/* An address, linked to its BMC section when it is a BMC. */
void
html_host(struct rctx *c, const struct rstr *ip)
{
	size_t i = host_index(c, ip);

	if (ip == NULL) {
		rb_puts(c->b, "?");
		return;
	}
	if (i != SIZE_MAX && c->bmc_no[i] >= 0) {
		rb_printf(c->b, "<a class=\"bmc\" href=\"#bmc-%d\">",
		    c->bmc_no[i]);
		rb_esc(c->b, ip);
		rb_puts(c->b, "</a>");
	} else
		rb_esc(c->b, ip);
}

void
html_port(struct rbuf *b, int dport, const struct rstr *proto)
{
	if (dport >= 0)
		rb_printf(b, "%d", dport);
	if (proto != NULL) {
		if (dport >= 0)
			rb_puts(b, "/");
		rb_esc(b, proto);
	}
}

/* --- classification --- */

static int
cmp_host(const void *a, const void *b)
{
	const struct r_host *x = *(const struct r_host *const *)a;
	const struct r_host *y = *(const struct r_host *const *)b;

	return ip_cmp(x->ip, y->ip);
}

static int
users_cmp(const struct r_ipmi *x, const struct r_ipmi *y)
{
	int c;

	for (int i = 0; i < x->nusers && i < y->nusers; i++)
		if ((c = rstr_cmp(x->users[i], y->users[i])) != 0)
			return c;
	if (x->nusers != y->nusers)
		return x->nusers < y->nusers ? -1 : 1;
	return (x->users_more > y->users_more) - (x->users_more < y->users_more);
}

int
ipmi_outcome(const struct r_ipmi *s)
{
	if (s->rakp3)
		return 0;			/* session completed */
	if (s->rakp2 && s->rakp2_status == 0)
		return 1;			/* hash handed out */
	if (s->rakp2_status > 0)
		return 2;			/* user rejected */
	if (s->accepted >= 0)
		return 3;
	return 4;
}

#define CMPI(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

/* Every field but time (so that equal sessions are adjacent), then time. */
int
ipmi_key_cmp(const struct r_ipmi *x, const struct r_ipmi *y)
{
	int c;

	if ((c = ip_cmp(x->dest, y->dest)) != 0 ||
	    (c = ip_cmp(x->src, y->src)) != 0)
		return c;
	CMPI(x->offered, y->offered);
	CMPI(x->accepted, y->accepted);
	CMPI(x->auth_type, y->auth_type);
	CMPI(ipmi_outcome(x), ipmi_outcome(y));
	CMPI(x->rakp2_status, y->rakp2_status);
	return users_cmp(x, y);
}

static int
cmp_ipmi(const void *a, const void *b)
{
	const struct r_ipmi *x = *(const struct r_ipmi *const *)a;
	const struct r_ipmi *y = *(const struct r_ipmi *const *)b;
	int c;

	if ((c = ipmi_key_cmp(x, y)) != 0)
		return c;
	CMPI(x->ts, y->ts);
	CMPI(x->flow_id, y->flow_id);
	return 0;
}

/* Distinct user names one client tried on one BMC (runs of ipx share both). */
static void
enum_check(struct rctx *c, size_t lo, size_t hi, size_t dest)
{
	const struct rstr *seen[ENUM_USERS];
	const struct r_ipmi **v = (const struct r_ipmi **)c->ipx;
	int n = 0;

	for (size_t i = lo; i < hi && n < ENUM_USERS; i++)
		for (int u = 0; u < v[i]->nusers && n < ENUM_USERS; u++) {
			int dup = 0;

			for (int k = 0; k < n; k++)
				dup |= seen[k] == v[i]->users[u];
			if (!dup)
				seen[n++] = v[i]->users[u];
		}
	if (n >= ENUM_USERS && dest != SIZE_MAX)
		c->flags[dest] |= F_ENUM;
}

/*
 * Which BMCs get a section: every one with a finding, then the others in
 * address order, BMC_SECTIONS in all; sections are numbered in address
 * order.  Hosts without a section are not linked.
 */
static void
number_sections(struct rctx *c)
{
	const uint32_t finding = F_OUT | F_BEACON | F_IPMI;
	size_t k, shown = 0, no = 0;

	for (k = 0; k < c->nbmc; k++)
		if ((c->flags[c->bmc[k]] & finding) && shown < BMC_SECTIONS) {
			c->bmc_no[c->bmc[k]] = 0;
			shown++;
		}
	for (k = 0; k < c->nbmc && shown < BMC_SECTIONS; k++)
		if (c->bmc_no[c->bmc[k]] < 0) {
			c->bmc_no[c->bmc[k]] = 0;
			shown++;
		}
	for (k = 0; k < c->nbmc; k++)
		if (c->bmc_no[c->bmc[k]] == 0)
			c->bmc_no[c->bmc[k]] = (int)++no;
	c->nbmc_shown = shown;
}

int
ctx_classify(struct rctx *c)
{
	struct report *r = c->r;
	const struct report_meta *m = c->m;
	struct r_host **hv;
	const struct r_ipmi **iv;
	size_t i, j, d;

	c->flags = calloc(r->nho + 1, sizeof(*c->flags));
	c->bmc_no = calloc(r->nho + 1, sizeof(*c->bmc_no));
	c->bmc = calloc(r->nho + 1, sizeof(*c->bmc));
	hv = calloc(r->nho + 1, sizeof(*hv));
	c->ipx = calloc(r->nip + 1, sizeof(*c->ipx));
	if (c->flags == NULL || c->bmc_no == NULL || c->bmc == NULL ||
	    hv == NULL || c->ipx == NULL) {
		free(hv);
		return -1;
	}
	for (i = 0; i < r->nho; i++) {
		struct r_host *h = &r->ho[i];
		int prot = m->is_protected != NULL &&
		    m->is_protected(m->arg, h->ip->s);

		c->bmc_no[i] = -1;
		if (prot || h->rmcp_server)
			c->flags[i] |= F_BMC;
		if (m->is_protected != NULL && !prot && h->rmcp_server)
			c->flags[i] |= F_NOTSET;
		hv[i] = h;
	}
	qsort(hv, r->nho, sizeof(*hv), cmp_host);
	for (i = 0; i < r->nho; i++) {
		size_t k = (size_t)(hv[i] - r->ho);

		if (c->flags[k] & F_BMC)
			c->bmc[c->nbmc++] = k;
	}
	free(hv);

	for (i = 0; i < r->nag; i++)
		if ((d = host_index(c, r->ag[i].src)) != SIZE_MAX &&
		    (c->flags[d] & F_BMC))
			c->flags[d] |= F_OUT;
	for (i = 0; i < r->npe; i++)
		if (r->pe[i].policy_alert > 0 &&
		    (d = host_index(c, r->pe[i].src)) != SIZE_MAX &&
		    (c->flags[d] & F_BMC))
			c->flags[d] |= F_OUT;
	for (i = 0; i < r->nbc; i++)
		if ((d = host_index(c, r->bc[i].src)) != SIZE_MAX &&
		    (c->flags[d] & F_BMC))
			c->flags[d] |= F_BEACON;

	iv = (const struct r_ipmi **)c->ipx;
	for (i = 0; i < r->nip; i++) {
		const struct r_ipmi *s = &r->ip[i];
		uint32_t f = 0;

		iv[i] = s;
		if (s->accepted == 0)
			f |= F_CIPHER0;
		if (s->anonymous == 1)
			f |= F_ANON;
		if (s->null_users == 1)
			f |= F_NULLEN;
		if (s->auth_type == 0 || s->auth_type == 4)
			f |= F_AUTH15;
		if (ipmi_outcome(s) == 1)
			f |= F_HASH;
		for (int u = 0; u < s->nusers; u++)
			if (s->users[u]->len == 0)
				f |= F_NULLTRY;
		if ((d = host_index(c, s->dest)) != SIZE_MAX)
			c->flags[d] |= f;
	}
	qsort(iv, r->nip, sizeof(*iv), cmp_ipmi);
	for (i = 0; i < r->nip; i = j) {
		for (j = i + 1; j < r->nip && iv[j]->dest == iv[i]->dest &&
		    iv[j]->src == iv[i]->src; j++)
			;
		enum_check(c, i, j, host_index(c, iv[i]->dest));
	}
	number_sections(c);
	return 0;
}

void
ctx_free(struct rctx *c)
{
	free(c->flags);
	free(c->bmc_no);
	free(c->bmc);
	free(c->ipx);
}

