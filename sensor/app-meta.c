/*
 * app-meta.c - parser results into the flow's compact summary
 * (struct flow_ext), and the events that make the policy look again.
 *
 * Strings from the wire are stored as they came (cut to the parser's
 * bounds); escaping is the outputs' job, each for its own context.
 */
#include <stdlib.h>
#include <string.h>

#include "app-internal.h"
#include "app-x509.h"
#include "decode.h"
#include "detect-bmc.h"

static void
set_str(char **dst, const char *s)
{
	if (*dst != NULL || s == NULL || s[0] == '\0')
		return;
	*dst = strdup(s);
}

const char *
flow_tls_hello(const struct tls_flow *t, enum tls_hello_part k)
{
	const char *p = t->hello;

	if (p == NULL)
		return NULL;
	for (int i = 0; i < (int)k; i++)
		p += strlen(p) + 1;
	return p[0] != '\0' ? p : NULL;
}

/*
 * Set the parts of t->hello that are still empty, as set_str() would set
 * three separate strings (a part once set stays; an empty one can be
 * filled by a later hello).
 */
static void
set_hello(struct tls_flow *t, const char *ja3, const char *ja4,
    const char *alpn)
{
	const char *nw[3] = { ja3, ja4, alpn }, *v[3];
	size_t len[3], n = 0;
	int changed = 0;
	char *b, *w;

	for (int i = 0; i < 3; i++) {
		const char *old = flow_tls_hello(t, (enum tls_hello_part)i);

		v[i] = old != NULL ? old : nw[i] != NULL ? nw[i] : "";
		if (old == NULL && v[i][0] != '\0')
			changed = 1;
		len[i] = strlen(v[i]);
		n += len[i] + 1;
	}
	if (!changed || (b = malloc(n)) == NULL)
		return;
	w = b;
	for (int i = 0; i < 3; i++) {
		memcpy(w, v[i], len[i] + 1);
		w += len[i] + 1;
	}
	free(t->hello);
	t->hello = b;
}

/* IPMI v2.0 table 22-20: cipher suite IDs 0..17 by algorithm triple. */
int
app_ipmi_suite(uint8_t auth, uint8_t integ, uint8_t conf)
{
	static const uint8_t t[18][3] = {
		{0,0,0}, {1,0,0}, {1,1,0}, {1,1,1}, {1,1,2}, {1,1,3},
		{2,0,0}, {2,2,0}, {2,2,1}, {2,2,2}, {2,2,3}, {2,3,0},
		{2,3,1}, {2,3,2}, {2,3,3}, {3,0,0}, {3,4,0}, {3,4,1}
	};
	for (int i = 0; i < 18; i++)
		if (t[i][0] == auth && t[i][1] == integ && t[i][2] == conf)
			return i;
	return -1;
}

/* x is a DNS flow (the callers' switch on x->app) */
static void
dns_message(struct app_ctx *a, struct flow *f, struct flow_ext *x,
    const struct dns_info *d, int64_t ts, int *ev)
{
	if (!d->qr) {
		if (d->qname[0] != '\0') {
			/* the flow's name is its first query; each query is
			 * still an event for the beacon detector */
			if (x->name == NULL) {
				set_str(&x->name, d->qname);
				*ev |= APP_EV_NAME;
			}
			*ev |= APP_EV_QUERY;
		}
		x->u.dns.qtype = d->qtype;
		/* after the flow learned the name: rules on it can match */
		if (a->on_dns != NULL)
			a->on_dns(a->dns_arg, f, d, ts);
		return;
	}
	x->u.dns.answered = 1;
	x->u.dns.rcode = d->rcode;
	if (x->name == NULL && d->qname[0] != '\0') {
		set_str(&x->name, d->qname);
		*ev |= APP_EV_NAME;
	}
	for (int i = 0; i < d->nanswers && i < DNS_MAX_ANSWERS; i++) {
		const struct dns_answer *an = &d->answers[i];
		struct bw_addr addr;

		if ((an->rrtype == 1 || an->rrtype == 28) &&
		    bw_addr_parse(an->rdata, &addr) == 0)
			app_dns_remember(a, &addr, d->qname, ts);
	}
	*ev |= APP_EV_META;
	if (a->on_dns != NULL)
		a->on_dns(a->dns_arg, f, d, ts);
}

