#!/bin/sh
# --learn round trip on the demo capture: learn from the BMCs' normal
# traffic (the capture without the egress hosts), then replay the whole
# capture with the policy plus the learned rules: only the new
# destinations alert.  A second --learn run merges (no duplicate rule).
. "$(dirname "$0")/lib.sh"
need jq
need tcpdump
PCAP=$BW_SRC/pcaps/demo-egress.pcap
cat >"$TMP/base.rules" <<'R'
var BMC = [10.50.0.0/16]
alert ip $BMC any -> any any (msg:"BMC connection not in the allowlist"; sid:1;)
R
# learning runs with the site's vars and its hard alerts (here: the
# public-address rule), not the catch-all that the allowlist will tame
cat >"$TMP/learn-policy.rules" <<'R'
var BMC = [10.50.0.0/16]
var PRIV = [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]
alert ip $BMC any -> !$PRIV any (msg:"BMC to a public address"; sid:2;)
R
tcpdump -r "$PCAP" -w "$TMP/normal.pcap" 'not host 203.0.113.50 and not host 198.51.100.7' 2>/dev/null
"$BW_BIN" -r "$TMP/normal.pcap" -R "$TMP/learn-policy.rules" --learn "$TMP/learned.rules" -o /dev/null 2>"$TMP/err" \
	|| { fail "learn run"; cat "$TMP/err" >&2; }
grep -c '^pass ' "$TMP/learned.rules" >"$TMP/n1"
[ "$(cat "$TMP/n1")" -ge 2 ] && ok "$(cat "$TMP/n1") pass rules learned" || { fail "too few rules"; cat "$TMP/learned.rules" >&2; }
grep -q '^pass udp \$BMC any -> .*10\.1\.0\.10.* 123 ' "$TMP/learned.rules" && ok "NTP learned" || fail "NTP not learned"
grep -q '^pass udp \$BMC any -> .*10\.1\.0\.53.* 53 ' "$TMP/learned.rules" && ok "DNS learned" || fail "DNS not learned"
cat "$TMP/base.rules" "$TMP/learned.rules" >"$TMP/all.rules"
"$BW_BIN" -T -R "$TMP/all.rules" 2>/dev/null; expect_eq "learned rules load" $? 0
"$BW_BIN" -r "$PCAP" -R "$TMP/all.rules" 2>/dev/null |
	jq -r 'select(.event_type=="alert") | .dest_ip' | sort -u | tr '\n' ' ' >"$TMP/dests"
expect_eq "only the new destinations alert" "$(cat "$TMP/dests")" "198.51.100.7 203.0.113.50 "
# a second run on the same capture merges: same rules, counts added
"$BW_BIN" -r "$TMP/normal.pcap" -R "$TMP/learn-policy.rules" --learn "$TMP/learned.rules" -o /dev/null 2>/dev/null
expect_eq "merge: no duplicate rule" "$(grep -c '^pass ' "$TMP/learned.rules")" "$(cat "$TMP/n1")"
# the egress destinations alerted: a learning run over the whole capture
# reports them instead of passing them
"$BW_BIN" -r "$PCAP" -R "$TMP/learn-policy.rules" --learn "$TMP/l2.rules" -o /dev/null 2>/dev/null
grep -q '^# Not passed' "$TMP/l2.rules" && ok "alerted destinations reported" || fail "no report block"
grep -q '^pass .*203\.0\.113\.50' "$TMP/l2.rules" && fail "an alerted destination was passed" || ok "alerted destinations not passed"
done_
