/*
 * gen-traffic.c - write labelled BMC-network captures for the beacon
 * detector: beacons of chosen period, jitter, missed beats and stray
 * events over TCP/TLS, UDP, DNS, ICMP and inside one long connection,
 * next to benign periodic management traffic (NTP, SNMP, Redfish) and
 * random traffic from other BMCs.  A labels file (JSON lines) says which
 * series are true beacons.
 *
 * Why it is built this way: the detector must be measured on packets the
 * sensor really decodes, so every beat is a complete exchange (TCP
 * handshake, TLS ClientHello with SNI, FIN; DNS query and answer; echo
 * request and reply) with real headers and checksums, and the same seed
 * gives the same bytes on every machine (splitmix64, no libc rand, all
 * packets sorted by time before writing).
 *
 * gen-traffic -o out.pcap [-l labels.jsonl] [-s seed] [-d seconds]
 *     [-b SPEC]... [--benign] [--noise N] [--noise-rate PER_HOUR]
 * SPEC: kind[,key=value]...  kind is tcp, udp, dns, icmp or conn; keys:
 *   period=S jitter=J jkind=uniform|onesided miss=M extra=E size=BYTES
 *   src=IP dst=IP port=N sni=NAME zone=NAME start=S
 */
#include <arpa/inet.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define EPOCH	1700000000
#define RESOLVER "10.1.0.53"
#define MAXPKT	1600

struct pkt {
	double		 t;
	uint32_t	 seq;		/* creation order: stable sort */
	uint16_t	 len;
	uint8_t		*b;
};

struct out {
	struct pkt	*p;
	size_t		 n, cap;
	uint32_t	 seq;
	struct rng	 r;
};

struct beacon {
	char		 kind[8], jkind[16], sni[128], zone[128];
	char		 src[16], dst[16];
	double		 period, jitter, miss, extra, start;
	int		 port, size;
	int		 beats, sent;		/* for the label */
};

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL) {
		fprintf(stderr, "gen-traffic: out of memory\n");
		exit(1);
	}
	return p;
}

static uint16_t
csum(const uint8_t *b, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void
put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

static uint32_t
ip4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "gen-traffic: bad address %s\n", s);
		exit(2);
	}
	return ntohl(a.s_addr);
}

/*
 * One IPv4 frame: Ethernet (MACs derived from the addresses), IP, then
 * the L4 header and payload given; fills lengths and checksums.
 */
static void
emit(struct out *o, double t, uint32_t src, uint32_t dst, uint8_t proto,
    const uint8_t *l4, size_t l4len)
{
	uint8_t *b;
	size_t len = 14 + 20 + l4len;
	uint32_t ps;
	struct pkt *p;

	if (len > MAXPKT)
		len = MAXPKT, l4len = MAXPKT - 34;
	b = xmalloc(len);
	memcpy(b, "\x02\x00", 2);
	put32(b + 2, dst);
	memcpy(b + 6, "\x02\x00", 2);
	put32(b + 8, src);
	put16(b + 12, 0x0800);
	memset(b + 14, 0, 20);
	b[14] = 0x45;
	put16(b + 16, (uint16_t)(20 + l4len));
	put16(b + 18, (uint16_t)(o->seq & 0xffff));
	b[20] = 0x40;				/* don't fragment */
	b[22] = 64;
	b[23] = proto;
	put32(b + 26, src);
	put32(b + 30, dst);
	put16(b + 24, csum(b + 14, 20, 0));
	if (l4len)
		memcpy(b + 34, l4, l4len);
	/* the pseudo-header sum, then the L4 checksum in place */
	ps = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
	    proto + (uint32_t)l4len;
	if (proto == 6)
		put16(b + 34 + 16, csum(b + 34, l4len, ps));
	else if (proto == 17)
		put16(b + 34 + 6, csum(b + 34, l4len, ps));
	else if (proto == 1)
		put16(b + 34 + 2, csum(b + 34, l4len, 0));
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 4096;
		o->p = realloc(o->p, o->cap * sizeof(*o->p));
		if (o->p == NULL) {
			fprintf(stderr, "gen-traffic: out of memory\n");
			exit(1);
		}
	}
	p = &o->p[o->n++];
	p->t = t;
	p->seq = o->seq++;
	p->len = (uint16_t)len;
	p->b = b;
}

