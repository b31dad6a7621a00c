/*
 * daemon.c - see daemon.h.
 *
 * Signals go through libevent's evsignal so the reload, stop and stats
 * work runs in the loop like any other callback; no handler touches
 * program state.  The pidfile is created with O_EXCL and held with
 * flock(): the lock, not the file's presence, says an instance runs, so
 * a pidfile left by a crash never blocks a restart.  A detached parent
 * stays until the child has dropped privileges and reports over a pipe,
 * so `bmcwatch -D -u nosuchuser` fails on the terminal with status 1
 * instead of exiting 0 and dying silently in the background.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <event2/event.h>

#include "daemon.h"

/* ---- signals ---- */

static const int handled[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };
#define NSIG_HANDLED	(int)(sizeof(handled) / sizeof(handled[0]))

struct daemon_signals {
	struct event_base *base;
	struct daemon_hooks h;
	struct event	*ev[NSIG_HANDLED];
};

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon_signals *ds = arg;

	(void)what;
	switch (sig) {
	case SIGHUP:
		if (ds->h.reload != NULL)
			ds->h.reload(ds->h.arg);
		break;
	case SIGUSR1:
		if (ds->h.stats != NULL)
			ds->h.stats(ds->h.arg);
		break;
	default:
		if (ds->h.stop != NULL)
			ds->h.stop(ds->h.arg);
		event_base_loopbreak(ds->base);
		break;
	}
}

struct daemon_signals *
daemon_signals(struct event_base *base, const struct daemon_hooks *h)
{
	struct daemon_signals *ds;

	if ((ds = calloc(1, sizeof(*ds))) == NULL)
		return NULL;
	ds->base = base;
	ds->h = *h;
	for (int i = 0; i < NSIG_HANDLED; i++) {
		ds->ev[i] = evsignal_new(base, handled[i], on_signal, ds);
		if (ds->ev[i] == NULL || evsignal_add(ds->ev[i], NULL) != 0) {
			daemon_signals_free(ds);
			return NULL;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	return ds;
}

void
daemon_signals_free(struct daemon_signals *ds)
{
	if (ds == NULL)
		return;
	for (int i = 0; i < NSIG_HANDLED; i++)
		if (ds->ev[i] != NULL)
			event_free(ds->ev[i]);
	free(ds);
}

/* ---- pidfile and detaching ---- */

struct daemon_ctx {
	char		*pidfile;
	int		 pidfd;		/* locked; -1 without a pidfile */
	int		 readyfd;	/* to the waiting parent; -1 if none */
};

/* The pid in a locked pidfile, for the message (0 if unreadable). */
static long
read_pid(int fd)
{
	char buf[32];
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

struct daemon_ctx *
daemon_open(const char *pidfile, char *err, size_t errlen)
{
	struct daemon_ctx *dc;
	int fd = -1;

	if ((dc = calloc(1, sizeof(*dc))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	dc->pidfd = dc->readyfd = -1;
	if (pidfile == NULL)
		return dc;
	/* a new file, or an existing one whose lock says who owns it */
	for (int tries = 0; fd < 0 && tries < 3; tries++) {
		fd = open(pidfile, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, 0644);
		if (fd < 0 && errno == EEXIST)
			fd = open(pidfile, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 && errno != ENOENT)
			break;
	}
	if (fd < 0) {
		snprintf(err, errlen, "pidfile %s: %s", pidfile, strerror(errno));
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			snprintf(err, errlen, "pidfile %s: bmcwatch is already "
			    "running (pid %ld)", pidfile, read_pid(fd));
		else
			snprintf(err, errlen, "pidfile %s: lock: %s", pidfile,
			    strerror(errno));
		close(fd);
		goto fail;
	}
	dc->pidfd = fd;
	if ((dc->pidfile = strdup(pidfile)) == NULL) {
		snprintf(err, errlen, "out of memory");
		daemon_close(dc);
		return NULL;
	}
	return dc;
fail:
	free(dc);
	return NULL;
}

int
daemon_detach(struct daemon_ctx *dc, struct event_base *base, char *err,
    size_t errlen)
{
	char msg[512];
	int p[2], fd, status;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);		/* nothing buffered is written twice */
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid > 0) {
		/* the parent: wait for the verdict, then leave without
		 * flushing or closing anything the child owns */
		close(p[1]);
		while (got < sizeof(msg) - 1 &&
		    ((n = read(p[0], msg + got, sizeof(msg) - 1 - got)) > 0 ||
		    (n < 0 && errno == EINTR)))
			if (n > 0)
				got += (size_t)n;
		msg[got] = '\0';
		if (got == 0) {
			waitpid(pid, &status, WNOHANG);
			fprintf(stderr, "bmcwatch: the daemon exited during "
			    "start-up\n");
			_exit(1);
		}
		if (strcmp(msg, "OK") == 0)
			_exit(0);
		fprintf(stderr, "bmcwatch: %s\n", msg);
		_exit(1);
	}
	close(p[0]);
	dc->readyfd = p[1];
	if (setsid() < 0 || chdir("/") != 0) {
		snprintf(err, errlen, "setsid: %s", strerror(errno));
		return -1;
	}
	if ((fd = open("/dev/null", O_RDWR)) < 0) {
		snprintf(err, errlen, "/dev/null: %s", strerror(errno));
		return -1;
	}
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	/* epoll and signal pipes are per process: rebuild them */
	if (base != NULL && event_reinit(base) != 0) {
		snprintf(err, errlen, "event_reinit failed");
		return -1;
	}
	return 0;
}

void
daemon_ready(struct daemon_ctx *dc, const char *failure)
{
	char buf[32];
	int len;

	if (dc == NULL)
		return;
	if (failure == NULL && dc->pidfd >= 0) {
		len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
		if (ftruncate(dc->pidfd, 0) != 0 ||
		    pwrite(dc->pidfd, buf, (size_t)len, 0) != len)
			failure = "cannot write the pidfile";
	}
	if (dc->readyfd >= 0) {
		const char *m = failure ? failure : "OK";

		/* a failed write means the parent is gone: nobody to tell */
		(void)!write(dc->readyfd, m, strlen(m));
		close(dc->readyfd);
		dc->readyfd = -1;
	}
}

void
daemon_close(struct daemon_ctx *dc)
{
	if (dc == NULL)
		return;
	if (dc->readyfd >= 0)
		close(dc->readyfd);
	if (dc->pidfd >= 0) {
		/* unlink while still holding the lock, so a new instance's
		 * file is never the one removed; a dropped user may lack the
		 * right to unlink in /run: an empty, unlocked file is stale */
		if (unlink(dc->pidfile) != 0)
			(void)!ftruncate(dc->pidfd, 0);
		close(dc->pidfd);
	}
	free(dc->pidfile);
	free(dc);
}

/* ---- privileges ---- */

/* Clear every capability set (effective, permitted, inheritable, ambient). */
static int
drop_caps(char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	/* EINVAL: a kernel without ambient capabilities has none to clear */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 &&
	    errno != EINVAL) {
		snprintf(err, errlen, "clearing ambient capabilities: %s",
		    strerror(errno));
		return -1;
	}
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) != 0) {
		snprintf(err, errlen, "dropping capabilities: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* 0 when no capability is effective or permitted. */
static int
caps_empty(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) != 0)
		return -1;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (data[i].effective != 0 || data[i].permitted != 0)
			return -1;
	return 0;
}

int
daemon_drop_privileges(const char *user, const char *chroot_dir,
    int allow_root, char *err, size_t errlen)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	if (user == NULL) {
		if (chroot_dir != NULL) {
			snprintf(err, errlen, "--chroot needs -u USER");
			return -1;
		}
		if (getuid() == 0 || geteuid() == 0) {
			if (allow_root)
				return 0;
			snprintf(err, errlen, "refusing to keep running as "
			    "root: give -u USER (or --allow-root)");
			return -1;
		}
		/* started unprivileged with capabilities: shed them */
		return drop_caps(err, errlen);
	}
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errlen, "-u %s: %s", user,
		    errno ? strerror(errno) : "no such user");
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0) {
		snprintf(err, errlen, "-u %s: that is root; name an "
		    "unprivileged user", user);
		return -1;
	}
	if (geteuid() != 0) {
		/* already that user (systemd User=): only shed capabilities */
		if (getuid() == uid && geteuid() == uid && chroot_dir == NULL)
			return drop_caps(err, errlen);
		snprintf(err, errlen, "-u %s: only root can change user "
		    "(running as uid %ld)", user, (long)geteuid());
		return -1;
	}
	if (initgroups(user, gid) != 0) {
		snprintf(err, errlen, "-u %s: initgroups: %s", user,
		    strerror(errno));
		return -1;
	}
	if (chroot_dir != NULL &&
	    (chroot(chroot_dir) != 0 || chdir("/") != 0)) {
		snprintf(err, errlen, "chroot %s: %s", chroot_dir,
		    strerror(errno));
		return -1;
	}
	if (setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0) {
		snprintf(err, errlen, "-u %s: cannot switch to uid %ld gid "
		    "%ld: %s", user, (long)uid, (long)gid, strerror(errno));
		return -1;
	}
	/* trust but verify: no way back to root, no capability left */
	if (setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1 ||
	    getuid() != uid || geteuid() != uid || getgid() != gid ||
	    getegid() != gid || caps_empty() != 0) {
		snprintf(err, errlen, "-u %s: root could be regained after "
		    "the switch; stopping", user);
		return -1;
	}
	return 0;
}

