/*
 * rules-parse.c - the rule language: scanner, statements and the rule
 * header, compiling a rule file into a struct ruleset.  Variables and
 * address/port lists are in rules-vars.c, rule options in rules-opts.c;
 * the grammar and every message are documented in bmcwatch.rules(5).
 *
 * Why by hand: the language is line-oriented (one statement per logical
 * line, `\` continues it) and small, and what matters most to an operator
 * is the error report.  A scanner that works on characters lets every
 * message carry the exact file:line:col of the offending text, and
 * recovery is trivial: on an error, report it, skip the rest of the
 * logical line, and go on with the next statement, so one run lists every
 * broken rule.  Columns count bytes from 1 (a tab is one column).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules-int.h"

void
rp_perr(struct parser *ps, struct pos at, const char *fmt, ...)
{
	va_list ap;

	fprintf(ps->errf, "%s:%d:%d: ", ps->name, at.line, at.col);
	va_start(ap, fmt);
	vfprintf(ps->errf, fmt, ap);
	va_end(ap);
	fputc('\n', ps->errf);
	ps->nerr++;
}

void
rp_warn(struct parser *ps, struct pos at, const char *fmt, ...)
{
	va_list ap;

	fprintf(ps->errf, "%s:%d:%d: warning: ", ps->name, at.line, at.col);
	va_start(ap, fmt);
	vfprintf(ps->errf, fmt, ap);
	va_end(ap);
	fputc('\n', ps->errf);
}

int
rp_oom(struct parser *ps)
{
	rp_perr(ps, rp_here(ps), "out of memory");
	return -1;
}

struct pos
rp_here(const struct parser *ps)
{
	return (struct pos){ ps->line, (int)(ps->p - ps->bol) + 1 };
}

int
rp_is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * A continuation is a backslash, optional blanks, then a newline (or the
 * end of the text).  Returns the first character after it, or NULL.
 */
const char *
rp_continuation(const char *p, const char *end)
{
	if (p >= end || *p != '\\')
		return NULL;
	for (p++; p < end && rp_is_blank((unsigned char)*p); p++)
		;
	if (p == end)
		return p;
	return *p == '\n' ? p + 1 : NULL;
}

void
rp_next_line(struct parser *ps, const char *q)
{
	ps->p = q;
	ps->line++;
	ps->bol = q;
}

void
rp_skip_blanks(struct parser *ps)
{
	const char *q;

	for (;;) {
		if (ps->p < ps->end && rp_is_blank((unsigned char)*ps->p))
			ps->p++;
		else if ((q = rp_continuation(ps->p, ps->end)) != NULL) {
			if (q == ps->end)
				ps->p = q;
			else
				rp_next_line(ps, q);
		} else
			break;
	}
}

int
rp_at_eol(const struct parser *ps)
{
	return ps->p >= ps->end || *ps->p == '\n';
}

int
rp_peek(const struct parser *ps)
{
	return ps->p < ps->end ? (unsigned char)*ps->p : -1;
}

/* Skip what is left of the logical line, including its newline. */
static void
skip_rest(struct parser *ps)
{
	const char *q;

	while (ps->p < ps->end) {
		if ((q = rp_continuation(ps->p, ps->end)) != NULL) {
			if (q == ps->end)
				ps->p = q;
			else
				rp_next_line(ps, q);
		} else if (*ps->p == '\n') {
			rp_next_line(ps, ps->p + 1);
			return;
		} else
			ps->p++;
	}
}

/* A printable rendering of the character at p, for messages. */
const char *
rp_char_name(const struct parser *ps, char *buf, size_t len)
{
	int c = rp_peek(ps);

	if (c == -1 || c == '\n')
		return "end of line";
	if (c > ' ' && c < 127)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "'\\x%02x'", c);
	return buf;
}

static int
tok_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == ':' || c == '/' ||
	    c == '$';
}

/*
 * Read a word (addresses, ports, names) into buf.  Returns its length
 * (0 when the next character cannot start one), -1 after an error.
 */
int
rp_read_tok(struct parser *ps, char *buf, size_t len)
{
	struct pos at = rp_here(ps);
	size_t n = 0;

	while (ps->p < ps->end && tok_char((unsigned char)*ps->p)) {
		if (n + 1 >= len) {
			rp_perr(ps, at, "\"%.20s...\" is too long", ps->p - n);
			return -1;
		}
		buf[n++] = *ps->p++;
	}
	buf[n] = '\0';
	return (int)n;
}

/* Report that 'what' was expected where the scanner stands. */
int
rp_expected(struct parser *ps, const char *what)
{
	char b[16];

	rp_perr(ps, rp_here(ps), "expected %s, found %s", what,
	    rp_char_name(ps, b, sizeof(b)));
	return -1;
}

/* The end of a statement: blanks, maybe a comment, then a newline. */
int
rp_end_of_statement(struct parser *ps)
{
	rp_skip_blanks(ps);
	if (rp_peek(ps) == '#')
		while (!rp_at_eol(ps))
			ps->p++;
	if (!rp_at_eol(ps)) {
		rp_perr(ps, rp_here(ps), "unexpected text at end of statement");
		return -1;
	}
	return 0;
}

