/*
 * mcp.c: `netsim mcp`, a Model Context Protocol server on stdio (docs/mcp.md).
 *
 * The stdio transport of MCP, in two eras. Revision 2026-07-28 is stateless:
 * each request names it, with the client's capabilities, in its _meta
 * (basic/index, "_meta"; basic/versioning), server/discover says what the
 * server is, and results carry resultType. Revisions 2025-11-25 and 2025-06-18
 * are chosen at initialize (they differ in nothing netsim uses) and hold for
 * the process. A request with the per-request _meta is served statelessly
 * whatever came before; one without is the initialize session's, and before
 * any initialize it is malformed (2026-07-28 requires the _meta).
 * JSON-RPC 2.0 messages, one per line on stdin and stdout (no raw newline
 * inside one), nothing else on stdout; diagnostics go to stderr. Requests are
 * answered in order, one at a time, but a subscriptions/listen stays open
 * while the others are answered. Batches (a JSON array) were dropped from MCP
 * in 2025-06-18: an array is an invalid request. Any input gets an answer or,
 * for a notification, none; none ends the server but the end of stdin.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "../daemon/daemon.h"
#include "../daemon/wire.h"
#include "../proto/proto.h"
#include "../lib/util.h"
#include "cmd.h"
#include "mcp.h"

/*
 * The revisions spoken, the latest first: 2026-07-28 per request, the others at
 * initialize (what a client asks for if it is one, else the latest of them).
 */
static const char *const mcp_protocols[] = {MCP_MODERN_REVISION, "2025-11-25", "2025-06-18"};
#define MCP_NPROTOCOLS (sizeof(mcp_protocols) / sizeof(mcp_protocols[0]))
/* How long a client may keep what does not change for this binary (ttlMs): tools, discover. */
#define MCP_TTL_MS 3600000
/* The per-request _meta keys of 2026-07-28 (basic/index, "_meta"). */
#define META_VERSION "io.modelcontextprotocol/protocolVersion"
#define META_CAPS "io.modelcontextprotocol/clientCapabilities"
#define META_CLIENT "io.modelcontextprotocol/clientInfo"
#define META_LOGLEVEL "io.modelcontextprotocol/logLevel"
/*
 * The tool set's version (docs/mcp.md), in initialize's _meta: 1 the first
 * seven tools; 2 verify, diff, fork, topologyHash, pages of long outputs; 3 advance,
 * node_set, ping, traceroute, link_set's loss, event subscriptions.
 */
#define MCP_TOOLS_VERSION 4
/* The longest message read; a longer line is refused as a whole (and skipped). */
#define MCP_MAX_LINE (8u << 20)
/* Wall time between two polls of the subscribed networks while the client is quiet. */
#define MCP_POLL_MS 200
/* The longest resource served (the docs are a few dozen kB). */
#define MCP_MAX_RESOURCE (4u << 20)

/* JSON-RPC 2.0 error codes (section 5.1) and MCP's resource-not-found. */
enum {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_INTERNAL_ERROR = -32603,
	MCP_RESOURCE_NOT_FOUND = -32002, /* up to 2025-11-25; 2026-07-28 says -32602 */
	MCP_UNSUPPORTED_PROTOCOL_VERSION = -32022, /* 2026-07-28 */
};

/* The request being answered is 2026-07-28's (its _meta says so). */
static bool modern;
/* The revision initialize chose, or NULL before one. */
static const char *legacy_rev;

/* ---- output ------------------------------------------------------------------------- */

void
mcp_send_line(struct strbuf *b)
{
	sb_addc(b, '\n');
	if (fwrite(b->s, 1, b->len, stdout) != b->len || fflush(stdout) != 0)
		exit(0);
}

/* serverInfo, the identity both eras give (initialize's result; 2026-07-28's result _meta). */
static void
server_info(struct json *j, const char *key)
{
	json_key(j, key);
	json_obj_begin(j);
	json_kv_str(j, "name", "netsim");
	json_kv_str(j, "title", "netsim network simulator");
	json_kv_str(j, "version", NETSIM_VERSION);
	json_obj_end(j);
}

