# shellcheck shell=sh
# netns-lib.sh - the network-namespace test bed shared by make-captures.sh
# and make-discover.sh.  Sourced (". netns-lib.sh"), POSIX sh, set -eu safe.
#
# Both scripts build the same kind of bed: one namespace per host, each
# with a veth into bridge br0 in a "switch" namespace, IPv6 off, static
# MACs and permanent neighbours, quickack routes; real daemons run in the
# namespaces and tcpdump records on br0.  The packet order of the captures
# rests on these details (see pcaps/README.md, "Determinism"), so they live in
# one place instead of two copies that could drift apart.
#
# Provides:
#   chk CMD PKG           note PKG for install if CMD is not found
#   install_missing       apt-get install what chk noted
#   netns_init PFX TAG    namespace prefix $P=PFX$$, work dir $W
#                         (/tmp/bmcw-TAG.XXXXXX), cleanup trap: kills
#                         $PIDS, deletes $NSS, copies $W to $KEEPLOGS if
#                         that is set (for debugging), removes $W
#   bg NS CMD...          run CMD in namespace NS in the background
#   x NS CMD...           run CMD in namespace NS
#   newns NAME            make namespace $P$NAME: IPv6 off, client ports
#                         40000-40999, no ICMP rate limit, plus the
#                         "name=value" words in $NETNS_SYSCTLS
#   mktopo                the bridge and one host per line of $HOSTS
#                         ("name address mac")
#   mkipmi NAME MFG PRODUCT [nulluser]
#                         ipmi_sim on NAME:623/udp with users ADMIN/ADMIN
#                         and monitor/mon1tor (and user 1 "" / test with
#                         "nulluser"); Get Device ID gives MFG (IANA) and
#                         PRODUCT
#   waitport NS PROTO ADDR:PORT   wait until a daemon listens
#   start_cap FILE / stop_cap FILE   record br0 into $W/FILE; move it to $OUT
#   step                  the pause between two steps
#   ipmi NS HOST ARGS...  ipmitool (-I $IPMI_IF if set), no retries
#
# The sourcing script runs under set -eu and sets $OUT (for stop_cap) and
# $HOSTS (for mktopo) itself.

need=""
chk() { command -v "$1" >/dev/null 2>&1 || need="$need $2"; }
install_missing() {
    [ -n "$need" ] || return 0
    echo "installing:$need" >&2
    # shellcheck disable=SC2086	# a list of package names
    DEBIAN_FRONTEND=noninteractive apt-get install -y $need >/dev/null
}

netns_init() { # netns_init PREFIX TAG
    P=$1$$
    W=$(mktemp -d "/tmp/bmcw-$2.XXXXXX")
    PIDS=""
    NSS=""
    trap cleanup EXIT
    trap 'exit 130' INT TERM HUP
}
cleanup() {
    set +e
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    sleep 0.3
    for p in $PIDS; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    for n in $NSS; do ip netns del "$n" 2>/dev/null; done
    if [ -n "${KEEPLOGS:-}" ]; then cp -r "$W" "$KEEPLOGS"; fi
    rm -rf "$W"
}

bg() { # bg NS cmd... : run in namespace NS in the background, remember pid
    ns=$1; shift
    ip netns exec "$P$ns" "$@" >>"$W/$ns.log" 2>&1 &
    PIDS="$PIDS $!"
}
x() { ns=$1; shift; ip netns exec "$P$ns" "$@"; }   # run in namespace

