/* exec.c: `netsim exec NAME DEVICE COMMAND` (docs/daemon.md). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../daemon/daemon.h"
#include "../daemon/wire.h"
#include "../lib/util.h"
#include "cmd.h"
#include "daemon_ctl.h"

static void
exec_usage(FILE *f)
{
	fprintf(f,
	    "usage: netsim exec [--json] [--timeout T] NAME DEVICE COMMAND...\n"
	    "  DEVICE '-' is the network scope: converge, run 5s, time, pause, resume,\n"
	    "  link down|up A:IF B:IF, events [--follow], load FILE.lua, chaos ACTION ...\n"
	    "  --json       one JSON envelope on stdout: status, the command's JSON form\n"
	    "               (result) or text (output), error and errorCode on failure\n"
	    "  --timeout T  give up waiting for the reply after T of wall time (exit 1)\n"
	    "exit status: 0 ok, 1 the command failed, 2 usage, 3 no such daemon\n");
}

/* Words back into one line; a word with blanks is quoted again for the dispatcher. */
static char *
join(int argc, char **argv)
{
	struct strbuf b = STRBUF_INIT;

	for (int i = 0; i < argc; i++) {
		if (i)
			sb_addc(&b, ' ');
		if (argc > 1 && argv[i][strcspn(argv[i], " \t")] != '\0')
			sb_printf(&b, "\"%s\"", argv[i]);
		else
			sb_add(&b, argv[i]);
	}
	return sb_steal(&b);
}

static void
print_event(const struct jval *ev, bool json)
{
	if (json) {
		struct strbuf b = STRBUF_INIT;
		struct json j;

		json_init(&j, &b, false);
		wire_value(&j, ev, 0);
		puts(sb_str(&b));
		sb_free(&b);
	} else {
		printf("[t=%s] %s\n", sim_time_str((sim_time)(wire_num(ev, "timeMs", 0) * SIM_MS)),
		    jval_str(ev, "text") ? jval_str(ev, "text") : "");
	}
	fflush(stdout);
}

/*
 * exec --json: one envelope on stdout whatever happened (docs/daemon.md):
 * the exit status, the device and command, the daemon's clock, the command's
 * JSON (result) or text (output), and on failure a message and a stable code.
 * struct envelope is in daemon_ctl.h (netsim mcp sends the same).
 */
/* "% msg\n% more\n" -> "msg; more": the message without the CLI's markers. */
static void
error_message(struct strbuf *b, const char *e)
{
	while (e != NULL && *e) {
		size_t n = strcspn(e, "\n");

		if (e[0] == '%' && e[1] == ' ') {
			e += 2;
			n -= 2;
		}
		if (n > 0)
			sb_printf(b, "%s%.*s", b->len ? "; " : "", (int)n, e);
		e += n;
		e += *e == '\n';
	}
}

void
exec_envelope(struct strbuf *b, const struct envelope *env, bool pretty)
{
	struct strbuf msg = STRBUF_INIT;
	const struct jval *r = env->reply;
	struct json j;

	json_init(&j, b, pretty);
	json_obj_begin(&j);
	json_kv_int(&j, "status", env->status);
	if (env->device)
		json_kv_str(&j, "device", env->device);
	if (env->command)
		json_kv_str(&j, "command", env->command);
	if (r != NULL && jval_get(r, "simTimeMs") != NULL)
		json_kv_double(&j, "simTimeMs", wire_num(r, "simTimeMs", 0));
	if (r != NULL && jval_get(r, "converged") != NULL)
		json_kv_bool(&j, "converged", wire_bool(r, "converged", false));
	if (r != NULL && jval_get(r, "result") != NULL) {
		json_key(&j, "result");
		wire_value(&j, jval_get(r, "result"), 0);
	} else if (r != NULL && jval_str(r, "output") != NULL && *jval_str(r, "output")) {
		json_kv_str(&j, "output", jval_str(r, "output"));
	}
	if (env->status != 0) {
		error_message(&msg, env->error);
		if (msg.len == 0 && r != NULL)
			error_message(&msg, jval_str(r, "reason"));
		json_kv_str(&j, "error", msg.len ? sb_str(&msg) : "failed");
		json_kv_str(&j, "errorCode", env->code ? env->code : "command-failed");
	}
	json_obj_end(&j);
	sb_free(&msg);
}

static void
print_envelope(const struct envelope *env)
{
	struct strbuf b = STRBUF_INIT;

	exec_envelope(&b, env, true);
	puts(sb_str(&b));
	sb_free(&b);
}

int
exec_call(const char *name, const char *device, const char *line, bool json, int timeout_ms,
    struct envelope *env, struct strbuf *err, struct dconn **keep)
{
	struct strbuf req = STRBUF_INIT;
	struct dconn *d;
	struct jval *r;
	struct json j;
	char cwd[PATH_MAX];
	int why;

