/*
 * fuzz-snmp.c - libFuzzer target for app_snmp_parse.
 *
 * The input is copied into a buffer of exactly n bytes so that ASan
 * reports any read past the end (libFuzzer's own buffer may have slack).
 * Beyond "no crash", the target aborts when the result breaks the
 * contract of app.h: a return value other than APP_OK/APP_MORE/APP_NOT,
 * a string field that is not NUL-terminated inside its array, or a
 * field outside the range its protocol allows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

int	LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

#define TERMINATED(f)	(memchr((f), 0, sizeof(f)) != NULL)

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct snmp_info out;
	uint8_t *b;
	int rv;

	if ((b = malloc(n ? n : 1)) == NULL)
		return 0;
	if (n)
		memcpy(b, d, n);
	rv = app_snmp_parse(b, n, &out);
	free(b);
	if (rv != APP_OK && rv != APP_MORE && rv != APP_NOT)
		abort();
	/* one datagram, one message: never APP_MORE */
	if (rv == APP_MORE || !TERMINATED(out.community) ||
	    !TERMINATED(out.usm_user) || !TERMINATED(out.sys_descr) ||
	    !TERMINATED(out.sys_object_id) ||
	    app_snmp_pdu_name(out.pdu_type) == NULL)
		abort();
	return 0;
}
