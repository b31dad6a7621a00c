#!/bin/sh
# The application layer end to end on captures made with real peers:
# names and management-protocol fields in alerts and flow records, the
# shipped IPMI/SNMP rules, re-evaluation when a name arrives, and DNS
# records.
. "$(dirname "$0")/lib.sh"
need jq
P=$BW_SRC/pcaps
DEF=$BW_SRC/rules/default.rules
bw() { "$BW_BIN" "$@" 2>"$TMP/err" || { fail "bmcwatch $* (exit $?)"; cat "$TMP/err" >&2; }; }

# --- demo: alerts carry the name the BMC used
bw -r "$P/demo-egress.pcap" -R "$DEF" >"$TMP/demo.json"
sel() { jq -r "select(.event_type==\"alert\" and .alert.signature_id==1000 and .dest_port==$1) | $2" "$TMP/demo.json"; }
expect_eq "TLS alert: app_proto" "$(sel 443 .app_proto)" tls
expect_eq "TLS alert: SNI" "$(sel 443 .tls.sni)" update.evil.example
sel 443 .tls.ja3.hash | grep -Eq '^[0-9a-f]{32}$' && ok "TLS alert: JA3" || fail "JA3"
expect_eq "HTTP alert: Host" "$(sel 80 .http.hostname)" 198.51.100.7
expect_eq "HTTP alert: URL" "$(sel 80 .http.url)" /stage2.sh
expect_eq "HTTP alert: method" "$(sel 80 .http.http_method)" GET
expect_eq "DNS alert: query" "$(sel 53 '.dns.queries[0].rrname')" cmd.c2.evil.example
expect_eq "DNS alert: type" "$(sel 53 '.dns.queries[0].rrtype')" TXT
expect_eq "normal -C 3 IPMI polling: no alert" "$(sel 623 .alert.signature_id | wc -l)" 0

# --- flow records: NTP, IPMI session fields
bw -r "$P/demo-egress.pcap" -R "$DEF" --flows >"$TMP/flows.json"
expect_eq "NTP flows: version/mode" \
	"$(jq -c 'select(.event_type=="flow" and .dest_port==123) | .ntp | [.version,.mode]' "$TMP/flows.json" | sort -u)" "[4,3]"
expect_eq "TLS flow: negotiated version" \
	"$(jq -r 'select(.event_type=="flow" and .dest_port==443) | .tls.version' "$TMP/flows.json")" "TLS 1.2"
expect_eq "IPMI flows: cipher 3 offered, user monitor" \
	"$(jq -c 'select(.event_type=="flow" and .app_proto=="rmcp") | [.ipmi.offered.cipher_suite, .ipmi.cipher_suite_accepted, .ipmi.users[0]]' "$TMP/flows.json" | sort -u)" \
	'[3,3,"monitor"]'

# --- DNS records (--dns): one per message, Suricata v3 layout
bw -r "$P/demo-egress.pcap" -R "$DEF" --dns >"$TMP/dns.json"
expect_eq "dns records" "$(grep -c '"event_type":"dns"' "$TMP/dns.json")" 8
expect_eq "dns TXT answer" \
	"$(jq -r 'select(.event_type=="dns" and .dns.type=="response" and .dns.queries[0].rrname=="bmc1.mgmt.example") | .dns.answers[0].rdata' "$TMP/dns.json")" \
	"rack=A12 owner=infra"

# --- re-evaluation: a pass rule keyed on the SNI clears the TLS flow
cat "$BW_SRC/tests/rules/demo.rules" >"$TMP/sni.rules"
cat >>"$TMP/sni.rules" <<'R'
pass tcp $BMC any -> any 443 (msg:"vendor update site"; tls.sni:"*.EVIL.example"; sid:200;)
pass udp $BMC any -> any 53 (msg:"allowed zone"; dns.query:"*.c2.evil.example"; sid:201;)
alert tcp $BMC any -> any any (msg:"HTTP to a host by name"; host:"198.51.*"; sid:300;)
R
bw -r "$P/demo-egress.pcap" -R "$TMP/sni.rules" --flows >"$TMP/sni.json"
expect_eq "SNI pass rule clears the TLS flow" \
	"$(jq -r 'select(.event_type=="alert" and .dest_port==443) | .alert.signature_id' "$TMP/sni.json" | wc -l)" 0
expect_eq "TLS flow passed by sid 200" \
	"$(jq -r 'select(.event_type=="flow" and .dest_port==443) | .conn.pass_sid' "$TMP/sni.json")" 200
expect_eq "dns.query pass rule clears the DNS flow" \
	"$(jq -r 'select(.event_type=="alert" and .dest_port==53) | .alert.signature_id' "$TMP/sni.json" | wc -l)" 0
expect_eq "HTTP flow still alerts, each rule once" \
	"$(jq -r 'select(.event_type=="alert" and .dest_port==80) | .alert.signature_id' "$TMP/sni.json" | sort | tr '\n' ' ')" "1000 1002 300 "

