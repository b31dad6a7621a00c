/*
 * main.c - command line, engine set-up and the replay.
 *
 * Exit codes (design.md): 0 success, 1 runtime failure (unreadable
 * capture, output error), 2 bad usage, configuration or rules.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <unistd.h>
#include <errno.h>

#include "engine.h"
#include "capture-file.h"
#include "output-eve.h"
#include "rules.h"
#include "geoip.h"
#include "detect-bmc.h"
#include "decode.h"
#include "output-report.h"
#include "main-live.h"
#include "learn.h"
#include "flow-table.h"

#ifndef BW_RULES_DIR
#define BW_RULES_DIR "/usr/local/share/bmcwatch/rules"
#endif

enum {
	OPT_GEO_COUNTRY = 256, OPT_GEO_ASN, OPT_FLOWS, OPT_MAX_FLOWS,
	OPT_TIMEOUTS, OPT_VERSION, OPT_NO_STATS, OPT_STATS, OPT_DNS,
	OPT_DISCOVER, OPT_WRITE_VARS, OPT_SYSLOG, OPT_SPOOL_DIR, OPT_SPOOL_MAX,
	OPT_REPORT, OPT_FROM_EVE, OPT_HTTP, OPT_PIDFILE, OPT_CHROOT,
	OPT_ALLOW_ROOT, OPT_LEARN, OPT_STATE_DIR, OPT_STATE_INTERVAL,
	OPT_LEARN_FOR, OPT_NO_PROGRESS
};

static const struct option longopts[] = {
	{ "read",		required_argument, NULL, 'r' },
	{ "interface",		required_argument, NULL, 'i' },
	{ "filter",		required_argument, NULL, 'f' },
	{ "buffer-size",	required_argument, NULL, 'B' },
	{ "daemon",		no_argument,	   NULL, 'D' },
	{ "user",		required_argument, NULL, 'u' },
	{ "pidfile",		required_argument, NULL, OPT_PIDFILE },
	{ "chroot",		required_argument, NULL, OPT_CHROOT },
	{ "allow-root",		no_argument,	   NULL, OPT_ALLOW_ROOT },
	{ "http",		required_argument, NULL, OPT_HTTP },
	{ "rules",		required_argument, NULL, 'R' },
	{ "eve",		required_argument, NULL, 'o' },
	{ "test-rules",		no_argument,	   NULL, 'T' },
	{ "geoip-country",	required_argument, NULL, OPT_GEO_COUNTRY },
	{ "geoip-asn",		required_argument, NULL, OPT_GEO_ASN },
	{ "flows",		no_argument,	   NULL, OPT_FLOWS },
	{ "dns",		no_argument,	   NULL, OPT_DNS },
	{ "discover",		no_argument,	   NULL, OPT_DISCOVER },
	{ "write-vars",		required_argument, NULL, OPT_WRITE_VARS },
	{ "syslog",		required_argument, NULL, OPT_SYSLOG },
	{ "report",		required_argument, NULL, OPT_REPORT },
	{ "learn",		required_argument, NULL, OPT_LEARN },
	{ "learn-for",		required_argument, NULL, OPT_LEARN_FOR },
	{ "from-eve",		required_argument, NULL, OPT_FROM_EVE },
	{ "state-dir",		required_argument, NULL, OPT_STATE_DIR },
	{ "state-interval",	required_argument, NULL, OPT_STATE_INTERVAL },
	{ "spool-dir",		required_argument, NULL, OPT_SPOOL_DIR },
	{ "spool-max",		required_argument, NULL, OPT_SPOOL_MAX },
	{ "max-flows",		required_argument, NULL, OPT_MAX_FLOWS },
	{ "timeouts",		required_argument, NULL, OPT_TIMEOUTS },
	{ "no-stats",		no_argument,	   NULL, OPT_NO_STATS },
	{ "no-progress",	no_argument,	   NULL, OPT_NO_PROGRESS },
	{ "stats",		optional_argument, NULL, OPT_STATS },
	{ "version",		no_argument,	   NULL, OPT_VERSION },
	{ "help",		no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: bmcwatch -r FILE [-r FILE ...] [-R RULES] [-o EVE] [options]\n"
"       bmcwatch -i IFACE [-i IFACE ...] [-f BPF] [-D] [-u USER] [options]\n"
"       bmcwatch -T [-R RULES] [--geoip-country DB] [--geoip-asn DB]\n"
"  -r, --read FILE         replay a pcap/pcapng capture ('-' = stdin);\n"
"                          several files form one timeline, in order\n"
"  -i, --interface IFACE   live capture (repeatable: several segments)\n"
"  -f, --filter BPF        capture filter for -i\n"
"  -B, --buffer-size MB    kernel capture buffer per interface (default 16)\n"
"  -D, --daemon            detach (needs -o FILE); --pidfile FILE\n"
"  -u, --user USER         drop root after opening captures; --chroot DIR;\n"
"                          --allow-root to keep running as root\n"
"      --http ADDR:PORT    /metrics and /health (127.0.0.1 by default)\n"
"  -R, --rules FILE        rule file (default %s/default.rules)\n"
"  -o, --eve FILE          EVE JSON output ('-' = stdout, the default)\n"
"  -T, --test-rules        check the rule file and GeoIP databases, exit\n"
"      --geoip-country DB  MaxMind-format country database\n"
"      --geoip-asn DB      MaxMind-format ASN database\n"
"      --flows             also write an event_type \"flow\" record per flow\n"
"      --dns               also write an event_type \"dns\" record per DNS message\n"
"      --discover          print the inventory of BMCs found (table) and exit\n"
"      --write-vars FILE   write the BMCs found as a reviewed var BMC = [...]\n"
"      --report FILE       write a self-contained HTML triage report\n"
"      --learn FILE        write/merge pass rules for what the BMCs did\n"
"      --learn-for TIME    learn that long (30s, 10m, 12h, 7d): live, then\n"
"                          write FILE and go on monitoring; -r: the first\n"
"                          TIME of packet time\n"
"      --from-eve EVE      (repeatable) render --report from EVE files\n"
"      --state-dir DIR     keep known peers and beacon series in DIR/bmcwatch.db\n"
"      --state-interval S  write the state every S seconds (default 60; packet\n"
"                          time for -r, wall clock live) and at exit\n"
"      --syslog URL        also send alerts as RFC 5424 syslog: unix:PATH,\n"
"                          udp://HOST:PORT or tcp://HOST:PORT (octet counting)\n"
"      --spool-dir DIR     keep alerts the collector did not take (on disk)\n"
"      --spool-max BYTES   bound of the spool (default 64 MB; oldest dropped)\n"
"      --max-flows N       flow table size (default %zu, about 256 MB)\n"
"      --timeouts LIST     e.g. tcp-new=60,tcp-est=600,udp-new=30,...\n"
"      --stats[=SECONDS]   a stats record at the end of the replay (the\n"
"                          default) and every SECONDS of packet time\n"
"      --no-stats          no stats record at the end of the replay\n"
"      --no-progress       no progress line during -r (shown only when\n"
"                          stderr is a terminal)\n"
"      --version           print the version\n", BW_RULES_DIR,
	    flow_table_default_max());
}

static int
parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 ||
	    v > (1ULL << 31))
		return -1;
	*out = (size_t)v;
	return 0;
}

/* "30s", "10m", "12h", "7d" (a bare number is seconds), up to a year. */
static int
parse_duration(const char *s, int64_t *ns)
{
	char *end;
	unsigned long long v, mul = 1;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || s[0] == '-')
		return -1;
	switch (*end) {
	case '\0': case 's': mul = 1; break;
	case 'm': mul = 60; break;
	case 'h': mul = 3600; break;
	case 'd': mul = 86400; break;
	default: return -1;
	}
	if ((*end != '\0' && end[1] != '\0') || v < 1 ||
	    v > 366ULL * 86400 / mul)
		return -1;
	*ns = (int64_t)(v * mul) * 1000000000LL;
	return 0;
}

