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
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "decode.h"
#include "learn.h"

#define MAX_SRC		64	/* sources kept per tuple */
#define MAX_NAME	253
#define MAX_CAPTURES	256
#define PORT_EPH	65536u	/* 32768: */
#define PORT_ANY	65537u
#define EPH_LO		32768
#define NET_MIN		4	/* addresses in a /24 before it collapses */
#define KEYMAX		(16 + 16 + MAX_NAME + 8)

#define MARK		"# bmcwatch-learn: v1"
#define END_MARK	"# --- end of learned rules"

struct tuple {
	struct bw_addr	 dst;
	uint8_t		 proto;
	uint16_t	 dport;
	char		*name;
	uint32_t	 passed_sid;	/* a sid of the learned range */
	int		 alerted;
	uint64_t	 flows, bytes;
	int64_t		 first, last;
	struct bw_addr	*src;		/* grows to MAX_SRC */
	double		*period;
	size_t		 nsrc, srccap;
	int		 src_more;
};

struct learn {
	size_t		 max;
	uint32_t	 sid_lo, sid_hi;
	struct tuple	**t;
	size_t		 nt;
	size_t		*hash;		/* index + 1, 0 = free */
	size_t		 hcap;
	uint64_t	 flows, dropped, passed_flows, passed_bytes;
	char		**cap;
	size_t		 ncap;
};

/* One group: a rule of OUT (or a reported destination). */
struct rec {
	char		 key[KEYMAX];
	uint32_t	 sid;
	int		 reported, disabled, used;
	uint64_t	 flows, bytes, hosts, addrs;
	int64_t		 first, last;
	char		**per;		/* "SRC -> DST proto/port every N s" */
	size_t		 nper;
};

struct recs {
	struct rec	*r;
	size_t		 n, cap;
};

/* ---- observing ---------------------------------------------------- */

struct learn *
learn_new(size_t max_tuples)
{
	struct learn *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->max = max_tuples ? max_tuples : 1;
	l->sid_lo = 900000;
	l->sid_hi = 999999;
	return l;
}

void
learn_free(struct learn *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nt; i++) {
		free(l->t[i]->name);
		free(l->t[i]->src);
		free(l->t[i]->period);
		free(l->t[i]);
	}
	for (size_t i = 0; i < l->ncap; i++)
		free(l->cap[i]);
	free(l->cap);
	free(l->t);
	free(l->hash);
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
static int
name_ok(const char *s, char *out)
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
fnv(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static uint64_t
tuple_hash(const struct bw_addr *dst, uint8_t proto, uint16_t dport,
    const char *name, uint32_t psid)
{
	uint64_t h = 14695981039346656037ull;

	h = fnv(dst->a, sizeof(dst->a), h);
	h = fnv(&proto, 1, h);
	h = fnv(&dport, 2, h);
	h = fnv(&psid, 4, h);
	return fnv(name, strlen(name), h);
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
	double *p;

	if (cap > MAX_SRC)
		cap = MAX_SRC;
	if ((s = realloc(t->src, cap * sizeof(*s))) == NULL)
		return -1;
	t->src = s;
	if ((p = realloc(t->period, cap * sizeof(*p))) == NULL)
		return -1;
	t->period = p;
	t->srccap = cap;
	return 0;
}

void
learn_observe(struct learn *l, const struct bw_addr *src,
    const struct bw_addr *dst, uint8_t proto, uint16_t dport,
    const char *name, int alerted, uint32_t passed_sid, double periodic_s,
    int64_t ts_ns, uint64_t bytes)
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
	if (name == NULL || !name_ok(name, nm))
		nm[0] = '\0';
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
		t->period[t->nsrc] = 0;
		t->src[t->nsrc++] = *src;
	}
	if (periodic_s > 0)
		t->period[i] = periodic_s;
}

/* ---- records ------------------------------------------------------ */

static struct rec *
rec_add(struct recs *rs, const char *key)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		struct rec *r = realloc(rs->r, cap * sizeof(*r));

		if (r == NULL)
			return NULL;
		rs->r = r;
		rs->cap = cap;
	}
	memset(&rs->r[rs->n], 0, sizeof(rs->r[0]));
	snprintf(rs->r[rs->n].key, KEYMAX, "%s", key);
	return &rs->r[rs->n++];
}

