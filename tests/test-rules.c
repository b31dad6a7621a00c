/*
 * test-rules.c - the rule parser: every error message with its exact
 * file:line:col, what good rules compile to, and the shipped rule files.
 *
 * The error table is the contract of bmcwatch.rules(5): a message that
 * changes here must change there.  At the end a few thousand mutated
 * rules are thrown at the parser to shake out crashes (run under ASan).
 */
#include <sys/wait.h>

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "geoip.h"
#include "rules.h"
#include "check.h"
#include "addr-test.h"
#include "mmdb-test.h"

static int
has(const struct addrset *s, const char *addr)
{
	struct bw_addr a = A(addr);

	return addrset_contains(s, &a);
}

/* Load text; returns what was written on errf (caller frees). */
static char *
load(const char *text, const struct geoip *geo, struct ruleset **rsp)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct ruleset *rs;

	if (m == NULL) {
		perror("open_memstream");
		exit(2);
	}
	rs = rules_load_string("t.rules", text, geo, m);
	fclose(m);
	if (rsp != NULL)
		*rsp = rs;
	else
		rules_free(rs);
	return buf;
}

static void
bad_at(int line, const char *text, const struct geoip *geo, const char *want)
{
	struct ruleset *rs;
	char *err = load(text, geo, &rs);

	if (rs != NULL || strcmp(err, want) != 0)
		fprintf(stderr, "test-rules.c:%d: for: %s\n", line, text);
	CHECK(rs == NULL);
	CHECK_STR(err, want);
	rules_free(rs);
	free(err);
}
#define bad(text, want)		bad_at(__LINE__, text, NULL, want)

static struct ruleset *
good_at(int line, const char *text, const struct geoip *geo)
{
	struct ruleset *rs;
	char *err = load(text, geo, &rs);

	if (rs == NULL || err[0] != '\0')
		fprintf(stderr, "test-rules.c:%d: for: %s\n", line, text);
	CHECK(rs != NULL);
	CHECK_STR(err, "");
	free(err);
	return rs;
}
#define good(text)		good_at(__LINE__, text, NULL)

#define H "alert tcp any any -> any any "	/* 29 columns */

