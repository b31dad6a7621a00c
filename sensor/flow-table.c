/*
 * flow-table.c - the bounded flow table.
 *
 * Why it is built this way:
 *  - All flow records come from one array sized by --max-flows and
 *    allocated with calloc, so untouched records cost no resident memory
 *    and no packet ever calls malloc.  A full table evicts the stalest flow
 *    instead of growing: memory is bounded whatever the capture.
 *  - Lookup is a chained hash on the normalised key (power-of-two buckets,
 *    one bucket per record), so insert/lookup are O(1).
 *  - Every flow sits in exactly one list per timeout class, ordered by last
 *    activity (a packet moves it to the tail).  Flows in one list share a
 *    timeout, so expiry only looks at list heads and eviction picks the
 *    oldest head: both O(1) per step, no scan of the table.
 *  - Time is the packet's time only, so a replay gives the same answer on
 *    any machine at any speed.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>

#include "flow-table.h"

#define FRAG_SLOTS	1024		/* remembered first fragments */
#define FRAG_TIMEOUT_NS	(30LL * 1000000000LL)
#define EXPIRE_STEP_NS	(1000000000LL)	/* check timeouts once a second */

struct frag_slot {
	struct bw_addr	 src, dst;
	uint32_t	 id;
	uint8_t		 proto, used;
	int64_t		 ts_ns;
	struct flow_key	 key;
};

struct flow_list { struct flow *head, *tail; };

struct flow_table {
	struct flow	*pool;
	size_t		 max, next_unused;
	struct flow	*free;
	struct flow	**bucket;
	uint32_t	 mask;
	struct flow_list lists[TC_MAX];
	int64_t		 timeout_ns[TC_MAX];
	int64_t		 last_expire;
	flow_end_cb	 cb;
	void		*cbarg;
	struct frag_slot *frags;
	struct flow_table_stats st;
};

static const char *const tc_names[TC_MAX] = {
	"tcp-new", "tcp-est", "tcp-closed", "udp-new", "udp-est", "icmp", "other"
};

void
flow_timeouts_default(struct flow_timeouts *t)
{
	/* Suricata's defaults for new/established/closed */
	t->sec[TC_TCP_NEW] = 60;
	t->sec[TC_TCP_EST] = 600;
	t->sec[TC_TCP_CLOSED] = 60;
	t->sec[TC_UDP_NEW] = 30;
	t->sec[TC_UDP_EST] = 300;
	t->sec[TC_ICMP] = 30;
	t->sec[TC_OTHER] = 30;
}

int
flow_timeouts_parse(struct flow_timeouts *t, const char *s, char *err,
    size_t errlen)
{
	char buf[512], *save = NULL, *tok;

	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "timeout list too long");
		return -1;
	}
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *end;
		long v;
		int i;

		if (eq == NULL) {
			snprintf(err, errlen, "'%s': expected class=seconds", tok);
			return -1;
		}
		*eq = '\0';
		for (i = 0; i < TC_MAX; i++)
			if (strcmp(tok, tc_names[i]) == 0)
				break;
		if (i == TC_MAX) {
			snprintf(err, errlen, "unknown timeout class '%s' (one of "
			    "tcp-new, tcp-est, tcp-closed, udp-new, udp-est, icmp, "
			    "other)", tok);
			return -1;
		}
		v = strtol(eq + 1, &end, 10);
		if (*end != '\0' || end == eq + 1 || v < 1 || v > 86400 * 7) {
			snprintf(err, errlen, "%s: bad number of seconds '%s'",
			    tok, eq + 1);
			return -1;
		}
		t->sec[i] = v;
	}
	return 0;
}

size_t
flow_table_default_max(void)
{
	/* ~256 MB: a record plus its bucket pointer */
	return (256u << 20) / (sizeof(struct flow) + sizeof(struct flow *));
}

