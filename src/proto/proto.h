/*
 * proto.h: the protocol plug-in interface.
 *
 * A protocol is a const table of hooks; the core never switches on protocol
 * type. The registry (proto.c) lists every protocol of this build; a protocol's
 * id is its index there, and node->pi[id] is its instance on a node (NULL when
 * the node does not run it).
 *
 * Configuration: the topology builder hands a protocol the block under its
 * name on a device (`ospf:` at device level) and on each interface (`ospf:`
 * under an interface), as cfg trees (lib/cfg.h). `config` runs first (with
 * NULL when only interfaces carry a block) and must set pi->priv; then
 * `config_iface` for each interface block. The hooks report problems with
 * cfg_error() and return -1. A YAML key naming no registered protocol is
 * an error, so a protocol that is not built yet is never silently ignored.
 *
 * Contexts: rx, timers and RIB callbacks run in the owning node's context
 * (its own events, possibly on a worker thread); config and validate while the
 * topology is built; start, stop and if_notify from global context between
 * ticks (a command, the script or a chaos action changed the node), and cmds
 * from global context too. Hooks touch only their own node's state whatever
 * the context, so they are written as if in node context (docs/protocols.md).
 */
#ifndef NETSIM_PROTO_H
#define NETSIM_PROTO_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/log.h"
#include "../lib/strbuf.h"
#include "../net/demux.h"
#include "../net/net.h"
#include "../net/rib.h"

struct cfg;
struct cli_cmd;
struct cli_ctx;
struct ip4_hdr;
struct json;

enum if_event { IF_UP, IF_DOWN, IF_ADDR };

struct proto_inst {
	const struct protocol *proto;
	struct node *node;
	void *priv;
	bool running;
	unsigned trace_bit; /* the protocol's trace flag (proto_trace_bit), cached */
};

/*
 * What a protocol receives: frames by ethertype or LLC DSAP, datagrams by IP
 * protocol number, UDP datagrams by port (demux.h). fn runs in the node's
 * context with the node's own instance, only while the instance runs; it gets
 * the packet as demux.h says for the layer, except that at DEMUX_IPPROTO the
 * IP header is already pulled (c->ip has it). fn frees the packet.
 */
struct proto_rx {
	enum demux_layer layer;
	uint16_t key;
	void (*fn)(struct proto_inst *, const struct rx_ctx *, struct pkt *);
};

struct protocol {
	const char *name;     /* the YAML key, and how commands/JSON name it */
	/* What it receives (demux.h), ended by an entry whose fn is NULL; may be NULL. */
	const struct proto_rx *rx;
	/* One-time global set-up: dissectors for `netsim decode`. */
	void (*init)(void);
	/* Configuration from the device-level block (may be called with NULL). */
	int (*config)(struct proto_inst *, const struct cfg *block);
	/* Configuration from an interface-level block. */
	int (*config_iface)(struct proto_inst *, struct iface *, const struct cfg *block);
	/*
	 * The VRF the instance runs in (vrf.h), as its device block configured it;
	 * NULL: always the default VRF. Its interface blocks must be on interfaces
	 * of that VRF.
	 */
	uint16_t (*vrf)(const struct proto_inst *);
	/*
	 * An interface whose `type:` names this protocol (`type: gre`): a
	 * tunnel the protocol implements, configured from the interface's own
	 * map (the keys it reads are its own). Runs while the interface is
	 * built, before its `mtu` is read, so it may set the default MTU.
	 */
	int (*config_tunnel)(struct proto_inst *, struct iface *, const struct cfg *iface);
	/* Cross-device checks once the whole topology is built. */
	int (*validate)(struct proto_inst *);
	void (*start)(struct proto_inst *);
	/* Stop and forget all dynamic state (node crash, protocol restart). */
	void (*stop)(struct proto_inst *);
	/* Free the instance's configuration and state. */
	void (*destroy)(struct proto_inst *);
	void (*if_notify)(struct proto_inst *, struct iface *, enum if_event);
	/* Pending work (retransmissions, scheduled SPF, unsent updates)? */
	bool (*busy)(struct proto_inst *);
	/* One line of end-of-run statistics, e.g. "18 hellos, 4 LSPs, 2 SPF runs". */
	void (*stats)(struct proto_inst *, struct strbuf *);
	/*
	 * Its part of `show ip protocols` on a node where it runs: a text section,
	 * or with c->json one member of the command's object, keyed by the
	 * protocol's name. NULL: nothing to report (connected, static).
	 */
	void (*show_protocols)(struct proto_inst *, struct cli_ctx *);
	/*
	 * Its entries of the `show ip route` legend ("O - OSPF", "IA - OSPF
	 * inter-area"), NULL-terminated; may be NULL.
	 */
	const char *const *route_codes;
	const struct cli_cmd *cmds;
	/*
	 * The node's routing policy changed at run time (proto/policy, global
	 * context between ticks): the object of that kind ("route_map",
	 * "prefix_list", ...) and name was replaced or deleted; apply what uses
	 * it again (policy_map_refers). May be NULL.
	 */
	void (*policy_changed)(struct proto_inst *, const char *kind, const char *name);
	/*
	 * IGP synchronisation (RFC 5443), between a protocol that needs a link
	 * avoided until it is ready on it (LDP) and the IGPs: igp_hold says
	 * whether ifp is to be advertised at the IGP's maximum metric now;
	 * igp_hold_changed tells an IGP that the answer for ifp changed (it
	 * originates its links again). Either may be NULL.
	 */
	bool (*igp_hold)(struct proto_inst *, const struct iface *);
	void (*igp_hold_changed)(struct proto_inst *, struct iface *);
};

