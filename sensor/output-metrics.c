/*
 * output-metrics.c - see output-metrics.h.
 *
 * A scrape is answered from the loop that captures, so it sees counters
 * between two packets, never half-updated ones, and needs no locks.  The
 * server accepts only GET and HEAD, small headers and no body, and drops
 * idle connections after HTTP_TIMEOUT_SEC: it shares the thread with the
 * capture, so a slow client must not hold resources.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <math.h>
#include <time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netdb.h>
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <event2/keyvalq_struct.h>

#include "output-metrics.h"
#include "json.h"

#define HTTP_TIMEOUT_SEC	10
#define HTTP_MAX_HEADERS	8192
#define REASON_MAX		256

struct metrics {
	struct evhttp	*http;
	struct evconnlistener *listener;
	struct metrics_source src;
	int		 port;
	int		 ok;
	char		 status[16];
	char		 reason[REASON_MAX];
	struct timespec	 started;
	uint64_t	 scrapes;
};

struct metrics_buf {
	struct evbuffer	*out;
	char		 family[128];	/* the last HELP/TYPE written */
};

static int
valid_name(const char *s)
{
	if (s == NULL || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    *s == '_' || *s == ':'))
		return 0;
	for (s++; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == ':'))
			return 0;
	return 1;
}

/* HELP text: backslash and newline are the only escapes the format has. */
static void
add_help(struct evbuffer *out, const char *help)
{
	for (const char *p = help; *p != '\0'; p++) {
		if (*p == '\\')
			evbuffer_add(out, "\\\\", 2);
		else if (*p == '\n')
			evbuffer_add(out, "\\n", 2);
		else
			evbuffer_add(out, p, 1);
	}
}

/* HELP and TYPE once per family; 0 if the sample may be written. */
static int
family(struct metrics_buf *mb, const char *name, const char *help,
    const char *type)
{
	if (!valid_name(name) || strlen(name) >= sizeof(mb->family)) {
		evbuffer_add_printf(mb->out, "# invalid metric name skipped\n");
		return -1;
	}
	if (strcmp(mb->family, name) == 0)
		return 0;
	snprintf(mb->family, sizeof(mb->family), "%s", name);
	evbuffer_add_printf(mb->out, "# HELP %s ", name);
	add_help(mb->out, help ? help : "");
	evbuffer_add_printf(mb->out, "\n# TYPE %s %s\n", name, type);
	return 0;
}

static void
sample_name(struct metrics_buf *mb, const char *name, const char *labels)
{
	if (labels != NULL && labels[0] != '\0')
		evbuffer_add_printf(mb->out, "%s{%s} ", name, labels);
	else
		evbuffer_add_printf(mb->out, "%s ", name);
}

void
metrics_counter(struct metrics_buf *mb, const char *name, const char *help,
    const char *labels, uint64_t value)
{
	if (family(mb, name, help, "counter") != 0)
		return;
	sample_name(mb, name, labels);
	evbuffer_add_printf(mb->out, "%llu\n", (unsigned long long)value);
}

void
metrics_gauge(struct metrics_buf *mb, const char *name, const char *help,
    const char *labels, double value)
{
	if (family(mb, name, help, "gauge") != 0)
		return;
	sample_name(mb, name, labels);
	if (isnan(value))
		evbuffer_add_printf(mb->out, "NaN\n");
	else if (isinf(value))
		evbuffer_add_printf(mb->out, "%sInf\n", value > 0 ? "+" : "-");
	else
		evbuffer_add_printf(mb->out, "%.15g\n", value);
}

int
metrics_label(char *buf, size_t len, const char *key, const char *value)
{
	size_t n = strlen(buf), start = n;

	if (!valid_name(key))
		return -1;
#define PUT(c) do { if (n + 1 >= len) goto full; buf[n++] = (c); } while (0)
	if (n > 0)
		PUT(',');
	for (const char *p = key; *p != '\0'; p++)
		PUT(*p);
	PUT('=');
	PUT('"');
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"') {
			PUT('\\');
			PUT(*p);
		} else if (*p == '\n') {
			PUT('\\');
			PUT('n');
		} else
			PUT(*p);
	}
	PUT('"');
#undef PUT
	buf[n] = '\0';
	return 0;
full:
	buf[start] = '\0';
	return -1;
}

static double
uptime_s(const struct metrics *m)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - m->started.tv_sec) +
	    (double)(now.tv_nsec - m->started.tv_nsec) / 1e9;
}

static void
reply(struct evhttp_request *req, int code, const char *reason,
    const char *type, struct evbuffer *body)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_send_reply(req, code, reason, body);
}

static void
serve_metrics(struct metrics *m, struct evhttp_request *req,
    struct evbuffer *body)
{
	struct metrics_buf mb;

	memset(&mb, 0, sizeof(mb));
	mb.out = body;
	m->scrapes++;
	if (m->src.fill != NULL)
		m->src.fill(m->src.arg, &mb);
	/* the module's own: what /health says, as a number to alert on */
	metrics_gauge(&mb, "bmcwatch_healthy", "1 while every capture runs "
	    "(/health answers 200), else 0", NULL, m->ok);
	metrics_counter(&mb, "bmcwatch_metrics_scrapes_total", "Requests "
	    "for /metrics served", NULL, m->scrapes);
	reply(req, HTTP_OK, "OK", "text/plain; version=0.0.4; charset=utf-8",
	    body);
}

static void
serve_health(struct metrics *m, struct evhttp_request *req,
    struct evbuffer *body)
{
	struct json j;

