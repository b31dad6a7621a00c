#!/bin/sh
# Every capture in ../shared/pcaps (link types, malformed packets, real
# malware traffic) replays without a crash, a hang or a sanitizer report,
# and produces well-formed JSON lines.
. "$(dirname "$0")/lib.sh"
[ -d "$SHARED/pcaps" ] || skip "no $SHARED/pcaps"
need jq
RULES=$BW_SRC/rules/default.rules
n=0
for f in "$SHARED"/pcaps/*.pcap* "$SHARED"/pcaps/*/*.pcap*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	timeout 60 "$BW_BIN" -r "$f" -R "$RULES" --flows >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -gt 1 ] || grep -q -e Sanitizer -e 'runtime error' "$TMP/err"; then
		fail "$(basename "$f"): exit $rc"; head -5 "$TMP/err" >&2
		continue
	fi
	if ! jq -c . "$TMP/out" >/dev/null 2>&1; then
		fail "$(basename "$f"): output is not JSON lines"
		continue
	fi
	# a file libpcap can read must end with exactly one stats record
	if [ $rc -eq 0 ]; then
		s=$(grep -c '"event_type":"stats"' "$TMP/out")
		[ "$s" = 1 ] || fail "$(basename "$f"): $s stats records"
	fi
done
echo "$n captures replayed"
[ $n -gt 0 ] || fail "no captures found"
done_
