/*
 * engine-discover.h - the engine's feed of the BMC inventory.
 */
#ifndef BW_ENGINE_DISCOVER_H
#define BW_ENGINE_DISCOVER_H

#include <stdint.h>

struct engine;
struct flow;
struct packet;
struct bw_addr;

/* Evidence from one packet of f (after the app stage saw it) about its
 * sender: 0 nothing new, BMC_CHANGED, or BMC_NEW when it just became a
 * BMC. */
int	 discover_packet(struct engine *e, struct flow *f, int dir,
	    const struct packet *p);

/*
 * A host just became a BMC: flows still open to or from it are evaluated
 * again ($BMC_DISCOVERED now matches it).  The re-evaluations are
 * batched (recheck_run): one walk over the flow table per
 * ENGINE_RECHECK_MAX new BMCs or per 5 seconds of packet time, not one
 * per BMC, so a replay from a pipe or a live sensor that meets a thousand
 * BMCs early does not walk a quarter of a million flows a thousand
 * times.  A flow that ends while its host waits is evaluated at its end
 * (recheck_flow), so the batching loses no alert.  An alert is dated
 * when the host was found, or at the flow's last packet if later: the
 * flow is judged as it is when the batch runs.
 */
void	 recheck_add(struct engine *e, const struct bw_addr *a, int64_t ts);
/* Run the batch when it is full or its oldest entry waited 5 s. */
void	 recheck_due(struct engine *e, int64_t now_ns);
void	 recheck_run(struct engine *e);
/* A flow ends: evaluate it now if one of its hosts waits. */
void	 recheck_flow(struct engine *e, struct flow *f);

#endif
