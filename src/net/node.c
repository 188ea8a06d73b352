/* node.c: building the network: nodes, interfaces, links; run-time state changes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../proto/policy/policy.h"
#include "../proto/proto.h"
#include "../sim/dist.h"
#include "arp.h"
#include "bridge.h"
#include "dist_net.h"
#include "flow.h"
#include "mpls.h"
#include "ip4.h"
#include "net.h"
#include "nht.h"
#include "pcap.h"
#include "rib.h"
#include "tcp.h"
#include "vrf.h"

struct network *
net_new(const char *name, uint64_t seed)
{
	struct network *net = xcalloc(1, sizeof(*net));

	net->name = xstrdup(name ? name : "network");
	net->seed = seed;
	sim_init(&net->sim, SIM_MS);
	return net;
}

static void
iface_free(struct iface *ifp)
{
	free(ifp->name);
	free(ifp->description);
	free(ifp->allowed);
	free(ifp);
}

static void
node_free(struct node *n)
{
	/*
	 * The routes go first and silently: a node being freed has no one to
	 * tell, and protocols stopping then find nothing to withdraw one by one.
	 */
	rib_free(n->rib);
	n->rib = rib_new(n);
	for (size_t i = 0; i < n->nvrfs; i++) {
		rib_free(n->vrfs[i].rib);
		n->vrfs[i].rib = rib_new(n);
	}
	tcp_node_quiet(n); /* protocols closing their sessions send nothing */
	proto_destroy_node(n);
	tcp_node_free(n);
	nht_free(n);
	node_vrfs_free(n);
	for (size_t i = 0; i < n->nifs; i++)
		iface_free(n->ifs[i]);
	free(n->ifs);
	rib_free(n->rib);
	arp_free(n);
	ip_state_free(n);
	mpls_free(n);
	bridge_free(n->br);
	free(n->pi);
	policy_set_free(n->policy);
	for (size_t i = 0; i < n->nevq; i++) {
		free(n->evq[i].text);
		free(n->evq[i].text2);
	}
	free(n->evq);
	free(n->actor.heap.v);
	free(n->actor.outbox);
	free(n->name);
	free(n);
}

void
net_close_pcaps(struct network *net)
{
	for (size_t i = 0; i < net->nlinks; i++) {
		pcap_close(net->links[i]->pcap);
		net->links[i]->pcap = NULL;
	}
}

void
net_free(struct network *net)
{
	if (net == NULL)
		return;
	for (size_t i = 0; i < net->nlinks; i++) {
		struct link *l = net->links[i];

		pcap_close(l->pcap);
		free(l->ends);
		free(l->busy_until);
		free(l->name);
		free(l);
	}
	/* Pending events own memory (frames in flight): drain them first. */
	for (size_t i = 0; i < net->nnodes; i++) {
		struct theap *h = &net->nodes[i]->actor.heap;

		while (h->n > 0)
			sim_discard(theap_pop(h));
	}
	for (size_t i = 0; i < net->nnodes; i++)
		node_free(net->nodes[i]);
	flowset_free(net->flows); /* its timers were drained with the others */
	free(net->nodes);
	hmap_free(&net->byname);
	free(net->links);
	free(net->subs);
	sim_free(&net->sim);
	free(net->name);
	free(net->description);
	free(net->file);
	free(net->pcap_dir);
	free(net);
}

const char *
node_type_name(enum node_type t)
{
	static const char *const names[] = {"router", "host", "switch"};

	return names[t];
}

static uint64_t
name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

struct node *
net_node(const struct network *net, const char *name)
{
	struct node *n = hmap_get(&net->byname, name_hash(name));

	if (n == NULL || strcmp(n->name, name) == 0)
		return n;
	/* Two names with one 64-bit hash: look the slow way. */
	for (size_t i = 0; i < net->nnodes; i++)
		if (strcmp(net->nodes[i]->name, name) == 0)
			return net->nodes[i];
	return NULL;
}

