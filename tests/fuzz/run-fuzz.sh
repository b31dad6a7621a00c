#!/bin/sh
# run-fuzz.sh - build every tests/fuzz/fuzz-NAME.c as a libFuzzer target and
# run it over its seed corpus tests/fuzz/corpus/NAME/.
#
# Why a script and not check_PROGRAMS: libFuzzer targets need clang's
# -fsanitize=fuzzer and instrumented copies of the parser sources, which the
# normal (gcc or unsanitized) build does not make.  So the script compiles
# its own copies into a temporary directory and skips (77) when no clang
# with libFuzzer is around.  Each target names the sources it needs in a
# "fuzz-sources:" line of its comment; without one, sensor/app-NAME.c;
# a "fuzz-libs:" line adds libraries (-lmaxminddb).
# The corpus is copied before the run because libFuzzer adds new inputs to
# the directory it is given and the source tree may be read-only; crash
# inputs are written to the current (build) directory as fuzz-NAME-crash-*.
#
# Environment: BW_SRC (source tree; automake sets it, default two levels up
# from this script), FUZZ_RUNS (executions per target, default 20000),
# CLANG (default clang), FUZZ_TARGETS (names to run, default all).
# Exit 0 when every target ran without a finding, 1 on any build failure or
# finding, 77 when clang or libFuzzer is missing.

BW_SRC=${BW_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
FUZZ_RUNS=${FUZZ_RUNS:-20000}
CLANG=${CLANG:-clang}
CFLAGS_FUZZ="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "run-fuzz: no $CLANG: skip"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bw-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# Does this clang link libFuzzer at all?
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
    > "$tmp/probe.c"
# shellcheck disable=SC2086	# CFLAGS_FUZZ is a list of words
if ! $CLANG $CFLAGS_FUZZ "$tmp/probe.c" -o "$tmp/probe" >/dev/null 2>&1; then
	echo "run-fuzz: $CLANG cannot build libFuzzer targets: skip"
	exit 77
fi

status=0
ran=0
for src in "$BW_SRC"/tests/fuzz/fuzz-*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	name=${name#fuzz-}
	if [ -n "$FUZZ_TARGETS" ]; then
		case " $FUZZ_TARGETS " in
		*" $name "*) ;;
		*) continue ;;
		esac
	fi

	deps=$(sed -n 's/.*fuzz-sources:[[:space:]]*//p' "$src" | head -n 1)
	libs=$(sed -n 's/.*fuzz-libs:[[:space:]]*//p' "$src" | head -n 1)
	[ -n "$deps" ] || deps="sensor/app-$name.c"
	paths=
	for d in $deps; do
		paths="$paths $BW_SRC/$d"
	done
	# shellcheck disable=SC2086	# flag and path lists
	if ! $CLANG $CFLAGS_FUZZ -I"$BW_SRC/sensor" "$src" $paths $libs \
	    -o "$tmp/fuzz-$name" 2>"$tmp/build-$name.log"; then
		echo "FAIL fuzz-$name: build"
		cat "$tmp/build-$name.log"
		status=1
		continue
	fi

	mkdir -p "$tmp/corpus-$name"
	if [ -d "$BW_SRC/tests/fuzz/corpus/$name" ]; then
		cp "$BW_SRC/tests/fuzz/corpus/$name"/* "$tmp/corpus-$name"/ \
		    2>/dev/null
	fi
	if "$tmp/fuzz-$name" -runs="$FUZZ_RUNS" -timeout=10 -max_len=16384 \
	    -artifact_prefix="$(pwd)/fuzz-$name-" "$tmp/corpus-$name" \
	    >"$tmp/run-$name.log" 2>&1; then
		echo "ok fuzz-$name: $(grep -o 'Done [0-9]* runs' \
		    "$tmp/run-$name.log")"
	else
		echo "FAIL fuzz-$name (inputs: $(pwd)/fuzz-$name-*)"
		tail -n 60 "$tmp/run-$name.log"
		status=1
	fi
	ran=$((ran + 1))
done

if [ "$ran" -eq 0 ] && [ "$status" -eq 0 ]; then
	echo "run-fuzz: no targets"
	exit 77
fi
exit $status
