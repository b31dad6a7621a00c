/*
 * live-harness.c - live mode outside main.c: the engine fed by
 * capture-live on one event_base, with the daemon's signals, pidfile,
 * privilege drop and the metrics endpoint.  The live tests and the load
 * benchmark run it; it takes the flags bmcwatch's live mode takes, so a
 * test can run `bmcwatch -i` instead once main.c has live mode, and it
 * is the wiring main.c follows.
 *
 * On SIGTERM it flushes the flows (their alerts are written), writes a
 * stats record and exits 0; on exit it prints one line per interface
 * with the capture counters on stderr, for the benchmark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <unistd.h>
#include <errno.h>
#include <event2/event.h>

#include "engine.h"
#include "capture-live.h"
#include "daemon.h"
#include "output-metrics.h"
#include "output-eve.h"
#include "flow-table.h"

enum { OPT_HTTP = 256, OPT_PIDFILE, OPT_CHROOT, OPT_ALLOW_ROOT, OPT_FLOWS };

static const struct option longopts[] = {
	{ "interface",	required_argument, NULL, 'i' },
	{ "rules",	required_argument, NULL, 'R' },
	{ "eve",	required_argument, NULL, 'o' },
	{ "filter",	required_argument, NULL, 'f' },
	{ "buffer-size", required_argument, NULL, 'B' },
	{ "daemon",	no_argument,	   NULL, 'D' },
	{ "user",	required_argument, NULL, 'u' },
	{ "http",	required_argument, NULL, OPT_HTTP },
	{ "pidfile",	required_argument, NULL, OPT_PIDFILE },
	{ "chroot",	required_argument, NULL, OPT_CHROOT },
	{ "allow-root",	no_argument,	   NULL, OPT_ALLOW_ROOT },
	{ "flows",	no_argument,	   NULL, OPT_FLOWS },
	{ NULL, 0, NULL, 0 }
};

struct harness {
	struct engine	 e;
	struct event_base *base;
	struct live	*live;
	struct metrics	*metrics;
};

static void
on_stop(void *arg)
{
	struct harness *h = arg;

	flow_table_flush(h->e.ft);
	engine_stats(&h->e);
}

static void
on_stats(void *arg)
{
	struct harness *h = arg;

	engine_stats(&h->e);
}

static void
on_reload(void *arg)
{
	struct harness *h = arg;

	fprintf(h->e.errf, "bmcwatch: SIGHUP: reload is main.c's\n");
}

/* Each second: /health follows the captures. */
static void
on_tick(void *arg, int64_t now_ns)
{
	struct harness *h = arg;
	char why[320];
	int ok;

	(void)now_ns;
	if (h->metrics == NULL)
		return;
	ok = live_health(h->live, why, sizeof(why));
	metrics_set_health(h->metrics, ok, why);
}

static void
fill(void *arg, struct metrics_buf *mb)
{
	struct harness *h = arg;
	struct flow_table_stats fs;
	struct live_if_stats s;
	char l[128];
	int n = live_count(h->live);

	metrics_counter(mb, "bmcwatch_packets_total", "Packets captured",
	    NULL, h->e.c.pkts);
	metrics_counter(mb, "bmcwatch_bytes_total", "Bytes captured (wire "
	    "length)", NULL, h->e.c.bytes);
	for (int i = 0; i < n; i++) {
		live_stats(h->live, i, &s);
		l[0] = '\0';
		metrics_label(l, sizeof(l), "interface", s.name);
		metrics_counter(mb, "bmcwatch_capture_kernel_drops_total",
		    "Packets the kernel dropped (capture ring full)", l, s.drop);
	}
	for (int i = 0; i < n; i++) {
		live_stats(h->live, i, &s);
		l[0] = '\0';
		metrics_label(l, sizeof(l), "interface", s.name);
		metrics_counter(mb, "bmcwatch_capture_interface_drops_total",
		    "Packets the interface or driver dropped", l, s.ifdrop);
	}
	flow_table_stats(h->e.ft, &fs);
	metrics_gauge(mb, "bmcwatch_flows_active", "Flows in the table", NULL,
	    (double)fs.active);
	metrics_counter(mb, "bmcwatch_flows_created_total", "Flows created",
	    NULL, fs.created);
	metrics_counter(mb, "bmcwatch_flows_evicted_total", "Flows evicted "
	    "because the table was full", NULL, fs.evicted);
	metrics_counter(mb, "bmcwatch_alerts_total", "Alerts written", NULL,
	    h->e.alerts);
}