void
mcp_reply_begin(struct json *j, struct strbuf *b, const char *id_raw)
{
	json_init(j, b, false);
	json_obj_begin(j);
	json_kv_str(j, "jsonrpc", "2.0");
	json_key(j, "id");
	json_raw(j, id_raw);
	json_key(j, "result");
	json_obj_begin(j);
}

void
mcp_reply_end(struct json *j, struct strbuf *b, unsigned flags, const char *subscription_id)
{
	if (flags & MCP_R_MODERN) {
		/* basic/index, "ResultType"; server/utilities/caching (CacheableResult). */
		json_kv_str(j, "resultType", "complete");
		if (flags & (MCP_R_CACHE_STATIC | MCP_R_CACHE_VOLATILE)) {
			json_kv_int(j, "ttlMs", flags & MCP_R_CACHE_STATIC ? MCP_TTL_MS : 0);
			json_kv_str(j, "cacheScope", flags & MCP_R_CACHE_STATIC ? "public" : "private");
		}
	}
	if (flags & (MCP_R_MODERN | MCP_R_TOOLS_VERSION) || subscription_id != NULL) {
		json_key(j, "_meta");
		json_obj_begin(j);
		if (flags & MCP_R_MODERN)
			server_info(j, "io.modelcontextprotocol/serverInfo");
		if (flags & MCP_R_TOOLS_VERSION)
			json_kv_int(j, "netsim/toolsVersion", MCP_TOOLS_VERSION);
		if (subscription_id != NULL) {
			json_key(j, "io.modelcontextprotocol/subscriptionId");
			json_raw(j, subscription_id);
		}
		json_obj_end(j);
	}
	json_obj_end(j);
	json_obj_end(j);
	mcp_send_line(b);
}

/* The result's end in the request's era; FLAGS: MCP_R_CACHE_*, MCP_R_TOOLS_VERSION. */
static void
reply_end(struct json *j, struct strbuf *b, unsigned flags)
{
	mcp_reply_end(j, b, flags | (modern ? MCP_R_MODERN : 0), NULL);
}

/* An error; DATA (encoded JSON, or NULL) is its data member. */
static void __attribute__((format(printf, 4, 5)))
reply_error_data(const char *id_raw, int code, const char *data, const char *fmt, ...)
{
	struct strbuf b = STRBUF_INIT, msg = STRBUF_INIT;
	struct json j;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&msg, fmt, ap);
	va_end(ap);
	json_init(&j, &b, false);
	json_obj_begin(&j);
	json_kv_str(&j, "jsonrpc", "2.0");
	json_key(&j, "id");
	json_raw(&j, id_raw);
	json_key(&j, "error");
	json_obj_begin(&j);
	json_kv_int(&j, "code", code);
	json_kv_str(&j, "message", sb_str(&msg));
	if (data != NULL) {
		json_key(&j, "data");
		json_raw(&j, data);
	}
	json_obj_end(&j);
	json_obj_end(&j);
	mcp_send_line(&b);
	sb_free(&b);
	sb_free(&msg);
}

#define reply_error(id_raw, code, ...) reply_error_data(id_raw, code, NULL, __VA_ARGS__)

static void
empty_result(const char *id)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	mcp_reply_begin(&j, &b, id);
	reply_end(&j, &b, 0);
	sb_free(&b);
}

/* ---- resources: the shipped topologies and docs ------------------------------------- */

/*
 * Where the shipped files are: beside the binary in a checkout (./netsim,
 * build-san/netsim), or where `make install` puts them
 * (PREFIX/share/doc/netsim/{docs,examples/topologies}).
 */
static char *
shipped_dir(const char *kind)
{
	static const char *const up[] = {"", "/..", "/../share/doc/netsim",
	    "/../share/doc/netsim/examples"};
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		char *d = xasprintf("%s%s/%s", exe, up[i], kind), *real = realpath(d, NULL);

		free(d);
		if (real != NULL)
			return real;
	}
	return NULL;
}

static const struct rkind {
	const char *dir, *ext, *mime, *what;
} rkinds[] = {
    {"topologies", ".yaml", "application/yaml", "netsim topology"},
    {"docs", ".md", "text/markdown", "netsim manual page"},
};

