/*
 * rules-vars.c - variables and address/port lists of the rule language.
 *
 * Address and port lists share one list parser (struct sset carries
 * either kind, 'is_port' says which).  Suricata's meaning is kept: a list
 * is the union of its positive items minus the union of its negated ones,
 * or the complement of the negated ones when there is no positive item;
 * `!` before a whole list or word is complement.  Everything is compiled
 * to range sets as it is read, variables included, so a `$VAR` costs a
 * copy here and nothing at detection time.
 *
 * Variables must be defined before use and only once: with no include
 * files there is no reason to override one, and a second definition is
 * far more often a typo than a wish.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rules-int.h"

#define MAX_DEPTH	16	/* nested [ ] */

static struct var *
var_find(struct vartab *vt, const char *name)
{
	for (size_t i = 0; i < vt->n; i++)
		if (strcmp(vt->v[i].name, name) == 0)
			return &vt->v[i];
	return NULL;
}

void
rp_vartab_free(struct vartab *vt)
{
	if (vt == NULL)
		return;
	for (size_t i = 0; i < vt->n; i++) {
		free(vt->v[i].name);
		rp_sset_free(&vt->v[i].set);
	}
	free(vt->v);
	free(vt);
}

static int
valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* `var NAME = spec` or `portvar NAME = spec`; the keyword is consumed. */
int
rp_statement_var(struct parser *ps, int is_port)
{
	char name[128];
	struct pos at;
	struct var *v;
	struct sset s = {0};
	int n;

	rp_skip_blanks(ps);
	at = rp_here(ps);
	if ((n = rp_read_tok(ps, name, sizeof(name))) == -1)
		return -1;
	if (n == 0)
		return rp_expected(ps, "a variable name");
	if (!valid_name(name)) {
		rp_perr(ps, at, "bad variable name \"%s\" (letters, digits "
		    "and _, not starting with a digit)", name);
		return -1;
	}
	if ((v = var_find(ps->vars, name)) != NULL) {
		rp_perr(ps, at, "variable \"%s\" is already defined on line "
		    "%d", name, v->line);
		return -1;
	}
	rp_skip_blanks(ps);
	if (rp_peek(ps) != '=')
		return rp_expected(ps, "\"=\" after the variable name");
	ps->p++;
	if (rp_spec(ps, is_port, &s, 0) == -1)
		return -1;
	if (rp_end_of_statement(ps) == -1) {
		rp_sset_free(&s);
		return -1;
	}
	if (ps->vars->n == ps->vars->cap) {
		size_t cap = ps->vars->cap ? ps->vars->cap * 2 : 16;
		struct var *nv = realloc(ps->vars->v, cap * sizeof(*nv));

		if (nv == NULL) {
			rp_sset_free(&s);
			return rp_oom(ps);
		}
		ps->vars->v = nv;
		ps->vars->cap = cap;
	}
	v = &ps->vars->v[ps->vars->n];
	if ((v->name = strdup(name)) == NULL) {
		rp_sset_free(&s);
		return rp_oom(ps);
	}
	v->is_port = is_port;
	v->line = at.line;
	v->set = s;
	ps->vars->n++;
	return 0;
}

void
rp_sset_free(struct sset *s)
{
	addrset_free(&s->a);
	portset_free(&s->p);
}

static int
sset_any(int is_port, struct sset *s)
{
	rp_sset_free(s);
	if (is_port) {
		portset_init_any(&s->p);
		return s->p.n == 1 ? 0 : -1;
	}
	addrset_init_any(&s->a);
	return s->a.n == 1 ? 0 : -1;
}

static int
sset_union(int is_port, struct sset *out, const struct sset *a,
    const struct sset *b)
{
	return is_port ? portset_union(&out->p, &a->p, &b->p) :
	    addrset_union(&out->a, &a->a, &b->a);
}

static int
sset_minus(int is_port, struct sset *out, const struct sset *a,
    const struct sset *b)
{
	return is_port ? portset_minus(&out->p, &a->p, &b->p) :
	    addrset_minus(&out->a, &a->a, &b->a);
}

static int
sset_complement(int is_port, struct sset *out, const struct sset *a)
{
	return is_port ? portset_complement(&out->p, &a->p) :
	    addrset_complement(&out->a, &a->a);
}

