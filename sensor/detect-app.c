/*
 * detect-app.c - see detect-app.h.
 *
 * A condition on something the flow has not shown (no SNI yet, no IPMI
 * session) is false, never an error: the engine evaluates the policy
 * again when metadata arrives, so the rule gets its chance then.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "detect-app.h"
#include "app-flow.h"
#include "hash.h"

#define UE_USERS	32		/* user names remembered per source */

struct ue_entry {
	struct bw_addr	 src;
	uint8_t		 used;
	uint8_t		 n;
	uint32_t	 hash[UE_USERS];
	int64_t		 ts[UE_USERS];
};

struct user_enum {
	struct ue_entry	*e;
	size_t		 n;		/* power of two */
};

struct user_enum *
user_enum_new(size_t slots)
{
	struct user_enum *u = calloc(1, sizeof(*u));

	if (u == NULL)
		return NULL;
	u->n = 64;
	while (u->n < slots)
		u->n <<= 1;
	if ((u->e = calloc(u->n, sizeof(*u->e))) == NULL) {
		free(u);
		return NULL;
	}
	return u;
}

void
user_enum_free(struct user_enum *u)
{
	if (u == NULL)
		return;
	free(u->e);
	free(u);
}

static struct ue_entry *
ue_slot(struct user_enum *u, const struct bw_addr *src)
{
	struct ue_entry *e = &u->e[fnv1a32(FNV32_INIT, src, sizeof(*src)) &
	    (u->n - 1)];

	if (!e->used || memcmp(&e->src, src, sizeof(*src)) != 0) {
		memset(e, 0, sizeof(*e));	/* newest source wins */
		e->src = *src;
		e->used = 1;
	}
	return e;
}

static void
ue_add(struct ue_entry *e, const char *user, int64_t ts)
{
	uint32_t h = fnv1a32(FNV32_INIT, user, strlen(user));
	int oldest = 0;

	for (int i = 0; i < e->n; i++)
		if (e->hash[i] == h) {
			if (ts > e->ts[i])
				e->ts[i] = ts;
			return;
		}
	if (e->n < UE_USERS) {
		e->hash[e->n] = h;
		e->ts[e->n++] = ts;
		return;
	}
	for (int i = 1; i < UE_USERS; i++)
		if (e->ts[i] < e->ts[oldest])
			oldest = i;
	e->hash[oldest] = h;
	e->ts[oldest] = ts;
}

static int
ue_count(const struct ue_entry *e, int64_t since)
{
	int c = 0;

	for (int i = 0; i < e->n; i++)
		c += e->ts[i] >= since;
	return c;
}

int
glob_match(const char *p, const char *s)
{
	const char *star = NULL, *ss = NULL;

	while (*s != '\0') {
		if (*p == '*') {
			star = p++;
			ss = s;
		} else if (*p == '?' ||
		    tolower((unsigned char)*p) == tolower((unsigned char)*s)) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star + 1;
			s = ++ss;
		} else
			return 0;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* A name against a glob list, honouring `!`; unknown names never match. */
static int
name_in(const struct app_cond *c, const char *name)
{
	int in = 0;

	if (name == NULL)
		return 0;
	for (size_t i = 0; i < c->nstrs && !in; i++)
		in = glob_match(c->strs[i], name);
	return c->neg ? !in : in;
}

static int
str_in(const struct app_cond *c, const char *s)
{
	int in = 0;

	if (s == NULL)
		return 0;
	for (size_t i = 0; i < c->nstrs && !in; i++)
		in = strcmp(c->strs[i], s) == 0;
	return c->neg ? !in : in;
}

static int
num_in(const struct app_cond *c, uint32_t v)
{
	int in = 0;

	for (size_t i = 0; i < c->nnums && !in; i++)
		in = c->nums[i] == v;
	return c->neg ? !in : in;
}

static int
ipmi_user(const struct app_cond *c, const struct rmcp_flow *m)
{
	/* any name tried on this flow that satisfies the list */
	if (m->null_user && str_in(c, ""))
		return 1;
	for (int i = 0; i < m->nusers; i++)
		if (str_in(c, m->users[i]))
			return 1;
	return 0;
}

static int
cond(struct user_enum *u, const struct app_cond *c, const struct flow *f,
    const struct flow_ext *x, int64_t ts, int final)
{
	/* the protocol parts are NULL unless x is of that protocol */
	const struct rmcp_flow *m = flow_rmcp(x);
	const struct snmp_flow *sn = flow_snmp(x);
	const struct ntp_flow *nt = flow_ntp(x);

	switch (c->kind) {
	case AC_APP_PROTO:
		return num_in(c, x != NULL ? x->app : APP_UNKNOWN);
	case AC_DNS_QUERY:
		return x != NULL && x->app == APP_DNS && name_in(c, x->name);
	case AC_TLS_SNI:
		return x != NULL && x->app == APP_TLS && name_in(c, x->name);
	case AC_HTTP_HOST:
		return x != NULL && x->app == APP_HTTP && name_in(c, x->name);
	case AC_HOST:
		return x != NULL && (name_in(c, x->name) || name_in(c, x->rname));
	case AC_IPMI_CIPHER:
		if (m == NULL || !m->offer_valid)
			return 0;
		if (!c->accepted)
			return num_in(c, (uint32_t)m->offer_suite) &&
			    m->offer_suite >= 0;
		if (!m->accept_valid || m->accept_status != 0)
			return 0;
		if (m->accept_suite >= 0)
			return num_in(c, (uint32_t)m->accept_suite);
		return m->offer_suite >= 0 && num_in(c, (uint32_t)m->offer_suite);
	case AC_IPMI_AUTH:
		return m != NULL && m->auth15 != 0xff && num_in(c, m->auth15);
	case AC_IPMI_USER:
		return m != NULL && ipmi_user(c, m);
	case AC_IPMI_USER_ENUM: {
		struct ue_entry *e;
		if (m == NULL || u == NULL || (m->nusers == 0 && !m->null_user))
			return 0;
		e = ue_slot(u, flow_src(f));
		for (int i = 0; i < m->nusers; i++)
			ue_add(e, m->users[i], ts);
		if (m->null_user)
			ue_add(e, "", ts);
		return ue_count(e, ts - (int64_t)c->seconds * 1000000000LL) >=
		    (int)c->count;
	}
	case AC_IPMI_AUTHCAP:
		if (m == NULL || !m->authcap_valid)
			return 0;
		for (size_t i = 0; i < c->nnums; i++) {
			int bit = c->nums[i] == 0 ? m->authcap_anon :
			    m->authcap_null;
			if (c->neg ? bit : !bit)
				return 0;
		}
		return 1;
	case AC_IPMI_HASH:
		/* a RAKP 2 carrying an HMAC (status 0) and no RAKP 3: the
		 * client took the hash and left (threats.md A1) */
		return final && m != NULL && m->rakp2_status == 0 &&
		    m->rakp3_count == 0;
	case AC_SNMP_COMMUNITY:
		return sn != NULL && str_in(c, sn->community);
	case AC_SNMP_VERSION:
		return sn != NULL && sn->version != 0 &&
		    num_in(c, sn->version);
	case AC_NTP_MODE:
		return nt != NULL && nt->valid && num_in(c, nt->mode);
	case AC_NTP_ANOMALY:
		return nt != NULL && nt->anomaly != 0;
	}
	return 0;
}

int
detect_app_match(struct user_enum *u, const struct rule *r,
    const struct flow *f, int64_t ts, int final)
{
	for (size_t i = 0; i < r->napp; i++)
		if (!cond(u, &r->app[i], f, f->ext, ts, final))
			return 0;
	return 1;
}
