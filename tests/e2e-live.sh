#!/bin/sh
# Live capture on a veth pair inside a network namespace this test makes:
# the demo capture replayed into one end with tcpreplay at its own pace
# gives the same alerts (initiator, responder, port, sid) as `-r` on the
# file; the process runs as nobody with no capability left; /health and
# /metrics answer; a link taken down turns /health to 503; SIGUSR1 writes
# a stats record; SIGTERM flushes the flows and exits 0; -D detaches with
# a pidfile that a second instance respects.
#
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
need tcpreplay
need ip
need jq
PCAP=$BW_SRC/pcaps/demo-egress.pcap
RULES=$BW_SRC/tests/rules/demo.rules
NS=bwlive$$
LPID=

cleanup() {
	[ -n "$LPID" ] && kill -KILL "$LPID" 2>/dev/null
	[ -f "$TMP/d.pid" ] && [ -s "$TMP/d.pid" ] && kill -KILL "$(cat "$TMP/d.pid")" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
veth_ns "$NS" || skip "$VETH_WHY"
in_ns() { ip netns exec "$NS" "$@"; }
http() { in_ns curl -s -o "$TMP/body" -w '%{http_code}' "http://127.0.0.1:$PORT$1"; }
alerts() {
	jq -r 'select(.event_type=="alert") | [.src_ip, .dest_ip,
	    (.dest_port|tostring), .proto, (.alert.signature_id|tostring)] |
	    join(" ")' "$1" | sort
}

# a copy of the rules that the dropped user can read, to edit for SIGHUP
chmod 755 "$TMP"
cp "$RULES" "$TMP/live.rules" && chmod 644 "$TMP/live.rules"
RULES_ORIG=$RULES
RULES=$TMP/live.rules

# ---- foreground, dropped to nobody (ip netns exec execs: $! is the sensor)
ip netns exec "$NS" "$BW_BIN" -i bwv0 -R "$RULES" -o "$TMP/live.json" -u nobody \
	--http 127.0.0.1:0 --pidfile "$TMP/fg.pid" 2>"$TMP/err" &
LPID=$!
wait_grep "$TMP/err" "capturing on" || { cat "$TMP/err" >&2; fail "live start"; done_; }
ok "capturing"
expect_eq "pidfile" "$(cat "$TMP/fg.pid")" "$LPID"
expect_eq "uid after start" "$(awk '/^Uid:/ {print $2 $3 $4 $5}' /proc/$LPID/status)" \
	"$(id -u nobody)$(id -u nobody)$(id -u nobody)$(id -u nobody)"
expect_eq "gid after start" "$(awk '/^Gid:/ {print $2}' /proc/$LPID/status)" "$(id -g nobody)"
expect_eq "no capability left" "$(awk '/^CapEff:/ {print $2}' /proc/$LPID/status)" 0000000000000000
expect_eq "no permitted capability" "$(awk '/^CapPrm:/ {print $2}' /proc/$LPID/status)" 0000000000000000

PORT=$(sed -n 's/.*metrics on port \([0-9]*\).*/\1/p' "$TMP/err")
if command -v curl >/dev/null 2>&1 && [ -n "$PORT" ]; then
	expect_eq "/health while capturing" "$(http /health)" 200
	expect_eq "/health body" "$(jq -r .status "$TMP/body")" ok
else
	echo "SKIP: /health and /metrics (no curl or no --http)"
	PORT=
fi

# the capture at its own pace (about 14 s): wall-clock timing as on the wire
in_ns tcpreplay -q -i bwv1 "$PCAP" >"$TMP/replay" 2>&1 || fail "tcpreplay"
sleep 0.5

