/*
 * test-app-mgmt-svc.c - the SNMP, NTP, SSH and syslog parsers
 * (app-snmp.c, app-ntp.c, app-ssh.c, app-syslog.c) on real payloads: the
 * project's pcaps/ (made with nmap, snmpget, ssh, logger and chronyd) and
 * other projects' test captures in ../shared/pcaps/external.  Every
 * expected value was read with tshark 4.0 from the same frame; hand-built
 * messages cover the branches no capture reaches.  The project's captures
 * are remade from time to time, so their messages are found by port and
 * order.  Every payload of every capture read here is also given to every
 * management parser cut at every length on an exact-size malloc'ed copy
 * (app-mgmt-util.h), so an ASan build turns any read past n into a
 * failure.  Missing captures are skipped; when the shared directory is
 * absent the test exits 77 after the checks it could run (unless one
 * failed).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app-mgmt-util.h"

/* ---- hand-built messages: branches the captures do not reach ---- */

/* Append one BER TLV (short or 0x81/0x82 length) to d; returns its size. */
static size_t
put(uint8_t *d, uint8_t tag, const uint8_t *v, size_t len)
{
	size_t h = 0;

	d[h++] = tag;
	if (len < 0x80)
		d[h++] = (uint8_t)len;
	else if (len < 0x100) {
		d[h++] = 0x81;
		d[h++] = (uint8_t)len;
	} else {
		d[h++] = 0x82;
		d[h++] = (uint8_t)(len >> 8);
		d[h++] = (uint8_t)len;
	}
	memmove(d + h, v, len);
	return h + len;
}

/* An SNMPv2c response "private" with one varbind name = value. */
static size_t
snmp_response(uint8_t *out, const uint8_t *name, size_t nlen, uint8_t vtag,
    const uint8_t *val, size_t vlen)
{
	static const uint8_t zero = 0, one = 1;
	uint8_t vb[300], list[300], pdu[400], msg[500];
	size_t k, m;

	k = put(vb, 0x06, name, nlen);
	k += put(vb + k, vtag, val, vlen);
	k = put(list, 0x30, vb, k);
	k = put(vb, 0x30, list, k);
	m = put(pdu, 0x02, &one, 1);
	m += put(pdu + m, 0x02, &zero, 1);
	m += put(pdu + m, 0x02, &zero, 1);
	memcpy(pdu + m, vb, k);
	m += k;
	k = put(msg, 0x02, &one, 1);
	k += put(msg + k, 0x04, (const uint8_t *)"private", 7);
	k += put(msg + k, 0xa2, pdu, m);
	return put(out, 0x30, msg, k);
}

static void
test_synthetic_snmp(void)
{
	static const uint8_t descr[] = { 0x2b, 6, 1, 2, 1, 1, 1, 0 };
	static const uint8_t objid[] = { 0x2b, 6, 1, 2, 1, 1, 2, 0 };
	/* 1.3.6.1.4.1.674.10892.5 */
	static const uint8_t dell[] = { 0x2b, 6, 1, 4, 1, 0x85, 0x22, 0xd5,
	    0x0c, 5 };
	static const uint8_t huge[] = { 0x2b, 0x90, 0x80, 0x80, 0x80, 0 };
	static const uint8_t cut[] = { 0x2b, 6, 0x81 };
	static const uint8_t indef[] = { 0x30, 0x80, 2, 1, 0, 0, 0 };
	uint8_t m[600];
	struct snmp_info s;
	size_t n;

	n = snmp_response(m, descr, sizeof(descr), 0x04,
	    (const uint8_t *)"Linux bmc 5.10", 14);
	CHECK_INT(app_snmp_parse(m, n, &s), APP_OK);
	CHECK_INT(s.version, 2);
	CHECK_STR(s.community, "private");
	CHECK_INT(s.pdu_type, 0xa2);
	CHECK_STR(s.sys_descr, "Linux bmc 5.10");
	/* one byte short: the outer length overruns the datagram */
	CHECK_INT(app_snmp_parse(m, n - 1, &s), APP_NOT);
	n = snmp_response(m, objid, sizeof(objid), 0x06, dell, sizeof(dell));
	CHECK_INT(app_snmp_parse(m, n, &s), APP_OK);
	CHECK_STR(s.sys_object_id, "1.3.6.1.4.1.674.10892.5");
	n = snmp_response(m, objid, sizeof(objid), 0x06, huge, sizeof(huge));
	CHECK_INT(app_snmp_parse(m, n, &s), APP_OK);
	CHECK_STR(s.sys_object_id, "");
	n = snmp_response(m, objid, sizeof(objid), 0x06, cut, sizeof(cut));
	CHECK_INT(app_snmp_parse(m, n, &s), APP_OK);
	CHECK_STR(s.sys_object_id, "");
	/* the varbind's own length one past its parent's */
	n = snmp_response(m, descr, sizeof(descr), 0x04,
	    (const uint8_t *)"x", 1);
	m[n - 13]++;
	CHECK_INT(app_snmp_parse(m, n, &s), APP_NOT);
	CHECK_INT(app_snmp_parse(indef, sizeof(indef), &s), APP_NOT);
	CHECK_STR(app_snmp_pdu_name(0xa0), "get_request");
	CHECK_STR(app_snmp_pdu_name(0xa5), "get_bulk_request");
	CHECK_STR(app_snmp_pdu_name(0xa7), "trap_v2");
	CHECK_STR(app_snmp_pdu_name(0xa8), "report");
}

