/*
 * diff.h: comparing two running networks' routing tables and adjacencies
 * (`netsim diff`, MCP's diff tool; docs/mcp.md), from each daemon's `tables`
 * network command (cli/cmd_tables.c).
 */
#ifndef NETSIM_DIFF_H
#define NETSIM_DIFF_H

#include <stddef.h>

#include "../lib/json.h"
#include "../lib/strbuf.h"

/* Daemon NAME's tables (the `tables` command's JSON), or NULL with a message in err. */
struct jval *diff_tables(const char *name, int timeout_ms, struct strbuf *err);
/*
 * The differences from a to b (two tables) as members of an open JSON object:
 * changes, addedDevices, removedDevices, devices {NAME: {routes, adjacencies},
 * each {added, removed, changed}} for the devices that differ. Returns the
 * number of changes.
 */
size_t diff_write(struct json *j, const struct jval *a, const struct jval *b);

#endif
