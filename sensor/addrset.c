/*
 * addrset.c - address and port sets as sorted, disjoint, non-adjacent
 * inclusive ranges.
 *
 * Rule headers are compiled once and tested for every flow, so the cost
 * is put on the compile side: every operation produces a normalised range
 * array (sorted by start, overlapping and touching ranges merged), and a
 * lookup is then a single binary search.  Addresses are 128-bit (IPv4 is
 * v4-mapped), handled as two 64-bit halves so that "+1"/"-1" at range
 * borders are plain integer arithmetic.  Ports use the same algorithms on
 * 32-bit integers.
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

/* Working form of a range: the arithmetic view of struct addr_range. */
struct ur { struct u128 lo, hi; };

static int
ur_cmp(const void *x, const void *y)
{
	return u_cmp(((const struct ur *)x)->lo, ((const struct ur *)y)->lo);
}

/*
 * Sort and merge v[0..n) in place, then store it as out's new contents.
 * Takes ownership of v.
 */
static int
addr_finish(struct addrset *out, struct ur *v, size_t n)
{
	struct addr_range *r = NULL;
	size_t m = 0;

	if (n > 0) {
		qsort(v, n, sizeof(*v), ur_cmp);
		for (size_t i = 1; i < n; i++) {
			/* merge when v[i] overlaps or touches v[m] */
			if (u_is_max(v[m].hi) ||
			    u_cmp(v[i].lo, u_inc(v[m].hi)) <= 0) {
				if (u_cmp(v[i].hi, v[m].hi) > 0)
					v[m].hi = v[i].hi;
			} else
				v[++m] = v[i];
		}
		m++;
		if ((r = calloc(m, sizeof(*r))) == NULL) {
			free(v);
			return -1;
		}
		for (size_t i = 0; i < m; i++) {
			r[i].lo = from_u128(v[i].lo);
			r[i].hi = from_u128(v[i].hi);
		}
	}
	free(v);
	free(out->r);
	out->r = r;
	out->n = m;
	return 0;
}

static struct ur *
addr_load(const struct addrset *s, size_t extra, size_t *n)
{
	struct ur *v;

	*n = s->n;
	if ((v = calloc(s->n + extra + 1, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		v[i].lo = to_u128(&s->r[i].lo);
		v[i].hi = to_u128(&s->r[i].hi);
	}
	return v;
}

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
	struct u128 lo, hi, mask;
	struct ur *v;
	size_t n;

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
	hi.hi = lo.hi | mask.hi;
	hi.lo = lo.lo | mask.lo;

	if ((v = addr_load(s, 1, &n)) == NULL)
		return -1;
	v[n].lo = lo;
	v[n].hi = hi;
	return addr_finish(s, v, n + 1);
}

int
addrset_union(struct addrset *out, const struct addrset *a,
    const struct addrset *b)
{
	struct ur *v;
	size_t n;

	if ((v = addr_load(a, b->n, &n)) == NULL)
		return -1;
	for (size_t i = 0; i < b->n; i++, n++) {
		v[n].lo = to_u128(&b->r[i].lo);
		v[n].hi = to_u128(&b->r[i].hi);
	}
	return addr_finish(out, v, n);
}

int
addrset_minus(struct addrset *out, const struct addrset *a,
    const struct addrset *b)
{
	struct ur *v;
	size_t n = 0, j = 0;

	/* Each range of b can split at most one range of a in two. */
	if ((v = calloc(a->n + b->n + 1, sizeof(*v))) == NULL)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		struct u128 lo = to_u128(&a->r[i].lo);
		struct u128 hi = to_u128(&a->r[i].hi);
		int alive = 1;

		/* skip b ranges wholly below this one (they are sorted) */
		while (j < b->n && u_cmp(to_u128(&b->r[j].hi), lo) < 0)
			j++;
		for (size_t k = j; k < b->n && alive; k++) {
			struct u128 blo = to_u128(&b->r[k].lo);
			struct u128 bhi = to_u128(&b->r[k].hi);

			if (u_cmp(blo, hi) > 0)
				break;
			if (u_cmp(blo, lo) > 0) {
				v[n].lo = lo;
				v[n].hi = u_dec(blo);
				n++;
			}
			if (u_cmp(bhi, hi) >= 0)
				alive = 0;
			else
				lo = u_inc(bhi);
		}
		if (alive) {
			v[n].lo = lo;
			v[n].hi = hi;
			n++;
		}
	}
	return addr_finish(out, v, n);
}

