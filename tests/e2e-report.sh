#!/bin/sh
# The triage report in a real browser: render it for the demo capture (and,
# when tests/gen-traffic is built, for a generated day with beacons), open
# it in headless Chromium and check the DOM: one row per alert group, one
# plot per beacon series, the verdict counts, no http(s) URL in any src,
# href or url(), the CSP.  A hostile page (SNI, DNS name, Host, URI and
# User-Agent carrying markup that would set data-pwned on <body>) must run
# nothing and show the text.  Takes the screenshot of the demo report; set
# BW_SCREENSHOT_OUT=/path/doc/report-demo.png to keep it (the README's).
#
# Until bmcwatch has --report / --from-eve the page is rendered by
# tests/report-from-eve (the same API) from `bmcwatch --flows --dns`.
. "$(dirname "$0")/lib.sh"
need jq
need timeout
CHROMIUM=${CHROMIUM:-chromium}
command -v "$CHROMIUM" >/dev/null 2>&1 ||
	skip "chromium not installed (Debian: apt-get install chromium); the report's browser tests need it"
BUILD=$(cd "$(dirname "$BW_BIN")/.." && pwd)
DRIVER=$BUILD/tests/report-from-eve
RULES=rules/default.rules
PCAP=pcaps/demo-egress.pcap
VERSION=$("$BW_BIN" --version)

# A browser that can reach nothing: no proxy works, no name resolves.
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-extensions \
		--proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND' \
		--user-data-dir="$TMP/chr" "$@" 2>>"$TMP/chromium.log"
}
dom() { chrome --dump-dom "file://$1"; }

printf '<!DOCTYPE html><html><body><p id="probe">ok</p></body></html>' >"$TMP/probe.html"
dom "$TMP/probe.html" >"$TMP/probe.dom" || true
grep -q 'id="probe"' "$TMP/probe.dom" ||
	skip "chromium is installed but cannot render headless here (see its log: $(tail -n 3 "$TMP/chromium.log" | tr '\n' ' '))"

has_opt() { "$BW_BIN" --help 2>&1 | grep -q -e "$1"; }

# bmcwatch's $BMC set and rule count, for the driver
bmc_set=$(sed -n 's/^var BMC *= *\[\([^]]*\)\].*/\1/p' "$BW_SRC/$RULES" | tr -d ' ')
nrules=$(grep -Ec '^(alert|pass|beacon) ' "$BW_SRC/$RULES")

# render OUT EVE CAPTURE... : the page for EVE (or the captures, with --report)
render_eve() {
	out=$1 eve=$2
	shift 2
	caps=
	for c in "$@"; do caps="$caps --capture $c"; done
	# shellcheck disable=SC2086 # caps is a list of options
	(cd "$BW_SRC" && "$DRIVER" -o "$out" --bmc "$bmc_set" --rules "$RULES" \
		--nrules "$nrules" --version "$VERSION" $caps "$eve")
}

# attr_urls FILE: http(s) URLs in src/href attributes or CSS url()
attr_urls() {
	grep -Eio '(src|href|xlink:href|action|poster|data)[[:space:]]*=[[:space:]]*["'"'"']?[[:space:]]*(https?:)?//|url\([[:space:]]*["'"'"']?[[:space:]]*(https?:)?//' "$1" | wc -l
}

# the demo capture
[ -x "$DRIVER" ] || { fail "no $DRIVER"; done_; }
(cd "$BW_SRC" && "$BW_BIN" -r "$PCAP" -R "$RULES" --flows --dns -o "$TMP/eve.json") ||
	fail "replay exit $?"
if has_opt --report; then
	(cd "$BW_SRC" && "$BW_BIN" -r "$PCAP" \
		-R "$RULES" -o /dev/null --report "$TMP/r.html") || fail "--report exit $?"
	ok "rendered with bmcwatch --report"
else
	render_eve "$TMP/r.html" "$TMP/eve.json" "$PCAP" ||
		fail "report-from-eve exit $?"
	ok "rendered with tests/report-from-eve (bmcwatch has no --report yet)"
fi
[ -s "$TMP/r.html" ] || { fail "no report"; done_; }
dom "$TMP/r.html" >"$TMP/r.dom"
grep -q '</html>' "$TMP/r.dom" || fail "chromium gave no DOM"

