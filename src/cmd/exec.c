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
	    "  --json       the command's JSON form on stdout\n"
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
		return DMN_USAGE;
	}
	line = join(argc - optind - 2, argv + optind + 2);
	if (line[strspn(line, " \t")] == '\0') {
		fprintf(stderr, "netsim exec: empty command\n");
		free(line);
		return DMN_USAGE;
	}
	if ((d = client_open(argv[optind], &why, &err)) == NULL) {
		fprintf(stderr, "netsim exec: %s", sb_str(&err));
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
	free(line);
	sb_free(&req);
	if (r == NULL) {
		fprintf(stderr, "netsim exec: %s", sb_str(&err));
		client_close(d);
		sb_free(&err);
		return DMN_FAILED;
	}
	if (!wire_bool(r, "ok", false)) {
		const char *code = client_error_code(r);
		const char *msg = client_error(r);

		/* A device that does not exist is the command failing, not a usage error. */
		rc = code && strcmp(code, "no-such-device") == 0 ? DMN_FAILED : DMN_USAGE;
		if (json)
			printf("{\"status\": %d, \"error\": \"%s\"}\n", rc,
			    code ? code : "error");
		fprintf(stderr, "%s%s", msg, *msg && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
	} else {
		const char *out = jval_str(r, "output"), *e = jval_str(r, "error");
		const struct jval *res = jval_get(r, "result");

		rc = wire_num(r, "status", 1) == 0 ? DMN_OK : DMN_FAILED;
		if (json && rc != DMN_OK) {
			struct strbuf b = STRBUF_INIT;
			struct json jj;

			json_init(&jj, &b, true);
			json_obj_begin(&jj);
			json_kv_int(&jj, "status", rc);
			json_kv_str(&jj, "error", e ? e : "");
			json_obj_end(&jj);
			puts(sb_str(&b));
			sb_free(&b);
		} else if (json && res != NULL) {
			struct strbuf b = STRBUF_INIT;
			struct json jj;

			json_init(&jj, &b, true);
			wire_value(&jj, res, 0);
			puts(sb_str(&b));
			sb_free(&b);
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
	jval_free(r);
	client_close(d);
	sb_free(&err);
	return rc;
}
