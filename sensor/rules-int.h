/*
 * rules-int.h - private to the rule parser (rules-parse.c, rules-vars.c,
 * rules-opts.c); nothing else includes it.  The parser is one state
 * struct passed around by pointer, and the scanner helpers below are the
 * only way the three files move through the text, so that line and
 * column stay right across `\` continuations.
 */
#ifndef BW_RULES_INT_H
#define BW_RULES_INT_H

#include <stddef.h>
#include <stdio.h>
#include "rules.h"

struct pos { int line, col; };

/* An address set or a port set, so that one list parser serves both. */
struct sset {
	struct addrset	 a;
	struct portset	 p;
};

struct var {
	char		*name;
	int		 is_port;	/* portvar */
	int		 line;
	struct sset	 set;
};

struct vartab {
	struct var	*v;
	size_t		 n, cap;
};

struct parser {
	const char	*name;		/* for messages: the ruleset's path */
	const char	*p, *end;	/* scanner position, end of text */
	const char	*bol;		/* start of the current physical line */
	int		 line;
	FILE		*errf;
	int		 nerr;
	const struct geoip *geo;
	struct ruleset	*rs;
	size_t		 cap;		/* rs->rules allocated */
	struct vartab	*vars;
};

/* Scanner (rules-parse.c). */
void		 rp_perr(struct parser *, struct pos, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
void		 rp_warn(struct parser *, struct pos, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
int		 rp_oom(struct parser *);
struct pos	 rp_here(const struct parser *);
int		 rp_is_blank(int);
const char	*rp_continuation(const char *, const char *);
void		 rp_next_line(struct parser *, const char *);
void		 rp_skip_blanks(struct parser *);
int		 rp_at_eol(const struct parser *);
int		 rp_peek(const struct parser *);
const char	*rp_char_name(const struct parser *, char *, size_t);
int		 rp_read_tok(struct parser *, char *, size_t);
int		 rp_expected(struct parser *, const char *);
int		 rp_end_of_statement(struct parser *);

/* Variables and address/port lists (rules-vars.c). */
int		 rp_spec(struct parser *, int is_port, struct sset *, int);
int		 rp_statement_var(struct parser *, int is_port);
void		 rp_sset_free(struct sset *);
void		 rp_vartab_free(struct vartab *);

/* Rule options (rules-opts.c): the scanner stands on the "(". */
int		 rp_options(struct parser *, struct rule *, struct pos);

/* Application-layer options (rules-app.c). */
int		 rp_is_app_option(const char *key);
int		 rp_app_option(struct parser *, struct rule *, const char *key,
		    struct pos kpos, int has_value, const char *v, size_t n,
		    struct pos vstart);

/* beacon.* options of beacon rules (rules-beacon.c). */
int		 rp_is_beacon_option(const char *key);
int		 rp_beacon_option(struct parser *, struct rule *, const char *key,
		    struct pos kpos, int has_value, const char *v,
		    struct pos vstart);
int		 rp_new_peer_option(struct parser *, struct rule *,
		    struct pos kpos, int has_value, const char *v,
		    struct pos vpos);

#endif
