/*
 * detect-threshold.c - Suricata's threshold keyword (detect-engine-
 * threshold.c), keyed by rule and tracked address(es), on packet time
 * only so that a replay gives the same alerts as the live run.
 *
 * The state lives in a fixed table (8-way set-associative, the least
 * recently used entry overwritten when a set is full): memory is bounded
 * whatever an attacker sprays at the sensor, at the price of forgetting
 * the oldest counters first, which can only let an extra alert through.
 */
#include <stdlib.h>
#include <string.h>

#include "detect-threshold.h"
#include "flow.h"
#include "rules.h"
#include "hash.h"

#define THR_SLOTS	65536	/* entries, a power of two */
#define THR_WAYS	8	/* entries searched per key */

struct thr_entry {
	struct bw_addr	 a, b;		/* tracked address(es) */
	int64_t		 start_ns;	/* window start */
	int64_t		 last_ns;	/* last use, for replacement */
	uint32_t	 rule;		/* rule index + 1; 0 = free */
	uint32_t	 count;
};

struct thr_table {
	struct thr_entry e[THR_SLOTS];
};

struct thr_table *
thr_new(void)
{
	return calloc(1, sizeof(struct thr_table));
}

void
thr_free(struct thr_table *t)
{
	free(t);
}

static uint32_t
thr_hash(uint32_t rule, const struct bw_addr *a, const struct bw_addr *b)
{
	uint32_t h = fnv1a32(fnv1a32(FNV32_INIT ^ rule, a, sizeof(*a)), b,
	    sizeof(*b));

	return h ^ (h >> 16);
}

static struct thr_entry *
thr_set(struct thr_table *t, uint32_t rule, const struct bw_addr *a,
    const struct bw_addr *b)
{
	return &t->e[thr_hash(rule, a, b) & (THR_SLOTS - 1) &
	    ~(uint32_t)(THR_WAYS - 1)];
}

/* The entry of (rule, a, b), or NULL. */
static struct thr_entry *
thr_find(struct thr_entry *set, uint32_t rule, const struct bw_addr *a,
    const struct bw_addr *b)
{
	for (int i = 0; i < THR_WAYS; i++)
		if (set[i].rule == rule &&
		    memcmp(&set[i].a, a, sizeof(*a)) == 0 &&
		    memcmp(&set[i].b, b, sizeof(*b)) == 0)
			return &set[i];
	return NULL;
}

/* A free entry of the set, else the least recently used one. */
static struct thr_entry *
thr_victim(struct thr_entry *set)
{
	struct thr_entry *e = &set[0];

	for (int i = 0; i < THR_WAYS && e->rule != 0; i++)
		if (set[i].rule == 0 || set[i].last_ns < e->last_ns)
			e = &set[i];
	return e;
}

int
thr_check(struct thr_table *t, size_t ridx, const struct threshold *th,
    const struct flow *f, int64_t ts)
{
	struct bw_addr a, b;
	struct thr_entry *e, *set;
	uint32_t rule = (uint32_t)ridx + 1;
	int fresh = 0;

	if (th->type == THR_NONE || t == NULL)
		return 1;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	switch (th->track) {
	case TRACK_BY_SRC:
		a = *flow_src(f);
		break;
	case TRACK_BY_DST:
		a = *flow_dst(f);
		break;
	case TRACK_BY_BOTH:
		/* Suricata's IP pair: the same in either direction */
		a = *flow_src(f);
		b = *flow_dst(f);
		if (memcmp(&a, &b, sizeof(a)) > 0) {
			a = *flow_dst(f);
			b = *flow_src(f);
		}
		break;
	case TRACK_BY_RULE:
		break;
	}
	set = thr_set(t, rule, &a, &b);
	if ((e = thr_find(set, rule, &a, &b)) == NULL) {
		e = thr_victim(set);
		e->rule = rule;
		e->a = a;
		e->b = b;
		fresh = 1;
	}
	/* A new entry or an expired window starts a new window. */
	if (fresh || ts - e->start_ns >= (int64_t)th->seconds * 1000000000) {
		e->start_ns = ts;
		e->count = 1;
	} else if (e->count < UINT32_MAX)
		e->count++;
	e->last_ns = ts;
	switch (th->type) {
	case THR_LIMIT:
		return e->count <= th->count;
	case THR_THRESHOLD:
		if (e->count >= th->count) {
			e->count = 0;
			return 1;
		}
		return 0;
	case THR_BOTH:
		return e->count == th->count;
	case THR_NONE:
		break;
	}
	return 1;
}