	env->device = device;
	env->command = line;
	env->reply = NULL;
	env->error = env->code = NULL;
	if (keep != NULL)
		*keep = NULL;
	if ((d = client_open(name, &why, err)) == NULL) {
		env->status = why;
		env->error = sb_str(err);
		env->code = why == DMN_NODAEMON ? "no-daemon" : "connect-failed";
		return why;
	}
	d->timeout_ms = timeout_ms;
	client_begin(d, &j, &req, "exec");
	json_kv_str(&j, "device", device);
	json_kv_str(&j, "cmd", line);
	json_kv_bool(&j, "json", json);
	/* Relative paths in the command (load FILE.lua) mean ours, not the daemon's. */
	if (getcwd(cwd, sizeof(cwd)) != NULL)
		json_kv_str(&j, "cwd", cwd);
	client_end(&j);
	r = client_call(d, sb_str(&req), err);
	sb_free(&req);
	if (r == NULL) {
		client_close(d);
		env->status = DMN_FAILED;
		env->error = sb_str(err);
		env->code = "daemon-timeout";
		return DMN_FAILED;
	}
	env->reply = r;
	if (!wire_bool(r, "ok", false)) {
		const char *code = client_error_code(r);

		/* A device that does not exist is the command failing, not a usage error. */
		env->status = code && strcmp(code, "no-such-device") == 0 ? DMN_FAILED : DMN_USAGE;
		env->error = client_error(r);
		env->code = code ? code : "protocol-error";
	} else {
		env->status = wire_num(r, "status", 1) == 0 ? DMN_OK : DMN_FAILED;
		env->error = jval_str(r, "error");
		env->code = jval_str(r, "code");
	}
	if (keep != NULL)
		*keep = d;
	else
		client_close(d);
	return env->status;
}

int
cmd_exec(int argc, char **argv)
{
	static const struct option lopts[] = {{"json", no_argument, NULL, 'j'},
	    {"timeout", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	struct strbuf err = STRBUF_INIT;
	bool json = false;
	sim_time timeout = -1;
	struct dconn *d;
	struct jval *r;
	struct envelope env = {0};
	char *line;
	int c, rc;

	optind = 1;
	/* "+": options only before NAME, so a command's own words (-f) stay its own. */
	while ((c = getopt_long(argc, argv, "+h", lopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 't':
			if ((timeout = sim_time_parse(optarg)) < 0) {
				fprintf(stderr, "netsim exec: bad --timeout '%s'\n", optarg);
				return DMN_USAGE;
			}
			break;
		case 'h':
			exec_usage(stdout);
			return 0;
		default:
			exec_usage(stderr);
			return DMN_USAGE;
		}
	}
	if (argc - optind < 3) {
		exec_usage(stderr);
		if (json)
			print_envelope(&(struct envelope){.status = DMN_USAGE,
			    .error = "usage: netsim exec [--json] [--timeout T] NAME DEVICE COMMAND...",
			    .code = "usage"});
		return DMN_USAGE;
	}
	line = join(argc - optind - 2, argv + optind + 2);
	if (line[strspn(line, " \t")] == '\0') {
		fprintf(stderr, "netsim exec: empty command\n");
		if (json)
			print_envelope(&(struct envelope){.status = DMN_USAGE,
			    .device = argv[optind + 1], .error = "empty command", .code = "usage"});
		free(line);
		return DMN_USAGE;
	}
	rc = exec_call(argv[optind], argv[optind + 1], line, json,
	    timeout >= 0 ? (int)MIN(timeout / SIM_MS, INT32_MAX) : -1, &env, &err, &d);
	r = (struct jval *)env.reply;
	if (json)
		print_envelope(&env);
	if (r == NULL) {
		fprintf(stderr, "netsim exec: %s", sb_str(&err));
	} else if (!wire_bool(r, "ok", false)) {
		const char *msg = client_error(r);

		fprintf(stderr, "%s%s", msg, *msg && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
	} else {
		const char *out = jval_str(r, "output"), *e = jval_str(r, "error");

		if (!json && out != NULL)
			fputs(out, stdout);
		if (e != NULL && *e)
			fputs(e, stderr);
		if (wire_bool(r, "stream", false)) {
			struct jval *ev;

			fflush(stdout);
			d->timeout_ms = -1;
			/* Until the daemon stops (or we are interrupted). */
			while ((ev = client_recv(d, &err)) != NULL) {
				if (jval_get(ev, "event") != NULL)
					print_event(jval_get(ev, "event"), json);
				jval_free(ev);
			}
		}
	}
	free(line);
	jval_free(r);
	client_close(d);
	sb_free(&err);
	return rc;
}
