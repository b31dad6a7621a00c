/*
 * rules-opts.c - the option list of a rule: `(key:value; key:value; ...)`.
 *
 * Each value is scanned raw up to the `;` that ends it (quotes protect a
 * `;`, a backslash escapes the next character), and the position of every
 * byte is kept alongside, so that an error deep inside a value, e.g. the
 * third country of `geoip:dst,CN,RU,XYZ`, points at the bad item even
 * when the rule spans lines.  Only then is the key looked up and the value
 * parsed; that keeps the scanner ignorant of the keywords.
 *
 * Unknown keywords are errors rather than ignored: a policy that silently
 * drops a condition it did not understand would alert (or pass) on
 * traffic its author did not mean.  The classtypes are Suricata's stock
 * classification.config, built in because there is no config file to
 * carry them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "geoip.h"
#include "rules-int.h"

static const struct classtype {
	const char	*name, *desc;
	int		 prio;
} classtypes[] = {
	{ "not-suspicious", "Not Suspicious Traffic", 3 },
	{ "unknown", "Unknown Traffic", 3 },
	{ "bad-unknown", "Potentially Bad Traffic", 2 },
	{ "attempted-recon", "Attempted Information Leak", 2 },
	{ "successful-recon-limited", "Information Leak", 2 },
	{ "successful-recon-largescale", "Large Scale Information Leak", 2 },
	{ "attempted-dos", "Attempted Denial of Service", 2 },
	{ "successful-dos", "Denial of Service", 2 },
	{ "attempted-user", "Attempted User Privilege Gain", 1 },
	{ "unsuccessful-user", "Unsuccessful User Privilege Gain", 1 },
	{ "successful-user", "Successful User Privilege Gain", 1 },
	{ "attempted-admin", "Attempted Administrator Privilege Gain", 1 },
	{ "successful-admin", "Successful Administrator Privilege Gain", 1 },
	{ "rpc-portmap-decode", "Decode of an RPC Query", 2 },
	{ "shellcode-detect", "Executable code was detected", 1 },
	{ "string-detect", "A suspicious string was detected", 3 },
	{ "suspicious-filename-detect", "A suspicious filename was detected",
	    2 },
	{ "suspicious-login", "An attempted login using a suspicious "
	    "username was detected", 2 },
	{ "system-call-detect", "A system call was detected", 2 },
	{ "tcp-connection", "A TCP connection was detected", 4 },
	{ "trojan-activity", "A Network Trojan was detected", 1 },
	{ "unusual-client-port-connection", "A client was using an unusual "
	    "port", 2 },
	{ "network-scan", "Detection of a Network Scan", 3 },
	{ "denial-of-service", "Detection of a Denial of Service Attack", 2 },
	{ "non-standard-protocol", "Detection of a non-standard protocol or "
	    "event", 2 },
	{ "protocol-command-decode", "Generic Protocol Command Decode", 3 },
	{ "web-application-activity", "access to a potentially vulnerable "
	    "web application", 2 },
	{ "web-application-attack", "Web Application Attack", 1 },
	{ "misc-activity", "Misc activity", 3 },
	{ "misc-attack", "Misc Attack", 2 },
	{ "icmp-event", "Generic ICMP event", 3 },
	{ "inappropriate-content", "Inappropriate Content was Detected", 1 },
	{ "policy-violation", "Potential Corporate Privacy Violation", 1 },
	{ "default-login-attempt", "Attempt to login by a default username "
	    "and password", 2 },
	{ "targeted-activity", "Targeted Malicious Activity was Detected", 1 },
	{ "exploit-kit", "Exploit Kit Activity Detected", 1 },
	{ "external-ip-check", "Device Retrieving External IP Address "
	    "Detected", 2 },
	{ "domain-c2", "Domain Observed Used for C2 Detected", 1 },
	{ "pup-activity", "Possibly Unwanted Program Detected", 2 },
	{ "credential-theft", "Successful Credential Theft Detected", 1 },
	{ "social-engineering", "Possible Social Engineering Attempted", 2 },
	{ "coin-mining", "Crypto Currency Mining Activity Detected", 2 },
	{ "command-and-control", "Malware Command and Control Activity "
	    "Detected", 1 },
};

struct opt {
	char		 key[32];
	struct pos	 kpos;		/* the key */
	struct pos	 vstart;	/* where the value starts */
	int		 has_value;
	char		*v;		/* raw value, NUL-terminated */
	struct pos	*vp;		/* position of each byte of v */
	size_t		 n;
};

