/*
 * output-syslog-int.h - what output-syslog.c (the connection and the
 * spool) takes from output-syslog-format.c (the URL, the message text
 * and its frame).  Not for other callers: they use output-syslog.h.
 */
#ifndef BW_OUTPUT_SYSLOG_INT_H
#define BW_OUTPUT_SYSLOG_INT_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netdb.h>
#include <stddef.h>

enum { T_UNIX, T_UDP, T_TCP };

/* Where the messages go, as the URL says. */
struct syslog_dest {
	int		 transport;	/* T_* */
	int		 facility;	/* syslog's code: local0 is 16 */
	char		 url[256];	/* as given, for the log */
	struct sockaddr_un sun;		/* T_UNIX */
	struct addrinfo	*ai;		/* T_UDP, T_TCP: freeaddrinfo() it */
};

/* Parse (and, for udp:// and tcp://, resolve) a syslog URL; -1 with
 * one line in err. */
int	syslog_parse_url(struct syslog_dest *d, const char *url, char *err,
	    size_t errlen);
/* RFC 6587 octet counting: "LEN SP MSG" into *buf (grown as needed).
 * Its length, 0 if out of memory. */
size_t	syslog_frame(char **buf, size_t *cap, const void *msg, size_t n);
/* This host's name for the HOSTNAME field: "" (sent as "-") if it has a
 * character RFC 5424 does not allow there. */
void	syslog_hostname(char *buf, size_t len);

#endif
