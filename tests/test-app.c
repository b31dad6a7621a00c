/*
 * test-app.c - the application stage around the parsers: the resolved
 * name cache (a DNS answer names a later flow to that address), content
 * detection on odd ports, in-order TCP reassembly that gives up on a gap
 * rather than guess, a flow's protocol (and so which part of its shared
 * per-protocol storage is live) never changing, and the IPMI cipher
 * suite table.
 */
#include "check.h"
#include "app.h"
#include "app-flow.h"
#include "flow.h"
#include "decode.h"

static struct flow
mkflow(const char *src, int sp, const char *dst, int dp, int proto)
{
	struct flow f;

	memset(&f, 0, sizeof(f));
	bw_addr_parse(src, &f.key.addr[0]);
	bw_addr_parse(dst, &f.key.addr[1]);
	f.key.port[0] = (uint16_t)sp;
	f.key.port[1] = (uint16_t)dp;
	f.key.proto = (uint8_t)proto;
	f.init = 0;
	return f;
}

static struct packet
mkpkt(int proto, const uint8_t *pl, size_t n, uint32_t seq)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	p.proto = (uint8_t)proto;
	p.payload = pl;
	p.payload_len = p.payload_wire = (uint32_t)n;
	p.tcp_seq = seq;
	p.ts_ns = 1000000000LL;
	return p;
}

/* A DNS response: evil.example A 203.0.113.9 */
static const uint8_t dns_resp[] = {
	0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
	4, 'e', 'v', 'i', 'l', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
	0, 1, 0, 1,
	0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 203, 0, 113, 9
};

int
main(void)
{
	struct app_ctx *a = app_new(64);
	struct flow d = mkflow("10.50.0.10", 40000, "10.1.0.53", 53, 17);
	struct flow t = mkflow("10.50.0.10", 40001, "203.0.113.9", 443, 6);
	struct flow u = mkflow("10.50.0.10", 40002, "203.0.113.10", 443, 6);
	struct packet p;
	int ev;

	CHECK(a != NULL);
	/* the answer fills the cache; the query name is the flow's name */
	p = mkpkt(17, dns_resp, sizeof(dns_resp), 0);
	ev = app_packet(a, &d, DIR_TOCLIENT, &p);
	CHECK(ev & APP_EV_NAME);
	CHECK_INT(d.ext->app, APP_DNS);
	CHECK_STR(d.ext->name, "evil.example");
	CHECK_INT(d.ext->u.dns.rcode, 0);
	/* a later flow to that address carries the name, others do not */
	CHECK_INT(app_flow_start(a, &t), APP_EV_NAME);
	CHECK_STR(t.ext->rname, "evil.example");
	CHECK_INT(app_flow_start(a, &u), 0);
	CHECK(u.ext == NULL);
	/* a flow of no protocol yet has no protocol part */
	CHECK(flow_tls(t.ext) == NULL && flow_rmcp(t.ext) == NULL);

	/* HTTP on an odd port, split in two segments, in order */
	static const char req1[] = "GET /x HTTP/1.1\r\nHo";
	static const char req2[] = "st: a.example:8080\r\nUser-Agent: t\r\n\r\n";
	struct flow h = mkflow("10.50.0.10", 40003, "10.1.0.9", 8080, 6);
	p = mkpkt(6, (const uint8_t *)req1, strlen(req1), 1000);
	app_packet(a, &h, DIR_TOSERVER, &p);
	CHECK_INT(h.ext->app, APP_HTTP);
	CHECK(h.ext->name == NULL);
	/* a retransmission of the first segment changes nothing */
	app_packet(a, &h, DIR_TOSERVER, &p);
	p = mkpkt(6, (const uint8_t *)req2, strlen(req2), 1000 + (uint32_t)strlen(req1));
	ev = app_packet(a, &h, DIR_TOSERVER, &p);
	CHECK(ev & APP_EV_NAME);
	CHECK_STR(h.ext->name, "a.example");
	CHECK_STR(h.ext->u.http.uri, "/x");
	CHECK_STR(h.ext->u.http.ua, "t");
	CHECK(app_settled(&h));
	/* a flow keeps the protocol it was detected as: TLS bytes from the
	 * server later (STARTTLS-like) neither re-detect it nor touch its
	 * HTTP part, which shares storage with the TLS one (app-flow.h) */
	static const uint8_t shello[] = { 0x16, 0x03, 0x03, 0x00, 0x04,
	    0x02, 0x00, 0x00, 0x00 };
	p = mkpkt(6, shello, sizeof(shello), 70000);
	app_packet(a, &h, DIR_TOCLIENT, &p);
	CHECK_INT(h.ext->app, APP_HTTP);
	CHECK(flow_tls(h.ext) == NULL && flow_rmcp(h.ext) == NULL);
	CHECK(flow_http(h.ext) != NULL);
	CHECK_STR(flow_http(h.ext)->uri, "/x");
	CHECK_INT(flow_http(h.ext)->status, 0);

	/* a gap (segment lost) ends the attempt instead of a wrong parse */
	struct flow g = mkflow("10.50.0.10", 40004, "10.1.0.9", 80, 6);
	p = mkpkt(6, (const uint8_t *)req1, strlen(req1), 5000);
	app_packet(a, &g, DIR_TOSERVER, &p);
	p = mkpkt(6, (const uint8_t *)req2, strlen(req2), 9000);
	app_packet(a, &g, DIR_TOSERVER, &p);
	CHECK(g.ext->name == NULL);
	CHECK(g.ext->done[DIR_TOSERVER]);
	CHECK(app_settled(&g));

	/* RMCP by content on a port that says nothing */
	static const uint8_t ping[] = { 0x06, 0x00, 0xff, 0x06, 0x00, 0x00,
	    0x11, 0xbe, 0x80, 0x00, 0x00, 0x00 };
	struct flow r = mkflow("10.1.0.66", 5555, "10.50.0.10", 9623, 17);
	p = mkpkt(17, ping, sizeof(ping), 0);
	app_packet(a, &r, DIR_TOSERVER, &p);
	CHECK_INT(r.ext->app, APP_RMCP);
	CHECK(flow_rmcp(r.ext) != NULL);
	CHECK(flow_ssh(r.ext) == NULL && flow_snmp(r.ext) == NULL);
	CHECK(flow_dns(r.ext) == NULL);

	/* IPMI cipher suites (IPMI v2.0 table 22-20) */
	CHECK_INT(app_ipmi_suite(0, 0, 0), 0);
	CHECK_INT(app_ipmi_suite(1, 1, 1), 3);
	CHECK_INT(app_ipmi_suite(3, 4, 1), 17);
	CHECK_INT(app_ipmi_suite(1, 0, 1), -1);

	flow_ext_free(d.ext); flow_ext_free(t.ext); flow_ext_free(h.ext);
	flow_ext_free(g.ext); flow_ext_free(r.ext);
	app_free(a);
	CHECK_DONE();
}
