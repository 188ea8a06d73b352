/*
 * mcp_tools.c: the tools of `netsim mcp` (docs/mcp.md).
 *
 * A network is a daemon of this user (docs/daemon.md), named by its daemon
 * name: network_start is `netsim daemon start`, device_command, converge and
 * link_set are `netsim exec --json` (the same envelope), network_stop is
 * `netsim daemon stop`, all through the same functions (daemon_ctl.h), and
 * events is the protocol's events op. Every result names the network and
 * echoes what the daemon reports of it (its topology, network name, seed).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../daemon/wire.h"
#include "../lib/util.h"
#include "../verify/intent.h"
#include "daemon_ctl.h"
#include "diff.h"
#include "mcp.h"

/* Wall time a tool waits for a daemon's reply: a wedged daemon must not wedge the agent. */
#define MCP_REPLY_MS 120000
/* A device command's output beyond this many bytes comes in pages (docs/mcp.md). */
#define MCP_PAGE_BYTES (64u * 1024)
/* The longest YAML text network_start takes (the daemon's request line limit). */
#define MCP_MAX_YAML (1u << 20)

/* ---- arguments and their schema --------------------------------------------------- */

/*
 * One argument: the inputSchema is written from these (mcp_tools_list) and
 * the arguments are checked against them (args_check), so the two agree.
 */
struct arg {
	const char *key;
	enum jtype type; /* J_STR, J_NUM (an integer), J_BOOL, J_ARR (of strings) */
	bool required;
	const char *description;
	const char *enum_raw; /* J_STR: the allowed values as a JSON array, or NULL */
	int n_items;          /* J_ARR: exactly this many strings; ARGS_OBJECTS: objects, at least one */
	double max;           /* J_NUM: the largest value allowed, or 0 for none */
	bool real;            /* J_NUM: any number (a percentage), not only an integer */
};

#define ARGS_OBJECTS (-1)

static const char *
type_name(enum jtype t)
{
	switch (t) {
	case J_STR:
		return "string";
	case J_NUM:
		return "integer"; /* a real one ("number") is written by schema_write */
	case J_BOOL:
		return "boolean";
	case J_ARR:
		return "array";
	default:
		return "object";
	}
}

