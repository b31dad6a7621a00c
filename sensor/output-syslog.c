/*
 * output-syslog.c - EVE records to syslog: the connection to the
 * collector, its backoff, and delivery from the spool (see
 * output-syslog.h for what each transport promises; the URL, message
 * and frame formats are in output-syslog-format.c).
 *
 * Every message is pushed to the spool first and then pumped out from
 * it, so there is one path and one order: the spool is a FIFO, and a
 * message written to the collector stays in it until delivery is known.
 * For TCP that is when the peer's TCP has acknowledged the message's
 * last byte: we count the bytes written on the connection, ask the
 * kernel how many are still unacknowledged (SIOCOUTQ), and pop the
 * messages that ended before that point.  When the connection breaks,
 * the spool rewinds to its head and the unacknowledged messages go again.
 *
 * The state machine (down, connecting, up) advances in pump(), which
 * runs after each push, from the libevent callbacks in live mode, and in
 * a loop in syslog_flush().  Nothing here blocks except name resolution
 * in syslog_open().
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "output-syslog.h"
#include "output-syslog-int.h"
#include "spool.h"

#define BACKOFF_MIN_MS	1000
#define BACKOFF_MAX_MS	60000
#define CONNECT_MS	10000	/* give up a connect after this */
#define ACKPOLL_MS	100	/* live mode: look for ACKs this often */
#define RING		4096	/* messages in flight at most */

enum { S_DOWN, S_CONNECTING, S_UP };

struct flight {
	uint64_t	 end;		/* stream offset after its last byte */
	uint64_t	 seq;		/* its spool sequence number */
};

struct syslog_out {
	struct syslog_dest dst;		/* from the URL */
	struct addrinfo	*ai_cur;	/* the address tried next */
	char		 host[256];
	struct spool	*sp;
	struct event_base *base;
	struct event	*ev_timer, *ev_read, *ev_write;
	int		 fd, state, want_write;
	int64_t		 next_try, connect_by, down_since;
	int		 backoff, ever_up, down_logged, drop_logged;
	/* the TCP stream: bytes written and the messages in flight */
	uint64_t	 written;
	struct flight	*ring;
	size_t		 ring_head, ring_n;
	char		*frame;		/* "LEN SP MSG" being written */
	size_t		 frame_len, frame_off, frame_cap;
	uint64_t	 frame_seq;
	int		 frame_busy;
	char		*msg;
	size_t		 msg_cap;
	char		 pending[512];	/* open-time warning, logged later */
	struct syslog_stats st;
	void		(*logfn)(void *, const char *);
	void		*logarg;
};

static void	pump(struct syslog_out *);

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
log_stderr(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "bmcwatch: %s\n", line);
}

