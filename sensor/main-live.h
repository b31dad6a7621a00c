/*
 * main-live.h - live capture mode (-i), kept out of main.c.
 */
#ifndef BW_MAIN_LIVE_H
#define BW_MAIN_LIVE_H

#include <stdint.h>

struct engine;

/* Live mode's options (-i and what only makes sense with it). */
struct live_opts {
	char		**ifaces;
	int		  nifaces;
	const char	 *bpf, *http, *pidfile, *user, *chroot_dir;
	int		  bufsize_mb, detach, allow_root;
	/* --learn OUT (e->learn is set): written when --learn-for (wall
	 * clock, 0 = until stopped) is over, then monitoring goes on; on
	 * SIGUSR1 (what was learned so far, merged) and on SIGTERM */
	const char	 *learn_path, *learn_for;
	int64_t		  learn_for_ns;
};

/* Capture until SIGTERM/SIGINT (SIGHUP reloads, SIGUSR1 writes stats
 * and, while learning, the learned rules);
 * returns the exit code. */
int	 run_live(struct engine *e, const struct live_opts *lo);

#endif