static int
sset_copy(int is_port, struct sset *out, const struct sset *a)
{
	return is_port ? portset_union(&out->p, &a->p, &a->p) :
	    addrset_copy(&out->a, &a->a);
}

/* Warn when a CIDR has host bits set: Suricata masks them silently, but
 * 10.0.0.1/8 is usually a typo for /32. */
static void
host_bits(struct parser *ps, const char *tok, struct pos at,
    const struct bw_addr *a, int v6, int len128)
{
	struct bw_addr m = *a;
	char buf[INET6_ADDRSTRLEN];

	for (int i = 0; i < 16; i++) {
		int keep = len128 - i * 8;

		if (keep <= 0)
			m.a[i] = 0;
		else if (keep < 8)
			m.a[i] &= (uint8_t)(0xff << (8 - keep));
	}
	if (memcmp(&m, a, sizeof(m)) == 0)
		return;
	if (v6)
		inet_ntop(AF_INET6, m.a, buf, sizeof(buf));
	else
		inet_ntop(AF_INET, &m.a[12], buf, sizeof(buf));
	rp_warn(ps, at, "host bits set in %s, using %s/%d", tok, buf,
	    v6 ? len128 : len128 - 96);
}

/* An address or CIDR; the token is already read. */
static int
addr_word(struct parser *ps, const char *tok, struct pos at,
    struct addrset *out)
{
	char addr[64], *slash, *endp;
	struct bw_addr a;
	long plen;
	int v6 = strchr(tok, ':') != NULL, max = v6 ? 128 : 32;

	if (strlen(tok) >= sizeof(addr)) {
		rp_perr(ps, at, "bad address \"%s\"", tok);
		return -1;
	}
	strcpy(addr, tok);
	if ((slash = strchr(addr, '/')) != NULL)
		*slash++ = '\0';
	memset(&a, 0, sizeof(a));
	if (v6 ? inet_pton(AF_INET6, addr, a.a) != 1 :
	    inet_pton(AF_INET, addr, &a.a[12]) != 1) {
		rp_perr(ps, at, "bad address \"%s\"", tok);
		return -1;
	}
	if (!v6)
		a.a[10] = a.a[11] = 0xff;
	plen = max;
	if (slash != NULL) {
		errno = 0;
		plen = strtol(slash, &endp, 10);
		if (!isdigit((unsigned char)*slash) || *endp != '\0' ||
		    errno != 0 || plen > max) {
			rp_perr(ps, at, "bad CIDR prefix in \"%s\" (IPv%d "
			    "allows /0 to /%d)", tok, v6 ? 6 : 4, max);
			return -1;
		}
		host_bits(ps, tok, at, &a, v6, (int)plen + (v6 ? 0 : 96));
	}
	if (addrset_add_prefix(out, &a, (int)plen + (v6 ? 0 : 96)) == -1)
		return rp_oom(ps);
	return 0;
}

static int
port_num(const char *s, size_t n, uint32_t *v)
{
	*v = 0;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	if (n > 5)
		return -2;		/* digits, but out of range */
	for (size_t i = 0; i < n; i++)
		*v = *v * 10 + (uint32_t)(s[i] - '0');
	return 0;
}

/* N, N:M, N: or :M; the token is already read. */
static int
port_word(struct parser *ps, const char *tok, struct pos at,
    struct portset *out)
{
	const char *colon = strchr(tok, ':');
	uint32_t lo = 0, hi = 65535;
	int rc = 0, r;

	if (colon == NULL) {
		rc = port_num(tok, strlen(tok), &lo);
		hi = lo;
	} else if (colon[1] == '\0' && colon == tok)
		rc = -1;
	else {
		if (colon > tok &&
		    (r = port_num(tok, (size_t)(colon - tok), &lo)) != 0)
			rc = r;
		if (colon[1] != '\0' && rc != -1 &&
		    (r = port_num(colon + 1, strlen(colon + 1), &hi)) != 0)
			rc = r;
	}
	if (rc == -1) {
		rp_perr(ps, at, "bad port \"%s\"", tok);
		return -1;
	}
	if (rc == -2 || lo > 65535 || hi > 65535) {
		rp_perr(ps, at, "bad port \"%s\" (ports are 0 to 65535)", tok);
		return -1;
	}
	if (lo > hi) {
		rp_perr(ps, at, "bad port range \"%s\" (low end above high "
		    "end)", tok);
		return -1;
	}
	if (portset_add(out, (uint16_t)lo, (uint16_t)hi) == -1)
		return rp_oom(ps);
	return 0;
}

