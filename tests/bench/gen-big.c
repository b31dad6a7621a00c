/*
 * gen-big.c - seeded, deterministic captures for the benchmark
 * (tests/bench/run).  Nothing is random at run time: the same seed and
 * sizes give the same file byte for byte.
 *
 *   gen-big -o FILE [-s SEED] [-n PACKETS]
 *	The realistic mix of a BMC network segment: BMCs resolving names,
 *	polling NTP, logging and fetching over TLS; admin hosts running
 *	RMCP+/IPMI sessions (open session, RAKP 1-4, session traffic), HTTPS,
 *	Redfish over HTTP and SSH against BMCs; an NMS walking SNMP; other
 *	hosts of the segment (tagged VLAN 20, some IPv6) doing DNS, TLS and
 *	plain TCP to named servers; a few pings; and a sprinkling of what the
 *	default policy alerts on (phone-home, cipher 0, hash dumps, null
 *	users).  TCP sessions have handshakes, request/response rounds with
 *	correct sequence numbers and a FIN (some RST, some left open).
 *	Flows start at random times over PACKETS/1100 seconds, so
 *	thousands overlap as on a real link.
 *
 *   gen-big -o FILE [-s SEED] -F FLOWS [-S PACKETS]
 *	The scaling capture: FLOWS SSH sessions from the two admin hosts to
 *	the BMCs, opened one after the other (SYN, SYN-ACK, client banner,
 *	server banner: 4 packets each), then PACKETS packets (SSH binary
 *	packets or ACKs) each on a session picked at random, all within 80 s
 *	of packet time so no flow times out.  With -S 0 the file is exactly
 *	the opening part of the same capture with -S N, so the difference of
 *	the two replay times is the cost of S packets at FLOWS open flows.
 *
 * A summary (packets, flows, bytes) goes to stderr.
 *
 * Why it is built this way: the benchmark needs millions of packets
 * whose protocols the sensor really parses, on a timeline that looks
 * like a real link; a recorded capture that big cannot be shipped, and a
 * replayed small one repeats the same flows.  So each flow is a small
 * state machine that emits one packet per step, and a heap keyed by the
 * next packet's time interleaves the live flows in time order.  All
 * arithmetic is integer (splitmix64), so the output does not depend on
 * the C library.  IPv4, TCP, UDP and ICMP checksums are correct so other
 * tools (tshark, argus) see clean packets.
 */
#define _DEFAULT_SOURCE	/* u_char & co. for pcap.h under -std=c11 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pcap/pcap.h>

/* ---- random numbers ---------------------------------------------------- */

static uint64_t rng;

static uint64_t
r64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 .. n-1 */
static uint32_t
rn(uint32_t n)
{
	return (uint32_t)(((r64() >> 32) * (uint64_t)n) >> 32);
}

/* lo .. hi inclusive */
static uint32_t
rr(uint32_t lo, uint32_t hi)
{
	return lo + rn(hi - lo + 1);
}

static int
permille(unsigned p)
{
	return rn(1000) < p;
}

static void
rbytes(uint8_t *p, size_t n)
{
	uint64_t v;

	for (; n >= 8; p += 8, n -= 8) {
		v = r64();
		memcpy(p, &v, 8);
	}
	if (n > 0) {
		v = r64();
		memcpy(p, &v, n);
	}
}

/* ---- byte writer with length back-patching ------------------------------ */

struct bw {
	uint8_t	*b;
	size_t	 n;
};

static void p8(struct bw *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void p16(struct bw *w, unsigned v) { p8(w, v >> 8); p8(w, v); }
static void p16le(struct bw *w, unsigned v) { p8(w, v); p8(w, v >> 8); }
static void p32le(struct bw *w, uint32_t v) { p16le(w, v & 0xffff); p16le(w, v >> 16); }
static void pmem(struct bw *w, const void *s, size_t n) { memcpy(w->b + w->n, s, n); w->n += n; }
static void pstr(struct bw *w, const char *s) { pmem(w, s, strlen(s)); }
static void prnd(struct bw *w, size_t n) { rbytes(w->b + w->n, n); w->n += n; }

/* Reserve a big-endian length field of 'sz' bytes; fill it with fix(). */
static size_t
hold(struct bw *w, int sz)
{
	size_t at = w->n;

	w->n += (size_t)sz;
	return at;
}

static void
fix(struct bw *w, size_t at, int sz)
{
	size_t len = w->n - at - (size_t)sz;

	for (int i = sz - 1; i >= 0; i--, len >>= 8)
		w->b[at + (size_t)i] = (uint8_t)len;
}

/* ---- names: BMC infrastructure and a pool for the rest of the segment --- */

static const char *const infra_names[] = {
	"ntp1.mgmt.example.net", "ntp2.mgmt.example.net",
	"ldap.corp.example.net", "syslog.mgmt.example.net",
	"events.mgmt.example.net", "mail.mgmt.example.net",
	"fw.vendor.example.com", "time.vendor.example.com",
};
#define NINFRA	(sizeof(infra_names) / sizeof(infra_names[0]))
#define NPOOL	4096

static void
pool_name(uint32_t i, char *buf, size_t len)
{
	/* literal formats, so -Wformat-nonliteral can check them */
	switch (i & 3) {
	case 0: snprintf(buf, len, "svc%04u.corp.example.net", i); break;
	case 1: snprintf(buf, len, "www.site%04u.example.com", i); break;
	case 2: snprintf(buf, len, "api%04u.cloud.example.org", i); break;
	default: snprintf(buf, len, "cdn%04u.static.example.com", i); break;
	}
}

/* Where a pool name resolves: internal servers for svc/api, public
 * documentation space for www/cdn, so resolved names match later flows. */
static void
pool_addr(uint32_t i, int v6, uint8_t a[16])
{
	uint32_t h = i * 2654435761u;

	memset(a, 0, 16);
	if (v6) {
		a[0] = 0xfd; a[1] = 0x00; a[3] = 0x30;
		a[14] = (uint8_t)(i >> 8); a[15] = (uint8_t)i;
	} else if ((i & 1) == 0) {
		a[0] = 10; a[1] = 30; a[2] = (uint8_t)(h >> 24);
		a[3] = (uint8_t)(1 + (h >> 16) % 250);
	} else {
		a[0] = 203; a[1] = 0; a[2] = 113; a[3] = (uint8_t)(1 + i % 250);
	}
}

/* ---- the flows ----------------------------------------------------------- */

enum kind {
	K_DNS, K_NTP, K_RMCP, K_SNMP, K_SYSLOG, K_ICMP,	/* datagrams */
	K_TLS, K_HTTP, K_SSH, K_TCP,			/* TCP sessions */
	K_OPEN,						/* scaling flows */
	K_MAX
};
static const char *const kind_names[K_MAX] = {
	"dns", "ntp", "rmcp", "snmp", "syslog", "icmp", "tls", "http", "ssh",
	"tcp", "open"
};

/* RMCP variants: what the default policy's IPMI rules look for */
#define RV_CIPHER0	0x01
#define RV_NULLUSER	0x02
#define RV_HASHDUMP	0x04	/* leave after RAKP 2 */
#define RV_DEFUSER	0x08

enum { T_SYN, T_SYNACK, T_ACK, T_REQ, T_RESP, T_FIN1, T_FIN2, T_FIN3 };

struct gflow {
	int64_t		 t;		/* time of the next packet */
	uint8_t		 kind, v6, proto, step;
	uint8_t		 round, rounds, segleft, unacked;
	uint8_t		 variant, close;	/* close: 0 FIN, 1 RST, 2 none */
	uint16_t	 vlan;
	uint8_t		 cli[16], srv[16];
	uint16_t	 cport, sport;
	uint32_t	 seq[2];
	uint16_t	 ipid[2];
	uint32_t	 name;		/* pool index, or infra index */
	uint32_t	 rtt;		/* ns */
	uint32_t	 bmc;		/* BMC number, for per-BMC traits */
	uint32_t	 sid[2];	/* RMCP session ids: console, BMC */
	uint32_t	 sseq;		/* RMCP session sequence */
	uint16_t	 qid;		/* DNS id, SNMP request id */
};

static pcap_dumper_t *dumper;
static uint8_t fr[2048];
static uint64_t npkts, nbytes, nflows, kinds[K_MAX];

static size_t
l3off(const struct gflow *f)
{
	return f->vlan ? 18 : 14;
}

static size_t
l4off(const struct gflow *f)
{
	return l3off(f) + (f->v6 ? 40 : 20);
}

static size_t
l4hdr(const struct gflow *f)
{
	/* ICMP: the echo header is written as part of the payload */
	return f->proto == 6 ? 20 : f->proto == 17 ? 8 : 0;
}

/* Where the payload of the next packet of f is built. */
static uint8_t *
pl(const struct gflow *f)
{
	return fr + l4off(f) + l4hdr(f);
}

static void
be16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static void
be32(uint8_t *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v & 0xffff);
}

