#!/bin/sh
# --learn in live mode, on a veth pair inside a network namespace this
# test makes (the pattern of e2e-live.sh), the sensor dropped to nobody:
#  - --learn-for 4s: the BMCs' normal traffic replayed, the timer writes
#    the learned rules (flows still open included), the sensor logs it and
#    goes on monitoring: the egress replayed next alerts, and the learned
#    file no longer changes;
#  - no --learn-for: SIGUSR1 writes what was learned so far and SIGTERM
#    the rest (a second replay), merged into the same file: each replay
#    counted once, with as many flows and the same rules as -r.  (The
#    second replay may add a rule by name: the sensor remembers the DNS
#    answers of the first.)
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
need tcpreplay
need tcpdump
need ip
need jq
"$BW_BIN" --help 2>/dev/null | grep -q -- '--learn-for' || skip "no --learn-for"
PCAP=$BW_SRC/pcaps/demo-egress.pcap
NS=bwlearn$$
LPID=

cleanup() {
	[ -n "$LPID" ] && kill -KILL "$LPID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
veth_ns "$NS" || skip "$VETH_WHY"
in_ns() { ip netns exec "$NS" "$@"; }
# every flow the file accounts for: learned, reported and passed-by-policy
flows() {
	sed -n -e 's/^# \(learned\|reported\): .* flows=\([0-9]*\) .*/\2/p' \
		-e 's/^# totals: passed-flows=\([0-9]*\) .*/\1/p' "$1" |
		awk '{ n += $1 } END { print n + 0 }'
}

# (ip netns exec execs: $! is the sensor)
# nobody writes OUT (temp file and rename) in a directory of its own
chmod 755 "$TMP"
mkdir "$TMP/out" && chmod 777 "$TMP/out"
cat >"$TMP/policy.rules" <<'R'
var BMC = [10.50.0.0/16]
var PRIV = [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]
alert ip $BMC any -> !$PRIV any (msg:"BMC to a public address"; sid:2;)
R
chmod 644 "$TMP/policy.rules"
tcpdump -r "$PCAP" -w "$TMP/normal.pcap" 'not host 203.0.113.50 and not host 198.51.100.7' 2>/dev/null
tcpdump -r "$PCAP" -w "$TMP/egress.pcap" 'host 203.0.113.50 or host 198.51.100.7' 2>/dev/null
chmod 644 "$TMP"/*.pcap

# ---- --learn-for: write when the time is up, then go on monitoring
OUT=$TMP/out/learned.rules
ip netns exec "$NS" "$BW_BIN" -i bwv0 -R "$TMP/policy.rules" -o "$TMP/live.json" -u nobody \
	--learn "$OUT" --learn-for 4s 2>"$TMP/err" &
LPID=$!
wait_grep "$TMP/err" "capturing on" || { cat "$TMP/err" >&2; fail "live start"; done_; }
grep -q "learning into $OUT for 4s" "$TMP/err" && ok "says it is learning" || fail "no learning line"
in_ns tcpreplay -q -t -i bwv1 "$TMP/normal.pcap" >/dev/null 2>&1 || fail "tcpreplay"
[ -e "$OUT" ] && fail "written before the time was up" || ok "nothing written while learning"
wait_grep "$TMP/err" "learned for 4s: .* flows merged into $OUT" 80 \
	&& ok "written when --learn-for was over" || { fail "no write after 4 s"; cat "$TMP/err" >&2; }
grep -q "done, monitoring goes on" "$TMP/err" && ok "logged" || fail "no done line"
kill -0 "$LPID" 2>/dev/null && ok "still running" || fail "exited after learning"
grep -q '^pass udp \$BMC any -> .*10\.1\.0\.10.* 123 ' "$OUT" && ok "NTP learned" || { fail "NTP not learned"; cat "$OUT" >&2; }
grep -q '^pass udp \$BMC any -> .*10\.1\.0\.53.* 53 ' "$OUT" && ok "DNS learned" || fail "DNS not learned"
grep -q '^# capture: interface bwv0$' "$OUT" && ok "the interface noted" || fail "no capture line"
[ ! -e "$OUT.tmp" ] && ok "no temp file left" || fail "temp file left"
cksum <"$OUT" >"$TMP/sum1"
# monitoring goes on: the egress alerts, learning does not
in_ns tcpreplay -q -t -i bwv1 "$TMP/egress.pcap" >/dev/null 2>&1 || fail "tcpreplay egress"
sleep 0.5
kill -TERM "$LPID"
wait "$LPID"
expect_eq "SIGTERM: exit status" $? 0
LPID=
expect_eq "egress alerts after learning" \
	"$(jq -r 'select(.event_type=="alert") | .dest_ip' "$TMP/live.json" | sort -u | tr '\n' ' ')" \
	"198.51.100.7 203.0.113.50 "
expect_eq "learned file unchanged after learning" "$(cksum <"$OUT")" "$(cat "$TMP/sum1")"

# ---- until stopped: SIGUSR1 writes a checkpoint, SIGTERM the rest
OUT2=$TMP/out/l2.rules
# (flows time out after 1 s, so they have ended by the checkpoint: a
# count written twice would show)
T1=tcp-new=1,tcp-est=1,tcp-closed=1,udp-new=1,udp-est=1,icmp=1,other=1
ip netns exec "$NS" "$BW_BIN" -i bwv0 -R "$TMP/policy.rules" -o /dev/null -u nobody \
	--timeouts "$T1" --learn "$OUT2" 2>"$TMP/err2" &
LPID=$!
wait_grep "$TMP/err2" "capturing on" || { cat "$TMP/err2" >&2; fail "live start 2"; done_; }
grep -q "learning into $OUT2 until stopped" "$TMP/err2" && ok "learning until stopped" || fail "no until-stopped line"
in_ns tcpreplay -q -t -i bwv1 "$TMP/normal.pcap" >/dev/null 2>&1 || fail "tcpreplay 2"
sleep 3
kill -USR1 "$LPID"
wait_grep "$TMP/err2" "SIGUSR1: .* flows merged into $OUT2" && ok "SIGUSR1 writes" || fail "SIGUSR1 did not write"
grep -q '^# bmcwatch-learn: v1$' "$OUT2" && ok "checkpoint is a learned file" || fail "checkpoint content"
cp "$OUT2" "$TMP/checkpoint.rules"
n1=$(flows "$OUT2")
[ "$n1" -gt 0 ] && ok "checkpoint: $n1 flows" || fail "checkpoint: no flow"
# the same traffic once more, written by SIGTERM (the flush ends it)
in_ns tcpreplay -q -t -i bwv1 "$TMP/normal.pcap" >/dev/null 2>&1 || fail "tcpreplay 3"
sleep 0.5
kill -TERM "$LPID"
wait "$LPID"
expect_eq "SIGTERM: exit status (2)" $? 0
LPID=
grep -q "stopped: .* flows merged into $OUT2" "$TMP/err2" && ok "SIGTERM writes" || fail "SIGTERM did not write"
"$BW_BIN" -r "$TMP/normal.pcap" -R "$TMP/policy.rules" --learn "$TMP/ref.rules" -o /dev/null 2>/dev/null
n=$(flows "$TMP/ref.rules")
[ "$n" -gt 5 ] || fail "reference counts $n flows"
expect_eq "checkpoint: every flow of the first replay" "$n1" "$n"
expect_eq "SIGUSR1 then SIGTERM: each replay's flows counted once" "$(flows "$OUT2")" "$((2 * n))"
expect_eq "checkpoint: the same rules as -r" "$(grep '^pass ' "$TMP/checkpoint.rules" | sed 's/sid:[0-9]*//' | sort)" \
	"$(grep '^pass ' "$TMP/ref.rules" | sed 's/sid:[0-9]*//' | sort)"
done_
