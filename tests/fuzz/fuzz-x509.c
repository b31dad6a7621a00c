/*
 * fuzz-x509.c - libFuzzer target for app_x509_tls and app_x509_der.
 *
 * The input is copied into a buffer of exactly n bytes so that ASan
 * reports any read past the end.  The same bytes go to both entry points
 * (a server's TLS stream, and one DER certificate), and the BMC
 * signature matcher is run on what they return, as the engine will.
 * Beyond "no crash", the target aborts when a result breaks the contract
 * of app-x509.h: a return value other than APP_OK/APP_MORE/APP_NOT, the
 * DER entry returning APP_MORE, a string not NUL-terminated inside its
 * array or holding a byte outside 0x20..0x7e, or an APP_OK whose
 * fingerprint is not 20 colon-separated hex pairs.
 *
 * fuzz-sources: sensor/app-x509.c sensor/sha1.c sensor/bmc-iana.c
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

static void
check(int rv, const struct x509_info *x)
{
	const char *v;
	char model[32];

	if (rv != APP_OK && rv != APP_MORE && rv != APP_NOT)
		abort();
	if (!CLEAN(x->subject) || !CLEAN(x->issuer) || !CLEAN(x->subject_cn) ||
	    !CLEAN(x->subject_o) || !CLEAN(x->subject_ou) ||
	    !CLEAN(x->issuer_cn) || !CLEAN(x->issuer_o) ||
	    !CLEAN(x->issuer_ou) || !CLEAN(x->serial) ||
	    !CLEAN(x->not_before) || !CLEAN(x->not_after) ||
	    !CLEAN(x->fingerprint))
		abort();
	if (rv != APP_OK)
		return;
	if (strlen(x->fingerprint) != 59 || x->version < 1 || x->version > 3)
		abort();
	for (int i = 2; i < 59; i += 3)
		if (x->fingerprint[i] != ':')
			abort();
	(void)bmc_text_match(x->subject, &v, model, sizeof(model));
	(void)bmc_text_match(x->issuer, &v, model, sizeof(model));
	if (strlen(model) >= sizeof(model))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct x509_info x;
	uint8_t *b;
	int rv;

	if ((b = malloc(n ? n : 1)) == NULL)
		return 0;
	if (n)
		memcpy(b, d, n);
	check(app_x509_tls(b, n, &x), &x);
	rv = app_x509_der(b, n, &x);
	if (rv == APP_MORE)
		abort();
	check(rv, &x);
	free(b);
	return 0;
}
