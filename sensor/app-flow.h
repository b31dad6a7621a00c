/*
 * app-flow.h - what the application layer learned about one flow.
 *
 * It hangs off struct flow as f->ext, allocated only when a flow carries
 * payload, so flows that never do (scans, SYN floods, most ICMP) stay at
 * the flow table's small fixed size.  Only compact summaries are kept
 * (strings are cut to what rules and EVE need), never the parser's full
 * result structs.
 */
#ifndef BW_APP_FLOW_H
#define BW_APP_FLOW_H

#include <stdint.h>
#include "app.h"

#define APP_REASM_MAX	8192	/* first bytes of a TCP direction kept in order */
#define APP_MAX_USERS	8	/* distinct RAKP usernames kept per flow */

struct reasm {
	uint32_t	 next_seq;
	uint16_t	 len;
	uint8_t		 started, full;
	uint8_t		 buf[APP_REASM_MAX];
};

/* The IPMI session setup seen on an RMCP flow (threats.md 1.1). */
struct rmcp_flow {
	uint8_t		 seen;			/* bitmask of 1 << rmcp_kind */
	uint16_t	 kinds;
	uint8_t		 auth15;		/* IPMI 1.5 auth type, 0xff = none seen */
	uint8_t		 offer_valid, offer_auth, offer_integ, offer_conf;
	int16_t		 offer_suite;		/* -1 when not a standard suite */
	uint8_t		 accept_valid, accept_status;
	int16_t		 accept_suite;
	uint8_t		 rakp2_status, rakp4_status;	/* 0xff = not seen */
	uint8_t		 null_user;		/* RAKP1 with an empty name */
	uint8_t		 nusers;
	char		 users[APP_MAX_USERS][17];
	uint8_t		 authcap_valid, authcap_anon, authcap_null, authcap_types;
	uint32_t	 iana;
	uint8_t		 has_cmd, netfn, cmd;
	uint16_t	 rakp1_count, rakp3_count;
};

/*
 * What each protocol's parser keeps.  A flow is one protocol: x->app is
 * set once, from APP_UNKNOWN, and never changes, so these share storage
 * (struct flow_ext's union) and a flow pays only for its own.  Read them
 * through flow_dns() ... flow_rmcp(), which give NULL unless the flow is
 * of that protocol: reading another protocol's member would read this
 * one's bytes (a TLS flow's JA3 pointer as an HTTP URI).
 */
struct dns_flow {
	uint16_t	 qtype;
	uint8_t		 rcode, answered;
};
struct tls_flow {
	uint16_t	 version, server_version, cipher;
	char		*hello;		/* the ClientHello's parts: see below */
	char		*ja3s;
	char		*cert;		/* bmc_cert_detail() of the server's
					 * certificate (TLS 1.2) */
};
struct http_flow {
	char		*method, *uri, *ua, *server;
	uint16_t	 status;
};
struct ssh_flow {
	char		*client, *server;	/* "proto|software" banners */
};
struct snmp_flow {
	uint8_t		 version, pdu;
	char		*community, *user;
};
struct ntp_flow {
	uint8_t		 valid, version, mode, stratum, anomaly;
};
struct syslog_flow {
	uint8_t		 valid, facility, severity;
	char		*host;
};

struct flow_ext {
	uint8_t		 app;			/* enum app_proto */
	uint8_t		 tries[2];		/* detection attempts per direction */
	uint8_t		 done[2];		/* parsing finished per direction */
	uint8_t		 pending;		/* policy decision deferred (detect.c) */
	uint8_t		 peer;			/* new_peer: 0 not yet, 1 known, 2 new */
	uint8_t		 bmc_seen;		/* SEEN_* facts given (engine-discover.c) */
	uint16_t	 nalerted, calerted;
	uint32_t	*alerted;		/* rule indexes already matched */
	struct reasm	*ra[2];
	int64_t		 last_c2s_ns;		/* last initiator payload (bursts) */

	char		*name;			/* SNI, HTTP Host or DNS query */
	char		*rname;			/* name the initiator resolved for the responder */
	union {					/* by app: see above */
		struct dns_flow	 dns;
		struct tls_flow	 tls;
		struct http_flow http;
		struct ssh_flow	 ssh;
		struct snmp_flow snmp;
		struct ntp_flow	 ntp;
		struct syslog_flow syslog;
		struct rmcp_flow *rmcp;
	} u;
};

/* x's part for one protocol, or NULL (x NULL or of another protocol).
 * Macros so a const x gives a const part. */
