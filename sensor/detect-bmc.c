/*
 * detect-bmc.c - the BMC inventory: per host, the evidence that it is a
 * BMC, a confidence, its vendor and model, and the services it answered.
 *
 * Why: so that a first replay of an unknown capture already says which
 * hosts are BMCs (issue 10), the rules can protect them ($BMC_DISCOVERED)
 * and --write-vars can hand a reviewed list to the site's policy.
 *
 * Weights (what one fact says on its own; see bmc_evidence()):
 *   0.90  answers IPMI on UDP 623: auth-capabilities, Get Device ID, open
 *         session response, RAKP 2/4, other IPMI replies.  Only IPMI
 *         implementations do; in practice that is a BMC (or a simulator).
 *   0.70  SNMP sysDescr naming a BMC product ("iDRAC", "iLO", ...)
 *   0.60  ASF presence pong (also some desktop NICs with ASF/AMT); TLS
 *         certificate or SNMP sysObjectID naming a BMC product
 *   0.50  HTTP Server header or SLP advert naming a BMC product
 *   0.45  answers a Redfish service root (/redfish/v1): Redfish servers
 *         are nearly all BMCs, but aggregators exist
 *   0.40  SSH banner or SSDP advert naming a BMC product
 *   0.05-0.50 answering on a BMC port (bmc-iana.c: 0.4 for TCP 623 or
 *         17988, 0.3 virtual media, 0.05 VNC)
 *   0.15  MAC OUI of a server vendor (not when the MAC is shared by
 *         several addresses: that is a router)
 *   0.10  any text that names a server vendor but no BMC product
 * The confidence is 1 - prod(1 - w) over evidence kinds (the strongest
 * item of each kind counts), as if each kind were an independent witness:
 * two weak facts add up, one strong fact is enough, and repeating a fact
 * adds nothing.  A host is a BMC when the confidence is >= 0.5, so no
 * single weak fact (OUI, a port, a vendor name) makes one, and never when
 * it sent IPMI requests but no answers: managers and scanners run
 * ipmitool on servers whose NICs have the same OUIs.
 *
 * Memory is bounded: at most max_hosts entries (open addressing index),
 * BMC_MAX_EVIDENCE items and BMC_MAX_SERVICES ports per host.  A host
 * enters the inventory with its first fact that is BMC-specific (an
 * answer or request on 623, a product name, a BMC port); weaker facts
 * only add to hosts already in it, so ordinary servers cost nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app-x509.h"
#include "decode.h"
#include "detect-bmc.h"
#include "hash.h"

#define THRESHOLD	0.5
#define W_OUI		0.15
#define W_VENDOR_ONLY	0.10

/* vendor ranks: which fact names the vendor when several do */
#define R_IANA		5
#define R_TEXT		4
#define R_IANA_FW	3
#define R_PORT		2
#define R_OUI		1

struct bmc_inventory {
	struct bmc_host	*hosts;
	size_t		 n, max, nbmc, dropped;
	uint32_t	*index;		/* host number + 1, 0 = empty */
	size_t		 nindex;	/* power of two, >= 2 * max */
};

