#!/bin/sh
# The issue's collector outage, end to end: bmcwatch captures live on a
# veth in a namespace this test makes and sends its alerts over TCP to a
# real rsyslogd on that namespace's loopback; tcpreplay plays ~150
# alerting flows at a steady pace, rsyslogd is stopped in the middle and
# started again seconds later.  The spool must drain on its own (the
# sensor still running, not by the flush at SIGTERM), and the messages
# rsyslog wrote must be the EVE file's alerts, each once, in order.  The
# sensor's /metrics must show alerts spooled and a reconnect, so the test
# cannot pass if the outage missed the replay.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
need tcpreplay
need ip
need ss
need curl
RSYSLOGD=$(command -v rsyslogd 2>/dev/null || echo /usr/sbin/rsyslogd)
[ -x "$RSYSLOGD" ] || skip "rsyslogd not installed (Debian package rsyslog)"
GEN=$(dirname "$BW_BIN")/../tests/gen-traffic
[ -x "$GEN" ] || skip "gen-traffic not built ($GEN)"
"$BW_BIN" --help 2>/dev/null | grep -q -- '--interface' || skip "no live mode"
RULES=$BW_SRC/tests/rules/demo.rules
NS=bwrs$$
RS=$TMP/rs
LPID=
RSPID=
T0=$(date +%s)

cleanup() {
	[ -n "$LPID" ] && kill -KILL "$LPID" 2>/dev/null
	[ -n "$RSPID" ] && kill -KILL "$RSPID" 2>/dev/null
	[ -n "${RPID:-}" ] && kill -KILL "$RPID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
veth_ns "$NS" || skip "$VETH_WHY"
in_ns() { ip netns exec "$NS" "$@"; }

# ~150 UDP flows from a BMC to the Internet, one a second in packet time
# (tcpreplay --pps sets the pace): each is an alert of sid 1000 at its
# first packet
"$GEN" -o "$TMP/many.pcap" -s 7 -d 155 \
	-b udp,period=1,jitter=0,src=10.50.0.10,dst=203.0.113.5,port=9999 ||
	{ fail "gen-traffic"; done_; }

# rsyslogd in the namespace, as tests/e2e-rsyslog.sh runs it: TCP only
mkdir -p "$RS"
conf() {
	cat >"$RS/rs.conf" <<EOF
global(workDirectory="$RS" maxMessageSize="64k")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="$1" listenPortFileName="$RS/port")
template(name="msg" type="string" string="%msg%\n")
action(type="omfile" file="$RS/msgs.log" template="msg")
EOF
}
# rsyslog writes the port file only for port 0: on the restart ask ss
listening() {
	if [ -n "${PORT:-}" ]; then
		in_ns ss -Hltn "sport = :$PORT" | grep -q LISTEN
	else test -s "$RS/port"; fi
}
start_rs() {
	# ip netns exec execs: $! is rsyslogd itself (not via in_ns, whose
	# subshell would be the pid)
	ip netns exec "$NS" "$RSYSLOGD" -n -f "$RS/rs.conf" -i "$RS/pid" \
		>>"$RS/out" 2>&1 &
	RSPID=$!
	wait_until 10 listening ||
		{ fail "rsyslogd did not start"; cat "$RS/out" >&2; done_; }
}
conf 0
PORT=
start_rs
PORT=$(cat "$RS/port")
conf "$PORT"		# the restart keeps the port

# the sensor, dropped to nobody: the spool directory must be its own
chmod 755 "$TMP"
mkdir "$TMP/spool" && chown nobody "$TMP/spool"
ip netns exec "$NS" "$BW_BIN" -i bwv0 -R "$RULES" -o "$TMP/eve.json" -u nobody \
	--syslog "tcp://127.0.0.1:$PORT" --spool-dir "$TMP/spool" \
	--http 127.0.0.1:0 2>"$TMP/err" &
LPID=$!
wait_until 10 grep -q "capturing on" "$TMP/err" ||
	{ fail "bmcwatch did not start"; cat "$TMP/err" >&2; done_; }
