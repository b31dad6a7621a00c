/*
 * fuzz-ssh.c - libFuzzer target for app_ssh_parse.
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
	struct ssh_info out;
	uint8_t *b;
	int rv;

	if ((b = malloc(n ? n : 1)) == NULL)
		return 0;
	if (n)
		memcpy(b, d, n);
	rv = app_ssh_parse(b, n, &out);
	free(b);
	if (rv != APP_OK && rv != APP_MORE && rv != APP_NOT)
		abort();
	if (!TERMINATED(out.proto_version) ||
	    !TERMINATED(out.software_version) || !TERMINATED(out.comments))
		abort();
	return 0;
}
