#!/bin/sh
# beacon-grid.sh - the beacon detector end to end: gen-traffic writes one
# capture per grid cell (period x jitter x missed beats), each holding a
# TLS, a UDP, a DNS, an ICMP and an in-connection beacon from five BMCs,
# plus benign NTP/SNMP/Redfish polling and random traffic from other BMCs.
# bmcwatch replays each with a beacon rule; its beacon alerts are matched
# against the labels.  Prints the detection table; fails on a missed
# beacon or a false alarm.  Skips (77) while bmcwatch does not accept
# beacon rules or gen-traffic is not built.
#   BW_GEN=path/to/gen-traffic  BEACON_GRID_SEEDS="1 2 3"  to vary
. "$(dirname "$0")/lib.sh"
need jq
GEN=${BW_GEN:-$(dirname "$BW_BIN")/../tests/gen-traffic}
[ -x "$GEN" ] || skip "gen-traffic not built ($GEN)"
[ -x "$BW_BIN" ] || skip "no bmcwatch binary ($BW_BIN)"

cat >"$TMP/beacon.rules" <<'R'
var BMC = [10.50.0.0/16]
pass udp $BMC any -> [10.1.0.10] 123 (msg:"NTP to the site servers"; sid:100;)
beacon ip $BMC any -> any any (msg:"Periodic callback from BMC"; sid:2000;)
R
"$BW_BIN" -T -R "$TMP/beacon.rules" >/dev/null 2>&1 ||
	skip "bmcwatch does not accept beacon rules yet"
# a clockwork beacon any integration must report
"$GEN" -o "$TMP/probe.pcap" -d 1300 -b tcp,period=60 || fail "gen-traffic probe"
"$BW_BIN" -r "$TMP/probe.pcap" -R "$TMP/beacon.rules" 2>/dev/null |
	jq -c 'select(.event_type=="alert" and .beacon != null)' | grep -q . ||
	skip "bmcwatch raises no beacon alerts yet"

SEEDS=${BEACON_GRID_SEEDS:-1}
KINDS="tcp udp dns icmp conn"
printf '%-6s %-12s %-5s %-4s' period jitter miss seed
for k in $KINDS; do printf ' %-5s' "$k"; done
printf ' %s\n' "false-alarms"
for seed in $SEEDS; do
for period in 60 300; do
for jit in none:0:uniform u20:0.2:uniform u50:0.5:uniform cs50:0.5:onesided; do
for miss in 0 0.2; do
	name=${jit%%:*}; rest=${jit#*:}; j=${rest%%:*}; jk=${rest#*:}
	cell="$TMP/p$period-$name-$miss-$seed"
	# 60 beats: about 48 events after 20% missed beats
	dur=$((period * 60 + 30))
	set --
	for k in $KINDS; do
		set -- "$@" -b "$k,period=$period,jitter=$j,jkind=$jk,miss=$miss,size=200"
	done
	if ! "$GEN" -o "$cell.pcap" -l "$cell.labels" -s "$seed" -d "$dur" \
	    --benign --noise 6 "$@"; then
		fail "gen-traffic ${cell##*/}"
		continue
	fi
	if ! "$BW_BIN" -r "$cell.pcap" -R "$TMP/beacon.rules" -o "$cell.json" \
	    2>"$cell.err"; then
		fail "bmcwatch on ${cell##*/}: $(head -1 "$cell.err")"
		continue
	fi
	# one line per beacon alert: src key dst port proto
	jq -r 'select(.event_type=="alert" and .beacon != null) |
	    [.src_ip, .beacon.key, .dest_ip, (.dest_port // 0 | tostring),
	     (.proto | ascii_downcase)] | join(" ")' "$cell.json" |
	    sort -u >"$cell.alerts"
	jq -r 'select(.label=="beacon") | [.src, .key, .dst, (.port|tostring),
	    .proto, .kind] | join(" ")' "$cell.labels" >"$cell.want"
	printf '%-6s %-12s %-5s %-4s' "$period" "$name" "$miss" "$seed"
	while read -r src key dst port proto kind; do
		# flow and burst keys name the destination.  A DNS beacon
		# is caught by its zone (name key, any alert of that key from
		# that BMC) or by its flows to the resolver (flow key).
		if grep -q "^$src $key $dst " "$cell.alerts" ||
		    { [ "$key" = name ] && grep -q -e "^$src name " \
		    -e "^$src flow $dst $port " "$cell.alerts"; }
		then
			printf ' %-5s' yes
		else
			printf ' %-5s' NO
			echo "missed $kind beacon in ${cell##*/}" >>"$TMP/errs"
		fi
	done <"$cell.want"
	fa=0
	while read -r src key dst port proto; do
		grep -q "^$src " "$cell.want" && continue
		fa=$((fa + 1))
		echo "false alarm in ${cell##*/}: $src $key $dst $port $proto" \
		    >>"$TMP/errs"
	done <"$cell.alerts"
	printf ' %s\n' "$fa"
done
done
done
done
if [ -s "$TMP/errs" ]; then
	while read -r line; do fail "$line"; done <"$TMP/errs"
fi
done_
