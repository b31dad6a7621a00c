/*
 * app-rmcp.c - RMCP, ASF presence ping/pong, IPMI 1.5 and IPMI 2.0
 * (RMCP+) session setup on UDP: the cleartext bytes that show cipher
 * suite 0, the RAKP hash disclosure, username enumeration and anonymous
 * or null-user logins (../shared/threats.md 1.1, 1.2).
 *
 * Why it is built this way: one datagram is one message, so there is no
 * reassembly and APP_MORE is never returned; anything shorter than the
 * fixed part of the message it claims to be is APP_NOT.  Each layer
 * (RMCP header, session header, payload, IPMI message) is read through a
 * (pointer, length) pair that is narrowed as we go, so every read is
 * checked against the length of the layer that holds it and a length
 * field can never lead outside the datagram.  Multi-byte IPMI fields are
 * little-endian; only the ASF header (an IANA number) is big-endian.
 * Keys and MACs (RAKP2's HMAC, RAKP3's, integrity trailers) are never
 * copied: the sensor only needs to know that they were sent.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"

#define RMCP_VERSION	0x06
#define RMCP_CLASS_ASF	0x06
#define RMCP_CLASS_IPMI	0x07
#define RMCP_CLASS_OEM	0x08
#define RMCP_ACK_BIT	0x80

#define ASF_PING	0x80
#define ASF_PONG	0x40

#define AUTH_NONE	0x00
#define AUTH_RMCPP	0x06

#define PT_IPMI		0x00
#define PT_SOL		0x01
#define PT_OEM		0x02
#define PT_OPEN_REQ	0x10
#define PT_OPEN_RESP	0x11
#define PT_RAKP1	0x12
#define PT_RAKP2	0x13
#define PT_RAKP3	0x14
#define PT_RAKP4	0x15

#define NETFN_APP_RESP	0x07
#define CMD_DEVICE_ID	0x01
#define CMD_AUTHCAP	0x38

#define ALG_REC_LEN	8	/* one open session algorithm record */

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/*
 * An IPMI message: rsAddr, netFn/rsLUN, checksum, rqAddr, rqSeq/rqLUN,
 * cmd, [completion code when netFn is odd], data, checksum.  A wrong
 * header checksum means these are not the bytes we think they are (for
 * instance an OEM payload), so nothing is taken from them.
 */
static void
ipmi_msg(const uint8_t *m, size_t len, struct rmcp_info *out)
{
	const uint8_t *d;

	if (len < 7)
		return;
	if ((uint8_t)(m[0] + m[1] + m[2]) != 0)
		return;
	out->has_cmd = 1;
	out->netfn = m[1] >> 2;
	out->cmd = m[5];
	out->is_response = out->netfn & 1;
	if (!out->is_response || len < 8)
		return;
	out->completion = m[6];
	/*
	 * Get Device ID reply (IPMI v2.0 22.1): completion, device ID,
	 * revision, firmware major and minor, IPMI version, additional
	 * support, manufacturer ID (20 bits LE: an IANA number), product ID
	 * (2 bytes), optional aux firmware; then the checksum.  In clear in
	 * IPMI 1.5 sessions and unencrypted 2.0 ones; it names the vendor.
	 */
	if (out->netfn == NETFN_APP_RESP && out->cmd == CMD_DEVICE_ID &&
	    out->completion == 0 && len >= 7 + 11 + 1) {
		d = m + 7;
		out->iana = (uint32_t)d[6] | (uint32_t)d[7] << 8 |
		    (uint32_t)(d[8] & 0x0f) << 16;
		return;
	}
	/*
	 * Get Channel Authentication Capabilities reply: completion, then
	 * channel, auth type support, user flags, extended capabilities,
	 * OEM IANA (3 bytes LE), OEM aux; the final byte is the checksum.
	 */
	if (out->netfn != NETFN_APP_RESP || out->cmd != CMD_AUTHCAP ||
	    out->completion != 0 || len < 7 + 8 + 1)
		return;
	d = m + 7;
	out->has_authcap = 1;
	out->authcap_types = d[1] & 0x3f;
	out->authcap_ipmi20 = (d[1] >> 7) & 1;
	out->authcap_anon = d[2] & 1;
	out->authcap_null_users = (d[2] >> 1) & 1;
	out->authcap_non_null = (d[2] >> 2) & 1;
	out->iana = (uint32_t)d[4] | (uint32_t)d[5] << 8 |
	    (uint32_t)d[6] << 16;
}

