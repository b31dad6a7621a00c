/*
 * main-live.h - live capture mode (-i), kept out of main.c.
 */
#ifndef BW_MAIN_LIVE_H
#define BW_MAIN_LIVE_H

struct engine;

/* Live mode's options (-i and what only makes sense with it). */
struct live_opts {
	char		**ifaces;
	int		  nifaces;
	const char	 *bpf, *http, *pidfile, *user, *chroot_dir;
	int		  bufsize_mb, detach, allow_root;
};

/* Capture until SIGTERM/SIGINT (SIGHUP reloads, SIGUSR1 writes stats);
 * returns the exit code. */
int	 run_live(struct engine *e, const struct live_opts *lo);

#endif