static const struct {
	const char	*name;
	uint8_t		 proto;
	float		 weight;
	const char	*fixed;		/* detail for kinds without text */
} kinds[BMC_EV_MAX] = {
	[BMC_EV_NONE] = { "none", 0, 0, NULL },
	[BMC_EV_ASF_PONG] = { "asf_pong", 17, 0.60f,
	    "answers ASF presence ping" },
	[BMC_EV_AUTHCAP] = { "ipmi_auth_capabilities", 17, 0.90f,
	    "answers IPMI Get Channel Authentication Capabilities" },
	[BMC_EV_DEVICE_ID] = { "ipmi_device_id", 17, 0.90f,
	    "answers IPMI Get Device ID" },
	[BMC_EV_OPEN_SESSION] = { "rmcpp_open_session", 17, 0.90f,
	    "answers RMCP+ open session" },
	[BMC_EV_RAKP] = { "rmcpp_rakp", 17, 0.90f, "answers RMCP+ RAKP" },
	[BMC_EV_IPMI_REPLY] = { "ipmi_reply", 17, 0.90f,
	    "answers IPMI session messages" },
	[BMC_EV_IPMI_REQUEST] = { "ipmi_request", 17, 0,
	    "sends IPMI requests (a manager or a scanner)" },
	[BMC_EV_TLS_CERT] = { "tls_certificate", 6, 0.60f, NULL },
	[BMC_EV_HTTP_SERVER] = { "http_server", 6, 0.50f, NULL },
	[BMC_EV_REDFISH] = { "redfish", 6, 0.45f, NULL },
	[BMC_EV_SSH_BANNER] = { "ssh_banner", 6, 0.40f, NULL },
	[BMC_EV_SNMP_DESCR] = { "snmp_sysdescr", 17, 0.70f, NULL },
	[BMC_EV_SNMP_OID] = { "snmp_sysobjectid", 17, 0.60f, NULL },
	[BMC_EV_SSDP] = { "ssdp", 17, 0.40f, NULL },
	[BMC_EV_SLP] = { "slp", 17, 0.50f, NULL },
	[BMC_EV_TCP_PORT] = { "tcp_port", 6, 0, NULL },
	[BMC_EV_UDP_PORT] = { "udp_port", 17, 0, NULL },
	[BMC_EV_OEM_IANA] = { "oem_iana", 17, 0, NULL },
};

static const char *const text_prefix[BMC_EV_MAX] = {
	[BMC_EV_TLS_CERT] = "TLS certificate ",
	[BMC_EV_HTTP_SERVER] = "HTTP Server: ",
	[BMC_EV_REDFISH] = "answers Redfish service root ",
	[BMC_EV_SSH_BANNER] = "SSH banner ",
	[BMC_EV_SNMP_DESCR] = "SNMP sysDescr ",
	[BMC_EV_SNMP_OID] = "SNMP sysObjectID ",
	[BMC_EV_SSDP] = "SSDP ",
	[BMC_EV_SLP] = "SLP ",
};

struct bmc_inventory *
bmc_inventory_new(size_t max)
{
	struct bmc_inventory *inv;

	if (max == 0 || max > (1u << 24))
		return NULL;
	if ((inv = calloc(1, sizeof(*inv))) == NULL)
		return NULL;
	inv->max = max;
	for (inv->nindex = 16; inv->nindex < 2 * max; inv->nindex <<= 1)
		;
	inv->hosts = calloc(max, sizeof(*inv->hosts));
	inv->index = calloc(inv->nindex, sizeof(*inv->index));
	if (inv->hosts == NULL || inv->index == NULL) {
		bmc_inventory_free(inv);
		return NULL;
	}
	return inv;
}

void
bmc_inventory_free(struct bmc_inventory *inv)
{
	if (inv == NULL)
		return;
	free(inv->hosts);
	free(inv->index);
	free(inv);
}

static size_t
slot(const struct bmc_inventory *inv, const struct bw_addr *ip)
{
	return fnv1a32(FNV32_INIT, ip, sizeof(*ip)) & (inv->nindex - 1);
}

/* The host's index slot: where it is, or the empty slot it would take. */
static size_t
find_slot(const struct bmc_inventory *inv, const struct bw_addr *ip)
{
	size_t s = slot(inv, ip);

	while (inv->index[s] != 0 && memcmp(&inv->hosts[inv->index[s] -
	    1].ip, ip, sizeof(*ip)) != 0)
		s = (s + 1) & (inv->nindex - 1);
	return s;
}

const struct bmc_host *
bmc_lookup(const struct bmc_inventory *inv, const struct bw_addr *ip)
{
	size_t s;

	if (inv == NULL || ip == NULL)
		return NULL;
	s = find_slot(inv, ip);
	return inv->index[s] != 0 ? &inv->hosts[inv->index[s] - 1] : NULL;
}

