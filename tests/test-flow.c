/*
 * test-flow.c - the flow table on hand-built packets: who the initiator
 * is, conn_state and history, timeouts by packet time, eviction when
 * full, port reuse, fragments, ICMP request/reply pairing.
 */
#include "check.h"
#include "flow.h"
#include "flow-table.h"
#include "decode.h"

#define SEC 1000000000LL

struct ended {
	int		 n;
	char		 state[16][8];
	int		 reason[16];
	uint64_t	 pkts[16];
};

static void
on_end(void *arg, struct flow *f)
{
	struct ended *e = arg;

	if (e->n < 16) {
		snprintf(e->state[e->n], sizeof(e->state[0]), "%s",
		    flow_conn_state(f));
		e->reason[e->n] = f->end_reason;
		e->pkts[e->n] = f->pkts[0] + f->pkts[1];
	}
	e->n++;
}

static struct packet
pkt(const char *src, int sport, const char *dst, int dport, int proto,
    uint8_t flags, uint32_t plen, int64_t ts)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	bw_addr_parse(src, &p.src);
	bw_addr_parse(dst, &p.dst);
	p.sport = (uint16_t)sport;
	p.dport = (uint16_t)dport;
	p.proto = (uint8_t)proto;
	p.ipver = strchr(src, ':') ? 6 : 4;
	p.tcp_flags = flags;
	p.payload_wire = p.payload_len = plen;
	p.ts_ns = ts;
	p.wirelen = 60 + plen;
	return p;
}

static struct flow_update
feed(struct flow_table *ft, struct packet p)
{
	struct flow_update u;

	flow_table_packet(ft, &p, &u);
	return u;
}

static void
test_handshake(void)
{
	struct flow_timeouts t;
	struct ended e = {0};
	struct flow_table *ft;
	struct flow_update u;
	char a[64];

	flow_timeouts_default(&t);
	ft = flow_table_new(16, &t, on_end, &e);
	/* the server's address sorts lower: the key is flipped */
	u = feed(ft, pkt("10.50.0.10", 40000, "10.1.0.5", 443, 6, TH_SYN, 0, 1 * SEC));
	CHECK(u.created);
	CHECK_STR(bw_addr_str(flow_src(u.flow), a, sizeof(a)), "10.50.0.10");
	CHECK_INT(flow_dport(u.flow), 443);
	CHECK_STR(flow_conn_state(u.flow), "S0");
	u = feed(ft, pkt("10.1.0.5", 443, "10.50.0.10", 40000, 6, TH_SYN | TH_ACK, 0, 1 * SEC + 1000));
	CHECK(!u.created);
	CHECK_INT(u.dir, DIR_TOCLIENT);
	feed(ft, pkt("10.50.0.10", 40000, "10.1.0.5", 443, 6, TH_ACK, 0, 1 * SEC + 2000));
	CHECK_STR(flow_conn_state(u.flow), "S1");
	CHECK_STR(flow_suricata_state(u.flow), "established");
	feed(ft, pkt("10.50.0.10", 40000, "10.1.0.5", 443, 6, TH_ACK | TH_PSH, 100, 2 * SEC));
	feed(ft, pkt("10.1.0.5", 443, "10.50.0.10", 40000, 6, TH_ACK | TH_PSH, 200, 2 * SEC));
	feed(ft, pkt("10.50.0.10", 40000, "10.1.0.5", 443, 6, TH_ACK | TH_FIN, 0, 3 * SEC));
	CHECK_STR(flow_conn_state(u.flow), "S2");
	feed(ft, pkt("10.1.0.5", 443, "10.50.0.10", 40000, 6, TH_ACK | TH_FIN, 0, 3 * SEC));
	CHECK_STR(flow_conn_state(u.flow), "SF");
	CHECK_STR(u.flow->history, "ShADdFf");
	CHECK_INT(u.flow->pkts[DIR_TOSERVER], 4);
	CHECK_INT(u.flow->pkts[DIR_TOCLIENT], 3);
	CHECK_INT(u.flow->bytes[DIR_TOCLIENT], 60 * 3 + 200);
	CHECK_STR(flow_suricata_state(u.flow), "closed");
	/* closed flows time out after tcp-closed (60 s) of packet time */
	feed(ft, pkt("10.9.9.9", 1, "10.9.9.8", 2, 17, 0, 10, 62 * SEC));
	CHECK_INT(e.n, 0);
	feed(ft, pkt("10.9.9.9", 1, "10.9.9.8", 2, 17, 0, 10, 64 * SEC));
	CHECK_INT(e.n, 1);
	CHECK_STR(e.state[0], "SF");
	CHECK_INT(e.reason[0], FE_TIMEOUT);
	flow_table_flush(ft);
	CHECK_INT(e.n, 2);
	CHECK_STR(e.state[1], "S0");	/* UDP, one direction */
	CHECK_INT(e.reason[1], FE_SHUTDOWN);
	flow_table_free(ft);
}