/* Rules. */

static void
rule_free(struct rule *r)
{
	addrset_free(&r->src);
	addrset_free(&r->dst);
	portset_free(&r->sport);
	portset_free(&r->dport);
	free(r->msg);
	free(r->category);
	for (size_t i = 0; i < r->ngeo; i++)
		free(r->geo[i].cc);
	free(r->geo);
	for (size_t i = 0; i < r->nasn; i++)
		free(r->asn[i].asn);
	free(r->asn);
	free(r->text);
	for (size_t i = 0; i < r->napp; i++)
		app_cond_free(&r->app[i]);
	free(r->app);
	memset(r, 0, sizeof(*r));
}

/*
 * The rule as written, on one line: continuations removed, runs of
 * blanks outside quoted strings collapsed to one space.
 */
static char *
rule_text(const char *p, const char *end)
{
	char *t, *o;
	const char *q;
	int inq = 0, sp = 0;

	if ((t = malloc((size_t)(end - p) + 1)) == NULL)
		return NULL;
	o = t;
	while (p < end) {
		if (inq && *p == '\\' && p + 1 < end && p[1] != '\n') {
			*o++ = *p++;
			*o++ = *p++;
			continue;
		}
		if ((q = rp_continuation(p, end)) != NULL) {
			p = q;
			sp = 1;
			continue;
		}
		if (!inq && rp_is_blank((unsigned char)*p)) {
			p++;
			sp = 1;
			continue;
		}
		if (sp && o > t)
			*o++ = ' ';
		sp = 0;
		if (*p == '"')
			inq = !inq;
		*o++ = *p++;
	}
	*o = '\0';
	return t;
}

static const char *const proto_names[] = { "ip", "tcp", "udp", "icmp" };

/* One side of the header: an address spec, then a port spec. */
static int
endpoint(struct parser *ps, enum rule_proto proto, struct addrset *a,
    struct portset *port, const char *side, uint8_t *discovered)
{
	static const char dv[] = "$BMC_DISCOVERED";
	struct sset s = {0};
	struct pos at;

	rp_skip_blanks(ps);
	at = rp_here(ps);
	/*
	 * $BMC_DISCOVERED is the inventory's set, which grows during the
	 * replay; it stands alone (in a list it could not be compiled into
	 * the static set)
	 */
	if ((size_t)(ps->end - ps->p) > sizeof(dv) - 1 &&
	    memcmp(ps->p, dv, sizeof(dv) - 1) == 0 &&
	    rp_is_blank((unsigned char)ps->p[sizeof(dv) - 1])) {
		ps->p += sizeof(dv) - 1;
		addrset_init_any(&s.a);
		*discovered = 1;
	} else if (rp_spec(ps, 0, &s, 0) == -1)
		return -1;
	*a = s.a;
	if (a->n == 0) {
		rp_perr(ps, at, "%s address matches nothing", side);
		return -1;
	}
	memset(&s, 0, sizeof(s));
	rp_skip_blanks(ps);
	at = rp_here(ps);
	if (rp_spec(ps, 1, &s, 0) == -1)
		return -1;
	*port = s.p;
	if (port->n == 0) {
		rp_perr(ps, at, "%s port matches nothing", side);
		return -1;
	}
	if (!portset_is_any(port) && proto != RP_TCP && proto != RP_UDP) {
		rp_perr(ps, at, "ports need protocol tcp or udp, not %s",
		    proto_names[proto]);
		return -1;
	}
	return 0;
}

/* `pass|alert proto src sport -> dst dport (options)` */
static int
statement_rule(struct parser *ps, enum rule_action action, const char *start,
    struct pos at)
{
	struct rule r;
	struct pos ppos;
	char tok[32], b[16];
	int n;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.action = action;
	r.line = at.line;
	r.file = ps->rs->path;

	rp_skip_blanks(ps);
	ppos = rp_here(ps);
	if ((n = rp_read_tok(ps, tok, sizeof(tok))) == -1)
		goto fail;
	if (n == 0) {
		rp_expected(ps, "a protocol");
		goto fail;
	}
	for (i = 0; i < 4; i++)
		if (strcmp(tok, proto_names[i]) == 0)
			break;
	if (i == 4) {
		rp_perr(ps, ppos, "unknown protocol \"%s\" (expected ip, tcp, "
		    "udp or icmp)", tok);
		goto fail;
	}
	r.proto = (enum rule_proto)i;