if [ -n "$PORT" ]; then
	expect_eq "/metrics" "$(http /metrics)" 200
	expect_eq "packets in /metrics" \
		"$(sed -n 's/^bmcwatch_packets_total //p' "$TMP/body")" 112
	expect_eq "alerts by sid in /metrics" \
		"$(sed -n 's/^bmcwatch_alerts_by_sid_total{sid="1000"} //p' "$TMP/body")" 3
	expect_eq "no kernel drops" \
		"$(sed -n 's/^bmcwatch_capture_kernel_drops_total{interface="bwv0"} //p' "$TMP/body")" 0
	# a link taken down is a failed capture, and coming back a healthy one
	ip -n "$NS" link set bwv0 down
	sleep 1.5
	expect_eq "/health with the link down" "$(http /health)" 503
	# the timer's words, or libpcap's if it saw it first
	jq -r .reason "$TMP/body" | grep -Eq '^bwv0: (link is|The interface went) down$' &&
		ok "/health reason" || fail "/health reason: $(cat "$TMP/body")"
	ip -n "$NS" link set bwv0 up
	sleep 1.5
	expect_eq "/health with the link up again" "$(http /health)" 200
	expect_eq "unknown path" "$(http /nope)" 404
fi

n0=$(grep -c '"event_type":"stats"' "$TMP/live.json")
kill -USR1 "$LPID"
sleep 0.3
expect_eq "SIGUSR1 writes a stats record" \
	"$(grep -c '"event_type":"stats"' "$TMP/live.json")" $((n0 + 1))
# metric NAME: its value in the last /metrics answer
metric() { sed -n "s/^$1 //p" "$TMP/body"; }
if [ -n "$PORT" ]; then
	http /metrics >/dev/null
	expect_eq "rule-set generation at start" "$(metric bmcwatch_ruleset_generation)" 1
	LOAD0=$(metric bmcwatch_rules_last_load_timestamp_seconds)
	# loaded before the capture started, so within the last minute
	awk -v t="$LOAD0" -v now="$(date +%s)" 'BEGIN { exit !(t > now - 60 && t <= now) }' &&
		ok "last load timestamp ($LOAD0)" || fail "last load timestamp: '$LOAD0'"
	awk -v s="$(metric bmcwatch_rules_load_seconds)" 'BEGIN { exit !(s > 0 && s < 5) }' &&
		ok "rule load time ($(metric bmcwatch_rules_load_seconds) s)" ||
		fail "rule load time: '$(metric bmcwatch_rules_load_seconds)'"
fi
# SIGHUP: a broken rule file is refused with file:line:col and the old
# rules keep running; a good one is loaded
printf 'alert ip any any -> any any (msg:"x"; sid:1; bogus:1;)\n' >"$TMP/live.rules"
kill -HUP "$LPID"
wait_grep "$TMP/err" "reload failed" && ok "broken rules refused" || fail "no reload failure"
grep -q "live.rules:1:[0-9]*: unknown option" "$TMP/err" && ok "reload error names file:line:col" \
	|| fail "reload error message"
kill -0 "$LPID" 2>/dev/null && ok "still running after a broken reload" || fail "died on a broken reload"
if [ -n "$PORT" ]; then
	http /metrics >/dev/null
	expect_eq "a refused reload is counted" \
		"$(metric bmcwatch_rules_reload_failures_total) $(metric bmcwatch_ruleset_generation)" "1 1"
	expect_eq "the old set's load time stays" \
		"$(metric bmcwatch_rules_last_load_timestamp_seconds)" "$LOAD0"
fi
sleep 1		# a later timestamp for the good reload
cp "$RULES_ORIG" "$TMP/live.rules"
kill -HUP "$LPID"
wait_grep "$TMP/err" "bmcwatch: reloaded" && ok "good rules reloaded" || fail "no reload"
if [ -n "$PORT" ]; then
	http /metrics >/dev/null
	expect_eq "generation after a good reload" "$(metric bmcwatch_ruleset_generation)" 2
	awk -v a="$LOAD0" -v b="$(metric bmcwatch_rules_last_load_timestamp_seconds)" \
		'BEGIN { exit !(b >= a + 1) }' && ok "last load timestamp moved" ||
		fail "last load timestamp after reload: $(metric bmcwatch_rules_last_load_timestamp_seconds)"