struct node *
net_add_node(struct network *net, const char *name, enum node_type type)
{
	struct node *n = xcalloc(1, sizeof(*n));

	sim_add_actor(&net->sim, &n->actor);
	n->net = net;
	n->id = n->actor.id;
	n->name = xstrdup(name);
	n->type = type;
	n->up = true;
	n->rank = -1;
	rng_seed(&n->rng, net->seed, n->id + 1);
	n->pi = xcalloc((size_t)proto_count, sizeof(*n->pi));
	if (type == NODE_SWITCH) {
		n->br = bridge_new(n);
	} else {
		n->rib = rib_new(n);
		arp_init(n);
		ip_state_init(n);
	}
	VEC_PUSH(net->nodes, net->nnodes, net->nodecap, n);
	if (hmap_get(&net->byname, name_hash(name)) == NULL)
		hmap_put(&net->byname, name_hash(name), n);
	return n;
}

struct iface *
node_add_iface(struct node *n, const char *name)
{
	struct iface *ifp = xcalloc(1, sizeof(*ifp));

	ifp->node = n;
	ifp->idx = (uint16_t)n->nifs;
	ifp->name = xstrdup(name);
	/* 02:00:00:00:DD:II, locally administered, from device and interface index. */
	ifp->mac[0] = 0x02;
	ifp->mac[3] = (uint8_t)(n->id >> 8);
	ifp->mac[4] = (uint8_t)n->id;
	ifp->mac[5] = (uint8_t)ifp->idx;
	ifp->mtu = 1500;
	ifp->admin_up = true;
	ifp->kind = str_prefix(name, "lo") ? IF_LOOPBACK : IF_ETHERNET;
	ifp->access_vlan = 1;
	ifp->native_vlan = 1;
	VEC_PUSH(n->ifs, n->nifs, n->ifcap, ifp);
	return ifp;
}

struct iface *
node_iface(const struct node *n, const char *name)
{
	for (size_t i = 0; i < n->nifs; i++)
		if (strcmp(n->ifs[i]->name, name) == 0)
			return n->ifs[i];
	return NULL;
}

struct link *
net_add_link(struct network *net, struct iface **ends, size_t nends)
{
	struct link *l = xcalloc(1, sizeof(*l));
	struct strbuf name = STRBUF_INIT;

	l->id = (uint32_t)net->nlinks;
	l->ends = xmalloc(sizeof(*l->ends) * nends);
	l->busy_until = xcalloc(nends, sizeof(*l->busy_until));
	l->nends = nends;
	l->delay = SIM_MS;
	l->up = true;
	for (size_t i = 0; i < nends; i++) {
		l->ends[i] = ends[i];
		ends[i]->link = l;
		sb_printf(&name, "%s%s:%s", i ? "--" : "", ends[i]->node->name, ends[i]->name);
	}
	l->name = sb_steal(&name);
	VEC_PUSH(net->links, net->nlinks, net->linkcap, l);
	return l;
}

struct link *
net_find_link(const struct network *net UNUSED, const struct iface *a,
    const struct iface *b)
{
	if (a->link == NULL || a->link != b->link)
		return NULL;
	return a->link;
}

void
net_update_tick(struct network *net)
{
	sim_time tick = SIM_NEVER;

	for (size_t i = 0; i < net->nlinks; i++)
		tick = MIN(tick, net->links[i]->delay);
	sim_set_tick(&net->sim, tick == SIM_NEVER ? SIM_MS : tick);
}

/*
 * Carrier: on a point-to-point link an interface is up only while the far end
 * is up too (a crashed or shut-down peer takes the carrier away, as on a real
 * Ethernet cable); on a shared segment the segment itself carries the state.
 */
bool
iface_is_up(const struct iface *ifp)
{
	const struct link *l = ifp->link;

	if (!ifp->admin_up || !ifp->node->up)
		return false;
	if (ifp->kind == IF_LOOPBACK)
		return true;
	if (ifp->kind == IF_TUNNEL)
		return ifp->tun->is_up(ifp);
	if (ifp->parent)
		return iface_is_up(ifp->parent);
	if (l == NULL || !l->up)
		return false;
	if (l->nends == 2) {
		const struct iface *peer = l->ends[l->ends[0] == ifp];

		return peer->admin_up && peer->node->up;
	}
	return true;
}