static struct rec *
rec_find(struct recs *rs, const char *key)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].key, key) == 0)
			return &rs->r[i];
	return NULL;
}

static void
recs_free(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		for (size_t j = 0; j < rs->r[i].nper; j++)
			free(rs->r[i].per[j]);
		free(rs->r[i].per);
	}
	free(rs->r);
}

/* Add a periodic line unless one for the same series is there. */
static int
rec_per(struct rec *r, const char *line)
{
	const char *e = strstr(line, " every ");
	size_t n = e ? (size_t)(e - line) : strlen(line);
	char **p;

	for (size_t i = 0; i < r->nper; i++)
		if (strncmp(r->per[i], line, n) == 0 &&
		    (r->per[i][n] == '\0' || r->per[i][n] == ' '))
			return 0;
	if (r->nper >= MAX_SRC)
		return 0;
	if ((p = realloc(r->per, (r->nper + 1) * sizeof(*p))) == NULL)
		return -1;
	r->per = p;
	if ((p[r->nper] = strdup(line)) == NULL)
		return -1;
	r->nper++;
	return 0;
}

/* ---- keys: the rule a group becomes ------------------------------- */

static const char *
proto_word(uint8_t proto)
{
	switch (proto) {
	case 6:		return "tcp";
	case 17:	return "udp";
	case 1: case 58: return "icmp";
	default:	return "ip";
	}
}

static void
port_word(uint32_t port, char *buf, size_t len)
{
	if (port == PORT_ANY)
		snprintf(buf, len, "any");
	else if (port == PORT_EPH)
		snprintf(buf, len, "%d:", EPH_LO);
	else
		snprintf(buf, len, "%" PRIu32, port);
}

/* The parts of a key, checked: a hand-edited OUT cannot smuggle text
   into a rule. */
struct keyparts {
	char	 proto[8], port[8], kind[8];
	char	 val[MAX_NAME + 1];
	long	 portnum;		/* -1 any, -2 ephemeral */
};

static int
key_split(const char *key, struct keyparts *k)
{
	struct bw_addr a;
	char tmp[MAX_NAME + 1], whole[KEYMAX], *slash, *end;
	long pfx;

	if (sscanf(key, "%7[a-z]/%7[0-9a-z:]/%7[a-z]=%253s", k->proto, k->port,
	    k->kind, k->val) != 4)
		return -1;
	snprintf(whole, sizeof(whole), "%s/%s/%s=%s", k->proto, k->port,
	    k->kind, k->val);
	if (strcmp(whole, key) != 0)	/* cut short or followed by more */
		return -1;
	if (strcmp(k->proto, "tcp") != 0 && strcmp(k->proto, "udp") != 0 &&
	    strcmp(k->proto, "icmp") != 0 && strcmp(k->proto, "ip") != 0)
		return -1;
	if (strcmp(k->port, "any") == 0)
		k->portnum = -1;
	else if (strcmp(k->port, "32768:") == 0)
		k->portnum = -2;
	else {
		errno = 0;
		k->portnum = strtol(k->port, &end, 10);
		if (*end != '\0' || k->portnum < 0 || k->portnum > 65535)
			return -1;
	}
	if (k->portnum != -1 && strcmp(k->proto, "tcp") != 0 &&
	    strcmp(k->proto, "udp") != 0)
		return -1;
	if (strcmp(k->kind, "host") == 0)
		return name_ok(k->val, tmp) && strcmp(tmp, k->val) == 0 ? 0 : -1;
	if (strcmp(k->kind, "dst") == 0)
		return bw_addr_parse(k->val, &a) == 0 ? 0 : -1;
	if (strcmp(k->kind, "net") != 0 || (slash = strchr(k->val, '/')) == NULL)
		return -1;
	snprintf(tmp, sizeof(tmp), "%.*s", (int)(slash - k->val), k->val);
	pfx = strtol(slash + 1, &end, 10);
	if (*end != '\0' || pfx < 8 || pfx > 128 || bw_addr_parse(tmp, &a) != 0)
		return -1;
	return 0;
}

