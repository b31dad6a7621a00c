/*
 * geoip.h - country and ASN lookups through libmaxminddb (MMAP mode),
 * with a small per-address cache so that a busy peer costs one lookup.
 */
#ifndef BW_GEOIP_H
#define BW_GEOIP_H

#include <stdint.h>
#include <stddef.h>
#include "packet.h"

struct geoip;

struct geo_result {
	char		 cc[3];		/* "" when unknown */
	uint32_t	 asn;		/* 0 when unknown */
	char		 as_org[64];
};

/*
 * Open either or both databases (NULL to skip).  On error returns NULL and
 * writes "FILE: reason" into err.  Country comes from country.iso_code
 * (GeoLite2) or country_code (ip-location-db); ASN from
 * autonomous_system_number / autonomous_system_organization.
 */
struct geoip	*geoip_open(const char *country_db, const char *asn_db,
		    char *err, size_t errlen);
void		 geoip_close(struct geoip *g);
int		 geoip_has_country(const struct geoip *g);
int		 geoip_has_asn(const struct geoip *g);
/* Never NULL for a non-NULL g; the result lives until the next lookup. */
const struct geo_result *geoip_lookup(struct geoip *g, const struct bw_addr *a);

#endif