#define FLOW_PART(x, ap, m) \
	((x) != NULL && (x)->app == (ap) ? &(x)->u.m : NULL)
#define flow_dns(x)	FLOW_PART(x, APP_DNS, dns)
#define flow_tls(x)	FLOW_PART(x, APP_TLS, tls)
#define flow_http(x)	FLOW_PART(x, APP_HTTP, http)
#define flow_ssh(x)	FLOW_PART(x, APP_SSH, ssh)
#define flow_snmp(x)	FLOW_PART(x, APP_SNMP, snmp)
#define flow_ntp(x)	FLOW_PART(x, APP_NTP, ntp)
#define flow_syslog(x)	FLOW_PART(x, APP_SYSLOG, syslog)
/* the IPMI session summary itself (allocated on the first RMCP message) */
#define flow_rmcp(x) \
	((x) != NULL && (x)->app == APP_RMCP ? (x)->u.rmcp : NULL)

/*
 * A ClientHello's JA3 hash, JA4 and ALPN list are kept in one allocation,
 * "ja3\0ja4\0alpn\0": one malloc and one pointer instead of three (TLS
 * is the largest part of the union, so this sizes struct flow_ext).
 * flow_tls_hello() gives one part, or NULL when the hello had none.
 */
enum tls_hello_part { TLS_HELLO_JA3, TLS_HELLO_JA4, TLS_HELLO_ALPN };
const char	*flow_tls_hello(const struct tls_flow *t, enum tls_hello_part k);

/* Free a flow's extras (when the flow ends). */
void		 flow_ext_free(struct flow_ext *x);

/* ---- the application stage, as the engine sees it ---- */
struct flow;
struct packet;
struct app_ctx;

#define APP_EV_NAME	0x01	/* a name (SNI, Host, query, resolved) arrived */
#define APP_EV_META	0x02	/* other metadata rules may test arrived */
#define APP_EV_QUERY	0x04	/* a DNS query (for the beacon detector) */

struct app_stats {
	uint64_t	 detected[APP_MAX];
	uint64_t	 resolved;		/* flows that got a resolved name */
	uint64_t	 dns_cache_inserts, dns_cache_replaced;
	uint64_t	 parse_errors;
};

/* Called for every DNS message parsed (event_type "dns" records). */
typedef void (*app_dns_cb)(void *arg, const struct flow *f,
		    const struct dns_info *d, int64_t ts_ns);

/*
 * One datagram parsed as its protocol.  Detection parses the first
 * datagram of a flow to be sure of the protocol; the result is handed on
 * so that message is not parsed twice.
 */
union app_datagram {
	struct dns_info	 dns;
	struct rmcp_info rmcp;
	struct snmp_info snmp;
	struct ntp_info	 ntp;
	struct syslog_info syslog;
};
/* The datagram of the packet app_packet() just saw, parsed as the flow's
 * protocol, or NULL: later stages read it instead of parsing again. */
const union app_datagram *app_last_datagram(const struct app_ctx *a);

struct app_ctx	*app_new(size_t dns_cache_entries);
void		 app_set_dns_cb(struct app_ctx *a, app_dns_cb cb, void *arg);
/* On: only what BMC discovery reads (engine-discover.c), for the
 * inventory pass, which writes nothing: no JA3/JA4 of ClientHellos, no
 * DNS, NTP or syslog metadata (protocols are still recognised). */
void		 app_set_inventory_only(struct app_ctx *a, int on);
void		 app_free(struct app_ctx *a);
/* A new flow: attach the name its initiator resolved for the responder. */
int		 app_flow_start(struct app_ctx *a, struct flow *f);
/* Payload of one packet of f in direction dir; returns APP_EV_* bits. */
int		 app_packet(struct app_ctx *a, struct flow *f, int dir,
		    const struct packet *p);
void		 app_stats(const struct app_ctx *a, struct app_stats *s);
/* The app_proto number for a name ("tls"), or -1. */
int		 app_proto_from_name(const char *s);
/* Allocate f->ext if needed (NULL when out of memory). */
struct flow_ext	*app_ext(struct flow *f);
/* 1 once the initiator's first payload told what it will (or gave up):
 * a deferred policy decision can be made then. */
int		 app_settled(const struct flow *f);
/* IPMI cipher suite number for an algorithm triple, or -1. */
int		 app_ipmi_suite(uint8_t auth, uint8_t integ, uint8_t conf);

#endif