int
bmc_is_bmc(const struct bmc_inventory *inv, const struct bw_addr *ip)
{
	const struct bmc_host *h = bmc_lookup(inv, ip);

	return h != NULL && h->is_bmc;
}

const struct bmc_host *
bmc_next(const struct bmc_inventory *inv, const struct bmc_host *prev)
{
	size_t i = prev == NULL ? 0 : (size_t)(prev - inv->hosts) + 1;

	return i < inv->n ? &inv->hosts[i] : NULL;
}

size_t
bmc_count(const struct bmc_inventory *inv)
{
	return inv->nbmc;
}

size_t
bmc_dropped(const struct bmc_inventory *inv)
{
	return inv->dropped;
}

/* Printable ASCII copy, cut to fit ('?' for anything else). */
static void
clean(char *dst, size_t size, const char *s)
{
	size_t o = 0;

	for (; s != NULL && *s != '\0' && o + 1 < size; s++)
		dst[o++] = *s >= 0x20 && *s < 0x7f ? *s : '?';
	dst[o] = '\0';
}

enum bmc_ev
bmc_rmcp_kind(const struct rmcp_info *r, uint16_t sport, uint16_t dport,
    uint32_t *iana)
{
	*iana = 0;
	switch (r->kind) {
	case RMCP_ASF_PONG:
		*iana = r->iana == 4542 ? 0 : r->iana;
		return BMC_EV_ASF_PONG;
	case RMCP_ASF_PING:
	case RMCP_OPEN_REQ:
	case RMCP_RAKP1:
	case RMCP_RAKP3:
		return BMC_EV_IPMI_REQUEST;
	case RMCP_OPEN_RESP:
		return BMC_EV_OPEN_SESSION;
	case RMCP_RAKP2:
	case RMCP_RAKP4:
		return BMC_EV_RAKP;
	case RMCP_IPMI15:
	case RMCP_IPMI20:
	case RMCP_SOL:
		if (r->has_cmd && !r->is_response)
			return BMC_EV_IPMI_REQUEST;
		if (r->has_cmd && r->has_authcap) {
			*iana = r->iana;
			return BMC_EV_AUTHCAP;
		}
		if (r->has_cmd && r->netfn == 0x07 && r->cmd == 0x01) {
			*iana = r->iana;	/* manufacturer ID, when parsed */
			return BMC_EV_DEVICE_ID;
		}
		if (r->has_cmd)
			return BMC_EV_IPMI_REPLY;
		/* encrypted or unreadable: the port says who answers */
		if (sport == 623 && dport != 623)
			return BMC_EV_IPMI_REPLY;
		if (dport == 623 && sport != 623)
			return BMC_EV_IPMI_REQUEST;
		return BMC_EV_NONE;
	default:
		return BMC_EV_NONE;
	}
}

static void
add_service(struct bmc_host *h, uint8_t proto, uint16_t port)
{
	if (proto == 0 || port == 0)
		return;
	for (int i = 0; i < h->nsvc; i++)
		if (h->svc[i].proto == proto && h->svc[i].port == port)
			return;
	if (h->nsvc < BMC_MAX_SERVICES) {
		h->svc[h->nsvc].proto = proto;
		h->svc[h->nsvc++].port = port;
	}
}

/* Add an item unless the same kind and detail is there; 1 if added. */
static int
add_item(struct bmc_host *h, const struct bmc_item *it)
{
	int low = -1;

	for (int i = 0; i < h->nitems; i++) {
		if (h->items[i].kind == it->kind &&
		    strcmp(h->items[i].detail, it->detail) == 0)
			return 0;
		if (low < 0 || h->items[i].weight < h->items[low].weight)
			low = i;
	}
	if (h->nitems < BMC_MAX_EVIDENCE) {
		h->items[h->nitems++] = *it;
		return 1;
	}
	if (low >= 0 && h->items[low].weight < it->weight) {
		h->items[low] = *it;		/* full: the weakest goes */
		return 1;
	}
	return 0;
}

