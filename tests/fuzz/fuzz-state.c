/*
 * fuzz-state.c - libFuzzer target for what --state-dir feeds back into
 * the detectors: beacon series restored from any bytes
 * (beacon_table_restore, as state.c's load_series does after its length
 * checks) and peers loaded with any names and times (peer_load), then
 * used: events observed, series scored, saved and cleaned, peers
 * observed and listed.  A state file is input like a capture: someone
 * else may have written it.
 *
 * The input is read as records: a tag byte, then for a series a key
 * length, the key, an event count, alert time, total, scorings and the
 * events (8-byte time, 2-byte size); for a peer a host and an address
 * (16 bytes each), a name length and the name, two times; for an event
 * a key byte and a time step.  Beyond "no crash, no sanitizer report",
 * the target aborts when a saved series breaks beacon.h's contract (more
 * than BEACON_RING events, a key longer than BEACON_KEYMAX) or when
 * beacon_times returns more than asked.
 *
 * fuzz-sources: sensor/detect-beacon.c sensor/beacon-stats.c sensor/detect-peer.c
 * fuzz-libs: -lm
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "peer.h"

int	LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

struct in { const uint8_t *p; size_t n; };

static int
take(struct in *in, void *out, size_t len)
{
	if (in->n < len)
		return -1;
	memcpy(out, in->p, len);
	in->p += len;
	in->n -= len;
	return 0;
}

static int
check_saved(void *arg, const struct beacon_saved *s)
{
	(void)arg;
	if (s->n > BEACON_RING || s->keylen == 0 || s->keylen > BEACON_KEYMAX)
		abort();
	return 0;
}

static int
check_peer(void *arg, const struct peer_rec *r)
{
	(void)arg;
	if (r->kind == PEER_NAME && (r->name == NULL ||
	    strlen(r->name) > PEER_NAME_MAX))
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct beacon_table *bt = beacon_table_new(8);
	struct peer_table *pt = peer_table_new(16);
	struct beacon_params bp;
	struct beacon_result r;
	struct in in = { d, n };
	uint8_t tag, key[256], kl;
	int64_t now = 0, times[BEACON_RING];
	char name[300];

	if (bt == NULL || pt == NULL || beacon_table_keep_keys(bt) != 0)
		goto out;
	beacon_params_default(&bp);
	while (take(&in, &tag, 1) == 0) {
		switch (tag % 4) {
		case 0: {			/* a saved series */
			struct beacon_saved s;
			uint8_t ne;
			memset(&s, 0, sizeof(s));
			if (take(&in, &kl, 1) || take(&in, key, kl) ||
			    take(&in, &ne, 1) || take(&in, &s.alert_ns, 8) ||
			    take(&in, &s.total, 4) || take(&in, &s.scored, 2))
				goto done;
			s.key = key;
			s.keylen = kl;
			s.n = ne;
			for (size_t i = 0; i < s.n && i < BEACON_RING; i++)
				if (take(&in, &s.t_ns[i], 8) ||
				    take(&in, &s.size[i], 2))
					goto done;
			(void)beacon_table_restore(bt, &s);
			break;
		}
		case 1: {			/* an event on a series */
			int32_t step;
			if (take(&in, key, 1) || take(&in, &step, 4))
				goto done;
			now += (int64_t)step * 1000000;
			(void)beacon_observe(bt, key, 1, now, 100, &bp, &r);
			if (beacon_times(bt, key, 1, times, 8) > 8)
				abort();
			(void)beacon_lookup(bt, key, 1, &bp, &r);
			break;
		}
		case 2: {			/* a loaded peer */
			struct peer_rec p;
			uint8_t nl;
			memset(&p, 0, sizeof(p));
			if (take(&in, &p.host, 16) || take(&in, &p.addr, 16) ||
			    take(&in, &nl, 1) || take(&in, name, nl) ||
			    take(&in, &p.first_ns, 8) || take(&in, &p.last_ns, 8))
				goto done;
			name[nl] = '\0';
			p.kind = nl ? PEER_NAME : PEER_ADDR;
			p.name = name;
			(void)peer_load(pt, &p);
			(void)peer_observe(pt, &p.host, &p.addr, name, now);
			break;
		}
		default:			/* a batch written */
			if (beacon_table_each(bt, tag & 4, check_saved,
			    NULL) < 0 || peer_each_dirty(pt, tag & 4,
			    check_peer, NULL) < 0)
				abort();
			beacon_table_clean(bt);
			peer_clean(pt);
			break;
		}
	}
done:
	(void)beacon_table_each(bt, 1, check_saved, NULL);
	(void)peer_each_dirty(pt, 1, check_peer, NULL);
out:
	beacon_table_free(bt);
	peer_table_free(pt);
	return 0;
}