static void
test_errors(void)
{
	/* actions, protocols, header */
	bad("foo bar\n", "t.rules:1:1: unknown action \"foo\" (expected pass, "
	    "alert, beacon, var or portvar)\n");
	bad("[\n", "t.rules:1:1: expected a rule or a variable definition, "
	    "found '['\n");
	bad("alert\n", "t.rules:1:6: expected a protocol, found end of line\n");
	bad("alert sctp any any -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:7: unknown protocol \"sctp\" (expected ip, tcp, udp "
	    "or icmp)\n");
	bad("alert udp\n", "t.rules:1:10: expected an address, found end of "
	    "line\n");
	bad("alert udp @ any -> any any (msg:\"a\"; sid:1;)",
	    "t.rules:1:11: expected an address, found '@'\n");
	bad("alert tcp any any any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:19: expected \"->\" after the source port, found 'a'\n");
	bad("alert tcp any any\n", "t.rules:1:18: expected \"->\" after the "
	    "source port, found end of line\n");
	bad("alert tcp any any <> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:19: \"<>\" is not supported: flows have a direction, "
	    "write two rules with \"->\"\n");
	bad("alert tcp any any -> any any msg:\"a\"; sid:1;)\n",
	    "t.rules:1:30: expected \"(\" to start the option list, found "
	    "'m'\n");
	bad(H "(msg:\"a\"; sid:1;) junk\n",
	    "t.rules:1:48: unexpected text at end of statement\n");
	bad("alert ip any 80 -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:14: ports need protocol tcp or udp, not ip\n");
	bad("alert icmp any any -> any [1,2] (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:27: ports need protocol tcp or udp, not icmp\n");
	bad("alert udp [10.0.0.0/8, !10.0.0.0/8] any -> any any "
	    "(msg:\"a\"; sid:1;)\n",
	    "t.rules:1:11: source address matches nothing\n");
	bad("alert udp any any -> !any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:22: destination address matches nothing\n");
	bad("alert udp any !any -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:15: source port matches nothing\n");
	bad("alert udp any any -> any ![0:65535] (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:26: destination port matches nothing\n");

	/* addresses */
	bad("alert udp 1.2.3 any -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:11: bad address \"1.2.3\"\n");
	bad("alert udp 2001:db8::g any -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:11: bad address \"2001:db8::g\"\n");
	bad("alert udp 10.0.0.0/33 any -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:11: bad CIDR prefix in \"10.0.0.0/33\" (IPv4 allows /0 "
	    "to /32)\n");
	bad("alert udp 10.0.0.0/ any -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:11: bad CIDR prefix in \"10.0.0.0/\" (IPv4 allows /0 "
	    "to /32)\n");
	bad("alert udp 10.0.0.0/-1 any -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:11: bad CIDR prefix in \"10.0.0.0/\" (IPv4 allows /0 "
	    "to /32)\n");
	bad("alert udp any any -> 2001:db8::/129 any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:22: bad CIDR prefix in \"2001:db8::/129\" (IPv6 allows "
	    "/0 to /128)\n");
	bad("alert udp $FOO any -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:11: undefined variable \"$FOO\"\n");
	bad("alert udp [$FOO] any -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:12: undefined variable \"$FOO\"\n");

	/* ports */
	bad("alert udp any 70000 -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:15: bad port \"70000\" (ports are 0 to 65535)\n");
	bad("alert udp any 123456 -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:15: bad port \"123456\" (ports are 0 to 65535)\n");
	bad("alert udp any any -> any 90:80 (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:26: bad port range \"90:80\" (low end above high end)\n");
	bad("alert udp any 1:2:3 -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:15: bad port \"1:2:3\"\n");
	bad("alert udp any : -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:15: bad port \":\"\n");
	bad("alert udp any x -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:15: bad port \"x\"\n");

	/* lists */
	bad("alert udp any [] -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:15: empty list\n");
	bad("alert udp any [1,2\n", "t.rules:1:15: unterminated list "
	    "(missing \"]\")\n");
	bad("alert udp any [1 2] -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:18: expected \",\" or \"]\" in list, found '2'\n");
	bad("alert udp any [1,] -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:1:18: expected a port, found ']'\n");
	bad("var A = [[[[[[[[[[[[[[[[[[1.1.1.1]]]]]]]]]]]]]]]]]\n",
	    "t.rules:1:25: lists nested too deeply\n");

	/* variables */
	bad("var 1X = 10.0.0.1\n", "t.rules:1:5: bad variable name \"1X\" "
	    "(letters, digits and _, not starting with a digit)\n");
	bad("var\n", "t.rules:1:4: expected a variable name, found end of "
	    "line\n");
	bad("var X 10.0.0.1\n", "t.rules:1:7: expected \"=\" after the "
	    "variable name, found '1'\n");
	bad("var X = 10.0.0.1\nvar X = 10.0.0.2\n",
	    "t.rules:2:5: variable \"X\" is already defined on line 1\n");
	bad("var X = 10.0.0.1\nportvar X = 1\n",
	    "t.rules:2:9: variable \"X\" is already defined on line 1\n");
	bad("portvar P = 80\nalert udp $P any -> any any (msg:\"a\"; sid:1;)\n",
	    "t.rules:2:11: \"$P\" is a port variable, not an address "
	    "variable\n");
	bad("var A = 10.0.0.1\nalert udp any $A -> any any (msg:\"a\"; "
	    "sid:1;)\n", "t.rules:2:15: \"$A\" is an address variable, not a "
	    "port variable\n");
	bad("var A = 10.0.0.1 10.0.0.2\n",
	    "t.rules:1:18: unexpected text at end of statement\n");

	/* options: scanning */
	bad(H "(msg:\"a\"; sid:1;\n",
	    "t.rules:1:30: unterminated option list (missing \")\")\n");
	bad(H "(msg:\"a\"; sid:1\n",
	    "t.rules:1:40: option \"sid\" is not terminated by \";\"\n");
	bad(H "(msg:\"a; sid:1;)\n", "t.rules:1:35: unterminated string\n");
	bad(H "(msg:\"a\"; sid:1; (;)\n",
	    "t.rules:1:47: expected an option name, found '('\n");
	bad(H "(msg:\"a\"; sid:1; sid)\n", "t.rules:1:50: expected \":\" or "
	    "\";\" after option \"sid\", found ')'\n");
	bad(H "(msg:\"a\"; sid:1; aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:1;)\n",
	    "t.rules:1:47: option name too long\n");
	bad(H "(msg:\"a\"; foo:1; sid:2;)\n",
	    "t.rules:1:40: unknown option \"foo\"\n");
	bad(H "(msg:\"a\"; content:\"x\"; sid:2;)\n",
	    "t.rules:1:40: unknown option \"content\"\n");
	bad(H "(msg:\"a\"; sid;)\n",
	    "t.rules:1:40: option \"sid\" needs a value\n");
	bad(H "(msg:\"a\"; sid:1; reference;)\n",
	    "t.rules:1:47: option \"reference\" needs a value\n");
	bad(H "(msg:\"a\"; sid:1; sid:2;)\n",
	    "t.rules:1:47: option \"sid\" given twice\n");
	bad(H "(msg:\"a\"; sid:1; msg:\"b\";)\n",
	    "t.rules:1:47: option \"msg\" given twice\n");

	/* options: values */
	bad(H "(msg:a; sid:1;)\n",
	    "t.rules:1:35: msg: expected a quoted string\n");
	bad(H "(msg:\"a\\n\"; sid:1;)\n", "t.rules:1:37: msg: unknown "
	    "escape \"\\n\" (use \\\", \\\\ or \\;)\n");
	bad(H "(msg:\"a\" b; sid:1;)\n",
	    "t.rules:1:38: msg: unexpected text after the closing quote\n");
	bad(H "(msg:\"a\"; sid:0;)\n", "t.rules:1:44: sid: expected a "
	    "number from 1 to 4294967295, found \"0\"\n");
	bad(H "(msg:\"a\"; sid:4294967296;)\n", "t.rules:1:44: sid: "
	    "expected a number from 1 to 4294967295, found \"4294967296\"\n");
	bad(H "(msg:\"a\"; sid:1; rev:x;)\n", "t.rules:1:51: rev: expected "
	    "a number from 0 to 4294967295, found \"x\"\n");
	bad(H "(msg:\"a\"; sid:1; gid:0;)\n", "t.rules:1:51: gid: expected "
	    "a number from 1 to 4294967295, found \"0\"\n");
	bad(H "(msg:\"a\"; sid:1; severity:5;)\n", "t.rules:1:56: severity: "
	    "expected 1, 2, 3 or 4, found \"5\"\n");
	bad(H "(msg:\"a\"; sid:1; classtype:nope;)\n",
	    "t.rules:1:57: unknown classtype \"nope\"\n");
	bad(H "(msg:\"a\"; sid:1; category:;)\n",
	    "t.rules:1:47: category: empty\n");

	/* geoip / asn */
	bad(H "(msg:\"a\"; sid:1; geoip:dst,CN;)\n", "t.rules:1:47: geoip: "
	    "no country database loaded (use --geoip-country)\n");
	bad(H "(msg:\"a\"; sid:1; asn:dst,!4134;)\n", "t.rules:1:47: asn: "
	    "no ASN database loaded (use --geoip-asn)\n");
	bad(H "(msg:\"a\"; sid:1; geoip:up,CN;)\n", "t.rules:1:53: geoip: "
	    "expected src, dst, any or both, found \"up\"\n");
	bad(H "(msg:\"a\"; sid:1; geoip:dst;)\n",
	    "t.rules:1:47: geoip: no country given\n");
	bad(H "(msg:\"a\"; sid:1; geoip:dst,CN,!RU;)\n", "t.rules:1:60: "
	    "geoip: \"!\" is only allowed before the first country (it "
	    "negates the whole list)\n");
	bad(H "(msg:\"a\"; sid:1; geoip:dst, C1;)\n", "t.rules:1:58: geoip: "
	    "bad country code \"C1\" (expected two letters)\n");
	bad(H "(msg:\"a\"; sid:1; geoip:dst,!USA;)\n", "t.rules:1:58: geoip: "
	    "bad country code \"USA\" (expected two letters)\n");
	bad(H "(msg:\"a\"; sid:1; asn:src,AS0;)\n", "t.rules:1:55: asn: bad "
	    "AS number \"AS0\" (expected 1 to 4294967295)\n");
	bad(H "(msg:\"a\"; sid:1; asn:both,1,x;)\n", "t.rules:1:58: asn: bad "
	    "AS number \"x\" (expected 1 to 4294967295)\n");
	bad(H "(msg:\"a\"; sid:1; asn:any,1,!2;)\n", "t.rules:1:57: asn: "
	    "\"!\" is only allowed before the first AS number (it negates the "
	    "whole list)\n");

	bad(H "(msg:\"a\"; sid:1; asn:dst;)\n",
	    "t.rules:1:47: asn: no AS number given\n");
	bad(H "(msg:\"a\"; sid:1; asn:4134;)\n", "t.rules:1:51: asn: "
	    "expected src, dst, any or both, found \"4134\"\n");
	bad(H "(msg:\"a\"; sid:1; category:\"x\\y\";)\n", "t.rules:1:58: "
	    "category: unknown escape \"\\y\" (use \\\", \\\\ or \\;)\n");
	bad(H "(msg:\"a\"; sid:1; category:\"x\"y;)\n", "t.rules:1:59: "
	    "category: unexpected text after the closing quote\n");

	/* threshold */
	bad(H "(msg:\"a\"; sid:1; threshold:type limit, track by_src, "
	    "count 1;)\n", "t.rules:1:47: threshold: needs type, track, count "
	    "and seconds\n");
	bad(H "(msg:\"a\"; sid:1; threshold:type limit, trac by_src;)\n",
	    "t.rules:1:69: threshold: unknown part \"trac\" (expected type, "
	    "track, count or seconds)\n");
	bad(H "(msg:\"a\"; sid:1; threshold:type limit, type limit;)\n",
	    "t.rules:1:69: threshold: \"type\" given twice\n");
	bad(H "(msg:\"a\"; sid:1; threshold:type lim;)\n", "t.rules:1:62: "
	    "threshold: unknown type \"lim\" (expected limit, threshold or "
	    "both)\n");
	bad(H "(msg:\"a\"; sid:1; threshold:track src;)\n", "t.rules:1:63: "
	    "threshold: unknown track \"src\" (expected by_src, by_dst, "
	    "by_both or by_rule)\n");
	bad(H "(msg:\"a\"; sid:1; threshold:count 0;)\n", "t.rules:1:63: "
	    "threshold: bad count \"0\" (expected 1 to 4294967295)\n");
	bad(H "(msg:\"a\"; sid:1; threshold:seconds x;)\n", "t.rules:1:65: "
	    "threshold: bad seconds \"x\" (expected 1 to 4294967295)\n");
	bad(H "(msg:\"a\"; sid:1; threshold:type limit; threshold:type "
	    "limit;)\n", "t.rules:1:47: threshold: needs type, track, count "
	    "and seconds\n");
	bad(H "(msg:\"a\"; sid:1; threshold:type limit,track by_src,count 1,"
	    "seconds 1; threshold:type limit;)\n",
	    "t.rules:1:100: option \"threshold\" given twice\n");
	bad("pass tcp any any -> any any (msg:\"a\"; sid:1; threshold:type "
	    "limit, track by_src, count 1, seconds 5;)\n",
	    "t.rules:1:46: threshold: not allowed on pass rules\n");

	/* rule-level */
	bad(H "()\n", "t.rules:1:1: rule has no msg\n"
	    "t.rules:1:1: rule has no sid\n");
	bad(H "(msg:\"a\";)\n", "t.rules:1:1: rule has no sid\n");
	bad(H "(msg:\"a\"; sid:1;)\n# x\n" H "(msg:\"b\"; sid:1;)\n",
	    "t.rules:3:44: duplicate sid 1 (first used on line 1)\n");
	{
		char longtok[400];

		memset(longtok, 'a', sizeof(longtok));
		memcpy(longtok, "alert tcp $", 11);
		strcpy(longtok + 300, " any -> any any (msg:\"a\"; sid:1;)\n");
		bad(longtok, "t.rules:1:11: \"$aaaaaaaaaaaaaaaaaaa...\" is "
		    "too long\n");
	}
	bad("alert tcp any any -> any any (msg:\"a\"; sid:1;)\x01\n",
	    "t.rules:1:47: unexpected text at end of statement\n");

	/* continuation lines keep line and column right */
	bad("pass tcp any any -> any any (msg:\"a\"; sid:1; \\\n  bad:1;)\n",
	    "t.rules:2:3: unknown option \"bad\"\n");
	bad("alert tcp any any \\\n -> any 99999 (msg:\"a\"; sid:1;)\n",
	    "t.rules:2:9: bad port \"99999\" (ports are 0 to 65535)\n");
	bad(H "(msg:\"a\"; sid:1;)\n" H "(msg:\"b\";\n" H "(msg:\"c\"; sid:3;)\n",
	    "t.rules:2:30: unterminated option list (missing \")\")\n");

	/* every broken statement is reported, in order */
	bad("# header\n"
	    "var BMC = [10.50.0.0/16\n"
	    "alert tcp $BMC any -> any any (msg:\"x\"; sid:1;)\n"
	    "\n"
	    "alert tcp any any -> any any (msg:\"x\"; \\\n"
	    "    sid:2; foo;)\n"
	    "alert tcp any any -> any 1:0 (msg:\"x\"; sid:3;)\n"
	    "alert tcp any any -> any any (msg:\"x\"; sid:4;)\n",
	    "t.rules:2:11: unterminated list (missing \"]\")\n"
	    "t.rules:3:11: undefined variable \"$BMC\"\n"
	    "t.rules:6:12: unknown option \"foo\"\n"
	    "t.rules:7:26: bad port range \"1:0\" (low end above high end)\n");

	/* warnings do not fail the load */
	{
		struct ruleset *rs;
		char *err = load("alert tcp 10.0.0.1/8 any -> 2001:db8::1/32 "
		    "any (msg:\"a\"; sid:1;)\n", NULL, &rs);

		CHECK(rs != NULL);
		CHECK_STR(err, "t.rules:1:11: warning: host bits set in "
		    "10.0.0.1/8, using 10.0.0.0/8\n"
		    "t.rules:1:29: warning: host bits set in 2001:db8::1/32, "
		    "using 2001:db8::/32\n");
		if (rs != NULL) {
			CHECK(has(&rs->rules[0].src, "10.255.0.1"));
			CHECK(has(&rs->rules[0].dst, "2001:db8:1::"));
		}
		rules_free(rs);
		free(err);
	}
}

