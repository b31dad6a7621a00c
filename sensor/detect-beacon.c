/*
 * detect-beacon.c - the bounded table of event series the beacon detector
 * scores, and the zone helper for name keys.
 *
 * Why it is built this way:
 *  - Memory is fixed per series and bounded per table: a series is a ring
 *    of the last BEACON_RING events as 32-bit millisecond offsets from a
 *    per-series base plus 16-bit sizes (440 bytes with its header), all
 *    from one calloc'd pool sized at creation, so a flood of keys costs
 *    evictions, never memory, and no event calls malloc.
 *  - A series is found by a 64-bit hash of the caller's key (chained hash,
 *    power-of-two buckets).  The key itself is not stored: keys are up to
 *    a few hundred bytes (a DNS zone) and the caller has it at hand when
 *    it alerts.  Only a sensor with a state directory keeps keys, in a
 *    separate array (beacon_table_keep_keys), to save series by key.  Two keys merge only on a 64-bit collision: about one in
 *    3*10^7 at a million series.
 *  - Eviction picks the least useful series in O(1): one whose newest
 *    event left the window, else the least recently seen of the "young"
 *    series (fewer than MATURE events: one-off connections), else the
 *    least recently seen of all.  Random one-off traffic therefore churns
 *    only young series and cannot push a slow beacon out of the table.
 *  - Scoring is the pure beacon_score_sorted() on the ring, done only when
 *    an alert could follow (enough events, not in the re-alert quiet
 *    time), so the cost per event is flat in the number of series.  A
 *    series rescored at every event would give random traffic one more
 *    chance each time: the evidence needed grows by SPEND * ln(1 +
 *    scorings / 8) nats, and past half a ring only every 4th event is
 *    scored.  A beacon's evidence grows linearly; this costs it a few
 *    events of delay.
 *  - Time is packet time.  A timestamp a little older than the series'
 *    newest (reordering across interfaces) is kept and sorted at scoring;
 *    one older by more than the window (a replay of an older capture)
 *    restarts the series instead of mixing two timelines.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"

#define NS		1000000000LL
#define MS		1000000LL
#define MATURE		4	/* events before a series counts as mature */
#define MAX_SPAN_MS	(20LL * 86400 * 1000)	/* usable window: 20 days */
#define NEVER		INT64_MIN
#define SPEND		1.0	/* nats per e-fold of rescoring (score_series) */

enum { L_YOUNG, L_MATURE, L_MAX };

struct series {
	uint64_t	 hash;
	int64_t		 base_ns;	/* time of offset 0 */
	int64_t		 last_ns;	/* newest event */
	int64_t		 alert_ns;	/* last alert, NEVER if none */
	uint32_t	 total;		/* events ever added (saturating) */
	uint32_t	 hnext;		/* hash chain, index + 1 */
	uint32_t	 lprev, lnext;	/* LRU list, index + 1 */
	uint8_t		 head, count;	/* ring write position and fill */
	uint8_t		 list, used;	/* used: USED, | DIRTY once changed */
	uint16_t	 scored;	/* scorings since the series began */
	uint8_t		 since;		/* events since the last scoring */
	uint8_t		 keylen;	/* bytes in keys[] (kept keys only) */
	uint32_t	 t_ms[BEACON_RING];	/* ms after base_ns */
	uint16_t	 size[BEACON_RING];	/* bytes, 65535 = more */
};

struct lru { uint32_t head, tail; };

#define USED		0x01
#define DIRTY		0x02	/* changed since beacon_table_clean() */

struct beacon_table {
	struct series	*pool;
	uint8_t		(*keys)[BEACON_KEYMAX];	/* per series, when kept */
	size_t		 max, next_unused;
	uint32_t	*bucket;
	uint64_t	 mask;
	struct lru	 lists[L_MAX];
	struct beacon_table_stats st;
};

/* murmur3's finaliser: every input bit reaches every output bit */
static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t
hash_key(const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;

	while (len >= 8) {
		memcpy(&w, p, 8);
		h = mix64(h ^ w) + 0x9e3779b97f4a7c15ULL;
		p += 8;
		len -= 8;
	}
	w = 0;
	memcpy(&w, p, len);
	return mix64(h ^ w ^ ((uint64_t)len << 59));
}

