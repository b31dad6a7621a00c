/*
 * app-x509.h - parsers for what a host says about itself: the TLS 1.2
 * server certificate, SSDP adverts and SLP replies.  BMC web UIs ship
 * recognisable default certificates, and BMCs announce themselves with
 * SSDP (Supermicro, Redfish) and SLP (OpenBMC, IBM/Lenovo), so these are
 * evidence for passive BMC discovery (detect-bmc.h).
 *
 * Same contract as app.h: pure functions from bytes to a fixed-size
 * struct, APP_OK / APP_MORE / APP_NOT, every length checked against n,
 * strings NUL-terminated, cut to fit, and made printable (bytes outside
 * 0x20..0x7e become '?', so no result can smuggle a newline or a
 * terminal escape into a table or a rules file).
 */
#ifndef BW_APP_X509_H
#define BW_APP_X509_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"

/* ---- X.509: the first certificate of a TLS 1.2 Certificate message ---- */
struct x509_info {
	char		 subject[256];		/* "C=US, O=Super Micro Computer, CN=IPMI" (Suricata's order and format) */
	char		 issuer[256];
	char		 subject_cn[96], subject_o[96], subject_ou[96];
	char		 issuer_cn[96], issuer_o[96], issuer_ou[96];
	char		 serial[64];		/* "1C:2D" (Suricata: upper-case hex, colons), cut to fit */
	char		 not_before[20];	/* "2024-05-01T10:00:00" (UTC) */
	char		 not_after[20];
	char		 fingerprint[60];	/* SHA-1 of the DER, "aa:bb:..." (Suricata) */
	uint8_t		 self_signed;		/* subject and issuer are the same bytes */
	uint8_t		 version;		/* 1..3 */
};

/*
 * b is the start of the SERVER's TLS byte stream (as reassembled by the
 * caller, records and handshake messages may span): the ServerHello and
 * anything else before the Certificate message are skipped.
 *   APP_OK    the first certificate was complete and parsed
 *   APP_MORE  no Certificate message yet, or its first certificate is
 *             not complete in b
 *   APP_NOT   not TLS, malformed, or the handshake went on without a
 *             clear Certificate message (TLS 1.3, resumption, alert)
 */
int		 app_x509_tls(const uint8_t *b, size_t n, struct x509_info *out);
/* One DER certificate of exactly n bytes: APP_OK or APP_NOT. */
int		 app_x509_der(const uint8_t *der, size_t n, struct x509_info *out);

/* ---- SSDP (UDP 1900): NOTIFY, M-SEARCH and its HTTP/1.1 responses ---- */
enum ssdp_kind { SSDP_NOTIFY = 1, SSDP_MSEARCH, SSDP_RESPONSE };
struct ssdp_info {
	uint8_t		 kind;			/* enum ssdp_kind */
	char		 server[160];		/* SERVER header */
	char		 usn[160];
	char		 location[160];
	char		 nt[128];		/* NT (NOTIFY) or ST (M-SEARCH / response) */
	char		 nts[32];		/* "ssdp:alive", "ssdp:byebye" */
};
/* One datagram; never APP_MORE. */
int		 app_ssdp_parse(const uint8_t *b, size_t n, struct ssdp_info *out);

/* ---- SLPv2 (RFC 2608, UDP/TCP 427): replies and adverts ---- */
#define SLP_SRVRQST	1
#define SLP_SRVRPLY	2
#define SLP_ATTRRPLY	7
#define SLP_DAADVERT	8
#define SLP_SRVTYPERPLY	10
#define SLP_SAADVERT	11
struct slp_info {
	uint8_t		 function;		/* SLP_* */
	uint16_t	 xid;
	uint16_t	 error;			/* replies: the error code */
	uint8_t		 nurls;			/* URL entries in a SrvRply */
	char		 text[256];		/* URLs (", "-joined), type list, attribute list */
};
/* One message; every SLP function is APP_OK, text is filled for
 * SrvRply, AttrRply, DAAdvert, SrvTypeRply and SAAdvert. */
int		 app_slp_parse(const uint8_t *b, size_t n, struct slp_info *out);

#endif
