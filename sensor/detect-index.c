/*
 * detect-index.c - the rule prefilter.
 *
 * detect_flow() used to test every pass rule and then every alert rule
 * on every evaluation: with the 35 shipped rules that was a fifth of the
 * replay, and a 1000-rule policy doubled the replay time.  Most rules
 * cannot match a given flow: they are about another rack's addresses,
 * another protocol or another service port.
 *
 * So each of three dimensions is cut into elementary intervals, the
 * pieces between all the range borders the rules use on it: initiator
 * address, responder address (both 128-bit, IPv4 v4-mapped, as in
 * addrset.c), and destination port per protocol (TCP, UDP; ICMP and other
 * protocols have no ports).  Every interval holds the bitset of the rules
 * whose set covers it.  A flow's candidates are the AND of its three
 * intervals' bitsets: three binary searches and a few words of AND,
 * whatever the number of rules.  The bits keep the detector's order
 * (pass rules, then alert rules, each in file order), so iterating them
 * visits the same rules in the same order as the full scan, minus rules
 * whose header cannot match; detect_flow still tests each candidate in
 * full, so the index can only skip work, never change an answer.
 * Source ports, $BMC_DISCOVERED, geoip and app conditions are left to
 * that full test.
 */
#include <stdlib.h>
#include <string.h>

#include "detect-index.h"
#include "addrset.h"

#define INDEX_MAX_BYTES	(64u << 20)	/* beyond that, scan the rules */

struct u128 { uint64_t hi, lo; };

/* One dimension: borders b[0] = 0 < b[1] < ... and a bitset per piece. */
struct dim {
	struct u128	*b;
	size_t		 n;
	uint64_t	*set;		/* n x words */
};

enum { PK_TCP, PK_UDP, PK_ICMP, PK_OTHER, PK_MAX };

struct detect_index {
	size_t		 words;
	struct dim	 src, dst, port[PK_MAX];
	uint64_t	*out;		/* the last lookup's answer */
};

