/*
 * spool.c - the on-disk FIFO of spool.h.
 *
 * The directory holds segment files named seg-<16 hex digits>, oldest
 * first by number, and a lock file.  A segment is a run of records:
 *
 *	state(1) 0xB7(1) 0(2) len(4, LE) crc32(4, LE, of len and data) data
 *
 * state is 'L' (live) or 'D' (done).  Popping a record rewrites its state
 * byte in place: a one-byte write cannot tear, so there is no index file
 * to keep consistent and a restart finds the head by skipping 'D' records.
 * The state byte is outside the CRC because it changes; a damaged state
 * byte can therefore resurrect or hide one record, nothing more (a value
 * that is neither counts as live: a duplicate is better than a loss).
 *
 * The bound counts whole files.  A new segment starts when the current
 * one would grow past max_bytes / 8, and when a push would exceed
 * max_bytes the oldest segment goes (its live records counted as
 * dropped), so at most an eighth of the spool is dropped at once.  A
 * segment whose records are all done is deleted; an empty spool
 * truncates its one file.
 *
 * Every file in the directory belongs to the directory's owner.  The
 * sensor opens its outputs as root and then drops to -u USER, and a
 * segment made or found in that window would be root's 0600 file that
 * the sensor can no longer open: every alert would then be lost.  So
 * while root, each file made or found is given to the directory's owner
 * (the operator makes the directory the sensor user's, as for any state
 * directory).
 *
 * Damage (a header that does not parse, a bad CRC, a record cut short) in
 * a segment moves the file aside as NAME.corrupt and puts back a copy of
 * the records before the damage, so what can be trusted is still
 * delivered and the evidence stays for a human.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool.h"

#define REC_HDR		12
#define REC_MAGIC	0xB7
#define ST_LIVE		'L'
#define ST_DONE		'D'
#define SEG_PREFIX	"seg-"
#define SEG_NAMELEN	(4 + 16)

struct seg {
	uint64_t	 id;		/* from the name; increasing */
	int		 fd;		/* -1 until needed */
	uint64_t	 size;
	uint64_t	 live;
};

struct spool {
	char		*dir;		/* NULL: memory (memfd segments) */
	int		 lockfd;
	uint64_t	 max_bytes, seg_max;
	struct seg	*seg;
	size_t		 nseg, segcap;
	uint64_t	 head_off;	/* no live record before it in seg[0] */
	size_t		 cur_seg;	/* the send cursor */
	uint64_t	 cur_off;
	uint64_t	 msgs, bytes, inflight, head_seq, dropped, corrupt;
	int		 peeked;	/* buf holds the record at the cursor */
	uint64_t	 peek_size;	/* its size on disk */
	unsigned char	*buf;
	size_t		 bufcap;
	char		 warn[512];
	int		 has_warn;
	int		 give;		/* root: files go to the dir's owner */
	uid_t		 uid;
	gid_t		 gid;
};

/* CRC-32 (IEEE), four bits at a time: small table, no state. */
static uint32_t
crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
	static const uint32_t t[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};

	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ t[crc & 15];
		crc = (crc >> 4) ^ t[crc & 15];
	}
	return ~crc;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static uint32_t
rec_crc(const unsigned char *lenbytes, const void *data, size_t len)
{
	return crc32_update(crc32_update(0, lenbytes, 4), data, len);
}

