/*
 * lx.h: internals shared by the Lua bindings.
 *
 * Files: lx_state.c (state, sandbox, limits, embedded modules, the
 * protected-call helper, output), lx_path.c (the files Lua may reach),
 * lx_match.c (pattern matching with a step limit), lx_net.c (networks: building, loading, running, time,
 * events), lx_cfg.c (Lua table -> cfg tree), lx_node.c, lx_iface.c,
 * lx_link.c (one file per exposed type), lx_handle.c (what the handle types
 * share), lx_ping.c (ping/traceroute sessions), lx_cli.c (commands:
 * dev:cmd, netsim.command, JSON <-> Lua), lx_fwd.c (FIB walks for
 * expect.no_loops), lx_run.c (`netsim run FILE.lua`, YAML hooks), lx_dir.c
 * (netsim test's directory listing), lx_policy*.c (route maps written in
 * Lua: their own sandboxed states, one per thread; lx_policy.h), repl.c
 * (console).
 *
 * Handles: every userdata a script holds is a struct lx_ref, naming its
 * network by (slot, generation) and the object by id. A closed network bumps
 * its slot's generation, so a stale handle raises a clear error instead of
 * touching freed memory.
 */
#ifndef NETSIM_LX_H
#define NETSIM_LX_H

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "../topo/runner.h"
#include "../lib/rng.h"
#include "../lib/strbuf.h"
#include "../net/net.h"
#include "../topo/topo.h"
#include "script.h"

#define LX_NET   "netsim.Network"
#define LX_NODE  "netsim.Device"
#define LX_IFACE "netsim.Interface"
#define LX_LINK  "netsim.Link"
#define LX_TIMER "netsim.Timer"
#define LX_PING  "netsim.PingStream"

enum lx_type { LXT_NET, LXT_NODE, LXT_IFACE, LXT_LINK };

struct lx_ref {
	uint32_t slot, gen;
	uint32_t id;       /* node or link id (spec index before the build) */
	int32_t sub;       /* interface index */
	char name[72];     /* for messages about stale handles */
};

struct lx_timer;
struct lx_sub;
struct lx_stream;

struct lx_net {
	struct script *s;
	uint32_t slot;
	char *name;
	struct topo *topo;       /* NULL until built */
	struct network *net;     /* topo->net */
	bool own_topo;           /* false when attached to `netsim run FILE.yaml`'s runner */
	struct runner *run;
	bool own_runner;
	bool started;
	bool live;               /* console/daemon: net:run() has marked it live */
	bool printed;            /* the summary was printed */
	int ud_ref;              /* the network's userdata (registry reference) */
	int env_ref;             /* environment of YAML hooks and console: devices as globals */
	struct lx_timer *timers;
	struct lx_sub *subs;
	struct lx_stream *streams;
	int ev_handle;           /* the bus subscription feeding timers and on() */
	uint64_t next_id;
	sim_time mark;           /* last disturbance made from Lua (chaos, config) */
	uint64_t mark_changes, mark_msgs, mark_frames; /* counters just before it */
	bool fifo_open;          /* live mode: runner output captured */
	char *fifo_buf;
	size_t fifo_len;
	FILE *fifo;
	struct rng rng;          /* math.random while this is the current network */
};

struct lx_slot {
	struct lx_net *ln;
	uint32_t gen;
};

struct lx_cmdreg;

struct script {
	lua_State *L;
	struct script_opts o;
	struct lx_slot *slots;
	size_t nslots, slotcap;
	struct lx_net *cur;        /* the current network (netsim.current(), console `net`) */
	struct rng rng;            /* math.random before any network exists */
	struct strbuf *sink;       /* print goes here when set (eval, custom commands) */
	struct strbuf pending;     /* live mode: output produced between evals */
	int failures;
	int expect_pass, expect_fail;
	int depth;                 /* Lua callbacks in progress (no net:run() inside) */
	char *main_dir;            /* directory of the scenario file, for netsim.load */
	struct lx_cmdreg *cmds;
	bool loading_topology;     /* a .lua topology loaded in live mode */
	/* netsim validate: the file stopped at its first net:run(), with this network */
	bool validate_stopped;
	size_t validate_nodes, validate_links;
	uint64_t budget_used;      /* instructions of the call being counted */
	uint64_t budget_max;       /* the budget of a counted call (0: LX_BUDGET; a route map's is smaller) */
	bool budget_on;            /* a top-level call is in progress (the count hook is set) */
	bool budget_out;           /* ...and has run out: every instruction raises until it ends */
	bool budget_free;          /* ...and is a scenario's main chunk: it is not counted */
	bool next_free;            /* the next top-level call is a scenario's main chunk */
	bool budget_spent;         /* the last counted call ran out of its budget */
	bool lua_halted;           /* netsim run: a callback ran out of its budget; no more run */
	size_t mem_used;           /* bytes the Lua state holds (the allocator counts them) */
	bool mem_over;             /* the limit was hit in this top-level call: grace for the unwind */
	char *root;                /* realpath of the topology's (scenario's) directory */
	char *cwd_root;            /* netsim run: realpath of the working directory, also allowed */
	char *open_root;           /* a daemon: `open FILE` only under this (script_confine_open) */
};

