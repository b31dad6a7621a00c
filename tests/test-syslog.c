/*
 * test-syslog.c - the syslog output without a real collector: the exact
 * bytes of a message, URL errors, the local datagram socket, and TCP to a
 * listener in this process: octet framing, an outage (spooled, then sent
 * in order), a connection that breaks with unacknowledged data (sent
 * again from the first unacknowledged message), a restart that drains the
 * last run's spool, live mode driven by libevent timers, and a spool that
 * cannot be written (logged once, counted).
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <event2/event.h>

#include "check.h"
#include "output-syslog.h"

#define EVE "{\"timestamp\":\"2026-01-16T17:17:34.441782+0000\"," \
	"\"flow_id\":1,\"event_type\":\"alert\",\"alert\":{\"severity\":1}}"

static char base[256];
static int nlog;

static void
quiet(void *arg, const char *line)
{
	(void)arg;
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "log: %s\n", line);
	nlog++;
}

static void
test_format(void)
{
	char b[512];
	size_t n;

	n = syslog_format(b, sizeof(b), 16, 1, "sensor1", 4242, EVE "\n",
	    strlen(EVE) + 1);
	CHECK_STR(b, "<130>1 2026-01-16T17:17:34.441782+00:00 sensor1 "
	    "bmcwatch 4242 alert - " EVE);
	CHECK_INT(n, strlen(b));
	syslog_format(b, sizeof(b), 16, 4, "h", 1, EVE, strlen(EVE));
	CHECK(strncmp(b, "<133>1 ", 7) == 0);
	syslog_format(b, sizeof(b), 16, 0, "h", 1, EVE, strlen(EVE));
	CHECK(strncmp(b, "<134>1 ", 7) == 0);		/* info */
	syslog_format(b, sizeof(b), 1, 2, "h", 1, EVE, strlen(EVE));
	CHECK(strncmp(b, "<11>1 ", 6) == 0);		/* user.err */
	syslog_format(b, sizeof(b), 16, 3, NULL, 7, "{\"a\":1}", 7);
	CHECK_STR(b, "<132>1 - - bmcwatch 7 - - {\"a\":1}");
	syslog_format(b, sizeof(b), 16, 3, "h", 7,
	    "{\"timestamp\":\"2026-01-16T17:17:34Z\",\"event_type\":\"stats\"}",
	    57);
	CHECK_STR(b, "<132>1 2026-01-16T17:17:34Z h bmcwatch 7 stats - "
	    "{\"timestamp\":\"2026-01-16T17:17:34Z\",\"event_type\":\"stats\"}");
	/* what RFC 5424 would not accept becomes the NILVALUE */
	syslog_format(b, sizeof(b), 16, 3, "h", 7,
	    "{\"timestamp\":\"yesterday\",\"event_type\":\"a b\"}", 45);
	CHECK(strncmp(b, "<132>1 - h bmcwatch 7 - - ", 26) == 0);
	syslog_format(b, sizeof(b), 16, 3, "h", 7,
	    "{\"timestamp\":\"2026-01-16T17:17:34.1234567+0000\"}", 49);
	CHECK(strncmp(b, "<132>1 - h ", 11) == 0);
	/* cut to fit, full length returned */
	n = syslog_format(b, 20, 16, 1, "sensor1", 4242, EVE, strlen(EVE));
	CHECK_INT(strlen(b), 19);
	CHECK(n > 100);
}

