/*
 * test-cid.c - Community ID v1 against vectors of the spec's published
 * baseline (corelight/community-id-spec, baseline_deflt.json, seed 0).
 * Flows are built the way the flow table builds them: the normalised key
 * plus the initiator index, with ICMP types mapped to "ports".
 */
#include "check.h"
#include "flow.h"
#include "decode.h"

static const char *
cid(int proto, const char *sa, const char *da, int sp, int dp)
{
	static char buf[64];
	struct flow f;
	struct bw_addr s, d;
	uint16_t ksp = (uint16_t)sp, kdp = (uint16_t)dp;

	memset(&f, 0, sizeof(f));
	if (bw_addr_parse(sa, &s) != 0 || bw_addr_parse(da, &d) != 0)
		return "bad address";
	if (proto == 1 || proto == 58)
		(void)flow_icmp_ports(proto == 58, (uint8_t)sp, (uint8_t)dp,
		    &ksp, &kdp);
	f.key.proto = (uint8_t)proto;
	f.key.addr[0] = s;
	f.key.addr[1] = d;
	f.key.port[0] = ksp;
	f.key.port[1] = kdp;
	f.init = 0;
	return flow_community_id(&f, 0, buf, sizeof(buf));
}

int
main(void)
{
	CHECK_STR(cid(6, "128.232.110.120", "66.35.250.204", 34855, 80),
	    "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
	CHECK_STR(cid(6, "66.35.250.204", "128.232.110.120", 80, 34855),
	    "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
	CHECK_STR(cid(17, "192.168.1.52", "8.8.8.8", 54585, 53),
	    "1:d/FP5EW3wiY1vCndhwleRRKHowQ=");
	CHECK_STR(cid(6, "2001:470:e5bf:dead:4957:2174:e82c:4887",
	    "2607:f8b0:400c:c03::1a", 63943, 25),
	    "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=");
	CHECK_STR(cid(132, "192.168.170.8", "192.168.170.56", 7, 7),
	    "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=");
	CHECK_STR(cid(46, "10.1.12.1", "10.1.12.2", 0, 0),
	    "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=");
	/* ICMP echo request and its reply share one ID */
	CHECK_STR(cid(1, "192.168.0.89", "192.168.0.1", 8, 0),
	    "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
	/* one-way ICMP: time exceeded, type 11 code 0 */
	CHECK_STR(cid(1, "10.0.0.1", "10.0.0.2", 11, 0),
	    "1:YHxtAirCG//0OzkcVAukqKQN9xM=");
	CHECK_STR(cid(58, "3ffe:507:0:1:200:86ff:fe05:80da",
	    "3ffe:501:0:1001::2", 128, 0), "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=");
	CHECK_STR(cid(58, "3ffe:501:410:0:2c0:dfff:fe47:33e",
	    "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4),
	    "1:hLZd0XGWojozrvxqE0dWB1iM6R0=");
	CHECK_STR(cid(58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea",
	    135, 0), "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=");
	CHECK_STR(cid(58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 0),
	    "1:pkvHqCL88/tg1k4cPigmZXUtL00=");
	CHECK_DONE();
}
