# lib.sh - shared helpers for the shell tests (sourced).
# automake's harness sets BW_BIN (the built binary) and BW_SRC (the source
# tree); exit 77 means "skipped" to the harness.
set -u
: "${BW_BIN:=$(cd "$(dirname "$0")/.." && pwd)/sensor/bmcwatch}"
: "${BW_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
SHARED=${BW_SHARED:-$BW_SRC/../shared}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bwtest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAILS=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
skip() { echo "SKIP: $*" >&2; exit 77; }
need() { command -v "$1" >/dev/null 2>&1 || skip "$1 not installed"; }
# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got [$2], want [$3]"; fi
}
done_() { [ "$FAILS" -eq 0 ] && exit 0; echo "$FAILS failure(s)" >&2; exit 1; }

# veth_ns NS: a network namespace NS holding a veth pair bwv0 <-> bwv1,
# both up, and lo up, with IPv6 off: no router solicitation or MLD, so
# the only frames on the link are the ones the test sends.  Returns 1,
# with the reason in VETH_WHY, when this machine cannot (not root, no
# iproute2, no namespaces, no veth); the caller skips or goes on.
veth_ns() {
	VETH_WHY=
	[ "$(id -u)" = 0 ] || { VETH_WHY="needs root (network namespaces)"; return 1; }
	command -v ip >/dev/null 2>&1 || { VETH_WHY="ip not installed"; return 1; }
	ip netns add "$1" 2>/dev/null || { VETH_WHY="cannot create a network namespace"; return 1; }
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	if ! ip -n "$1" link add bwv0 type veth peer name bwv1 2>/dev/null; then
		ip netns del "$1"
		VETH_WHY="no veth support"
		return 1
	fi
	for _l in lo bwv0 bwv1; do ip -n "$1" link set "$_l" up; done
}

# wait_grep FILE PATTERN [TENTHS]: until FILE has a line matching PATTERN,
# polling every 0.1 s, at most TENTHS tenths (default 50: 5 s); 1 if not.
wait_grep() {
	_i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1)); [ $_i -gt "${3:-50}" ] && return 1; sleep 0.1
	done
}
# wait_until SECONDS COMMAND...: until COMMAND succeeds, polling every
# 0.1 s for at most SECONDS; 1 if it never did.
wait_until() {
	_n=$(($1 * 10)); shift
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1; _n=$((_n - 1))
	done
	return 1
}
