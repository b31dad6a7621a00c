/*
 * test-discover.c - passive BMC discovery (issue 10): the OUI and IANA
 * tables, the text/OID/port signatures, the scoring and the "a manager is
 * not a BMC" rule, the --write-vars output (loaded back through the rule
 * parser) and the table; finally pcaps/discover.pcap (real peers) replayed
 * through the parsers the way the engine feeds bmc_evidence(): its three
 * simulated BMCs must be found with their vendors, the manager, the
 * scanner and the web server not.  The parsers themselves (X.509, SSDP,
 * SLP) on hand-built messages are in test-discover-parsers.c.
 */
#define _DEFAULT_SOURCE		/* u_int and friends in pcap.h under -std=c */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <string.h>

#include "app-x509.h"
#include "decode.h"
#include "detect-bmc.h"
#include "rules.h"
#include "sha1.h"
#include "check.h"

#define SEC	1000000000LL
#define T0	(1768583854LL * SEC)

static struct bw_addr
A(const char *s)
{
	struct bw_addr a;

	if (bw_addr_parse(s, &a) != 0) {
		fprintf(stderr, "bad test address %s\n", s);
		exit(2);
	}
	return a;
}

/* ---- tables ---------------------------------------------------------------- */

static void
test_tables(void)
{
	static const uint8_t smc[] = { 0x00, 0x25, 0x90, 1, 2, 3 };
	static const uint8_t smc2[] = { 0xac, 0x1f, 0x6b, 1, 2, 3 };
	static const uint8_t hpe[] = { 0x4c, 0xae, 0xa3, 1, 2, 3 };
	static const uint8_t dell[] = { 0x98, 0xe7, 0x43, 1, 2, 3 };
	static const uint8_t first[] = { 0x00, 0x00, 0x0c, 1, 2, 3 };
	static const uint8_t local[] = { 0x02, 0x25, 0x90, 1, 2, 3 };
	static const uint8_t mcast[] = { 0x01, 0x00, 0x5e, 1, 2, 3 };
	static const uint8_t xerox[] = { 0x00, 0x00, 0x00, 1, 2, 3 };
	static const uint8_t high[] = { 0xfc, 0xff, 0xff, 1, 2, 3 };
	const char *v, *l;
	char model[32];
	int fw;

	CHECK_STR(bmc_oui_vendor(smc), "Supermicro");
	CHECK_STR(bmc_oui_vendor(smc2), "Supermicro");
	CHECK_STR(bmc_oui_vendor(hpe), "HPE");
	CHECK_STR(bmc_oui_vendor(dell), "Dell");
	CHECK_STR(bmc_oui_vendor(first), "Cisco");
	CHECK(bmc_oui_vendor(local) == NULL);
	CHECK(bmc_oui_vendor(mcast) == NULL);
	CHECK(bmc_oui_vendor(xerox) == NULL);
	CHECK(bmc_oui_vendor(high) == NULL);
	CHECK(bmc_oui_vendor(NULL) == NULL);

	CHECK_STR(bmc_iana_vendor(10876, &fw), "Supermicro");
	CHECK_INT(fw, 0);
	CHECK_STR(bmc_iana_vendor(674, NULL), "Dell");
	CHECK_STR(bmc_iana_vendor(11, NULL), "HPE");
	CHECK_STR(bmc_iana_vendor(47196, NULL), "HPE");
	CHECK_STR(bmc_iana_vendor(343, NULL), "Intel");
	CHECK_STR(bmc_iana_vendor(20974, &fw), "AMI");
	CHECK_INT(fw, 1);
	CHECK_STR(bmc_iana_vendor(7244, NULL), "Quanta");
	CHECK_STR(bmc_iana_vendor(19046, NULL), "Lenovo");
	CHECK_STR(bmc_iana_vendor(2, NULL), "IBM");
	CHECK_STR(bmc_iana_vendor(231, NULL), "Fujitsu");
	CHECK_STR(bmc_iana_vendor(10368, NULL), "Fujitsu");
	CHECK_STR(bmc_iana_vendor(9, NULL), "Cisco");
	CHECK_STR(bmc_iana_vendor(20569, NULL), "Inventec");
	CHECK_STR(bmc_iana_vendor(15370, NULL), "Gigabyte");
	CHECK_STR(bmc_iana_vendor(40092, NULL), "Wiwynn");
	CHECK_STR(bmc_iana_vendor(49622, NULL), "ASRock Rack");
	CHECK_STR(bmc_iana_vendor(49871, &fw), "OpenBMC");
	CHECK_INT(fw, 1);
	CHECK_STR(bmc_iana_vendor(58132, NULL), "xFusion");
	CHECK(bmc_iana_vendor(4542, &fw) == NULL);
	CHECK_STR(bmc_iana_name(4542), "Alerting Specifications Forum");
	CHECK(bmc_iana_vendor(0, NULL) == NULL);
	CHECK(bmc_iana_vendor(1, NULL) == NULL);
	CHECK(bmc_iana_vendor(4294967295u, NULL) == NULL);
	CHECK(bmc_iana_name(12345) == NULL);

	CHECK_INT(bmc_text_match("HPE-iLO-Server/1.30", &v, model, 32), 2);
	CHECK_STR(v, "HPE");
	CHECK_STR(model, "iLO");
	CHECK_INT(bmc_text_match("Integrated Lights-Out 5 2.72", &v, model,
	    32), 2);
	CHECK_STR(model, "iLO5");
	CHECK_INT(bmc_text_match("iDRAC9 Integrated Dell Remote Access "
	    "Controller", &v, model, 32), 2);
	CHECK_STR(v, "Dell");
	CHECK_STR(model, "iDRAC9");
	CHECK_INT(bmc_text_match("subject CN=IPMI, O=Super Micro Computer",
	    &v, model, 32), 2);
	CHECK_STR(v, "Supermicro");
	CHECK_INT(bmc_text_match("Oracle Integrated Lights Out Manager", &v,
	    model, 32), 2);
	CHECK_STR(model, "ILOM");
	CHECK_INT(bmc_text_match("service:management-hardware.IBM:"
	    "integrated-management-module2", &v, model, 32), 2);
	CHECK_STR(model, "IMM2");
	CHECK_INT(bmc_text_match("urn:dmtf-org:service:redfish-rest:1", &v,
	    model, 32), 2);
	CHECK(v == NULL);
	CHECK_INT(bmc_text_match("O=Dell Inc., CN=www.example", &v, model,
	    32), 1);
	CHECK_STR(v, "Dell");
	CHECK_INT(bmc_text_match("nginx/1.22.1", &v, model, 32), 0);
	CHECK_INT(bmc_text_match("kilobytes siloed Milo", &v, model, 32), 0);
	CHECK_INT(bmc_text_match("O=BMC Software, CN=patrol", &v, model, 32),
	    0);
	CHECK_INT(bmc_text_match("SSH-2.0-OpenSSH_9.2p1", &v, model, 32), 0);
	CHECK_INT(bmc_text_match("SSH-2.0-mpSSH_0.2.1", &v, model, 32), 2);
	CHECK_INT(bmc_text_match(NULL, &v, model, 32), 0);
	CHECK_INT(bmc_text_match("iLO", &v, NULL, 0), 2);

	CHECK_INT(bmc_oid_match(".1.3.6.1.4.1.674.10892.5", &v, model, 32), 2);
	CHECK_STR(model, "iDRAC");
	CHECK_INT(bmc_oid_match("1.3.6.1.4.1.674.10892.50", &v, model, 32), 1);
	CHECK_INT(bmc_oid_match("1.3.6.1.4.1.10876.2.1", &v, model, 32), 1);
	CHECK_STR(v, "Supermicro");
	CHECK_INT(bmc_oid_match("1.3.6.1.4.1.8072.3.2.10", &v, model, 32), 0);
	CHECK_INT(bmc_oid_match("1.3.6.1.4.1.", &v, model, 32), 0);
	CHECK_INT(bmc_oid_match("1.3.6.1.4.1.99999999999999999", &v, model,
	    32), 0);
	CHECK_INT(bmc_oid_match("1.3.6.1.2.1", &v, model, 32), 0);

	CHECK(bmc_port_hint(6, 17988, &l, &v) >= 0.3);
	CHECK_STR(v, "HPE");
	CHECK(bmc_port_hint(6, 623, &l, &v) >= 0.3);
	CHECK(bmc_port_hint(17, 623, &l, &v) >= 0.3);
	CHECK(bmc_port_hint(6, 443, &l, &v) == 0);
	CHECK(l == NULL && v == NULL);
}

