/*
 * capture-file.h - offline sources: pcap and pcapng files read in the
 * order given, as one continuous timeline.
 */
#ifndef BW_CAPTURE_FILE_H
#define BW_CAPTURE_FILE_H

struct engine;

/*
 * Replay every file ('-' = stdin) through the engine.  A file that cannot
 * be opened or has an unsupported link type is reported and skipped; a
 * truncated file is processed up to the damage with a warning.  Returns 0
 * if every file was read, 1 if any could not be opened or read.
 * 'progress' non-NULL: redraw a progress line on stderr about once a
 * second, prefixed with it ("" or "inventory pass: "), erased at the end.
 */
int	 capture_files(struct engine *e, char **files, int nfiles,
	    const char *progress);

#endif
