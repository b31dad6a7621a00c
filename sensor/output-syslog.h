/*
 * output-syslog.h - EVE records as RFC 5424 syslog messages, to the local
 * socket or to a collector over UDP or TCP (octet counting, RFC 6587),
 * with a bounded on-disk spool (spool.h) behind it.
 *
 *	<PRI>1 TIMESTAMP HOSTNAME bmcwatch PROCID MSGID - EVE-JSON
 *
 * PRI is the facility (local0 unless the URL says ?facility=NAME) times 8
 * plus the alert severity mapped to syslog's: 1 crit, 2 err, 3 warning,
 * 4 notice, anything else (non-alert records) info.  TIMESTAMP is the
 * record's "timestamp" (packet time) in RFC 3339 form, MSGID its
 * "event_type"; either is "-" if the line has none.
 *
 * Every message goes through the spool; syslog_send() never blocks (the
 * sockets are non-blocking).  What the output promises:
 *
 * tcp://  A message leaves the spool only when the collector's TCP has
 *	acknowledged all of its bytes (SIOCOUTQ), so messages written into
 *	a connection that then breaks are sent again, in order, after the
 *	reconnect; a sensor restart sends again what the last one had not
 *	seen acknowledged.  Nothing is lost while the outage is shorter
 *	than the spool (the oldest are dropped and counted beyond that),
 *	except what the collector's host acknowledged and the collector
 *	then lost itself (e.g. it died with data unread in its socket).
 *	A message can arrive twice when the connection breaks after the
 *	collector got it but before its ACK reached us, or when it breaks
 *	in the middle of a message (the collector may log the cut part):
 *	counted in "resent".  Exactly-once needs an application-level ack
 *	(RELP), which plain syslog does not have.
 * unix:	Datagrams: a message is delivered once the kernel accepted it.
 *	No listener on the socket (ENOENT, ECONNREFUSED) or a full queue
 *	(EAGAIN) keeps it spooled.
 * udp://	Best effort: an accepted datagram counts as sent.  A collector
 *	that is down is noticed only from the ICMP error to an earlier
 *	datagram, so at least that one is lost; later ones spool.
 *
 * Reconnects back off from 1 s to 60 s: a libevent timer drives them when
 * a base is given (live mode), otherwise the next syslog_send() past the
 * backoff tries (offline replay), and syslog_flush() tries at once.
 * Host names are resolved once, at open.
 */
#ifndef BW_OUTPUT_SYSLOG_H
#define BW_OUTPUT_SYSLOG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct event_base;
struct syslog_out;

struct syslog_stats {
	uint64_t	 sent;		/* delivered as described above */
	uint64_t	 spooled;	/* could not go out at once: waited */
	uint64_t	 dropped_oldest;/* from the full spool */
	uint64_t	 lost;		/* given up: too big, spool write failed */
	uint64_t	 spool_write_errors; /* of lost: spool write failed */
	uint64_t	 resent;	/* written again after a broken connection */
	uint64_t	 reconnects;	/* connections made after the first */
	uint64_t	 spool_msgs;	/* waiting now (in flight included) */
	uint64_t	 spool_bytes;
	int		 connected;
};

/*
 * url: unix:PATH (e.g. unix:/dev/log), udp://HOST[:PORT] or
 * tcp://HOST[:PORT] (port 514 by default; [v6addr] for IPv6), optionally
 * followed by ?facility=local0..local7|user|daemon|auth|....  spool_dir
 * NULL keeps the spool in memory.  base NULL: offline (see above).  NULL
 * on error with one line in err; the collector being down is not an
 * error.  Warnings (spool damage found) go to the log function.
 */
struct syslog_out *syslog_open(const char *url, const char *spool_dir,
		    size_t spool_max_bytes, struct event_base *base,
		    char *err, size_t errlen);
/* Where state changes are reported (lost/regained collector, spool
 * damage, spool writes failing and working again: once each, not per
 * message): one line without newline.  Default: stderr, "bmcwatch: ". */
void		 syslog_set_log(struct syslog_out *o,
		    void (*fn)(void *arg, const char *line), void *arg);
/* One EVE line (a trailing newline is ignored).  0 sent or spooled, -1
 * lost (too big for the spool or the spool cannot be written). */
int		 syslog_send(struct syslog_out *o, const char *eve_line,
		    size_t len, int severity);
/* Deliver what the spool holds now, waiting at most wait_ms (connects at
 * once, ignoring the backoff).  Returns the messages still waiting. */
uint64_t	 syslog_flush(struct syslog_out *o, int wait_ms);
void		 syslog_stats(const struct syslog_out *o,
		    struct syslog_stats *st);
/* Does not flush: unsent messages stay in the spool for the next run. */
void		 syslog_close(struct syslog_out *o);

/* The message for an EVE line, without transport framing, into buf (cut
 * to fit; NUL-terminated); returns its full length.  For the tests. */
size_t		 syslog_format(char *buf, size_t len, int facility,
		    int severity, const char *hostname, pid_t pid,
		    const char *eve_line, size_t eve_len);

#endif
