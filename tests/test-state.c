/*
 * test-state.c - the peer table (new_peer), saving and restoring beacon
 * series, and the state database: round trip, batches, and every kind of
 * bad file (garbage, a foreign SQLite file, a newer schema, a damaged
 * page, an unusable directory).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <dirent.h>
#include <sqlite3.h>

#include "check.h"
#include "addr-test.h"
#include "peer.h"
#include "beacon.h"
#include "state.h"
#include "detect.h"
#include "rules.h"
#include "decode.h"

#define NS	1000000000LL
#define T0	(1700000000LL * NS)

static int
count_rec(void *arg, const struct peer_rec *r)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static void
test_peer_table(void)
{
	struct peer_table *t = peer_table_new(6);
	struct bw_addr h1 = A("10.50.0.1"), h2 = A("10.50.0.2");
	struct bw_addr p1 = A("203.0.113.1"), p2 = A("203.0.113.2");
	struct bw_addr p3 = A("2001:db8::3");
	struct peer_stats st;
	int n = 0;

	CHECK(peer_since(t) == PEER_NEVER);
	/* first flow: new; the same again: known */
	CHECK_INT(peer_observe(t, &h1, &p1, NULL, T0 + 5 * NS), 1);
	CHECK(peer_since(t) == T0 + 5 * NS);
	CHECK_INT(peer_observe(t, &h1, &p1, NULL, T0 + 6 * NS), 0);
	/* per host: h2 to p1 is new for h2 */
	CHECK_INT(peer_observe(t, &h2, &p1, NULL, T0 + 7 * NS), 1);
	/* a known name at a new address (a pool) is known, and the name
	 * is matched without case or final dot */
	CHECK_INT(peer_observe(t, &h1, &p2, "Pool.NTP.example.", T0 + 8 * NS), 1);
	CHECK_INT(peer_observe(t, &h1, &p3, "pool.ntp.example", T0 + 9 * NS), 0);
	/* a known address under a new name is known too */
	CHECK_INT(peer_observe(t, &h1, &p1, "other.example", T0 + 10 * NS), 0);
	/* a name that is not a host name counts as no name */
	CHECK_INT(peer_observe(t, &h2, &p1, "bad name\n", T0 + 11 * NS), 0);
	/* since: the earliest observation, even out of order */
	CHECK_INT(peer_observe(t, &h2, &p3, NULL, T0 + 1 * NS), 1);
	CHECK(peer_since(t) == T0 + 1 * NS);
	peer_stats(t, &st);
	CHECK_INT(st.entries, 6);	/* h1:p1,p2,name,p3,other; h2:p1 */
	/* full: a new pair is still reported new, and counted */
	CHECK_INT(peer_observe(t, &h2, &p2, NULL, T0 + 12 * NS), 1);
	CHECK_INT(peer_observe(t, &h2, &p2, NULL, T0 + 13 * NS), 1);
	peer_stats(t, &st);
	CHECK(st.full >= 2);
	/* dirty: every pair once; clean empties; a touch queues again */
	CHECK_INT(peer_each_dirty(t, 0, count_rec, &n), 6);
	peer_clean(t);
	n = 0;
	CHECK_INT(peer_each_dirty(t, 0, count_rec, &n), 0);
	CHECK_INT(peer_observe(t, &h1, &p1, NULL, T0 + 20 * NS), 0);
	CHECK_INT(peer_each_dirty(t, 0, count_rec, &n), 1);
	CHECK_INT(peer_each_dirty(t, 1, count_rec, &n), 6);
	peer_table_free(t);
}

/* A series saved and restored scores as it did; times survive exactly. */
static int
grab(void *arg, const struct beacon_saved *s)
{
	struct beacon_saved *out = arg;
	static uint8_t key[BEACON_KEYMAX];

	memcpy(key, s->key, s->keylen);
	*out = *s;
	out->key = key;
	return 0;
}

