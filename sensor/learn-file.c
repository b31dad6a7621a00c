/*
 * learn-file.c - OUT, the learned rule file: the records that become its
 * rules, the key that names each of them, reading the previous OUT for a
 * merge and writing the new one.  The format is described at the top of
 * learn.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "decode.h"
#include "learn.h"
#include "learn-int.h"

/* ---- records ------------------------------------------------------ */

struct rec *
lw_rec_add(struct recs *rs, const char *key)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		struct rec *r = realloc(rs->r, cap * sizeof(*r));

		if (r == NULL)
			return NULL;
		rs->r = r;
		rs->cap = cap;
	}
	memset(&rs->r[rs->n], 0, sizeof(rs->r[0]));
	snprintf(rs->r[rs->n].key, KEYMAX, "%s", key);
	return &rs->r[rs->n++];
}

struct rec *
lw_rec_find(struct recs *rs, const char *key)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].key, key) == 0)
			return &rs->r[i];
	return NULL;
}

void
lw_recs_free(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		for (size_t j = 0; j < rs->r[i].nper; j++)
			free(rs->r[i].per[j]);
		free(rs->r[i].per);
	}
	free(rs->r);
}

/* Add a periodic line; one for the same series (the text before
   " every ") is replaced: the newest run knows the newest period. */
int
lw_rec_per(struct rec *r, const char *line)
{
	const char *e = strstr(line, " every ");
	size_t n = e ? (size_t)(e - line) : strlen(line);
	char **p, *d;

	for (size_t i = 0; i < r->nper; i++)
		if (strncmp(r->per[i], line, n) == 0 &&
		    (r->per[i][n] == '\0' || r->per[i][n] == ' ')) {
			if ((d = strdup(line)) == NULL)
				return -1;
			free(r->per[i]);
			r->per[i] = d;
			return 0;
		}
	if (r->nper >= MAX_SRC)
		return 0;
	if ((p = realloc(r->per, (r->nper + 1) * sizeof(*p))) == NULL)
		return -1;
	r->per = p;
	if ((p[r->nper] = strdup(line)) == NULL)
		return -1;
	r->nper++;
	return 0;
}

/* ---- keys: the rule a group becomes ------------------------------- */

const char *
lw_proto_word(uint8_t proto)
{
	switch (proto) {
	case 6:		return "tcp";
	case 17:	return "udp";
	case 1: case 58: return "icmp";
	default:	return "ip";
	}
}

void
lw_port_word(uint32_t port, char *buf, size_t len)
{
	if (port == PORT_ANY)
		snprintf(buf, len, "any");
	else if (port == PORT_EPH)
		snprintf(buf, len, "%d:", EPH_LO);
	else
		snprintf(buf, len, "%" PRIu32, port);
}

int
lw_key_split(const char *key, struct keyparts *k)
{
	struct bw_addr a;
	char tmp[MAX_NAME + 1], whole[KEYMAX], *slash, *end;
	long pfx;

	if (sscanf(key, "%7[a-z]/%7[0-9a-z:]/%7[a-z]=%253s", k->proto, k->port,
	    k->kind, k->val) != 4)
		return -1;
	snprintf(whole, sizeof(whole), "%s/%s/%s=%s", k->proto, k->port,
	    k->kind, k->val);
	if (strcmp(whole, key) != 0)	/* cut short or followed by more */
		return -1;
	if (strcmp(k->proto, "tcp") != 0 && strcmp(k->proto, "udp") != 0 &&
	    strcmp(k->proto, "icmp") != 0 && strcmp(k->proto, "ip") != 0)
		return -1;
	if (strcmp(k->port, "any") == 0)
		k->portnum = -1;
	else if (strcmp(k->port, "32768:") == 0)
		k->portnum = -2;
	else {
		errno = 0;
		k->portnum = strtol(k->port, &end, 10);
		if (*end != '\0' || k->portnum < 0 || k->portnum > 65535)
			return -1;
	}
	if (k->portnum != -1 && strcmp(k->proto, "tcp") != 0 &&
	    strcmp(k->proto, "udp") != 0)
		return -1;
	if (strcmp(k->kind, "host") == 0)
		return lw_name_ok(k->val, tmp) && strcmp(tmp, k->val) == 0 ? 0 : -1;
	if (strcmp(k->kind, "dst") == 0)
		return bw_addr_parse(k->val, &a) == 0 ? 0 : -1;
	if (strcmp(k->kind, "net") != 0 || (slash = strchr(k->val, '/')) == NULL)
		return -1;
	snprintf(tmp, sizeof(tmp), "%.*s", (int)(slash - k->val), k->val);
	pfx = strtol(slash + 1, &end, 10);
	if (*end != '\0' || pfx < 8 || pfx > 128 || bw_addr_parse(tmp, &a) != 0)
		return -1;
	return 0;
}