/* x is an RMCP flow */
static void
rmcp_message(struct flow_ext *x, const struct rmcp_info *r, int *ev)
{
	struct rmcp_flow *m = x->u.rmcp;

	if (m == NULL) {
		if ((m = x->u.rmcp = calloc(1, sizeof(*m))) == NULL)
			return;
		m->auth15 = 0xff;
		m->rakp2_status = m->rakp4_status = 0xff;
		m->offer_suite = m->accept_suite = -1;
	}
	m->kinds |= (uint16_t)(1u << r->kind);
	if (r->iana != 0)
		m->iana = r->iana;
	switch (r->kind) {
	case RMCP_IPMI15:
		/* session ID 0 is the pre-session discovery every client
		 * does (Get Channel Auth Caps) with auth "none": only an
		 * established 1.5 session says how the BMC authenticates */
		if (r->session_id != 0)
			m->auth15 = r->auth_type;
		break;
	case RMCP_OPEN_REQ:
		m->offer_valid = 1;
		m->offer_auth = r->auth_alg;
		m->offer_integ = r->integ_alg;
		m->offer_conf = r->conf_alg;
		m->offer_suite = (int16_t)app_ipmi_suite(r->auth_alg,
		    r->integ_alg, r->conf_alg);
		break;
	case RMCP_OPEN_RESP:
		m->accept_status = r->status;
		m->accept_valid = 1;
		if (r->status == 0)
			m->accept_suite = (int16_t)app_ipmi_suite(r->auth_alg,
			    r->integ_alg, r->conf_alg);
		break;
	case RMCP_RAKP1:
		m->rakp1_count++;
		if (r->username_len == 0)
			m->null_user = 1;
		else {
			int known = 0;
			for (int i = 0; i < m->nusers; i++)
				if (strcmp(m->users[i], r->username) == 0)
					known = 1;
			if (!known && m->nusers < APP_MAX_USERS)
				snprintf(m->users[m->nusers++], sizeof(m->users[0]),
				    "%s", r->username);
		}
		break;
	case RMCP_RAKP2:
		m->rakp2_status = r->status;
		break;
	case RMCP_RAKP3:
		m->rakp3_count++;
		break;
	case RMCP_RAKP4:
		m->rakp4_status = r->status;
		break;
	default:
		break;
	}
	if (r->has_authcap) {
		m->authcap_valid = 1;
		m->authcap_anon = r->authcap_anon;
		m->authcap_null = r->authcap_null_users;
		m->authcap_types = r->authcap_types;
	}
	if (r->has_cmd) {
		m->has_cmd = 1;
		m->netfn = r->netfn;
		m->cmd = r->cmd;
	}
	*ev |= APP_EV_META;
}

int
app_parse_datagram(enum app_proto ap, const uint8_t *b, size_t n,
    union app_datagram *m)
{
	switch (ap) {
	case APP_DNS:
		return app_dns_parse(b, n, &m->dns);
	case APP_RMCP:
		return app_rmcp_parse(b, n, &m->rmcp);
	case APP_SNMP:
		return app_snmp_parse(b, n, &m->snmp);
	case APP_NTP:
		return app_ntp_parse(b, n, &m->ntp);
	case APP_SYSLOG:
		return app_syslog_parse(b, n, &m->syslog);
	default:
		return APP_NOT;
	}
}

void
app_meta_datagram(struct app_ctx *a, struct flow *f, struct flow_ext *x,
    int dir, const uint8_t *b, size_t n, int64_t ts, int *ev,
    const union app_datagram *pre)
{
	/* each case below reads and writes only its own protocol's part of
	 * x->u: x->app was set before this call and never changes */

	/* a flow's syslog facts come from its first message only */
	if (x->app == APP_SYSLOG && x->u.syslog.valid)
		return;
	/* the inventory reads RMCP and SNMP datagrams, nothing else */
	if (a->inventory_only && (x->app == APP_DNS || x->app == APP_NTP ||
	    x->app == APP_SYSLOG))
		return;
	if (pre == NULL) {
		if (app_parse_datagram((enum app_proto)x->app, b, n,
		    &a->last) != APP_OK) {
			if (x->app != APP_SYSLOG)
				a->st.parse_errors++;
			return;
		}
		pre = &a->last;
	}
	a->last_ok = 1;
	switch (x->app) {
	case APP_DNS:
		dns_message(a, f, x, &pre->dns, ts, ev);
		break;
	case APP_RMCP:
		rmcp_message(x, &pre->rmcp, ev);
		break;
	case APP_SNMP: {
		const struct snmp_info *s = &pre->snmp;
		struct snmp_flow *sf = &x->u.snmp;
		/* the first request decides version and PDU; a v3 flow's
		 * first message is the engine-ID discovery, with no user
		 * yet, so names are taken from whichever message has one */
		if (sf->version == 0 && dir == DIR_TOSERVER) {
			sf->version = s->version;
			sf->pdu = s->pdu_type;
			*ev |= APP_EV_META;
		}
		if ((sf->community == NULL && s->community[0] != '\0') ||
		    (sf->user == NULL && s->usm_user[0] != '\0'))
			*ev |= APP_EV_META;
		set_str(&sf->community, s->community);
		set_str(&sf->user, s->usm_user);
		break;
	}
	case APP_NTP: {
		const struct ntp_info *t = &pre->ntp;
		struct ntp_flow *nf = &x->u.ntp;
		nf->anomaly |= t->anomaly;
		if (!nf->valid) {
			nf->valid = 1;
			nf->version = t->version;
			nf->mode = t->mode;
			nf->stratum = t->stratum;
			*ev |= APP_EV_META;
		}
		break;
	}
	case APP_SYSLOG:
		x->u.syslog.valid = 1;
		x->u.syslog.facility = pre->syslog.facility;
		x->u.syslog.severity = pre->syslog.severity;
		set_str(&x->u.syslog.host, pre->syslog.hostname);
		*ev |= APP_EV_META;
		break;
	default:
		break;
	}
}

