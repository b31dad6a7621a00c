/*
 * test-app-mgmt-rmcp.c - the RMCP/IPMI parser (app-rmcp.c) on real
 * payloads: ipmitool against ipmi_sim (../shared), the project's
 * pcaps/ipmi-cipher0.pcap (ipmitool -C 0 and a user enumeration) and
 * nDPI's RMCP capture; hand-built messages cover the branches no capture
 * reaches.  Every expected value was read with tshark 4.0 from the same
 * frame (tshark does not dissect RMCP+ payloads 0x10-0x15, so those were
 * read from its hex dump of the same bytes).  As in test-app-mgmt-svc,
 * every payload of every capture read here is also given to every
 * management parser cut at every length (app-mgmt-util.h).  Missing
 * captures are skipped; when the shared directory is absent the test
 * exits 77 after the checks it could run (unless one failed).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app-mgmt-util.h"

static void
test_synthetic_rmcp(void)
{
	static const uint8_t ack[] = { 6, 0, 5, 0x87 };
	static const uint8_t badver[] = { 7, 0, 0xff, 7, 0, 0, 0, 0, 0 };
	static const uint8_t badcls[] = { 6, 0, 0xff, 9, 0 };
	/* IPMI 1.5, MD5: the 16-byte auth code sits before the length */
	static const uint8_t md5[] = { 6, 0, 0xff, 7, 2, 1, 0, 0, 0,
	    0x78, 0x56, 0x34, 0x12, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
	    0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 7,
	    0x20, 0x18, 0xc8, 0x81, 0x04, 0x3b, 0x40 };
	/* RMCP+ OEM explicit payload: IANA and OEM id before the sid */
	static const uint8_t oem[] = { 6, 0, 0xff, 7, 6, 2, 0xa2, 2, 0, 0,
	    1, 0, 0x44, 0x33, 0x22, 0x11, 9, 0, 0, 0, 0, 0 };
	/* open session response refused (0x11): stops after the sid */
	static const uint8_t refused[] = { 6, 0, 0xff, 7, 6, 0x11, 0, 0, 0,
	    0, 0, 0, 0, 0, 8, 0, 1, 0x11, 0, 0, 0xa4, 0xa3, 0xa2, 0xa0 };
	/* ASF pong from IANA 674 */
	static const uint8_t pong[] = { 6, 0, 0xff, 6, 0, 0, 0x11, 0xbe,
	    0x40, 7, 0, 16, 0, 0, 2, 0xa2, 0, 0, 0, 0, 0x81, 0, 0, 0, 0, 0,
	    0, 0 };
	uint8_t b[64];
	struct rmcp_info r;

	CHECK_INT(app_rmcp_parse(ack, sizeof(ack), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_ACK);
	CHECK_INT(r.rmcp_class, 7);
	CHECK_INT(r.seq, 5);
	CHECK_INT(app_rmcp_parse(badver, sizeof(badver), &r), APP_NOT);
	CHECK_INT(app_rmcp_parse(badcls, sizeof(badcls), &r), APP_NOT);
	CHECK_INT(app_rmcp_parse(md5, sizeof(md5), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_IPMI15);
	CHECK_INT(r.auth_type, 2);
	CHECK_INT(r.session_id, 0x12345678);
	CHECK_INT(r.session_seq, 1);
	CHECK_INT(r.has_cmd, 1);
	CHECK_INT(r.netfn, 6);
	CHECK_INT(r.cmd, 0x3b);
	/* a wrong header checksum: the message is not read */
	memcpy(b, md5, sizeof(md5));
	b[32] ^= 1;
	CHECK_INT(app_rmcp_parse(b, sizeof(md5), &r), APP_OK);
	CHECK_INT(r.has_cmd, 0);
	/* message length one beyond the datagram */
	b[29] = 8;
	CHECK_INT(app_rmcp_parse(b, sizeof(md5), &r), APP_NOT);
	CHECK_INT(app_rmcp_parse(oem, sizeof(oem), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_OTHER);
	CHECK_INT(r.payload_type, 2);
	CHECK_INT(r.session_id, 0x11223344);
	CHECK_INT(r.session_seq, 9);
	CHECK_INT(app_rmcp_parse(refused, sizeof(refused), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_OPEN_RESP);
	CHECK_INT(r.status, 0x11);
	CHECK_INT(r.msg_tag, 1);
	CHECK_INT(r.console_sid, 0xa0a2a3a4);
	CHECK_INT(r.bmc_sid, 0);
	CHECK_INT(r.auth_alg, 0xff);
	CHECK_INT(app_rmcp_parse(pong, sizeof(pong), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_ASF_PONG);
	CHECK_INT(r.iana, 674);
	CHECK_INT(r.msg_tag, 7);
	CHECK_STR(app_rmcp_kind_name(RMCP_OPEN_REQ), "open_session_request");
	CHECK_STR(app_rmcp_kind_name(RMCP_RAKP2), "rakp2");
	CHECK_STR(app_rmcp_kind_name((enum rmcp_kind)99), "other");
}

static void
test_ipmi_sim(const struct cap *c)
{
	struct rmcp_info r;

	/* 1: Get Channel Auth Cap request, IPMI 1.5 auth NONE */
	CHECK_INT(rmcp_of(frame(c, 1), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_IPMI15);
	CHECK_INT(r.rmcp_class, 7);
	CHECK_INT(r.seq, 0xff);
	CHECK_INT(r.auth_type, 0);
	CHECK_INT(r.has_cmd, 1);
	CHECK_INT(r.netfn, 6);
	CHECK_INT(r.cmd, 0x38);
	CHECK_INT(r.is_response, 0);
	/* 2: the reply: channel 1, types 0x97, flags 0x06, OEM 0 */
	CHECK_INT(rmcp_of(frame(c, 2), &r), APP_OK);
	CHECK_INT(r.netfn, 7);
	CHECK_INT(r.is_response, 1);
	CHECK_INT(r.completion, 0);
	CHECK_INT(r.has_authcap, 1);
	CHECK_INT(r.authcap_types, 0x17);
	CHECK_INT(r.authcap_ipmi20, 1);
	CHECK_INT(r.authcap_anon, 0);
	CHECK_INT(r.authcap_null_users, 1);
	CHECK_INT(r.authcap_non_null, 1);
	CHECK_INT(r.iana, 0);
	/* 3/4: cipher suite 3 open session */
	CHECK_INT(rmcp_of(frame(c, 3), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_OPEN_REQ);
	CHECK_INT(r.auth_type, 6);
	CHECK_INT(r.payload_type, 0x10);
	CHECK_INT(r.console_sid, 0xa0a2a3a4);
	CHECK_INT(r.auth_alg, 1);
	CHECK_INT(r.integ_alg, 1);
	CHECK_INT(r.conf_alg, 1);
	CHECK_INT(rmcp_of(frame(c, 4), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_OPEN_RESP);
	CHECK_INT(r.status, 0);
	CHECK_INT(r.console_sid, 0xa0a2a3a4);
	CHECK_INT(r.bmc_sid, 2);
	CHECK_INT(r.auth_alg, 1);
	CHECK_INT(r.integ_alg, 1);
	CHECK_INT(r.conf_alg, 1);
	CHECK_INT(rmcp_of(frame(c, 5), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_RAKP1);
	CHECK_INT(r.bmc_sid, 2);
	CHECK_INT(r.priv, 0x14);
	CHECK_INT(r.has_username, 1);
	CHECK_INT(r.username_len, 5);
	CHECK_STR(r.username, "ADMIN");
	CHECK_INT(rmcp_of(frame(c, 6), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_RAKP2);
	CHECK_INT(r.status, 0);
	CHECK_INT(r.console_sid, 0xa0a2a3a4);
	CHECK_INT(rmcp_of(frame(c, 7), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_RAKP3);
	CHECK_INT(r.bmc_sid, 2);
	CHECK_INT(rmcp_of(frame(c, 8), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_RAKP4);
	CHECK_INT(r.status, 0);
	/* 9: encrypted + authenticated IPMI: no command visible */
	CHECK_INT(rmcp_of(frame(c, 9), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_IPMI20);
	CHECK_INT(r.encrypted, 1);
	CHECK_INT(r.authenticated, 1);
	CHECK_INT(r.session_id, 2);
	CHECK_INT(r.session_seq, 3);
	CHECK_INT(r.has_cmd, 0);
	/* 25-28: cipher suite 0, accepted */
	CHECK_INT(rmcp_of(frame(c, 25), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_OPEN_REQ);
	CHECK_INT(r.auth_alg, 0);
	CHECK_INT(r.integ_alg, 0);
	CHECK_INT(r.conf_alg, 0);
	CHECK_INT(rmcp_of(frame(c, 26), &r), APP_OK);
	CHECK_INT(r.status, 0);
	CHECK_INT(r.bmc_sid, 0x82);
	CHECK_INT(r.auth_alg, 0);
	CHECK_INT(rmcp_of(frame(c, 27), &r), APP_OK);
	CHECK_STR(r.username, "ADMIN");
	CHECK_INT(rmcp_of(frame(c, 28), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_RAKP2);
	CHECK_INT(r.status, 0);
	/* 31: cleartext IPMI in the session (Set Session Privilege) */
	CHECK_INT(rmcp_of(frame(c, 31), &r), APP_OK);
	CHECK_INT(r.kind, RMCP_IPMI20);
	CHECK_INT(r.encrypted, 0);
	CHECK_INT(r.session_id, 0x82);
	CHECK_INT(r.has_cmd, 1);
	CHECK_INT(r.netfn, 6);
	CHECK_INT(r.cmd, 0x3b);
	/* 34: 81 b4 cb 20 08 3e c1 d9 - NetFn 0x2d response, code 0xc1 */
	CHECK_INT(rmcp_of(frame(c, 34), &r), APP_OK);
	CHECK_INT(r.netfn, 0x2d);
	CHECK_INT(r.cmd, 0x3e);
	CHECK_INT(r.completion, 0xc1);
	CHECK_INT(r.has_authcap, 0);
}

/*
 * pcaps/ipmi-cipher0.pcap: RAKP1 names in order (monitor -C 3, ADMIN
 * -C 0, the null user, then ipmitool's enumeration of 8 names) and the
 * RAKP2 status each one got (0x0d: unauthorized name), as tshark shows
 * them in the payload bytes (-e data.data).
 */
static void
test_ipmi_cipher0(const struct cap *c)
{
	static const char *const users[] = { "monitor", "ADMIN", "",
	    "admin", "root", "Administrator", "USERID", "ADMIN", "operator",
	    "monitor", "guest" };
	static const int status[] = { 0, 0, 0, 0x0d, 0x0d, 0x0d, 0x0d, 0,
	    0x0d, 0, 0x0d };
	/* role byte: 0x10 name-only lookup + privilege (-L USER first) */
	static const int role[] = { 0x12, 0x14, 0x14, 0x14, 0x14, 0x14,
	    0x14, 0x14, 0x14, 0x14, 0x14 };
	size_t i, nuser = 0, nstat = 0;
	int zero_req = 0, zero_ok = 0, pings = 0, pongs = 0, authcap = 0;
	int chassis = 0, bad = 0;
	struct rmcp_info r;

	for (i = 0; i < c->n; i++) {
		if (!on_port(&c->v[i], 17, 623))
			continue;
		if (rmcp_of(&c->v[i], &r) != APP_OK) {
			fprintf(stderr, "ipmi-cipher0 frame %u: not RMCP\n",
			    c->v[i].num);
			bad++;
			continue;
		}
		switch (r.kind) {
		case RMCP_OPEN_REQ:
			zero_req += r.auth_alg == 0 && r.integ_alg == 0 &&
			    r.conf_alg == 0;
			break;
		case RMCP_OPEN_RESP:
			zero_ok += r.status == 0 && r.auth_alg == 0 &&
			    r.integ_alg == 0 && r.conf_alg == 0;
			break;
		case RMCP_RAKP1:
			if (nuser < sizeof(users) / sizeof(users[0])) {
				CHECK_STR(r.username, users[nuser]);
				CHECK_INT(r.username_len,
				    strlen(users[nuser]));
				CHECK_INT(r.priv, role[nuser]);
			}
			nuser++;
			break;
		case RMCP_RAKP2:
			if (nstat < sizeof(status) / sizeof(status[0]))
				CHECK_INT(r.status, status[nstat]);
			nstat++;
			break;
		case RMCP_ASF_PING:
			pings++;
			break;
		case RMCP_ASF_PONG:
			pongs += r.iana == 4542;
			break;
		case RMCP_IPMI15:
			if (!r.has_authcap)
				break;
			/* 97 06 03: types none/MD2/MD5/password, v2.0 */
			authcap++;
			CHECK_INT(r.authcap_types, 0x17);
			CHECK_INT(r.authcap_ipmi20, 1);
			CHECK_INT(r.authcap_anon, 0);
			CHECK_INT(r.authcap_null_users, 1);
			CHECK_INT(r.authcap_non_null, 1);
			break;
		case RMCP_IPMI20:
			/* cipher 0: Get Chassis Status in cleartext */
			chassis += !r.encrypted && r.has_cmd &&
			    r.netfn == 0 && r.cmd == 1;
			break;
		default:
			break;
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(nuser, 11);
	CHECK_INT(nstat, 11);
	CHECK_INT(zero_req, 4);		/* ipmitool -C 0, nmap x3 */
	CHECK_INT(zero_ok, 4);
	CHECK_INT(pings, 2);
	CHECK_INT(pongs, 2);
	CHECK(authcap >= 10);
	CHECK_INT(chassis, 1);
}

/* pcaps/mgmt-services.pcap */

static void
test_project_pcaps(void)
{
	char dir[PATHLEN];

	join(dir, srcdir, "/pcaps");
	with_cap(dir, "ipmi-cipher0.pcap", "ipmi-cipher0", test_ipmi_cipher0);
}

static void
test_ext_rmcp(const char *ext)
{
	struct cap c;
	struct rmcp_info r;

	if (cap_load(&c, ext, "ndpi-rmcp.pcap") == 0) {
		CHECK_INT(rmcp_of(frame(&c, 1), &r), APP_OK);
		CHECK_INT(r.kind, RMCP_IPMI15);
		CHECK_INT(r.netfn, 6);
		CHECK_INT(r.cmd, 0x38);
		CHECK_INT(rmcp_of(frame(&c, 2), &r), APP_OK);
		CHECK_INT(r.kind, RMCP_ASF_PING);
		sweep_cap("ndpi-rmcp", &c);
		cap_free(&c);
	}
}

static void
test_shared_pcaps(void)
{
	char ext[PATHLEN];

	with_cap(shared, "ipmi-lanplus-ipmi_sim.pcap", "ipmi-lanplus-ipmi_sim",
	    test_ipmi_sim);
	join(ext, shared, "/external");
	test_ext_rmcp(ext);
}

int
main(void)
{
	int have_shared = mgmt_setup();

	test_synthetic_rmcp();
	test_project_pcaps();
	if (have_shared) {
		test_shared_pcaps();
	} else
		fprintf(stderr, "skip: %s not found\n", shared);
	return mgmt_done(have_shared);
}