/* A file name of the kind: no directory part, no hidden file, the kind's extension. */
static bool
rname_ok(const struct rkind *k, const char *name)
{
	size_t n = strlen(name), e = strlen(k->ext);

	return n > e && name[0] != '.' && strchr(name, '/') == NULL &&
	    strcmp(name + n - e, k->ext) == 0;
}

/* netsim://KIND/FILE as a path (malloc'd), or NULL when it names no shipped file. */
static char *
resource_path(const char *uri, const struct rkind **kind)
{
	static const char scheme[] = "netsim://";

	if (strncmp(uri, scheme, sizeof(scheme) - 1) != 0)
		return NULL;
	uri += sizeof(scheme) - 1;
	for (size_t i = 0; i < sizeof(rkinds) / sizeof(rkinds[0]); i++) {
		const struct rkind *k = &rkinds[i];
		size_t n = strlen(k->dir);
		char *dir, *path;

		if (strncmp(uri, k->dir, n) != 0 || uri[n] != '/' || !rname_ok(k, uri + n + 1))
			continue;
		if ((dir = shipped_dir(k->dir)) == NULL)
			return NULL;
		path = xasprintf("%s/%s", dir, uri + n + 1);
		free(dir);
		if (access(path, R_OK) != 0) {
			free(path);
			return NULL;
		}
		*kind = k;
		return path;
	}
	return NULL;
}

char *
mcp_shipped_topology(const char *file)
{
	const struct rkind *k;
	char *uri = xasprintf("netsim://topologies/%s", file), *path = resource_path(uri, &k);

	free(uri);
	return path;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
resources_list(const char *id)
{
	struct strbuf b = STRBUF_INIT, err = STRBUF_INIT;
	struct json j;

	mcp_reply_begin(&j, &b, id);
	json_key(&j, "resources");
	json_arr_begin(&j);
	for (size_t i = 0; i < sizeof(rkinds) / sizeof(rkinds[0]); i++) {
		const struct rkind *k = &rkinds[i];
		char *dir = shipped_dir(k->dir), **v = NULL;
		size_t n = 0, cap = 0;
		DIR *d = dir ? opendir(dir) : NULL;
		struct dirent *e;

		while (d != NULL && (e = readdir(d)) != NULL)
			if (rname_ok(k, e->d_name))
				VEC_PUSH(v, n, cap, xstrdup(e->d_name));
		if (d != NULL)
			closedir(d);
		if (n > 1)
			qsort(v, n, sizeof(*v), str_cmp);
		for (size_t f = 0; f < n; f++) {
			char *uri = xasprintf("netsim://%s/%s", k->dir, v[f]);
			char *title = xasprintf("%s %.*s", k->what,
			    (int)(strlen(v[f]) - strlen(k->ext)), v[f]);

			json_obj_begin(&j);
			json_kv_str(&j, "uri", uri);
			json_kv_str(&j, "name", v[f]);
			json_kv_str(&j, "title", title);
			json_kv_str(&j, "mimeType", k->mime);
			json_obj_end(&j);
			free(uri);
			free(title);
			free(v[f]);
		}
		free(v);
		free(dir);
	}
	/* The running networks' event timelines (subscribable). */
	if (rundir_path(&err) != NULL) {
		char **names = rundir_list();

		for (size_t n = 0; names[n] != NULL; n++) {
			char *uri = mcp_events_uri(names[n]);
			char *title = xasprintf("events of network %s", names[n]);

			json_obj_begin(&j);
			json_kv_str(&j, "uri", uri);
			json_kv_str(&j, "name", names[n]);
			json_kv_str(&j, "title", title);
			json_kv_str(&j, "mimeType", "application/json");
			json_obj_end(&j);
			free(uri);
			free(title);
			free(names[n]);
		}
		free(names);
	}
	sb_free(&err);
	json_arr_end(&j);
	/* The running networks come and go, and are this user's. */
	reply_end(&j, &b, MCP_R_CACHE_VOLATILE);
	sb_free(&b);
}

static void
reply_resource(const char *id, const char *uri, const char *mime, const char *text, unsigned cache)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	mcp_reply_begin(&j, &b, id);
	json_key(&j, "contents");
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_kv_str(&j, "uri", uri);
	json_kv_str(&j, "mimeType", mime);
	json_kv_str(&j, "text", text);
	json_obj_end(&j);
	json_arr_end(&j);
	reply_end(&j, &b, cache);
	sb_free(&b);
}

