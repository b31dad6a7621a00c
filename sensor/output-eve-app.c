/*
 * output-eve-app.c - the application-layer objects of EVE records.
 *
 * Suricata's objects (dns, tls, http, ssh, snmp, ntp) carry only the
 * fields of its schema, named as Suricata names them, so SIEM parsers
 * read them unchanged; IPMI, syslog and anomalies, which Suricata has no
 * objects for, go in bmcwatch's own top-level objects (EVE_OWN_KEYS).
 */
#include <stdio.h>
#include <string.h>

#include "output-eve-int.h"
#include "app.h"
#include "app-flow.h"
#include "flow.h"

static void
str_opt(struct json *j, const char *key, const char *v)
{
	if (v != NULL && v[0] != '\0')
		json_str(j, key, v);
}

static void
dns_obj(struct json *j, const struct flow_ext *x, const struct dns_flow *d)
{
	char b[16];

	json_obj_open(j, "dns");
	json_uint(j, "version", 3);
	json_str(j, "type", d->answered ? "response" : "request");
	if (d->answered)
		json_str(j, "rcode", app_dns_rcode_name(d->rcode, b,
		    sizeof(b)));
	if (x->name != NULL) {
		json_arr_open(j, "queries");
		json_obj_open(j, NULL);
		json_str(j, "rrname", x->name);
		json_str(j, "rrtype", app_dns_type_name(d->qtype, b,
		    sizeof(b)));
		json_obj_close(j);
		json_arr_close(j);
	}
	json_obj_close(j);
}

/* "h2,http/1.1" -> ["h2","http/1.1"] */
static void
alpn_arr(struct json *j, const char *key, const char *list)
{
	const char *p = list, *c;

	json_arr_open(j, key);
	while (*p != '\0') {
		c = strchr(p, ',');
		json_strn(j, NULL, p, c != NULL ? (size_t)(c - p) : strlen(p));
		if (c == NULL)
			break;
		p = c + 1;
	}
	json_arr_close(j);
}

static void
tls_obj(struct json *j, const struct flow_ext *x, const struct tls_flow *t)
{
	const char *ja3 = flow_tls_hello(t, TLS_HELLO_JA3);
	const char *alpn = flow_tls_hello(t, TLS_HELLO_ALPN);

	json_obj_open(j, "tls");
	str_opt(j, "sni", x->name);
	/* the negotiated version: known once the ServerHello was seen */
	if (t->server_version != 0)
		json_str(j, "version", app_tls_version_name(
		    t->server_version));
	if (ja3 != NULL) {
		json_obj_open(j, "ja3");
		json_str(j, "hash", ja3);
		json_obj_close(j);
	}
	if (t->ja3s != NULL) {
		json_obj_open(j, "ja3s");
		json_str(j, "hash", t->ja3s);
		json_obj_close(j);
	}
	str_opt(j, "ja4", flow_tls_hello(t, TLS_HELLO_JA4));
	if (alpn != NULL)
		alpn_arr(j, "client_alpns", alpn);
	json_obj_close(j);
}

static void
http_obj(struct json *j, const struct flow_ext *x, const struct http_flow *h)
{
	json_obj_open(j, "http");
	str_opt(j, "hostname", x->name);
	str_opt(j, "url", h->uri);
	str_opt(j, "http_method", h->method);
	str_opt(j, "http_user_agent", h->ua);
	if (h->status != 0)
		json_uint(j, "status", h->status);
	json_obj_close(j);
}

static void
ssh_side(struct json *j, const char *key, const char *banner)
{
	const char *bar;

	if (banner == NULL || (bar = strchr(banner, '|')) == NULL)
		return;
	json_obj_open(j, key);
	json_strn(j, "proto_version", banner, (size_t)(bar - banner));
	json_str(j, "software_version", bar + 1);
	json_obj_close(j);
}

static void
snmp_obj(struct json *j, const struct snmp_flow *s)
{
	json_obj_open(j, "snmp");
	json_uint(j, "version", s->version);
	str_opt(j, "community", s->community);
	str_opt(j, "usm", s->user);
	if (s->pdu != 0)
		json_str(j, "pdu_type", app_snmp_pdu_name(s->pdu));
	json_obj_close(j);
}

static const char *
auth15_name(uint8_t a)
{
	switch (a) {
	case 0: return "none";
	case 1: return "md2";
	case 2: return "md5";
	case 4: return "password";
	case 5: return "oem";
	case 6: return "rmcp+";
	default: return "unknown";
	}
}

