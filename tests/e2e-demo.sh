#!/bin/sh
# The demo capture (real peers in namespaces) with the test policy: the
# forbidden egress alerts, the allowed NTP/DNS and the admin's IPMI do not;
# output is byte-identical run to run and through stdin; several files are
# one timeline; --flows gives Zeek conn_state and Suricata flow fields.
. "$(dirname "$0")/lib.sh"
need jq
PCAP=$BW_SRC/pcaps/demo-egress.pcap
RULES=$BW_SRC/tests/rules/demo.rules

"$BW_BIN" -r "$PCAP" -R "$RULES" >"$TMP/a.json" 2>"$TMP/err" || fail "replay exit $?"
[ -s "$TMP/err" ] && { fail "unexpected stderr"; cat "$TMP/err" >&2; }
jq -r 'select(.event_type=="alert") | [.src_ip, .dest_ip, (.dest_port|tostring), .proto, (.alert.signature_id|tostring)] | join(" ")' \
	"$TMP/a.json" | sort >"$TMP/alerts"
cat >"$TMP/want" <<'W'
10.50.0.10 198.51.100.7 53 UDP 1000
10.50.0.10 198.51.100.7 80 TCP 1000
10.50.0.10 198.51.100.7 80 TCP 1002
10.50.0.10 203.0.113.50 443 TCP 1000
10.50.0.10 203.0.113.50 443 TCP 1002
W
if cmp -s "$TMP/alerts" "$TMP/want"; then ok "demo alerts"; else
	fail "demo alerts differ"; diff "$TMP/want" "$TMP/alerts" >&2; fi

# the fields that matter on one alert
jq -c 'select(.event_type=="alert" and .alert.signature_id==1000 and .dest_port==443)' "$TMP/a.json" >"$TMP/one"
expect_eq "signature" "$(jq -r .alert.signature "$TMP/one")" "BMC connection outside management network"
expect_eq "category from classtype" "$(jq -r .alert.category "$TMP/one")" "Potential Corporate Privacy Violation"
expect_eq "severity" "$(jq -r .alert.severity "$TMP/one")" 1
expect_eq "rev" "$(jq -r .alert.rev "$TMP/one")" 2
expect_eq "action" "$(jq -r .alert.action "$TMP/one")" allowed
jq -r .timestamp "$TMP/one" | grep -Eq '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}\+0000$' \
	&& ok "timestamp format" || fail "timestamp format"
jq -r .community_id "$TMP/one" | grep -q '^1:.\{27\}=$' && ok "community_id" || fail "community_id"
expect_eq "flow_id is a number" "$(jq -r '.flow_id|type' "$TMP/one")" number
expect_eq "flow.start" "$(jq -r '.flow.start|type' "$TMP/one")" string

# deterministic, and the same through stdin
"$BW_BIN" -r "$PCAP" -R "$RULES" >"$TMP/b.json" 2>/dev/null
cmp -s "$TMP/a.json" "$TMP/b.json" && ok "byte-identical reruns" || fail "reruns differ"
cat "$PCAP" | "$BW_BIN" -r - -R "$RULES" >"$TMP/c.json" 2>/dev/null
cmp -s "$TMP/a.json" "$TMP/c.json" && ok "stdin gives the same output" || fail "stdin differs"
"$BW_BIN" -r "$PCAP" -R "$RULES" -o "$TMP/d.json" >"$TMP/stdout" 2>/dev/null
cmp -s "$TMP/a.json" "$TMP/d.json" && ok "-o FILE" || fail "-o output differs"
[ -s "$TMP/stdout" ] && fail "stdout not empty with -o" || ok "nothing on stdout with -o"

# two files are one timeline: the replayed copy continues the same flows
"$BW_BIN" -r "$PCAP" -r "$PCAP" -R "$RULES" >"$TMP/two.json" 2>/dev/null
expect_eq "two files: files counted" "$(jq -r 'select(.event_type=="stats") | .bmcwatch.files' "$TMP/two.json")" 2
expect_eq "two files: packets" "$(jq -r 'select(.event_type=="stats") | .stats.decoder.pkts' "$TMP/two.json")" \
	"$(( $(jq -r 'select(.event_type=="stats") | .stats.decoder.pkts' "$TMP/a.json") * 2 ))"

# periodic stats by packet time, and none at all on request
n=$("$BW_BIN" -r "$PCAP" -R "$RULES" --stats=1 2>/dev/null | grep -c '"event_type":"stats"')
[ "$n" -gt 2 ] && ok "--stats=1 gives $n stats records" || fail "--stats=1 gave $n records"
expect_eq "--no-stats" "$("$BW_BIN" -r "$PCAP" -R "$RULES" --no-stats 2>/dev/null | grep -c '"event_type":"stats"')" 0

# flow records
"$BW_BIN" -r "$PCAP" -R "$RULES" --flows >"$TMP/f.json" 2>/dev/null
jq -c 'select(.event_type=="flow" and .dest_ip=="203.0.113.50")' "$TMP/f.json" >"$TMP/tls"
expect_eq "TLS flow conn_state" "$(jq -r .conn.conn_state "$TMP/tls")" SF
expect_eq "TLS flow pkts_toserver" "$(jq -r .flow.pkts_toserver "$TMP/tls")" 11
expect_eq "TLS flow pkts_toclient" "$(jq -r .flow.pkts_toclient "$TMP/tls")" 10
expect_eq "TLS flow alerted" "$(jq -r .flow.alerted "$TMP/tls")" true
expect_eq "TLS flow state" "$(jq -r .flow.state "$TMP/tls")" closed
expect_eq "TLS flow history" "$(jq -r .conn.history "$TMP/tls")" ShADadFf
n=$(jq -r 'select(.event_type=="flow" and .dest_port==123) | .conn.policy' "$TMP/f.json" | sort -u)
expect_eq "NTP flows passed" "$n" pass
n=$(jq -r 'select(.event_type=="flow" and .dest_port==123) | .conn.pass_sid' "$TMP/f.json" | sort -u)
expect_eq "NTP pass sid" "$n" 100
expect_eq "IPMI from admin: no alert" \
	"$(jq -r 'select(.event_type=="alert" and .dest_port==623)' "$TMP/a.json" | wc -l)" 0
flows=$(jq -r 'select(.event_type=="flow")' "$TMP/f.json" | grep -c '"event_type"')
expect_eq "flows in stats" "$(jq -r 'select(.event_type=="stats") | .stats.flow.total' "$TMP/f.json")" "$flows"
done_
