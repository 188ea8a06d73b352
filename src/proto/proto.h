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
 * under an interface), as cfg trees (topo/cfg.h). `config` runs first (with
 * NULL when only interfaces carry a block) and must set pi->priv; then
 * `config_iface` for each interface block. The hooks report problems with
 * cfg_error() and return -1. A YAML key naming no registered protocol is
 * an error, so a protocol that is not built yet is never silently ignored.
 *
 * Hooks run in the owning node's context (its own events) except config,
 * which runs while the topology is being built, and cmds, which run from
 * global context.
 */
#ifndef NETSIM_PROTO_H
#define NETSIM_PROTO_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/strbuf.h"
#include "../net/net.h"
#include "../net/rib.h"

struct cfg;
struct cli_cmd;
struct ip4_hdr;
struct json;

enum if_event { IF_UP, IF_DOWN, IF_ADDR };

struct proto_inst {
	const struct protocol *proto;
	struct node *node;
	void *priv;
	bool running;
};

struct protocol {
	const char *name;     /* the YAML key, and how commands/JSON name it */
	uint8_t ipproto;      /* IP protocol whose packets go to rx (0: none) */
	/* One-time global set-up: LLC handlers, dissectors for `netsim decode`. */
	void (*init)(void);
	/* Configuration from the device-level block (may be called with NULL). */
	int (*config)(struct proto_inst *, const struct cfg *block);
	/* Configuration from an interface-level block. */
	int (*config_iface)(struct proto_inst *, struct iface *, const struct cfg *block);
	/* Cross-device checks once the whole topology is built. */
	int (*validate)(struct proto_inst *);
	void (*start)(struct proto_inst *);
	/* Stop and forget all dynamic state (node crash, protocol restart). */
	void (*stop)(struct proto_inst *);
	/* Free the instance's configuration and state. */
	void (*destroy)(struct proto_inst *);
	/* An IP datagram for ipproto arrived; p holds the IP payload. */
	void (*rx)(struct proto_inst *, struct iface *, struct pkt *, const struct ip4_hdr *);
	void (*if_notify)(struct proto_inst *, struct iface *, enum if_event);
	/* Pending work (retransmissions, scheduled SPF, unsent updates)? */
	bool (*busy)(struct proto_inst *);
	/* One line of end-of-run statistics, e.g. "18 hellos, 4 LSPs, 2 SPF runs". */
	void (*stats)(struct proto_inst *, struct strbuf *);
	const struct cli_cmd *cmds;
};

extern const struct protocol *const proto_registry[];
extern const int proto_count;

int proto_id(const struct protocol *);
const struct protocol *proto_find(const char *name);
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
/* Hand an IP datagram to the protocol registered for its protocol number. */
bool proto_ip_rx(struct node *, struct iface *, struct pkt *, const struct ip4_hdr *);
void proto_init_all(void);

/* The built-in protocols. */
extern const struct protocol proto_connected;
extern const struct protocol proto_static;
extern const struct protocol proto_ospf;

#endif