static void
test_good(void)
{
	struct ruleset *rs;
	const struct rule *r;

	rs = good("# comment only\n\n   \t\n");
	CHECK(rs != NULL && rs->nrules == 0);
	rules_free(rs);
	rs = good("");
	CHECK(rs != NULL && rs->nrules == 0);
	rules_free(rs);

	rs = good(
	    "var BMC = [10.50.0.0/16, fd00:50::/48]\n"
	    "var MGMT = 10.1.0.0/24 # trailing comment\n"
	    "var NOTMGMT = !$MGMT\n"
	    "var MIX = [10.0.0.0/8, !10.1.0.0/16, ![10.2.0.0/16, 10.3.0.0/16]]"
	    "\n"
	    "var ONLYNEG = [!10.0.0.0/8, [!192.168.0.0/16]]\n"
	    "portvar WEB = [80, 443, 8000:8100]\n"
	    "portvar HIGH = [1024:, !8000:8100]\n"
	    "pass udp $BMC any -> [10.1.0.10] 123 (msg:\"NTP\"; sid:100;)\n"
	    "alert  ip   $BMC any ->\t!$MGMT any (msg:\"a \\\"q\\\" \\\\ \\; "
	    "x\"; sid:1000; rev:3; gid:7; severity:1; reference:url,x.org/#a;"
	    " metadata:k v;)\n"
	    "alert tcp $MIX $HIGH -> $ONLYNEG $WEB (msg:\"b\"; sid:1001; "
	    "classtype:attempted-recon; threshold: seconds 60, count 2, "
	    "track by_both, type both;)\n"
	    "alert icmp $NOTMGMT any -> any any (msg:\"c\"; sid:1002; "
	    "classtype:policy-violation; severity:4; category:\"egress\";)\n"
	    "alert udp any :1023 -> any [!53, 0:99] (msg:\"d\"; \\\n"
	    "    sid:1003; category:lateral movement; classtype:"
	    "misc-activity;)\n");
	if (rs == NULL)
		return;
	CHECK_INT(rs->nrules, 5);
	CHECK_STR(rs->path, "t.rules");
	CHECK_INT(rs->needs_country, 0);
	CHECK_INT(rs->needs_asn, 0);

	r = &rs->rules[0];
	CHECK_INT(r->action, RA_PASS);
	CHECK_INT(r->proto, RP_UDP);
	CHECK_INT(r->line, 8);
	CHECK_STR(r->file, "t.rules");
	CHECK(has(&r->src, "10.50.255.1"));
	CHECK(has(&r->src, "fd00:50::1"));
	CHECK(!has(&r->src, "fd00:51::1"));
	CHECK(has(&r->dst, "10.1.0.10"));
	CHECK(!has(&r->dst, "10.1.0.11"));
	CHECK(portset_is_any(&r->sport));
	CHECK(portset_contains(&r->dport, 123));
	CHECK(!portset_contains(&r->dport, 124));
	CHECK_STR(r->msg, "NTP");
	CHECK_INT(r->sid, 100);
	CHECK_INT(r->rev, 0);
	CHECK_INT(r->gid, 1);
	CHECK_INT(r->severity, 3);
	CHECK(r->category == NULL);
	CHECK_INT(r->thr.type, THR_NONE);

	r = &rs->rules[1];
	CHECK_INT(r->action, RA_ALERT);
	CHECK_INT(r->proto, RP_IP);
	CHECK(has(&r->dst, "8.8.8.8"));
	CHECK(has(&r->dst, "::1"));
	CHECK(!has(&r->dst, "10.1.0.1"));
	CHECK_STR(r->msg, "a \"q\" \\ ; x");
	CHECK_INT(r->rev, 3);
	CHECK_INT(r->gid, 7);
	CHECK_INT(r->severity, 1);
	CHECK_STR(r->text, "alert ip $BMC any -> !$MGMT any (msg:\"a \\\"q\\\" "
	    "\\\\ \\; x\"; sid:1000; rev:3; gid:7; severity:1; reference:url,"
	    "x.org/#a; metadata:k v;)");

	r = &rs->rules[2];
	/* MIX = 10/8 minus 10.1/16 minus the negated nested list */
	CHECK(has(&r->src, "10.0.0.1"));
	CHECK(!has(&r->src, "10.1.0.1"));
	CHECK(!has(&r->src, "10.2.0.1"));
	CHECK(!has(&r->src, "10.3.0.1"));
	CHECK(has(&r->src, "10.4.0.1"));
	CHECK(!has(&r->src, "11.0.0.1"));
	/* ONLYNEG = everything but 10/8 and 192.168/16 */
	CHECK(!has(&r->dst, "10.9.9.9"));
	CHECK(!has(&r->dst, "192.168.1.1"));
	CHECK(has(&r->dst, "192.169.1.1"));
	CHECK(has(&r->dst, "2001:db8::1"));
	CHECK(portset_contains(&r->sport, 1024));
	CHECK(portset_contains(&r->sport, 65535));
	CHECK(!portset_contains(&r->sport, 1023));
	CHECK(!portset_contains(&r->sport, 8050));
	CHECK(portset_contains(&r->dport, 8100));
	CHECK(!portset_contains(&r->dport, 8101));
	CHECK_INT(r->severity, 2);
	CHECK_STR(r->category, "Attempted Information Leak");
	CHECK_INT(r->thr.type, THR_BOTH);
	CHECK_INT(r->thr.track, TRACK_BY_BOTH);
	CHECK_INT(r->thr.count, 2);
	CHECK_INT(r->thr.seconds, 60);

	r = &rs->rules[3];
	CHECK_INT(r->proto, RP_ICMP);
	CHECK(has(&r->src, "10.2.0.1"));
	CHECK(!has(&r->src, "10.1.0.1"));
	CHECK_INT(r->severity, 4);		/* explicit beats classtype */
	CHECK_STR(r->category, "egress");	/* category: beats classtype */

	r = &rs->rules[4];
	CHECK_INT(r->line, 12);
	CHECK(portset_contains(&r->sport, 0));
	CHECK(portset_contains(&r->sport, 1023));
	CHECK(!portset_contains(&r->sport, 1024));
	CHECK(portset_contains(&r->dport, 52));
	CHECK(!portset_contains(&r->dport, 53));
	CHECK(portset_contains(&r->dport, 54));
	CHECK(portset_contains(&r->dport, 99));
	CHECK(!portset_contains(&r->dport, 100));	/* [0:99] minus 53 */
	CHECK_STR(r->category, "lateral movement");
	CHECK_INT(r->severity, 3);
	CHECK_STR(r->text, "alert udp any :1023 -> any [!53, 0:99] (msg:\"d\"; "
	    "sid:1003; category:lateral movement; classtype:misc-activity;)");
	rules_free(rs);

	/* tcp-connection has priority 4; CRLF line ends are fine */
	rs = good("alert tcp any any -> any any (msg:\"a\"; sid:1; "
	    "classtype:tcp-connection;)\r\n");
	if (rs != NULL)
		CHECK_INT(rs->rules[0].severity, 4);
	rules_free(rs);
}