static void
test_urls(void)
{
	static const struct {
		const char *url, *want;
	} bad[] = {
		{ "", "empty" },
		{ "syslog://h:514", "unknown scheme" },
		{ "tcp://", "no host" },
		{ "tcp://127.0.0.1:0", "port must be" },
		{ "tcp://127.0.0.1:65536", "port must be" },
		{ "tcp://127.0.0.1:x", "port must be" },
		{ "udp://127.0.0.1:", "port must be" },
		{ "tcp://::1:514", "brackets" },
		{ "tcp://[::1:514", "no ']'" },
		{ "tcp://[::1]x", "junk after" },
		{ "tcp://127.0.0.1:514?facility=local9", "unknown facility" },
		{ "tcp://127.0.0.1:514?prio=1", "unknown option" },
		{ "unix:", "no socket path" },
		{ "tcp://no-such-host.invalid:514", "cannot resolve" },
	};
	char err[512];
	struct syslog_out *o;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = syslog_open(bad[i].url, NULL, 1 << 16, NULL, err,
		    sizeof(err));
		CHECK(o == NULL);
		if (o != NULL || strstr(err, bad[i].want) == NULL ||
		    strchr(err, '\n') != NULL)
			fprintf(stderr, "url '%s': error '%s', want '%s'\n",
			    bad[i].url, err, bad[i].want);
		CHECK(strstr(err, bad[i].want) != NULL);
		syslog_close(o);
	}
	o = syslog_open("tcp://[::1]:6514?facility=local7", NULL, 1 << 16,
	    NULL, err, sizeof(err));
	CHECK(o != NULL);
	syslog_close(o);
	o = syslog_open("udp://localhost", NULL, 1 << 16, NULL, err,
	    sizeof(err));
	CHECK(o != NULL);
	syslog_close(o);
	/* a bad spool is an error at open */
	o = syslog_open("unix:/dev/log", "/proc/nope/spool", 1 << 16, NULL,
	    err, sizeof(err));
	CHECK(o == NULL);
	CHECK(strstr(err, "/proc/nope/spool") != NULL);
}

static void
line(char *b, size_t len, int i)
{
	snprintf(b, len, "{\"timestamp\":\"2026-01-16T17:17:%02d.000001+0000\","
	    "\"event_type\":\"alert\",\"n\":%d}", i % 60, i);
}

/* The number in a received message, -1 if it does not parse. */
static int
num(const char *m, size_t n)
{
	char b[4096];
	const char *p;

	if (n >= sizeof(b))
		return -1;
	memcpy(b, m, n);
	b[n] = '\0';
	if ((p = strstr(b, "\"n\":")) == NULL || strncmp(b, "<130>1 ", 7))
		return -1;
	return atoi(p + 4);
}