static void warn(struct spool *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(struct spool *s, const char *fmt, ...)
{
	va_list ap;

	/* Keep the first message until read: it is the one that explains. */
	if (s->has_warn)
		return;
	va_start(ap, fmt);
	vsnprintf(s->warn, sizeof(s->warn), fmt, ap);
	va_end(ap);
	s->has_warn = 1;
}

static void
seg_name(const struct spool *s, uint64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" SEG_PREFIX "%016" PRIx64, s->dir, id);
}

/* A file made or found while root: the directory owner's (see top). */
static void
give_file(struct spool *s, int fd)
{
	if (s->give && fd >= 0 && fchown(fd, s->uid, s->gid) < 0)
		warn(s, "spool: cannot give a file in %s to uid %u: %s", s->dir,
		    (unsigned)s->uid, strerror(errno));
}

static int
seg_fd(struct spool *s, size_t i)
{
	char path[4096];

	if (s->seg[i].fd >= 0)
		return s->seg[i].fd;
	seg_name(s, s->seg[i].id, path, sizeof(path));
	s->seg[i].fd = open(path, O_RDWR | O_CLOEXEC);
	if (s->seg[i].fd < 0) {
		warn(s, "spool: %s: %s", path, strerror(errno));
	}
	return s->seg[i].fd;
}

static int
grow(struct spool *s, size_t need)
{
	unsigned char *nb;

	if (need <= s->bufcap)
		return 0;
	if ((nb = realloc(s->buf, need)) == NULL)
		return -1;
	s->buf = nb;
	s->bufcap = need;
	return 0;
}

/*
 * Read and check the record at off in segment i.  With want_data the
 * payload is read into s->buf and its CRC checked.  Returns the record's
 * size on disk, 0 at the end of the segment, -1 on damage (why says what)
 * or I/O error (why = NULL, errno set).
 */
static int64_t
rec_read(struct spool *s, size_t i, uint64_t off, int want_data, int *state,
    uint32_t *lenp, const char **why)
{
	unsigned char h[REC_HDR];
	uint64_t size = s->seg[i].size;
	uint32_t len;
	ssize_t n;
	int fd;

	*why = NULL;
	if (off >= size)
		return 0;
	if ((fd = seg_fd(s, i)) < 0)
		return -1;
	if (size - off < REC_HDR) {
		*why = "record header cut short";
		return -1;
	}
	if ((n = pread(fd, h, REC_HDR, (off_t)off)) != REC_HDR) {
		if (n >= 0)
			*why = "file shrank";
		return -1;
	}
	len = get32(h + 4);
	if (h[1] != REC_MAGIC || h[2] != 0 || h[3] != 0) {
		*why = "bad record header";
		return -1;
	}
	if (len > SPOOL_MAX_RECORD || len > size - off - REC_HDR) {
		*why = "bad record length";
		return -1;
	}
	/* A state byte that is neither: if the CRC holds, deliver the
	 * record (again, perhaps) rather than lose the ones after it. */
	*state = h[0] == ST_DONE ? ST_DONE : ST_LIVE;
	*lenp = len;
	if (want_data || (h[0] != ST_LIVE && h[0] != ST_DONE)) {
		if (grow(s, len + 1) < 0)
			return -1;
		n = pread(fd, s->buf, len, (off_t)(off + REC_HDR));
		if (n != (ssize_t)len) {
			if (n >= 0)
				*why = "file shrank";
			return -1;
		}
		if (rec_crc(h + 4, s->buf, len) != get32(h + 8)) {
			*why = "CRC mismatch";
			return -1;
		}
	}
	return REC_HDR + (int64_t)len;
}

/* Live records of segment i from its start up to 'end' (all valid). */
static uint64_t
count_live(struct spool *s, size_t i, uint64_t end)
{
	uint64_t off = 0, live = 0;
	const char *why;
	uint32_t len;
	int64_t r;
	int st;

	while (off < end &&
	    (r = rec_read(s, i, off, 0, &st, &len, &why)) > 0) {
		if (st == ST_LIVE)
			live++;
		off += (uint64_t)r;
	}
	return live;
}

static int
copy_prefix(int from, int to, uint64_t n)
{
	char b[65536];
	uint64_t off = 0;

	while (off < n) {
		size_t want = n - off < sizeof(b) ? (size_t)(n - off) : sizeof(b);
		ssize_t r = pread(from, b, want, (off_t)off);
		if (r <= 0 || write(to, b, (size_t)r) != r)
			return -1;
		off += (uint64_t)r;
	}
	return 0;
}

/*
 * Segment i is damaged at off: move the file aside, put back its first
 * off bytes (valid records) under the old name, recount.  Returns 1 if
 * records in flight were lost with it: then the cursor is rewound and
 * the caller must treat everything in flight as unconfirmed.
 */
static int
salvage(struct spool *s, size_t i, uint64_t off, const char *why)
{
	char path[4096], aside[4200];
	struct seg *g = &s->seg[i];
	uint64_t oldlive = g->live, oldsize = g->size;
	int fd, n;

	s->corrupt++;
	if (s->dir == NULL) {
		/* only this process writes a memfd: no evidence to keep */
		if (g->fd >= 0 && ftruncate(g->fd, (off_t)off) < 0)
			off = 0;
		g->size = off;
		g->live = count_live(s, i, off);
		warn(s, "spool: memory segment: %s at offset %" PRIu64
		    "; records after it dropped", why, off);
	} else {
		seg_name(s, g->id, path, sizeof(path));
		for (n = 0; n < 1000; n++) {
			if (n == 0)
				snprintf(aside, sizeof(aside), "%s.corrupt",
				    path);
			else
				snprintf(aside, sizeof(aside), "%s.corrupt.%d",
				    path, n);
			if (access(aside, F_OK) < 0)
				break;
		}
		fd = -1;
		if (rename(path, aside) == 0)
			fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
			    0600);
		give_file(s, fd);
		if (fd >= 0 && off > 0 &&
		    (g->fd < 0 || copy_prefix(g->fd, fd, off) < 0)) {
			/* cannot copy: keep nothing rather than half */
			close(fd);
			unlink(path);
			fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
			give_file(s, fd);
			off = 0;
		}
		if (fd < 0)
			off = 0;
		if (g->fd >= 0)
			close(g->fd);
		g->fd = fd;
		g->size = off;
		g->live = count_live(s, i, off);
		warn(s, "spool: %s: %s at offset %" PRIu64 "; moved aside "
		    "to %s, %" PRIu64 " records before the damage kept", path,
		    why, off, aside, g->live);
	}
	s->bytes -= oldsize - off;
	s->msgs -= oldlive - g->live;
	if (i == 0 && s->head_off > off)
		s->head_off = off;
	s->peeked = 0;
	if (s->cur_seg > i || (s->cur_seg == i && s->cur_off > off)) {
		spool_rewind(s);
		return 1;
	}
	return 0;
}

