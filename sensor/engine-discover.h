/*
 * engine-discover.h - the engine's feed of the BMC inventory.
 */
#ifndef BW_ENGINE_DISCOVER_H
#define BW_ENGINE_DISCOVER_H

struct engine;
struct flow;
struct packet;

/* Evidence from one packet of f (after the app stage saw it) about its
 * sender: 0 nothing new, BMC_CHANGED, or BMC_NEW when it just became a
 * BMC. */
int	 discover_packet(struct engine *e, struct flow *f, int dir,
	    const struct packet *p);

#endif
