/*
 * capture-file.c - read capture files with libpcap in a tight loop.
 *
 * Files are opened with nanosecond precision so both pcap flavours and
 * pcapng keep their full timestamps.  libpcap's own error strings are
 * passed on, prefixed with the file name and the packet number, so a user
 * knows exactly where a damaged file went wrong.
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <pcap/pcap.h>

#include "capture-file.h"
#include "engine.h"
#include "decode.h"

struct replay {
	struct engine	*e;
	int		 dlt;
};

static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct replay *r = (struct replay *)arg;
	int64_t ts = (int64_t)h->ts.tv_sec * 1000000000LL + h->ts.tv_usec;

	engine_packet(r->e, r->dlt, ts, bytes, h->caplen, h->len);
}

static int
replay_one(struct engine *e, const char *path)
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
		fprintf(e->errf, "bmcwatch: %s: capture damaged after packet %llu, "
		    "stopped reading this file: %s\n", name,
		    (unsigned long long)e->c.pkts, pcap_geterr(pc));
		e->c.files_truncated++;
	}
	pcap_close(pc);
	return 0;
}

int
capture_files(struct engine *e, char **files, int nfiles)
{
	int rc = 0;

	for (int i = 0; i < nfiles; i++)
		if (replay_one(e, files[i]) != 0)
			rc = 1;
	return rc;
}
