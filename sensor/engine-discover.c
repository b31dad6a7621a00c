/*
 * engine-discover.c - passive BMC identification, fed from the packets
 * and from what the app stage learned (detect-bmc.c keeps the inventory
 * and decides).  The BMC is always the sender of the packet that carries
 * a fact: it answered on 623, sent the certificate, the Server header,
 * the SSH banner, the sysDescr.  A host that only asks is a manager.
 */
#include <string.h>

#include "engine.h"
#include "engine-discover.h"
#include "app.h"
#include "app-flow.h"
#include "app-x509.h"
#include "detect-bmc.h"
#include "flow.h"
#include "flow-table.h"
#include "detect.h"
#include "hash.h"

#define SEEN_CERT	0x01
#define SEEN_HTTP	0x02
#define SEEN_SSH	0x04
#define SEEN_REDFISH	0x08
#define SEEN_UDP	0x10

static int
max(int a, int b)
{
	return a > b ? a : b;
}

static int
ev(struct engine *e, const struct packet *p, enum bmc_ev k,
    const char *detail, uint32_t iana, uint16_t port)
{
	return bmc_evidence(e->bmc, &p->src, p->mac_src, k, detail, iana,
	    port, p->ts_ns);
}

static int
udp(struct engine *e, const struct flow *f, struct flow_ext *x, int dir,
    const struct packet *p)
{
	const union app_datagram *m = app_last_datagram(e->app);
	struct ssdp_info sd;
	struct slp_info sl;
	char d[BMC_DETAIL_MAX];
	uint32_t iana = 0;
	enum bmc_ev k;
	int n = 0;

	/* RMCP and SNMP were parsed by the app stage for this packet */
	if (x != NULL && x->app == APP_RMCP) {
		if (m != NULL && (k = bmc_rmcp_kind(&m->rmcp, p->sport,
		    p->dport, &iana)) != BMC_EV_NONE)
			n = max(n, ev(e, p, k, NULL, iana, p->sport));
		return n;
	}
	if (dir == DIR_TOCLIENT && x != NULL && !(x->bmc_seen & SEEN_UDP)) {
		x->bmc_seen |= SEEN_UDP;	/* answered on its port */
		n = max(n, ev(e, p, BMC_EV_UDP_PORT, NULL, 0, p->sport));
	}
	if (x != NULL && x->app == APP_SNMP && dir == DIR_TOCLIENT &&
	    m != NULL && m->snmp.pdu_type == 0xa2) {
		if (m->snmp.sys_descr[0] != '\0')
			n = max(n, ev(e, p, BMC_EV_SNMP_DESCR, m->snmp.sys_descr,
			    0, p->sport));
		if (m->snmp.sys_object_id[0] != '\0')
			n = max(n, ev(e, p, BMC_EV_SNMP_OID,
			    m->snmp.sys_object_id, 0, p->sport));
	} else if ((p->sport == 1900 || p->dport == 1900) &&
	    app_ssdp_parse(p->payload, p->payload_len, &sd) == APP_OK &&
	    sd.kind != SSDP_MSEARCH) {
		bmc_ssdp_detail(&sd, d, sizeof(d));
		n = max(n, ev(e, p, BMC_EV_SSDP, d, 0, 1900));
	} else if ((p->sport == 427 || p->dport == 427) &&
	    app_slp_parse(p->payload, p->payload_len, &sl) == APP_OK &&
	    sl.function != SLP_SRVRQST && sl.text[0] != '\0')
		n = max(n, ev(e, p, BMC_EV_SLP, sl.text, 0, 427));
	(void)f;
	return n;
}

/* TCP: the handshake says what it listens on, the app stage the rest. */
static int
tcp(struct engine *e, const struct flow *f, struct flow_ext *x, int dir,
    const struct packet *p)
{
	const struct tls_flow *t;
	const struct http_flow *h;
	const struct ssh_flow *s;
	int n = 0;

	if ((p->tcp_flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK))
		n = max(n, ev(e, p, BMC_EV_TCP_PORT, NULL, 0, p->sport));
	if (x == NULL || dir != DIR_TOCLIENT)
		return n;
	/* each protocol's facts only from a flow of that protocol */
	if ((t = flow_tls(x)) != NULL && t->cert != NULL &&
	    !(x->bmc_seen & SEEN_CERT)) {
		x->bmc_seen |= SEEN_CERT;
		n = max(n, ev(e, p, BMC_EV_TLS_CERT, t->cert, 0, flow_dport(f)));
	}
	if ((h = flow_http(x)) != NULL) {
		if (h->server != NULL && !(x->bmc_seen & SEEN_HTTP)) {
			x->bmc_seen |= SEEN_HTTP;
			n = max(n, ev(e, p, BMC_EV_HTTP_SERVER, h->server, 0,
			    flow_dport(f)));
		}
		if (h->status != 0 && h->uri != NULL &&
		    strncmp(h->uri, "/redfish/v1", 11) == 0 &&
		    ((h->status >= 200 && h->status < 300) ||
		    h->status == 401) && !(x->bmc_seen & SEEN_REDFISH)) {
			x->bmc_seen |= SEEN_REDFISH;
			n = max(n, ev(e, p, BMC_EV_REDFISH, h->uri, 0,
			    flow_dport(f)));
		}
	}
	if ((s = flow_ssh(x)) != NULL && s->server != NULL &&
	    !(x->bmc_seen & SEEN_SSH)) {
		x->bmc_seen |= SEEN_SSH;
		n = max(n, ev(e, p, BMC_EV_SSH_BANNER, s->server, 0,
		    flow_dport(f)));
	}
	return n;
}