struct tcpconn {
	uint32_t	 cip, sip, cseq, sseq;
	uint16_t	 cport, sport;
};

static void
tcp(struct out *o, double t, struct tcpconn *c, int toserver, uint8_t flags,
    const uint8_t *data, size_t dlen)
{
	uint8_t seg[MAXPKT];

	if (dlen > MAXPKT - 34 - 20)
		dlen = MAXPKT - 34 - 20;
	memset(seg, 0, 20);
	put16(seg, toserver ? c->cport : c->sport);
	put16(seg + 2, toserver ? c->sport : c->cport);
	put32(seg + 4, toserver ? c->cseq : c->sseq);
	put32(seg + 8, flags & 0x10 ? (toserver ? c->sseq : c->cseq) : 0);
	seg[12] = 5 << 4;
	seg[13] = flags;
	put16(seg + 14, 64240);
	if (dlen)
		memcpy(seg + 20, data, dlen);
	emit(o, t, toserver ? c->cip : c->sip, toserver ? c->sip : c->cip, 6,
	    seg, 20 + dlen);
	if (toserver)
		c->cseq += (uint32_t)dlen + (flags & 0x03 ? 1 : 0);
	else
		c->sseq += (uint32_t)dlen + (flags & 0x03 ? 1 : 0);
}

static void
udp(struct out *o, double t, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, const uint8_t *data, size_t dlen)
{
	uint8_t d[MAXPKT];

	if (dlen > MAXPKT - 34 - 8)
		dlen = MAXPKT - 34 - 8;
	put16(d, sport);
	put16(d + 2, dport);
	put16(d + 4, (uint16_t)(8 + dlen));
	put16(d + 6, 0);
	if (dlen)
		memcpy(d + 8, data, dlen);
	emit(o, t, src, dst, 17, d, 8 + dlen);
}

/* A TLS 1.2-style ClientHello with an SNI, padded to about 'size'. */
static size_t
client_hello(struct rng *r, const char *sni, int size, uint8_t *b)
{
	size_t n = strlen(sni), ext = 9 + n, body, pad = 0;

	/* version, random, session id, ciphers, compression, extensions */
	body = 2 + 32 + 1 + 6 + 2 + 2 + ext;
	if (size > (int)(body + 9 + 4))
		pad = (size_t)size - body - 9 - 4;
	if (body + pad + 9 + 4 > 1200)
		pad = 0;
	b[0] = 0x16;
	put16(b + 1, 0x0301);
	put16(b + 3, (uint16_t)(4 + body + (pad ? pad + 4 : 0)));
	b[5] = 1;
	b[6] = 0;
	put16(b + 7, (uint16_t)(body + (pad ? pad + 4 : 0)));
	put16(b + 9, 0x0303);
	for (int i = 0; i < 32; i++)
		b[11 + i] = (uint8_t)rnd(r);
	b[43] = 0;				/* session id */
	put16(b + 44, 4);
	put16(b + 46, 0xc02f);
	put16(b + 48, 0x009c);
	b[50] = 1;
	b[51] = 0;
	put16(b + 52, (uint16_t)(ext + (pad ? pad + 4 : 0)));
	put16(b + 54, 0);			/* server_name */
	put16(b + 56, (uint16_t)(n + 5));
	put16(b + 58, (uint16_t)(n + 3));
	b[60] = 0;
	put16(b + 61, (uint16_t)n);
	memcpy(b + 63, sni, n);
	if (pad) {
		put16(b + 63 + n, 21);		/* padding extension */
		put16(b + 65 + n, (uint16_t)pad);
		memset(b + 67 + n, 0, pad);
	}
	return 63 + n + (pad ? pad + 4 : 0);
}

