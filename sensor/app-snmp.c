/*
 * app-snmp.c - SNMP v1, v2c and v3 messages (RFC 1157, 3416, 3412/3414):
 * version, community or USM user name, PDU type, and from a response the
 * sysDescr.0 / sysObjectID.0 values that tell what a BMC runs.
 *
 * Why it is built this way: BER is a nest of tag-length-value triples,
 * and every past SNMP parser bug (tcpdump's snmp-heapoverflow among
 * them) came from trusting an inner length.  So there is one reader,
 * tlv(), which takes a window [p, end) and refuses any element whose
 * length runs past the window it was found in; each constructed element
 * then becomes the window for its children.  Only definite lengths of up
 * to 4 bytes and single-byte tags are accepted: SNMP never needs more,
 * and refusing them keeps the reader small.  A structural error anywhere
 * (a length that overruns its parent, a wrong tag where the grammar
 * needs a specific one) is APP_NOT; odd contents that do not break the
 * structure, such as an OID sub-identifier wider than 32 bits, only mean
 * that value is not reported.  SNMP travels in single datagrams, so
 * APP_MORE is never returned.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app.h"

#define T_INTEGER	0x02
#define T_OCTETS	0x04
#define T_OID		0x06
#define T_SEQUENCE	0x30

#define PDU_RESPONSE	0xa2
#define PDU_TRAP_V1	0xa4

#define USM_MODEL	3
#define V3_FLAG_PRIV	0x02

/* A window of bytes: the value of the element being read. */
struct ber {
	const uint8_t	*p;
	const uint8_t	*end;
};

/*
 * Read one TLV from the front of w.  On success *v is its value, w
 * moves past it, and 0 is returned; -1 on any malformation.
 */
static int
tlv(struct ber *w, uint8_t *tag, struct ber *v)
{
	size_t avail, len, nb, i;
	const uint8_t *p = w->p;

	avail = (size_t)(w->end - p);
	if (avail < 2)
		return -1;
	*tag = p[0];
	if ((p[0] & 0x1f) == 0x1f)	/* high tag numbers: not in SNMP */
		return -1;
	len = p[1];
	p += 2;
	avail -= 2;
	if (len & 0x80) {
		nb = len & 0x7f;
		if (nb == 0 || nb > 4 || nb > avail)	/* indefinite, huge */
			return -1;
		len = 0;
		for (i = 0; i < nb; i++)
			len = len << 8 | p[i];
		p += nb;
		avail -= nb;
	}
	if (len > avail)
		return -1;
	v->p = p;
	v->end = p + len;
	w->p = p + len;
	return 0;
}

/* Read a TLV that must carry the given tag. */
static int
expect(struct ber *w, uint8_t want, struct ber *v)
{
	uint8_t tag;

	if (tlv(w, &tag, v) < 0 || tag != want)
		return -1;
	return 0;
}

/* A non-negative INTEGER that fits 32 bits; -1 otherwise. */
static int
get_uint(const struct ber *v, uint32_t *out)
{
	size_t len = (size_t)(v->end - v->p), i;
	uint64_t x = 0;

	if (len == 0 || len > 5 || (v->p[0] & 0x80))
		return -1;
	for (i = 0; i < len; i++)
		x = x << 8 | v->p[i];
	if (x > UINT32_MAX)
		return -1;
	*out = (uint32_t)x;
	return 0;
}

/* Copy an OCTET STRING value into a C string, cut to fit. */
static void
copy_str(char *dst, size_t size, const struct ber *v)
{
	size_t len = (size_t)(v->end - v->p);

	if (len > size - 1)
		len = size - 1;
	memcpy(dst, v->p, len);
	dst[len] = '\0';
}

/*
 * An OID value as dotted text.  A sub-identifier wider than 32 bits or
 * one cut off at the end makes the OID unreportable (""); a text too long
 * for the buffer stops after the last whole component that fits.
 */
static void
oid_text(char *dst, size_t size, const struct ber *v)
{
	const uint8_t *p = v->p;
	uint64_t x = 0;
	size_t used = 0;
	int first = 1, in = 0, k;
	char num[32];

	dst[0] = '\0';
	if (p == v->end)
		return;
	for (; p < v->end; p++) {
		x = x << 7 | (*p & 0x7f);
		in = 1;
		if (x > UINT32_MAX) {
			dst[0] = '\0';
			return;
		}
		if (*p & 0x80)
			continue;
		in = 0;
		if (first) {
			/* The first sub-identifier packs two arcs. */
			unsigned a = x < 40 ? 0 : x < 80 ? 1 : 2;

			k = snprintf(num, sizeof(num), "%u.%lu", a,
			    (unsigned long)(x - 40 * a));
			first = 0;
		} else
			k = snprintf(num, sizeof(num), ".%lu",
			    (unsigned long)x);
		x = 0;
		if (k < 0 || (size_t)k >= size - used)
			return;		/* keep what fitted */
		memcpy(dst + used, num, (size_t)k + 1);
		used += (size_t)k;
	}
	if (in)
		dst[0] = '\0';		/* last sub-identifier unterminated */
}

/* 1.3.6.1.2.1.1.1.0 and 1.3.6.1.2.1.1.2.0 in their BER form. */
static const uint8_t oid_sysdescr[] = { 0x2b, 6, 1, 2, 1, 1, 1, 0 };
static const uint8_t oid_sysobjid[] = { 0x2b, 6, 1, 2, 1, 1, 2, 0 };

static int
oid_is(const struct ber *v, const uint8_t *oid, size_t len)
{
	return (size_t)(v->end - v->p) == len && memcmp(v->p, oid, len) == 0;
}

