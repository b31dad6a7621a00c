#!/bin/sh
# The shipped policy's beacon rules on generated, labelled captures: a 2 h
# capture with a 60 s TLS beacon, a DNS-tunnel beacon through the site
# resolver, a ping every 2 min and an in-connection beacon; a 24 h capture
# with a 1 h beacon; benign periodic management traffic (NTP, SNMP and
# Redfish polls) and random traffic never raise a beacon alert.
. "$(dirname "$0")/lib.sh"
need jq
GEN=${BW_GEN:-$(dirname "$BW_BIN")/../tests/gen-traffic}
[ -x "$GEN" ] || skip "no gen-traffic at $GEN"
DEF=$BW_SRC/rules/default.rules

"$GEN" -o "$TMP/2h.pcap" -l "$TMP/2h.jsonl" -s 11 -d 7200 \
	-b tcp,period=60,jitter=0.3,miss=0.1,src=10.50.0.20,dst=203.0.113.5,port=443,sni=cdn.evil.example \
	-b dns,period=60,jitter=0.5,jkind=onesided,src=10.50.0.21,zone=tun.evil.example \
	-b icmp,period=120,src=10.50.0.22,dst=198.51.100.9 \
	-b conn,period=300,jitter=0.2,src=10.50.0.23,dst=203.0.113.7,port=8443 \
	--benign --noise 5 >/dev/null || fail "gen-traffic 2h"
"$BW_BIN" -r "$TMP/2h.pcap" -R "$DEF" >"$TMP/2h.json" 2>"$TMP/err" || { fail "replay"; cat "$TMP/err" >&2; }
got=$(jq -r 'select(.event_type=="alert" and .beacon != null) | "\(.alert.signature_id) \(.src_ip) \(.beacon.key)"' "$TMP/2h.json" | sort -u | tr '\n' ',')
expect_eq "beacons found (rule, BMC, key)" "$got" \
	"2000 10.50.0.20 flow,2000 10.50.0.20 name,2000 10.50.0.22 flow,2000 10.50.0.23 burst,2001 10.50.0.21 name,"
expect_eq "no beacon alert for benign or random hosts" \
	"$(jq -r 'select(.event_type=="alert" and .beacon != null) | .src_ip' "$TMP/2h.json" | grep -v -e 10.50.0.20 -e 10.50.0.21 -e 10.50.0.22 -e 10.50.0.23 | wc -l)" 0
jq -c 'select(.event_type=="alert" and .beacon.key=="flow" and .src_ip=="10.50.0.20")' "$TMP/2h.json" | head -1 >"$TMP/one"
p=$(jq -r '.beacon.period_s' "$TMP/one")
awk -v p="$p" 'BEGIN { exit !(p > 55 && p < 65) }' && ok "60 s beacon: period $p" || fail "period $p"
expect_eq "beacon alert names the SNI" "$(jq -r '.tls.sni' "$TMP/one")" cdn.evil.example
expect_eq "times: one per event" "$(jq -r '.beacon.times | length' "$TMP/one")" "$(jq -r '.beacon.events' "$TMP/one")"
expect_eq "times: the last is the alert's event" \
	"$(jq -r '(.beacon.times[-1] | floor)' "$TMP/one")" \
	"$(jq -r '.timestamp | sub("\\.[0-9]+\\+0000$"; "Z") | fromdateiso8601' "$TMP/one")"
expect_eq "DNS beacon zone" "$(jq -r 'select(.event_type=="alert" and .alert.signature_id==2001) | .beacon.name' "$TMP/2h.json" | sort -u)" evil.example
expect_eq "beacon series in stats" "$(jq -r 'select(.event_type=="stats") | (.bmcwatch.beacon.series > 0)' "$TMP/2h.json")" true

# 24 hours, one call an hour with 20% jitter: found within the day
"$GEN" -o "$TMP/24h.pcap" -s 12 -d 86400 \
	-b tcp,period=3600,jitter=0.2,src=10.50.0.30,dst=203.0.113.40,port=443,sni=t.evil.example \
	--benign >/dev/null || fail "gen-traffic 24h"
"$BW_BIN" -r "$TMP/24h.pcap" -R "$DEF" >"$TMP/24h.json" 2>/dev/null
n=$(jq -r 'select(.event_type=="alert" and .beacon.key=="flow" and .src_ip=="10.50.0.30") | .beacon.events' "$TMP/24h.json" | head -1)
[ -n "$n" ] && [ "$n" -ge 8 ] && ok "1 h beacon found at event $n" || fail "1 h beacon not found ($n)"
expect_eq "24 h: no other beacon alert" \
	"$(jq -r 'select(.event_type=="alert" and .beacon != null) | .src_ip' "$TMP/24h.json" | sort -u)" 10.50.0.30

# the same input gives the same alerts
"$BW_BIN" -r "$TMP/2h.pcap" -R "$DEF" >"$TMP/2h-b.json" 2>/dev/null
cmp -s "$TMP/2h.json" "$TMP/2h-b.json" && ok "deterministic" || fail "beacon output differs between runs"
done_
