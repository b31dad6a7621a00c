/*
 * fuzz-tls.c - libFuzzer target for app_tls_parse.
 *
 * The input is copied into a buffer of exactly n bytes so that ASan
 * reports any read past the end (libFuzzer's own buffer may have slack).
 * Beyond "no crash", the target aborts when the result breaks the
 * contract of app.h: a return value other than APP_OK/APP_MORE/APP_NOT,
 * a string that is not NUL-terminated inside its array, an APP_OK that is
 * not exactly one of client or server hello, a JA3 that is not 32 hex
 * digits, a JA4 on a server hello or a client JA4 of the wrong shape.
 *
 * fuzz-sources: sensor/app-tls.c sensor/md5.c sensor/sha256.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

int	LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

#define TERMINATED(f)	(memchr((f), 0, sizeof(f)) != NULL)

static int
hex32(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 32;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct tls_info out;
	uint8_t *b;
	int rv;

	if ((b = calloc(1, n ? n : 1)) == NULL)
		return 0;
	if (n)
		memcpy(b, d, n);
	rv = app_tls_parse(b, n, &out);
	free(b);
	if (rv != APP_OK && rv != APP_MORE && rv != APP_NOT)
		abort();
	if (rv != APP_OK)
		return 0;
	if (out.is_client_hello + out.is_server_hello != 1 ||
	    !TERMINATED(out.sni) || !TERMINATED(out.alpn) ||
	    !TERMINATED(out.ja3_string) || !TERMINATED(out.ja4) ||
	    !hex32(out.ja3) || app_tls_version_name(out.version) == NULL)
		abort();
	if (out.is_server_hello && out.ja4[0] != '\0')
		abort();
	if (out.is_client_hello && out.ja4[0] != '\0' &&
	    (strlen(out.ja4) != 36 || out.ja4[0] != 't' || out.ja4[10] != '_' ||
	    out.ja4[23] != '_'))
		abort();
	return 0;
}
