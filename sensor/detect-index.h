/*
 * detect-index.h - which rules can match a flow, without testing them
 * all: a prefilter on the initiator's address, the responder's address
 * and the protocol/destination port, compiled once per rule set.
 */
#ifndef BW_DETECT_INDEX_H
#define BW_DETECT_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "flow.h"
#include "rules.h"

struct detect_index;

/*
 * Index the rules pass[0..npass) and alert[0..nalert) (indexes into
 * rs->rules, in the order the detector tries them).  NULL when out of
 * memory or when the index would be too large: then test every rule.
 */
struct detect_index *detect_index_new(const struct ruleset *rs,
		    const size_t *pass, size_t npass,
		    const size_t *alert, size_t nalert);
void		 detect_index_free(struct detect_index *ix);

/*
 * The candidates for f: a bitset, bit i for pass[i], bit npass + i for
 * alert[i].  Every rule whose header (addresses, protocol, destination
 * port) matches f is set; others may be, so the caller still tests each
 * candidate in full.  Valid until the next lookup.
 */
const uint64_t	*detect_index_lookup(struct detect_index *ix,
		    const struct flow *f);

/* The first set bit at or after i and below n, or n. */
static inline size_t
detect_index_next(const uint64_t *set, size_t i, size_t n)
{
	while (i < n) {
		uint64_t w = set[i / 64] >> (i % 64);

		if (w != 0) {
			i += (size_t)__builtin_ctzll(w);
			return i < n ? i : n;
		}
		i = (i / 64 + 1) * 64;
	}
	return n;
}

#endif