/* bmcwatch's own: what the IPMI session setup showed (threats.md 1.1). */
static void
ipmi_obj(struct json *j, const struct rmcp_flow *m)
{
	json_obj_open(j, "ipmi");
	json_arr_open(j, "messages");
	for (int k = 0; k < 16; k++)
		if (m->kinds & (1u << k))
			json_str(j, NULL, app_rmcp_kind_name((enum rmcp_kind)k));
	json_arr_close(j);
	if (m->auth15 != 0xff)
		json_str(j, "auth_type", auth15_name(m->auth15));
	if (m->offer_valid) {
		json_obj_open(j, "offered");
		if (m->offer_suite >= 0)
			json_int(j, "cipher_suite", m->offer_suite);
		json_uint(j, "auth_alg", m->offer_auth);
		json_uint(j, "integrity_alg", m->offer_integ);
		json_uint(j, "confidentiality_alg", m->offer_conf);
		json_obj_close(j);
	}
	if (m->accept_valid) {
		json_uint(j, "open_session_status", m->accept_status);
		if (m->accept_status == 0 && m->accept_suite >= 0)
			json_int(j, "cipher_suite_accepted", m->accept_suite);
	}
	if (m->nusers > 0 || m->null_user) {
		json_arr_open(j, "users");
		for (int i = 0; i < m->nusers; i++)
			json_str(j, NULL, m->users[i]);
		if (m->null_user)
			json_str(j, NULL, "");
		json_arr_close(j);
	}
	if (m->rakp2_status != 0xff)
		json_uint(j, "rakp2_status", m->rakp2_status);
	if (m->rakp4_status != 0xff)
		json_uint(j, "rakp4_status", m->rakp4_status);
	if (m->rakp1_count > 0)
		json_bool(j, "rakp3_seen", m->rakp3_count > 0);
	if (m->authcap_valid) {
		json_bool(j, "anonymous_login", m->authcap_anon);
		json_bool(j, "null_users", m->authcap_null);
	}
	if (m->iana != 0)
		json_uint(j, "oem_iana", m->iana);
	if (m->has_cmd) {
		json_uint(j, "netfn", m->netfn);
		json_uint(j, "cmd", m->cmd);
	}
	json_obj_close(j);
}

void
eve_app_proto(struct json *j, const struct flow *f)
{
	const struct flow_ext *x = f->ext;

	if (x != NULL && x->app != APP_UNKNOWN && x->app != APP_FAILED)
		json_str(j, "app_proto", app_proto_name(x->app));
}

void
eve_app_objects(struct json *j, const struct flow *f)
{
	const struct flow_ext *x = f->ext;
	const struct ssh_flow *sh;
	const struct snmp_flow *sn;
	const struct ntp_flow *nt;
	const struct syslog_flow *sy;
	const struct rmcp_flow *m;

	if (x == NULL)
		return;
	/* each protocol's part of x only when x is of that protocol */
	switch (x->app) {
	case APP_DNS:
		dns_obj(j, x, flow_dns(x));
		break;
	case APP_TLS:
		tls_obj(j, x, flow_tls(x));
		break;
	case APP_HTTP:
		http_obj(j, x, flow_http(x));
		break;
	case APP_SSH:
		sh = flow_ssh(x);
		if (sh->client != NULL || sh->server != NULL) {
			json_obj_open(j, "ssh");
			ssh_side(j, "client", sh->client);
			ssh_side(j, "server", sh->server);
			json_obj_close(j);
		}
		break;
	case APP_SNMP:
		sn = flow_snmp(x);
		if (sn->version != 0)
			snmp_obj(j, sn);
		break;
	case APP_NTP:
		nt = flow_ntp(x);
		if (nt->valid) {
			json_obj_open(j, "ntp");
			json_uint(j, "version", nt->version);
			json_uint(j, "mode", nt->mode);
			json_uint(j, "stratum", nt->stratum);
			json_obj_close(j);
		}
		break;
	case APP_RMCP:
		if ((m = flow_rmcp(x)) != NULL)
			ipmi_obj(j, m);
		break;
	case APP_SYSLOG:
		sy = flow_syslog(x);
		if (sy->valid) {
			json_obj_open(j, "syslog");
			json_uint(j, "facility", sy->facility);
			json_uint(j, "severity", sy->severity);
			str_opt(j, "hostname", sy->host);
			json_obj_close(j);
		}
		break;
	default:
		break;
	}
	if ((nt = flow_ntp(x)) != NULL && nt->anomaly != 0) {
		json_obj_open(j, "anomaly");
		json_arr_open(j, "ntp");
		if (nt->anomaly & NTP_ANOM_SIZE)
			json_str(j, NULL, "size");
		if (nt->anomaly & NTP_ANOM_MODE)
			json_str(j, NULL, "mode");
		if (nt->anomaly & NTP_ANOM_VERSION)
			json_str(j, NULL, "version");
		json_arr_close(j);
		json_obj_close(j);
	}
}

/* A DNS message as its own record (--dns), Suricata's v3 layout. */
void
eve_dns_body(struct json *j, const struct dns_info *d)
{
	char b[16];

	json_obj_open(j, "dns");
	json_uint(j, "version", 3);
	json_str(j, "type", d->qr ? "response" : "request");
	json_uint(j, "id", d->id);
	json_uint(j, "opcode", d->opcode);
	json_bool(j, "rd", d->rd);
	if (d->qr) {
		json_bool(j, "qr", 1);
		json_bool(j, "aa", d->aa);
		json_bool(j, "tc", d->tc);
		json_bool(j, "ra", d->ra);
		json_str(j, "rcode", app_dns_rcode_name(d->rcode, b, sizeof(b)));
	}
	if (d->qname[0] != '\0') {
		json_arr_open(j, "queries");
		json_obj_open(j, NULL);
		json_str(j, "rrname", d->qname);
		json_str(j, "rrtype", app_dns_type_name(d->qtype, b, sizeof(b)));
		json_obj_close(j);
		json_arr_close(j);
	}
	if (d->nanswers > 0) {
		json_arr_open(j, "answers");
		for (int i = 0; i < d->nanswers && i < DNS_MAX_ANSWERS; i++) {
			const struct dns_answer *a = &d->answers[i];
			json_obj_open(j, NULL);
			json_str(j, "rrname", a->rrname);
			json_str(j, "rrtype", app_dns_type_name(a->rrtype, b,
			    sizeof(b)));
			json_uint(j, "ttl", a->ttl);
			json_str(j, "rdata", a->rdata);
			json_obj_close(j);
		}
		json_arr_close(j);
	}
	json_obj_close(j);
}
