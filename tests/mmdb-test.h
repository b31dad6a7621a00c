/*
 * mmdb-test.h - the test GeoIP databases, for the unit tests that need
 * them (test-geoip, test-rules, test-detect): tests/mkmmdb.pl writes a
 * GeoLite2-style and an ip-location-db-style country database and an ASN
 * database (documentation ranges only) into a fresh temporary directory.
 * Header-only, like check.h: each test is one program.
 */
#ifndef BW_MMDB_TEST_H
#define BW_MMDB_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

/* Build the databases in a fresh temp dir: 0, 77 (skip: no writer) or -1. */
static int
mkdbs(char *dir, size_t len)
{
	const char *srcdir = getenv("srcdir"), *tmp = getenv("TMPDIR");
	char cmd[2048];
	int rc;

	snprintf(dir, len, "%s/bwmmdbXXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "perl '%s/tests/mkmmdb.pl' '%s'",
	    srcdir ? srcdir : ".", dir);
	rc = system(cmd);
	if (rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0)
		return 0;
	rmdir(dir);
	if (rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
		return 77;
	fprintf(stderr, "%s failed\n", cmd);
	return -1;
}

static void
rmdbs(const char *dir)
{
	static const char *f[] = { "country-geolite2.mmdb",
	    "country-iplocdb.mmdb", "asn.mmdb" };
	char p[1100];

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, f[i]);
		unlink(p);
	}
	rmdir(dir);
}

#endif