struct iface *
node_iface_for(const struct node *n, uint32_t addr)
{
	return node_iface_for_vrf(n, VRF_DEFAULT, addr);
}

struct iface *
node_iface_for_vrf(const struct node *n, uint16_t vrf, uint32_t addr)
{
	struct iface *best = NULL;

	for (size_t i = 0; i < n->nifs; i++) {
		struct iface *ifp = n->ifs[i];
		struct prefix p = iface_prefix(ifp);

		if (ifp->addr == 0 || ifp->vrf != vrf || !prefix_contains(&p, addr))
			continue;
		if (best == NULL || ifp->plen > best->plen)
			best = ifp;
	}
	return best;
}

struct iface *
node_iface_with_addr(const struct node *n, uint32_t addr)
{
	return node_iface_with_addr_vrf(n, VRF_DEFAULT, addr);
}

struct iface *
node_iface_with_addr_vrf(const struct node *n, uint16_t vrf, uint32_t addr)
{
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->addr == addr && addr != 0 && n->ifs[i]->vrf == vrf)
			return n->ifs[i];
	return NULL;
}

bool
node_is_local(const struct node *n, uint32_t addr)
{
	return node_is_local_vrf(n, VRF_DEFAULT, addr);
}

bool
node_is_local_vrf(const struct node *n, uint16_t vrf, uint32_t addr)
{
	return node_iface_with_addr_vrf(n, vrf, addr) != NULL;
}

uint32_t
node_router_id(const struct node *n, const char **how)
{
	uint32_t best = 0;

	if (n->router_id) {
		*how = "configured";
		return n->router_id;
	}
	/* The protocols that ask run in the default VRF: its addresses only. */
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->kind == IF_LOOPBACK && n->ifs[i]->vrf == VRF_DEFAULT &&
		    n->ifs[i]->addr > best)
			best = n->ifs[i]->addr;
	if (best) {
		*how = "highest loopback address";
		return best;
	}
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->vrf == VRF_DEFAULT && n->ifs[i]->addr > best)
			best = n->ifs[i]->addr;
	*how = "highest interface address";
	return best;
}

uint32_t
node_source_addr(const struct node *n)
{
	if (n->router_id && node_is_local(n, n->router_id))
		return n->router_id;
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->addr && n->ifs[i]->vrf == VRF_DEFAULT)
			return n->ifs[i]->addr;
	return 0;
}

/*
 * State changes. Each change snapshots the operational state of every
 * interface it can affect (its own, and the far ends of their links), applies
 * the change, then tells the owners of the interfaces whose state flipped.
 */
struct if_snap {
	struct iface **ifs;
	bool *was;
	size_t n, cap, wcap;
	const struct node *skip; /* restarted: its protocols saw the state at start */
};

static void
snap_add(struct if_snap *s, struct iface *ifp)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ifs[i] == ifp)
			return;
	grow_array((void **)&s->was, &s->wcap, s->n + 1, sizeof(*s->was));
	s->was[s->n] = iface_is_up(ifp);
	VEC_PUSH(s->ifs, s->n, s->cap, ifp);
}

/* ifp and its sub-interfaces. */
static void
snap_with_subs(struct if_snap *s, struct iface *ifp)
{
	struct node *n = ifp->node;

	snap_add(s, ifp);
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->parent == ifp)
			snap_add(s, n->ifs[i]);
}

static void
snap_iface(struct if_snap *s, struct iface *ifp)
{
	snap_with_subs(s, ifp);
	if (ifp->link)
		for (size_t k = 0; k < ifp->link->nends; k++)
			snap_with_subs(s, ifp->link->ends[k]);
}

