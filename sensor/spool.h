/*
 * spool.h - a bounded FIFO of byte records kept on disk, so alerts that
 * cannot be delivered now survive an outage of the collector and a
 * restart of the sensor.
 *
 * Besides the head (the oldest record) the spool has a send cursor: a
 * transport that must wait for its peer to confirm delivery peeks a
 * record, moves the cursor past it with spool_next() once it is written,
 * and pops it only when delivery is confirmed; when the connection breaks,
 * spool_rewind() makes every unconfirmed record due again.  A caller that
 * never calls spool_next() sees a plain queue: peek, then pop.
 *
 * Records have a sequence number: the head's is depth.head_seq and the
 * cursor's is head_seq + inflight.  Numbers count from 0 at spool_open and
 * let a caller tell whether a record it wrote was dropped meanwhile.
 *
 * Durability: records are written with one pwritev each and not fsync'ed,
 * so a crash or restart of the sensor loses nothing, but a power failure
 * or kernel crash can lose the records of the last seconds (the file
 * system's commit interval).  spool_sync() fsyncs; call it at exit.
 */
#ifndef BW_SPOOL_H
#define BW_SPOOL_H

#include <stddef.h>
#include <stdint.h>

struct spool;

/* The largest record (a syslog message is far smaller). */
#define SPOOL_MAX_RECORD	(1u << 20)
/* The smallest bound spool_open accepts. */
#define SPOOL_MIN_BYTES		1024

struct spool_depth {
	uint64_t	 msgs;		/* records not yet popped */
	uint64_t	 bytes;		/* on disk, <= max_bytes */
	uint64_t	 inflight;	/* between head and cursor */
	uint64_t	 head_seq;	/* sequence number of the head */
	uint64_t	 dropped;	/* oldest records dropped when full */
	uint64_t	 corrupt;	/* segments found damaged, moved aside */
	uint64_t	 write_errors;	/* pushes that failed to write */
};

/*
 * dir is created (mode 0700) if missing and locked against a second
 * process; records a previous process left there are queued first.  dir
 * NULL keeps the records in memory (same bound, lost at exit).  NULL on
 * error with a one-line message in err.  On success err is "" or a
 * warning to log (a damaged segment was moved aside, records dropped to
 * fit max_bytes).
 */
struct spool	*spool_open(const char *dir, size_t max_bytes, char *err,
		    size_t errlen);
/* Append; when full the oldest records are dropped (and counted) to make
 * room.  -1 if the record is larger than the bound or writing failed
 * (disk full, permissions: counted in write_errors).  A run of failed
 * writes gives one warning when it starts and one when a write works
 * again, not one per record. */
int		 spool_push(struct spool *s, const void *data, size_t len);
/* The record at the cursor: 1 (data valid until the next call on s),
 * 0 none, -1 on an I/O error or if damage found in a segment took records
 * in flight with it (then the cursor is back at the head: resend).  Damage
 * after the cursor only drops what follows it (see spool_warning).  seq
 * may be NULL. */
int		 spool_peek(struct spool *s, const void **data, size_t *len,
		    uint64_t *seq);
/* Move the cursor past the record at it (written, not yet confirmed). */
int		 spool_next(struct spool *s);
/* Remove the head record (delivered): 1, 0 if empty, -1 on error (as
 * for spool_peek: the cursor may have been rewound). */
int		 spool_pop(struct spool *s);
/* Cursor back to the head: unconfirmed records are due again. */
void		 spool_rewind(struct spool *s);
void		 spool_depth(const struct spool *s, struct spool_depth *d);
/* The oldest unread error or warning, each once (NULL when none is
 * left; valid until the next call on s).  Call until NULL. */
const char	*spool_warning(struct spool *s);
/* fsync the segments and the directory. */
int		 spool_sync(struct spool *s);
void		 spool_close(struct spool *s);

#endif