/* An item of a comma-separated value, blanks trimmed. */
struct item {
	const char	*s;
	size_t		 n;
	struct pos	 at;
};

/* What a rule has seen so far, for duplicates and defaults. */
struct seen {
	int		 msg, sid, rev, gid, severity, classtype, category;
	int		 threshold;
	struct pos	 sidpos;
	const struct classtype *ct;
};

static struct pos
pos_at(const struct opt *o, size_t i)
{
	struct pos p;

	if (i < o->n)
		return o->vp[i];
	if (o->n == 0)
		return o->vstart;
	p = o->vp[o->n - 1];
	p.col++;
	return p;
}

static int
opt_append(struct parser *ps, struct opt *o, size_t *cap, char c)
{
	if (o->n + 1 >= *cap) {
		size_t ncap = *cap * 2;
		char *nv = realloc(o->v, ncap);
		struct pos *np;

		if (nv == NULL)
			return rp_oom(ps);
		o->v = nv;
		if ((np = realloc(o->vp, ncap * sizeof(*np))) == NULL)
			return rp_oom(ps);
		o->vp = np;
		*cap = ncap;
	}
	o->vp[o->n] = rp_here(ps);
	o->v[o->n++] = c;
	ps->p++;
	return 0;
}

/* Scan `key;` or `key: value;`; the scanner stands on the key. */
static int
scan_opt(struct parser *ps, struct opt *o)
{
	struct pos qpos = {0, 0};
	size_t n = 0, cap = 64;
	const char *q;
	int inq = 0;

	o->kpos = rp_here(ps);
	while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) ||
	    *ps->p == '_' || *ps->p == '.' || *ps->p == '-')) {
		if (n + 1 >= sizeof(o->key)) {
			rp_perr(ps, o->kpos, "option name too long");
			return -1;
		}
		o->key[n++] = *ps->p++;
	}
	o->key[n] = '\0';
	if (n == 0)
		return rp_expected(ps, "an option name");
	rp_skip_blanks(ps);
	if (rp_peek(ps) == ';') {
		ps->p++;
		return 0;
	}
	if (rp_peek(ps) != ':') {
		char what[64];

		snprintf(what, sizeof(what), "\":\" or \";\" after option "
		    "\"%s\"", o->key);
		return rp_expected(ps, what);
	}
	ps->p++;
	rp_skip_blanks(ps);
	o->has_value = 1;
	o->vstart = rp_here(ps);
	if ((o->v = malloc(cap)) == NULL ||
	    (o->vp = malloc(cap * sizeof(*o->vp))) == NULL)
		return rp_oom(ps);
	for (;;) {
		if (rp_at_eol(ps)) {
			if (inq)
				rp_perr(ps, qpos, "unterminated string");
			else
				rp_perr(ps, o->kpos, "option \"%s\" is not "
				    "terminated by \";\"", o->key);
			return -1;
		}
		if ((q = rp_continuation(ps->p, ps->end)) != NULL) {
			if (q == ps->end)
				ps->p = q;
			else
				rp_next_line(ps, q);
			continue;
		}
		if (!inq && *ps->p == ';') {
			ps->p++;
			break;
		}
		if (*ps->p == '\\' && ps->p + 1 < ps->end &&
		    ps->p[1] != '\n') {
			if (opt_append(ps, o, &cap, '\\') == -1 ||
			    opt_append(ps, o, &cap, *ps->p) == -1)
				return -1;
			continue;
		}
		if (*ps->p == '"') {
			if (!inq)
				qpos = rp_here(ps);
			inq = !inq;
		}
		if (opt_append(ps, o, &cap, *ps->p) == -1)
			return -1;
	}
	while (o->n > 0 && rp_is_blank((unsigned char)o->v[o->n - 1]))
		o->n--;
	o->v[o->n] = '\0';
	return 0;
}

