/*
 * test-decode-pcaps.c - decode_packet() on real captures from other
 * projects' test suites (../shared/pcaps/external), checked field by field
 * against what tshark 4.0 dissects from the same files.
 *
 * The captures are not part of the project: the directory is found through
 * $BW_SHARED (default $srcdir/../shared) and the test exits 77 (skip) when
 * it is missing.  Each packet is copied into a malloc'ed buffer of exactly
 * caplen bytes before decoding, so an ASan build turns any read beyond the
 * capture into a failure.  After the hand-checked files, every readable
 * capture in the directory is decoded once more as a smoke test
 * (BW_DECODE_VERBOSE=1 lists every packet that did not decode to DR_OK).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* u_int and friends in pcap.h under -std=c */
#endif

#include <sys/stat.h>

#include <dirent.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sensor/decode.h"
#include "check.h"

struct rec {
	enum bw_decode_reason	 r;
	struct packet		 p;
	uint8_t			*buf;
};

struct capfile {
	const char	*name;
	int		 dlt;
	size_t		 n;
	struct rec	*v;
};

static char dir[4096];

/* Invariants that hold for any decoded packet. */
static void
check_invariants(const char *name, size_t i, const struct rec *x)
{
	const struct packet *p = &x->p;
	int ok = 1;

	if ((unsigned)x->r >= DR_MAX || x->r == DR_FRAG_LATER ||
	    x->r == DR_UNKNOWN_L4)
		ok = 0;
	if (x->r == DR_OK) {
		if (p->ipver != 4 && p->ipver != 6)
			ok = 0;
		if (p->l3 < x->buf || p->l3 >= x->buf + p->caplen)
			ok = 0;
		if (p->payload_len > 0 && (p->payload < x->buf ||
		    p->payload + p->payload_len > x->buf + p->caplen ||
		    p->payload + p->payload_len > p->l3 + p->ip_len))
			ok = 0;
		if (p->payload_len > p->payload_wire)
			ok = 0;
		if (p->frag == PKT_FRAG_LATER && (p->sport || p->dport))
			ok = 0;
	}
	if (p->vlan_n > 2)
		ok = 0;
	check_count++;
	if (!ok) {
		check_failures++;
		fprintf(stderr, "%s: packet %zu (%s): invariant broken\n",
		    name, i + 1, decode_reason_name(x->r));
	}
}

static void
free_file(struct capfile *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].buf);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

/*
 * Read and decode every packet of dir/name.  Returns -1 when libpcap cannot
 * open the file (or stops on an error mid-file and partial is not allowed).
 */
static int
load(const char *name, struct capfile *f, int quiet)
{
	char path[8192], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t cap = 0;
	pcap_t *pc;
	int rc;

	memset(f, 0, sizeof(*f));
	f->name = name;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	pc = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, err);
	if (pc == NULL) {
		if (!quiet)
			fprintf(stderr, "%s: %s\n", path, err);
		return -1;
	}
	f->dlt = pcap_datalink(pc);
	while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
		struct rec *x;

		if (f->n == cap) {
			cap = cap ? cap * 2 : 16;
			f->v = realloc(f->v, cap * sizeof(*f->v));
			if (f->v == NULL) {
				perror("realloc");
				exit(1);
			}
		}
		x = &f->v[f->n++];
		memset(x, 0, sizeof(*x));
		x->buf = malloc(h->caplen ? h->caplen : 1);
		if (x->buf == NULL) {
			perror("malloc");
			exit(1);
		}
		memcpy(x->buf, data, h->caplen);
		x->p.num = f->n;
		x->p.ts_ns = (int64_t)h->ts.tv_sec * 1000000000 +
		    h->ts.tv_usec;
		x->p.wirelen = h->len;
		if (decode_dlt_supported(f->dlt)) {
			x->r = decode_packet(&x->p, f->dlt, x->buf, h->caplen);
			check_invariants(name, f->n - 1, x);
		} else
			x->r = DR_MAX;
	}
	if (rc == -1 && !quiet)
		fprintf(stderr, "%s: %s\n", path, pcap_geterr(pc));
	pcap_close(pc);
	return 0;
}

static int
open_file(const char *name, struct capfile *f, size_t npkts, int dlt)
{
	if (load(name, f, 0) != 0) {
		check_count++;
		check_failures++;
		fprintf(stderr, "%s: cannot read\n", name);
		return -1;
	}
	CHECK_INT(f->dlt, dlt);
	CHECK_INT(f->n, npkts);
	if (f->dlt != dlt || f->n != npkts) {
		fprintf(stderr, "%s: unexpected link type or count\n", name);
		free_file(f);
		return -1;
	}
	return 0;
}

