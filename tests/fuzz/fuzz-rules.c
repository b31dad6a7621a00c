/*
 * fuzz-rules.c - libFuzzer target for the rule parser (design.md: "the
 * parser is fuzzed").  The input is a rule file; whatever it holds, the
 * parser must report errors (to /dev/null here) or build a rule set, and
 * free everything either way (LeakSanitizer watches).
 *
 * fuzz-sources: sensor/rules-parse.c sensor/rules-vars.c sensor/rules-opts.c sensor/rules-app.c sensor/rules-beacon.c sensor/addrset.c sensor/geoip.c sensor/app.c sensor/app-meta.c sensor/app-dns.c sensor/app-tls.c sensor/app-http.c sensor/app-rmcp.c sensor/app-snmp.c sensor/app-ntp.c sensor/app-ssh.c sensor/app-syslog.c sensor/md5.c sensor/sha256.c sensor/decode.c sensor/decode-link.c sensor/decode-ip.c sensor/decode-l4.c sensor/app-x509.c sensor/app-ssdp.c sensor/detect-bmc.c sensor/bmc-oui.c sensor/bmc-iana.c sensor/json.c sensor/sha1.c
 * fuzz-libs: -lmaxminddb
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

int	LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static FILE *devnull;
	struct ruleset *rs;
	char *text;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	if ((text = malloc(n + 1)) == NULL)
		return 0;
	memcpy(text, d, n);
	text[n] = '\0';
	rs = rules_load_string("fuzz.rules", text, NULL, devnull);
	if (rs != NULL) {
		for (size_t i = 0; i < rs->nrules; i++)
			if (rs->rules[i].sid == 0 || rs->rules[i].msg == NULL)
				abort();	/* contract: both required */
		rules_free(rs);
	}
	free(text);
	return 0;
}