struct beacon_table *
beacon_table_new(size_t max_series)
{
	struct beacon_table *t;
	size_t nb = 1;

	if (max_series == 0 || max_series >= UINT32_MAX)
		return NULL;
	while (nb < max_series)
		nb <<= 1;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->pool = calloc(max_series, sizeof(*t->pool));
	t->bucket = calloc(nb, sizeof(*t->bucket));
	if (t->pool == NULL || t->bucket == NULL) {
		beacon_table_free(t);
		return NULL;
	}
	t->max = max_series;
	t->mask = nb - 1;
	t->st.max_series = max_series;
	t->st.series_bytes = sizeof(struct series);
	t->st.bytes = sizeof(*t) + max_series * sizeof(struct series) +
	    nb * sizeof(uint32_t);
	return t;
}

void
beacon_table_free(struct beacon_table *t)
{
	if (t == NULL)
		return;
	free(t->pool);
	free(t->bucket);
	free(t->keys);
	free(t);
}

static struct series *
at(struct beacon_table *t, uint32_t ref)
{
	return ref ? &t->pool[ref - 1] : NULL;
}

static uint32_t
ref_of(struct beacon_table *t, struct series *s)
{
	return (uint32_t)(s - t->pool) + 1;
}

static void
lru_unlink(struct beacon_table *t, struct series *s)
{
	struct lru *l = &t->lists[s->list];

	if (s->lprev)
		at(t, s->lprev)->lnext = s->lnext;
	else
		l->head = s->lnext;
	if (s->lnext)
		at(t, s->lnext)->lprev = s->lprev;
	else
		l->tail = s->lprev;
	s->lprev = s->lnext = 0;
}

static void
lru_append(struct beacon_table *t, struct series *s, int list)
{
	struct lru *l = &t->lists[list];
	uint32_t r = ref_of(t, s);

	s->list = (uint8_t)list;
	s->lprev = l->tail;
	s->lnext = 0;
	if (l->tail)
		at(t, l->tail)->lnext = r;
	else
		l->head = r;
	l->tail = r;
}

static struct series *
find(struct beacon_table *t, uint64_t h)
{
	struct series *s;

	for (s = at(t, t->bucket[h & t->mask]); s != NULL; s = at(t, s->hnext))
		if (s->hash == h)
			return s;
	return NULL;
}

static void
unhash(struct beacon_table *t, struct series *s)
{
	uint32_t *pp = &t->bucket[s->hash & t->mask], r = ref_of(t, s);

	while (*pp != r)
		pp = &at(t, *pp)->hnext;
	*pp = s->hnext;
}

/* The least useful series, removed from the hash and its list. */
static struct series *
evict(struct beacon_table *t, int64_t now, int64_t window_ns)
{
	struct series *m = at(t, t->lists[L_MATURE].head);
	struct series *y = at(t, t->lists[L_YOUNG].head), *s;

	if (m != NULL && now - m->last_ns > window_ns)
		s = m;				/* out of the window: useless */
	else if (y != NULL)
		s = y;
	else
		s = m;
	lru_unlink(t, s);
	unhash(t, s);
	t->st.evictions++;
	t->st.series--;
	return s;
}

static void
series_reset(struct series *s, int64_t ts)
{
	s->base_ns = ts;
	s->last_ns = ts;
	s->alert_ns = NEVER;
	s->head = s->count = 0;
	s->scored = 0;
	s->since = 0;
}

static struct series *
get(struct beacon_table *t, uint64_t h, int64_t ts, int64_t window_ns)
{
	struct series *s = find(t, h);

	if (s != NULL)
		return s;
	if (t->next_unused < t->max)
		s = &t->pool[t->next_unused++];
	else
		s = evict(t, ts, window_ns);
	memset(s, 0, sizeof(*s));
	s->hash = h;
	s->used = USED;
	series_reset(s, ts);
	s->hnext = t->bucket[h & t->mask];
	t->bucket[h & t->mask] = ref_of(t, s);
	lru_append(t, s, L_YOUNG);
	t->st.series++;
	return s;
}

