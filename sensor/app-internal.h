/*
 * app-internal.h - shared by app.c (dispatch, detection, reassembly, the
 * DNS cache) and app-meta.c (turning parser results into the flow's
 * compact summary).  Nothing outside the app stage includes it.
 */
#ifndef BW_APP_INTERNAL_H
#define BW_APP_INTERNAL_H

#include <stdio.h>
#include <strings.h>

#include "app.h"
#include "app-flow.h"
#include "flow.h"
#include "packet.h"

struct dns_cache_entry {
	struct bw_addr	 addr;
	int64_t		 ts_ns;
	uint8_t		 used;
	char		 name[96];
};

struct app_ctx {
	struct dns_cache_entry *dns;
	size_t		 ndns;			/* power of two */
	struct app_stats st;
	app_dns_cb	 on_dns;		/* --dns records */
	void		*dns_arg;
	union app_datagram last;		/* this packet's datagram, parsed */
	uint8_t		 last_ok;
	uint8_t		 inventory_only;	/* app_set_inventory_only() */
};

void		 app_dns_remember(struct app_ctx *a, const struct bw_addr *addr,
		    const char *name, int64_t ts);
const char	*app_dns_lookup(struct app_ctx *a, const struct bw_addr *addr);

/* Parse b as protocol ap into m: the parser's APP_OK/APP_NOT. */
int		 app_parse_datagram(enum app_proto ap, const uint8_t *b,
		    size_t n, union app_datagram *m);

/* A reassembled TCP direction (b, n): returns the parser's APP_OK/MORE/NOT. */
int		 app_meta_stream(struct app_ctx *a, struct flow *f,
		    struct flow_ext *x, int dir, const uint8_t *b, size_t n,
		    int64_t ts, int *ev);
/* One datagram; pre: already parsed by detection, or NULL. */
void		 app_meta_datagram(struct app_ctx *a, struct flow *f,
		    struct flow_ext *x, int dir, const uint8_t *b, size_t n,
		    int64_t ts, int *ev, const union app_datagram *pre);

#endif
