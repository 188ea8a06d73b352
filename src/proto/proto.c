/*
 * proto.c: the registry of protocols, and the calls that fan out to every
 * protocol instance of a node. Adding a protocol = one line in the registry.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/util.h"
#include "../net/dissect.h"
#include "../net/ip4.h"
#include "../net/pkt.h"
#include "bgp/dissect.h"
#include "proto.h"

const struct protocol *const proto_registry[] = {
	&proto_connected,
	&proto_static,
	&proto_ospf,
	&proto_isis,
	&proto_bgp,
	&proto_gre,
	&proto_ldp, /* after the IGPs: it labels their routes as they are offered */
	&proto_bfd, /* last: a crash stops it first, its clients' registrations outlive it (bfd.c) */
};
const int proto_count = (int)ARRAY_LEN(proto_registry);

int
proto_id(const struct protocol *p)
{
	for (int i = 0; i < proto_count; i++)
		if (proto_registry[i] == p)
			return i;
	bug("protocol %s not registered", p->name);
}

const struct protocol *
proto_find(const char *name)
{
	for (int i = 0; i < proto_count; i++)
		if (strcmp(proto_registry[i]->name, name) == 0)
			return proto_registry[i];
	return NULL;
}

/*
 * Protocols and features netsim knows of, with how operators write them;
 * those not in the registry are not built yet.
 */
static const struct {
	const char *name, *title;
} known_protocols[] = {{"ospf", "OSPF"}, {"isis", "IS-IS"}, {"bgp", "BGP"}, {"ldp", "LDP"},
    {"rsvp", "RSVP"}, {"bfd", "BFD"}, {"mpls", "MPLS"}, {"gre", "GRE"}, {"vrf", "VRF"},
    {"rip", "RIP"}, {"eigrp", "EIGRP"}};

const char *
proto_unavailable_title(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(known_protocols); i++)
		if (strcmp(known_protocols[i].name, name) == 0)
			return proto_find(name) == NULL ? known_protocols[i].title : NULL;
	return NULL;
}

bool
proto_unavailable(const char *name)
{
	return proto_unavailable_title(name) != NULL;
}

struct proto_inst *
proto_instance(struct node *n, const struct protocol *p)
{
	int id = proto_id(p);

	proto_init_all();
	if (n->pi[id] == NULL) {
		n->pi[id] = xcalloc(1, sizeof(*n->pi[id]));
		n->pi[id]->proto = p;
		n->pi[id]->node = n;
		n->pi[id]->trace_bit = proto_trace_bit(p);
	}
	return n->pi[id];
}

void
proto_start_node(struct node *n)
{
	for (int i = 0; i < proto_count; i++) {
		struct proto_inst *pi = n->pi[i];

		if (pi && !pi->running && pi->proto->start) {
			pi->running = true;
			pi->proto->start(pi);
		}
	}
}

void
proto_stop_node(struct node *n)
{
	for (int i = proto_count - 1; i >= 0; i--) {
		struct proto_inst *pi = n->pi[i];

		if (pi && pi->running) {
			pi->running = false;
			if (pi->proto->stop)
				pi->proto->stop(pi);
		}
	}
}

void
proto_destroy_node(struct node *n)
{
	if (n->pi == NULL)
		return;
	proto_stop_node(n);
	for (int i = 0; i < proto_count; i++) {
		struct proto_inst *pi = n->pi[i];

		if (pi == NULL)
			continue;
		if (pi->proto->destroy)
			pi->proto->destroy(pi);
		free(pi);
		n->pi[i] = NULL;
	}
}

void
proto_if_notify(struct node *n, struct iface *ifp, enum if_event ev)
{
	for (int i = 0; i < proto_count; i++) {
		struct proto_inst *pi = n->pi[i];

		if (pi && pi->running && pi->proto->if_notify)
			pi->proto->if_notify(pi, ifp, ev);
	}
}

bool
proto_igp_hold(const struct node *n, const struct iface *ifp)
{
	for (int i = 0; i < proto_count; i++) {
		struct proto_inst *pi = n->pi[i];

		if (pi && pi->running && pi->proto->igp_hold && pi->proto->igp_hold(pi, ifp))
			return true;
	}
	return false;
}

void
proto_igp_hold_changed(struct node *n, struct iface *ifp)
{
	for (int i = 0; i < proto_count; i++) {
		struct proto_inst *pi = n->pi[i];

		if (pi && pi->running && pi->proto->igp_hold_changed)
			pi->proto->igp_hold_changed(pi, ifp);
	}
}

bool
proto_busy_node(struct node *n)
{
	for (int i = 0; i < proto_count; i++) {
		struct proto_inst *pi = n->pi[i];

		if (pi && pi->running && pi->proto->busy && pi->proto->busy(pi))
			return true;
	}
	return false;
}

void
proto_policy_changed_node(struct node *n, const char *kind, const char *name)
{
	for (int i = 0; n->pi != NULL && i < proto_count; i++) {
		struct proto_inst *pi = n->pi[i];

		if (pi && pi->running && pi->proto->policy_changed)
			pi->proto->policy_changed(pi, kind, name);
	}
}

/* A protocol's receiver as the demux tables hold it. */
struct rx_reg {
	const struct protocol *proto;
	const struct proto_rx *rx;
};

/* The node's running instance gets the packet; a node without one leaves it to the caller. */
static bool
proto_demux(const void *arg, const struct rx_ctx *c, struct pkt *p)
{
	const struct rx_reg *r = arg;
	struct proto_inst *pi = proto_get(c->ifp->node, r->proto);

	if (pi == NULL || !pi->running)
		return false;
	if (r->rx->layer == DEMUX_IPPROTO)
		pkt_pull(p, c->ip->hlen);
	r->rx->fn(pi, c, p);
	return true;
}

void
proto_init_all(void)
{
	static struct rx_reg regs[64];
	static int nregs;
	static bool done;

	if (done)
		return;
	done = true;
	if (PROTO_TRACE_SHIFT + proto_count > 32)
		bug("more protocols than trace flag bits");
	for (int i = 0; i < proto_count; i++) {
		const struct protocol *pr = proto_registry[i];

		trace_flag_register(pr->name, proto_trace_bit(pr));
		if (pr->init)
			pr->init();
		for (const struct proto_rx *rx = pr->rx; rx && rx->fn; rx++) {
			if (nregs == (int)ARRAY_LEN(regs))
				bug("too many protocol receivers");
			regs[nregs] = (struct rx_reg){pr, rx};
			demux_register(rx->layer, rx->key, proto_demux, &regs[nregs++]);
		}
	}
}

/*
 * Dissectors for `netsim decode`: each protocol's init hook registers its
 * codec's dissector, so decoding goes through the plug-in table.
 */
void
proto_dissect_setup(void)
{
	proto_init_all();
	/* BGP's codec exists before the protocol: until its init hook does, register it here. */
	bgp_dissect_init();
}
