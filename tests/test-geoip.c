/*
 * test-geoip.c - country/ASN lookups against databases built by
 * tests/mkmmdb.pl (documentation ranges only), in both country schemas.
 * Skips (77) when the Perl writer is not installed.
 */
#include <sys/wait.h>

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "geoip.h"
#include "check.h"
#include "addr-test.h"
#include "mmdb-test.h"

static const struct geo_result *
look(struct geoip *g, const char *addr)
{
	struct bw_addr a = A(addr);

	return geoip_lookup(g, &a);
}

int
main(void)
{
	char dir[1024], c1[1100], c2[1100], asn[1100], err[256];
	const struct geo_result *r;
	struct geoip *g;
	int rc;

	/* errors name the file */
	g = geoip_open("/nonexistent/x.mmdb", NULL, err, sizeof(err));
	CHECK(g == NULL);
	CHECK_STR(err, "/nonexistent/x.mmdb: No such file or directory");
	CHECK(!geoip_has_country(NULL));
	CHECK(!geoip_has_asn(NULL));

	if ((rc = mkdbs(dir, sizeof(dir))) == 77) {
		fprintf(stderr, "skip: cannot build test databases\n");
		return 77;
	}
	CHECK_INT(rc, 0);
	if (rc != 0)
		CHECK_DONE();
	snprintf(c1, sizeof(c1), "%s/country-geolite2.mmdb", dir);
	snprintf(c2, sizeof(c2), "%s/country-iplocdb.mmdb", dir);
	snprintf(asn, sizeof(asn), "%s/asn.mmdb", dir);

	/* a file that is not a database */
	{
		char bad[1100];
		FILE *fp;

		snprintf(bad, sizeof(bad), "%s/bad.mmdb", dir);
		if ((fp = fopen(bad, "w")) != NULL) {
			fputs("not a database\n", fp);
			fclose(fp);
		}
		g = geoip_open(c1, bad, err, sizeof(err));
		CHECK(g == NULL);
		CHECK(strncmp(err, bad, strlen(bad)) == 0);
		CHECK(strstr(err, ": ") != NULL);
		unlink(bad);
	}

	/* GeoLite2 schema + ASN */
	g = geoip_open(c1, asn, err, sizeof(err));
	CHECK(g != NULL);
	if (g == NULL) {
		fprintf(stderr, "%s\n", err);
		rmdbs(dir);
		CHECK_DONE();
	}
	CHECK(geoip_has_country(g));
	CHECK(geoip_has_asn(g));
	r = look(g, "192.0.2.5");
	CHECK_STR(r->cc, "CN");
	CHECK_INT(r->asn, 4134);
	CHECK_STR(r->as_org, "CHINANET-BACKBONE");
	r = look(g, "198.51.100.77");
	CHECK_STR(r->cc, "DE");
	CHECK_INT(r->asn, 24940);
	CHECK_STR(r->as_org, "Hetzner Online GmbH");
	r = look(g, "203.0.113.1");
	CHECK_STR(r->cc, "US");
	r = look(g, "2001:db8::1");
	CHECK_STR(r->cc, "RU");
	CHECK_INT(r->asn, 12389);
	r = look(g, "3fff:0:1::5");
	CHECK_STR(r->cc, "KP");
	/* not in the database: empty, not an error */
	r = look(g, "10.50.0.10");
	CHECK_STR(r->cc, "");
	CHECK_INT(r->asn, 0);
	CHECK_STR(r->as_org, "");
	r = look(g, "fd00::1");
	CHECK_STR(r->cc, "");
	/* the cache returns the same entry, with the same content */
	{
		const struct geo_result *r1 = look(g, "198.51.100.1");
		const struct geo_result *r2 = look(g, "198.51.100.1");

		CHECK(r1 == r2);
		CHECK_STR(r2->cc, "DE");
	}
	/* many addresses: collisions in the cache must never mix results */
	{
		int bad = 0;
		char buf[64];

		for (int round = 0; round < 3; round++)
			for (int i = 0; i < 6000; i++) {
				const char *want;

				switch (i % 3) {
				case 0:
					snprintf(buf, sizeof(buf),
					    "198.51.100.%d", i % 256);
					want = "DE";
					break;
				case 1:
					snprintf(buf, sizeof(buf),
					    "10.%d.%d.1", i / 256, i % 256);
					want = "";
					break;
				default:
					snprintf(buf, sizeof(buf),
					    "2001:db8::%x", i);
					want = "RU";
					break;
				}
				r = look(g, buf);
				if (strcmp(r->cc, want) != 0)
					bad++;
			}
		CHECK_INT(bad, 0);
	}
	geoip_close(g);

	/* ip-location-db schema, country only */
	g = geoip_open(c2, NULL, err, sizeof(err));
	CHECK(g != NULL);
	if (g != NULL) {
		CHECK(geoip_has_country(g));
		CHECK(!geoip_has_asn(g));
		r = look(g, "192.0.2.200");
		CHECK_STR(r->cc, "CN");
		CHECK_INT(r->asn, 0);
		r = look(g, "2001:db8:1::");
		CHECK_STR(r->cc, "RU");
		geoip_close(g);
	}

	/* ASN only */
	g = geoip_open(NULL, asn, err, sizeof(err));
	CHECK(g != NULL);
	if (g != NULL) {
		CHECK(!geoip_has_country(g));
		CHECK(geoip_has_asn(g));
		r = look(g, "198.51.100.9");
		CHECK_STR(r->cc, "");
		CHECK_INT(r->asn, 24940);
		geoip_close(g);
	}
	geoip_close(NULL);

	rmdbs(dir);
	CHECK_DONE();
}
