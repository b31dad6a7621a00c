/*
 * flow-cid.c - Community ID v1 (corelight/community-id-spec).
 *
 * The ID lets an analyst pivot from a bmcwatch alert to the same flow in
 * Zeek or Suricata logs.  Input to SHA-1: seed (2 bytes, network order),
 * source address, destination address, protocol, a zero pad byte, then the
 * source and destination ports (ICMP: type and code/counterpart type),
 * with the endpoints ordered so both directions give the same hash.
 */
#include <string.h>
#include "flow.h"
#include "sha1.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
base64(const uint8_t *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
}

const char *
flow_community_id(const struct flow *f, uint16_t seed, char *buf, size_t len)
{
	const struct bw_addr *sa = flow_src(f), *da = flow_dst(f);
	uint16_t sp = flow_sport(f), dp = flow_dport(f);
	int v4 = bw_addr_is_v4(sa), alen = v4 ? 4 : 16, off = v4 ? 12 : 0;
	int ports = f->key.proto == 6 || f->key.proto == 17 ||
	    f->key.proto == 132 || f->key.proto == 1 || f->key.proto == 58;
	int one_way = 0, c;
	struct sha1_ctx ctx;
	uint8_t hdr[2], pad[2], pb[4], dig[20];

	if (len < 32) {
		if (len > 0)
			buf[0] = '\0';
		return buf;
	}
	if (f->key.proto == 1 || f->key.proto == 58) {
		/* the key holds (type, counterpart-or-code); redo from type */
		uint16_t t = sp;
		uint16_t code = dp;
		one_way = flow_icmp_ports(f->key.proto == 58, (uint8_t)t,
		    (uint8_t)code, &sp, &dp);
	}
	/* order endpoints: lower address first (ports break ties) unless the
	 * ICMP message is one-way */
	c = memcmp(sa->a + off, da->a + off, (size_t)alen);
	if (!one_way && (c > 0 || (c == 0 && sp > dp))) {
		const struct bw_addr *t = sa; sa = da; da = t;
		uint16_t tp = sp; sp = dp; dp = tp;
	}
	hdr[0] = (uint8_t)(seed >> 8);
	hdr[1] = (uint8_t)seed;
	pad[0] = f->key.proto;
	pad[1] = 0;
	pb[0] = (uint8_t)(sp >> 8); pb[1] = (uint8_t)sp;
	pb[2] = (uint8_t)(dp >> 8); pb[3] = (uint8_t)dp;
	sha1_init(&ctx);
	sha1_update(&ctx, hdr, 2);
	sha1_update(&ctx, sa->a + off, (size_t)alen);
	sha1_update(&ctx, da->a + off, (size_t)alen);
	sha1_update(&ctx, pad, 2);
	if (ports)
		sha1_update(&ctx, pb, 4);
	sha1_final(&ctx, dig);
	buf[0] = '1';
	buf[1] = ':';
	base64(dig, 20, buf + 2);
	return buf;
}