static void
seg_unlink(struct spool *s, size_t i)
{
	char path[4096];

	if (s->seg[i].fd >= 0)
		close(s->seg[i].fd);
	if (s->dir != NULL) {
		seg_name(s, s->seg[i].id, path, sizeof(path));
		unlink(path);
	}
	s->bytes -= s->seg[i].size;
	memmove(&s->seg[i], &s->seg[i + 1],
	    (s->nseg - i - 1) * sizeof(s->seg[0]));
	s->nseg--;
}

/* Drop segment 0 and its live records (all in flight if the cursor is
 * past it, because the head is in it). */
static void
drop_first(struct spool *s)
{
	uint64_t live = s->seg[0].live;

	s->dropped += live;
	s->msgs -= live;
	s->head_seq += live;
	if (s->cur_seg == 0) {
		s->inflight = 0;
		s->cur_off = 0;
	} else {
		s->inflight -= live;
		s->cur_seg--;
	}
	seg_unlink(s, 0);
	s->head_off = 0;
	s->peeked = 0;
}

/* The last segment only: empty it. */
static void
reset_last(struct spool *s)
{
	struct seg *g = &s->seg[0];

	s->dropped += g->live;
	s->head_seq += g->live;
	s->msgs = 0;
	s->inflight = 0;
	if (seg_fd(s, 0) < 0 || ftruncate(g->fd, 0) < 0)
		warn(s, "spool: cannot truncate the last segment");
	s->bytes -= g->size;
	g->size = 0;
	g->live = 0;
	s->head_off = s->cur_off = 0;
	s->cur_seg = 0;
	s->peeked = 0;
}

static int
seg_add(struct spool *s, uint64_t id, int fd)
{
	struct seg *ns;

	if (s->nseg == s->segcap) {
		size_t cap = s->segcap ? s->segcap * 2 : 16;
		if ((ns = realloc(s->seg, cap * sizeof(*ns))) == NULL)
			return -1;
		s->seg = ns;
		s->segcap = cap;
	}
	s->seg[s->nseg].id = id;
	s->seg[s->nseg].fd = fd;
	s->seg[s->nseg].size = 0;
	s->seg[s->nseg].live = 0;
	s->nseg++;
	return 0;
}

