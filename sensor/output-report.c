/*
 * output-report.c - the triage report's model: EVE lines in, aggregates
 * out (alert groups, beacon alerts, peers per initiator, name series,
 * IPMI sessions, hosts, the last stats record).  Rendering is in
 * output-report-html.c and output-report-svg.c.
 *
 * Why jansson: EVE files handed to --from-eve are input like any other
 * and may be damaged or hostile; a well-kept parser that rejects what is
 * not JSON (and keeps NUL bytes, which EVE writes as \u0000, with their
 * length) is the safe way to read them.  Aggregation keeps the memory
 * proportional to distinct (src, dest, port) pairs, not to records;
 * only times are kept per record, capped per series (TL_MAX).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "output-report.h"
#include "output-report-int.h"

/* Hash keys: interned pointers (equal strings, equal pointers) and numbers. */
struct agkey { const void *sig, *a, *b, *p; int64_t sid_port; };
struct pkey { const void *a, *b, *p; int64_t port; };
struct nkey { const void *a, *b; int64_t kind; };
struct ikey { uint64_t id; const void *a, *b; };

struct report *
report_new(void)
{
	struct report *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	km_init(&r->agm, sizeof(struct agkey));
	km_init(&r->pm, sizeof(struct pkey));
	km_init(&r->nm, sizeof(struct nkey));
	km_init(&r->im, sizeof(struct ikey));
	km_init(&r->hm, sizeof(const struct rstr *));
	r->tmin = INT64_MAX;
	r->tmax = INT64_MIN;
	return r;
}

void
report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nag; i++)
		tl_free(&r->ag[i].t);
	for (i = 0; i < r->nbc; i++)
		free(r->bc[i].times);
	for (i = 0; i < r->npe; i++)
		tl_free(&r->pe[i].starts);
	for (i = 0; i < r->nns; i++)
		tl_free(&r->ns[i].t);
	free(r->ag);
	free(r->bc);
	free(r->pe);
	free(r->ns);
	free(r->ip);
	free(r->ho);
	km_free(&r->agm);
	km_free(&r->pm);
	km_free(&r->nm);
	km_free(&r->im);
	km_free(&r->hm);
	sp_free(&r->pool);
	free(r);
}

/* Append one zeroed element to a growable array; NULL when out of memory. */
static void *
grow(void **arr, size_t *n, size_t *cap, size_t size)
{
	if (*n >= UINT32_MAX - 1)
		return NULL;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *na = realloc(*arr, nc * size);

		if (na == NULL)
			return NULL;
		*arr = na;
		*cap = nc;
	}
	memset((char *)*arr + *n * size, 0, size);
	return (char *)*arr + (*n)++ * size;
}
#define GROW(r, a, n, c) grow((void **)&(r)->a, &(r)->n, &(r)->c, sizeof(*(r)->a))

/* --- field access --- */

static json_t *
path(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	return b == NULL ? v : json_object_get(v, b);
}

static const struct rstr *
str(struct report *r, json_t *v)
{
	if (!json_is_string(v))
		return NULL;
	return sp_intern(&r->pool, json_string_value(v),
	    json_string_length(v));
}

static int64_t
num(json_t *v, int64_t def)
{
	double d;

	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (d > -9e18 && d < 9e18)
			return (int64_t)d;
	}
	return def;
}

static double
dbl(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : 0;
}

static int64_t
tstamp(json_t *v)
{
	int64_t us;

	if (json_is_string(v) && parse_time(json_string_value(v), &us) == 0)
		return us;
	return TS_NONE;
}

static void
span(struct report *r, int64_t ts)
{
	if (ts == TS_NONE)
		return;
	if (ts < r->tmin)
		r->tmin = ts;
	if (ts > r->tmax)
		r->tmax = ts;
}

/* The name a flow used: SNI, else HTTP Host, else the DNS query, else resolved. */
static const struct rstr *
flow_name(struct report *r, json_t *o)
{
	const struct rstr *s;

	if ((s = str(r, path(o, "tls", "sni"))) != NULL && s->len > 0)
		return s;
	if ((s = str(r, path(o, "http", "hostname"))) != NULL && s->len > 0)
		return s;
	s = str(r, path(json_array_get(path(o, "dns", "queries"), 0),
	    "rrname", NULL));
	if (s != NULL && s->len > 0)
		return s;
	return str(r, path(o, "conn", "resolved"));
}