/* A single word: any, $VAR, or an address / port. */
static int
word(struct parser *ps, int is_port, struct sset *out)
{
	char tok[256];
	struct pos at = rp_here(ps);
	struct var *v;
	int n;

	if ((n = rp_read_tok(ps, tok, sizeof(tok))) == -1)
		return -1;
	if (n == 0)
		return rp_expected(ps, is_port ? "a port" : "an address");
	if (strcmp(tok, "any") == 0)
		return sset_any(is_port, out) == -1 ? rp_oom(ps) : 0;
	rp_sset_free(out);
	if (tok[0] == '$') {
		if ((v = var_find(ps->vars, tok + 1)) == NULL) {
			rp_perr(ps, at, "undefined variable \"%s\"", tok);
			return -1;
		}
		if (v->is_port != is_port) {
			rp_perr(ps, at, "\"%s\" is %s variable, not %s "
			    "variable", tok, v->is_port ? "a port" :
			    "an address", is_port ? "a port" : "an address");
			return -1;
		}
		return sset_copy(is_port, out, &v->set) == -1 ?
		    rp_oom(ps) : 0;
	}
	return is_port ? port_word(ps, tok, at, &out->p) :
	    addr_word(ps, tok, at, &out->a);
}

/* One list item: [!] ( word | "[" item { "," item } "]" ). */
static int
item(struct parser *ps, int is_port, struct sset *out, int *neg, int depth)
{
	struct sset pos = {0}, negs = {0}, it = {0};
	struct pos open;
	int npos = 0, n = 0, itneg, rc = -1;

	rp_skip_blanks(ps);
	*neg = 0;
	if (rp_peek(ps) == '!') {
		ps->p++;
		rp_skip_blanks(ps);
		*neg = 1;
	}
	if (rp_peek(ps) != '[')
		return word(ps, is_port, out);
	if (depth >= MAX_DEPTH) {
		rp_perr(ps, rp_here(ps), "lists nested too deeply");
		return -1;
	}
	open = rp_here(ps);
	ps->p++;
	for (;;) {
		rp_skip_blanks(ps);
		if (n == 0 && rp_peek(ps) == ']') {
			rp_perr(ps, open, "empty list");
			goto out;
		}
		if (item(ps, is_port, &it, &itneg, depth + 1) == -1)
			goto out;
		n++;
		if ((itneg ? sset_union(is_port, &negs, &negs, &it) :
		    sset_union(is_port, &pos, &pos, &it)) == -1) {
			rp_oom(ps);
			goto out;
		}
		npos += !itneg;
		rp_skip_blanks(ps);
		if (rp_peek(ps) == ',') {
			ps->p++;
			continue;
		}
		if (rp_peek(ps) == ']') {
			ps->p++;
			break;
		}
		if (rp_at_eol(ps))
			rp_perr(ps, open, "unterminated list (missing \"]\")");
		else
			rp_expected(ps, "\",\" or \"]\" in list");
		goto out;
	}
	rc = npos == 0 ? sset_complement(is_port, out, &negs) :
	    sset_minus(is_port, out, &pos, &negs);
	if (rc == -1)
		rp_oom(ps);
out:
	rp_sset_free(&pos);
	rp_sset_free(&negs);
	rp_sset_free(&it);
	return rc;
}

/*
 * A whole address or port specification: an item, its `!` applied.
 * 'out' must be initialised (zeroed); on error it is left empty.
 */
int
rp_spec(struct parser *ps, int is_port, struct sset *out, int depth)
{
	int neg;

	if (item(ps, is_port, out, &neg, depth) == -1) {
		rp_sset_free(out);
		return -1;
	}
	if (neg && sset_complement(is_port, out, out) == -1) {
		rp_sset_free(out);
		return rp_oom(ps);
	}
	return 0;
}

/* Is a in the address variable 'name' (the report's protected set)? */
int
rules_var_contains(const struct ruleset *rs, const char *name,
    const struct bw_addr *a)
{
	struct var *v;

	if (rs == NULL || rs->vars == NULL ||
	    (v = var_find(rs->vars, name)) == NULL || v->is_port)
		return 0;
	return addrset_contains(&v->set.a, a);
}