static void logf_(struct syslog_out *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
logf_(struct syslog_out *o, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	o->logfn(o->logarg, line);
}

static void
spool_note(struct syslog_out *o)
{
	const char *w;

	if (o->pending[0] != '\0') {
		logf_(o, "syslog: %s", o->pending);
		o->pending[0] = '\0';
	}
	while ((w = spool_warning(o->sp)) != NULL)
		logf_(o, "syslog: %s", w);
}

/* ---- connection ---- */

static void ev_cb(evutil_socket_t, short, void *);

static void
close_fd(struct syslog_out *o)
{
	if (o->ev_read != NULL)
		event_free(o->ev_read);
	if (o->ev_write != NULL)
		event_free(o->ev_write);
	o->ev_read = o->ev_write = NULL;
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}

/* TCP only: pop what the peer has acknowledged; -1 if the spool
 * found damage (it rewound: the ring no longer matches it). */
static int
acks(struct syslog_out *o)
{
	struct spool_depth d;
	uint64_t acked;
	int unacked;

	if (o->ring_n == 0 || ioctl(o->fd, TIOCOUTQ, &unacked) < 0)
		return 0;
	acked = o->written - (uint64_t)unacked;
	spool_depth(o->sp, &d);
	while (o->ring_n > 0 && o->ring[o->ring_head].end <= acked) {
		struct flight *f = &o->ring[o->ring_head];
		if (f->seq == d.head_seq) {
			if (spool_pop(o->sp) != 1)
				return -1;
			o->st.sent++;
			d.head_seq++;
		}
		/* a lower seq was dropped from the full spool meanwhile */
		o->ring_head = (o->ring_head + 1) % RING;
		o->ring_n--;
	}
	return 0;
}

static void
fail(struct syslog_out *o, const char *what, int err)
{
	struct spool_depth d;

	if (o->state == S_UP && o->dst.transport == T_TCP && acks(o) < 0)
		o->ring_n = 0;	/* the last word on what arrived */
	close_fd(o);
	spool_depth(o->sp, &d);
	o->st.resent += d.inflight + (o->frame_busy && o->frame_off > 0);
	spool_rewind(o->sp);
	o->ring_n = 0;
	o->frame_busy = 0;
	o->want_write = 0;
	o->state = S_DOWN;
	o->next_try = now_ms() + o->backoff;
	o->backoff = o->backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
	    o->backoff * 2;
	if (o->ai_cur != NULL && (o->ai_cur = o->ai_cur->ai_next) == NULL)
		o->ai_cur = o->dst.ai;
	if (!o->down_logged) {
		logf_(o, "syslog: %s: %s%s%s; spooling, retrying with "
		    "backoff", o->dst.url, what, err ? ": " : "",
		    err ? strerror(err) : "");
		o->down_logged = 1;
		o->down_since = now_ms();
	}
}

static void
went_up(struct syslog_out *o)
{
	struct spool_depth d;

	o->state = S_UP;
	o->written = 0;
	o->ring_n = 0;
	o->backoff = BACKOFF_MIN_MS;
	if (o->ever_up)
		o->st.reconnects++;
	o->ever_up = 1;
	if (o->down_logged) {
		spool_depth(o->sp, &d);
		logf_(o, "syslog: %s: connected after %" PRId64 " s; %" PRIu64
		    " spooled messages to send", o->dst.url,
		    (now_ms() - o->down_since) / 1000, d.msgs);
		o->down_logged = 0;
		o->drop_logged = 0;
	}
	if (o->base != NULL && o->ev_read != NULL)
		event_add(o->ev_read, NULL);
}

static void
try_connect(struct syslog_out *o)
{
	const struct sockaddr *sa;
	socklen_t salen;
	int type, on = 1, fam;

	if (o->dst.transport == T_UNIX) {
		fam = AF_UNIX;
		type = SOCK_DGRAM;
		sa = (const struct sockaddr *)&o->dst.sun;
		salen = sizeof(o->dst.sun);
	} else {
		fam = o->ai_cur->ai_family;
		type = o->ai_cur->ai_socktype;
		sa = o->ai_cur->ai_addr;
		salen = o->ai_cur->ai_addrlen;
	}
	o->fd = socket(fam, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (o->fd < 0) {
		fail(o, "socket", errno);
		return;
	}
	if (o->dst.transport == T_TCP) {
		/* notice a dead peer, and unacknowledged data, in 30 s */
		int idle = 30, intvl = 10, cnt = 3;
		unsigned int uto = 30000;
		setsockopt(o->fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
		setsockopt(o->fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle,
		    sizeof(idle));
		setsockopt(o->fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl,
		    sizeof(intvl));
		setsockopt(o->fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
		setsockopt(o->fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &uto,
		    sizeof(uto));
	}
	if (o->base != NULL) {
		o->ev_read = event_new(o->base, o->fd, EV_READ | EV_PERSIST,
		    ev_cb, o);
		o->ev_write = event_new(o->base, o->fd, EV_WRITE, ev_cb, o);
		if (o->ev_read == NULL || o->ev_write == NULL) {
			fail(o, "libevent", ENOMEM);
			return;
		}
	}
	if (connect(o->fd, sa, salen) == 0)
		went_up(o);
	else if (errno == EINPROGRESS) {
		o->state = S_CONNECTING;
		o->connect_by = now_ms() + CONNECT_MS;
	} else
		fail(o, "connect", errno);
}

static void
check_connect(struct syslog_out *o)
{
	struct pollfd p = { .fd = o->fd, .events = POLLOUT };
	socklen_t l = sizeof(int);
	int e = 0;

	if (poll(&p, 1, 0) == 1) {
		if (getsockopt(o->fd, SOL_SOCKET, SO_ERROR, &e, &l) < 0)
			e = errno;
		if (e != 0)
			fail(o, "connect", e);
		else
			went_up(o);
	} else if (now_ms() >= o->connect_by)
		fail(o, "connect", ETIMEDOUT);
}

/* Read and discard what the peer sends (syslog collectors send nothing);
 * -1 if the connection is closed or failed. */
static int
check_peer(struct syslog_out *o)
{
	char b[512];
	ssize_t n;

	for (;;) {
		n = recv(o->fd, b, sizeof(b), MSG_DONTWAIT);
		if (n > 0)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR))
			return 0;
		if (n == 0 && o->dst.transport != T_TCP)
			return 0;	/* an empty datagram */
		fail(o, n == 0 ? "connection closed by the collector" :
		    "connection", n == 0 ? 0 : errno);
		return -1;
	}
}

/* The spool found damage (and rewound) or failed: start over. */
static void
spool_trouble(struct syslog_out *o)
{
	spool_note(o);
	o->ring_n = 0;		/* its sequence numbers no longer hold */
	if (o->dst.transport == T_TCP && o->state == S_UP)
		fail(o, "spool damage, reconnecting to resend", 0);
}

static void
tcp_pump(struct syslog_out *o)
{
	struct spool_depth d;
	const void *p;
	size_t n;
	ssize_t w;
	int rc;

	if (acks(o) < 0) {
		spool_trouble(o);
		return;
	}
	for (;;) {
		if (!o->frame_busy) {
			if (o->ring_n == RING)
				break;	/* wait for ACKs */
			rc = spool_peek(o->sp, &p, &n, &o->frame_seq);
			if (rc < 0) {
				spool_trouble(o);
				return;
			}
			if (rc == 0)
				break;
			o->frame_len = syslog_frame(&o->frame, &o->frame_cap,
			    p, n);
			if (o->frame_len == 0)
				break;	/* out of memory: try again later */
			o->frame_off = 0;
			o->frame_busy = 1;
		}
		w = send(o->fd, o->frame + o->frame_off,
		    o->frame_len - o->frame_off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR) {
				o->want_write = 1;
				break;
			}
			fail(o, "write", errno);
			return;
		}
		o->written += (uint64_t)w;
		o->frame_off += (size_t)w;
		if (o->frame_off < o->frame_len)
			continue;
		o->frame_busy = 0;
		spool_depth(o->sp, &d);
		/* unless the full spool dropped it while it was written */
		if (o->frame_seq == d.head_seq + d.inflight) {
			size_t t = (o->ring_head + o->ring_n) % RING;
			spool_next(o->sp);
			o->ring[t].end = o->written;
			o->ring[t].seq = o->frame_seq;
			o->ring_n++;
		}
	}
	if (acks(o) < 0)
		spool_trouble(o);
}

static void
dgram_pump(struct syslog_out *o)
{
	const void *p;
	size_t n;
	int rc;

	for (;;) {
		if ((rc = spool_peek(o->sp, &p, &n, NULL)) < 0) {
			spool_note(o);
			return;
		}
		if (rc == 0)
			return;
		if (send(o->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR) {
				o->want_write = 1;
				return;
			}
			if (errno != EMSGSIZE) {
				fail(o, "send", errno);
				return;
			}
			o->st.lost++;
			logf_(o, "syslog: %s: a message of %zu bytes is too "
			    "big for the transport; dropped", o->dst.url, n);
		} else
			o->st.sent++;
		if (spool_pop(o->sp) < 0) {
			spool_note(o);
			return;
		}
	}
}

/* Live mode: arm the timer and the write event for what comes next. */
static void
schedule(struct syslog_out *o)
{
	struct spool_depth d;
	struct timeval tv;
	int64_t ms = -1, now = now_ms();

	if (o->base == NULL)
		return;
	spool_depth(o->sp, &d);
	if (o->state == S_DOWN)
		ms = o->next_try > now ? o->next_try - now : 0;
	else if (o->state == S_CONNECTING)
		ms = o->connect_by > now ? o->connect_by - now : 0;
	else if (d.inflight > 0 || d.msgs > 0)
		ms = ACKPOLL_MS;
	if (ms >= 0) {
		tv.tv_sec = ms / 1000;
		tv.tv_usec = (ms % 1000) * 1000;
		evtimer_add(o->ev_timer, &tv);
	} else
		evtimer_del(o->ev_timer);
	if (o->ev_write != NULL &&
	    (o->state == S_CONNECTING || (o->state == S_UP && o->want_write)))
		event_add(o->ev_write, NULL);
}

static void
pump(struct syslog_out *o)
{
	spool_note(o);
	if (o->state == S_DOWN && now_ms() >= o->next_try)
		try_connect(o);
	if (o->state == S_CONNECTING)
		check_connect(o);
	if (o->state == S_UP && check_peer(o) == 0) {
		o->want_write = 0;
		if (o->dst.transport == T_TCP)
			tcp_pump(o);
		else
			dgram_pump(o);
	}
	spool_note(o);
	schedule(o);
}

static void
ev_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	pump(arg);
}

