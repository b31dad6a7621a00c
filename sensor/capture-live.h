/*
 * capture-live.h - live sources: one or more interfaces captured with
 * libpcap, non-blocking, all driven by the caller's libevent event_base.
 *
 * Packets reach the engine within LIVE_TIMEOUT_MS of their arrival.
 * In live mode time is the wall clock: a one-second timer expires idle
 * flows even when no packet arrives, and pcap_stats is polled so kernel
 * and interface drops are counted per interface and a warning is logged
 * when they rise.  An interface whose link goes down, loses its carrier
 * or disappears is reported unhealthy; capture resumes when the link is
 * back, and a link removed and re-created is reopened every few seconds
 * while the process still has the privilege to.
 */
#ifndef BW_CAPTURE_LIVE_H
#define BW_CAPTURE_LIVE_H

#include <stddef.h>
#include <stdint.h>

struct engine;
struct event_base;
struct live;

#define LIVE_BUFSIZE_MB_DEFAULT	16	/* kernel ring per interface */
#define LIVE_SNAPLEN		65535	/* whole frames: the app stage wants payload */
#define LIVE_STATS_SEC		10	/* pcap_stats poll (and drop warning) period */
#define LIVE_RETRY_SEC		5	/* reopen a failed interface this often */
#define LIVE_TIMEOUT_MS		10	/* the longest a packet waits in the ring */

/*
 * Open every interface (promiscuous, bufsize_mb of ring, bpf if not
 * NULL) and register it on base.  All or nothing: on any error
 * nothing stays open and err holds one line naming the interface, e.g.
 * "eth9: no such interface" or "eth0: -f 'tcp port': syntax error".
 * bufsize_mb 0 means LIVE_BUFSIZE_MB_DEFAULT.
 */
struct live	*live_open(struct engine *e, struct event_base *base,
		    char **ifaces, int n, const char *bpf, int bufsize_mb,
		    char *err, size_t errlen);
/* Stop capturing and free; pcap_stats are taken one last time first. */
void		 live_close(struct live *l);

/*
 * Called from the one-second timer after flow expiry, with the wall
 * clock: the place for the caller's periodic work (stats records,
 * health).  NULL to remove.
 */
void		 live_set_tick(struct live *l,
		    void (*tick)(void *arg, int64_t now_ns), void *arg);

struct live_if_stats {
	const char	*name;
	int		 dlt;
	int		 up;		/* capturing now */
	uint64_t	 recv;		/* packets the filter accepted */
	uint64_t	 drop;		/* dropped by the kernel (ring full) */
	uint64_t	 ifdrop;	/* dropped by the interface/driver */
	uint64_t	 pkts;		/* handed to the engine */
	uint64_t	 failures;	/* times the capture failed */
};

/* Number of interfaces. */
int		 live_count(const struct live *l);
/*
 * Counters of interface i (0 .. live_count-1), polled from pcap_stats
 * now.  Totals are kept across reopens of a failed interface.
 */
void		 live_stats(struct live *l, int i, struct live_if_stats *s);
/*
 * 1 when every interface is capturing; otherwise 0 and why in reason
 * ("eth0: The interface went down").
 */
int		 live_health(const struct live *l, char *reason, size_t len);

#endif
