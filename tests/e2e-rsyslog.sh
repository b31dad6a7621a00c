#!/bin/sh
# Alerts over syslog to a real rsyslogd on 127.0.0.1, through outages.
# Live mode (one process, libevent timers reconnect): N alerts arrive;
# rsyslog stops, M more are spooled; it starts again and they arrive
# without a flush, then K more.  Offline mode: a run with the collector
# down leaves its alerts in the spool, the next run drains them first.
# Then UDP and the local socket.  Every line must arrive exactly once and
# in order: the messages rsyslog parsed out are compared to what was sent.
. "$(dirname "$0")/lib.sh"
RSYSLOGD=$(command -v rsyslogd 2>/dev/null || echo /usr/sbin/rsyslogd)
[ -x "$RSYSLOGD" ] || skip "rsyslogd not installed (Debian package rsyslog)"
DRV=${BW_SYSLOG_DRIVER:-$(dirname "$(dirname "$BW_BIN")")/tests/syslog-driver}
[ -x "$DRV" ] || skip "$DRV not built"
need ss

RS=$TMP/rs
SP=$TMP/spool
mkdir -p "$RS"
RSPID=
DRVPID=
cleanup() {
	[ -n "$DRVPID" ] && kill "$DRVPID" 2>/dev/null
	[ -n "$RSPID" ] && kill "$RSPID" 2>/dev/null && wait "$RSPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

UDPPORT=$("$DRV" -p) || { fail "no free UDP port"; done_; }
# $1: TCP port, 0 = any (rsyslog writes the one it took to $RS/port)
conf() {
	cat >"$RS/rs.conf" <<EOF
global(workDirectory="$RS" maxMessageSize="64k")
module(load="imtcp")
module(load="imudp")
module(load="imuxsock" SysSock.Use="off")
input(type="imtcp" address="127.0.0.1" port="$1" listenPortFileName="$RS/port")
input(type="imudp" address="127.0.0.1" port="$UDPPORT")
input(type="imuxsock" Socket="$RS/log" UseSpecialParser="off"
      ParseHostname="on" IgnoreTimestamp="off" RateLimit.Interval="0")
template(name="msg" type="string" string="%msg%\n")
template(name="fields" type="string"
  string="%pri%|%timereported:::date-rfc3339%|%hostname%|%app-name%|%procid%|%msgid%|%structured-data%\n")
action(type="omfile" file="$RS/msgs.log" template="msg")
action(type="omfile" file="$RS/fields.log" template="fields")
EOF
}
# rsyslog writes the port file only for port 0: on restarts ask ss
listening() {
	[ -S "$RS/log" ] && if [ -n "${PORT:-}" ]; then
		ss -Hltn "sport = :$PORT" | grep -q LISTEN
	else test -s "$RS/port"; fi
}
start_rs() {
	rm -f "$RS/log"
	# 3>&-: it must not hold the driver's input open
	"$RSYSLOGD" -n -f "$RS/rs.conf" -i "$RS/pid" >>"$RS/rsyslogd.out" 2>&1 3>&- &
	RSPID=$!
	wait_until 10 listening ||
		{ fail "rsyslogd did not start"; cat "$RS/rsyslogd.out" >&2; done_; }
	sleep 0.2	# the UDP input has no ready signal
}
stop_rs() {
	kill "$RSPID"; wait "$RSPID" 2>/dev/null; RSPID=
}
arrived() { [ -f "$RS/msgs.log" ] && [ "$(wc -l <"$RS/msgs.log")" -ge "$1" ]; }
# gen FROM TO: EVE alert lines, also appended to the expected output
gen() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (n = a; n <= b; n++)
		printf "{\"timestamp\":\"2026-01-16T17:%02d:%02d.%06d+0000\",\"flow_id\":%d,\"in_iface\":\"veth0\",\"event_type\":\"alert\",\"src_ip\":\"10.50.0.10\",\"src_port\":623,\"dest_ip\":\"10.1.0.40\",\"dest_port\":%d,\"proto\":\"UDP\",\"alert\":{\"action\":\"allowed\",\"gid\":1,\"signature_id\":%d,\"rev\":1,\"signature\":\"BMC test alert %d\",\"category\":\"\",\"severity\":%d}}\n", int(n / 60), n % 60, n * 7, 1000 + n, 40000 + n, 9000 + n % 4, n, n % 4 + 1 }' |
		tee -a "$TMP/sent"
}
stat_is() { tail -1 "$TMP/drv.out" | grep -q "$1"; }