int
addrset_complement(struct addrset *out, const struct addrset *a)
{
	struct ur *v;
	struct u128 next = {0, 0};
	size_t n = 0;
	int done = 0;

	if ((v = calloc(a->n + 1, sizeof(*v))) == NULL)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		struct u128 lo = to_u128(&a->r[i].lo);
		struct u128 hi = to_u128(&a->r[i].hi);

		if (u_cmp(lo, next) > 0) {
			v[n].lo = next;
			v[n].hi = u_dec(lo);
			n++;
		}
		if (u_is_max(hi)) {
			done = 1;
			break;
		}
		next = u_inc(hi);
	}
	if (!done) {
		v[n].lo = next;
		v[n].hi = (struct u128){UINT64_MAX, UINT64_MAX};
		n++;
	}
	return addr_finish(out, v, n);
}

int
addrset_copy(struct addrset *out, const struct addrset *a)
{
	struct ur *v;
	size_t n;

	if ((v = addr_load(a, 0, &n)) == NULL)
		return -1;
	return addr_finish(out, v, n);
}

int
addrset_contains(const struct addrset *s, const struct bw_addr *a)
{
	size_t lo = 0, hi = s->n;

	/* find the last range whose start is <= a */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(&s->r[mid].lo, a, sizeof(*a)) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && memcmp(a, &s->r[lo - 1].hi, sizeof(*a)) <= 0;
}

int
addrset_is_any(const struct addrset *s)
{
	return s->n == 1 && u_is_zero(to_u128(&s->r[0].lo)) &&
	    u_is_max(to_u128(&s->r[0].hi));
}

/* Ports: the same algorithms on integers that cannot overflow. */

struct pr { uint32_t lo, hi; };

static int
pr_cmp(const void *x, const void *y)
{
	uint32_t a = ((const struct pr *)x)->lo, b = ((const struct pr *)y)->lo;

	return a < b ? -1 : a > b;
}

static int
port_finish(struct portset *out, struct pr *v, size_t n)
{
	struct port_range *r = NULL;
	size_t m = 0;

	if (n > 0) {
		qsort(v, n, sizeof(*v), pr_cmp);
		for (size_t i = 1; i < n; i++) {
			if (v[i].lo <= v[m].hi + 1) {
				if (v[i].hi > v[m].hi)
					v[m].hi = v[i].hi;
			} else
				v[++m] = v[i];
		}
		m++;
		if ((r = calloc(m, sizeof(*r))) == NULL) {
			free(v);
			return -1;
		}
		for (size_t i = 0; i < m; i++) {
			r[i].lo = (uint16_t)v[i].lo;
			r[i].hi = (uint16_t)v[i].hi;
		}
	}
	free(v);
	free(out->r);
	out->r = r;
	out->n = m;
	return 0;
}

static struct pr *
port_load(const struct portset *s, size_t extra, size_t *n)
{
	struct pr *v;

	*n = s->n;
	if ((v = calloc(s->n + extra + 1, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		v[i].lo = s->r[i].lo;
		v[i].hi = s->r[i].hi;
	}
	return v;
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
	struct pr *v;
	size_t n;

	if (lo > hi)
		return -1;
	if ((v = port_load(s, 1, &n)) == NULL)
		return -1;
	v[n].lo = lo;
	v[n].hi = hi;
	return port_finish(s, v, n + 1);
}

int
portset_union(struct portset *out, const struct portset *a,
    const struct portset *b)
{
	struct pr *v;
	size_t n;

	if ((v = port_load(a, b->n, &n)) == NULL)
		return -1;
	for (size_t i = 0; i < b->n; i++, n++) {
		v[n].lo = b->r[i].lo;
		v[n].hi = b->r[i].hi;
	}
	return port_finish(out, v, n);
}

int
portset_minus(struct portset *out, const struct portset *a,
    const struct portset *b)
{
	struct pr *v;
	size_t n = 0, j = 0;

	if ((v = calloc(a->n + b->n + 1, sizeof(*v))) == NULL)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		uint32_t lo = a->r[i].lo, hi = a->r[i].hi;
		int alive = 1;

		while (j < b->n && b->r[j].hi < lo)
			j++;
		for (size_t k = j; k < b->n && alive; k++) {
			if (b->r[k].lo > hi)
				break;
			if (b->r[k].lo > lo) {
				v[n].lo = lo;
				v[n].hi = b->r[k].lo - 1u;
				n++;
			}
			if (b->r[k].hi >= hi)
				alive = 0;
			else
				lo = b->r[k].hi + 1u;
		}
		if (alive) {
			v[n].lo = lo;
			v[n].hi = hi;
			n++;
		}
	}
	return port_finish(out, v, n);
}

int
portset_complement(struct portset *out, const struct portset *a)
{
	struct pr *v;
	uint32_t next = 0;
	size_t n = 0;

	if ((v = calloc(a->n + 1, sizeof(*v))) == NULL)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		if (a->r[i].lo > next) {
			v[n].lo = next;
			v[n].hi = a->r[i].lo - 1u;
			n++;
		}
		next = a->r[i].hi + 1u;
	}
	if (next <= 65535) {
		v[n].lo = next;
		v[n].hi = 65535;
		n++;
	}
	return port_finish(out, v, n);
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