static uint32_t
sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (; n > 1; p += 2, n -= 2)
		s += (uint32_t)p[0] << 8 | p[1];
	if (n > 0)
		s += (uint32_t)p[0] << 8;
	return s;
}

static uint16_t
fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/*
 * Write one packet of f in direction dir (0: initiator to responder) with
 * plen payload bytes already at pl(f).  TCP: flags, and seq/ack from the
 * flow, advanced by the payload (SYN and FIN count one).
 */
static void
emit(struct gflow *f, int dir, uint8_t flags, size_t plen)
{
	const uint8_t *s = dir ? f->srv : f->cli, *d = dir ? f->cli : f->srv;
	size_t o3 = l3off(f), o4 = l4off(f), l4len = l4hdr(f) + plen;
	size_t alen = f->v6 ? 16 : 4, total = o4 + l4len;
	uint8_t *ip = fr + o3, *l4 = fr + o4;
	struct pcap_pkthdr h;
	uint32_t cs;

	/* Ethernet: locally administered MACs made from the addresses */
	fr[0] = 0x02; fr[1] = 0x00; memcpy(fr + 2, d + alen - 4, 4);
	fr[6] = 0x02; fr[7] = 0x00; memcpy(fr + 8, s + alen - 4, 4);
	if (f->vlan) {
		be16(fr + 12, 0x8100);
		be16(fr + 14, f->vlan);
	}
	be16(ip - 2, f->v6 ? 0x86dd : 0x0800);
	if (f->v6) {
		be32(ip, 0x60000000);
		be16(ip + 4, (unsigned)l4len);
		ip[6] = f->proto == 1 ? 58 : f->proto;
		ip[7] = 64;
		memcpy(ip + 8, s, 16);
		memcpy(ip + 24, d, 16);
		cs = sum16(0, ip + 8, 32) + (uint32_t)l4len + ip[6];
	} else {
		ip[0] = 0x45; ip[1] = 0;
		be16(ip + 2, (unsigned)(20 + l4len));
		be16(ip + 4, f->ipid[dir]++);
		be16(ip + 6, 0x4000);
		ip[8] = 64;
		ip[9] = f->proto;
		be16(ip + 10, 0);
		memcpy(ip + 12, s, 4);
		memcpy(ip + 16, d, 4);
		be16(ip + 10, fold(sum16(0, ip, 20)));
		cs = f->proto == 1 ? 0 : sum16(0, ip + 12, 8) + (uint32_t)l4len +
		    f->proto;
	}
	if (f->proto == 6) {
		be16(l4, dir ? f->sport : f->cport);
		be16(l4 + 2, dir ? f->cport : f->sport);
		be32(l4 + 4, f->seq[dir]);
		be32(l4 + 8, (flags & 0x10) ? f->seq[!dir] : 0);
		l4[12] = 0x50;
		l4[13] = flags;
		be16(l4 + 14, dir ? 65160 : 64240);
		be16(l4 + 16, 0);
		be16(l4 + 18, 0);
		be16(l4 + 16, fold(sum16(cs, l4, l4len)));
		f->seq[dir] += (uint32_t)plen + ((flags & 0x03) ? 1 : 0);
	} else if (f->proto == 17) {
		be16(l4, dir ? f->sport : f->cport);
		be16(l4 + 2, dir ? f->cport : f->sport);
		be16(l4 + 4, (unsigned)l4len);
		be16(l4 + 6, 0);
		be16(l4 + 6, fold(sum16(cs, l4, l4len)));
	} else {
		/* ICMP echo (v4 or v6): the header is part of the payload */
		be16(l4 + 2, 0);
		be16(l4 + 2, fold(sum16(cs, l4, l4len)));
	}
	h.ts.tv_sec = (time_t)(f->t / 1000000000);
	h.ts.tv_usec = (suseconds_t)(f->t % 1000000000 / 1000);
	h.caplen = h.len = (bpf_u_int32)total;
	pcap_dump((u_char *)dumper, &h, fr);
	npkts++;
	nbytes += total;
}

