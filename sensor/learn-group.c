/*
 * learn-group.c - the learner's aggregation: observed tuples become the
 * records (rules) of OUT, by the steps listed at the top of learn.c:
 * ephemeral ports collapse, a rule of the previous OUT that covers a
 * tuple absorbs it, unnamed IPv4 destinations collapse to their /24,
 * and each key's tuples fold into one record with its counts.
 */
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "learn.h"
#include "learn-int.h"

/* ---- grouping the tuples ------------------------------------------ */

struct view {
	struct tuple	*t;
	uint32_t	 port;		/* dport, PORT_EPH or PORT_ANY */
	int		 net;		/* collapsed to its /24 */
	struct rec	*prior;		/* passed by this learned rule */
	char		 key[KEYMAX];
};

static int
is_v4(const struct bw_addr *a)
{
	static const uint8_t pfx[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };

	return memcmp(a->a, pfx, 12) == 0;
}

static int
cmp_dst(const struct view *a, const struct view *b)
{
	return memcmp(a->t->dst.a, b->t->dst.a, sizeof(a->t->dst.a));
}

/* Ephemeral ports: by (proto, name or destination), then port. */
static int
cmp_eph(const void *x, const void *y)
{
	const struct view *a = x, *b = y;
	int c;

	if (a->t->proto != b->t->proto)
		return a->t->proto < b->t->proto ? -1 : 1;
	if ((c = strcmp(a->t->name ? a->t->name : "",
	    b->t->name ? b->t->name : "")) != 0)
		return c;
	if (a->t->name == NULL && (c = cmp_dst(a, b)) != 0)
		return c;
	return a->t->dport < b->t->dport ? -1 : a->t->dport > b->t->dport;
}

static int
same_eph(const struct view *a, const struct view *b)
{
	return a->t->proto == b->t->proto &&
	    strcmp(a->t->name ? a->t->name : "",
	    b->t->name ? b->t->name : "") == 0 &&
	    (a->t->name != NULL || cmp_dst(a, b) == 0);
}

/* /24 candidates: unnamed IPv4 by (proto, port, /24), then address. */
static int
cmp_net(const void *x, const void *y)
{
	const struct view *a = x, *b = y;
	int an = a->t->name == NULL && a->prior == NULL && is_v4(&a->t->dst);
	int bn = b->t->name == NULL && b->prior == NULL && is_v4(&b->t->dst);

	if (an != bn)
		return an < bn ? -1 : 1;
	if (a->t->proto != b->t->proto)
		return a->t->proto < b->t->proto ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return cmp_dst(a, b);
}

static int
same_net(const struct view *a, const struct view *b)
{
	return a->t->proto == b->t->proto && a->port == b->port &&
	    memcmp(a->t->dst.a, b->t->dst.a, 15) == 0;
}

static void
view_key(struct view *v)
{
	char port[8], addr[64];
	const struct tuple *t = v->t;

	lw_port_word(v->port, port, sizeof(port));
	if (t->name != NULL) {
		snprintf(v->key, KEYMAX, "%s/%s/host=%s", lw_proto_word(t->proto),
		    port, t->name);
		return;
	}
	bw_addr_str(&t->dst, addr, sizeof(addr));
	if (v->net)
		snprintf(v->key, KEYMAX, "%s/%s/net=%u.%u.%u.0/24",
		    lw_proto_word(t->proto), port, t->dst.a[12], t->dst.a[13],
		    t->dst.a[14]);
	else
		snprintf(v->key, KEYMAX, "%s/%s/dst=%s", lw_proto_word(t->proto),
		    port, addr);
}

struct rec *
lw_prior_by_sid(struct recs *rs, uint32_t sid)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].sid == sid && !rs->r[i].reported)
			return &rs->r[i];
	return NULL;
}

/* A prior rule (from OUT) that already covers an unnamed tuple. */
static void
view_prior_cover(struct view *v, struct recs *rs)
{
	struct view w = *v;

	if (v->t->name != NULL)
		return;
	if (v->port < 65536 && v->port >= EPH_LO) {
		w.port = PORT_EPH;
		view_key(&w);
		if (lw_rec_find(rs, w.key) != NULL) {
			v->port = PORT_EPH;
			return;
		}
		w.port = v->port;
	}
	if (is_v4(&v->t->dst)) {
		w.net = 1;
		view_key(&w);
		if (lw_rec_find(rs, w.key) != NULL)
			v->net = 1;
	}
}

static int
cmp_key(const void *x, const void *y)
{
	const struct view *a = x, *b = y;

	return strcmp(a->key, b->key);
}

