/*
 * mcp.h: `netsim mcp`, a Model Context Protocol server on stdio (docs/mcp.md).
 *
 *   mcp.c        the transport and the protocol: newline-delimited JSON-RPC 2.0
 *                on stdin/stdout; the stateless revision 2026-07-28 per request
 *                (server/discover) and the initialize-based ones; tools/list,
 *                tools/call, resources/list and resources/read (topologies, docs)
 *   mcp_tools.c  the tools: networks are this user's daemons, started,
 *                queried and commanded through daemon_ctl.h in-process
 *   mcp_subscribe.c  subscriptions to a network's events resource (resources/subscribe,
 *                subscriptions/listen), and the notifications they bring
 */
#ifndef NETSIM_MCP_H
#define NETSIM_MCP_H

#include <stdbool.h>

#include "../lib/json.h"
#include "../lib/strbuf.h"

/* What a tool call produced: structuredContent (a JSON object) and whether it failed. */
struct mcp_result {
	struct strbuf structured;
	struct strbuf message; /* the failure's message (isError) */
	bool is_error;
};

enum mcp_call { MCP_CALL_OK, MCP_CALL_UNKNOWN_TOOL, MCP_CALL_BAD_ARGS };

/* The "tools" array of tools/list: names, descriptions, inputSchema, annotations. */
void mcp_tools_list(struct json *);
/*
 * Run tool NAME with its arguments (an object, or NULL). MCP_CALL_OK with res
 * filled (res->is_error for a failure the tool reports); else the call is a
 * protocol error (unknown tool, arguments that do not fit the schema) with a
 * message in err.
 */
enum mcp_call mcp_tool_call(const char *name, const struct jval *args, struct mcp_result *res,
    struct strbuf *err);
/* One message on stdout (b gets its newline); a client that went away ends the server. */
void mcp_send_line(struct strbuf *b);

/* The stateless revision: a request names it in its _meta (docs/mcp.md, "Protocol"). */
#define MCP_MODERN_REVISION "2026-07-28"
/* What a result carries besides its own members (mcp_reply_end). */
enum {
	MCP_R_MODERN = 1,         /* 2026-07-28: resultType, and serverInfo in _meta */
	MCP_R_CACHE_STATIC = 2,   /* 2026-07-28's ttlMs and cacheScope: fixed for this binary */
	MCP_R_CACHE_VOLATILE = 4, /* ... stale at once, private: this user's running networks */
	MCP_R_TOOLS_VERSION = 8,  /* netsim/toolsVersion in _meta */
};
/* {"jsonrpc":"2.0","id":ID,"result":{ : the caller writes the members, then mcp_reply_end. */
void mcp_reply_begin(struct json *, struct strbuf *, const char *id_raw);
/* The members FLAGS ask for (and the subscription's id in _meta, unless NULL), and the line. */
void mcp_reply_end(struct json *, struct strbuf *, unsigned flags, const char *subscription_id);

/* netsim://networks/NAME/events: NAME (malloc'd) of such a URI, or NULL; the URI of NAME. */
char *mcp_events_uri_network(const char *uri);
char *mcp_events_uri(const char *network);
/*
 * The events tool's structured result for NETWORK after CURSOR (NULL: all
 * kept), *ok false when it is an error (its errorCode then says why).
 */
struct jval *mcp_events_since(const char *network, const char *cursor, bool *ok);
/* resources/subscribe to an events URI of a running network: false when there is none. */
bool mcp_subscribe(const char *uri);
void mcp_unsubscribe(const char *uri);
/* Any subscription, of either kind, open. */
bool mcp_subscribed(void);
/* The index of a level MCP names (debug 0 ... emergency 7), or -1. */
int mcp_log_level(const char *level);
/* logging/setLevel: false for a level MCP does not name. */
bool mcp_set_log_level(const char *level);
/*
 * subscriptions/listen (2026-07-28) with request id ID_RAW: acknowledge the
 * URIS honoured (the events of running networks; all of them when WANT_URIS),
 * and end it at once when there is none.
 */
void mcp_listen(const char *id_raw, const char *const *uris, size_t n, bool want_uris);
/* Is a subscriptions/listen with this id open? */
bool mcp_listening(const char *id_raw);
/* notifications/cancelled of a subscriptions/listen: it ends, without another word. */
void mcp_listen_cancel(const char *id_raw);
/* The server's end: every subscriptions/listen gets its response (a graceful end). */
void mcp_listen_end_all(void);
/* Ask each subscribed network for new events; notify the client of them. */
void mcp_subscriptions_poll(void);

/* A shipped topology by file name (ospf-triangle.yaml): its path (malloc'd), or NULL. */
char *mcp_shipped_topology(const char *file);

#endif