/* Move the base so that ts fits, dropping events that no longer can. */
static void
rebase(struct series *s, int64_t base)
{
	int64_t shift = (base - s->base_ns) / MS;
	uint8_t n = 0, i;

	for (i = 0; i < s->count; i++) {
		uint8_t k = (uint8_t)((s->head + BEACON_RING - s->count + i) %
		    BEACON_RING);
		int64_t v = (int64_t)s->t_ms[k] - shift;
		if (v < 0 || v > UINT32_MAX)
			continue;
		s->t_ms[n] = (uint32_t)v;
		s->size[n] = s->size[k];
		n++;
	}
	s->base_ns += shift * MS;
	s->count = n;
	s->head = (uint8_t)(n % BEACON_RING);
}

static void
add_event(struct beacon_table *t, struct series *s, int64_t ts,
    uint32_t size, int64_t window_ns)
{
	int64_t off;
	uint8_t prev;

	if (s->total < UINT32_MAX)
		s->total++;
	if (s->count > 0 && ts < s->last_ns - window_ns) {
		series_reset(s, ts);	/* clock went back: a new timeline */
		t->st.resets++;
	}
	if (ts < s->base_ns)
		rebase(s, ts);
	else if ((ts - s->base_ns) / MS > MAX_SPAN_MS)
		rebase(s, ts - window_ns);
	off = (ts - s->base_ns) / MS;
	prev = (uint8_t)((s->head + BEACON_RING - 1) % BEACON_RING);
	if (ts > s->last_ns)
		s->last_ns = ts;
	/* the same millisecond as the newest event is one event (A and AAAA
	 * queries, retransmitted SYNs): it must not take two ring slots */
	if (s->count == 0 || s->t_ms[prev] != (uint32_t)off) {
		s->t_ms[s->head] = (uint32_t)off;
		s->size[s->head] = size > 65535 ? 65535 : (uint16_t)size;
		s->head = (uint8_t)((s->head + 1) % BEACON_RING);
		if (s->count < BEACON_RING)
			s->count++;
	}
	s->used |= DIRTY;
	lru_unlink(t, s);
	lru_append(t, s, s->count >= MATURE ? L_MATURE : s->list);
}

/* Score the ring: events within the window of the newest, sorted. */
static int
score_series(struct beacon_table *t, struct series *s,
    const struct beacon_params *p, struct beacon_result *out)
{
	struct { uint32_t t; uint16_t z; } e[BEACON_RING], x;
	double ts[BEACON_RING];
	uint32_t sz[BEACON_RING], newest = 0, lo;
	size_t n = 0, m = 0;
	int rc;

	for (uint8_t i = 0; i < s->count; i++) {
		e[n].t = s->t_ms[i];
		e[n].z = s->size[i];
		if (e[n].t > newest)
			newest = e[n].t;
		n++;
	}
	/* the ring is in arrival order, so nearly sorted: insertion sort */
	for (size_t i = 1; i < n; i++) {
		size_t j = i;
		x = e[i];
		while (j > 0 && e[j - 1].t > x.t) {
			e[j] = e[j - 1];
			j--;
		}
		e[j] = x;
	}
	lo = p->window_ns > 0 && newest > p->window_ns / MS ?
	    newest - (uint32_t)(p->window_ns / MS) : 0;
	for (size_t i = 0; i < n; i++) {
		if (e[i].t < lo || (m > 0 && e[i].t == e[i - 1].t))
			continue;
		ts[m] = (e[i].t - e[0].t) / 1000.0;
		sz[m++] = e[i].z;
	}
	t->st.scored++;
	s->since = 0;
	rc = beacon_score_sorted(ts, sz, m, SPEND * log1p(s->scored / 8.0), p,
	    out);
	if (s->scored < UINT16_MAX)
		s->scored++;
	out->total = s->total;
	return rc;
}

int
beacon_observe(struct beacon_table *t, const void *key, size_t keylen,
    int64_t ts_ns, uint32_t size, const struct beacon_params *p,
    struct beacon_result *out)
{
	int64_t window = p->window_ns > 0 && p->window_ns / MS < MAX_SPAN_MS ?
	    p->window_ns : MAX_SPAN_MS * MS;
	struct beacon_params q = *p;
	struct beacon_result r;
	struct series *s;