static void
test_states(void)
{
	struct flow_timeouts t;
	struct ended e = {0};
	struct flow_table *ft;
	struct flow_update u;
	char a[64];

	flow_timeouts_default(&t);
	ft = flow_table_new(64, &t, on_end, &e);
	/* REJ: SYN answered by RST */
	u = feed(ft, pkt("10.0.0.1", 1111, "10.0.0.2", 22, 6, TH_SYN, 0, SEC));
	feed(ft, pkt("10.0.0.2", 22, "10.0.0.1", 1111, 6, TH_RST | TH_ACK, 0, SEC));
	CHECK_STR(flow_conn_state(u.flow), "REJ");
	/* RSTO: established, then the originator resets */
	u = feed(ft, pkt("10.0.0.1", 1112, "10.0.0.2", 22, 6, TH_SYN, 0, SEC));
	feed(ft, pkt("10.0.0.2", 22, "10.0.0.1", 1112, 6, TH_SYN | TH_ACK, 0, SEC));
	feed(ft, pkt("10.0.0.1", 1112, "10.0.0.2", 22, 6, TH_ACK, 0, SEC));
	feed(ft, pkt("10.0.0.1", 1112, "10.0.0.2", 22, 6, TH_RST, 0, SEC));
	CHECK_STR(flow_conn_state(u.flow), "RSTO");
	/* RSTR */
	u = feed(ft, pkt("10.0.0.1", 1113, "10.0.0.2", 22, 6, TH_SYN, 0, SEC));
	feed(ft, pkt("10.0.0.2", 22, "10.0.0.1", 1113, 6, TH_SYN | TH_ACK, 0, SEC));
	feed(ft, pkt("10.0.0.1", 1113, "10.0.0.2", 22, 6, TH_ACK, 0, SEC));
	feed(ft, pkt("10.0.0.2", 22, "10.0.0.1", 1113, 6, TH_RST, 0, SEC));
	CHECK_STR(flow_conn_state(u.flow), "RSTR");
	/* capture starts with the SYN-ACK: its receiver is the initiator */
	u = feed(ft, pkt("10.0.0.2", 80, "10.0.0.1", 5000, 6, TH_SYN | TH_ACK, 0, SEC));
	CHECK_STR(bw_addr_str(flow_src(u.flow), a, sizeof(a)), "10.0.0.1");
	CHECK_INT(flow_dport(u.flow), 80);
	CHECK_STR(u.flow->history, "^h");
	/* mid-stream: server port to ephemeral port, flipped */
	u = feed(ft, pkt("10.0.0.3", 443, "10.0.0.4", 50000, 6, TH_ACK, 10, SEC));
	CHECK_STR(bw_addr_str(flow_src(u.flow), a, sizeof(a)), "10.0.0.4");
	CHECK_STR(flow_conn_state(u.flow), "OTH");
	/* mid-stream, no well-known port: first sender */
	u = feed(ft, pkt("10.0.0.3", 40001, "10.0.0.4", 50000, 6, TH_ACK, 10, SEC));
	CHECK_STR(bw_addr_str(flow_src(u.flow), a, sizeof(a)), "10.0.0.3");
	/* UDP: first sender, unless it answers from a service port */
	u = feed(ft, pkt("10.50.0.10", 123, "10.1.0.10", 123, 17, 0, 48, SEC));
	CHECK_STR(bw_addr_str(flow_src(u.flow), a, sizeof(a)), "10.50.0.10");
	feed(ft, pkt("10.1.0.10", 123, "10.50.0.10", 123, 17, 0, 48, SEC));
	CHECK_STR(flow_conn_state(u.flow), "SF");
	u = feed(ft, pkt("10.1.0.53", 53, "10.50.0.10", 33333, 17, 0, 48, SEC));
	CHECK_STR(bw_addr_str(flow_src(u.flow), a, sizeof(a)), "10.50.0.10");
	CHECK_STR(flow_conn_state(u.flow), "SHR");
	/* ICMP echo and reply are one flow; a reply seen first flips */
	u = feed(ft, pkt("10.0.0.1", 8, "10.0.0.2", 0, 1, 0, 56, SEC));
	struct flow *echo = u.flow;
	u = feed(ft, pkt("10.0.0.2", 0, "10.0.0.1", 0, 1, 0, 56, SEC));
	CHECK(u.flow == echo);
	CHECK_INT(u.dir, DIR_TOCLIENT);
	CHECK_STR(flow_conn_state(u.flow), "SF");
	u = feed(ft, pkt("fd00::2", 129, "fd00::1", 0, 58, 0, 56, SEC));
	CHECK_STR(bw_addr_str(flow_src(u.flow), a, sizeof(a)), "fd00::1");
	/* port reuse: a SYN on a closed connection starts a new flow */
	u = feed(ft, pkt("10.0.0.1", 1111, "10.0.0.2", 22, 6, TH_SYN, 0, 2 * SEC));
	CHECK(u.created);
	CHECK_STR(flow_conn_state(u.flow), "S0");
	flow_table_free(ft);
}

