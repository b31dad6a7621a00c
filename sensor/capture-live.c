/*
 * capture-live.c - interfaces captured with libpcap on one event_base.
 *
 * Each interface is a non-blocking pcap handle whose selectable fd is a
 * persistent EV_READ event, so several segments share one thread without
 * locking.  Not immediate mode: on Linux it means TPACKET_V2, one
 * fixed-size ring slot per packet, and on a link with offloads (veth,
 * most NICs) libpcap must size the slots for 64 KB frames: 16 MB then
 * holds about 250 packets and drops began at 100k pps in
 * tests/bench/live-load.sh.  TPACKET_V3 packs packets into blocks that
 * the kernel hands over when full or after LIVE_TIMEOUT_MS, so an alert
 * waits at most that long and the same ring holds a whole burst (no
 * drop up to the 175k pps tcpreplay could send, like tcpdump).
 *
 * A read callback takes at most LIVE_BATCH packets, so a flooded segment
 * cannot starve the others or the timer; when it stopped at the limit it
 * makes itself active again, because packets already handed over in a
 * block do not make the fd readable a second time.
 *
 * When a link goes down the kernel reports ENETDOWN once on the packet
 * socket and libpcap may return an error, but the socket resumes when
 * the link comes back up (same ifindex).  So a failed interface keeps its
 * handle; the timer checks the link state (down, no carrier, removed),
 * notices when it is back, and tries a fresh handle every LIVE_RETRY_SEC
 * for a link that was removed and re-created (which only works while the
 * process may still open captures).
 *
 * pcap_stats counters are 32-bit and wrap; they are polled every
 * LIVE_STATS_SEC and summed as 64-bit deltas.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <pcap/pcap.h>
#include <event2/event.h>

#include "capture-live.h"
#include "engine.h"
#include "decode.h"

#define LIVE_BATCH	4096

struct live_if {
	struct live	*l;
	char		*name;
	pcap_t		*pc;
	struct event	*ev;
	unsigned int	 ifindex;	/* the link the handle is bound to */
	int		 dlt;
	int		 nano;		/* timestamps in ns, else us */
	int		 up;
	/* pcap_stats: last raw 32-bit values and the 64-bit sums */
	unsigned int	 raw_recv, raw_drop, raw_ifdrop;
	uint64_t	 recv, drop, ifdrop;
	uint64_t	 drop_warned;	/* drop + ifdrop at the last warning check */
	uint64_t	 pkts, failures;
	int64_t		 next_retry_ns;
	char		 reason[PCAP_ERRBUF_SIZE + 64];
};

struct live {
	struct engine	*e;
	struct event_base *base;
	struct event	*timer;
	char		*bpf;
	int		 bufsize_mb;
	int		 n;
	unsigned int	 ticks;
	struct live_if	*ifs;
	void		(*tick)(void *, int64_t);
	void		*tick_arg;
};

static int64_t
wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct live_if *li = (struct live_if *)arg;
	int64_t ts = (int64_t)h->ts.tv_sec * 1000000000LL +
	    (li->nano ? h->ts.tv_usec : (int64_t)h->ts.tv_usec * 1000);

	li->pkts++;
	engine_packet(li->l->e, li->dlt, ts, bytes, h->caplen, h->len);
}

/* Fold the handle's counters into the 64-bit sums (32-bit wrap safe). */
static void
poll_stats(struct live_if *li)
{
	struct pcap_stat ps;

	if (li->pc == NULL || pcap_stats(li->pc, &ps) != 0)
		return;
	li->recv += (unsigned int)(ps.ps_recv - li->raw_recv);
	li->drop += (unsigned int)(ps.ps_drop - li->raw_drop);
	li->ifdrop += (unsigned int)(ps.ps_ifdrop - li->raw_ifdrop);
	li->raw_recv = ps.ps_recv;
	li->raw_drop = ps.ps_drop;
	li->raw_ifdrop = ps.ps_ifdrop;
}

static void	on_readable(evutil_socket_t fd, short what, void *arg);

