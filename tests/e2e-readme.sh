#!/bin/sh
# The README shows what `./setup.sh demo` prints: the EVE lines in its
# demo block must be exactly what the binary writes for that command, so
# a change of output cannot leave the first thing a reader sees stale.
. "$(dirname "$0")/lib.sh"
README=$BW_SRC/README.md
[ -f "$README" ] || skip "no README.md"
# the lines after the "== bmcwatch -r ..." banner up to the closing fence
awk '/^\$ \.\/setup\.sh demo$/ { inblk = 1; next }
     inblk && /^== / { body = 1; next }
     inblk && /^```/ { exit }
     body { print }' "$README" >"$TMP/want"
[ -s "$TMP/want" ] || fail "no demo output block in README.md"
(cd "$BW_SRC" && "$BW_BIN" -r pcaps/demo-egress.pcap -R rules/default.rules --no-stats) >"$TMP/got" 2>"$TMP/err" ||
	fail "demo command exit $?"
if cmp -s "$TMP/want" "$TMP/got"; then
	ok "README demo output is current ($(wc -l <"$TMP/got") lines)"
else
	fail "README demo output differs from the binary's"
	diff "$TMP/want" "$TMP/got" | cut -c1-200 >&2
fi
done_