static void
test_synthetic_ntp(void)
{
	uint8_t b[100];
	struct ntp_info t;

	memset(b, 0, sizeof(b));
	b[0] = 0x23;				/* v4 client */
	b[48 + 2] = 0;				/* one 16-byte field */
	b[48 + 3] = 16;
	CHECK_INT(app_ntp_parse(b, 48 + 16 + 24, &t), APP_OK);
	CHECK_INT(t.anomaly, 0);
	CHECK_INT(app_ntp_parse(b, 48 + 4, &t), APP_OK);	/* crypto-NAK */
	CHECK_INT(t.anomaly, 0);
	CHECK_INT(app_ntp_parse(b, 48 + 5, &t), APP_OK);
	CHECK_INT(t.anomaly, NTP_ANOM_SIZE);
	b[48 + 3] = 15;				/* not a multiple of 4 */
	CHECK_INT(app_ntp_parse(b, 48 + 16 + 24, &t), APP_OK);
	CHECK_INT(t.anomaly, NTP_ANOM_SIZE);
	CHECK_INT(app_ntp_parse(b, 47, &t), APP_OK);
	CHECK_INT(t.anomaly, NTP_ANOM_SIZE);
	b[0] = 0x2b;				/* version 5 */
	CHECK_INT(app_ntp_parse(b, 48, &t), APP_OK);
	CHECK_INT(t.anomaly, NTP_ANOM_VERSION);
	b[0] = 0x20;				/* mode 0 */
	CHECK_INT(app_ntp_parse(b, 48, &t), APP_OK);
	CHECK_INT(t.anomaly, NTP_ANOM_MODE);
	b[0] = 0x16;				/* v2 control, short */
	CHECK_INT(app_ntp_parse(b, 8, &t), APP_OK);
	CHECK_INT(t.mode, 6);
	CHECK_INT(t.anomaly, NTP_ANOM_MODE | NTP_ANOM_SIZE);
	CHECK_INT(app_ntp_parse(b, 3, &t), APP_NOT);
}

