/*
 * detect-threshold.h - Suricata's threshold keyword (limit, threshold,
 * both; tracked by source, destination, address pair or rule) over packet
 * time, in one bounded table per rule-set generation.
 */
#ifndef BW_DETECT_THRESHOLD_H
#define BW_DETECT_THRESHOLD_H

#include <stddef.h>
#include <stdint.h>

struct flow;
struct ruleset;
struct threshold;
struct thr_table;

struct thr_table *thr_new(void);
void		 thr_free(struct thr_table *t);
/*
 * One match of rule number ridx (its index in the rule set) with
 * threshold t on flow f at packet time ts: 1 when it may raise an alert,
 * 0 when the threshold suppresses it.
 */
int		 thr_check(struct thr_table *t, size_t ridx,
		    const struct threshold *th, const struct flow *f,
		    int64_t ts);
/*
 * SIGHUP: copy into t (fresh, for rule set rs) the counters of old (for
 * rule set old_rs, still valid) whose rule is still there with the same
 * sid, gid and rev and the same threshold.  Returns the entries kept.
 */
size_t		 thr_adopt(struct thr_table *t, const struct ruleset *rs,
		    const struct thr_table *old, const struct ruleset *old_rs);

#endif
