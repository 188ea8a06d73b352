/*
 * mcp_subscribe.c: notifications of a network's events (docs/mcp.md,
 * "Notifications").
 *
 * A running network's timeline is the resource netsim://networks/NAME/events.
 * Under the initialize-based revisions a client subscribes to it
 * (resources/subscribe, MCP 2025-06-18) and gets
 * notifications/resources/updated whenever events were added, and, once it
 * asked for log messages (logging/setLevel), each new event as a
 * notifications/message. Under 2026-07-28 a subscriptions/listen request
 * names the URIs in its resourceSubscriptions and stays open: its
 * notifications carry its id (io.modelcontextprotocol/subscriptionId), and
 * it gets its response only when it ends (the server's end, or every network
 * it watched gone); the client reads the events with the events tool and its
 * cursor. The daemons do not push: the server asks each subscribed network
 * for its events after every request it answered and, while the client is
 * quiet, every MCP_POLL_MS of wall time (mcp.c). The events come through the
 * events tool, so the cursor is that tool's.
 */
#include <stdlib.h>
#include <string.h>

#include "../daemon/daemon.h"
#include "../daemon/wire.h"
#include "../lib/util.h"
#include "mcp.h"

/* At most this many notifications/message per network and poll; the rest are counted. */
#define MCP_MAX_MESSAGES 100

static const char uri_prefix[] = "netsim://networks/", uri_suffix[] = "/events";

/* One URI watched: by resources/subscribe (listen_id NULL), or by a subscriptions/listen. */
struct sub {
	char *uri, *network, *cursor, *listen_id;
};

static struct sub *subs;
static size_t nsubs, capsubs;
/* The least severe level the client wants messages of; -1: none asked for. */
static int log_threshold = -1;

/* RFC 5424's severities, least severe first, as MCP names them. */
static const char *const levels[] = {"debug", "info", "notice", "warning", "error", "critical",
    "alert", "emergency"};
enum { LEVEL_INFO = 1, LEVEL_WARNING = 3 };

int
mcp_log_level(const char *level)
{
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(levels[i], level) == 0)
			return (int)i;
	return -1;
}

bool
mcp_set_log_level(const char *level)
{
	int l = mcp_log_level(level);

	if (l >= 0)
		log_threshold = l;
	return l >= 0;
}

/* The network an events URI names (malloc'd), or NULL when it is not one. */
char *
mcp_events_uri_network(const char *uri)
{
	size_t p = sizeof(uri_prefix) - 1, s = sizeof(uri_suffix) - 1, n = strlen(uri);
	struct strbuf err = STRBUF_INIT;
	char *name;

	if (n <= p + s || strncmp(uri, uri_prefix, p) != 0 || strcmp(uri + n - s, uri_suffix) != 0)
		return NULL;
	name = xasprintf("%.*s", (int)(n - p - s), uri + p);
	if (!rundir_name_ok(name, &err)) {
		free(name);
		name = NULL;
	}
	sb_free(&err);
	return name;
}

char *
mcp_events_uri(const char *network)
{
	return xasprintf("%s%s%s", uri_prefix, network, uri_suffix);
}

struct jval *
mcp_events_since(const char *network, const char *cursor, bool *ok)
{
	struct mcp_result res = {STRBUF_INIT, STRBUF_INIT, false};
	struct strbuf a = STRBUF_INIT, err = STRBUF_INIT;
	struct jval *args, *out = NULL;
	struct json j;
	char perr[128];

	json_init(&j, &a, false);
	json_obj_begin(&j);
	json_kv_str(&j, "network", network);
	if (cursor != NULL)
		json_kv_str(&j, "since", cursor);
	json_obj_end(&j);
	args = json_parse(a.s, a.len, perr, sizeof(perr));
	*ok = args != NULL && mcp_tool_call("events", args, &res, &err) == MCP_CALL_OK &&
	    !res.is_error;
	if (res.structured.len > 0)
		out = json_parse(res.structured.s, res.structured.len, perr, sizeof(perr));
	if (out == NULL)
		*ok = false;
	jval_free(args);
	sb_free(&a);
	sb_free(&err);
	sb_free(&res.structured);
	sb_free(&res.message);
	return out;
}