static void
test_synthetic_ssh(void)
{
	static const char tls[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc";
	char big[9000];
	struct ssh_info h;
	size_t i;

#define SSH(str) app_ssh_parse((const uint8_t *)(str), strlen(str), &h)
	CHECK_INT(SSH("SSH-2.0-dropbear_2022.83\n"), APP_OK);
	CHECK_STR(h.proto_version, "2.0");
	CHECK_STR(h.software_version, "dropbear_2022.83");
	CHECK_STR(h.comments, "");
	CHECK_INT(SSH("SSH-2.0-dropbear_2022.83\r"), APP_MORE);
	CHECK_INT(SSH("SS"), APP_MORE);
	CHECK_INT(SSH("SSH-2.0\r\n"), APP_NOT);
	CHECK_INT(SSH("SSH--x\r\n"), APP_NOT);
	CHECK_INT(SSH("hello\r\nSSH-1.99-Cisco-1.25 a b\r\n"), APP_OK);
	CHECK_STR(h.proto_version, "1.99");
	CHECK_STR(h.software_version, "Cisco-1.25");
	CHECK_STR(h.comments, "a b");
	CHECK_INT(app_ssh_parse((const uint8_t *)tls, sizeof(tls) - 1, &h),
	    APP_NOT);
	for (i = 0; i + 7 <= sizeof(big); i += 7)
		memcpy(big + i, "hello\r\n", 7);
	CHECK_INT(app_ssh_parse((uint8_t *)big, 4096, &h), APP_MORE);
	CHECK_INT(app_ssh_parse((uint8_t *)big, sizeof(big), &h), APP_NOT);
	/* a software version longer than the field is cut, not overrun */
	memcpy(big, "SSH-2.0-", 8);
	memset(big + 8, 'A', 300);
	memcpy(big + 308, "\r\n", 2);
	CHECK_INT(app_ssh_parse((uint8_t *)big, 310, &h), APP_OK);
	CHECK_INT(strlen(h.software_version), sizeof(h.software_version) - 1);
#undef SSH
}

static void
test_synthetic_syslog(void)
{
	struct syslog_info y;

#define SL(str) app_syslog_parse((const uint8_t *)(str), strlen(str), &y)
	CHECK_INT(SL("<192>x"), APP_NOT);
	CHECK_INT(SL("<1"), APP_MORE);
	CHECK_INT(SL("<>"), APP_NOT);
	CHECK_INT(SL("<1234>"), APP_NOT);
	CHECK_INT(SL("12"), APP_MORE);
	CHECK_INT(SL("12 "), APP_MORE);
	CHECK_INT(SL("12 x"), APP_NOT);
	CHECK_INT(SL("0 <1>"), APP_NOT);
	CHECK_INT(SL("2 <13>x"), APP_NOT);	/* count ends in the PRI */
	CHECK_INT(SL("<191>"), APP_OK);
	CHECK_INT(y.facility, 23);
	CHECK_INT(y.severity, 7);
	CHECK_INT(SL("<13>1 - - - - - -"), APP_OK);
	CHECK_INT(y.rfc5424, 1);
	CHECK_STR(y.hostname, "");
	CHECK_STR(y.app_name, "");
	CHECK_INT(SL("<165>1 2003-10-11T22:14:15.003Z bmc1 sshd 42 ID47 - x"),
	    APP_OK);
	CHECK_INT(y.facility, 20);
	CHECK_INT(y.severity, 5);
	CHECK_STR(y.hostname, "bmc1");
	CHECK_STR(y.app_name, "sshd");
	CHECK_INT(SL("<34>Oct 11 22:14:15 mymachine su[42]: x"), APP_OK);
	CHECK_INT(y.rfc5424, 0);
	CHECK_STR(y.hostname, "mymachine");
	CHECK_STR(y.app_name, "su");
	/* the octet count bounds the header: only "<13>Oct" is read */
	CHECK_INT(SL("7 <13>Oct 11 22:14:15 host app: x"), APP_OK);
	CHECK_INT(y.severity, 5);
	CHECK_STR(y.hostname, "");
#undef SL
}

static void
test_synthetic(void)
{
	test_synthetic_snmp();
	test_synthetic_ntp();
	test_synthetic_ssh();
	test_synthetic_syslog();
}

/* ---- real captures ---- */

static void
check_ssh_stream(const struct cap *c, uint16_t sport, uint16_t dport,
    const char *proto, const char *soft, const char *comments)
{
	static uint8_t buf[16384];
	struct ssh_info h;
	size_t n, end, i;
	uint8_t *d;
	int bad = 0;

	n = stream(c, sport, dport, buf, sizeof(buf));
	CHECK(n > 0);
	d = xmalloc(n);
	memcpy(d, buf, n);
	CHECK_INT(app_ssh_parse(d, n, &h), APP_OK);
	CHECK_STR(h.proto_version, proto);
	CHECK_STR(h.software_version, soft);
	CHECK_STR(h.comments, comments);
	free(d);
	/* every prefix that stops before the banner's LF is APP_MORE */
	for (end = 0; end < n && buf[end] != '\n'; end++)
		;
	if (n < 4 || memcmp(buf, "SSH-", 4) != 0) {
		/* the banner follows other lines: find "\nSSH-" */
		for (i = 0; i + 5 <= n && memcmp(buf + i, "\nSSH-", 5); i++)
			;
		for (end = i + 1; end < n && buf[end] != '\n'; end++)
			;
	}
	for (i = 0; i < end; i++) {
		d = xmalloc(i);
		memcpy(d, buf, i);
		if (app_ssh_parse(d, i, &h) != APP_MORE)
			bad++;
		free(d);
	}
	CHECK_INT(bad, 0);
	sweep("ssh stream", sport, buf, n < 9000 ? n : 9000);
}

static void
test_mgmt_services(const struct cap *c)
{
	static const struct {
		int version, pdu, enc;
		const char *community, *user, *descr;
	} snmp[] = {
		{ 2, 0xa0, 0, "public", "", "" },
		{ 2, 0xa2, 0, "public", "", "" },
		{ 1, 0xa0, 0, "public", "", "" },
		{ 1, 0xa2, 0, "public", "", "BMC firmware 2.61 (simulated)" },
		{ 3, 0xa0, 0, "", "", "" },		/* engine discovery */
		{ 3, 0xa8, 0, "", "", "" },
		{ 3, 0, 1, "", "monitor", "" },		/* authPriv */
		{ 3, 0, 1, "", "monitor", "" },
	};
	struct snmp_info s;
	struct syslog_info y;
	size_t i, k = 0;
	uint16_t port = 0;
	int syslogs = 0;

	for (i = 0; i < c->n; i++) {
		const struct seg *g = &c->v[i];

		if (on_port(g, 17, 161)) {
			CHECK_INT(snmp_of(g, &s), APP_OK);
			if (k < sizeof(snmp) / sizeof(snmp[0])) {
				CHECK_INT(s.version, snmp[k].version);
				CHECK_INT(s.pdu_type, snmp[k].pdu);
				CHECK_INT(s.encrypted, snmp[k].enc);
				CHECK_STR(s.community, snmp[k].community);
				CHECK_STR(s.usm_user, snmp[k].user);
				CHECK_STR(s.sys_descr, snmp[k].descr);
			}
			k++;
		}
		if (port == 0 && g->proto == 6 && g->dport == 22)
			port = g->sport;
		if (on_port(g, 17, 514)) {
			/* <36>: auth.warning, "bmc1 bmc1: Login failure" */
			CHECK_INT(syslog_of(g, &y), APP_OK);
			CHECK_INT(y.facility, 4);
			CHECK_INT(y.severity, 4);
			CHECK_STR(y.hostname, "bmc1");
			CHECK_STR(y.app_name, "bmc1");
			syslogs++;
		}
	}
	CHECK_INT(k, 8);
	CHECK_INT(syslogs, 1);
	CHECK(port != 0);
	check_ssh_stream(c, port, 22, "2.0", "OpenSSH_9.2p1",
	    "Debian-2+deb12u10");
	check_ssh_stream(c, 22, port, "2.0", "OpenSSH_9.2p1",
	    "Debian-2+deb12u10");
}

/* pcaps/demo-egress.pcap: chronyd clients and a local-stratum-8 server */
static void
test_demo_ntp(const struct cap *c)
{
	struct ntp_info t;
	int clients = 0, servers = 0;

	for (size_t i = 0; i < c->n; i++) {
		if (!on_port(&c->v[i], 17, 123))
			continue;
		CHECK_INT(ntp_of(&c->v[i], &t), APP_OK);
		CHECK_INT(t.version, 4);
		CHECK_INT(t.anomaly, 0);
		if (t.mode == 3)
			clients++;
		else if (t.mode == 4) {
			CHECK_INT(t.stratum, 8);
			servers++;
		}
	}
	CHECK_INT(clients, 6);
	CHECK_INT(servers, 6);
}

static void
test_project_pcaps(void)
{
	char dir[PATHLEN];

	join(dir, srcdir, "/pcaps");
	with_cap(dir, "mgmt-services.pcap", "mgmt-services", test_mgmt_services);
	with_cap(dir, "demo-egress.pcap", "demo-egress", test_demo_ntp);
}

static void
test_ext_snmp(const char *ext)
{
	struct cap c;
	struct snmp_info s;

	if (cap_load(&c, ext, "zeek-snmpv1_get.pcap") == 0) {
		CHECK_INT(snmp_of(frame(&c, 1), &s), APP_OK);
		CHECK_INT(s.version, 1);
		CHECK_STR(s.community, "public");
		CHECK_INT(s.pdu_type, 0xa0);
		CHECK_INT(snmp_of(frame(&c, 2), &s), APP_OK);
		CHECK_INT(s.pdu_type, 0xa2);
		CHECK_STR(s.sys_object_id,
		    "1.3.6.1.4.1.2001.1.1.1.297.93.1.27.2.2.1");
		CHECK_STR(s.sys_descr, "");
		sweep_cap("zeek-snmpv1_get", &c);
		cap_free(&c);
	}
	if (cap_load(&c, ext, "zeek-snmpv2_get_bulk.pcap") == 0) {
		CHECK_INT(snmp_of(frame(&c, 1), &s), APP_OK);
		CHECK_INT(s.version, 2);
		CHECK_STR(s.community, "");
		CHECK_INT(s.pdu_type, 0xa5);
		CHECK_INT(snmp_of(frame(&c, 2), &s), APP_OK);
		CHECK_INT(s.pdu_type, 0xa2);
		sweep_cap("zeek-snmpv2_get_bulk", &c);
		cap_free(&c);
	}
	if (cap_load(&c, ext, "suricata-snmp-v3-get-bulk-unauth.pcap") == 0) {
		CHECK_INT(snmp_of(frame(&c, 1), &s), APP_OK);
		CHECK_INT(s.version, 3);
		CHECK_STR(s.usm_user, "");
		CHECK_INT(snmp_of(frame(&c, 3), &s), APP_OK);
		CHECK_STR(s.usm_user, "noAuthUser");
		CHECK_INT(s.pdu_type, 0xa5);
		CHECK_INT(s.encrypted, 0);
		CHECK_INT(snmp_of(frame(&c, 4), &s), APP_OK);
		CHECK_INT(s.pdu_type, 0xa8);
		sweep_cap("suricata-snmp-v3-get-bulk-unauth", &c);
		cap_free(&c);
	}
	if (cap_load(&c, ext, "suricata-snmp-v3-encrypted.pcap") == 0) {
		CHECK_INT(snmp_of(frame(&c, 1), &s), APP_OK);
		CHECK_STR(s.usm_user, "admin");
		CHECK_INT(s.pdu_type, 0xa0);
		CHECK_INT(snmp_of(frame(&c, 3), &s), APP_OK);
		CHECK_INT(s.version, 3);
		CHECK_STR(s.usm_user, "admin");
		CHECK_INT(s.encrypted, 1);
		sweep_cap("suricata-snmp-v3-encrypted", &c);
		cap_free(&c);
	}
	/* OID 1.3.<sub-identifier of 10 bytes>: structure fine, no value */
	if (cap_load(&c, ext, "zeek-snmp-oid-subidentifier-too-long.pcap")
	    == 0) {
		CHECK_INT(snmp_of(frame(&c, 1), &s), APP_OK);
		CHECK_INT(s.version, 1);
		CHECK_STR(s.community, "public");
		CHECK_INT(s.pdu_type, 0xa0);
		sweep_cap("zeek-snmp-oid-subidentifier-too-long", &c);
		cap_free(&c);
	}
	/* cut at snaplen 64: the outer length points past the data */
	if (cap_load(&c, ext, "tcpdump-snmp-heapoverflow-1.pcap") == 0) {
		for (size_t i = 0; i < c.n; i++)
			CHECK_INT(snmp_of(&c.v[i], &s), APP_NOT);
		sweep_cap("tcpdump-snmp-heapoverflow-1", &c);
		cap_free(&c);
	}
}

static void
test_ext_ntp(const char *ext)
{
	static const struct {
		const char *file;
		uint32_t num;
		int version, mode, stratum, poll, precision, anomaly;
	} v[] = {
		/* tshark: ntp.flags.vn/mode, stratum, ppoll, precision */
		{ "ndpi-NTPv2.pcap", 1, 2, 7, 0, 0, 0, NTP_ANOM_MODE },
		{ "ndpi-NTPv3.pcap", 1, 3, 4, 0, 4, -6, 0 },
		{ "ndpi-NTPv4.pcap", 1, 4, 3, 2, 7, -21, 0 },
		{ "tcpdump-ntp-mode7.pcap", 1, 2, 7, 0, 0, 0, NTP_ANOM_MODE },
		{ "tcpdump-ntp-mode7.pcap", 8, 2, 7, 0, 0, 0, NTP_ANOM_MODE },
		{ "tcpdump-ntp-control.pcap", 1, 2, 6, 0, 0, 0, NTP_ANOM_MODE },
		{ "tcpdump-ntp-control.pcap", 2, 2, 6, 0, 0, 0, NTP_ANOM_MODE },
		{ "zeek-ntp.pcap", 1, 4, 3, 2, 6, -22, 0 },
		{ "zeek-ntp.pcap", 2, 4, 4, 4, 6, -24, 0 },
		{ "zeek-ntp.pcap", 31, 3, 3, 2, 6, -22, 0 },
		{ "zeek-ntp2.pcap", 35, 2, 7, 0, 0, 0, NTP_ANOM_MODE },
		/* key id + 16-byte digest after the header: 68 bytes */
		{ "zeek-NTP-digest.pcap", 1, 4, 3, 2, 6, -24, 0 },
		/* 73 bytes: 48 + 25 fits no extension/MAC layout */
		{ "zeek-ntp-no-extensions-mac-null.pcap", 1, 2, 4, 32, 32, 32,
		    NTP_ANOM_SIZE },
	};
	struct cap c;
	struct ntp_info t;
	const char *loaded = NULL;
	size_t i;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (loaded == NULL || strcmp(loaded, v[i].file) != 0) {
			if (loaded != NULL) {
				sweep_cap(loaded, &c);
				cap_free(&c);
			}
			loaded = NULL;
			if (cap_load(&c, ext, v[i].file) < 0)
				continue;
			loaded = v[i].file;
		}
		CHECK_INT(ntp_of(frame(&c, v[i].num), &t), APP_OK);
		CHECK_INT(t.version, v[i].version);
		CHECK_INT(t.mode, v[i].mode);
		CHECK_INT(t.stratum, v[i].stratum);
		CHECK_INT(t.poll, v[i].poll);
		CHECK_INT(t.precision, v[i].precision);
		CHECK_INT(t.anomaly, v[i].anomaly);
	}
	if (loaded != NULL) {
		sweep_cap(loaded, &c);
		cap_free(&c);
	}
}

