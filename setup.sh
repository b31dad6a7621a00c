#!/bin/sh
# setup.sh - build bmcwatch on a fresh Debian machine and either run the
# demo or the test suite.  Missing packages are installed with apt-get
# when run as root; otherwise the missing ones are named.
#
#   ./setup.sh demo     build, replay pcaps/demo-egress.pcap with
#                       rules/default.rules, print the alerts
#   ./setup.sh test     build with warnings as errors, run `make check`
#   ./setup.sh deps     only install the packages
set -eu
cd "$(dirname "$0")"
TOP=$(pwd)
BUILD=${BUILD:-$TOP/build}

# build: compiler, autotools, libraries.  test: what the tests use
# (jq, the EVE schema validator, the GeoIP test-database writer, mandoc,
# clang with its libFuzzer runtime for the short fuzz run, rsyslog,
# tcpreplay and curl for the live tests, chromium for the report tests).
BUILD_PKGS="gcc make autoconf automake pkg-config libpcap-dev libevent-dev libmaxminddb-dev libjansson-dev libsqlite3-dev"
TEST_PKGS="jq python3 python3-jsonschema libmaxmind-db-writer-perl mandoc gzip clang libclang-rt-14-dev rsyslog iproute2 tcpdump tcpreplay curl chromium logrotate sqlite3"

missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
	done
}

install_pkgs() {
	need=$(missing "$@")
	[ -z "$need" ] && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "setup: installing:" $need >&2
		apt-get update -qq >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
	else
		echo "setup: missing packages (run as root to install): $need" >&2
		exit 1
	fi
}

build() {
	[ -x configure ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
	mkdir -p "$BUILD"
	cd "$BUILD"
	if [ ! -f Makefile ]; then
		"$TOP/configure" --quiet "$@"
	fi
	make -s -j"$(nproc)"
	cd "$TOP"
}

case "${1:-}" in
deps)
	install_pkgs $BUILD_PKGS $TEST_PKGS
	;;
demo)
	install_pkgs $BUILD_PKGS
	build
	echo "== bmcwatch -r pcaps/demo-egress.pcap -R rules/default.rules (alerts only)" >&2
	"$BUILD/sensor/bmcwatch" -r pcaps/demo-egress.pcap -R rules/default.rules --no-stats
	;;
test)
	install_pkgs $BUILD_PKGS $TEST_PKGS
	build --enable-werror
	cd "$BUILD"
	make -s -j"$(nproc)" check
	;;
*)
	sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
