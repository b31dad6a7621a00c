/*
 * spool-file.c - the spool's files: the record format, segment files,
 * their owner, and recovery of what a previous process left (spool-int.h
 * says how the work is split with spool.c).
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

#include "spool-int.h"

#define REC_MAGIC	0xB7
#define SEG_PREFIX	"seg-"
#define SEG_NAMELEN	(4 + 16)

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

void
spool_warn(struct spool *s, const char *fmt, ...)
{
	va_list ap;

	/* Keep the first messages until read: they are the ones that
	 * explain; what follows from them can go. */
	if (s->warn_n == NWARN)
		return;
	va_start(ap, fmt);
	vsnprintf(s->warn[(s->warn_head + s->warn_n) % NWARN],
	    sizeof(s->warn[0]), fmt, ap);
	va_end(ap);
	s->warn_n++;
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
		spool_warn(s, "spool: cannot give a file in %s to uid %u: %s",
		    s->dir, (unsigned)s->uid, strerror(errno));
}

/* Segment i's descriptor; -1 with the reason in err. */
static int
seg_open(struct spool *s, size_t i, char *err, size_t errlen)
{
	char path[4096];

	if (s->seg[i].fd >= 0)
		return s->seg[i].fd;
	seg_name(s, s->seg[i].id, path, sizeof(path));
	s->seg[i].fd = open(path, O_RDWR | O_CLOEXEC);
	if (s->seg[i].fd < 0)
		snprintf(err, errlen, "spool: %s: %s", path, strerror(errno));
	return s->seg[i].fd;
}

int
spool_seg_fd(struct spool *s, size_t i)
{
	char err[4200];
	int fd;

	if ((fd = seg_open(s, i, err, sizeof(err))) < 0)
		spool_warn(s, "%s", err);
	return fd;
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

/* See spool-int.h. */
int64_t
spool_rec_read(struct spool *s, size_t i, uint64_t off, int want_data,
    int *state, uint32_t *lenp, const char **why)
{
	unsigned char h[REC_HDR];
	uint64_t size = s->seg[i].size;
	uint32_t len;
	ssize_t n;
	int fd;

	*why = NULL;
	if (off >= size)
		return 0;
	if ((fd = spool_seg_fd(s, i)) < 0)
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
	    (r = spool_rec_read(s, i, off, 0, &st, &len, &why)) > 0) {
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
 * off bytes (valid records) under the old name, recount (spool-int.h).
 */
int
spool_salvage(struct spool *s, size_t i, uint64_t off, const char *why)
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
		spool_warn(s, "spool: memory segment: %s at offset %" PRIu64
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
		spool_warn(s, "spool: %s: %s at offset %" PRIu64 "; moved "
		    "aside to %s, %" PRIu64 " records before the damage kept",
		    path, why, off, aside, g->live);
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

void
spool_seg_unlink(struct spool *s, size_t i)
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

int
spool_seg_new(struct spool *s, char *err, size_t errlen)
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
		snprintf(err, errlen, "spool: cannot create %s: %s", path,
		    strerror(errno));
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
		if (seg_add(s, ids[i], -1) < 0) {
			snprintf(err, errlen, "spool: out of memory");
			free(ids);
			return -1;
		}
		if (seg_open(s, s->nseg - 1, err, errlen) < 0 ||
		    fstat(s->seg[s->nseg - 1].fd, &st) < 0) {
			if (s->seg[s->nseg - 1].fd >= 0)
				snprintf(err, errlen, "spool: segment %016"
				    PRIx64 ": %s", ids[i], strerror(errno));
			free(ids);
			return -1;
		}
		give_file(s, s->seg[s->nseg - 1].fd);
		s->seg[s->nseg - 1].size = (uint64_t)st.st_size;
		s->bytes += (uint64_t)st.st_size;
		off = 0;
		while ((r = spool_rec_read(s, s->nseg - 1, off, 1, &state, &len,
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
			(void)spool_salvage(s, s->nseg - 1, off, why);
		}
		/* only the segments in use keep a descriptor */
		close(s->seg[s->nseg - 1].fd);
		s->seg[s->nseg - 1].fd = -1;
	}
	free(ids);
	/* finished segments a crash left behind */
	while (s->nseg > 1 && s->seg[0].live == 0)
		spool_seg_unlink(s, 0);
	return 0;
}

int
spool_dir_open(struct spool *s, char *err, size_t errlen)
{
	char path[4096];

	if (mkdir(s->dir, 0700) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "spool: cannot create %s: %s", s->dir,
		    strerror(errno));
		return -1;
	}
	if (geteuid() == 0) {
		struct stat st;
		if (stat(s->dir, &st) < 0) {
			snprintf(err, errlen, "spool: %s: %s", s->dir,
			    strerror(errno));
			return -1;
		}
		s->give = st.st_uid != 0 || st.st_gid != 0;
		s->uid = st.st_uid;
		s->gid = st.st_gid;
	}
	snprintf(path, sizeof(path), "%s/lock", s->dir);
	s->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->lockfd < 0) {
		snprintf(err, errlen, "spool: %s: %s", path, strerror(errno));
		return -1;
	}
	give_file(s, s->lockfd);
	if (flock(s->lockfd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errlen, "spool: %s is in use by another process",
		    s->dir);
		return -1;
	}
	return scan(s, err, errlen);
}

/* pwritev until all of it is written: a regular file may take part of
 * a write (a file size limit, the disk filling up), and only the next
 * try says why the rest does not fit. */
static int
pwritev_all(int fd, struct iovec *iov, int cnt, off_t off)
{
	ssize_t n;

	while (cnt > 0) {
		if ((n = pwritev(fd, iov, cnt, off)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		off += n;
		for (; cnt > 0 && (size_t)n >= iov->iov_len; iov++, cnt--)
			n -= (ssize_t)iov->iov_len;
		if (cnt > 0) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

int
spool_rec_append(struct spool *s, const void *data, size_t len, char *err,
    size_t errlen)
{
	unsigned char h[REC_HDR];
	struct seg *t = &s->seg[s->nseg - 1];
	struct iovec iov[2];
	char path[4096];
	int fd, e;

	if ((fd = seg_open(s, s->nseg - 1, err, errlen)) < 0)
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
	if (pwritev_all(fd, iov, 2, (off_t)t->size) == 0)
		return 0;
	e = errno;
	if (s->dir != NULL)
		seg_name(s, t->id, path, sizeof(path));
	else
		snprintf(path, sizeof(path), "a memory segment");
	/* a half record must not stay: the next push overwrites it */
	if (ftruncate(fd, (off_t)t->size) < 0)
		snprintf(err, errlen, "spool: cannot write %s: %s (and cannot "
		    "truncate the half-written record: %s)", path, strerror(e),
		    strerror(errno));
	else
		snprintf(err, errlen, "spool: cannot write %s: %s", path,
		    strerror(e));
	return -1;
}

int
spool_rec_done(struct spool *s, uint64_t off)
{
	char done = ST_DONE;

	if (pwrite(s->seg[0].fd, &done, 1, (off_t)off) != 1) {
		spool_warn(s, "spool: cannot mark a record delivered");
		return -1;
	}
	return 0;
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