/* Split a value on commas; *nitems items in a fresh array, or NULL. */
static struct item *
split(struct parser *ps, const struct opt *o, size_t *nitems)
{
	struct item *it;
	size_t n = 1, k = 0, i = 0, j;

	for (j = 0; j < o->n; j++)
		n += o->v[j] == ',';
	if ((it = calloc(n, sizeof(*it))) == NULL) {
		rp_oom(ps);
		return NULL;
	}
	for (;;) {
		while (i < o->n && rp_is_blank((unsigned char)o->v[i]))
			i++;
		for (j = i; j < o->n && o->v[j] != ','; j++)
			;
		it[k].s = o->v + i;
		it[k].at = pos_at(o, i);
		it[k].n = j - i;
		while (it[k].n > 0 &&
		    rp_is_blank((unsigned char)it[k].s[it[k].n - 1]))
			it[k].n--;
		k++;
		if (j >= o->n)
			break;
		i = j + 1;
	}
	*nitems = k;
	return it;
}

static int
parse_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* A quoted string: `"..."` with \" \\ \; escapes, nothing after it. */
static int
unquote(struct parser *ps, const struct opt *o, char **out)
{
	char *buf;
	size_t i, n = 0;

	if (o->n == 0 || o->v[0] != '"') {
		rp_perr(ps, o->vstart, "%s: expected a quoted string", o->key);
		return -1;
	}
	if ((buf = malloc(o->n)) == NULL)
		return rp_oom(ps);
	for (i = 1; i < o->n && o->v[i] != '"'; i++) {
		if (o->v[i] == '\\') {
			char c = o->v[i + 1];

			if (c != '"' && c != '\\' && c != ';') {
				rp_perr(ps, pos_at(o, i), "%s: unknown escape "
				    "\"\\%c\" (use \\\", \\\\ or \\;)", o->key,
				    c >= ' ' && c < 127 ? c : '?');
				free(buf);
				return -1;
			}
			i++;
		}
		buf[n++] = o->v[i];
	}
	if (i >= o->n) {
		rp_perr(ps, o->vstart, "unterminated string");
		free(buf);
		return -1;
	}
	if (i + 1 != o->n) {
		rp_perr(ps, pos_at(o, i + 1), "%s: unexpected text after the "
		    "closing quote", o->key);
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

static int
side_of(const struct item *it, enum rule_side *side)
{
	static const char *const names[] = { "src", "dst", "any", "both" };
	static const enum rule_side sides[] = { SIDE_SRC, SIDE_DST,
	    SIDE_EITHER, SIDE_BOTH };

	for (size_t i = 0; i < 4; i++)
		if (it->n == strlen(names[i]) &&
		    memcmp(it->s, names[i], it->n) == 0) {
			*side = sides[i];
			return 0;
		}
	return -1;
}

/*
 * geoip:SIDE,[!]CC[,CC...] and asn:SIDE,[!]N[,N...]: the side, then a
 * list that a leading `!` negates as a whole.
 */
static int
opt_geo_asn(struct parser *ps, struct rule *r, const struct opt *o, int asn)
{
	const char *what = asn ? "AS number" : "country";
	struct item *it;
	enum rule_side side;
	size_t n, k;
	char (*cc)[3] = NULL;
	uint32_t *nums = NULL;
	int neg = 0, rc = -1;

	if ((it = split(ps, o, &n)) == NULL)
		return -1;
	if (side_of(&it[0], &side) == -1) {
		rp_perr(ps, it[0].at, "%s: expected src, dst, any or both, "
		    "found \"%.*s\"", o->key, (int)it[0].n, it[0].s);
		goto out;
	}
	if (n < 2) {
		rp_perr(ps, o->kpos, "%s: no %s given", o->key, what);
		goto out;
	}
	if ((asn ? (void *)(nums = calloc(n, sizeof(*nums))) :
	    (void *)(cc = calloc(n, sizeof(*cc)))) == NULL) {
		rp_oom(ps);
		goto out;
	}
	for (k = 1; k < n; k++) {
		struct item x = it[k];

		if (x.n > 0 && x.s[0] == '!') {
			if (k != 1) {
				rp_perr(ps, x.at, "%s: \"!\" is only allowed "
				    "before the first %s (it negates the whole "
				    "list)", o->key, what);
				goto out;
			}
			neg = 1;
			x.s++;
			x.n--;
			x.at.col++;
			while (x.n > 0 && rp_is_blank((unsigned char)*x.s)) {
				x.s++;
				x.n--;
				x.at.col++;
			}
		}
		if (asn) {
			if (x.n > 2 && strncasecmp(x.s, "AS", 2) == 0 &&
			    isdigit((unsigned char)x.s[2]) &&
			    parse_u32(x.s + 2, x.n - 2, &nums[k - 1]) == 0 &&
			    nums[k - 1] != 0)
				continue;
			if (parse_u32(x.s, x.n, &nums[k - 1]) == -1 ||
			    nums[k - 1] == 0) {
				rp_perr(ps, x.at, "asn: bad AS number \"%.*s\" "
				    "(expected 1 to 4294967295)", (int)x.n,
				    x.s);
				goto out;
			}
		} else {
			if (x.n != 2 || !isalpha((unsigned char)x.s[0]) ||
			    !isalpha((unsigned char)x.s[1])) {
				rp_perr(ps, x.at, "geoip: bad country code "
				    "\"%.*s\" (expected two letters)", (int)x.n,
				    x.s);
				goto out;
			}
			cc[k - 1][0] = (char)toupper((unsigned char)x.s[0]);
			cc[k - 1][1] = (char)toupper((unsigned char)x.s[1]);
			cc[k - 1][2] = '\0';
		}
	}
	if (asn ? !geoip_has_asn(ps->geo) : !geoip_has_country(ps->geo)) {
		rp_perr(ps, o->kpos, asn ? "asn: no ASN database loaded (use "
		    "--geoip-asn)" : "geoip: no country database loaded (use "
		    "--geoip-country)");
		goto out;
	}
	if (asn) {
		struct asn_cond *a = realloc(r->asn, (r->nasn + 1) *
		    sizeof(*a));

		if (a == NULL) {
			rp_oom(ps);
			goto out;
		}
		r->asn = a;
		a[r->nasn++] = (struct asn_cond){ side, neg, nums, n - 1 };
		nums = NULL;
	} else {
		struct geo_cond *g = realloc(r->geo, (r->ngeo + 1) *
		    sizeof(*g));

		if (g == NULL) {
			rp_oom(ps);
			goto out;
		}
		r->geo = g;
		g[r->ngeo++] = (struct geo_cond){ side, neg, cc, n - 1 };
		cc = NULL;
	}
	rc = 0;
out:
	free(it);
	free(cc);
	free(nums);
	return rc;
}

static int
item_is(const struct item *it, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(it->s, word, len) == 0;
}

/* threshold:type T, track K, count N, seconds S (any order, all four) */
static int
opt_threshold(struct parser *ps, struct rule *r, const struct opt *o)
{
	static const char *const types[] = { "limit", "threshold", "both" };
	static const char *const tracks[] = { "by_src", "by_dst", "by_both",
	    "by_rule" };
	struct item *it, v;
	struct threshold t = { THR_NONE, TRACK_BY_SRC, 0, 0 };
	int got[4] = { 0, 0, 0, 0 }, rc = -1;
	size_t n, k, w, i;

	if ((it = split(ps, o, &n)) == NULL)
		return -1;
	for (k = 0; k < n; k++) {
		int part;

		for (w = 0; w < it[k].n && !rp_is_blank(
		    (unsigned char)it[k].s[w]); w++)
			;
		v = it[k];
		v.s += w;
		v.n -= w;
		v.at.col += (int)w;
		while (v.n > 0 && rp_is_blank((unsigned char)*v.s)) {
			v.s++;
			v.n--;
			v.at.col++;
		}
		if (item_is(&it[k], w, "type"))
			part = 0;
		else if (item_is(&it[k], w, "track"))
			part = 1;
		else if (item_is(&it[k], w, "count"))
			part = 2;
		else if (item_is(&it[k], w, "seconds"))
			part = 3;
		else {
			rp_perr(ps, it[k].at, "threshold: unknown part "
			    "\"%.*s\" (expected type, track, count or "
			    "seconds)", (int)w, it[k].s);
			goto out;
		}
		if (got[part]++) {
			rp_perr(ps, it[k].at, "threshold: \"%.*s\" given "
			    "twice", (int)w, it[k].s);
			goto out;
		}
		switch (part) {
		case 0:
			for (i = 0; i < 3 && !item_is(&v, v.n, types[i]); i++)
				;
			if (i == 3) {
				rp_perr(ps, v.at, "threshold: unknown type "
				    "\"%.*s\" (expected limit, threshold or "
				    "both)", (int)v.n, v.s);
				goto out;
			}
			t.type = (enum thr_type)(THR_LIMIT + (int)i);
			break;
		case 1:
			for (i = 0; i < 4 && !item_is(&v, v.n, tracks[i]); i++)
				;
			if (i == 4) {
				rp_perr(ps, v.at, "threshold: unknown track "
				    "\"%.*s\" (expected by_src, by_dst, by_both "
				    "or by_rule)", (int)v.n, v.s);
				goto out;
			}
			t.track = (enum thr_track)i;
			break;
		default:
			if (parse_u32(v.s, v.n, part == 2 ? &t.count :
			    &t.seconds) == -1 || (part == 2 ? t.count :
			    t.seconds) == 0) {
				rp_perr(ps, v.at, "threshold: bad %s \"%.*s\" "
				    "(expected 1 to 4294967295)", part == 2 ?
				    "count" : "seconds", (int)v.n, v.s);
				goto out;
			}
			break;
		}
	}
	if (!got[0] || !got[1] || !got[2] || !got[3]) {
		rp_perr(ps, o->kpos, "threshold: needs type, track, count and "
		    "seconds");
		goto out;
	}
	r->thr = t;
	rc = 0;
out:
	free(it);
	return rc;
}

static int
once(struct parser *ps, const struct opt *o, int *flag)
{
	if ((*flag)++) {
		rp_perr(ps, o->kpos, "option \"%s\" given twice", o->key);
		return -1;
	}
	return 0;
}

static int
apply(struct parser *ps, struct rule *r, const struct opt *o, struct seen *st)
{
	static const char *const known[] = { "msg", "sid", "rev", "gid",
	    "severity", "classtype", "category", "geoip", "asn", "threshold",
	    "reference", "metadata" };
	uint32_t v;
	size_t i;

	if (rp_is_beacon_option(o->key))
		return rp_beacon_option(ps, r, o->key, o->kpos, o->has_value,
		    o->v, o->vstart);
	if (strcmp(o->key, "new_peer") == 0) {
		if (rp_new_peer_option(ps, r, o->kpos, o->has_value, o->v,
		    o->vstart) == -1)
			return -1;
		ps->rs->uses_new_peer = 1;
		return 0;
	}
	if (rp_is_app_option(o->key))
		return rp_app_option(ps, r, o->key, o->kpos, o->has_value,
		    o->v, o->n, o->vstart);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(o->key, known[i]) == 0)
			break;
	if (i == sizeof(known) / sizeof(known[0])) {
		rp_perr(ps, o->kpos, "unknown option \"%s\"", o->key);
		return -1;
	}
	if (!o->has_value) {
		rp_perr(ps, o->kpos, "option \"%s\" needs a value", o->key);
		return -1;
	}
	if (strcmp(o->key, "msg") == 0)
		return once(ps, o, &st->msg) == -1 ? -1 :
		    unquote(ps, o, &r->msg);
	if (strcmp(o->key, "sid") == 0 || strcmp(o->key, "rev") == 0 ||
	    strcmp(o->key, "gid") == 0) {
		int is_rev = o->key[0] == 'r';

		if (once(ps, o, o->key[0] == 's' ? &st->sid : is_rev ?
		    &st->rev : &st->gid) == -1)
			return -1;
		if (parse_u32(o->v, o->n, &v) == -1 || (v == 0 && !is_rev)) {
			rp_perr(ps, o->vstart, "%s: expected a number from %d "
			    "to 4294967295, found \"%s\"", o->key, !is_rev,
			    o->v);
			return -1;
		}
		if (o->key[0] == 's') {
			r->sid = v;
			st->sidpos = o->vstart;
		} else if (is_rev)
			r->rev = v;
		else
			r->gid = v;
		return 0;
	}
	if (strcmp(o->key, "severity") == 0) {
		if (once(ps, o, &st->severity) == -1)
			return -1;
		if (o->n != 1 || o->v[0] < '1' || o->v[0] > '4') {
			rp_perr(ps, o->vstart, "severity: expected 1, 2, 3 or "
			    "4, found \"%s\"", o->v);
			return -1;
		}
		r->severity = o->v[0] - '0';
		return 0;
	}
	if (strcmp(o->key, "classtype") == 0) {
		if (once(ps, o, &st->classtype) == -1)
			return -1;
		for (i = 0; i < sizeof(classtypes) / sizeof(classtypes[0]);
		    i++)
			if (strcmp(o->v, classtypes[i].name) == 0) {
				st->ct = &classtypes[i];
				return 0;
			}
		rp_perr(ps, o->vstart, "unknown classtype \"%s\"", o->v);
		return -1;
	}
	if (strcmp(o->key, "category") == 0) {
		if (once(ps, o, &st->category) == -1)
			return -1;
		if (o->n > 0 && o->v[0] == '"')
			return unquote(ps, o, &r->category);
		if (o->n == 0) {
			rp_perr(ps, o->kpos, "category: empty");
			return -1;
		}
		if ((r->category = strdup(o->v)) == NULL)
			return rp_oom(ps);
		return 0;
	}
	if (strcmp(o->key, "geoip") == 0 || strcmp(o->key, "asn") == 0)
		return opt_geo_asn(ps, r, o, o->key[0] == 'a');
	if (strcmp(o->key, "threshold") == 0) {
		if (once(ps, o, &st->threshold) == -1)
			return -1;
		if (r->action == RA_PASS) {
			rp_perr(ps, o->kpos, "threshold: not allowed on pass "
			    "rules");
			return -1;
		}
		return opt_threshold(ps, r, o);
	}
	return 0;			/* reference, metadata: kept in text */
}

/*
 * The option list; the scanner stands on "(" and is left after ")".
 * Checks what the rule as a whole needs and fills in the defaults.
 */
int
rp_options(struct parser *ps, struct rule *r, struct pos at)
{
	struct pos open = rp_here(ps);
	struct seen st;
	struct opt o;
	int rc, bad = 0;

	memset(&st, 0, sizeof(st));
	ps->p++;
	for (;;) {
		rp_skip_blanks(ps);
		if (rp_peek(ps) == ')') {
			ps->p++;
			break;
		}
		if (rp_at_eol(ps)) {
			rp_perr(ps, open, "unterminated option list (missing "
			    "\")\")");
			return -1;
		}
		memset(&o, 0, sizeof(o));
		rc = scan_opt(ps, &o);
		if (rc == 0)
			rc = apply(ps, r, &o, &st);
		free(o.v);
		free(o.vp);
		if (rc == -1)
			return -1;
	}
	if (!st.msg) {
		rp_perr(ps, at, "rule has no msg");
		bad = 1;
	}
	if (!st.sid) {
		rp_perr(ps, at, "rule has no sid");
		bad = 1;
	}
	for (size_t i = 0; st.sid && i < ps->rs->nrules; i++)
		if (ps->rs->rules[i].sid == r->sid) {
			rp_perr(ps, st.sidpos, "duplicate sid %u (first used "
			    "on line %d)", r->sid, ps->rs->rules[i].line);
			bad = 1;
			break;
		}
	if (bad)
		return -1;
	if (!st.gid)
		r->gid = 1;
	if (!st.severity)
		r->severity = st.ct != NULL ? st.ct->prio : 3;
	if (r->category == NULL && st.ct != NULL &&
	    (r->category = strdup(st.ct->desc)) == NULL)
		return rp_oom(ps);
	return 0;
}