static void
add_sid(uint32_t *set, int *n, int *more, uint32_t sid)
{
	for (int i = 0; i < *n; i++)
		if (set[i] == sid)
			return;
	if (*n < SMALL_SET) {
		set[(*n)++] = sid;
		/* kept sorted so the page does not depend on arrival order */
		for (int i = *n - 1; i > 0 && set[i] < set[i - 1]; i--) {
			uint32_t t = set[i];
			set[i] = set[i - 1];
			set[i - 1] = t;
		}
	} else
		*more = 1;
}

static struct r_host *
host(struct report *r, const struct rstr *ip)
{
	uint32_t i;
	struct r_host *h;

	if (ip == NULL)
		return NULL;
	if ((i = km_get(&r->hm, &ip)) != UINT32_MAX)
		return &r->ho[i];
	if ((h = GROW(r, ho, nho, capho)) == NULL)
		return NULL;
	if (km_put(&r->hm, &ip, (uint32_t)(r->nho - 1)) != 0) {
		r->nho--;
		return NULL;
	}
	h->ip = ip;
	return h;
}

struct common {
	const struct rstr *src, *dest, *proto, *app;
	int		 dport;
	uint64_t	 flow_id;
	int64_t		 ts;
};

static void
common(struct report *r, json_t *o, struct common *c)
{
	struct r_host *h;

	c->src = str(r, json_object_get(o, "src_ip"));
	c->dest = str(r, json_object_get(o, "dest_ip"));
	c->proto = str(r, json_object_get(o, "proto"));
	c->app = str(r, json_object_get(o, "app_proto"));
	c->dport = (int)num(json_object_get(o, "dest_port"), -1);
	if (c->dport < -1 || c->dport > 65535)
		c->dport = -1;
	c->flow_id = (uint64_t)num(json_object_get(o, "flow_id"), 0);
	c->ts = tstamp(json_object_get(o, "timestamp"));
	host(r, c->src);
	h = host(r, c->dest);
	if (h != NULL && ((c->app != NULL && strcmp(c->app->s, "rmcp") == 0)
	    || json_is_object(json_object_get(o, "ipmi"))))
		h->rmcp_server = 1;
}

static struct r_peer *
peer(struct report *r, const struct common *c)
{
	struct pkey k;
	struct r_peer *p;
	uint32_t i;

	memset(&k, 0, sizeof(k));
	k.a = c->src;
	k.b = c->dest;
	k.p = c->proto;
	k.port = c->dport;
	if ((i = km_get(&r->pm, &k)) != UINT32_MAX)
		return &r->pe[i];
	if ((p = GROW(r, pe, npe, cappe)) == NULL)
		return NULL;
	if (km_put(&r->pm, &k, (uint32_t)(r->npe - 1)) != 0) {
		r->npe--;
		return NULL;
	}
	p->src = c->src;
	p->dest = c->dest;
	p->proto = c->proto;
	p->dport = c->dport;
	p->first = INT64_MAX;
	p->last = INT64_MIN;
	p->name_ts = p->app_ts = INT64_MAX;
	return p;
}

static void
name_event(struct report *r, const struct rstr *src, const struct rstr *name,
    int kind, int64_t ts)
{
	struct nkey k;
	struct r_nameser *s;
	uint32_t i;

	if (src == NULL || name == NULL || name->len == 0 || ts == TS_NONE)
		return;
	memset(&k, 0, sizeof(k));
	k.a = src;
	k.b = name;
	k.kind = kind;
	if ((i = km_get(&r->nm, &k)) != UINT32_MAX)
		s = &r->ns[i];
	else {
		if ((s = GROW(r, ns, nns, capns)) == NULL)
			return;
		if (km_put(&r->nm, &k, (uint32_t)(r->nns - 1)) != 0) {
			r->nns--;
			return;
		}
		s->src = src;
		s->name = name;
		s->kind = kind;
	}
	tl_add(&s->t, ts);
}

static int
has_message(json_t *msgs, const char *m)
{
	size_t i;
	json_t *v;

	json_array_foreach(msgs, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), m) == 0)
			return 1;
	return 0;
}

static int
boolean(json_t *v)
{
	return json_is_boolean(v) ? json_is_true(v) : -1;
}

