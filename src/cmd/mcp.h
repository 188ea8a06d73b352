/*
 * mcp.h: `netsim mcp`, a Model Context Protocol server on stdio (docs/mcp.md).
 *
 *   mcp.c        the transport and the protocol: newline-delimited JSON-RPC 2.0
 *                on stdin/stdout, initialize, ping, tools/list, tools/call,
 *                resources/list and resources/read (shipped topologies, docs)
 *   mcp_tools.c  the tools: networks are this user's daemons, started,
 *                queried and commanded through daemon_ctl.h in-process
 *   mcp_subscribe.c  subscriptions to a network's events resource, and the
 *                notifications (resources/updated, message) they bring
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

/* netsim://networks/NAME/events: NAME (malloc'd) of such a URI, or NULL; the URI of NAME. */
char *mcp_events_uri_network(const char *uri);
char *mcp_events_uri(const char *network);
/*
 * The events tool's structured result for NETWORK after CURSOR (NULL: all
 * kept), *ok false when it is an error (its errorCode then says why).
 */
struct jval *mcp_events_since(const char *network, const char *cursor, bool *ok);
/* Subscribe to an events URI of a running network: false when there is none. */
bool mcp_subscribe(const char *uri);
void mcp_unsubscribe(const char *uri);
bool mcp_subscribed(void);
/* logging/setLevel: false for a level MCP does not name. */
bool mcp_set_log_level(const char *level);
/* Ask each subscribed network for new events; notify the client of them. */
void mcp_subscriptions_poll(void);

/* A shipped topology by file name (ospf-triangle.yaml): its path (malloc'd), or NULL. */
char *mcp_shipped_topology(const char *file);

#endif
