/*
 * learn.h - the allowlist learner behind `bmcwatch --learn OUT` (issue 7):
 * it is told about every finished flow a protected BMC started, groups
 * them into a few readable pass rules and writes (or merges into) OUT.
 * Writing the allowlist by hand is where egress policies die; this gives
 * the analyst a reviewed-in-an-hour draft instead of a blank page.
 */
#ifndef BW_LEARN_H
#define BW_LEARN_H

#include <stddef.h>
#include <stdint.h>
#include "packet.h"

struct learn;
struct beacon_result;

/* Bounded: at most max_tuples (proto, port, destination, name) tuples are
   kept; flows beyond that are counted as dropped and said so in OUT. */
struct learn	*learn_new(size_t max_tuples);
void		 learn_free(struct learn *l);

/* The sids learned rules get (default 900000-999999); call before
   learn_observe.  Returns 0, or -1 (EINVAL) for an empty range. */
int		 learn_set_sid_range(struct learn *l, uint32_t lo, uint32_t hi);

/* A capture the observations came from, listed in OUT's header. */
int		 learn_note_capture(struct learn *l, const char *path);

/*
 * One finished flow a protected BMC started.  name: the SNI, HTTP Host,
 * DNS query or resolved name of the flow, or NULL.  alerted: an alert
 * rule matched it (reported in OUT, never passed).  passed_sid: the pass
 * rule that already allowed it (counted, not written again), 0 if none.
 * ts_ns: the flow's start.  The learner keeps its own series of flow
 * starts per (src, dst, proto, port) and scores them like the beacon
 * detector when it writes: a periodic one is listed as a comment under
 * its rule, so the analyst can tell NTP polling from a beacon.
 */
void		 learn_observe(struct learn *l, const struct bw_addr *src,
		    const struct bw_addr *dst, uint8_t proto, uint16_t dport,
		    const char *name, int alerted, uint32_t passed_sid,
		    int64_t ts_ns, uint64_t bytes);

/*
 * A beacon rule (sid) alerted on a series of src: a flow or burst series
 * to (dst, proto, dport), or, with zone, a name series whose names the
 * flow to dst carried (a DNS query to the resolver, a TLS SNI).  What
 * went to that destination is reported, never passed (the alert happens
 * outside the flow's verdict, so learn_observe's 'alerted' misses it).
 */
void		 learn_beacon(struct learn *l, const struct bw_addr *src,
		    const struct bw_addr *dst, uint8_t proto, uint16_t dport,
		    const char *zone, uint32_t sid,
		    const struct beacon_result *r);

/*
 * Forget the flows observed (after a learn_write of them, so that the
 * next one, which merges into the same OUT, does not add them twice).
 * The series and the beacon alerts stay: a period spans the writes, and
 * an alerted destination stays reported.
 */
void		 learn_reset(struct learn *l);

/* Flows seen and dropped (over max_tuples) so far. */
uint64_t	 learn_flows(const struct learn *l);
uint64_t	 learn_dropped(const struct learn *l);

/*
 * Write OUT, a commented rule file of pass rules whose source is bmc_var
 * ("$BMC"); when OUT exists and was written by this function, merge into
 * it (counts added, last seen updated, sids kept).  OUT is replaced
 * atomically.  Returns 0, or -1 with errno set and a message in err.
 */
int		 learn_write(struct learn *l, const char *out_path,
		    const char *bmc_var, char *err, size_t errlen);

#endif