/* ---- the inventory ------------------------------------------------------- */

static void
test_inventory(void)
{
	static const uint8_t smc[6] = { 0x00, 0x25, 0x90, 0x5e, 0x0b, 0x10 };
	static const uint8_t smc_mgr[6] = { 0x0c, 0xc4, 0x7a, 1, 0, 0x40 };
	static const uint8_t rtr[6] = { 0x00, 0x25, 0x90, 0, 0, 1 };
	struct bmc_inventory *inv = bmc_inventory_new(4);
	struct bw_addr bmc = A("10.50.0.10"), mgr = A("10.1.0.40");
	const struct bmc_host *h;
	struct rmcp_info r;
	struct json j;
	struct ruleset *rs;
	char *text;
	size_t len;
	uint32_t iana;
	FILE *fp;

	CHECK(inv != NULL);
	CHECK(bmc_inventory_new(0) == NULL);
	/* a manager: requests only, even with a Supermicro NIC and a
	 * certificate that says IPMI, is never a BMC */
	CHECK_INT(bmc_evidence(inv, &mgr, smc_mgr, BMC_EV_IPMI_REQUEST, NULL,
	    0, 40000, T0), BMC_UNCHANGED);
	CHECK_INT(bmc_evidence(inv, &mgr, smc_mgr, BMC_EV_TLS_CERT,
	    "subject CN=IPMI", 0, 443, T0), BMC_UNCHANGED);
	CHECK_INT(bmc_is_bmc(inv, &mgr), 0);
	CHECK((h = bmc_lookup(inv, &mgr)) != NULL && h->requests &&
	    !h->answers && h->confidence > 0.6);
	/* the OUI alone brings nobody in; weak facts about unknown hosts
	 * are dropped */
	CHECK_INT(bmc_evidence(inv, &bmc, smc, BMC_EV_HTTP_SERVER, "lighttpd",
	    0, 80, T0), BMC_UNCHANGED);
	CHECK_INT(bmc_evidence(inv, &bmc, smc, BMC_EV_TCP_PORT, NULL, 0, 22,
	    T0), BMC_UNCHANGED);
	CHECK(bmc_lookup(inv, &bmc) == NULL);
	/* an RMCP+ answer makes a BMC; the same again changes nothing */
	CHECK_INT(bmc_evidence(inv, &bmc, smc, BMC_EV_OPEN_SESSION, NULL, 0,
	    623, T0 + SEC), BMC_NEW);
	CHECK_INT(bmc_evidence(inv, &bmc, smc, BMC_EV_OPEN_SESSION, NULL, 0,
	    623, T0 + 2 * SEC), BMC_UNCHANGED);
	CHECK_INT(bmc_is_bmc(inv, &bmc), 1);
	h = bmc_lookup(inv, &bmc);
	CHECK(h->confidence > 0.914 && h->confidence < 0.916);	/* 0.9, OUI */
	CHECK_STR(h->vendor, "Supermicro");
	CHECK_INT(h->first_seen_ns, T0 + SEC);
	/* a new fact about a BMC is a change; the IANA number outranks the
	 * OUI; a service already listed is not */
	CHECK_INT(bmc_evidence(inv, &bmc, smc, BMC_EV_AUTHCAP, NULL, 20974,
	    623, T0 + 3 * SEC), BMC_CHANGED);
	CHECK_STR(h->vendor, "AMI");
	CHECK_INT(bmc_evidence(inv, &bmc, smc, BMC_EV_DEVICE_ID, NULL, 10876,
	    623, T0 + 4 * SEC), BMC_CHANGED);
	CHECK_STR(h->vendor, "Supermicro");
	CHECK_INT(bmc_evidence(inv, &bmc, smc, BMC_EV_TCP_PORT, NULL, 0, 22,
	    T0), BMC_UNCHANGED);
	CHECK_INT(bmc_evidence(inv, &bmc, smc, BMC_EV_TLS_CERT,
	    "subject CN=IPMI, O=Super Micro Computer, OU=Software "
	    "(self-signed)\n", 0, 443, T0 + 5 * SEC), BMC_CHANGED);
	CHECK_INT(h->first_seen_ns, T0);
	CHECK_INT(h->nsvc, 3);			/* udp/623 tcp/22 tcp/443 */
	for (int i = 0; i < h->nitems; i++)
		CHECK(strchr(h->items[i].detail, '\n') == NULL);
	/* the manager rule holds however the ports look */
	memset(&r, 0, sizeof(r));
	r.kind = RMCP_IPMI15;
	r.has_cmd = 1;
	r.netfn = 0x06;
	CHECK_INT(bmc_rmcp_kind(&r, 623, 623, &iana), BMC_EV_IPMI_REQUEST);
	r.is_response = 1;
	r.netfn = 0x07;
	r.cmd = 0x38;
	r.has_authcap = 1;
	r.iana = 10876;
	CHECK_INT(bmc_rmcp_kind(&r, 40000, 623, &iana), BMC_EV_AUTHCAP);
	CHECK_INT(iana, 10876);
	r.has_cmd = 0;
	r.kind = RMCP_IPMI20;
	CHECK_INT(bmc_rmcp_kind(&r, 623, 40000, &iana), BMC_EV_IPMI_REPLY);
	CHECK_INT(bmc_rmcp_kind(&r, 40000, 623, &iana), BMC_EV_IPMI_REQUEST);
	CHECK_INT(bmc_rmcp_kind(&r, 623, 623, &iana), BMC_EV_NONE);
	r.kind = RMCP_ASF_PONG;
	r.iana = 4542;
	CHECK_INT(bmc_rmcp_kind(&r, 623, 40000, &iana), BMC_EV_ASF_PONG);
	CHECK_INT(iana, 0);
	r.kind = RMCP_RAKP1;
	CHECK_INT(bmc_rmcp_kind(&r, 623, 40000, &iana), BMC_EV_IPMI_REQUEST);
	r.kind = RMCP_ACK;
	CHECK_INT(bmc_rmcp_kind(&r, 623, 40000, &iana), BMC_EV_NONE);

	/* a MAC shared by two IPv4 hosts is a router's: no OUI evidence */
	{
		struct bw_addr a1 = A("192.0.2.1"), a2 = A("192.0.2.2");
		CHECK_INT(bmc_evidence(inv, &a1, rtr, BMC_EV_RAKP, NULL, 0, 623,
		    T0), BMC_NEW);
		CHECK_INT(bmc_evidence(inv, &a2, rtr, BMC_EV_TLS_CERT,
		    "subject CN=iDRAC default certificate", 0, 443, T0),
		    BMC_NEW);
		CHECK(bmc_lookup(inv, &a1)->mac_shared);
		CHECK_STR(bmc_lookup(inv, &a2)->vendor, "Dell");
		CHECK(bmc_lookup(inv, &a1)->vendor == NULL);
	}
	/* full: the fifth host is dropped and counted */
	{
		struct bw_addr a5 = A("2001:db8::5");
		CHECK_INT(bmc_evidence(inv, &a5, NULL, BMC_EV_RAKP, NULL, 0,
		    623, T0), BMC_UNCHANGED);
		CHECK_INT(bmc_dropped(inv), 1);
		CHECK_INT(bmc_count(inv), 3);
	}
	CHECK_INT(bmc_evidence(inv, &bmc, NULL, BMC_EV_NONE, NULL, 0, 0, T0),
	    BMC_UNCHANGED);
	CHECK_INT(bmc_evidence(inv, &bmc, NULL, BMC_EV_MAX, NULL, 0, 0, T0),
	    BMC_UNCHANGED);

	/* EVE object */
	json_init(&j);
	json_obj_open(&j, NULL);
	bmc_json(inv, bmc_lookup(inv, &bmc), &j);
	json_obj_close(&j);
	CHECK(j.buf != NULL && strstr(j.buf, "\"bmc\":{\"ip\":\"10.50.0.10\","
	    "\"mac\":\"00:25:90:5e:0b:10\",\"vendor\":\"Supermicro\"") != NULL);
	CHECK(strstr(j.buf, "\"services\":[\"udp/623\",\"tcp/22\",\"tcp/443\"]")
	    != NULL);
	CHECK(strstr(j.buf, "\"detail\":\"MAC OUI 00:25:90 (Supermicro)\"") !=
	    NULL);
	CHECK(strstr(j.buf, "IPMI Get Device ID manufacturer IANA 10876 "
	    "(Super Micro Computer Inc.)") != NULL);
	json_free(&j);

	/* --write-vars: loads as a rule file and holds exactly the BMCs */
	fp = open_memstream(&text, &len);
	CHECK_INT(bmc_write_vars(inv, fp), 0);
	fprintf(fp, "alert ip $BMC any -> any any (msg:\"t\"; sid:1;)\n");
	fclose(fp);
	CHECK(strstr(text, "var BMC = [10.50.0.10, 192.0.2.1, 192.0.2.2]\n")
	    != NULL);
	CHECK(strstr(text, "# 10.50.0.10 Supermicro, confidence ") != NULL);
	CHECK(strstr(text, "10.1.0.40") == NULL);
	rs = rules_load_string("vars", text, NULL, stderr);
	CHECK(rs != NULL && rs->nrules == 1);
	if (rs != NULL) {
		CHECK(addrset_contains(&rs->rules[0].src, &bmc));
		CHECK(!addrset_contains(&rs->rules[0].src, &mgr));
		rules_free(rs);
	}
	free(text);
	fp = open_memstream(&text, &len);
	CHECK_INT(bmc_print_table(inv, fp), 0);
	fclose(fp);
	CHECK(strstr(text, "10.50.0.10       00:25:90:5e:0b:10 Supermicro") !=
	    NULL);
	CHECK(strstr(text, "3 BMCs (1 hosts not tracked") != NULL);
	CHECK(strstr(text, "10.1.0.40 IPMI client (manager or scanner)") !=
	    NULL);
	free(text);
	bmc_inventory_free(inv);

	/* no BMC: `var BMC = !any` loads, and a rule on $BMC is refused
	 * ("matches nothing") rather than silently never matching */
	inv = bmc_inventory_new(8);
	fp = open_memstream(&text, &len);
	CHECK_INT(bmc_write_vars(inv, fp), 0);
	fclose(fp);
	CHECK(strstr(text, "var BMC = !any") != NULL);
	rs = rules_load_string("vars", text, NULL, stderr);
	CHECK(rs != NULL && rs->nrules == 0);
	rules_free(rs);
	free(text);
	bmc_inventory_free(inv);
}

