/*
 * detect-bmc.h - passive BMC discovery: which hosts on the segment are
 * BMCs, of which vendor, and why we think so (issue 10).
 *
 * Why: the policy is only as good as the $BMC list, and the people who
 * replay a capture often do not have one.  A BMC gives itself away on the
 * wire: it ANSWERS on UDP 623 (ASF pong, RMCP+ open session response,
 * RAKP 2, IPMI replies), serves a vendor's default certificate, Server
 * header, SNMP sysDescr or SSDP/SLP advert, listens on virtual-media
 * ports, and its NIC has a server vendor's OUI.  Each such fact is one
 * evidence item with a weight; the confidence combines them (see
 * detect-bmc.c for the weights and why).  A host that only SENDS IPMI
 * requests is a manager or a scanner and is never a BMC.
 *
 * The engine calls bmc_evidence() for facts it sees (the BMC is always
 * the SENDER of the packet that carries the fact: the responder of the
 * flow); the inventory keeps hosts that have at least one BMC-specific
 * fact, bounded by max_hosts.  Nothing here touches packets or flows.
 */
#ifndef BW_DETECT_BMC_H
#define BW_DETECT_BMC_H

#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "json.h"
#include "packet.h"

enum bmc_ev {
	BMC_EV_NONE = 0,
	/* the host ANSWERED on UDP 623 (detail ignored) */
	BMC_EV_ASF_PONG,	/* ASF presence pong; iana = its IANA field */
	BMC_EV_AUTHCAP,		/* Get Channel Auth Capabilities reply; iana = OEM IANA */
	BMC_EV_DEVICE_ID,	/* Get Device ID reply; iana = manufacturer ID */
	BMC_EV_OPEN_SESSION,	/* RMCP+ open session response */
	BMC_EV_RAKP,		/* RAKP message 2 or 4 */
	BMC_EV_IPMI_REPLY,	/* any other IPMI 1.5/2.0 response or SOL from 623 */
	/* the host ASKED (port and detail ignored): a manager or a scanner */
	BMC_EV_IPMI_REQUEST,
	/* what the host's services say; detail = the raw field */
	BMC_EV_TLS_CERT,	/* detail: from bmc_cert_detail() */
	BMC_EV_HTTP_SERVER,	/* detail: Server header of a response */
	BMC_EV_REDFISH,		/* answered /redfish/v1 (2xx/401); detail: URI */
	BMC_EV_SSH_BANNER,	/* detail: "SSH-2.0-..." or proto|software */
	BMC_EV_SNMP_DESCR,	/* detail: sysDescr.0 of a response */
	BMC_EV_SNMP_OID,	/* detail: sysObjectID.0, dotted */
	BMC_EV_SSDP,		/* detail: from bmc_ssdp_detail() */
	BMC_EV_SLP,		/* detail: SLP reply/advert text */
	/* the host answered (SYN-ACK / UDP reply) on this port; detail NULL */
	BMC_EV_TCP_PORT,
	BMC_EV_UDP_PORT,
	BMC_EV_OEM_IANA,	/* internal: vendor from an IANA number */
	BMC_EV_MAX
};

struct x509_info;

/* bmc_evidence() results */
#define BMC_UNCHANGED	0
#define BMC_CHANGED	1	/* a BMC's vendor, model or evidence changed */
#define BMC_NEW		2	/* the host just became a BMC */

#define BMC_MAX_EVIDENCE 12
#define BMC_MAX_SERVICES 16
#define BMC_DETAIL_MAX	 160
#define BMC_MODEL_MAX	 32

struct bmc_item {
	uint8_t		 kind;		/* enum bmc_ev */
	uint8_t		 proto;		/* 6, 17, or 0 */
	uint16_t	 port;
	uint8_t		 vrank;		/* how much its vendor counts */
	float		 weight;
	const char	*vendor;	/* static string or NULL */
	int64_t		 ts_ns;
	char		 detail[BMC_DETAIL_MAX];
};

struct bmc_host {
	struct bw_addr	 ip;
	uint8_t		 mac[6];
	uint8_t		 has_mac;
	uint8_t		 mac_shared;	/* same MAC as other hosts: a router's */
	uint8_t		 is_bmc;
	uint8_t		 answers;	/* sent RMCP answers */
	uint8_t		 requests;	/* sent IPMI requests */
	uint8_t		 nitems, nsvc;
	uint8_t		 model_rank;	/* rank of the fact that named the model */
	const char	*vendor;	/* NULL when unknown */
	const char	*oui_vendor;	/* vendor of the MAC's OUI, or NULL */
	char		 model[BMC_MODEL_MAX];
	double		 confidence;	/* 0..1 */
	int64_t		 first_seen_ns;	/* first evidence of any kind */
	int64_t		 identified_ns;	/* when it became a BMC, 0 if not */
	uint32_t	 seq;		/* order of entry */
	struct bmc_item	 items[BMC_MAX_EVIDENCE];
	struct { uint8_t proto; uint16_t port; } svc[BMC_MAX_SERVICES];
};

