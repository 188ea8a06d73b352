/* daemon.c: `netsim daemon start|stop|status|list` (docs/daemon.md). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../daemon/daemon.h"
#include "../daemon/wire.h"
#include "../lib/util.h"
#include "cmd.h"
#include "daemon_ctl.h"

static void
daemon_usage(FILE *f)
{
	fprintf(f,
	    "usage: netsim daemon start NAME TOPOLOGY [options]\n"
	    "         --tick-interval T  wall time between ticks (default 100ms)\n"
	    "         --speed X          simulated time per tick = interval x X (default 1)\n"
	    "         --seed N           seed of the run's random numbers\n"
	    "         --converge-limit T give up the initial convergence after T simulated\n"
	    "                            (default 10m; the daemon starts anyway)\n"
	    "         --foreground       do not detach (log on stdout)\n"
	    "       netsim daemon status NAME [--json]\n"
	    "       netsim daemon list [--json]\n"
	    "       netsim daemon stop NAME [--timeout T]\n"
	    "       netsim daemon fork NAME NEW   a copy of NAME at this simulated instant\n"
	    "exit status: 0 ok, 1 failed, 2 usage, 3 no such daemon (docs/daemon.md)\n");
}

static bool
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s == '\0' || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end != '\0' || errno != 0)
		return false;
	*out = v;
	return true;
}

static bool
proc_alive(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	bool zombie = false;

	if (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH))
		return false;
	/* A zombie has exited; whether its reaper got to it yet does not matter here. */
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) != NULL) {
		if (fgets(buf, sizeof(buf), f) != NULL && (p = strrchr(buf, ')')) != NULL)
			zombie = p[1] == ' ' && p[2] == 'Z';
		fclose(f);
	}
	return !zombie;
}

/*
 * Until every thread of a daemon has exited, its pid file stays locked even
 * when the main thread is already a zombie (SIGKILL takes the threads down one
 * by one): the files can only be removed once the lock is free.
 */
static bool
daemon_alive(pid_t pid, int pidfd)
{
	return proc_alive(pid) || (pidfd >= 0 && rundir_fd_locked(pidfd));
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Milliseconds until deadline, 0 when past it. */
static int
left_ms(uint64_t deadline)
{
	uint64_t now = mono_ms();

	return now >= deadline ? 0 : (int)MIN(deadline - now, (uint64_t)INT32_MAX);
}

static void
sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* ---- start -------------------------------------------------------------------------- */

/* The last lines of a file, indented, appended to b: why a daemon died. */
static void
tail_lines(struct strbuf *b, const char *path, int lines)
{
	char *v[64] = {0}, buf[1024];
	int n = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL || lines > 64) {
		if (f != NULL)
			fclose(f);
		return;
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		free(v[n % lines]);
		v[n++ % lines] = xstrdup(buf);
	}
	fclose(f);
	for (int i = n > lines ? n - lines : 0; i < n; i++)
		sb_printf(b, "    %s%s", v[i % lines],
		    strchr(v[i % lines], '\n') == NULL ? "\n" : "");
	for (int i = 0; i < lines; i++)
		free(v[i]);
}

/*
 * Descriptors the caller left open (a pipe its shell reads, a terminal) must
 * not live on in the daemon: whoever waits for their end would wait forever.
 */
static void
close_inherited(int keep1, int keep2)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int *v = NULL;
	size_t n = 0, cap = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);

		if (fd > 2 && fd != keep1 && fd != keep2 && fd != dirfd(d))
			VEC_PUSH(v, n, cap, fd);
	}
	if (d != NULL)
		closedir(d);
	for (size_t i = 0; i < n; i++)
		close(v[i]);
	free(v);
}

static void
child(const struct daemon_opts *o, int lockfd, int wfd)
{
	int logfd, nullfd;

	close_inherited(lockfd, wfd);
	logfd = rundir_open_log(o->name);
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (logfd < 0 || nullfd < 0) {
		dprintf(wfd, "cannot open its log: %s\n", strerror(errno));
		_exit(1);
	}
	dup2(nullfd, STDIN_FILENO);
	dup2(logfd, STDOUT_FILENO);
	dup2(logfd, STDERR_FILENO);
	close(nullfd);
	close(logfd);
	exit(server_main(o, lockfd, wfd));
}