/* A running network's events resource: the events tool's result (all kept). false: none. */
static bool
events_read(const char *id, const char *uri)
{
	char *name = mcp_events_uri_network(uri);
	struct strbuf text = STRBUF_INIT;
	struct jval *ev = NULL;
	struct json j;
	bool ok = false;

	if (name != NULL && (ev = mcp_events_since(name, NULL, &ok)) != NULL && ok) {
		json_init(&j, &text, true);
		wire_value(&j, ev, 0);
		reply_resource(id, uri, "application/json", sb_str(&text), MCP_R_CACHE_VOLATILE);
	}
	jval_free(ev);
	free(name);
	sb_free(&text);
	return ok;
}

static void
resources_read(const char *id, const struct jval *params)
{
	const char *uri = jval_str(params, "uri");
	const struct rkind *k;
	struct strbuf text = STRBUF_INIT;
	char *path;

	if (uri == NULL) {
		reply_error(id, RPC_INVALID_PARAMS, "resources/read needs a \"uri\" string");
		return;
	}
	if ((path = resource_path(uri, &k)) == NULL && events_read(id, uri))
		return;
	if (path == NULL) {
		sb_add(&text, "no such resource: ");
		json_escape(&text, uri);
		reply_error(id, modern ? RPC_INVALID_PARAMS : MCP_RESOURCE_NOT_FOUND, "%s",
		    sb_str(&text));
		sb_free(&text);
		return;
	}
	if (sb_read_file(&text, path, MCP_MAX_RESOURCE) < 0)
		reply_error(id, RPC_INTERNAL_ERROR, "%s: %s", path, strerror(errno));
	else
		reply_resource(id, uri, k->mime, sb_str(&text), MCP_R_CACHE_STATIC);
	free(path);
	sb_free(&text);
}

/* resources/subscribe, resources/unsubscribe: the events of a running network. */
static void
resources_subscribe(const char *id, const struct jval *params, bool on)
{
	const char *uri = jval_str(params, "uri");
	struct strbuf q = STRBUF_INIT;

	if (uri == NULL) {
		reply_error(id, RPC_INVALID_PARAMS, "resources/%ssubscribe needs a \"uri\" string",
		    on ? "" : "un");
	} else if (on && !mcp_subscribe(uri)) {
		json_escape(&q, uri);
		reply_error(id, MCP_RESOURCE_NOT_FOUND,
		    "no such resource to subscribe to: %s (netsim://networks/NAME/events of a "
		    "running network)", sb_str(&q));
	} else {
		if (!on)
			mcp_unsubscribe(uri);
		empty_result(id);
	}
	sb_free(&q);
}

static void
logging_set_level(const char *id, const struct jval *params)
{
	const char *level = jval_str(params, "level");

	if (level == NULL || !mcp_set_log_level(level))
		reply_error(id, RPC_INVALID_PARAMS,
		    "logging/setLevel needs a \"level\": debug, info, notice, warning, error, "
		    "critical, alert or emergency");
	else
		empty_result(id);
}

/* ---- lifecycle, discovery, tools ---------------------------------------------------- */

/*
 * The capabilities and instructions of both eras: tools and resources, neither
 * listChanged, resources subscribable (resources/subscribe; 2026-07-28:
 * subscriptions/listen). logging only before 2026-07-28, where each new event
 * of a subscription is a message once the client set a level
 * (mcp_subscribe.c); 2026-07-28 scopes messages to a request, and no request
 * of netsim's logs.
 */
