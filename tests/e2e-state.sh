#!/bin/sh
# --state-dir end to end, on generated captures:
#  - a 60 s beacon split over two replays (six beats each, eight needed)
#    is found in the second only when the state carries the first half;
#  - new_peer: a capture learns the peers, a later one alerts on the new
#    peers only, the same as one replay of both; too early (within the
#    learning window) nothing alerts;
#  - the same capture leaves the same database, whatever the batches;
#  - a corrupt state file is moved aside with one line and the replay
#    gives the same alerts as without state;
#  - live: SIGKILL after the batch interval loses no peer the sensor had
#    decided on (network namespace and veth made here).
. "$(dirname "$0")/lib.sh"
need jq
need sqlite3
GEN=${BW_GEN:-$(dirname "$BW_BIN")/../tests/gen-traffic}
[ -x "$GEN" ] || skip "no gen-traffic at $GEN"
DEF=$BW_SRC/rules/default.rules

beacons() {
	jq -r 'select(.event_type=="alert" and .beacon != null) |
	    "\(.alert.signature_id) \(.src_ip) \(.beacon.key)"' "$1" | sort -u | tr '\n' ,
}
alerts() {
	jq -r 'select(.event_type=="alert") | "\(.alert.signature_id) \(.src_ip) \(.dest_ip) \(.tls.sni // "-")"' "$1" | sort | tr '\n' ,
}

# ---- a beacon across two replays
B1="-b tcp,period=60,src=10.50.0.20,dst=203.0.113.5,port=443,sni=cdn.evil.example"
"$GEN" -o "$TMP/h1.pcap" -s 5 -d 330 $B1 >/dev/null || fail "gen h1"
"$GEN" -o "$TMP/h2.pcap" -s 5 -d 720 $B1,start=365 >/dev/null || fail "gen h2"
"$BW_BIN" -r "$TMP/h2.pcap" -R "$DEF" >"$TMP/h2-alone.json" 2>"$TMP/err" || fail "h2 alone"
expect_eq "second half alone: too few beats" "$(beacons "$TMP/h2-alone.json")" ""
"$BW_BIN" -r "$TMP/h1.pcap" -R "$DEF" --state-dir "$TMP/sd" >"$TMP/h1.json" 2>"$TMP/err" || fail "h1 with state"
expect_eq "first half: too few beats" "$(beacons "$TMP/h1.json")" ""
expect_eq "state file made, nothing said" "$(cat "$TMP/err")" ""
expect_eq "first half's series saved" \
	"$(sqlite3 "$TMP/sd/bmcwatch.db" "SELECT events FROM beacon_series WHERE kind = 'flow' AND src = '10.50.0.20'")" 6
"$BW_BIN" -r "$TMP/h2.pcap" -R "$DEF" --state-dir "$TMP/sd" >"$TMP/h2.json" 2>"$TMP/err" || fail "h2 with state"
expect_eq "second half with the state: the beacon" "$(beacons "$TMP/h2.json")" \
	"2000 10.50.0.20 flow,2000 10.50.0.20 name,"
p=$(jq -r 'select(.beacon.key=="flow") | .beacon.period_s' "$TMP/h2.json" | head -1)
awk -v p="$p" 'BEGIN { exit !(p > 59 && p < 61) }' && ok "period $p s" || fail "period $p"
expect_eq "the alert's times span both halves" \
	"$(jq -r 'select(.beacon.key=="flow") | .beacon.times[0] | floor' "$TMP/h2.json" | head -1)" \
	"$(tcpdump -tt -nr "$TMP/h1.pcap" 2>/dev/null | head -1 | cut -d. -f1)"
expect_eq "beacon_list view" \
	"$(sqlite3 "$TMP/sd/bmcwatch.db" "SELECT sid, dest, port, events, median_gap_s, last_alert IS NOT NULL FROM beacon_list WHERE kind = 'flow'")" \
	"2000|203.0.113.5|443|12|60.0|1"