static int
start(int argc, char **argv)
{
	static const struct option lopts[] = {{"tick-interval", required_argument, NULL, 't'},
	    {"speed", required_argument, NULL, 's'},
	    {"seed", required_argument, NULL, 'S'}, {"foreground", no_argument, NULL, 'f'},
	    {"converge-limit", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	struct daemon_opts o = {.tick = 100 * SIM_MS, .speed = 1, .converge_limit = 600 * SIM_S};
	struct strbuf err = STRBUF_INIT;
	bool fg = false;
	int c, rc;
	pid_t pid;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o.tick = sim_time_parse(optarg);
			if (o.tick < SIM_MS || o.tick > 3600 * SIM_S) {
				fprintf(stderr,
				    "netsim daemon: bad --tick-interval '%s' (1ms to 1h)\n",
				    optarg);
				return DMN_USAGE;
			}
			break;
		case 's': {
			char *end;

			o.speed = strtod(optarg, &end);
			if (*end != '\0' || !isfinite(o.speed) || o.speed <= 0 || o.speed > 1e6) {
				fprintf(stderr,
				    "netsim daemon: bad --speed '%s' (above 0, at most 1e6)\n",
				    optarg);
				return DMN_USAGE;
			}
			break;
		}
		case 'S':
			if (!parse_u64(optarg, &o.seed)) {
				fprintf(stderr, "netsim daemon: bad --seed '%s'\n", optarg);
				return DMN_USAGE;
			}
			o.seed_set = true;
			break;
		case 'c':
			if ((o.converge_limit = sim_time_parse(optarg)) < 0) {
				fprintf(stderr, "netsim daemon: bad --converge-limit '%s'\n",
				    optarg);
				return DMN_USAGE;
			}
			break;
		case 'f':
			fg = true;
			break;
		case 'h':
			daemon_usage(stdout);
			return 0;
		default:
			daemon_usage(stderr);
			return DMN_USAGE;
		}
	}
	if (argc - optind != 2) {
		daemon_usage(stderr);
		return DMN_USAGE;
	}
	o.name = argv[optind];
	o.topology = argv[optind + 1];
	rc = daemon_spawn(&o, fg, &pid, &err);
	if (rc == DMN_OK && !fg)
		printf("netsim daemon %s started (pid %ld)\n", o.name, (long)pid);
	else if (rc != DMN_OK)
		fprintf(stderr, "netsim daemon: %s", sb_str(&err));
	sb_free(&err);
	return rc;
}

int
daemon_spawn(const struct daemon_opts *opts, bool fg, pid_t *dpid, struct strbuf *err)
{
	struct daemon_opts o = *opts;
	struct strbuf msg = STRBUF_INIT;
	char topo[PATH_MAX];
	int lockfd, pfd[2], status;
	pid_t pid;

	*dpid = 0;
	if (!rundir_name_ok(o.name, err) || rundir_path(err) == NULL)
		return DMN_USAGE;
	/* The daemon keeps this directory, but a full path is clearer in status and logs. */
	if (realpath(o.topology, topo) == NULL) {
		sb_printf(err, "%s: %s\n", o.topology, strerror(errno));
		return DMN_USAGE;
	}
	o.topology = topo;
	if ((lockfd = rundir_claim(o.name, err)) < 0)
		return DMN_FAILED;
	if (fg) {
		setvbuf(stdout, NULL, _IOLBF, 0);
		return server_main(&o, lockfd, open("/dev/null", O_WRONLY | O_CLOEXEC));
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		sb_printf(err, "pipe: %s\n", strerror(errno));
		close(lockfd);
		return DMN_FAILED;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		sb_printf(err, "fork: %s\n", strerror(errno));
		close(lockfd);
		close(pfd[0]);
		close(pfd[1]);
		return DMN_FAILED;
	}
	if (pid == 0) {
		/*
		 * Double fork: the middle process starts a new session and exits at
		 * once, so the daemon is no session leader (it can never get a
		 * controlling terminal back) and init, not our caller, reaps it.
		 */
		close(pfd[0]);
		if (setsid() < 0)
			_exit(1);
		if ((pid = fork()) < 0)
			_exit(1);
		if (pid == 0)
			child(&o, lockfd, pfd[1]);
		_exit(0);
	}
	close(pfd[1]);
	close(lockfd); /* the daemon keeps the lock through its own descriptor */
	waitpid(pid, &status, 0);
	rundir_read_ready(pfd[0], &msg);
	if (strcmp(sb_str(&msg), "ok\n") == 0) {
		rundir_probe(o.name, dpid);
		sb_free(&msg);
		return DMN_OK;
	}
	if (msg.len == 0) {
		char *log = rundir_file(o.name, "log");

		sb_printf(err, "%s exited while starting; the end of %s:\n", o.name, log);
		tail_lines(err, log, 10);
		free(log);
	} else {
		sb_printf(err, "%s failed to start:\n%s", o.name, sb_str(&msg));
	}
	sb_free(&msg);
	return DMN_FAILED;
}

