/*
 * mcp.h: `netsim mcp`, a Model Context Protocol server on stdio (docs/mcp.md).
 *
 *   mcp.c        the transport and the protocol: newline-delimited JSON-RPC 2.0
 *                on stdin/stdout, initialize, ping, tools/list, tools/call,
 *                resources/list and resources/read (shipped topologies, docs)
 *   mcp_tools.c  the tools: networks are this user's daemons, started,
 *                queried and commanded through daemon_ctl.h in-process
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
/* A shipped topology by file name (ospf-triangle.yaml): its path (malloc'd), or NULL. */
char *mcp_shipped_topology(const char *file);

#endif