# ---- new_peer
cat >"$TMP/np.rules" <<'EOF'
var BMC = [10.50.0.0/16]
alert ip $BMC any -> any any (msg:"BMC talked to a new peer"; new_peer:1h; sid:1030; rev:1;)
EOF
"$GEN" -o "$TMP/a.pcap" -s 7 -d 3000 \
	-b tcp,period=600,src=10.50.0.20,dst=203.0.113.5,port=443,sni=known.example \
	-b udp,period=600,src=10.50.0.21,dst=198.51.100.7,port=5000 >/dev/null || fail "gen a"
# b: the known peer (another address, same name), a new name, a new address
"$GEN" -o "$TMP/b.pcap" -s 8 -d 7200 \
	-b tcp,period=600,start=3700,src=10.50.0.20,dst=203.0.113.6,port=443,sni=known.example \
	-b tcp,period=900,start=3800,src=10.50.0.20,dst=203.0.113.9,port=443,sni=new.example \
	-b udp,period=600,start=3700,src=10.50.0.21,dst=198.51.100.8,port=5000 >/dev/null || fail "gen b"
want="1030 10.50.0.20 203.0.113.9 new.example,1030 10.50.0.21 198.51.100.8 -,"
"$BW_BIN" -r "$TMP/a.pcap" -r "$TMP/b.pcap" -R "$TMP/np.rules" >"$TMP/ab.json" 2>/dev/null || fail "a+b"
expect_eq "one replay: new peers after the learning hour" "$(alerts "$TMP/ab.json")" "$want"
"$BW_BIN" -r "$TMP/b.pcap" -R "$TMP/np.rules" >"$TMP/b-alone.json" 2>/dev/null || fail "b alone"
expect_eq "b alone: still learning, no alert" "$(alerts "$TMP/b-alone.json")" ""
"$BW_BIN" -r "$TMP/a.pcap" -R "$TMP/np.rules" --state-dir "$TMP/np" >"$TMP/a.json" 2>/dev/null || fail "a with state"
expect_eq "learning run: no alert" "$(alerts "$TMP/a.json")" ""
"$BW_BIN" -r "$TMP/b.pcap" -R "$TMP/np.rules" --state-dir "$TMP/np" >"$TMP/b.json" 2>/dev/null || fail "b with state"
expect_eq "next run with the state: only the new peers" "$(alerts "$TMP/b.json")" "$want"
expect_eq "peer_list" \
	"$(sqlite3 "$TMP/np/bmcwatch.db" "SELECT host, kind, peer, flows FROM peer_list ORDER BY 1, 2, 3" | tr '\n' ' ')" \
	"10.50.0.20|addr|203.0.113.5|5 10.50.0.20|addr|203.0.113.6|6 10.50.0.20|addr|203.0.113.9|4 10.50.0.20|name|known.example|11 10.50.0.20|name|new.example|4 10.50.0.21|addr|198.51.100.7|5 10.50.0.21|addr|198.51.100.8|6 "
# the same capture, another batch interval: the same database content
"$BW_BIN" -r "$TMP/a.pcap" -R "$TMP/np.rules" --state-dir "$TMP/np1" --state-interval 1 >/dev/null 2>&1
"$BW_BIN" -r "$TMP/a.pcap" -R "$TMP/np.rules" --state-dir "$TMP/np2" --state-interval 3600 >/dev/null 2>&1
expect_eq "deterministic database" \
	"$(sqlite3 "$TMP/np1/bmcwatch.db" .dump | md5sum)" "$(sqlite3 "$TMP/np2/bmcwatch.db" .dump | md5sum)"

# ---- a corrupt state file
mkdir -p "$TMP/bad"
head -c 8192 /dev/urandom >"$TMP/bad/bmcwatch.db"
"$BW_BIN" -r "$TMP/a.pcap" -r "$TMP/b.pcap" -R "$TMP/np.rules" --state-dir "$TMP/bad" >"$TMP/bad.json" 2>"$TMP/err"
expect_eq "corrupt state: exit 0" $? 0
expect_eq "corrupt state: one line" "$(wc -l <"$TMP/err")" 1
grep -q "bmcwatch.db: file is not a database; moved to .*/bmcwatch.db.corrupt-[0-9TZ]*, starting with empty state" "$TMP/err" &&
	ok "corrupt state: message" || fail "corrupt state: $(cat "$TMP/err")"