/*
 * A top-level call into Lua may run at most this many Lua instructions
 * (counted in steps of LX_BUDGET_STEP), so `while true do end` typed at a
 * console or written in a topology's hook ends with an error instead of
 * wedging the daemon or `netsim run`. The one call that is not counted is a
 * scenario's main chunk (`netsim run x.lua`): it drives the whole simulation;
 * the callbacks it registers are counted, each call on its own budget.
 * Counted in instructions, not wall time: the same chunk fails the same way.
 */
#define LX_BUDGET      200000000ULL
#define LX_BUDGET_STEP 1000000

/*
 * Pattern matching (lx_match.c) runs in C, where the count hook never fires:
 * one find/match/gsub call (or gmatch step) may take LX_MATCH_STEPS matcher
 * steps, charged to the budget above in batches of LX_MATCH_CHARGE.
 */
#define LX_MATCH_STEPS  50000000ULL
#define LX_MATCH_CHARGE 65536

/* net:run_until_converged() called from counted Lua: each engine step costs this many instructions. */
#define LX_SIM_STEP_COST 100

/*
 * Every Lua state may hold LX_MEM_LIMIT bytes (a counting allocator); once
 * the limit is hit, LX_MEM_GRACE more are allowed until the top-level call
 * has unwound, so that error handling and tracebacks can still allocate.
 */
#define LX_MEM_LIMIT ((size_t)128 << 20)
#define LX_MEM_GRACE ((size_t)4 << 20)