	json_init(&j);
	json_obj_open(&j, NULL);
	json_str(&j, "status", m->status);
	if (!m->ok)
		json_str(&j, "reason", m->reason);
	json_double(&j, "uptime_s", uptime_s(m), 3);
	json_obj_close(&j);
	if (j.oom || j.buf == NULL)
		evbuffer_add_printf(body, "{\"status\":\"%s\"}\n", m->status);
	else
		evbuffer_add_printf(body, "%s\n", j.buf);
	json_free(&j);
	if (m->ok)
		reply(req, HTTP_OK, "OK", "application/json", body);
	else
		reply(req, HTTP_SERVUNAVAIL, "Service Unavailable",
		    "application/json", body);
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct metrics *m = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	struct evbuffer *body;

	if ((body = evbuffer_new()) == NULL) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	if (path != NULL && strcmp(path, "/metrics") == 0)
		serve_metrics(m, req, body);
	else if (path != NULL && strcmp(path, "/health") == 0)
		serve_health(m, req, body);
	else {
		evbuffer_add_printf(body, "not found: try /metrics or /health\n");
		reply(req, HTTP_NOTFOUND, "Not Found",
		    "text/plain; charset=utf-8", body);
	}
	evbuffer_free(body);
}

/* "ADDR:PORT", "[V6]:PORT", ":PORT", "PORT" -> host (in buf) and port. */
static int
parse_addr(const char *s, char *host, size_t hostlen, int *port,
    char *err, size_t errlen)
{
	const char *colon, *p;
	char *end;
	long v;
	size_t n;

	if ((colon = strrchr(s, ':')) == NULL) {
		p = s;
		snprintf(host, hostlen, "127.0.0.1");
	} else {
		p = colon + 1;
		n = (size_t)(colon - s);
		if (n > 0 && s[0] == '[') {
			if (s[n - 1] != ']' || n < 3) {
				snprintf(err, errlen, "--http %s: bad [address]",
				    s);
				return -1;
			}
			s++;
			n -= 2;
		} else if (memchr(s, ':', n) != NULL) {
			snprintf(err, errlen, "--http %s: put an IPv6 address "
			    "in brackets, [::1]:PORT", s);
			return -1;
		}
		if (n == 0)
			snprintf(host, hostlen, "127.0.0.1");
		else if (n >= hostlen) {
			snprintf(err, errlen, "--http: address too long");
			return -1;
		} else {
			memcpy(host, s, n);
			host[n] = '\0';
		}
	}
	errno = 0;
	v = strtol(p, &end, 10);
	if (*p == '\0' || *end != '\0' || errno != 0 || v < 0 || v > 65535) {
		snprintf(err, errlen, "--http: '%s' is not a port (0-65535)", p);
		return -1;
	}
	*port = (int)v;
	return 0;
}

/*
 * Resolve and bind without AI_ADDRCONFIG (which evhttp_bind_socket uses):
 * with it, 127.0.0.1 does not resolve on a host or namespace whose only
 * IPv4 address is the loopback one.
 */
static int
listen_on(struct metrics *m, struct event_base *base, const char *addr,
    const char *host, int port, char *err, size_t errlen)
{
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char serv[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(serv, sizeof(serv), "%d", port);
	if ((rc = getaddrinfo(host, serv, &hints, &ai)) != 0) {
		snprintf(err, errlen, "--http %s: %s: %s", addr, host,
		    gai_strerror(rc));
		return -1;
	}
	m->listener = evconnlistener_new_bind(base, NULL, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    -1, ai->ai_addr, (int)ai->ai_addrlen);
	if (m->listener == NULL) {
		snprintf(err, errlen, "--http %s: cannot listen on %s port %d: "
		    "%s", addr, host, port, strerror(errno));
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	/* evhttp owns the listener from here (evhttp_free frees it) */
	if (evhttp_bind_listener(m->http, m->listener) == NULL) {
		evconnlistener_free(m->listener);
		m->listener = NULL;
		snprintf(err, errlen, "--http %s: out of memory", addr);
		return -1;
	}
	if (getsockname(evconnlistener_get_fd(m->listener),
	    (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET)
			m->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			m->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	return 0;
}

struct metrics *
metrics_open(struct event_base *base, const char *addr,
    const struct metrics_source *src, char *err, size_t errlen)
{
	char host[128];
	struct metrics *m;
	int port;

	if (parse_addr(addr, host, sizeof(host), &port, err, errlen) != 0)
		return NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->http = evhttp_new(base)) == NULL) {
		snprintf(err, errlen, "out of memory");
		free(m);
		return NULL;
	}
	if (src != NULL)
		m->src = *src;
	clock_gettime(CLOCK_MONOTONIC, &m->started);
	/* not "unavailable" yet: nothing has failed, capture has not begun */
	metrics_set_health(m, 0, "capture not started yet");
	snprintf(m->status, sizeof(m->status), "starting");
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_timeout(m->http, HTTP_TIMEOUT_SEC);
	evhttp_set_max_headers_size(m->http, HTTP_MAX_HEADERS);
	evhttp_set_max_body_size(m->http, 0);
	evhttp_set_gencb(m->http, on_request, m);
	if (listen_on(m, base, addr, host, port, err, errlen) != 0) {
		metrics_close(m);
		return NULL;
	}
	return m;
}

void
metrics_close(struct metrics *m)
{
	if (m == NULL)
		return;
	if (m->http != NULL)
		evhttp_free(m->http);
	free(m);
}

int
metrics_port(const struct metrics *m)
{
	return m->port;
}

void
metrics_set_health(struct metrics *m, int ok, const char *reason)
{
	m->ok = ok != 0;
	snprintf(m->status, sizeof(m->status), "%s", ok ? "ok" : "unavailable");
	snprintf(m->reason, sizeof(m->reason), "%s",
	    ok || reason == NULL ? "" : reason);
}
