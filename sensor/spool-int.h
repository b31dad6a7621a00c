/*
 * spool-int.h - what the queue (spool.c) and the files under it
 * (spool-file.c) share.  Not for other callers: they use spool.h.
 *
 * The spool is a list of segments, oldest first.  spool.c decides which
 * record is the head, where the send cursor is, and which segment goes
 * when the bound is reached; spool-file.c knows what a record looks like
 * on disk, makes, finds and removes segment files, and repairs damage.
 */
#ifndef BW_SPOOL_INT_H
#define BW_SPOOL_INT_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "spool.h"

#define REC_HDR		12	/* bytes before a record's data */
#define ST_LIVE		'L'	/* state byte: not yet delivered */
#define ST_DONE		'D'	/* state byte: delivered */
#define NWARN		4	/* warnings kept until read */

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
	/* unread warnings, oldest first; more are dropped (the first
	 * ones explain), but never so many that a recovery goes unsaid */
	char		 warn[NWARN][512];
	unsigned	 warn_head, warn_n;
	uint64_t	 write_errors;	/* pushes that could not write */
	uint64_t	 failing;	/* of them since the last that could */
	int		 give;		/* root: files go to the dir's owner */
	uid_t		 uid;
	gid_t		 gid;
};

/* Queue a warning for spool_warning (dropped if NWARN are unread). */
void	spool_warn(struct spool *s, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Make or take over the directory s->dir: create it, note its owner,
 * lock it, and queue the segments a previous process left (damaged ones
 * salvaged).  -1 with one line in err. */
int	spool_dir_open(struct spool *s, char *err, size_t errlen);

/* Segment i's descriptor, opened on first use; -1 (warned) on error. */
int	spool_seg_fd(struct spool *s, size_t i);
/* A new, empty last segment (a file in dir, or a memfd). */
int	spool_seg_new(struct spool *s, char *err, size_t errlen);
/* Close and delete segment i; its bytes leave s->bytes. */
void	spool_seg_unlink(struct spool *s, size_t i);

/*
 * Read and check the record at off in segment i.  With want_data the
 * payload is read into s->buf and its CRC checked.  Returns the record's
 * size on disk, 0 at the end of the segment, -1 on damage (why says what)
 * or I/O error (why = NULL, errno set).
 */
int64_t	spool_rec_read(struct spool *s, size_t i, uint64_t off,
	    int want_data, int *state, uint32_t *lenp, const char **why);
/* Append a live record to the last segment; -1 with one line naming the
 * file and the reason in err if it could not be written whole, and then
 * nothing of it stays.  Not warned: spool_push decides what to say. */
int	spool_rec_append(struct spool *s, const void *data, size_t len,
	    char *err, size_t errlen);
/* Mark the record at off in segment 0 delivered. */
int	spool_rec_done(struct spool *s, uint64_t off);

/*
 * Segment i is damaged at off: keep the records before it, set the rest
 * aside (see spool-file.c).  Returns 1 if records in flight were lost
 * with it: then the cursor is rewound and the caller must treat
 * everything in flight as unconfirmed.
 */
int	spool_salvage(struct spool *s, size_t i, uint64_t off,
	    const char *why);

#endif
