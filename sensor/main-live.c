/*
 * main-live.c - live mode: capture sources, signals, metrics and the
 * privilege drop on one libevent event_base (OpenBSD-daemon style).
 * Everything that needs root (opening interfaces, binding the metrics
 * port, the pidfile) happens before the drop; the loop runs unprivileged.
 */
#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "main-live.h"
#include "engine.h"
#include "flow-table.h"
#include "detect.h"
#include "rules.h"
#include "geoip.h"
#include "output-eve.h"
#include "capture-live.h"
#include "daemon.h"
#include "output-metrics.h"
#include "output-syslog.h"
#include "learn.h"
#include "engine-discover.h"
#include "peer.h"
#include "state.h"

struct live_ctx {
	struct engine	*e;
	struct live	*live;
	struct metrics	*metrics;
	const struct live_opts *lo;
	struct event	*learn_ev;	/* --learn-for is over */
};

/*
 * Write (merge into) --learn's file what was learned since the last
 * write, then forget it, so that the next write does not count it twice.
 * On error the learner keeps it for the next try.  0 or -1.
 */
static int
live_learn_write(struct live_ctx *lc, const char *why)
{
	struct engine *e = lc->e;
	char err[300];
	uint64_t n;

	if (e->learn == NULL)
		return 0;
	n = learn_flows(e->learn);
	if (learn_write(e->learn, lc->lo->learn_path, "$BMC", err,
	    sizeof(err)) != 0) {
		fprintf(e->errf, "bmcwatch: --learn %s: %s\n",
		    lc->lo->learn_path, err);
		return -1;
	}
	fprintf(e->errf, "bmcwatch: --learn: %s: %" PRIu64 " flows merged "
	    "into %s\n", why, n, lc->lo->learn_path);
	learn_reset(e->learn);
	return 0;
}

/* --learn-for is over: the flows still open count too; then learning
 * stops and the sensor goes on monitoring, as a sensor should. */
static void
live_learn_done(evutil_socket_t fd, short what, void *arg)
{
	struct live_ctx *lc = arg;
	struct engine *e = lc->e;
	char why[64];

	(void)fd;
	(void)what;
	engine_learn_active(e);
	snprintf(why, sizeof(why), "learned for %s", lc->lo->learn_for);
	if (live_learn_write(lc, why) != 0)
		return;		/* keep learning; SIGTERM tries again */
	learn_free(e->learn);
	e->learn = NULL;
	fprintf(e->errf, "bmcwatch: --learn: done, monitoring goes on\n");
}

static void
live_stop(void *arg)
{
	struct live_ctx *lc = arg;

	flow_table_flush(lc->e->ft);	/* held decisions, flow records */
	engine_stats(lc->e);
	/* a stopped learning run is not lost */
	(void)live_learn_write(lc, "stopped");
}

static void
live_stats_now(void *arg)
{
	struct live_ctx *lc = arg;

	engine_stats(lc->e);
	(void)live_learn_write(lc, "SIGUSR1");
}

/*
 * SIGHUP: load the rule file and GeoIP databases again; only when both
 * load does the new set replace the old one, so a broken edit leaves the
 * sensor running on the old rules (the errors name file:line:col).  The
 * EVE file is reopened for logrotate.  Flows, the beacon series of
 * the beacon rules that stay (same sid) and the threshold counters of
 * the rules that stay unchanged (sid, gid, rev, threshold) survive.
 */
static void
live_reload(void *arg)
{
	struct live_ctx *lc = arg;
	struct engine *e = lc->e;

	if (engine_reload(e) == 0) {
		fprintf(e->errf, "bmcwatch: reloaded %s (%zu rules)\n",
		    e->cfg.rules_path ? e->cfg.rules_path : "(no rules)",
		    e->rules != NULL ? e->rules->nrules : (size_t)0);
	} else
		fprintf(e->errf, "bmcwatch: reload failed, the previous "
		    "rules stay in force\n");
	if (e->cfg.eve_path != NULL && strcmp(e->cfg.eve_path, "-") != 0 &&
	    eve_reopen(e->eve, e->cfg.eve_path) != 0)
		fprintf(e->errf, "bmcwatch: %s: cannot reopen: %s\n",
		    e->cfg.eve_path, strerror(errno));
}
/* The syslog output's news (collector lost, back, spool full) where the
 * sensor's other diagnostics go: after -D that is syslog, not the
 * /dev/null stderr has become. */
static void
live_log(void *arg, const char *line)
{
	struct engine *e = arg;

	fprintf(e->errf, "bmcwatch: %s\n", line);
}

