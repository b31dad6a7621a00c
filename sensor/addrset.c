/*
 * addrset.c - address and port sets as sorted, disjoint, non-adjacent
 * inclusive ranges.
 *
 * Rule headers are compiled once and tested for every flow, so the cost
 * is put on the compile side: every operation produces a normalised range
 * array (sorted by start, overlapping and touching ranges merged), and a
 * lookup is then a single binary search.  Addresses are 128-bit (IPv4 is
 * v4-mapped), handled as two 64-bit halves so that "+1"/"-1" at range
 * borders are plain integer arithmetic.  Ports are the same sets over a
 * smaller space: both kinds load into one working form (struct ur), so
 * union, difference and complement are written once.
 *
 * Ownership: every operation takes an initialised 'out' (zeroed, or a set
 * built earlier), computes the result into fresh memory, and only then
 * frees what 'out' held.  So `addrset_union(&acc, &acc, &x)` is fine and
 * an error (-1, out of memory) leaves 'out' untouched.
 */
#include <stdlib.h>
#include <string.h>

#include "addrset.h"

struct u128 { uint64_t hi, lo; };

static struct u128
to_u128(const struct bw_addr *a)
{
	struct u128 v = {0, 0};

	for (int i = 0; i < 8; i++)
		v.hi = v.hi << 8 | a->a[i];
	for (int i = 8; i < 16; i++)
		v.lo = v.lo << 8 | a->a[i];
	return v;
}

static struct bw_addr
from_u128(struct u128 v)
{
	struct bw_addr a;

	for (int i = 7; i >= 0; i--, v.hi >>= 8)
		a.a[i] = v.hi & 0xff;
	for (int i = 15; i >= 8; i--, v.lo >>= 8)
		a.a[i] = v.lo & 0xff;
	return a;
}

static int
u_cmp(struct u128 a, struct u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

static struct u128
u_inc(struct u128 a)
{
	if (++a.lo == 0)
		a.hi++;
	return a;
}

static struct u128
u_dec(struct u128 a)
{
	if (a.lo-- == 0)
		a.hi--;
	return a;
}

static int
u_is_max(struct u128 a)
{
	return a.hi == UINT64_MAX && a.lo == UINT64_MAX;
}

static int
u_is_zero(struct u128 a)
{
	return a.hi == 0 && a.lo == 0;
}

/* Working form of a range: the arithmetic view of both kinds of set. */
struct ur { struct u128 lo, hi; };

static int
ur_cmp(const void *x, const void *y)
{
	return u_cmp(((const struct ur *)x)->lo, ((const struct ur *)y)->lo);
}

/* Sort v[0..n) and merge overlapping and touching ranges; the new count. */
static size_t
ur_normalise(struct ur *v, size_t n)
{
	size_t m = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), ur_cmp);
	for (size_t i = 1; i < n; i++) {
		if (u_is_max(v[m].hi) || u_cmp(v[i].lo, u_inc(v[m].hi)) <= 0) {
			if (u_cmp(v[i].hi, v[m].hi) > 0)
				v[m].hi = v[i].hi;
		} else
			v[++m] = v[i];
	}
	return m + 1;
}

/* a minus b, both normalised, into out (room for na + nb ranges). */
static size_t
ur_minus(const struct ur *a, size_t na, const struct ur *b, size_t nb,
    struct ur *out)
{
	size_t n = 0, j = 0;

	/* each range of b can split at most one range of a in two */
	for (size_t i = 0; i < na; i++) {
		struct u128 lo = a[i].lo, hi = a[i].hi;
		int alive = 1;

		/* skip b ranges wholly below this one (they are sorted) */
		while (j < nb && u_cmp(b[j].hi, lo) < 0)
			j++;
		for (size_t k = j; k < nb && alive; k++) {
			if (u_cmp(b[k].lo, hi) > 0)
				break;
			if (u_cmp(b[k].lo, lo) > 0) {
				out[n].lo = lo;
				out[n].hi = u_dec(b[k].lo);
				n++;
			}
			if (u_cmp(b[k].hi, hi) >= 0)
				alive = 0;
			else
				lo = u_inc(b[k].hi);
		}
		if (alive) {
			out[n].lo = lo;
			out[n].hi = hi;
			n++;
		}
	}
	return n;
}

