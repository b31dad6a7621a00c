/*
 * learn.c - the allowlist learner (issue 7): flows a BMC started become a
 * short, commented file of pass rules the analyst reviews before use.
 *
 * Aggregation, in this order (every step keeps the rule valid syntax and
 * no wider than what was seen, except where said):
 *  - the source is always the BMC variable: BMCs of one site talk to the
 *    same services, so one rule per service, with the host count as a
 *    comment;
 *  - a flow passed by an existing rule is counted, not learned again
 *    (passed by a learned rule of OUT: that rule's counts grow);
 *  - DNS (port 53) is learned per resolver address, the queried names
 *    dropped: the policy is "BMCs ask this resolver", not one rule per
 *    name asked;
 *  - destination ports >= 32768 seen several times towards one
 *    destination (or name) are ephemeral: they collapse to `32768:`;
 *  - a flow with a name groups by (proto, port, name), whatever the
 *    addresses: an NTP pool or a CDN behind one name becomes one rule
 *    `-> any PORT (host:"NAME")`.  host: rather than tls.sni: because the
 *    learner is not told where the name came from (SNI, Host, query or a
 *    resolved name) and host: matches each of them;
 *  - unnamed IPv4 destinations on one port: four or more in one /24
 *    collapse to the /24, unless one of them raised an alert;
 *  - a group in which any flow raised an alert is never passed: it goes
 *    to the "Not passed" comment block.
 * Names with characters other than letters, digits, '.', '-' and '_' are
 * ignored (treated as no name): they cannot be globs or break quoting.
 *
 * Merging: every group is written with a "# learned: KEY ..." (or
 * "# reported: KEY ...") line whose KEY is the rule itself (proto, port,
 * destination kind and value).  The next run parses those lines only,
 * adds its counts to the same KEY, keeps the sid and whether the analyst
 * commented the rule out, and gives new groups the next free sids.  What
 * follows the "end of learned rules" line is the analyst's and is copied
 * unchanged.  Output is sorted, and holds no wall-clock time, so the
 * same input writes the same bytes.
 *
 * This file observes flows and drives a write; learn-group.c does the
 * aggregation above and learn-file.c reads and writes OUT.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "beacon.h"
#include "decode.h"
#include "learn.h"
#include "learn-int.h"
#include "hash.h"

/* ---- observing ---------------------------------------------------- */

struct learn *
learn_new(size_t max_tuples)
{
	struct learn *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	if ((l->bt = beacon_table_new(LEARN_SERIES)) == NULL) {
		free(l);
		return NULL;
	}
	l->max = max_tuples ? max_tuples : 1;
	l->sid_lo = 900000;
	l->sid_hi = 999999;
	return l;
}

static void
tuples_free(struct learn *l)
{
	for (size_t i = 0; i < l->nt; i++) {
		free(l->t[i]->name);
		free(l->t[i]->src);
		free(l->t[i]);
	}
	free(l->t);
	free(l->hash);
	l->t = NULL;
	l->hash = NULL;
	l->nt = l->hcap = 0;
}

void
learn_reset(struct learn *l)
{
	tuples_free(l);
	l->flows = l->dropped = l->passed_flows = l->passed_bytes = 0;
}

void
learn_free(struct learn *l)
{
	if (l == NULL)
		return;
	tuples_free(l);
	for (size_t i = 0; i < l->ncap; i++)
		free(l->cap[i]);
	free(l->cap);
	free(l->alert);
	beacon_table_free(l->bt);
	free(l);
}

int
learn_set_sid_range(struct learn *l, uint32_t lo, uint32_t hi)
{
	if (lo == 0 || hi < lo) {
		errno = EINVAL;
		return -1;
	}
	l->sid_lo = lo;
	l->sid_hi = hi;
	return 0;
}

int
learn_note_capture(struct learn *l, const char *path)
{
	char **n;

	for (size_t i = 0; i < l->ncap; i++)
		if (strcmp(l->cap[i], path) == 0)
			return 0;
	if (l->ncap >= MAX_CAPTURES || strchr(path, '\n') != NULL)
		return 0;
	if ((n = realloc(l->cap, (l->ncap + 1) * sizeof(*n))) == NULL)
		return -1;
	l->cap = n;
	if ((l->cap[l->ncap] = strdup(path)) == NULL)
		return -1;
	l->ncap++;
	return 0;
}

uint64_t
learn_flows(const struct learn *l)
{
	return l->flows;
}

uint64_t
learn_dropped(const struct learn *l)
{
	return l->dropped;
}