static void
server_description(struct json *j, bool logging)
{
	json_key(j, "capabilities");
	json_obj_begin(j);
	json_key(j, "tools");
	json_obj_begin(j);
	json_kv_bool(j, "listChanged", false);
	json_obj_end(j);
	json_key(j, "resources");
	json_obj_begin(j);
	json_kv_bool(j, "subscribe", true);
	json_kv_bool(j, "listChanged", false);
	json_obj_end(j);
	if (logging) {
		json_key(j, "logging");
		json_obj_begin(j);
		json_obj_end(j);
	}
	json_obj_end(j);
	json_kv_str(j, "instructions",
	    "netsim simulates networks deterministically, packet by packet. Start a network "
	    "with network_start (netsim://topologies/ospf-triangle.yaml is a small OSPF one), "
	    "inspect devices with device_command (\"show ip route\", \"show ip ospf "
	    "neighbor\"), change it with link_set, node_set or device commands, converge or "
	    "advance time, ping and traceroute, read events (or subscribe to "
	    "netsim://networks/NAME/events), "
	    "check intents with verify (reachability, paths, routes, no loops), fork it to try "
	    "a change on a copy and compare the two with diff, and network_stop it when done. "
	    "Networks are daemons of this user and outlive this server.");
}

static void
initialize(const char *id, const struct jval *params)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;
	const char *want = params != NULL ? jval_str(params, "protocolVersion") : NULL;
	const char *rev = mcp_protocols[1];

	/* Lifecycle, version negotiation: the client's revision if spoken, else ours (it may disconnect). */
	for (size_t i = 1; want != NULL && i < MCP_NPROTOCOLS; i++)
		if (strcmp(want, mcp_protocols[i]) == 0)
			rev = mcp_protocols[i];
	legacy_rev = rev;
	mcp_reply_begin(&j, &b, id);
	json_kv_str(&j, "protocolVersion", rev);
	server_description(&j, true);
	server_info(&j, "serverInfo");
	reply_end(&j, &b, MCP_R_TOOLS_VERSION);
	sb_free(&b);
}

/* server/discover (2026-07-28, server/discover): the revisions, capabilities, identity. */
static void
discover(const char *id)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	mcp_reply_begin(&j, &b, id);
	/* All spoken: the client picks; the older ones are spoken after an initialize. */
	json_key(&j, "supportedVersions");
	json_arr_begin(&j);
	for (size_t i = 0; i < MCP_NPROTOCOLS; i++)
		json_str(&j, mcp_protocols[i]);
	json_arr_end(&j);
	server_description(&j, false);
	reply_end(&j, &b, MCP_R_CACHE_STATIC | MCP_R_TOOLS_VERSION);
	sb_free(&b);
}

static void
tools_list(const char *id)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	mcp_reply_begin(&j, &b, id);
	json_key(&j, "tools");
	mcp_tools_list(&j);
	reply_end(&j, &b, MCP_R_CACHE_STATIC);
	sb_free(&b);
}

static void
tools_call(const char *id, const struct jval *params)
{
	const char *name = jval_str(params, "name");
	const struct jval *args = jval_get(params, "arguments");
	struct mcp_result res = {STRBUF_INIT, STRBUF_INIT, false};
	struct strbuf b = STRBUF_INIT, err = STRBUF_INIT, text = STRBUF_INIT;
	struct jval *sv;
	struct json j;
	char perr[128];

	if (name == NULL) {
		reply_error(id, RPC_INVALID_PARAMS, "tools/call needs a \"name\" string");
		return;
	}
	switch (mcp_tool_call(name, args, &res, &err)) {
	case MCP_CALL_UNKNOWN_TOOL:
	case MCP_CALL_BAD_ARGS:
		reply_error(id, RPC_INVALID_PARAMS, "%s", sb_str(&err));
		goto out;
	case MCP_CALL_OK:
		break;
	}
	/*
	 * The text block: the failure's message, or the structured content as
	 * pretty JSON (what MCP asks of a tool that returns structured content).
	 */
	if ((sv = json_parse(res.structured.s, res.structured.len, perr, sizeof(perr))) == NULL) {
		reply_error(id, RPC_INTERNAL_ERROR, "%s made no JSON: %s", name, perr);
		goto out;
	}
	if (res.is_error) {
		sb_add(&text, sb_str(&res.message));
	} else {
		json_init(&j, &text, true);
		wire_value(&j, sv, 0);
	}
	mcp_reply_begin(&j, &b, id);
	json_key(&j, "content");
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_kv_str(&j, "type", "text");
	json_kv_str(&j, "text", sb_str(&text));
	json_obj_end(&j);
	json_arr_end(&j);
	json_key(&j, "structuredContent");
	wire_value(&j, sv, 2);
	json_kv_bool(&j, "isError", res.is_error);
	reply_end(&j, &b, 0);
	jval_free(sv);
out:
	sb_free(&res.structured);
	sb_free(&res.message);
	sb_free(&b);
	sb_free(&err);
	sb_free(&text);
}

