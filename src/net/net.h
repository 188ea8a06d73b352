/*
 * net.h: the device model: network, node, interface, link.
 *
 * A network owns its nodes and links and the engine they run on. Every node
 * is an actor of the engine (see sim/sim.h); its interfaces attach to links.
 * A link joins two interfaces (point-to-point) or more (a shared segment).
 */
#ifndef NETSIM_NET_H
#define NETSIM_NET_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/hmap.h"
#include "../lib/ip.h"
#include "../lib/rng.h"
#include "../sim/sim.h"
#include "events.h"
#include "pkt.h"

struct link;
struct node;
struct network;
struct rib;
struct nht_set;
struct bridge;
struct proto_inst;
struct policy_set;
struct pcap_writer;
struct mpls_state;
struct vrf;
struct flowset;

enum node_type { NODE_ROUTER, NODE_HOST, NODE_SWITCH };

struct if_stats {
	uint64_t rx_pkts, rx_bytes, tx_pkts, tx_bytes;
	uint64_t rx_drops, tx_drops;
};

#define VLAN_MAX 4095

/*
 * What an interface is. An Ethernet interface sends frames on its link; a
 * loopback sends nothing and is up while its node is; a tunnel hands each
 * IP datagram routed out of it to its encapsulation (tunnel_ops: GRE wraps
 * it in a new IP datagram to the tunnel's far end) and is up while the
 * encapsulation says so.
 */
enum iface_kind { IF_ETHERNET, IF_LOOPBACK, IF_TUNNEL };

struct tunnel_ops {
	const char *type; /* "gre": `show interfaces` and JSON */
	/* A datagram (p from its IP header) routed out of the tunnel to nexthop. */
	void (*output)(struct iface *, struct pkt *, uint32_t nexthop);
	/* Whether the far end is reachable now (the underlay's next-hop tracking). */
	bool (*is_up)(const struct iface *);
	/* Its two ends, for `show interfaces` (0: not known yet). */
	void (*endpoints)(const struct iface *, uint32_t *src, uint32_t *dst);
	/* Why is_up says no ("recursive routing"), NULL while up: `show interfaces`. */
	const char *(*down_reason)(const struct iface *);
};

struct iface {
	struct node *node;
	uint16_t idx; /* position in node->ifs */
	char *name;
	uint8_t mac[6];
	uint32_t addr; /* primary IPv4 address, 0 if none */
	uint8_t plen;
	uint16_t mtu;
	uint16_t vrf; /* the VRF it belongs to (vrf.h), 0: the default */
	bool admin_up;
	enum iface_kind kind;
	const struct tunnel_ops *tun; /* IF_TUNNEL */
	void *tun_priv;
	struct link *link;
	/* Switch port (802.1Q): access VLAN, or trunk with an allowed set and native VLAN. */
	bool trunk;
	uint16_t access_vlan;
	uint16_t native_vlan;
	uint8_t *allowed; /* trunk: bitmap of VLAN_MAX+1 bits, NULL = all */
	/*
	 * Router/host sub-interface "eth0.10": frames go out of the parent's link
	 * with 802.1Q tag `vlan`, and tagged frames arriving on the parent come here.
	 */
	struct iface *parent;
	uint16_t vlan;
	char *description;
	struct if_stats st;
};

struct link {
	uint32_t id;
	char *name;                /* "r1:eth0--r2:eth0" */
	struct iface **ends;
	size_t nends;
	sim_time delay;
	uint64_t bandwidth;        /* bits per second, 0 = unlimited */
	double loss;               /* percent, 0..100 */
	double reorder;            /* percent of frames held back by reorder_delay (overtaken) */
	sim_time reorder_delay;    /* 0: the link's delay */
	double duplicate;          /* percent of frames delivered twice */
	struct iface *dark_from;   /* a one-way failure: every frame this end sends is lost (NULL: none) */
	bool up;
	sim_time *busy_until;      /* per end: serialisation queue */
	struct pcap_writer *pcap;
	uint64_t frames, drops, reordered, duplicated;
};

/* Per-node counters of control frames, for convergence detection. */
struct node_ctrl {
	uint64_t sent; /* control frames scheduled for delivery by this node */
	uint64_t done; /* control frames this node received (or saw dropped) */
	sim_time last; /* last control-frame arrival or RIB change at this node */
	uint64_t sent_seen, done_seen; /* what the network totals already include */
	uint64_t rib_changes; /* made in the node's own events, not yet in the network's total */
	bool busy;     /* a protocol had pending work when last asked */
};