/* 1-based, like tshark's frame.number. */
static const struct packet *
pk(const struct capfile *f, size_t num)
{
	return &f->v[num - 1].p;
}

static enum bw_decode_reason
rs(const struct capfile *f, size_t num)
{
	return f->v[num - 1].r;
}

static const char *
astr(const struct bw_addr *a)
{
	static char buf[4][64];
	static int i;

	i = (i + 1) % 4;
	return bw_addr_str(a, buf[i], sizeof(buf[i]));
}

static const char *
macstr(const uint8_t *m)
{
	static char buf[4][24];
	static int i;

	if (m == NULL)
		return "(none)";
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%02x:%02x:%02x:%02x:%02x:%02x",
	    m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf[i];
}

#define CHECK_R(f, num, want) do {					\
	enum bw_decode_reason _r = rs((f), (num));			\
	check_count++;							\
	if (_r != (want)) {						\
		check_failures++;					\
		fprintf(stderr, "%s:%d: %s packet %d: %s, expected %s\n",\
		    __FILE__, __LINE__, (f)->name, (int)(num),		\
		    decode_reason_name(_r), decode_reason_name(want));	\
	}								\
} while (0)

/* DLT numbers as pcap_datalink() reports them on this platform. */
#define DLT_NULL_	0
#define DLT_EN10MB_	1
#define DLT_SLL_	113
#define DLT_IPV4_	228
#define DLT_IPV6_	229
#define DLT_SLL2_	276

/* ------------------------------------------------------------------ */