static const struct {
	uint16_t	 port;
	const char	*name;
} services[] = {
	{ 20, "FTP data" }, { 21, "FTP" }, { 22, "SSH" }, { 25, "SMTP" },
	{ 49, "TACACS+" }, { 53, "DNS" }, { 67, "DHCP" }, { 69, "TFTP" },
	{ 80, "HTTP" }, { 88, "Kerberos" }, { 111, "RPC" }, { 123, "NTP" },
	{ 137, "NetBIOS" }, { 161, "SNMP" }, { 162, "SNMP trap" },
	{ 389, "LDAP" }, { 443, "HTTPS" }, { 445, "SMB" }, { 465, "SMTPS" },
	{ 514, "syslog" }, { 546, "DHCPv6" }, { 547, "DHCPv6" },
	{ 587, "SMTP submission" }, { 623, "IPMI" }, { 636, "LDAPS" },
	{ 1812, "RADIUS" }, { 1813, "RADIUS accounting" }, { 2049, "NFS" },
	{ 3268, "LDAP GC" }, { 3269, "LDAPS GC" }, { 6514, "syslog TLS" },
	{ 8080, "HTTP" }, { 8443, "HTTPS" },
};

const char *
lw_service_name(long port)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (services[i].port == port)
			return services[i].name;
	return NULL;
}

static void
service_word(const struct keyparts *k, char *buf, size_t len)
{
	const char *name;

	if (k->portnum == -2) {
		snprintf(buf, len, "%s ephemeral ports", k->proto);
		return;
	}
	if (k->portnum == -1) {
		snprintf(buf, len, "%s", k->proto);
		return;
	}
	if ((name = lw_service_name(k->portnum)) != NULL)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s/%ld", k->proto, k->portnum);
}

/* ---- OUT: reading the previous run -------------------------------- */

void
lw_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int
time_parse(const char *s, int64_t *ns)
{
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n == 0)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*ns = (int64_t)timegm(&tm) * 1000000000;
	return 0;
}

static void
time_word(int64_t ns, char *buf, size_t len)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
	else
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "KEY sid=N flows=N bytes=N hosts=N addrs=N first=T last=T" */
static int
parse_rec(const char *s, struct rec *r)
{
	char key[KEYMAX], first[32], last[32];
	struct keyparts k;

	if (sscanf(s, "%292s sid=%" SCNu32 " flows=%" SCNu64 " bytes=%" SCNu64
	    " hosts=%" SCNu64 " addrs=%" SCNu64 " first=%31s last=%31s", key,
	    &r->sid, &r->flows, &r->bytes, &r->hosts, &r->addrs, first,
	    last) != 8)
		return -1;
	if (lw_key_split(key, &k) < 0 || time_parse(first, &r->first) < 0 ||
	    time_parse(last, &r->last) < 0)
		return -1;
	snprintf(r->key, KEYMAX, "%s", key);
	return 0;
}