static void
ipmi_update(struct report *r, const struct common *c, json_t *o,
    int from_flow)
{
	struct ikey k;
	struct r_ipmi *s;
	json_t *ip = json_object_get(o, "ipmi"), *v, *msgs;
	uint32_t i;
	size_t j;

	if (!json_is_object(ip))
		return;
	memset(&k, 0, sizeof(k));
	k.id = c->flow_id;
	k.a = c->src;
	k.b = c->dest;
	if ((i = km_get(&r->im, &k)) != UINT32_MAX) {
		s = &r->ip[i];
		if (s->from_flow && !from_flow)
			return;			/* the flow record knows more */
		if (!s->from_flow && !from_flow && (c->ts < s->ts ||
		    (c->ts == s->ts && json_array_size(json_object_get(ip,
		    "messages")) <= (size_t)s->nmsgs)))
			return;			/* an earlier alert knows less */
	} else {
		if ((s = GROW(r, ip, nip, capip)) == NULL)
			return;
		if (km_put(&r->im, &k, (uint32_t)(r->nip - 1)) != 0) {
			r->nip--;
			return;
		}
	}
	memset(s, 0, sizeof(*s));
	s->flow_id = c->flow_id;
	s->src = c->src;
	s->dest = c->dest;
	s->from_flow = from_flow;
	s->ts = from_flow ? tstamp(path(o, "flow", "start")) : c->ts;
	if (s->ts == TS_NONE)
		s->ts = c->ts;
	s->offered = (int)num(path(ip, "offered", "cipher_suite"), -1);
	s->accepted = (int)num(json_object_get(ip, "cipher_suite_accepted"),
	    -1);
	s->rakp2_status = (int)num(json_object_get(ip, "rakp2_status"), -1);
	msgs = json_object_get(ip, "messages");
	s->nmsgs = (int)(json_array_size(msgs) < 1000 ? json_array_size(msgs) :
	    1000);
	s->rakp1 = has_message(msgs, "rakp1");
	s->rakp2 = has_message(msgs, "rakp2");
	s->rakp3 = has_message(msgs, "rakp3") ||
	    boolean(json_object_get(ip, "rakp3_seen")) == 1;
	s->anonymous = boolean(json_object_get(ip, "anonymous_login"));
	s->null_users = boolean(json_object_get(ip, "null_users"));
	v = json_object_get(ip, "auth_type");
	s->auth_type = !json_is_string(v) ? -1 :
	    strcmp(json_string_value(v), "none") == 0 ? 0 :
	    strcmp(json_string_value(v), "password") == 0 ? 4 : 1;
	json_array_foreach(json_object_get(ip, "users"), j, v) {
		const struct rstr *u = str(r, v);

		if (u == NULL)
			continue;
		if (s->nusers < IPMI_USERS)
			s->users[s->nusers++] = u;
		else
			s->users_more = 1;
	}
}

/*
 * Whether a record at ts (with key s) comes before the one that set *cur
 * (with key cur_s); if so *cur becomes ts.  Picking "the earliest" rather
 * than "the first read" makes the page independent of the order of the
 * input lines and files.
 */
static int
earlier(int64_t *cur, int64_t ts, const struct rstr *cur_s,
    const struct rstr *s)
{
	if (ts < *cur || (ts == *cur && rstr_cmp(s, cur_s) < 0)) {
		*cur = ts;
		return 1;
	}
	return 0;
}

/* The SMALL_SET smallest distinct names, sorted; more_names if any other. */
static void
add_name(struct r_agroup *a, const struct rstr *nm)
{
	int i;

	for (i = 0; i < a->nnames; i++)
		if (a->names[i] == nm)
			return;
	if (a->nnames == SMALL_SET) {
		a->more_names = 1;
		if (rstr_cmp(nm, a->names[SMALL_SET - 1]) > 0)
			return;
		a->nnames--;
	}
	for (i = a->nnames; i > 0 && rstr_cmp(nm, a->names[i - 1]) < 0; i--)
		a->names[i] = a->names[i - 1];
	a->names[i] = nm;
	a->nnames++;
}

static void
peer_name(struct r_peer *p, int64_t ts, const struct rstr *app,
    const struct rstr *name)
{
	if (app != NULL && (p->app == NULL || ts < p->app_ts ||
	    (ts == p->app_ts && rstr_cmp(app, p->app) < 0))) {
		p->app = app;
		p->app_ts = ts;
	}
	if (name != NULL && name->len > 0 &&
	    earlier(&p->name_ts, ts, p->name, name))
		p->name = name;
}

/* --- records --- */

static void
geo_side(struct report *r, json_t *g, struct r_agroup *a)
{
	a->cc = str(r, json_object_get(g, "country"));
	a->asorg = str(r, json_object_get(g, "as_org"));
	a->asn = num(json_object_get(g, "asn"), 0);
}