/* A name usable in host:"..." as an exact (glob-free) match, lower-cased. */
int
lw_name_ok(const char *s, char *out)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_') || n >= MAX_NAME)
			return 0;
		out[n++] = c;
	}
	out[n] = '\0';
	return n > 0;
}

static uint64_t
tuple_hash(const struct bw_addr *dst, uint8_t proto, uint16_t dport,
    const char *name, uint32_t psid)
{
	uint64_t h = FNV64_INIT;

	h = fnv1a64(h, dst->a, sizeof(dst->a));
	h = fnv1a64(h, &proto, 1);
	h = fnv1a64(h, &dport, 2);
	h = fnv1a64(h, &psid, 4);
	return fnv1a64(h, name, strlen(name));
}

static int
tuple_is(const struct tuple *t, const struct bw_addr *dst, uint8_t proto,
    uint16_t dport, const char *name, uint32_t psid)
{
	return t->proto == proto && t->dport == dport && t->passed_sid == psid &&
	    memcmp(t->dst.a, dst->a, sizeof(dst->a)) == 0 &&
	    strcmp(t->name ? t->name : "", name) == 0;
}

static int
hash_grow(struct learn *l)
{
	size_t cap = l->hcap ? l->hcap * 2 : 64;
	size_t *h = calloc(cap, sizeof(*h));

	if (h == NULL)
		return -1;
	for (size_t i = 0; i < l->nt; i++) {
		struct tuple *t = l->t[i];
		size_t j = tuple_hash(&t->dst, t->proto, t->dport,
		    t->name ? t->name : "", t->passed_sid) & (cap - 1);

		while (h[j] != 0)
			j = (j + 1) & (cap - 1);
		h[j] = i + 1;
	}
	free(l->hash);
	l->hash = h;
	l->hcap = cap;
	return 0;
}

static struct tuple *
tuple_get(struct learn *l, const struct bw_addr *dst, uint8_t proto,
    uint16_t dport, const char *name, uint32_t psid)
{
	struct tuple *t, **nt;
	size_t j;

	if (l->hcap == 0 || (l->nt + 1) * 2 > l->hcap)
		if (hash_grow(l) < 0)
			return NULL;
	j = tuple_hash(dst, proto, dport, name, psid) & (l->hcap - 1);
	for (; l->hash[j] != 0; j = (j + 1) & (l->hcap - 1))
		if (tuple_is(l->t[l->hash[j] - 1], dst, proto, dport, name,
		    psid))
			return l->t[l->hash[j] - 1];
	if (l->nt >= l->max)
		return NULL;
	if ((nt = realloc(l->t, (l->nt + 1) * sizeof(*nt))) == NULL)
		return NULL;
	l->t = nt;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if (name[0] != '\0' && (t->name = strdup(name)) == NULL) {
		free(t);
		return NULL;
	}
	t->dst = *dst;
	t->proto = proto;
	t->dport = dport;
	t->passed_sid = psid;
	l->t[l->nt++] = t;
	l->hash[j] = l->nt;
	return t;
}

static int
src_grow(struct tuple *t)
{
	size_t cap = t->srccap ? t->srccap * 2 : 2;
	struct bw_addr *s;

	if (cap > MAX_SRC)
		cap = MAX_SRC;
	if ((s = realloc(t->src, cap * sizeof(*s))) == NULL)
		return -1;
	t->src = s;
	t->srccap = cap;
	return 0;
}

void
learn_observe(struct learn *l, const struct bw_addr *src,
    const struct bw_addr *dst, uint8_t proto, uint16_t dport,
    const char *name, int alerted, uint32_t passed_sid, int64_t ts_ns,
    uint64_t bytes)
{
	char nm[MAX_NAME + 1] = "";
	struct tuple *t;
	size_t i;

	l->flows++;
	if (passed_sid != 0 && (passed_sid < l->sid_lo ||
	    passed_sid > l->sid_hi)) {
		l->passed_flows++;
		l->passed_bytes += bytes;
		return;
	}
	if (proto != 6 && proto != 17)
		dport = 0;
	else if (dport == 53)
		name = NULL;		/* DNS: learned per resolver */
	if (name == NULL || !lw_name_ok(name, nm))
		nm[0] = '\0';
	lw_series_event(l, src, dst, proto, dport, ts_ns, bytes);
	if ((t = tuple_get(l, dst, proto, dport, nm, passed_sid)) == NULL) {
		l->dropped++;
		return;
	}
	if (t->flows == 0 || ts_ns < t->first)
		t->first = ts_ns;
	if (t->flows == 0 || ts_ns > t->last)
		t->last = ts_ns;
	t->flows++;
	t->bytes += bytes;
	t->alerted |= alerted != 0;
	for (i = 0; i < t->nsrc; i++)
		if (memcmp(t->src[i].a, src->a, sizeof(src->a)) == 0)
			break;
	if (i == t->nsrc) {
		if (t->nsrc == MAX_SRC) {
			t->src_more = 1;
			return;
		}
		if (t->nsrc == t->srccap && src_grow(t) < 0) {
			t->src_more = 1;
			return;
		}
		t->src[t->nsrc++] = *src;
	}
}