static void	evaluate(struct bmc_host *);

/* A MAC seen with other addresses of the same family is a router's. */
static void
check_mac(struct bmc_inventory *inv, struct bmc_host *h)
{
	int others = 0, same_family = 0;

	for (size_t i = 0; i < inv->n; i++) {
		struct bmc_host *o = &inv->hosts[i];
		if (o == h || !o->has_mac || memcmp(o->mac, h->mac, 6) != 0)
			continue;
		others++;
		same_family |= bw_addr_is_v4(&o->ip) == bw_addr_is_v4(&h->ip);
	}
	if (same_family || others >= 2) {
		for (size_t i = 0; i < inv->n; i++)
			if (inv->hosts[i].has_mac &&
			    memcmp(inv->hosts[i].mac, h->mac, 6) == 0) {
				inv->hosts[i].mac_shared = 1;
				evaluate(&inv->hosts[i]);
			}
	}
}

/* Confidence, vendor, BMC or not, from the items. */
static void
evaluate(struct bmc_host *h)
{
	float best[BMC_EV_MAX] = { 0 };
	double miss = 1.0;
	int rank = 0;

	for (int i = 0; i < h->nitems; i++) {
		const struct bmc_item *it = &h->items[i];
		if (it->weight > best[it->kind])
			best[it->kind] = it->weight;
	}
	for (int k = 0; k < BMC_EV_MAX; k++)
		miss *= 1.0 - best[k];
	h->vendor = NULL;
	if (h->oui_vendor != NULL && !h->mac_shared) {
		miss *= 1.0 - W_OUI;
		h->vendor = h->oui_vendor;
		rank = R_OUI;
	}
	h->confidence = 1.0 - miss;
	for (int i = 0; i < h->nitems; i++)
		if (h->items[i].vendor != NULL && h->items[i].vrank > rank) {
			h->vendor = h->items[i].vendor;
			rank = h->items[i].vrank;
		}
	/* once a BMC, always: the set only grows (issue 10) */
	h->is_bmc = h->is_bmc || (h->confidence >= THRESHOLD &&
	    !(h->requests && !h->answers));
}

/*
 * What a fact is worth: fills it (weight, detail, vendor) and says
 * whether it may bring a new host into the inventory.
 */
/*
 * Append s to buf (size bytes, *o used), truncating as snprintf would.
 * Evidence arrives per packet (every SYN-ACK, every RMCP reply), and an
 * snprintf per fact was half the cost of the inventory.
 */
static void
cat(char *buf, size_t size, size_t *o, const char *s)
{
	size_t k = strlen(s);

	if (*o + 1 >= size)
		return;
	if (k > size - 1 - *o)
		k = size - 1 - *o;
	memcpy(buf + *o, s, k);
	*o += k;
	buf[*o] = '\0';
}

