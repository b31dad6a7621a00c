#!/bin/sh
# The man pages are complete enough to pass mandoc's linter.
. "$(dirname "$0")/lib.sh"
need mandoc
for m in doc/bmcwatch.8 doc/bmcwatch.rules.5; do
	if mandoc -T lint -W warning "$BW_SRC/$m" >"$TMP/lint" 2>&1; then
		ok "$m"
	else
		fail "$m"; cat "$TMP/lint" >&2
	fi
done
# every long option the program accepts is documented
for opt in $("$BW_BIN" --help | grep -o -e '--[a-z-]*' | sort -u); do
	o=$(echo "$opt" | sed 's/^--//; s/-/\\\\-/g')
	grep -q -e "Fl \\\\-$o" "$BW_SRC/doc/bmcwatch.8" || fail "$opt not in bmcwatch(8)"
done
done_
