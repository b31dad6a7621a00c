/*
 * app-ntp.c - NTP header fields and the anomalies that matter on a BMC
 * network: control (mode 6) and private (mode 7, monlist) queries, which
 * are reconnaissance or amplification; reserved mode 0 and versions 0 or
 * above 4; and lengths that no NTP packet has, which is what data hidden
 * in UDP/123 looks like.
 *
 * Why it is built this way: NTP is one UDP datagram, so the parser never
 * returns APP_MORE, and it flags rather than rejects: anything of four
 * bytes or more is reported (APP_OK) with anomaly bits, because the
 * caller asks only for traffic it already attributes to NTP and an odd
 * packet there is the finding.  Modes 1-5 are the 48-byte header (RFC
 * 5905), optionally followed by extension fields (RFC 7822: 16 bytes or
 * more, a multiple of 4, each with its own length) and then nothing, a
 * MAC (key id + 16- or 20-byte digest) or a 4-byte crypto-NAK.  Modes 6
 * and 7 have their own, shorter headers (12 and 8 bytes) and no stratum,
 * poll or precision.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"

#define NTP_HDR_LEN	48
#define NTP_CTL_HLEN	12	/* mode 6 */
#define NTP_PRIV_HLEN	8	/* mode 7 */
#define NTP_EF_MIN	16	/* RFC 7822 */

#define MODE_CONTROL	6
#define MODE_PRIVATE	7

/* What may close a mode 1-5 packet: nothing, crypto-NAK, MD5/SHA-1 MAC. */
static int
is_trailer(size_t rem)
{
	return rem == 0 || rem == 4 || rem == 4 + 16 || rem == 4 + 20;
}

/* Do the bytes after the 48-byte header fit extension fields + MAC? */
static int
legal_tail(const uint8_t *p, size_t rem)
{
	size_t flen;

	while (!is_trailer(rem)) {
		if (rem < NTP_EF_MIN)
			return 0;
		flen = (size_t)p[2] << 8 | p[3];
		if (flen < NTP_EF_MIN || flen % 4 != 0 || flen > rem)
			return 0;
		p += flen;
		rem -= flen;
	}
	return 1;
}

int
app_ntp_parse(const uint8_t *b, size_t n, struct ntp_info *out)
{
	memset(out, 0, sizeof(*out));
	if (b == NULL || n < 4)
		return APP_NOT;
	out->version = (b[0] >> 3) & 7;
	out->mode = b[0] & 7;
	if (out->version == 0 || out->version > 4)
		out->anomaly |= NTP_ANOM_VERSION;
	switch (out->mode) {
	case MODE_CONTROL:
		out->leap = b[0] >> 6;
		out->anomaly |= NTP_ANOM_MODE;
		if (n < NTP_CTL_HLEN)
			out->anomaly |= NTP_ANOM_SIZE;
		return APP_OK;
	case MODE_PRIVATE:
		/* Bits 7-6 are response/more flags here, not leap. */
		out->anomaly |= NTP_ANOM_MODE;
		if (n < NTP_PRIV_HLEN)
			out->anomaly |= NTP_ANOM_SIZE;
		return APP_OK;
	case 0:
		out->anomaly |= NTP_ANOM_MODE;
		break;
	default:
		break;
	}
	out->leap = b[0] >> 6;
	out->stratum = b[1];
	out->poll = (int8_t)b[2];
	out->precision = (int8_t)b[3];
	if (n < NTP_HDR_LEN ||
	    !legal_tail(b + NTP_HDR_LEN, n - NTP_HDR_LEN))
		out->anomaly |= NTP_ANOM_SIZE;
	return APP_OK;
}
