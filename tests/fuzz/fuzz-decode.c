/*
 * fuzz-decode.c - libFuzzer target for decode_packet.  The first byte
 * picks the link type, the rest is the frame, copied into a buffer of
 * exactly its length so ASan sees any read past caplen.  Beyond "no
 * crash": a frame that decodes must have its payload inside the frame.
 *
 * fuzz-sources: sensor/decode.c sensor/decode-link.c sensor/decode-ip.c sensor/decode-l4.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

int	LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const int dlts[] = { 1, 113, 276, 12, 14, 101, 228, 229, 0, 108 };
	struct packet p;
	uint8_t *frame;

	if (n < 1)
		return 0;
	if ((frame = malloc(n - 1 ? n - 1 : 1)) == NULL)
		return 0;
	memcpy(frame, d + 1, n - 1);
	memset(&p, 0, sizeof(p));
	p.wirelen = (uint32_t)(n - 1);
	if (decode_packet(&p, dlts[d[0] % 10], frame, (uint32_t)(n - 1)) ==
	    DR_OK && p.payload_len > 0 &&
	    (p.payload < frame || p.payload + p.payload_len > frame + n - 1))
		abort();
	free(frame);
	return 0;
}
