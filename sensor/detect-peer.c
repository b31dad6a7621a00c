/*
 * detect-peer.c - the first-seen peer table behind the new_peer option
 * (peer.h says what a peer is).
 *
 * Why it is built this way:
 *  - A BMC talks to a handful of services, so a site has a few entries
 *    per BMC; the table grows on demand (doubling) up to a bound fixed at
 *    creation, and a flood of new peers past it is counted ("full") and
 *    still alerts, since each of those peers is new: memory stays bounded
 *    and nothing new is silently taken as known.
 *  - Entries are chained from a power-of-two bucket array by index, not
 *    pointer, so growing the entry array never invalidates a chain.
 *  - The state database is written in batches (state.c): changed entries
 *    are queued once on a dirty list, so a batch costs what changed, not
 *    the table size.
 *  - Names are lower-cased and lose a final dot; names with characters
 *    that are not in host names (after IDNA, so ASCII) are ignored as
 *    names: the flow is then known or new by its address alone.
 */
#include <stdlib.h>
#include <string.h>

#include "peer.h"
#include "hash.h"

struct pentry {
	uint64_t	 h;
	struct bw_addr	 host;
	struct bw_addr	 addr;		/* PEER_ADDR */
	char		*name;		/* PEER_NAME */
	int64_t		 first_ns, last_ns;
	uint64_t	 flows;
	uint32_t	 next;		/* chain: index + 1 */
	uint8_t		 kind;
	uint8_t		 dirty;
};

struct peer_table {
	struct pentry	*e;
	size_t		 n, cap, max;
	uint32_t	*bucket;	/* index + 1 */
	size_t		 nbucket;	/* power of two */
	uint32_t	*dirty;		/* indexes of changed entries */
	size_t		 ndirty, cdirty;
	int64_t		 since;
	struct peer_stats st;
};

struct peer_table *
peer_table_new(size_t max)
{
	struct peer_table *t;

	if (max == 0 || max >= UINT32_MAX || (t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->max = max;
	t->since = PEER_NEVER;
	t->nbucket = 256;
	if ((t->bucket = calloc(t->nbucket, sizeof(*t->bucket))) == NULL) {
		free(t);
		return NULL;
	}
	t->st.max_entries = max;
	return t;
}

void
peer_table_free(struct peer_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->e[i].name);
	free(t->e);
	free(t->bucket);
	free(t->dirty);
	free(t);
}

static uint64_t
hash_of(const struct bw_addr *host, int kind, const struct bw_addr *addr,
    const char *name)
{
	uint64_t h = fnv1a64(FNV64_INIT ^ (uint64_t)kind, host, sizeof(*host));

	if (kind == PEER_ADDR)
		return fnv1a64(h, addr, sizeof(*addr));
	return fnv1a64(h, name, strlen(name));
}

/* The name as stored, in buf; NULL when it is not a usable host name. */
static const char *
norm_name(const char *s, char *buf)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > PEER_NAME_MAX)
		return NULL;
	if (s[n - 1] == '.')
		n--;
	if (n == 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_'))
			return NULL;
		buf[i] = c;
	}
	buf[n] = '\0';
	return buf;
}