/* ---- diagnostics to syslog ---- */

struct logstream {
	char	 buf[1024];
	size_t	 len;
};

static int
line_priority(const char *s)
{
	if (strstr(s, "warning:") != NULL)
		return LOG_WARNING;
	if (strstr(s, "cannot") != NULL || strstr(s, "error") != NULL ||
	    strstr(s, "failed") != NULL || strstr(s, "refusing") != NULL ||
	    strstr(s, "stopped") != NULL)
		return LOG_ERR;
	return LOG_NOTICE;
}

static void
log_line(struct logstream *ls)
{
	const char *s = ls->buf;

	ls->buf[ls->len] = '\0';
	/* syslog carries the ident: no "bmcwatch: " twice */
	if (strncmp(s, "bmcwatch: ", 10) == 0)
		s += 10;
	if (*s != '\0')
		syslog(line_priority(s), "%s", s);
	ls->len = 0;
}

static ssize_t
log_write(void *cookie, const char *b, size_t n)
{
	struct logstream *ls = cookie;

	for (size_t i = 0; i < n; i++) {
		if (b[i] == '\n' || ls->len == sizeof(ls->buf) - 1) {
			log_line(ls);
			if (b[i] == '\n')
				continue;
		}
		ls->buf[ls->len++] = b[i];
	}
	return (ssize_t)n;
}

static int
log_close(void *cookie)
{
	struct logstream *ls = cookie;

	if (ls->len > 0)
		log_line(ls);
	free(ls);
	return 0;
}

FILE *
daemon_log_stream(const char *ident)
{
	cookie_io_functions_t io = { NULL, log_write, NULL, log_close };
	struct logstream *ls;
	FILE *fp;

	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		return NULL;
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	if ((fp = fopencookie(ls, "w", io)) == NULL) {
		free(ls);
		return NULL;
	}
	setvbuf(fp, NULL, _IOLBF, 0);
	return fp;
}
