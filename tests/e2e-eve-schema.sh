#!/bin/sh
# Every record bmcwatch writes for the bundled and shared captures
# validates against Suricata's EVE schema once bmcwatch's own top-level
# objects are removed.
. "$(dirname "$0")/lib.sh"
SCHEMA=$SHARED/eve-schema/suricata-eve-schema.json
[ -f "$SCHEMA" ] || skip "no $SCHEMA"
python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema not installed"
OWN=$(sed -n 's/^#define EVE_OWN_KEYS[^"]*"\(.*\)"/\1/p' "$BW_SRC/sensor/output-eve.h")
[ -n "$OWN" ] || fail "EVE_OWN_KEYS not found"
i=0
for f in "$BW_SRC"/pcaps/*.pcap "$SHARED"/pcaps/*.pcap* "$SHARED"/pcaps/external/*.pcap*; do
	[ -f "$f" ] || continue
	i=$((i + 1))
	"$BW_BIN" -r "$f" -R "$BW_SRC/rules/default.rules" --flows --dns -o "$TMP/eve$i.json" 2>/dev/null
done
python3 "$BW_SRC/tests/eve-validate.py" "$SCHEMA" "$OWN" "$TMP"/eve*.json \
	>"$TMP/report" 2>&1 || { fail "schema validation"; head -30 "$TMP/report" >&2; }
tail -1 "$TMP/report"
done_