static void
test_geo(void)
{
	char dir[1024], c[1100], a[1100], err[256];
	struct geoip *both, *conly;
	struct ruleset *rs;
	const struct rule *r;
	int rc;

	if ((rc = mkdbs(dir, sizeof(dir))) != 0) {
		fprintf(stderr, "skip geoip rule checks: cannot build test "
		    "databases\n");
		CHECK(rc == 77);
		return;
	}
	snprintf(c, sizeof(c), "%s/country-geolite2.mmdb", dir);
	snprintf(a, sizeof(a), "%s/asn.mmdb", dir);
	both = geoip_open(c, a, err, sizeof(err));
	conly = geoip_open(c, NULL, err, sizeof(err));
	CHECK(both != NULL && conly != NULL);
	if (both == NULL || conly == NULL)
		goto out;

	rs = good_at(__LINE__, H "(msg:\"a\"; sid:1; geoip:dst,!us, DE; "
	    "geoip:src,CN; asn:both,AS24940,4134;)\n", both);
	if (rs != NULL) {
		r = &rs->rules[0];
		CHECK_INT(rs->needs_country, 1);
		CHECK_INT(rs->needs_asn, 1);
		CHECK_INT(r->ngeo, 2);
		CHECK_INT(r->geo[0].side, SIDE_DST);
		CHECK_INT(r->geo[0].neg, 1);
		CHECK_INT(r->geo[0].ncc, 2);
		CHECK_STR(r->geo[0].cc[0], "US");
		CHECK_STR(r->geo[0].cc[1], "DE");
		CHECK_INT(r->geo[1].side, SIDE_SRC);
		CHECK_INT(r->geo[1].neg, 0);
		CHECK_INT(r->nasn, 1);
		CHECK_INT(r->asn[0].side, SIDE_BOTH);
		CHECK_INT(r->asn[0].nasn, 2);
		CHECK_INT(r->asn[0].asn[0], 24940);
		CHECK_INT(r->asn[0].asn[1], 4134);
	}
	rules_free(rs);
	rs = good_at(__LINE__, H "(msg:\"a\"; sid:1; geoip:any,KP;)\n", conly);
	if (rs != NULL) {
		CHECK_INT(rs->needs_country, 1);
		CHECK_INT(rs->needs_asn, 0);
		CHECK_INT(rs->rules[0].geo[0].side, SIDE_EITHER);
	}
	rules_free(rs);
	bad_at(__LINE__, H "(msg:\"a\"; sid:1; asn:dst,1;)\n", conly,
	    "t.rules:1:47: asn: no ASN database loaded (use --geoip-asn)\n");
out:
	geoip_close(both);
	geoip_close(conly);
	rmdbs(dir);
}