static void
schema_write(struct json *j, const struct arg *args)
{
	json_obj_begin(j);
	json_kv_str(j, "type", "object");
	json_key(j, "properties");
	json_obj_begin(j);
	for (const struct arg *a = args; a->key != NULL; a++) {
		json_key(j, a->key);
		json_obj_begin(j);
		json_kv_str(j, "type", a->real ? "number" : type_name(a->type));
		json_kv_str(j, "description", a->description);
		if (a->enum_raw != NULL) {
			json_key(j, "enum");
			json_raw(j, a->enum_raw);
		}
		if (a->type == J_NUM)
			json_kv_int(j, "minimum", 0);
		if (a->type == J_NUM && a->max > 0)
			json_kv_double(j, "maximum", a->max);
		if (a->type == J_ARR) {
			json_key(j, "items");
			json_obj_begin(j);
			json_kv_str(j, "type", a->n_items == ARGS_OBJECTS ? "object" : "string");
			json_obj_end(j);
			json_kv_int(j, "minItems", a->n_items == ARGS_OBJECTS ? 1 : a->n_items);
			if (a->n_items != ARGS_OBJECTS)
				json_kv_int(j, "maxItems", a->n_items);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
	json_key(j, "required");
	json_arr_begin(j);
	for (const struct arg *a = args; a->key != NULL; a++)
		if (a->required)
			json_str(j, a->key);
	json_arr_end(j);
	json_kv_bool(j, "additionalProperties", false);
	json_obj_end(j);
}

/* Does value v fit argument a? */
static bool
arg_fits(const struct arg *a, const struct jval *v, struct strbuf *err)
{
	if (v->type != a->type || (a->type == J_NUM && ((!a->real && v->num != floor(v->num)) ||
	                                                   v->num < 0 || v->num > 9007199254740991.0))) {
		sb_printf(err, "argument '%s' must be %s %s", a->key,
		    a->type == J_ARR || (a->type == J_NUM && !a->real) ? "an" : "a",
		    a->type == J_NUM ? (a->real ? "number of at least 0" : "integer of at least 0") :
		    type_name(a->type));
		return false;
	}
	if (a->type == J_NUM && a->max > 0 && v->num > a->max) {
		sb_printf(err, "argument '%s' must be at most %g", a->key, a->max);
		return false;
	}
	if (a->type == J_STR && a->enum_raw != NULL) {
		struct strbuf q = STRBUF_INIT;
		bool ok;

		json_escape(&q, v->str);
		ok = strstr(a->enum_raw, sb_str(&q)) != NULL;
		sb_free(&q);
		if (!ok) {
			sb_printf(err, "argument '%s' must be one of %s", a->key, a->enum_raw);
			return false;
		}
	}
	if (a->type == J_ARR && a->n_items == ARGS_OBJECTS) {
		for (size_t i = 0; i < v->n; i++)
			if (v->elem[i]->type != J_OBJ) {
				sb_printf(err, "argument '%s' must be an array of objects", a->key);
				return false;
			}
		if (v->n == 0) {
			sb_printf(err, "argument '%s' must have at least one item", a->key);
			return false;
		}
	} else if (a->type == J_ARR) {
		if (v->n != (size_t)a->n_items) {
			sb_printf(err, "argument '%s' must have %d items", a->key, a->n_items);
			return false;
		}
		for (size_t i = 0; i < v->n; i++)
			if (v->elem[i]->type != J_STR) {
				sb_printf(err, "argument '%s' must be an array of strings", a->key);
				return false;
			}
	}
	return true;
}

/* args against the schema: an object, no unknown keys, the required ones, the right types. */
static bool
args_check(const struct jval *args, const struct arg *spec, struct strbuf *err)
{
	if (args != NULL && args->type != J_OBJ) {
		sb_add(err, "arguments must be an object");
		return false;
	}
	for (size_t i = 0; args != NULL && i < args->n; i++) {
		const struct arg *a = spec;

		while (a->key != NULL && strcmp(a->key, args->keys[i]) != 0)
			a++;
		if (a->key == NULL) {
			sb_add(err, "unknown argument ");
			json_escape(err, args->keys[i]);
			return false;
		}
		if (!arg_fits(a, args->elem[i], err))
			return false;
	}
	for (const struct arg *a = spec; a->key != NULL; a++)
		if (a->required && (args == NULL || jval_get(args, a->key) == NULL)) {
			sb_printf(err, "missing argument '%s'", a->key);
			return false;
		}
	return true;
}

/* ---- results ------------------------------------------------------------------------ */

static void __attribute__((format(printf, 4, 5)))
fail(struct mcp_result *res, const char *network, const char *code, const char *fmt, ...)
{
	struct json j;
	va_list ap;

	va_start(ap, fmt);
	sb_reset(&res->message);
	sb_vprintf(&res->message, fmt, ap);
	va_end(ap);
	/* Messages from the daemon machinery end with a newline; a result's do not. */
	while (res->message.len > 0 && res->message.s[res->message.len - 1] == '\n')
		res->message.s[--res->message.len] = '\0';
	sb_reset(&res->structured);
	json_init(&j, &res->structured, false);
	json_obj_begin(&j);
	if (network != NULL)
		json_kv_str(&j, "network", network);
	json_kv_str(&j, "error", sb_str(&res->message));
	json_kv_str(&j, "errorCode", code);
	json_obj_end(&j);
	res->is_error = true;
}

/* The fields keys[0..n) of a status reply that it has, as they are. */
static void
copy_fields(struct json *j, const struct jval *st, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (jval_get(st, keys[i]) != NULL) {
			json_key(j, keys[i]);
			wire_value(j, jval_get(st, keys[i]), 1);
		}
}

/* The network's name and what its daemon's status says of it (clock: its time too). */
static void
echo_network(struct json *j, const char *name, const struct jval *st, bool clock)
{
	static const char *const keys[] = {"topology", "topologyHash", "seed", "simTimeMs",
	    "converged"};
	size_t nkeys = sizeof(keys) / sizeof(keys[0]) - (clock ? 0 : 2);

	json_kv_str(j, "network", name);
	if (jval_str(st, "network") != NULL)
		json_kv_str(j, "topologyName", jval_str(st, "network"));
	copy_fields(j, st, keys, nkeys);
}

/* No daemon answers at NAME's socket: never started (or stopped), or died. */
static void
fail_no_daemon(struct mcp_result *res, const char *name)
{
	if (rundir_probe(name, NULL) == RUNDIR_STALE) {
		rundir_clean_stale(name);
		fail(res, name, "daemon-died",
		    "network '%s' is not running: its daemon died (see its log, %s.log in the "
		    "runtime directory)",
		    name, name);
	} else {
		fail(res, name, "unknown-network", "no network named '%s' is running", name);
	}
}

/* NAME's status reply, or NULL with res filled with why there is none. */
static struct jval *
net_status(const char *name, struct mcp_result *res)
{
	struct strbuf err = STRBUF_INIT;
	struct jval *st;
	int why;

	if (!rundir_name_ok(name, &err)) {
		fail(res, name, "unknown-network", "no network named '%s' can run: %s", name,
		    sb_str(&err));
		st = NULL;
	} else if ((st = daemon_query_status(name, MCP_REPLY_MS, &why, &err)) == NULL) {
		if (why == DMN_NODAEMON)
			fail_no_daemon(res, name);
		else
			fail(res, name, "not-answering", "network '%s' is not answering: %s", name,
			    sb_str(&err));
	}
	sb_free(&err);
	return st;
}

/* ---- pages of long outputs ----------------------------------------------------------- */

/*
 * A device command's output longer than MCP_PAGE_BYTES comes a page at a
 * time: its JSON result's largest list (a table of routes, neighbors, LSAs:
 * the result itself, or a member that holds most of it, a few levels down)
 * cut to the items that fit, or its text cut at a line. The page says where
 * it is (`path`), which items it holds, the cursor of the next one, and the
 * command's synopsis, whose arguments narrow the output (show ip route
 * PREFIX). Each page runs the command again: a network that changed in
 * between pages gives pages of different tables.
 */
struct page {
	size_t from, count, total;
	char path[128];
};

static size_t
json_size(const struct jval *v)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;
	size_t n;

	json_init(&j, &b, false);
	wire_value(&j, v, 1);
	n = b.len;
	sb_free(&b);
	return n;
}

/* Items from..: as many as fit in budget bytes, at least one. */
static void
page_items(struct json *j, const struct jval *v, struct page *pg)
{
	size_t used = 0;

	pg->total = v->n;
	pg->count = 0;
	if (v->type == J_OBJ)
		json_obj_begin(j);
	else
		json_arr_begin(j);
	for (size_t i = pg->from; i < v->n; i++) {
		size_t one = json_size(v->elem[i]) + (v->type == J_OBJ ? strlen(v->keys[i]) + 4 : 1);

		if (pg->count > 0 && used + one > MCP_PAGE_BYTES)
			break;
		used += one;
		if (v->type == J_OBJ)
			json_key(j, v->keys[i]);
		wire_value(j, v->elem[i], 2);
		pg->count++;
	}
	if (v->type == J_OBJ)
		json_obj_end(j);
	else
		json_arr_end(j);
}

/*
 * The list to page: v itself, or, while v is an object one member of which
 * holds most of its size, that member (keys[] its path, at most 4 deep).
 */
static const struct jval *
page_target(const struct jval *v, const char **keys, int *depth)
{
	*depth = 0;
	while (v->type == J_OBJ && *depth < 4) {
		size_t total = json_size(v), best = 0, bi = 0;

		for (size_t i = 0; i < v->n; i++) {
			size_t n = json_size(v->elem[i]);

			if (n > best) {
				best = n;
				bi = i;
			}
		}
		if (v->n == 0 || best * 4 < total * 3 ||
		    (v->elem[bi]->type != J_OBJ && v->elem[bi]->type != J_ARR) ||
		    (v->n > 1 && v->elem[bi]->n < 2))
			break;
		keys[(*depth)++] = v->keys[bi];
		v = v->elem[bi];
	}
	return v;
}

/* v with the list at keys[d..depth) paged. */
static void
write_paged(struct json *j, const struct jval *v, const char **keys, int d, int depth,
    struct page *pg)
{
	if (d == depth) {
		page_items(j, v, pg);
		return;
	}
	json_obj_begin(j);
	for (size_t i = 0; i < v->n; i++) {
		json_key(j, v->keys[i]);
		if (strcmp(v->keys[i], keys[d]) == 0)
			write_paged(j, v->elem[i], keys, d + 1, depth, pg);
		else
			wire_value(j, v->elem[i], 2);
	}
	json_obj_end(j);
}

/* Text from line pg->from on, the lines that fit (at least one). */
static void
page_lines(struct json *j, const char *text, struct page *pg)
{
	struct strbuf b = STRBUF_INIT;
	size_t line = 0;
	bool full = false;

	pg->count = 0;
	for (const char *p = text; *p; line++) {
		size_t n = strcspn(p, "\n");

		n += p[n] == '\n';
		if (line >= pg->from && !full) {
			if (pg->count > 0 && b.len + n > MCP_PAGE_BYTES) {
				full = true;
			} else {
				sb_addn(&b, p, n);
				pg->count++;
			}
		}
		p += n;
	}
	pg->total = line;
	json_str(j, sb_str(&b));
	sb_free(&b);
}

/*
 * Copy envelope field (key, v) into j, paged when it is the command's output
 * and too long (or a page was asked for). true when paged (pg filled).
 */
static bool
copy_paged(struct json *j, const char *key, const struct jval *v, long cursor,
    struct page *pg)
{
	const char *keys[4];
	const struct jval *t;
	int depth;

	if (cursor < 0 && json_size(v) <= MCP_PAGE_BYTES)
		return false;
	pg->from = cursor < 0 ? 0 : (size_t)cursor;
	if (strcmp(key, "output") == 0 && v->type == J_STR) {
		json_key(j, key);
		page_lines(j, v->str, pg);
		snprintf(pg->path, sizeof(pg->path), "output (lines)");
		return true;
	}
	if (strcmp(key, "result") != 0 || (v->type != J_OBJ && v->type != J_ARR))
		return false;
	t = page_target(v, keys, &depth);
	if (t->type != J_OBJ && t->type != J_ARR)
		return false;
	json_key(j, key);
	write_paged(j, v, keys, 0, depth, pg);
	snprintf(pg->path, sizeof(pg->path), "result");
	for (int i = 0; i < depth; i++)
		snprintf(pg->path + strlen(pg->path), sizeof(pg->path) - strlen(pg->path), ".%s",
		    keys[i]);
	return true;
}

static void
page_json(struct json *j, const struct page *pg, const char *cmd)
{
	const struct cli_cmd *c = cli_lookup(cmd);

	json_key(j, "page");
	json_obj_begin(j);
	json_kv_str(j, "path", pg->path);
	json_kv_int(j, "from", (int64_t)pg->from);
	json_kv_int(j, "count", (int64_t)pg->count);
	json_kv_int(j, "total", (int64_t)pg->total);
	if (pg->from + pg->count < pg->total) {
		char cur[32];

		snprintf(cur, sizeof(cur), "%zu", pg->from + pg->count);
		json_kv_str(j, "nextCursor", cur);
	}
	if (c != NULL && c->args[0] != '\0') {
		char *syn = xasprintf("%s %s", c->path, c->args);

		json_kv_str(j, "narrowWith", syn);
		free(syn);
	}
	json_obj_end(j);
}

/*
 * One exec (netsim exec --json) on NAME: structuredContent is the network's
 * echo and the exec envelope's fields; a command that failed is an error.
 */
/*
 * answer: an errorCode that is an answer, not a failure, when the command
 * still gave its JSON result (ping's no-reply: the result says what was lost).
 */
static void
run_exec(struct mcp_result *res, const char *name, const char *device, const char *cmd,
    long cursor, const char *answer)
{
	struct page pg = {0};
	bool paged = false;
	struct strbuf err = STRBUF_INIT, env_json = STRBUF_INIT;
	struct envelope env;
	struct jval *st, *ej;
	struct json j;
	char perr[128];

	if ((st = net_status(name, res)) == NULL)
		return;
	exec_call(name, device, cmd, true, MCP_REPLY_MS, &env, &err, NULL);
	/* No reply, and the daemon is gone: it died (perhaps of this very command). */
	if (env.reply == NULL && rundir_probe(name, NULL) != RUNDIR_ALIVE) {
		fail_no_daemon(res, name);
		goto out;
	}
	exec_envelope(&env_json, &env, false);
	ej = json_parse(env_json.s, env_json.len, perr, sizeof(perr));
	sb_reset(&res->structured);
	json_init(&j, &res->structured, false);
	json_obj_begin(&j);
	/* The envelope's clock (after the command) is the one to show. */
	echo_network(&j, name, st, false);
	for (size_t i = 0; ej != NULL && i < ej->n; i++) {
		if (!paged && copy_paged(&j, ej->keys[i], ej->elem[i], cursor, &pg)) {
			paged = true;
			continue;
		}
		json_key(&j, ej->keys[i]);
		wire_value(&j, ej->elem[i], 1);
	}
	if (paged)
		page_json(&j, &pg, cmd);
	json_obj_end(&j);
	if (env.status != DMN_OK && !(answer != NULL && jval_get(ej, "result") != NULL &&
	    jval_str(ej, "errorCode") != NULL && strcmp(jval_str(ej, "errorCode"), answer) == 0)) {
		res->is_error = true;
		sb_reset(&res->message);
		sb_printf(&res->message, "%s on %s in network '%s': %s (%s)", cmd,
		    strcmp(device, "-") == 0 ? "the network" : device, name,
		    jval_str(ej, "error") ? jval_str(ej, "error") : "failed",
		    jval_str(ej, "errorCode") ? jval_str(ej, "errorCode") : "command-failed");
	}
	jval_free(ej);
out:
	jval_free((struct jval *)env.reply);
	jval_free(st);
	sb_free(&env_json);
	sb_free(&err);
}

/* ---- the tools ---------------------------------------------------------------------- */

/* A macro, not a const object: C wants constant initializers in the tables below. */
#define NETWORK_ARG {"network", J_STR, true, "the network's name (the name it was started with)", \
    NULL, 0, 0, false}