static void
close_handle(struct live_if *li)
{
	poll_stats(li);
	if (li->ev != NULL)
		event_free(li->ev);
	li->ev = NULL;
	if (li->pc != NULL)
		pcap_close(li->pc);
	li->pc = NULL;
}

/* Why pcap_activate failed, in words a user can act on. */
static const char *
activate_error(int rc)
{
	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return "no such interface";
	case PCAP_ERROR_PERM_DENIED:
		return "permission denied (capture needs root or CAP_NET_RAW)";
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return "no permission for promiscuous mode";
	case PCAP_ERROR_IFACE_NOT_UP:
		return "interface is down";
	default:
		return pcap_statustostr(rc);
	}
}

/*
 * A new handle for li on l->base; 0 or -1 with one line in err.  The old
 * handle, if any, is replaced only on success.
 */
static int
open_handle(struct live_if *li, char *err, size_t errlen)
{
	struct live *l = li->l;
	char ebuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct event *ev;
	pcap_t *pc;
	int rc, fd, nano;

	ebuf[0] = '\0';
	if ((pc = pcap_create(li->name, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", li->name, ebuf);
		return -1;
	}
	pcap_set_snaplen(pc, LIVE_SNAPLEN);
	pcap_set_promisc(pc, 1);
	pcap_set_timeout(pc, LIVE_TIMEOUT_MS);
	pcap_set_buffer_size(pc, l->bufsize_mb * 1024 * 1024);
	nano = pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO) == 0;
	rc = pcap_activate(pc);
	if (rc < 0) {
		const char *detail = pcap_geterr(pc);

		/* PCAP_ERROR has only libpcap's text; these codes say it all */
		if (rc == PCAP_ERROR_NO_SUCH_DEVICE ||
		    rc == PCAP_ERROR_PERM_DENIED || rc == PCAP_ERROR_IFACE_NOT_UP)
			snprintf(err, errlen, "%s: cannot capture: %s",
			    li->name, activate_error(rc));
		else if (rc == PCAP_ERROR && detail[0] != '\0')
			snprintf(err, errlen, "%s: cannot capture: %s",
			    li->name, detail);
		else if (detail[0] != '\0')
			snprintf(err, errlen, "%s: cannot capture: %s (%s)",
			    li->name, activate_error(rc), detail);
		else
			snprintf(err, errlen, "%s: cannot capture: %s",
			    li->name, activate_error(rc));
		pcap_close(pc);
		return -1;
	}
	if (rc > 0)
		fprintf(l->e->errf, "bmcwatch: warning: %s: %s: %s\n", li->name,
		    pcap_statustostr(rc), pcap_geterr(pc));
	li->dlt = pcap_datalink(pc);
	if (!decode_dlt_supported(li->dlt)) {
		const char *dn = pcap_datalink_val_to_name(li->dlt);

		snprintf(err, errlen, "%s: unsupported link type %d (%s)",
		    li->name, li->dlt, dn ? dn : "unknown");
		pcap_close(pc);
		return -1;
	}
	if (l->bpf != NULL) {
		if (pcap_compile(pc, &prog, l->bpf, 1,
		    PCAP_NETMASK_UNKNOWN) != 0) {
			snprintf(err, errlen, "%s: -f '%s': %s", li->name,
			    l->bpf, pcap_geterr(pc));
			pcap_close(pc);
			return -1;
		}
		rc = pcap_setfilter(pc, &prog);
		pcap_freecode(&prog);
		if (rc != 0) {
			snprintf(err, errlen, "%s: -f '%s': %s", li->name,
			    l->bpf, pcap_geterr(pc));
			pcap_close(pc);
			return -1;
		}
	}
	if (pcap_setnonblock(pc, 1, ebuf) != 0 ||
	    (fd = pcap_get_selectable_fd(pc)) < 0) {
		snprintf(err, errlen, "%s: cannot poll the capture: %s",
		    li->name, ebuf[0] ? ebuf : "no selectable fd");
		pcap_close(pc);
		return -1;
	}
	ev = event_new(l->base, fd, EV_READ | EV_PERSIST, on_readable, li);
	if (ev == NULL || event_add(ev, NULL) != 0) {
		snprintf(err, errlen, "%s: cannot register the capture", li->name);
		if (ev != NULL)
			event_free(ev);
		pcap_close(pc);
		return -1;
	}
	close_handle(li);
	li->pc = pc;
	li->ev = ev;
	li->nano = nano;
	li->ifindex = if_nametoindex(li->name);
	li->raw_recv = li->raw_drop = li->raw_ifdrop = 0;
	li->up = 1;
	li->reason[0] = '\0';
	return 0;
}

/* The capture failed: keep the handle (the socket resumes on link up). */
static void
capture_failed(struct live_if *li, const char *why)
{
	li->failures++;
	li->up = 0;
	li->next_retry_ns = wall_ns() + LIVE_RETRY_SEC * 1000000000LL;
	snprintf(li->reason, sizeof(li->reason), "%s: %s", li->name, why);
	fprintf(li->l->e->errf, "bmcwatch: %s: capture stopped: %s\n",
	    li->name, why);
}

static void
on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct live_if *li = arg;
	int rc;

	(void)fd;
	(void)what;
	rc = pcap_dispatch(li->pc, LIVE_BATCH, on_packet, (u_char *)li);
	if (rc == PCAP_ERROR) {
		/* not read again until the link is back: an error that
		 * stays would otherwise make the fd ready forever */
		event_del(li->ev);
		if (li->up)
			capture_failed(li, pcap_geterr(li->pc));
		return;
	}
	if (rc >= LIVE_BATCH)
		event_active(li->ev, EV_READ, 0);
}