static void
beacon_rec(struct report *r, const struct common *c, json_t *o,
    const struct r_agroup *g)
{
	json_t *b = json_object_get(o, "beacon"), *t, *v;
	struct r_beacon *x;
	size_t i;

	if ((x = GROW(r, bc, nbc, capbc)) == NULL)
		return;
	x->ts = c->ts;
	x->sid = g->sid;
	x->severity = g->severity;
	x->sig = g->sig;
	x->src = c->src;
	x->dest = c->dest;
	x->proto = c->proto;
	x->dport = c->dport;
	x->key = str(r, json_object_get(b, "key"));
	x->name = str(r, json_object_get(b, "name"));
	x->wire = flow_name(r, o);
	x->period = dbl(json_object_get(b, "period_s"));
	x->jitter = dbl(json_object_get(b, "jitter"));
	x->span = dbl(json_object_get(b, "span_s"));
	x->score = dbl(json_object_get(b, "score"));
	x->events = num(json_object_get(b, "events"), 0);
	x->size_mode = num(json_object_get(b, "size_mode"), 0);
	x->missed = num(json_object_get(b, "missed"), 0);
	t = json_object_get(b, "times");
	if (json_array_size(t) > 0 && json_array_size(t) <= 4096 &&
	    (x->times = calloc(json_array_size(t), sizeof(double))) != NULL)
		json_array_foreach(t, i, v)
			if (json_is_number(v))
				x->times[x->ntimes++] = json_number_value(v);
}

static void
alert_rec(struct report *r, json_t *o)
{
	struct agkey k;
	json_t *al = json_object_get(o, "alert"), *g;
	struct common c;
	struct r_agroup *a;
	struct r_peer *p;
	const struct rstr *nm, *url;
	uint32_t i, sid;

	common(r, o, &c);
	sid = (uint32_t)num(json_object_get(al, "signature_id"), 0);
	memset(&k, 0, sizeof(k));
	k.sig = str(r, json_object_get(al, "signature"));
	k.a = c.src;
	k.b = c.dest;
	k.p = c.proto;
	k.sid_port = (int64_t)sid << 20 | (c.dport + 1);
	if ((i = km_get(&r->agm, &k)) != UINT32_MAX)
		a = &r->ag[i];
	else {
		if ((a = GROW(r, ag, nag, capag)) == NULL)
			return;
		if (km_put(&r->agm, &k, (uint32_t)(r->nag - 1)) != 0) {
			r->nag--;
			return;
		}
		a->sid = sid;
		a->sig = k.sig;
		a->cat = str(r, json_object_get(al, "category"));
		a->severity = (int)num(json_object_get(al, "severity"), 3);
		a->src = c.src;
		a->dest = c.dest;
		a->proto = c.proto;
		a->app = c.app;
		a->dport = c.dport;
		a->first = INT64_MAX;
		a->last = INT64_MIN;
		a->http_ts = a->geo_ts = INT64_MAX;
	}
	r->alerts++;
	a->count++;
	span(r, c.ts);
	if (c.ts != TS_NONE) {
		if (c.ts < a->first)
			a->first = c.ts;
		if (c.ts > a->last)
			a->last = c.ts;
		tl_add(&a->t, c.ts);
	}
	if ((nm = flow_name(r, o)) != NULL && nm->len > 0)
		add_name(a, nm);
	/* HTTP fields and GeoIP of the earliest alert: order-independent */
	url = str(r, path(o, "http", "url"));
	if ((url != NULL || json_is_object(json_object_get(o, "http"))) &&
	    earlier(&a->http_ts, c.ts, a->url, url)) {
		a->url = url;
		a->ua = str(r, path(o, "http", "http_user_agent"));
		a->method = str(r, path(o, "http", "http_method"));
	}
	g = path(o, "geoip", "dest");
	if (!json_is_object(g))
		g = path(o, "geoip", "src");
	if (json_is_object(g) && earlier(&a->geo_ts, c.ts, a->cc,
	    str(r, json_object_get(g, "country"))))
		geo_side(r, g, a);
	if (json_is_object(json_object_get(o, "beacon"))) {
		a->beacon = 1;
		beacon_rec(r, &c, o, a);
	}
	if ((p = peer(r, &c)) != NULL) {
		p->alerts++;
		if (c.ts != TS_NONE && c.ts < p->first)
			p->first = c.ts;
		if (c.ts != TS_NONE && c.ts > p->last)
			p->last = c.ts;
		add_sid(p->asid, &p->nasid, &p->asid_more, sid);
		peer_name(p, c.ts, c.app, flow_name(r, o));
	}
	ipmi_update(r, &c, o, 0);
}

