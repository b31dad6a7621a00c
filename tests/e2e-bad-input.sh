#!/bin/sh
# Bad input of every kind: a clear one-line message naming the file,
# the documented exit code, and never a crash.
. "$(dirname "$0")/lib.sh"
PCAP=$BW_SRC/pcaps/demo-egress.pcap
RULES=$BW_SRC/tests/rules/demo.rules
[ -f "$PCAP" ] || skip "no $PCAP"

# crash = killed by a signal (>128) or a sanitizer report
run() {
	"$BW_BIN" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -gt 2 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$TMP/err"; then
		fail "crash (exit $rc) on: $*"; cat "$TMP/err" >&2
	fi
	return $rc
}

# truncated capture: processes what it can, warns, exit 0
size=$(wc -c <"$PCAP")
head -c $((size - 37)) "$PCAP" >"$TMP/trunc.pcap"
run -r "$TMP/trunc.pcap" -R "$RULES"; rc=$?
expect_eq "truncated pcap exit" $rc 0
grep -q "trunc.pcap: capture damaged after packet [0-9]*, stopped reading" "$TMP/err" \
	&& ok "truncated pcap warning" || { fail "truncated warning"; cat "$TMP/err"; }
n=$(grep -c '"event_type":"stats"' "$TMP/out")
expect_eq "stats record after truncated pcap" "$n" 1
grep -q '"files_truncated":1' "$TMP/out" && ok "files_truncated counted" || fail "files_truncated"

# header only, cut in the middle of the first record
head -c 40 "$PCAP" >"$TMP/tiny.pcap"
run -r "$TMP/tiny.pcap" -R "$RULES"; expect_eq "pcap cut in first record exit" $? 0

# not a capture at all: clear error, exit 1
printf 'this is not a pcap file, just text\n' >"$TMP/notpcap.txt"
run -r "$TMP/notpcap.txt" -R "$RULES"; rc=$?
expect_eq "non-pcap exit" $rc 1
grep -q "notpcap.txt: cannot read capture: " "$TMP/err" && ok "non-pcap message" \
	|| { fail "non-pcap message"; cat "$TMP/err"; }
expect_eq "non-pcap message is one line" "$(wc -l <"$TMP/err")" 1

# empty file: a warning, exit 0
: >"$TMP/empty.pcap"
run -r "$TMP/empty.pcap" -R "$RULES"; expect_eq "empty file exit" $? 0
grep -q "empty.pcap: empty file, no packets" "$TMP/err" && ok "empty message" || fail "empty message"

# missing file
run -r "$TMP/does-not-exist.pcap" -R "$RULES"; expect_eq "missing file exit" $? 1
grep -q "does-not-exist.pcap: cannot read capture: " "$TMP/err" && ok "missing message" || fail "missing message"

# a good file after a bad one is still processed
run -r "$TMP/notpcap.txt" -r "$PCAP" -R "$RULES"; expect_eq "bad then good exit" $? 1
grep -q '"event_type":"alert"' "$TMP/out" && ok "good file after bad one processed" || fail "good after bad"

# unsupported link type (DLT 105, IEEE 802.11): named in the message
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\151\000\000\000' >"$TMP/wifi.pcap"
run -r "$TMP/wifi.pcap" -R "$RULES"; expect_eq "unsupported link type exit" $? 1
grep -q "wifi.pcap: unsupported link type 105 (IEEE802_11)" "$TMP/err" && ok "link type named" \
	|| { fail "link type message"; cat "$TMP/err"; }

# a rule file with errors: file:line:col, exit 2, nothing processed
printf 'var BMC = [10.0.0.0/33]\nalert ip $BMC any -> any any (msg:"x"; sid:1; bogus:1;)\n' >"$TMP/bad.rules"
run -r "$PCAP" -R "$TMP/bad.rules"; expect_eq "bad rules exit" $? 2
grep -q "bad.rules:1:" "$TMP/err" && ok "bad rules line 1 reported" || { fail "rules error line 1"; cat "$TMP/err"; }
[ -s "$TMP/out" ] && fail "output written despite bad rules" || ok "no output on bad rules"
run -T -R "$TMP/bad.rules"; expect_eq "-T on bad rules exit" $? 2
run -T -R "$RULES"; expect_eq "-T on good rules exit" $? 0

# usage errors
run; expect_eq "no arguments exit" $? 2
run -r "$PCAP" --max-flows abc; expect_eq "bad --max-flows exit" $? 2
run -r "$PCAP" --timeouts nope=1; expect_eq "bad --timeouts exit" $? 2
run -r "$PCAP" -R "$RULES" -o /nonexistent-dir/eve.json; expect_eq "unwritable output exit" $? 1
done_
