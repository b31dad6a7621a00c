/*
 * syslog-driver.c - feeds EVE lines from stdin to the syslog output, for
 * tests/e2e-rsyslog.sh (until the sensor itself has the option).
 *
 *	syslog-driver [-l] [-s SPOOLDIR] [-m BYTES] URL
 *	syslog-driver -p	print a free UDP port on 127.0.0.1
 *
 * Each input line is sent with the severity of its "severity":N (3 if it
 * has none), except the commands "#flush MS" (prints "left N") and
 * "#stats" (prints one line of counters).  -l runs a libevent loop (live
 * mode: timers reconnect) and reads stdin from it; without -l every send
 * is synchronous (offline replay).  At end of input: close, no flush.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "output-syslog.h"

struct drv {
	struct syslog_out *o;
	struct event_base *eb;
	char		 buf[1 << 16];
	size_t		 len;
};

static void
stats(struct syslog_out *o)
{
	struct syslog_stats st;

	syslog_stats(o, &st);
	printf("stats sent=%" PRIu64 " spooled=%" PRIu64 " dropped=%" PRIu64
	    " lost=%" PRIu64 " resent=%" PRIu64 " reconnects=%" PRIu64
	    " depth=%" PRIu64 " connected=%d\n", st.sent, st.spooled,
	    st.dropped_oldest, st.lost, st.resent, st.reconnects,
	    st.spool_msgs, st.connected);
	fflush(stdout);
}

static void
one_line(struct drv *d, char *l, size_t n)
{
	const char *p;
	int sev = 3;

	l[n] = '\0';
	if (strncmp(l, "#flush ", 7) == 0) {
		printf("left %" PRIu64 "\n", syslog_flush(d->o, atoi(l + 7)));
		fflush(stdout);
	} else if (strcmp(l, "#stats") == 0)
		stats(d->o);
	else if (n > 0) {
		if ((p = strstr(l, "\"severity\":")) != NULL)
			sev = atoi(p + 11);
		if (syslog_send(d->o, l, n, sev) < 0)
			fprintf(stderr, "syslog-driver: message lost\n");
	}
}

/* Complete lines out of the buffer; 0 at end of input. */
static int
feed(struct drv *d)
{
	ssize_t n = read(0, d->buf + d->len, sizeof(d->buf) - d->len - 1);
	char *nl;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n <= 0) {
		if (d->len > 0)
			one_line(d, d->buf, d->len);
		return 0;
	}
	d->len += (size_t)n;
	while ((nl = memchr(d->buf, '\n', d->len)) != NULL) {
		size_t l = (size_t)(nl - d->buf);
		one_line(d, d->buf, l);
		memmove(d->buf, nl + 1, d->len - l - 1);
		d->len -= l + 1;
	}
	if (d->len == sizeof(d->buf) - 1) {
		one_line(d, d->buf, d->len);	/* overlong: send as is */
		d->len = 0;
	}
	return 1;
}

static void
stdin_cb(evutil_socket_t fd, short what, void *arg)
{
	struct drv *d = arg;

	(void)fd;
	(void)what;
	if (!feed(d))
		event_base_loopbreak(d->eb);
}

static int
free_udp_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t l = sizeof(sin);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(s, (struct sockaddr *)&sin, &l) < 0)
		return 1;
	printf("%d\n", ntohs(sin.sin_port));
	close(s);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct drv d;
	const char *spool = NULL;
	size_t max = 1 << 20;
	char err[512];
	int c, live = 0;

	while ((c = getopt(argc, argv, "lm:ps:")) != -1) {
		switch (c) {
		case 'l': live = 1; break;
		case 'm': max = strtoul(optarg, NULL, 10); break;
		case 'p': return free_udp_port();
		case 's': spool = optarg; break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	if (live && (d.eb = event_base_new()) == NULL)
		return 1;
	if ((d.o = syslog_open(argv[optind], spool, max, d.eb, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "syslog-driver: %s\n", err);
		return 2;
	}
	if (live) {
		struct event *ev;
		fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
		ev = event_new(d.eb, 0, EV_READ | EV_PERSIST, stdin_cb, &d);
		event_add(ev, NULL);
		event_base_dispatch(d.eb);
		event_free(ev);
	} else
		while (feed(&d))
			;
	stats(d.o);
	syslog_close(d.o);
	if (d.eb != NULL)
		event_base_free(d.eb);
	return 0;
usage:
	fprintf(stderr, "usage: syslog-driver [-l] [-s SPOOLDIR] [-m BYTES] "
	    "URL | -p\n");
	return 2;
}