/* Once a second (wall clock), after flow expiry. */
static void
live_tick(void *arg, int64_t now_ns)
{
	struct live_ctx *lc = arg;
	struct engine *e = lc->e;
	char why[320];
	int ok;

	/* --stats=N on a silent segment too (engine_packet only sees
	 * packets); the same clock field, so never twice */
	if (e->cfg.stats_interval_ns > 0 && (e->last_stats_ns == 0 ||
	    now_ns - e->last_stats_ns >= e->cfg.stats_interval_ns)) {
		if (e->last_stats_ns != 0)
			engine_stats(e);
		e->last_stats_ns = now_ns;
	}
	/* flows of BMCs found a while ago, on a quiet segment too */
	if (e->nrecheck > 0)
		recheck_due(e, now_ns);
	/* state batches by wall clock: a live sensor's packet clock stops
	 * on a silent segment, and SIGKILL must lose one interval at most */
	if (e->state != NULL && now_ns - e->last_sync_ns >=
	    e->cfg.state_interval_ns) {
		engine_state_sync(e);
		e->last_sync_ns = now_ns;
	}
	if (lc->metrics != NULL) {
		ok = live_health(lc->live, why, sizeof(why));
		metrics_set_health(lc->metrics, ok, why);
	}
}

/* The capture counters /metrics gives per interface. */
static const struct {
	const char	*name, *help;
	size_t		 off;		/* of a uint64_t in live_if_stats */
} per_if[] = {
	{ "bmcwatch_capture_packets_total",
	    "Packets the capture filter accepted",
	    offsetof(struct live_if_stats, recv) },
	{ "bmcwatch_capture_kernel_drops_total",
	    "Packets the kernel dropped (capture ring full)",
	    offsetof(struct live_if_stats, drop) },
	{ "bmcwatch_capture_interface_drops_total",
	    "Packets the interface or driver dropped",
	    offsetof(struct live_if_stats, ifdrop) },
};

