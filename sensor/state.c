/*
 * state.c - the state database (state.h says what and when).
 *
 * Why it is built this way:
 *  - SQLite, because analysts can open the file with sqlite3 and ask
 *    "since when does this BMC talk to that host" without a tool of ours;
 *    two views (peer_list, beacon_list) spell times out for them.
 *  - WAL journal with synchronous=NORMAL: a batch is one transaction, a
 *    reader (an analyst, a backup) never blocks the sensor, and a killed
 *    process loses only the batch it had not committed.  A power loss
 *    may also lose the last committed batches, never the file.
 *  - The detectors keep their own in-memory tables; this file only loads
 *    them at start and writes what changed (their dirty marks), so no
 *    packet ever waits for the disk.
 *  - The file is checked before use (owner via application_id, schema via
 *    user_version, quick_check).  Anything wrong with it is a reason to
 *    move it aside and start empty, with one line saying so: a sensor
 *    that refused to start over a bad state file would stop watching the
 *    BMCs, and silently emptying it would lose evidence.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>

#include "state.h"
#include "peer.h"
#include "detect.h"
#include "beacon.h"
#include "decode.h"

#define APP_ID		0x424d4357	/* "BMCW" */
#define EV_BYTES	10		/* int64 time + uint16 size, LE */
#define NS		1000000000LL
#define PRUNE_NS	(21LL * 86400 * NS)	/* series older than the
						 * detector's usable span */

struct state {
	sqlite3		*db;
	char		*path;
	FILE		*errf;
	sqlite3_stmt	*put_peer, *put_series, *put_meta, *prune;
	int		 failing;	/* the last batch failed */
	int64_t		 newest_ns;	/* newest series event written */
	struct state_stats st;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value)"
	" WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS peers(host TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('addr', 'name')),"
	" peer TEXT NOT NULL, first_ns INTEGER NOT NULL,"
	" last_ns INTEGER NOT NULL, flows INTEGER NOT NULL,"
	" PRIMARY KEY (host, kind, peer)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS beacon_series(key BLOB PRIMARY KEY,"
	" sid INTEGER, kind TEXT, src TEXT, dst TEXT, proto INTEGER,"
	" port INTEGER, sport INTEGER, zone TEXT, events INTEGER,"
	" total INTEGER, first_ns INTEGER, last_ns INTEGER, alert_ns INTEGER,"
	" median_gap_s REAL, scored INTEGER, times BLOB NOT NULL)"
	" WITHOUT ROWID;"
	"CREATE VIEW IF NOT EXISTS peer_list AS SELECT host, kind, peer,"
	" datetime(first_ns / 1000000000, 'unixepoch') AS first_seen,"
	" datetime(last_ns / 1000000000, 'unixepoch') AS last_seen, flows"
	" FROM peers;"
	"CREATE VIEW IF NOT EXISTS beacon_list AS SELECT sid, kind, src,"
	" coalesce(zone, dst) AS dest, proto, port, events,"
	" round(median_gap_s, 1) AS median_gap_s,"
	" datetime(first_ns / 1000000000, 'unixepoch') AS first_seen,"
	" datetime(last_ns / 1000000000, 'unixepoch') AS last_seen,"
	" datetime(alert_ns / 1000000000, 'unixepoch') AS last_alert"
	" FROM beacon_series;";