static void
test_beacon_save(void)
{
	struct beacon_table *a = beacon_table_new(16), *b = beacon_table_new(16);
	struct beacon_params p;
	struct beacon_result r1, r2;
	struct beacon_saved s;
	int64_t ta[BEACON_RING], tb[BEACON_RING];
	const char key[] = "series-one";
	int alerted = 0;

	beacon_params_default(&p);
	CHECK(beacon_table_keep_keys(a) == 0);
	CHECK(beacon_table_keep_keys(b) == 0);
	/* six beats: not yet a beacon (min 8) */
	for (int i = 0; i < 6; i++)
		alerted |= beacon_observe(a, key, sizeof(key),
		    T0 + i * 60 * NS + (i % 2) * 1000000, 100, &p, &r1);
	CHECK_INT(alerted, 0);
	memset(&s, 0, sizeof(s));
	CHECK_INT(beacon_table_each(a, 0, grab, &s), 1);
	CHECK_INT(s.n, 6);
	CHECK_INT(s.keylen, sizeof(key));
	CHECK(s.t_ns[5] == T0 + 300 * NS + 1000000);
	beacon_table_clean(a);
	CHECK_INT(beacon_table_each(a, 0, grab, &s), 0);
	CHECK_INT(beacon_table_each(a, 1, grab, &s), 1);
	/* restored into a fresh table: the same times, and two more beats
	 * make the beacon there exactly as in the original */
	CHECK(beacon_table_restore(b, &s) == 0);
	CHECK_INT(beacon_times(b, key, sizeof(key), tb, BEACON_RING), 6);
	CHECK_INT(beacon_times(a, key, sizeof(key), ta, BEACON_RING), 6);
	CHECK(memcmp(ta, tb, sizeof(int64_t) * 6) == 0);
	CHECK_INT(beacon_table_each(b, 0, grab, &s), 0);	/* not dirty */
	for (int i = 6; i < 8; i++) {
		int x = beacon_observe(a, key, sizeof(key), T0 + i * 60 * NS,
		    100, &p, &r1);
		int y = beacon_observe(b, key, sizeof(key), T0 + i * 60 * NS,
		    100, &p, &r2);
		CHECK_INT(x, y);
		if (i == 7) {
			CHECK_INT(x, 1);
			CHECK(r1.period_s > 59 && r1.period_s < 61);
			CHECK(r1.score == r2.score);
		}
	}
	/* extreme saved times (a hostile state file) are taken without
	 * overflow: UBSan would say */
	s.alert_ns = INT64_MAX;
	CHECK(beacon_table_restore(b, &s) == 0);
	beacon_observe(b, key, sizeof(key), T0 + 9 * 60 * NS, 100, &p, &r2);
	s.alert_ns = INT64_MIN + 1;
	s.t_ns[0] = INT64_MIN / 2;
	CHECK(beacon_table_restore(b, &s) == 0);
	beacon_observe(b, key, sizeof(key), INT64_MAX, 100, &p, &r2);
	s.t_ns[0] = INT64_MAX;
	CHECK(beacon_table_restore(b, &s) == -1);
	/* bad saved series are refused */
	s.keylen = 0;
	CHECK(beacon_table_restore(b, &s) == -1);
	s.keylen = sizeof(key);
	s.n = 0;
	CHECK(beacon_table_restore(b, &s) == -1);
	beacon_table_free(a);
	beacon_table_free(b);
	/* a table that does not keep keys saves nothing */
	a = beacon_table_new(4);
	beacon_observe(a, key, sizeof(key), T0, 1, &p, &r1);
	CHECK_INT(beacon_table_each(a, 1, grab, &s), 0);
	beacon_table_free(a);
}

static char dir[64];

