#!/bin/sh
# GeoIP/ASN end to end with databases the test builds itself: country and
# ASN rules match, alerts carry geoip for both ends, both country schemas
# work, and a missing or absent database is a clear error.
. "$(dirname "$0")/lib.sh"
need jq
PCAP=$BW_SRC/pcaps/demo-egress.pcap
perl "$BW_SRC/tests/mkmmdb.pl" "$TMP" || { [ $? = 77 ] && skip "MaxMind::DB::Writer missing"; fail "mkmmdb"; done_; }

cat >"$TMP/geo.rules" <<'R'
var BMC = [10.50.0.0/16]
alert ip $BMC any -> any any (msg:"BMC talks to Germany"; geoip:dst,DE; sid:1;)
alert ip $BMC any -> any any (msg:"BMC talks to AS24940"; asn:dst,24940; sid:2;)
alert tcp $BMC any -> any any (msg:"BMC talks outside US/DE"; geoip:dst,!US,DE; sid:3;)
R
for db in country-geolite2.mmdb country-iplocdb.mmdb; do
	"$BW_BIN" -r "$PCAP" -R "$TMP/geo.rules" --geoip-country "$TMP/$db" \
		--geoip-asn "$TMP/asn.mmdb" >"$TMP/out" 2>"$TMP/err" || { fail "$db: exit $?"; cat "$TMP/err" >&2; }
	got=$(jq -r 'select(.event_type=="alert") | "\(.alert.signature_id) \(.dest_ip):\(.dest_port)"' "$TMP/out" | sort | tr '\n' ' ')
	expect_eq "$db: geoip and asn alerts" "$got" \
		"1 198.51.100.7:53 1 198.51.100.7:80 2 198.51.100.7:53 2 198.51.100.7:80 "
	expect_eq "$db: geoip.dest" \
		"$(jq -c 'select(.event_type=="alert") | .geoip.dest' "$TMP/out" | sort -u)" \
		'{"country":"DE","asn":24940,"as_org":"Hetzner Online GmbH"}'
	expect_eq "$db: private source has no geoip.src" \
		"$(jq -c 'select(.event_type=="alert") | .geoip.src' "$TMP/out" | sort -u)" null
done

# -T loads the databases a rule file needs
"$BW_BIN" -T -R "$TMP/geo.rules" --geoip-country "$TMP/country-geolite2.mmdb" \
	--geoip-asn "$TMP/asn.mmdb" 2>"$TMP/err"; expect_eq "-T with databases" $? 0
# a geoip rule with no country database loaded is an error naming the place
"$BW_BIN" -T -R "$TMP/geo.rules" 2>"$TMP/err"; expect_eq "-T without database exit" $? 2
grep -q "geo.rules:2:.*no country database loaded" "$TMP/err" && ok "no-database error names file:line" \
	|| { fail "no-database message"; cat "$TMP/err" >&2; }
# a database file that is missing or not a database
"$BW_BIN" -r "$PCAP" -R "$TMP/geo.rules" --geoip-country "$TMP/nope.mmdb" >/dev/null 2>"$TMP/err"
expect_eq "missing database exit" $? 2
grep -q "nope.mmdb" "$TMP/err" && ok "missing database named" || { fail "missing db message"; cat "$TMP/err" >&2; }
expect_eq "missing database: one line" "$(wc -l <"$TMP/err")" 1
"$BW_BIN" -r "$PCAP" -R "$TMP/geo.rules" --geoip-country "$PCAP" >/dev/null 2>"$TMP/err"
expect_eq "non-database file exit" $? 2
done_