int
discover_packet(struct engine *e, struct flow *f, int dir,
    const struct packet *p)
{
	if (e->bmc == NULL)
		return 0;
	if (p->proto == 6)
		return tcp(e, f, f->ext, dir, p);
	if (p->proto == 17 && p->payload_len > 0)
		return udp(e, f, f->ext, dir, p);
	return 0;
}

/* ---- flows of new BMCs, evaluated again in batches ------------------ */

#define RECHECK_AGE_NS	(5 * 1000000000LL)	/* longest wait of a batch */

/*
 * Two bits of 4096 per waiting address (a Bloom filter): a flow whose
 * hosts do not hit both bits concerns no waiting host, and that is
 * nearly every flow of the walk (at 64 hosts, 1 in 1000 gets through).
 */
static void
addr_bits(const struct bw_addr *a, uint32_t *b1, uint32_t *b2)
{
	uint32_t h = fnv1a32(FNV32_INIT, a, sizeof(*a));

	*b1 = h & 4095;
	*b2 = (h >> 12) & 4095;
}

static int
maybe_waiting(const struct engine *e, const struct bw_addr *a)
{
	uint32_t b1, b2;

	addr_bits(a, &b1, &b2);
	return (e->recheck_bits[b1 >> 6] >> (b1 & 63) & 1) &&
	    (e->recheck_bits[b2 >> 6] >> (b2 & 63) & 1);
}

/* The time the waiting host of f was found, or -1 when none waits. */
static int64_t
waiting(const struct engine *e, const struct flow *f)
{
	const struct bw_addr *s = flow_src(f), *d = flow_dst(f);
	int64_t ts = -1;

	if (!maybe_waiting(e, s) && !maybe_waiting(e, d))
		return -1;
	for (size_t i = 0; i < e->nrecheck; i++)
		if (memcmp(&e->recheck[i].ip, s, sizeof(*s)) == 0 ||
		    memcmp(&e->recheck[i].ip, d, sizeof(*d)) == 0)
			if (ts == -1 || e->recheck[i].ts < ts)
				ts = e->recheck[i].ts;
	return ts;
}

static void
recheck_one(void *arg, struct flow *f)
{
	struct engine *e = arg;
	int64_t ts = waiting(e, f);

	/*
	 * The flow as it is now, so no earlier than its last packet; and
	 * not final: it is still open, so what has not happened yet (no
	 * RAKP 3, no name) may still happen, and its end decides.
	 */
	if (ts != -1)
		detect_flow(e->det, f, ts > f->last_ns ? ts : f->last_ns, 0);
}

void
recheck_run(struct engine *e)
{
	if (e->nrecheck > 0 && e->det != NULL)
		flow_table_foreach(e->ft, recheck_one, e);
	e->nrecheck = 0;
	memset(e->recheck_bits, 0, sizeof(e->recheck_bits));
}

void
recheck_add(struct engine *e, const struct bw_addr *a, int64_t ts)
{
	uint32_t b1, b2;

	if (e->nrecheck == ENGINE_RECHECK_MAX)
		recheck_run(e);
	e->recheck[e->nrecheck].ip = *a;
	e->recheck[e->nrecheck].ts = ts;
	e->nrecheck++;
	addr_bits(a, &b1, &b2);
	e->recheck_bits[b1 >> 6] |= 1ULL << (b1 & 63);
	e->recheck_bits[b2 >> 6] |= 1ULL << (b2 & 63);
}

void
recheck_due(struct engine *e, int64_t now_ns)
{
	if (e->nrecheck > 0 && (e->nrecheck == ENGINE_RECHECK_MAX ||
	    now_ns - e->recheck[0].ts >= RECHECK_AGE_NS))
		recheck_run(e);
}

void
recheck_flow(struct engine *e, struct flow *f)
{
	int64_t ts;

	if (e->nrecheck > 0 && e->det != NULL && (ts = waiting(e, f)) != -1)
		detect_flow(e->det, f, ts > f->last_ns ? ts : f->last_ns, 1);
}
