/*
 * app.h - application-layer parsers: pure functions from payload bytes to
 * a small fixed-size result struct.
 *
 * Why pure functions: each parser can be unit-tested and fuzzed on its own
 * (tests/fuzz/), owns no memory, and never sees the flow table.  app.c is
 * the one place that feeds them payload per flow and direction, detects
 * the protocol from content, and hangs what they learn on the flow.
 * Every parser bounds-checks every length against n and never reads
 * b[n] or beyond; strings in results are NUL-terminated and cut to fit.
 *
 * Return convention for every parse function:
 *   APP_OK (1)       parsed; *out is filled
 *   APP_MORE (0)     looks like this protocol but needs more bytes
 *   APP_NOT (-1)     not this protocol (or malformed beyond use)
 */
#ifndef BW_APP_H
#define BW_APP_H

#include <stddef.h>
#include <stdint.h>

#define APP_OK		1
#define APP_MORE	0
#define APP_NOT		(-1)

enum app_proto {
	APP_UNKNOWN = 0, APP_DNS, APP_TLS, APP_HTTP, APP_RMCP, APP_SNMP,
	APP_NTP, APP_SSH, APP_SYSLOG, APP_FAILED, APP_MAX
};

/* Suricata's app_proto names: "dns", "tls", "http", "rmcp", ... */
const char	*app_proto_name(enum app_proto p);

/* ---- DNS (UDP payload, or one TCP message after its 2-byte length) --- */
#define DNS_MAX_ANSWERS	8
struct dns_answer {
	char		 rrname[256];
	uint16_t	 rrtype;
	uint32_t	 ttl;
	char		 rdata[256];	/* A/AAAA as text, names, TXT joined */
};
struct dns_info {
	uint16_t	 id;
	uint8_t		 qr;		/* 1 = response */
	uint8_t		 opcode, rcode;
	uint8_t		 aa, tc, rd, ra;
	char		 qname[256];	/* first question, lower-case, no dot at end */
	uint16_t	 qtype, qclass;
	uint16_t	 qdcount, ancount, nscount, arcount;
	uint8_t		 nanswers;	/* answers kept (<= DNS_MAX_ANSWERS) */
	struct dns_answer answers[DNS_MAX_ANSWERS];
};
int		 app_dns_parse(const uint8_t *b, size_t n, struct dns_info *out);
/* "A", "AAAA", "TXT", ... or the number as text */
const char	*app_dns_type_name(uint16_t t, char *buf, size_t len);
/* "NOERROR", "NXDOMAIN", ... */
const char	*app_dns_rcode_name(uint8_t rc, char *buf, size_t len);

/* ---- TLS: b is the start of the TLS byte stream of one direction ---- */
struct tls_info {
	uint8_t		 is_client_hello, is_server_hello;
	uint16_t	 record_version;
	uint16_t	 hello_version;		/* legacy_version in the hello */
	uint16_t	 version;		/* negotiated/max from supported_versions, else hello_version */
	char		 sni[256];
	char		 alpn[128];		/* comma-separated, as offered/selected */
	char		 ja3[33];		/* MD5 hex of the JA3 string (client) or JA3S (server) */
	char		 ja3_string[1024];
	char		 ja4[40];		/* JA4 (client only), "" if not computed */
	uint16_t	 cipher;		/* server: the selected cipher suite */
};
/* Needs the whole hello: returns APP_MORE while the handshake message is
 * longer than n (the caller reassembles up to a bound, in order). */
int		 app_tls_parse(const uint8_t *b, size_t n, struct tls_info *out);
/* The same; with fingerprints 0, a ClientHello's ja3, ja3_string and ja4
 * stay empty (the inventory pass has no use for them and they are most of
 * the cost; a ServerHello's JA3S is cheap and always computed). */
int		 app_tls_parse_fp(const uint8_t *b, size_t n, struct tls_info *out,
		    int fingerprints);
/* "TLS 1.2", "TLS 1.3", "SSLv3", "UNDETERMINED" (Suricata's strings) */
const char	*app_tls_version_name(uint16_t v);

/* ---- HTTP/1.x: b is the start of one direction's byte stream ---- */
struct http_info {
	uint8_t		 is_request;
	char		 method[16];
	char		 uri[512];
	char		 protocol[16];		/* "HTTP/1.1" */
	char		 host[256];		/* without port */
	uint16_t	 host_port;		/* 0 when absent */
	char		 user_agent[256];
	char		 server[128];		/* response Server header */
	char		 content_type[128];
	uint16_t	 status;		/* response */
	uint64_t	 content_length;	/* 0 when absent */
};
/* Returns APP_OK once the header block (up to CRLFCRLF) is complete. */
int		 app_http_parse(const uint8_t *b, size_t n, struct http_info *out);

