/*
 * fuzz-dns.c - libFuzzer target for app_dns_parse.
 *
 * The input is copied into a buffer of exactly n bytes so that ASan
 * reports any read past the end (libFuzzer's own buffer may have slack).
 * Beyond "no crash", the target aborts when the result breaks the
 * contract of app.h: a return value other than APP_OK/APP_MORE/APP_NOT,
 * a string that is not NUL-terminated inside its array, more answers kept
 * than DNS_MAX_ANSWERS, or a name with a raw byte that should have been
 * escaped.
 *
 * fuzz-sources: sensor/app-dns.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

int	LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

#define TERMINATED(f)	(memchr((f), 0, sizeof(f)) != NULL)

/* Names come out as printable ASCII only (the rest as \xNN). */
static int
printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct dns_info out;
	char buf[16];
	uint8_t *b;
	int rv;

	if ((b = calloc(1, n ? n : 1)) == NULL)
		return 0;
	if (n)
		memcpy(b, d, n);
	rv = app_dns_parse(b, n, &out);
	free(b);
	if (rv != APP_OK && rv != APP_MORE && rv != APP_NOT)
		abort();
	if (rv != APP_OK)
		return 0;
	if (!TERMINATED(out.qname) || !printable(out.qname) ||
	    out.nanswers > DNS_MAX_ANSWERS || out.nanswers > out.ancount)
		abort();
	for (int i = 0; i < out.nanswers; i++)
		if (!TERMINATED(out.answers[i].rrname) ||
		    !printable(out.answers[i].rrname) ||
		    !TERMINATED(out.answers[i].rdata) ||
		    !printable(out.answers[i].rdata))
			abort();
	if (app_dns_type_name(out.qtype, buf, sizeof(buf)) == NULL ||
	    app_dns_rcode_name(out.rcode, buf, sizeof(buf)) == NULL)
		abort();
	return 0;
}
