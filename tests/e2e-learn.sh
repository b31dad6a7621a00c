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
# Periodic series: an NTP-like poll every 64 s and a TLS callback every
# 90 s to a private host that no address rule catches.  The learner lists
# both with their period and a guess; with a beacon rule in the learning
# policy the callback raises a beacon alert and is reported, not passed.
GEN=${BW_GEN:-$(dirname "$BW_BIN")/../tests/gen-traffic}
[ -x "$GEN" ] || { fail "no gen-traffic at $GEN"; done_; }
"$GEN" -o "$TMP/per.pcap" -s 21 -d 7200 \
	-b udp,period=64,jitter=0.01,src=10.50.0.11,dst=10.1.0.10,port=123,size=48 \
	-b tcp,period=90,jitter=0.1,src=10.50.0.20,dst=10.9.0.5,port=443,sni=cdn.evil.example \
	>/dev/null || fail "gen-traffic"
# period of the "#   periodic: SRC -> DST ..." line in file $1 for $2
period() { sed -n "s|^#   periodic: $2.* every \([0-9.]*\) s .*|\1|p" "$1" | head -1; }
within() { awk -v p="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(p != "" && p >= lo && p <= hi) }'; }
"$BW_BIN" -r "$TMP/per.pcap" -R "$TMP/learn-policy.rules" --learn "$TMP/p1.rules" -o /dev/null 2>"$TMP/err" \
	|| { fail "learn run (periodic)"; cat "$TMP/err" >&2; }
p=$(period "$TMP/p1.rules" "10.50.0.11 -> 10.1.0.10 udp/123")
within "$p" 63 65 && ok "NTP-like series listed, period $p s" || { fail "NTP period [$p]"; cat "$TMP/p1.rules" >&2; }
grep -q '^#   periodic: 10\.50\.0\.11 -> .*looks like NTP polling (2^6 s)$' "$TMP/p1.rules" \
	&& ok "NTP guess" || fail "no NTP guess"
grep -q '^pass udp \$BMC any -> 10\.1\.0\.10 123 ' "$TMP/p1.rules" && ok "NTP passed" || fail "NTP not passed"
p=$(period "$TMP/p1.rules" "10.50.0.20 -> 10.9.0.5 tcp/443")
within "$p" 85 95 && ok "callback listed, period $p s" || fail "callback period [$p]"
grep -q '^#   periodic: 10\.50\.0\.20 -> .*looks like a beacon: review before passing$' "$TMP/p1.rules" \
	&& ok "callback flagged for review" || fail "callback not flagged"
# the same policy with a beacon rule for TCP callbacks
{ cat "$TMP/learn-policy.rules"
  echo 'beacon tcp $BMC any -> any any (msg:"Periodic TCP callback from a BMC"; sid:3;)'
} >"$TMP/learn-beacon.rules"
"$BW_BIN" -r "$TMP/per.pcap" -R "$TMP/learn-beacon.rules" --learn "$TMP/p2.rules" >"$TMP/p2.json" 2>"$TMP/err" \
	|| { fail "learn run (beacon rule)"; cat "$TMP/err" >&2; }
expect_eq "the beacon rule alerted" \
	"$(jq -r 'select(.event_type=="alert") | "\(.alert.signature_id) \(.dest_ip)"' "$TMP/p2.json" | sort -u)" "3 10.9.0.5"
grep -q '^pass .*\(10\.9\.0\.5\|cdn\.evil\.example\)' "$TMP/p2.rules" \
	&& fail "the beaconing destination was passed" || ok "beaconing destination not passed"
grep -q '^# reported: tcp/443/host=cdn\.evil\.example ' "$TMP/p2.rules" && ok "beacon reported" \
	|| { fail "beacon not reported"; cat "$TMP/p2.rules" >&2; }
p=$(period "$TMP/p2.rules" "10.50.0.20 -> 10.9.0.5 tcp/443")
within "$p" 85 95 && grep -q '^#   periodic: 10\.50\.0\.20 -> .*beacon alert (sid 3), not passed$' "$TMP/p2.rules" \
	&& ok "beacon alert listed, period $p s" || fail "beacon alert line [$p]"
grep -q '^pass udp \$BMC any -> 10\.1\.0\.10 123 ' "$TMP/p2.rules" && ok "NTP still passed" || fail "NTP not passed (beacon rule)"
# a beacon whose alert the rule's own threshold holds back is still a
# beacon: no alert, and still not passed
{ cat "$TMP/learn-policy.rules"
  echo 'beacon tcp $BMC any -> any any (msg:"Periodic TCP callback from a BMC"; threshold:type threshold, track by_src, count 1000, seconds 86400; sid:3;)'
} >"$TMP/learn-beacon-thr.rules"
"$BW_BIN" -r "$TMP/per.pcap" -R "$TMP/learn-beacon-thr.rules" --learn "$TMP/p4.rules" >"$TMP/p4.json" 2>"$TMP/err" \
	|| { fail "learn run (suppressed beacon)"; cat "$TMP/err" >&2; }
expect_eq "suppressed beacon: no alert" "$(jq -r 'select(.event_type=="alert")' "$TMP/p4.json" | wc -l)" 0
expect_eq "suppressed beacon: counted as suppressed" \
	"$(jq -r 'select(.event_type=="stats") | .bmcwatch.alerts_suppressed > 0' "$TMP/p4.json")" true
grep -q '^pass .*\(10\.9\.0\.5\|cdn\.evil\.example\)' "$TMP/p4.rules" \
	&& fail "a suppressed beacon's destination was passed" || ok "suppressed beacon not passed"
# --learn-for with -r: only the first DURATION of packet time is learned.
# The NTP-like series polls every 64 s: in the first 30 minutes, as many
# flows as tcpdump counts NTP requests there.
"$BW_BIN" -r "$TMP/per.pcap" -R "$TMP/learn-policy.rules" --learn "$TMP/p3.rules" --learn-for 30m \
	-o /dev/null 2>"$TMP/err" || { fail "--learn-for run"; cat "$TMP/err" >&2; }
t0=$(tcpdump -tt -n -r "$TMP/per.pcap" 2>/dev/null | head -1 | cut -d' ' -f1)
want=$(tcpdump -tt -n -r "$TMP/per.pcap" 'src host 10.50.0.11 and udp dst port 123' 2>/dev/null |
	awk -v t0="$t0" '$1 - t0 < 1800' | wc -l)
got=$(sed -n 's|^# learned: udp/123/dst=10\.1\.0\.10 sid=[0-9]* flows=\([0-9]*\) .*|\1|p' "$TMP/p3.rules")
[ "$want" -gt 20 ] && [ "$want" -lt 40 ] || fail "tcpdump count $want"
expect_eq "--learn-for 30m: NTP flows of the first 30 min" "$got" "$want"
last=$(sed -n 's|^# seen: first \(.*\), last \(.*\)$|\1 \2|p' "$TMP/p3.rules")
span=$(( $(date -u -d "${last#* }" +%s) - $(date -u -d "${last% *}" +%s) ))
[ "$span" -lt 1800 ] && ok "learned span $span s < 30 min" || fail "learned span $span s"
"$BW_BIN" -r "$TMP/per.pcap" --learn "$TMP/x.rules" --learn-for 5x -o /dev/null 2>"$TMP/err"
expect_eq "bad duration: exit 2" $? 2
grep -q "'5x' is not a duration like 30s, 10m, 12h or 7d" "$TMP/err" && ok "bad duration message" || fail "bad duration message"
"$BW_BIN" -r "$TMP/per.pcap" --learn-for 7d -o /dev/null 2>"$TMP/err"
expect_eq "--learn-for without --learn: exit 2" $? 2
done_
