/*
 * policy_lua.h: the limits of a Lua route map and what it counts, beside
 * policy.h's policy_lua_new/apply/free (docs/policy-lua.md).
 *
 * A Lua route map runs in the device's context on any worker thread, in a
 * Lua state of that thread's own (src/script/lx_policy.c); these numbers
 * bound one call, so that a bad policy costs one route, never the run.
 */
#ifndef NETSIM_POLICY_LUA_H
#define NETSIM_POLICY_LUA_H

#include <stdint.h>

struct policy_lua;

/* Lua instructions one call may run (pattern-matching steps count too). */
#define POLICY_LUA_BUDGET 1000000u
/* Bytes one call may add to its thread's Lua state. */
#define POLICY_LUA_MEM ((size_t)8 << 20)

/* Calls of p that failed (each denied its route; only the first is reported). */
uint64_t policy_lua_errors(const struct policy_lua *p);

/* Close every thread's Lua state (at exit; tests). No route map may be running. */
void policy_lua_shutdown(void);

#endif