fi
kill -TERM "$LPID"
wait "$LPID"
expect_eq "SIGTERM: exit status" $? 0
LPID=
# the capture's counters at exit: the replay's 112 frames, none dropped
expect_eq "counters at exit" \
	"$(grep '^bmcwatch: bwv0: [0-9]* packets received' "$TMP/err" | sed 's/[0-9]* processed$/N processed/')" \
	"bmcwatch: bwv0: 112 packets received, 0 dropped by kernel, 0 dropped by interface, N processed"
# the pidfile is removed, or emptied where nobody may not unlink it
[ ! -s "$TMP/fg.pid" ] && ok "pidfile released" || fail "pidfile still names a pid"

alerts "$TMP/live.json" >"$TMP/live.alerts"
"$BW_BIN" -r "$PCAP" -R "$RULES" >"$TMP/replay.json" 2>/dev/null || fail "replay"
alerts "$TMP/replay.json" >"$TMP/replay.alerts"
[ -s "$TMP/replay.alerts" ] || fail "the replay gave no alert"
if cmp -s "$TMP/live.alerts" "$TMP/replay.alerts"; then
	ok "live alerts equal the replay's ($(wc -l <"$TMP/live.alerts"))"
else
	fail "live alerts differ from -r"
	diff "$TMP/replay.alerts" "$TMP/live.alerts" >&2
fi

# ---- a burst of many read batches, then silence: read to the last packet
if [ -n "$PORT" ]; then
	ip netns exec "$NS" "$BW_BIN" -i bwv0 -R "$RULES" -o /dev/null \
		-u nobody --http 127.0.0.1:0 2>"$TMP/berr" &
	LPID=$!
	wait_grep "$TMP/berr" "capturing on" || fail "burst: start"
	PORT=$(sed -n 's/.*metrics on port \([0-9]*\).*/\1/p' "$TMP/berr")
	in_ns tcpreplay -q -K -t -l 100 -i bwv1 "$PCAP" >/dev/null 2>&1
	sleep 0.5
	http /metrics >/dev/null
	expect_eq "burst: every packet read" \
		"$(sed -n 's/^bmcwatch_packets_total //p' "$TMP/body")" 11200
	kill -TERM "$LPID"; wait "$LPID"; LPID=
fi

# ---- threshold counters survive SIGHUP: "limit 2 per hour" gives 2
# alerts over two replays of new flows with a reload between (a reset
# would give 4); changing the threshold starts its count again
GEN=$(dirname "$BW_BIN")/../tests/gen-traffic
if [ -x "$GEN" ]; then
	for seed in 1 2 3; do	# 5 UDP flows each, other source ports per seed
		"$GEN" -o "$TMP/thr$seed.pcap" -s $seed -d 10 \
			-b udp,period=1,jitter=0,src=10.50.0.10,dst=203.0.113.5,port=9999 ||
			fail "gen-traffic"
	done
	thr_rules() {
		printf '%s\n' 'alert udp 10.50.0.0/16 any -> any 9999 (msg:"limited"; sid:7000; threshold:type limit, track by_rule, count '"$1"', seconds 3600;)' \
			'alert udp 10.50.0.0/16 any -> any 9999 (msg:"every"; sid:7001;)' >"$TMP/thr.rules"
	}
	thr_rules 2
	ip netns exec "$NS" "$BW_BIN" -i bwv0 -R "$TMP/thr.rules" -o "$TMP/thr.json" \
		-u nobody 2>"$TMP/terr" &
	LPID=$!
	wait_grep "$TMP/terr" "capturing on" || fail "threshold: start"
	# count SID: its alerts so far (UDP flows alert once the flow ends,
	# or at the latest after a few packets: SIGTERM flushes at the end)
	count() { grep -c "\"signature_id\":$1," "$TMP/thr.json"; }
	in_ns tcpreplay -q --pps 50 -i bwv1 "$TMP/thr1.pcap" >/dev/null 2>&1
	kill -HUP "$LPID"
	wait_grep "$TMP/terr" "bmcwatch: reloaded" || fail "threshold: reload 1"
	in_ns tcpreplay -q --pps 50 -i bwv1 "$TMP/thr2.pcap" >/dev/null 2>&1
	thr_rules 3
	kill -HUP "$LPID"
	i=0; while [ "$(grep -c 'bmcwatch: reloaded' "$TMP/terr")" -lt 2 ] && [ $i -lt 50 ]; do
		i=$((i + 1)); sleep 0.1; done
	in_ns tcpreplay -q --pps 50 -i bwv1 "$TMP/thr3.pcap" >/dev/null 2>&1
	sleep 0.3
	kill -TERM "$LPID"; wait "$LPID"; LPID=
	expect_eq "threshold: every flow seen (sid 7001)" "$(count 7001)" 15
	expect_eq "threshold: limit kept through SIGHUP, restarted when changed (sid 7000)" \
		"$(count 7000)" 5