static bool
same_listen(const struct sub *s, const char *listen_id)
{
	return listen_id == NULL ? s->listen_id == NULL
	                         : s->listen_id != NULL && strcmp(s->listen_id, listen_id) == 0;
}

/* Watch URI for LISTEN_ID (NULL: resources/subscribe): false unless a running network's events. */
static bool
sub_add(const char *uri, const char *listen_id)
{
	char *name = mcp_events_uri_network(uri);
	struct jval *ev;
	bool ok = false;

	if (name == NULL)
		return false;
	for (size_t i = 0; i < nsubs; i++)
		if (same_listen(&subs[i], listen_id) && strcmp(subs[i].uri, uri) == 0) {
			free(name);
			return true; /* subscribed already: one subscription, one cursor */
		}
	/* From now on: the cursor after every event the daemon has now. */
	if ((ev = mcp_events_since(name, NULL, &ok)) != NULL && ok) {
		struct sub s = {xstrdup(uri), name, xstrdup(jval_str(ev, "cursor")),
		    listen_id ? xstrdup(listen_id) : NULL};

		VEC_PUSH(subs, nsubs, capsubs, s);
		name = NULL;
	}
	jval_free(ev);
	free(name);
	return ok;
}

bool
mcp_subscribe(const char *uri)
{
	return sub_add(uri, NULL);
}

static void
sub_free(size_t i)
{
	free(subs[i].uri);
	free(subs[i].network);
	free(subs[i].cursor);
	free(subs[i].listen_id);
	subs[i] = subs[--nsubs];
}

void
mcp_unsubscribe(const char *uri)
{
	for (size_t i = 0; i < nsubs; i++)
		if (subs[i].listen_id == NULL && strcmp(subs[i].uri, uri) == 0) {
			sub_free(i);
			return;
		}
}

bool
mcp_subscribed(void)
{
	return nsubs > 0;
}

/* {"jsonrpc":"2.0","method":METHOD,"params":{ ... : the caller writes the params, then notify_end. */
static void
notify_begin(struct json *j, struct strbuf *b, const char *method)
{
	json_init(j, b, false);
	json_obj_begin(j);
	json_kv_str(j, "jsonrpc", "2.0");
	json_kv_str(j, "method", method);
	json_key(j, "params");
	json_obj_begin(j);
}

static void
notify_end(struct json *j, struct strbuf *b)
{
	json_obj_end(j);
	json_obj_end(j);
	mcp_send_line(b);
	sb_free(b);
}

/* The _meta of what a subscriptions/listen stream carries: its id. */
static void
meta_listen(struct json *j, const char *listen_id)
{
	json_key(j, "_meta");
	json_obj_begin(j);
	json_key(j, "io.modelcontextprotocol/subscriptionId");
	json_raw(j, listen_id);
	json_obj_end(j);
}

static void
notify_updated(const struct sub *s)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	notify_begin(&j, &b, "notifications/resources/updated");
	if (s->listen_id != NULL)
		meta_listen(&j, s->listen_id);
	json_kv_str(&j, "uri", s->uri);
	notify_end(&j, &b);
}

/* The response that ends a subscriptions/listen gracefully (its state is gone already). */
static void
listen_end(const char *listen_id)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	mcp_reply_begin(&j, &b, listen_id);
	mcp_reply_end(&j, &b, MCP_R_MODERN, listen_id);
	sb_free(&b);
}

bool
mcp_listening(const char *id_raw)
{
	for (size_t i = 0; i < nsubs; i++)
		if (same_listen(&subs[i], id_raw))
			return true;
	return false;
}

