/*
 * learn-int.h - private to the allowlist learner (learn.c observes and
 * drives, learn-group.c turns observed tuples into rules, learn-file.c
 * reads and writes OUT); nothing else includes it.
 */
#ifndef BW_LEARN_INT_H
#define BW_LEARN_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "packet.h"

struct beacon_table;

#define MAX_SRC		64	/* sources kept per tuple */
#define MAX_NAME	253
#define MAX_CAPTURES	256
#define PORT_EPH	65536u	/* 32768: */
#define PORT_ANY	65537u
#define EPH_LO		32768
#define NET_MIN		4	/* addresses in a /24 before it collapses */
#define KEYMAX		(16 + 16 + MAX_NAME + 8)

#define MARK		"# bmcwatch-learn: v1"
#define END_MARK	"# --- end of learned rules"

struct tuple {
	struct bw_addr	 dst;
	uint8_t		 proto;
	uint16_t	 dport;
	char		*name;
	uint32_t	 passed_sid;	/* a sid of the learned range */
	int		 alerted;
	uint64_t	 flows, bytes;
	int64_t		 first, last;
	struct bw_addr	*src;		/* grows to MAX_SRC */
	size_t		 nsrc, srccap;
	int		 src_more;
};

struct learn {
	size_t		 max;
	uint32_t	 sid_lo, sid_hi;
	struct tuple	**t;
	size_t		 nt;
	size_t		*hash;		/* index + 1, 0 = free */
	size_t		 hcap;
	uint64_t	 flows, dropped, passed_flows, passed_bytes;
	char		**cap;
	size_t		 ncap;
	struct beacon_table *bt;	/* its own series (learn-periodic.c) */
	struct lalert	*alert;		/* beacon alerts, by learn_beacon() */
	size_t		 nalert, alertcap;
	int		 alert_sorted;
	int		 alert_lost;	/* too many: learn_write refuses */
};

/* A beacon rule alerted on a series of src to (dst, proto, port); for a
   name series, zone is the zone (the flow to dst carried its names). */
struct lalert {
	struct bw_addr	 src, dst;
	uint8_t		 proto;
	uint16_t	 port;
	uint32_t	 sid;
	char		 zone[96];
	double		 period, jitter, score;
	uint32_t	 events;
};

/* One group: a rule of OUT (or a reported destination). */
struct rec {
	char		 key[KEYMAX];
	uint32_t	 sid;
	int		 reported, disabled, used;
	uint64_t	 flows, bytes, hosts, addrs;
	int64_t		 first, last;
	char		**per;		/* "SRC -> DST proto/port every N s" */
	size_t		 nper;
};

struct recs {
	struct rec	*r;
	size_t		 n, cap;
};

/* The parts of a key, checked: a hand-edited OUT cannot smuggle text
   into a rule. */
struct keyparts {
	char	 proto[8], port[8], kind[8];
	char	 val[MAX_NAME + 1];
	long	 portnum;		/* -1 any, -2 ephemeral */
};
struct prior {
	struct recs	 recs;
	char		**cap;
	size_t		 ncap;
	uint64_t	 passed_flows, passed_bytes, dropped;
	char		*tail;		/* after END_MARK, the analyst's */
	size_t		 taillen;
};

/* learn.c */
int		 lw_name_ok(const char *s, char *out);

/* learn-periodic.c: the learner's own (src, dst, proto, port) series,
   fed one event per flow start, and the beacon alerts it was told of. */
#define LEARN_SERIES	(1 << 15)	/* series kept, 440 bytes each */
void		 lw_series_event(struct learn *l, const struct bw_addr *src,
		    const struct bw_addr *dst, uint8_t proto, uint16_t port,
		    int64_t ts_ns, uint64_t bytes);
/* Mark the tuples a beacon alert was about (never passed). */
void		 lw_beacon_mark(struct learn *l);
/* The "periodic:" comment lines of tuple t, added to r; 0 or -1. */
int		 lw_periodic_lines(struct learn *l, const struct tuple *t,
		    struct rec *r);

/* learn-group.c: the tuples of l, grouped, folded into rs (which holds
   the previous run's records, so counts add up and sids stay). */
int		 lw_group(struct learn *l, struct recs *rs);
struct rec	*lw_prior_by_sid(struct recs *rs, uint32_t sid);
/* qsort, which may not be given NULL even for nothing to sort. */
void		 lw_sort(void *base, size_t n, size_t size,
		    int (*cmp)(const void *, const void *));

/* learn-file.c: records, keys, reading and writing OUT. */
struct rec	*lw_rec_add(struct recs *rs, const char *key);
struct rec	*lw_rec_find(struct recs *rs, const char *key);
void		 lw_recs_free(struct recs *rs);
int		 lw_rec_per(struct rec *r, const char *line);
const char	*lw_proto_word(uint8_t proto);
void		 lw_port_word(uint32_t port, char *buf, size_t len);
int		 lw_key_split(const char *key, struct keyparts *k);
const char	*lw_service_name(long port);
void		 lw_set_err(char *err, size_t errlen, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
int		 lw_prior_read(const char *path, struct prior *p,
		    const struct learn *l, char *err, size_t errlen);
void		 lw_prior_free(struct prior *p);
int		 lw_cmp_rec(const void *x, const void *y);
int		 lw_write_file(FILE *f, const struct learn *l, struct prior *p,
		    const char *bmc_var);

#endif