/*
 * $BMC_DISCOVERED in offline replay: a BMC may call out before anything
 * on the wire says it is one.  When every input can be read twice, a
 * first pass builds the inventory (no policy, no output), so the second
 * knows every BMC from the first packet on.  From a pipe, only flows
 * still active when a host is identified are evaluated again.
 */
static int
inventory_pass(struct engine *e, char **files, int nfiles, int progress)
{
	struct engine first;
	FILE *devnull;
	int rc;

	for (int i = 0; i < nfiles; i++)
		if (strcmp(files[i], "-") == 0)
			return 0;
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		return 0;
	memset(&first, 0, sizeof(first));
	first.cfg = e->cfg;
	first.cfg.rules_path = NULL;
	first.cfg.eve_path = "/dev/null";
	first.cfg.emit_flows = first.cfg.emit_dns = 0;
	first.cfg.discover_only = 1;
	first.errf = devnull;	/* the second pass reports problems */
	if ((rc = engine_open(&first)) == 0) {
		(void)capture_files(&first, files, nfiles,
		    progress ? "inventory pass: " : NULL);
		flow_table_flush(first.ft);
		bmc_inventory_free(e->bmc);
		e->bmc = first.bmc;
		first.bmc = NULL;
		/* the records the single pass would have written */
		for (const struct bmc_host *h = bmc_next(e->bmc, NULL);
		    h != NULL; h = bmc_next(e->bmc, h))
			if (h->is_bmc)
				eve_bmc(e, &h->ip, h->identified_ns);
	}
	eve_close(first.eve);
	engine_close(&first);
	fclose(devnull);
	return rc;
}

