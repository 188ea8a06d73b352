/*
 * mcp_subscribe.c: notifications of a network's events (docs/mcp.md,
 * "Notifications").
 *
 * A running network's timeline is the resource netsim://networks/NAME/events.
 * A client that subscribes to it (resources/subscribe, MCP 2025-06-18) gets
 * notifications/resources/updated whenever events were added, and, once it
 * asked for log messages (logging/setLevel), each new event as a
 * notifications/message. The daemons do not push: the server asks each
 * subscribed network for its events after every request it answered and,
 * while the client is quiet, every MCP_POLL_MS of wall time (mcp.c). The
 * events come through the events tool, so the cursor is that tool's.
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

struct sub {
	char *uri, *network, *cursor;
};

static struct sub *subs;
static size_t nsubs, capsubs;
/* The least severe level the client wants messages of; -1: none asked for. */
static int log_threshold = -1;

/* RFC 5424's severities, least severe first, as MCP names them. */
static const char *const levels[] = {"debug", "info", "notice", "warning", "error", "critical",
    "alert", "emergency"};
enum { LEVEL_INFO = 1, LEVEL_WARNING = 3 };

bool
mcp_set_log_level(const char *level)
{
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(levels[i], level) == 0) {
			log_threshold = (int)i;
			return true;
		}
	return false;
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

bool
mcp_subscribe(const char *uri)
{
	char *name = mcp_events_uri_network(uri);
	struct jval *ev;
	bool ok = false;

	if (name == NULL)
		return false;
	for (size_t i = 0; i < nsubs; i++)
		if (strcmp(subs[i].uri, uri) == 0) {
			free(name);
			return true; /* subscribed already: one subscription, one cursor */
		}
	/* From now on: the cursor after every event the daemon has now. */
	if ((ev = mcp_events_since(name, NULL, &ok)) != NULL && ok) {
		struct sub s = {xstrdup(uri), name, xstrdup(jval_str(ev, "cursor"))};

		VEC_PUSH(subs, nsubs, capsubs, s);
		name = NULL;
	}
	jval_free(ev);
	free(name);
	return ok;
}

static void
sub_free(size_t i)
{
	free(subs[i].uri);
	free(subs[i].network);
	free(subs[i].cursor);
	subs[i] = subs[--nsubs];
}

void
mcp_unsubscribe(const char *uri)
{
	for (size_t i = 0; i < nsubs; i++)
		if (strcmp(subs[i].uri, uri) == 0) {
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

static void
notify_updated(const char *uri)
{
	struct strbuf b = STRBUF_INIT;
	struct json j;

	notify_begin(&j, &b, "notifications/resources/updated");
	json_kv_str(&j, "uri", uri);
	notify_end(&j, &b);
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
		bool ok;
		struct jval *ev = mcp_events_since(s->network, s->cursor, &ok);
		const struct jval *list = ev ? jval_get(ev, "events") : NULL;
		const char *code = ev ? jval_str(ev, "errorCode") : NULL;

		if (!ok && code != NULL &&
		    (strcmp(code, "unknown-network") == 0 || strcmp(code, "daemon-died") == 0)) {
			/* Gone: one last update (the resource is not found now), and no more. */
			notify_updated(s->uri);
			notify_message(LEVEL_WARNING, s->network, NULL, jval_str(ev, "error"));
			jval_free(ev);
			sub_free(i);
			continue;
		}
		if (ok && list != NULL && list->type == J_ARR && list->n > 0) {
			notify_updated(s->uri);
			for (size_t e = 0; e < list->n && e < MCP_MAX_MESSAGES; e++)
				notify_message(LEVEL_INFO, s->network, list->elem[e], NULL);
			if (list->n > MCP_MAX_MESSAGES) {
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