/* ---- payloads ------------------------------------------------------------ */

static size_t
dns_msg(struct gflow *f, int resp, uint8_t *out)
{
	struct bw w = { out, 0 };
	char name[64];
	int aaaa = f->v6 || (f->round & 1), nx = f->variant;
	uint8_t a[16];
	const char *lab, *dot;

	if (f->kind == K_DNS && f->bmc != UINT32_MAX)
		snprintf(name, sizeof(name), "%s", infra_names[f->name % NINFRA]);
	else
		pool_name(f->name, name, sizeof(name));
	p16(&w, f->qid);
	p16(&w, resp ? (nx ? 0x8183 : 0x8180) : 0x0100);
	p16(&w, 1);
	p16(&w, resp && !nx ? 1 : 0);
	p16(&w, 0);
	p16(&w, 0);
	for (lab = name; *lab != '\0'; lab = *dot ? dot + 1 : dot) {
		dot = strchr(lab, '.');
		if (dot == NULL)
			dot = lab + strlen(lab);
		p8(&w, (unsigned)(dot - lab));
		pmem(&w, lab, (size_t)(dot - lab));
	}
	p8(&w, 0);
	p16(&w, aaaa ? 28 : 1);
	p16(&w, 1);
	if (resp && !nx) {
		p16(&w, 0xc00c);
		p16(&w, aaaa ? 28 : 1);
		p16(&w, 1);
		p16(&w, 0);
		p16(&w, 300);
		if (f->bmc != UINT32_MAX) {
			memset(a, 0, 16);
			a[0] = 10; a[1] = 1; a[3] = (uint8_t)(10 + f->name % NINFRA);
		} else
			pool_addr(f->name, aaaa, a);
		p16(&w, aaaa ? 16 : 4);
		pmem(&w, a, aaaa ? 16 : 4);
	}
	return w.n;
}

static size_t
ntp_msg(struct gflow *f, int resp, uint8_t *out)
{
	struct bw w = { out, 0 };
	uint32_t sec = (uint32_t)(f->t / 1000000000 + 2208988800u);

	p8(&w, resp ? 0x24 : 0x23);		/* v4, client / server */
	p8(&w, resp ? 2 : 0);
	p8(&w, 6);
	p8(&w, 0xe9);
	p16(&w, 0); p16(&w, resp ? 0x0123 : 0);	/* root delay */
	p16(&w, 0); p16(&w, resp ? 0x0456 : 0);	/* root dispersion */
	if (resp) { p8(&w, 10); p8(&w, 1); p8(&w, 0); p8(&w, 1); }
	else p32le(&w, 0);
	for (int i = 0; i < 4; i++) {		/* ref, orig, recv, xmit */
		if (!resp && i < 3) {
			p32le(&w, 0); p32le(&w, 0);
			continue;
		}
		p16(&w, sec >> 16); p16(&w, sec & 0xffff);
		prnd(&w, 4);
	}
	return w.n;
}

/* IPMI message checksum: the bytes plus it sum to 0 */
static uint8_t
ipmi_ck(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n-- > 0)
		s = (uint8_t)(s + *p++);
	return (uint8_t)-s;
}

static void
rmcp_head(struct bw *w, unsigned ptype, uint32_t sid, uint32_t seq)
{
	p8(w, 0x06); p8(w, 0x00); p8(w, 0xff); p8(w, 0x07);	/* RMCP, IPMI */
	p8(w, 0x06);						/* RMCP+ */
	p8(w, ptype);
	p32le(w, sid);
	p32le(w, seq);
}

/* One message of an ipmitool-like session (as in pcaps/ipmi-cipher0.pcap
 * but with a real cipher suite 3 unless RV_CIPHER0). */