/* [0, max] minus a (normalised, within it), into out (na + 1 ranges). */
static size_t
ur_complement(const struct ur *a, size_t na, struct u128 max, struct ur *out)
{
	struct u128 next = {0, 0};
	size_t n = 0;

	for (size_t i = 0; i < na; i++) {
		if (u_cmp(a[i].lo, next) > 0) {
			out[n].lo = next;
			out[n].hi = u_dec(a[i].lo);
			n++;
		}
		if (u_cmp(a[i].hi, max) >= 0)
			return n;
		next = u_inc(a[i].hi);
	}
	out[n].lo = next;
	out[n].hi = max;
	return n + 1;
}

/*
 * The two kinds of set differ only in how a range is stored; a set is
 * loaded into working ranges (with room for 'extra' more) and stored
 * back, normalised, by these.
 */
static struct ur *
addr_load(const struct addrset *s, size_t extra)
{
	struct ur *v = calloc(s->n + extra + 1, sizeof(*v));

	for (size_t i = 0; v != NULL && i < s->n; i++) {
		v[i].lo = to_u128(&s->r[i].lo);
		v[i].hi = to_u128(&s->r[i].hi);
	}
	return v;
}

/* Normalise v[0..n) and make it out's contents; takes v (freed). */
static int
addr_store(struct addrset *out, struct ur *v, size_t n)
{
	struct addr_range *r = NULL;
	size_t m = ur_normalise(v, n);

	if (m > 0 && (r = calloc(m, sizeof(*r))) == NULL) {
		free(v);
		return -1;
	}
	for (size_t i = 0; i < m; i++) {
		r[i].lo = from_u128(v[i].lo);
		r[i].hi = from_u128(v[i].hi);
	}
	free(v);
	free(out->r);
	out->r = r;
	out->n = m;
	return 0;
}

static struct ur *
port_load(const struct portset *s, size_t extra)
{
	struct ur *v = calloc(s->n + extra + 1, sizeof(*v));

	for (size_t i = 0; v != NULL && i < s->n; i++) {
		v[i].lo.lo = s->r[i].lo;
		v[i].hi.lo = s->r[i].hi;
	}
	return v;
}

static int
port_store(struct portset *out, struct ur *v, size_t n)
{
	struct port_range *r = NULL;
	size_t m = ur_normalise(v, n);

	if (m > 0 && (r = calloc(m, sizeof(*r))) == NULL) {
		free(v);
		return -1;
	}
	for (size_t i = 0; i < m; i++) {
		r[i].lo = (uint16_t)v[i].lo.lo;
		r[i].hi = (uint16_t)v[i].hi.lo;
	}
	free(v);
	free(out->r);
	out->r = r;
	out->n = m;
	return 0;
}

/*
 * The set operations, once for both kinds: K is addr or port, S its set
 * type.  Inputs are loaded first and the output stored last, so 'out'
 * may be one of the inputs.
 */
