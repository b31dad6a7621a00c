/*
 * capture-file.c - read capture files with libpcap in a tight loop.
 *
 * Files are opened with nanosecond precision so both pcap flavours and
 * pcapng keep their full timestamps.  libpcap's own error strings are
 * passed on, prefixed with the file name and the packet number, so a user
 * knows exactly where a damaged file went wrong.
 *
 * A replay of days of traffic takes minutes, so on a terminal a progress
 * line (packets, rate, how far into the file) is redrawn about once a
 * second on stderr and erased at the end.  The wall clock is read only
 * every PROGRESS_EVERY packets, so the loop stays as tight as before; with
 * no progress line (stderr not a terminal, --no-progress) nothing at all
 * is printed, and the output never depends on it.
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <sys/stat.h>
#include <pcap/pcap.h>

#include "capture-file.h"
#include "engine.h"
#include "decode.h"

#define PROGRESS_EVERY	64		/* packets between clock reads */
#define PROGRESS_NS	1000000000LL	/* redraw interval */

struct progress {
	const char	*label;		/* NULL: no progress line */
	int64_t		 t0, last;	/* wall clock, ns */
	uint64_t	 pkts, left;
	int		 shown;
};

struct replay {
	struct engine	*e;
	int		 dlt;
	pcap_t		*pc;
	const char	*name;
	long long	 size;		/* bytes, 0 when unknown (a pipe) */
	struct progress	*pr;
};

static int64_t
wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
progress_clear(struct progress *pr)
{
	if (pr->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		pr->shown = 0;
	}
}

static void
progress_tick(struct replay *r)
{
	struct progress *pr = r->pr;
	int64_t now = wall_ns();
	double rate;
	char pct[64] = "";

	pr->left = PROGRESS_EVERY;
	if (now - pr->last < PROGRESS_NS)
		return;
	pr->last = now;
	rate = (double)pr->pkts * 1e9 / (double)(now - pr->t0 + 1);
	if (r->size > 0) {
		FILE *fp = pcap_file(r->pc);
		long long pos = fp != NULL ? (long long)ftello(fp) : -1;

		if (pos >= 0)
			snprintf(pct, sizeof(pct), ", %lld %% of the file",
			    pos * 100 / r->size);
	}
	fprintf(stderr, "\rbmcwatch: %s%s: %llu packets, %.0f k packets/s%s"
	    "\033[K", pr->label, r->name, (unsigned long long)pr->pkts,
	    rate / 1000, pct);
	fflush(stderr);
	pr->shown = 1;
}

static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct replay *r = (struct replay *)arg;
	int64_t ts = (int64_t)h->ts.tv_sec * 1000000000LL + h->ts.tv_usec;

	engine_packet(r->e, r->dlt, ts, bytes, h->caplen, h->len);
	if (r->pr != NULL) {
		r->pr->pkts++;
		if (--r->pr->left == 0)
			progress_tick(r);
	}
}

static int
replay_one(struct engine *e, const char *path, struct progress *pr)
{
	char err[PCAP_ERRBUF_SIZE];
	const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
	struct replay r;
	struct stat sb;
	pcap_t *pc;
	int rc;

	if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
	    S_ISREG(sb.st_mode) && sb.st_size == 0) {
		fprintf(e->errf, "bmcwatch: %s: empty file, no packets\n", name);
		e->c.files++;
		return 0;
	}
	err[0] = '\0';
	pc = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, err);
	if (pc == NULL) {
		fprintf(e->errf, "bmcwatch: %s: cannot read capture: %s\n",
		    name, err[0] ? err : strerror(errno));
		e->c.files_failed++;
		return 1;
	}
	r.e = e;
	r.dlt = pcap_datalink(pc);
	r.pc = pc;
	r.name = name;
	r.size = strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
	    S_ISREG(sb.st_mode) ? (long long)sb.st_size : 0;
	r.pr = pr;
	if (!decode_dlt_supported(r.dlt)) {
		const char *dn = pcap_datalink_val_to_name(r.dlt);
		fprintf(e->errf, "bmcwatch: %s: unsupported link type %d (%s)\n",
		    name, r.dlt, dn ? dn : "unknown");
		pcap_close(pc);
		e->c.files_failed++;
		return 1;
	}
	e->c.files++;
	/*
	 * pcap_dispatch with -1 hands us every packet of the file in one call
	 * without a per-packet return to this loop; it comes back -1 on a read
	 * error (truncated file), 0 at the end.
	 */
	do {
		rc = pcap_dispatch(pc, -1, on_packet, (u_char *)&r);
	} while (rc > 0);
	if (rc == -1) {
		if (pr != NULL)
			progress_clear(pr);
		fprintf(e->errf, "bmcwatch: %s: capture damaged after packet %llu, "
		    "stopped reading this file: %s\n", name,
		    (unsigned long long)e->c.pkts, pcap_geterr(pc));
		e->c.files_truncated++;
	}
	pcap_close(pc);
	return 0;
}

int
capture_files(struct engine *e, char **files, int nfiles,
    const char *progress)
{
	struct progress pr;
	int rc = 0;

	memset(&pr, 0, sizeof(pr));
	pr.label = progress;
	pr.t0 = pr.last = progress != NULL ? wall_ns() : 0;
	pr.left = PROGRESS_EVERY;
	for (int i = 0; i < nfiles; i++)
		if (replay_one(e, files[i], progress != NULL ? &pr : NULL) != 0)
			rc = 1;
	progress_clear(&pr);
	return rc;
}