static size_t
rmcp_msg(struct gflow *f, int step, uint8_t *out)
{
	static const char *const users[] = { "monitor", "opsadmin", "svc-ipmi" };
	static const char *const defusers[] = { "ADMIN", "root", "admin", "USERID" };
	struct bw w = { out, 0 };
	unsigned alg = (f->variant & RV_CIPHER0) ? 0 : 1;
	const char *user;
	size_t m, len;

	switch (step) {
	case 0:		/* Get Channel Authentication Capabilities */
		p8(&w, 0x06); p8(&w, 0x00); p8(&w, 0xff); p8(&w, 0x07);
		p8(&w, 0); p32le(&w, 0); p32le(&w, 0);
		p8(&w, 9);
		m = w.n;
		p8(&w, 0x20); p8(&w, 0x18); p8(&w, ipmi_ck(out + m, 2));
		p8(&w, 0x81); p8(&w, 0x00); p8(&w, 0x38); p8(&w, 0x8e); p8(&w, 0x04);
		p8(&w, ipmi_ck(out + m + 3, 5));
		return w.n;
	case 1:
		p8(&w, 0x06); p8(&w, 0x00); p8(&w, 0xff); p8(&w, 0x07);
		p8(&w, 0); p32le(&w, 0); p32le(&w, 0);
		p8(&w, 16);
		m = w.n;
		p8(&w, 0x81); p8(&w, 0x1c); p8(&w, ipmi_ck(out + m, 2));
		p8(&w, 0x20); p8(&w, 0x00); p8(&w, 0x38);
		p8(&w, 0x00); p8(&w, 0x01); p8(&w, 0x97);
		/* 1 in 200 BMCs has anonymous login on */
		p8(&w, f->bmc % 200 == 7 ? 0x07 : 0x06);
		p8(&w, 0x03); p8(&w, 0); p8(&w, 0); p8(&w, 0); p8(&w, 0);
		p8(&w, ipmi_ck(out + m + 3, 12));
		return w.n;
	case 2:		/* Open Session Request */
		rmcp_head(&w, 0x10, 0, 0);
		p16le(&w, 32);
		p8(&w, 0); p8(&w, 4); p16le(&w, 0);
		p32le(&w, f->sid[0]);
		for (unsigned t = 0; t < 3; t++) {
			p8(&w, t); p16le(&w, 0); p8(&w, 8);
			p8(&w, alg); p8(&w, 0); p16le(&w, 0);
		}
		return w.n;
	case 3:		/* Open Session Response */
		rmcp_head(&w, 0x11, 0, 0);
		p16le(&w, 36);
		p8(&w, 0); p8(&w, 0); p8(&w, 4); p8(&w, 0);
		p32le(&w, f->sid[0]);
		p32le(&w, f->sid[1]);
		for (unsigned t = 0; t < 3; t++) {
			p8(&w, t); p16le(&w, 0); p8(&w, 8);
			p8(&w, alg); p8(&w, 0); p16le(&w, 0);
		}
		return w.n;
	case 4:		/* RAKP 1 */
		if (f->variant & RV_NULLUSER)
			user = "";
		else if (f->variant & RV_DEFUSER)
			user = defusers[f->bmc % 4];
		else
			user = users[f->bmc % 3];
		len = strlen(user);
		rmcp_head(&w, 0x12, 0, 0);
		p16le(&w, (unsigned)(28 + len));
		p8(&w, 0); p8(&w, 0); p16le(&w, 0);
		p32le(&w, f->sid[1]);
		prnd(&w, 16);
		p8(&w, 0x14); p16le(&w, 0);
		p8(&w, (unsigned)len);
		pmem(&w, user, len);
		return w.n;
	case 5:		/* RAKP 2: the HMAC a hash dumper takes away */
		rmcp_head(&w, 0x13, 0, 0);
		p16le(&w, 60);
		p8(&w, 0); p8(&w, 0); p16le(&w, 0);
		p32le(&w, f->sid[0]);
		prnd(&w, 16);
		p32le(&w, 0xa1234567); p32le(&w, 0x89abcdef);
		p32le(&w, f->bmc); p32le(&w, 0x89abcdef);
		prnd(&w, 20);
		return w.n;
	case 6:		/* RAKP 3 */
		rmcp_head(&w, 0x14, 0, 0);
		p16le(&w, 28);
		p8(&w, 0); p8(&w, 0); p16le(&w, 0);
		p32le(&w, f->sid[1]);
		prnd(&w, 20);
		return w.n;
	case 7:		/* RAKP 4 */
		rmcp_head(&w, 0x15, 0, 0);
		p16le(&w, 20);
		p8(&w, 0); p8(&w, 0); p16le(&w, 0);
		p32le(&w, f->sid[0]);
		prnd(&w, 12);
		return w.n;
	default:	/* encrypted, authenticated IPMI in the session */
		rmcp_head(&w, 0xc0, f->sid[step & 1 ? 0 : 1], f->sseq);
		len = (step & 1) && rn(3) == 0 ? 48 : 32;
		p16le(&w, (unsigned)len);
		prnd(&w, len);
		p8(&w, 0xff); p8(&w, 0xff); p8(&w, 0x02); p8(&w, 0x07);
		prnd(&w, 12);
		return w.n;
	}
}

/* SNMPv2c GetNext / Response of a walk of the system group */
static size_t
snmp_msg(struct gflow *f, int resp, uint8_t *out)
{
	static const char *const descr[] = {
		"Supermicro X12 BMC firmware 01.04.08",
		"iDRAC9 7.00.00.171", "Integrated Lights-Out 6 1.59",
		"OpenBMC 2.14.0-dev",
	};
	struct bw w = { out, 0 };
	size_t a, b, c, d, e;

	p8(&w, 0x30); a = hold(&w, 1);
	p8(&w, 0x02); p8(&w, 1); p8(&w, 1);			/* v2c */
	p8(&w, 0x04); p8(&w, 8); pstr(&w, "n0c-ro-7");		/* community */
	p8(&w, resp ? 0xa2 : 0xa1); b = hold(&w, 1);
	p8(&w, 0x02); p8(&w, 2); p16(&w, f->qid + f->round);	/* request id */
	p8(&w, 0x02); p8(&w, 1); p8(&w, 0);
	p8(&w, 0x02); p8(&w, 1); p8(&w, 0);
	p8(&w, 0x30); c = hold(&w, 1);
	p8(&w, 0x30); d = hold(&w, 1);
	p8(&w, 0x06); e = hold(&w, 1);
	p8(&w, 0x2b); p8(&w, 6); p8(&w, 1); p8(&w, 2); p8(&w, 1); p8(&w, 1);
	p8(&w, 1u + f->round); p8(&w, 0);
	fix(&w, e, 1);
	if (resp) {
		const char *s = descr[f->bmc % 4];
		p8(&w, 0x04); p8(&w, (unsigned)strlen(s)); pstr(&w, s);
	} else {
		p8(&w, 0x05); p8(&w, 0);
	}
	fix(&w, d, 1);
	fix(&w, c, 1);
	fix(&w, b, 1);
	fix(&w, a, 1);
	return w.n;
}

static size_t
syslog_msg(struct gflow *f, uint8_t *out)
{
	static const char *const msgs[] = {
		"Sensor 'CPU1 Temp' reading 47 C, threshold ok",
		"User 'monitor' logged in from 10.1.0.40 via Redfish",
		"Fan 3 speed 7200 RPM",
		"Event log 62% full",
	};
	uint32_t s = (uint32_t)(f->t / 1000000000);

	return (size_t)sprintf((char *)out,
	    "<%u>1 2023-11-14T22:%02u:%02uZ bmc-%05u ipmi - - - %s\n",
	    8 * 4 + rn(4) + 3, s / 60 % 60, s % 60, f->bmc,
	    msgs[rn(4)]);
}

static const unsigned suites_a[] = {
	0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
	0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0x00ff
};
static const unsigned suites_b[] = {
	0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8,
	0xccaa, 0xc02b, 0xc02f, 0x009e, 0xc024, 0xc028, 0x006b, 0xc023,
	0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033,
	0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff
};

static void
sni_of(const struct gflow *f, char *name, size_t len)
{
	if (f->bmc == UINT32_MAX)
		pool_name(f->name, name, len);
	else if (f->name < NINFRA)
		snprintf(name, len, "%s", infra_names[f->name]);
	else if (f->name == UINT32_MAX - 1)
		snprintf(name, len, "update.vendor-cloud.example");
	else
		snprintf(name, len, "bmc-%05u.mgmt.example.net", f->bmc);
}