static void
live_metrics(void *arg, struct metrics_buf *mb)
{
	struct live_ctx *lc = arg;
	struct engine *e = lc->e;
	struct flow_table_stats fs;
	struct detect_stats ds;
	struct live_if_stats s;
	char l[128];
	int n = live_count(lc->live);

	metrics_counter(mb, "bmcwatch_packets_total", "Packets captured",
	    NULL, e->c.pkts);
	metrics_counter(mb, "bmcwatch_bytes_total", "Bytes captured (wire "
	    "length)", NULL, e->c.bytes);
	/* one metric at a time, every interface under it (Prometheus
	 * wants a metric's samples together) */
	for (size_t k = 0; k < sizeof(per_if) / sizeof(per_if[0]); k++)
		for (int i = 0; i < n; i++) {
			uint64_t v;
			live_stats(lc->live, i, &s);
			memcpy(&v, (const char *)&s + per_if[k].off, sizeof(v));
			l[0] = '\0';
			metrics_label(l, sizeof(l), "interface", s.name);
			metrics_counter(mb, per_if[k].name, per_if[k].help, l, v);
		}
	flow_table_stats(e->ft, &fs);
	metrics_gauge(mb, "bmcwatch_flows_active", "Flows in the table", NULL,
	    (double)fs.active);
	metrics_counter(mb, "bmcwatch_flows_created_total", "Flows created",
	    NULL, fs.created);
	metrics_counter(mb, "bmcwatch_flows_evicted_total", "Flows evicted "
	    "because the table was full", NULL, fs.evicted);
	metrics_counter(mb, "bmcwatch_alerts_total", "Alerts written", NULL,
	    e->alerts);
	/* by sid, in slot order: stable between scrapes */
	for (int i = 0; i < ENGINE_SID_SLOTS; i++) {
		char sid[16];
		if (e->by_sid[i].n == 0)
			continue;
		snprintf(sid, sizeof(sid), "%u", e->by_sid[i].sid);
		l[0] = '\0';
		metrics_label(l, sizeof(l), "sid", sid);
		metrics_counter(mb, "bmcwatch_alerts_by_sid_total",
		    "Alerts written, by rule", l, e->by_sid[i].n);
	}
	if (e->syslog != NULL) {
		struct syslog_stats ss;
		syslog_stats(e->syslog, &ss);
		metrics_gauge(mb, "bmcwatch_syslog_spool_messages", "Alerts "
		    "waiting for the syslog collector", NULL,
		    (double)ss.spool_msgs);
		metrics_gauge(mb, "bmcwatch_syslog_spool_bytes", "Bytes in the "
		    "syslog spool", NULL, (double)ss.spool_bytes);
		metrics_counter(mb, "bmcwatch_syslog_sent_total", "Alerts "
		    "delivered to the collector", NULL, ss.sent);
		metrics_counter(mb, "bmcwatch_syslog_dropped_total", "Alerts "
		    "dropped from the full spool", NULL, ss.dropped_oldest);
		metrics_counter(mb, "bmcwatch_syslog_spooled_total", "Alerts "
		    "that waited in the spool (collector unreachable or slow)",
		    NULL, ss.spooled);
		metrics_counter(mb, "bmcwatch_syslog_lost_total", "Alerts given "
		    "up (too big for the spool, spool write failed)", NULL,
		    ss.lost);
		metrics_counter(mb, "bmcwatch_syslog_spool_write_errors_total",
		    "Alerts lost because the spool could not be written (disk "
		    "full, permissions)", NULL, ss.spool_write_errors);
		metrics_counter(mb, "bmcwatch_syslog_reconnects_total", "Connections "
		    "to the collector made after the first", NULL, ss.reconnects);
	}
	if (e->det != NULL) {
		detect_stats(e->det, &ds);
		metrics_gauge(mb, "bmcwatch_beacon_series", "Beacon series "
		    "tracked", NULL, (double)ds.beacon_series);
		metrics_counter(mb, "bmcwatch_beacon_events_total", "Events "
		    "fed to the beacon detector", NULL, ds.beacon_events);
	}
	if (e->peers != NULL) {
		struct peer_stats ps;
		peer_stats(e->peers, &ps);
		metrics_gauge(mb, "bmcwatch_peers_known", "Host and peer pairs "
		    "known (new_peer)", NULL, (double)ps.entries);
		metrics_counter(mb, "bmcwatch_peers_new_total", "Flows to a peer "
		    "the host never talked to before", NULL, ps.new_peers);
	}
	if (e->state != NULL) {
		struct state_stats st;
		state_stats(e->state, &st);
		metrics_counter(mb, "bmcwatch_state_batches_total", "State "
		    "batches written (--state-dir)", NULL, st.syncs);
		metrics_counter(mb, "bmcwatch_state_batch_failures_total",
		    "State batches that failed (kept for the next)", NULL,
		    st.failures);
		metrics_gauge(mb, "bmcwatch_state_last_batch_seconds", "Time "
		    "the last state batch took", NULL, st.last_sync_s);
	}
	metrics_counter(mb, "bmcwatch_ruleset_generation", "Rule sets loaded "
	    "since start (SIGHUP reloads)", NULL, e->rules_generation);
	metrics_gauge(mb, "bmcwatch_rules_load_seconds", "Time the rule set "
	    "in force took to load (GeoIP, rules, detect tables)", NULL,
	    e->rules_load_s);
	metrics_gauge(mb, "bmcwatch_rules_last_load_timestamp_seconds",
	    "When the rule set in force was loaded (Unix time)", NULL,
	    (double)e->rules_loaded_ns / 1e9);
	metrics_counter(mb, "bmcwatch_rules_reload_failures_total", "SIGHUP "
	    "reloads refused (the previous rule set stayed in force)", NULL,
	    e->rules_reload_failed);
}

