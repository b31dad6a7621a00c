/*
 * daemon.h - what makes bmcwatch a daemon: signals on the event loop, a
 * locked pidfile, detaching from the terminal, dropping root, and a
 * stream that sends diagnostics to syslog once there is no terminal.
 *
 * The order main() follows, so every error a user can cause is still
 * printed on the terminal and turns into the exit status:
 *
 *	engine_open, live_open, metrics_open	(need root: captures, ports)
 *	dc = daemon_open(pidfile)		(a running instance is an error)
 *	daemon_detach(dc, base)  with -D	(the parent waits for ...)
 *	daemon_drop_privileges(user, chroot)
 *	daemon_signals(base, hooks)
 *	daemon_ready(dc, NULL)			(... this: the parent exits 0)
 *	event_base_dispatch(base)
 *	daemon_close(dc)			(removes the pidfile)
 */
#ifndef BW_DAEMON_H
#define BW_DAEMON_H

#include <stddef.h>
#include <stdio.h>

struct event_base;

/*
 * Signals are events on the caller's loop, so the hooks run as ordinary
 * callbacks (no async-signal-safety rules): SIGHUP -> reload, SIGUSR1 ->
 * stats, SIGTERM/SIGINT -> stop, then event_base_loopbreak.  Any hook may
 * be NULL.  SIGPIPE is ignored (a collector closing its socket must not
 * kill the sensor).
 */
struct daemon_hooks {
	void	(*reload)(void *arg);
	void	(*stop)(void *arg);
	void	(*stats)(void *arg);
	void	*arg;
};
struct daemon_signals;
struct daemon_signals *daemon_signals(struct event_base *base,
		    const struct daemon_hooks *h);
void		 daemon_signals_free(struct daemon_signals *ds);

/*
 * Lock the pidfile (NULL: none).  A pidfile locked by a running bmcwatch
 * is an error naming its pid; one left by a crash is taken over.
 */
struct daemon_ctx;
struct daemon_ctx *daemon_open(const char *pidfile, char *err, size_t errlen);
/*
 * Fork into the background: new session, cwd /, stdio on /dev/null,
 * event_reinit(base) if base is not NULL.  Returns 0 in the child; the
 * parent does not return: it waits for daemon_ready() and exits with its
 * outcome (printing the child's error line), or 1 if the child died.
 */
int		 daemon_detach(struct daemon_ctx *dc, struct event_base *base,
		    char *err, size_t errlen);
/*
 * Start-up is over: NULL = running (write the pidfile, let a waiting
 * parent exit 0), else the one-line reason the child is about to exit 1.
 */
void		 daemon_ready(struct daemon_ctx *dc, const char *failure);
/* Remove the pidfile (or empty it when the dropped user may not). */
void		 daemon_close(struct daemon_ctx *dc);

/*
 * user != NULL: optionally chroot, then switch to the user's uid, gid and
 * groups, and verify root cannot be regained.  user == NULL: refuse to run
 * as root unless allow_root; a non-root process started with capabilities
 * (systemd AmbientCapabilities=) sheds them all.  Call after every
 * privileged open.  0, or -1 with one line in err.
 */
int		 daemon_drop_privileges(const char *user,
		    const char *chroot_dir, int allow_root,
		    char *err, size_t errlen);

/*
 * A line-buffered stream whose lines go to syslog (facility daemon, the
 * given ident), for e->errf once stderr is /dev/null.  Priority from the
 * text: "warning:" -> LOG_WARNING, errors -> LOG_ERR, else LOG_NOTICE.
 * The syslog socket is connected now, so it survives a chroot.
 */
FILE		*daemon_log_stream(const char *ident);

#endif
