/*
 * test-report.c - the triage report (sensor/output-report*.c): the one
 * escaping function on hostile strings (markup, quotes, invalid UTF-8,
 * control and bidi characters) and on random bytes; line errors;
 * expected counts for a handful of EVE lines; byte-identical output for
 * the same lines in any order and under SOURCE_DATE_EPOCH; and the size
 * of the page for a day of 50 BMCs (< 2 MB).
 */
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "output-report.h"

static char	*render(struct report *r, const struct report_meta *m,
		    size_t *len);

#define ESC(lit, want) do {						\
	char *_e = report_escape(lit, sizeof(lit) - 1);		\
	CHECK_STR(_e, want);						\
	free(_e);							\
} while (0)

static void
test_escape_cases(void)
{
	ESC("plain.example", "plain.example");
	ESC("a&b", "a&amp;b");
	ESC("</script><script>document.body.setAttribute('data-pwned',1)"
	    "</script>", "&lt;/script&gt;&lt;script&gt;document.body."
	    "setAttribute(&#39;data-pwned&#39;,1)&lt;/script&gt;");
	ESC("<img src=x onerror=\"document.body.setAttribute('data-pwned',1)"
	    "\">", "&lt;img src=x onerror=&quot;document.body.setAttribute("
	    "&#39;data-pwned&#39;,1)&quot;&gt;");
	ESC("\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
	ESC("' autofocus '", "&#39; autofocus &#39;");
	ESC("\xff\xfe", "\\xff\\xfe");			/* invalid bytes */
	ESC("ab\xe2\x82", "ab\\xe2\\x82");		/* truncated */
	ESC("\xc0\xaf", "\\xc0\\xaf");			/* overlong '/' */
	ESC("\xed\xa0\x80", "\\xed\\xa0\\x80");		/* surrogate */
	ESC("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");	/* > U+10FFFF */
	ESC("a\0b", "a\\x00b");
	ESC("\x01\x1b[31mred\x7f", "\\x01\\x1b[31mred\\x7f");
	ESC("tab\there\nnl", "tab\\x09here\\x0anl");
	ESC("\xc2\x85", "\\x85");				/* C1 (EVE's \u0085) */
	ESC("evil\xe2\x80\xae" "exe.txt", "evil\\u{202e}exe.txt");
	ESC("\xe2\x81\xa6x", "\\u{2066}x");
	ESC("\\x41", "\\\\x41");				/* not an escape */
	ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");	/* kept */
	ESC("", "");
}

static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Valid UTF-8 with no control character, and every & an entity we write. */
static int
safe_text(const char *s)
{
	static const char *ent[] = { "&amp;", "&lt;", "&gt;", "&quot;",
	    "&#39;" };
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>' ||
		    *p == '"' || *p == '\'')
			return 0;
		if (*p == '&') {
			int ok = 0;

			for (size_t k = 0; k < 5; k++)
				ok |= strncmp((const char *)p, ent[k],
				    strlen(ent[k])) == 0;
			if (!ok)
				return 0;
		}
		if (*p >= 0x80) {
			int n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;

			if (*p < 0xc2 || *p > 0xf4)
				return 0;
			for (int k = 1; k < n; k++)
				if ((p[k] & 0xc0) != 0x80)
					return 0;
			p += n;
			continue;
		}
		p++;
	}
	return 1;
}

static void
test_escape_random(void)
{
	uint64_t seed = 9;
	char in[64];
	int bad = 0;

	for (int i = 0; i < 20000; i++) {
		size_t n = rnd(&seed) % sizeof(in);
		char *e;

		for (size_t k = 0; k < n; k++) {
			uint64_t v = rnd(&seed);
			/* bias towards the interesting bytes */
			in[k] = (char)(v % 4 == 0 ? "<>\"'&\\\x00\xe2\x80\xae"
			    "\xc2\xf0"[(v >> 8) % 12] : (unsigned char)(v >> 16));
		}
		e = report_escape(in, n);
		if (e == NULL || !safe_text(e))
			bad++;
		free(e);
	}
	CHECK_INT(bad, 0);
}

