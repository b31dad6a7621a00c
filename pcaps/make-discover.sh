#!/bin/sh
# make-discover.sh - regenerate pcaps/discover.pcap: a management segment
# with three simulated BMCs of different vendors, each giving away what
# it is in a different way, plus a manager, a scanner and an ordinary
# server that must NOT be taken for BMCs (issue 10, `--discover`).
#
# Usage (as root): pcaps/make-discover.sh [OUTDIR]    (default: this dir)
#
# Real peers in network namespaces on one bridge (netns-lib.sh, the same
# set-up as make-captures.sh): OpenIPMI's ipmi_sim answering ipmitool
# (RMCP+, and IPMI 1.5 which opens with an ASF presence ping) and nmap's
# ipmi-version script, a Python/OpenSSL TLS 1.2 server with a
# Supermicro-like self-signed certificate, a Python HTTP server with an
# iLO-like Server header and a Redfish service root, snmpd with an
# iDRAC-like sysDescr/sysObjectID, an SSDP responder and NOTIFY, and
# listeners on TCP 623 and 17988.
#   bmc1 10.50.0.10 00:25:90 (Super Micro) ipmi_sim lanplus, TLS, TCP 623, SSDP
#   bmc2 10.50.0.11 4c:ae:a3 (HPE)         ipmi_sim IPMI 1.5 + ASF, HTTP, 17988
#   bmc3 10.50.0.12 98:e7:43 (Dell)        snmpd only (no IPMI on the wire)
#   admin 10.1.0.40 0c:c4:7a (Super Micro) the manager: only sends requests
#   scan  10.1.0.66 02:00:00 (local)       nmap: only sends requests
#   web   10.1.0.80 98:e7:43 (Dell)        an ordinary HTTPS server
# The vendor strings served by the simulated peers say "(simulated)": they
# are made to look like a BMC's, not copied from one.
#
# Determinism: as make-captures.sh (IPv6 off, static MACs and neighbours,
# quickack, one step at a time, nmap's three probes ordered by a token
# bucket).  Timestamps, ports, TCP sequence numbers and TLS randoms differ
# between runs; packet order and count do not.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

[ "$(id -u)" = 0 ] || { echo "make-discover.sh: must run as root (netns)" >&2; exit 1; }

# shellcheck source=pcaps/netns-lib.sh
. "$HERE/netns-lib.sh"

chk tcpdump tcpdump; chk ip iproute2; chk ipmi_sim openipmi
chk ipmitool ipmitool; chk curl curl; chk /usr/sbin/snmpd snmpd
chk snmpget snmp; chk python3 python3; chk nmap nmap; chk openssl openssl
install_missing

netns_init bd discover

# ---- topology ----------------------------------------------------------
HOSTS="bmc1 10.50.0.10 00:25:90:5e:0b:10
bmc2 10.50.0.11 4c:ae:a3:11:00:11
bmc3 10.50.0.12 98:e7:43:12:00:12
admin 10.1.0.40 0c:c4:7a:01:00:40
scan 10.1.0.66 02:00:00:00:01:66
web 10.1.0.80 98:e7:43:01:00:80"
# IGMPv2, with the repeated unsolicited report at most 10 ms after the
# first (default: up to 10 s), so the SSDP responder's group join is over
# before tcpdump starts and the capture holds no IGMP
NETNS_SYSCTLS="net.ipv4.conf.all.force_igmp_version=2
    net.ipv4.conf.all.igmpv2_unsolicited_report_interval=10
    net.ipv4.conf.default.igmpv2_unsolicited_report_interval=10"
mktopo

# ---- peers ---------------------------------------------------------------
mkipmi bmc1 10876 0x0910		# Get Device ID: Super Micro Computer
mkipmi bmc2 11 0x2000			# Get Device ID: Hewlett-Packard

# certificates: a Supermicro-like default certificate on bmc1, an
# ordinary one on the web server
openssl req -x509 -newkey rsa:2048 -nodes -set_serial 0x1c2d -days 3650 \
    -subj "/C=US/ST=California/L=San Jose/O=Super Micro Computer/OU=Software/CN=IPMI/emailAddress=support@supermicro.com" \
    -keyout "$W/bmc1.key" -out "$W/bmc1.crt" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -set_serial 0x5eb -days 30 \
    -subj "/O=Example Ops/CN=www.mgmt.example" \
    -keyout "$W/web.key" -out "$W/web.crt" 2>/dev/null

# TLS 1.2 server (as make-captures.sh): closes only after the client's FIN
cp "$HERE/tlsd.py" "$W/tlsd.py"
bg bmc1 python3 "$W/tlsd.py" 10.50.0.10 443 "$W/bmc1.crt" "$W/bmc1.key"
bg web python3 "$W/tlsd.py" 10.1.0.80 443 "$W/web.crt" "$W/web.key"

# HTTP on bmc2: an iLO-like Server header and a Redfish service root
cat >"$W/httpd.py" <<'EOF2'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    server_version = "HPE-iLO-Server/1.30"
    sys_version = ""
    def do_GET(self):
        body = (b'{"@odata.id":"/redfish/v1/","Id":"RootService",'
                b'"Name":"HPE RESTful Root Service","RedfishVersion":"1.6.0",'
                b'"Vendor":"HPE","Product":"ProLiant (simulated)"}')
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("OData-Version", "4.0")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.HTTPServer((sys.argv[1], int(sys.argv[2])), H).serve_forever()
EOF2
bg bmc2 python3 "$W/httpd.py" 10.50.0.11 80