/* subscriptions/listen (2026-07-28, basic/patterns/subscriptions): open until it ends. */
static void
subscriptions_listen(const char *id, const struct jval *params)
{
	const struct jval *f = params != NULL ? jval_get(params, "notifications") : NULL;
	const struct jval *uris = f != NULL && f->type == J_OBJ ? jval_get(f, "resourceSubscriptions")
	                                                         : NULL;
	const char **v;

	if (f == NULL || f->type != J_OBJ) {
		reply_error(id, RPC_INVALID_PARAMS, "subscriptions/listen needs a \"notifications\" object");
		return;
	}
	if (uris != NULL && uris->type != J_ARR) {
		reply_error(id, RPC_INVALID_PARAMS, "\"resourceSubscriptions\" must be an array of URIs");
		return;
	}
	for (size_t i = 0; uris != NULL && i < uris->n; i++)
		if (uris->elem[i]->type != J_STR) {
			reply_error(id, RPC_INVALID_PARAMS,
			    "\"resourceSubscriptions\" must be an array of URIs");
			return;
		}
	/* Its id names its notifications: it must not be in use (basic/index, "Requests"). */
	if (mcp_listening(id)) {
		reply_error(id, RPC_INVALID_REQUEST, "a subscriptions/listen with this id is open");
		return;
	}
	v = xcalloc(uris != NULL && uris->n > 0 ? uris->n : 1, sizeof(*v));
	for (size_t i = 0; uris != NULL && i < uris->n; i++)
		v[i] = uris->elem[i]->str;
	mcp_listen(id, v, uris != NULL ? uris->n : 0, uris != NULL);
	free(v);
}

/*
 * A 2026-07-28 request's _meta (basic/index, "_meta"; basic/versioning): true
 * when it is well formed and names the revision, else answered with the error.
 */
static bool
meta_ok(const char *id, const struct jval *meta)
{
	const struct jval *ver = meta != NULL && meta->type == J_OBJ ? jval_get(meta, META_VERSION)
	                                                             : NULL;
	const struct jval *caps = ver != NULL ? jval_get(meta, META_CAPS) : NULL;
	const struct jval *who = ver != NULL ? jval_get(meta, META_CLIENT) : NULL;
	const struct jval *level = ver != NULL ? jval_get(meta, META_LOGLEVEL) : NULL;

	if (ver == NULL || ver->type != J_STR) {
		reply_error(id, RPC_INVALID_PARAMS,
		    "no protocol version: a request carries \"_meta\": {\"" META_VERSION "\": \""
		    MCP_MODERN_REVISION "\", \"" META_CAPS "\": {...}} (or the session begins with "
		    "initialize, for 2025-11-25 and 2025-06-18)");
		return false;
	}
	if (strcmp(ver->str, MCP_MODERN_REVISION) != 0) {
		struct strbuf data = STRBUF_INIT;
		struct json j;

		json_init(&j, &data, false);
		json_obj_begin(&j);
		json_key(&j, "supported");
		json_arr_begin(&j);
		for (size_t i = 0; i < MCP_NPROTOCOLS; i++)
			json_str(&j, mcp_protocols[i]);
		json_arr_end(&j);
		json_kv_str(&j, "requested", ver->str);
		json_obj_end(&j);
		reply_error_data(id, MCP_UNSUPPORTED_PROTOCOL_VERSION, sb_str(&data),
		    "Unsupported protocol version: per-request _meta speaks " MCP_MODERN_REVISION
		    "; 2025-11-25 and 2025-06-18 are negotiated at initialize");
		sb_free(&data);
		return false;
	}
	if (caps == NULL || caps->type != J_OBJ) {
		reply_error(id, RPC_INVALID_PARAMS, "\"_meta\" has no \"" META_CAPS "\" object");
		return false;
	}
	if (who != NULL && (who->type != J_OBJ || jval_str(who, "name") == NULL ||
	    jval_str(who, "version") == NULL)) {
		reply_error(id, RPC_INVALID_PARAMS,
		    "\"" META_CLIENT "\" must be an object with \"name\" and \"version\"");
		return false;
	}
	/* A level is accepted; no request of netsim's sends notifications/message. */
	if (level != NULL && (level->type != J_STR || mcp_log_level(level->str) < 0)) {
		reply_error(id, RPC_INVALID_PARAMS,
		    "\"" META_LOGLEVEL "\" is one of debug, info, notice, warning, error, critical, "
		    "alert, emergency");
		return false;
	}
	return true;
}