static void
test_bad_lines(void)
{
	static const char odd[] = "{\"event_type\":\"alert\",\"alert\":7,"
	    "\"src_ip\":[],\"timestamp\":\"yesterday\",\"dest_port\":1e30,"
	    "\"beacon\":{\"times\":[\"x\",1e300,-1e300],\"events\":-1}}";
	struct report *r = report_new();
	struct report_meta m;
	size_t len;
	char err[256], *p;

	CHECK(r != NULL);
	memset(&m, 0, sizeof(m));
	err[0] = '\0';
	CHECK_INT(report_add_eve(r, "not json", 8, err, sizeof(err)), -1);
	CHECK(strstr(err, "not JSON") != NULL);
	CHECK_INT(report_add_eve(r, "[1,2]", 5, err, sizeof(err)), -1);
	CHECK_STR(err, "not a JSON object");
	CHECK_INT(report_add_eve(r, "\n", 1, err, sizeof(err)), 0);
	CHECK_INT(report_add_eve(r, "", 0, err, sizeof(err)), 0);
	/* invalid UTF-8 inside JSON: rejected, and the message is printable */
	CHECK_INT(report_add_eve(r, "{\"a\":\"\xff\x1b[2J\"}", 13, err,
	    sizeof(err)), -1);
	for (const char *e = err; *e != '\0'; e++)
		CHECK((unsigned char)*e >= 0x20 && (unsigned char)*e < 0x7f);
	CHECK_INT(report_add_eve(r, "{\"event_type\":\"anomaly\"}", 24, err,
	    sizeof(err)), 0);
	/* wrong types and absurd values: taken as missing, not fatal */
	CHECK_INT(report_add_eve(r, odd, strlen(odd), err, sizeof(err)), 0);
	p = render(r, &m, &len);
	CHECK(p != NULL && strstr(p, "id=\"n-alerts\">1<") != NULL);
	free(p);
	report_free(r);
}

/* --- rendering --- */

