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