static int
seg_new(struct spool *s, char *err, size_t errlen)
{
	uint64_t id = s->nseg ? s->seg[s->nseg - 1].id + 1 : 1;
	char path[4096];
	int fd;

	if (s->dir == NULL) {
		fd = memfd_create("bmcwatch-spool", MFD_CLOEXEC);
		snprintf(path, sizeof(path), "memfd");
	} else {
		seg_name(s, id, path, sizeof(path));
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		give_file(s, fd);
	}
	if (fd < 0) {
		snprintf(err, errlen, "spool: %s: %s", path, strerror(errno));
		return -1;
	}
	if (seg_add(s, id, fd) < 0) {
		close(fd);
		snprintf(err, errlen, "spool: out of memory");
		return -1;
	}
	return 0;
}

static int
cmp_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Queue the segments a previous process left, oldest first. */
static int
scan(struct spool *s, char *err, size_t errlen)
{
	uint64_t *ids = NULL, off;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	struct stat st;
	const char *why;
	uint32_t len;
	int64_t r;
	int state;
	DIR *d;

	if ((d = opendir(s->dir)) == NULL) {
		snprintf(err, errlen, "spool: %s: %s", s->dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char *end;
		uint64_t id;

		if (strlen(de->d_name) != SEG_NAMELEN ||
		    strncmp(de->d_name, SEG_PREFIX, 4) != 0)
			continue;
		errno = 0;
		id = strtoull(de->d_name + 4, &end, 16);
		if (*end != '\0' || errno != 0 || id == 0)
			continue;
		if (n == cap) {
			uint64_t *ni;
			cap = cap ? cap * 2 : 16;
			if ((ni = realloc(ids, cap * sizeof(*ids))) == NULL) {
				free(ids);
				closedir(d);
				snprintf(err, errlen, "spool: out of memory");
				return -1;
			}
			ids = ni;
		}
		ids[n++] = id;
	}
	closedir(d);
	if (n > 1)
		qsort(ids, n, sizeof(*ids), cmp_id);
	for (i = 0; i < n; i++) {
		if (seg_add(s, ids[i], -1) < 0 ||
		    seg_fd(s, s->nseg - 1) < 0 ||
		    fstat(s->seg[s->nseg - 1].fd, &st) < 0) {
			snprintf(err, errlen, "%s", s->has_warn ? s->warn :
			    "spool: out of memory");
			free(ids);
			return -1;
		}
		give_file(s, s->seg[s->nseg - 1].fd);
		s->seg[s->nseg - 1].size = (uint64_t)st.st_size;
		s->bytes += (uint64_t)st.st_size;
		off = 0;
		while ((r = rec_read(s, s->nseg - 1, off, 1, &state, &len,
		    &why)) > 0) {
			if (state == ST_LIVE) {
				s->seg[s->nseg - 1].live++;
				s->msgs++;
			}
			off += (uint64_t)r;
		}
		if (r < 0) {
			if (why == NULL) {
				snprintf(err, errlen, "spool: reading segment "
				    "%016" PRIx64 ": %s", ids[i],
				    strerror(errno));
				free(ids);
				return -1;
			}
			(void)salvage(s, s->nseg - 1, off, why);
		}
		/* only the segments in use keep a descriptor */
		close(s->seg[s->nseg - 1].fd);
		s->seg[s->nseg - 1].fd = -1;
	}
	free(ids);
	/* finished segments a crash left behind */
	while (s->nseg > 1 && s->seg[0].live == 0)
		seg_unlink(s, 0);
	if (s->bytes > s->max_bytes) {
		uint64_t before = s->dropped;
		while (s->nseg > 1 && s->bytes > s->max_bytes)
			drop_first(s);
		if (s->bytes > s->max_bytes)
			reset_last(s);
		warn(s, "spool: %s holds more than %" PRIu64 " bytes: "
		    "dropped the oldest %" PRIu64 " records", s->dir,
		    s->max_bytes, s->dropped - before);
	}
	return 0;
}

struct spool *
spool_open(const char *dir, size_t max_bytes, char *err, size_t errlen)
{
	struct spool *s;
	char path[4096];

	err[0] = '\0';
	if (max_bytes < SPOOL_MIN_BYTES) {
		snprintf(err, errlen, "spool: size %zu is below the minimum "
		    "of %u bytes", max_bytes, SPOOL_MIN_BYTES);
		return NULL;
	}
	if (dir != NULL && (dir[0] == '\0' || strlen(dir) > 3800)) {
		snprintf(err, errlen, "spool: bad directory name");
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "spool: out of memory");
		return NULL;
	}
	s->lockfd = -1;
	s->max_bytes = max_bytes;
	s->seg_max = max_bytes / 8;
	if (dir != NULL) {
		if ((s->dir = strdup(dir)) == NULL) {
			snprintf(err, errlen, "spool: out of memory");
			goto fail;
		}
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "spool: cannot create %s: %s",
			    dir, strerror(errno));
			goto fail;
		}
		if (geteuid() == 0) {
			struct stat st;
			if (stat(dir, &st) < 0) {
				snprintf(err, errlen, "spool: %s: %s", dir,
				    strerror(errno));
				goto fail;
			}
			s->give = st.st_uid != 0 || st.st_gid != 0;
			s->uid = st.st_uid;
			s->gid = st.st_gid;
		}
		snprintf(path, sizeof(path), "%s/lock", dir);
		s->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (s->lockfd < 0) {
			snprintf(err, errlen, "spool: %s: %s", path,
			    strerror(errno));
			goto fail;
		}
		give_file(s, s->lockfd);
		if (flock(s->lockfd, LOCK_EX | LOCK_NB) < 0) {
			snprintf(err, errlen, "spool: %s is in use by another "
			    "process", dir);
			goto fail;
		}
		if (scan(s, err, errlen) < 0)
			goto fail;
	}
	if (s->nseg == 0 && seg_new(s, err, errlen) < 0)
		goto fail;
	spool_rewind(s);
	if (s->has_warn) {
		snprintf(err, errlen, "%s", s->warn);
		s->has_warn = 0;
	}
	return s;