static void
report_sink(void *arg, const char *line, size_t len)
{
	struct engine *e = arg;
	char err[200];

	(void)report_add_eve(e->report, line, len, err, sizeof(err));
}

static int
is_protected(void *arg, const char *ip)
{
	struct engine *e = arg;
	struct bw_addr a;

	if (bw_addr_parse(ip, &a) != 0)
		return 0;
	return rules_var_contains(e->rules, "BMC", &a) ||
	    (e->bmc != NULL && bmc_is_bmc(e->bmc, &a));
}

static int
write_report(struct engine *e, const char *path, char **inputs, int n)
{
	struct report_meta m;
	char err[300];

	memset(&m, 0, sizeof(m));
	m.captures = (const char *const *)inputs;
	m.ncaptures = n;
	m.rules_path = e->rules != NULL ? e->cfg.rules_path : NULL;
	m.nrules = e->rules != NULL ? e->rules->nrules : 0;
	m.version = "bmcwatch " PACKAGE_VERSION;
	if (e->rules != NULL || e->bmc != NULL) {
		m.is_protected = is_protected;
		m.arg = e;
	}
	if (report_write(e->report, path, &m, err, sizeof(err)) != 0) {
		fprintf(stderr, "bmcwatch: %s: %s\n", path, err);
		return 1;
	}
	return 0;
}

/* --report from EVE files a live sensor wrote. */
static int
report_from_eve(struct engine *e, const char *path, char **eves, int n)
{
	char *line = NULL, err[200];
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	if (e->cfg.rules_path != NULL &&
	    (e->rules = rules_load(e->cfg.rules_path, NULL, stderr)) == NULL)
		return 2;
	if ((e->report = report_new()) == NULL)
		return 1;
	for (int i = 0; i < n; i++) {
		FILE *fp = strcmp(eves[i], "-") == 0 ? stdin :
		    fopen(eves[i], "r");
		long lineno = 0;

		if (fp == NULL) {
			fprintf(stderr, "bmcwatch: %s: %s\n", eves[i],
			    strerror(errno));
			rc = 1;
			continue;
		}
		while ((len = getline(&line, &cap, fp)) > 0) {
			lineno++;
			while (len > 0 && (line[len - 1] == '\n' ||
			    line[len - 1] == '\r'))
				line[--len] = '\0';
			if (len > 0 && report_add_eve(e->report, line,
			    (size_t)len, err, sizeof(err)) != 0)
				fprintf(stderr, "bmcwatch: %s:%ld: %s\n",
				    eves[i], lineno, err);
		}
		if (fp != stdin)
			fclose(fp);
	}
	free(line);
	if (write_report(e, path, eves, n) != 0)
		rc = 1;
	return rc;
}