static size_t
client_hello(struct gflow *f, uint8_t *out)
{
	struct bw w = { out, 0 };
	char name[80];
	int prof = (f->bmc == UINT32_MAX ? f->name : f->bmc) % 3 == 0;
	const unsigned *cs = prof ? suites_b : suites_a;
	size_t ncs = prof ? sizeof(suites_b) / sizeof(*cs) :
	    sizeof(suites_a) / sizeof(*cs);
	size_t rec, hs, ext, e1, e2;

	sni_of(f, name, sizeof(name));
	p8(&w, 0x16); p16(&w, 0x0301); rec = hold(&w, 2);
	p8(&w, 0x01); hs = hold(&w, 3);
	p16(&w, 0x0303);
	prnd(&w, 32);
	p8(&w, 32); prnd(&w, 32);
	p16(&w, (unsigned)(2 * ncs));
	for (size_t i = 0; i < ncs; i++)
		p16(&w, cs[i]);
	p8(&w, 1); p8(&w, 0);
	ext = hold(&w, 2);
	p16(&w, 0x0000); e1 = hold(&w, 2); e2 = hold(&w, 2);	/* SNI */
	p8(&w, 0); p16(&w, (unsigned)strlen(name)); pstr(&w, name);
	fix(&w, e2, 2); fix(&w, e1, 2);
	p16(&w, 0x000b); p16(&w, 2); p8(&w, 1); p8(&w, 0);
	p16(&w, 0x000a); p16(&w, 8); p16(&w, 6);
	p16(&w, 0x001d); p16(&w, 0x0017); p16(&w, 0x0018);
	p16(&w, 0x0017); p16(&w, 0);				/* EMS */
	p16(&w, 0x000d); p16(&w, 14); p16(&w, 12);
	p16(&w, 0x0403); p16(&w, 0x0503); p16(&w, 0x0603);
	p16(&w, 0x0804); p16(&w, 0x0805); p16(&w, 0x0806);
	if (!prof) {
		p16(&w, 0x0010); e1 = hold(&w, 2); e2 = hold(&w, 2);	/* ALPN */
		p8(&w, 2); pstr(&w, "h2");
		p8(&w, 8); pstr(&w, "http/1.1");
		fix(&w, e2, 2); fix(&w, e1, 2);
	}
	p16(&w, 0x002b); p16(&w, 5); p8(&w, 4); p16(&w, 0x0304); p16(&w, 0x0303);
	p16(&w, 0x0033); p16(&w, 38); p16(&w, 36); p16(&w, 0x001d); p16(&w, 32);
	prnd(&w, 32);
	fix(&w, ext, 2);
	fix(&w, hs, 3);
	fix(&w, rec, 2);
	return w.n;
}

/* ServerHello, ChangeCipherSpec, then encrypted handshake up to 'room' */
static size_t
server_hello(uint8_t *out, size_t room)
{
	struct bw w = { out, 0 };
	size_t rec, hs, ext, r2;

	p8(&w, 0x16); p16(&w, 0x0303); rec = hold(&w, 2);
	p8(&w, 0x02); hs = hold(&w, 3);
	p16(&w, 0x0303);
	prnd(&w, 32);
	p8(&w, 32); prnd(&w, 32);
	p16(&w, 0x1302);
	p8(&w, 0);
	ext = hold(&w, 2);
	p16(&w, 0x002b); p16(&w, 2); p16(&w, 0x0304);
	p16(&w, 0x0033); p16(&w, 36); p16(&w, 0x001d); p16(&w, 32); prnd(&w, 32);
	fix(&w, ext, 2);
	fix(&w, hs, 3);
	fix(&w, rec, 2);
	p8(&w, 0x14); p16(&w, 0x0303); p16(&w, 1); p8(&w, 1);
	if (room > w.n + 5 + 16) {
		p8(&w, 0x17); p16(&w, 0x0303); r2 = hold(&w, 2);
		prnd(&w, room - w.n);
		fix(&w, r2, 2);
	}
	return w.n;
}

/* TLS application data record of n bytes (n >= 6) */
static size_t
tls_data(uint8_t *out, size_t n)
{
	out[0] = 0x17; out[1] = 0x03; out[2] = 0x03;
	be16(out + 3, (unsigned)(n - 5));
	rbytes(out + 5, n - 5);
	return n;
}

/* An SSH binary packet of n bytes (n >= 6): length, padding, ciphertext */
static size_t
ssh_data(uint8_t *out, size_t n)
{
	be32(out, (uint32_t)(n - 4));
	out[4] = 8;
	rbytes(out + 5, n - 5);
	return n;
}

static size_t
fill_text(uint8_t *out, size_t n)
{
	static const char txt[] =
	    "\"Status\":{\"State\":\"Enabled\",\"Health\":\"OK\"},\"Reading\":"
	    "42,\"ReadingUnits\":\"Cel\",\"PhysicalContext\":\"CPU\",";

	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)txt[i % (sizeof(txt) - 1)];
	return n;
}

