#!/bin/sh
# A generated management segment (the benchmark's generator, small):
# every host that answers IPMI on UDP 623 is found as a BMC (others may be
# found by other evidence, all in the generator's BMC range), no admin
# host (they only ask) and no outside host is, and a policy on
# $BMC_DISCOVERED raises the same egress alerts for those BMCs as the same
# policy on a hand-written list of them.  The oracle is the capture
# itself (tcpdump).
. "$(dirname "$0")/lib.sh"
need jq
need tcpdump
GEN=$(dirname "$BW_BIN")/../tests/bench/gen-big
[ -x "$GEN" ] || skip "no $GEN"
"$GEN" -o "$TMP/seg.pcap" -s 3 -n 150000 2>/dev/null || fail "gen-big"
tcpdump -nn -r "$TMP/seg.pcap" 'udp src port 623' 2>/dev/null |
	awk '{ split($3, a, "."); print a[1] "." a[2] "." a[3] "." a[4] }' | sort -u >"$TMP/want"
tcpdump -nn -r "$TMP/seg.pcap" 'udp dst port 623' 2>/dev/null |
	awk '{ split($3, a, "."); print a[1] "." a[2] "." a[3] "." a[4] }' | sort -u >"$TMP/askers"
[ -s "$TMP/want" ] || fail "the generated segment has no IPMI answers"
"$BW_BIN" -r "$TMP/seg.pcap" -R /dev/null --discover >"$TMP/table" 2>/dev/null
sed -n 's/^\([0-9]*\.[0-9.]*\) .*/\1/p' "$TMP/table" | sort -u >"$TMP/got"
missing=$(comm -23 "$TMP/want" "$TMP/got" | wc -l)
expect_eq "every host answering IPMI is a BMC ($(wc -l <"$TMP/want") of them)" "$missing" 0
expect_eq "every BMC found is in the generator's BMC range" \
	"$(grep -v '^10\.50\.' "$TMP/got" | wc -l)" 0
comm -12 "$TMP/askers" "$TMP/got" | comm -23 - "$TMP/want" >"$TMP/bad"
expect_eq "no host that only asks IPMI is a BMC" "$(wc -l <"$TMP/bad")" 0

list=$(paste -sd, "$TMP/want")
printf 'var PRIV = [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fd00::/8, fe80::/10]\nalert ip $BMC_DISCOVERED any -> !$PRIV any (msg:"egress"; sid:1;)\n' >"$TMP/disc.rules"
printf 'var PRIV = [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fd00::/8, fe80::/10]\nvar BMC = [%s]\nalert ip $BMC any -> !$PRIV any (msg:"egress"; sid:1;)\n' "$list" >"$TMP/list.rules"
al() { jq -r 'select(.event_type=="alert") | "\(.src_ip) \(.dest_ip) \(.dest_port) \(.flow_id)"' | grep -F -w -f "$TMP/want" | sort; }
"$BW_BIN" -r "$TMP/seg.pcap" -R "$TMP/disc.rules" 2>/dev/null | al >"$TMP/a"
"$BW_BIN" -r "$TMP/seg.pcap" -R "$TMP/list.rules" 2>/dev/null | al >"$TMP/b"
[ -s "$TMP/b" ] || fail "the hand-written list raised no alert"
cmp -s "$TMP/a" "$TMP/b" && ok "$(wc -l <"$TMP/a") egress alerts, the same with no site list" \
	|| { fail "discovered policy differs"; diff "$TMP/a" "$TMP/b" | head >&2; }

# From a pipe there is no first pass: a BMC is known from its first
# evidence on, and the flows still open then are evaluated again (in
# batches, engine-discover.c).  Every alert from the pipe is one the file
# gives too (same flow, same rule: nothing judged early, such as a RAKP 3
# still to come), and most of the discovered-BMC alerts come through.
fa() { jq -r 'select(.event_type=="alert") | "\(.flow_id) \(.alert.signature_id)"' | sort -u; }
"$BW_BIN" -r "$TMP/seg.pcap" -R "$BW_SRC/rules/default.rules" 2>/dev/null | fa >"$TMP/file"
"$BW_BIN" -r - -R "$BW_SRC/rules/default.rules" <"$TMP/seg.pcap" 2>/dev/null | fa >"$TMP/pipe"
expect_eq "pipe alerts are file alerts" "$(comm -13 "$TMP/file" "$TMP/pipe" | wc -l)" 0
nf=$(awk '$2 == 1020 || $2 == 1021' "$TMP/file" | wc -l)
np=$(awk '$2 == 1020 || $2 == 1021' "$TMP/pipe" | wc -l)
[ "$nf" -gt 0 ] && [ $((np * 10)) -ge $((nf * 8)) ] &&
	ok "discovered-BMC alerts from a pipe: $np of $nf" || fail "discovered-BMC alerts from a pipe: $np of $nf"
done_