int
daemon_fork(const char *name, const char *new_name, pid_t *pid, struct strbuf *err)
{
	struct dconn *d;
	struct strbuf req = STRBUF_INIT;
	struct jval *r;
	struct json j;
	int why, rc = DMN_OK;

	*pid = 0;
	if (!rundir_name_ok(name, err) || !rundir_name_ok(new_name, err) ||
	    rundir_path(err) == NULL)
		return DMN_USAGE;
	if ((d = client_open(name, &why, err)) == NULL)
		return why;
	client_begin(d, &j, &req, "fork");
	json_kv_str(&j, "name", new_name);
	client_end(&j);
	r = client_call(d, sb_str(&req), err);
	client_close(d);
	if (r == NULL) {
		rc = DMN_FAILED;
	} else if (!wire_bool(r, "ok", false)) {
		sb_add(err, client_error(r));
		rc = DMN_FAILED;
	} else {
		*pid = (pid_t)wire_num(r, "pid", 0);
	}
	jval_free(r);
	sb_free(&req);
	return rc;
}

/* ---- status, list ------------------------------------------------------------------- */

struct jval *
daemon_query_status(const char *name, int timeout_ms, int *why, struct strbuf *err)
{
	struct dconn *d = client_open(name, why, err);
	struct strbuf req = STRBUF_INIT;
	struct jval *r;
	struct json j;

	if (d == NULL)
		return NULL;
	d->timeout_ms = timeout_ms;
	client_begin(d, &j, &req, "status");
	client_end(&j);
	r = client_call(d, sb_str(&req), err);
	sb_free(&req);
	client_close(d);
	if (r != NULL && !wire_bool(r, "ok", false)) {
		sb_printf(err, "%s\n", client_error(r));
		jval_free(r);
		r = NULL;
		*why = DMN_FAILED;
	}
	return r;
}

static void
print_json(const struct jval *v)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	json_init(&j, &b, true);
	wire_value(&j, v, 0);
	puts(sb_str(&b));
	sb_free(&b);
}

static const char *
ms_str(const struct jval *r, const char *key)
{
	return sim_time_str((sim_time)llround(wire_num(r, key, 0) * SIM_MS));
}

static int
status(int argc, char **argv)
{
	bool json = false;
	const char *name = NULL;
	struct strbuf err = STRBUF_INIT;
	struct jval *r;
	int why;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (name == NULL && argv[i][0] != '-')
			name = argv[i];
		else {
			daemon_usage(stderr);
			return DMN_USAGE;
		}
	}
	if (name == NULL) {
		daemon_usage(stderr);
		return DMN_USAGE;
	}
	if ((r = daemon_query_status(name, 10000, &why, &err)) == NULL) {
		if (why == DMN_NODAEMON && rundir_clean_stale(name))
			sb_add(&err, "(removed the stale files of a daemon that died)\n");
		if (json)
			printf("{\"name\": \"%s\", \"running\": false}\n", name);
		fprintf(stderr, "netsim daemon: %s", sb_str(&err));
		sb_free(&err);
		return why;
	}
	if (json) {
		print_json(r);
	} else {
		const struct jval *names = jval_get(r, "deviceNames");

		printf("name:      %s\n", name);
		printf("state:     running (pid %.0f)%s\n", wire_num(r, "pid", 0),
		    wire_bool(r, "paused", false) ? ", paused" : "");
		printf("topology:  %s (network %s)\n", jval_str(r, "topology"),
		    jval_str(r, "network"));
		if (jval_str(r, "forkedFrom") != NULL)
			printf("forked:    from %s\n", jval_str(r, "forkedFrom"));
		/* A client's `open` replaced the network: say what the daemon started with. */
		if (jval_str(r, "startTopology") && jval_str(r, "topology") &&
		    strcmp(jval_str(r, "startTopology"), jval_str(r, "topology")) != 0)
			printf("started:   with %s (opened since by a client)\n",
			    jval_str(r, "startTopology"));
		printf("sim time:  %s", ms_str(r, "simTimeMs"));
		if (wire_bool(r, "converged", false))
			printf(", converged (at %s)\n", ms_str(r, "convergedAtMs"));
		else
			printf(", not converged\n");
		printf("devices:   %.0f", wire_num(r, "devices", 0));
		for (size_t i = 0; names && i < names->n && i < 12; i++)
			printf("%s%s", i ? " " : " (",
			    names->elem[i]->str ? names->elem[i]->str : "");
		if (names && names->n > 0)
			printf("%s)", names->n > 12 ? " ..." : "");
		printf("\nlinks:     %.0f\n", wire_num(r, "links", 0));
		printf("uptime:    %.1fs\n", wire_num(r, "uptimeSeconds", 0));
		printf("ticking:   every %gms x speed %g (%.0f ticks, %.0f late)\n",
		    wire_num(r, "tickIntervalMs", 0), wire_num(r, "speed", 0),
		    wire_num(r, "ticks", 0), wire_num(r, "lateTicks", 0));
		printf("clients:   %.0f connected (%.0f consoles, %.0f following events), "
		    "%.0f commands served\n",
		    wire_num(r, "clients", 0) - 1, wire_num(r, "consoles", 0),
		    wire_num(r, "followers", 0), wire_num(r, "commands", 0));
	}
	jval_free(r);
	sb_free(&err);
	return 0;
}