extern const struct protocol *const proto_registry[];
extern const int proto_count;

int proto_id(const struct protocol *);
const struct protocol *proto_find(const char *name);
/*
 * A protocol a topology may name that this build does not have (IS-IS, BGP,
 * LDP... until they register): a topology naming it gets "not available in
 * this build" rather than "unknown key".
 */
bool proto_unavailable(const char *name);
/* The same, with the protocol's name as operators write it ("IS-IS"); NULL when not such a protocol. */
const char *proto_unavailable_title(const char *name);
/* The node's instance of p, created on first use (during configuration). */
struct proto_inst *proto_instance(struct node *, const struct protocol *);
static inline struct proto_inst *
proto_get(const struct node *n, const struct protocol *p)
{
	return n->pi ? n->pi[proto_id(p)] : NULL;
}

/* Calls for every instance on a node, in registry order. */
void proto_start_node(struct node *);
void proto_stop_node(struct node *);
void proto_destroy_node(struct node *);
void proto_if_notify(struct node *, struct iface *, enum if_event);
bool proto_busy_node(struct node *);
void proto_policy_changed_node(struct node *, const char *kind, const char *name);
/* Does a protocol of the node ask the IGPs to advertise ifp at maximum metric (RFC 5443)? */
bool proto_igp_hold(const struct node *, const struct iface *);
/* The answer changed for ifp: every IGP of the node is told. */
void proto_igp_hold_changed(struct node *, struct iface *);
/*
 * Once, before any network runs (proto_instance calls it) and before trace
 * flags are parsed: every protocol's init hook, its receivers into the demux
 * tables, and its trace flag (named after it; log.h).
 */
void proto_init_all(void);

/* A protocol's trace flag: protocols take the bits from PROTO_TRACE_SHIFT, by registry index. */
#define PROTO_TRACE_SHIFT 16
static inline unsigned
proto_trace_bit(const struct protocol *p)
{
	return 1u << (PROTO_TRACE_SHIFT + proto_id(p));
}
/* Is pi's protocol traced (`--trace NAME`)? */
static inline bool
proto_tracing(const struct proto_inst *pi)
{
	return (trace_flags & pi->trace_bit) != 0;
}

/* The built-in protocols. */
extern const struct protocol proto_connected;
extern const struct protocol proto_static;
extern const struct protocol proto_bfd;
extern const struct protocol proto_ospf;
extern const struct protocol proto_isis;
extern const struct protocol proto_bgp;
extern const struct protocol proto_gre;
extern const struct protocol proto_ldp;

#endif
