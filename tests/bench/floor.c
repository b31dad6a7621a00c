/*
 * floor.c - the bare reference reader of the benchmark: open a capture
 * with libpcap and count its packets and bytes in pcap_dispatch, nothing
 * else.  No libpcap-based reader can replay a file faster, so bmcwatch's
 * time divided by this one's is the cost of everything the sensor does
 * beyond reading.
 *
 * It opens the file the way bmcwatch does (nanosecond precision, so
 * libpcap does the same timestamp work) and reads it the same way
 * (pcap_dispatch with -1 until it returns 0), and it prints the counts so
 * the compiler cannot drop the callback.
 *
 *   floor FILE
 */
#define _DEFAULT_SOURCE		/* u_char & co. for pcap.h under -std=c11 */

#include <stdint.h>
#include <stdio.h>
#include <pcap/pcap.h>

struct count {
	uint64_t	 pkts, bytes;
};

static void
on_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct count *c = (struct count *)arg;

	(void)bytes;
	c->pkts++;
	c->bytes += h->caplen;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct count c = { 0, 0 };
	pcap_t *pc;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: floor FILE\n");
		return 2;
	}
	pc = pcap_open_offline_with_tstamp_precision(argv[1],
	    PCAP_TSTAMP_PRECISION_NANO, err);
	if (pc == NULL) {
		fprintf(stderr, "floor: %s: %s\n", argv[1], err);
		return 1;
	}
	do {
		rc = pcap_dispatch(pc, -1, on_packet, (u_char *)&c);
	} while (rc > 0);
	if (rc == -1)
		fprintf(stderr, "floor: %s: %s\n", argv[1], pcap_geterr(pc));
	pcap_close(pc);
	printf("%llu packets %llu bytes\n", (unsigned long long)c.pkts,
	    (unsigned long long)c.bytes);
	return rc == -1;
}
