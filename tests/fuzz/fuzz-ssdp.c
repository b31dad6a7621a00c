/*
 * fuzz-ssdp.c - libFuzzer target for app_ssdp_parse and app_slp_parse,
 * and for the BMC signature matchers run on what they return (as the
 * engine does before bmc_evidence()).
 *
 * The input is copied into a buffer of exactly n bytes so that ASan
 * reports any read past the end.  Beyond "no crash", the target aborts
 * when a result breaks the contract of app-x509.h: a return value other
 * than APP_OK/APP_MORE/APP_NOT (APP_MORE is never right for SSDP), an
 * APP_OK SSDP message of no known kind, or a string not NUL-terminated
 * inside its array or holding a byte outside 0x20..0x7e.  The input is
 * also given, NUL-terminated, to bmc_text_match and bmc_oid_match.
 *
 * fuzz-sources: sensor/app-ssdp.c sensor/bmc-iana.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app-x509.h"
#include "detect-bmc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static int
clean(const char *s, size_t size)
{
	const char *e = memchr(s, 0, size);

	if (e == NULL)
		return 0;
	for (; s < e; s++)
		if (*s < 0x20 || *s > 0x7e)
			return 0;
	return 1;
}

#define CLEAN(f)	clean((f), sizeof(f))

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct ssdp_info s;
	struct slp_info l;
	const char *v;
	char model[16], *t;
	uint8_t *b;
	int rv;

	if ((b = malloc(n ? n : 1)) == NULL)
		return 0;
	if (n)
		memcpy(b, d, n);
	rv = app_ssdp_parse(b, n, &s);
	if (rv != APP_OK && rv != APP_NOT)
		abort();
	if (rv == APP_OK && (s.kind < SSDP_NOTIFY || s.kind > SSDP_RESPONSE))
		abort();
	if (!CLEAN(s.server) || !CLEAN(s.usn) || !CLEAN(s.location) ||
	    !CLEAN(s.nt) || !CLEAN(s.nts))
		abort();
	if (rv == APP_OK)
		(void)bmc_text_match(s.server, &v, model, sizeof(model));
	rv = app_slp_parse(b, n, &l);
	if (rv != APP_OK && rv != APP_MORE && rv != APP_NOT)
		abort();
	if (!CLEAN(l.text))
		abort();
	if (rv == APP_OK)
		(void)bmc_text_match(l.text, &v, model, sizeof(model));
	free(b);
	if ((t = malloc(n + 1)) == NULL)
		return 0;
	if (n)
		memcpy(t, d, n);
	t[n] = '\0';
	(void)bmc_text_match(t, &v, model, sizeof(model));
	if (strlen(model) >= sizeof(model))
		abort();
	(void)bmc_oid_match(t, &v, model, sizeof(model));
	free(t);
	return 0;
}