HPORT=$(sed -n 's/.*metrics on port \([0-9]*\).*/\1/p' "$TMP/err")
metrics() { in_ns curl -s "http://127.0.0.1:$HPORT/metrics" >"$TMP/metrics"; }
metric() { sed -n "s/^$1 //p" "$TMP/metrics"; }
alerts() { grep -c '"event_type":"alert"' "$TMP/eve.json"; }
have_alerts() { [ "$(alerts)" -ge "$1" ]; }
arrived() { [ -f "$RS/msgs.log" ] && [ "$(wc -l <"$RS/msgs.log")" -ge "$1" ]; }

# 10 flows a second: about 16 s; the outage from ~4 s to ~9 s
ip netns exec "$NS" tcpreplay -q --pps 20 -i bwv1 "$TMP/many.pcap" >"$TMP/replay" 2>&1 &
RPID=$!
wait_until 10 have_alerts 30 || fail "no alerts in the first seconds"
kill "$RSPID"; wait "$RSPID" 2>/dev/null; RSPID=
before=$(alerts)
ok "rsyslogd stopped after $before alerts"
sleep 5
during=$(alerts)
metrics
spooled=$(metric bmcwatch_syslog_spool_messages)
[ "${spooled:-0}" -gt 0 ] && ok "collector down: $spooled alerts in the spool" ||
	fail "nothing in the spool during the outage ($spooled)"
start_rs
ok "rsyslogd started again after $((during - before)) alerts of the outage"
wait "$RPID" || fail "tcpreplay: $(cat "$TMP/replay")"
RPID=
sleep 0.5
total=$(alerts)
[ "$total" -gt "$during" ] && ok "alerts after the outage ($((total - during)))" ||
	fail "the replay ended within the outage ($total alerts)"
# the sensor reconnects by timer (backoff up to 8 s here) and drains
wait_until 30 arrived "$total" && ok "spool drained while running" ||
	fail "only $(wc -l <"$RS/msgs.log") of $total alerts arrived before SIGTERM"
metrics
expect_eq "metrics: spool empty, nothing lost or dropped, no write errors" \
	"$(metric bmcwatch_syslog_spool_messages) $(metric bmcwatch_syslog_lost_total) $(metric bmcwatch_syslog_dropped_total) $(metric bmcwatch_syslog_spool_write_errors_total)" "0 0 0 0"
[ "$(metric bmcwatch_syslog_spooled_total)" -gt 0 ] &&
	[ "$(metric bmcwatch_syslog_reconnects_total)" -ge 1 ] &&
	ok "metrics: $(metric bmcwatch_syslog_spooled_total) spooled, $(metric bmcwatch_syslog_reconnects_total) reconnect(s)" ||
	fail "metrics do not show the outage: $(grep syslog "$TMP/metrics")"
expect_eq "metrics: every alert delivered" "$(metric bmcwatch_syslog_sent_total)" "$total"
grep -q "spooling, retrying" "$TMP/err" && grep -q "connected after" "$TMP/err" &&
	ok "outage and return logged" || fail "log lines: $(cat "$TMP/err")"

kill -TERM "$LPID"; wait "$LPID"
expect_eq "SIGTERM: exit status" $? 0
LPID=
sleep 0.3
kill "$RSPID"; wait "$RSPID" 2>/dev/null; RSPID=

# exactly once, in order: rsyslog's messages are the EVE alert lines
# (rsyslog keeps the space after the header in %msg%)
grep '"event_type":"alert"' "$TMP/eve.json" >"$TMP/sent"
sed 's/^ //' "$RS/msgs.log" >"$TMP/got"
expect_eq "alerts in EVE" "$(wc -l <"$TMP/sent")" "$total"
if cmp -s "$TMP/sent" "$TMP/got"; then
	ok "$total alerts arrived once each, in order, unchanged"
else
	fail "rsyslog's messages differ from the EVE alerts:"
	echo "missing: $(sort "$TMP/sent" | comm -23 - "$(sort "$TMP/got" >"$TMP/got.s"; echo "$TMP/got.s")" | wc -l)" \
		"duplicated: $(sort "$TMP/got" | uniq -d | wc -l)" >&2
	diff "$TMP/sent" "$TMP/got" | head -10 >&2
fi
echo "took $(($(date +%s) - T0)) s"
done_