static void
method_not_found(const char *id, const char *method)
{
	struct strbuf q = STRBUF_INIT;

	json_escape(&q, method);
	reply_error(id, RPC_METHOD_NOT_FOUND, "method not found%s: %s",
	    modern ? " in " MCP_MODERN_REVISION : "", sb_str(&q));
	sb_free(&q);
}

/* Both eras' methods; then each era's own. */
static void
dispatch(const char *id, const char *method, const struct jval *params)
{
	if (strcmp(method, "tools/list") == 0) {
		tools_list(id);
	} else if (strcmp(method, "tools/call") == 0) {
		tools_call(id, params);
	} else if (strcmp(method, "resources/list") == 0) {
		resources_list(id);
	} else if (strcmp(method, "resources/read") == 0) {
		resources_read(id, params);
	} else if (modern) {
		/* initialize, ping, logging/setLevel, resources/(un)subscribe are gone. */
		if (strcmp(method, "server/discover") == 0)
			discover(id);
		else if (strcmp(method, "subscriptions/listen") == 0)
			subscriptions_listen(id, params);
		else
			method_not_found(id, method);
	} else if (strcmp(method, "initialize") == 0) {
		initialize(id, params);
	} else if (strcmp(method, "ping") == 0) {
		empty_result(id);
	} else if (strcmp(method, "resources/subscribe") == 0) {
		resources_subscribe(id, params, true);
	} else if (strcmp(method, "resources/unsubscribe") == 0) {
		resources_subscribe(id, params, false);
	} else if (strcmp(method, "logging/setLevel") == 0) {
		logging_set_level(id, params);
	} else {
		method_not_found(id, method);
	}
}

/* ---- the message loop --------------------------------------------------------------- */

static bool
id_ok(const struct jval *id)
{
	return id->type == J_STR || (id->type == J_NUM && isfinite(id->num));
}

/* notifications/cancelled: the only request left open to cancel is a subscriptions/listen. */
static void
cancelled(const struct jval *params)
{
	const struct jval *rid = params != NULL && params->type == J_OBJ ? jval_get(params, "requestId")
	                                                                 : NULL;
	char *id;

	if (rid == NULL || !id_ok(rid))
		return;
	id = wire_id_value(rid);
	mcp_listen_cancel(id);
	free(id);
}