int
lw_prior_read(const char *path, struct prior *p, const struct learn *l,
    char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, mark = 0, any = 0, rc = -1;
	struct rec *cur = NULL;

	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		lw_set_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0)
			any = 1;
		if (strcmp(line, MARK) == 0) {
			mark = 1;
			continue;
		}
		if (strncmp(line, END_MARK, strlen(END_MARK)) == 0) {
			long at = ftell(f), end;

			if (at < 0 || fseek(f, 0, SEEK_END) < 0 ||
			    (end = ftell(f)) < 0 || fseek(f, at, SEEK_SET) < 0)
				goto fail_errno;
			p->taillen = (size_t)(end - at);
			if ((p->tail = malloc(p->taillen + 1)) == NULL)
				goto fail_errno;
			if (fread(p->tail, 1, p->taillen, f) != p->taillen)
				goto fail_errno;
			break;
		}
		if (!mark)
			continue;
		if (strncmp(line, "# capture: ", 11) == 0) {
			char **n;

			if (p->ncap >= MAX_CAPTURES)
				continue;
			if ((n = realloc(p->cap, (p->ncap + 1) *
			    sizeof(*n))) == NULL)
				goto fail_errno;
			p->cap = n;
			if ((p->cap[p->ncap] = strdup(line + 11)) == NULL)
				goto fail_errno;
			p->ncap++;
		} else if (strncmp(line, "# totals: ", 10) == 0) {
			uint64_t a, b, c;

			if (sscanf(line + 10, "passed-flows=%" SCNu64
			    " passed-bytes=%" SCNu64 " dropped=%" SCNu64,
			    &a, &b, &c) != 3)
				goto fail_syntax;
			p->passed_flows += a;
			p->passed_bytes += b;
			p->dropped += c;
		} else if (strncmp(line, "# learned: ", 11) == 0 ||
		    strncmp(line, "# reported: ", 12) == 0) {
			struct rec r;
			int rep = line[2] == 'r';

			memset(&r, 0, sizeof(r));
			if (parse_rec(line + (rep ? 12 : 11), &r) < 0 ||
			    lw_rec_find(&p->recs, r.key) != NULL ||
			    (!rep && (r.sid < l->sid_lo || r.sid > l->sid_hi ||
			    lw_prior_by_sid(&p->recs, r.sid) != NULL)))
				goto fail_syntax;
			if ((cur = lw_rec_add(&p->recs, r.key)) == NULL)
				goto fail_errno;
			r.reported = rep;
			*cur = r;
		} else if (cur != NULL && strncmp(line, "#   periodic: ", 14) == 0) {
			if (lw_rec_per(cur, line + 14) < 0)
				goto fail_errno;
		} else if (cur != NULL && !cur->reported &&
		    strncmp(line, "# pass ", 7) == 0) {
			cur->disabled = 1;
			cur = NULL;
		} else if (strncmp(line, "#", 1) != 0)
			cur = NULL;
	}
	if (ferror(f))
		goto fail_errno;
	if (any && !mark) {
		lw_set_err(err, errlen, "%s: not a file written by --learn (no "
		    "\"%s\" line); refusing to overwrite it", path, MARK);
		errno = EEXIST;
		goto out;
	}
	rc = 0;
	goto out;
fail_syntax:
	lw_set_err(err, errlen, "%s:%d: malformed learned line: %s", path,
	    lineno, line);
	errno = EINVAL;
	goto out;
fail_errno:
	lw_set_err(err, errlen, "%s: %s", path, strerror(errno));
out:
	free(line);
	fclose(f);
	return rc;
}

void
lw_prior_free(struct prior *p)
{
	lw_recs_free(&p->recs);
	for (size_t i = 0; i < p->ncap; i++)
		free(p->cap[i]);
	free(p->cap);
	free(p->tail);
}

/* ---- OUT: writing ------------------------------------------------- */

int
lw_cmp_rec(const void *x, const void *y)
{
	const struct rec *a = x, *b = y;
	struct keyparts ka, kb;
	long pa, pb;
	int c;

	if (a->reported != b->reported)
		return a->reported - b->reported;
	if (lw_key_split(a->key, &ka) < 0 || lw_key_split(b->key, &kb) < 0)
		return strcmp(a->key, b->key);
	if ((c = strcmp(ka.proto, kb.proto)) != 0)
		return c;
	pa = ka.portnum < 0 ? 65536 - ka.portnum : ka.portnum;
	pb = kb.portnum < 0 ? 65536 - kb.portnum : kb.portnum;
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return strcmp(a->key, b->key);
}

