/*
 * flow.h - bidirectional flow records.
 *
 * A flow is keyed by the normalised 5-tuple plus VLAN ids: the endpoint
 * that sorts lower is key.addr[0]/key.port[0], so both directions hash to
 * the same record.  Which of the two started the conversation (the
 * initiator, "src" in EVE and "->" in rules) is kept separately in
 * f->init.  Counters are indexed by direction: DIR_TOSERVER is initiator
 * to responder.  The record is small on purpose (see flow-table.c).
 */
#ifndef BW_FLOW_H
#define BW_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include "packet.h"

#define DIR_TOSERVER	0
#define DIR_TOCLIENT	1

struct flow_key {
	struct bw_addr	 addr[2];
	uint16_t	 port[2];	/* ICMP: 0, as identity is (type,code)-free */
	uint32_t	 vlan;		/* outer << 12 | inner (12 bits each) */
	uint8_t		 proto;
	uint8_t		 pad[3];
};

/* Flow verdict after the policy was applied. */
#define FV_NONE		0	/* not evaluated yet */
#define FV_PASS		1	/* a pass rule matched: expected traffic */
#define FV_ALERT	2	/* at least one alert rule matched */
#define FV_NOMATCH	3	/* evaluated, nothing matched */

/* Zeek-like endpoint states, tracked per direction for conn_state. */
#define FS_SYN		0x01	/* SYN without ACK sent */
#define FS_SYNACK	0x02	/* SYN+ACK sent */
#define FS_FIN		0x04
#define FS_RST		0x08
#define FS_DATA		0x10	/* payload sent */
#define FS_ANY		0x20	/* any packet sent */
#define FS_ACK		0x40	/* pure or piggy-backed ACK sent */

struct flow_ext;		/* lazily allocated extras (app layer, alerts) */

struct flow {
	struct flow_key	 key;
	uint8_t		 init;		/* key index of the initiator: 0 or 1 */
	uint8_t		 tclass;	/* timeout class (flow-table.c) */
	uint8_t		 verdict;	/* FV_* */
	uint8_t		 end_reason;	/* FE_* when finished */
	uint8_t		 st[2];		/* FS_* per direction */
	uint8_t		 tcp_flags[2];	/* OR of flags per direction */
	char		 history[15];	/* Zeek conn history, NUL-terminated */
	uint8_t		 flags;		/* FF_* */
	uint32_t	 pass_sid;	/* sid of the pass rule, if FV_PASS */
	uint32_t	 hash;
	int64_t		 first_ns, last_ns;
	uint64_t	 pkts[2], bytes[2];
	uint64_t	 flow_id;
	struct flow	*hnext;		/* hash chain */
	struct flow	*lprev, *lnext;	/* timeout list, oldest first */
	struct flow_ext	*ext;
};

#define FF_BEACON_START	0x01	/* flow start given to the beacon detector */

#define FE_TIMEOUT	1
#define FE_EVICTED	2
#define FE_SHUTDOWN	3	/* end of replay */

static inline const struct bw_addr *
flow_src(const struct flow *f) { return &f->key.addr[f->init]; }
static inline const struct bw_addr *
flow_dst(const struct flow *f) { return &f->key.addr[!f->init]; }
static inline uint16_t
flow_sport(const struct flow *f) { return f->key.port[f->init]; }
static inline uint16_t
flow_dport(const struct flow *f) { return f->key.port[!f->init]; }

/* Zeek conn_state string ("S0", "SF", "REJ", ...) for a flow. */
const char	*flow_conn_state(const struct flow *f);
/* Suricata's flow.state: "new", "established", "closed" */
const char	*flow_suricata_state(const struct flow *f);
/* Name of an end reason for flow.reason: "timeout", "forced", "shutdown" */
const char	*flow_end_reason(const struct flow *f);

/* ICMP type/code to the "ports" of the Community ID spec; returns 1 for
 * one-way message types (no request/reply counterpart). */
int		 flow_icmp_ports(int v6, uint8_t type, uint8_t code,
		    uint16_t *sport, uint16_t *dport);
/* 1 once the TCP three-way handshake was seen. */
int		 flow_tcp_established(const struct flow *f);

/* Community ID v1 of the flow (seed 0) as "1:base64"; buf >= 32 bytes. */
const char	*flow_community_id(const struct flow *f, uint16_t seed,
		    char *buf, size_t len);

#endif
