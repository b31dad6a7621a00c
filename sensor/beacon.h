/*
 * beacon.h - periodic callback ("beacon") detection.
 *
 * Two layers, so that the statistics can be tested without the table and
 * the table without packets:
 *  - beacon_score() is a pure function: a list of event times (and sizes)
 *    in, a period, jitter and score out (beacon-stats.c).
 *  - struct beacon_table keeps a bounded number of series, each a fixed
 *    ring of the last BEACON_RING events under an opaque key chosen by the
 *    caller, and tells the caller when a series first looks periodic
 *    (detect-beacon.c).
 * Time is always packet time in ns since the epoch, never the wall clock.
 * The algorithm, its parameters and the measured detection rates are in
 * doc/beacon.md.
 */
#ifndef BW_BEACON_H
#define BW_BEACON_H

#include <stddef.h>
#include <stdint.h>

#define BEACON_RING	64	/* events kept per series */

struct beacon_params {
	uint32_t	 min_events;	/* no alert below this many events (8) */
	double		 max_jitter;	/* relative jitter still periodic (0.5) */
	int64_t		 window_ns;	/* only events this recent count (24 h) */
	double		 min_score;	/* alert threshold, 0..1 (0.8) */
	int64_t		 realert_ns;	/* quiet time after an alert (1 h) */
};

struct beacon_result {
	double		 period_s;	/* estimated period */
	double		 jitter;	/* relative, as the half-width of a
					 * uniform jitter: +-0.2 -> 0.2 */
	double		 score;		/* 0 (random) .. 1 (clockwork) */
	double		 llr;		/* evidence in nats (doc/beacon.md) */
	uint32_t	 events;	/* distinct event times scored */
	double		 span_s;	/* first to last scored event */
	uint64_t	 size_mode;	/* most common size (0 without sizes) */
	double		 size_share;	/* share of events near size_mode */
	uint32_t	 missed;	/* estimated missed beats */
	uint32_t	 extra;		/* events off the beat (companions,
					 * strays) */
	uint64_t	 total;		/* events ever seen (table only) */
};

void	 beacon_params_default(struct beacon_params *p);

/*
 * Score n events.  ts_ns may be unsorted and hold duplicates; sizes may be
 * NULL.  Events older than the newest minus p->window_ns are ignored.
 * Always fills *out.  Returns 1 when the events make a beacon by p
 * (events >= min_events and score >= min_score; jitter beyond max_jitter
 * lowers the score), 0 when not, -1 when out of memory (only for
 * n > 128).
 */
int	 beacon_score(const int64_t *ts_ns, const uint32_t *sizes, size_t n,
	    const struct beacon_params *p, struct beacon_result *out);

/*
 * The same for times already sorted, distinct and in seconds (the table's
 * path; no window applied).  sizes, when not NULL, is sorted in place.
 * extra_nats raises the evidence that score 0.8 needs (detect-beacon.c).
 */
int	 beacon_score_sorted(const double *t_s, uint32_t *sizes, size_t n,
	    double extra_nats, const struct beacon_params *p,
	    struct beacon_result *out);

/*
 * The registered domain ("zone") of a DNS name without the public suffix
 * list: the last two labels, or the last three when the TLD has two
 * letters and the label before it is a common second level (co, com, net,
 * org, gov, ac, edu, ...).  Lower-cased, trailing dot removed.  Returns
 * buf, or NULL when the name is empty or does not fit.
 */
const char *beacon_zone(const char *name, char *buf, size_t len);

struct beacon_table;

struct beacon_table_stats {
	uint64_t	 series;	/* series in the table now */
	uint64_t	 max_series;
	uint64_t	 events;	/* beacon_observe() calls */
	uint64_t	 scored;	/* times a series was scored */
	uint64_t	 evictions;	/* series dropped because the table was full */
	uint64_t	 resets;	/* series restarted: clock went back */
	uint64_t	 alerts;
	size_t		 bytes;		/* memory held by the table */
	size_t		 series_bytes;	/* bytes per series (fixed) */
};

/* A table of at most max_series series (>= 1); NULL when out of memory. */
struct beacon_table *beacon_table_new(size_t max_series);
void	 beacon_table_free(struct beacon_table *t);

/*
 * Add one event of size 'size' at ts_ns to the series of key (keylen
 * bytes, any content; series are told apart by a 64-bit hash of it).
 * Returns 1 when the series is a beacon by p and either never alerted or
 * last alerted at least p->realert_ns ago, and then fills *out; 0
 * otherwise (out untouched).  min_events is taken as at most BEACON_RING.
 * The score asks for more evidence the more often a series was rescored
 * (detect-beacon.c), so it can be below beacon_score()'s on the same
 * events.
 */
int	 beacon_observe(struct beacon_table *t, const void *key, size_t keylen,
	    int64_t ts_ns, uint32_t size, const struct beacon_params *p,
	    struct beacon_result *out);

/* Score the series of key now without adding an event; 1 if it exists. */
int	 beacon_lookup(struct beacon_table *t, const void *key, size_t keylen,
	    const struct beacon_params *p, struct beacon_result *out);

/* The series' recent event times (oldest first, at most max); the count. */
size_t	 beacon_times(struct beacon_table *t, const void *key, size_t keylen,
	    int64_t *out_ns, size_t max);

void	 beacon_table_stats(const struct beacon_table *t,
	    struct beacon_table_stats *s);

/*
 * Saving series across restarts (state.c).  A table keeps its series'
 * keys only when asked (beacon_table_keep_keys, right after creating
 * it): BEACON_KEYMAX bytes per series that a sensor without a state
 * directory does not need.  Longer keys are not kept (never saved).
 */
#define BEACON_KEYMAX	160

struct beacon_saved {
	const uint8_t	*key;
	size_t		 keylen;
	int64_t		 alert_ns;	/* last alert, INT64_MIN if none */
	uint32_t	 total;		/* events ever seen */
	uint16_t	 scored;	/* scorings so far (evidence spent) */
	size_t		 n;		/* events below, oldest first */
	int64_t		 t_ns[BEACON_RING];
	uint16_t	 size[BEACON_RING];
};

int	 beacon_table_keep_keys(struct beacon_table *t);
/* fn for every series changed since beacon_table_clean() (every series
 * when 'all'); stops at the first -1.  The count, or -1. */
long	 beacon_table_each(struct beacon_table *t, int all,
	    int (*fn)(void *arg, const struct beacon_saved *s), void *arg);
void	 beacon_table_clean(struct beacon_table *t);
/* Put a saved series back (replacing the series of the same key, or
 * taking a slot as beacon_observe would).  0, or -1 when invalid. */
int	 beacon_table_restore(struct beacon_table *t,
	    const struct beacon_saved *s);

#endif