/* ---- pcaps/discover.pcap, fed the way the engine does ------------------- */

#define NSTREAM	16
struct stream {				/* one TCP connection's two sides */
	struct bw_addr	 srv, cli;
	uint16_t	 sport, cport;
	uint32_t	 next;
	size_t		 n;
	uint8_t		 buf[8192];	/* server -> client, in order */
	char		 uri[512];	/* the client's request, if HTTP */
	int		 done;
};

/* The server side of a TCP stream has grown: what does it say? */
static void
tcp_server_data(struct bmc_inventory *inv, const struct packet *p,
    struct stream *s)
{
	struct x509_info x;
	struct http_info h;
	struct ssh_info sh;
	char d[BMC_DETAIL_MAX];

	if (s->done)
		return;
	if (s->buf[0] == 0x16) {
		if (app_x509_tls(s->buf, s->n, &x) == APP_MORE)
			return;
		if (app_x509_tls(s->buf, s->n, &x) == APP_OK) {
			bmc_cert_detail(&x, d, sizeof(d));
			bmc_evidence(inv, &p->src, p->mac_src, BMC_EV_TLS_CERT,
			    d, 0, p->sport, p->ts_ns);
		}
	} else if (s->n >= 5 && memcmp(s->buf, "HTTP/", 5) == 0) {
		if (app_http_parse(s->buf, s->n, &h) == APP_MORE)
			return;
		if (h.server[0] != '\0')
			bmc_evidence(inv, &p->src, p->mac_src,
			    BMC_EV_HTTP_SERVER, h.server, 0, p->sport, p->ts_ns);
		if (strncmp(s->uri, "/redfish/v1", 11) == 0 &&
		    ((h.status >= 200 && h.status < 300) || h.status == 401))
			bmc_evidence(inv, &p->src, p->mac_src, BMC_EV_REDFISH,
			    s->uri, 0, p->sport, p->ts_ns);
	} else if (s->n >= 4 && memcmp(s->buf, "SSH-", 4) == 0) {
		if (app_ssh_parse(s->buf, s->n, &sh) == APP_MORE)
			return;
		snprintf(d, sizeof(d), "SSH-%s-%s", sh.proto_version,
		    sh.software_version);
		bmc_evidence(inv, &p->src, p->mac_src, BMC_EV_SSH_BANNER, d, 0,
		    p->sport, p->ts_ns);
	}
	s->done = 1;
}

