/*
 * output-metrics.h - /metrics (Prometheus text exposition format 0.0.4)
 * and /health over libevent's evhttp, on the capture's own event_base.
 *
 * The module knows nothing of the engine: at each scrape it calls the
 * caller's fill callback, which writes the samples with metrics_counter()
 * and metrics_gauge().  Samples of one family (one name, several label
 * sets) must be written one after the other: the HELP and TYPE lines are
 * written once, before the first.
 */
#ifndef BW_OUTPUT_METRICS_H
#define BW_OUTPUT_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct metrics;
struct metrics_buf;

struct metrics_source {
	void	(*fill)(void *arg, struct metrics_buf *mb);
	void	*arg;
};

/*
 * Listen on addr: "ADDR:PORT", "[V6ADDR]:PORT", or ":PORT" / "PORT" for
 * 127.0.0.1 (the default: the endpoint is unauthenticated).  PORT 0 picks
 * a free port (metrics_port tells which).  Health starts as 503
 * "starting".  NULL with one line in err.
 */
struct metrics	*metrics_open(struct event_base *base, const char *addr,
		    const struct metrics_source *src, char *err, size_t errlen);
void		 metrics_close(struct metrics *m);
/* The bound TCP port. */
int		 metrics_port(const struct metrics *m);
/*
 * /health answers 200 {"status":"ok",...} while ok, else 503
 * {"status":"unavailable","reason":REASON,...}.
 */
void		 metrics_set_health(struct metrics *m, int ok, const char *reason);

/*
 * One sample.  name: [a-zA-Z_:][a-zA-Z0-9_:]* (counters end in _total);
 * labels: NULL or built with metrics_label; help: one line of text.
 */
void		 metrics_counter(struct metrics_buf *mb, const char *name,
		    const char *help, const char *labels, uint64_t value);
void		 metrics_gauge(struct metrics_buf *mb, const char *name,
		    const char *help, const char *labels, double value);
/*
 * Append key="value" (escaped; a comma first if buf is not empty) to the
 * NUL-terminated buf.  Returns -1 (buf unchanged) if it does not fit.
 */
int		 metrics_label(char *buf, size_t len, const char *key,
		    const char *value);

#endif
