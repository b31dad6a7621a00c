/*
 * rules-app.c - rule options that test what the application layer
 * learned: names (dns.query, tls.sni, http.host, host), app_proto, and
 * the management protocols (ipmi.*, snmp.*, ntp.*).
 *
 * Values are comma-separated lists; strings are quoted, `!` before the
 * first item negates the whole list (as geoip: does).  Name matching is a
 * case-insensitive glob (`*` and `?`), because sites allow vendor clouds
 * by pattern ("*.supermicro.com").  Rules that test ipmi./snmp./ntp.
 * fields are findings about what a connection carries: a pass rule
 * (which says the connection is expected) does not silence them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules-int.h"
#include "app.h"
#include "app-flow.h"

struct kw {
	const char	*name;
	enum app_cond_kind kind;
	int		 finding;
};

static const struct kw kws[] = {
	{ "app_proto",		AC_APP_PROTO,		0 },
	{ "dns.query",		AC_DNS_QUERY,		0 },
	{ "tls.sni",		AC_TLS_SNI,		0 },
	{ "http.host",		AC_HTTP_HOST,		0 },
	{ "host",		AC_HOST,		0 },
	{ "ipmi.cipher",	AC_IPMI_CIPHER,		1 },
	{ "ipmi.auth",		AC_IPMI_AUTH,		1 },
	{ "ipmi.user",		AC_IPMI_USER,		1 },
	{ "ipmi.user_enum",	AC_IPMI_USER_ENUM,	1 },
	{ "ipmi.authcap",	AC_IPMI_AUTHCAP,	1 },
	{ "ipmi.rakp2_no_rakp3", AC_IPMI_HASH,		1 },
	{ "snmp.community",	AC_SNMP_COMMUNITY,	1 },
	{ "snmp.version",	AC_SNMP_VERSION,	1 },
	{ "ntp.mode",		AC_NTP_MODE,		1 },
	{ "ntp.anomaly",	AC_NTP_ANOMALY,		1 },
};

int
rp_is_app_option(const char *key)
{
	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (strcmp(key, kws[i].name) == 0)
			return 1;
	return 0;
}

/* The column of byte i of the value (values rarely span lines). */
static struct pos
at(struct pos v, size_t i)
{
	v.col += (int)i;
	return v;
}

/*
 * Split "a, !b, \"c,d\"" into items: quoted items keep their commas,
 * blanks around items are dropped.  Returns the count or -1.
 */
struct item { char *s; size_t off; int quoted; };

static int
items(struct parser *ps, const char *key, const char *v, size_t n,
    struct pos vp, struct item **out)
{
	struct item *it = NULL;
	size_t cap = 0, k = 0, i = 0;

	for (;;) {
		char *buf;
		size_t j, b = 0, start;
		int q = 0;

		while (i < n && isspace((unsigned char)v[i]))
			i++;
		start = i;
		if ((buf = malloc(n - i + 1)) == NULL)
			goto oom;
		if (i < n && v[i] == '"') {
			q = 1;
			for (j = i + 1; j < n && v[j] != '"'; j++) {
				if (v[j] == '\\' && j + 1 < n)
					j++;
				buf[b++] = v[j];
			}
			if (j >= n) {
				rp_perr(ps, at(vp, i), "%s: unterminated "
				    "string", key);
				free(buf);
				goto fail;
			}
			j++;
			while (j < n && isspace((unsigned char)v[j]))
				j++;
			if (j < n && v[j] != ',') {
				rp_perr(ps, at(vp, j), "%s: expected \",\" "
				    "after the string", key);
				free(buf);
				goto fail;
			}
		} else {
			for (j = i; j < n && v[j] != ','; j++)
				buf[b++] = v[j];
			while (b > 0 && isspace((unsigned char)buf[b - 1]))
				b--;
		}
		buf[b] = '\0';
		if (k == cap) {
			struct item *ni;
			cap = cap ? cap * 2 : 4;
			if ((ni = realloc(it, cap * sizeof(*it))) == NULL) {
				free(buf);
				goto oom;
			}
			it = ni;
		}
		it[k].s = buf;
		it[k].off = start;
		it[k].quoted = q;
		k++;
		if (j >= n)
			break;
		i = j + 1;
	}
	*out = it;
	return (int)k;
oom:
	rp_oom(ps);
fail:
	for (size_t x = 0; x < k; x++)
		free(it[x].s);
	free(it);
	return -1;
}