# --- IPMI: the shipped rules on ipmitool -C 0, null user, nmap, enumeration
bw -r "$P/ipmi-cipher0.pcap" -R "$DEF" >"$TMP/ipmi.json"
got=$(jq -r 'select(.event_type=="alert") | "\(.src_ip) \(.alert.signature_id)"' "$TMP/ipmi.json" | sort | tr '\n' ',')
expect_eq "IPMI alerts" "$got" \
	"10.1.0.40 1100,10.1.0.40 1101,10.1.0.40 1103,10.1.0.40 1106,10.1.0.66 1005,10.1.0.66 1100,10.1.0.66 1101,10.1.0.66 1105,10.1.0.66 1106,10.1.0.66 1107,"
expect_eq "enumeration alert lists the user tried" \
	"$(jq -r 'select(.event_type=="alert" and .alert.signature_id==1105) | .ipmi.users | length' "$TMP/ipmi.json")" 1
expect_eq "cipher 0 accepted: suite in the alert" \
	"$(jq -r 'select(.event_type=="alert" and .alert.signature_id==1101 and .src_ip=="10.1.0.40") | .ipmi.cipher_suite_accepted' "$TMP/ipmi.json")" 0

# --- RMCP by content on a non-standard port (shared capture, UDP 9623)
if [ -f "$SHARED/pcaps/ipmi-lanplus-ipmi_sim.pcap" ]; then
	printf 'alert udp any any -> any any (msg:"cipher 0 accepted"; ipmi.cipher:0,accepted; sid:1;)\nalert udp any any -> any any (msg:"ADMIN"; ipmi.user:"ADMIN"; sid:2;)\nalert udp any any -> any any (msg:"not monitor"; ipmi.user:!"monitor"; sid:3;)\n' >"$TMP/lan.rules"
	bw -r "$SHARED/pcaps/ipmi-lanplus-ipmi_sim.pcap" -R "$TMP/lan.rules" --flows >"$TMP/lan.json"
	expect_eq "port 9623 recognised as RMCP" \
		"$(jq -r 'select(.event_type=="flow" and .dest_port==9623) | .app_proto' "$TMP/lan.json" | sort -u)" rmcp
	expect_eq "ipmi_sim: alerts" \
		"$(jq -r 'select(.event_type=="alert") | .alert.signature_id' "$TMP/lan.json" | sort | tr '\n' ' ')" "1 2 2 3 3 "
fi

# --- shared captures: a ClientHello split across TCP segments, SSH on
# port 80, DNS over TCP (content decides, not the port)
X=$SHARED/pcaps/external
if [ -d "$X" ]; then
	f1() { "$BW_BIN" -r "$X/$1" -R /dev/null --flows 2>/dev/null | jq -r "select(.event_type==\"flow\") | $2" | grep -v '^null$' | sort -u | tr '\n' ' '; }
	expect_eq "split ClientHello reassembled" "$(f1 arkime-tls-split-client-hello.pcap .tls.sni)" "clients2.google.com "
	expect_eq "SSH found on port 80" "$(f1 zeek-ssh-on-port-80.pcap .ssh.server.software_version)" "OpenSSH_5.8p1 "
	expect_eq "DNS over TCP" "$(f1 tcpdump-dns_tcp.pcap '.dns.queries[0].rrname')" "www.tcpdump.org "
	expect_eq "HTTP Host" "$(f1 zeek-http-get.pcap .http.hostname)" "bro.org "
	expect_eq "TLS ALPN" "$(f1 arkime-tls-alpn-h2-null.pcap '.tls.client_alpns[0]')" "h2 "
fi

# --- management services: SNMP, SSH, syslog, TLS to the BMC
bw -r "$P/mgmt-services.pcap" -R "$DEF" --flows >"$TMP/mgmt.json"
fl() { jq -c "select(.event_type==\"flow\") | $1" "$TMP/mgmt.json" | grep -v '^null$' | sort | tr '\n' ' '; }
expect_eq "SNMP versions and communities" "$(fl '.snmp | select(.) | [.version,.community]')" '[1,"public"] [2,"public"] [3,null] '
expect_eq "SNMPv3 user" "$(fl '.snmp | select(.version==3) | .usm')" '"monitor" '
expect_eq "SSH banners" "$(fl '.ssh | select(.) | [.client.software_version,.server.software_version]')" '["OpenSSH_9.2p1","OpenSSH_9.2p1"] '
expect_eq "syslog" "$(fl '.syslog | select(.) | [.facility,.severity,.hostname]')" '[4,4,"bmc1"] '
expect_eq "TLS SNI to the BMC" "$(fl '.tls | select(.) | .sni')" '"bmc1.mgmt.example" '
expect_eq "SNMP default community alerts (once per pair an hour)" \
	"$(jq -r 'select(.event_type=="alert") | .alert.signature_id' "$TMP/mgmt.json" | sort | tr '\n' ' ')" "1110 1111 "
done_
