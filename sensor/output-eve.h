/*
 * output-eve.h - EVE JSON lines, Suricata-compatible where the meaning is
 * the same.  Suricata's objects carry only fields its published schema
 * gives them; what only bmcwatch knows lives in top-level objects of its
 * own, listed in EVE_OWN_KEYS (and in bmcwatch(8)).
 */
#ifndef BW_OUTPUT_EVE_H
#define BW_OUTPUT_EVE_H

#include <stddef.h>
#include <stdint.h>

struct engine;
struct flow;
struct rule;
struct eve;

/* bmcwatch's own top-level EVE objects (comma-separated, for tests/docs). */
#define EVE_OWN_KEYS	"conn,geoip,beacon,ipmi,syslog,anomaly,bmc,bmcwatch"

/* "-" or NULL = stdout.  NULL on error (errno set). */
struct eve	*eve_open(const char *path);
/* Open path again (after logrotate); the old file stays until then. */
int		 eve_reopen(struct eve *ev, const char *path);
/* Flush and close; returns -1 if any write failed. */
int		 eve_close(struct eve *ev);

struct beacon_alert;
/* b is NULL except for beacon rules' alerts. */
void		 eve_alert(struct engine *e, const struct flow *f,
		    const struct rule *r, int64_t ts_ns,
		    const struct beacon_alert *b);
void		 eve_flow(struct engine *e, const struct flow *f);
void		 eve_stats(struct engine *e);
struct dns_info;
struct bw_addr;
/* An event_type "bmc" record: the inventory's entry for host a. */
void		 eve_bmc(struct engine *e, const struct bw_addr *a, int64_t ts_ns);
/* One DNS message as an event_type "dns" record (--dns). */
void		 eve_dns(struct engine *e, const struct flow *f,
		    const struct dns_info *d, int64_t ts_ns);

/* Every record built, also those not written (the report's feed). */
typedef void (*eve_sink_cb)(void *arg, const char *line, size_t len);
void		 eve_set_sink(struct eve *ev, eve_sink_cb cb, void *arg);
/* Live mode: flush every record (a reader or SIEM shipper sees it now). */
void		 eve_set_flush(struct eve *ev, int on);
/* The next record goes to the sink only, not to the file. */
void		 eve_quiet_next(struct eve *ev);

/* The last record written (without its newline), for other outputs. */
const char	*eve_last(const struct eve *ev, size_t *len);

/* "2026-01-16T17:17:34.441782+0000"; buf >= 32 bytes. */

#endif
