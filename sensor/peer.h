/*
 * peer.h - the peers each protected host has talked to, for the new_peer
 * rule option: "alert the first time a BMC talks to a responder it never
 * talked to before, once a learning window has passed".
 *
 * A peer is an address or a name (SNI, HTTP Host, DNS query, or the name
 * the host resolved for the address).  A flow is to a new peer only when
 * neither its responder address nor its name is known for the host: an
 * NTP pool or a CDN rotates addresses under one name, and a name-less
 * flow to a known address is no news either.
 *
 * Time is packet time.  'since' is when the table began learning (the
 * first observation ever, kept across restarts by state.c): new_peer
 * alerts only once the packet time is past since + the rule's window.
 */
#ifndef BW_PEER_H
#define BW_PEER_H

#include <stddef.h>
#include <stdint.h>
#include "packet.h"

#define PEER_NAME_MAX	253
#define PEER_TABLE_MAX	(1u << 20)	/* pairs: ~100 MB at most */
#define PEER_NEVER	INT64_MIN

enum peer_kind { PEER_ADDR, PEER_NAME };

struct peer_table;

/* One (host, peer) pair, as the state database stores it. */
struct peer_rec {
	struct bw_addr	 host;
	enum peer_kind	 kind;
	struct bw_addr	 addr;		/* PEER_ADDR */
	const char	*name;		/* PEER_NAME: lower case, no final dot */
	int64_t		 first_ns, last_ns;
	uint64_t	 flows;
};

struct peer_stats {
	uint64_t	 entries, max_entries;
	uint64_t	 observed;	/* flows observed */
	uint64_t	 new_peers;	/* flows to a peer not known before */
	uint64_t	 full;		/* pairs not stored: table full */
};

/* A table of at most max pairs; NULL when out of memory. */
struct peer_table *peer_table_new(size_t max);
void	 peer_table_free(struct peer_table *t);

/*
 * One flow from host to addr (name may be NULL): records both the address
 * and the name as known, updates last seen and counts.  Returns 1 when
 * neither was known before (a new peer), else 0.  The first call ever
 * starts the learning window (peer_since) unless one was set.
 */
int	 peer_observe(struct peer_table *t, const struct bw_addr *host,
	    const struct bw_addr *addr, const char *name, int64_t ts_ns);

/* When learning began; PEER_NEVER before any observation. */
int64_t	 peer_since(const struct peer_table *t);
void	 peer_set_since(struct peer_table *t, int64_t ts_ns);

/* Add a stored pair (state.c on start); not marked for writing.  0, or
 * -1 when the table is full or the name is not acceptable. */
int	 peer_load(struct peer_table *t, const struct peer_rec *r);

/*
 * Call fn for each pair changed since the last peer_clean() (every pair
 * when 'all').  Stops at the first fn returning -1.  Returns the number
 * of pairs passed to fn, or -1.  Nothing is marked written until
 * peer_clean(): a batch that fails to commit is written again next time.
 */
long	 peer_each_dirty(struct peer_table *t, int all,
	    int (*fn)(void *arg, const struct peer_rec *r), void *arg);
void	 peer_clean(struct peer_table *t);

void	 peer_stats(const struct peer_table *t, struct peer_stats *s);

#endif