void
mcp_listen(const char *id_raw, const char *const *uris, size_t n, bool want_uris)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	/* The acknowledgment comes first; it names what is honoured, nothing else. */
	notify_begin(&j, &b, "notifications/subscriptions/acknowledged");
	meta_listen(&j, id_raw);
	json_key(&j, "notifications");
	json_obj_begin(&j);
	if (want_uris) {
		json_key(&j, "resourceSubscriptions");
		json_arr_begin(&j);
		for (size_t i = 0; i < n; i++)
			if (sub_add(uris[i], id_raw))
				json_str(&j, uris[i]);
		json_arr_end(&j);
	}
	json_obj_end(&j);
	notify_end(&j, &b);
	/* Nothing to watch: nothing would ever come; the stream ends. */
	if (!mcp_listening(id_raw))
		listen_end(id_raw);
}

/* Forget every URI of a subscriptions/listen. */
static void
listen_drop(const char *id_raw)
{
	for (size_t i = 0; i < nsubs;)
		if (same_listen(&subs[i], id_raw))
			sub_free(i);
		else
			i++;
}

void
mcp_listen_cancel(const char *id_raw)
{
	listen_drop(id_raw);
}

void
mcp_listen_end_all(void)
{
	while (nsubs > 0) {
		size_t i = 0;
		char *id;

		while (i < nsubs && subs[i].listen_id == NULL)
			sub_free(i); /* resources/subscribe: nothing to answer */
		if (i == nsubs)
			break;
		id = xstrdup(subs[i].listen_id);
		listen_drop(id);
		listen_end(id);
		free(id);
	}
}

/* A notifications/message of the network's (data: {network, event} or {network, text}). */
static void
notify_message(int level, const char *network, const struct jval *event, const char *text)
{
	struct strbuf b = STRBUF_INIT, logger = STRBUF_INIT;
	struct json j;

	if (log_threshold < 0 || level < log_threshold)
		return;
	sb_printf(&logger, "netsim/%s", network);
	notify_begin(&j, &b, "notifications/message");
	json_kv_str(&j, "level", levels[level]);
	json_kv_str(&j, "logger", sb_str(&logger));
	json_key(&j, "data");
	json_obj_begin(&j);
	json_kv_str(&j, "network", network);
	if (event != NULL) {
		json_key(&j, "event");
		wire_value(&j, event, 3);
	} else {
		json_kv_str(&j, "text", text);
	}
	json_obj_end(&j);
	notify_end(&j, &b);
	sb_free(&logger);
}

void
mcp_subscriptions_poll(void)
{
	for (size_t i = 0; i < nsubs;) {
		struct sub *s = &subs[i];
		bool ok, legacy = s->listen_id == NULL;
		struct jval *ev = mcp_events_since(s->network, s->cursor, &ok);
		const struct jval *list = ev ? jval_get(ev, "events") : NULL;
		const char *code = ev ? jval_str(ev, "errorCode") : NULL;

		if (!ok && code != NULL &&
		    (strcmp(code, "unknown-network") == 0 || strcmp(code, "daemon-died") == 0)) {
			/* Gone: one last update (the resource is not found now), and no more. */
			char *listen = legacy ? NULL : xstrdup(s->listen_id);

			notify_updated(s);
			if (legacy)
				notify_message(LEVEL_WARNING, s->network, NULL, jval_str(ev, "error"));
			jval_free(ev);
			sub_free(i);
			/* A subscriptions/listen left with nothing to watch ends (its response). */
			if (listen != NULL && !mcp_listening(listen))
				listen_end(listen);
			free(listen);
			continue; /* sub_free moved the last one to i */
		}
		if (ok && list != NULL && list->type == J_ARR && list->n > 0) {
			notify_updated(s);
			/* Messages are the initialize-based revisions' only (2026-07-28: request-scoped). */
			for (size_t e = 0; legacy && e < list->n && e < MCP_MAX_MESSAGES; e++)
				notify_message(LEVEL_INFO, s->network, list->elem[e], NULL);
			if (legacy && list->n > MCP_MAX_MESSAGES) {
				char *more = xasprintf("%zu more events (read the events resource)",
				    list->n - MCP_MAX_MESSAGES);

				notify_message(LEVEL_INFO, s->network, NULL, more);
				free(more);
			}
			free(s->cursor);
			s->cursor = xstrdup(jval_str(ev, "cursor"));
		}
		/* A network not answering now may answer next time: the subscription stays. */
		jval_free(ev);
		i++;
	}
}
