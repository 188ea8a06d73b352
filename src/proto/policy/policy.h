/*
 * policy.h: routing policy, a service protocols share (BGP today): prefix
 * lists, AS-path lists, community lists and route maps, as FRR and IOS have
 * them, and route maps written in Lua.
 *
 * Configuration is device-level, beside the protocols, as on a router:
 *   prefix_lists:   {NAME: [{seq, action: permit|deny, prefix: P, ge, le}, ...]}
 *   as_path_lists:  {NAME: [{action, regex: "_65001$"}, ...]}
 *   community_lists / large_community_lists / ext_community_lists:
 *                   {NAME: [{action, members: ["65000:1", ...]} | {action, regex: "..."}]}
 *   route_maps:     {NAME: [{seq, action, match: {...}, set: {...}, on_match, continue}, ...]}
 *                   or {NAME: {lua: SOURCE}} / {NAME: {lua_file: PATH}}
 * (docs/policy.md has every key). The topology builder calls policy_config
 * with the device's map before any protocol's configuration, so that a
 * protocol resolves the names it is given (policy_find) and a missing one
 * is an error at its own file:line:col; a route map naming a missing list
 * is one at the route map's.
 *
 * A policy set is read-only while the network runs: policy_apply runs in
 * the node's context on any worker thread. A change at run time (CLI
 * `policy`, Lua node:set_policy) happens in global context between ticks,
 * replacing one named object (policy_replace); protocols are told through
 * policy_generation() and re-apply (BGP: route refresh or soft
 * reconfiguration inbound, and its Adj-RIB-Out again).
 */
#ifndef NETSIM_POLICY_H
#define NETSIM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../cli/cli.h" /* struct cli_cmd: policy_cmds is an array of them */
#include "../../lib/ip.h"
#include "../bgp/attr.h"

struct cfg;
struct cli_ctx;
struct node;
struct policy_set;
struct policy_map;

/* Room for the arrays a route map's `set` rebuilds (communities, AS path). */
#define POLICY_BUF 4096

/*
 * A route as a policy sees it. The caller fills it, with attr a stack copy
 * of the route's attributes (its arrays may point into interned sets);
 * policy_apply changes attr in place, pointing changed arrays into buf, and
 * the caller interns the result.
 */
struct policy_route {
	struct prefix pfx;
	struct bgp_attr *attr;
	uint32_t peer_addr;     /* import: the neighbor it came from; export: the neighbor it goes to; 0: none */
	uint32_t peer_as;       /* that neighbor's AS (0: none) */
	uint32_t local_as;      /* ours: `set as_path_prepend: last-as` and `prepend: [...]` checks */
	uint32_t self_addr;     /* export: our address on the session (`set next_hop: self`) */
	const char *route_type; /* "ebgp", "ibgp", "local" (a network or aggregate), or the
	                         * redistributed protocol's name ("connected", "static", "ospf", ...) */
	uint32_t tag;           /* in and out: the route tag (`match tag`, `set tag`) */
	bool nh_self;           /* out: `set next_hop: self` with self_addr 0 (export: ours on each session) */
	bool nh_unchanged;      /* out: `set next_hop: unchanged` (export: keep the NEXT_HOP as is) */
	bool nh_peer;           /* out: `set next_hop: peer-address` (the session's address; import:
	                         * the neighbor's, export: ours) */
	uint8_t buf[POLICY_BUF];
	size_t used;            /* of buf */
};

enum policy_verdict { POLICY_DENY = 0, POLICY_PERMIT = 1 };

/*
 * Parse the device-level policy keys of dev (a device map; the keys named
 * above, absent ones ignored) into n's policy set. Errors go to cfg_error
 * with the offending node's file:line:col; returns false on any.
 */
bool policy_config(struct node *n, const struct cfg *dev);
/* The device keys policy_config reads (for the builder's unknown-key check), NULL-terminated. */
extern const char *const policy_device_keys[];
void policy_set_free(struct policy_set *);

/* n's route map called name, or NULL. The pointer stays valid until the map is replaced. */
const struct policy_map *policy_find(const struct node *n, const char *name);
const char *policy_map_name(const struct policy_map *);
/*
 * Does route map `map` of n depend on the object (kind, name): is it that
 * route map, or does one of its entries match on or delete by that list?
 * (A map that does not exist depends on nothing but its own name.)
 */
bool policy_map_refers(const struct node *n, const char *map, const char *kind, const char *name);
/* Does route map `map` of n match on the neighbor (`match: {peer: ...}`)? */
bool policy_map_matches_peer(const struct node *n, const char *map);

/*
 * Run route map m over r (node context, any thread): entries in sequence
 * order, `continue` and `on_match` as FRR; no entry matched: deny (the
 * implicit deny at the end of a route map). A Lua route map's error denies
 * the route and is reported once per map (log, with file:line).
 */
enum policy_verdict policy_apply(const struct policy_map *m, struct policy_route *r);

/*
 * Replace (or add) one named object at run time (global context between
 * ticks): kind is "route_map", "prefix_list", "as_path_list",
 * "community_list", "large_community_list" or "ext_community_list", val its
 * configuration as in the topology. On error, nothing changes and false
 * is returned (cfg_error reported the place). Bumps the generation.
 */
bool policy_replace(struct node *n, const char *kind, const char *name, const struct cfg *val);
/* Delete one named object (CLI `policy delete`); false when there is none. Bumps the generation. */
bool policy_delete(struct node *n, const char *kind, const char *name);
/* Changes every policy_replace makes; a protocol compares it with the one it last applied. */
uint64_t policy_generation(const struct node *n);

/*
 * Communities as text (policy_comm.c): a standard one ("65000:1",
 * "no-export", 4 octets in host order as struct bgp_attr holds them), a
 * large one ("1:2:3", 12 octets) and an extended one ("rt:65000:1",
 * "soo:10.0.0.1:7" or "0x0002:fde8:00000001", 8 octets). False: not one.
 */
bool policy_comm_parse(const char *s, uint8_t *out);
bool policy_lcomm_parse(const char *s, uint8_t *out);
bool policy_ecomm_parse(const char *s, uint8_t *out);

/* `show route-map [NAME] [json]`, `show ip prefix-list [NAME] [json]`, ... (the node's commands). */
extern const struct cli_cmd policy_cmds[];

/* ---- Lua route maps (policy_lua.c) ---- */

struct policy_lua;
/*
 * Compile a Lua route map from source (a chunk that returns a function, or
 * the body of one: docs/policy.md); where is "file:line" for messages.
 * NULL and a message in err when it does not compile.
 */
struct policy_lua *policy_lua_new(const char *src, size_t len, const char *where, char *err,
    size_t errlen);
enum policy_verdict policy_lua_apply(struct policy_lua *, struct policy_route *);
void policy_lua_free(struct policy_lua *);

#endif
