/*
 * report-from-eve.c - a test driver for the triage report: EVE files in,
 * the HTML page out, through exactly the API bmcwatch uses
 * (sensor/output-report.h).  It lets the end-to-end tests render reports
 * from `bmcwatch --flows --dns` output and from hand-made hostile EVE
 * lines without going through the command line of the sensor.
 *
 * report-from-eve -o OUT.html [--bmc CIDR,...] [--rules PATH] [--nrules N]
 *     [--capture NAME]... [--version TEXT] [--generated SECONDS] EVE...
 * --bmc stands in for the rule file's $BMC set; without it a BMC is a host
 * that answered IPMI.  Lines that are not JSON objects are reported as
 * file:line: reason and skipped.  Exit 0, or 1 when a file cannot be read
 * or the report cannot be written.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output-report.h"

#define MAX_NETS	64
#define MAX_CAPS	64

struct net {
	int		 af;
	unsigned char	 a[16];
	int		 len;
};

struct nets {
	struct net	 v[MAX_NETS];
	int		 n;
};

static int
parse_net(const char *s, struct net *n)
{
	char buf[64], *slash;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	n->len = -1;
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash = '\0';
		n->len = atoi(slash + 1);
	}
	memset(n->a, 0, sizeof(n->a));
	if (inet_pton(AF_INET, buf, n->a) == 1)
		n->af = AF_INET;
	else if (inet_pton(AF_INET6, buf, n->a) == 1)
		n->af = AF_INET6;
	else
		return -1;
	if (n->len < 0)
		n->len = n->af == AF_INET ? 32 : 128;
	return n->len > (n->af == AF_INET ? 32 : 128) ? -1 : 0;
}

static int
in_nets(void *arg, const char *ip)
{
	const struct nets *ns = arg;
	unsigned char a[16];
	int af;

	memset(a, 0, sizeof(a));
	if (inet_pton(AF_INET, ip, a) == 1)
		af = AF_INET;
	else if (inet_pton(AF_INET6, ip, a) == 1)
		af = AF_INET6;
	else
		return 0;
	for (int i = 0; i < ns->n; i++) {
		const struct net *n = &ns->v[i];
		int bits = n->len, k;

		if (n->af != af)
			continue;
		for (k = 0; bits >= 8; k++, bits -= 8)
			if (a[k] != n->a[k])
				break;
		if (bits >= 8)
			continue;
		if (bits == 0 || ((a[k] ^ n->a[k]) >> (8 - bits)) == 0)
			return 1;
	}
	return 0;
}

static int
feed(struct report *r, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL, err[256];
	size_t cap = 0;
	ssize_t n;
	long no = 0;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		no++;
		if (report_add_eve(r, line, (size_t)n, err, sizeof(err)) != 0)
			fprintf(stderr, "%s:%ld: %s\n", path, no, err);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	struct nets nets;
	const char *caps[MAX_CAPS], *out = NULL;
	struct report_meta m;
	struct report *r;
	char err[512];
	int i, ncaps = 0, rc = 0;

	memset(&m, 0, sizeof(m));
	memset(&nets, 0, sizeof(nets));
	m.version = "bmcwatch (test driver)";
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (v == NULL)
			goto usage;
		i++;
		if (strcmp(o, "-o") == 0)
			out = v;
		else if (strcmp(o, "--rules") == 0)
			m.rules_path = v;
		else if (strcmp(o, "--nrules") == 0)
			m.nrules = (size_t)strtoul(v, NULL, 10);
		else if (strcmp(o, "--version") == 0)
			m.version = v;
		else if (strcmp(o, "--generated") == 0)
			m.generated_at = strtoll(v, NULL, 10);
		else if (strcmp(o, "--capture") == 0 && ncaps < MAX_CAPS)
			caps[ncaps++] = v;
		else if (strcmp(o, "--bmc") == 0) {
			char *s = strdup(v), *tok, *save = NULL;

			for (tok = strtok_r(s, ",", &save); tok != NULL &&
			    nets.n < MAX_NETS; tok = strtok_r(NULL, ",", &save))
				if (parse_net(tok, &nets.v[nets.n++]) != 0) {
					fprintf(stderr, "bad --bmc %s\n", tok);
					free(s);
					return 2;
				}
			free(s);
			m.is_protected = in_nets;
			m.arg = &nets;
		} else
			goto usage;
	}
	if (out == NULL || i >= argc)
		goto usage;
	if ((r = report_new()) == NULL)
		return 1;
	for (int k = i; k < argc; k++)
		if (feed(r, argv[k]) != 0)
			rc = 1;
	if (ncaps == 0)
		for (int k = i; k < argc && ncaps < MAX_CAPS; k++)
			caps[ncaps++] = argv[k];
	m.captures = caps;
	m.ncaptures = ncaps;
	if (report_write(r, out, &m, err, sizeof(err)) != 0) {
		fprintf(stderr, "report: %s\n", err);
		rc = 1;
	}
	report_free(r);
	return rc;
usage:
	fprintf(stderr, "usage: report-from-eve -o OUT.html [--bmc CIDR,...] "
	    "[--rules PATH] [--nrules N] [--capture NAME]... [--version TEXT] "
	    "[--generated SECONDS] EVE...\n");
	return 2;
}