static void
cat_u(char *buf, size_t size, size_t *o, unsigned v)
{
	char d[12];
	size_t k = sizeof(d) - 1;

	d[k] = '\0';
	do {
		d[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 && k > 0);
	cat(buf, size, o, d + k);
}

static int
classify(enum bmc_ev kind, const char *detail, uint16_t port,
    struct bmc_item *it, char *model, size_t msize)
{
	char raw[BMC_DETAIL_MAX];
	const char *label, *v = NULL;
	double w;
	int s;

	it->kind = (uint8_t)kind;
	it->proto = kinds[kind].proto;
	it->port = port;
	if (kinds[kind].fixed != NULL) {
		if (kind == BMC_EV_IPMI_REQUEST)
			it->port = 0;	/* the client's port: not a fact */
		size_t o = 0;

		it->detail[0] = '\0';
		cat(it->detail, sizeof(it->detail), &o, kinds[kind].fixed);
		if (it->port != 0) {	/* "%s (UDP %u)" */
			cat(it->detail, sizeof(it->detail), &o, " (UDP ");
			cat_u(it->detail, sizeof(it->detail), &o, port);
			cat(it->detail, sizeof(it->detail), &o, ")");
		}
		it->weight = kinds[kind].weight;
		return 1;
	}
	if (kind == BMC_EV_TCP_PORT || kind == BMC_EV_UDP_PORT) {
		w = bmc_port_hint(it->proto, port, &label, &v);
		if (w <= 0)
			return -1;		/* only a service */
		size_t o = 0;

		/* "listens on TCP %u (%s)" / "answers on UDP %u (%s)" */
		it->detail[0] = '\0';
		cat(it->detail, sizeof(it->detail), &o,
		    kind == BMC_EV_TCP_PORT ? "listens on TCP " :
		    "answers on UDP ");
		cat_u(it->detail, sizeof(it->detail), &o, port);
		cat(it->detail, sizeof(it->detail), &o, " (");
		cat(it->detail, sizeof(it->detail), &o,
		    label != NULL ? label : "(null)");
		cat(it->detail, sizeof(it->detail), &o, ")");
		it->weight = (float)w;
		it->vendor = v;
		it->vrank = v != NULL ? R_PORT : 0;
		return w >= 0.3;
	}
	if (detail == NULL || detail[0] == '\0')
		return -1;
	clean(raw, sizeof(raw), detail);
	snprintf(it->detail, sizeof(it->detail), "%s%s", text_prefix[kind],
	    raw);
	if (kind == BMC_EV_REDFISH) {
		it->weight = kinds[kind].weight;
		return 1;
	}
	s = kind == BMC_EV_SNMP_OID ? bmc_oid_match(raw, &v, model, msize) :
	    bmc_text_match(raw, &v, model, msize);
	it->vendor = v;
	it->vrank = v != NULL && s > 0 ? R_TEXT : 0;
	it->weight = s == 2 ? kinds[kind].weight : s == 1 ? (float)W_VENDOR_ONLY :
	    0;
	return s == 2;
}

int
bmc_evidence(struct bmc_inventory *inv, const struct bw_addr *ip,
    const uint8_t *mac, enum bmc_ev kind, const char *detail, uint32_t iana,
    uint16_t port, int64_t ts_ns)
{
	struct bmc_item it, vi;
	struct bmc_host *h;
	const char *oldv, *name;
	char model[BMC_MODEL_MAX], oldm[BMC_MODEL_MAX];
	int create, changed = 0, was, fw = 0;
	size_t s;

	if (inv == NULL || ip == NULL || kind <= BMC_EV_NONE ||
	    kind >= BMC_EV_OEM_IANA)
		return BMC_UNCHANGED;
	memset(&it, 0, sizeof(it));
	model[0] = '\0';
	create = classify(kind, detail, port, &it, model, sizeof(model));
	it.ts_ns = ts_ns;
	s = find_slot(inv, ip);
	if (inv->index[s] == 0) {
		if (create <= 0)
			return BMC_UNCHANGED;
		if (inv->n == inv->max) {
			inv->dropped++;
			return BMC_UNCHANGED;
		}
		h = &inv->hosts[inv->n++];
		memset(h, 0, sizeof(*h));
		h->ip = *ip;
		h->first_seen_ns = ts_ns;
		h->seq = (uint32_t)inv->n;
		inv->index[s] = (uint32_t)inv->n;
	} else
		h = &inv->hosts[inv->index[s] - 1];

	was = h->is_bmc;
	oldv = h->vendor;
	{
		size_t o = 0;

		oldm[0] = '\0';
		cat(oldm, sizeof(oldm), &o, h->model);
	}
	if (ts_ns < h->first_seen_ns)
		h->first_seen_ns = ts_ns;
	if (mac != NULL && !h->has_mac) {
		memcpy(h->mac, mac, 6);
		h->has_mac = 1;
		h->oui_vendor = bmc_oui_vendor(mac);
		check_mac(inv, h);
	}
	if (kind == BMC_EV_IPMI_REQUEST)
		h->requests = 1;
	else {
		if (kind <= BMC_EV_IPMI_REPLY)
			h->answers = 1;
		add_service(h, it.proto, port);
	}
	if (create >= 0)
		changed |= add_item(h, &it);
	/* a better source, or the same family named more precisely
	 * ("iDRAC" -> "iDRAC9") */
	if (model[0] != '\0' && (it.vrank > h->model_rank ||
	    (it.vrank == h->model_rank && strlen(model) > strlen(h->model) &&
	    strncmp(model, h->model, strlen(h->model)) == 0))) {
		snprintf(h->model, sizeof(h->model), "%s", model);
		h->model_rank = it.vrank;
	}
	if (iana != 0 && kind != BMC_EV_IPMI_REQUEST) {
		memset(&vi, 0, sizeof(vi));
		vi.kind = BMC_EV_OEM_IANA;
		vi.proto = 17;
		vi.port = port;
		vi.ts_ns = ts_ns;
		vi.vendor = bmc_iana_vendor(iana, &fw);
		vi.vrank = vi.vendor == NULL ? 0 : fw ? R_IANA_FW : R_IANA;
		name = bmc_iana_name(iana);
		snprintf(vi.detail, sizeof(vi.detail), "%s IANA %u (%s)",
		    kind == BMC_EV_DEVICE_ID ? "IPMI Get Device ID manufacturer" :
		    kind == BMC_EV_ASF_PONG ? "ASF pong OEM" : "IPMI OEM",
		    (unsigned)iana, name != NULL ? name : "not in the table");
		changed |= add_item(h, &vi);
	}
	evaluate(h);
	if (h->is_bmc && !was) {
		h->identified_ns = ts_ns;
		inv->nbmc++;
		return BMC_NEW;
	}
	if (h->is_bmc && (changed || oldv != h->vendor ||
	    strcmp(oldm, h->model) != 0))
		return BMC_CHANGED;
	return BMC_UNCHANGED;
}

/* Append "key=value" (", "-separated) when value is not empty. */
static void
add_rdn(char *buf, size_t len, const char *key, const char *v)
{
	size_t o = strlen(buf);

	if (v[0] == '\0' || o + 1 >= len)
		return;
	if (snprintf(buf + o, len - o, "%s%s=%s", o > 0 &&
	    buf[o - 1] != ' ' ? ", " : "", key, v) < 0)
		buf[o] = '\0';
}

void
bmc_cert_detail(const struct x509_info *x, char *buf, size_t len)
{
	if (len == 0)
		return;
	snprintf(buf, len, "subject ");
	add_rdn(buf, len, "CN", x->subject_cn);
	add_rdn(buf, len, "O", x->subject_o);
	add_rdn(buf, len, "OU", x->subject_ou);
	if (x->self_signed) {
		size_t o = strlen(buf);
		snprintf(buf + o, len - o, " (self-signed)");
		return;
	}
	if (strlen(buf) + 8 < len) {
		strcat(buf, " issuer ");
		add_rdn(buf, len, "CN", x->issuer_cn);
		add_rdn(buf, len, "O", x->issuer_o);
		add_rdn(buf, len, "OU", x->issuer_ou);
	}
}

void
bmc_ssdp_detail(const struct ssdp_info *sd, char *buf, size_t len)
{
	const char *f[3] = { sd->server, sd->nt, sd->usn };
	size_t o;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < 3; i++) {
		o = strlen(buf);
		if (f[i][0] == '\0' || o + 1 >= len)
			continue;
		if (snprintf(buf + o, len - o, "%s%s", o ? " | " : "", f[i]) < 0)
			buf[o] = '\0';
	}
}

