/*
 * output-report.h - the offline triage report: one self-contained HTML
 * page (inline CSS and SVG, no script, no outside request) that answers
 * "did a BMC call out, where, how regularly, and what did IPMI show".
 *
 * Why it consumes EVE lines and not the engine's structures: the same
 * code renders a replay (--report, fed the records the replay writes) and
 * a day of EVE files a live sensor wrote (--from-eve), and EVE is the one
 * interface that is stable, documented and already escaped once.  The
 * report never reads the wall clock: the same lines give the same bytes.
 */
#ifndef BW_OUTPUT_REPORT_H
#define BW_OUTPUT_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct report;

struct report	*report_new(void);
void		 report_free(struct report *r);

/*
 * One EVE JSON line (a trailing newline is allowed).  Returns 0, or -1
 * with a one-line reason in err when the line is not a JSON object (the
 * caller names file:line).  Unknown event types and fields are ignored;
 * blank lines are skipped (0).
 */
int		 report_add_eve(struct report *r, const char *line, size_t len,
		    char *err, size_t errlen);

struct report_meta {
	const char *const *captures;	/* capture (or EVE) files shown */
	int		 ncaptures;
	const char	*rules_path;	/* NULL when unknown */
	size_t		 nrules;	/* 0 when unknown */
	const char	*version;	/* "bmcwatch 0.1.0" */
	/*
	 * The rule file's $BMC set.  NULL: a host is taken for a BMC when
	 * it answered RMCP/IPMI (the responder of an rmcp flow).
	 */
	int		(*is_protected)(void *arg, const char *ip);
	void		*arg;
	/*
	 * Seconds since the epoch shown as the generation time.  <= 0:
	 * SOURCE_DATE_EPOCH when set, else the last timestamp of the input.
	 * Never the wall clock.
	 */
	int64_t		 generated_at;
};

/*
 * Write the page to path ("-" = standard output) through a temporary file
 * renamed into place.  Returns 0, or -1 with the reason in err.
 */
int		 report_write(struct report *r, const char *path,
		    const struct report_meta *m, char *err, size_t errlen);

/*
 * The one escaping function, exported for the tests: s (n bytes, any
 * content) as text that is safe in HTML text, a quoted attribute value
 * and SVG text alike.  & < > " ' are entities; control characters,
 * invalid UTF-8 bytes, C1 controls and bidirectional overrides are shown
 * visibly as \xNN or \u{NNNN}; a backslash is doubled so those escapes
 * are unambiguous.  Returns a malloc'd NUL-terminated string (NULL when
 * out of memory).
 */
char		*report_escape(const char *s, size_t n);

#endif