# listeners that never accept: the SYN-ACK is all that is wanted
cat >"$W/listen.py" <<'EOF2'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(8)
time.sleep(3600)
EOF2
bg bmc1 python3 "$W/listen.py" 10.50.0.10 623		# Supermicro virtual media
bg bmc2 python3 "$W/listen.py" 10.50.0.11 17988	# iLO virtual media

# SSDP on bmc1: answers M-SEARCH from port 1900
cat >"$W/ssdpd.py" <<'EOF2'
import socket, struct, sys
me = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 1900))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
             struct.pack("4s4s", socket.inet_aton("239.255.255.250"),
                         socket.inet_aton(me)))
while True:
    d, a = s.recvfrom(2048)
    if not d.startswith(b"M-SEARCH"):
        continue
    s.sendto(("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\n"
              "LOCATION: http://%s:49152/description.xml\r\n"
              "SERVER: Linux/4.14, UPnP/1.0, Supermicro IPMI SSDP/1.0 (simulated)\r\n"
              "ST: upnp:rootdevice\r\n"
              "USN: uuid:00000000-0000-0000-0000-ac1f6b0b0010::upnp:rootdevice\r\n"
              "\r\n" % me).encode(), a)
EOF2
bg bmc1 python3 "$W/ssdpd.py" 10.50.0.10

# snmpd on bmc3: an iDRAC-like system group
mkdir -p "$W/snmp"
cat >"$W/snmpd.conf" <<EOF
agentAddress udp:10.50.0.12:161
rocommunity public 10.0.0.0/8
sysName idrac-bmc3
sysDescr iDRAC9 Integrated Dell Remote Access Controller (simulated)
sysObjectID .1.3.6.1.4.1.674.10892.5
sysLocation rack B07
sysContact infra@mgmt.example
master no
EOF
bg bmc3 env SNMP_PERSISTENT_DIR="$W/snmp" \
    /usr/sbin/snmpd -f -Lf "$W/snmpd.log" -C -c "$W/snmpd.conf" -p "$W/snmpd.pid"

waitport bmc1 udp '0.0.0.0:623'
waitport bmc2 udp '0.0.0.0:623'
waitport bmc1 tcp '10.50.0.10:443'
waitport bmc1 tcp '10.50.0.10:623'
waitport bmc1 udp '0.0.0.0:1900'
waitport bmc2 tcp '10.50.0.11:80'
waitport bmc2 tcp '10.50.0.11:17988'
waitport bmc3 udp '10.50.0.12:161'
waitport web tcp '10.1.0.80:443'

# ---- capture ---------------------------------------------------------------
start_cap discover.pcap

# 1. the manager polls bmc1 over RMCP+ (cipher suite 3)
ipmi admin 10.50.0.10 -I lanplus -U monitor -P mon1tor -L USER -C 3 mc info; step
# 2. ... and bmc2 over IPMI 1.5 (MD5): ipmitool starts with an ASF presence
# ping, and Get Device ID travels in clear
ipmi admin 10.50.0.11 -I lan -A MD5 -U monitor -P mon1tor -L USER mc info; step
# 3. the scanner: nmap ipmi-version against bmc1, then bmc3 and web (no 623)
x bmc1 tc qdisc add dev eth0 root tbf rate 32kbit burst 100 latency 1s
x scan nmap -n -sU -Pn -p 623 -g 48623 --max-retries 0 --script ipmi-version 10.50.0.10 \
    >>"$W/nmap.log" 2>&1 || true; step
x bmc1 tc qdisc del dev eth0 root
for h in 10.50.0.12 10.1.0.80; do
    x scan nmap -n -sU -Pn -p 623 -g 48623 --max-retries 0 --script ipmi-version "$h" \
        >>"$W/nmap.log" 2>&1 || true; step
done
# 4. HTTPS to bmc1's web UI (the certificate) and to the ordinary server
x admin curl -sk --max-time 5 -o /dev/null https://10.50.0.10/; step
x admin curl -sk --max-time 5 -o /dev/null https://10.1.0.80/; step
# 5. the Redfish service root of bmc2 over clear HTTP
x admin curl -s --max-time 5 -o /dev/null http://10.50.0.11/redfish/v1/; step
# 6. connections to the virtual media ports (SYN, SYN-ACK, ACK, FIN)
for hp in 10.50.0.10:623 10.50.0.11:17988; do
    x admin python3 -c '
import socket, sys
h, p = sys.argv[1].split(":")
s = socket.create_connection((h, int(p)), 2)
s.close()' "$hp" || true; step
done
# 7. SNMP system group of bmc3
x admin snmpget -m '' -On -r 0 -t 2 -v2c -c public 10.50.0.12 \
    .1.3.6.1.2.1.1.1.0 .1.3.6.1.2.1.1.2.0 >>"$W/snmp.log" 2>&1 || true; step
# 8. SSDP: the manager searches, bmc1 answers; then bmc1 announces itself
x admin python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
         b"MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: upnp:rootdevice\r\n\r\n",
         ("239.255.255.250", 1900))
try:
    s.recvfrom(2048)
except OSError:
    pass' ; step
x bmc1 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
         b"CACHE-CONTROL: max-age=1800\r\n"
         b"LOCATION: http://10.50.0.10:49152/description.xml\r\n"
         b"NT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
         b"SERVER: Linux/4.14, UPnP/1.0, Supermicro IPMI SSDP/1.0 (simulated)\r\n"
         b"USN: uuid:00000000-0000-0000-0000-ac1f6b0b0010::upnp:rootdevice\r\n\r\n",
         ("239.255.255.250", 1900))'; step

stop_cap discover.pcap