int
app_meta_stream(struct app_ctx *a, struct flow *f, struct flow_ext *x,
    int dir, const uint8_t *b, size_t n, int64_t ts, int *ev)
{
	int rc;

	(void)f;
	switch (x->app) {
	case APP_TLS: {
		struct tls_info t;
		if ((rc = app_tls_parse_fp(b, n, &t, !a->inventory_only)) !=
		    APP_OK)
			return rc;
		if (t.is_client_hello) {
			x->u.tls.version = t.version;
			set_hello(&x->u.tls, t.ja3, t.ja4, t.alpn);
			if (t.sni[0] != '\0' && x->name == NULL) {
				set_str(&x->name, t.sni);
				*ev |= APP_EV_NAME;
			}
		} else if (t.is_server_hello) {
			struct x509_info c;
			char d[BMC_DETAIL_MAX];

			if (x->u.tls.ja3s == NULL) {
				x->u.tls.server_version = t.version;
				x->u.tls.cipher = t.cipher;
				set_str(&x->u.tls.ja3s, t.ja3);
				*ev |= APP_EV_META;
			}
			/* keep reading the server's flight to its certificate
			 * (TLS 1.2; APP_NOT for 1.3, where it is encrypted):
			 * BMC web UIs are known by their default certificates */
			if ((rc = app_x509_tls(b, n, &c)) == APP_MORE)
				return APP_MORE;
			if (rc == APP_OK) {
				bmc_cert_detail(&c, d, sizeof(d));
				set_str(&x->u.tls.cert, d);
				*ev |= APP_EV_META;
			}
			return APP_OK;
		}
		*ev |= APP_EV_META;
		return APP_OK;
	}
	case APP_HTTP: {
		struct http_info h;
		if ((rc = app_http_parse(b, n, &h)) != APP_OK)
			return rc;
		if (h.is_request) {
			set_str(&x->u.http.method, h.method);
			set_str(&x->u.http.uri, h.uri);
			set_str(&x->u.http.ua, h.user_agent);
			if (h.host[0] != '\0' && x->name == NULL) {
				set_str(&x->name, h.host);
				*ev |= APP_EV_NAME;
			}
		} else {
			x->u.http.status = h.status;
			set_str(&x->u.http.server, h.server);
		}
		*ev |= APP_EV_META;
		return APP_OK;
	}
	case APP_SSH: {
		struct ssh_info s;
		char banner[160];
		if ((rc = app_ssh_parse(b, n, &s)) != APP_OK)
			return rc;
		snprintf(banner, sizeof(banner), "%s|%s", s.proto_version,
		    s.software_version);
		set_str(dir == DIR_TOSERVER ? &x->u.ssh.client : &x->u.ssh.server,
		    banner);
		*ev |= APP_EV_META;
		return APP_OK;
	}
	case APP_DNS: {
		struct dns_info d;
		size_t len;
		if (n < 2)
			return APP_MORE;
		len = (size_t)b[0] << 8 | b[1];
		if (n - 2 < len)
			return len > APP_REASM_MAX ? APP_NOT : APP_MORE;
		if ((rc = app_dns_parse(b + 2, len, &d)) != APP_OK)
			return APP_NOT;
		dns_message(a, f, x, &d, ts, ev);
		return APP_OK;
	}
	case APP_SYSLOG: {
		struct syslog_info s;
		if ((rc = app_syslog_parse(b, n, &s)) != APP_OK)
			return rc;
		if (!x->u.syslog.valid) {
			x->u.syslog.valid = 1;
			x->u.syslog.facility = s.facility;
			x->u.syslog.severity = s.severity;
			set_str(&x->u.syslog.host, s.hostname);
			*ev |= APP_EV_META;
		}
		return APP_OK;
	}
	default:
		return APP_NOT;
	}
}