static void
test_unix(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char url[200], err[512], b[512], r[1024];
	struct syslog_stats st;
	struct syslog_out *o;
	int srv, i, ok = 1;
	ssize_t n;

	if (strlen(base) + 5 > sizeof(sun.sun_path)) {
		fprintf(stderr, "TMPDIR too long for a socket: no unix test\n");
		return;
	}
	memcpy(sun.sun_path, base, strlen(base));
	strcat(sun.sun_path, "/log");
	snprintf(url, sizeof(url), "unix:%s", sun.sun_path);
	srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(bind(srv, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	o = syslog_open(url, NULL, 1 << 16, NULL, err, sizeof(err));
	CHECK(o != NULL);
	if (o == NULL)
		return;
	syslog_set_log(o, quiet, NULL);
	for (i = 0; i < 3; i++) {
		line(b, sizeof(b), i);
		CHECK_INT(syslog_send(o, b, strlen(b), 1), 0);
	}
	for (i = 0; i < 3; i++) {
		n = recv(srv, r, sizeof(r), MSG_DONTWAIT);
		if (n <= 0 || num(r, (size_t)n) != i)
			ok = 0;
	}
	CHECK(ok);
	/* no listener: spooled; back: flushed in order */
	close(srv);
	unlink(sun.sun_path);
	for (i = 3; i < 6; i++) {
		line(b, sizeof(b), i);
		CHECK_INT(syslog_send(o, b, strlen(b), 1), 0);
	}
	syslog_stats(o, &st);
	CHECK_INT(st.sent, 3);
	CHECK_INT(st.spooled, 3);
	CHECK_INT(st.spool_msgs, 3);
	srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(bind(srv, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	CHECK_INT(syslog_flush(o, 1000), 0);
	for (i = 3; i < 6; i++) {
		n = recv(srv, r, sizeof(r), MSG_DONTWAIT);
		if (n <= 0 || num(r, (size_t)n) != i)
			ok = 0;
	}
	CHECK(ok);
	CHECK(recv(srv, r, sizeof(r), MSG_DONTWAIT) < 0);
	syslog_stats(o, &st);
	CHECK_INT(st.sent, 6);
	syslog_close(o);
	close(srv);
	unlink(sun.sun_path);
}

/*
 * UDP to a loopback port: a closed port is noticed from the ICMP error
 * the first datagram provoked (that one is lost: best effort, as
 * documented); the ones after it are spooled and sent when it is back.
 */
static void
test_udp(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sin);
	char url[64], err[512], b[512], r[1024];
	struct syslog_stats st;
	struct syslog_out *o;
	int srv, i, ok = 1, on = 1;
	ssize_t n;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(bind(srv, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	getsockname(srv, (struct sockaddr *)&sin, &sl);
	snprintf(url, sizeof(url), "udp://127.0.0.1:%d?facility=local0",
	    ntohs(sin.sin_port));
	o = syslog_open(url, NULL, 1 << 16, NULL, err, sizeof(err));
	CHECK(o != NULL);
	if (o == NULL)
		return;
	syslog_set_log(o, quiet, NULL);
	for (i = 0; i < 3; i++) {
		line(b, sizeof(b), i);
		CHECK_INT(syslog_send(o, b, strlen(b), 1), 0);
	}
	for (i = 0; i < 3; i++) {
		n = recv(srv, r, sizeof(r), 0);
		if (n <= 0 || num(r, (size_t)n) != i)
			ok = 0;
	}
	CHECK(ok);
	close(srv);
	for (i = 3; i < 6; i++) {
		line(b, sizeof(b), i);
		CHECK_INT(syslog_send(o, b, strlen(b), 1), 0);
	}
	syslog_stats(o, &st);
	CHECK_INT(st.sent, 4);		/* 3 went into the void */
	CHECK_INT(st.spool_msgs, 2);
	srv = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	CHECK(bind(srv, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	CHECK_INT(syslog_flush(o, 1000), 0);
	for (i = 4; i < 6; i++) {
		n = recv(srv, r, sizeof(r), MSG_DONTWAIT);
		if (n <= 0 || num(r, (size_t)n) != i)
			ok = 0;
	}
	CHECK(ok);
	syslog_close(o);
	close(srv);
}

/* ---- a TCP collector in this process ---- */

struct coll {
	int lfd, cfd, port;
	char buf[1 << 20];
	size_t len;
	int got[4096], ngot, bad;
};

static int
coll_listen(struct coll *c, int port, int rcvbuf)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t l = sizeof(sin);
	int on = 1;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	c->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(c->lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (rcvbuf)
		setsockopt(c->lfd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	if (bind(c->lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(c->lfd, 4) < 0)
		return -1;
	getsockname(c->lfd, (struct sockaddr *)&sin, &l);
	c->port = ntohs(sin.sin_port);
	c->cfd = -1;
	return 0;
}

/* Accept and read what is there; parse "LEN SP MSG" frames. */
static void
coll_read(struct coll *c)
{
	ssize_t n;
	size_t off = 0;

	if (c->cfd < 0)
		c->cfd = accept4(c->lfd, NULL, NULL, SOCK_NONBLOCK);
	if (c->cfd < 0)
		return;
	while ((n = recv(c->cfd, c->buf + c->len, sizeof(c->buf) - c->len,
	    0)) > 0)
		c->len += (size_t)n;
	for (;;) {
		char *sp = memchr(c->buf + off, ' ', c->len - off);
		size_t ml;
		if (sp == NULL)
			break;
		ml = strtoul(c->buf + off, NULL, 10);
		if (sp + 1 + ml > c->buf + c->len)
			break;
		if (c->ngot < 4096)
			c->got[c->ngot++] = num(sp + 1, ml);
		off = (size_t)(sp + 1 + ml - c->buf);
	}
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
}

static void
coll_close(struct coll *c, int reset)
{
	struct linger lg = { 1, 0 };

	if (c->cfd >= 0 && reset)
		setsockopt(c->cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (c->cfd >= 0)
		close(c->cfd);
	close(c->lfd);
	c->cfd = c->lfd = -1;
}

/* got[] holds from..to-1 in order, once each */
static int
coll_has(const struct coll *c, int from, int to)
{
	int i;

	if (c->ngot != to - from) {
		fprintf(stderr, "collector got %d messages, want %d (%d..%d)"
		    "; first %d\n", c->ngot, to - from, from, to - 1,
		    c->ngot ? c->got[0] : -1);
		return 0;
	}
	for (i = 0; i < c->ngot; i++)
		if (c->got[i] != from + i) {
			fprintf(stderr, "collector: message %d is %d, want "
			    "%d\n", i, c->got[i], from + i);
			return 0;
		}
	return 1;
}

static void
send_range(struct syslog_out *o, int from, int to, size_t pad)
{
	char b[4096];
	int i;

	for (i = from; i < to; i++) {
		line(b, sizeof(b) - pad - 8, i);
		if (pad) {
			size_t l = strlen(b) - 1;
			b[l] = ',';
			snprintf(b + l + 1, sizeof(b) - l - 1,
			    "\"p\":\"%0*d\"}", (int)pad, 0);
		}
		CHECK_INT(syslog_send(o, b, strlen(b), 1), 0);
	}
}

static void
test_tcp(void)
{
	static struct coll c;
	char url[64], err[512], dir[300];
	struct syslog_stats st;
	struct syslog_out *o;
	int i;

	snprintf(dir, sizeof(dir), "%s/spool-tcp", base);
	CHECK(coll_listen(&c, 0, 0) == 0);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", c.port);
	o = syslog_open(url, dir, 1 << 20, NULL, err, sizeof(err));
	CHECK(o != NULL);
	if (o == NULL)
		return;
	syslog_set_log(o, quiet, NULL);
	send_range(o, 0, 10, 0);
	CHECK_INT(syslog_flush(o, 2000), 0);
	coll_read(&c);
	CHECK(coll_has(&c, 0, 10));
	syslog_stats(o, &st);
	CHECK_INT(st.sent, 10);
	CHECK_INT(st.connected, 1);

	/* the collector goes away: the next sends spool */
	coll_close(&c, 0);
	nlog = 0;
	send_range(o, 10, 20, 0);
	syslog_stats(o, &st);
	CHECK_INT(st.connected, 0);
	CHECK_INT(st.spool_msgs, 10);
	CHECK_INT(st.sent, 10);
	CHECK_INT(nlog, 1);		/* one line for the outage */
	CHECK_INT(syslog_flush(o, 500), 10);	/* still down */

	/* back on the same port: flush sends them in order, once */
	CHECK(coll_listen(&c, c.port, 0) == 0);
	c.ngot = 0;
	CHECK_INT(syslog_flush(o, 2000), 0);
	coll_read(&c);
	CHECK(coll_has(&c, 10, 20));
	syslog_stats(o, &st);
	CHECK_INT(st.sent, 20);
	CHECK_INT(st.reconnects, 1);
	CHECK_INT(nlog, 2);		/* and one when it is back */

	/*
	 * A collector that stops reading: its TCP acknowledges what fits
	 * in its buffer, then nothing.  It dies with a reset.  What its
	 * host acknowledged counts as sent (and is lost with it: the
	 * documented limit); everything after is sent again, in order.
	 */
	coll_close(&c, 0);
	CHECK(coll_listen(&c, c.port, 4096) == 0);
	c.ngot = 0;
	send_range(o, 20, 20, 0);
	CHECK_INT(syslog_flush(o, 0), 0);	/* connects */
	c.cfd = accept4(c.lfd, NULL, NULL, SOCK_NONBLOCK);
	send_range(o, 20, 400, 1000);
	syslog_flush(o, 300);
	syslog_stats(o, &st);
	CHECK(st.sent > 20 && st.sent < 400);
	CHECK(st.spool_msgs == 400 - st.sent);
	coll_close(&c, 1);
	CHECK(coll_listen(&c, c.port, 0) == 0);
	i = (int)st.sent;
	for (int k = 0; k < 50 && c.ngot < 400 - i; k++) {
		syslog_flush(o, 100);
		coll_read(&c);
	}
	CHECK(coll_has(&c, i, 400));
	syslog_flush(o, 200);
	syslog_stats(o, &st);
	CHECK_INT(st.sent, 400);
	CHECK(st.resent > 0);
	CHECK_INT(st.spool_msgs, 0);

	/* down again; a new process drains what this one spooled */
	coll_close(&c, 0);
	send_range(o, 400, 450, 0);
	syslog_close(o);
	CHECK(coll_listen(&c, c.port, 0) == 0);
	c.ngot = 0;
	o = syslog_open(url, dir, 1 << 20, NULL, err, sizeof(err));
	CHECK(o != NULL);
	if (o == NULL)
		return;
	syslog_set_log(o, quiet, NULL);
	syslog_stats(o, &st);
	CHECK_INT(st.spool_msgs, 50);
	send_range(o, 450, 460, 0);
	CHECK_INT(syslog_flush(o, 2000), 0);
	coll_read(&c);
	CHECK(coll_has(&c, 400, 460));
	syslog_close(o);
	coll_close(&c, 0);
}

/*
 * The spool file is damaged under a running output: what is before the
 * damage is delivered, the file is named in the log, nothing crashes.
 */
static void
test_runtime_damage(void)
{
	static struct coll c;
	char url[64], err[512], dir[300], seg[400];
	struct syslog_stats st;
	struct syslog_out *o;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/spool-damage", base);
	CHECK(coll_listen(&c, 0, 0) == 0);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", c.port);
	coll_close(&c, 0);
	o = syslog_open(url, dir, 1 << 20, NULL, err, sizeof(err));
	CHECK(o != NULL);
	if (o == NULL)
		return;
	syslog_set_log(o, quiet, NULL);
	send_range(o, 0, 10, 0);
	syslog_stats(o, &st);
	CHECK_INT(st.spool_msgs, 10);
	/* a byte in the middle of the sixth record */
	snprintf(seg, sizeof(seg), "%s/seg-0000000000000001", dir);
	f = fopen(seg, "r+");
	CHECK(f != NULL);
	if (f != NULL) {
		char b[8192];
		size_t n = fread(b, 1, sizeof(b), f), rl = n / 10;
		b[5 * rl + rl / 2] ^= 0x20;
		rewind(f);
		fwrite(b, 1, n, f);
		fclose(f);
	}
	CHECK(coll_listen(&c, c.port, 0) == 0);
	nlog = 0;
	CHECK_INT(syslog_flush(o, 2000), 0);
	coll_read(&c);
	CHECK(coll_has(&c, 0, 5));
	CHECK_INT(nlog, 2);	/* connected again; the damage */
	syslog_stats(o, &st);
	CHECK_INT(st.sent, 5);
	CHECK_INT(st.spool_msgs, 0);
	strcat(seg, ".corrupt");
	CHECK(access(seg, F_OK) == 0);
	syslog_close(o);
	coll_close(&c, 0);
}

/* ---- live mode: libevent drives reconnects and ACK polling ---- */

struct live {
	struct coll *c;
	struct event_base *eb;
	int want;
};

static void
live_tick(evutil_socket_t fd, short what, void *arg)
{
	struct live *l = arg;

	(void)fd;
	(void)what;
	if (l->c->lfd >= 0)
		coll_read(l->c);
	if (l->c->ngot >= l->want)
		event_base_loopbreak(l->eb);
}

static void
live_end(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

/* Run the loop until the collector has 'want' messages or ms passed
 * (own timers, freed after: loopexit timers would outlive the run). */
static void
run_until(struct live *l, int want, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	struct timeval t10 = { 0, 10000 };
	struct event *tick = event_new(l->eb, -1, EV_PERSIST, live_tick, l);
	struct event *end = evtimer_new(l->eb, live_end, l->eb);

	l->want = want;
	event_add(tick, &t10);
	evtimer_add(end, &tv);
	event_base_dispatch(l->eb);
	event_free(tick);
	event_free(end);
}

static void
test_live(void)
{
	static struct coll c;
	struct event_base *eb = event_base_new();
	struct live l = { &c, eb, 0 };
	struct syslog_stats st;
	struct syslog_out *o;
	char url[64], err[512];
	struct timespec t0, t1;

	CHECK(coll_listen(&c, 0, 0) == 0);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", c.port);
	o = syslog_open(url, NULL, 1 << 20, eb, err, sizeof(err));
	CHECK(o != NULL);
	if (o == NULL)
		return;
	syslog_set_log(o, quiet, NULL);
	run_until(&l, 0, 50);		/* the first connect */
	send_range(o, 0, 5, 0);
	run_until(&l, 5, 2000);
	CHECK(coll_has(&c, 0, 5));
	run_until(&l, 99, 300);		/* ACK polling pops them */
	syslog_stats(o, &st);
	CHECK_INT(st.sent, 5);
	CHECK_INT(st.spool_msgs, 0);

	coll_close(&c, 0);
	run_until(&l, 99, 100);		/* the read event sees the close */
	syslog_stats(o, &st);
	CHECK_INT(st.connected, 0);
	send_range(o, 5, 15, 0);
	CHECK(coll_listen(&c, c.port, 0) == 0);
	c.ngot = 0;
	/* no flush: the backoff timer reconnects and drains */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_until(&l, 10, 5000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(coll_has(&c, 5, 15));
	CHECK(t1.tv_sec - t0.tv_sec < 4);
	run_until(&l, 99, 300);
	syslog_stats(o, &st);
	CHECK_INT(st.sent, 15);
	CHECK_INT(st.reconnects, 1);
	syslog_close(o);
	coll_close(&c, 0);
	event_base_free(eb);
}

/* The log lines that have want in them, and the last of them. */
static int nwant;
static char lastwant[1024];

static void
count_want(void *arg, const char *line)
{
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "log: %s\n", line);
	if (strstr(line, (const char *)arg) != NULL) {
		nwant++;
		snprintf(lastwant, sizeof(lastwant), "%s", line);
	}
}

/*
 * The spool cannot be written (a file size limit standing for a full
 * disk; in a child, where the limit stays): with the collector away
 * every alert is lost, and the log says so once with the file and the
 * reason, not once per alert, and once when the spool works again; the
 * losses are in the stats /metrics shows.
 */
static void
spool_fails_child(void)
{
	char url[300], dir[300], err[512], b[512];
	struct syslog_stats st;
	struct syslog_out *o;
	struct rlimit rl;
	int i, lost = 0;

	signal(SIGXFSZ, SIG_IGN);
	snprintf(url, sizeof(url), "unix:%s/nobody-listens", base);
	snprintf(dir, sizeof(dir), "%s/spool-fails", base);
	o = syslog_open(url, dir, 1 << 20, NULL, err, sizeof(err));
	CHECK(o != NULL);
	if (o == NULL)
		return;
	syslog_set_log(o, count_want, "spool: ");
	CHECK_INT(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = 8192;
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &rl), 0);
	for (i = 0; i < 400; i++) {
		line(b, sizeof(b), i);
		if (syslog_send(o, b, strlen(b), 1) < 0)
			lost++;
	}
	CHECK(lost > 200);
	CHECK_INT(nwant, 1);
	CHECK(strstr(lastwant, "cannot write") != NULL &&
	    strstr(lastwant, dir) != NULL &&
	    strstr(lastwant, strerror(EFBIG)) != NULL);
	syslog_stats(o, &st);
	CHECK_INT(st.spool_write_errors, lost);
	CHECK_INT(st.lost, lost);
	CHECK_INT(st.spool_msgs, 400 - lost);
	rl.rlim_cur = rl.rlim_max;
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &rl), 0);
	line(b, sizeof(b), 400);
	CHECK_INT(syslog_send(o, b, strlen(b), 1), 0);
	CHECK_INT(nwant, 2);
	CHECK(strstr(lastwant, "works again") != NULL);
	syslog_stats(o, &st);
	CHECK_INT(st.spool_write_errors, lost);
	CHECK_INT(st.spool_msgs, 400 - lost + 1);
	syslog_close(o);
}

static void
test_spool_fails(void)
{
	int status;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		spool_fails_child();
		fflush(NULL);
		_exit(check_failures ? 1 : 0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");
	char cmd[400];

	snprintf(base, sizeof(base), "%s/test-syslog.XXXXXX", t ? t : "/tmp");
	if (mkdtemp(base) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_format();
	test_urls();
	test_unix();
	test_udp();
	test_tcp();
	test_runtime_damage();
	test_live();
	test_spool_fails();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", base);
	CHECK_DONE();
}