	/* the ring holds BEACON_RING events: a larger minimum means that */
	if (q.min_events > BEACON_RING)
		q.min_events = BEACON_RING;
	if (q.min_events < 3)
		q.min_events = 3;
	/* no capture is near the ends of int64: clamping keeps every
	 * difference below in range */
	if (ts_ns > INT64_MAX / 2)
		ts_ns = INT64_MAX / 2;
	if (ts_ns < INT64_MIN / 2)
		ts_ns = INT64_MIN / 2;
	t->st.events++;
	s = get(t, hash_key(key, keylen), ts_ns, window);
	if (t->keys != NULL && s->keylen == 0 && keylen <= BEACON_KEYMAX) {
		memcpy(t->keys[s - t->pool], key, keylen);
		s->keylen = (uint8_t)keylen;
	}
	add_event(t, s, ts_ns, size, window);
	if (s->since < UINT8_MAX)
		s->since++;
	if (s->count < q.min_events)
		return 0;
	if (s->alert_ns != NEVER && ts_ns - s->alert_ns < q.realert_ns)
		return 0;
	/* past half a ring one event changes little: score every 4th */
	if (s->count > BEACON_RING / 2 && s->since < 4)
		return 0;
	if (score_series(t, s, &q, &r) != 1)
		return 0;
	s->alert_ns = ts_ns;
	s->used |= DIRTY;
	t->st.alerts++;
	*out = r;
	return 1;
}

int
beacon_lookup(struct beacon_table *t, const void *key, size_t keylen,
    const struct beacon_params *p, struct beacon_result *out)
{
	struct series *s = find(t, hash_key(key, keylen));

	if (s == NULL)
		return 0;
	score_series(t, s, p, out);
	return 1;
}

size_t
beacon_times(struct beacon_table *t, const void *key, size_t keylen,
    int64_t *out_ns, size_t max)
{
	struct series *s = find(t, hash_key(key, keylen));
	size_t n;

	if (s == NULL)
		return 0;
	n = s->count < max ? s->count : max;
	/* the newest n events of the ring, oldest first; head is where
	 * the next event will be written */
	for (size_t i = 0; i < n; i++) {
		size_t idx = (s->head + BEACON_RING - n + i) % BEACON_RING;
		out_ns[i] = s->base_ns + (int64_t)s->t_ms[idx] * MS;
	}
	return n;
}

void
beacon_table_stats(const struct beacon_table *t, struct beacon_table_stats *s)
{
	*s = t->st;
}

/* ---- saving and restoring series (state.c) --------------------------- */

int
beacon_table_keep_keys(struct beacon_table *t)
{
	if (t->keys == NULL &&
	    (t->keys = calloc(t->max, sizeof(*t->keys))) == NULL)
		return -1;
	return 0;
}

static void
saved_of(struct beacon_table *t, struct series *s, struct beacon_saved *o)
{
	size_t n = s->count;

	o->key = t->keys[s - t->pool];
	o->keylen = s->keylen;
	o->alert_ns = s->alert_ns;
	o->total = s->total;
	o->scored = s->scored;
	o->n = n;
	for (size_t i = 0; i < n; i++) {
		size_t k = (s->head + BEACON_RING - n + i) % BEACON_RING;
		o->t_ns[i] = s->base_ns + (int64_t)s->t_ms[k] * MS;
		o->size[i] = s->size[k];
	}
}

long
beacon_table_each(struct beacon_table *t, int all,
    int (*fn)(void *arg, const struct beacon_saved *s), void *arg)
{
	struct beacon_saved o;
	long n = 0;

	if (t->keys == NULL)
		return 0;
	for (size_t i = 0; i < t->next_unused; i++) {
		struct series *s = &t->pool[i];
		/* an evicted series' slot is reused at once, so every slot
		 * below next_unused is a live series */
		if (s->keylen == 0 || s->count == 0 ||
		    (!all && !(s->used & DIRTY)))
			continue;
		saved_of(t, s, &o);
		if (fn(arg, &o) == -1)
			return -1;
		n++;
	}
	return n;
}