static void
write_rec(FILE *f, const struct rec *r, const char *bmc_var)
{
	struct keyparts k;
	char first[32], last[32], svc[64];
	const char *dst;

	lw_key_split(r->key, &k);		/* checked when made or read */
	time_word(r->first, first, sizeof(first));
	time_word(r->last, last, sizeof(last));
	service_word(&k, svc, sizeof(svc));
	dst = strcmp(k.kind, "host") == 0 ? "any" : k.val;
	fprintf(f, "\n# %s: %s sid=%" PRIu32 " flows=%" PRIu64 " bytes=%" PRIu64
	    " hosts=%" PRIu64 " addrs=%" PRIu64 " first=%s last=%s\n",
	    r->reported ? "reported" : "learned", r->key, r->sid, r->flows,
	    r->bytes, r->hosts, r->addrs, first, last);
	for (size_t i = 0; i < r->nper; i++)
		fprintf(f, "#   periodic: %s\n", r->per[i]);
	if (r->reported) {
		fprintf(f, "#   not passed: %s %s any -> %s %s%s%s%s\n", k.proto,
		    bmc_var, dst, k.port, dst == k.val ? "" : " host:\"",
		    dst == k.val ? "" : k.val, dst == k.val ? "" : "\"");
		return;
	}
	fprintf(f, "%spass %s %s any -> %s %s (msg:\"learned: %s to %s\"; ",
	    r->disabled ? "# " : "", k.proto, bmc_var, dst, k.port, svc, k.val);
	if (dst != k.val)
		fprintf(f, "host:\"%s\"; ", k.val);
	fprintf(f, "sid:%" PRIu32 "; rev:1;)\n", r->sid);
}

int
lw_write_file(FILE *f, const struct learn *l, struct prior *p,
    const char *bmc_var)
{
	struct recs *rs = &p->recs;
	int64_t first = 0, last = 0;
	size_t npass = 0, nrep = 0, i;
	char t1[32], t2[32];

	for (i = 0; i < rs->n; i++) {
		if (i == 0 || rs->r[i].first < first)
			first = rs->r[i].first;
		if (i == 0 || rs->r[i].last > last)
			last = rs->r[i].last;
		if (rs->r[i].reported)
			nrep++;
		else
			npass++;
	}
	time_word(first, t1, sizeof(t1));
	time_word(last, t2, sizeof(t2));
	fprintf(f, "# Allowlist learned by `bmcwatch --learn` from what the "
	    "BMCs (%s) started.\n", bmc_var);
	fprintf(f, "# REVIEW EVERY RULE before use: a rule here only says the "
	    "traffic happened,\n# not that it is wanted.  Periodic series are "
	    "listed under their rule: tell\n# NTP polling from a beacon before "
	    "accepting one.  Destinations an alert rule\n# matched are never "
	    "passed; they are listed at the end.\n#\n");
	fprintf(f, "# The \"# learned:\" and \"# reported:\" lines are read by "
	    "the next --learn run\n# with this file, which adds its counts "
	    "instead of writing the rules again.\n# Comment a rule out with "
	    "\"# \" to keep it out; it stays out.  Add your own\n# rules below "
	    "the \"end of learned rules\" line: they are kept as they are.\n");
	fprintf(f, "%s\n", MARK);
	fprintf(f, "# seen: first %s, last %s\n", t1, t2);
	fprintf(f, "# sids: %" PRIu32 "-%" PRIu32 " (reserved for learned "
	    "rules)\n", l->sid_lo, l->sid_hi);
	fprintf(f, "# rules: %zu passed, %zu reported\n", npass, nrep);
	fprintf(f, "# totals: passed-flows=%" PRIu64 " passed-bytes=%" PRIu64
	    " dropped=%" PRIu64 "\n", p->passed_flows, p->passed_bytes,
	    p->dropped);
	fprintf(f, "#   (passed-flows: already allowed by other pass rules; "
	    "dropped: flows not\n#   learned because the learner's table was "
	    "full, raise its limit and rerun)\n");
	for (i = 0; i < p->ncap; i++)
		fprintf(f, "# capture: %s\n", p->cap[i]);
	for (i = 0; i < rs->n && !rs->r[i].reported; i++)
		write_rec(f, &rs->r[i], bmc_var);
	if (i < rs->n)
		fprintf(f, "\n# Not passed (an alert rule matched):\n");
	for (; i < rs->n; i++)
		write_rec(f, &rs->r[i], bmc_var);
	fprintf(f, "\n%s (your own rules below this line are kept) ---\n",
	    END_MARK);
	if (p->tail != NULL)
		fwrite(p->tail, 1, p->taillen, f);
	return ferror(f) ? -1 : 0;
}
