/*
 * fuzz-report.c - libFuzzer target for the triage report: the input is a
 * file of EVE lines (--from-eve reads such files); every line is fed to
 * report_add_eve() and the page is rendered.  Whatever the lines hold, the
 * page must be built without a memory error and must contain no markup
 * that came from them: wire text only ever appears escaped, so "<img",
 * "<script" or "<iframe" in the page is a finding.
 *
 * fuzz-sources: sensor/output-report.c sensor/output-report-buf.c sensor/output-report-svg.c sensor/output-report-bmc.c sensor/output-report-beacon.c sensor/output-report-host.c sensor/output-report-html.c
 * fuzz-libs: -ljansson -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output-report.h"
#include "output-report-int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static int
protected(void *arg, const char *ip)
{
	(void)arg;
	return strncmp(ip, "10.50.", 6) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const char *caps[] = { "fuzz.json" };
	struct report_meta m = { caps, 1, "fuzz.rules", 1, "fuzz", protected,
	    NULL, 0 };
	struct report *r = report_new();
	struct rbuf b;
	char err[256];
	size_t i = 0;

	if (r == NULL)
		return 0;
	while (i < n) {
		const uint8_t *nl = memchr(d + i, '\n', n - i);
		size_t len = nl != NULL ? (size_t)(nl - (d + i)) : n - i;

		report_add_eve(r, (const char *)d + i, len, err, sizeof(err));
		i += len + 1;
	}
	memset(&b, 0, sizeof(b));
	if (report_render(r, &b, &m) == 0 && b.p != NULL) {
		for (const char *p = b.p; (p = strchr(p, '<')) != NULL; p++)
			if (strncasecmp(p, "<img", 4) == 0 ||
			    strncasecmp(p, "<script", 7) == 0 ||
			    strncasecmp(p, "<iframe", 7) == 0)
				abort();	/* markup from the input */
	}
	rb_free(&b);
	report_free(r);
	return 0;
}
