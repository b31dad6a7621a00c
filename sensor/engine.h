/*
 * engine.h - the one context every stage receives.
 *
 * There is no other global state: main() fills a struct engine from the
 * command line, capture sources feed it frames with engine_packet(), and
 * the stages it owns (flow table, rules, detect, geoip, outputs) are
 * reached only through it.
 */
#ifndef BW_ENGINE_H
#define BW_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "packet.h"
#include "flow-table.h"

struct ruleset;
struct detect;
struct geoip;
struct eve;
struct app_ctx;
struct bmc_inventory;
struct syslog_out;
struct report;
struct learn;
struct state;
struct peer_table;

struct bw_config {
	size_t		 max_flows;
	struct flow_timeouts timeouts;
	int		 emit_flows;		/* --flows */
	int		 emit_dns;		/* --dns */
	int		 discover_only;		/* inventory pass: no policy, no output */
	int64_t		 stats_interval_ns;	/* --stats=SECONDS, 0 = end only */
	const char	*rules_path;
	const char	*eve_path;
	const char	*geo_country;
	const char	*geo_asn;
	const char	*syslog_url;		/* --syslog */
	const char	*spool_dir;		/* --spool-dir */
	size_t		 spool_max;		/* --spool-max, bytes */
	const char	*state_dir;		/* --state-dir */
	int64_t		 state_interval_ns;	/* --state-interval */
	int		 state_later;		/* live: engine_state_open() after
						   the fork of -D, not engine_open */
	int64_t		 learn_for_ns;		/* -r --learn-for, 0 = all */
};

/* Decoder counters; names follow Suricata's stats.decoder where they exist. */
struct bw_counters {
	uint64_t	 pkts, bytes, decoded;
	uint64_t	 reason[DR_MAX];
	uint64_t	 ethernet, vlan, vlan_qinq, sll, sll2, raw, null;
	uint64_t	 ipv4, ipv6, tcp, udp, icmpv4, icmpv6, other_l4;
	uint64_t	 ipv4_frag, ipv6_frag, ipv4_opts;
	uint64_t	 max_pkt_size;
	uint64_t	 files, files_failed, files_truncated;
};

struct engine {
	struct bw_config  cfg;
	struct bw_counters c;
	struct flow_table *ft;
	struct ruleset	*rules;
	struct app_ctx	*app;
	struct bmc_inventory *bmc;		/* passive BMC inventory */
	struct syslog_out *syslog;		/* NULL without --syslog */
	struct report	*report;		/* NULL without --report */
	struct learn	*learn;			/* NULL without --learn */
	struct peer_table *peers;		/* new_peer / --state-dir */
	struct state	*state;			/* NULL without --state-dir */
	int64_t		 last_sync_ns;		/* state batch clock */
	int		 sync_by_timer;		/* live: wall-clock batches */
	struct detect	*det;
	struct geoip	*geo;
	struct eve	*eve;
	int64_t		 first_ns, last_ns;	/* capture time span */
	int64_t		 last_stats_ns;
	uint64_t	 alerts;
	/* alerts by sid (metrics): a small open-addressing table */
#define ENGINE_SID_SLOTS 1024
	struct { uint32_t sid; uint64_t n; } by_sid[ENGINE_SID_SLOTS];
	int		 beacon;		/* the rules have beacon rules */
	/* new BMCs whose open flows wait to be evaluated again
	 * (engine-discover.c, recheck_*) */
#define ENGINE_RECHECK_MAX 64
	struct { struct bw_addr ip; int64_t ts; } recheck[ENGINE_RECHECK_MAX];
	size_t		 nrecheck;
	uint64_t	 recheck_bits[64];	/* a 4096-bit filter over them */
	/* the rule set in force, for /metrics: how long loading it took
	 * (GeoIP, rules, detect tables), when that finished (wall clock),
	 * sets loaded since start (1 = the first) and refused reloads */
	double		 rules_load_s;
	int64_t		 rules_loaded_ns;
	uint64_t	 rules_generation, rules_reload_failed;
	FILE		*errf;			/* diagnostics (stderr) */
};

/* Open GeoIP, rules and outputs as configured; on error print one line on
 * e->errf and return the exit code to use (2 config, 1 runtime). */
int	 engine_open(struct engine *e);
/* One frame from a capture source; 'num' is the 1-based packet number. */
void	 engine_packet(struct engine *e, int dlt, int64_t ts_ns,
	    const uint8_t *frame, uint32_t caplen, uint32_t wirelen);
/* SIGHUP: load rules and GeoIP again; the new set replaces the old one
 * only when everything loaded (errors on e->errf; rules_reload_failed
 * counts the refusals).  Flows, beacon series and the threshold counters
 * of unchanged rules carry over.  0 or -1. */
int	 engine_reload(struct engine *e);
/* Open --state-dir and load it (engine_open does it unless state_later):
 * 0, or 1 with the error on errf. */
int	 engine_state_open(struct engine *e);
/* Write the state batch now (live mode's timer). */
void	 engine_state_sync(struct engine *e);
/* Write a stats record now (--stats, SIGUSR1). */
void	 engine_stats(struct engine *e);
/* --learn-for ended (live): learn the flows still active, whose
 * decision is made, as if they had ended. */
void	 engine_learn_active(struct engine *e);
void	 engine_close(struct engine *e);

#endif