/* ---- API ---- */

struct syslog_out *
syslog_open(const char *url, const char *spool_dir, size_t spool_max_bytes,
    struct event_base *base, char *err, size_t errlen)
{
	struct syslog_out *o = calloc(1, sizeof(*o));

	if (o == NULL || (o->ring = calloc(RING, sizeof(*o->ring))) == NULL) {
		free(o);
		snprintf(err, errlen, "syslog: out of memory");
		return NULL;
	}
	o->fd = -1;
	o->logfn = log_stderr;
	o->backoff = BACKOFF_MIN_MS;
	o->base = base;
	if (syslog_parse_url(&o->dst, url, err, errlen) < 0)
		goto fail;
	o->ai_cur = o->dst.ai;
	syslog_hostname(o->host, sizeof(o->host));
	if ((o->sp = spool_open(spool_dir, spool_max_bytes, o->pending,
	    sizeof(o->pending))) == NULL) {
		snprintf(err, errlen, "syslog: %s", o->pending);
		goto fail;
	}
	if (base != NULL) {
		if ((o->ev_timer = evtimer_new(base, ev_cb, o)) == NULL) {
			snprintf(err, errlen, "syslog: libevent: no timer");
			goto fail;
		}
		schedule(o);	/* first connect as soon as the loop runs */
	}
	return o;
fail:
	syslog_close(o);
	return NULL;
}