static void
put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* An integer PRAGMA; -1 with *rc set on error. */
static long long
pragma_int(sqlite3 *db, const char *sql, int *rc)
{
	sqlite3_stmt *s;
	long long v = -1;

	if ((*rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL)) != SQLITE_OK)
		return -1;
	if ((*rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = sqlite3_column_int64(s, 0);
		*rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return v;
}

static void
finalize_all(struct state *st)
{
	sqlite3_finalize(st->put_peer);
	sqlite3_finalize(st->put_series);
	sqlite3_finalize(st->put_meta);
	sqlite3_finalize(st->prune);
	st->put_peer = st->put_series = st->put_meta = st->prune = NULL;
	sqlite3_close(st->db);
	st->db = NULL;
}

/*
 * Open and check the file.  0: ready.  1: the file is unusable and
 * should be moved aside (why says how).  -1: cannot open at all (why).
 */
static int
try_open(struct state *st, char *why, size_t len)
{
	long long app, ver, n;
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_open_v2(st->path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(why, len, "%s", st->db ? sqlite3_errmsg(st->db) :
		    sqlite3_errstr(rc));
		return -1;
	}
	sqlite3_busy_timeout(st->db, 2000);
	app = pragma_int(st->db, "PRAGMA application_id", &rc);
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
		snprintf(why, len, "%s", sqlite3_errstr(rc));
		return 1;
	}
	if (rc != SQLITE_OK) {
		snprintf(why, len, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	ver = pragma_int(st->db, "PRAGMA user_version", &rc);
	n = pragma_int(st->db, "SELECT count(*) FROM sqlite_master", &rc);
	if (rc != SQLITE_OK) {
		snprintf(why, len, "%s", sqlite3_errstr(rc));
		return 1;
	}
	if (app != APP_ID && (app != 0 || n > 0)) {
		snprintf(why, len, "not a bmcwatch state database");
		return 1;
	}
	if (ver > STATE_SCHEMA) {
		snprintf(why, len, "schema version %lld is newer than this "
		    "bmcwatch's (%d)", ver, STATE_SCHEMA);
		return 1;
	}
	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s,
	    NULL) != SQLITE_OK) {
		snprintf(why, len, "%s", sqlite3_errmsg(st->db));
		return 1;
	}
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(s, 0),
	    "ok") != 0) {
		snprintf(why, len, "corrupt (%s)", rc == SQLITE_ROW ?
		    (const char *)sqlite3_column_text(s, 0) :
		    sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
		return 1;
	}
	sqlite3_finalize(s);
	/* journal_mode answers with a row; exec discards it */
	if (sqlite3_exec(st->db, "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=NORMAL;", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL) != SQLITE_OK) {
		snprintf(why, len, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	if (sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    (ver < STATE_SCHEMA && sqlite3_exec(st->db,
	    "PRAGMA application_id = 1112359767; PRAGMA user_version = 1;",
	    NULL, NULL, NULL) != SQLITE_OK) ||
	    sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(why, len, "%s", sqlite3_errmsg(st->db));
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return ver == STATE_SCHEMA ? 1 : -1;
	}
	if (sqlite3_prepare_v2(st->db, "INSERT INTO peers(host, kind, peer,"
	    " first_ns, last_ns, flows) VALUES (?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT (host, kind, peer) DO UPDATE SET"
	    " first_ns = min(first_ns, excluded.first_ns),"
	    " last_ns = max(last_ns, excluded.last_ns),"
	    " flows = excluded.flows", -1, &st->put_peer, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO beacon_series"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
	    &st->put_series, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta"
	    " VALUES (?, ?)", -1, &st->put_meta, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, "DELETE FROM beacon_series"
	    " WHERE last_ns < ?", -1, &st->prune, NULL) != SQLITE_OK) {
		snprintf(why, len, "%s", sqlite3_errmsg(st->db));
		return 1;
	}
	return 0;
}

/* Rename the file (and its WAL companions) to FILE.REASON-UTCSTAMP. */
static int
move_aside(struct state *st, const char *reason, char *to, size_t len)
{
	static const char *const ext[] = { "-wal", "-shm" };
	char stamp[32], a[4400], b[4400];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(to, len, "%s.%s-%s", st->path, reason, stamp);
	/* never over an earlier one moved aside the same second */
	for (int i = 1; access(to, F_OK) == 0 && i < 1000; i++)
		snprintf(to, len, "%s.%s-%s-%d", st->path, reason, stamp, i);
	if (rename(st->path, to) == -1)
		return -1;
	for (size_t i = 0; i < 2; i++) {
		snprintf(a, sizeof(a), "%s%s", st->path, ext[i]);
		snprintf(b, sizeof(b), "%s%s", to, ext[i]);
		(void)rename(a, b);	/* absent is fine */
	}
	return 0;
}

static void
load_peers(struct state *st, struct peer_table *pt)
{
	sqlite3_stmt *s;
	struct peer_rec r;
	const char *host, *kind, *peer;

	if (sqlite3_prepare_v2(st->db, "SELECT host, kind, peer, first_ns,"
	    " last_ns, flows FROM peers", -1, &s, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(s) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		host = (const char *)sqlite3_column_text(s, 0);
		kind = (const char *)sqlite3_column_text(s, 1);
		peer = (const char *)sqlite3_column_text(s, 2);
		r.first_ns = sqlite3_column_int64(s, 3);
		r.last_ns = sqlite3_column_int64(s, 4);
		r.flows = (uint64_t)sqlite3_column_int64(s, 5);
		r.kind = kind != NULL && strcmp(kind, "name") == 0 ?
		    PEER_NAME : PEER_ADDR;
		r.name = peer;
		if (host == NULL || peer == NULL ||
		    bw_addr_parse(host, &r.host) != 0 ||
		    (r.kind == PEER_ADDR && bw_addr_parse(peer, &r.addr) != 0) ||
		    peer_load(pt, &r) != 0) {
			st->st.rows_skipped++;
			continue;
		}
		st->st.peers_loaded++;
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key ="
	    " 'learning_since_ns'", -1, &s, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) == SQLITE_INTEGER)
		peer_set_since(pt, sqlite3_column_int64(s, 0));
	sqlite3_finalize(s);
}

static void
load_series(struct state *st, struct detect *d)
{
	struct beacon_saved b;
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, "SELECT key, alert_ns, total, scored,"
	    " times FROM beacon_series ORDER BY last_ns", -1, &s,
	    NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const uint8_t *t = sqlite3_column_blob(s, 4);
		int tlen = sqlite3_column_bytes(s, 4);

		memset(&b, 0, sizeof(b));
		b.key = sqlite3_column_blob(s, 0);
		b.keylen = (size_t)sqlite3_column_bytes(s, 0);
		b.alert_ns = sqlite3_column_type(s, 1) == SQLITE_NULL ?
		    INT64_MIN : sqlite3_column_int64(s, 1);
		b.total = (uint32_t)sqlite3_column_int64(s, 2);
		b.scored = (uint16_t)sqlite3_column_int64(s, 3);
		b.n = t != NULL ? (size_t)tlen / EV_BYTES : 0;
		if (b.key == NULL || t == NULL || tlen % EV_BYTES != 0 ||
		    b.n > BEACON_RING) {
			st->st.rows_skipped++;
			continue;
		}
		for (size_t i = 0; i < b.n; i++) {
			b.t_ns[i] = (int64_t)get64(t + i * EV_BYTES);
			b.size[i] = (uint16_t)(t[i * EV_BYTES + 8] |
			    t[i * EV_BYTES + 9] << 8);
		}
		if (detect_beacon_restore(d, &b) != 0) {
			st->st.rows_skipped++;
			continue;
		}
		st->st.series_loaded++;
	}
	sqlite3_finalize(s);
}

struct state *
state_open(const char *dir, struct peer_table *pt, struct detect *d,
    FILE *errf)
{
	struct state *st;
	struct stat sb;
	char why[512], to[4200];
	size_t n;
	int rc;

	if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
		fprintf(errf, "bmcwatch: --state-dir %s: %s\n", dir,
		    strerror(errno));
		return NULL;
	}
	if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		fprintf(errf, "bmcwatch: --state-dir %s: not a directory\n",
		    dir);
		return NULL;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	n = strlen(dir) + sizeof(STATE_FILE) + 2;
	if ((st->path = malloc(n)) == NULL) {
		free(st);
		return NULL;
	}
	snprintf(st->path, n, "%s/%s", dir, STATE_FILE);
	st->errf = errf;
	st->newest_ns = INT64_MIN;
	rc = try_open(st, why, sizeof(why));
	/* quick_check reports one problem per line: the message is one */
	for (char *c = why; *c != '\0'; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	if (rc == 1) {
		finalize_all(st);
		if (move_aside(st, strstr(why, "newer") ? "newer" :
		    strstr(why, "not a bmcwatch") ? "foreign" : "corrupt",
		    to, sizeof(to)) == -1) {
			fprintf(errf, "bmcwatch: %s: %s; cannot move it aside: "
			    "%s\n", st->path, why, strerror(errno));
			goto fail;
		}
		fprintf(errf, "bmcwatch: %s: %s; moved to %s, starting with "
		    "empty state\n", st->path, why, to);
		rc = try_open(st, why, sizeof(why));
	}
	if (rc != 0) {
		fprintf(errf, "bmcwatch: %s: %s\n", st->path, why);
		goto fail;
	}
	if (pt != NULL)
		load_peers(st, pt);
	if (d != NULL)
		load_series(st, d);
	if (st->st.rows_skipped > 0)
		fprintf(errf, "bmcwatch: %s: %llu unreadable rows skipped\n",
		    st->path, (unsigned long long)st->st.rows_skipped);
	return st;
fail:
	finalize_all(st);
	free(st->path);
	free(st);
	return NULL;
}

static int
put_peer(void *arg, const struct peer_rec *r)
{
	struct state *st = arg;
	sqlite3_stmt *s = st->put_peer;
	char host[64], addr[64];

	bw_addr_str(&r->host, host, sizeof(host));
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, r->kind == PEER_NAME ? "name" : "addr", -1,
	    SQLITE_STATIC);
	if (r->kind == PEER_NAME)
		sqlite3_bind_text(s, 3, r->name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_text(s, 3, bw_addr_str(&r->addr, addr,
		    sizeof(addr)), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, r->first_ns);
	sqlite3_bind_int64(s, 5, r->last_ns);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)r->flows);
	if (sqlite3_step(s) != SQLITE_DONE)
		return -1;
	st->st.peers_written++;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