static void
usage(void)
{
	fprintf(stderr, "usage: live-harness -i IFACE [-i IFACE ...] [-R RULES] "
	    "[-o EVE] [-f BPF] [-B MB]\n\t[--http ADDR:PORT] [-D] [--pidfile "
	    "FILE] [-u USER [--chroot DIR]] [--allow-root] [--flows]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct harness h;
	struct daemon_hooks hooks;
	struct daemon_signals *sig = NULL;
	struct daemon_ctx *dc = NULL;
	struct metrics_source ms;
	char **ifaces, err[512];
	const char *bpf = NULL, *http = NULL, *pidfile = NULL, *user = NULL;
	const char *chroot_dir = NULL;
	int nif = 0, bufmb = 0, detach = 0, allow_root = 0, ch, rc = 1;

	memset(&h, 0, sizeof(h));
	h.e.errf = stderr;
	flow_timeouts_default(&h.e.cfg.timeouts);
	if ((ifaces = calloc((size_t)argc, sizeof(*ifaces))) == NULL)
		return 1;
	while ((ch = getopt_long(argc, argv, "i:R:o:f:B:Du:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'i': ifaces[nif++] = optarg; break;
		case 'R': h.e.cfg.rules_path = optarg; break;
		case 'o': h.e.cfg.eve_path = optarg; break;
		case 'f': bpf = optarg; break;
		case 'B': bufmb = atoi(optarg); break;
		case 'D': detach = 1; break;
		case 'u': user = optarg; break;
		case OPT_HTTP: http = optarg; break;
		case OPT_PIDFILE: pidfile = optarg; break;
		case OPT_CHROOT: chroot_dir = optarg; break;
		case OPT_ALLOW_ROOT: allow_root = 1; break;
		case OPT_FLOWS: h.e.cfg.emit_flows = 1; break;
		default: usage();
		}
	}
	if (nif == 0 || optind != argc)
		usage();
	if ((h.base = event_base_new()) == NULL)
		goto out;
	/* everything that needs root or can fail on the terminal, first */
	if ((rc = engine_open(&h.e)) != 0)
		goto out;
	rc = 1;
	h.live = live_open(&h.e, h.base, ifaces, nif, bpf, bufmb, err,
	    sizeof(err));
	if (h.live == NULL) {
		fprintf(stderr, "bmcwatch: %s\n", err);
		goto out;
	}
	live_set_tick(h.live, on_tick, &h);
	if (http != NULL) {
		ms.fill = fill;
		ms.arg = &h;
		if ((h.metrics = metrics_open(h.base, http, &ms, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "bmcwatch: %s\n", err);
			goto out;
		}
	}
	if ((dc = daemon_open(pidfile, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bmcwatch: %s\n", err);
		goto out;
	}
	if (detach) {
		if (daemon_detach(dc, h.base, err, sizeof(err)) != 0) {
			daemon_ready(dc, err);
			goto out;
		}
		if ((h.e.errf = daemon_log_stream("bmcwatch")) == NULL)
			h.e.errf = stderr;
	}
	if (daemon_drop_privileges(user, chroot_dir, allow_root, err,
	    sizeof(err)) != 0) {
		fprintf(h.e.errf, "bmcwatch: %s\n", err);
		daemon_ready(dc, err);
		goto out;
	}
	hooks.reload = on_reload;
	hooks.stop = on_stop;
	hooks.stats = on_stats;
	hooks.arg = &h;
	if ((sig = daemon_signals(h.base, &hooks)) == NULL) {
		daemon_ready(dc, "cannot install signal handlers");
		goto out;
	}
	daemon_ready(dc, NULL);
	if (h.metrics != NULL) {
		metrics_set_health(h.metrics, 1, NULL);
		fprintf(h.e.errf, "bmcwatch: metrics on port %d\n",
		    metrics_port(h.metrics));
	}
	fprintf(h.e.errf, "bmcwatch: capturing on %d interface%s\n", nif,
	    nif > 1 ? "s" : "");
	fflush(h.e.errf);
	if (event_base_dispatch(h.base) < 0)
		fprintf(h.e.errf, "bmcwatch: event loop failed\n");
	rc = 0;
	for (int i = 0; i < live_count(h.live); i++) {
		struct live_if_stats s;

		live_stats(h.live, i, &s);
		fprintf(h.e.errf, "live: %s recv %llu drop %llu ifdrop %llu "
		    "pkts %llu failures %llu\n", s.name,
		    (unsigned long long)s.recv, (unsigned long long)s.drop,
		    (unsigned long long)s.ifdrop, (unsigned long long)s.pkts,
		    (unsigned long long)s.failures);
	}
	if (eve_close(h.e.eve) != 0) {
		fprintf(h.e.errf, "bmcwatch: EVE write error: %s\n",
		    strerror(errno));
		rc = 1;
	}
	h.e.eve = NULL;
out:
	if (h.e.eve != NULL)
		eve_close(h.e.eve);
	daemon_signals_free(sig);
	live_close(h.live);
	metrics_close(h.metrics);
	engine_close(&h.e);
	if (h.base != NULL)
		event_base_free(h.base);
	daemon_close(dc);
	if (h.e.errf != stderr)
		fclose(h.e.errf);
	free(ifaces);
	return rc;
}