static void
test_eviction(void)
{
	struct flow_timeouts t;
	struct ended e = {0};
	struct flow_table *ft;
	struct flow_table_stats st;

	flow_timeouts_default(&t);
	ft = flow_table_new(3, &t, on_end, &e);
	feed(ft, pkt("10.0.0.1", 1, "10.0.0.9", 53, 17, 0, 1, 1 * SEC));
	feed(ft, pkt("10.0.0.2", 1, "10.0.0.9", 53, 17, 0, 1, 2 * SEC));
	feed(ft, pkt("10.0.0.3", 1, "10.0.0.9", 53, 17, 0, 1, 3 * SEC));
	/* refresh the first: the second is now the stalest */
	feed(ft, pkt("10.0.0.1", 1, "10.0.0.9", 53, 17, 0, 1, 4 * SEC));
	feed(ft, pkt("10.0.0.4", 1, "10.0.0.9", 53, 17, 0, 1, 5 * SEC));
	CHECK_INT(e.n, 1);
	CHECK_INT(e.reason[0], FE_EVICTED);
	CHECK_INT(e.pkts[0], 1);
	flow_table_stats(ft, &st);
	CHECK_INT(st.evicted, 1);
	CHECK_INT(st.active, 3);
	CHECK_INT(st.created, 4);
	/* many more flows than slots: the table never grows */
	for (int i = 0; i < 1000; i++) {
		char ip[32];
		snprintf(ip, sizeof(ip), "10.1.%d.%d", i / 250, i % 250);
		feed(ft, pkt(ip, 1000, "10.0.0.9", 53, 17, 0, 1, (6 + i) * SEC));
	}
	flow_table_stats(ft, &st);
	CHECK_INT(st.active, 3);
	CHECK_INT(st.evicted, 1001);
	flow_table_free(ft);
}

static void
test_timeouts_and_frags(void)
{
	struct flow_timeouts t;
	struct ended e = {0};
	struct flow_table *ft;
	struct flow_update u;
	struct flow_table_stats st;
	char err[200];

	flow_timeouts_default(&t);
	CHECK_INT(flow_timeouts_parse(&t, "udp-new=5,tcp-est=100", err, sizeof(err)), 0);
	CHECK_INT(t.sec[TC_UDP_NEW], 5);
	CHECK_INT(flow_timeouts_parse(&t, "bogus=5", err, sizeof(err)), -1);
	CHECK(strstr(err, "unknown timeout class 'bogus'") != NULL);
	CHECK_INT(flow_timeouts_parse(&t, "udp-new=x", err, sizeof(err)), -1);
	ft = flow_table_new(8, &t, on_end, &e);
	struct packet p = pkt("10.0.0.1", 5353, "10.0.0.2", 53, 17, 0, 3000, SEC);
	p.frag = PKT_FRAG_FIRST;
	p.frag_id = 77;
	u = feed(ft, p);
	struct packet q = pkt("10.0.0.1", 0, "10.0.0.2", 0, 17, 0, 1000, SEC + 10);
	q.frag = PKT_FRAG_LATER;
	q.frag_id = 77;
	struct flow_update v = feed(ft, q);
	CHECK(v.flow == u.flow);
	CHECK_INT(u.flow->pkts[DIR_TOSERVER], 2);
	q.frag_id = 78;
	v = feed(ft, q);
	CHECK(v.flow == NULL);
	flow_table_stats(ft, &st);
	CHECK_INT(st.frag_attributed, 1);
	CHECK_INT(st.frag_orphan, 1);
	/* udp-new=5: idle 6 s later the flow is gone */
	feed(ft, pkt("10.0.0.7", 1, "10.0.0.8", 2, 6, TH_SYN, 0, 7 * SEC));
	CHECK_INT(e.n, 1);
	flow_table_free(ft);
}

int
main(void)
{
	test_handshake();
	test_states();
	test_eviction();
	test_timeouts_and_frags();
	CHECK_DONE();
}
