#!/bin/sh
# bmcwatch -r ... --syslog tcp://127.0.0.1:PORT delivers every alert to a
# real rsyslogd as RFC 5424 with the EVE JSON as the message; with the
# collector down the alerts wait in --spool-dir and the next run delivers
# them first, each once.
. "$(dirname "$0")/lib.sh"
need jq
RSYSLOGD=$(command -v rsyslogd 2>/dev/null || echo /usr/sbin/rsyslogd)
[ -x "$RSYSLOGD" ] || skip "rsyslogd not installed (Debian package rsyslog)"
RS=$TMP/rs
mkdir -p "$RS"
RSPID=
trap '[ -n "$RSPID" ] && kill $RSPID 2>/dev/null; rm -rf "$TMP"' EXIT
cat >"$RS/rs.conf" <<C
global(workDirectory="$RS" maxMessageSize="64k")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="$RS/port")
template(name="msg" type="string" string="%msg%\n")
action(type="omfile" file="$RS/msgs.log" template="msg")
C
start() {
	rm -f "$RS/port"
	"$RSYSLOGD" -n -f "$RS/rs.conf" -i "$RS/pid" >"$RS/out" 2>&1 &
	RSPID=$!
	n=50; while [ ! -s "$RS/port" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -s "$RS/port" ] || { fail "rsyslogd did not start"; cat "$RS/out" >&2; done_; }
	PORT=$(cat "$RS/port")
}
start
PCAP=$BW_SRC/pcaps/demo-egress.pcap
RULES=$BW_SRC/tests/rules/demo.rules
"$BW_BIN" -r "$PCAP" -R "$RULES" --syslog "tcp://127.0.0.1:$PORT" -o "$TMP/eve.json" 2>"$TMP/err" \
	|| { fail "replay exit"; cat "$TMP/err" >&2; }
want=$(grep -c '"event_type":"alert"' "$TMP/eve.json")
n=50; while [ "$(wc -l <"$RS/msgs.log" 2>/dev/null || echo 0)" -lt "$want" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
expect_eq "every alert arrived" "$(wc -l <"$RS/msgs.log")" "$want"
grep '"event_type":"alert"' "$TMP/eve.json" | sed 's/^ *//' >"$TMP/sent"
sed 's/^ *//' "$RS/msgs.log" >"$TMP/got"
cmp -s "$TMP/sent" "$TMP/got" && ok "messages are the EVE lines, in order" || { fail "messages differ"; diff "$TMP/sent" "$TMP/got" | head >&2; }

# collector down: spooled; next run (collector back) delivers them first
kill "$RSPID"; wait "$RSPID" 2>/dev/null; RSPID=
"$BW_BIN" -r "$PCAP" -R "$RULES" --syslog "tcp://127.0.0.1:$PORT" --spool-dir "$TMP/spool" -o /dev/null 2>"$TMP/err2"
grep -q "alerts left in the syslog spool $TMP/spool" "$TMP/err2" && ok "outage reported" || { fail "no spool message"; cat "$TMP/err2" >&2; }
: >"$RS/msgs.log"
start
"$BW_BIN" -r "$PCAP" -R "$RULES" --syslog "tcp://127.0.0.1:$PORT" --spool-dir "$TMP/spool" -o /dev/null 2>/dev/null
n=50; while [ "$(wc -l <"$RS/msgs.log")" -lt $((want * 2)) ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
expect_eq "spooled and new alerts, each once" "$(wc -l <"$RS/msgs.log")" $((want * 2))
done_