/* Live capture until SIGTERM/SIGINT; returns the exit code. */
int
run_live(struct engine *e, const struct live_opts *lo)
{
	struct live_ctx lc = { e, NULL, NULL, lo, NULL };
	struct daemon_hooks hooks = { live_reload, live_stop, live_stats_now,
	    &lc };
	struct metrics_source ms = { live_metrics, &lc };
	struct daemon_signals *sig = NULL;
	struct daemon_ctx *dc = NULL;
	struct event_base *base;
	FILE *logf = NULL;
	char err[512];
	int rc = 1;

	if ((base = event_base_new()) == NULL) {
		fprintf(stderr, "bmcwatch: cannot create the event loop\n");
		return 1;
	}
	eve_set_flush(e->eve, 1);
	e->sync_by_timer = 1;
	/*
	 * The syslog output was opened for a replay (retry on the next
	 * alert); in live mode it gets the event base, so a lost collector
	 * is retried by timer with backoff and the spool drains on its own.
	 * Nothing was sent yet, so reopening loses nothing.
	 */
	if (e->syslog != NULL) {
		syslog_close(e->syslog);
		e->syslog = syslog_open(e->cfg.syslog_url, e->cfg.spool_dir,
		    e->cfg.spool_max ? e->cfg.spool_max : (size_t)64 << 20,
		    base, err, sizeof(err));
		if (e->syslog == NULL) {
			fprintf(stderr, "bmcwatch: --syslog %s: %s\n",
			    e->cfg.syslog_url, err);
			rc = 2;
			goto out;
		}
		syslog_set_log(e->syslog, live_log, e);
	}
	/* all that needs root, or can fail because of the user, first */
	lc.live = live_open(e, base, lo->ifaces, lo->nifaces, lo->bpf,
	    lo->bufsize_mb, err, sizeof(err));
	if (lc.live == NULL) {
		fprintf(stderr, "bmcwatch: %s\n", err);
		goto out;
	}
	live_set_tick(lc.live, live_tick, &lc);
	if (lo->http != NULL && (lc.metrics = metrics_open(base, lo->http,
	    &ms, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bmcwatch: %s\n", err);
		rc = 2;
		goto out;
	}
	if ((dc = daemon_open(lo->pidfile, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bmcwatch: %s\n", err);
		goto out;
	}
	if (lo->detach) {
		if (daemon_detach(dc, base, err, sizeof(err)) != 0) {
			daemon_ready(dc, err);
			goto out;
		}
		if ((logf = daemon_log_stream("bmcwatch")) != NULL)
			e->errf = logf;
	}
	/* the state database: in the process that will use it, and
	 * before root is gone (the directory may be root's) */
	if (engine_state_open(e) != 0) {
		daemon_ready(dc, "cannot use the --state-dir database");
		goto out;
	}
	if (daemon_drop_privileges(lo->user, lo->chroot_dir, lo->allow_root,
	    err, sizeof(err)) != 0) {
		fprintf(e->errf, "bmcwatch: %s\n", err);
		daemon_ready(dc, err);
		goto out;
	}
	if ((sig = daemon_signals(base, &hooks)) == NULL) {
		daemon_ready(dc, "cannot install the signal events");
		goto out;
	}
	if (e->learn != NULL && lo->learn_for_ns > 0) {
		struct timeval tv = {
			(time_t)(lo->learn_for_ns / 1000000000),
			(suseconds_t)(lo->learn_for_ns % 1000000000 / 1000)
		};

		if ((lc.learn_ev = evtimer_new(base, live_learn_done,
		    &lc)) == NULL || evtimer_add(lc.learn_ev, &tv) != 0) {
			daemon_ready(dc, "cannot set the --learn-for timer");
			goto out;
		}
	}
	daemon_ready(dc, NULL);
	if (lc.metrics != NULL) {
		metrics_set_health(lc.metrics, 1, NULL);
		fprintf(e->errf, "bmcwatch: metrics on port %d\n",
		    metrics_port(lc.metrics));
	}
	fprintf(e->errf, "bmcwatch: capturing on %d interface%s\n",
	    lo->nifaces, lo->nifaces > 1 ? "s" : "");
	if (e->learn != NULL)
		fprintf(e->errf, "bmcwatch: --learn: learning into %s %s%s\n",
		    lo->learn_path, lo->learn_for_ns > 0 ? "for " :
		    "until stopped (SIGUSR1 writes what was learned so far)",
		    lo->learn_for_ns > 0 ? lo->learn_for : "");
	rc = event_base_dispatch(base) < 0 ? 1 : 0;
	/* what each capture saw, once more at exit, as tcpdump prints it */
	for (int i = 0; i < live_count(lc.live); i++) {
		struct live_if_stats s;

		live_stats(lc.live, i, &s);
		fprintf(e->errf, "bmcwatch: %s: %" PRIu64 " packets received, "
		    "%" PRIu64 " dropped by kernel, %" PRIu64 " dropped by "
		    "interface, %" PRIu64 " processed\n", s.name, s.recv,
		    s.drop, s.ifdrop, s.pkts);
	}
out:
	if (e->syslog != NULL) {
		/* SIGTERM: what the collector has not taken yet gets a last
		 * bounded try before the base goes away */
		(void)syslog_flush(e->syslog, 2000);
		syslog_close(e->syslog);
		e->syslog = NULL;
	}
	if (lc.learn_ev != NULL)
		event_free(lc.learn_ev);
	daemon_signals_free(sig);
	live_close(lc.live);
	metrics_close(lc.metrics);
	event_base_free(base);
	daemon_close(dc);
	if (logf != NULL) {
		e->errf = stderr;	/* /dev/null after -D, harmless */
		fclose(logf);
	}
	return rc;
}