conf 0
start_rs
PORT=$(cat "$RS/port")
conf "$PORT"		# restarts keep the port
URL=tcp://127.0.0.1:$PORT
T0=$(date +%s)

# --- live mode: one process through an outage
mkfifo "$TMP/in"
"$DRV" -l -s "$SP" "$URL" <"$TMP/in" >"$TMP/drv.out" 2>"$TMP/drv.err" &
DRVPID=$!
exec 3>"$TMP/in"
gen 1 20 >&3
wait_until 10 arrived 20 && ok "live: 20 alerts arrive" || fail "live: first 20"
stop_rs
gen 21 35 >&3
echo "#stats" >&3
wait_until 5 stat_is "depth=15 " && ok "live: collector down, 15 spooled" ||
	fail "live: spool: $(tail -1 "$TMP/drv.out")"
start_rs
wait_until 15 arrived 35 && ok "live: reconnected by the timer, spool drained" ||
	fail "live: after restart $(wc -l <"$RS/msgs.log") lines"
gen 36 45 >&3
wait_until 10 arrived 45 && ok "live: 10 more after the outage" || fail "live: last 10"
sleep 0.3
echo "#stats" >&3
wait_until 5 stat_is "sent=45 spooled=15 dropped=0 lost=0 resent=0 reconnects=1 depth=0 connected=1" &&
	ok "live: counters" || fail "live: counters: $(tail -1 "$TMP/drv.out")"
exec 3>&-
wait "$DRVPID"; DRVPID=
expect_eq "live: one log line per outage and one on return" \
	"$(grep -c 'spooling' "$TMP/drv.err") $(grep -c 'connected after' "$TMP/drv.err")" "1 1"

# --- offline: a run with the collector down, the next one drains first
stop_rs
{ gen 46 55; echo "#flush 300"; } | "$DRV" -s "$SP" "$URL" >"$TMP/drv.out" 2>"$TMP/drv.err"
expect_eq "offline: collector down, all spooled" \
	"$(head -1 "$TMP/drv.out") $(tail -1 "$TMP/drv.out" | grep -o 'depth=[0-9]*')" "left 10 depth=10"
start_rs
{ gen 56 60; echo "#flush 5000"; } | "$DRV" -s "$SP" "$URL" >"$TMP/drv.out" 2>"$TMP/drv.err"
expect_eq "offline: next run drains the spool" "$(head -1 "$TMP/drv.out")" "left 0"
wait_until 10 arrived 60 || fail "offline: $(wc -l <"$RS/msgs.log") lines"

# --- UDP and the local socket
{ gen 61 65; echo "#flush 1000"; } | "$DRV" "udp://127.0.0.1:$UDPPORT" >/dev/null
wait_until 10 arrived 65 || fail "udp: $(wc -l <"$RS/msgs.log") lines"
{ gen 66 70; echo "#flush 1000"; } | "$DRV" "unix:$RS/log" >/dev/null
wait_until 10 arrived 70 || fail "unix: $(wc -l <"$RS/msgs.log") lines"

# every alert exactly once, in order, byte for byte
if cmp -s "$TMP/sent" "$RS/msgs.log"; then
	ok "70 alerts arrived once each, in order, unchanged"
else
	fail "received differs from sent:"
	diff "$TMP/sent" "$RS/msgs.log" | head -20 >&2
fi
# rsyslog parsed the RFC 5424 header as meant (first: TCP, last: unix)
H=$(hostname)
expect_eq "header fields (tcp)" "$(head -1 "$RS/fields.log" | cut -d'|' -f1-4,6-7)" \
	"131|2026-01-16T17:00:01.000007+00:00|$H|bmcwatch|alert|-"
expect_eq "header fields (unix)" "$(tail -1 "$RS/fields.log" | cut -d'|' -f1-4,6-7)" \
	"132|2026-01-16T17:01:10.000490+00:00|$H|bmcwatch|alert|-"
expect_eq "severities 1..4 -> crit, err, warning, notice" \
	"$(head -4 "$RS/fields.log" | cut -d'|' -f1 | tr '\n' ' ')" "131 132 133 130 "
echo "took $(($(date +%s) - T0)) s"
done_