static void
test_ext_ssh(const char *ext)
{
	struct cap c;

	if (cap_load(&c, ext, "tcpdump-ssh.pcap") == 0) {
		check_ssh_stream(&c, 62146, 22, "2.0", "OpenSSH_7.8", "");
		check_ssh_stream(&c, 22, 62146, "2.0", "OpenSSH_7.4p1",
		    "Debian-10+deb9u3");
		cap_free(&c);
	}
	if (cap_load(&c, ext, "zeek-ssh_version_199.pcap") == 0) {
		/* the README says the other way round; tshark agrees */
		check_ssh_stream(&c, 59139, 22, "1.99", "Cisco-1.25", "");
		check_ssh_stream(&c, 22, 59139, "2.0", "Cisco-1.25", "");
		cap_free(&c);
	}
	/* the server sends a cow and some prose before its banner */
	if (cap_load(&c, ext, "zeek-ssh-server-pre-banner-data.pcap") == 0) {
		check_ssh_stream(&c, 55343, 22, "2.0", "OpenSSH_9.7", "");
		check_ssh_stream(&c, 22, 55343, "2.0", "OpenSSH_9.2p1",
		    "Debian-2+deb12u5");
		cap_free(&c);
	}
}

static void
test_ext_syslog(const char *ext)
{
	static uint8_t buf[4096];
	struct syslog_info y;
	struct cap c;
	size_t n;

	if (cap_load(&c, ext, "tcpdump-syslog_udp.pcap") == 0) {
		/* tshark: facility 0 level 5, hostname "through" */
		CHECK_INT(syslog_of(frame(&c, 1), &y), APP_OK);
		CHECK_INT(y.facility, 0);
		CHECK_INT(y.severity, 5);
		CHECK_INT(y.rfc5424, 0);
		CHECK_STR(y.hostname, "through");
		CHECK_STR(y.app_name, "logger");
		/* rsyslog, RFC 3339 stamp: "... localhost through rsyslog:" */
		CHECK_INT(syslog_of(frame(&c, 3), &y), APP_OK);
		CHECK_INT(y.facility, 1);
		CHECK_INT(y.severity, 5);
		CHECK_STR(y.hostname, "localhost");
		CHECK_STR(y.app_name, "");
		sweep_cap("tcpdump-syslog_udp", &c);
		cap_free(&c);
	}
	if (cap_load(&c, ext, "zeek-syslog-single-udp.pcap") == 0) {
		/* "Apr  5 12:56:51 robin: Hello": a tag, no hostname
		 * (tshark takes "robin:" as the hostname) */
		CHECK_INT(syslog_of(frame(&c, 1), &y), APP_OK);
		CHECK_INT(y.facility, 16);
		CHECK_INT(y.severity, 5);
		CHECK_STR(y.hostname, "");
		CHECK_STR(y.app_name, "robin");
		cap_free(&c);
	}
	if (cap_load(&c, ext, "zeek-syslog-missing-pri.pcap") == 0) {
		CHECK_INT(syslog_of(frame(&c, 1), &y), APP_NOT);
		sweep_cap("zeek-syslog-missing-pri", &c);
		cap_free(&c);
	}
	if (cap_load(&c, ext, "zeek-fake-syslog-with-padding.pcap") == 0) {
		CHECK_INT(syslog_of(frame(&c, 1), &y), APP_NOT);
		cap_free(&c);
	}
	if (cap_load(&c, ext, "zeek-tcp-syslog-nontransparent.pcap") == 0) {
		CHECK_INT(syslog_of(frame(&c, 4), &y), APP_OK);
		CHECK_INT(y.facility, 1);
		CHECK_INT(y.severity, 6);
		CHECK_STR(y.hostname, "mymachine");
		CHECK_STR(y.app_name, "su");
		n = stream(&c, 12345, 514, buf, sizeof(buf));
		sweep("syslog stream", 0, buf, n);
		cap_free(&c);
	}
	if (cap_load(&c, ext, "zeek-tcp-syslog-ipv4lt.pcap") == 0) {
		/* "51 <13>Oct 11 22:14:15 mymachine su: ..." */
		CHECK_INT(syslog_of(frame(&c, 4), &y), APP_OK);
		CHECK_INT(y.facility, 1);
		CHECK_INT(y.severity, 5);
		CHECK_STR(y.hostname, "mymachine");
		CHECK_STR(y.app_name, "su");
		n = stream(&c, 12345, 514, buf, sizeof(buf));
		sweep("syslog stream", 0, buf, n);
		cap_free(&c);
	}
	if (cap_load(&c, ext, "ndpi-syslog.pcap") == 0) {
		CHECK_INT(syslog_of(frame(&c, 18), &y), APP_OK);
		CHECK_INT(y.facility, 18);
		CHECK_INT(y.severity, 3);
		CHECK_STR(y.hostname, "nb6");
		CHECK_STR(y.app_name, "chillispot");
		/* Cisco "72: Mar  3 ...": PRI only */
		CHECK_INT(syslog_of(frame(&c, 20), &y), APP_OK);
		CHECK_INT(y.facility, 23);
		CHECK_INT(y.severity, 5);
		CHECK_STR(y.hostname, "");
		/* RFC 5424 over TCP/52173 (tshark -d tcp.port==52173,syslog) */
		CHECK_INT(syslog_of(frame(&c, 81), &y), APP_OK);
		CHECK_INT(y.rfc5424, 1);
		CHECK_INT(y.facility, 2);
		CHECK_INT(y.severity, 6);
		CHECK_STR(y.hostname, "iPhone7,2");
		CHECK_STR(y.app_name, "com.dts.freefireth");
		CHECK_INT(syslog_of(frame(&c, 89), &y), APP_OK);
		CHECK_INT(y.facility, 0);
		CHECK_INT(y.severity, 6);
		CHECK_STR(y.hostname, "NDC3CLNDMVA22");
		CHECK_STR(y.app_name, "kernel");
		sweep_cap("ndpi-syslog", &c);
		cap_free(&c);
	}
}

static void
test_shared_pcaps(void)
{
	char ext[PATHLEN];

	join(ext, shared, "/external");
	test_ext_snmp(ext);
	test_ext_ntp(ext);
	test_ext_ssh(ext);
	test_ext_syslog(ext);
}

int
main(void)
{
	int have_shared = mgmt_setup();

	test_synthetic();
	test_project_pcaps();
	if (have_shared) {
		test_shared_pcaps();
	} else
		fprintf(stderr, "skip: %s not found\n", shared);
	return mgmt_done(have_shared);
}
