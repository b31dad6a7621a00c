/*
 * test-metrics.c - the /metrics and /health endpoint over real HTTP on
 * 127.0.0.1 (an ephemeral port), fetched with libevent's own client on
 * the same loop: status codes, content types, the Prometheus text
 * format line by line, label escaping, and the address parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/http.h>

#include "check.h"
#include "output-metrics.h"

struct fetch {
	int	 code;
	char	 type[128];
	char	 body[16384];
	struct event_base *base;
};

static void
on_reply(struct evhttp_request *req, void *arg)
{
	struct fetch *f = arg;
	struct evbuffer *in;
	const char *t;
	size_t n;

	if (req == NULL) {
		f->code = -1;
		event_base_loopbreak(f->base);
		return;
	}
	f->code = evhttp_request_get_response_code(req);
	t = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Content-Type");
	snprintf(f->type, sizeof(f->type), "%s", t ? t : "");
	in = evhttp_request_get_input_buffer(req);
	n = evbuffer_get_length(in);
	if (n >= sizeof(f->body))
		n = sizeof(f->body) - 1;
	evbuffer_remove(in, f->body, n);
	f->body[n] = '\0';
	event_base_loopbreak(f->base);
}

static void
fetch(struct event_base *base, int port, enum evhttp_cmd_type cmd,
    const char *path, struct fetch *f)
{
	struct evhttp_connection *c;
	struct evhttp_request *req;

	memset(f, 0, sizeof(*f));
	f->base = base;
	f->code = -2;
	c = evhttp_connection_base_new(base, NULL, "127.0.0.1",
	    (ev_uint16_t)port);
	req = evhttp_request_new(on_reply, f);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host",
	    "localhost");
	evhttp_make_request(c, req, cmd, path);
	event_base_dispatch(base);
	evhttp_connection_free(c);
}

struct src {
	uint64_t	 pkts;
	const char	*ifname;
};

static void
fill(void *arg, struct metrics_buf *mb)
{
	struct src *s = arg;
	char l[128];

	metrics_counter(mb, "bmcwatch_packets_total", "Packets captured\\n"
	    "and decoded", NULL, s->pkts);
	l[0] = '\0';
	metrics_label(l, sizeof(l), "interface", "eth0");
	metrics_counter(mb, "bmcwatch_kernel_drops_total", "Dropped", l, 3);
	l[0] = '\0';
	metrics_label(l, sizeof(l), "interface", s->ifname);
	metrics_counter(mb, "bmcwatch_kernel_drops_total", "Dropped", l, 4);
	l[0] = '\0';
	metrics_label(l, sizeof(l), "sid", "1000");
	metrics_label(l, sizeof(l), "action", "allowed");
	metrics_counter(mb, "bmcwatch_alerts_total", "Alerts", l, 7);
	metrics_gauge(mb, "bmcwatch_ruleset_load_seconds", "Load time", NULL,
	    0.25);
	metrics_gauge(mb, "bmcwatch_nan", "not a number", NULL, NAN);
	metrics_gauge(mb, "bmcwatch_inf", "infinite", NULL, -INFINITY);
	metrics_gauge(mb, "9bad name", "rejected", NULL, 1);
}

/* Every line is a comment or "name{labels} value"; each family once. */
static int
prometheus_lines_ok(const char *body)
{
	char buf[16384], *save = NULL, *line, seen[32][128];
	int nseen = 0;

	snprintf(buf, sizeof(buf), "%s", body);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char name[128];
		size_t n;

		if (line[0] == '#') {
			if (strncmp(line, "# TYPE ", 7) == 0) {
				sscanf(line + 7, "%127s", name);
				for (int i = 0; i < nseen; i++)
					if (strcmp(seen[i], name) == 0) {
						fprintf(stderr, "family %s twice\n",
						    name);
						return 0;
					}
				if (nseen < 32)
					snprintf(seen[nseen++], 128, "%s", name);
			}
			continue;
		}
		n = strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:");
		if (n == 0)
			return 0;
		if (line[n] == '{') {
			char *close = strstr(line + n, "} ");
			if (close == NULL)
				return 0;
			n = (size_t)(close - line) + 1;
		}
		if (line[n] != ' ' || line[n + 1] == '\0') {
			fprintf(stderr, "bad sample line: %s\n", line);
			return 0;
		}
	}
	return 1;
}

static void
test_labels(void)
{
	char l[32];

	l[0] = '\0';
	CHECK_INT(metrics_label(l, sizeof(l), "a", "x\"y\\z\n"), 0);
	CHECK_STR(l, "a=\"x\\\"y\\\\z\\n\"");
	CHECK_INT(metrics_label(l, sizeof(l), "b", "1"), 0);
	CHECK_STR(l, "a=\"x\\\"y\\\\z\\n\",b=\"1\"");
	/* does not fit: unchanged */
	CHECK_INT(metrics_label(l, sizeof(l), "c", "0123456789"), -1);
	CHECK_STR(l, "a=\"x\\\"y\\\\z\\n\",b=\"1\"");
	CHECK_INT(metrics_label(l, sizeof(l), "bad key", "1"), -1);
}

