/*
 * geoip.c - country and ASN lookups in MaxMind-format databases.
 *
 * libmaxminddb in MMDB_MODE_MMAP: the file is mapped, not read, so a
 * GeoLite2 database costs page cache rather than heap, and opening is
 * instant.  A lookup walks the search tree and decodes a map, which is
 * cheap but not free; on a BMC network the same few peers recur in every
 * flow, so a direct-mapped cache keyed by the address answers most
 * lookups with one hash and one compare.  A collision simply replaces the
 * entry: no lists, no eviction policy, a fixed size.
 *
 * Two schemas are read for the country: GeoLite2's country.iso_code and
 * ip-location-db's flat country_code.  The ASN fields are the same in
 * GeoLite2-ASN and ip-location-db's ASN files.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <errno.h>
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geoip.h"
#include "hash.h"

#define GEO_CACHE	4096	/* entries; a power of two */

struct geo_cache {
	struct bw_addr	 addr;
	int		 valid;
	struct geo_result res;
};

struct geoip {
	MMDB_s		 country, asn;
	int		 has_country, has_asn;
	struct geo_cache *cache;
};

static int
open_db(MMDB_s *db, const char *path, char *err, size_t errlen)
{
	int rc;

	errno = 0;
	rc = MMDB_open(path, MMDB_MODE_MMAP, db);
	if (rc != MMDB_SUCCESS) {
		if ((rc == MMDB_FILE_OPEN_ERROR || rc == MMDB_IO_ERROR) &&
		    errno != 0)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		else
			snprintf(err, errlen, "%s: %s", path,
			    MMDB_strerror(rc));
		return -1;
	}
	return 0;
}

struct geoip *
geoip_open(const char *country_db, const char *asn_db, char *err,
    size_t errlen)
{
	struct geoip *g;

	if ((g = calloc(1, sizeof(*g))) == NULL ||
	    (g->cache = calloc(GEO_CACHE, sizeof(*g->cache))) == NULL) {
		snprintf(err, errlen, "geoip: out of memory");
		free(g);
		return NULL;
	}
	if (country_db != NULL) {
		if (open_db(&g->country, country_db, err, errlen) == -1) {
			geoip_close(g);
			return NULL;
		}
		g->has_country = 1;
	}
	if (asn_db != NULL) {
		if (open_db(&g->asn, asn_db, err, errlen) == -1) {
			geoip_close(g);
			return NULL;
		}
		g->has_asn = 1;
	}
	return g;
}

void
geoip_close(struct geoip *g)
{
	if (g == NULL)
		return;
	if (g->has_country)
		MMDB_close(&g->country);
	if (g->has_asn)
		MMDB_close(&g->asn);
	free(g->cache);
	free(g);
}

int
geoip_has_country(const struct geoip *g)
{
	return g != NULL && g->has_country;
}

int
geoip_has_asn(const struct geoip *g)
{
	return g != NULL && g->has_asn;
}

/*
 * One tree walk.  IPv4 goes in as a sockaddr_in so that libmaxminddb
 * finds it in either an IPv4 tree or the ::/96 part of an IPv6 tree.
 */
static int
db_lookup(MMDB_s *db, const struct bw_addr *a, MMDB_lookup_result_s *res)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	int mmdb_err;

	if (bw_addr_is_v4(a)) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, &a->a[12], 4);
		sa = (const struct sockaddr *)&sin;
	} else {
		if (db->metadata.ip_version != 6)
			return -1;
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, a->a, 16);
		sa = (const struct sockaddr *)&sin6;
	}
	*res = MMDB_lookup_sockaddr(db, sa, &mmdb_err);
	if (mmdb_err != MMDB_SUCCESS || !res->found_entry)
		return -1;
	return 0;
}

static void
get_country(MMDB_s *db, const struct bw_addr *a, char cc[3])
{
	MMDB_lookup_result_s res;
	MMDB_entry_data_s d;

	cc[0] = '\0';
	if (db_lookup(db, a, &res) == -1)
		return;
	if (MMDB_get_value(&res.entry, &d, "country", "iso_code", NULL) !=
	    MMDB_SUCCESS || !d.has_data)
		if (MMDB_get_value(&res.entry, &d, "country_code", NULL) !=
		    MMDB_SUCCESS || !d.has_data)
			return;
	if (d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size != 2)
		return;
	cc[0] = d.utf8_string[0];
	cc[1] = d.utf8_string[1];
	cc[2] = '\0';
	/* the rule parser upper-cases; so do we, for odd databases */
	for (int i = 0; i < 2; i++)
		if (cc[i] >= 'a' && cc[i] <= 'z')
			cc[i] -= 'a' - 'A';
}

static void
get_asn(MMDB_s *db, const struct bw_addr *a, struct geo_result *r)
{
	MMDB_lookup_result_s res;
	MMDB_entry_data_s d;
	size_t n;

	if (db_lookup(db, a, &res) == -1)
		return;
	if (MMDB_get_value(&res.entry, &d, "autonomous_system_number",
	    NULL) == MMDB_SUCCESS && d.has_data) {
		switch (d.type) {
		case MMDB_DATA_TYPE_UINT16:
			r->asn = d.uint16;
			break;
		case MMDB_DATA_TYPE_UINT32:
			r->asn = d.uint32;
			break;
		case MMDB_DATA_TYPE_INT32:
			r->asn = d.int32 > 0 ? (uint32_t)d.int32 : 0;
			break;
		case MMDB_DATA_TYPE_UINT64:
			r->asn = d.uint64 <= UINT32_MAX ? (uint32_t)d.uint64 : 0;
			break;
		default:
			break;
		}
	}
	if (MMDB_get_value(&res.entry, &d, "autonomous_system_organization",
	    NULL) == MMDB_SUCCESS && d.has_data &&
	    d.type == MMDB_DATA_TYPE_UTF8_STRING) {
		n = d.data_size;
		if (n >= sizeof(r->as_org)) {
			/* cut on a UTF-8 character boundary */
			n = sizeof(r->as_org) - 1;
			while (n > 0 && ((uint8_t)d.utf8_string[n] & 0xc0) ==
			    0x80)
				n--;
		}
		memcpy(r->as_org, d.utf8_string, n);
		r->as_org[n] = '\0';
	}
}

static uint32_t
addr_hash(const struct bw_addr *a)
{
	uint32_t h = fnv1a32(FNV32_INIT, a, sizeof(*a));

	return h ^ (h >> 15);
}

const struct geo_result *
geoip_lookup(struct geoip *g, const struct bw_addr *a)
{
	struct geo_cache *c = &g->cache[addr_hash(a) & (GEO_CACHE - 1)];

	if (c->valid && memcmp(&c->addr, a, sizeof(*a)) == 0)
		return &c->res;
	memset(&c->res, 0, sizeof(c->res));
	c->addr = *a;
	c->valid = 1;
	if (g->has_country)
		get_country(&g->country, a, c->res.cc);
	if (g->has_asn)
		get_asn(&g->asn, a, &c->res);
	return &c->res;
}