static void
free_items(struct item *it, int n)
{
	for (int i = 0; i < n; i++)
		free(it[i].s);
	free(it);
}

static int
add_str(struct parser *ps, struct app_cond *c, const char *s)
{
	char **ns = realloc(c->strs, (c->nstrs + 1) * sizeof(*ns));

	if (ns == NULL)
		return rp_oom(ps);
	c->strs = ns;
	if ((c->strs[c->nstrs] = strdup(s)) == NULL)
		return rp_oom(ps);
	c->nstrs++;
	return 0;
}

static int
add_num(struct parser *ps, struct app_cond *c, uint32_t v)
{
	uint32_t *nn = realloc(c->nums, (c->nnums + 1) * sizeof(*nn));

	if (nn == NULL)
		return rp_oom(ps);
	c->nums = nn;
	c->nums[c->nnums++] = v;
	return 0;
}

static int
num(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* A word from a fixed table, as its index. */
static int
word(const char *s, const char *const *tab, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(s, tab[i]) == 0)
			return (int)i;
	return -1;
}

static int
parse_cond(struct parser *ps, struct app_cond *c, const char *key,
    struct item *it, int n, struct pos vp)
{
	static const char *const auths[] = { "none", "md2", "md5", "",
	    "password", "oem" };
	static const char *const caps[] = { "anonymous", "null_user" };
	int first = 0;
	uint32_t v;

	if (n > 0 && it[0].s[0] == '!' && !it[0].quoted) {
		c->neg = 1;
		memmove(it[0].s, it[0].s + 1, strlen(it[0].s));
		while (isspace((unsigned char)it[0].s[0]))
			memmove(it[0].s, it[0].s + 1, strlen(it[0].s));
		if (it[0].s[0] == '"') {	/* !"ADMIN": unquote */
			size_t l = strlen(it[0].s);
			if (l < 2 || it[0].s[l - 1] != '"') {
				rp_perr(ps, at(vp, it[0].off), "%s: "
				    "unterminated string", key);
				return -1;
			}
			memmove(it[0].s, it[0].s + 1, l - 2);
			it[0].s[l - 2] = '\0';
			it[0].quoted = 1;
		}
	}
	switch (c->kind) {
	case AC_APP_PROTO:
		for (int i = first; i < n; i++) {
			int p = app_proto_from_name(it[i].s);
			if (p < 0) {
				rp_perr(ps, at(vp, it[i].off), "app_proto: "
				    "unknown protocol \"%s\" (dns, tls, http, "
				    "rmcp, snmp, ntp, ssh, syslog, unknown)",
				    it[i].s);
				return -1;
			}
			if (add_num(ps, c, (uint32_t)p) == -1)
				return -1;
		}
		return 0;
	case AC_DNS_QUERY: case AC_TLS_SNI: case AC_HTTP_HOST: case AC_HOST:
	case AC_IPMI_USER: case AC_SNMP_COMMUNITY:
		for (int i = first; i < n; i++) {
			if (!it[i].quoted) {
				rp_perr(ps, at(vp, it[i].off), "%s: expected a "
				    "quoted string, found \"%s\"", key, it[i].s);
				return -1;
			}
			if (add_str(ps, c, it[i].s) == -1)
				return -1;
		}
		return 0;
	case AC_IPMI_CIPHER:
		for (int i = first; i < n; i++) {
			if (strcmp(it[i].s, "accepted") == 0) {
				c->accepted = 1;
				continue;
			}
			if (num(it[i].s, 17, &v) == -1) {
				rp_perr(ps, at(vp, it[i].off), "ipmi.cipher: "
				    "expected a cipher suite 0-17 or "
				    "\"accepted\", found \"%s\"", it[i].s);
				return -1;
			}
			if (add_num(ps, c, v) == -1)
				return -1;
		}
		if (c->nnums == 0) {
			rp_perr(ps, vp, "ipmi.cipher: no cipher suite given");
			return -1;
		}
		return 0;
	case AC_IPMI_AUTH:
	case AC_IPMI_AUTHCAP:
		for (int i = first; i < n; i++) {
			int w = c->kind == AC_IPMI_AUTH ?
			    word(it[i].s, auths, 6) : word(it[i].s, caps, 2);
			if (w < 0 || (c->kind == AC_IPMI_AUTH && w == 3)) {
				rp_perr(ps, at(vp, it[i].off), "%s: unknown "
				    "value \"%s\" (%s)", key, it[i].s,
				    c->kind == AC_IPMI_AUTH ?
				    "none, md2, md5, password, oem" :
				    "anonymous, null_user");
				return -1;
			}
			if (add_num(ps, c, (uint32_t)w) == -1)
				return -1;
		}
		return 0;
	case AC_IPMI_USER_ENUM:
		if (n != 2 || num(it[0].s, 1000, &c->count) == -1 ||
		    c->count < 2 || num(it[1].s, 86400, &c->seconds) == -1 ||
		    c->seconds < 1 || c->neg) {
			rp_perr(ps, vp, "ipmi.user_enum: expected "
			    "COUNT,SECONDS (2-1000 distinct user names within "
			    "1-86400 seconds)");
			return -1;
		}
		return 0;
	case AC_SNMP_VERSION:
	case AC_NTP_MODE:
		for (int i = first; i < n; i++) {
			uint32_t max = c->kind == AC_NTP_MODE ? 7 : 3;
			if (num(it[i].s, max, &v) == -1) {
				rp_perr(ps, at(vp, it[i].off), "%s: expected a "
				    "number from 0 to %u, found \"%s\"", key,
				    max, it[i].s);
				return -1;
			}
			if (add_num(ps, c, v) == -1)
				return -1;
		}
		return 0;
	case AC_IPMI_HASH:
	case AC_NTP_ANOMALY:
		break;
	}
	return 0;
}

