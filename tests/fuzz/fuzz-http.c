/*
 * fuzz-http.c - libFuzzer target for app_http_parse.
 *
 * The input is copied into a buffer of exactly n bytes so that ASan
 * reports any read past the end (libFuzzer's own buffer may have slack).
 * Beyond "no crash", the target aborts when the result breaks the
 * contract of app.h: a return value other than APP_OK/APP_MORE/APP_NOT,
 * a string that is not NUL-terminated inside its array or that carries a
 * control byte, an APP_OK without a method (request) or a status in
 * 100-999 (response), or an APP_MORE once the 8 KB limit is reached.
 *
 * fuzz-sources: sensor/app-http.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

int	LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

#define TERMINATED(f)	(memchr((f), 0, sizeof(f)) != NULL)

static int
clean(const char *s, size_t len)
{
	if (memchr(s, 0, len) == NULL)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

#define CLEAN(f)	clean((f), sizeof(f))

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct http_info out;
	uint8_t *b;
	int rv;

	if ((b = calloc(1, n ? n : 1)) == NULL)
		return 0;
	if (n)
		memcpy(b, d, n);
	rv = app_http_parse(b, n, &out);
	free(b);
	if (rv != APP_OK && rv != APP_MORE && rv != APP_NOT)
		abort();
	if (rv == APP_MORE && n >= 8192)
		abort();
	if (rv != APP_OK)
		return 0;
	if (!CLEAN(out.method) || !CLEAN(out.uri) || !CLEAN(out.protocol) ||
	    !CLEAN(out.host) || !CLEAN(out.user_agent) || !CLEAN(out.server) ||
	    !CLEAN(out.content_type) || strncmp(out.protocol, "HTTP/", 5) != 0)
		abort();
	if (out.is_request ? out.method[0] == '\0' :
	    (out.status < 100 || out.status > 999))
		abort();
	return 0;
}