/* ---- output ---------------------------------------------------------- */

static const char *
mac_str(const struct bmc_host *h, char *buf, size_t len)
{
	const uint8_t *m = h->mac;

	if (!h->has_mac || h->mac_shared)
		return NULL;
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
	return buf;
}

/* "MAC OUI 00:25:90 (Supermicro)" when the OUI counts, else NULL. */
static const char *
oui_detail(const struct bmc_host *h, char *buf, size_t len)
{
	if (h->oui_vendor == NULL || h->mac_shared)
		return NULL;
	snprintf(buf, len, "MAC OUI %02x:%02x:%02x (%s)", h->mac[0],
	    h->mac[1], h->mac[2], h->oui_vendor);
	return buf;
}

void
bmc_json(const struct bmc_inventory *inv, const struct bmc_host *h,
    struct json *j)
{
	char buf[64], src[16];

	(void)inv;
	json_obj_open(j, "bmc");
	json_str(j, "ip", bw_addr_str(&h->ip, buf, sizeof(buf)));
	if (mac_str(h, buf, sizeof(buf)) != NULL)
		json_str(j, "mac", buf);
	json_str(j, "vendor", h->vendor != NULL ? h->vendor : "unknown");
	if (h->model[0] != '\0')
		json_str(j, "model", h->model);
	json_double(j, "confidence", h->confidence, 2);
	json_str(j, "first_seen", json_time(h->first_seen_ns, buf,
	    sizeof(buf)));
	json_arr_open(j, "evidence");
	for (int i = 0; i < h->nitems; i++) {
		const struct bmc_item *it = &h->items[i];
		json_obj_open(j, NULL);
		json_str(j, "kind", kinds[it->kind].name);
		json_str(j, "detail", it->detail);
		if (it->port != 0) {
			snprintf(src, sizeof(src), "%s/%u",
			    it->proto == 6 ? "tcp" : "udp", it->port);
			json_str(j, "source", src);
		}
		json_double(j, "weight", it->weight, 2);
		json_obj_close(j);
	}
	if (oui_detail(h, buf, sizeof(buf)) != NULL) {
		json_obj_open(j, NULL);
		json_str(j, "kind", "mac_oui");
		json_str(j, "detail", buf);
		json_str(j, "source", "mac");
		json_double(j, "weight", W_OUI, 2);
		json_obj_close(j);
	}
	json_arr_close(j);
	json_arr_open(j, "services");
	for (int i = 0; i < h->nsvc; i++) {
		snprintf(src, sizeof(src), "%s/%u",
		    h->svc[i].proto == 6 ? "tcp" : "udp", h->svc[i].port);
		json_str(j, NULL, src);
	}
	json_arr_close(j);
	json_obj_close(j);
}