# ---- topology ----------------------------------------------------------
newns() {
    ip netns add "$P$1"; NSS="$NSS $P$1"
    # shellcheck disable=SC2086	# NETNS_SYSCTLS: a list of name=value
    ip netns exec "$P$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1 net.ipv4.ip_local_port_range="40000 40999" \
        net.ipv4.icmp_ratelimit=0 ${NETNS_SYSCTLS:-}
    ip -n "$P$1" link set lo up
}
mktopo() {
    newns sw
    ip -n "${P}sw" link add br0 type bridge stp_state 0 mcast_snooping 0
    ip -n "${P}sw" link set br0 address 02:00:00:00:00:fe
    ip -n "${P}sw" link set br0 up
    while read -r n a m; do
        newns "$n"
        ip link add name eth0 netns "$P$n" address "$m" type veth peer name "p$n" netns "${P}sw"
        ip -n "${P}sw" link set "p$n" master br0
        ip -n "${P}sw" link set "p$n" up
        ip -n "$P$n" addr add "$a/32" dev eth0
        ip -n "$P$n" link set eth0 up
        # everyone is on-link; quickack: ACK every segment at once, so
        # delayed-ACK timing cannot change the packet sequence between runs
        ip -n "$P$n" route add default dev eth0 quickack 1
        echo "$HOSTS" | while read -r n2 a2 m2; do
            [ "$n2" = "$n" ] && continue
            ip -n "$P$n" neigh replace "$a2" lladdr "$m2" nud permanent dev eth0
        done
    done <<EOF
$HOSTS
EOF
}

# ---- peers -------------------------------------------------------------
mkipmi() { # mkipmi NAME MANUFACTURER-IANA PRODUCT [nulluser]
    d=$W/ipmi-$1; mkdir -p "$d/state"
    {
        cat <<'EOF'
name "bmc"
set_working_mc 0x20
  startlan 1
    addr 0.0.0.0 623
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
EOF
        # user 1 has an empty name: what a null-user RAKP1 logs in as
        if [ "${4:-}" = nulluser ]; then
            echo '  user 1 true  ""        "test"    user   10  none md2 md5 straight'
        fi
        cat <<'EOF'
  user 2 true  "ADMIN"   "ADMIN"   admin  10  none md2 md5 straight
  user 3 true  "monitor" "mon1tor" user   10  none md2 md5 straight
EOF
    } >"$d/lan.conf"
    cat >"$d/emu.cmds" <<EOF
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f $2 $3 persist_sdr
sel_enable 0x20 1000 0x0a
mc_enable 0x20
EOF
    bg "$1" ipmi_sim -c "$d/lan.conf" -f "$d/emu.cmds" -n -s "$d/state"
}

waitport() { # waitport NS PROTO ADDR:PORT
    i=0
    while ! x "$1" ss -Hln"$( [ "$2" = udp ] && echo u || echo t )" | grep -q " $3 "; do
        i=$((i + 1)); [ $i -gt 100 ] && { echo "no listener $3 in $1" >&2; cat "$W/$1.log" >&2; exit 1; }
        sleep 0.1
    done
}

# ---- capture -----------------------------------------------------------
CAP=""
start_cap() { # start_cap FILE: record only once tcpdump says it listens
    rm -f "$W/cap.err"
    ip netns exec "${P}sw" tcpdump -i br0 -U -w "$W/$1" >/dev/null 2>"$W/cap.err" &
    CAP=$!; PIDS="$PIDS $CAP"
    i=0; until grep -q listening "$W/cap.err" 2>/dev/null; do
        i=$((i + 1)); [ $i -gt 100 ] && { cat "$W/cap.err" >&2; exit 1; }; sleep 0.1
    done
    sleep 0.3
}
stop_cap() { # stop_cap FILE
    sleep 1
    kill -INT "$CAP"; wait "$CAP" || true
    mv "$W/$1" "$OUT/$1"; chown --reference="$OUT" "$OUT/$1"; chmod 644 "$OUT/$1"
    echo "$1: $(tcpdump -nn -r "$OUT/$1" 2>/dev/null | wc -l) packets" >&2
}
step() { sleep 0.5; }
ipmi() { # ipmi NS HOST args...: ipmitool, no retries, short timeout
    ns=$1; h=$2; shift 2
    x "$ns" ipmitool ${IPMI_IF:+-I "$IPMI_IF"} -H "$h" -R 1 -N 2 "$@" >>"$W/ipmitool.log" 2>&1 || true
}
