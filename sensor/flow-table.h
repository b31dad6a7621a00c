/*
 * flow-table.h - the bounded flow table: lookup/create per packet, expiry
 * by packet time, eviction of the stalest flow when full.
 */
#ifndef BW_FLOW_TABLE_H
#define BW_FLOW_TABLE_H

#include <stddef.h>
#include "flow.h"

/* Timeout classes: each has its own list ordered by last activity. */
enum flow_tclass {
	TC_TCP_NEW,		/* handshake not complete */
	TC_TCP_EST,		/* established */
	TC_TCP_CLOSED,		/* FIN both ways or RST */
	TC_UDP_NEW,		/* one direction only */
	TC_UDP_EST,		/* both directions */
	TC_ICMP,
	TC_OTHER,
	TC_MAX
};

struct flow_timeouts {
	int64_t		 sec[TC_MAX];
};

/* Suricata-like defaults (seconds). */
void		 flow_timeouts_default(struct flow_timeouts *t);
/* Parse "tcp-new=30,tcp-est=600,..." into t; 0 ok, -1 with msg in err. */
int		 flow_timeouts_parse(struct flow_timeouts *t, const char *s,
		    char *err, size_t errlen);

struct flow_table;
typedef void (*flow_end_cb)(void *arg, struct flow *f);

struct flow_table *flow_table_new(size_t max_flows,
		    const struct flow_timeouts *t, flow_end_cb cb, void *arg);
void		 flow_table_free(struct flow_table *ft);

/* Default --max-flows, sized for about 256 MB of flow state. */
size_t		 flow_table_default_max(void);

struct flow_update {
	struct flow	*flow;		/* NULL when the packet has no flow */
	int		 dir;		/* DIR_TOSERVER / DIR_TOCLIENT */
	int		 created;	/* 1 when this packet created the flow */
};

/*
 * Account a decoded packet: find or create its flow, update counters,
 * state, history and timeout list.  Expires flows idle past their timeout
 * at p->ts_ns first.  Later IPv4/IPv6 fragments are attributed to the flow
 * of their first fragment when it was seen; otherwise u->flow is NULL.
 */
void		 flow_table_packet(struct flow_table *ft, const struct packet *p,
		    struct flow_update *u);
/* Call fn for every active flow (oldest first per timeout class). */
void		 flow_table_foreach(struct flow_table *ft,
		    void (*fn)(void *arg, struct flow *f), void *arg);
/* Expire flows idle at 'now' (packet time). */
void		 flow_table_expire(struct flow_table *ft, int64_t now_ns);
/* End every flow (end of replay / shutdown). */
void		 flow_table_flush(struct flow_table *ft);

struct flow_table_stats {
	uint64_t	 created, expired, evicted, flushed;
	uint64_t	 tcp, udp, icmpv4, icmpv6, other;
	uint64_t	 frag_attributed, frag_orphan;
	size_t		 active, max;
};
void		 flow_table_stats(const struct flow_table *ft,
		    struct flow_table_stats *s);

#endif
