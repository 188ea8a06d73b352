/*
 * lx_policy.h: what the files of Lua route maps share (lx_policy.c: the
 * per-thread states, the sandbox, compiling and running; lx_policy_route.c:
 * the route table a call is given and reads back; lx_policy_fn.c: route
 * maps given as functions in a Lua topology). docs/policy-lua.md.
 */
#ifndef NETSIM_LX_POLICY_H
#define NETSIM_LX_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "../cli/cli.h"
#include "../proto/policy/policy.h"
#include "lx.h"

/* Upvalue tables nested deeper than this are refused (a table holding itself is, anyway). */
#define LP_DEPTH 32
/* What a Lua topology's function becomes in the cfg tree: {lua: TOKEN} (n from 1). */
#define LP_TOKEN_FMT "--[[netsim: Lua function #%zu]]"

/* A Lua topology's route-map function: made by string.dump in this process. */
struct lp_dump {
	char *code;
	size_t len;
	char *upv; /* "return v1, v2, ...": its upvalues (plain data) as Lua text */
	int nup;
	int env;   /* which upvalue is _ENV (1-based; 0: none) */
};

/* lx_policy_fn.c: the n-th function lx_policy_function made (from 1), or NULL. */
const struct lp_dump *lp_dump_get(size_t n);

/* lx_policy.c */
/* The read-only view of the table on top, which it replaces. */
void lp_freeze(lua_State *);
/* pairs(t) in a fixed order: numbers, strings (bytes), false, true. */
int lp_pairs(lua_State *);

/* lx_policy_route.c */
/* What a call changes, checked in full before any of it reaches the route. */
struct lp_out {
	struct bgp_attr a;
	uint32_t tag;
	bool nh_unchanged, nh_peer;
	size_t used;
};

/* A value for a message: "\"x\"", 12, or its type (pushed on the stack). */
const char *lp_show(lua_State *, int idx);
/* The route table (on top), and below it the values it started with. */
void lp_push_route(lua_State *, const struct policy_route *);
/* Check the route table and read what changed into o (an error for anything wrong). */
void lp_read_back(lua_State *, const struct policy_route *, int route, int orig, struct lp_out *);

#endif