static void
t_qinq(void)
{
	struct capfile f;

	/* tshark: ieee8021ad.id 200, vlan.id 2001, ARP. */
	if (open_file("tcpdump-802.1ad_QinQ.pcap", &f, 2, DLT_EN10MB_))
		return;
	for (size_t i = 1; i <= 2; i++) {
		CHECK_R(&f, i, DR_NOT_IP);
		CHECK_INT(pk(&f, i)->vlan_n, 2);
		CHECK_INT(pk(&f, i)->vlan[0], 200);
		CHECK_INT(pk(&f, i)->vlan[1], 2001);
	}
	CHECK_STR(macstr(pk(&f, 1)->mac_src), "00:20:d2:5a:fb:3f");
	CHECK_STR(macstr(pk(&f, 1)->mac_dst), "ff:ff:ff:ff:ff:ff");
	CHECK_STR(macstr(pk(&f, 2)->mac_src), "00:80:ea:81:88:63");
	free_file(&f);

	/* Per-direction S/C tags 1525/30 and 1535/40, ICMP echo. */
	if (open_file("arkime-dot1ad.pcap", &f, 2, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_R(&f, 2, DR_OK);
	CHECK_INT(pk(&f, 1)->vlan_n, 2);
	CHECK_INT(pk(&f, 1)->vlan[0], 1525);
	CHECK_INT(pk(&f, 1)->vlan[1], 30);
	CHECK_INT(pk(&f, 2)->vlan[0], 1535);
	CHECK_INT(pk(&f, 2)->vlan[1], 40);
	CHECK_STR(astr(&pk(&f, 1)->src), "47.245.159.156");
	CHECK_STR(astr(&pk(&f, 1)->dst), "92.104.109.0");
	CHECK_INT(pk(&f, 1)->proto, 1);
	CHECK_INT(pk(&f, 1)->sport, 8);
	CHECK_INT(pk(&f, 2)->sport, 0);
	CHECK_INT(pk(&f, 1)->ttl, 64);
	free_file(&f);

	/* Two 0x8100 tags, 13 outer and 10 inner; the last frame is ARP. */
	if (open_file("zeek-q-in-q.pcap", &f, 5, DLT_EN10MB_))
		return;
	for (size_t i = 1; i <= 5; i++) {
		CHECK_INT(pk(&f, i)->vlan_n, 2);
		CHECK_INT(pk(&f, i)->vlan[0], 13);
		CHECK_INT(pk(&f, i)->vlan[1], 10);
		CHECK_R(&f, i, i == 5 ? DR_NOT_IP : DR_OK);
	}
	free_file(&f);

	/* 0x8100 + 0x8100, 201 outer and 200 inner, HTTP. */
	if (open_file("arkime-twovlan.pcap", &f, 6, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->vlan[0], 201);
	CHECK_INT(pk(&f, 1)->vlan[1], 200);
	CHECK_STR(astr(&pk(&f, 1)->src), "10.0.0.1");
	CHECK_INT(pk(&f, 1)->sport, 54422);
	CHECK_INT(pk(&f, 2)->sport, 80);
	free_file(&f);

	/* VLAN 0 priority tag (PCP 5). */
	if (open_file("zeek-http-vlan-0.pcap", &f, 14, DLT_EN10MB_))
		return;
	for (size_t i = 1; i <= 14; i++) {
		CHECK_R(&f, i, DR_OK);
		CHECK_INT(pk(&f, i)->vlan_n, 1);
		CHECK_INT(pk(&f, i)->vlan[0], 0);
	}
	free_file(&f);
}

static void
t_sll(void)
{
	struct capfile f;

	if (open_file("zeek-linux_dlt_sll2.pcap", &f, 6, DLT_SLL2_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->ipver, 4);
	CHECK_STR(astr(&pk(&f, 1)->src), "192.0.2.1");
	CHECK_STR(astr(&pk(&f, 1)->dst), "192.0.2.1");
	CHECK_INT(pk(&f, 1)->proto, 1);
	CHECK_INT(pk(&f, 1)->sport, 8);		/* echo request */
	CHECK_INT(pk(&f, 1)->ip_len, 84);
	CHECK_INT(pk(&f, 1)->payload_len, 56);
	CHECK_STR(macstr(pk(&f, 1)->mac_src), "00:00:00:00:00:00");
	CHECK(pk(&f, 1)->mac_dst == NULL);
	CHECK_R(&f, 2, DR_OK);
	CHECK_INT(pk(&f, 2)->sport, 0);		/* echo reply */
	CHECK_R(&f, 3, DR_OK);
	CHECK_INT(pk(&f, 3)->ipver, 6);
	CHECK_STR(astr(&pk(&f, 3)->src), "fe80::8c36:6ff:fe44:acaf");
	CHECK_STR(astr(&pk(&f, 3)->dst), "fe80::8c36:6ff:fe44:acaf");
	CHECK_INT(pk(&f, 3)->proto, 58);
	CHECK_INT(pk(&f, 3)->sport, 128);
	CHECK_INT(pk(&f, 3)->ip_len, 40 + 64);
	CHECK_R(&f, 4, DR_OK);
	CHECK_INT(pk(&f, 4)->sport, 129);
	CHECK_R(&f, 5, DR_NOT_IP);		/* ARP */
	CHECK_STR(macstr(pk(&f, 5)->mac_src), "8e:36:06:44:ac:af");
	CHECK_R(&f, 6, DR_NOT_IP);		/* RARP */
	free_file(&f);

	if (open_file("tcpdump-tcp-handshake-nano-sll.pcap", &f, 3, DLT_SLL_))
		return;
	for (size_t i = 1; i <= 3; i++)
		CHECK_R(&f, i, DR_OK);
	CHECK_STR(astr(&pk(&f, 1)->src), "131.155.215.69");
	CHECK_STR(astr(&pk(&f, 1)->dst), "137.116.81.94");
	CHECK_INT(pk(&f, 1)->sport, 46656);
	CHECK_INT(pk(&f, 1)->dport, 80);
	CHECK_INT(pk(&f, 1)->tcp_flags, TH_SYN);
	CHECK_INT(pk(&f, 1)->tcp_seq, 797190859);
	CHECK_INT(pk(&f, 2)->tcp_flags, TH_SYN | TH_ACK);
	CHECK_INT(pk(&f, 2)->tcp_seq, 3078856592U);
	CHECK_INT(pk(&f, 2)->tcp_ack, 797190860);
	CHECK_INT(pk(&f, 3)->tcp_flags, TH_ACK);
	CHECK_INT(pk(&f, 1)->ts_ns, 1418145369924505488LL);
	free_file(&f);

	if (open_file("zeek-linuxsll-arp.pcap", &f, 12, DLT_SLL_))
		return;
	for (size_t i = 1; i <= 12; i++)
		CHECK_R(&f, i, DR_NOT_IP);
	free_file(&f);
}

static void
t_raw(void)
{
	struct capfile f;

	/* LINKTYPE_IPV4 (228), a TCP session. */
	static const uint8_t flags[7] = { 0x02, 0x12, 0x10, 0x18, 0x10,
	    0x18, 0x10 };
	static const uint32_t plen[7] = { 0, 0, 0, 117, 0, 47, 0 };

	if (open_file("suricata-linktype-228.pcap", &f, 7, DLT_IPV4_))
		return;
	for (size_t i = 1; i <= 7; i++) {
		CHECK_R(&f, i, DR_OK);
		CHECK_INT(pk(&f, i)->ipver, 4);
		CHECK_INT(pk(&f, i)->proto, 6);
		CHECK_INT(pk(&f, i)->tcp_flags, flags[i - 1]);
		CHECK_INT(pk(&f, i)->payload_len, plen[i - 1]);
		CHECK_INT(pk(&f, i)->tcp_win, 8192);
		CHECK(pk(&f, i)->l3 == f.v[i - 1].buf);
	}
	CHECK_STR(astr(&pk(&f, 1)->src), "192.168.0.2");
	CHECK_STR(astr(&pk(&f, 1)->dst), "192.168.0.1");
	CHECK_INT(pk(&f, 1)->sport, 15057);
	CHECK_INT(pk(&f, 1)->dport, 443);
	CHECK_INT(pk(&f, 1)->tcp_seq, 10);
	CHECK_INT(pk(&f, 2)->tcp_seq, 100);
	CHECK_INT(pk(&f, 2)->tcp_ack, 11);
	CHECK_INT(pk(&f, 4)->ip_len, 157);
	CHECK_INT(pk(&f, 6)->sport, 443);
	free_file(&f);

	/* LINKTYPE_RAW (101): pcap_datalink() gives the platform's DLT_RAW. */
	if (open_file("tcpdump-LINKTYPE_RAW_ipv6.pcap", &f, 1, DLT_RAW))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->ipver, 6);
	CHECK_STR(astr(&pk(&f, 1)->src), "2001:db8::1");
	CHECK_STR(astr(&pk(&f, 1)->dst), "2620:fe::9");
	CHECK_INT(pk(&f, 1)->proto, 17);
	CHECK_INT(pk(&f, 1)->sport, 12345);
	CHECK_INT(pk(&f, 1)->dport, 53);
	CHECK_INT(pk(&f, 1)->ttl, 64);
	CHECK_INT(pk(&f, 1)->ip_len, 77);
	CHECK_INT(pk(&f, 1)->payload_len, 29);
	free_file(&f);

	if (open_file("tcpdump-LINKTYPE_RAW_ipv4.pcap", &f, 1, DLT_RAW))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->ipver, 4);
	CHECK_STR(astr(&pk(&f, 1)->src), "192.168.1.100");
	CHECK_STR(astr(&pk(&f, 1)->dst), "9.9.9.9");
	CHECK_INT(pk(&f, 1)->dport, 53);
	CHECK_INT(pk(&f, 1)->payload_len, 29);
	free_file(&f);

	if (open_file("tcpdump-LINKTYPE_IPV6.pcap", &f, 1, DLT_IPV6_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->ipver, 6);
	CHECK_INT(pk(&f, 1)->dport, 53);
	free_file(&f);

	/* The link type says one IP version and the packet is the other. */
	if (open_file("tcpdump-LINKTYPE_IPV4_invalid.pcap", &f, 1, DLT_IPV4_))
		return;
	CHECK_R(&f, 1, DR_IPV4_BAD_VER);
	free_file(&f);
	if (open_file("tcpdump-LINKTYPE_IPV6_invalid.pcap", &f, 1, DLT_IPV6_))
		return;
	CHECK_R(&f, 1, DR_IPV6_BAD_VER);
	free_file(&f);
}

static void
t_null(void)
{
	static const uint8_t flags[9] = { 0x02, 0x12, 0x10, 0x18, 0x10,
	    0x10, 0x10, 0x10, 0x18 };
	static const uint32_t plen[9] = { 0, 0, 0, 237, 0, 1346, 1346, 0,
	    118 };
	struct capfile f;

	/* AF 30 (macOS AF_INET6), little-endian. */
	if (open_file("arkime-tls-alpn-h2-null.pcap", &f, 9, DLT_NULL_))
		return;
	for (size_t i = 1; i <= 9; i++) {
		CHECK_R(&f, i, DR_OK);
		CHECK_INT(pk(&f, i)->ipver, 6);
		CHECK_INT(pk(&f, i)->proto, 6);
		CHECK_INT(pk(&f, i)->tcp_flags, flags[i - 1]);
		CHECK_INT(pk(&f, i)->payload_len, plen[i - 1]);
		CHECK(pk(&f, i)->l3 == f.v[i - 1].buf + 4);
		CHECK(pk(&f, i)->mac_src == NULL);
	}
	CHECK_STR(astr(&pk(&f, 1)->src), "2001:4998:ef83:14:8000::100d");
	CHECK_STR(astr(&pk(&f, 1)->dst), "2606:4700::6811:d209");
	CHECK_INT(pk(&f, 1)->sport, 64034);
	CHECK_INT(pk(&f, 1)->dport, 443);
	CHECK_INT(pk(&f, 1)->tcp_seq, 857026346);
	CHECK_INT(pk(&f, 1)->ip_len, 40 + 44);
	CHECK_INT(pk(&f, 2)->tcp_seq, 1623734745);
	CHECK_INT(pk(&f, 2)->tcp_ack, 857026347);
	CHECK_INT(pk(&f, 2)->ttl, 59);
	CHECK_INT(pk(&f, 3)->tcp_win, 4096);
	free_file(&f);

	/* AF 2, little-endian, NTP over UDP. */
	if (open_file("zeek-ntp-no-extensions-mac-null.pcap", &f, 1,
	    DLT_NULL_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->ipver, 4);
	CHECK_INT(pk(&f, 1)->proto, 17);
	CHECK_INT(pk(&f, 1)->dport, 123);
	free_file(&f);

	if (open_file("suricata-http-ipv6-null.pcap", &f, 14, DLT_NULL_))
		return;
	for (size_t i = 1; i <= 14; i++) {
		CHECK_R(&f, i, DR_OK);
		CHECK_INT(pk(&f, i)->ipver, 6);
	}
	free_file(&f);
}

static void
t_ipv6_ext(void)
{
	struct capfile f;

	/* Hop-by-hop, then type 0 routing header (2 addresses), then UDP. */
	if (open_file("zeek-ipv6-hbh-routing0.pcap", &f, 1, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_STR(astr(&pk(&f, 1)->src), "2001:4f8:4:7:2e0:81ff:fe52:ffff");
	CHECK_STR(astr(&pk(&f, 1)->dst), "2001:4f8:4:7:2e0:81ff:fe52:9a6b");
	CHECK_INT(pk(&f, 1)->proto, 17);
	CHECK_INT(pk(&f, 1)->sport, 53);
	CHECK_INT(pk(&f, 1)->dport, 53);
	CHECK_INT(pk(&f, 1)->ip_len, 40 + 59);
	CHECK_INT(pk(&f, 1)->payload_len, 3);
	CHECK_INT(pk(&f, 1)->payload_wire, 3);
	free_file(&f);

	/*
	 * Destination options with a Home Address option; the second frame's
	 * options header (40 bytes) is longer than the payload length (36):
	 * tshark stops there too.
	 */
	if (open_file("zeek-ipv6-mobility-dst-opts.pcap", &f, 3, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->proto, 17);
	CHECK_INT(pk(&f, 1)->sport, 30000);
	CHECK_INT(pk(&f, 1)->dport, 13000);
	CHECK_INT(pk(&f, 1)->payload_len, 4);
	CHECK_R(&f, 2, DR_IPV6_EXT_TRUNC);
	CHECK_R(&f, 3, DR_OK);
	CHECK_INT(pk(&f, 3)->sport, 30000);
	free_file(&f);

	/* Nothing after the IPv6 header but 20 bytes of padding. */
	if (open_file("tcpdump-ipv6_no_next_header.pcap", &f, 1, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->proto, 59);
	CHECK_INT(pk(&f, 1)->ip_len, 60);
	CHECK(pk(&f, 1)->payload == NULL);
	CHECK_INT(pk(&f, 1)->payload_len, 0);
	CHECK_STR(astr(&pk(&f, 1)->src), "2005::1");
	free_file(&f);

	/* ICMPv6 destination unreachable (type 1, code 0). */
	if (open_file("zeek-icmp6-destunreach-ip6ext.pcap", &f, 1,
	    DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->proto, 58);
	CHECK_INT(pk(&f, 1)->sport, 1);
	CHECK_INT(pk(&f, 1)->dport, 0);
	CHECK_INT(pk(&f, 1)->ip_len, 96);
	free_file(&f);

	/*
	 * One TCP connection sent with an atomic fragment header (frames 13,
	 * 15, 16, 20, 21), hop-by-hop (23, 25, 26, 30, 31) and a routing
	 * header (33, 35, 36) in front of TCP.
	 */
	if (open_file("zeek-ipv6-http-atomic-frag.pcap", &f, 38, DLT_EN10MB_))
		return;
	for (size_t i = 1; i <= 38; i++) {
		CHECK_R(&f, i, DR_OK);
		CHECK_INT(pk(&f, i)->frag, PKT_FRAG_NONE);
	}
	CHECK_INT(pk(&f, 4)->sport, 36951);	/* destination options */
	CHECK_INT(pk(&f, 4)->tcp_flags, TH_SYN);
	CHECK_INT(pk(&f, 8)->payload_len, 15);
	CHECK_INT(pk(&f, 13)->proto, 6);
	CHECK_INT(pk(&f, 13)->sport, 59694);
	CHECK_INT(pk(&f, 13)->frag_id, 0);
	CHECK_INT(pk(&f, 16)->payload_len, 15);
	CHECK_INT(pk(&f, 23)->sport, 27393);
	CHECK_INT(pk(&f, 26)->payload_len, 15);
	CHECK_INT(pk(&f, 33)->sport, 45805);
	CHECK_INT(pk(&f, 36)->payload_len, 15);
	CHECK_INT(pk(&f, 38)->payload_len, 88);
	free_file(&f);
}

static void
t_fragments(void)
{
	struct capfile f;

	/* IPv4 id 242: first (MF), later at offset 48, first again. */
	if (open_file("zeek-ipv4-fragmented-1.pcap", &f, 3, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->frag, PKT_FRAG_FIRST);
	CHECK_INT(pk(&f, 1)->frag_id, 242);
	CHECK_INT(pk(&f, 1)->sport, 123);
	CHECK_INT(pk(&f, 1)->dport, 137);
	CHECK_INT(pk(&f, 1)->ip_len, 38);
	CHECK_INT(pk(&f, 1)->payload_len, 10);	/* 60-byte frame: padding */
	CHECK_INT(pk(&f, 1)->payload_wire, 10);
	CHECK_R(&f, 2, DR_OK);
	CHECK_INT(pk(&f, 2)->frag, PKT_FRAG_LATER);
	CHECK_INT(pk(&f, 2)->frag_id, 242);
	CHECK_INT(pk(&f, 2)->proto, 17);
	CHECK_INT(pk(&f, 2)->sport, 0);
	CHECK_INT(pk(&f, 2)->dport, 0);
	CHECK_INT(pk(&f, 2)->ip_len, 136);
	CHECK_INT(pk(&f, 2)->payload_len, 116);
	CHECK_STR(astr(&pk(&f, 2)->src), "164.1.123.163");
	CHECK_STR(astr(&pk(&f, 2)->dst), "164.1.123.61");
	CHECK_R(&f, 3, DR_OK);
	CHECK_INT(pk(&f, 3)->frag, PKT_FRAG_FIRST);
	CHECK_INT(pk(&f, 3)->payload_len, 256);
	CHECK_INT(pk(&f, 3)->payload_wire, 256);
	free_file(&f);

	/*
	 * IPv6: frame 4 is a lone later fragment (id 1, offset 2896); frames
	 * 6-8 are one datagram (id 2) whose UDP length 3238 spans all three.
	 */
	if (open_file("zeek-ipv6-fragmented-dns.pcap", &f, 8, DLT_EN10MB_))
		return;
	for (size_t i = 1; i <= 8; i++)
		CHECK_R(&f, i, DR_OK);
	CHECK_INT(pk(&f, 1)->frag, PKT_FRAG_NONE);
	CHECK_INT(pk(&f, 1)->sport, 51850);
	CHECK_INT(pk(&f, 4)->frag, PKT_FRAG_LATER);
	CHECK_INT(pk(&f, 4)->frag_id, 1);
	CHECK_INT(pk(&f, 4)->proto, 17);
	CHECK_INT(pk(&f, 4)->sport, 0);
	CHECK_INT(pk(&f, 4)->payload_len, 342);
	CHECK_INT(pk(&f, 6)->frag, PKT_FRAG_FIRST);
	CHECK_INT(pk(&f, 6)->frag_id, 2);
	CHECK_INT(pk(&f, 6)->sport, 53);
	CHECK_INT(pk(&f, 6)->dport, 51851);
	CHECK_INT(pk(&f, 6)->payload_wire, 3238 - 8);
	CHECK_INT(pk(&f, 6)->payload_len, 1440 - 8 - 8);
	CHECK_INT(pk(&f, 7)->frag, PKT_FRAG_LATER);
	CHECK_INT(pk(&f, 7)->frag_id, 2);
	CHECK_INT(pk(&f, 8)->frag, PKT_FRAG_LATER);
	CHECK_INT(pk(&f, 8)->payload_len, 374);
	free_file(&f);

	/* A SYN fragmented inside its options: 24 of 40 header bytes. */
	if (open_file("zeek-ipv4-fragmented-syn.pcap", &f, 2, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->frag, PKT_FRAG_FIRST);
	CHECK_INT(pk(&f, 1)->frag_id, 1);
	CHECK_STR(astr(&pk(&f, 1)->src), "192.168.1.100");
	CHECK_INT(pk(&f, 1)->sport, 12345);
	CHECK_INT(pk(&f, 1)->dport, 80);
	CHECK_INT(pk(&f, 1)->tcp_flags, TH_SYN);
	CHECK_INT(pk(&f, 1)->tcp_seq, 1000);
	CHECK_INT(pk(&f, 1)->payload_len, 0);
	CHECK_R(&f, 2, DR_OK);
	CHECK_INT(pk(&f, 2)->frag, PKT_FRAG_LATER);
	CHECK_INT(pk(&f, 2)->frag_id, 1);
	CHECK_INT(pk(&f, 2)->payload_len, 16);
	free_file(&f);

	/* Tiny fragments: the first holds 8 bytes of TCP (RFC 1858). */
	if (open_file("suricata-defrag-ipv4-tcp-syn.pcap", &f, 3, DLT_IPV4_))
		return;
	CHECK_R(&f, 1, DR_TCP_TRUNC);
	CHECK_R(&f, 2, DR_OK);
	CHECK_INT(pk(&f, 2)->frag, PKT_FRAG_LATER);
	CHECK_INT(pk(&f, 2)->proto, 6);
	CHECK_R(&f, 3, DR_OK);
	CHECK_INT(pk(&f, 3)->frag, PKT_FRAG_LATER);
	free_file(&f);

	/* Fragment header behind a payload length of 0. */
	if (open_file("tcpdump-ipv6_frag6_negative_len.pcap", &f, 1,
	    DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_IPV6_EXT_TRUNC);
	CHECK_INT(pk(&f, 1)->ip_len, 40);
	free_file(&f);
}

static void
t_malformed(void)
{
	struct capfile f;

	/* 20 bytes captured: 6 bytes of IPv4 header. */
	if (open_file("zeek-trunc-ip4-trunc.pcap", &f, 1, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_IPV4_TRUNC);
	free_file(&f);

	/* IHL 15, 20 of the 60 header bytes captured. */
	if (open_file("zeek-trunc-ipv4-internally-truncated-header.pcap", &f,
	    1, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_IPV4_TRUNC);
	free_file(&f);

	/* Snaplen 1. */
	if (open_file("zeek-trunc-trunc-hdr.pcap", &f, 1, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_LINK_TRUNC);
	free_file(&f);

	/* IP and UDP lengths both near 64 KiB, 42 bytes captured. */
	if (open_file("zeek-udp-contents-truncated-oob.pcap", &f, 1,
	    DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_INT(pk(&f, 1)->ip_len, 65535);
	CHECK_INT(pk(&f, 1)->sport, 40000);
	CHECK_INT(pk(&f, 1)->dport, 55555);
	CHECK_INT(pk(&f, 1)->payload_len, 0);
	CHECK_INT(pk(&f, 1)->payload_wire, 65507);	/* UDP length 65515 */
	free_file(&f);

	/* Snaplen 68: the first SYN's 40-byte TCP header is cut. */
	if (open_file("zeek-tcp-truncated-header-snap68.pcap", &f, 24,
	    DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_TCP_TRUNC);
	for (size_t i = 2; i <= 24; i++)
		CHECK_R(&f, i, DR_OK);
	CHECK_INT(pk(&f, 2)->sport, 25);
	CHECK_INT(pk(&f, 2)->tcp_flags, TH_SYN | TH_ACK);
	CHECK_INT(pk(&f, 2)->payload_len, 0);
	CHECK_INT(pk(&f, 4)->payload_len, 0);
	CHECK_INT(pk(&f, 4)->payload_wire, 124 - 40);
	CHECK_INT(pk(&f, 22)->tcp_flags, TH_FIN | TH_ACK);
	free_file(&f);

	/* Frames 2 and 4 carry version 0 under ethertype IPv6. */
	if (open_file("tcpdump-ipv6-bad-version.pcap", &f, 4, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_OK);
	CHECK_R(&f, 2, DR_IPV6_BAD_VER);
	CHECK_R(&f, 3, DR_OK);
	CHECK_R(&f, 4, DR_IPV6_BAD_VER);
	CHECK_INT(pk(&f, 3)->sport, 135);	/* neighbor solicitation */
	free_file(&f);

	/* Hop-by-hop announced, payload length 20, nothing captured. */
	if (open_file("zeek-trunc-ip6-ext-trunc.pcap", &f, 1, DLT_EN10MB_))
		return;
	CHECK_R(&f, 1, DR_IPV6_EXT_TRUNC);
	free_file(&f);

	/*
	 * Fuzzer output: four frames of '0' bytes (ethertype 0x3030), then
	 * IPv4/UDP to port 161 whose UDP length 12336 exceeds the 12316 bytes
	 * the IP total length leaves for it.
	 */
	if (open_file("tcpdump-snmp-heapoverflow-1.pcap", &f, 5, DLT_EN10MB_))
		return;
	for (size_t i = 1; i <= 4; i++)
		CHECK_R(&f, i, DR_NOT_IP);
	CHECK_R(&f, 5, DR_UDP_BAD_LEN);
	CHECK_INT(pk(&f, 5)->ip_len, 12336);
	free_file(&f);

	/* One-byte UDP payloads in 60-byte frames. */
	if (open_file("zeek-fake-syslog-with-padding.pcap", &f, 5,
	    DLT_EN10MB_))
		return;
	for (size_t i = 1; i <= 5; i++) {
		CHECK_R(&f, i, DR_OK);
		CHECK_INT(pk(&f, i)->ip_len, 29);
		CHECK_INT(pk(&f, i)->payload_len, 1);
		CHECK_INT(pk(&f, i)->dport, 514);
	}
	free_file(&f);

	/* IPv4 options of several kinds, all on TCP. */
	if (open_file("suricata-detect-ipopts.pcap", &f, 8, DLT_IPV4_))
		return;
	for (size_t i = 1; i <= 8; i++) {
		CHECK_R(&f, i, DR_OK);
		CHECK_INT(pk(&f, i)->ip_opts, 1);
		CHECK_INT(pk(&f, i)->proto, 6);
	}
	free_file(&f);
}

/* Every capture in the directory: no crash, invariants hold. */
static void
t_all(void)
{
	unsigned long long count[DR_MAX + 1] = { 0 };
	unsigned files = 0, skipped = 0;
	int verbose = getenv("BW_DECODE_VERBOSE") != NULL;
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		perror(dir);
		check_failures++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct capfile f;
		size_t l = strlen(de->d_name);

		if (!((l > 5 && strcmp(de->d_name + l - 5, ".pcap") == 0) ||
		    (l > 7 && strcmp(de->d_name + l - 7, ".pcapng") == 0)))
			continue;
		if (load(de->d_name, &f, !verbose) != 0) {
			skipped++;
			continue;
		}
		files++;
		for (size_t i = 0; i < f.n; i++) {
			count[f.v[i].r]++;
			if (verbose && f.v[i].r != DR_OK)
				fprintf(stderr, "  %s packet %zu: %s\n",
				    f.name, i + 1,
				    f.v[i].r == DR_MAX ? "unsupported dlt" :
				    decode_reason_name(f.v[i].r));
		}
		free_file(&f);
	}
	closedir(d);
	fprintf(stderr, "%u captures decoded, %u unreadable by libpcap\n",
	    files, skipped);
	for (int i = 0; i < DR_MAX; i++)
		if (count[i])
			fprintf(stderr, "  %-18s %llu\n",
			    decode_reason_name((enum bw_decode_reason)i),
			    count[i]);
	if (count[DR_MAX])
		fprintf(stderr, "  %-18s %llu\n", "(unsupported dlt)",
		    count[DR_MAX]);
	CHECK(files > 100);
	CHECK(count[DR_OK] > 1000);
}

int
main(void)
{
	const char *shared = getenv("BW_SHARED");
	const char *srcdir = getenv("srcdir");
	struct stat st;

	if (shared != NULL && *shared != '\0')
		snprintf(dir, sizeof(dir), "%s/pcaps/external", shared);
	else
		snprintf(dir, sizeof(dir), "%s/../shared/pcaps/external",
		    srcdir != NULL && *srcdir != '\0' ? srcdir : ".");
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: no such directory, skipping\n", dir);
		return 77;
	}

	t_qinq();
	t_sll();
	t_raw();
	t_null();
	t_ipv6_ext();
	t_fragments();
	t_malformed();
	t_all();
	CHECK_DONE();
}