static const char *lines[] = {
	"{\"timestamp\":\"2026-11-25T22:32:11.086248+0000\",\"flow_id\":1,"
	"\"event_type\":\"alert\",\"src_ip\":\"10.50.0.10\",\"src_port\":40116,"
	"\"dest_ip\":\"203.0.113.50\",\"dest_port\":443,\"proto\":\"TCP\","
	"\"app_proto\":\"tls\",\"alert\":{\"signature_id\":1000,\"signature\":"
	"\"BMC initiated connection to a public address\",\"category\":"
	"\"egress\",\"severity\":1},\"tls\":{\"sni\":\"update.evil.example\"}}",
	"{\"timestamp\":\"2026-11-25T22:33:11.000000+0000\",\"flow_id\":2,"
	"\"event_type\":\"alert\",\"src_ip\":\"10.50.0.10\",\"src_port\":40117,"
	"\"dest_ip\":\"203.0.113.50\",\"dest_port\":443,\"proto\":\"TCP\","
	"\"app_proto\":\"tls\",\"alert\":{\"signature_id\":1000,\"signature\":"
	"\"BMC initiated connection to a public address\",\"category\":"
	"\"egress\",\"severity\":1},\"tls\":{\"sni\":\"cdn.evil.example\"}}",
	"{\"timestamp\":\"2026-11-25T22:32:12.000000+0000\",\"flow_id\":3,"
	"\"event_type\":\"alert\",\"src_ip\":\"10.50.0.10\",\"src_port\":40118,"
	"\"dest_ip\":\"198.51.100.7\",\"dest_port\":80,\"proto\":\"TCP\","
	"\"app_proto\":\"http\",\"alert\":{\"signature_id\":1000,\"signature\":"
	"\"BMC initiated connection to a public address\",\"category\":"
	"\"egress\",\"severity\":1},\"http\":{\"hostname\":\"198.51.100.7\","
	"\"url\":\"/stage2.sh\",\"http_method\":\"GET\",\"http_user_agent\":"
	"\"Wget/1.21\"}}",
	"{\"timestamp\":\"2026-11-25T22:32:14.000000+0000\",\"flow_id\":4,"
	"\"event_type\":\"alert\",\"src_ip\":\"10.1.0.66\",\"src_port\":40000,"
	"\"dest_ip\":\"10.50.0.11\",\"dest_port\":623,\"proto\":\"UDP\","
	"\"app_proto\":\"rmcp\",\"alert\":{\"signature_id\":1101,\"signature\":"
	"\"IPMI cipher suite 0 accepted by the BMC\",\"category\":\"ipmi\","
	"\"severity\":1},\"ipmi\":{\"messages\":[\"open_session_request\","
	"\"open_session_response\"],\"offered\":{\"cipher_suite\":0},"
	"\"open_session_status\":0,\"cipher_suite_accepted\":0}}",
	"{\"timestamp\":\"2026-11-25T22:32:15.000000+0000\",\"flow_id\":5,"
	"\"event_type\":\"flow\",\"src_ip\":\"10.1.0.40\",\"src_port\":40001,"
	"\"dest_ip\":\"10.50.0.11\",\"dest_port\":623,\"proto\":\"UDP\","
	"\"app_proto\":\"rmcp\",\"flow\":{\"pkts_toserver\":3,"
	"\"pkts_toclient\":3,\"bytes_toserver\":246,\"bytes_toclient\":284,"
	"\"start\":\"2026-11-25T22:32:14.500000+0000\",\"end\":"
	"\"2026-11-25T22:32:15.000000+0000\"},\"ipmi\":{\"messages\":["
	"\"open_session_request\",\"open_session_response\",\"rakp1\","
	"\"rakp2\"],\"offered\":{\"cipher_suite\":3},\"cipher_suite_accepted\":"
	"3,\"users\":[\"\"],\"rakp2_status\":0,\"rakp3_seen\":false},"
	"\"conn\":{\"conn_state\":\"SF\",\"policy\":\"pass\",\"pass_sid\":151}}",
	"{\"timestamp\":\"2026-11-25T22:32:01.000000+0000\",\"flow_id\":6,"
	"\"event_type\":\"flow\",\"src_ip\":\"10.50.0.10\",\"src_port\":40002,"
	"\"dest_ip\":\"10.1.0.10\",\"dest_port\":123,\"proto\":\"UDP\","
	"\"app_proto\":\"ntp\",\"flow\":{\"bytes_toserver\":90,"
	"\"bytes_toclient\":90,\"start\":\"2026-11-25T22:32:00.000000+0000\","
	"\"end\":\"2026-11-25T22:32:01.000000+0000\"},\"conn\":{\"policy\":"
	"\"pass\",\"pass_sid\":100}}",
	"{\"timestamp\":\"2026-11-25T22:40:00.000000+0000\",\"flow_id\":7,"
	"\"event_type\":\"alert\",\"src_ip\":\"10.50.0.12\",\"src_port\":40003,"
	"\"dest_ip\":\"203.0.113.80\",\"dest_port\":443,\"proto\":\"TCP\","
	"\"alert\":{\"signature_id\":2000,\"signature\":\"BMC beacon\","
	"\"severity\":1},\"beacon\":{\"key\":\"flow\",\"period_s\":60.0,"
	"\"jitter\":0.1,\"events\":8,\"span_s\":420.0,\"score\":0.93,"
	"\"size_mode\":464,\"missed\":0,\"times\":[1764109980,1764110040,"
	"1764110101,1764110160,1764110219,1764110280,1764110340,1764110400]}}",
	"{\"timestamp\":\"2026-11-25T22:40:00.000000+0000\",\"event_type\":"
	"\"stats\",\"stats\":{\"decoder\":{\"pkts\":1234},\"flow\":{\"total\":"
	"56}},\"bmcwatch\":{\"malformed\":7,\"files\":1,\"flows\":{\"evicted\":"
	"0}}}",
	"{\"timestamp\":\"2026-11-25T22:32:09.000000+0000\",\"flow_id\":8,"
	"\"event_type\":\"dns\",\"src_ip\":\"10.50.0.10\",\"dest_ip\":"
	"\"10.1.0.53\",\"dest_port\":53,\"proto\":\"UDP\",\"dns\":{\"type\":"
	"\"request\",\"queries\":[{\"rrname\":\"ntp.mgmt.example\"}]}}",
	"{\"timestamp\":\"2026-11-25T22:32:09.000000+0000\",\"event_type\":\"anomaly\"}",
};
#define NLINES (sizeof(lines) / sizeof(lines[0]))