static void
tcp_packet(struct bmc_inventory *inv, const struct packet *p,
    struct stream *st, int *nst)
{
	struct http_info h;
	struct stream *s = NULL;

	if ((p->tcp_flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
		/* the responder answered on its port */
		bmc_evidence(inv, &p->src, p->mac_src, BMC_EV_TCP_PORT, NULL, 0,
		    p->sport, p->ts_ns);
		if (*nst < NSTREAM) {
			s = &st[(*nst)++];
			memset(s, 0, sizeof(*s));
			s->srv = p->src;
			s->sport = p->sport;
			s->cli = p->dst;
			s->cport = p->dport;
			s->next = p->tcp_seq + 1;
		}
		return;
	}
	for (int i = 0; i < *nst; i++) {
		if (st[i].sport == p->sport && st[i].cport == p->dport &&
		    memcmp(&st[i].srv, &p->src, sizeof(p->src)) == 0 &&
		    p->payload_len > 0 && p->tcp_seq == st[i].next &&
		    st[i].n + p->payload_len <= sizeof(st[i].buf)) {
			s = &st[i];
			memcpy(s->buf + s->n, p->payload, p->payload_len);
			s->n += p->payload_len;
			s->next += p->payload_len;
			tcp_server_data(inv, p, s);
		} else if (st[i].cport == p->sport && st[i].sport == p->dport &&
		    p->payload_len > 0 && st[i].uri[0] == '\0' &&
		    app_http_parse(p->payload, p->payload_len, &h) == APP_OK &&
		    h.is_request)
			snprintf(st[i].uri, sizeof(st[i].uri), "%s", h.uri);
	}
}

static void
udp_packet(struct bmc_inventory *inv, const struct packet *p)
{
	struct rmcp_info r;
	struct snmp_info sn;
	struct ssdp_info sd;
	struct slp_info sl;
	char d[BMC_DETAIL_MAX];
	uint32_t iana;
	enum bmc_ev k;

	if (app_rmcp_parse(p->payload, p->payload_len, &r) == APP_OK &&
	    (p->sport == 623 || p->dport == 623)) {
		if ((k = bmc_rmcp_kind(&r, p->sport, p->dport, &iana)) !=
		    BMC_EV_NONE)
			bmc_evidence(inv, &p->src, p->mac_src, k, NULL, iana,
			    p->sport, p->ts_ns);
	} else if (p->sport == 161 && app_snmp_parse(p->payload,
	    p->payload_len, &sn) == APP_OK && sn.pdu_type == 0xa2) {
		bmc_evidence(inv, &p->src, p->mac_src, BMC_EV_UDP_PORT, NULL, 0,
		    161, p->ts_ns);
		if (sn.sys_descr[0] != '\0')
			bmc_evidence(inv, &p->src, p->mac_src,
			    BMC_EV_SNMP_DESCR, sn.sys_descr, 0, 161, p->ts_ns);
		if (sn.sys_object_id[0] != '\0')
			bmc_evidence(inv, &p->src, p->mac_src, BMC_EV_SNMP_OID,
			    sn.sys_object_id, 0, 161, p->ts_ns);
	} else if ((p->sport == 1900 || p->dport == 1900) &&
	    app_ssdp_parse(p->payload, p->payload_len, &sd) == APP_OK &&
	    sd.kind != SSDP_MSEARCH) {
		bmc_ssdp_detail(&sd, d, sizeof(d));
		bmc_evidence(inv, &p->src, p->mac_src, BMC_EV_SSDP, d, 0, 1900,
		    p->ts_ns);
	} else if ((p->sport == 427 || p->dport == 427) &&
	    app_slp_parse(p->payload, p->payload_len, &sl) == APP_OK &&
	    sl.function != SLP_SRVRQST && sl.text[0] != '\0')
		bmc_evidence(inv, &p->src, p->mac_src, BMC_EV_SLP, sl.text, 0,
		    427, p->ts_ns);
}

static void
test_pcap(void)
{
	char path[1024], err[PCAP_ERRBUF_SIZE];
	const char *dir = getenv("srcdir");
	struct pcap_pkthdr *ph;
	const u_char *data;
	struct bmc_inventory *inv;
	struct stream *st;
	const struct bmc_host *h;
	struct packet p;
	pcap_t *pc;
	int nst = 0, npkt = 0;

	snprintf(path, sizeof(path), "%s/pcaps/discover.pcap", dir ? dir : ".");
	if ((pc = pcap_open_offline_with_tstamp_precision(path,
	    PCAP_TSTAMP_PRECISION_NANO, err)) == NULL) {
		fprintf(stderr, "skip the capture: %s\n", err);
		return;
	}
	inv = bmc_inventory_new(64);
	st = calloc(NSTREAM, sizeof(*st));
	while (pcap_next_ex(pc, &ph, &data) == 1) {
		memset(&p, 0, sizeof(p));
		p.num = (uint64_t)++npkt;
		p.ts_ns = (int64_t)ph->ts.tv_sec * SEC + ph->ts.tv_usec;
		p.wirelen = ph->len;
		if (decode_packet(&p, pcap_datalink(pc), data, ph->caplen) !=
		    DR_OK)
			continue;
		if (p.proto == 6)
			tcp_packet(inv, &p, st, &nst);
		else if (p.proto == 17 && p.payload_len > 0)
			udp_packet(inv, &p);
	}
	pcap_close(pc);
	CHECK_INT(npkt, 138);
	bmc_print_table(inv, stderr);
	CHECK_INT(bmc_count(inv), 3);
	h = bmc_lookup(inv, &(struct bw_addr){0});
	CHECK(h == NULL);
	h = bmc_lookup(inv, &(struct bw_addr){ .a = { [10] = 0xff,
	    [11] = 0xff, 10, 50, 0, 10 } });
	CHECK(h != NULL && h->is_bmc && h->vendor != NULL &&
	    strcmp(h->vendor, "Supermicro") == 0 && h->answers);
	{
		struct bw_addr b2 = A("10.50.0.11"), b3 = A("10.50.0.12");
		struct bw_addr adm = A("10.1.0.40"), scn = A("10.1.0.66");
		struct bw_addr web = A("10.1.0.80");
		const struct bmc_host *x;

		x = bmc_lookup(inv, &b2);
		CHECK(x != NULL && x->is_bmc && x->vendor != NULL &&
		    strcmp(x->vendor, "HPE") == 0 && strcmp(x->model, "iLO") == 0);
		x = bmc_lookup(inv, &b3);
		CHECK(x != NULL && x->is_bmc && x->vendor != NULL &&
		    strcmp(x->vendor, "Dell") == 0 &&
		    strcmp(x->model, "iDRAC9") == 0 && !x->answers);
		CHECK_INT(bmc_is_bmc(inv, &adm), 0);
		CHECK_INT(bmc_is_bmc(inv, &scn), 0);
		CHECK((x = bmc_lookup(inv, &adm)) != NULL && x->requests);
		CHECK(bmc_lookup(inv, &web) == NULL);
	}
	free(st);
	bmc_inventory_free(inv);
}

int
main(void)
{
	test_tables();
	test_inventory();
	test_pcap();
	CHECK_DONE();
}
