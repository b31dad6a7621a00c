/*
 * rules.h - the rule set: what rules-parse.c builds from a rule file and
 * detect.c evaluates.  The grammar lives in bmcwatch.rules(5).
 */
#ifndef BW_RULES_H
#define BW_RULES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "addrset.h"

struct geoip;

enum rule_action { RA_PASS, RA_ALERT, RA_BEACON };
enum rule_proto { RP_IP, RP_TCP, RP_UDP, RP_ICMP };

enum rule_side { SIDE_SRC, SIDE_DST, SIDE_EITHER, SIDE_BOTH };

struct geo_cond {			/* geoip:dst,CN,RU */
	enum rule_side	 side;
	int		 neg;
	char		(*cc)[3];	/* upper-case ISO codes */
	size_t		 ncc;
};

struct asn_cond {			/* asn:dst,4134,4837 */
	enum rule_side	 side;
	int		 neg;
	uint32_t	*asn;
	size_t		 nasn;
};

enum thr_type { THR_NONE, THR_LIMIT, THR_THRESHOLD, THR_BOTH };
enum thr_track { TRACK_BY_SRC, TRACK_BY_DST, TRACK_BY_BOTH, TRACK_BY_RULE };

struct threshold {
	enum thr_type	 type;
	enum thr_track	 track;
	uint32_t	 count;
	uint32_t	 seconds;
};

/*
 * Application-layer conditions (rules-app.c parses them, detect-app.c
 * tests them against what the app stage learned about the flow).
 */
enum app_cond_kind {
	AC_APP_PROTO,		/* app_proto:tls */
	AC_DNS_QUERY,		/* dns.query:"*.example.com" (globs) */
	AC_TLS_SNI,		/* tls.sni:"..." */
	AC_HTTP_HOST,		/* http.host:"..." */
	AC_HOST,		/* host:"..." SNI, Host, query or resolved name */
	AC_IPMI_CIPHER,		/* ipmi.cipher:0[,accepted] */
	AC_IPMI_AUTH,		/* ipmi.auth:none,password (IPMI 1.5 session) */
	AC_IPMI_USER,		/* ipmi.user:[!]"ADMIN","" */
	AC_IPMI_USER_ENUM,	/* ipmi.user_enum:COUNT,SECONDS */
	AC_IPMI_AUTHCAP,	/* ipmi.authcap:anonymous,null_user */
	AC_IPMI_HASH,		/* ipmi.rakp2_no_rakp3 (hash handed out) */
	AC_SNMP_COMMUNITY,	/* snmp.community:[!]"public","private" */
	AC_SNMP_VERSION,	/* snmp.version:1,2 */
	AC_NTP_MODE,		/* ntp.mode:6,7 */
	AC_NTP_ANOMALY		/* ntp.anomaly */
};

struct app_cond {
	enum app_cond_kind kind;
	int		 neg;		/* `!` before the list */
	char		**strs;		/* names/globs/users/communities */
	size_t		 nstrs;
	uint32_t	*nums;		/* suites, modes, versions, auth types */
	size_t		 nnums;
	uint32_t	 count, seconds;	/* user_enum */
	int		 accepted;	/* ipmi.cipher: the BMC accepted it */
};

/* beacon rules (beacon.* options; 0 = the detector's default) */
#define BK_FLOW		0x01	/* (src, dst, dst port, proto) per flow start */
#define BK_NAME		0x02	/* (src, zone) per DNS query / TLS SNI */
#define BK_BURST	0x04	/* client data bursts inside one connection */
struct rule_beacon {
	uint32_t	 min_events;
	double		 max_jitter;
	uint32_t	 window_s;
	double		 min_score;
	uint8_t		 keys;		/* BK_*; 0 = all */
	int		 include_passed;
};

#define NEW_PEER_LEARN_S	(7 * 86400)	/* new_peer's default window */

struct rule {
	enum rule_action action;
	enum rule_proto	 proto;
	struct addrset	 src, dst;
	struct portset	 sport, dport;
	char		*msg;
	uint32_t	 sid, rev, gid;
	int		 severity;		/* 1 (high) .. 4; default 3 */
	char		*category;		/* classtype description or category: */
	struct geo_cond	*geo;
	size_t		 ngeo;
	struct asn_cond	*asn;
	size_t		 nasn;
	struct threshold thr;
	struct app_cond	*app;
	size_t		 napp;
	int		 finding;		/* a management-protocol finding:
						   not silenced by pass rules */
	int		 needs_name;		/* has a name condition */
	struct rule_beacon beacon;		/* RA_BEACON only */
	uint8_t		 new_peer;		/* new_peer option (peer.h) */
	uint32_t	 new_peer_learn_s;	/* its learning window */
	uint8_t		 src_discovered;	/* src is $BMC_DISCOVERED */
	uint8_t		 dst_discovered;
	const char	*file;			/* points into the ruleset */
	int		 line;
	char		*text;			/* the rule as written, for alert.rule */
};

struct ruleset {
	struct rule	*rules;			/* in file order */
	size_t		 nrules;
	char		*path;
	int		 needs_country;		/* some rule uses geoip: */
	int		 needs_asn;		/* some rule uses asn: */
	int		 uses_discovered;	/* some rule uses $BMC_DISCOVERED */
	int		 uses_new_peer;		/* some rule has new_peer */
	/* variables, kept for diagnostics; opaque to detect */
	void		*vars;
};

/*
 * Load and compile a rule file.  Every error is reported on 'errf' as
 * "file:line:col: message" (one line each); returns NULL if there was any
 * error.  'geo' may be NULL; rules that need a GeoIP database that 'geo'
 * does not have are errors.
 */
struct ruleset	*rules_load(const char *path, const struct geoip *geo, FILE *errf);
/* The same from a string (tests, fuzzing); 'name' is used in messages. */
struct ruleset	*rules_load_string(const char *name, const char *text,
		    const struct geoip *geo, FILE *errf);
void		 rules_free(struct ruleset *rs);
/* 1 when a is in the address variable 'name' of the rule file. */
int		 rules_var_contains(const struct ruleset *rs, const char *name,
		    const struct bw_addr *a);
/* Free what an app_cond holds (not the struct itself). */
void		 app_cond_free(struct app_cond *c);

#endif