struct bmc_inventory;

struct bmc_inventory *bmc_inventory_new(size_t max_hosts);
void		 bmc_inventory_free(struct bmc_inventory *inv);

/*
 * One fact about the host ip (the SENDER of the packet that showed it).
 * mac: the sender's MAC (p->mac_src) or NULL; detail: the raw field for
 * the text kinds (NULL for the others); iana: an IANA enterprise number
 * from the message or 0; port: the host's own port (623, 443, 161...).
 * Returns BMC_NEW, BMC_CHANGED or BMC_UNCHANGED (also when the fact is
 * not about BMCs at all, or the inventory is full).
 */
int		 bmc_evidence(struct bmc_inventory *inv, const struct bw_addr *ip,
		    const uint8_t *mac, enum bmc_ev kind, const char *detail,
		    uint32_t iana, uint16_t port, int64_t ts_ns);

/*
 * The evidence an RMCP datagram gives about its sender: sport/dport are
 * the datagram's own ports.  Sets *iana (0 when none, the ASF forum's
 * 4542 included).  BMC_EV_NONE for ACKs and unknown messages.
 */
struct ssdp_info;
/* The detail for BMC_EV_SSDP: "SERVER | NT or ST | USN". */
void		 bmc_ssdp_detail(const struct ssdp_info *sd, char *buf,
		    size_t len);
/* The detail for BMC_EV_TLS_CERT: subject (and issuer) CN, O, OU. */
void		 bmc_cert_detail(const struct x509_info *x, char *buf,
		    size_t len);

enum bmc_ev	 bmc_rmcp_kind(const struct rmcp_info *r, uint16_t sport,
		    uint16_t dport, uint32_t *iana);

int		 bmc_is_bmc(const struct bmc_inventory *inv,
		    const struct bw_addr *ip);
const struct bmc_host *bmc_lookup(const struct bmc_inventory *inv,
		    const struct bw_addr *ip);
/* Hosts in order of entry (BMCs and candidates): NULL starts, NULL ends. */
const struct bmc_host *bmc_next(const struct bmc_inventory *inv,
		    const struct bmc_host *prev);
size_t		 bmc_count(const struct bmc_inventory *inv);	/* BMCs */
size_t		 bmc_dropped(const struct bmc_inventory *inv);	/* full */

/* The EVE "bmc" object {ip, mac, vendor, model, evidence[], confidence,
 * first_seen, services[]} as key "bmc" of the open object in j. */
void		 bmc_json(const struct bmc_inventory *inv,
		    const struct bmc_host *h, struct json *j);
/* --write-vars: comments, then `var BMC = [...]` (BMCs sorted by address,
 * `!any` when there is none).  Returns -1 on a write error. */
int		 bmc_write_vars(const struct bmc_inventory *inv, FILE *fp);
/* --discover: the inventory as a table.  Returns -1 on a write error. */
int		 bmc_print_table(const struct bmc_inventory *inv, FILE *fp);

/* ---- the vendor knowledge (bmc-oui.c, bmc-iana.c) ---- */
/* Vendor of a MAC's OUI among BMC/server vendors, or NULL. */
const char	*bmc_oui_vendor(const uint8_t *mac);
/* Short vendor of an IANA enterprise number, or NULL; *firmware set
 * when the number belongs to a firmware maker (AMI, OpenBMC...). */
const char	*bmc_iana_vendor(uint32_t iana, int *firmware);
/* Registry name of an IANA number ("Super Micro Computer Inc."), or NULL. */
const char	*bmc_iana_name(uint32_t iana);
/*
 * Does text (a certificate subject, Server header, sysDescr, SSDP or SLP
 * text, SSH banner) name a BMC?  Returns 2 for a BMC product, 1 for a
 * server vendor only, 0 for nothing; *vendor and model (may be "") are
 * set when it names them.
 */
int		 bmc_text_match(const char *text, const char **vendor,
		    char *model, size_t modelsize);
/* The same for a sysObjectID ("1.3.6.1.4.1.674.10892.5"). */
int		 bmc_oid_match(const char *oid, const char **vendor,
		    char *model, size_t modelsize);
/* A port BMCs typically answer on: its weight (0 if none), label and
 * vendor hint (NULL if none). */
double		 bmc_port_hint(uint8_t proto, uint16_t port, const char **label,
		    const char **vendor);

#endif