/* lx_state.c */
struct script *lx_script(lua_State *);
/* Protected call of the function below nargs arguments; reports and counts errors. */
int lx_pcall(struct script *, int nargs, int nres, const char *what);
/* Same, but the error (message and traceback) goes to err and is not counted. */
int lx_pcall_msg(struct script *, int nargs, int nres, struct strbuf *err);
/* Run fn(L) with ud as its only argument (a light userdata), protected. */
int lx_protect(struct script *, lua_CFunction fn, void *ud, const char *what);
void lx_out(struct script *, const char *s, size_t len);
void lx_report(struct script *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lx_fail(struct script *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "file:line" of the innermost user (non-library) frame. */
const char *lx_where(lua_State *, char *buf, size_t len);
struct rng *lx_rng(struct script *);
/* Charge n instructions' worth of C work to the live budget (an error once it is spent). */
void lx_charge(lua_State *, uint64_t n);
void lx_require(lua_State *, const char *mod);
/* A duration: a number of milliseconds or a string "500ms", "2s". */
sim_time lx_checktime(lua_State *, int idx);
sim_time lx_opttime(lua_State *, int idx, sim_time dflt);
sim_time lx_fieldtime(lua_State *, int idx, const char *key, sim_time dflt);
void lx_pushtime(lua_State *, sim_time);
/*
 * A methods table: the metatable's __index falls back to it; Lua code adds methods.
 * index and tostring, when not NULL, are the metatable's __index and __tostring.
 */
void lx_newtype(lua_State *, const char *tname, const luaL_Reg *methods, lua_CFunction index,
    lua_CFunction tostring);
/* Add methods to the methods table of an existing type. */
void lx_addmethods(lua_State *, const char *tname, const luaL_Reg *methods);
/* Look key up in the methods table of the type whose metatable is at mt. */
bool lx_method(lua_State *, const char *tname, int key);

/* lx_net.c */
struct lx_net *lx_net_new(struct script *, const char *name);
void lx_net_close(struct lx_net *);
/* Free closed networks (at a safe point: no callback of theirs running). */
void lx_collect(struct script *);
struct lx_net *lx_net_get(struct script *, uint32_t slot, uint32_t gen);
struct lx_net *lx_net_of(struct script *, const struct network *);
struct lx_net *lx_checknet(lua_State *, int idx);
void lx_pushnet(lua_State *, struct lx_net *);
/* Built and started (at time 0), building it from its Lua description if needed. */
struct network *lx_live(lua_State *, struct lx_net *);
void lx_net_started(struct lx_net *);
struct lx_net *lx_net_adopt(struct script *, struct topo *, struct runner *, bool own);
void lx_net_mark(struct lx_net *);
/* The data table of a network userdata (spec, handle caches). */
void lx_pushdata(lua_State *, struct lx_net *);
int lx_netfuncs(lua_State *);
void lx_signal(struct lx_net *, const char *name, sim_time t);

/* lx_cfg.c: convert the table at idx into a cfg tree of doc. */
struct cfg_doc;
struct cfg *lx_tocfg(lua_State *, int idx, struct cfg_doc *, int line, int pos_idx, int depth,
    const char *key);

/*
 * lx_policy_fn.c: a route map given as a Lua function (at idx; key: its name):
 * the cfg {lua: TOKEN} that policy_lua_new resolves to a copy of it (its
 * code, and upvalues that are plain data), or an error on doc at line.
 */
struct cfg *lx_policy_function(lua_State *, int idx, struct cfg_doc *, int line, const char *key);

/* lx_handle.c */
/* A new handle of type tname naming object (id, sub) of ln; its name is left empty. */
struct lx_ref *lx_newref(lua_State *, struct lx_net *, const char *tname, int nuv, uint32_t id,
    int32_t sub);
/* The handle of an object, made once per network: cached at key in ln's data table cache. */
void lx_pushhandle(lua_State *, struct lx_net *, const char *cache, lua_Integer key,
    const char *tname, uint32_t id, int32_t sub, const char *name);
/* The handle at idx (of type tname) and its network; an error, naming what, once it is closed. */
struct lx_ref *lx_checkref(lua_State *, int idx, const char *tname, const char *what,
    struct lx_net **);
/*
 * The start of a handle's __index(handle, key): a method, nothing for a key that is
 * not a string, or the handle's network. Returns how many values it pushed, or -1
 * when the key (a string) is for the type's own properties: *rp and *lnp are set.
 */
int lx_index_ref(lua_State *, const char *tname, const char *what, struct lx_ref **rp,
    struct lx_net **lnp);

/* lx_node.c, lx_iface.c, lx_link.c */
void lx_pushnode(lua_State *, struct lx_net *, uint32_t id, const char *name);
void lx_pushiface(lua_State *, struct lx_net *, uint32_t node, int32_t idx, const char *name);
/* The handle of a live interface, named "device:interface". */
void lx_pushifp(lua_State *, struct lx_net *, const struct iface *);
/* A list of the handles of ifs[0..n-1]. */
void lx_pushifps(lua_State *, struct lx_net *, struct iface *const *ifs, size_t n);
void lx_pushlink(lua_State *, struct lx_net *, uint32_t id, const char *name);
struct node *lx_checknode(lua_State *, int idx, struct lx_net **);
struct lx_ref *lx_noderef(lua_State *, int idx, struct lx_net **);
struct iface *lx_checkiface(lua_State *, int idx, struct lx_net **);
struct link *lx_checklink(lua_State *, int idx, struct lx_net **);
int luaopen_netsim_node(lua_State *);
int luaopen_netsim_iface(lua_State *);
int luaopen_netsim_link(lua_State *);
int luaopen_netsim_net(lua_State *);
int luaopen_netsim_ping(lua_State *);
int luaopen_netsim_cli(lua_State *);
int luaopen_netsim_fwd(lua_State *);
int luaopen_netsim_flow(lua_State *);
/* lx_fwd.c: a list of the names of the devices ids[0..n-1]. */
void lx_pushnames(lua_State *, struct network *, const uint32_t *ids, int n);
/* A device given as a handle or a name (in ln). */
struct node *lx_tonode(lua_State *, int idx, struct lx_net *);
uint32_t lx_toaddr(lua_State *, int idx, struct lx_net *);
void lx_stream_free_all(struct lx_net *);
/* The device of the ping stream at idx, and its network in *lnp. */
struct node *lx_stream_node(lua_State *, int idx, struct lx_net **lnp);

/* lx_cli.c */
void lx_pushjval(lua_State *, const struct jval *, int depth);
bool lx_tojson(lua_State *, int idx, struct json *, int depth);
int lx_node_cmd(lua_State *, struct network *, struct node *, const char *line, bool json,
    bool full_result);
void lx_cmds_free(struct script *);

/* lx_match.c: string.find, match, gmatch, gsub with a step limit */
int lx_find(lua_State *);
int lx_match(lua_State *);
int lx_gmatch(lua_State *);
int lx_gsub(lua_State *);

/* lx_path.c: the files Lua may reach (docs/security.md) */
/* The directory of file becomes the scenario's (main_dir) and the root Lua's files must be under. */
void lx_set_root(struct script *, const char *file);
/*
 * script_path() (script.h): a file Lua asked for, as given if it exists, else
 * relative to the scenario's directory; its real path, which must be under
 * the root (or, for netsim run, the working directory).
 */
/* The same as a Lua function's: the path (kept on the stack) or an error. */
const char *lx_checkpath(lua_State *, const char *given);
/* What script_open may open: a malloc'd path (real when confined), or NULL with err. */
char *lx_open_path(struct script *, const char *given, struct strbuf *err);

/*
 * lx_dist.c: under mpirun, wrap the C methods of the handle types and of
 * netsim.core (the table at core) by what they read or change (see there).
 */
void lx_dist_wrap(lua_State *, int core);
/*
 * Under mpirun, before a network Lua built or loaded starts: partition it over
 * the ranks (dist_net_setup), or raise an error for what is not distributed
 * (a second network, a script entry runner_entry_dist refuses).
 */
void lx_dist_start(lua_State *, struct lx_net *);
/* Under mpirun: fields[0..n) of the table at idx (numbers, or tables of them) summed over the ranks. */
void lx_dist_sum(lua_State *, int idx, const char *const *fields, size_t n);
/* A count each rank keeps for its own devices (a link's frames): under mpirun, summed over the ranks. */
lua_Integer lx_dist_count(uint64_t);

/* lx_run.c */
void lx_attach_hooks(lua_State *, struct lx_net *, struct strbuf *err);
int lx_load_lua_topology(lua_State *);

#endif