static const struct {
	uint16_t	 port;
	const char	*name;
} services[] = {
	{ 20, "FTP data" }, { 21, "FTP" }, { 22, "SSH" }, { 25, "SMTP" },
	{ 49, "TACACS+" }, { 53, "DNS" }, { 67, "DHCP" }, { 69, "TFTP" },
	{ 80, "HTTP" }, { 88, "Kerberos" }, { 111, "RPC" }, { 123, "NTP" },
	{ 137, "NetBIOS" }, { 161, "SNMP" }, { 162, "SNMP trap" },
	{ 389, "LDAP" }, { 443, "HTTPS" }, { 445, "SMB" }, { 465, "SMTPS" },
	{ 514, "syslog" }, { 546, "DHCPv6" }, { 547, "DHCPv6" },
	{ 587, "SMTP submission" }, { 623, "IPMI" }, { 636, "LDAPS" },
	{ 1812, "RADIUS" }, { 1813, "RADIUS accounting" }, { 2049, "NFS" },
	{ 3268, "LDAP GC" }, { 3269, "LDAPS GC" }, { 6514, "syslog TLS" },
	{ 8080, "HTTP" }, { 8443, "HTTPS" },
};

static void
service_word(const struct keyparts *k, char *buf, size_t len)
{
	if (k->portnum == -2) {
		snprintf(buf, len, "%s ephemeral ports", k->proto);
		return;
	}
	if (k->portnum == -1) {
		snprintf(buf, len, "%s", k->proto);
		return;
	}
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (services[i].port == k->portnum) {
			snprintf(buf, len, "%s", services[i].name);
			return;
		}
	snprintf(buf, len, "%s/%ld", k->proto, k->portnum);
}

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

	port_word(v->port, port, sizeof(port));
	if (t->name != NULL) {
		snprintf(v->key, KEYMAX, "%s/%s/host=%s", proto_word(t->proto),
		    port, t->name);
		return;
	}
	bw_addr_str(&t->dst, addr, sizeof(addr));
	if (v->net)
		snprintf(v->key, KEYMAX, "%s/%s/net=%u.%u.%u.0/24",
		    proto_word(t->proto), port, t->dst.a[12], t->dst.a[13],
		    t->dst.a[14]);
	else
		snprintf(v->key, KEYMAX, "%s/%s/dst=%s", proto_word(t->proto),
		    port, addr);
}