static uint16_t
eph(struct rng *r)
{
	return (uint16_t)(32768 + rnd(r) % 28000);
}

/* One full TCP session with a TLS hello and a reply, then FIN. */
static void
tls_session(struct out *o, double t, uint32_t c, uint32_t s, uint16_t port,
    const char *sni, int size)
{
	struct tcpconn k = { c, s, (uint32_t)rnd(&o->r), (uint32_t)rnd(&o->r),
	    eph(&o->r), port };
	uint8_t hello[1400], reply[600];
	size_t n = client_hello(&o->r, sni, size, hello);
	double rtt = 0.02 + 0.01 * unif(&o->r);

	tcp(o, t, &k, 1, 0x02, NULL, 0);
	tcp(o, t + rtt, &k, 0, 0x12, NULL, 0);
	tcp(o, t + rtt + 0.0005, &k, 1, 0x10, NULL, 0);
	tcp(o, t + rtt + 0.001, &k, 1, 0x18, hello, n);
	/* a minimal ServerHello: no session id, no extensions */
	memset(reply, 0, sizeof(reply));
	reply[0] = 0x16;
	put16(reply + 1, 0x0303);
	put16(reply + 3, 44);
	reply[5] = 2;
	put16(reply + 7, 40);
	put16(reply + 9, 0x0303);
	for (int i = 0; i < 32; i++)
		reply[11 + i] = (uint8_t)rnd(&o->r);
	put16(reply + 44, 0xc02f);
	tcp(o, t + 2 * rtt + 0.001, &k, 0, 0x18, reply, 49);
	tcp(o, t + 2 * rtt + 0.05, &k, 1, 0x11, NULL, 0);
	tcp(o, t + 3 * rtt + 0.05, &k, 0, 0x11, NULL, 0);
	tcp(o, t + 3 * rtt + 0.051, &k, 1, 0x10, NULL, 0);
}

static size_t
dns_name(const char *name, uint8_t *b)
{
	size_t n = 0;

	while (*name) {
		const char *d = strchr(name, '.');
		size_t l = d ? (size_t)(d - name) : strlen(name);
		b[n++] = (uint8_t)l;
		memcpy(b + n, name, l);
		n += l;
		name += l + (d ? 1 : 0);
	}
	b[n++] = 0;
	return n;
}