/*
 * NULL when the link the handle is bound to exists, is up and has a
 * carrier; else what is wrong.  libpcap reports a removed link itself,
 * but not always a link taken down or a cable pulled from a SPAN port.
 */
static const char *
link_problem(const struct live_if *li)
{
	struct ifreq ifr;
	const char *why = "cannot read the link state";
	int s;

	if (li->ifindex == 0 || if_nametoindex(li->name) != li->ifindex)
		return "the interface disappeared";
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return why;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", li->name);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		if (!(ifr.ifr_flags & IFF_UP))
			why = "link is down";
		else if (!(ifr.ifr_flags & IFF_RUNNING))
			why = "no carrier";
		else
			why = NULL;
	}
	close(s);
	return why;
}

static void
retry(struct live_if *li, int64_t now)
{
	char err[sizeof(li->reason)];

	if (link_problem(li) == NULL) {
		event_add(li->ev, NULL);	/* no-op if still registered */
		li->up = 1;
		li->reason[0] = '\0';
		fprintf(li->l->e->errf, "bmcwatch: %s: link is up, capturing "
		    "again\n", li->name);
		return;
	}
	if (now < li->next_retry_ns)
		return;
	li->next_retry_ns = now + LIVE_RETRY_SEC * 1000000000LL;
	if (open_handle(li, err, sizeof(err)) == 0) {
		fprintf(li->l->e->errf, "bmcwatch: %s: reopened, capturing "
		    "again\n", li->name);
		return;
	}
	/* say it once per new reason, not every LIVE_RETRY_SEC */
	if (strcmp(err, li->reason) != 0) {
		fprintf(li->l->e->errf, "bmcwatch: %s (retrying every %d s)\n",
		    err, LIVE_RETRY_SEC);
		snprintf(li->reason, sizeof(li->reason), "%s", err);
	}
}

/* Warn when drops rose since the last check: the sensor is missing traffic. */
static void
check_drops(struct live *l, struct live_if *li)
{
	uint64_t lost;

	poll_stats(li);
	lost = li->drop + li->ifdrop;
	if (lost > li->drop_warned)
		fprintf(l->e->errf, "bmcwatch: warning: %s: %llu packets dropped "
		    "in the last %d s (kernel %llu, interface %llu in total); "
		    "raise -B or narrow -f\n", li->name,
		    (unsigned long long)(lost - li->drop_warned), LIVE_STATS_SEC,
		    (unsigned long long)li->drop, (unsigned long long)li->ifdrop);
	li->drop_warned = lost;
}