static int
bmc_net(void *arg, const char *ip)
{
	(void)arg;
	return strncmp(ip, "10.50.", 6) == 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	p = malloc((size_t)n + 1);
	if (p != NULL && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	if (p != NULL)
		p[n] = '\0';
	*len = (size_t)n;
	fclose(f);
	return p;
}

static char *
render(struct report *r, const struct report_meta *m, size_t *len)
{
	char path[256], err[256];
	const char *d = getenv("TMPDIR");
	char *p;
	int fd;

	snprintf(path, sizeof(path), "%s/test-report.XXXXXX",
	    d != NULL ? d : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		return NULL;
	close(fd);
	if (report_write(r, path, m, err, sizeof(err)) != 0) {
		fprintf(stderr, "report_write: %s\n", err);
		unlink(path);
		return NULL;
	}
	p = slurp(path, len);
	unlink(path);
	return p;
}

/* The page for lines[] fed in the order given by perm (NULL: as listed). */
static char *
page(const size_t *perm, const struct report_meta *m, size_t *len)
{
	struct report *r = report_new();
	char err[256], *p;

	for (size_t i = 0; i < NLINES; i++) {
		const char *l = lines[perm != NULL ? perm[i] : i];

		CHECK_INT(report_add_eve(r, l, strlen(l), err, sizeof(err)), 0);
	}
	p = render(r, m, len);
	report_free(r);
	return p;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
test_counts(void)
{
	const char *caps[] = { "demo.pcap" };
	struct report_meta m = { caps, 1, "site.rules", 42, "bmcwatch 0.1.0",
	    bmc_net, NULL, 1700000000 };
	size_t len;
	char *p = page(NULL, &m, &len);

	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK(strstr(p, "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	    "img-src data:;") != NULL);
	CHECK_INT(count(p, "<script"), 0);
	CHECK_INT(count(p, "http://"), 0);
	CHECK_INT(count(p, "https://"), 0);
	CHECK(strstr(p, "id=\"n-bmcs\">3<") != NULL);
	CHECK(strstr(p, "id=\"n-outbound\">2<") != NULL);
	CHECK(strstr(p, "id=\"n-beacon\">1<") != NULL);
	CHECK(strstr(p, "id=\"n-cipher0\">1<") != NULL);
	CHECK(strstr(p, "id=\"n-hash\">1<") != NULL);
	CHECK(strstr(p, "id=\"n-nulltry\">1<") != NULL);
	CHECK(strstr(p, "id=\"n-enum\">0<") != NULL);
	CHECK(strstr(p, "id=\"n-alerts\">5<") != NULL);
	CHECK(strstr(p, "id=\"n-groups\">4<") != NULL);
	CHECK(strstr(p, "id=\"n-sigs\">3<") != NULL);
	CHECK_INT(count(p, "<tr class=\"ag\">"), 4);
	CHECK_INT(count(p, "<article class=\"beacon\""), 1);
	CHECK_INT(count(p, "<svg class=\"strip\""), 1);
	CHECK_INT(count(p, "<svg class=\"hist\""), 1);
	CHECK_INT(count(p, "<article class=\"bmc\""), 3);
	CHECK(strstr(p, "class=\"verdict red\"") != NULL);
	CHECK(strstr(p, "<dt>Packets</dt><dd>1234</dd>") != NULL);
	CHECK(strstr(p, "<dt>Malformed packets</dt><dd>7</dd>") != NULL);
	CHECK(strstr(p, "(42 rules)") != NULL);
	CHECK(strstr(p, "2023-11-14 22:13:20 UTC") != NULL);	/* generated */
	CHECK(strstr(p, "cdn.evil.example<br>update.evil.example") != NULL);
	CHECK(strstr(p, "GET /stage2.sh") != NULL);
	CHECK(strstr(p, "UA: Wget/1.21") != NULL);
	CHECK(strstr(p, "(null user)") != NULL);
	CHECK(strstr(p, "pass 100") != NULL);
	CHECK(strstr(p, "period 1 min 0 s") != NULL);
	/* an alert group of 2 with its first and last time */
	CHECK(strstr(p, "<td class=\"t\">22:32:11</td><td class=\"t\">22:33:11"
	    "</td><td class=\"n\">2</td>") != NULL);
	free(p);
}

static void
test_determinism(void)
{
	const char *caps[] = { "demo.pcap" };
	struct report_meta m = { caps, 1, NULL, 0, "bmcwatch 0.1.0", bmc_net,
	    NULL, 0 };
	size_t perm[NLINES], la, lb, lc;
	uint64_t seed = 3;
	char *a, *b, *c;

	unsetenv("SOURCE_DATE_EPOCH");
	a = page(NULL, &m, &la);
	b = page(NULL, &m, &lb);
	CHECK(a != NULL && b != NULL && la == lb && memcmp(a, b, la) == 0);
	/* without SOURCE_DATE_EPOCH: the input's last timestamp */
	CHECK(a != NULL && strstr(a, "<dt>Generated</dt><dd>2026-11-25 "
	    "22:40:00 UTC") != NULL);
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < NLINES; i++)
			perm[i] = i;
		for (size_t i = NLINES - 1; i > 0; i--) {
			size_t j = rnd(&seed) % (i + 1), t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		c = page(perm, &m, &lc);
		CHECK(c != NULL && lc == la && memcmp(a, c, la) == 0);
		free(c);
	}
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	c = page(NULL, &m, &lc);
	CHECK(c != NULL && strstr(c, "<dt>Generated</dt><dd>2023-11-14 "
	    "22:13:20 UTC") != NULL);
	unsetenv("SOURCE_DATE_EPOCH");
	free(a);
	free(b);
	free(c);
}

static void
test_hostile(void)
{
	static const char *hl =
	    "{\"timestamp\":\"2026-11-25T22:32:11.000000+0000\",\"event_type\":"
	    "\"alert\",\"src_ip\":\"10.50.0.10\",\"dest_ip\":\"<b>x</b>\","
	    "\"dest_port\":443,\"proto\":\"TCP\\\"><i>\",\"app_proto\":"
	    "\"<svg onload=alert(1)>\",\"alert\":{\"signature_id\":7,"
	    "\"signature\":\"</title></svg><script>alert(1)</script>\","
	    "\"category\":\"' onmouseover='x\",\"severity\":1},"
	    "\"tls\":{\"sni\":\"</script><script>document.body.setAttribute("
	    "'data-pwned',1)</script>\"},\"http\":{\"url\":\"<img src=x "
	    "onerror=\\\"document.body.setAttribute('data-pwned',1)\\\">\","
	    "\"http_user_agent\":\"a\\u0000b\\u001b[2J\\u0085\\u202e\","
	    "\"http_method\":\"<a href=//evil>\"},\"geoip\":{\"dest\":{"
	    "\"country\":\"<u>\",\"as_org\":\"&amp;\"}},\"beacon\":{\"key\":"
	    "\"<k>\",\"name\":\"<n>\",\"period_s\":1e308,\"jitter\":-5,"
	    "\"score\":1e300,\"times\":[1e300,-1e300,0,1]}}";
	const char *caps[] = { "<img src=x onerror=alert(1)>.pcap" };
	struct report_meta m = { caps, 1, "\"><script>", 1, "v<1>", bmc_net,
	    NULL, 1 };
	struct report *r = report_new();
	char err[256], *p;
	size_t len;

	CHECK_INT(report_add_eve(r, hl, strlen(hl), err, sizeof(err)), 0);
	p = render(r, &m, &len);
	report_free(r);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK_INT(count(p, "<script"), 0);
	CHECK_INT(count(p, "<img"), 0);
	CHECK_INT(count(p, "<b>x"), 0);
	CHECK_INT(count(p, "<i>"), 0);
	CHECK_INT(count(p, "<u>"), 0);
	CHECK_INT(count(p, "<k>"), 0);
	CHECK_INT(count(p, "<n>"), 0);
	CHECK_INT(count(p, "<svg onload"), 0);
	CHECK_INT(count(p, "<a href=//"), 0);
	CHECK_INT(count(p, "' onmouseover"), 0);
	CHECK(strstr(p, "&lt;/script&gt;&lt;script&gt;document.body."
	    "setAttribute(&#39;data-pwned&#39;,1)&lt;/script&gt;") != NULL);
	CHECK(strstr(p, "&lt;img src=x onerror=&quot;document.body.") != NULL);
	CHECK(strstr(p, "a\\x00b\\x1b[2J\\x85\\u{202e}") != NULL);
	CHECK(strstr(p, "&amp;amp;") != NULL);
	free(p);
}

/*
 * A day of 50 BMCs: NTP every 64 s, DNS every 5 min, IPMI polls every
 * minute from two admin hosts, 30 public peers each, hourly alerts and a
 * beacon per BMC re-alerting every hour.  The page must stay < 2 MB.
 */
static void
test_size(void)
{
	struct report *r = report_new();
	struct report_meta m = { NULL, 0, "site.rules", 40, "bmcwatch",
	    bmc_net, NULL, 1 };
	const int64_t t0 = 1764028800;			/* 2025-11-25 */
	char line[2048], ts[40], st[40], err[256], *p;
	const char *keep;
	FILE *f;
	size_t len, n = 0;
	clock_t c0 = clock();

#define TS(buf, t) do {							\
	time_t _t = (time_t)(t);					\
	struct tm _tm;							\
	gmtime_r(&_t, &_tm);						\
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.000000+0000", &_tm);\
} while (0)
#define ADD() do {							\
	CHECK_INT(report_add_eve(r, line, strlen(line), err, sizeof(err)), 0);\
	n++;								\
} while (0)

	for (int b = 0; b < 50; b++) {
		for (int64_t t = t0 + b; t < t0 + 86400; t += 64) {
			TS(ts, t);
			snprintf(line, sizeof(line), "{\"timestamp\":\"%s\","
			    "\"event_type\":\"flow\",\"src_ip\":\"10.50.0.%d\","
			    "\"dest_ip\":\"10.1.0.10\",\"dest_port\":123,\"proto\":"
			    "\"UDP\",\"app_proto\":\"ntp\",\"flow\":{\"start\":"
			    "\"%s\",\"end\":\"%s\",\"bytes_toserver\":90,"
			    "\"bytes_toclient\":90},\"conn\":{\"policy\":\"pass\","
			    "\"pass_sid\":100}}", ts, b, ts, ts);
			ADD();
		}
		for (int64_t t = t0 + b; t < t0 + 86400; t += 60) {
			TS(ts, t);
			snprintf(line, sizeof(line), "{\"timestamp\":\"%s\","
			    "\"event_type\":\"flow\",\"flow_id\":%lld,\"src_ip\":"
			    "\"10.1.0.%d\",\"dest_ip\":\"10.50.0.%d\",\"dest_port\":"
			    "623,\"proto\":\"UDP\",\"app_proto\":\"rmcp\",\"flow\":{"
			    "\"start\":\"%s\",\"end\":\"%s\"},\"ipmi\":{\"messages\":"
			    "[\"rakp1\",\"rakp2\",\"rakp3\"],\"offered\":{"
			    "\"cipher_suite\":3},\"cipher_suite_accepted\":3,"
			    "\"users\":[\"monitor%lld\"],\"rakp2_status\":0,"
			    "\"rakp3_seen\":true,\"null_users\":false},\"conn\":{"
			    "\"policy\":\"pass\",\"pass_sid\":151}}", ts,
			    (long long)t * 100 + b, 40 + (int)(t / 60 % 2), b,
			    ts, ts, (long long)(t / 3600 % 3));
			ADD();
		}
		for (int k = 0; k < 30; k++) {
			int64_t t = t0 + 600 + k * 2800 + b;

			TS(ts, t);
			snprintf(line, sizeof(line), "{\"timestamp\":\"%s\","
			    "\"event_type\":\"alert\",\"src_ip\":\"10.50.0.%d\","
			    "\"dest_ip\":\"203.0.%d.%d\",\"dest_port\":443,"
			    "\"proto\":\"TCP\",\"app_proto\":\"tls\",\"alert\":{"
			    "\"signature_id\":1000,\"signature\":\"BMC initiated "
			    "connection to a public address\",\"severity\":1},"
			    "\"tls\":{\"sni\":\"%0100d.very-long-name.example\"}}",
			    ts, b, b, k, k);
			ADD();
		}
		for (int h = 1; h < 24; h++) {
			int64_t t = t0 + h * 3600 + b;
			int o;

			TS(st, t);
			o = snprintf(line, sizeof(line), "{\"timestamp\":\"%s\","
			    "\"event_type\":\"alert\",\"src_ip\":\"10.50.0.%d\","
			    "\"dest_ip\":\"198.51.100.%d\",\"dest_port\":8443,"
			    "\"proto\":\"TCP\",\"alert\":{\"signature_id\":2000,"
			    "\"signature\":\"BMC beacon\",\"severity\":1},"
			    "\"beacon\":{\"key\":\"flow\",\"period_s\":300.0,"
			    "\"jitter\":0.1,\"events\":32,\"span_s\":9300.0,"
			    "\"score\":0.99,\"size_mode\":512,\"missed\":0,"
			    "\"times\":[", st, b, b);
			for (int e = 0; e < 32; e++)
				o += snprintf(line + o, sizeof(line) - (size_t)o,
				    "%s%lld", e ? "," : "", (long long)(t - 300 *
				    (31 - e)));
			snprintf(line + o, sizeof(line) - (size_t)o, "]}}");
			ADD();
		}
	}
	p = render(r, &m, &len);
	report_free(r);
	CHECK(p != NULL);
	fprintf(stderr, "size: %zu lines -> %zu bytes in %.2f s\n", n, len,
	    (double)(clock() - c0) / CLOCKS_PER_SEC);
	if (p != NULL && (keep = getenv("TEST_REPORT_KEEP")) != NULL &&
	    (f = fopen(keep, "w")) != NULL) {	/* to look at the page */
		fwrite(p, 1, len, f);
		fclose(f);
	}
	CHECK(len < 2 * 1024 * 1024);
	CHECK(p != NULL && strstr(p, "id=\"n-bmcs\">50<") != NULL);
	CHECK(p != NULL && strstr(p, "more groups of this signature not "
	    "shown") != NULL);
	free(p);
}

/* 150 quiet BMCs and one that called out: 100 sections, the bad one kept. */
static void
test_bmc_cap(void)
{
	struct report *r = report_new();
	struct report_meta m = { NULL, 0, NULL, 0, "bmcwatch", bmc_net, NULL,
	    1 };
	char line[512], err[256], *p;
	size_t len;

	for (int i = 0; i < 151; i++) {
		snprintf(line, sizeof(line), "{\"timestamp\":\"2026-11-25T22:32:"
		    "11.000000+0000\",\"event_type\":\"%s\",\"src_ip\":"
		    "\"10.50.%d.%d\",\"dest_ip\":\"%s\",\"dest_port\":123,"
		    "\"proto\":\"UDP\",\"alert\":{\"signature_id\":1,"
		    "\"signature\":\"x\",\"severity\":1}}", i == 150 ? "alert" :
		    "flow", i / 100, i % 100 + 1, i == 150 ? "203.0.113.1" :
		    "10.1.0.10");
		CHECK_INT(report_add_eve(r, line, strlen(line), err,
		    sizeof(err)), 0);
	}
	p = render(r, &m, &len);
	report_free(r);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK(strstr(p, "id=\"n-bmcs\">151<") != NULL);
	CHECK_INT(count(p, "<article class=\"bmc\""), 100);
	CHECK(strstr(p, "51 more BMCs without findings are not shown") != NULL);
	/* the one that called out has a section and its link */
	CHECK(strstr(p, "<a class=\"bmc\" href=\"#bmc-100\">10.50.1.51</a>")
	    != NULL);
	CHECK(strstr(p, "id=\"bmc-100\"><h3>10.50.1.51") != NULL);
	free(p);
}

static void
test_write_error(void)
{
	struct report *r = report_new();
	struct report_meta m;
	char err[256];

	memset(&m, 0, sizeof(m));
	err[0] = '\0';
	CHECK_INT(report_write(r, "/nonexistent/dir/r.html", &m, err,
	    sizeof(err)), -1);
	CHECK(strstr(err, "/nonexistent/dir/r.html") != NULL);
	report_free(r);
}

int
main(void)
{
	test_escape_cases();
	test_escape_random();
	test_bad_lines();
	test_counts();
	test_determinism();
	test_hostile();
	test_size();
	test_bmc_cap();
	test_write_error();
	CHECK_DONE();
}