/* Advise huge pages for a large calloc'ed block (its pages, rounded). */
static void
hugepages(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	uintptr_t pg = 4096, a = (uintptr_t)p & ~(pg - 1);

	if (p != NULL && len >= (2u << 20))
		(void)madvise((void *)a, len + ((uintptr_t)p - a), MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

struct flow_table *
flow_table_new(size_t max, const struct flow_timeouts *t, flow_end_cb cb,
    void *arg)
{
	struct flow_table *ft;
	size_t nb = 1024;

	if (max < 1)
		max = 1;
	while (nb < max && nb < ((size_t)1 << 31))
		nb <<= 1;
	if ((ft = calloc(1, sizeof(*ft))) == NULL)
		return NULL;
	ft->pool = calloc(max, sizeof(struct flow));
	ft->bucket = calloc(nb, sizeof(struct flow *));
	/* huge pages are opt-in on Debian; with a million flows the TLB
	 * misses of random bucket and record accesses cost ~25 % */
	hugepages(ft->pool, max * sizeof(struct flow));
	hugepages(ft->bucket, nb * sizeof(struct flow *));
	ft->frags = calloc(FRAG_SLOTS, sizeof(struct frag_slot));
	if (ft->pool == NULL || ft->bucket == NULL || ft->frags == NULL) {
		flow_table_free(ft);
		return NULL;
	}
	ft->max = max;
	ft->mask = (uint32_t)(nb - 1);
	for (int i = 0; i < TC_MAX; i++)
		ft->timeout_ns[i] = t->sec[i] * 1000000000LL;
	ft->cb = cb;
	ft->cbarg = arg;
	ft->st.max = max;
	return ft;
}

void
flow_table_free(struct flow_table *ft)
{
	if (ft == NULL)
		return;
	free(ft->pool);
	free(ft->bucket);
	free(ft->frags);
	free(ft);
}

/* 64-bit mix of the key words (splitmix finaliser): cheap and good enough
 * against the structured keys of one network. */
static uint32_t
key_hash(const struct flow_key *k)
{
	uint64_t w[4], h = 0x9e3779b97f4a7c15ULL;

	memcpy(w, k, sizeof(w));	/* addresses: the first 32 bytes */
	for (int i = 0; i < 4; i++) {
		h ^= w[i];
		h *= 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	h ^= (uint64_t)k->port[0] << 32 | (uint64_t)k->port[1] << 16 | k->proto;
	h ^= (uint64_t)k->vlan << 40;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 29;
	return (uint32_t)h ^ (uint32_t)(h >> 32);
}

static void
list_del(struct flow_list *l, struct flow *f)
{
	if (f->lprev) f->lprev->lnext = f->lnext; else l->head = f->lnext;
	if (f->lnext) f->lnext->lprev = f->lprev; else l->tail = f->lprev;
	f->lprev = f->lnext = NULL;
}

static void
list_append(struct flow_list *l, struct flow *f)
{
	f->lnext = NULL;
	f->lprev = l->tail;
	if (l->tail) l->tail->lnext = f; else l->head = f;
	l->tail = f;
}

static void
bucket_del(struct flow_table *ft, struct flow *f)
{
	struct flow **pp = &ft->bucket[f->hash & ft->mask];

	while (*pp != NULL && *pp != f)
		pp = &(*pp)->hnext;
	if (*pp == f)
		*pp = f->hnext;
}

/* End a flow: tell the owner (outputs, detectors), then recycle it. */
static void
flow_end(struct flow_table *ft, struct flow *f, int reason)
{
	f->end_reason = (uint8_t)reason;
	if (ft->cb != NULL)
		ft->cb(ft->cbarg, f);
	list_del(&ft->lists[f->tclass], f);
	bucket_del(ft, f);
	/* f->ext belongs to the owner: its end callback releases it */
	memset(f, 0, sizeof(*f));
	f->hnext = ft->free;
	ft->free = f;
	ft->st.active--;
}

void
flow_table_expire(struct flow_table *ft, int64_t now)
{
	for (int c = 0; c < TC_MAX; c++) {
		struct flow_list *l = &ft->lists[c];
		while (l->head != NULL &&
		    l->head->last_ns + ft->timeout_ns[c] <= now) {
			ft->st.expired++;
			flow_end(ft, l->head, FE_TIMEOUT);
		}
	}
	ft->last_expire = now;
}

void
flow_table_foreach(struct flow_table *ft, void (*fn)(void *, struct flow *),
    void *arg)
{
	for (int c = 0; c < TC_MAX; c++)
		for (struct flow *f = ft->lists[c].head; f != NULL; f = f->lnext)
			fn(arg, f);
}

void
flow_table_flush(struct flow_table *ft)
{
	/* oldest first, class by class, so the output order is stable */
	for (;;) {
		struct flow *oldest = NULL;
		for (int c = 0; c < TC_MAX; c++) {
			struct flow *h = ft->lists[c].head;
			if (h != NULL && (oldest == NULL ||
			    h->last_ns < oldest->last_ns))
				oldest = h;
		}
		if (oldest == NULL)
			break;
		ft->st.flushed++;
		flow_end(ft, oldest, FE_SHUTDOWN);
	}
}

static struct flow *
flow_alloc(struct flow_table *ft)
{
	struct flow *f;

	if (ft->free != NULL) {
		f = ft->free;
		ft->free = f->hnext;
		f->hnext = NULL;
		return f;
	}
	if (ft->next_unused < ft->max)
		return &ft->pool[ft->next_unused++];
	/* full: evict the least recently active flow of any class */
	struct flow *oldest = NULL;
	for (int c = 0; c < TC_MAX; c++) {
		struct flow *h = ft->lists[c].head;
		if (h != NULL && (oldest == NULL || h->last_ns < oldest->last_ns))
			oldest = h;
	}
	ft->st.evicted++;
	flow_end(ft, oldest, FE_EVICTED);
	f = ft->free;
	ft->free = f->hnext;
	f->hnext = NULL;
	return f;
}

static struct flow *
flow_find(struct flow_table *ft, const struct flow_key *k, uint32_t h)
{
	struct flow *f;

	for (f = ft->bucket[h & ft->mask]; f != NULL; f = f->hnext)
		if (f->hash == h && memcmp(&f->key, k, sizeof(*k)) == 0)
			return f;
	return NULL;
}

/* ICMP request/reply pairs (the Community ID spec's table): the sender of
 * a request is the initiator, and a reply maps back onto the same flow. */
static int
icmp_counterpart(int v6, uint8_t type, int *is_reply)
{
	static const uint8_t v4[][2] = {
		{8, 0}, {13, 14}, {15, 16}, {10, 9}, {17, 18}
	};
	static const uint8_t v6t[][2] = {
		{128, 129}, {133, 134}, {135, 136}, {130, 131}, {139, 140},
		{144, 145}
	};
	const uint8_t (*t)[2] = v6 ? v6t : v4;
	size_t n = v6 ? sizeof(v6t) / 2 : sizeof(v4) / 2;

	*is_reply = 0;
	for (size_t i = 0; i < n; i++) {
		if (t[i][0] == type)
			return t[i][1];
		if (t[i][1] == type) {
			*is_reply = 1;
			return t[i][0];
		}
	}
	return -1;
}

int
flow_icmp_ports(int v6, uint8_t type, uint8_t code, uint16_t *sp,
    uint16_t *dp)
{
	int reply, peer = icmp_counterpart(v6, type, &reply);

	*sp = type;
	*dp = peer >= 0 ? (uint16_t)peer : code;
	return peer < 0;	/* one-way */
}

static int
is_icmp(uint8_t proto)
{
	return proto == 1 || proto == 58;
}

/*
 * Build the normalised key; *sender is the key index of the packet's
 * source.  ICMP "ports" are type and counterpart type (or code).
 */
static void
make_key(const struct packet *p, struct flow_key *k, int *sender)
{
	uint16_t sp = p->sport, dp = p->dport;
	int c;

	if (is_icmp(p->proto))
		flow_icmp_ports(p->proto == 58, (uint8_t)p->sport,
		    (uint8_t)p->dport, &sp, &dp);
	memset(k, 0, sizeof(*k));
	c = memcmp(&p->src, &p->dst, sizeof(p->src));
	if (c < 0 || (c == 0 && sp <= dp)) {
		k->addr[0] = p->src; k->addr[1] = p->dst;
		k->port[0] = sp; k->port[1] = dp;
		*sender = 0;
	} else {
		k->addr[0] = p->dst; k->addr[1] = p->src;
		k->port[0] = dp; k->port[1] = sp;
		*sender = 1;
	}
	k->proto = p->proto;
	k->vlan = (uint32_t)(p->vlan[0] & 0xfff) << 12 | (p->vlan[1] & 0xfff);
}

/*
 * Who started it.  A SYN without ACK is the initiator's; a SYN-ACK is the
 * responder's; an ICMP reply is the responder's.  Otherwise the sender of
 * the first packet we saw, unless it talks from a well-known port to an
 * ephemeral one (we joined mid-conversation and saw the server first).
 */
static int
sender_is_initiator(const struct packet *p)
{
	if (p->proto == 6) {
		if ((p->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN)
			return 1;
		if ((p->tcp_flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK))
			return 0;
	}
	if (is_icmp(p->proto)) {
		int reply;
		(void)icmp_counterpart(p->proto == 58, (uint8_t)p->sport, &reply);
		return !reply;
	}
	if ((p->proto == 6 || p->proto == 17) && p->sport < 1024 &&
	    p->dport >= 1024)
		return 0;
	return 1;
}

static void
hist_add(struct flow *f, int dir, char c)
{
	size_t n;

	if (dir == DIR_TOCLIENT)
		c = (char)(c - 'A' + 'a');
	if (strchr(f->history, c) != NULL)
		return;
	n = strlen(f->history);
	if (n + 1 < sizeof(f->history)) {
		f->history[n] = c;
		f->history[n + 1] = '\0';
	}
}

int
flow_tcp_established(const struct flow *f)
{
	return (f->st[0] & FS_SYN) && (f->st[1] & FS_SYNACK) &&
	    (f->st[0] & FS_ACK);
}

static uint8_t
classify(const struct flow *f)
{
	switch (f->key.proto) {
	case 6:
		if ((f->st[0] | f->st[1]) & FS_RST)
			return TC_TCP_CLOSED;
		if ((f->st[0] & FS_FIN) && (f->st[1] & FS_FIN))
			return TC_TCP_CLOSED;
		if (flow_tcp_established(f) ||
		    ((f->st[0] & FS_ANY) && (f->st[1] & FS_ANY) &&
		    !((f->st[0] | f->st[1]) & (FS_SYN | FS_SYNACK))))
			return TC_TCP_EST;
		return TC_TCP_NEW;
	case 17:
		return (f->st[0] & FS_ANY) && (f->st[1] & FS_ANY) ?
		    TC_UDP_EST : TC_UDP_NEW;
	case 1:
	case 58:
		return TC_ICMP;
	default:
		return TC_OTHER;
	}
}

static void
account(struct flow_table *ft, struct flow *f, const struct packet *p, int dir)
{
	uint8_t fl = p->tcp_flags;

	f->pkts[dir]++;
	f->bytes[dir] += p->wirelen;
	f->last_ns = p->ts_ns > f->last_ns ? p->ts_ns : f->last_ns;
	f->st[dir] |= FS_ANY;
	if (p->payload_wire > 0 && p->frag != PKT_FRAG_LATER)
		f->st[dir] |= FS_DATA;
	if (p->proto == 6 && p->frag != PKT_FRAG_LATER) {
		f->tcp_flags[dir] |= fl;
		if ((fl & (TH_SYN | TH_ACK)) == TH_SYN) {
			f->st[dir] |= FS_SYN;
			hist_add(f, dir, 'S');
		} else if ((fl & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
			f->st[dir] |= FS_SYNACK | FS_ACK;
			hist_add(f, dir, 'H');
		} else if (fl & TH_ACK) {
			f->st[dir] |= FS_ACK;
			if (p->payload_wire == 0 && !(fl & (TH_FIN | TH_RST)))
				hist_add(f, dir, 'A');
		}
		if (p->payload_wire > 0)
			hist_add(f, dir, 'D');
		if (fl & TH_FIN) {
			f->st[dir] |= FS_FIN;
			hist_add(f, dir, 'F');
		}
		if (fl & TH_RST) {
			f->st[dir] |= FS_RST;
			hist_add(f, dir, 'R');
		}
	} else if (p->payload_wire > 0 && p->frag != PKT_FRAG_LATER)
		hist_add(f, dir, 'D');

	uint8_t tc = classify(f);
	/* already the newest of its list (a burst of one flow): no move,
	 * and no write to a neighbour's cache line */
	if (tc == f->tclass && ft->lists[tc].tail == f)
		return;
	list_del(&ft->lists[f->tclass], f);
	f->tclass = tc;
	list_append(&ft->lists[tc], f);
}

static struct frag_slot *
frag_slot(struct flow_table *ft, const struct packet *p)
{
	uint32_t h = p->frag_id * 2654435761u;

	h ^= (uint32_t)p->src.a[15] << 8 ^ p->dst.a[15] ^ p->proto;
	return &ft->frags[h % FRAG_SLOTS];
}

static int
frag_match(const struct frag_slot *s, const struct packet *p)
{
	return s->used && s->id == p->frag_id && s->proto == p->proto &&
	    memcmp(&s->src, &p->src, sizeof(s->src)) == 0 &&
	    memcmp(&s->dst, &p->dst, sizeof(s->dst)) == 0 &&
	    p->ts_ns - s->ts_ns < FRAG_TIMEOUT_NS;
}

/* A later fragment: charge it to the flow of its first fragment. */
static void
frag_later(struct flow_table *ft, const struct packet *p,
    struct flow_update *u)
{
	struct frag_slot *s = frag_slot(ft, p);
	struct flow *f;

	if (!frag_match(s, p) ||
	    (f = flow_find(ft, &s->key, key_hash(&s->key))) == NULL) {
		ft->st.frag_orphan++;
		return;
	}
	ft->st.frag_attributed++;
	u->flow = f;
	u->dir = memcmp(&p->src, flow_src(f), sizeof(p->src)) == 0 ?
	    DIR_TOSERVER : DIR_TOCLIENT;
	account(ft, f, p, u->dir);
}

void
flow_table_packet(struct flow_table *ft, const struct packet *p,
    struct flow_update *u)
{
	struct flow_key k;
	struct flow *f;
	uint32_t h;
	int sender;

	u->flow = NULL;
	u->dir = DIR_TOSERVER;
	u->created = 0;
	if (p->ts_ns - ft->last_expire >= EXPIRE_STEP_NS ||
	    p->ts_ns < ft->last_expire)
		flow_table_expire(ft, p->ts_ns);
	if (p->frag == PKT_FRAG_LATER) {
		frag_later(ft, p, u);
		return;
	}
	make_key(p, &k, &sender);
	h = key_hash(&k);
	f = flow_find(ft, &k, h);
	/* a new SYN on a closed connection is a new connection (port reuse) */
	if (f != NULL && f->tclass == TC_TCP_CLOSED &&
	    (p->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN) {
		ft->st.expired++;
		flow_end(ft, f, FE_TIMEOUT);
		f = NULL;
	}
	if (f == NULL) {
		int flipped;

		f = flow_alloc(ft);
		f->key = k;
		f->hash = h;
		flipped = !sender_is_initiator(p);
		f->init = (uint8_t)(flipped ? !sender : sender);
		if (flipped)
			hist_add(f, DIR_TOSERVER, '^');
		f->first_ns = f->last_ns = p->ts_ns;
		f->flow_id = ((uint64_t)h << 20 ^ (uint64_t)p->ts_ns ^
		    ((uint64_t)p->ts_ns >> 31) * 0x9e3779b1u) & 0x7ffffffffffffULL;
		f->tclass = TC_OTHER;
		list_append(&ft->lists[TC_OTHER], f);
		f->hnext = ft->bucket[h & ft->mask];
		ft->bucket[h & ft->mask] = f;
		ft->st.created++;
		ft->st.active++;
		switch (k.proto) {
		case 6: ft->st.tcp++; break;
		case 17: ft->st.udp++; break;
		case 1: ft->st.icmpv4++; break;
		case 58: ft->st.icmpv6++; break;
		default: ft->st.other++; break;
		}
		u->created = 1;
	}
	u->flow = f;
	u->dir = sender == f->init ? DIR_TOSERVER : DIR_TOCLIENT;
	account(ft, f, p, u->dir);
	if (p->frag == PKT_FRAG_FIRST) {
		struct frag_slot *s = frag_slot(ft, p);
		s->src = p->src;
		s->dst = p->dst;
		s->id = p->frag_id;
		s->proto = p->proto;
		s->ts_ns = p->ts_ns;
		s->key = k;
		s->used = 1;
	}
}

void
flow_table_stats(const struct flow_table *ft, struct flow_table_stats *s)
{
	*s = ft->st;
}