static int
list(int argc, char **argv)
{
	bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
	struct strbuf err = STRBUF_INIT;
	char **names;
	size_t n = 0;

	if (argc > (json ? 2 : 1)) {
		daemon_usage(stderr);
		return DMN_USAGE;
	}
	if (rundir_path(&err) == NULL) {
		fprintf(stderr, "netsim daemon: %s", sb_str(&err));
		sb_free(&err);
		return DMN_FAILED;
	}
	names = rundir_list();
	if (json)
		printf("[");
	else if (names[0] != NULL)
		printf("%-20s %8s %12s %-9s %7s %7s  %s\n", "NAME", "PID", "SIM TIME", "CONVERGED",
		    "DEVICES", "CLIENTS", "TOPOLOGY");
	for (; names[n] != NULL; n++) {
		int why;
		struct jval *r;

		sb_reset(&err);
		/* A daemon busy with a long command (or wedged) must not hold up the list. */
		r = daemon_query_status(names[n], 3000, &why, &err);
		if (json) {
			printf("%s\n  ", n ? "," : "");
			if (r != NULL) {
				struct strbuf b = STRBUF_INIT;
				struct json j;

				json_init(&j, &b, false);
				wire_value(&j, r, 0);
				fputs(sb_str(&b), stdout);
				sb_free(&b);
			} else {
				printf("{\"name\": \"%s\", \"error\": \"not answering\"}",
				    names[n]);
			}
		} else if (r != NULL) {
			printf("%-20s %8.0f %12s %-9s %7.0f %7.0f  %s\n", names[n],
			    wire_num(r, "pid", 0), ms_str(r, "simTimeMs"),
			    wire_bool(r, "converged", false) ? "yes" : "no",
			    wire_num(r, "devices", 0), wire_num(r, "clients", 1) - 1,
			    jval_str(r, "topology") ? jval_str(r, "topology") : "?");
		} else {
			printf("%-20s %8s %12s %-9s %7s %7s  (not answering)\n", names[n], "?", "?",
			    "?", "?", "?");
		}
		jval_free(r);
		free(names[n]);
	}
	if (json)
		printf("%s]\n", n ? "\n" : "");
	free(names);
	sb_free(&err);
	return 0;
}

/* ---- stop --------------------------------------------------------------------------- */

static int
stop(int argc, char **argv)
{
	const char *name = NULL;
	sim_time timeout = 10 * SIM_S;
	struct strbuf err = STRBUF_INIT;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			if ((timeout = sim_time_parse(argv[++i])) < 0) {
				fprintf(stderr, "netsim daemon: bad --timeout '%s'\n", argv[i]);
				return DMN_USAGE;
			}
		} else if (name == NULL && argv[i][0] != '-') {
			name = argv[i];
		} else {
			daemon_usage(stderr);
			return DMN_USAGE;
		}
	}
	if (name == NULL) {
		daemon_usage(stderr);
		return DMN_USAGE;
	}
	rc = daemon_stop_name(name, timeout, &err);
	/* A daemon killed after its timeout is stopped all the same: say so on stderr. */
	if (err.len)
		fprintf(stderr, "netsim daemon: %s", sb_str(&err));
	if (rc == DMN_OK)
		printf("netsim daemon %s stopped\n", name);
	sb_free(&err);
	return rc;
}