/* ifp's operational state flipped to up: tell the timeline, ARP or the bridge, the protocols. */
static void
notify_flip(struct iface *ifp, bool up, const char *why)
{
	struct node *n = ifp->node;

	/*
	 * A distributed run's command runs on every rank (dist_net.h): every
	 * rank flips the same interfaces, but only the owner tells the device
	 * (a ghost's protocols are not its owner's).
	 */
	if (dist_on() && dist_in_command() && n->actor.ghost)
		return;
	ev_post(n->net, n, &(struct net_ev){.kind = up ? EV_IFACE_UP : EV_IFACE_DOWN,
	    .ifindex = ifp->idx, .link = ifp->link ? (int)ifp->link->id : -1,
	    .text = (char *)why});
	if (n->type == NODE_SWITCH)
		bridge_port_down(ifp);
	else if (!up)
		arp_iface_down(ifp);
	else
		arp_announce(ifp);
	proto_if_notify(n, ifp, up ? IF_UP : IF_DOWN);
}

static void
snap_notify(struct if_snap *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct iface *ifp = s->ifs[i];
		struct node *n = ifp->node;
		bool up = iface_is_up(ifp);

		/*
		 * Each interface looked at is a place every rank passes (whether
		 * it flipped may not be: a tunnel's state on a ghost is stale).
		 */
		if (dist_on() && dist_in_command())
			dist_command_point();
		if (up == s->was[i] || !n->up || n == s->skip)
			continue;
		notify_flip(ifp, up, NULL);
	}
	free(s->ifs);
	free(s->was);
}

void
iface_tunnel_changed(struct iface *ifp, bool was_up, const char *why)
{
	bool up = iface_is_up(ifp);

	if (up != was_up && ifp->node->up)
		notify_flip(ifp, up, up ? NULL : why);
}

void
iface_set_admin(struct iface *ifp, bool up)
{
	struct if_snap s = {0};

	snap_iface(&s, ifp);
	ifp->admin_up = up;
	snap_notify(&s);
}

void
link_set_up(struct link *l, bool up)
{
	struct if_snap s = {0};

	if (l->up == up)
		return;
	for (size_t i = 0; i < l->nends; i++)
		snap_with_subs(&s, l->ends[i]);
	l->up = up;
	ev_post(l->ends[0]->node->net, NULL, &(struct net_ev){.kind = up ? EV_LINK_UP : EV_LINK_DOWN,
	    .ifindex = -1, .link = (int)l->id});
	snap_notify(&s);
}

void
node_set_up(struct node *n, bool up)
{
	struct if_snap s = {0};

	if (n->up == up)
		return;
	for (size_t i = 0; i < n->nifs; i++)
		snap_iface(&s, n->ifs[i]);
	if (dist_on() && dist_in_command() && n->actor.ghost) {
		/*
		 * A distributed run's crash or restart runs on every rank (dist_net.h):
		 * the state every rank reads (up, and so its interfaces') changes here
		 * too, but only the owner stops or starts the device's protocols.
		 */
		n->crashes += !up;
		n->up = up;
		s.skip = up ? n : NULL;
		snap_notify(&s);
		return;
	}
	if (!up) {
		/* A crash: every protocol and all learned state is lost, silently. */
		n->crashes++;
		tcp_node_quiet(n);
		proto_stop_node(n);
		tcp_node_crash(n);
		if (n->type == NODE_SWITCH)
			bridge_flush(n->br);
		else
			arp_flush(n);
		n->up = false;
		ev_post(n->net, n, &(struct net_ev){.kind = EV_NODE_DOWN, .ifindex = -1, .link = -1});
		snap_notify(&s);
		return;
	}
	n->up = true;
	ev_post(n->net, n, &(struct net_ev){.kind = EV_NODE_UP, .ifindex = -1, .link = -1});
	proto_start_node(n);
	for (size_t i = 0; i < n->nifs; i++)
		if (n->type != NODE_SWITCH)
			arp_announce(n->ifs[i]);
	s.skip = n;
	snap_notify(&s);
}

void
net_start(struct network *net)
{
	net_update_tick(net);
	for (size_t i = 0; i < net->nnodes; i++) {
		struct node *n = net->nodes[i];

		proto_start_node(n);
		if (n->type != NODE_SWITCH)
			for (size_t k = 0; k < n->nifs; k++)
				arp_announce(n->ifs[k]);
	}
}