/* ---- RMCP / ASF / IPMI 1.5 / IPMI 2.0 (RMCP+) on UDP ---- */
enum rmcp_kind {
	RMCP_OTHER = 0, RMCP_ASF_PING, RMCP_ASF_PONG, RMCP_IPMI15,
	RMCP_OPEN_REQ, RMCP_OPEN_RESP, RMCP_RAKP1, RMCP_RAKP2, RMCP_RAKP3,
	RMCP_RAKP4, RMCP_IPMI20, RMCP_SOL, RMCP_ACK
};
struct rmcp_info {
	enum rmcp_kind	 kind;
	uint8_t		 rmcp_class;		/* 6 ASF, 7 IPMI (bit 7 = ACK stripped) */
	uint8_t		 seq;
	uint32_t	 iana;			/* ASF pong / auth-cap reply OEM IANA, 0 if none */
	uint8_t		 auth_type;		/* session header: 0 none,1 MD2,2 MD5,4 password,5 OEM,6 RMCP+ */
	uint8_t		 payload_type;		/* RMCP+: 0x00 IPMI, 0x01 SOL, 0x10..0x15 */
	uint8_t		 encrypted, authenticated;
	uint32_t	 session_id, session_seq;
	/* open session request/response, RAKP */
	uint8_t		 msg_tag;
	uint8_t		 status;		/* response/RAKP2/RAKP4 status code */
	uint8_t		 priv;			/* requested maximum privilege / RAKP1 role */
	uint8_t		 auth_alg, integ_alg, conf_alg;	/* 0xff when absent */
	uint32_t	 console_sid, bmc_sid;
	char		 username[17];		/* RAKP1, printable-escaped by the caller */
	uint8_t		 username_len;
	uint8_t		 has_username;
	/* unencrypted IPMI message (1.5, or 2.0 payload 0 not encrypted) */
	uint8_t		 has_cmd;
	uint8_t		 netfn, cmd, completion, is_response;
	/* Get Channel Authentication Capabilities (NetFn App 0x06/0x07, cmd 0x38) reply */
	uint8_t		 has_authcap;
	uint8_t		 authcap_types;		/* bitmask of IPMI 1.5 auth types */
	uint8_t		 authcap_anon, authcap_null_users, authcap_non_null, authcap_ipmi20;
};
int		 app_rmcp_parse(const uint8_t *b, size_t n, struct rmcp_info *out);
const char	*app_rmcp_kind_name(enum rmcp_kind k);	/* "open_session_request", ... */

/* ---- SNMP v1/v2c/v3 ---- */
struct snmp_info {
	uint8_t		 version;		/* 1, 2 (v2c), 3 */
	char		 community[64];		/* v1/v2c */
	char		 usm_user[64];		/* v3 */
	uint8_t		 pdu_type;		/* 0xa0 get, 0xa1 getnext, 0xa2 response, 0xa3 set, 0xa4 trap, 0xa5 getbulk, 0xa6 inform, 0xa7 trapv2, 0xa8 report */
	uint8_t		 encrypted;		/* v3 with privacy: PDU not readable */
	char		 sys_descr[256];	/* a response carrying sysDescr.0, else "" */
	char		 sys_object_id[128];	/* a response carrying sysObjectID.0 as dotted OID */
};
int		 app_snmp_parse(const uint8_t *b, size_t n, struct snmp_info *out);
const char	*app_snmp_pdu_name(uint8_t t);	/* Suricata's names: "get_request", ... */

/* ---- NTP ---- */
struct ntp_info {
	uint8_t		 version, mode, stratum, leap;
	int8_t		 poll, precision;
	uint8_t		 anomaly;		/* NTP_ANOM_* bits */
};
#define NTP_ANOM_SIZE	0x01	/* length that fits no NTP packet (48 + ext/MAC) */
#define NTP_ANOM_MODE	0x02	/* mode 0 or 7 (private) or 6 (control) seen */
#define NTP_ANOM_VERSION 0x04	/* version 0 or > 4 */
int		 app_ntp_parse(const uint8_t *b, size_t n, struct ntp_info *out);

/* ---- SSH banner ("SSH-2.0-OpenSSH_9.2p1 Debian-2") ---- */
struct ssh_info {
	char		 proto_version[16];	/* "2.0" */
	char		 software_version[128];	/* "OpenSSH_9.2p1" */
	char		 comments[128];
};
/* b is the start of one direction's stream; lines before the banner are
 * allowed (RFC 4253 4.2). APP_MORE until the banner's line end. */
int		 app_ssh_parse(const uint8_t *b, size_t n, struct ssh_info *out);

/* ---- syslog (RFC 3164 and RFC 5424) ---- */
struct syslog_info {
	uint8_t		 facility, severity;
	uint8_t		 rfc5424;
	char		 hostname[256];
	char		 app_name[64];
};
int		 app_syslog_parse(const uint8_t *b, size_t n, struct syslog_info *out);

#endif