static int
write_vars_file(struct engine *e, const char *path)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || bmc_write_vars(e->bmc, fp) != 0 || fclose(fp) != 0) {
		fprintf(stderr, "bmcwatch: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct engine e;
	char **files = NULL, err[256];
	int nfiles = 0, test_rules = 0, no_stats = 0, ch, rc = 0, rules_given = 0;
	/* a progress line only where someone watches it */
	int progress = isatty(STDERR_FILENO);
	int discover = 0, neves = 0;
	struct live_opts lo;
	const char *write_vars = NULL, *report_path = NULL, *learn_path = NULL;
	const char *learn_for = NULL;
	int64_t learn_for_ns = 0;
	char **eves = NULL;
	static char default_rules[] = BW_RULES_DIR "/default.rules";

	memset(&e, 0, sizeof(e));
	memset(&lo, 0, sizeof(lo));
	e.errf = stderr;
	flow_timeouts_default(&e.cfg.timeouts);
	if ((files = calloc((size_t)argc, sizeof(char *))) == NULL ||
	    (eves = calloc((size_t)argc, sizeof(char *))) == NULL ||
	    (lo.ifaces = calloc((size_t)argc, sizeof(char *))) == NULL) {
		free(files);
		free(eves);
		return 1;
	}
	while ((ch = getopt_long(argc, argv, "r:R:o:Thi:f:B:Du:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'i':
			lo.ifaces[lo.nifaces++] = optarg;
			break;
		case 'f':
			lo.bpf = optarg;
			break;
		case 'B': {
			size_t mb;
			if (parse_size(optarg, &mb) < 0 || mb > 4096) {
				fprintf(stderr, "bmcwatch: -B: '%s' is not a "
				    "number of MB from 1 to 4096\n", optarg);
				{ rc = 2; goto done; }
			}
			lo.bufsize_mb = (int)mb;
			break;
		}
		case 'D':
			lo.detach = 1;
			break;
		case 'u':
			lo.user = optarg;
			break;
		case OPT_PIDFILE:
			lo.pidfile = optarg;
			break;
		case OPT_CHROOT:
			lo.chroot_dir = optarg;
			break;
		case OPT_ALLOW_ROOT:
			lo.allow_root = 1;
			break;
		case OPT_HTTP:
			lo.http = optarg;
			break;
		case 'r':
			files[nfiles++] = optarg;
			break;
		case 'R':
			e.cfg.rules_path = optarg;
			rules_given = 1;
			break;
		case 'o':
			e.cfg.eve_path = optarg;
			break;
		case 'T':
			test_rules = 1;
			break;
		case OPT_GEO_COUNTRY:
			e.cfg.geo_country = optarg;
			break;
		case OPT_GEO_ASN:
			e.cfg.geo_asn = optarg;
			break;
		case OPT_FLOWS:
			e.cfg.emit_flows = 1;
			break;
		case OPT_DNS:
			e.cfg.emit_dns = 1;
			break;
		case OPT_DISCOVER:
			discover = 1;
			break;
		case OPT_WRITE_VARS:
			write_vars = optarg;
			break;
		case OPT_SYSLOG:
			e.cfg.syslog_url = optarg;
			break;
		case OPT_REPORT:
			report_path = optarg;
			break;
		case OPT_LEARN:
			learn_path = optarg;
			break;
		case OPT_LEARN_FOR:
			if (parse_duration(optarg, &learn_for_ns) < 0) {
				fprintf(stderr, "bmcwatch: --learn-for: '%s' is "
				    "not a duration like 30s, 10m, 12h or 7d (at "
				    "most 366d)\n", optarg);
				{ rc = 2; goto done; }
			}
			learn_for = optarg;
			break;
		case OPT_FROM_EVE:
			eves[neves++] = optarg;
			break;
		case OPT_STATE_DIR:
			e.cfg.state_dir = optarg;
			break;
		case OPT_STATE_INTERVAL: {
			size_t n;
			if (parse_size(optarg, &n) < 0 || n > 86400) {
				fprintf(stderr, "bmcwatch: --state-interval: '%s' "
				    "is not a number of seconds from 1 to 86400\n",
				    optarg);
				{ rc = 2; goto done; }
			}
			e.cfg.state_interval_ns = (int64_t)n * 1000000000LL;
			break;
		}
		case OPT_SPOOL_DIR:
			e.cfg.spool_dir = optarg;
			break;
		case OPT_SPOOL_MAX:
			if (parse_size(optarg, &e.cfg.spool_max) < 0 ||
			    e.cfg.spool_max < 1024) {
				fprintf(stderr, "bmcwatch: --spool-max: '%s' is "
				    "not a number of bytes from 1024\n", optarg);
				{ rc = 2; goto done; }
			}
			break;
		case OPT_MAX_FLOWS:
			if (parse_size(optarg, &e.cfg.max_flows) < 0) {
				fprintf(stderr, "bmcwatch: --max-flows: '%s' is "
				    "not a number from 1 to 2147483648\n", optarg);
				{ rc = 2; goto done; }
			}
			break;
		case OPT_TIMEOUTS:
			if (flow_timeouts_parse(&e.cfg.timeouts, optarg, err,
			    sizeof(err)) < 0) {
				fprintf(stderr, "bmcwatch: --timeouts: %s\n", err);
				{ rc = 2; goto done; }
			}
			break;
		case OPT_NO_STATS:
			no_stats = 1;
			break;
		case OPT_NO_PROGRESS:
			progress = 0;
			break;
		case OPT_STATS:
			no_stats = 0;
			if (optarg != NULL) {
				size_t sec;
				if (parse_size(optarg, &sec) < 0 || sec > 86400 * 366) {
					fprintf(stderr, "bmcwatch: --stats: '%s' is "
					    "not a number of seconds\n", optarg);
					{ rc = 2; goto done; }
				}
				e.cfg.stats_interval_ns = (int64_t)sec * 1000000000LL;
			}
			break;
		case OPT_VERSION:
			printf("bmcwatch %s\n", PACKAGE_VERSION);
			{ rc = 0; goto done; }
		case 'h':
			usage(stdout);
			{ rc = 0; goto done; }
		default:
			usage(stderr);
			{ rc = 2; goto done; }
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bmcwatch: unexpected argument '%s' (captures "
		    "are given with -r)\n", argv[optind]);
		{ rc = 2; goto done; }
	}
	if (!rules_given) {
		if (access(default_rules, R_OK) == 0)
			e.cfg.rules_path = default_rules;
		else if (test_rules) {
			fprintf(stderr, "bmcwatch: no rule file: %s not found; "
			    "name one with -R\n", default_rules);
			{ rc = 2; goto done; }
		} else
			fprintf(stderr, "bmcwatch: warning: %s not found and no "
			    "-R given: no policy is applied\n", default_rules);
	}
	if (test_rules) {
		/* rules and GeoIP only: no output is opened */
		if (e.cfg.geo_country != NULL || e.cfg.geo_asn != NULL) {
			e.geo = geoip_open(e.cfg.geo_country, e.cfg.geo_asn, err,
			    sizeof(err));
			if (e.geo == NULL) {
				fprintf(stderr, "bmcwatch: %s\n", err);
				{ rc = 2; goto done; }
			}
		}
		e.rules = rules_load(e.cfg.rules_path, e.geo, stderr);
		if (e.rules == NULL) {
			rc = 2;
			goto done;
		}
		fprintf(stderr, "bmcwatch: %s: %zu rules OK\n",
		    e.cfg.rules_path, e.rules->nrules);
		{ rc = 0; goto done; }
	}
	if (nfiles > 0 && lo.nifaces > 0) {
		fprintf(stderr, "bmcwatch: -r and -i exclude each other\n");
		{ rc = 2; goto done; }
	}
	if (lo.nifaces == 0 && (lo.bpf || lo.bufsize_mb || lo.detach ||
	    lo.user || lo.pidfile || lo.chroot_dir || lo.http)) {
		fprintf(stderr, "bmcwatch: -f, -B, -D, -u, --pidfile, --chroot "
		    "and --http are for live capture (-i)\n");
		{ rc = 2; goto done; }
	}
	if (lo.detach && (e.cfg.eve_path == NULL ||
	    strcmp(e.cfg.eve_path, "-") == 0)) {
		fprintf(stderr, "bmcwatch: -D needs -o FILE: a daemon has no "
		    "stdout\n");
		{ rc = 2; goto done; }
	}
	if (learn_for != NULL && learn_path == NULL) {
		fprintf(stderr, "bmcwatch: --learn-for needs --learn FILE\n");
		{ rc = 2; goto done; }
	}
	if (lo.nifaces > 0) {
		if (learn_path != NULL) {
			if ((e.learn = learn_new(65536)) == NULL) {
				rc = 1;
				goto done;
			}
			for (int i = 0; i < lo.nifaces; i++) {
				char what[300];

				snprintf(what, sizeof(what), "interface %s",
				    lo.ifaces[i]);
				(void)learn_note_capture(e.learn, what);
			}
			lo.learn_path = learn_path;
			lo.learn_for = learn_for;
			lo.learn_for_ns = learn_for_ns;
		}
		e.cfg.state_later = 1;	/* after -D's fork (engine.c) */
		if ((rc = engine_open(&e)) != 0) {
			eve_close(e.eve);
			goto done;
		}
		rc = run_live(&e, &lo);
		if (eve_close(e.eve) != 0) {
			fprintf(e.errf, "bmcwatch: %s: write error: %s\n",
			    e.cfg.eve_path ? e.cfg.eve_path : "stdout",
			    strerror(errno));
			rc = 1;
		}
		goto done;
	}
	if (neves > 0) {
		if (report_path == NULL || nfiles > 0) {
			fprintf(stderr, "bmcwatch: --from-eve renders --report "
			    "from EVE files, without -r\n");
			rc = 2;
		} else
			rc = report_from_eve(&e, report_path, eves, neves);
		goto done;
	}
	if (nfiles == 0) {
		fprintf(stderr, "bmcwatch: nothing to do: give captures with -r "
		    "FILE (or -T to check rules)\n");
		usage(stderr);
		{ rc = 2; goto done; }
	}
	if (discover && e.cfg.eve_path == NULL) {
		e.cfg.eve_path = "/dev/null";	/* the table is the output */
		no_stats = 1;
	}
	if (learn_path != NULL) {
		if ((e.learn = learn_new(65536)) == NULL) {
			rc = 1;
			goto done;
		}
		for (int i = 0; i < nfiles; i++)
			(void)learn_note_capture(e.learn, files[i]);
		e.cfg.learn_for_ns = learn_for_ns;
	}
	if (report_path != NULL && (e.report = report_new()) == NULL) {
		rc = 1;
		goto done;
	}
	if ((rc = engine_open(&e)) != 0) {
		eve_close(e.eve);
		goto done;
	}
	if (e.report != NULL)
		eve_set_sink(e.eve, report_sink, &e);
	if (e.rules != NULL && e.rules->uses_discovered &&
	    (rc = inventory_pass(&e, files, nfiles, progress)) != 0)
		goto done;
	rc = capture_files(&e, files, nfiles, progress ? "" : NULL);
	flow_table_flush(e.ft);
	if (no_stats && e.report != NULL)
		eve_quiet_next(e.eve);	/* the report's header needs it */
	if (!no_stats || e.report != NULL)
		engine_stats(&e);
	if (e.report != NULL && write_report(&e, report_path, files,
	    nfiles) != 0)
		rc = 1;
	if (discover)
		bmc_print_table(e.bmc, stdout);
	if (write_vars != NULL && write_vars_file(&e, write_vars) != 0)
		rc = 1;
	if (e.learn != NULL) {
		char lerr[300];
		if (learn_write(e.learn, learn_path, "$BMC", lerr,
		    sizeof(lerr)) != 0) {
			fprintf(stderr, "bmcwatch: --learn %s: %s\n", learn_path,
			    lerr);
			rc = 1;
		}
	}
	if (eve_close(e.eve) != 0) {
		fprintf(stderr, "bmcwatch: %s: write error: %s\n",
		    e.cfg.eve_path ? e.cfg.eve_path : "stdout", strerror(errno));
		rc = 1;
	}
done:
	learn_free(e.learn);
	report_free(e.report);
	engine_close(&e);
	free(files);
	free(eves);
	free(lo.ifaces);
	return rc;
}