struct node {
	struct actor actor; /* first: a node is an actor */
	struct network *net;
	uint32_t id;
	char *name;
	enum node_type type;
	uint32_t router_id;
	struct iface **ifs;
	size_t nifs, ifcap;
	struct rng rng;
	struct rib *rib; /* and the FIB view of it (fib.h) */
	struct nht_set *nht; /* next-hop tracking (nht.h), on first use */
	struct vrf *vrfs; /* VRFs other than the default (vrf.h): vrfs[i] is VRF i + 1 */
	size_t nvrfs;
	struct arp_table *arp;
	struct bridge *br;
	struct proto_inst **pi; /* indexed by protocol id */
	struct policy_set *policy; /* route maps and lists (proto/policy), NULL: none configured */
	struct ip_state *ip;
	struct mpls_state *mpls; /* the LFIB (mpls.h), on first use */
	struct node_ctrl ctrl;
	bool up; /* false while crashed */
	uint32_t crashes; /* times it went down: state a protocol kept across its own stop is gone */
	struct net_ev *evq; /* events posted from this node's context (events.h) */
	size_t nevq, evcap;
	int rank; /* `rank: N` (docs/distributed.md): the rank that runs it; -1: the partition's choice */
};

struct ev_sub {
	unsigned mask;
	ev_fn fn;
	void *arg;
	bool live;
};

struct network {
	char *name;
	char *description;
	char *file;
	struct sim sim;
	uint64_t seed;
	struct node **nodes;
	size_t nnodes, nodecap;
	struct hmap byname; /* hash of the name -> node (first of that hash) */
	struct link **links;
	size_t nlinks, linkcap;
	char *pcap_dir;
	struct ev_sub *subs; /* event subscribers (events.h) */
	size_t nsubs, subcap;
	/* Convergence (converge.c). */
	bool converged;
	sim_time converged_at;
	uint64_t ctrl_sent, ctrl_done; /* network totals of node_ctrl */
	sim_time last_activity;
	size_t nbusy;                  /* nodes with ctrl.busy set */
	unsigned converge_count;
	uint64_t rib_changes;
	/* Topology-level `timers: fast`: protocols start from their fast-timers profile. */
	bool fast_timers;
	struct flowset *flows; /* probe flows (flow.h), NULL until the first */
};

/* Building (called by the YAML loader and the Lua bindings alike). */
struct network *net_new(const char *name, uint64_t seed);
void net_free(struct network *);
/* Close the links' capture files (their last frames written), before an exit without net_free. */
void net_close_pcaps(struct network *);
struct node *net_add_node(struct network *, const char *name, enum node_type);
struct node *net_node(const struct network *, const char *name);
struct iface *node_add_iface(struct node *, const char *name);
struct iface *node_iface(const struct node *, const char *name);
struct link *net_add_link(struct network *, struct iface **ends, size_t n);
struct link *net_find_link(const struct network *, const struct iface *a, const struct iface *b);
/* Bring the network to life at time 0: connected routes, protocol start. */
void net_start(struct network *);
/* Recompute the engine's tick from the link delays. */
void net_update_tick(struct network *);

const char *node_type_name(enum node_type);
static inline sim_time
node_now(const struct node *n)
{
	return actor_now(&n->actor);
}

/* The interface's connected prefix. */
static inline struct prefix
iface_prefix(const struct iface *ifp)
{
	struct prefix p = {ifp->addr & ip_mask(ifp->plen), ifp->plen};

	return p;
}
/* Operationally up: admin up, node up, and (for non-loopbacks) its link up. */
bool iface_is_up(const struct iface *);
/*
 * The node's interface whose subnet holds addr, or NULL. These three look
 * at the default VRF's interfaces (all of them on a node without VRFs);
 * the _vrf forms at those of one VRF (vrf.h).
 */
struct iface *node_iface_for(const struct node *, uint32_t addr);
/* The node's interface whose address is addr (not 0), or NULL. */
struct iface *node_iface_with_addr(const struct node *, uint32_t addr);
/* True when addr is one of the node's own addresses. */
bool node_is_local(const struct node *, uint32_t addr);
struct iface *node_iface_for_vrf(const struct node *, uint16_t vrf, uint32_t addr);
struct iface *node_iface_with_addr_vrf(const struct node *, uint16_t vrf, uint32_t addr);
bool node_is_local_vrf(const struct node *, uint16_t vrf, uint32_t addr);
/* An address to source packets from (router id, else the first address in the default VRF). */
uint32_t node_source_addr(const struct node *);
/*
 * The router ID a protocol uses when its own block sets none (OSPF, BGP):
 * the device's router_id, else like Cisco and FRR the highest loopback
 * address, else the highest address of any interface, in the default VRF
 * where the protocols run (0: none). *how says which ("configured",
 * "highest loopback address", ...).
 */
uint32_t node_router_id(const struct node *, const char **how);

/* State changes, from global context (CLI, scripts, chaos). */
void iface_set_admin(struct iface *, bool up);
/*
 * A tunnel's encapsulation changed what is_up says (its far end became
 * reachable or not), in the node's own context: if the interface's
 * operational state flipped from was_up, post the event (with why, the
 * reason it went down, or NULL) and tell the node's protocols.
 */
void iface_tunnel_changed(struct iface *, bool was_up, const char *why);
void link_set_up(struct link *, bool up);
void node_set_up(struct node *, bool up);


#endif
