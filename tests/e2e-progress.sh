#!/bin/sh
# The progress line of a replay: drawn on stderr when it is a terminal
# (script(1) gives it one), erased at the end, never written otherwise,
# and never part of the EVE output.
. "$(dirname "$0")/lib.sh"
need script
pcap=$BW_SRC/pcaps/demo-egress.pcap
rules=$BW_SRC/rules/default.rules
[ -r "$pcap" ] || skip "$pcap missing"
# A replay from a pipe that stalls for 1.5 s between two parts: the line
# is redrawn at most once a second, so it appears only because the second
# part arrives after that second (the stream repeats the packets without
# the 24-byte pcap header; packet times going back are fine).
stream() {
	cat "$pcap"
	sleep 1.5
	tail -c +25 "$pcap"
	tail -c +25 "$pcap"
}
cat >"$TMP/tty.sh" <<EOS
{ cat '$pcap'; sleep 1.5; tail -c +25 '$pcap'; tail -c +25 '$pcap'; } |
    '$BW_BIN' -r - -R '$rules' -o '$TMP/tty.json'
EOS
script -qec "sh $TMP/tty.sh" /dev/null >"$TMP/tty.out" 2>&1 </dev/null ||
	fail "replay under script failed: $(cat "$TMP/tty.out")"
if grep -q 'bmcwatch: (stdin): [0-9]* packets, [0-9]* k packets/s' "$TMP/tty.out"; then
	ok "progress line on a terminal"
else
	fail "no progress line on a terminal: $(cat -v "$TMP/tty.out" | head -c 400)"
fi
# erased at the end: the last thing written is "\r" + clear-to-end-of-line
if [ "$(tail -c 4 "$TMP/tty.out" | od -An -c | tr -d ' \n')" = '\r033[K' ]; then
	ok "progress line erased at the end"
else
	fail "progress line not erased: $(tail -c 20 "$TMP/tty.out" | od -c | head -3)"
fi
# not a terminal: nothing on stderr, even with the same stall
stream | "$BW_BIN" -r - -R "$rules" -o "$TMP/pipe.json" 2>"$TMP/pipe.err" ||
	fail "replay from a pipe failed"
expect_eq "stderr without a terminal" "$(wc -c <"$TMP/pipe.err")" 0
# --no-progress on a terminal: nothing either
cat >"$TMP/np.sh" <<EOS
{ cat '$pcap'; sleep 1.5; tail -c +25 '$pcap'; tail -c +25 '$pcap'; } |
    '$BW_BIN' --no-progress -r - -R '$rules' -o '$TMP/np.json'
EOS
script -qec "sh $TMP/np.sh" /dev/null >"$TMP/np.out" 2>&1 </dev/null ||
	fail "--no-progress replay failed"
expect_eq "--no-progress on a terminal" "$(wc -c <"$TMP/np.out")" 0
# the EVE output does not depend on it
cmp -s "$TMP/tty.json" "$TMP/pipe.json" && cmp -s "$TMP/pipe.json" "$TMP/np.json" &&
	ok "same EVE with and without the line" || fail "EVE differs"
done_