int
daemon_stop_name(const char *name, sim_time timeout, struct strbuf *err)
{
	struct strbuf req = STRBUF_INIT;
	struct dconn *d;
	struct json j;
	pid_t pid;
	uint64_t deadline;
	int why, pidfd;

	if (!rundir_name_ok(name, err) || rundir_path(err) == NULL)
		return DMN_USAGE;
	switch (rundir_probe(name, &pid)) {
	case RUNDIR_NONE:
		sb_printf(err, "no daemon named '%s' is running\n", name);
		return DMN_NODAEMON;
	case RUNDIR_STALE:
		rundir_clean_stale(name);
		sb_printf(err, "'%s' was not running (removed its stale files)\n", name);
		return DMN_NODAEMON;
	case RUNDIR_ALIVE:
		break;
	}
	/* Held open from here on: its lock says when the daemon is really gone. */
	pidfd = rundir_open_pid(name);
	deadline = mono_ms() + timeout / SIM_MS;
	if ((d = client_open(name, &why, err)) != NULL) {
		struct jval *r;
		bool answered;

		d->timeout_ms = left_ms(deadline);
		client_begin(d, &j, &req, "stop");
		client_end(&j);
		r = client_call(d, sb_str(&req), err);
		answered = r != NULL;
		jval_free(r);
		/* The daemon removes its files, then closes every connection: wait for that. */
		while (answered && (d->timeout_ms = left_ms(deadline)) > 0 &&
		    (r = client_recv(d, err)) != NULL)
			jval_free(r);
		client_close(d);
		if (!answered && pid > 0)
			kill(pid, SIGTERM);
	} else if (pid > 0) {
		/* The socket is gone but the daemon lives: ask it the way init would. */
		kill(pid, SIGTERM);
	}
	while (daemon_alive(pid, pidfd) && left_ms(deadline) > 0)
		sleep_ms(10);
	sb_free(&req);
	/* What the connection said on the way is no error: only what follows is. */
	sb_reset(err);
	if (daemon_alive(pid, pidfd)) {
		/*
		 * Wedged (a Lua loop that never ends, a command that runs for hours):
		 * a stop that never completes would wedge its caller too. Kill it.
		 */
		sb_printf(err, "%s (pid %ld) did not stop within %s: killing it\n", name,
		    (long)pid, sim_time_str(timeout));
		kill(pid, SIGKILL);
		for (int i = 0; i < 1000 && daemon_alive(pid, pidfd); i++)
			sleep_ms(10);
		if (daemon_alive(pid, pidfd)) {
			if (pidfd >= 0)
				close(pidfd);
			return DMN_FAILED;
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	rundir_clean_stale(name);
	return DMN_OK;
}

int
cmd_daemon(int argc, char **argv)
{
	if (argc < 2) {
		daemon_usage(stderr);
		return DMN_USAGE;
	}
	if (strcmp(argv[1], "start") == 0)
		return start(argc - 1, argv + 1);
	if (strcmp(argv[1], "stop") == 0)
		return stop(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return status(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "ls") == 0)
		return list(argc - 1, argv + 1);
	if (strcmp(argv[1], "fork") == 0) {
		struct strbuf err = STRBUF_INIT;
		pid_t pid;
		int rc;

		if (argc != 4) {
			daemon_usage(stderr);
			return DMN_USAGE;
		}
		if ((rc = daemon_fork(argv[2], argv[3], &pid, &err)) == DMN_OK)
			printf("netsim daemon %s forked from %s (pid %ld)\n", argv[3], argv[2],
			    (long)pid);
		else
			fprintf(stderr, "netsim daemon: %s\n", sb_str(&err));
		sb_free(&err);
		return rc;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		daemon_usage(stdout);
		return 0;
	}
	fprintf(stderr, "netsim daemon: unknown command '%s'\n", argv[1]);
	daemon_usage(stderr);
	return DMN_USAGE;
}