/* A TXT query for a fresh random label under zone, and its answer. */
static void
dns_beat(struct out *o, double t, uint32_t c, const char *zone, int size)
{
	uint8_t q[600], a[900];
	char name[300];
	size_t qn, l = 12 + (size_t)(rnd(&o->r) % 20), i;
	uint16_t id = (uint16_t)rnd(&o->r), sp = eph(&o->r);

	if (size > 80 && size < 200)
		l = (size_t)size - 60;
	for (i = 0; i < l && i < 60; i++)
		name[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[rnd(&o->r) % 36];
	snprintf(name + i, sizeof(name) - i, ".%s", zone);
	memset(q, 0, 12);
	put16(q, id);
	put16(q + 2, 0x0100);
	put16(q + 4, 1);
	qn = 12 + dns_name(name, q + 12);
	put16(q + qn, 16);
	put16(q + qn + 2, 1);
	qn += 4;
	udp(o, t, c, sp, ip4(RESOLVER), 53, q, qn);
	memcpy(a, q, qn);
	put16(a + 2, 0x8180);
	put16(a + 6, 1);
	put16(a + qn, 0xc00c);
	put16(a + qn + 2, 16);
	put16(a + qn + 4, 1);
	put32(a + qn + 6, 60);
	put16(a + qn + 10, 33);
	a[qn + 12] = 32;
	for (i = 0; i < 32; i++)
		a[qn + 13 + i] = (uint8_t)('a' + rnd(&o->r) % 26);
	udp(o, t + 0.003, ip4(RESOLVER), 53, c, sp, a, qn + 45);
}

static void
icmp_beat(struct out *o, double t, uint32_t c, uint32_t s, int size,
    uint16_t seq)
{
	uint8_t m[1400];
	size_t n = size < 8 ? 8 : (size_t)size > 1400 ? 1400 : (size_t)size;

	memset(m, 0, n);
	m[0] = 8;
	put16(m + 4, 0x4242);
	put16(m + 6, seq);
	for (size_t i = 8; i < n; i++)
		m[i] = (uint8_t)i;
	emit(o, t, c, s, 1, m, n);
	m[0] = 0;
	m[2] = m[3] = 0;
	emit(o, t + 0.03, s, c, 1, m, n);
}

/* Beat times of a renewal beacon: sleep, maybe miss, maybe a stray. */
static int
beat_times(struct rng *r, const struct beacon *b, double dur, double *ts,
    int max, int *beats)
{
	double t = b->start;
	int n = 0;

	*beats = 0;
	while (t < dur && n < max) {
		double s;

		(*beats)++;
		if (unif(r) >= b->miss)
			ts[n++] = t;
		if (b->extra > 0 && unif(r) < b->extra && n < max)
			ts[n++] = t + b->period * (0.2 + 0.6 * unif(r));
		if (strcmp(b->jkind, "onesided") == 0)
			s = b->period * (1 - b->jitter * unif(r));
		else
			s = b->period * (1 + b->jitter * (2 * unif(r) - 1));
		t += s;
	}
	return n;
}

static void
gen_beacon(struct out *o, struct beacon *b, double dur, FILE *lab)
{
	double *ts = xmalloc(100000 * sizeof(*ts));
	int n = beat_times(&o->r, b, dur, ts, 100000, &b->beats);
	uint32_t c = ip4(b->src), s = ip4(b->dst);
	struct tcpconn k = { c, s, (uint32_t)rnd(&o->r), (uint32_t)rnd(&o->r),
	    eph(&o->r), (uint16_t)b->port };
	uint8_t data[1400];

	b->sent = n;
	if (strcmp(b->kind, "conn") == 0) {
		/* one long session, a small client burst per beat */
		double end = dur + 1;
		tcp(o, b->start - 1, &k, 1, 0x02, NULL, 0);
		tcp(o, b->start - 0.98, &k, 0, 0x12, NULL, 0);
		tcp(o, b->start - 0.979, &k, 1, 0x10, NULL, 0);
		for (int i = 0; i < n; i++) {
			size_t z = (size_t)b->size > sizeof(data) ?
			    sizeof(data) : (size_t)b->size;
			for (size_t j = 0; j < z; j++)
				data[j] = (uint8_t)rnd(&o->r);
			tcp(o, ts[i], &k, 1, 0x18, data, z);
			tcp(o, ts[i] + 0.02, &k, 0, 0x18, data, 40);
			tcp(o, ts[i] + 0.021, &k, 1, 0x10, NULL, 0);
		}
		tcp(o, end, &k, 1, 0x11, NULL, 0);
		tcp(o, end + 0.02, &k, 0, 0x11, NULL, 0);
		tcp(o, end + 0.021, &k, 1, 0x10, NULL, 0);
	}
	for (int i = 0; i < n && strcmp(b->kind, "conn") != 0; i++) {
		if (strcmp(b->kind, "tcp") == 0)
			tls_session(o, ts[i], c, s, (uint16_t)b->port, b->sni,
			    b->size);
		else if (strcmp(b->kind, "udp") == 0) {
			uint16_t sp = eph(&o->r);
			memset(data, 0x5a, sizeof(data));
			udp(o, ts[i], c, sp, s, (uint16_t)b->port, data,
			    (size_t)b->size);
			udp(o, ts[i] + 0.03, s, (uint16_t)b->port, c, sp, data,
			    64);
		} else if (strcmp(b->kind, "dns") == 0)
			dns_beat(o, ts[i], c, b->zone, b->size);
		else
			icmp_beat(o, ts[i], c, s, b->size, (uint16_t)i);
	}
	if (lab) {
		int dns = strcmp(b->kind, "dns") == 0;
		fprintf(lab, "{\"label\":\"beacon\",\"kind\":\"%s\","
		    "\"key\":\"%s\",\"src\":\"%s\",\"dst\":\"%s\","
		    "\"port\":%d,\"proto\":\"%s\"%s%s%s,\"period\":%g,"
		    "\"jitter\":%g,\"jkind\":\"%s\",\"miss\":%g,"
		    "\"extra\":%g,\"size\":%d,\"beats\":%d,\"events\":%d}\n",
		    b->kind, dns ? "name" : strcmp(b->kind, "conn") == 0 ?
		    "burst" : "flow", b->src, dns ? RESOLVER : b->dst,
		    dns ? 53 : strcmp(b->kind, "icmp") == 0 ? 0 : b->port,
		    strcmp(b->kind, "icmp") == 0 ? "icmp" :
		    strcmp(b->kind, "udp") == 0 || dns ? "udp" : "tcp",
		    dns ? ",\"zone\":\"" : "", dns ? b->zone : "",
		    dns ? "\"" : "", b->period, b->jitter, b->jkind, b->miss,
		    b->extra, b->size, b->beats, b->sent);
	}
	free(ts);
}

/* NTP, SNMP and Redfish: periodic by design, excluded by policy. */
static void
gen_benign(struct out *o, double dur, FILE *lab)
{
	uint32_t bmc = ip4("10.50.0.10"), ntp = ip4("10.1.0.10");
	uint32_t mgr = ip4("10.1.0.40");
	uint8_t m[64], resp[64];
	static const uint8_t snmp[] = {
		0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l',
		'i', 'c', 0xa0, 0x1c, 0x02, 0x04, 0, 0, 0, 1, 0x02, 0x01, 0,
		0x02, 0x01, 0, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 6, 1,
		2, 1, 1, 3, 0, 0x05, 0x00
	};
	int n = 0;

	for (double t = 3; t < dur; t += 64 + 0.01 * unif(&o->r), n++) {
		memset(m, 0, 48);
		m[0] = 0x23;			/* v4, client */
		udp(o, t, bmc, 123, ntp, 123, m, 48);
		m[0] = 0x24;			/* server */
		m[1] = 2;
		udp(o, t + 0.002, ntp, 123, bmc, 123, m, 48);
	}
	if (lab)
		fprintf(lab, "{\"label\":\"benign\",\"kind\":\"ntp\",\"key\":"
		    "\"flow\",\"src\":\"10.50.0.10\",\"dst\":\"10.1.0.10\","
		    "\"port\":123,\"proto\":\"udp\",\"period\":64,"
		    "\"events\":%d}\n", n);
	n = 0;
	for (double t = 7; t < dur; t += 60 + 0.5 * unif(&o->r), n++) {
		uint16_t sp = eph(&o->r);
		memcpy(resp, snmp, sizeof(snmp));
		resp[13] = 0xa2;		/* GetResponse */
		udp(o, t, mgr, sp, bmc, 161, snmp, sizeof(snmp));
		udp(o, t + 0.004, bmc, 161, mgr, sp, resp, sizeof(snmp));
	}
	if (lab)
		fprintf(lab, "{\"label\":\"benign\",\"kind\":\"snmp\",\"key\":"
		    "\"flow\",\"src\":\"10.1.0.40\",\"dst\":\"10.50.0.10\","
		    "\"port\":161,\"proto\":\"udp\",\"period\":60,"
		    "\"events\":%d}\n", n);
	n = 0;
	for (double t = 11; t < dur; t += 30 + 0.2 * unif(&o->r), n++)
		tls_session(o, t, mgr, bmc, 443, "bmc10.mgmt.example", 300);
	if (lab)
		fprintf(lab, "{\"label\":\"benign\",\"kind\":\"redfish\","
		    "\"key\":\"flow\",\"src\":\"10.1.0.40\",\"dst\":"
		    "\"10.50.0.10\",\"port\":443,\"proto\":\"tcp\","
		    "\"period\":30,\"events\":%d}\n", n);
}

/* Other BMCs: Poisson sessions and bursts to random outside hosts. */
static void
gen_noise(struct out *o, int hosts, double per_hour, double dur, FILE *lab)
{
	char src[16], dst[16], sni[64];

	for (int h = 0; h < hosts; h++) {
		int n = 0;
		double t = expo(&o->r, 3600 / per_hour);

		snprintf(src, sizeof(src), "10.50.0.%d", 100 + h % 150);
		/* a few favourite hosts, so series have more than one event */
		while (t < dur) {
			int fav = (int)(rnd(&o->r) % 3), burst = 1;
			snprintf(dst, sizeof(dst), "203.0.113.%d",
			    1 + (h * 7 + fav) % 250);
			snprintf(sni, sizeof(sni), "site%d.example.org", fav);
			if (h % 2 == 1)		/* bursty hosts */
				burst = 1 + (int)expo(&o->r, 4);
			for (int i = 0; i < burst && t < dur; i++, n++) {
				tls_session(o, t, ip4(src), ip4(dst), 443, sni,
				    200 + (int)(rnd(&o->r) % 400));
				t += 0.5 + expo(&o->r, 20);
			}
			t += expo(&o->r, 3600 / per_hour * burst);
		}
		if (lab)
			fprintf(lab, "{\"label\":\"random\",\"kind\":\"%s\","
			    "\"src\":\"%s\",\"events\":%d}\n",
			    h % 2 ? "bursty" : "poisson", src, n);
	}
}

static int
cmp_pkt(const void *a, const void *b)
{
	const struct pkt *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
parse_spec(const char *spec, struct beacon *b, int idx)
{
	char buf[512], *save = NULL, *tok;

	memset(b, 0, sizeof(*b));
	snprintf(b->jkind, sizeof(b->jkind), "uniform");
	snprintf(b->src, sizeof(b->src), "10.50.0.%d", 20 + idx);
	snprintf(b->dst, sizeof(b->dst), "198.51.100.%d", 20 + idx);
	snprintf(b->sni, sizeof(b->sni), "cdn%d.example.net", idx);
	snprintf(b->zone, sizeof(b->zone), "c2zone%d.example.com", idx);
	b->period = 60;
	b->port = 443;
	b->size = 300;
	b->start = 5 + idx;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		char *v = strchr(tok, '=');
		if (v == NULL) {
			snprintf(b->kind, sizeof(b->kind), "%s", tok);
			continue;
		}
		*v++ = '\0';
		if (!strcmp(tok, "period")) b->period = atof(v);
		else if (!strcmp(tok, "jitter")) b->jitter = atof(v);
		else if (!strcmp(tok, "miss")) b->miss = atof(v);
		else if (!strcmp(tok, "extra")) b->extra = atof(v);
		else if (!strcmp(tok, "start")) b->start = atof(v);
		else if (!strcmp(tok, "size")) b->size = atoi(v);
		else if (!strcmp(tok, "port")) b->port = atoi(v);
		else if (!strcmp(tok, "jkind"))
			snprintf(b->jkind, sizeof(b->jkind), "%s", v);
		else if (!strcmp(tok, "src"))
			snprintf(b->src, sizeof(b->src), "%s", v);
		else if (!strcmp(tok, "dst"))
			snprintf(b->dst, sizeof(b->dst), "%s", v);
		else if (!strcmp(tok, "sni"))
			snprintf(b->sni, sizeof(b->sni), "%s", v);
		else if (!strcmp(tok, "zone"))
			snprintf(b->zone, sizeof(b->zone), "%s", v);
		else {
			fprintf(stderr, "gen-traffic: unknown key %s\n", tok);
			exit(2);
		}
	}
	if (strcmp(b->kind, "tcp") && strcmp(b->kind, "udp") &&
	    strcmp(b->kind, "dns") && strcmp(b->kind, "icmp") &&
	    strcmp(b->kind, "conn")) {
		fprintf(stderr, "gen-traffic: unknown kind '%s'\n", b->kind);
		exit(2);
	}
	if (!strcmp(b->kind, "udp") && b->port == 443)
		b->port = 8443;
	if (!(b->period > 0) || b->jitter < 0 || b->jitter >= 1 ||
	    b->miss < 0 || b->miss >= 1 || b->extra < 0) {
		fprintf(stderr, "gen-traffic: bad beacon %s\n", spec);
		exit(2);
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen-traffic -o out.pcap [-l labels.jsonl] "
	    "[-s seed] [-d seconds]\n\t[-b kind[,key=value]...]... "
	    "[--benign] [--noise N] [--noise-rate PER_HOUR]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *opath = NULL, *lpath = NULL;
	double dur = 7200, rate = 2;
	int benign = 0, noise = 0, nb = 0;
	struct beacon b[32];
	struct out o;
	FILE *lab = NULL;
	pcap_t *pd;
	pcap_dumper_t *d;

	memset(&o, 0, sizeof(o));
	o.r.s = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--benign")) {
			benign = 1;
			continue;
		}
		if (v == NULL)
			usage();
		i++;
		if (!strcmp(a, "-o")) opath = v;
		else if (!strcmp(a, "-l")) lpath = v;
		else if (!strcmp(a, "-s")) o.r.s = strtoull(v, NULL, 0);
		else if (!strcmp(a, "-d")) dur = atof(v);
		else if (!strcmp(a, "--noise")) noise = atoi(v);
		else if (!strcmp(a, "--noise-rate")) rate = atof(v);
		else if (!strcmp(a, "-b") && nb < 32) {
			parse_spec(v, &b[nb], nb);
			nb++;
		} else
			usage();
	}
	if (opath == NULL || !(dur > 0) || !(rate > 0) || noise < 0)
		usage();
	if (lpath && (lab = fopen(lpath, "w")) == NULL) {
		perror(lpath);
		return 1;
	}
	for (int i = 0; i < nb; i++)
		gen_beacon(&o, &b[i], dur, lab);
	if (benign)
		gen_benign(&o, dur, lab);
	if (noise)
		gen_noise(&o, noise, rate, dur, lab);
	qsort(o.p, o.n, sizeof(*o.p), cmp_pkt);
	pd = pcap_open_dead(DLT_EN10MB, 65535);
	if (pd == NULL || (d = pcap_dump_open(pd, opath)) == NULL) {
		fprintf(stderr, "gen-traffic: %s\n",
		    pd ? pcap_geterr(pd) : "pcap_open_dead failed");
		for (size_t i = 0; i < o.n; i++)
			free(o.p[i].b);
		free(o.p);
		if (pd)
			pcap_close(pd);
		if (lab)
			fclose(lab);
		return 1;
	}
	for (size_t i = 0; i < o.n; i++) {
		struct pcap_pkthdr h;
		long long us = llround(o.p[i].t * 1e6);
		h.ts.tv_sec = (time_t)(EPOCH + (double)(us / 1000000));
		h.ts.tv_usec = (suseconds_t)(us % 1000000);
		h.caplen = h.len = o.p[i].len;
		pcap_dump((u_char *)d, &h, o.p[i].b);
		free(o.p[i].b);
	}
	pcap_dump_close(d);
	pcap_close(pd);
	free(o.p);
	if (lab && fclose(lab) != 0) {
		perror(lpath);
		return 1;
	}
	return 0;
}