/* Client request of a TCP round */
static size_t
tcp_request(struct gflow *f, uint8_t *out)
{
	size_t n;

	switch (f->kind) {
	case K_TLS:
		if (f->round == 0)
			return client_hello(f, out);
		return tls_data(out, rr(80, 700));
	case K_HTTP:
		return (size_t)sprintf((char *)out,
		    "GET /redfish/v1/Chassis/1/Thermal HTTP/1.1\r\n"
		    "Host: %u.%u.%u.%u\r\nUser-Agent: python-requests/2.31.0\r\n"
		    "Accept: application/json\r\nAuthorization: Basic "
		    "bW9uaXRvcjptb25pdG9y\r\nConnection: keep-alive\r\n\r\n",
		    f->srv[0], f->srv[1], f->srv[2], f->srv[3]);
	case K_SSH:
	case K_OPEN:
		if (f->round == 0)
			return (size_t)sprintf((char *)out,
			    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2\r\n");
		break;
	default:
		break;
	}
	n = rr(60, f->round == 0 ? 1200 : 400);
	rbytes(out, n);
	return n;
}

/* Server segment 'i' of a round's response; last: the final one */
static size_t
tcp_response(struct gflow *f, int i, int last, uint8_t *out)
{
	size_t n = last ? rr(100, 1448) : 1448;

	switch (f->kind) {
	case K_TLS:
		if (f->round == 0 && i == 0)
			return server_hello(out, n);
		return tls_data(out, n);
	case K_HTTP:
		if (i == 0) {
			size_t h = (size_t)sprintf((char *)out,
			    "HTTP/1.1 200 OK\r\nServer: lighttpd/1.4.59\r\n"
			    "Content-Type: application/json\r\n"
			    "Content-Length: %u\r\nOData-Version: 4.0\r\n\r\n{",
			    (unsigned)(f->segleft * 1448 + n));
			return h + fill_text(out + h, n > h ? n - h : 1);
		}
		return fill_text(out, n);
	case K_SSH:
	case K_OPEN:
		if (f->round == 0)
			return (size_t)sprintf((char *)out,
			    "SSH-2.0-OpenSSH_8.0\r\n");
		break;
	default:
		break;
	}
	rbytes(out, n);
	return n;
}

/* ---- the state machines: emit one packet, return 0 when the flow ends --- */

static int64_t gap;	/* set by a step: time to the flow's next packet */

static int
step_tcp(struct gflow *f)
{
	size_t n;

	switch (f->step) {
	case T_SYN:
		emit(f, 0, 0x02, 0);
		f->step = T_SYNACK;
		gap = f->rtt / 2;
		return 1;
	case T_SYNACK:
		emit(f, 1, 0x12, 0);
		f->step = T_ACK;
		gap = f->rtt / 2;
		return 1;
	case T_ACK:
		emit(f, 0, 0x10, 0);
		f->step = T_REQ;
		gap = 20000 + rn(200000);
		return 1;
	case T_REQ:
		n = tcp_request(f, pl(f));
		emit(f, 0, 0x18, n);
		f->step = T_RESP;
		f->segleft = (uint8_t)(f->round == 0 && f->kind == K_TLS ?
		    rr(2, 3) : f->kind == K_SSH && f->round == 0 ? 1 :
		    rr(1, 2));
		f->unacked = 0;
		gap = f->rtt / 2 + rn(3000000);
		return 1;
	case T_RESP:
		if (f->unacked >= 2 || (f->segleft == 0 && f->unacked > 0)) {
			emit(f, 0, 0x10, 0);
			f->unacked = 0;
			gap = 15000;
			if (f->segleft > 0)
				return 1;
		} else {
			f->segleft--;
			n = tcp_response(f, f->unacked, f->segleft == 0, pl(f));
			emit(f, 1, f->segleft == 0 ? 0x18 : 0x10, n);
			f->unacked++;
			gap = f->segleft > 0 ? 12000 : f->rtt / 2;
			return 1;
		}
		/* round done */
		if (++f->round < f->rounds) {
			f->step = T_REQ;
			gap = 1000000 + (int64_t)rn(1500) * 1000000;
			return 1;
		}
		if (f->close == 2)
			return 0;		/* left open: ends by timeout */
		f->step = T_FIN1;
		gap = 100000 + rn(2000000);
		return 1;
	case T_FIN1:
		if (f->close == 1) {
			emit(f, 0, 0x14, 0);	/* RST+ACK */
			return 0;
		}
		emit(f, 0, 0x11, 0);
		f->step = T_FIN2;
		gap = f->rtt / 2;
		return 1;
	case T_FIN2:
		emit(f, 1, 0x11, 0);
		f->step = T_FIN3;
		gap = f->rtt / 2;
		return 1;
	default:
		emit(f, 0, 0x10, 0);
		return 0;
	}
}

static int
step_udp(struct gflow *f)
{
	int dir = f->step & 1;
	size_t n;

	switch (f->kind) {
	case K_DNS:
		emit(f, dir, 0, dns_msg(f, dir, pl(f)));
		gap = dir ? 5000 + rn(100000) : 200000 + rn(2000000);
		if (dir)
			f->round++, f->qid++;
		f->step++;
		return f->round < f->rounds;
	case K_NTP:
		emit(f, dir, 0, ntp_msg(f, dir, pl(f)));
		gap = 200000 + rn(800000);
		f->step++;
		return f->step < 2;
	case K_SNMP:
		emit(f, dir, 0, snmp_msg(f, dir, pl(f)));
		gap = dir ? 2000000 + rn(20000000) : 500000 + rn(3000000);
		if (dir)
			f->round++;
		f->step++;
		return f->round < f->rounds;
	case K_SYSLOG:
		emit(f, 0, 0, syslog_msg(f, pl(f)));
		gap = 1000000000 + (int64_t)rn(20) * 1000000000;
		return ++f->step < f->rounds;
	case K_ICMP: {
		uint8_t *p = pl(f);
		p[0] = f->v6 ? (dir ? 129 : 128) : (dir ? 0 : 8);
		p[1] = 0;
		be16(p + 4, f->qid);
		be16(p + 6, f->step / 2);
		rbytes(p + 8, 56);
		emit(f, dir, 0, 64);
		gap = dir ? 1000000000 : f->rtt;
		return ++f->step < 2 * f->rounds;
	}
	case K_RMCP:
		n = rmcp_msg(f, f->step, pl(f));
		emit(f, dir, 0, n);
		if (f->step >= 8 && dir)
			f->sseq++;
		gap = 100000 + rn(600000);
		f->step++;
		if ((f->variant & RV_HASHDUMP) && f->step == 6)
			return 0;
		return f->step < 8 + 2 * f->rounds;
	default:
		return 0;
	}
}

static int
step(struct gflow *f)
{
	return f->proto == 6 ? step_tcp(f) : step_udp(f);
}

/* ---- a heap of live flows by next packet time ---------------------------- */

static struct gflow **heap;
static size_t nheap, heapcap;

static void
heap_push(struct gflow *f)
{
	size_t i;

	if (nheap == heapcap) {
		heapcap = heapcap ? heapcap * 2 : 4096;
		if ((heap = realloc(heap, heapcap * sizeof(*heap))) == NULL) {
			perror("gen-big");
			exit(1);
		}
	}
	for (i = nheap++; i > 0 && heap[(i - 1) / 2]->t > f->t; i = (i - 1) / 2)
		heap[i] = heap[(i - 1) / 2];
	heap[i] = f;
}

static struct gflow *
heap_pop(void)
{
	struct gflow *top = heap[0], *last = heap[--nheap];
	size_t i = 0, c;

	while ((c = 2 * i + 1) < nheap) {
		if (c + 1 < nheap && heap[c + 1]->t < heap[c]->t)
			c++;
		if (heap[c]->t >= last->t)
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (nheap > 0)
		heap[i] = last;
	return top;
}

/* ---- who talks to whom ---------------------------------------------------- */

#define NBMC	4000

static void
v4(uint8_t a[16], unsigned x, unsigned y, unsigned z, unsigned w)
{
	memset(a, 0, 16);
	a[0] = (uint8_t)x; a[1] = (uint8_t)y; a[2] = (uint8_t)z; a[3] = (uint8_t)w;
}

static void
bmc_addr(uint32_t b, uint8_t a[16])
{
	v4(a, 10, 50, b / 250, 1 + b % 250);
}

static void
other_host(struct gflow *f, uint8_t a[16])
{
	uint32_t h = rn(3000);

	if (f->v6) {
		memset(a, 0, 16);
		a[0] = 0xfd; a[3] = 0x20;
		a[14] = (uint8_t)(h >> 8); a[15] = (uint8_t)h;
	} else
		v4(a, 10, 20, h / 250, 1 + h % 250);
}

static struct gflow *
new_flow(int64_t t)
{
	struct gflow *f = calloc(1, sizeof(*f));
	uint32_t k = rn(1000);

	if (f == NULL) {
		perror("gen-big");
		exit(1);
	}
	f->t = t;
	f->rtt = 100000 + rn(500000);
	f->cport = (uint16_t)rr(32768, 60999);
	f->seq[0] = (uint32_t)r64();
	f->seq[1] = (uint32_t)r64();
	f->ipid[0] = (uint16_t)r64();
	f->ipid[1] = (uint16_t)r64();
	f->qid = (uint16_t)r64();
	f->bmc = rn(NBMC);
	f->sid[0] = 0xa0a2a3a4u ^ (uint32_t)rn(65536);
	f->sid[1] = 0x00000102u + (rn(255) << 8);
	f->rounds = 1;
	f->close = permille(30) ? 1 : permille(30) ? 2 : 0;
	if (k < 220) {			/* BMC resolves infrastructure names */
		f->kind = K_DNS;
		bmc_addr(f->bmc, f->cli);
		v4(f->srv, 10, 1, 0, 53);
		f->sport = 53;
		f->name = rn(NINFRA);
		f->rounds = permille(150) ? 2 : 1;
		f->variant = permille(20);		/* NXDOMAIN */
	} else if (k < 370) {		/* BMC polls NTP */
		f->kind = K_NTP;
		bmc_addr(f->bmc, f->cli);
		v4(f->srv, 10, 1, 0, 10 + rn(2));
		f->sport = 123;
	} else if (k < 460) {		/* admin host runs an IPMI session */
		f->kind = K_RMCP;
		bmc_addr(f->bmc, f->srv);
		v4(f->cli, 10, 1, 0, 40 + rn(2));
		f->sport = 623;
		f->rounds = (uint8_t)rr(1, 8);
		if (permille(30))
			v4(f->cli, 10, 1, 0, 45);	/* a monitoring host */
		if (permille(10))
			f->variant |= RV_CIPHER0;
		if (permille(5))
			f->variant |= RV_NULLUSER;
		if (permille(10))
			f->variant |= RV_DEFUSER;
		if (permille(5)) {		/* a scanner dumping hashes */
			f->variant |= RV_HASHDUMP | RV_DEFUSER;
			v4(f->cli, 10, 20, 66, 6);
		}
	} else if (k < 490) {		/* an admin host walks the system group */
		f->kind = K_SNMP;
		bmc_addr(f->bmc, f->srv);
		v4(f->cli, 10, 1, 0, 40 + rn(2));
		f->sport = 161;
		f->rounds = (uint8_t)rr(1, 4);
	} else if (k < 530) {		/* BMC logs over UDP */
		f->kind = K_SYSLOG;
		bmc_addr(f->bmc, f->cli);
		v4(f->srv, 10, 1, 0, 20);
		f->sport = 514;
		f->rounds = (uint8_t)rr(1, 3);
	} else if (k < 720) {		/* TLS: admin->BMC, BMC->LDAP/events */
		f->kind = K_TLS;
		f->sport = 443;
		f->rounds = (uint8_t)rr(1, 3);
		f->name = UINT32_MAX;
		if (k < 620) {
			bmc_addr(f->bmc, f->srv);
			v4(f->cli, 10, 1, 0, 40 + rn(2));
		} else if (k < 660) {
			bmc_addr(f->bmc, f->cli);
			v4(f->srv, 10, 1, 0, 60 + rn(2));
			f->sport = 636;
			f->name = 2;
		} else if (k < 680) {
			bmc_addr(f->bmc, f->cli);
			v4(f->srv, 10, 1, 0, 80);
			f->name = 4;
		} else if (k < 682) {	/* phone-home to a public address */
			bmc_addr(f->bmc, f->cli);
			v4(f->srv, 203, 0, 113, 200 + rn(10));
			f->name = UINT32_MAX - 1;
		} else if (k < 685) {	/* BMC to BMC: outside the management net */
			bmc_addr(f->bmc, f->cli);
			bmc_addr((f->bmc + 1) % NBMC, f->srv);
		} else {		/* other hosts to named servers */
			f->bmc = UINT32_MAX;
			f->vlan = 20;
			f->v6 = permille(150);
			f->name = rn(NPOOL);
			other_host(f, f->cli);
			pool_addr(f->name, f->v6, f->srv);
		}
	} else if (k < 760) {		/* Redfish over HTTP */
		f->kind = K_HTTP;
		bmc_addr(f->bmc, f->srv);
		v4(f->cli, 10, 1, 0, 40 + rn(2));
		f->sport = 80;
		f->rounds = (uint8_t)rr(1, 4);
	} else if (k < 790) {		/* SSH to a BMC */
		f->kind = K_SSH;
		bmc_addr(f->bmc, f->srv);
		v4(f->cli, 10, 1, 0, 40 + rn(2));
		f->sport = 22;
		f->rounds = (uint8_t)rr(3, 8);
	} else if (k < 935) {		/* other hosts: DNS for pool names */
		f->kind = K_DNS;
		f->bmc = UINT32_MAX;
		f->vlan = 20;
		f->v6 = permille(200);
		f->name = rn(NPOOL);
		other_host(f, f->cli);
		if (f->v6) {
			memset(f->srv, 0, 16);
			f->srv[0] = 0xfd; f->srv[3] = 0x20; f->srv[15] = 0x53;
		} else
			v4(f->srv, 10, 20, 0, 53);
		f->sport = 53;
		f->rounds = permille(300) ? 2 : 1;
		f->variant = permille(30);
	} else if (k < 985) {		/* other hosts: plain TCP services */
		static const uint16_t ports[] = { 445, 3306, 5432, 2049, 8080 };
		f->kind = K_TCP;
		f->bmc = UINT32_MAX;
		f->vlan = 20;
		other_host(f, f->cli);
		v4(f->srv, 10, 30, rn(4), 1 + rn(50));
		f->sport = ports[rn(5)];
		f->rounds = (uint8_t)rr(1, 4);
	} else {			/* pings on the management network */
		f->kind = K_ICMP;
		v4(f->cli, 10, 1, 0, 30);
		bmc_addr(f->bmc, f->srv);
		f->proto = 1;
		f->rounds = (uint8_t)rr(1, 4);
		f->cport = f->sport = 0;
	}
	if (f->proto == 0)
		f->proto = f->kind >= K_TLS ? 6 : 17;
	if (f->kind == K_NTP && permille(200))
		f->cport = 123;
	kinds[f->kind]++;
	nflows++;
	return f;
}

static int
gen_mix(uint64_t want)
{
	/* ~9 packets per flow: start a flow every 'mean' ns on average */
	int64_t span = (int64_t)(want / 1100 + 1) * 1000000000LL;
	int64_t mean = span / (int64_t)(want / 9 + 1), next = 1700000000LL *
	    1000000000LL;
	struct gflow *f;

	while (npkts < want) {
		if (nheap == 0 || next <= heap[0]->t) {
			heap_push(new_flow(next));
			next += (int64_t)rn((uint32_t)(2 * mean)) + 1;
			continue;
		}
		f = heap_pop();
		if (step(f)) {
			f->t += gap > 0 ? gap : 1;
			heap_push(f);
		} else
			free(f);
	}
	while (nheap > 0)
		free(heap_pop());
	return 0;
}

/* The scaling capture: see the head comment. */
static int
gen_open(uint32_t nf, uint64_t steady)
{
	struct gflow *fl = calloc(nf, sizeof(*fl)), *f;
	int64_t t0 = 1700000000LL * 1000000000LL;
	int64_t open_gap = 20000000000LL / nf, steady_gap;

	if (fl == NULL) {
		perror("gen-big");
		return 1;
	}
	for (uint32_t i = 0; i < nf; i++) {
		f = &fl[i];
		f->kind = K_OPEN;
		f->proto = 6;
		/* the two admin hosts, each BMC, as many ports as it takes */
		v4(f->cli, 10, 1, 0, 40 + (i & 1));
		f->bmc = (i >> 1) % NBMC;
		bmc_addr(f->bmc, f->srv);
		f->cport = (uint16_t)(1024 + (i >> 1) / NBMC);
		f->sport = 22;
		f->seq[0] = (uint32_t)r64();
		f->seq[1] = (uint32_t)r64();
		/* the 4 packets inside the flow's slot: time never steps back */
		f->t = t0 + (int64_t)i * open_gap;
		emit(f, 0, 0x02, 0);
		f->t += open_gap / 4;
		emit(f, 1, 0x12, 0);
		f->t += open_gap / 4;
		emit(f, 0, 0x18, tcp_request(f, pl(f)));
		f->t += open_gap / 4;
		emit(f, 1, 0x18, tcp_response(f, 0, 1, pl(f)));
		kinds[K_OPEN]++;
		nflows++;
	}
	steady_gap = steady > 0 ? 60000000000LL / (int64_t)steady : 0;
	for (uint64_t i = 0; i < steady; i++) {
		f = &fl[rn(nf)];
		f->t = t0 + 21000000000LL + (int64_t)i * steady_gap;
		if (rn(2) == 0)
			emit(f, 0, 0x18, ssh_data(pl(f), rr(52, 240)));
		else if (rn(5) < 3)
			emit(f, 1, 0x10, 0);
		else
			emit(f, 1, 0x18, ssh_data(pl(f), rr(100, 700)));
	}
	free(fl);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen-big -o FILE [-s SEED] [-n PACKETS]\n"
	    "       gen-big -o FILE [-s SEED] -F FLOWS [-S PACKETS]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	uint64_t seed = 1, want = 2000000, steady = 0;
	uint32_t open_flows = 0;
	pcap_t *pd;
	int ch, rc;

	while ((ch = getopt(argc, argv, "o:s:n:F:S:")) != -1) {
		switch (ch) {
		case 'o': out = optarg; break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'n': want = strtoull(optarg, NULL, 10); break;
		case 'F': open_flows = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'S': steady = strtoull(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (out == NULL || optind != argc || want == 0 ||
	    (open_flows == 0 && steady > 0))
		usage();
	rng = seed * 0x2545f4914f6cdd1dULL + 1;
	if ((pd = pcap_open_dead(DLT_EN10MB, 65535)) == NULL ||
	    (dumper = pcap_dump_open(pd, out)) == NULL) {
		fprintf(stderr, "gen-big: %s: %s\n", out,
		    pd ? pcap_geterr(pd) : "pcap_open_dead failed");
		return 1;
	}
	rc = open_flows > 0 ? gen_open(open_flows, steady) : gen_mix(want);
	if (pcap_dump_flush(dumper) != 0) {
		fprintf(stderr, "gen-big: %s: write error\n", out);
		rc = 1;
	}
	pcap_dump_close(dumper);
	pcap_close(pd);
	fprintf(stderr, "gen-big: %s: %llu packets, %llu flows, %llu bytes "
	    "(%.0f per packet):", out, (unsigned long long)npkts,
	    (unsigned long long)nflows, (unsigned long long)nbytes,
	    npkts ? (double)nbytes / (double)npkts : 0.0);
	for (int k = 0; k < K_MAX; k++)
		if (kinds[k] > 0)
			fprintf(stderr, " %s=%llu", kind_names[k],
			    (unsigned long long)kinds[k]);
	fprintf(stderr, "\n");
	return rc;
}
