/*
 * test-spool.c - the on-disk spool: order, the bound and drop-oldest
 * counting, the send cursor, restart, and damage at every byte of a
 * segment (no crash, the records before the damage kept, the file
 * named and moved aside), and a spool that cannot be written (one line
 * when it starts failing, one when it works again).
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include "check.h"
#include "spool.h"

static char base[256];

static void
rmtree(const char *dir)
{
	char p[512];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static int
count_files(const char *dir, const char *suffix)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name), sl = strlen(suffix);
		if (strncmp(de->d_name, "seg-", 4) == 0 && l >= sl &&
		    strcmp(de->d_name + l - sl, suffix) == 0)
			n++;
	}
	closedir(d);
	return n;
}

static void
rec(char *buf, size_t len, uint64_t i)
{
	/* varying lengths so records straddle segment ends differently */
	snprintf(buf, len, "{\"n\":%" PRIu64 ",\"pad\":\"%.*s\"}", i,
	    (int)(i % 23), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
}

/* Pop one record and return its number (or -1). */
static long long
take(struct spool *s)
{
	const void *d;
	size_t n;
	char b[256];
	long long v = -1;

	if (spool_peek(s, &d, &n, NULL) != 1 || n >= sizeof(b))
		return -1;
	memcpy(b, d, n);
	b[n] = '\0';
	if (sscanf(b, "{\"n\":%lld", &v) != 1)
		return -1;
	if (spool_pop(s) != 1)
		return -1;
	return v;
}

static void
test_order(const char *dir)
{
	char err[512], b[128];
	struct spool_depth d;
	struct spool *s = spool_open(dir, 1 << 20, err, sizeof(err));
	int i, ok = 1;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_STR(err, "");
	for (i = 0; i < 500; i++) {
		rec(b, sizeof(b), (uint64_t)i);
		CHECK_INT(spool_push(s, b, strlen(b)), 0);
	}
	spool_depth(s, &d);
	CHECK_INT(d.msgs, 500);
	for (i = 0; i < 500; i++)
		if (take(s) != i)
			ok = 0;
	CHECK(ok);
	spool_depth(s, &d);
	CHECK_INT(d.msgs, 0);
	CHECK_INT(d.bytes, 0);
	CHECK_INT(take(s), -1);
	CHECK_INT(spool_pop(s), 0);
	spool_close(s);
	if (dir != NULL) {
		CHECK_INT(count_files(dir, ""), 1);	/* empty: one file */
		rmtree(dir);
	}
}

