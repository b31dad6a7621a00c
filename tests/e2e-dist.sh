#!/bin/sh
# The packaging files parse: the systemd unit passes `systemd-analyze
# verify` (with the built binary and man pages in place of the installed
# ones) and scores no worse than "OK" in `systemd-analyze security`; the
# logrotate snippet parses; the defaults file is plain VAR=value lines.
. "$(dirname "$0")/lib.sh"
D=$BW_SRC/dist

# defaults file: comments, blank lines and VAR=value only (systemd's
# EnvironmentFile syntax, also sourceable by sh)
bad=$(grep -Ev '^(#.*|[A-Z_]+=("[^"]*"|[^ "]*)|)$' "$D/bmcwatch.default")
expect_eq "defaults file syntax" "$bad" ""
( set -e; . "$D/bmcwatch.default"; [ -n "$BMCWATCH_IFACE" ] && [ -n "$BMCWATCH_RULES" ] ) &&
	ok "defaults file sources" || fail "defaults file does not source"
for v in BMCWATCH_IFACE BMCWATCH_RULES BMCWATCH_OPTS; do
	grep -q "\${*$v" "$D/bmcwatch.service" && ok "unit uses $v" || fail "unit lacks $v"
done

if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$TMP/man/man8" "$TMP/man/man5"
	cp "$BW_SRC/doc/bmcwatch.8" "$TMP/man/man8/"
	cp "$BW_SRC/doc/bmcwatch.rules.5" "$TMP/man/man5/"
	sed "s|/usr/local/bin/bmcwatch|$BW_BIN|" "$D/bmcwatch.service" >"$TMP/bmcwatch.service"
	if MANPATH=$TMP/man systemd-analyze verify "$TMP/bmcwatch.service" >"$TMP/v" 2>&1; then
		ok "systemd-analyze verify"
	else
		fail "systemd-analyze verify"; cat "$TMP/v" >&2
	fi
	# exposure: 0 (locked down) .. 10 (unsafe); "OK" is below 4
	score=$(systemd-analyze security --offline=true "$TMP/bmcwatch.service" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -n "$score" ]; then
		awk -v s="$score" 'BEGIN { exit !(s < 4) }' && ok "exposure $score" ||
			fail "exposure $score (want < 4)"
	else
		echo "SKIP: this systemd-analyze has no offline security check"
	fi
else
	echo "SKIP: systemd-analyze not installed"
fi

if command -v logrotate >/dev/null 2>&1; then
	mkdir -p "$TMP/log"
	echo '{}' >"$TMP/log/eve.json"
	sed -e "s|/var/log/bmcwatch|$TMP/log|" -e "s/bmcwatch bmcwatch/$(id -un) $(id -gn)/" \
		"$D/bmcwatch.logrotate" >"$TMP/lr.conf"
	logrotate -d -s "$TMP/lr.state" "$TMP/lr.conf" >"$TMP/lr" 2>&1 &&
		! grep -qi "error" "$TMP/lr" && ok "logrotate snippet parses" ||
		{ fail "logrotate snippet"; cat "$TMP/lr" >&2; }
else
	echo "SKIP: logrotate not installed"
fi
done_