/* The address as two host-order halves (it is big-endian on the wire). */
static struct u128
load(const struct bw_addr *a)
{
	struct u128 v;

	memcpy(&v.hi, a->a, 8);
	memcpy(&v.lo, a->a + 8, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v.hi = __builtin_bswap64(v.hi);
	v.lo = __builtin_bswap64(v.lo);
#endif
	return v;
}

static int
ucmp(const void *x, const void *y)
{
	const struct u128 *a = x, *b = y;

	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

/* The piece holding v: the last border <= v. */
static size_t
piece(const struct dim *d, struct u128 v)
{
	size_t lo = 0, hi = d->n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->b[mid].hi < v.hi ||
		    (d->b[mid].hi == v.hi && d->b[mid].lo <= v.lo))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Ranges a rule contributes to a dimension, as [lo, hi] pairs. */
struct span { struct u128 lo, hi; };
typedef size_t (*spans_fn)(const struct rule *r, int kind, struct span **v);

static const struct u128 U_MAX = { UINT64_MAX, UINT64_MAX };

static size_t
addr_spans(const struct addrset *s, struct span **v)
{
	if ((*v = calloc(s->n + 1, sizeof(**v))) == NULL)
		return (size_t)-1;
	for (size_t i = 0; i < s->n; i++) {
		(*v)[i].lo = load(&s->r[i].lo);
		(*v)[i].hi = load(&s->r[i].hi);
	}
	return s->n;
}

static size_t
src_spans(const struct rule *r, int kind, struct span **v)
{
	(void)kind;
	return addr_spans(&r->src, v);
}

static size_t
dst_spans(const struct rule *r, int kind, struct span **v)
{
	(void)kind;
	return addr_spans(&r->dst, v);
}

/* The destination ports a rule allows for protocol kind k: none when
 * the rule is for another protocol, all when ports do not apply. */
static size_t
port_spans(const struct rule *r, int k, struct span **v)
{
	int tcpudp = k == PK_TCP || k == PK_UDP;
	int ok;

	switch (r->proto) {
	case RP_IP: ok = 1; break;
	case RP_TCP: ok = k == PK_TCP; break;
	case RP_UDP: ok = k == PK_UDP; break;
	case RP_ICMP: ok = k == PK_ICMP; break;
	default: ok = 1; break;
	}
	if ((*v = calloc(r->dport.n + 1, sizeof(**v))) == NULL)
		return (size_t)-1;
	if (!ok)
		return 0;
	if (!tcpudp || r->proto == RP_IP) {
		/* ports are not tested (RP_IP) or do not exist */
		(*v)[0].lo = (struct u128){0, 0};
		(*v)[0].hi = U_MAX;
		return 1;
	}
	for (size_t i = 0; i < r->dport.n; i++) {
		(*v)[i].lo = (struct u128){0, r->dport.r[i].lo};
		(*v)[i].hi = (struct u128){0, r->dport.r[i].hi};
	}
	return r->dport.n;
}

static void
dim_free(struct dim *d)
{
	free(d->b);
	free(d->set);
	memset(d, 0, sizeof(*d));
}

/* Build one dimension over the rules in ord[0..n). */
static int
dim_build(struct dim *d, const struct ruleset *rs, const size_t *ord,
    size_t n, size_t words, spans_fn fn, int kind, size_t *budget)
{
	struct span *v;
	size_t nb = 1, cap = 64, k;

	memset(d, 0, sizeof(*d));
	if ((d->b = malloc(cap * sizeof(*d->b))) == NULL)
		return -1;
	d->b[0] = (struct u128){0, 0};
	/* borders: every range start, and the value after every range end */
	for (size_t i = 0; i < n; i++) {
		if ((k = fn(&rs->rules[ord[i]], kind, &v)) == (size_t)-1)
			return -1;
		for (size_t j = 0; j < k; j++) {
			struct u128 e[2] = { v[j].lo, v[j].hi };
			int ne = 1;

			if (ucmp(&e[1], &U_MAX) != 0) {
				e[1].lo++;
				if (e[1].lo == 0)
					e[1].hi++;
				ne = 2;
			}
			for (int t = 0; t < ne; t++) {
				if (nb == cap) {
					struct u128 *nbp = realloc(d->b,
					    2 * cap * sizeof(*d->b));
					if (nbp == NULL) {
						free(v);
						return -1;
					}
					d->b = nbp;
					cap *= 2;
				}
				d->b[nb++] = e[t];
			}
		}
		free(v);
	}
	qsort(d->b, nb, sizeof(*d->b), ucmp);
	k = 0;
	for (size_t i = 0; i < nb; i++)
		if (k == 0 || ucmp(&d->b[k - 1], &d->b[i]) != 0)
			d->b[k++] = d->b[i];
	d->n = k;
	if (d->n * words * sizeof(uint64_t) > *budget)
		return -1;
	*budget -= d->n * words * sizeof(uint64_t);
	if ((d->set = calloc(d->n * words, sizeof(uint64_t))) == NULL)
		return -1;
	/* each rule's bit in every piece its ranges cover */
	for (size_t i = 0; i < n; i++) {
		if ((k = fn(&rs->rules[ord[i]], kind, &v)) == (size_t)-1)
			return -1;
		for (size_t j = 0; j < k; j++) {
			size_t p0 = piece(d, v[j].lo), p1 = piece(d, v[j].hi);

			for (size_t p = p0; p <= p1; p++)
				d->set[p * words + i / 64] |= 1ULL << (i % 64);
		}
		free(v);
	}
	return 0;
}

void
detect_index_free(struct detect_index *ix)
{
	if (ix == NULL)
		return;
	dim_free(&ix->src);
	dim_free(&ix->dst);
	for (int k = 0; k < PK_MAX; k++)
		dim_free(&ix->port[k]);
	free(ix->out);
	free(ix);
}

struct detect_index *
detect_index_new(const struct ruleset *rs, const size_t *pass, size_t npass,
    const size_t *alert, size_t nalert)
{
	struct detect_index *ix;
	size_t n = npass + nalert, *ord, budget = INDEX_MAX_BYTES;
	int bad = 0;

	if (rs == NULL || n == 0 || (ix = calloc(1, sizeof(*ix))) == NULL)
		return NULL;
	ix->words = (n + 63) / 64;
	if ((ord = malloc(n * sizeof(*ord))) == NULL ||
	    (ix->out = calloc(ix->words, sizeof(uint64_t))) == NULL) {
		free(ord);
		detect_index_free(ix);
		return NULL;
	}
	memcpy(ord, pass, npass * sizeof(*ord));
	memcpy(ord + npass, alert, nalert * sizeof(*ord));
	bad |= dim_build(&ix->src, rs, ord, n, ix->words, src_spans, 0,
	    &budget);
	bad |= bad || dim_build(&ix->dst, rs, ord, n, ix->words, dst_spans,
	    0, &budget);
	for (int k = 0; k < PK_MAX && !bad; k++)
		bad |= dim_build(&ix->port[k], rs, ord, n, ix->words,
		    port_spans, k, &budget);
	free(ord);
	if (bad) {
		detect_index_free(ix);
		return NULL;
	}
	return ix;
}

const uint64_t *
detect_index_lookup(struct detect_index *ix, const struct flow *f)
{
	const struct dim *pd;
	const uint64_t *s, *d, *p;
	struct u128 port = {0, 0};

	switch (f->key.proto) {
	case 6: pd = &ix->port[PK_TCP]; port.lo = flow_dport(f); break;
	case 17: pd = &ix->port[PK_UDP]; port.lo = flow_dport(f); break;
	case 1: case 58: pd = &ix->port[PK_ICMP]; break;
	default: pd = &ix->port[PK_OTHER]; break;
	}
	s = ix->src.set + piece(&ix->src, load(flow_src(f))) * ix->words;
	d = ix->dst.set + piece(&ix->dst, load(flow_dst(f))) * ix->words;
	p = pd->set + piece(pd, port) * ix->words;
	for (size_t w = 0; w < ix->words; w++)
		ix->out[w] = s[w] & d[w] & p[w];
	return ix->out;
}