void
beacon_table_clean(struct beacon_table *t)
{
	for (size_t i = 0; i < t->next_unused; i++)
		t->pool[i].used &= (uint8_t)~DIRTY;
}

int
beacon_table_restore(struct beacon_table *t, const struct beacon_saved *in)
{
	struct series *s;
	int64_t newest = INT64_MIN, oldest = INT64_MAX;
	size_t n = in->n < BEACON_RING ? in->n : BEACON_RING;

	if (t->keys == NULL || in->keylen == 0 || in->keylen > BEACON_KEYMAX ||
	    n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (in->t_ns[i] > INT64_MAX / 2 || in->t_ns[i] < INT64_MIN / 2)
			return -1;
		if (in->t_ns[i] > newest)
			newest = in->t_ns[i];
		if (in->t_ns[i] < oldest)
			oldest = in->t_ns[i];
	}
	if ((newest - oldest) / MS > MAX_SPAN_MS)
		oldest = newest - MAX_SPAN_MS * MS;
	s = get(t, hash_key(in->key, in->keylen), newest, MAX_SPAN_MS * MS);
	series_reset(s, oldest);
	/* events in the saved order (oldest first), as add_event left them */
	for (size_t i = 0; i < n; i++) {
		int64_t off = (in->t_ns[i] - s->base_ns) / MS;
		if (off < 0)
			continue;
		s->t_ms[s->count] = (uint32_t)off;
		s->size[s->count] = in->size[i];
		s->count++;
	}
	s->head = (uint8_t)(s->count % BEACON_RING);
	s->last_ns = newest;
	/* a saved time is as untrusted as a packet's: keep differences
	 * with packet times (clamped the same way) in range */
	s->alert_ns = in->alert_ns == NEVER ? NEVER :
	    in->alert_ns > INT64_MAX / 2 ? INT64_MAX / 2 :
	    in->alert_ns < INT64_MIN / 2 ? INT64_MIN / 2 : in->alert_ns;
	s->total = in->total > s->count ? in->total : s->count;
	s->scored = in->scored;
	memcpy(t->keys[s - t->pool], in->key, in->keylen);
	s->keylen = (uint8_t)in->keylen;
	lru_unlink(t, s);
	lru_append(t, s, s->count >= MATURE ? L_MATURE : L_YOUNG);
	return 0;
}

/*
 * Second-level labels under two-letter country TLDs that registries sell
 * names beneath (example.co.uk, example.com.au, example.ac.jp, ...).
 */
static int
common_sld(const char *l, size_t n)
{
	static const char *const sld[] = {
		"ac", "co", "com", "edu", "go", "gob", "gov", "govt", "ltd",
		"mil", "ne", "net", "nhs", "nic", "or", "org", "plc", "sch"
	};

	for (size_t i = 0; i < sizeof(sld) / sizeof(sld[0]); i++)
		if (strlen(sld[i]) == n && memcmp(sld[i], l, n) == 0)
			return 1;
	return 0;
}

const char *
beacon_zone(const char *name, char *buf, size_t len)
{
	size_t n = strlen(name), dot[3], nd = 0, start = 0;
	int numeric = 1;

	while (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n >= len)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		buf[i] = (char)tolower((unsigned char)name[i]);
		if (buf[i] != '.' && !isdigit((unsigned char)buf[i]))
			numeric = 0;
	}
	buf[n] = '\0';
	/* an address written as a name, or a reverse lookup: keep it all */
	if (numeric || (n > 5 && strcmp(buf + n - 5, ".arpa") == 0))
		return buf;
	/* the last three dots, from the end */
	for (size_t i = n; i-- > 0 && nd < 3; )
		if (buf[i] == '.')
			dot[nd++] = i;
	if (nd < 2)
		return buf;			/* "example.com", "localhost" */
	start = dot[1] + 1;			/* the last two labels */
	if (n - dot[0] - 1 == 2 &&
	    common_sld(buf + dot[1] + 1, dot[0] - dot[1] - 1))
		start = nd == 3 ? dot[2] + 1 : 0;
	memmove(buf, buf + start, n - start + 1);
	return buf;
}