else
	echo "SKIP: threshold through SIGHUP (gen-traffic not built)"
fi

# ---- -D: the parent returns once the daemon runs; one instance per pidfile
in_ns "$BW_BIN" -i bwv0 -R "$RULES" -o "$TMP/d.json" -u nobody -D \
	--pidfile "$TMP/d.pid" 2>"$TMP/derr"
expect_eq "-D: parent exit status" $? 0
DPID=$(cat "$TMP/d.pid")
[ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null && ok "-D: daemon $DPID runs" || fail "-D: no daemon"
expect_eq "-D: own session" "$(ps -o sid= -p "$DPID" | tr -d ' ')" "$DPID"
in_ns "$BW_BIN" -i bwv0 -R "$RULES" -o /dev/null -u nobody -D --pidfile "$TMP/d.pid" 2>"$TMP/derr2"
expect_eq "second instance refused" $? 1
grep -q "already running (pid $DPID)" "$TMP/derr2" && ok "names the running pid" ||
	{ fail "second instance message"; cat "$TMP/derr2" >&2; }
in_ns "$BW_BIN" -i bwv0 -R "$RULES" -o /dev/null -u no-such-user-bw -D 2>"$TMP/derr3"
expect_eq "-D with a bad user fails on the terminal" $? 1
grep -q "no-such-user-bw: no such user" "$TMP/derr3" && ok "bad user message" || fail "bad user message"
kill -TERM "$DPID"
i=0; while kill -0 "$DPID" 2>/dev/null && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
kill -0 "$DPID" 2>/dev/null && fail "-D: daemon still running after SIGTERM" || ok "-D: SIGTERM stops the daemon"
grep -q '"event_type":"stats"' "$TMP/d.json" && ok "-D: flushed on stop" || fail "-D: no final stats"

# ---- refusals, on the terminal, with status 1
in_ns "$BW_BIN" -i bwv0 -R "$RULES" -o /dev/null 2>"$TMP/e1"
expect_eq "root without -u refused" $? 1
grep -q "refusing to keep running as root" "$TMP/e1" && ok "says why" || fail "root refusal message"
in_ns "$BW_BIN" -i nosuch0 -R "$RULES" -o /dev/null -u nobody 2>"$TMP/e2"
expect_eq "unknown interface" "$(cat "$TMP/e2")" "bmcwatch: nosuch0: cannot capture: no such interface"
in_ns "$BW_BIN" -i bwv0 -f "tcp port" -R "$RULES" -o /dev/null -u nobody 2>"$TMP/e3"
grep -q "bwv0: -f 'tcp port': .*syntax error" "$TMP/e3" && ok "bad filter names the interface" ||
	{ fail "bad filter message"; cat "$TMP/e3" >&2; }
done_