#define SET_OPS(K, S, MAX)						\
int									\
K##set_union(struct S *out, const struct S *a, const struct S *b)	\
{									\
	struct ur *v = K##_load(a, b->n), *w;				\
									\
	if (v == NULL || (w = K##_load(b, 0)) == NULL) {		\
		free(v);						\
		return -1;						\
	}								\
	memcpy(v + a->n, w, b->n * sizeof(*v));				\
	free(w);							\
	return K##_store(out, v, a->n + b->n);				\
}									\
									\
int									\
K##set_minus(struct S *out, const struct S *a, const struct S *b)	\
{									\
	struct ur *va = K##_load(a, 0), *vb = K##_load(b, 0);		\
	struct ur *v = calloc(a->n + b->n + 1, sizeof(*v));		\
	size_t n;							\
									\
	if (va == NULL || vb == NULL || v == NULL) {			\
		free(va);						\
		free(vb);						\
		free(v);						\
		return -1;						\
	}								\
	n = ur_minus(va, a->n, vb, b->n, v);				\
	free(va);							\
	free(vb);							\
	return K##_store(out, v, n);					\
}									\
									\
int									\
K##set_complement(struct S *out, const struct S *a)			\
{									\
	struct ur *va = K##_load(a, 0);					\
	struct ur *v = calloc(a->n + 1, sizeof(*v));			\
	size_t n;							\
									\
	if (va == NULL || v == NULL) {					\
		free(va);						\
		free(v);						\
		return -1;						\
	}								\
	n = ur_complement(va, a->n, MAX, v);				\
	free(va);							\
	return K##_store(out, v, n);					\
}

#define ADDR_MAX	((struct u128){UINT64_MAX, UINT64_MAX})
#define PORT_MAX	((struct u128){0, 65535})

SET_OPS(addr, addrset, ADDR_MAX)
SET_OPS(port, portset, PORT_MAX)

void
addrset_init_any(struct addrset *s)
{
	/*
	 * An initialiser: 's' is overwritten, not freed.  The set owns its
	 * array like any other, so this allocates; on failure it is left
	 * empty (callers that care test addrset_is_any()).
	 */
	s->r = calloc(1, sizeof(*s->r));
	s->n = 0;
	if (s->r != NULL) {
		memset(&s->r[0].lo, 0x00, sizeof(s->r[0].lo));
		memset(&s->r[0].hi, 0xff, sizeof(s->r[0].hi));
		s->n = 1;
	}
}

void
addrset_free(struct addrset *s)
{
	free(s->r);
	s->r = NULL;
	s->n = 0;
}

int
addrset_add_prefix(struct addrset *s, const struct bw_addr *a, int len128)
{
	struct u128 lo, mask;
	struct ur *v;

	if (len128 < 0 || len128 > 128)
		return -1;
	/* mask of the host bits */
	if (len128 == 0)
		mask = (struct u128){UINT64_MAX, UINT64_MAX};
	else if (len128 < 64)
		mask = (struct u128){UINT64_MAX >> len128, UINT64_MAX};
	else if (len128 == 64)
		mask = (struct u128){0, UINT64_MAX};
	else if (len128 < 128)
		mask = (struct u128){0, UINT64_MAX >> (len128 - 64)};
	else
		mask = (struct u128){0, 0};
	lo = to_u128(a);
	lo.hi &= ~mask.hi;
	lo.lo &= ~mask.lo;
	if ((v = addr_load(s, 1)) == NULL)
		return -1;
	v[s->n].lo = lo;
	v[s->n].hi = (struct u128){lo.hi | mask.hi, lo.lo | mask.lo};
	return addr_store(s, v, s->n + 1);
}

int
addrset_copy(struct addrset *out, const struct addrset *a)
{
	struct ur *v = addr_load(a, 0);

	return v == NULL ? -1 : addr_store(out, v, a->n);
}

/* memcmp order of two addresses, as two 64-bit integers: a libc memcmp
 * call per bisection step was most of the cost of a rule test. */
static int
addr_le(const struct bw_addr *x, const struct bw_addr *y)
{
	uint64_t a0, a1, b0, b1;

	memcpy(&a0, x->a, 8);
	memcpy(&a1, x->a + 8, 8);
	memcpy(&b0, y->a, 8);
	memcpy(&b1, y->a + 8, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	a0 = __builtin_bswap64(a0);
	a1 = __builtin_bswap64(a1);
	b0 = __builtin_bswap64(b0);
	b1 = __builtin_bswap64(b1);
#endif
	return a0 < b0 || (a0 == b0 && a1 <= b1);
}

int
addrset_contains(const struct addrset *s, const struct bw_addr *a)
{
	size_t lo = 0, hi = s->n;

	/* find the last range whose start is <= a */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr_le(&s->r[mid].lo, a))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && addr_le(a, &s->r[lo - 1].hi);
}

int
addrset_is_any(const struct addrset *s)
{
	return s->n == 1 && u_is_zero(to_u128(&s->r[0].lo)) &&
	    u_is_max(to_u128(&s->r[0].hi));
}

void
portset_init_any(struct portset *s)
{
	s->r = calloc(1, sizeof(*s->r));
	s->n = 0;
	if (s->r != NULL) {
		s->r[0].lo = 0;
		s->r[0].hi = 65535;
		s->n = 1;
	}
}

void
portset_free(struct portset *s)
{
	free(s->r);
	s->r = NULL;
	s->n = 0;
}

int
portset_add(struct portset *s, uint16_t lo, uint16_t hi)
{
	struct ur *v;

	if (lo > hi || (v = port_load(s, 1)) == NULL)
		return -1;
	v[s->n].lo.lo = lo;
	v[s->n].hi.lo = hi;
	return port_store(s, v, s->n + 1);
}

int
portset_contains(const struct portset *s, uint16_t port)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->r[mid].lo <= port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && port <= s->r[lo - 1].hi;
}

int
portset_is_any(const struct portset *s)
{
	return s->n == 1 && s->r[0].lo == 0 && s->r[0].hi == 65535;
}