static char *
path_in(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

/* The number of files in dir whose name starts with prefix. */
static int
files_like(const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static long long
sql_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long v = -1;

	if (sqlite3_open(path_in(STATE_FILE), &db) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void
sql_exec(const char *sql)
{
	sqlite3 *db;

	CHECK(sqlite3_open(path_in(STATE_FILE), &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
}

/* Open with a fresh peer table; the message printed, in msg. */
static struct state *
open_state(struct peer_table **pt, char *msg, size_t len)
{
	FILE *f = tmpfile();
	struct state *st;
	size_t n;

	*pt = peer_table_new(1000);
	st = state_open(dir, *pt, NULL, f);
	rewind(f);
	n = fread(msg, 1, len - 1, f);
	msg[n] = '\0';
	fclose(f);
	return st;
}

static void
test_database(void)
{
	struct peer_table *pt;
	struct state *st;
	struct state_stats ss;
	struct bw_addr h = A("10.50.0.1"), p = A("203.0.113.1");
	struct bw_addr q = A("2001:db8::9"), r1, r2;
	char msg[1024];
	FILE *f;

	CHECK(mkdtemp(strcpy(dir, "/tmp/bw-state-XXXXXX")) != NULL);
	/* fresh: created, schema 1, ours */
	st = open_state(&pt, msg, sizeof(msg));
	CHECK(st != NULL);
	CHECK_STR(msg, "");
	CHECK_INT(sql_int("PRAGMA user_version"), STATE_SCHEMA);
	CHECK_INT(sql_int("PRAGMA application_id"), 0x424d4357);
	peer_observe(pt, &h, &p, "c2.example", T0);
	peer_observe(pt, &h, &q, NULL, T0 + 60 * NS);
	/* batches: written only by state_sync */
	CHECK_INT(sql_int("SELECT count(*) FROM peers"), 0);
	CHECK(state_sync(st, pt, NULL) == 0);
	CHECK_INT(sql_int("SELECT count(*) FROM peers"), 3);
	CHECK_INT(sql_int("SELECT flows FROM peers WHERE peer = 'c2.example'"), 1);
	peer_observe(pt, &h, &p, NULL, T0 + 120 * NS);
	CHECK(state_sync(st, pt, NULL) == 0);
	state_stats(st, &ss);
	CHECK_INT(ss.syncs, 2);
	CHECK_INT(ss.peers_written, 4);		/* 3, then the one touched */
	CHECK_INT(sql_int("SELECT flows FROM peers WHERE peer = '203.0.113.1'"), 2);
	CHECK(sql_int("SELECT last_ns FROM peers WHERE peer = '203.0.113.1'") ==
	    T0 + 120 * NS);
	CHECK(sql_int("SELECT value FROM meta WHERE key = 'learning_since_ns'") ==
	    T0);
	state_close(st);
	peer_table_free(pt);

	/* reopened: the peers and the learning start are back */
	st = open_state(&pt, msg, sizeof(msg));
	CHECK(st != NULL);
	CHECK_STR(msg, "");
	CHECK(peer_since(pt) == T0);
	CHECK_INT(peer_observe(pt, &h, &q, NULL, T0 + 200 * NS), 0);
	CHECK_INT(peer_observe(pt, &h, &p, NULL, T0 + 200 * NS), 0);
	r1 = A("198.51.100.1");
	r2 = A("198.51.100.2");
	CHECK_INT(peer_observe(pt, &h, &r1, "C2.example", T0 + 200 * NS), 0);
	CHECK_INT(peer_observe(pt, &h, &r2, NULL, T0 + 200 * NS), 1);
	state_stats(st, &ss);
	CHECK_INT(ss.peers_loaded, 3);
	state_close(st);
	peer_table_free(pt);

	/* unreadable rows are skipped and counted, the rest loaded */
	sql_exec("INSERT INTO peers VALUES ('not-an-ip', 'addr', 'x', 0, 0, 1)");
	st = open_state(&pt, msg, sizeof(msg));
	CHECK(st != NULL && strstr(msg, "1 unreadable rows skipped") != NULL);
	state_close(st);
	peer_table_free(pt);

	/* a newer schema: moved aside, one line, empty state */
	sql_exec("PRAGMA user_version = 9");
	st = open_state(&pt, msg, sizeof(msg));
	CHECK(st != NULL);
	CHECK(strstr(msg, "schema version 9 is newer") != NULL);
	CHECK(strstr(msg, "moved to") != NULL);
	CHECK(strchr(msg, '\n') == msg + strlen(msg) - 1);
	CHECK_INT(files_like(STATE_FILE ".newer-"), 1);
	CHECK(peer_since(pt) == PEER_NEVER);
	CHECK_INT(sql_int("SELECT count(*) FROM peers"), 0);
	state_close(st);
	peer_table_free(pt);

	/* garbage */
	CHECK((f = fopen(path_in(STATE_FILE), "w")) != NULL);
	for (int i = 0; i < 4096; i++)
		fputc(i * 7 & 0xff, f);
	fclose(f);
	unlink(path_in(STATE_FILE "-wal"));
	unlink(path_in(STATE_FILE "-shm"));
	st = open_state(&pt, msg, sizeof(msg));
	CHECK(st != NULL);
	CHECK(strstr(msg, "file is not a database; moved to") != NULL);
	CHECK_INT(files_like(STATE_FILE ".corrupt-"), 1);
	state_close(st);
	peer_table_free(pt);

	/* someone else's SQLite file */
	unlink(path_in(STATE_FILE));
	sql_exec("CREATE TABLE other(a)");
	st = open_state(&pt, msg, sizeof(msg));
	CHECK(st != NULL && strstr(msg, "not a bmcwatch state database") != NULL);
	CHECK_INT(files_like(STATE_FILE ".foreign-"), 1);
	/* a second file moved aside within the same second keeps the
	 * first: garbage again */
	peer_observe(pt, &h, &p, NULL, T0);
	CHECK(state_sync(st, pt, NULL) == 0);
	state_close(st);
	peer_table_free(pt);
	{
		/* damage the B-tree pages of a real database */
		long sz;
		char *b;
		CHECK((f = fopen(path_in(STATE_FILE), "r+b")) != NULL);
		fseek(f, 0, SEEK_END);
		sz = ftell(f);
		CHECK(sz >= 3 * 4096);
		b = calloc(1, (size_t)sz);
		fseek(f, 0, SEEK_SET);
		CHECK(fread(b, 1, (size_t)sz, f) == (size_t)sz);
		for (long i = 4096; i < sz; i++)
			b[i] ^= 0x5a;
		fseek(f, 0, SEEK_SET);
		fwrite(b, 1, (size_t)sz, f);
		fclose(f);
		free(b);
	}
	st = open_state(&pt, msg, sizeof(msg));
	CHECK(st != NULL);
	CHECK(strstr(msg, "moved to") != NULL);
	CHECK(strchr(msg, '\n') == msg + strlen(msg) - 1);
	CHECK(files_like(STATE_FILE ".corrupt-") == 2 ||
	    files_like(STATE_FILE ".foreign-") == 2);
	state_close(st);
	peer_table_free(pt);

	/* a state directory that is a file: NULL, one line */
	CHECK((f = fopen(path_in("file"), "w")) != NULL);
	fclose(f);
	f = tmpfile();
	pt = peer_table_new(10);
	CHECK(state_open(path_in("file"), pt, NULL, f) == NULL);
	rewind(f);
	CHECK(fgets(msg, sizeof(msg), f) != NULL);
	CHECK(strstr(msg, "not a directory") != NULL);
	fclose(f);
	peer_table_free(pt);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		CHECK(system(cmd) == 0);
	}
}

int
main(void)
{
	test_peer_table();
	test_beacon_save();
	test_database();
	CHECK_DONE();
}