static void
flow_rec(struct report *r, json_t *o)
{
	struct common c;
	struct r_peer *p;
	json_t *f = json_object_get(o, "flow"), *v;
	int64_t start, end;
	const struct rstr *pol;

	common(r, o, &c);
	r->flows++;
	start = tstamp(json_object_get(f, "start"));
	end = tstamp(json_object_get(f, "end"));
	if (start == TS_NONE)
		start = c.ts;
	if (end == TS_NONE)
		end = c.ts;
	span(r, start);
	span(r, end);
	if ((p = peer(r, &c)) == NULL)
		return;
	p->flows++;
	p->bytes_ts += (uint64_t)num(json_object_get(f, "bytes_toserver"), 0);
	p->bytes_tc += (uint64_t)num(json_object_get(f, "bytes_toclient"), 0);
	if (start != TS_NONE && start < p->first)
		p->first = start;
	if (end != TS_NONE && end > p->last)
		p->last = end;
	if (start != TS_NONE)
		tl_add(&p->starts, start);
	peer_name(p, start, c.app, flow_name(r, o));
	pol = str(r, path(o, "conn", "policy"));
	if (pol != NULL && strcmp(pol->s, "alert") == 0)
		p->policy_alert++;
	v = path(o, "conn", "pass_sid");
	if (json_is_integer(v))
		add_sid(p->pass, &p->npass, &p->pass_more,
		    (uint32_t)json_integer_value(v));
	name_event(r, c.src, str(r, path(json_array_get(path(o, "dns",
	    "queries"), 0), "rrname", NULL)), 1, start);
	name_event(r, c.src, str(r, path(o, "tls", "sni")), 2, start);
	ipmi_update(r, &c, o, 1);
}

static void
dns_rec(struct report *r, json_t *o)
{
	struct common c;
	json_t *d = json_object_get(o, "dns"), *q;
	const struct rstr *type;
	size_t i;

	common(r, o, &c);
	r->dns++;
	span(r, c.ts);
	type = str(r, json_object_get(d, "type"));
	if (type == NULL || strcmp(type->s, "request") != 0)
		return;
	json_array_foreach(json_object_get(d, "queries"), i, q)
		name_event(r, c.src, str(r, json_object_get(q, "rrname")), 0,
		    c.ts);
}

static void
stats_rec(struct report *r, json_t *o)
{
	int64_t ts = tstamp(json_object_get(o, "timestamp"));
	json_t *s = json_object_get(o, "stats"), *b = json_object_get(o,
	    "bmcwatch");
	struct r_stats *st = &r->st;

	r->stats++;
	span(r, ts);
	/*
	 * Counters are cumulative: the latest record holds the totals (of
	 * two at the same time, the one with more packets).
	 */
	if (st->seen && (ts < st->ts || (ts == st->ts &&
	    num(path(s, "decoder", "pkts"), -1) <= st->pkts)))
		return;
	st->seen = 1;
	st->ts = ts;
	st->pkts = num(path(s, "decoder", "pkts"), -1);
	st->bytes = num(path(s, "decoder", "bytes"), -1);
	st->flows = num(path(s, "flow", "total"), -1);
	st->kernel_drops = num(path(s, "capture", "kernel_drops"), -1);
	st->malformed = num(json_object_get(b, "malformed"), -1);
	st->files = num(json_object_get(b, "files"), -1);
	st->files_failed = num(json_object_get(b, "files_failed"), -1);
	st->files_truncated = num(json_object_get(b, "files_truncated"), -1);
	st->evicted = num(path(b, "flows", "evicted"), -1);
	st->suppressed = num(json_object_get(b, "alerts_suppressed"), -1);
	st->alerts = num(json_object_get(b, "alerts"), -1);
}

int
report_add_eve(struct report *r, const char *line, size_t len, char *err,
    size_t errlen)
{
	json_error_t je;
	json_t *o;
	const char *type;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
	    line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (len == 0)
		return 0;
	r->lines++;
	if ((o = json_loadb(line, len, JSON_ALLOW_NUL, &je)) == NULL) {
		r->bad++;
		snprintf(err, errlen, "not JSON (column %d): %s", je.column,
		    je.text);
		/* jansson quotes the input: keep terminals safe */
		for (char *e = err; errlen > 0 && *e != '\0'; e++)
			if ((unsigned char)*e < 0x20 || (unsigned char)*e >= 0x7f)
				*e = '?';
		return -1;
	}
	if (!json_is_object(o)) {
		r->bad++;
		json_decref(o);
		snprintf(err, errlen, "not a JSON object");
		return -1;
	}
	type = json_string_value(json_object_get(o, "event_type"));
	if (type == NULL)
		r->other++;
	else if (strcmp(type, "alert") == 0)
		alert_rec(r, o);
	else if (strcmp(type, "flow") == 0)
		flow_rec(r, o);
	else if (strcmp(type, "dns") == 0)
		dns_rec(r, o);
	else if (strcmp(type, "stats") == 0)
		stats_rec(r, o);
	else
		r->other++;
	json_decref(o);
	return 0;
}