put_series(void *arg, const struct beacon_saved *b, const struct beacon_desc *k)
{
	struct state *st = arg;
	sqlite3_stmt *s = st->put_series;
	uint8_t t[BEACON_RING * EV_BYTES];
	double gap[BEACON_RING];
	int64_t first = INT64_MAX, last = INT64_MIN;
	char src[64], dst[64];
	size_t ng = 0;

	for (size_t i = 0; i < b->n; i++) {
		put64(t + i * EV_BYTES, (uint64_t)b->t_ns[i]);
		t[i * EV_BYTES + 8] = (uint8_t)b->size[i];
		t[i * EV_BYTES + 9] = (uint8_t)(b->size[i] >> 8);
		if (b->t_ns[i] < first)
			first = b->t_ns[i];
		if (b->t_ns[i] > last)
			last = b->t_ns[i];
		if (i > 0)
			gap[ng++] = (double)(b->t_ns[i] - b->t_ns[i - 1]) / NS;
	}
	qsort(gap, ng, sizeof(gap[0]), cmp_double);
	if (last > st->newest_ns)
		st->newest_ns = last;
	sqlite3_reset(s);
	sqlite3_bind_blob(s, 1, b->key, (int)b->keylen, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, k->sid);
	sqlite3_bind_text(s, 3, k->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, bw_addr_str(&k->src, src, sizeof(src)), -1,
	    SQLITE_TRANSIENT);
	if (k->zone != NULL) {
		sqlite3_bind_null(s, 5);
		sqlite3_bind_null(s, 6);
		sqlite3_bind_null(s, 7);
		sqlite3_bind_null(s, 8);
		sqlite3_bind_text(s, 9, k->zone, -1, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_text(s, 5, bw_addr_str(&k->dst, dst, sizeof(dst)),
		    -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(s, 6, k->proto);
		sqlite3_bind_int(s, 7, k->port);
		if (k->sport)
			sqlite3_bind_int(s, 8, k->sport);
		else
			sqlite3_bind_null(s, 8);
		sqlite3_bind_null(s, 9);
	}
	sqlite3_bind_int64(s, 10, (sqlite3_int64)b->n);
	sqlite3_bind_int64(s, 11, b->total);
	sqlite3_bind_int64(s, 12, first);
	sqlite3_bind_int64(s, 13, last);
	if (b->alert_ns == INT64_MIN)
		sqlite3_bind_null(s, 14);
	else
		sqlite3_bind_int64(s, 14, b->alert_ns);
	if (ng > 0)
		sqlite3_bind_double(s, 15, ng % 2 ? gap[ng / 2] :
		    (gap[ng / 2 - 1] + gap[ng / 2]) / 2);
	else
		sqlite3_bind_null(s, 15);
	sqlite3_bind_int(s, 16, b->scored);
	sqlite3_bind_blob(s, 17, t, (int)(b->n * EV_BYTES), SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE)
		return -1;
	st->st.series_written++;
	return 0;
}

int
state_sync(struct state *st, struct peer_table *pt, struct detect *d)
{
	struct timespec t0, t1;
	int ok;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL) == SQLITE_OK;
	if (ok && pt != NULL) {
		ok = peer_each_dirty(pt, 0, put_peer, st) >= 0;
		if (ok && peer_since(pt) != PEER_NEVER) {
			sqlite3_reset(st->put_meta);
			sqlite3_bind_text(st->put_meta, 1, "learning_since_ns",
			    -1, SQLITE_STATIC);
			sqlite3_bind_int64(st->put_meta, 2, peer_since(pt));
			ok = sqlite3_step(st->put_meta) == SQLITE_DONE;
		}
	}
	if (ok && d != NULL)
		ok = detect_beacon_each(d, 0, put_series, st) >= 0;
	if (ok && st->newest_ns > INT64_MIN / 2 + PRUNE_NS) {
		/* series the detector can no longer use (its ring spans
		 * 20 days at most) would only grow the file */
		sqlite3_reset(st->prune);
		sqlite3_bind_int64(st->prune, 1, st->newest_ns - PRUNE_NS);
		ok = sqlite3_step(st->prune) == SQLITE_DONE;
	}
	if (ok)
		ok = sqlite3_exec(st->db, "COMMIT", NULL, NULL,
		    NULL) == SQLITE_OK;
	if (!ok) {
		if (!st->failing)
			fprintf(st->errf, "bmcwatch: %s: cannot write state: "
			    "%s (kept in memory, retried next batch)\n",
			    st->path, sqlite3_errmsg(st->db));
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st->failing = 1;
		st->st.failures++;
		return -1;
	}
	if (st->failing)
		fprintf(st->errf, "bmcwatch: %s: state writes work again\n",
		    st->path);
	st->failing = 0;
	if (pt != NULL)
		peer_clean(pt);
	if (d != NULL)
		detect_beacon_clean(d);
	st->st.syncs++;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	st->st.last_sync_s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return 0;
}

void
state_stats(const struct state *st, struct state_stats *s)
{
	*s = st->st;
}

const char *
state_path(const struct state *st)
{
	return st->path;
}

void
state_close(struct state *st)
{
	if (st == NULL)
		return;
	finalize_all(st);
	free(st->path);
	free(st);
}