static void
handle(const char *line, size_t len)
{
	const struct jval *idv, *params, *method_v, *meta;
	const char *method, *jsonrpc;
	struct jval *m;
	char perr[128], *id;

	if ((m = json_parse(line, len, perr, sizeof(perr))) == NULL) {
		reply_error("null", RPC_PARSE_ERROR, "parse error: %s", perr);
		return;
	}
	id = wire_id(m->type == J_OBJ ? m : NULL);
	idv = m->type == J_OBJ ? jval_get(m, "id") : NULL;
	method_v = m->type == J_OBJ ? jval_get(m, "method") : NULL;
	method = jval_str(m, "method");
	jsonrpc = m->type == J_OBJ ? jval_str(m, "jsonrpc") : NULL;
	params = m->type == J_OBJ ? jval_get(m, "params") : NULL;
	meta = params != NULL && params->type == J_OBJ ? jval_get(params, "_meta") : NULL;
	/*
	 * The era: 2026-07-28 when the request names a version in its _meta, or
	 * when no initialize chose an older revision (then the _meta is missing:
	 * malformed); initialize itself chooses the older ones.
	 */
	modern = (meta != NULL && meta->type == J_OBJ && jval_get(meta, META_VERSION) != NULL) ||
	    (legacy_rev == NULL && (method == NULL || strcmp(method, "initialize") != 0));
	if (m->type != J_OBJ) {
		reply_error("null", RPC_INVALID_REQUEST,
		    m->type == J_ARR ? "batches are not part of MCP 2025-06-18 and later"
		                     : "a message is a JSON object");
	} else if (method_v == NULL && idv != NULL &&
	    (jval_get(m, "result") != NULL || jval_get(m, "error") != NULL)) {
		/* A response to a request of ours: we send none, so there is nothing to match. */
	} else if (jsonrpc == NULL || strcmp(jsonrpc, "2.0") != 0) {
		reply_error(id, RPC_INVALID_REQUEST, "\"jsonrpc\" must be \"2.0\"");
	} else if (method == NULL) {
		reply_error(id, RPC_INVALID_REQUEST, "no \"method\" string");
	} else if (idv != NULL && !id_ok(idv)) {
		reply_error("null", RPC_INVALID_REQUEST, "\"id\" must be a string or a number");
	} else if (idv == NULL) {
		/* Notifications (initialized, cancelled...) get no reply, known or not. */
		if (strcmp(method, "notifications/cancelled") == 0)
			cancelled(params);
	} else if (params != NULL && params->type != J_OBJ) {
		reply_error(id, RPC_INVALID_PARAMS, "\"params\" must be an object");
	} else if (!modern || meta_ok(id, meta)) {
		dispatch(id, method, params);
	}
	free(id);
	jval_free(m);
}

int
cmd_mcp(int argc, char **argv)
{
	struct strbuf line = STRBUF_INIT;
	bool too_long = false;
	char buf[65536];
	ssize_t got;

	if (argc > 1) {
		FILE *f = strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ? stdout
		                                                                      : stderr;

		fprintf(f, "usage: netsim mcp\n"
		           "  a Model Context Protocol server (revisions 2026-07-28, 2025-11-25, 2025-06-18)\n"
		           "  on stdin/stdout\n"
		           "  for agent hosts: networks as this user's daemons (docs/mcp.md)\n");
		return f == stdout ? 0 : 2;
	}
	/* A host that closed our stdout gets no SIGPIPE death mid-command: write fails, we exit. */
	signal(SIGPIPE, SIG_IGN);
	/* The command tables, to name a long output's narrowing filters (mcp_tools.c, pages). */
	proto_init_all();
	cli_setup();
	for (;;) {
		/* Quiet client, subscriptions: poll the networks now and then meanwhile. */
		if (mcp_subscribed()) {
			struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
			int r = poll(&p, 1, MCP_POLL_MS);

			if (r == 0 || (r < 0 && errno == EINTR)) {
				if (r == 0)
					mcp_subscriptions_poll();
				continue;
			}
		}
		if ((got = read(STDIN_FILENO, buf, sizeof(buf))) < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] != '\n') {
				if (line.len < MCP_MAX_LINE)
					sb_addc(&line, buf[i]);
				else
					too_long = true;
				continue;
			}
			if (line.len > 0 && line.s[line.len - 1] == '\r')
				line.len--;
			if (too_long)
				reply_error("null", RPC_INVALID_REQUEST, "message longer than %u bytes",
				    MCP_MAX_LINE);
			else if (line.len > strspn(sb_str(&line), " \t"))
				handle(line.s, line.len);
			sb_reset(&line);
			too_long = false;
			/* What the request did (a link down) shows at once, after its reply. */
			if (mcp_subscribed())
				mcp_subscriptions_poll();
		}
	}
	/* stdin ended: each subscriptions/listen open gets its response (a graceful end). */
	mcp_listen_end_all();
	sb_free(&line);
	return 0;
}