expect_eq "corrupt state: the old file kept" "$(ls "$TMP/bad" | grep -c '^bmcwatch.db.corrupt-')" 1
expect_eq "corrupt state: same alerts as without" "$(alerts "$TMP/bad.json")" "$want"
expect_eq "corrupt state: a new database" "$(sqlite3 "$TMP/bad/bmcwatch.db" 'PRAGMA user_version')" 1
"$BW_BIN" -r "$TMP/a.pcap" --state-dir "$TMP/np.rules" -R "$TMP/np.rules" >/dev/null 2>"$TMP/err"
expect_eq "state dir is a file: exit 1" $? 1
grep -q "state-dir .*np.rules: not a directory" "$TMP/err" && ok "not a directory" || fail "$(cat "$TMP/err")"

# hostile values in a well-formed database: no overflow (the sanitizer
# build reports any), the replay still runs and alerts as before
cp -r "$TMP/np" "$TMP/hostile"
sqlite3 "$TMP/hostile/bmcwatch.db" "UPDATE meta SET value = -9223372036854775807 WHERE key = 'learning_since_ns';
	INSERT INTO peers VALUES ('10.50.0.9', 'addr', '1.2.3.4', 9223372036854775807, -9223372036854775808, -1);
	INSERT INTO peers VALUES ('10.50.0.9', 'name', 'bad name', 0, 0, 1)"
cp -r "$TMP/sd" "$TMP/hostile-sd"
sqlite3 "$TMP/hostile-sd/bmcwatch.db" "UPDATE beacon_series SET alert_ns = 9223372036854775807, total = -5, scored = 99999;
	INSERT INTO beacon_series (key, times) VALUES (x'00', x'0102');"
"$BW_BIN" -r "$TMP/b.pcap" -R "$TMP/np.rules" --state-dir "$TMP/hostile" >"$TMP/h.json" 2>"$TMP/err"
expect_eq "hostile peers: exit 0" $? 0
grep -q "unreadable rows skipped" "$TMP/err" && ok "hostile peers: bad rows reported" || fail "$(cat "$TMP/err")"
"$BW_BIN" -r "$TMP/h2.pcap" -R "$DEF" --state-dir "$TMP/hostile-sd" >"$TMP/h.json" 2>"$TMP/err"
expect_eq "hostile series: exit 0" $? 0
grep -q "1 unreadable rows skipped" "$TMP/err" && ok "hostile series: bad row reported" || fail "$(cat "$TMP/err")"