static int
by_addr(const void *a, const void *b)
{
	const struct bmc_host *x = *(const struct bmc_host *const *)a;
	const struct bmc_host *y = *(const struct bmc_host *const *)b;

	return memcmp(&x->ip, &y->ip, sizeof(x->ip));
}

/* The hosts sorted by address (caller frees); NULL when none or OOM. */
static const struct bmc_host **
sorted(const struct bmc_inventory *inv)
{
	const struct bmc_host **v;

	if (inv->n == 0 || (v = calloc(inv->n, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < inv->n; i++)
		v[i] = &inv->hosts[i];
	qsort(v, inv->n, sizeof(*v), by_addr);
	return v;
}

/* "vendor model, confidence 0.99: fact; fact; ..." on one line. */
static void
summary(FILE *fp, const struct bmc_host *h)
{
	char buf[64];

	fprintf(fp, "%s%s%s, confidence %.2f:", h->vendor != NULL ?
	    h->vendor : "vendor unknown", h->model[0] != '\0' ? " " : "",
	    h->model, h->confidence);
	for (int i = 0; i < h->nitems; i++)
		fprintf(fp, "%s %s", i ? ";" : "", h->items[i].detail);
	if (oui_detail(h, buf, sizeof(buf)) != NULL)
		fprintf(fp, "%s %s", h->nitems ? ";" : "", buf);
}

int
bmc_write_vars(const struct bmc_inventory *inv, FILE *fp)
{
	const struct bmc_host **v = sorted(inv);
	char buf[64];
	size_t k = 0;
	int err;

	fprintf(fp, "# BMCs identified by bmcwatch from passive evidence: "
	    "review before use.\n");
	for (size_t i = 0; v != NULL && i < inv->n; i++) {
		if (!v[i]->is_bmc)
			continue;
		fprintf(fp, "# %s ", bw_addr_str(&v[i]->ip, buf, sizeof(buf)));
		summary(fp, v[i]);
		fputc('\n', fp);
	}
	fprintf(fp, "var BMC = ");
	for (size_t i = 0; v != NULL && i < inv->n; i++)
		if (v[i]->is_bmc)
			fprintf(fp, "%s%s", k++ ? ", " : "[",
			    bw_addr_str(&v[i]->ip, buf, sizeof(buf)));
	fprintf(fp, "%s\n", k ? "]" : "!any   # no BMC was identified");
	err = ferror(fp) || (inv->n > 0 && v == NULL);
	free(v);
	return err ? -1 : 0;
}

int
bmc_print_table(const struct bmc_inventory *inv, FILE *fp)
{
	const struct bmc_host **v = sorted(inv);
	char ip[64], mac[32], svc[96];
	size_t others = 0;
	int err;

	fprintf(fp, "%-16s %-17s %-12s %-8s %-5s %s\n", "ADDRESS", "MAC",
	    "VENDOR", "MODEL", "CONF", "SERVICES / EVIDENCE");
	for (size_t i = 0; v != NULL && i < inv->n; i++) {
		const struct bmc_host *h = v[i];
		if (!h->is_bmc) {
			others++;
			continue;
		}
		svc[0] = '\0';
		for (int k = 0; k < h->nsvc; k++) {
			size_t o = strlen(svc);
			snprintf(svc + o, sizeof(svc) - o, "%s%s/%u", k ? " " : "",
			    h->svc[k].proto == 6 ? "tcp" : "udp", h->svc[k].port);
		}
		fprintf(fp, "%-16s %-17s %-12s %-8s %-5.2f %s\n",
		    bw_addr_str(&h->ip, ip, sizeof(ip)),
		    mac_str(h, mac, sizeof(mac)) ? mac : "-",
		    h->vendor ? h->vendor : "unknown",
		    h->model[0] ? h->model : "-", h->confidence, svc);
		for (int k = 0; k < h->nitems; k++)
			fprintf(fp, "%58s- %s\n", "", h->items[k].detail);
		if (oui_detail(h, mac, sizeof(mac)) != NULL)
			fprintf(fp, "%58s- %s\n", "", mac);
	}
	fprintf(fp, "%zu BMC%s", inv->nbmc, inv->nbmc == 1 ? "" : "s");
	if (inv->dropped > 0)
		fprintf(fp, " (%zu hosts not tracked: inventory full)",
		    inv->dropped);
	fprintf(fp, "\n");
	if (others > 0)
		fprintf(fp, "\nNot BMCs (evidence below %.2f, or IPMI client "
		    "only):\n", THRESHOLD);
	for (size_t i = 0; v != NULL && i < inv->n; i++) {
		if (v[i]->is_bmc)
			continue;
		fprintf(fp, "  %s %s", bw_addr_str(&v[i]->ip, ip, sizeof(ip)),
		    v[i]->requests && !v[i]->answers ?
		    "IPMI client (manager or scanner), " : "");
		summary(fp, v[i]);
		fputc('\n', fp);
	}
	err = ferror(fp) || (inv->n > 0 && v == NULL);
	free(v);
	return err ? -1 : 0;
}
