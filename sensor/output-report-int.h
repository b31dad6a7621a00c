/*
 * output-report-int.h - what the report's files share: the model that
 * output-report.c builds from EVE lines, and the helpers (buffer, the one
 * escaping function, string pool, hash index, time formatting) of
 * output-report-buf.c that output-report-html.c and output-report-svg.c
 * render it with.
 *
 * Wire strings are interned once (struct rstr: length + bytes, NUL bytes
 * allowed) and reach the page only through rb_esc().  Aggregates are
 * found through a hash index but always sorted by content before they
 * are written, so pointer values and insertion order never show.
 */
#ifndef BW_OUTPUT_REPORT_INT_H
#define BW_OUTPUT_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#define TS_NONE		INT64_MIN	/* record without a usable time */
#define TL_MAX		20000		/* times kept per series */
#define SMALL_SET	4		/* sids / names kept per aggregate */
#define IPMI_USERS	8

/* An interned string: compare pointers for equality, rstr_cmp to sort. */
struct rstr {
	size_t		 len;
	char		 s[];		/* len bytes, then a NUL */
};

/* Growable output buffer; oom sticks and is checked once at the end. */
struct rbuf {
	char		*p;
	size_t		 len, cap;
	int		 oom;
};

/* Times in microseconds since the epoch, at most TL_MAX (extra counted). */
struct tlist {
	int64_t		*v;
	uint32_t	 n, cap;
	uint64_t	 dropped;
};

/* Hash index from a fixed-size byte key to an array position. */
struct kmap {
	size_t		 keylen;
	uint8_t		*keys;		/* cap * keylen */
	uint32_t	*val;		/* cap slots, UINT32_MAX = empty */
	size_t		 n, cap;
};

struct spool {				/* string interning */
	struct rstr	**slot;
	size_t		 n, cap;
};

/* Alerts of one (signature, src, dest, proto, dest port). */
struct r_agroup {
	uint32_t	 sid;
	int		 severity;
	const struct rstr *sig, *cat, *src, *dest, *proto, *app;
	int		 dport;
	const struct rstr *names[SMALL_SET];	/* SNI / Host / DNS name */
	int		 nnames, more_names;
	const struct rstr *url, *ua, *method;
	const struct rstr *cc, *asorg;		/* far side's GeoIP */
	int64_t		 asn;
	int64_t		 http_ts, geo_ts;	/* of the record they came from */
	int64_t		 first, last;
	uint64_t	 count;
	int		 beacon;
	struct tlist	 t;
};

/* One beacon alert. */
struct r_beacon {
	int64_t		 ts;
	uint32_t	 sid;
	int		 severity;
	const struct rstr *sig, *src, *dest, *proto, *key, *name, *wire;
	int		 dport;
	double		 period, jitter, span, score;
	int64_t		 events, size_mode, missed;
	double		*times;			/* seconds, as sent */
	uint32_t	 ntimes;
};

/* Flows of one (src, dest, proto, dest port), from flow records. */
struct r_peer {
	const struct rstr *src, *dest, *proto, *app, *name;
	int		 dport;
	uint64_t	 flows, bytes_ts, bytes_tc, alerts, policy_alert;
	int64_t		 first, last, name_ts, app_ts;
	uint32_t	 pass[SMALL_SET], asid[SMALL_SET];
	int		 npass, nasid, pass_more, asid_more;
	struct tlist	 starts;
};

/* Times a source used a name: kind 0 DNS record, 1 flow DNS, 2 flow SNI. */
struct r_nameser {
	const struct rstr *src, *name;
	int		 kind;
	struct tlist	 t;
};

/* What one RMCP/IPMI flow showed (the flow record wins over alerts). */
struct r_ipmi {
	uint64_t	 flow_id;
	const struct rstr *src, *dest;
	int64_t		 ts;
	int		 from_flow;
	int		 offered, accepted, rakp2_status, auth_type;
	int		 rakp1, rakp2, rakp3, anonymous, null_users, nmsgs;
	const struct rstr *users[IPMI_USERS];
	int		 nusers, users_more;
};

struct r_host {
	const struct rstr *ip;
	int		 rmcp_server;	/* answered RMCP/IPMI */
	int		 is_bmc;	/* decided at write time */
};

struct r_stats {
	int		 seen;
	int64_t		 ts;
	int64_t		 pkts, bytes, flows, malformed, files, files_failed,
			 files_truncated, evicted, suppressed, kernel_drops,
			 alerts;
};

struct report {
	struct spool	 pool;
	struct kmap	 agm, pm, nm, im, hm;
	struct r_agroup	*ag;	size_t nag, capag;
	struct r_beacon	*bc;	size_t nbc, capbc;
	struct r_peer	*pe;	size_t npe, cappe;
	struct r_nameser *ns;	size_t nns, capns;
	struct r_ipmi	*ip;	size_t nip, capip;
	struct r_host	*ho;	size_t nho, capho;
	struct r_stats	 st;
	uint64_t	 lines, bad, alerts, flows, dns, stats, other;
	int64_t		 tmin, tmax;
};