static void
test_files(void)
{
	static const char *files[] = { "default.rules", "supermicro.rules",
	    "dell-idrac.rules", "hpe-ilo.rules", "lenovo-xcc.rules",
	    "openbmc.rules" };
	const char *srcdir = getenv("srcdir");
	char path[1024], *buf = NULL;
	size_t len = 0;
	FILE *m;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct ruleset *rs;

		snprintf(path, sizeof(path), "%s/rules/%s",
		    srcdir ? srcdir : ".", files[i]);
		m = open_memstream(&buf, &len);
		rs = rules_load(path, NULL, m);
		fclose(m);
		if (rs == NULL || buf[0] != '\0')
			fprintf(stderr, "%s:\n%s", path, buf);
		CHECK(rs != NULL);
		CHECK_STR(buf, "");
		CHECK(rs == NULL || rs->nrules >= 5);
		rules_free(rs);
		free(buf);
	}
	m = open_memstream(&buf, &len);
	CHECK(rules_load("/nonexistent/x.rules", NULL, m) == NULL);
	fclose(m);
	CHECK_STR(buf, "/nonexistent/x.rules: No such file or directory\n");
	free(buf);
}

/* Mutate good rules at random; the parser must never crash or leak. */
static void
test_mutations(void)
{
	static const char *seed =
	    "var B = [10.0.0.0/8, !10.1.0.0/16, fd00::/8]\n"
	    "portvar P = [80, 1024:2048, !1500]\n"
	    "alert tcp $B $P -> ![$B, 1.2.3.4] [443,8443] (msg:\"x \\\"y\\\"\";"
	    " sid:1; threshold:type limit, track by_src, count 1, seconds 9; "
	    "classtype:bad-unknown; \\\n reference:url,a;)\n"
	    "pass udp any any -> any 123 (msg:\"n\"; sid:2; rev:1;)\n";
	static const char alphabet[] = "[]!,:;()\"\\$#/ \n\t-><0123456789"
	    "abcdefxyzABC.";
	uint32_t rng = 42;
	size_t n = strlen(seed);
	char *buf = malloc(n * 2 + 1);
	char *err;

	for (int iter = 0; iter < 3000; iter++) {
		size_t len = n;

		memcpy(buf, seed, n + 1);
		for (int k = 1 + iter % 4; k > 0; k--) {
			size_t at;

			rng = rng * 1103515245u + 12345u;
			at = (rng >> 8) % len;
			rng = rng * 1103515245u + 12345u;
			switch ((rng >> 16) % 3) {
			case 0:		/* replace */
				buf[at] = alphabet[(rng >> 4) %
				    (sizeof(alphabet) - 1)];
				break;
			case 1:		/* delete */
				memmove(buf + at, buf + at + 1, len - at);
				len--;
				break;
			default:	/* insert */
				memmove(buf + at + 1, buf + at, len - at + 1);
				buf[at] = alphabet[(rng >> 4) %
				    (sizeof(alphabet) - 1)];
				len++;
				break;
			}
		}
		err = load(buf, NULL, NULL);
		/* every message has the file:line:col: shape */
		for (char *l = err; *l; ) {
			char *nl = strchr(l, '\n');
			int line, col;

			CHECK(sscanf(l, "t.rules:%d:%d: ", &line, &col) == 2);
			CHECK(line >= 1 && col >= 1);
			if (nl == NULL)
				break;
			l = nl + 1;
		}
		free(err);
	}
	free(buf);
}