int
rp_app_option(struct parser *ps, struct rule *r, const char *key,
    struct pos kpos, int has_value, const char *v, size_t n, struct pos vp)
{
	const struct kw *k = NULL;
	struct app_cond c, *nc;
	struct item *it = NULL;
	int ni = 0;

	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (strcmp(key, kws[i].name) == 0)
			k = &kws[i];
	if (k == NULL) {
		rp_perr(ps, kpos, "unknown option \"%s\"", key);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.kind = k->kind;
	if (k->kind == AC_IPMI_HASH || k->kind == AC_NTP_ANOMALY) {
		if (has_value) {
			rp_perr(ps, kpos, "option \"%s\" takes no value", key);
			return -1;
		}
	} else {
		if (!has_value || n == 0) {
			rp_perr(ps, kpos, "option \"%s\" needs a value", key);
			return -1;
		}
		if ((ni = items(ps, key, v, n, vp, &it)) < 0)
			return -1;
		if (parse_cond(ps, &c, key, it, ni, vp) == -1) {
			free_items(it, ni);
			app_cond_free(&c);
			return -1;
		}
		free_items(it, ni);
	}
	if ((nc = realloc(r->app, (r->napp + 1) * sizeof(*nc))) == NULL) {
		app_cond_free(&c);
		return rp_oom(ps);
	}
	r->app = nc;
	r->app[r->napp++] = c;
	if (k->finding)
		r->finding = 1;
	if (k->kind >= AC_DNS_QUERY && k->kind <= AC_HOST)
		r->needs_name = 1;
	return 0;
}

void
app_cond_free(struct app_cond *c)
{
	for (size_t i = 0; i < c->nstrs; i++)
		free(c->strs[i]);
	free(c->strs);
	free(c->nums);
	c->strs = NULL;
	c->nums = NULL;
}