static struct pentry *
find(struct peer_table *t, uint64_t h, const struct bw_addr *host, int kind,
    const struct bw_addr *addr, const char *name)
{
	uint32_t i = t->bucket[h & (t->nbucket - 1)];

	for (; i != 0; i = t->e[i - 1].next) {
		struct pentry *p = &t->e[i - 1];
		if (p->h != h || p->kind != kind ||
		    memcmp(&p->host, host, sizeof(*host)) != 0)
			continue;
		if (kind == PEER_ADDR ? memcmp(&p->addr, addr,
		    sizeof(*addr)) == 0 : strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

/* Twice the buckets once there are more entries than buckets. */
static int
grow_buckets(struct peer_table *t)
{
	size_t nb = t->nbucket * 2;
	uint32_t *b;

	if ((b = calloc(nb, sizeof(*b))) == NULL)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		struct pentry *p = &t->e[i];
		p->next = b[p->h & (nb - 1)];
		b[p->h & (nb - 1)] = (uint32_t)i + 1;
	}
	free(t->bucket);
	t->bucket = b;
	t->nbucket = nb;
	return 0;
}

static int
mark_dirty(struct peer_table *t, struct pentry *p)
{
	if (p->dirty)
		return 0;
	if (t->ndirty == t->cdirty) {
		size_t nc = t->cdirty ? t->cdirty * 2 : 64;
		uint32_t *d = realloc(t->dirty, nc * sizeof(*d));
		if (d == NULL)
			return -1;	/* written at the next full sync */
		t->dirty = d;
		t->cdirty = nc;
	}
	t->dirty[t->ndirty++] = (uint32_t)(p - t->e);
	p->dirty = 1;
	return 0;
}

static struct pentry *
insert(struct peer_table *t, uint64_t h, const struct bw_addr *host,
    int kind, const struct bw_addr *addr, const char *name)
{
	struct pentry *p;
	char *copy = NULL;

	if (t->n == t->max) {
		t->st.full++;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		struct pentry *ne;
		if (nc > t->max)
			nc = t->max;
		if ((ne = realloc(t->e, nc * sizeof(*ne))) == NULL) {
			t->st.full++;
			return NULL;
		}
		t->e = ne;
		t->cap = nc;
	}
	if (t->n >= t->nbucket && grow_buckets(t) == -1) {
		t->st.full++;
		return NULL;
	}
	if (kind == PEER_NAME && (copy = strdup(name)) == NULL) {
		t->st.full++;
		return NULL;
	}
	p = &t->e[t->n];
	memset(p, 0, sizeof(*p));
	p->h = h;
	p->host = *host;
	p->kind = (uint8_t)kind;
	if (kind == PEER_ADDR)
		p->addr = *addr;
	p->name = copy;
	p->next = t->bucket[h & (t->nbucket - 1)];
	t->bucket[h & (t->nbucket - 1)] = (uint32_t)++t->n;
	t->st.entries = t->n;
	return p;
}

/* Find or add one pair for a flow; *known says whether it was there. */
static void
touch(struct peer_table *t, const struct bw_addr *host, int kind,
    const struct bw_addr *addr, const char *name, int64_t ts, int *known)
{
	uint64_t h = hash_of(host, kind, addr, name);
	struct pentry *p = find(t, h, host, kind, addr, name);

	if (p != NULL)
		*known = 1;
	else if ((p = insert(t, h, host, kind, addr, name)) == NULL)
		return;
	else
		p->first_ns = p->last_ns = ts;
	if (ts > p->last_ns)
		p->last_ns = ts;
	if (ts < p->first_ns)
		p->first_ns = ts;
	p->flows++;
	mark_dirty(t, p);
}

int
peer_observe(struct peer_table *t, const struct bw_addr *host,
    const struct bw_addr *addr, const char *name, int64_t ts_ns)
{
	char buf[PEER_NAME_MAX + 1];
	const char *n = norm_name(name, buf);
	int known = 0;

	if (t->since == PEER_NEVER || ts_ns < t->since)
		t->since = ts_ns;
	t->st.observed++;
	touch(t, host, PEER_ADDR, addr, NULL, ts_ns, &known);
	if (n != NULL)
		touch(t, host, PEER_NAME, NULL, n, ts_ns, &known);
	if (known)
		return 0;
	t->st.new_peers++;
	return 1;
}

int64_t
peer_since(const struct peer_table *t)
{
	return t->since;
}

void
peer_set_since(struct peer_table *t, int64_t ts_ns)
{
	t->since = ts_ns;
}

int
peer_load(struct peer_table *t, const struct peer_rec *r)
{
	char buf[PEER_NAME_MAX + 1];
	const char *n = NULL;
	struct pentry *p;
	uint64_t h;

	if (r->kind == PEER_NAME && (n = norm_name(r->name, buf)) == NULL)
		return -1;
	h = hash_of(&r->host, r->kind, &r->addr, n);
	if ((p = find(t, h, &r->host, r->kind, &r->addr, n)) == NULL &&
	    (p = insert(t, h, &r->host, r->kind, &r->addr, n)) == NULL)
		return -1;
	p->first_ns = r->first_ns;
	p->last_ns = r->last_ns;
	p->flows = r->flows;
	return 0;
}

static int
emit(struct pentry *p, int (*fn)(void *, const struct peer_rec *), void *arg)
{
	struct peer_rec r;

	memset(&r, 0, sizeof(r));
	r.host = p->host;
	r.kind = (enum peer_kind)p->kind;
	r.addr = p->addr;
	r.name = p->name;
	r.first_ns = p->first_ns;
	r.last_ns = p->last_ns;
	r.flows = p->flows;
	return fn(arg, &r);
}

long
peer_each_dirty(struct peer_table *t, int all,
    int (*fn)(void *arg, const struct peer_rec *r), void *arg)
{
	size_t n = all ? t->n : t->ndirty;

	for (size_t i = 0; i < n; i++)
		if (emit(&t->e[all ? i : t->dirty[i]], fn, arg) == -1)
			return -1;
	return (long)n;
}

void
peer_clean(struct peer_table *t)
{
	for (size_t i = 0; i < t->ndirty; i++)
		t->e[t->dirty[i]].dirty = 0;
	t->ndirty = 0;
}

void
peer_stats(const struct peer_table *t, struct peer_stats *s)
{
	*s = t->st;
}