/* Application-layer and beacon options: every error, and what a good
 * rule holds. */
static void
test_app_options(void)
{
	struct ruleset *rs;
	const struct rule *r;

	bad(H "(msg:\"a\"; sid:1; tls.sni:x;)\n", "t.rules:1:55: tls.sni: "
	    "expected a quoted string, found \"x\"\n");
	bad(H "(msg:\"a\"; sid:1; tls.sni:\"x\" y;)\n", "t.rules:1:59: "
	    "tls.sni: expected \",\" after the string\n");
	bad(H "(msg:\"a\"; sid:1; app_proto:ftp;)\n", "t.rules:1:57: "
	    "app_proto: unknown protocol \"ftp\" (dns, tls, http, rmcp, snmp, "
	    "ntp, ssh, syslog, unknown)\n");
	bad(H "(msg:\"a\"; sid:1; ipmi.cipher:18;)\n", "t.rules:1:59: "
	    "ipmi.cipher: expected a cipher suite 0-17 or \"accepted\", found "
	    "\"18\"\n");
	bad(H "(msg:\"a\"; sid:1; ipmi.cipher:accepted;)\n", "t.rules:1:59: "
	    "ipmi.cipher: no cipher suite given\n");
	bad(H "(msg:\"a\"; sid:1; ipmi.auth:rc4;)\n", "t.rules:1:57: "
	    "ipmi.auth: unknown value \"rc4\" (none, md2, md5, password, "
	    "oem)\n");
	bad(H "(msg:\"a\"; sid:1; ipmi.user_enum:5;)\n", "t.rules:1:62: "
	    "ipmi.user_enum: expected COUNT,SECONDS (2-1000 distinct user "
	    "names within 1-86400 seconds)\n");
	bad(H "(msg:\"a\"; sid:1; ntp.mode:8;)\n", "t.rules:1:56: ntp.mode: "
	    "expected a number from 0 to 7, found \"8\"\n");
	bad(H "(msg:\"a\"; sid:1; ntp.anomaly:1;)\n", "t.rules:1:47: option "
	    "\"ntp.anomaly\" takes no value\n");
	bad(H "(msg:\"a\"; sid:1; dns.query;)\n", "t.rules:1:47: option "
	    "\"dns.query\" needs a value\n");
	bad(H "(msg:\"a\"; sid:1; beacon.window:1h;)\n", "t.rules:1:47: "
	    "option \"beacon.window\" is only for beacon rules\n");
	bad("beacon ip any any -> any any (msg:\"b\"; sid:1; "
	    "beacon.window:1y;)\n", "t.rules:1:61: beacon.window: expected a "
	    "duration such as 3600, 90m, 24h or 7d (at most 366d), found "
	    "\"1y\"\n");
	bad("beacon ip any any -> any any (msg:\"b\"; sid:1; "
	    "beacon.keys:flow,dns;)\n", "t.rules:1:59: beacon.keys: unknown "
	    "key \"dns\" (flow, name, burst)\n");
	bad("beacon ip any any -> any any (msg:\"b\"; sid:1; "
	    "beacon.max_jitter:2;)\n", "t.rules:1:65: beacon.max_jitter: "
	    "expected a fraction of the period from 0.01 to 1, found \"2\"\n");
	bad("beacon ip any any -> any any (msg:\"b\"; sid:1; "
	    "beacon.min_events:2;)\n", "t.rules:1:65: beacon.min_events: "
	    "expected a whole number from 3 to 100000, found \"2\"\n");

	rs = good(
	    "alert udp any any -> any any (msg:\"i\"; sid:1; "
	    "ipmi.cipher:0,3,accepted; ipmi.user:!\"ADMIN\",\"\"; "
	    "snmp.community:\"public\"; tls.sni:\"*.a.example\",\"b\";)\n"
	    "beacon ip any any -> any any (msg:\"b\"; sid:2; "
	    "beacon.min_events:12; beacon.max_jitter:0.3; beacon.window:90m; "
	    "beacon.score:0.7; beacon.keys:name, burst; "
	    "beacon.include_passed;)\n");
	if (rs != NULL && rs->nrules == 2) {
		r = &rs->rules[0];
		CHECK_INT(r->napp, 4);
		CHECK(r->finding);
		CHECK(r->needs_name);
		CHECK_INT(r->app[0].kind, AC_IPMI_CIPHER);
		CHECK_INT(r->app[0].nnums, 2);
		CHECK_INT(r->app[0].accepted, 1);
		CHECK_INT(r->app[1].neg, 1);
		CHECK_INT(r->app[1].nstrs, 2);
		CHECK_STR(r->app[1].strs[0], "ADMIN");
		CHECK_STR(r->app[1].strs[1], "");
		CHECK_STR(r->app[3].strs[0], "*.a.example");
		r = &rs->rules[1];
		CHECK_INT(r->action, RA_BEACON);
		CHECK_INT(r->beacon.min_events, 12);
		CHECK(r->beacon.max_jitter > 0.29 && r->beacon.max_jitter < 0.31);
		CHECK_INT(r->beacon.window_s, 5400);
		CHECK_INT(r->beacon.keys, BK_NAME | BK_BURST);
		CHECK_INT(r->beacon.include_passed, 1);
	} else
		CHECK(0);
	rules_free(rs);
}