/* ---- SIGHUP ----------------------------------------------------------- */

struct sid_idx {
	uint32_t	 sid;
	uint32_t	 idx;
};

static int
sid_cmp(const void *x, const void *y)
{
	const struct sid_idx *a = x, *b = y;

	return a->sid < b->sid ? -1 : a->sid > b->sid;
}

static int
same_threshold(const struct threshold *a, const struct threshold *b)
{
	return a->type == b->type && a->track == b->track &&
	    a->count == b->count && a->seconds == b->seconds;
}

/*
 * Which old rule's counters go to which new rule.  A counter belongs to
 * the rule that (sid, gid, rev) name, as Suricata keys its threshold
 * entries: an edit that bumps rev is a new rule and counts from zero,
 * and so does a rule whose threshold changed (a count kept under "limit
 * 10 per hour" means nothing under "threshold 3 per minute").  Starting
 * over can only let an extra alert through, never hide one; keeping the
 * rest means a reload does not re-open every "limit" window.  sids are
 * unique within a rule set (the parser refuses duplicates).
 *
 * map[i] = new index + 1 for old rule i, 0 when its counters are dropped.
 */
static uint32_t *
thr_map(const struct ruleset *rs, const struct ruleset *old_rs)
{
	struct sid_idx *by_sid, key, *hit;
	uint32_t *map;
	size_t n = 0;

	if ((map = calloc(old_rs->nrules + 1, sizeof(*map))) == NULL)
		return NULL;
	if ((by_sid = calloc(rs->nrules + 1, sizeof(*by_sid))) == NULL) {
		free(map);
		return NULL;
	}
	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].thr.type != THR_NONE) {
			by_sid[n].sid = rs->rules[i].sid;
			by_sid[n++].idx = (uint32_t)i;
		}
	qsort(by_sid, n, sizeof(*by_sid), sid_cmp);
	for (size_t i = 0; i < old_rs->nrules; i++) {
		const struct rule *o = &old_rs->rules[i], *r;

		if (o->thr.type == THR_NONE)
			continue;
		key.sid = o->sid;
		if ((hit = bsearch(&key, by_sid, n, sizeof(*by_sid),
		    sid_cmp)) == NULL)
			continue;
		r = &rs->rules[hit->idx];
		if (r->gid == o->gid && r->rev == o->rev &&
		    same_threshold(&r->thr, &o->thr))
			map[i] = hit->idx + 1;
	}
	free(by_sid);
	return map;
}

/*
 * One pass over the old table: each kept entry is filed again under its
 * new rule number (the set depends on it).  Where a set of the new table
 * is full, the more recently used entry stays, as in thr_check.
 */
size_t
thr_adopt(struct thr_table *t, const struct ruleset *rs,
    const struct thr_table *old, const struct ruleset *old_rs)
{
	uint32_t *map;
	size_t kept = 0;

	if (t == NULL || old == NULL || rs == NULL || old_rs == NULL ||
	    (map = thr_map(rs, old_rs)) == NULL)
		return 0;
	for (size_t i = 0; i < THR_SLOTS; i++) {
		const struct thr_entry *o = &old->e[i];
		struct thr_entry *set, *e;
		uint32_t rule;

		if (o->rule == 0 || o->rule > old_rs->nrules ||
		    (rule = map[o->rule - 1]) == 0)
			continue;
		set = thr_set(t, rule, &o->a, &o->b);
		e = thr_victim(set);
		if (e->rule != 0 && e->last_ns >= o->last_ns)
			continue;
		kept += e->rule == 0;	/* else one kept entry replaces another */
		*e = *o;
		e->rule = rule;
	}
	free(map);
	return kept;
}