groups=$(jq -r 'select(.event_type=="alert") | [.alert.signature_id, .alert.signature, .src_ip, .dest_ip, .proto, (.dest_port|tostring)] | @tsv' \
	"$TMP/eve.json" | sort -u | wc -l)
alerts=$(jq -r 'select(.event_type=="alert") | .timestamp' "$TMP/eve.json" | wc -l)
bmcs=$(jq -r 'select(.src_ip) | .src_ip, .dest_ip' "$TMP/eve.json" | grep '^10\.50\.' | sort -u | wc -l)
outbound=$(jq -r 'select((.event_type=="alert") or (.event_type=="flow" and .conn.policy=="alert")) | .src_ip' \
	"$TMP/eve.json" | grep '^10\.50\.' | sort -u | wc -l)
count() { grep -o "$1" "$2" | wc -l | tr -d ' '; }
verdict() { sed -n "s/.*id=\"n-$1\">\([0-9]*\)<.*/\1/p" "$2"; }
[ "$groups" -gt 0 ] || fail "the demo raised no alerts"
expect_eq "one row per alert group" "$(count '<tr class="ag">' "$TMP/r.dom")" "$groups"
expect_eq "verdict: alerts" "$(verdict alerts "$TMP/r.dom")" "$alerts"
expect_eq "verdict: groups" "$(verdict groups "$TMP/r.dom")" "$groups"
expect_eq "verdict: BMCs seen" "$(verdict bmcs "$TMP/r.dom")" "$bmcs"
expect_eq "verdict: BMCs that called out" "$(verdict outbound "$TMP/r.dom")" "$outbound"
expect_eq "verdict: beacons" "$(verdict beacon "$TMP/r.dom")" 0
expect_eq "verdict is red" "$(count 'class="verdict red"' "$TMP/r.dom")" 1
grep -q 'update\.evil\.example' "$TMP/r.dom" && ok "SNI shown" || fail "SNI missing"
grep -q 'cmd\.c2\.evil\.example' "$TMP/r.dom" && ok "DNS name shown" || fail "DNS name missing"
expect_eq "no http(s) URL in src/href/url() (file)" "$(attr_urls "$TMP/r.html")" 0
expect_eq "no http(s) URL in src/href/url() (DOM)" "$(attr_urls "$TMP/r.dom")" 0
expect_eq "no script, img, link, iframe, object elements" \
	"$(grep -Eic '<(script|img|link|iframe|object|embed|base|form)[[:space:]>]' "$TMP/r.dom")" 0
grep -q "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:" \
	"$TMP/r.dom" && ok "CSP allows no script" || fail "CSP missing"
size=$(wc -c <"$TMP/r.html")
[ "$size" -lt 2097152 ] && ok "demo report $size bytes" || fail "demo report $size bytes"

# the same input gives the same bytes
if has_opt --report; then
	(cd "$BW_SRC" && "$BW_BIN" -r "$PCAP" \
		-R "$RULES" -o /dev/null --report "$TMP/r2.html")
else
	render_eve "$TMP/r2.html" "$TMP/eve.json" "$PCAP"
fi
cmp -s "$TMP/r.html" "$TMP/r2.html" && ok "byte-identical rerun" || fail "reruns differ"

# the screenshot (the README shows it)
chrome --hide-scrollbars --window-size=1200,1500 --screenshot="$TMP/report-demo.png" \
	"file://$TMP/r.html" >/dev/null