/* A path, or YAML text (it has a newline), or netsim://topologies/FILE: a file to start. */
static char *
topology_file(const char *name, const char *topo, struct mcp_result *res)
{
	static const char shipped[] = "netsim://topologies/";
	struct strbuf err = STRBUF_INIT;
	char *path;
	size_t len = strlen(topo);
	int fd;

	if (strncmp(topo, shipped, sizeof(shipped) - 1) == 0) {
		if ((path = mcp_shipped_topology(topo + sizeof(shipped) - 1)) == NULL)
			fail(res, name, "unknown-topology", "no shipped topology %s", topo);
		return path;
	}
	if (strchr(topo, '\n') == NULL)
		return xstrdup(topo);
	if (len > MCP_MAX_YAML) {
		fail(res, name, "too-large", "the topology text is longer than %u bytes",
		    MCP_MAX_YAML);
		return NULL;
	}
	/* The daemon loads a file: the text goes beside its socket, in the private directory. */
	if (rundir_path(&err) == NULL) {
		fail(res, name, "start-failed", "%s", sb_str(&err));
		sb_free(&err);
		return NULL;
	}
	path = rundir_file(name, "mcp.yaml");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, topo, len) != (ssize_t)len) {
		fail(res, name, "start-failed", "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static const struct arg start_args[] = {
    {"name", J_STR, true,
        "a new network's name: 1 to 64 letters, digits, '.', '_' or '-' (its daemon's name)",
        NULL, 0, 0, false},
    {"topology", J_STR, true,
        "a topology file (.yaml or .lua; a path relative to the server's directory), a "
        "shipped one as netsim://topologies/FILE.yaml, or YAML text (anything with a "
        "newline)",
        NULL, 0, 0, false},
    {"seed", J_NUM, false, "the run's seed (default: the topology's)", NULL, 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

static void
network_start(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "name"), *topo = jval_str(args, "topology");
	struct daemon_opts o = {.name = name, .tick = 100 * SIM_MS, .speed = 1,
	    .converge_limit = 600 * SIM_S};
	struct strbuf err = STRBUF_INIT;
	struct jval *st;
	struct json j;
	char *path;
	pid_t pid;
	int rc;

	if (!rundir_name_ok(name, &err) || rundir_path(&err) == NULL) {
		fail(res, name, "bad-name", "%s", sb_str(&err));
		sb_free(&err);
		return;
	}
	if (rundir_probe(name, NULL) == RUNDIR_ALIVE) {
		fail(res, name, "already-running", "a network named '%s' is running already", name);
		return;
	}
	if ((path = topology_file(name, topo, res)) == NULL)
		return;
	if (jval_get(args, "seed") != NULL) {
		o.seed = (uint64_t)wire_num(args, "seed", 0);
		o.seed_set = true;
	}
	o.topology = path;
	if ((rc = daemon_spawn(&o, false, &pid, &err)) != DMN_OK) {
		char *yaml = rundir_file(name, "mcp.yaml");

		fail(res, name, "start-failed", "network '%s' did not start: %s", name,
		    sb_str(&err));
		if (strcmp(yaml, path) == 0)
			unlink(yaml);
		free(yaml);
	} else if ((st = net_status(name, res)) != NULL) {
		static const char *const keys[] = {"devices", "links", "deviceNames",
		    "convergedAtMs"};

		json_init(&j, &res->structured, false);
		json_obj_begin(&j);
		echo_network(&j, name, st, true);
		json_kv_int(&j, "pid", pid);
		copy_fields(&j, st, keys, sizeof(keys) / sizeof(keys[0]));
		json_obj_end(&j);
		jval_free(st);
	}
	free(path);
	sb_free(&err);
}

static const struct arg stop_args[] = {NETWORK_ARG, {NULL, 0, false, NULL, NULL, 0, 0, false}};

static void
network_stop(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "network");
	struct strbuf err = STRBUF_INIT;
	struct jval *st;
	struct json j;
	char *yaml;

	if ((st = net_status(name, res)) == NULL)
		return;
	if (daemon_stop_name(name, 10 * SIM_S, &err) != DMN_OK) {
		fail(res, name, "stop-failed", "network '%s' did not stop: %s", name, sb_str(&err));
	} else {
		json_init(&j, &res->structured, false);
		json_obj_begin(&j);
		echo_network(&j, name, st, true);
		json_kv_bool(&j, "stopped", true);
		/* A daemon that ignored the stop and was killed says so. */
		json_kv_bool(&j, "killed", err.len > 0);
		json_obj_end(&j);
		/* The YAML text network_start wrote, if it did. */
		yaml = rundir_file(name, "mcp.yaml");
		unlink(yaml);
		free(yaml);
	}
	jval_free(st);
	sb_free(&err);
}

static const struct arg list_args[] = {{NULL, 0, false, NULL, NULL, 0, 0, false}};

static void
network_list(const struct jval *args, struct mcp_result *res)
{
	static const char *const keys[] = {"pid", "devices", "links"};
	struct strbuf err = STRBUF_INIT;
	struct json j;
	char **names;

	(void)args;
	if (rundir_path(&err) == NULL) {
		fail(res, NULL, "no-runtime-directory", "%s", sb_str(&err));
		sb_free(&err);
		return;
	}
	names = rundir_list();
	json_init(&j, &res->structured, false);
	json_obj_begin(&j);
	json_key(&j, "networks");
	json_arr_begin(&j);
	for (size_t n = 0; names[n] != NULL; n++) {
		struct jval *st;
		int why;

		sb_reset(&err);
		/* A network busy with a long command must not hold up the list. */
		st = daemon_query_status(names[n], 3000, &why, &err);
		json_obj_begin(&j);
		if (st != NULL) {
			echo_network(&j, names[n], st, true);
			copy_fields(&j, st, keys, sizeof(keys) / sizeof(keys[0]));
		} else {
			json_kv_str(&j, "network", names[n]);
			json_kv_str(&j, "error", "not answering");
		}
		json_obj_end(&j);
		jval_free(st);
		free(names[n]);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	free(names);
	sb_free(&err);
}

static const struct arg command_args[] = {
    NETWORK_ARG,
    {"device", J_STR, true, "a device of the network, or \"-\" for the network scope", NULL, 0, 0, false},
    {"command", J_STR, true,
        "the command line, as typed after `netsim exec NAME DEVICE` (\"show ip route\", "
        "\"ping 10.0.3.10 count 1\", \"interface eth0 shutdown\")",
        NULL, 0, 0, false},
    {"cursor", J_STR, false,
        "a page's nextCursor: the next page of a long output (the command runs again)", NULL,
        0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

static void
device_command(const struct jval *args, struct mcp_result *res)
{
	const char *cmd = jval_str(args, "command"), *cur = jval_str(args, "cursor");

	if (cmd[strspn(cmd, " \t")] == '\0') {
		fail(res, jval_str(args, "network"), "usage", "empty command");
		return;
	}
	if (cur != NULL && (*cur == '\0' || cur[strspn(cur, "0123456789")] != '\0' ||
	    strlen(cur) > 9)) {
		fail(res, jval_str(args, "network"), "bad-argument",
		    "bad cursor '%s' (use a page's nextCursor)", cur);
		return;
	}
	run_exec(res, jval_str(args, "network"), jval_str(args, "device"), cmd,
	    cur ? atol(cur) : -1, NULL);
}

/*
 * A value that goes into a command line as one word: not empty, no blank,
 * quote or control character (the line would split or unquote it). false
 * with the result an error naming the argument.
 */
static bool
word_ok(struct mcp_result *res, const char *network, const char *what, const char *v)
{
	for (const char *c = v; *c; c++)
		if (*c == ' ' || *c == '"' || *c == '\'' || (unsigned char)*c < 0x20) {
			fail(res, network, "bad-argument", "bad %s '%s' (one word)", what, v);
			return false;
		}
	if (*v == '\0') {
		fail(res, network, "bad-argument", "empty %s", what);
		return false;
	}
	return true;
}

/* A duration argument (\"30s\", \"2m\"): false with the result an error. */
static bool
duration_ok(struct mcp_result *res, const char *network, const char *what, const char *t)
{
	if (sim_time_parse(t) < 0 || t[strcspn(t, " \t\"'")] != '\0') {
		fail(res, network, "bad-argument", "bad %s '%s' (a duration: 30s, 2m)", what, t);
		return false;
	}
	return true;
}

static const struct arg converge_args[] = {
    NETWORK_ARG,
    {"timeout", J_STR, false,
        "give up after this much simulated time (\"30s\", \"2m\"; default 10m)", NULL, 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

static void
converge(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "network"), *t = jval_str(args, "timeout");
	char *cmd;

	if (t != NULL && !duration_ok(res, name, "timeout", t))
		return;
	cmd = xasprintf("converge --timeout %s", t ? t : "10m");
	run_exec(res, name, "-", cmd, -1, NULL);
	free(cmd);
}

static const struct arg link_args[] = {
    NETWORK_ARG,
    {"endpoints", J_ARR, true, "the link's two ends as DEVICE:INTERFACE (\"r1:eth0\")", NULL,
        2, 0, false},
    {"state", J_STR, false, "the link's new state (state, loss or both)",
        "[\"up\",\"down\"]", 0, 0, false},
    {"loss", J_NUM, false,
        "frame loss on the link in percent, both ways (0 to 100; 0 repairs it), as chaos "
        "loss sets it",
        NULL, 0, 100, true},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

static void
link_set(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "network");
	const struct jval *ends = jval_get(args, "endpoints");
	char *cmd;

	for (size_t i = 0; i < ends->n; i++) {
		const char *e = ends->elem[i]->str, *colon = strchr(e, ':');

		/* One word DEVICE:IF: anything else would be other words of the command line. */
		if (colon == NULL || colon == e || colon[1] == '\0' ||
		    e[strcspn(e, " \t\r\n\"'")] != '\0') {
			fail(res, name, "bad-argument", "bad endpoint '%s' (DEVICE:INTERFACE)", e);
			return;
		}
	}
	if (jval_get(args, "state") == NULL && jval_get(args, "loss") == NULL) {
		fail(res, name, "bad-argument", "link_set needs a state, a loss or both");
		return;
	}
	/* The state first: a loss set on a link brought up applies from then on. */
	if (jval_get(args, "state") != NULL) {
		cmd = xasprintf("link %s %s %s", jval_str(args, "state"), ends->elem[0]->str,
		    ends->elem[1]->str);
		run_exec(res, name, "-", cmd, -1, NULL);
		free(cmd);
		if (res->is_error || jval_get(args, "loss") == NULL)
			return;
	}
	cmd = xasprintf("chaos loss %s--%s %.17g", ends->elem[0]->str, ends->elem[1]->str,
	    wire_num(args, "loss", 0));
	run_exec(res, name, "-", cmd, -1, NULL);
	free(cmd);
}

static const struct arg advance_args[] = {
    NETWORK_ARG,
    {"duration", J_STR, true,
        "how much simulated time to run (\"500ms\", \"30s\", \"2m\"), as fast as possible",
        NULL, 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

/* `run DURATION` at the network scope: timers, protocols and script entries run meanwhile. */
static void
advance(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "network"), *d = jval_str(args, "duration");
	char *cmd;

	if (!duration_ok(res, name, "duration", d))
		return;
	cmd = xasprintf("run %s", d);
	run_exec(res, name, "-", cmd, -1, NULL);
	free(cmd);
}

static const struct arg node_args[] = {
    NETWORK_ARG,
    {"device", J_STR, true, "a device of the network", NULL, 0, 0, false},
    {"state", J_STR, true,
        "down: the device crashes (loses all its state); up: it boots again (its protocols "
        "start from scratch)",
        "[\"up\",\"down\"]", 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

/* chaos crash / chaos restore: logged on the timeline as chaos events, as a script's are. */
static void
node_set(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "network"), *dev = jval_str(args, "device");
	char *cmd;

	if (!word_ok(res, name, "device", dev))
		return;
	cmd = xasprintf("chaos %s %s", strcmp(jval_str(args, "state"), "up") == 0 ? "restore" :
	    "crash", dev);
	run_exec(res, name, "-", cmd, -1, NULL);
	free(cmd);
}

static const struct arg iface_args[] = {
    NETWORK_ARG,
    {"device", J_STR, true, "a device of the network", NULL, 0, 0, false},
    {"interface", J_STR, true, "one of its interfaces (eth0)", NULL, 0, 0, false},
    {"state", J_STR, true,
        "down: shut the interface (its link stays up, the far end sees no frames); up: "
        "bring it back",
        "[\"up\",\"down\"]", 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

/* `interface IF shutdown` / `interface IF no shutdown` on the device. */
static void
interface_set(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "network"), *dev = jval_str(args, "device");
	const char *ifn = jval_str(args, "interface");
	char *cmd;

	if (!word_ok(res, name, "device", dev) || !word_ok(res, name, "interface", ifn))
		return;
	cmd = xasprintf("interface %s %sshutdown", ifn, strcmp(jval_str(args, "state"), "up") == 0 ?
	    "no " : "");
	run_exec(res, name, dev, cmd, -1, NULL);
	free(cmd);
}

static const struct arg chaos_args[] = {
    NETWORK_ARG,
    {"action", J_STR, true,
        "a chaos action (lua/netsim/chaos.lua): flap, partition, delay, restart, crash, "
        "restore, loss, ...; \"list\" lists them",
        NULL, 0, 0, false},
    {"args", J_STR, false,
        "its arguments as on the console, space-separated (\"r1--r2 period=200ms count=5\", "
        "\"{r1,r2} {r3}\")",
        NULL, 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

/* `chaos ACTION ARGS` at the network scope: logged on the timeline as a script's chaos is. */
static void
chaos(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "network"), *act = jval_str(args, "action");
	const char *rest = jval_str(args, "args");
	char *cmd;

	if (!word_ok(res, name, "action", act))
		return;
	for (const char *c = rest ? rest : ""; *c; c++)
		if (*c == '"' || *c == '\'' || (unsigned char)*c < 0x20) {
			fail(res, name, "bad-argument", "bad args '%s' (words without quotes)", rest);
			return;
		}
	cmd = xasprintf("chaos %s%s%s", act, rest ? " " : "", rest ? rest : "");
	run_exec(res, name, "-", cmd, -1, NULL);
	free(cmd);
}

static const struct arg ping_args[] = {
    NETWORK_ARG,
    {"device", J_STR, true, "the device that pings (a host or a router)", NULL, 0, 0, false},
    {"target", J_STR, true, "the IPv4 address to ping", NULL, 0, 0, false},
    {"count", J_NUM, false, "echo requests to send (1 to 100; default 5)", NULL, 0, 100, false},
    {"vrf", J_STR, false, "a VRF of the router to ping in", NULL, 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

static const struct arg traceroute_args[] = {
    NETWORK_ARG,
    {"device", J_STR, true, "the device that traces (a host or a router)", NULL, 0, 0, false},
    {"target", J_STR, true, "the IPv4 address to trace the path to", NULL, 0, 0, false},
    {"vrf", J_STR, false, "a VRF of the router to trace in", NULL, 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

/*
 * ping or traceroute as the device command's JSON form. Lost replies and an
 * unreached destination are answers (the result says which), not errors.
 */
static void
probe(const struct jval *args, struct mcp_result *res, bool trace)
{
	const char *name = jval_str(args, "network"), *vrf = jval_str(args, "vrf");
	struct strbuf cmd = STRBUF_INIT;

	if (!word_ok(res, name, "device", jval_str(args, "device")) ||
	    !word_ok(res, name, "target", jval_str(args, "target")) ||
	    (vrf != NULL && !word_ok(res, name, "vrf", vrf)))
		goto out;
	if (jval_get(args, "count") != NULL && wire_num(args, "count", 0) < 1) {
		fail(res, name, "bad-argument", "count must be at least 1");
		goto out;
	}
	sb_add(&cmd, trace ? "traceroute" : "ping");
	if (vrf != NULL)
		sb_printf(&cmd, " vrf %s", vrf);
	sb_printf(&cmd, " %s", jval_str(args, "target"));
	if (jval_get(args, "count") != NULL)
		sb_printf(&cmd, " count %.0f", wire_num(args, "count", 0));
	run_exec(res, name, jval_str(args, "device"), sb_str(&cmd), -1,
	    trace ? "not-reached" : "no-reply");
out:
	sb_free(&cmd);
}

static void
ping(const struct jval *args, struct mcp_result *res)
{
	probe(args, res, false);
}

static void
traceroute(const struct jval *args, struct mcp_result *res)
{
	probe(args, res, true);
}

static const struct arg events_args[] = {
    NETWORK_ARG,
    {"since", J_STR, false,
        "a cursor from an earlier events result: only the events after it (default: all "
        "that the daemon keeps, its last 10000)",
        NULL, 0, 0, false},
    {"all", J_BOOL, false, "route changes too (left out by default)", NULL, 0, 0, false},
    {"limit", J_NUM, false,
        "at most this many events (default 1000); more says whether others follow the "
        "cursor",
        NULL, 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

/*
 * The cursor "T/K": the events before simulated time T (ms) and the first K
 * at T have been seen. Times alone would not do: several events share an
 * instant, and more may come at the instant a reader last saw.
 */
static bool
cursor_parse(const char *s, double *t, long *k)
{
	char *end;

	*t = strtod(s, &end);
	if (end == s || *end != '/' || !isfinite(*t))
		return false;
	s = end + 1;
	*k = strtol(s, &end, 10);
	return end != s && *end == '\0' && *k >= 0;
}

static void
events(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "network"), *since = jval_str(args, "since");
	struct strbuf err = STRBUF_INIT, req = STRBUF_INIT;
	const struct jval *evs;
	struct jval *st, *r = NULL;
	struct dconn *d;
	struct json j;
	double t = -INFINITY, last = -INFINITY;
	long k = 0, at_last = 0, seen = 0;
	size_t limit = (size_t)wire_num(args, "limit", 1000), returned = 0;
	bool more = false;
	int why;

	if (since != NULL && !cursor_parse(since, &t, &k)) {
		fail(res, name, "bad-argument", "bad cursor '%s' (use an events result's cursor)",
		    since);
		return;
	}
	if ((st = net_status(name, res)) == NULL)
		return;
	if ((d = client_open(name, &why, &err)) == NULL) {
		fail_no_daemon(res, name);
		goto out;
	}
	d->timeout_ms = MCP_REPLY_MS;
	client_begin(d, &j, &req, "events");
	json_kv_bool(&j, "all", wire_bool(args, "all", false));
	client_end(&j);
	r = client_call(d, sb_str(&req), &err);
	client_close(d);
	if (r == NULL || !wire_bool(r, "ok", false)) {
		fail(res, name, "not-answering", "network '%s' did not send its events: %s", name,
		    r ? client_error(r) : sb_str(&err));
		goto out;
	}
	evs = jval_get(r, "events");
	json_init(&j, &res->structured, false);
	json_obj_begin(&j);
	echo_network(&j, name, st, true);
	json_key(&j, "events");
	json_arr_begin(&j);
	for (size_t i = 0; evs != NULL && evs->type == J_ARR && i < evs->n; i++) {
		double et = wire_num(evs->elem[i], "timeMs", 0);

		if (et >= t && !(et == t && ++seen <= k)) {
			if (returned++ == limit) {
				/* The cursor stays after the last one returned. */
				more = true;
				break;
			}
			wire_value(&j, evs->elem[i], 2);
		}
		at_last = et == last ? at_last + 1 : 1;
		last = et;
	}
	json_arr_end(&j);
	json_kv_bool(&j, "more", more);
	/* Where the next call goes on from: after everything read now. */
	{
		char cur[64];

		if (last == -INFINITY)
			snprintf(cur, sizeof(cur), "%s", since ? since : "0/0");
		else
			snprintf(cur, sizeof(cur), "%.6f/%ld", last, at_last);
		json_kv_str(&j, "cursor", cur);
	}
	json_obj_end(&j);
out:
	jval_free(r);
	jval_free(st);
	sb_free(&req);
	sb_free(&err);
}

static const struct arg verify_args[] = {
    NETWORK_ARG,
    {"assertions", J_ARR, true,
        "intents, each an object of one key (docs/verify.md): {\"reachable\": {\"from\": "
        "\"h1\", \"to\": \"10.0.3.10\"}}, unreachable, path {from, to, via|avoids}, route "
        "{device, prefix, protocol?, via?, metric?}, no_loops {destinations, sources?}, "
        "no_blackholes {destinations, sources?}",
        NULL, ARGS_OBJECTS, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

/*
 * A JSON value as YAML flow text for the verify command's line: strings in
 * single quotes (the command line keeps them; it drops double ones). false
 * when a string holds a double quote or a control character, which the
 * line cannot carry.
 */
static bool
yaml_flow(struct strbuf *b, const struct jval *v)
{
	switch (v->type) {
	case J_OBJ:
	case J_ARR:
		sb_addc(b, v->type == J_OBJ ? '{' : '[');
		for (size_t i = 0; i < v->n; i++) {
			if (i > 0)
				sb_add(b, ", ");
			if (v->type == J_OBJ) {
				struct jval key = {.type = J_STR, .str = v->keys[i]};

				if (!yaml_flow(b, &key))
					return false;
				sb_add(b, ": ");
			}
			if (!yaml_flow(b, v->elem[i]))
				return false;
		}
		sb_addc(b, v->type == J_OBJ ? '}' : ']');
		return true;
	case J_STR:
		sb_addc(b, '\'');
		for (const char *c = v->str; *c; c++) {
			if (*c == '"' || (unsigned char)*c < 0x20)
				return false;
			if (*c == '\'')
				sb_addc(b, '\'');
			sb_addc(b, *c);
		}
		sb_addc(b, '\'');
		return true;
	case J_NUM:
		sb_printf(b, "%.17g", v->num);
		return true;
	case J_BOOL:
		sb_add(b, v->b ? "true" : "false");
		return true;
	default:
		sb_add(b, "null");
		return true;
	}
}

/*
 * Read the assertions here first, one to a line, so that a mistake is named
 * by its index ("assertions[1]: path needs 'via' or 'avoids'") rather than by
 * a column of the command line the daemon gets. false with the messages.
 */
static bool
assertions_ok(const struct jval *list, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, msgs = STRBUF_INIT;
	struct intents in;
	bool ok;

	for (size_t i = 0; i < list->n; i++) {
		sb_add(&text, "- ");
		yaml_flow(&text, list->elem[i]);
		sb_addc(&text, '\n');
	}
	ok = intents_parse("assertions", text.s, text.len, &in, &msgs);
	intents_free(&in);
	/* "assertions:LINE:COL: message" -> "assertions[LINE-1]: message" */
	for (const char *p = sb_str(&msgs); !ok && *p; ) {
		size_t n = strcspn(p, "\n");
		int line, col, off = 0;

		if (sscanf(p, "assertions:%d:%d: %n", &line, &col, &off) == 2 && off > 0)
			sb_printf(err, "%sassertions[%d]: %.*s", err->len ? "; " : "", line - 1,
			    (int)n - off, p + off);
		else
			sb_printf(err, "%s%.*s", err->len ? "; " : "", (int)n, p);
		p += n + (p[n] == '\n');
	}
	sb_free(&text);
	sb_free(&msgs);
	return ok;
}

static void
verify(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "network");
	struct strbuf err = STRBUF_INIT, cmd = STRBUF_INIT;
	const struct jval *result;
	struct envelope env = {0};
	struct jval *st;
	struct json j;

	sb_add(&cmd, "verify ");
	if (!yaml_flow(&cmd, jval_get(args, "assertions"))) {
		fail(res, name, "bad-argument",
		    "assertions: strings may not hold double quotes or control characters");
		goto out;
	}
	if (!assertions_ok(jval_get(args, "assertions"), &err)) {
		fail(res, name, "bad-argument", "%s", sb_str(&err));
		goto out;
	}
	if ((st = net_status(name, res)) == NULL)
		goto out;
	exec_call(name, "-", sb_str(&cmd), true, MCP_REPLY_MS, &env, &err, NULL);
	result = env.reply ? jval_get(env.reply, "result") : NULL;
	if (env.reply == NULL && rundir_probe(name, NULL) != RUNDIR_ALIVE) {
		fail_no_daemon(res, name);
	} else if (result == NULL || result->type != J_OBJ) {
		/* Intents the daemon could not read: their messages say where. */
		fail(res, name, env.code && strcmp(env.code, "bad-intents") == 0 ? "bad-argument" :
		    env.code ? env.code : "command-failed", "verify in network '%s': %s", name,
		    env.error ? env.error : "no report");
	} else {
		json_init(&j, &res->structured, false);
		json_obj_begin(&j);
		echo_network(&j, name, st, false);
		/* The report: converged, simTimeMs, results, passed, failed, inconclusive. */
		for (size_t i = 0; i < result->n; i++) {
			json_key(&j, result->keys[i]);
			wire_value(&j, result->elem[i], 1);
		}
		json_obj_end(&j);
	}
	jval_free((struct jval *)env.reply);
	jval_free(st);
out:
	sb_free(&cmd);
	sb_free(&err);
}

static const struct arg diff_args[] = {
    {"a", J_STR, true, "a running network's name (the one compared from)", NULL, 0, 0, false},
    {"b", J_STR, true, "another running network's name (the one compared to)", NULL, 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

static void
diff(const struct jval *args, struct mcp_result *res)
{
	const char *na = jval_get(args, "a")->str, *nb = jval_get(args, "b")->str;
	struct strbuf err = STRBUF_INIT;
	struct jval *sa = NULL, *sb = NULL, *ta = NULL, *tb = NULL;
	struct json j;

	if ((sa = net_status(na, res)) == NULL || (sb = net_status(nb, res)) == NULL)
		goto out;
	if ((ta = diff_tables(na, MCP_REPLY_MS, &err)) == NULL ||
	    (tb = diff_tables(nb, MCP_REPLY_MS, &err)) == NULL) {
		fail(res, ta ? nb : na, "not-answering", "%s", sb_str(&err));
		goto out;
	}
	json_init(&j, &res->structured, false);
	json_obj_begin(&j);
	json_key(&j, "a");
	json_obj_begin(&j);
	echo_network(&j, na, sa, true);
	json_obj_end(&j);
	json_key(&j, "b");
	json_obj_begin(&j);
	echo_network(&j, nb, sb, true);
	json_obj_end(&j);
	diff_write(&j, ta, tb);
	json_obj_end(&j);
out:
	jval_free(sa);
	jval_free(sb);
	jval_free(ta);
	jval_free(tb);
	sb_free(&err);
}

static const struct arg fork_args[] = {
    NETWORK_ARG,
    {"name", J_STR, true,
        "the copy's name: 1 to 64 letters, digits, '.', '_' or '-' (a new daemon's name)",
        NULL, 0, 0, false},
    {NULL, 0, false, NULL, NULL, 0, 0, false},
};

static void
fork_network(const struct jval *args, struct mcp_result *res)
{
	const char *name = jval_str(args, "network"), *copy = jval_str(args, "name");
	static const char *const keys[] = {"devices", "links", "deviceNames", "convergedAtMs"};
	struct strbuf err = STRBUF_INIT;
	struct jval *st;
	struct json j;
	pid_t pid;
	int rc;

	if (!rundir_name_ok(copy, &err)) {
		fail(res, copy, "bad-name", "%s", sb_str(&err));
	} else if ((st = net_status(name, res)) != NULL) {
		jval_free(st);
		sb_reset(&err);
		if ((rc = daemon_fork(name, copy, &pid, &err)) != DMN_OK) {
			fail(res, name, strstr(sb_str(&err), "already running") ? "already-running" :
			    "fork-failed", "network '%s' was not forked into '%s': %s", name, copy,
			    sb_str(&err));
		} else if ((st = net_status(copy, res)) != NULL) {
			json_init(&j, &res->structured, false);
			json_obj_begin(&j);
			echo_network(&j, copy, st, true);
			json_kv_str(&j, "forkedFrom", name);
			json_kv_int(&j, "pid", pid);
			copy_fields(&j, st, keys, sizeof(keys) / sizeof(keys[0]));
			json_obj_end(&j);
			jval_free(st);
		}
	}
	sb_free(&err);
}

/* ---- the table ---------------------------------------------------------------------- */

static const struct tool {
	const char *name, *title, *description;
	const struct arg *args;
	bool read_only, destructive, idempotent;
	void (*run)(const struct jval *args, struct mcp_result *);
} tools[] = {
    {"network_start", "Start a network",
        "Start a simulated network from a topology (a file, a shipped one, or YAML text) "
        "as a background daemon; returns once it has converged (or its 10-minute simulated "
        "limit ran out), with its devices, links and seed.",
        start_args, false, false, false, network_start},
    {"network_stop", "Stop a network",
        "Stop a running network: its daemon exits and the name is free again.", stop_args,
        false, true, true, network_stop},
    {"network_list", "List networks",
        "The running networks of this user: name, topology, seed, simulated time, whether "
        "converged, devices and links.",
        list_args, true, false, true, network_list},
    {"device_command", "Run a device command",
        "Run one CLI command on a device (show commands answer with their JSON form) or, "
        "with device \"-\", a network-scope command. The result is netsim exec --json's "
        "envelope: status, result or output, error and errorCode. Commands may change the "
        "network (interface shutdown, route add) or advance simulated time (ping).",
        command_args, false, true, false, device_command},
    {"converge", "Converge",
        "Advance simulated time as fast as possible until the network has converged (or the "
        "timeout ran out: an error with errorCode timeout).",
        converge_args, false, false, true, converge},
    {"link_set", "Set a link up or down, or its loss",
        "Take the link between two interfaces down, or bring it back up, and/or set its "
        "frame loss in percent.",
        link_args, false, true, true, link_set},
    {"advance", "Advance simulated time",
        "Run the network's simulated time forward by a duration, as fast as possible "
        "(protocol timers, flaps and script entries run meanwhile).",
        advance_args, false, false, false, advance},
    {"node_set", "Crash or restore a device",
        "Crash a device (state down: it loses all its state, its links' far ends see it "
        "go) or boot it again (state up: its protocols start from scratch).",
        node_args, false, true, true, node_set},
    {"interface_set", "Shut or bring up an interface",
        "Shut an interface of a device down (as `interface IF shutdown`), or bring it back "
        "up.",
        iface_args, false, true, true, interface_set},
    {"chaos", "Run a chaos action",
        "Run one of netsim's chaos actions on the network (a link flap, a partition, added "
        "delay, a protocol restart...), as the console's `chaos ACTION ARGS`; action \"list\" "
        "names them.",
        chaos_args, false, true, false, chaos},
    {"ping", "Ping",
        "ICMP echo from a device to an address; the structured result has transmitted, "
        "received, lossPercent, rtt min/avg/max, each reply and the round-trip path. "
        "Simulated time passes while the probes travel.",
        ping_args, false, false, false, ping},
    {"traceroute", "Traceroute",
        "UDP traceroute from a device to an address; the structured result has reached "
        "and the hops, each with its probes' addresses and round-trip times. Simulated "
        "time passes while the probes travel.",
        traceroute_args, false, false, false, traceroute},
    {"events", "Read the event timeline",
        "The network's event timeline (adjacency changes, link and node up/down, "
        "convergence, chaos; route changes with all) after a cursor, and the cursor to "
        "continue from.",
        events_args, true, false, true, events},
    {"verify", "Check intents",
        "Check assertions about what the network forwards, against its routing tables "
        "(no packet is sent, no time passes): reachable/unreachable, a path via or avoiding "
        "a device, a route's protocol, next hops and metric, no loops or black holes towards "
        "destinations. Each is pass, fail or inconclusive (not converged, unknown device), "
        "with the FIB walk hop by hop as evidence and, on failure, a read-only command to "
        "run next (device_command).",
        verify_args, true, false, true, verify},
    {"diff", "Compare two networks",
        "Compare two running networks (say, one forked or changed from the other): per "
        "device, the routes added, removed and changed (protocol, distance, metric, next "
        "hops of the selected route) and the OSPF, IS-IS, BGP and LDP adjacencies added, "
        "removed or changed in state.",
        diff_args, true, false, true, diff},
    {"fork", "Fork a network",
        "Copy a running network into a new one, at the same simulated instant and with "
        "identical state (its daemon is forked between two commands), to try a change on "
        "the copy, compare it with diff, and network_stop it when done. The copy runs on "
        "its own from then on.",
        fork_args, false, false, false, fork_network},
};

void
mcp_tools_list(struct json *j)
{
	json_arr_begin(j);
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		const struct tool *t = &tools[i];

		json_obj_begin(j);
		json_kv_str(j, "name", t->name);
		json_kv_str(j, "title", t->title);
		json_kv_str(j, "description", t->description);
		json_key(j, "inputSchema");
		schema_write(j, t->args);
		json_key(j, "annotations");
		json_obj_begin(j);
		json_kv_str(j, "title", t->title);
		json_kv_bool(j, "readOnlyHint", t->read_only);
		json_kv_bool(j, "destructiveHint", t->destructive);
		json_kv_bool(j, "idempotentHint", t->idempotent);
		/* Only this user's simulations: nothing outside the machine is touched. */
		json_kv_bool(j, "openWorldHint", false);
		json_obj_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

enum mcp_call
mcp_tool_call(const char *name, const struct jval *args, struct mcp_result *res,
    struct strbuf *err)
{
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		if (strcmp(tools[i].name, name) != 0)
			continue;
		if (!args_check(args, tools[i].args, err))
			return MCP_CALL_BAD_ARGS;
		res->is_error = false;
		tools[i].run(args, res);
		return MCP_CALL_OK;
	}
	sb_add(err, "unknown tool ");
	json_escape(err, name);
	return MCP_CALL_UNKNOWN_TOOL;
}