	if (endpoint(ps, r.proto, &r.src, &r.sport, "source",
	    &r.src_discovered) == -1)
		goto fail;
	rp_skip_blanks(ps);
	if (ps->p + 2 <= ps->end && memcmp(ps->p, "<>", 2) == 0) {
		rp_perr(ps, rp_here(ps), "\"<>\" is not supported: flows "
		    "have a direction, write two rules with \"->\"");
		goto fail;
	}
	if (ps->p + 2 > ps->end || memcmp(ps->p, "->", 2) != 0) {
		rp_perr(ps, rp_here(ps), "expected \"->\" after the source "
		    "port, found %s", rp_char_name(ps, b, sizeof(b)));
		goto fail;
	}
	ps->p += 2;
	if (endpoint(ps, r.proto, &r.dst, &r.dport, "destination",
	    &r.dst_discovered) == -1)
		goto fail;

	rp_skip_blanks(ps);
	if (rp_peek(ps) != '(') {
		rp_expected(ps, "\"(\" to start the option list");
		goto fail;
	}
	if (rp_options(ps, &r, at) == -1)
		goto fail;
	if ((r.text = rule_text(start, ps->p)) == NULL) {
		rp_oom(ps);
		goto fail;
	}
	if (rp_end_of_statement(ps) == -1)
		goto fail;

	if (ps->rs->nrules == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 64;
		struct rule *nr = realloc(ps->rs->rules, cap * sizeof(*nr));

		if (nr == NULL) {
			rp_oom(ps);
			goto fail;
		}
		ps->rs->rules = nr;
		ps->cap = cap;
	}
	if (r.src_discovered || r.dst_discovered)
		ps->rs->uses_discovered = 1;
	if (r.ngeo > 0)
		ps->rs->needs_country = 1;
	if (r.nasn > 0)
		ps->rs->needs_asn = 1;
	ps->rs->rules[ps->rs->nrules++] = r;
	return 0;
fail:
	rule_free(&r);
	return -1;
}

static int
statement(struct parser *ps)
{
	const char *start = ps->p;
	struct pos at = rp_here(ps);
	char tok[32];
	int n;

	if ((n = rp_read_tok(ps, tok, sizeof(tok))) == -1)
		return -1;
	if (n == 0)
		return rp_expected(ps, "a rule or a variable definition");
	if (strcmp(tok, "var") == 0)
		return rp_statement_var(ps, 0);
	if (strcmp(tok, "portvar") == 0)
		return rp_statement_var(ps, 1);
	if (strcmp(tok, "pass") == 0)
		return statement_rule(ps, RA_PASS, start, at);
	if (strcmp(tok, "alert") == 0)
		return statement_rule(ps, RA_ALERT, start, at);
	if (strcmp(tok, "beacon") == 0)
		return statement_rule(ps, RA_BEACON, start, at);
	rp_perr(ps, at, "unknown action \"%s\" (expected pass, alert, "
	    "beacon, var or portvar)", tok);
	return -1;
}

static struct ruleset *
rules_parse_text(const char *name, const char *text, size_t len,
    const struct geoip *geo, FILE *errf)
{
	struct parser ps;
	struct ruleset *rs;

	memset(&ps, 0, sizeof(ps));
	if ((rs = calloc(1, sizeof(*rs))) == NULL ||
	    (rs->path = strdup(name)) == NULL ||
	    (ps.vars = calloc(1, sizeof(*ps.vars))) == NULL) {
		fprintf(errf, "%s: out of memory\n", name);
		if (rs != NULL)
			free(rs->path);
		free(rs);
		return NULL;
	}
	rs->vars = ps.vars;
	ps.name = rs->path;
	ps.p = ps.bol = text;
	ps.end = text + len;
	ps.line = 1;
	ps.errf = errf;
	ps.geo = geo;
	ps.rs = rs;

	for (;;) {
		rp_skip_blanks(&ps);
		if (ps.p >= ps.end)
			break;
		if (*ps.p == '#') {
			while (!rp_at_eol(&ps))
				ps.p++;
			continue;
		}
		if (*ps.p == '\n') {
			rp_next_line(&ps, ps.p + 1);
			continue;
		}
		if (statement(&ps) == -1)
			skip_rest(&ps);
	}
	if (ps.nerr > 0) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

struct ruleset *
rules_load_string(const char *name, const char *text,
    const struct geoip *geo, FILE *errf)
{
	return rules_parse_text(name, text, strlen(text), geo, errf);
}

struct ruleset *
rules_load(const char *path, const struct geoip *geo, FILE *errf)
{
	struct ruleset *rs;
	FILE *fp;
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, n;

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(errf, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			/* a rule file is text an operator wrote: cap it */
			if (cap >= (64u << 20)) {
				fprintf(errf, "%s: file too large\n", path);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			if ((nb = realloc(buf, cap)) == NULL) {
				fprintf(errf, "%s: out of memory\n", path);
				goto fail;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		fprintf(errf, "%s: %s\n", path, strerror(errno));
		goto fail;
	}
	fclose(fp);
	rs = rules_parse_text(path, buf, len, geo, errf);
	free(buf);
	return rs;
fail:
	fclose(fp);
	free(buf);
	return NULL;
}

void
rules_free(struct ruleset *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->nrules; i++)
		rule_free(&rs->rules[i]);
	free(rs->rules);
	rp_vartab_free(rs->vars);
	free(rs->path);
	free(rs);
}
