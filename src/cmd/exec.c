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
 */
struct envelope {
	int status;
	const char *device, *command;
	const struct jval *reply;  /* the daemon's reply, NULL when none came */
	const char *error, *code;  /* failures */
};

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

static void
print_envelope(const struct envelope *env)
{
	struct strbuf b = STRBUF_INIT, msg = STRBUF_INIT;
	const struct jval *r = env->reply;
	struct json j;

	json_init(&j, &b, true);
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
	puts(sb_str(&b));
	sb_free(&b);
	sb_free(&msg);
}

int
cmd_exec(int argc, char **argv)
{
	static const struct option lopts[] = {{"json", no_argument, NULL, 'j'},
	    {"timeout", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	struct strbuf err = STRBUF_INIT, req = STRBUF_INIT;
	bool json = false;
	sim_time timeout = -1;
	struct dconn *d;
	struct jval *r;
	struct json j;
	struct envelope env = {0};
	char *line, cwd[PATH_MAX];
	int c, why, rc;

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
	env.device = argv[optind + 1];
	env.command = line;
	if ((d = client_open(argv[optind], &why, &err)) == NULL) {
		fprintf(stderr, "netsim exec: %s", sb_str(&err));
		if (json) {
			env.status = why;
			env.error = sb_str(&err);
			env.code = why == DMN_NODAEMON ? "no-daemon" : "connect-failed";
			print_envelope(&env);
		}
		sb_free(&err);
		free(line);
		return why;
	}
	if (timeout >= 0)
		d->timeout_ms = (int)MIN(timeout / SIM_MS, INT32_MAX);
	client_begin(d, &j, &req, "exec");
	json_kv_str(&j, "device", argv[optind + 1]);
	json_kv_str(&j, "cmd", line);
	json_kv_bool(&j, "json", json);
	/* Relative paths in the command (load FILE.lua) mean ours, not the daemon's. */
	if (getcwd(cwd, sizeof(cwd)) != NULL)
		json_kv_str(&j, "cwd", cwd);
	client_end(&j);
	r = client_call(d, sb_str(&req), &err);
	sb_free(&req);
	if (r == NULL) {
		fprintf(stderr, "netsim exec: %s", sb_str(&err));
		if (json) {
			env.status = DMN_FAILED;
			env.error = sb_str(&err);
			env.code = "daemon-timeout";
			print_envelope(&env);
		}
		client_close(d);
		sb_free(&err);
		free(line);
		return DMN_FAILED;
	}
	env.reply = r;
	if (!wire_bool(r, "ok", false)) {
		const char *code = client_error_code(r);
		const char *msg = client_error(r);

		/* A device that does not exist is the command failing, not a usage error. */
		rc = code && strcmp(code, "no-such-device") == 0 ? DMN_FAILED : DMN_USAGE;
		if (json) {
			env.status = rc;
			env.error = msg;
			env.code = code ? code : "protocol-error";
			print_envelope(&env);
		}
		fprintf(stderr, "%s%s", msg, *msg && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
	} else {
		const char *out = jval_str(r, "output"), *e = jval_str(r, "error");

		rc = wire_num(r, "status", 1) == 0 ? DMN_OK : DMN_FAILED;
		if (json) {
			env.status = rc;
			env.error = e;
			env.code = jval_str(r, "code");
			print_envelope(&env);
		} else if (out != NULL) {
			fputs(out, stdout);
		}
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