# ---- live: SIGKILL loses at most the last batch
live_part() {
	command -v tcpreplay >/dev/null 2>&1 || { echo "SKIP: no tcpreplay"; return; }
	NS=bwst$$
	veth_ns "$NS" || { echo "SKIP: live part: $VETH_WHY"; return; }
	cat >"$TMP/np0.rules" <<'EOF'
var BMC = [10.50.0.0/16]
alert ip $BMC any -> any any (msg:"BMC talked to a new peer"; new_peer:0; sid:1030; rev:1;)
EOF
	ip netns exec "$NS" "$BW_BIN" -i bwv0 -R "$TMP/np0.rules" -o "$TMP/live.json" \
		--state-dir "$TMP/live" --state-interval 1 --allow-root \
		--http 127.0.0.1:0 2>"$TMP/lerr" &
	LPID=$!
	wait_grep "$TMP/lerr" "capturing on" || fail "live start: $(cat "$TMP/lerr")"
	ip netns exec "$NS" tcpreplay -q --topspeed -i bwv1 "$TMP/a.pcap" >/dev/null 2>&1 || fail "tcpreplay"
	sleep 1.5
	# a reload keeps the known peers: b's flow to a known name at a new
	# address stays quiet, its two new peers alert
	kill -HUP "$LPID"
	wait_grep "$TMP/lerr" "reloaded" || fail "no reload: $(cat "$TMP/lerr")"
	ip netns exec "$NS" tcpreplay -q --topspeed -i bwv1 "$TMP/b.pcap" >/dev/null 2>&1 || fail "tcpreplay b"
	sleep 3
	PORT=$(sed -n 's/.*metrics on port \([0-9]*\).*/\1/p' "$TMP/lerr")
	if command -v curl >/dev/null 2>&1 && [ -n "$PORT" ]; then
		ip netns exec "$NS" curl -s "http://127.0.0.1:$PORT/metrics" >"$TMP/metrics"
		expect_eq "/metrics: peers known" \
			"$(sed -n 's/^bmcwatch_peers_known //p' "$TMP/metrics")" 7
		n=$(sed -n 's/^bmcwatch_state_batches_total //p' "$TMP/metrics")
		[ "${n:-0}" -ge 2 ] && ok "/metrics: $n state batches" || fail "state batches: [$n]"
		expect_eq "/metrics: no failed batch" \
			"$(sed -n 's/^bmcwatch_state_batch_failures_total //p' "$TMP/metrics")" 0
	else
		echo "SKIP: /metrics (no curl)"
	fi
	kill -KILL "$LPID"
	wait "$LPID" 2>/dev/null
	ip netns del "$NS"
	# the sensor decided on every flow (alerts) before the last batch;
	# each alert's peer must be in the database the killed sensor left
	jq -r 'select(.event_type=="alert") | "\(.src_ip)|\(.dest_ip)"' "$TMP/live.json" | sort -u >"$TMP/alerted"
	sqlite3 "$TMP/live/bmcwatch.db" "SELECT host || '|' || peer FROM peers WHERE kind = 'addr'" | sort -u >"$TMP/saved"
	expect_eq "live: alerts for a's two peers, then b's two new ones (peers kept through SIGHUP)" \
		"$(tr '\n' ' ' <"$TMP/alerted")" \
		"10.50.0.20|203.0.113.5 10.50.0.20|203.0.113.9 10.50.0.21|198.51.100.7 10.50.0.21|198.51.100.8 "
	expect_eq "after SIGKILL: every alerted peer saved" "$(comm -23 "$TMP/alerted" "$TMP/saved")" ""
	expect_eq "after SIGKILL: names saved" \
		"$(sqlite3 "$TMP/live/bmcwatch.db" "SELECT peer FROM peers WHERE kind = 'name' ORDER BY 1" | tr '\n' ' ')" "known.example new.example "
	expect_eq "after SIGKILL: the database is sound" \
		"$(sqlite3 "$TMP/live/bmcwatch.db" 'PRAGMA integrity_check')" ok

	# -D: the daemon (the forked child) opens and writes the database
	veth_ns "$NS" || { echo "SKIP: -D part: $VETH_WHY"; return; }
	ip netns exec "$NS" "$BW_BIN" -i bwv0 -D --pidfile "$TMP/d.pid" -R "$TMP/np0.rules" \
		-o "$TMP/d.json" --state-dir "$TMP/dstate" --state-interval 1 --allow-root 2>"$TMP/derr"
	expect_eq "-D: started" $? 0
	ip netns exec "$NS" tcpreplay -q --topspeed -i bwv1 "$TMP/a.pcap" >/dev/null 2>&1 || fail "tcpreplay -D"
	sleep 3
	expect_eq "-D: peers in the database while running" \
		"$(sqlite3 "$TMP/dstate/bmcwatch.db" "SELECT count(*) FROM peers")" 3
	DPID=$(cat "$TMP/d.pid")
	kill -TERM "$DPID" 2>/dev/null
	wait_until 5 sh -c "! kill -0 $DPID 2>/dev/null" || fail "-D: still running after SIGTERM"
	ip netns del "$NS"
	expect_eq "-D: database sound after SIGTERM" \
		"$(sqlite3 "$TMP/dstate/bmcwatch.db" 'PRAGMA integrity_check')" ok
}
live_part
done_