fail:
	spool_close(s);
	return NULL;
}

int
spool_push(struct spool *s, const void *data, size_t len)
{
	unsigned char h[REC_HDR];
	uint64_t need = REC_HDR + (uint64_t)len;
	struct iovec iov[2];
	struct seg *t;
	char m[256];
	ssize_t n;
	int fd;

	if (len > SPOOL_MAX_RECORD || need > s->max_bytes) {
		warn(s, "spool: a record of %zu bytes does not fit", len);
		return -1;
	}
	while (s->bytes + need > s->max_bytes) {
		if (s->nseg > 1)
			drop_first(s);
		else
			reset_last(s);
	}
	t = &s->seg[s->nseg - 1];
	if (t->size > 0 && t->size + need > s->seg_max) {
		if (seg_new(s, m, sizeof(m)) < 0) {
			warn(s, "%s", m);
			return -1;
		}
		t = &s->seg[s->nseg - 1];
	}
	if ((fd = seg_fd(s, s->nseg - 1)) < 0)
		return -1;
	h[0] = ST_LIVE;
	h[1] = REC_MAGIC;
	h[2] = h[3] = 0;
	put32(h + 4, (uint32_t)len);
	put32(h + 8, rec_crc(h + 4, data, len));
	iov[0].iov_base = h;
	iov[0].iov_len = REC_HDR;
	iov[1].iov_base = (void *)(uintptr_t)data;
	iov[1].iov_len = len;
	n = pwritev(fd, iov, 2, (off_t)t->size);
	if (n != (ssize_t)need) {
		warn(s, "spool: write: %s", n < 0 ? strerror(errno) :
		    "short write");
		/* a half record must not stay: the next push overwrites it */
		if (ftruncate(fd, (off_t)t->size) < 0)
			warn(s, "spool: cannot truncate after a failed write");
		return -1;
	}
	t->size += need;
	t->live++;
	s->bytes += need;
	s->msgs++;
	return 0;
}

/* Position the head on the first live record; 1 found, 0 empty, -1. */
static int
find_head(struct spool *s, int64_t *size)
{
	const char *why;
	uint32_t len;
	int64_t r;
	int st;

	for (;;) {
		r = rec_read(s, 0, s->head_off, 0, &st, &len, &why);
		if (r < 0) {
			if (why != NULL && !salvage(s, 0, s->head_off, why))
				continue;	/* nothing in flight was lost */
			return -1;
		}
		if (r == 0) {
			if (s->nseg == 1)
				return 0;
			if (s->cur_seg == 0) {
				s->cur_seg = 1;
				s->cur_off = 0;
			}
			seg_unlink(s, 0);
			s->cur_seg--;
			s->head_off = 0;
			continue;
		}
		if (st == ST_LIVE) {
			*size = r;
			return 1;
		}
		if (s->cur_seg == 0 && s->cur_off == s->head_off)
			s->cur_off += (uint64_t)r;
		s->head_off += (uint64_t)r;
	}
}