void
syslog_set_log(struct syslog_out *o, void (*fn)(void *, const char *),
    void *arg)
{
	o->logfn = fn ? fn : log_stderr;
	o->logarg = arg;
}

int
syslog_send(struct syslog_out *o, const char *line, size_t len,
    int severity)
{
	struct spool_depth d;
	uint64_t dropped;
	size_t n;

	n = syslog_format(o->msg, o->msg_cap, o->dst.facility, severity,
	    o->host, getpid(), line, len);
	if (n >= o->msg_cap) {
		char *nm = realloc(o->msg, n + 1);
		if (nm == NULL) {
			o->st.lost++;
			return -1;
		}
		o->msg = nm;
		o->msg_cap = n + 1;
		syslog_format(o->msg, o->msg_cap, o->dst.facility, severity,
		    o->host, getpid(), line, len);
	}
	spool_depth(o->sp, &d);
	dropped = d.dropped;
	if (spool_push(o->sp, o->msg, n) < 0) {
		o->st.lost++;
		spool_note(o);
		return -1;
	}
	spool_depth(o->sp, &d);
	if (d.dropped != dropped && !o->drop_logged) {
		logf_(o, "syslog: %s: spool full, dropping the oldest "
		    "messages", o->dst.url);
		o->drop_logged = 1;
	}
	pump(o);
	spool_depth(o->sp, &d);
	if (d.msgs > d.inflight)
		o->st.spooled++;	/* this one still waits */
	return 0;
}

uint64_t
syslog_flush(struct syslog_out *o, int wait_ms)
{
	int64_t deadline = now_ms() + wait_ms, left;
	struct spool_depth d;
	int tries = 0;

	for (;;) {
		spool_depth(o->sp, &d);
		if (d.msgs == 0)
			break;
		if (o->state == S_DOWN) {
			if (tries++ >= 3)
				break;
			o->next_try = 0;
		}
		pump(o);
		spool_depth(o->sp, &d);
		if (d.msgs == 0 || (left = deadline - now_ms()) <= 0)
			break;
		if (o->fd >= 0) {
			struct pollfd p = { .fd = o->fd };
			p.events = o->state == S_CONNECTING || o->want_write ?
			    POLLOUT : POLLIN;
			poll(&p, 1, left < 20 ? (int)left : 20);
		}
	}
	spool_sync(o->sp);
	spool_note(o);
	schedule(o);
	spool_depth(o->sp, &d);
	return d.msgs;
}

void
syslog_stats(const struct syslog_out *o, struct syslog_stats *st)
{
	struct spool_depth d;

	*st = o->st;
	spool_depth(o->sp, &d);
	st->dropped_oldest = d.dropped;
	st->spool_write_errors = d.write_errors;
	st->spool_msgs = d.msgs;
	st->spool_bytes = d.bytes;
	st->connected = o->state == S_UP;
}

void
syslog_close(struct syslog_out *o)
{
	if (o == NULL)
		return;
	if (o->state == S_UP && o->dst.transport == T_TCP)
		(void)acks(o);
	close_fd(o);
	if (o->ev_timer != NULL)
		event_free(o->ev_timer);
	if (o->sp != NULL) {
		spool_sync(o->sp);
		spool_close(o->sp);
	}
	if (o->dst.ai != NULL)
		freeaddrinfo(o->dst.ai);
	free(o->ring);
	free(o->frame);
	free(o->msg);
	free(o);
}