/* ---- OUT: the run's result --------------------------------------- */

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int
assign_sids(const struct learn *l, struct recs *rs, char *err, size_t errlen)
{
	uint32_t next = l->sid_lo;

	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].sid >= next)
			next = rs->r[i].sid + 1;
	for (size_t i = 0; i < rs->n; i++) {
		struct rec *r = &rs->r[i];

		if (r->reported || r->sid != 0)
			continue;
		if (next > l->sid_hi || next == 0) {
			lw_set_err(err, errlen, "the learned sid range %" PRIu32
			    "-%" PRIu32 " is full", l->sid_lo, l->sid_hi);
			errno = ENOSPC;
			return -1;
		}
		r->sid = next++;
	}
	return 0;
}

int
learn_write(struct learn *l, const char *out_path, const char *bmc_var,
    char *err, size_t errlen)
{
	struct prior p;
	char *tmp = NULL;
	FILE *f = NULL;
	int rc = -1, e;
	uint64_t pf = l->passed_flows, pb = l->passed_bytes;
	size_t n0;

	memset(&p, 0, sizeof(p));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (bmc_var == NULL || bmc_var[0] != '$') {
		lw_set_err(err, errlen, "the source must be a variable, like $BMC");
		errno = EINVAL;
		return -1;
	}
	if (l->alert_lost) {
		lw_set_err(err, errlen, "more beacon alerts than the learner "
		    "keeps: the learning policy's beacon rules are too broad; "
		    "not writing rules that could pass a beacon");
		errno = ENOSPC;
		return -1;
	}
	if (lw_prior_read(out_path, &p, l, err, errlen) < 0)
		goto out;
	n0 = p.recs.n;
	/* new sids go to new rules in key order: sort what this run adds */
	if (lw_group(l, &p.recs) < 0)
		goto fail_errno;
	lw_sort(p.recs.r + n0, p.recs.n - n0, sizeof(struct rec), lw_cmp_rec);
	if (assign_sids(l, &p.recs, err, errlen) < 0)
		goto out;
	lw_sort(p.recs.r, p.recs.n, sizeof(struct rec), lw_cmp_rec);
	p.passed_flows += l->passed_flows;
	p.passed_bytes += l->passed_bytes;
	p.dropped += l->dropped;
	for (size_t i = 0; i < l->ncap; i++) {
		size_t j;
		char **n;

		for (j = 0; j < p.ncap && strcmp(p.cap[j], l->cap[i]) != 0; j++)
			;
		if (j < p.ncap || p.ncap >= MAX_CAPTURES)
			continue;
		if ((n = realloc(p.cap, (p.ncap + 1) * sizeof(*n))) == NULL ||
		    (p.cap = n, (n[p.ncap] = strdup(l->cap[i])) == NULL))
			goto fail_errno;
		p.ncap++;
	}
	lw_sort(p.cap, p.ncap, sizeof(*p.cap), cmp_str);
	if (asprintf(&tmp, "%s.tmp", out_path) < 0) {
		tmp = NULL;
		goto fail_errno;
	}
	if ((f = fopen(tmp, "w")) == NULL)
		goto fail_errno;
	if (lw_write_file(f, l, &p, bmc_var) < 0 || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0)
		goto fail_errno;
	if (fclose(f) != 0) {
		f = NULL;
		goto fail_errno;
	}
	f = NULL;
	if (rename(tmp, out_path) != 0)
		goto fail_errno;
	rc = 0;
	goto out;
fail_errno:
	lw_set_err(err, errlen, "%s: %s", out_path, strerror(errno));
out:
	e = errno;
	if (f != NULL) {
		fclose(f);
		unlink(tmp);
	} else if (rc < 0 && tmp != NULL)
		unlink(tmp);
	free(tmp);
	lw_prior_free(&p);
	/* lw_group() moved passed tuples into the counters: undo, so a
	   second learn_write of the same learner writes the same file */
	l->passed_flows = pf;
	l->passed_bytes = pb;
	errno = e;
	return rc;
}