static void
test_new_peer(void)
{
	struct ruleset *rs;

	bad("pass ip any any -> any any (msg:\"a\"; sid:1; new_peer;)\n",
	    "t.rules:1:45: option \"new_peer\" is only for alert rules\n");
	bad("beacon ip any any -> any any (msg:\"a\"; sid:1; new_peer;)\n",
	    "t.rules:1:47: option \"new_peer\" is only for alert rules\n");
	bad(H "(msg:\"a\"; sid:1; new_peer; new_peer;)\n", "t.rules:1:57: "
	    "option \"new_peer\" given twice\n");
	bad(H "(msg:\"a\"; sid:1; new_peer:1y;)\n", "t.rules:1:56: "
	    "new_peer: expected a learning window like 3600, 90s, 15m, 24h "
	    "or 7d (0 = none), found \"1y\"\n");
	rs = good(H "(msg:\"a\"; sid:1; new_peer;)\n"
	    H "(msg:\"b\"; sid:2; new_peer:36h;)\n"
	    H "(msg:\"c\"; sid:3; new_peer:0;)\n"
	    H "(msg:\"d\"; sid:4;)\n");
	if (rs != NULL && rs->nrules == 4) {
		CHECK_INT(rs->uses_new_peer, 1);
		CHECK_INT(rs->rules[0].new_peer, 1);
		CHECK_INT(rs->rules[0].new_peer_learn_s, 7 * 86400);
		CHECK_INT(rs->rules[1].new_peer_learn_s, 36 * 3600);
		CHECK_INT(rs->rules[2].new_peer, 1);
		CHECK_INT(rs->rules[2].new_peer_learn_s, 0);
		CHECK_INT(rs->rules[3].new_peer, 0);
	} else
		CHECK(0);
	rules_free(rs);
	rs = good(H "(msg:\"d\"; sid:4;)\n");
	CHECK(rs != NULL && rs->uses_new_peer == 0);
	rules_free(rs);
}

int
main(void)
{
	test_new_peer();
	test_errors();
	test_good();
	test_geo();
	test_files();
	test_mutations();
	test_app_options();
	CHECK_DONE();
}
