/*
 * spool.c - the queue of spool.h: the head, the send cursor, the bound.
 * What a record looks like on disk and how segment files are made, found
 * and repaired is in spool-file.c.
 *
 * The bound counts whole files.  A new segment starts when the current
 * one would grow past max_bytes / 8, and when a push would exceed
 * max_bytes the oldest segment goes (its live records counted as
 * dropped), so at most an eighth of the spool is dropped at once.  A
 * segment whose records are all done is deleted; an empty spool
 * truncates its one file.
 */
#include <sys/types.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spool-int.h"

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
	spool_seg_unlink(s, 0);
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
	if (spool_seg_fd(s, 0) < 0 || ftruncate(g->fd, 0) < 0)
		spool_warn(s, "spool: cannot truncate the last segment");
	s->bytes -= g->size;
	g->size = 0;
	g->live = 0;
	s->head_off = s->cur_off = 0;
	s->cur_seg = 0;
	s->peeked = 0;
}

struct spool *
spool_open(const char *dir, size_t max_bytes, char *err, size_t errlen)
{
	struct spool *s;

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
		if (spool_dir_open(s, err, errlen) < 0)
			goto fail;
		if (s->bytes > s->max_bytes) {
			/* a run with a larger bound left more */
			uint64_t before = s->dropped;
			while (s->nseg > 1 && s->bytes > s->max_bytes)
				drop_first(s);
			if (s->bytes > s->max_bytes)
				reset_last(s);
			spool_warn(s, "spool: %s holds more than %" PRIu64
			    " bytes: dropped the oldest %" PRIu64 " records",
			    s->dir, s->max_bytes, s->dropped - before);
		}
	}
	if (s->nseg == 0 && spool_seg_new(s, err, errlen) < 0)
		goto fail;
	spool_rewind(s);
	if (s->warn_n > 0) {
		/* the first explains; the caller has one line to log */
		snprintf(err, errlen, "%s", s->warn[s->warn_head]);
		s->warn_n = 0;
	}
	return s;
fail:
	spool_close(s);
	return NULL;
}

/*
 * A record could not be written: the disk is full, the directory or a
 * segment is not writable, a file size limit.  Then every push fails the
 * same way, and a line for each would bury the log (and the first line,
 * the one with the cause) under one per alert.  So the warning is given
 * when writing starts failing, and spool_push says when it works again
 * and how many records were lost meanwhile; write_errors counts them all.
 */
static int
push_failed(struct spool *s, const char *why)
{
	s->write_errors++;
	if (s->failing++ == 0)
		spool_warn(s, "%s; records are lost until writing works again",
		    why);
	return -1;
}

static void
push_worked(struct spool *s)
{
	if (s->failing == 0)
		return;
	spool_warn(s, "spool: writing to %s works again; %" PRIu64 " records "
	    "could not be written meanwhile", s->dir != NULL ? s->dir :
	    "memory", s->failing);
	s->failing = 0;
}

int
spool_push(struct spool *s, const void *data, size_t len)
{
	uint64_t need = REC_HDR + (uint64_t)len;
	struct seg *t;
	char why[4400];

	if (len > SPOOL_MAX_RECORD || need > s->max_bytes) {
		spool_warn(s, "spool: a record of %zu bytes does not fit", len);
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
		if (spool_seg_new(s, why, sizeof(why)) < 0)
			return push_failed(s, why);
		t = &s->seg[s->nseg - 1];
	}
	if (spool_rec_append(s, data, len, why, sizeof(why)) < 0)
		return push_failed(s, why);
	push_worked(s);
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
		r = spool_rec_read(s, 0, s->head_off, 0, &st, &len, &why);
		if (r < 0) {
			if (why != NULL &&
			    !spool_salvage(s, 0, s->head_off, why))
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
			spool_seg_unlink(s, 0);
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
	int64_t r = 0;
	int rc;

	if (s->msgs == 0)
		return 0;
	if ((rc = find_head(s, &r)) <= 0)
		return rc;
	if (spool_rec_done(s, s->head_off) < 0)
		return -1;
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
			spool_seg_unlink(s, 0);
		s->cur_seg = 0;
		reset_last(s);
	} else if (s->seg[0].live == 0 && s->nseg > 1) {
		if (s->cur_seg == 0) {
			s->cur_seg = 1;
			s->cur_off = 0;
		}
		spool_seg_unlink(s, 0);
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
		r = spool_rec_read(s, s->cur_seg, s->cur_off, 1, &st, &n, &why);
		if (r < 0) {
			if (why == NULL ||
			    spool_salvage(s, s->cur_seg, s->cur_off, why))
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
	d->write_errors = s->write_errors;
}

const char *
spool_warning(struct spool *s)
{
	const char *w;

	if (s->warn_n == 0)
		return NULL;
	w = s->warn[s->warn_head];
	s->warn_head = (s->warn_head + 1) % NWARN;
	s->warn_n--;
	return w;
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
