#!/bin/sh
# live-load.sh - a benchmark, not a test: how fast can the live sensor
# take packets from a veth without a single drop, next to
# `tcpdump -w /dev/null` on the same veth with the same kernel buffer.
#
#	sh tests/bench/live-load.sh [PCAP]	(as root, from a build tree)
#
# For each rate in RATES (packets/s) the capture is replayed in a loop
# for about SECS seconds into one end of a veth pair inside a namespace
# this script makes, first with the sensor capturing on the other end,
# then with tcpdump.  A rate counts as "zero drops" when the kernel and
# the interface dropped nothing and every packet sent was handed over.
# --unique-ip makes each loop new flows (set UNIQUE=0 to replay the same
# flows), so the flow table and the rules work as on a busy segment.
#
# Environment: BW_BIN (bmcwatch, whose per-interface counters line at
# exit is read), RULES, RATES, SECS, BUF_MB (kernel ring for both, MB),
# UNIQUE.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${BW_SRC:=$(cd "$here/../.." && pwd)}"
: "${BW_BIN:=$BW_SRC/sensor/bmcwatch}"
: "${RULES:=$BW_SRC/rules/default.rules}"
: "${RATES:=5000 10000 20000 50000 100000 200000 400000 800000}"
: "${SECS:=3}"
: "${BUF_MB:=16}"
: "${UNIQUE:=1}"
PCAP=${1:-$BW_SRC/pcaps/demo-egress.pcap}

[ "$(id -u)" = 0 ] || { echo "live-load: run as root (network namespaces)" >&2; exit 2; }
for t in tcpreplay tcpdump ip; do
	command -v $t >/dev/null 2>&1 || { echo "live-load: $t not installed" >&2; exit 2; }
done
[ -x "$BW_BIN" ] || { echo "live-load: $BW_BIN not built" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/bwload.XXXXXX")
NS=bwload$$
CPID=
cleanup() {
	[ -n "$CPID" ] && kill -KILL "$CPID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$NS"
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1
ip -n "$NS" link add bwv0 type veth peer name bwv1
ip -n "$NS" link set lo up
ip -n "$NS" link set bwv0 up
ip -n "$NS" link set bwv1 up

npkts=$(tcpdump -r "$PCAP" -nn 2>/dev/null | wc -l)
[ "$npkts" -gt 0 ] || { echo "live-load: $PCAP has no packets" >&2; exit 2; }

wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 100 ] && return 1; sleep 0.05
	done
}

# replay RATE: sets SENT and PPS (achieved) from tcpreplay's summary
replay() {
	loops=$(( ($1 * SECS + npkts - 1) / npkts ))
	uniq=; [ "$UNIQUE" = 1 ] && [ "$loops" -gt 1 ] && uniq=--unique-ip
	ip netns exec "$NS" tcpreplay -q -K -i bwv1 --pps="$1" \
		--loop="$loops" $uniq "$PCAP" >"$TMP/tr" 2>&1
	SENT=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$TMP/tr")
	PPS=$(sed -n 's/.*Rated: [0-9.]* Bps, \([0-9.]*\) Mbps, \([0-9.]*\) pps.*/\2/p' "$TMP/tr" | cut -d. -f1)
	MBPS=$(sed -n 's/.*Rated: [0-9.]* Bps, \([0-9.]*\) Mbps.*/\1/p' "$TMP/tr")
}

# run_sensor RATE -> RESULT "got/sent drop"
run_sensor() {
	ip netns exec "$NS" "$BW_BIN" -i bwv0 -R "$RULES" -o /dev/null \
		-B "$BUF_MB" -u nobody 2>"$TMP/s.err" &
	CPID=$!
	wait_for "$TMP/s.err" "capturing on" || { cat "$TMP/s.err" >&2; exit 1; }
	replay "$1"
	sleep 1.5	# past tcpdump's 1 s buffer timeout: nothing left unread
	kill -TERM "$CPID"; wait "$CPID"; CPID=
	# the exit line: split on purpose into got, drop, ifdrop
	# shellcheck disable=SC2046
	set -- $(sed -n 's/^bmcwatch: bwv0: [0-9]* packets received, \([0-9]*\) dropped by kernel, \([0-9]*\) dropped by interface, \([0-9]*\) processed$/\3 \1 \2/p' "$TMP/s.err")
	GOT=${1:-0}; DROP=$(( ${2:-0} + ${3:-0} ))
}

# run_tcpdump RATE
run_tcpdump() {
	ip netns exec "$NS" tcpdump -i bwv0 -nn -q -B $((BUF_MB * 1024)) \
		-w /dev/null 2>"$TMP/t.err" &
	CPID=$!
	wait_for "$TMP/t.err" "listening on" || { cat "$TMP/t.err" >&2; exit 1; }
	replay "$1"
	sleep 1.5	# past tcpdump's 1 s buffer timeout: nothing left unread
	kill -INT "$CPID"; wait "$CPID"; CPID=
	GOT=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$TMP/t.err")
	DROP=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$TMP/t.err")
	GOT=${GOT:-0}; DROP=${DROP:-0}
}

echo "live-load: $PCAP ($npkts packets, loops$( [ "$UNIQUE" = 1 ] && echo " with --unique-ip")), ${SECS}s per step, ${BUF_MB} MB ring, $(nproc) CPUs"
printf '%10s | %10s %8s | %-24s | %-24s\n' "target pps" "sent pps" "Mbps" "bmcwatch got/sent drops" "tcpdump got/sent drops"
best_s=0; best_t=0; done_s=0; done_t=0
for rate in $RATES; do
	s_col=-; t_col=-
	if [ $done_s = 0 ]; then
		run_sensor "$rate"
		s_col="$GOT/$SENT $DROP"
		if [ "$DROP" = 0 ] && [ "$GOT" -ge "$SENT" ]; then
			[ "$PPS" -gt "$best_s" ] && best_s=$PPS
		else
			done_s=1
		fi
		s_pps=$PPS; s_mbps=$MBPS
	fi
	if [ $done_t = 0 ]; then
		run_tcpdump "$rate"
		t_col="$GOT/$SENT $DROP"
		if [ "$DROP" = 0 ] && [ "$GOT" -ge "$SENT" ]; then
			[ "$PPS" -gt "$best_t" ] && best_t=$PPS
		else
			done_t=1
		fi
		s_pps=${s_pps:-$PPS}; s_mbps=${s_mbps:-$MBPS}
	fi
	printf '%10s | %10s %8s | %-24s | %-24s\n' "$rate" "$s_pps" "$s_mbps" "$s_col" "$t_col"
	s_pps=; s_mbps=
	[ $done_s = 1 ] && [ $done_t = 1 ] && break
	# tcpreplay itself stops keeping up: higher targets say nothing more
	[ "${PPS:-0}" -lt $((rate * 8 / 10)) ] && { echo "(tcpreplay reached only $PPS pps: stopping)"; break; }
done
echo "highest rate with zero drops: bmcwatch $best_s pps, tcpdump -w /dev/null $best_t pps"
[ $done_s = 0 ] && [ $done_t = 0 ] &&
	echo "(neither dropped a packet: the limit measured is tcpreplay's, not theirs)"
exit 0