if [ "$(head -c 8 "$TMP/report-demo.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
	ok "screenshot $(wc -c <"$TMP/report-demo.png") bytes"
	[ -n "${BW_SCREENSHOT_OUT:-}" ] && cp "$TMP/report-demo.png" "$BW_SCREENSHOT_OUT" &&
		ok "screenshot copied to $BW_SCREENSHOT_OUT"
else
	fail "no screenshot"
fi

# hostile strings from the wire: nothing runs, the text is visible
IMG='<img src=x onerror=\"document.body.setAttribute('"'"'data-pwned'"'"',1)\">'
SCR='</script><script>document.body.setAttribute('"'"'data-pwned'"'"',1)</script>'
{
	printf '{"timestamp":"2026-11-25T22:32:11.000000+0000","flow_id":1,"event_type":"alert","src_ip":"10.50.0.10","src_port":40000,"dest_ip":"203.0.113.9","dest_port":443,"proto":"TCP","app_proto":"tls","alert":{"signature_id":1000,"signature":"BMC initiated connection to a public address","category":"egress","severity":1},"tls":{"sni":"%s"}}\n' "$SCR"
	printf '{"timestamp":"2026-11-25T22:32:12.000000+0000","flow_id":2,"event_type":"alert","src_ip":"10.50.0.10","src_port":40001,"dest_ip":"203.0.113.10","dest_port":443,"proto":"TCP","app_proto":"tls","alert":{"signature_id":1000,"signature":"BMC initiated connection to a public address","category":"egress","severity":1},"tls":{"sni":"%s"}}\n' "$IMG"
	printf '{"timestamp":"2026-11-25T22:32:13.000000+0000","flow_id":3,"event_type":"alert","src_ip":"10.50.0.10","src_port":40002,"dest_ip":"198.51.100.7","dest_port":80,"proto":"TCP","app_proto":"http","alert":{"signature_id":1000,"signature":"BMC initiated connection to a public address","category":"egress","severity":1},"http":{"hostname":"%s","url":"/%s","http_method":"GET","http_user_agent":"%s"}}\n' "$IMG" "$SCR" "$SCR"
	printf '{"timestamp":"2026-11-25T22:32:14.000000+0000","flow_id":4,"event_type":"alert","src_ip":"10.50.0.10","src_port":40003,"dest_ip":"198.51.100.7","dest_port":53,"proto":"UDP","app_proto":"dns","alert":{"signature_id":1000,"signature":"BMC initiated connection to a public address","category":"egress","severity":1},"dns":{"type":"request","queries":[{"rrname":"%s"}]}}\n' "$SCR"
	printf '{"timestamp":"2026-11-25T22:32:15.000000+0000","flow_id":5,"event_type":"alert","src_ip":"10.50.0.10","src_port":40004,"dest_ip":"198.51.100.8","dest_port":80,"proto":"TCP","app_proto":"http","alert":{"signature_id":1000,"signature":"BMC initiated connection to a public address","category":"egress","severity":1},"http":{"hostname":"%s","url":"%s","http_user_agent":"%s \\u001b[31m \\u0000 \\u202e"}}\n' "$SCR" "$IMG" "$IMG"
	printf '{"timestamp":"2026-11-25T22:32:16.000000+0000","flow_id":6,"event_type":"flow","src_ip":"10.1.0.40","src_port":40005,"dest_ip":"10.50.0.10","dest_port":623,"proto":"UDP","app_proto":"rmcp","flow":{"start":"2026-11-25T22:32:16.000000+0000","end":"2026-11-25T22:32:16.000000+0000"},"ipmi":{"messages":["rakp1"],"users":["%s"]}}\n' "$IMG"
} >"$TMP/hostile.json"
jq -e . "$TMP/hostile.json" >/dev/null || fail "hostile EVE is not JSON"
if has_opt --from-eve; then
	"$BW_BIN" -R "$BW_SRC/$RULES" --report "$TMP/h.html" --from-eve "$TMP/hostile.json" ||
		fail "--from-eve exit $?"
else
	render_eve "$TMP/h.html" "$TMP/hostile.json" "$TMP/hostile.json" || fail "report-from-eve exit $?"
fi
dom "$TMP/h.html" >"$TMP/h.dom"
grep -q '</html>' "$TMP/h.dom" || fail "chromium gave no DOM for the hostile page"
expect_eq "hostile: nothing set data-pwned" "$(count 'data-pwned="' "$TMP/h.dom")" 0
expect_eq "hostile: no script or img element" "$(grep -Eic '<(script|img)[[:space:]>]' "$TMP/h.dom")" 0
grep -Fq "&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned&#39;,1)&quot;&gt;" "$TMP/h.html" &&
	ok "hostile: <img onerror> shown escaped" || fail "hostile: <img> text missing"
grep -Fq "&lt;/script&gt;&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,1)&lt;/script&gt;" "$TMP/h.html" &&
	ok "hostile: </script><script> shown escaped" || fail "hostile: <script> text missing"
# what Chromium shows: the markup as text
grep -Fq "&lt;img src=x onerror=" "$TMP/h.dom" && grep -Fq "&lt;/script&gt;&lt;script&gt;" "$TMP/h.dom" &&
	ok "hostile: the text is in the rendered DOM" || fail "hostile: text not in the DOM"
grep -Fq '\x1b[31m \x00 \u{202e}' "$TMP/h.dom" && ok "control and bidi characters shown escaped" ||
	fail "control characters not shown escaped"
# the test can see a script run (control), and the CSP stops one that got in
sed 's|<body>|<body><script>document.body.setAttribute("data-pwned",1)</script>|' "$TMP/h.html" >"$TMP/h-csp.html"
sed -e 's|<body>|<body><script>document.body.setAttribute("data-pwned",1)</script>|' \
	-e '/Content-Security-Policy/d' "$TMP/h.html" >"$TMP/h-nocsp.html"
expect_eq "control: without the CSP an injected script runs" \
	"$(dom "$TMP/h-nocsp.html" | grep -o '<body[^>]*data-pwned' | wc -l | tr -d ' ')" 1
expect_eq "CSP: an injected script does not run" \
	"$(dom "$TMP/h-csp.html" | grep -o '<body[^>]*data-pwned' | wc -l | tr -d ' ')" 0

# a generated day with beacons (needs tests/gen-traffic and beacon rules)
GEN=$BUILD/tests/gen-traffic
cat >"$TMP/beacon.rules" <<'R'
var BMC = [10.50.0.0/16]
pass udp $BMC any -> [10.1.0.10] 123 (msg:"NTP"; sid:100;)
pass udp $BMC any -> [10.1.0.53] 53 (msg:"DNS"; sid:101;)
alert ip $BMC any -> ![10.0.0.0/8] any (msg:"BMC connection to a public address"; sid:1000; severity:1; threshold:type limit, track by_both, count 1, seconds 3600;)
beacon ip $BMC any -> any any (msg:"BMC beacon"; sid:2000; severity:1;)
R
if [ ! -x "$GEN" ]; then
	echo "note: $GEN not built: the 24-hour beacon part is not run"
elif ! "$BW_BIN" -T -R "$TMP/beacon.rules" >/dev/null 2>&1; then
	echo "note: this bmcwatch has no beacon rules: the 24-hour beacon part is not run"
else
	"$GEN" -o "$TMP/day.pcap" -s 7 -d 86400 \
		-b tcp,period=300,jitter=0.1,src=10.50.0.12,dst=203.0.113.80,port=443,sni=cdn.bad.example \
		-b udp,period=60,jitter=0.05,miss=0.1,src=10.50.0.14,dst=198.51.100.9,port=8443 \
		--benign --noise 20 || fail "gen-traffic exit $?"
	"$BW_BIN" -r "$TMP/day.pcap" -R "$TMP/beacon.rules" --flows --dns -o "$TMP/day.json" ||
		fail "day replay exit $?"
	bmc_set=10.50.0.0/16 RULES=$TMP/beacon.rules nrules=4 render_eve "$TMP/day.html" "$TMP/day.json" day.pcap ||
		fail "day report exit $?"
	dom "$TMP/day.html" >"$TMP/day.dom"
	series=$(jq -r 'select(.beacon) | [.src_ip, .alert.signature_id, .beacon.key,
		(if .beacon.key=="name" then .beacon.name else [.dest_ip, .proto, (.dest_port|tostring)] | join(" ") end)] | @tsv' \
		"$TMP/day.json" | sort -u | wc -l)
	dgroups=$(jq -r 'select(.event_type=="alert") | [.alert.signature_id, .alert.signature, .src_ip, .dest_ip, .proto, (.dest_port|tostring)] | @tsv' \
		"$TMP/day.json" | sort -u | wc -l)
	[ "$series" -gt 0 ] || fail "the day raised no beacon alert"
	expect_eq "day: one section per beacon series" "$(count '<article class="beacon"' "$TMP/day.dom")" "$series"
	expect_eq "day: one strip plot per beacon series" "$(count '<svg class="strip"' "$TMP/day.dom")" "$series"
	expect_eq "day: one gap histogram per beacon series" "$(count '<svg class="hist"' "$TMP/day.dom")" "$series"
	expect_eq "day: one row per alert group" "$(count '<tr class="ag">' "$TMP/day.dom")" "$dgroups"
	expect_eq "day: verdict beacons" "$(verdict beacon "$TMP/day.dom")" \
		"$(jq -r 'select(.beacon) | .src_ip' "$TMP/day.json" | sort -u | wc -l | tr -d ' ')"
	expect_eq "day: no http(s) URL in src/href/url()" "$(attr_urls "$TMP/day.html")" 0
	size=$(wc -c <"$TMP/day.html")
	[ "$size" -lt 2097152 ] && ok "day report $size bytes" || fail "day report $size bytes"
fi
done_