int
spool_pop(struct spool *s)
{
	char done = ST_DONE;
	int64_t r = 0;
	int rc;

	if (s->msgs == 0)
		return 0;
	if ((rc = find_head(s, &r)) <= 0)
		return rc;
	if (pwrite(s->seg[0].fd, &done, 1, (off_t)s->head_off) != 1) {
		warn(s, "spool: cannot mark a record delivered");
		return -1;
	}
	s->seg[0].live--;
	s->msgs--;
	s->head_seq++;
	s->head_off += (uint64_t)r;
	if (s->inflight > 0)
		s->inflight--;
	else {
		s->cur_seg = 0;
		s->cur_off = s->head_off;
		s->peeked = 0;
	}
	if (s->msgs == 0) {
		/* empty: start over in one file */
		while (s->nseg > 1)
			seg_unlink(s, 0);
		s->cur_seg = 0;
		reset_last(s);
	} else if (s->seg[0].live == 0 && s->nseg > 1) {
		if (s->cur_seg == 0) {
			s->cur_seg = 1;
			s->cur_off = 0;
		}
		seg_unlink(s, 0);
		s->cur_seg--;
		s->head_off = 0;
	}
	return 1;
}

int
spool_peek(struct spool *s, const void **data, size_t *len, uint64_t *seq)
{
	const char *why;
	uint32_t n;
	int64_t r;
	int st;

	if (s->msgs <= s->inflight)
		return 0;
	for (;;) {
		r = rec_read(s, s->cur_seg, s->cur_off, 1, &st, &n, &why);
		if (r < 0) {
			if (why == NULL || salvage(s, s->cur_seg, s->cur_off,
			    why))
				return -1;
			if (s->msgs <= s->inflight)
				return 0;
			continue;	/* the records after it are gone */
		}
		if (r == 0) {
			if (s->cur_seg + 1 >= s->nseg)
				return 0;	/* counts disagree: none */
			s->cur_seg++;
			s->cur_off = 0;
			continue;
		}
		if (st == ST_LIVE)
			break;
		s->cur_off += (uint64_t)r;
	}
	s->peeked = 1;
	s->peek_size = (uint64_t)r;
	*data = s->buf;
	*len = n;
	if (seq != NULL)
		*seq = s->head_seq + s->inflight;
	return 1;
}

int
spool_next(struct spool *s)
{
	const void *d;
	size_t n;
	int rc;

	if (!s->peeked && (rc = spool_peek(s, &d, &n, NULL)) <= 0)
		return rc;
	s->cur_off += s->peek_size;
	s->inflight++;
	s->peeked = 0;
	return 1;
}

void
spool_rewind(struct spool *s)
{
	s->cur_seg = 0;
	s->cur_off = s->head_off;
	s->inflight = 0;
	s->peeked = 0;
}

void
spool_depth(const struct spool *s, struct spool_depth *d)
{
	d->msgs = s->msgs;
	d->bytes = s->bytes;
	d->inflight = s->inflight;
	d->head_seq = s->head_seq;
	d->dropped = s->dropped;
	d->corrupt = s->corrupt;
}

const char *
spool_warning(struct spool *s)
{
	if (!s->has_warn)
		return NULL;
	s->has_warn = 0;
	return s->warn;
}

int
spool_sync(struct spool *s)
{
	size_t i;
	int rc = 0, dfd;

	if (s->dir == NULL)
		return 0;
	for (i = 0; i < s->nseg; i++)
		if (s->seg[i].fd >= 0 && fsync(s->seg[i].fd) < 0)
			rc = -1;
	if ((dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (fsync(dfd) < 0)
			rc = -1;
		close(dfd);
	}
	return rc;
}

void
spool_close(struct spool *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nseg; i++)
		if (s->seg[i].fd >= 0)
			close(s->seg[i].fd);
	if (s->lockfd >= 0)
		close(s->lockfd);
	free(s->seg);
	free(s->buf);
	free(s->dir);
	free(s);
}