static void
test_addresses(struct event_base *base)
{
	const char *bad[] = { "[::1", "1:2:3:9100", "abc", "70000",
	    "127.0.0.1:", "127.0.0.1:x", NULL };
	char err[256];
	struct metrics *m;

	for (int i = 0; bad[i] != NULL; i++) {
		err[0] = '\0';
		m = metrics_open(base, bad[i], NULL, err, sizeof(err));
		CHECK(m == NULL);
		CHECK(strstr(err, "--http") != NULL);
		metrics_close(m);
	}
	/* IPv6 in brackets, and a port already taken is a clear error */
	m = metrics_open(base, "[::1]:0", NULL, err, sizeof(err));
	if (m != NULL) {
		CHECK(metrics_port(m) > 0);
		metrics_close(m);
	}
	m = metrics_open(base, "0", NULL, err, sizeof(err));
	CHECK(m != NULL);
	if (m != NULL) {
		char again[32];
		struct metrics *m2;

		snprintf(again, sizeof(again), "127.0.0.1:%d", metrics_port(m));
		m2 = metrics_open(base, again, NULL, err, sizeof(err));
		CHECK(m2 == NULL);
		CHECK(strstr(err, "cannot listen") != NULL);
		metrics_close(m2);
		metrics_close(m);
	}
}

int
main(void)
{
	struct event_base *base = event_base_new();
	struct src s = { 42, "we\"ird" };
	struct metrics_source ms = { fill, &s };
	struct metrics *m;
	struct fetch f;
	char err[256];
	int port;

	test_labels();
	test_addresses(base);

	m = metrics_open(base, "127.0.0.1:0", &ms, err, sizeof(err));
	CHECK(m != NULL);
	if (m == NULL) {
		fprintf(stderr, "metrics_open: %s\n", err);
		CHECK_DONE();
	}
	port = metrics_port(m);
	CHECK(port > 0);

	fetch(base, port, EVHTTP_REQ_GET, "/metrics", &f);
	CHECK_INT(f.code, 200);
	CHECK_STR(f.type, "text/plain; version=0.0.4; charset=utf-8");
	CHECK(strstr(f.body, "# HELP bmcwatch_packets_total Packets captured"
	    "\\\\nand decoded\n# TYPE bmcwatch_packets_total counter\n"
	    "bmcwatch_packets_total 42\n") != NULL);
	CHECK(strstr(f.body, "# TYPE bmcwatch_kernel_drops_total counter\n"
	    "bmcwatch_kernel_drops_total{interface=\"eth0\"} 3\n"
	    "bmcwatch_kernel_drops_total{interface=\"we\\\"ird\"} 4\n") != NULL);
	CHECK(strstr(f.body, "bmcwatch_alerts_total{sid=\"1000\","
	    "action=\"allowed\"} 7\n") != NULL);
	CHECK(strstr(f.body, "# TYPE bmcwatch_ruleset_load_seconds gauge\n"
	    "bmcwatch_ruleset_load_seconds 0.25\n") != NULL);
	CHECK(strstr(f.body, "bmcwatch_nan NaN\n") != NULL);
	CHECK(strstr(f.body, "bmcwatch_inf -Inf\n") != NULL);
	CHECK(strstr(f.body, "9bad") == NULL);
	CHECK(strstr(f.body, "bmcwatch_healthy 0\n") != NULL);
	CHECK(strstr(f.body, "bmcwatch_metrics_scrapes_total 1\n") != NULL);
	CHECK(prometheus_lines_ok(f.body));

	/* health: starting, ok, failed with a reason that needs escaping */
	fetch(base, port, EVHTTP_REQ_GET, "/health", &f);
	CHECK_INT(f.code, 503);
	CHECK_STR(f.type, "application/json");
	CHECK(strncmp(f.body, "{\"status\":\"starting\",\"reason\":"
	    "\"capture not started yet\",\"uptime_s\":", 60) == 0);
	metrics_set_health(m, 1, NULL);
	fetch(base, port, EVHTTP_REQ_GET, "/health?verbose=1", &f);
	CHECK_INT(f.code, 200);
	CHECK(strncmp(f.body, "{\"status\":\"ok\",\"uptime_s\":", 26) == 0);
	metrics_set_health(m, 0, "eth0: \"The interface went down\"");
	fetch(base, port, EVHTTP_REQ_GET, "/health", &f);
	CHECK_INT(f.code, 503);
	CHECK(strstr(f.body, "\"status\":\"unavailable\",\"reason\":\"eth0: "
	    "\\\"The interface went down\\\"\"") != NULL);
	fetch(base, port, EVHTTP_REQ_GET, "/metrics", &f);
	CHECK(strstr(f.body, "bmcwatch_metrics_scrapes_total 2\n") != NULL);

	/* anything else */
	fetch(base, port, EVHTTP_REQ_GET, "/", &f);
	CHECK_INT(f.code, 404);
	fetch(base, port, EVHTTP_REQ_GET, "/metrics/x", &f);
	CHECK_INT(f.code, 404);
	fetch(base, port, EVHTTP_REQ_POST, "/metrics", &f);
	CHECK(f.code == 405 || f.code == 501);
	fetch(base, port, EVHTTP_REQ_HEAD, "/health", &f);
	CHECK_INT(f.code, 503);
	CHECK_STR(f.body, "");

	metrics_close(m);
	event_base_free(base);
	CHECK_DONE();
}