/* output-report-buf.c */
void	 rb_put(struct rbuf *b, const char *s, size_t n);
void	 rb_puts(struct rbuf *b, const char *s);
void	 rb_printf(struct rbuf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 rb_escn(struct rbuf *b, const char *s, size_t n);
void	 rb_esc(struct rbuf *b, const struct rstr *s);	/* NULL: nothing */
void	 rb_esc_cut(struct rbuf *b, const struct rstr *s, size_t max);
#define CELL_MAX	160	/* bytes of a wire string in a table cell */
void	 rb_free(struct rbuf *b);

const struct rstr *sp_intern(struct spool *p, const char *s, size_t n);
void	 sp_free(struct spool *p);
int	 rstr_cmp(const struct rstr *a, const struct rstr *b);
int	 ip_cmp(const struct rstr *a, const struct rstr *b);

void	 km_init(struct kmap *m, size_t keylen);
/* Position stored under key, or UINT32_MAX. */
uint32_t km_get(const struct kmap *m, const void *key);
int	 km_put(struct kmap *m, const void *key, uint32_t val);
void	 km_free(struct kmap *m);

int	 tl_add(struct tlist *t, int64_t v);
void	 tl_sort(struct tlist *t);
void	 tl_free(struct tlist *t);

int	 parse_time(const char *s, int64_t *us);
/* "2026-11-25 22:32:11" (full) or shorter forms; buf >= 32. */
const char *fmt_time(int64_t us, int full, char *buf, size_t len);
const char *fmt_span(double s, char *buf, size_t len);
const char *fmt_bytes(uint64_t v, char *buf, size_t len);

/* output-report-svg.c */
struct svg_axis {
	int64_t		 t0, t1;	/* µs, t1 > t0 */
	int		 full;		/* dates in labels */
};
void	 svg_strip(struct rbuf *b, const struct svg_axis *ax,
	    const int64_t *t, size_t n, const int64_t *marks, size_t nmarks);
void	 svg_gaps(struct rbuf *b, const int64_t *t, size_t n, double period);
void	 svg_timeline_row(struct rbuf *b, const uint32_t *bins, int nb,
	    int width, const char *cls);
void	 svg_time_axis(struct rbuf *b, const struct svg_axis *ax, int width);

/* What the page found about a host (struct rctx.flags). */
#define F_BMC		0x001	/* a BMC: $BMC, or answered IPMI */
#define F_NOTSET	0x002	/* answered IPMI but is not in $BMC */
#define F_OUT		0x004	/* started a flow that alerted */
#define F_BEACON	0x008	/* source of a beacon alert */
#define F_CIPHER0	0x010	/* accepted IPMI cipher suite 0 */
#define F_ANON		0x020	/* reported anonymous login enabled */
#define F_NULLEN	0x040	/* reported null user names enabled */
#define F_NULLTRY	0x080	/* a login with the null user name */
#define F_ENUM		0x100	/* one client tried >= 5 user names */
#define F_HASH		0x200	/* RAKP 2 hash handed out, no RAKP 3 */
#define F_AUTH15	0x400	/* IPMI 1.5 auth type none or password */
#define F_IPMI		(F_CIPHER0 | F_ANON | F_NULLEN | F_NULLTRY | F_ENUM | \
			 F_HASH | F_AUTH15)
#define ENUM_USERS	5
#define BMC_SECTIONS	100	/* BMCs with a section of their own */

struct report_meta;

/* One rendering: the model, the page being built, derived facts. */
struct rctx {
	struct report	*r;
	const struct report_meta *m;
	struct rbuf	*b;
	struct svg_axis	 ax;
	int		 have_span;
	size_t		*bmc;		/* host indices of BMCs, by address */
	size_t		 nbmc;
	uint32_t	*flags;		/* per host index */
	int		*bmc_no;	/* per host: section number (1..) or -1 */
	size_t		 nbmc_shown;	/* BMCs with a section */
	size_t		*ipx;		/* IPMI records, sorted (see bmc.c) */
	size_t		 nbeacon_shown;
};

/* output-report-bmc.c */
int	 ctx_classify(struct rctx *c);
void	 ctx_free(struct rctx *c);
int	 host_flags(const struct rctx *c, const struct rstr *ip);
void	 html_host(struct rctx *c, const struct rstr *ip);
void	 html_port(struct rbuf *b, int dport, const struct rstr *proto);
/* 0 session, 1 hash handed out, 2 user rejected, 3 open only, 4 none. */
int	 ipmi_outcome(const struct r_ipmi *s);
int	 ipmi_key_cmp(const struct r_ipmi *x, const struct r_ipmi *y);

/* output-report-beacon.c */
void	 html_beacons(struct rctx *c);

/* output-report-host.c */
void	 html_when(struct rctx *c, int64_t first, int64_t last);
void	 html_bmcs(struct rctx *c);

/* output-report-html.c */
int	 report_render(struct report *r, struct rbuf *b,
	    const struct report_meta *m);

#endif