/* qsort, which may not be given NULL even for nothing to sort. */
void
lw_sort(void *base, size_t n, size_t size, int (*cmp)(const void *,
    const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

static int
cmp_addr(const void *x, const void *y)
{
	return memcmp(x, y, sizeof(struct bw_addr));
}

/* Fold a run of views with one key into its record. */
static int
fold(struct learn *l, struct recs *rs, struct view *v, size_t n)
{
	struct rec *r = lw_rec_find(rs, v[0].key);
	struct bw_addr *src;
	size_t nsrc = 0;
	uint64_t hosts = 0, more = 0, addrs = 1;

	if (r == NULL && (r = lw_rec_add(rs, v[0].key)) == NULL)
		return -1;
	if ((src = malloc((n * MAX_SRC + 1) * sizeof(*src))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct tuple *t = v[i].t;

		if (r->flows == 0 || t->first < r->first)
			r->first = t->first;
		if (r->flows == 0 || t->last > r->last)
			r->last = t->last;
		r->flows += t->flows;
		r->bytes += t->bytes;
		r->reported |= t->alerted;
		more |= (uint64_t)t->src_more;
		if (i > 0 && cmp_dst(&v[i - 1], &v[i]) != 0)
			addrs++;
		for (size_t j = 0; j < t->nsrc; j++)
			src[nsrc++] = t->src[j];
		if (lw_periodic_lines(l, t, r) < 0) {
			free(src);
			return -1;
		}
	}
	lw_sort(src, nsrc, sizeof(*src), cmp_addr);
	for (size_t i = 0; i < nsrc; i++)
		if (i == 0 || cmp_addr(&src[i - 1], &src[i]) != 0)
			hosts++;
	free(src);
	if (hosts + more > r->hosts)
		r->hosts = hosts + more;
	if (addrs > r->addrs)
		r->addrs = addrs;
	return 0;
}

/* Sort addresses inside a key run so fold() can count distinct ones. */
static int
cmp_key_dst(const void *x, const void *y)
{
	const struct view *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	return c ? c : cmp_dst(a, b);
}

int
lw_group(struct learn *l, struct recs *rs)
{
	struct view *v;
	size_t i, j, n = 0;

	if (l->nt == 0)
		return 0;
	lw_beacon_mark(l);
	if ((v = calloc(l->nt, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < l->nt; i++) {
		struct tuple *t = l->t[i];

		if (t->passed_sid != 0) {
			struct rec *p = lw_prior_by_sid(rs, t->passed_sid);

			if (p == NULL) {	/* not one of OUT's rules */
				l->passed_flows += t->flows;
				l->passed_bytes += t->bytes;
				continue;
			}
			v[n].prior = p;
		}
		v[n].t = t;
		v[n].port = t->proto == 6 || t->proto == 17 ? t->dport :
		    PORT_ANY;
		n++;
	}
	/* ephemeral ports */
	lw_sort(v, n, sizeof(*v), cmp_eph);
	for (i = 0; i < n; i = j) {
		size_t neph = 0;

		for (j = i; j < n && same_eph(&v[i], &v[j]); j++)
			if (v[j].port < 65536 && v[j].port >= EPH_LO &&
			    v[j].prior == NULL)
				neph++;
		if (neph < 2)
			continue;
		for (size_t k = i; k < j; k++)
			if (v[k].port < 65536 && v[k].port >= EPH_LO &&
			    v[k].prior == NULL)
				v[k].port = PORT_EPH;
	}
	for (i = 0; i < n; i++)
		if (v[i].prior == NULL)
			view_prior_cover(&v[i], rs);
	/* /24s */
	lw_sort(v, n, sizeof(*v), cmp_net);
	for (i = 0; i < n; i = j) {
		size_t addrs = 0;
		int bad = 0;

		if (v[i].t->name != NULL || v[i].prior != NULL ||
		    !is_v4(&v[i].t->dst) || v[i].net) {
			j = i + 1;
			continue;
		}
		for (j = i; j < n && v[j].t->name == NULL &&
		    v[j].prior == NULL && is_v4(&v[j].t->dst) &&
		    same_net(&v[i], &v[j]); j++) {
			struct view w = v[j];

			if (j == i || cmp_dst(&v[j - 1], &v[j]) != 0)
				addrs++;
			bad |= v[j].t->alerted || v[j].net;
			view_key(&w);
			if ((w.key[0] != '\0' && lw_rec_find(rs, w.key) != NULL &&
			    lw_rec_find(rs, w.key)->reported))
				bad = 1;
		}
		if (addrs < NET_MIN || bad)
			continue;
		for (size_t k = i; k < j; k++)
			v[k].net = 1;
	}
	for (i = 0; i < n; i++) {
		if (v[i].prior != NULL)
			snprintf(v[i].key, KEYMAX, "%s", v[i].prior->key);
		else
			view_key(&v[i]);
	}
	lw_sort(v, n, sizeof(*v), cmp_key_dst);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && cmp_key(&v[i], &v[j]) == 0; j++)
			;
		if (fold(l, rs, v + i, j - i) < 0) {
			free(v);
			return -1;
		}
	}
	free(v);
	return 0;
}