/*
 * A PDU (w is its value).  Every PDU but the v1 Trap has request-id,
 * error-status, error-index (non-repeaters and max-repetitions in a
 * GetBulk, same encoding) and a list of SEQUENCE { name, value }.
 */
static int
pdu(struct ber *w, uint8_t type, struct snmp_info *out)
{
	struct ber v, list, vb, name, val;
	uint8_t vtag;
	int i;

	out->pdu_type = type;
	if (type == PDU_TRAP_V1)
		return APP_OK;
	for (i = 0; i < 3; i++)
		if (expect(w, T_INTEGER, &v) < 0)
			return APP_NOT;
	if (expect(w, T_SEQUENCE, &list) < 0)
		return APP_NOT;
	while (list.p < list.end) {
		if (expect(&list, T_SEQUENCE, &vb) < 0 ||
		    expect(&vb, T_OID, &name) < 0 ||
		    tlv(&vb, &vtag, &val) < 0)
			return APP_NOT;
		if (type != PDU_RESPONSE)
			continue;
		if (vtag == T_OCTETS &&
		    oid_is(&name, oid_sysdescr, sizeof(oid_sysdescr)))
			copy_str(out->sys_descr, sizeof(out->sys_descr), &val);
		else if (vtag == T_OID &&
		    oid_is(&name, oid_sysobjid, sizeof(oid_sysobjid)))
			oid_text(out->sys_object_id,
			    sizeof(out->sys_object_id), &val);
	}
	return APP_OK;
}

/* Read the PDU that follows at w (tag 0xa0..0xa8). */
static int
pdu_at(struct ber *w, struct snmp_info *out)
{
	struct ber v;
	uint8_t tag;

	if (tlv(w, &tag, &v) < 0 || tag < 0xa0 || tag > 0xa8)
		return APP_NOT;
	return pdu(&v, tag, out);
}

/*
 * SNMPv3: msgGlobalData, msgSecurityParameters (an OCTET STRING that
 * holds the USM SEQUENCE), then msgData: a plaintext ScopedPDU SEQUENCE
 * { contextEngineID, contextName, PDU } or, with privacy, an OCTET
 * STRING of ciphertext.
 */
static int
v3(struct ber *w, struct snmp_info *out)
{
	struct ber g, v, flags, sp, usm, user, data;
	uint32_t model = 0;
	uint8_t tag;
	int i;

	if (expect(w, T_SEQUENCE, &g) < 0 ||
	    expect(&g, T_INTEGER, &v) < 0 ||		/* msgID */
	    expect(&g, T_INTEGER, &v) < 0 ||		/* msgMaxSize */
	    expect(&g, T_OCTETS, &flags) < 0 ||
	    expect(&g, T_INTEGER, &v) < 0 ||
	    get_uint(&v, &model) < 0)
		return APP_NOT;
	if (flags.end - flags.p != 1)
		return APP_NOT;
	if (expect(w, T_OCTETS, &sp) < 0)
		return APP_NOT;
	if (model == USM_MODEL) {
		/* engine id, boots, time, user, auth and priv params */
		if (expect(&sp, T_SEQUENCE, &usm) < 0 ||
		    expect(&usm, T_OCTETS, &v) < 0 ||
		    expect(&usm, T_INTEGER, &v) < 0 ||
		    expect(&usm, T_INTEGER, &v) < 0 ||
		    expect(&usm, T_OCTETS, &user) < 0)
			return APP_NOT;
		for (i = 0; i < 2; i++)
			if (expect(&usm, T_OCTETS, &v) < 0)
				return APP_NOT;
		copy_str(out->usm_user, sizeof(out->usm_user), &user);
	}
	if (tlv(w, &tag, &data) < 0)
		return APP_NOT;
	if (tag == T_OCTETS) {
		/* Ciphertext; the privacy flag should say so too. */
		out->encrypted = 1;
		return APP_OK;
	}
	if (tag != T_SEQUENCE || (flags.p[0] & V3_FLAG_PRIV) != 0 ||
	    expect(&data, T_OCTETS, &v) < 0 ||		/* contextEngineID */
	    expect(&data, T_OCTETS, &v) < 0)		/* contextName */
		return APP_NOT;
	return pdu_at(&data, out);
}

int
app_snmp_parse(const uint8_t *b, size_t n, struct snmp_info *out)
{
	struct ber all, msg, v;
	uint32_t ver;

	memset(out, 0, sizeof(*out));
	if (b == NULL)
		return APP_NOT;
	all.p = b;
	all.end = b + n;
	if (expect(&all, T_SEQUENCE, &msg) < 0 ||
	    expect(&msg, T_INTEGER, &v) < 0 || get_uint(&v, &ver) < 0)
		return APP_NOT;
	switch (ver) {
	case 0:
	case 1:
		out->version = (uint8_t)(ver + 1);
		if (expect(&msg, T_OCTETS, &v) < 0)
			return APP_NOT;
		copy_str(out->community, sizeof(out->community), &v);
		return pdu_at(&msg, out);
	case 3:
		out->version = 3;
		return v3(&msg, out);
	default:
		return APP_NOT;
	}
}

const char *
app_snmp_pdu_name(uint8_t t)
{
	switch (t) {
	case 0xa0:	return "get_request";
	case 0xa1:	return "get_next_request";
	case 0xa2:	return "response";
	case 0xa3:	return "set_request";
	case 0xa4:	return "trap_v1";
	case 0xa5:	return "get_bulk_request";
	case 0xa6:	return "inform_request";
	case 0xa7:	return "trap_v2";
	case 0xa8:	return "report";
	default:	return "unknown";
	}
}