/* The bound holds at every push; what is left is the newest, in order. */
static void
test_bound(void)
{
	char dir[300], err[512], b[128];
	struct spool_depth d;
	struct spool *s;
	uint64_t i, n = 2000, first;
	int ok = 1;

	snprintf(dir, sizeof(dir), "%s/bound", base);
	s = spool_open(dir, 4096, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (i = 0; i < n; i++) {
		rec(b, sizeof(b), i);
		if (spool_push(s, b, strlen(b)) != 0)
			ok = 0;
		spool_depth(s, &d);
		if (d.bytes > 4096 || d.dropped + d.msgs != i + 1)
			ok = 0;
	}
	CHECK(ok);
	spool_depth(s, &d);
	CHECK(d.dropped > 0);
	/* an eighth at a time, never more than a quarter at once */
	CHECK(d.bytes > 4096 / 2);
	CHECK(count_files(dir, "") <= 10);
	first = d.dropped;
	for (i = first; i < n; i++)
		if (take(s) != (long long)i)
			ok = 0;
	CHECK(ok);
	CHECK_INT(take(s), -1);
	/* a record larger than the bound is refused, the spool unchanged */
	{
		static char big[8192];
		memset(big, 'a', sizeof(big));
		CHECK_INT(spool_push(s, big, sizeof(big)), -1);
		CHECK(strstr(spool_warning(s), "does not fit") != NULL);
		CHECK(spool_warning(s) == NULL);
	}
	spool_close(s);
	rmtree(dir);
}

static void
test_restart(void)
{
	char dir[300], err[512], b[128], stray[400];
	struct spool_depth d;
	struct spool *s, *s2;
	int i, ok = 1;

	snprintf(dir, sizeof(dir), "%s/restart", base);
	s = spool_open(dir, 24 * 1024, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	/* a second process cannot share it */
	s2 = spool_open(dir, 24 * 1024, err, sizeof(err));
	CHECK(s2 == NULL);
	CHECK(strstr(err, "in use by another process") != NULL);
	for (i = 0; i < 300; i++) {
		rec(b, sizeof(b), (uint64_t)i);
		spool_push(s, b, strlen(b));
	}
	for (i = 0; i < 110; i++)
		take(s);
	CHECK_INT(spool_sync(s), 0);
	spool_close(s);

	/* stray files are not segments */
	snprintf(stray, sizeof(stray), "%s/seg-notes", dir);
	close(open(stray, O_CREAT | O_WRONLY, 0600));
	s = spool_open(dir, 24 * 1024, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_STR(err, "");
	spool_depth(s, &d);
	CHECK_INT(d.msgs, 190);
	CHECK_INT(d.head_seq, 0);
	for (i = 110; i < 200; i++)
		if (take(s) != i)
			ok = 0;
	CHECK(ok);
	spool_close(s);

	/* reopened with a smaller bound: the oldest go, with a warning */
	s = spool_open(dir, 3072, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK(strstr(err, "dropped the oldest") != NULL);
	spool_depth(s, &d);
	CHECK(d.bytes <= 3072);
	CHECK(d.msgs > 0 && d.msgs < 100);
	CHECK_INT(d.dropped + d.msgs, 100);
	for (i = 300 - (int)d.msgs; i < 300; i++)
		if (take(s) != i)
			ok = 0;
	CHECK(ok);
	spool_close(s);
	rmtree(dir);
}

static uint64_t
rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * Random pushes, peeks, nexts, pops and rewinds against a model: a
 * deque of record numbers with a cursor.  Drops (small bound) must take
 * the oldest, in-flight ones included, and keep the cursor on the same
 * record or the next surviving one.
 */
static void
test_cursor_model(const char *dir, uint64_t seed)
{
	char err[512], b[128];
	struct spool_depth d;
	struct spool *s = spool_open(dir, 3000, err, sizeof(err));
	uint64_t x = seed, next = 0, head = 0, dropped = 0, step;
	uint64_t inflight = 0;		/* model: records head..head+msgs */
	int ok = 1;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (step = 0; step < 20000 && ok; step++) {
		uint64_t r = rnd(&x) % 100, msgs = next - head;
		const void *p;
		size_t n;
		uint64_t seq;

		if (r < 40) {
			rec(b, sizeof(b), next);
			if (spool_push(s, b, strlen(b)) != 0)
				ok = 0;
			next++;
			spool_depth(s, &d);
			/* drops: model head follows, in flight shrinks */
			if (d.dropped != dropped) {
				uint64_t k = d.dropped - dropped;
				dropped = d.dropped;
				head += k;
				inflight = inflight > k ? inflight - k : 0;
			}
		} else if (r < 65) {
			int rc = spool_peek(s, &p, &n, &seq);
			if (inflight == msgs) {
				if (rc != 0)
					ok = 0;
			} else {
				long long v = -1;
				memcpy(b, p, n < 127 ? n : 127);
				b[n < 127 ? n : 127] = '\0';
				sscanf(b, "{\"n\":%lld", &v);
				if (rc != 1 || v != (long long)(head + inflight) ||
				    seq != head + inflight)
					ok = 0;
			}
		} else if (r < 85) {
			int rc = spool_next(s);
			if (rc != (inflight < msgs ? 1 : 0))
				ok = 0;
			if (inflight < msgs)
				inflight++;
		} else if (r < 97) {
			int rc = spool_pop(s);
			if (rc != (msgs ? 1 : 0))
				ok = 0;
			if (msgs) {
				head++;
				if (inflight)
					inflight--;
			}
		} else {
			spool_rewind(s);
			inflight = 0;
		}
		spool_depth(s, &d);
		if (d.msgs != next - head || d.inflight != inflight ||
		    d.head_seq != head || d.bytes > 3000)
			ok = 0;
		if (!ok)
			fprintf(stderr, "model mismatch at step %" PRIu64
			    " (op %" PRIu64 "): msgs %" PRIu64 "/%" PRIu64
			    " inflight %" PRIu64 "/%" PRIu64 " head %"
			    PRIu64 "/%" PRIu64 "\n", step, r, d.msgs,
			    next - head, d.inflight, inflight, d.head_seq,
			    head);
	}
	CHECK(ok);
	CHECK(dropped > 0);
	spool_close(s);
	if (dir != NULL)
		rmtree(dir);
}

static int
write_file(const char *path, const unsigned char *b, size_t n)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);

	if (fd < 0 || write(fd, b, n) != (ssize_t)n) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * One segment with done and live records; every byte flipped three ways
 * and the file cut at every length.  Each time: open works, a warning
 * names the file if it found damage, the records before the damaged one
 * all come out, nothing comes out that was not pushed, order holds, and
 * the spool works afterwards.
 */
static void
test_corruption(void)
{
	char dir[300], seg[400], err[512], b[128];
	unsigned char orig[4096], mod[4096];
	size_t starts[16], nrec = 8, popped = 3, size = 0, i, k;
	static const unsigned char flips[] = { 0x01, 0x80, 0xff };
	struct spool *s;
	int fd, case_ok = 1, warned = 0, n;

	snprintf(dir, sizeof(dir), "%s/corrupt", base);
	s = spool_open(dir, 1 << 20, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (i = 0; i < nrec; i++) {
		rec(b, sizeof(b), i);
		starts[i] = size;
		size += 12 + strlen(b);
		spool_push(s, b, strlen(b));
	}
	starts[nrec] = size;
	for (i = 0; i < popped; i++)
		take(s);
	spool_close(s);
	snprintf(seg, sizeof(seg), "%s/seg-0000000000000001", dir);
	fd = open(seg, O_RDONLY);
	CHECK(fd >= 0 && read(fd, orig, sizeof(orig)) == (ssize_t)size);
	if (fd >= 0)
		close(fd);
	rmtree(dir);

	for (i = 0; i <= size && case_ok; i++) {
		for (n = 0; n < 4 && case_ok; n++) {
			size_t len = size, damaged = nrec, got = 0;
			long long last = -1, v;
			int bad = 0;

			memcpy(mod, orig, size);
			if (n < 3) {
				if (i == size)
					continue;
				mod[i] ^= flips[n];
			} else
				len = i;	/* cut short */
			for (k = 0; k < nrec; k++)
				if (starts[k + 1] > (n < 3 ? i : len)) {
					damaged = k;
					break;
				}
			mkdir(dir, 0700);
			write_file(seg, mod, len);
			s = spool_open(dir, 1 << 20, err, sizeof(err));
			if (s == NULL) {
				fprintf(stderr, "byte %zu/%d: open failed: %s\n",
				    i, n, err);
				case_ok = 0;
				break;
			}
			if (err[0] != '\0') {
				warned++;
				if (strstr(err, seg) == NULL ||
				    count_files(dir, ".corrupt") != 1)
					bad = 1;
			}
			while ((v = take(s)) >= 0) {
				if (v <= last || v >= (long long)nrec)
					bad = 1;
				/* a live record before the damage survives */
				last = v;
				got++;
			}
			/* everything live before the damaged record came out */
			for (k = popped; k < damaged; k++)
				if (got < k - popped + 1)
					bad = 1;
			/* and the spool still works */
			rec(b, sizeof(b), 99);
			if (spool_push(s, b, strlen(b)) != 0 || take(s) != 99)
				bad = 1;
			spool_close(s);
			/* what was put back is clean */
			s = spool_open(dir, 1 << 20, err, sizeof(err));
			if (s == NULL || err[0] != '\0')
				bad = 1;
			spool_close(s);
			if (bad) {
				fprintf(stderr, "damage at byte %zu (way %d): "
				    "got %zu records, warning '%s'\n", i, n,
				    got, err);
				case_ok = 0;
			}
			rmtree(dir);
		}
	}
	CHECK(case_ok);
	/* most flips are caught (the state byte of a record is not) */
	CHECK(warned > (int)(size * 3) * 9 / 10);
}

/* Damage found while running: after the cursor it only drops what
 * follows; under records in flight it rewinds and says so (-1). */
static void
test_runtime_damage(void)
{
	char dir[300], seg[400], err[512], b[128];
	size_t starts[11], size = 0, i;
	struct spool_depth d;
	struct spool *s;
	const void *p;
	size_t n;
	int fd;
	unsigned char x;

	snprintf(dir, sizeof(dir), "%s/runtime", base);
	snprintf(seg, sizeof(seg), "%s/seg-0000000000000001", dir);
	s = spool_open(dir, 1 << 20, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (i = 0; i < 10; i++) {
		rec(b, sizeof(b), i);
		starts[i] = size;
		size += 12 + strlen(b);
		spool_push(s, b, strlen(b));
	}
	starts[10] = size;
	for (i = 0; i < 3; i++)
		CHECK_INT(spool_next(s), 1);
	/* flip a payload byte of record 6 */
	fd = open(seg, O_RDWR);
	CHECK(pread(fd, &x, 1, (off_t)starts[6] + 14) == 1);
	x ^= 0x40;
	CHECK(pwrite(fd, &x, 1, (off_t)starts[6] + 14) == 1);
	for (i = 3; i < 6; i++) {
		CHECK_INT(spool_peek(s, &p, &n, NULL), 1);
		CHECK(n > 6 && atoi((const char *)p + 5) == (int)i);
		CHECK_INT(spool_next(s), 1);
	}
	CHECK_INT(spool_peek(s, &p, &n, NULL), 0);
	CHECK(strstr(spool_warning(s), "CRC mismatch at offset") != NULL);
	spool_depth(s, &d);
	CHECK_INT(d.msgs, 6);
	CHECK_INT(d.inflight, 6);
	CHECK_INT(d.corrupt, 1);
	/* now the head (in flight) is damaged: rewind, -1 */
	close(fd);
	fd = open(seg, O_RDWR);
	x = 0;
	CHECK(pwrite(fd, &x, 1, 1) == 1);	/* the magic of record 0 */
	close(fd);
	CHECK_INT(spool_pop(s), -1);
	spool_depth(s, &d);
	CHECK_INT(d.msgs, 0);
	CHECK_INT(d.inflight, 0);
	CHECK(strstr(spool_warning(s), "bad record header at offset 0") !=
	    NULL);
	rec(b, sizeof(b), 42);
	CHECK_INT(spool_push(s, b, strlen(b)), 0);
	CHECK_INT(take(s), 42);
	spool_close(s);
	rmtree(dir);
}

static void
test_args(void)
{
	char err[512], dir[300];
	struct spool *s;

	s = spool_open(NULL, 100, err, sizeof(err));
	CHECK(s == NULL);
	CHECK(strstr(err, "minimum") != NULL);
	s = spool_open("/proc/nonexistent/spool", 1 << 20, err, sizeof(err));
	CHECK(s == NULL);
	CHECK(strstr(err, "/proc/nonexistent/spool") != NULL);
	/* a file where the directory should be */
	snprintf(dir, sizeof(dir), "%s/afile", base);
	close(open(dir, O_CREAT | O_WRONLY, 0600));
	s = spool_open(dir, 1 << 20, err, sizeof(err));
	CHECK(s == NULL);
	CHECK(strstr(err, dir) != NULL);
	unlink(dir);
}

/*
 * bmcwatch opens the spool as root and then drops to -u USER: every file
 * in it must be the directory owner's, those made now and those a run as
 * root left, or the dropped process cannot write its alerts.  Checked by
 * a child that drops to the owner and reads every record.
 */
static void
test_owner(void)
{
	const uid_t u = 65534;		/* nobody; need not exist by name */
	char dir[300], err[512], b[128], p[600];
	struct dirent *de;
	struct spool *s;
	struct stat st;
	int i, status, all = 1;
	DIR *d;
	pid_t pid;

	if (geteuid() != 0) {
		printf("skip spool owner checks: not root\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s/owner", base);
	/* a run as root with the directory root's: root's files */
	s = spool_open(dir, 24 * 1024, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (i = 0; i < 40; i++) {
		rec(b, sizeof(b), (uint64_t)i);
		spool_push(s, b, strlen(b));
	}
	spool_close(s);
	/* the operator gives the directory to the sensor user */
	CHECK_INT(chown(dir, u, u), 0);
	CHECK_INT(chmod(base, 0755), 0);
	s = spool_open(dir, 24 * 1024, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (i = 40; i < 300; i++) {	/* new segments too */
		rec(b, sizeof(b), (uint64_t)i);
		spool_push(s, b, strlen(b));
	}
	spool_close(s);
	CHECK(count_files(dir, "") > 2);
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			if (de->d_name[0] != '.' && (lstat(p, &st) < 0 ||
			    st.st_uid != u || st.st_gid != u)) {
				fprintf(stderr, "%s: not the owner's\n", p);
				all = 0;
			}
		}
		closedir(d);
	}
	CHECK(all);
	/* the dropped process reads every record, in order */
	if ((pid = fork()) == 0) {
		int ok = setgid(u) == 0 && setuid(u) == 0;
		s = ok ? spool_open(dir, 24 * 1024, err, sizeof(err)) : NULL;
		for (i = 0; s != NULL && i < 300; i++)
			if (take(s) != i)
				_exit(3);
		_exit(s == NULL ? 2 : 0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	rmtree(dir);
}

/* fn(arg) in a child (a resource limit or uid change stays there); its
 * CHECKs print their own failures, the parent checks it passed. */
static void
in_child(void (*fn)(const char *), const char *arg)
{
	int status;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		fn(arg);
		fflush(NULL);
		_exit(check_failures ? 1 : 0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Read every warning left; how many there were. */
static int
warnings(struct spool *s, const char **last)
{
	const char *w;
	int n = 0;

	*last = "";
	while ((w = spool_warning(s)) != NULL) {
		fprintf(stderr, "  warning: %s\n", w);
		*last = w;
		n++;
	}
	return n;
}

/*
 * A full disk, as a file size limit: once the segment reaches it every
 * push fails.  One warning names the file and the reason, however many
 * records fail; one says when writing works again and how many were
 * lost; the failures are counted; no half-written record is left (the
 * records around the outage read back in order, after a restart too).
 */
static void
write_errors_fsize(const char *dir)
{
	char err[512], b[128];
	struct spool_depth d;
	struct rlimit rl;
	struct spool *s;
	const char *w;
	int i, fit = -1, ok = 1;

	signal(SIGXFSZ, SIG_IGN);	/* EFBIG instead of a core dump */
	s = spool_open(dir, 1 << 20, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = 4096;
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &rl), 0);
	for (i = 0; i < 1000 && fit < 0; i++) {
		rec(b, sizeof(b), (uint64_t)i);
		if (spool_push(s, b, strlen(b)) < 0)
			fit = i;
	}
	CHECK(fit > 10);	/* records fitted up to the limit */
	w = spool_warning(s);
	CHECK(w != NULL && strstr(w, "cannot write") != NULL &&
	    strstr(w, strerror(EFBIG)) != NULL &&
	    strstr(w, dir != NULL ? dir : "memory") != NULL);
	fprintf(stderr, "  warning: %s\n", w ? w : "(none)");
	for (i = 0; i < 500; i++) {
		rec(b, sizeof(b), 999999);
		if (spool_push(s, b, strlen(b)) != -1)
			ok = 0;
	}
	CHECK(ok);
	CHECK_INT(warnings(s, &w), 0);	/* not one per record */
	spool_depth(s, &d);
	CHECK_INT(d.write_errors, 501);
	CHECK_INT(d.msgs, fit);
	/* room again */
	rl.rlim_cur = rl.rlim_max;
	CHECK_INT(setrlimit(RLIMIT_FSIZE, &rl), 0);
	for (i = fit; i < fit + 50; i++) {
		rec(b, sizeof(b), (uint64_t)i);
		CHECK_INT(spool_push(s, b, strlen(b)), 0);
	}
	CHECK_INT(warnings(s, &w), 1);
	CHECK(strstr(w, "works again") != NULL &&
	    strstr(w, " 501 records") != NULL);
	spool_depth(s, &d);
	CHECK_INT(d.write_errors, 501);
	if (dir != NULL) {
		/* what is on disk parses: the failed writes left nothing */
		spool_close(s);
		s = spool_open(dir, 1 << 20, err, sizeof(err));
		CHECK(s != NULL);
		if (s == NULL)
			return;
		CHECK_STR(err, "");
	}
	for (i = 0; i < fit + 50; i++)
		if (take(s) != i)
			ok = 0;
	CHECK(ok);
	CHECK_INT(take(s), -1);
	spool_close(s);
	if (dir != NULL)
		rmtree(dir);
}

/*
 * A directory the sensor may not write to: a new segment cannot be made.
 * As root (who may write anyway) the child becomes nobody first, as the
 * sensor does with -u.
 */
static void
write_errors_perm(const char *dir)
{
	const uid_t u = 65534;
	char err[512], b[128];
	struct spool_depth d;
	struct spool *s;
	const char *w;
	int i, ok = 1, failed = 0;

	if (geteuid() == 0 && (chown(dir, u, u) < 0 || setgid(u) < 0 ||
	    setuid(u) < 0)) {
		CHECK(!"cannot become nobody");
		return;
	}
	/* segments of 8 KiB: a new one every ~150 records */
	s = spool_open(dir, 64 * 1024, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (i = 0; i < 100; i++) {
		rec(b, sizeof(b), (uint64_t)i);
		CHECK_INT(spool_push(s, b, strlen(b)), 0);
	}
	CHECK_INT(chmod(dir, 0500), 0);
	for (i = 100; i < 600; i++) {
		rec(b, sizeof(b), (uint64_t)i);
		if (spool_push(s, b, strlen(b)) < 0)
			failed++;
		else if (failed > 0)
			ok = 0;		/* once failing, every one fails */
	}
	CHECK(ok);
	CHECK(failed > 300);
	CHECK_INT(warnings(s, &w), 1);
	CHECK(strstr(w, "cannot create") != NULL &&
	    strstr(w, dir) != NULL && strstr(w, strerror(EACCES)) != NULL);
	spool_depth(s, &d);
	CHECK_INT(d.write_errors, failed);
	CHECK_INT(chmod(dir, 0700), 0);
	rec(b, sizeof(b), 600);
	CHECK_INT(spool_push(s, b, strlen(b)), 0);
	CHECK_INT(warnings(s, &w), 1);
	snprintf(b, sizeof(b), " %d records", failed);
	CHECK(strstr(w, "works again") != NULL && strstr(w, b) != NULL);
	for (i = 0; i < 600 - failed; i++)
		if (take(s) != i)
			ok = 0;
	CHECK(ok);
	CHECK_INT(take(s), 600);
	spool_close(s);
	rmtree(dir);
}

static void
test_write_errors(void)
{
	char dir[300];

	in_child(write_errors_fsize, NULL);
	snprintf(dir, sizeof(dir), "%s/fsize", base);
	in_child(write_errors_fsize, dir);
	snprintf(dir, sizeof(dir), "%s/perm", base);
	CHECK_INT(mkdir(dir, 0700), 0);
	CHECK_INT(chmod(base, 0755), 0);	/* for nobody */
	in_child(write_errors_perm, dir);
	rmtree(dir);
}

int
main(void)
{
	char dir[300];
	const char *t = getenv("TMPDIR");

	snprintf(base, sizeof(base), "%s/test-spool.XXXXXX", t ? t : "/tmp");
	if (mkdtemp(base) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_order(NULL);
	snprintf(dir, sizeof(dir), "%s/order", base);
	test_order(dir);
	test_bound();
	test_restart();
	test_cursor_model(NULL, 88172645463325252ULL);
	snprintf(dir, sizeof(dir), "%s/model", base);
	test_cursor_model(dir, 0x9E3779B97F4A7C15ULL);
	test_corruption();
	test_runtime_damage();
	test_args();
	test_owner();
	test_write_errors();
	rmdir(base);
	CHECK_DONE();
}