/*
 * Algorithm records of the open session request and response: type
 * (0 auth, 1 integrity, 2 confidentiality), two reserved bytes, length
 * (8, or 0 for "BMC's choice", which leaves the field at 0xff), the
 * algorithm in the low 6 bits, three reserved bytes.
 */
static void
alg_records(const uint8_t *p, size_t len, struct rmcp_info *out)
{
	for (; len >= ALG_REC_LEN; p += ALG_REC_LEN, len -= ALG_REC_LEN) {
		if (p[3] != ALG_REC_LEN)
			continue;
		switch (p[0]) {
		case 0:
			out->auth_alg = p[4] & 0x3f;
			break;
		case 1:
			out->integ_alg = p[4] & 0x3f;
			break;
		case 2:
			out->conf_alg = p[4] & 0x3f;
			break;
		default:
			break;
		}
	}
}

/* The payload of an RMCP+ (auth type 6) session; p/len is exactly it. */
static int
rmcpp_payload(const uint8_t *p, size_t len, struct rmcp_info *out)
{
	size_t ulen, cut;

	switch (out->payload_type) {
	case PT_IPMI:
		out->kind = RMCP_IPMI20;
		if (!out->encrypted)
			ipmi_msg(p, len, out);
		return APP_OK;
	case PT_SOL:
		out->kind = RMCP_SOL;
		return APP_OK;
	case PT_OPEN_REQ:
		/* tag, max priv, reserved x2, console sid, records */
		if (len < 8)
			return APP_NOT;
		out->kind = RMCP_OPEN_REQ;
		out->msg_tag = p[0];
		out->priv = p[1] & 0x0f;
		out->console_sid = le32(p + 4);
		alg_records(p + 8, len - 8, out);
		return APP_OK;
	case PT_OPEN_RESP:
		/*
		 * tag, status, max priv, reserved, console sid; the BMC
		 * sid and the records only when the status is 0 (an error
		 * response may stop after the console sid).
		 */
		if (len < 8)
			return APP_NOT;
		out->kind = RMCP_OPEN_RESP;
		out->msg_tag = p[0];
		out->status = p[1];
		out->priv = p[2] & 0x0f;
		out->console_sid = le32(p + 4);
		if (out->status == 0 && len >= 12) {
			out->bmc_sid = le32(p + 8);
			alg_records(p + 12, len - 12, out);
		}
		return APP_OK;
	case PT_RAKP1:
		/*
		 * tag, reserved x3, bmc sid, console random (16), role,
		 * reserved x2, name length, name.  username_len is what was
		 * copied (at most 16, the spec's limit, and at most what is
		 * in the datagram), so the caller escapes exactly those
		 * bytes, NULs included.
		 */
		if (len < 28)
			return APP_NOT;
		out->kind = RMCP_RAKP1;
		out->msg_tag = p[0];
		out->bmc_sid = le32(p + 4);
		out->priv = p[24];
		ulen = p[27];
		cut = len - 28;
		if (ulen > cut)
			ulen = cut;
		if (ulen > sizeof(out->username) - 1)
			ulen = sizeof(out->username) - 1;
		memcpy(out->username, p + 28, ulen);
		out->username[ulen] = '\0';
		out->username_len = (uint8_t)ulen;
		out->has_username = 1;
		return APP_OK;
	case PT_RAKP2:
	case PT_RAKP4:
		/* tag, status, reserved x2, console sid; then secrets */
		if (len < 8)
			return APP_NOT;
		out->kind = out->payload_type == PT_RAKP2 ? RMCP_RAKP2 :
		    RMCP_RAKP4;
		out->msg_tag = p[0];
		out->status = p[1];
		out->console_sid = le32(p + 4);
		return APP_OK;
	case PT_RAKP3:
		/* tag, status, reserved x2, bmc sid; then the HMAC */
		if (len < 8)
			return APP_NOT;
		out->kind = RMCP_RAKP3;
		out->msg_tag = p[0];
		out->status = p[1];
		out->bmc_sid = le32(p + 4);
		return APP_OK;
	default:
		/* OEM (0x02, 0x20-0x27) and any other payload type */
		out->kind = RMCP_OTHER;
		return APP_OK;
	}
}