/*
 * Once a second, by the wall clock: flows idle past their timeout end
 * even on a silent segment.
 */
static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct live *l = arg;
	int64_t now = wall_ns();

	(void)fd;
	(void)what;
	if (l->e->ft != NULL)
		flow_table_expire(l->e->ft, now);
	l->ticks++;
	for (int i = 0; i < l->n; i++) {
		const char *why;

		if (!l->ifs[i].up)
			retry(&l->ifs[i], now);
		else if ((why = link_problem(&l->ifs[i])) != NULL)
			capture_failed(&l->ifs[i], why);
		if (l->ticks % LIVE_STATS_SEC == 0 && l->ifs[i].pc != NULL)
			check_drops(l, &l->ifs[i]);
	}
	if (l->tick != NULL)
		l->tick(l->tick_arg, now);
}

struct live *
live_open(struct engine *e, struct event_base *base, char **ifaces, int n,
    const char *bpf, int bufsize_mb, char *err, size_t errlen)
{
	struct timeval one = { 1, 0 };
	struct live *l;

	if (n < 1) {
		snprintf(err, errlen, "no interface to capture on");
		return NULL;
	}
	if (bufsize_mb < 0 || bufsize_mb > 4096) {
		snprintf(err, errlen, "buffer size %d MB: give 1 to 4096",
		    bufsize_mb);
		return NULL;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->ifs = calloc((size_t)n, sizeof(*l->ifs))) == NULL)
		goto oom;
	l->e = e;
	l->base = base;
	l->n = n;
	l->bufsize_mb = bufsize_mb ? bufsize_mb : LIVE_BUFSIZE_MB_DEFAULT;
	if (bpf != NULL && (l->bpf = strdup(bpf)) == NULL)
		goto oom;
	for (int i = 0; i < n; i++) {
		struct live_if *li = &l->ifs[i];

		li->l = l;
		for (int k = 0; k < i; k++)
			if (strcmp(ifaces[k], ifaces[i]) == 0) {
				snprintf(err, errlen, "%s: given twice",
				    ifaces[i]);
				live_close(l);
				return NULL;
			}
		if ((li->name = strdup(ifaces[i])) == NULL)
			goto oom;
		if (open_handle(li, err, errlen) != 0) {
			live_close(l);
			return NULL;
		}
	}
	if ((l->timer = event_new(base, -1, EV_PERSIST, on_timer, l)) == NULL ||
	    event_add(l->timer, &one) != 0) {
		snprintf(err, errlen, "cannot start the flow timer");
		live_close(l);
		return NULL;
	}
	return l;
oom:
	snprintf(err, errlen, "out of memory");
	live_close(l);
	return NULL;
}

void
live_close(struct live *l)
{
	if (l == NULL)
		return;
	if (l->timer != NULL)
		event_free(l->timer);
	for (int i = 0; l->ifs != NULL && i < l->n; i++) {
		close_handle(&l->ifs[i]);
		free(l->ifs[i].name);
	}
	free(l->ifs);
	free(l->bpf);
	free(l);
}

void
live_set_tick(struct live *l, void (*tick)(void *, int64_t), void *arg)
{
	l->tick = tick;
	l->tick_arg = arg;
}

int
live_count(const struct live *l)
{
	return l->n;
}

void
live_stats(struct live *l, int i, struct live_if_stats *s)
{
	struct live_if *li = &l->ifs[i];

	poll_stats(li);
	memset(s, 0, sizeof(*s));
	s->name = li->name;
	s->dlt = li->dlt;
	s->up = li->up;
	s->recv = li->recv;
	s->drop = li->drop;
	s->ifdrop = li->ifdrop;
	s->pkts = li->pkts;
	s->failures = li->failures;
}

int
live_health(const struct live *l, char *reason, size_t len)
{
	for (int i = 0; i < l->n; i++)
		if (!l->ifs[i].up) {
			snprintf(reason, len, "%s", l->ifs[i].reason);
			return 0;
		}
	if (len > 0)
		reason[0] = '\0';
	return 1;
}
