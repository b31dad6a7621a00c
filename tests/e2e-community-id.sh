#!/bin/sh
# Community ID of every flow of the spec's combined capture equals the
# published baseline (read through stdin, as `zcat x | bmcwatch -r -`).
. "$(dirname "$0")/lib.sh"
CID=$SHARED/community-id
[ -f "$CID/combined.pcap.gz" ] || skip "no $CID"
need jq
zcat "$CID/combined.pcap.gz" | "$BW_BIN" -r - -R /dev/null --flows >"$TMP/out" 2>"$TMP/err" \
	|| { fail "replay failed"; cat "$TMP/err" >&2; }
jq -r 'select(.event_type=="flow") | .community_id' "$TMP/out" | sort -u >"$TMP/got"
jq -r '.[].communityid' "$CID/baseline_deflt.json" | sort -u >"$TMP/want"
if cmp -s "$TMP/got" "$TMP/want"; then
	ok "$(wc -l <"$TMP/want") community IDs match the baseline"
else
	fail "community IDs differ"; diff "$TMP/want" "$TMP/got" >&2
fi
done_
