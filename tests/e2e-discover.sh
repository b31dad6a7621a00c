#!/bin/sh
# BMC discovery end to end on captures made with real peers: the
# simulated BMCs are found with vendor and evidence, the managers and the
# scanner are not; --write-vars gives a loadable rule line; the default
# policy protects discovered BMCs with no site list, also when the BMC
# calls out before it shows what it is (two passes), and bmc records
# validate as JSON.
. "$(dirname "$0")/lib.sh"
need jq
P=$BW_SRC/pcaps
"$BW_BIN" -r "$P/discover.pcap" -R /dev/null --discover >"$TMP/table" 2>"$TMP/err" || fail "discover exit"
for want in "10.50.0.10 .*Supermicro" "10.50.0.11 .*HPE .*iLO" "10.50.0.12 .*Dell .*iDRAC9"; do
	grep -Eq "^$want" "$TMP/table" && ok "found: $want" || { fail "not found: $want"; cat "$TMP/table" >&2; }
done
grep -q "^3 BMCs" "$TMP/table" && ok "3 BMCs" || fail "BMC count"
for ip in 10.1.0.40 10.1.0.66; do
	grep -Eq "^$ip " "$TMP/table" && fail "$ip listed as a BMC" || ok "$ip not a BMC"
done
grep -q "10.1.0.40 IPMI client" "$TMP/table" && ok "manager named as IPMI client" || fail "manager reason"

# --write-vars: a reviewed line the rule parser loads
"$BW_BIN" -r "$P/discover.pcap" -R /dev/null --write-vars "$TMP/bmc.rules" >/dev/null 2>&1
grep -q '^var BMC = \[10.50.0.10, 10.50.0.11, 10.50.0.12\]' "$TMP/bmc.rules" && ok "var line" || { fail "var line"; cat "$TMP/bmc.rules" >&2; }
printf 'alert ip $BMC any -> any any (msg:"x"; sid:1;)\n' >>"$TMP/bmc.rules"
"$BW_BIN" -T -R "$TMP/bmc.rules" 2>/dev/null; expect_eq "written vars load" $? 0

# bmc records
"$BW_BIN" -r "$P/discover.pcap" -R /dev/null >"$TMP/eve.json" 2>/dev/null
expect_eq "bmc records for the three BMCs" \
	"$(jq -r 'select(.event_type=="bmc") | .bmc.ip' "$TMP/eve.json" | sort -u | tr '\n' ' ')" "10.50.0.10 10.50.0.11 10.50.0.12 "
expect_eq "vendor in the record" \
	"$(jq -r 'select(.event_type=="bmc" and .bmc.ip=="10.50.0.11") | .bmc.vendor' "$TMP/eve.json" | tail -1)" HPE

# no site list: a policy on $BMC_DISCOVERED only
printf 'var PRIV = [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\nalert ip $BMC_DISCOVERED any -> !$PRIV any (msg:"discovered BMC to a public address"; sid:1;)\n' >"$TMP/disc.rules"
printf 'var PRIV = [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\nvar BMC = [10.50.0.10, 10.50.0.11]\nalert ip $BMC any -> !$PRIV any (msg:"listed BMC to a public address"; sid:1;)\n' >"$TMP/list.rules"
al() { jq -r 'select(.event_type=="alert") | "\(.src_ip) \(.dest_ip) \(.dest_port)"' | sort; }
"$BW_BIN" -r "$P/demo-egress.pcap" -R "$TMP/disc.rules" 2>/dev/null | al >"$TMP/a"
"$BW_BIN" -r "$P/demo-egress.pcap" -R "$TMP/list.rules" 2>/dev/null | al >"$TMP/b"
[ -s "$TMP/a" ] && cmp -s "$TMP/a" "$TMP/b" && ok "discovered set alerts as the hand-written list" || { fail "discovered vs list"; diff "$TMP/a" "$TMP/b" >&2; }
# the egress comes first, the evidence later: the first pass knows
if command -v tcpdump >/dev/null; then
	tcpdump -r "$P/demo-egress.pcap" -w "$TMP/egress.pcap" 'not port 623' 2>/dev/null
	tcpdump -r "$P/demo-egress.pcap" -w "$TMP/ipmi.pcap" 'port 623' 2>/dev/null
	"$BW_BIN" -r "$TMP/egress.pcap" -r "$TMP/ipmi.pcap" -R "$TMP/disc.rules" 2>/dev/null | al >"$TMP/c"
	cmp -s "$TMP/c" "$TMP/b" && ok "egress before identification still alerts" || { fail "egress first"; diff "$TMP/c" "$TMP/b" >&2; }
fi
done_
