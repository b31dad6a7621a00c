/*
 * test-daemon.c - signals through the event loop, the pidfile lock and
 * the root refusal, in one process (no fork, no privilege change: the
 * live end-to-end test runs those for real).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <event2/event.h>

#include "check.h"
#include "daemon.h"

struct calls {
	int	 reload, stop, stats;
};

static void on_reload(void *arg) { ((struct calls *)arg)->reload++; }
static void on_stop(void *arg) { ((struct calls *)arg)->stop++; }
static void on_stats(void *arg) { ((struct calls *)arg)->stats++; }

static void
raise_later(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	raise(*(int *)arg);
}

/* Run the loop until it breaks or 2 s pass, raising sig from inside it. */
static void
run_with(struct event_base *base, int sig)
{
	struct timeval soon = { 0, 1000 }, limit = { 2, 0 };
	struct event *ev = evtimer_new(base, raise_later, &sig);

	evtimer_add(ev, &soon);
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
	event_free(ev);
}

static void
test_signals(void)
{
	struct event_base *base = event_base_new();
	struct calls c = { 0, 0, 0 };
	struct daemon_hooks h = { on_reload, on_stop, on_stats, &c };
	struct daemon_signals *ds = daemon_signals(base, &h);

	CHECK(ds != NULL);
	run_with(base, SIGHUP);
	CHECK_INT(c.reload, 1);
	run_with(base, SIGUSR1);
	CHECK_INT(c.stats, 1);
	CHECK_INT(c.stop, 0);
	run_with(base, SIGTERM);
	CHECK_INT(c.stop, 1);
	CHECK(event_base_got_break(base));
	run_with(base, SIGINT);
	CHECK_INT(c.stop, 2);
	CHECK_INT(c.reload, 1);
	CHECK_INT(c.stats, 1);
	daemon_signals_free(ds);
	event_base_free(base);
}

static void
test_pidfile(void)
{
	char dir[] = "/tmp/bwdaemon.XXXXXX", path[64], err[256], buf[64];
	struct daemon_ctx *a, *b;
	FILE *fp;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/pid", dir);

	a = daemon_open(path, err, sizeof(err));
	CHECK(a != NULL);
	daemon_ready(a, NULL);
	fp = fopen(path, "r");
	CHECK(fp != NULL && fgets(buf, sizeof(buf), fp) != NULL);
	if (fp != NULL)
		fclose(fp);
	CHECK_INT(atol(buf), getpid());
	/* a second instance sees the lock and names the pid */
	b = daemon_open(path, err, sizeof(err));
	CHECK(b == NULL);
	snprintf(buf, sizeof(buf), "already running (pid %ld)", (long)getpid());
	CHECK(strstr(err, buf) != NULL);
	daemon_close(a);
	CHECK(access(path, F_OK) != 0);

	/* a pidfile left by a crash does not block a start */
	fp = fopen(path, "w");
	fputs("99999\n", fp);
	fclose(fp);
	a = daemon_open(path, err, sizeof(err));
	CHECK(a != NULL);
	daemon_ready(a, NULL);
	fp = fopen(path, "r");
	CHECK(fp != NULL && fgets(buf, sizeof(buf), fp) != NULL);
	if (fp != NULL)
		fclose(fp);
	CHECK_INT(atol(buf), getpid());
	daemon_close(a);

	/* no pidfile at all is fine */
	a = daemon_open(NULL, err, sizeof(err));
	CHECK(a != NULL);
	daemon_ready(a, NULL);
	daemon_close(a);

	snprintf(path, sizeof(path), "%s/no/such/dir/pid", dir);
	CHECK(daemon_open(path, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "No such file") != NULL);
	rmdir(dir);
}

static void
test_privileges(void)
{
	char err[256];

	CHECK_INT(daemon_drop_privileges(NULL, "/var/empty", 1, err,
	    sizeof(err)), -1);
	CHECK(strstr(err, "--chroot needs -u") != NULL);
	CHECK_INT(daemon_drop_privileges("no-such-user-bw", NULL, 0, err,
	    sizeof(err)), -1);
	CHECK(strstr(err, "no-such-user-bw: no such user") != NULL);
	if (geteuid() == 0) {
		CHECK_INT(daemon_drop_privileges(NULL, NULL, 0, err,
		    sizeof(err)), -1);
		CHECK(strstr(err, "refusing to keep running as root") != NULL);
		CHECK_INT(daemon_drop_privileges(NULL, NULL, 1, err,
		    sizeof(err)), 0);
		CHECK_INT(daemon_drop_privileges("root", NULL, 0, err,
		    sizeof(err)), -1);
		CHECK(strstr(err, "that is root") != NULL);
	}
}

static void
test_log_stream(void)
{
	FILE *fp = daemon_log_stream("bmcwatch-test");

	/* lines go to syslog; all this can check is that it takes them */
	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	CHECK(fprintf(fp, "bmcwatch: warning: test-daemon: a warning\n") > 0);
	CHECK(fprintf(fp, "a line without newline") > 0);
	CHECK_INT(fclose(fp), 0);
}

int
main(void)
{
	test_signals();
	test_pidfile();
	test_privileges();
	test_log_stream();
	CHECK_DONE();
}
