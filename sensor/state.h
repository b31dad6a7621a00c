/*
 * state.h - what the sensor remembers across restarts (--state-dir): the
 * peers each protected host talked to (new_peer) and the beacon series,
 * in one SQLite database, DIR/bmcwatch.db, that analysts can query.
 *
 * The schema (versioned by PRAGMA user_version, owned by PRAGMA
 * application_id) is in bmcwatch(8), FILES.  Writes are batched: changes
 * since the last batch go in one transaction (state_sync), every
 * --state-interval and on shutdown, so a crash loses at most one
 * interval.  A database that is corrupt, not bmcwatch's, or of a newer
 * schema is moved aside with a one-line message and the sensor starts
 * with empty state: never silently dropped, never fatal.
 */
#ifndef BW_STATE_H
#define BW_STATE_H

#include <stdint.h>
#include <stdio.h>

struct state;
struct peer_table;
struct detect;

#define STATE_SCHEMA	1
#define STATE_FILE	"bmcwatch.db"

struct state_stats {
	uint64_t	 syncs;		/* batches committed */
	uint64_t	 failures;	/* batches that failed (kept for the next) */
	uint64_t	 peers_written, series_written;
	uint64_t	 peers_loaded, series_loaded, rows_skipped;
	double		 last_sync_s;	/* how long the last batch took */
};

/*
 * Open (creating DIR and the database when missing) and load the saved
 * peers into pt and series into d (either may be NULL).  Problems with
 * the file itself are reported on errf and handled (moved aside); NULL
 * only when DIR cannot be used at all (message on errf).
 */
struct state	*state_open(const char *dir, struct peer_table *pt,
		    struct detect *d, FILE *errf);
/* Write what changed since the last batch.  0, or -1 (reported on errf
 * once per run of failures; the changes stay queued). */
int		 state_sync(struct state *st, struct peer_table *pt,
		    struct detect *d);
void		 state_stats(const struct state *st, struct state_stats *s);
/* The database's path (for messages). */
const char	*state_path(const struct state *st);
void		 state_close(struct state *st);

#endif