static struct rec *
prior_by_sid(struct recs *rs, uint32_t sid)
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
		if (rec_find(rs, w.key) != NULL) {
			v->port = PORT_EPH;
			return;
		}
		w.port = v->port;
	}
	if (is_v4(&v->t->dst)) {
		w.net = 1;
		view_key(&w);
		if (rec_find(rs, w.key) != NULL)
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
static void
sort(void *base, size_t n, size_t size, int (*cmp)(const void *,
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
fold(struct recs *rs, struct view *v, size_t n)
{
	struct rec *r = rec_find(rs, v[0].key);
	struct bw_addr *src;
	size_t nsrc = 0;
	uint64_t hosts = 0, more = 0, addrs = 1;

	if (r == NULL && (r = rec_add(rs, v[0].key)) == NULL)
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
		for (size_t j = 0; j < t->nsrc; j++) {
			char s[64], d[64], line[256], port[8];

			src[nsrc++] = t->src[j];
			if (t->period[j] <= 0)
				continue;
			port_word(t->proto == 6 || t->proto == 17 ?
			    t->dport : PORT_ANY, port, sizeof(port));
			snprintf(line, sizeof(line), "%s -> %s %s/%s every %.1f s",
			    bw_addr_str(&t->src[j], s, sizeof(s)),
			    bw_addr_str(&t->dst, d, sizeof(d)),
			    proto_word(t->proto), port, t->period[j]);
			if (rec_per(r, line) < 0) {
				free(src);
				return -1;
			}
		}
	}
	sort(src, nsrc, sizeof(*src), cmp_addr);
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

static int
group(struct learn *l, struct recs *rs)
{
	struct view *v;
	size_t i, j, n = 0;

	if (l->nt == 0)
		return 0;
	if ((v = calloc(l->nt, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < l->nt; i++) {
		struct tuple *t = l->t[i];

		if (t->passed_sid != 0) {
			struct rec *p = prior_by_sid(rs, t->passed_sid);

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
	sort(v, n, sizeof(*v), cmp_eph);
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
	sort(v, n, sizeof(*v), cmp_net);
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
			if ((w.key[0] != '\0' && rec_find(rs, w.key) != NULL &&
			    rec_find(rs, w.key)->reported))
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
	sort(v, n, sizeof(*v), cmp_key_dst);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && cmp_key(&v[i], &v[j]) == 0; j++)
			;
		if (fold(rs, v + i, j - i) < 0) {
			free(v);
			return -1;
		}
	}
	free(v);
	return 0;
}

/* ---- OUT: reading the previous run -------------------------------- */

struct prior {
	struct recs	 recs;
	char		**cap;
	size_t		 ncap;
	uint64_t	 passed_flows, passed_bytes, dropped;
	char		*tail;		/* after END_MARK, the analyst's */
	size_t		 taillen;
};

static void
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int
time_parse(const char *s, int64_t *ns)
{
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n == 0)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*ns = (int64_t)timegm(&tm) * 1000000000;
	return 0;
}

static void
time_word(int64_t ns, char *buf, size_t len)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
	else
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "KEY sid=N flows=N bytes=N hosts=N addrs=N first=T last=T" */
static int
parse_rec(const char *s, struct rec *r)
{
	char key[KEYMAX], first[32], last[32];
	struct keyparts k;

	if (sscanf(s, "%292s sid=%" SCNu32 " flows=%" SCNu64 " bytes=%" SCNu64
	    " hosts=%" SCNu64 " addrs=%" SCNu64 " first=%31s last=%31s", key,
	    &r->sid, &r->flows, &r->bytes, &r->hosts, &r->addrs, first,
	    last) != 8)
		return -1;
	if (key_split(key, &k) < 0 || time_parse(first, &r->first) < 0 ||
	    time_parse(last, &r->last) < 0)
		return -1;
	snprintf(r->key, KEYMAX, "%s", key);
	return 0;
}

static int
prior_read(const char *path, struct prior *p, const struct learn *l,
    char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, mark = 0, any = 0, rc = -1;
	struct rec *cur = NULL;

	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0)
			any = 1;
		if (strcmp(line, MARK) == 0) {
			mark = 1;
			continue;
		}
		if (strncmp(line, END_MARK, strlen(END_MARK)) == 0) {
			long at = ftell(f), end;

			if (at < 0 || fseek(f, 0, SEEK_END) < 0 ||
			    (end = ftell(f)) < 0 || fseek(f, at, SEEK_SET) < 0)
				goto fail_errno;
			p->taillen = (size_t)(end - at);
			if ((p->tail = malloc(p->taillen + 1)) == NULL)
				goto fail_errno;
			if (fread(p->tail, 1, p->taillen, f) != p->taillen)
				goto fail_errno;
			break;
		}
		if (!mark)
			continue;
		if (strncmp(line, "# capture: ", 11) == 0) {
			char **n;

			if (p->ncap >= MAX_CAPTURES)
				continue;
			if ((n = realloc(p->cap, (p->ncap + 1) *
			    sizeof(*n))) == NULL)
				goto fail_errno;
			p->cap = n;
			if ((p->cap[p->ncap] = strdup(line + 11)) == NULL)
				goto fail_errno;
			p->ncap++;
		} else if (strncmp(line, "# totals: ", 10) == 0) {
			uint64_t a, b, c;

			if (sscanf(line + 10, "passed-flows=%" SCNu64
			    " passed-bytes=%" SCNu64 " dropped=%" SCNu64,
			    &a, &b, &c) != 3)
				goto fail_syntax;
			p->passed_flows += a;
			p->passed_bytes += b;
			p->dropped += c;
		} else if (strncmp(line, "# learned: ", 11) == 0 ||
		    strncmp(line, "# reported: ", 12) == 0) {
			struct rec r;
			int rep = line[2] == 'r';

			memset(&r, 0, sizeof(r));
			if (parse_rec(line + (rep ? 12 : 11), &r) < 0 ||
			    rec_find(&p->recs, r.key) != NULL ||
			    (!rep && (r.sid < l->sid_lo || r.sid > l->sid_hi ||
			    prior_by_sid(&p->recs, r.sid) != NULL)))
				goto fail_syntax;
			if ((cur = rec_add(&p->recs, r.key)) == NULL)
				goto fail_errno;
			r.reported = rep;
			*cur = r;
		} else if (cur != NULL && strncmp(line, "#   periodic: ", 14) == 0) {
			if (rec_per(cur, line + 14) < 0)
				goto fail_errno;
		} else if (cur != NULL && !cur->reported &&
		    strncmp(line, "# pass ", 7) == 0) {
			cur->disabled = 1;
			cur = NULL;
		} else if (strncmp(line, "#", 1) != 0)
			cur = NULL;
	}
	if (ferror(f))
		goto fail_errno;
	if (any && !mark) {
		set_err(err, errlen, "%s: not a file written by --learn (no "
		    "\"%s\" line); refusing to overwrite it", path, MARK);
		errno = EEXIST;
		goto out;
	}
	rc = 0;
	goto out;
fail_syntax:
	set_err(err, errlen, "%s:%d: malformed learned line: %s", path,
	    lineno, line);
	errno = EINVAL;
	goto out;
fail_errno:
	set_err(err, errlen, "%s: %s", path, strerror(errno));
out:
	free(line);
	fclose(f);
	return rc;
}

static void
prior_free(struct prior *p)
{
	recs_free(&p->recs);
	for (size_t i = 0; i < p->ncap; i++)
		free(p->cap[i]);
	free(p->cap);
	free(p->tail);
}

/* ---- OUT: writing ------------------------------------------------- */

static int
cmp_rec(const void *x, const void *y)
{
	const struct rec *a = x, *b = y;
	struct keyparts ka, kb;
	long pa, pb;
	int c;

	if (a->reported != b->reported)
		return a->reported - b->reported;
	if (key_split(a->key, &ka) < 0 || key_split(b->key, &kb) < 0)
		return strcmp(a->key, b->key);
	if ((c = strcmp(ka.proto, kb.proto)) != 0)
		return c;
	pa = ka.portnum < 0 ? 65536 - ka.portnum : ka.portnum;
	pb = kb.portnum < 0 ? 65536 - kb.portnum : kb.portnum;
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void
write_rec(FILE *f, const struct rec *r, const char *bmc_var)
{
	struct keyparts k;
	char first[32], last[32], svc[64];
	const char *dst;

	key_split(r->key, &k);		/* checked when made or read */
	time_word(r->first, first, sizeof(first));
	time_word(r->last, last, sizeof(last));
	service_word(&k, svc, sizeof(svc));
	dst = strcmp(k.kind, "host") == 0 ? "any" : k.val;
	fprintf(f, "\n# %s: %s sid=%" PRIu32 " flows=%" PRIu64 " bytes=%" PRIu64
	    " hosts=%" PRIu64 " addrs=%" PRIu64 " first=%s last=%s\n",
	    r->reported ? "reported" : "learned", r->key, r->sid, r->flows,
	    r->bytes, r->hosts, r->addrs, first, last);
	for (size_t i = 0; i < r->nper; i++)
		fprintf(f, "#   periodic: %s\n", r->per[i]);
	if (r->reported) {
		fprintf(f, "#   not passed: %s %s any -> %s %s%s%s%s\n", k.proto,
		    bmc_var, dst, k.port, dst == k.val ? "" : " host:\"",
		    dst == k.val ? "" : k.val, dst == k.val ? "" : "\"");
		return;
	}
	fprintf(f, "%spass %s %s any -> %s %s (msg:\"learned: %s to %s\"; ",
	    r->disabled ? "# " : "", k.proto, bmc_var, dst, k.port, svc, k.val);
	if (dst != k.val)
		fprintf(f, "host:\"%s\"; ", k.val);
	fprintf(f, "sid:%" PRIu32 "; rev:1;)\n", r->sid);
}

static int
write_file(FILE *f, const struct learn *l, struct prior *p,
    const char *bmc_var)
{
	struct recs *rs = &p->recs;
	int64_t first = 0, last = 0;
	size_t npass = 0, nrep = 0, i;
	char t1[32], t2[32];

	for (i = 0; i < rs->n; i++) {
		if (i == 0 || rs->r[i].first < first)
			first = rs->r[i].first;
		if (i == 0 || rs->r[i].last > last)
			last = rs->r[i].last;
		if (rs->r[i].reported)
			nrep++;
		else
			npass++;
	}
	time_word(first, t1, sizeof(t1));
	time_word(last, t2, sizeof(t2));
	fprintf(f, "# Allowlist learned by `bmcwatch --learn` from what the "
	    "BMCs (%s) started.\n", bmc_var);
	fprintf(f, "# REVIEW EVERY RULE before use: a rule here only says the "
	    "traffic happened,\n# not that it is wanted.  Periodic series are "
	    "listed under their rule: tell\n# NTP polling from a beacon before "
	    "accepting one.  Destinations an alert rule\n# matched are never "
	    "passed; they are listed at the end.\n#\n");
	fprintf(f, "# The \"# learned:\" and \"# reported:\" lines are read by "
	    "the next --learn run\n# with this file, which adds its counts "
	    "instead of writing the rules again.\n# Comment a rule out with "
	    "\"# \" to keep it out; it stays out.  Add your own\n# rules below "
	    "the \"end of learned rules\" line: they are kept as they are.\n");
	fprintf(f, "%s\n", MARK);
	fprintf(f, "# seen: first %s, last %s\n", t1, t2);
	fprintf(f, "# sids: %" PRIu32 "-%" PRIu32 " (reserved for learned "
	    "rules)\n", l->sid_lo, l->sid_hi);
	fprintf(f, "# rules: %zu passed, %zu reported\n", npass, nrep);
	fprintf(f, "# totals: passed-flows=%" PRIu64 " passed-bytes=%" PRIu64
	    " dropped=%" PRIu64 "\n", p->passed_flows, p->passed_bytes,
	    p->dropped);
	fprintf(f, "#   (passed-flows: already allowed by other pass rules; "
	    "dropped: flows not\n#   learned because the learner's table was "
	    "full, raise its limit and rerun)\n");
	for (i = 0; i < p->ncap; i++)
		fprintf(f, "# capture: %s\n", p->cap[i]);
	for (i = 0; i < rs->n && !rs->r[i].reported; i++)
		write_rec(f, &rs->r[i], bmc_var);
	if (i < rs->n)
		fprintf(f, "\n# Not passed (an alert rule matched):\n");
	for (; i < rs->n; i++)
		write_rec(f, &rs->r[i], bmc_var);
	fprintf(f, "\n%s (your own rules below this line are kept) ---\n",
	    END_MARK);
	if (p->tail != NULL)
		fwrite(p->tail, 1, p->taillen, f);
	return ferror(f) ? -1 : 0;
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
			set_err(err, errlen, "the learned sid range %" PRIu32
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
		set_err(err, errlen, "the source must be a variable, like $BMC");
		errno = EINVAL;
		return -1;
	}
	if (prior_read(out_path, &p, l, err, errlen) < 0)
		goto out;
	n0 = p.recs.n;
	/* new sids go to new rules in key order: sort what this run adds */
	if (group(l, &p.recs) < 0)
		goto fail_errno;
	sort(p.recs.r + n0, p.recs.n - n0, sizeof(struct rec), cmp_rec);
	if (assign_sids(l, &p.recs, err, errlen) < 0)
		goto out;
	sort(p.recs.r, p.recs.n, sizeof(struct rec), cmp_rec);
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
	sort(p.cap, p.ncap, sizeof(*p.cap), cmp_str);
	if (asprintf(&tmp, "%s.tmp", out_path) < 0) {
		tmp = NULL;
		goto fail_errno;
	}
	if ((f = fopen(tmp, "w")) == NULL)
		goto fail_errno;
	if (write_file(f, l, &p, bmc_var) < 0 || fflush(f) != 0 ||
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
	set_err(err, errlen, "%s: %s", out_path, strerror(errno));
out:
	e = errno;
	if (f != NULL) {
		fclose(f);
		unlink(tmp);
	} else if (rc < 0 && tmp != NULL)
		unlink(tmp);
	free(tmp);
	prior_free(&p);
	/* group() moved passed tuples into the counters: undo, so a
	   second learn_write of the same learner writes the same file */
	l->passed_flows = pf;
	l->passed_bytes = pb;
	errno = e;
	return rc;
}