/* IPMI 2.0 session header after the auth type byte (p[0] == 6). */
static int
ipmi20(const uint8_t *p, size_t len, struct rmcp_info *out)
{
	size_t off, plen;

	if (len < 2)
		return APP_NOT;
	out->encrypted = (p[1] >> 7) & 1;
	out->authenticated = (p[1] >> 6) & 1;
	out->payload_type = p[1] & 0x3f;
	off = 2;
	/* An explicit OEM payload carries its IANA and OEM payload id. */
	if (out->payload_type == PT_OEM)
		off += 4 + 2;
	if (len < off + 10)
		return APP_NOT;
	out->session_id = le32(p + off);
	out->session_seq = le32(p + off + 4);
	plen = (size_t)p[off + 8] | (size_t)p[off + 9] << 8;
	off += 10;
	if (plen > len - off)
		return APP_NOT;
	return rmcpp_payload(p + off, plen, out);
}

/* IPMI 1.5 session header after the auth type byte (p[0] != 6). */
static int
ipmi15(const uint8_t *p, size_t len, struct rmcp_info *out)
{
	size_t off, mlen;

	off = 1 + 4 + 4;		/* auth type, seq, session id */
	if (out->auth_type != AUTH_NONE)
		off += 16;		/* auth code */
	if (len < off + 1)
		return APP_NOT;
	out->session_seq = le32(p + 1);
	out->session_id = le32(p + 5);
	mlen = p[off++];
	if (mlen > len - off)
		return APP_NOT;
	out->kind = RMCP_IPMI15;
	ipmi_msg(p + off, mlen, out);
	return APP_OK;
}

/* ASF message after the RMCP header: IANA (BE), type, tag, reserved, len. */
static int
asf(const uint8_t *p, size_t len, struct rmcp_info *out)
{
	size_t dlen;

	if (len < 8)
		return APP_NOT;
	dlen = p[7];
	if (dlen > len - 8)
		return APP_NOT;
	out->msg_tag = p[5];
	switch (p[4]) {
	case ASF_PING:
		out->kind = RMCP_ASF_PING;
		break;
	case ASF_PONG:
		/* The pong's data opens with the responder's IANA number. */
		out->kind = RMCP_ASF_PONG;
		if (dlen >= 4)
			out->iana = be32(p + 8);
		break;
	default:
		out->kind = RMCP_OTHER;
		break;
	}
	return APP_OK;
}

int
app_rmcp_parse(const uint8_t *b, size_t n, struct rmcp_info *out)
{
	uint8_t cls;

	memset(out, 0, sizeof(*out));
	out->auth_alg = out->integ_alg = out->conf_alg = 0xff;
	if (b == NULL || n < 4 || b[0] != RMCP_VERSION || b[1] != 0)
		return APP_NOT;
	out->seq = b[2];
	cls = b[3] & 0x1f;
	if (cls != RMCP_CLASS_ASF && cls != RMCP_CLASS_IPMI &&
	    cls != RMCP_CLASS_OEM)
		return APP_NOT;
	out->rmcp_class = cls;
	if (b[3] & RMCP_ACK_BIT) {
		/* An ACK is the bare 4-byte header, echoing the sequence. */
		out->kind = RMCP_ACK;
		return APP_OK;
	}
	b += 4;
	n -= 4;
	switch (cls) {
	case RMCP_CLASS_ASF:
		return asf(b, n, out);
	case RMCP_CLASS_IPMI:
		if (n < 1)
			return APP_NOT;
		out->auth_type = b[0];
		switch (b[0]) {
		case 0: case 1: case 2: case 4: case 5:
			return ipmi15(b, n, out);
		case AUTH_RMCPP:
			return ipmi20(b, n, out);
		default:
			return APP_NOT;
		}
	default:
		out->kind = RMCP_OTHER;
		return APP_OK;
	}
}

const char *
app_rmcp_kind_name(enum rmcp_kind k)
{
	switch (k) {
	case RMCP_ASF_PING:	return "asf_ping";
	case RMCP_ASF_PONG:	return "asf_pong";
	case RMCP_IPMI15:	return "ipmi15";
	case RMCP_OPEN_REQ:	return "open_session_request";
	case RMCP_OPEN_RESP:	return "open_session_response";
	case RMCP_RAKP1:	return "rakp1";
	case RMCP_RAKP2:	return "rakp2";
	case RMCP_RAKP3:	return "rakp3";
	case RMCP_RAKP4:	return "rakp4";
	case RMCP_IPMI20:	return "ipmi20";
	case RMCP_SOL:		return "sol";
	case RMCP_ACK:		return "ack";
	case RMCP_OTHER:
	default:		return "other";
	}
}
