/* fwdwalk.c: following the FIBs without sending a packet (see fwdwalk.h). */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "fib.h"
#include "fwdwalk.h"
#include "rib.h"
#include "vrf.h"

#define WALK_MAX_STEPS 4096

const char *const fwd_verdict_names[] = {"delivered", "loop", "no_route", "blackhole", "down",
    "unresolved"};

/*
 * The interface with address gw of the L3 device behind ifp (across its link
 * and switches), or NULL: the one on the link (or its sub-interface) when the
 * device has gw on several (in several VRFs). The switches seen are marked in
 * an array allocated only when the first one is met: flows walk after every
 * FIB change, mostly over point-to-point links.
 */
static struct iface *
next_hop(struct network *net, struct iface *ifp, uint32_t gw)
{
	struct link *l = ifp->parent ? ifp->parent->link : ifp->link;
	struct link *queue[256];
	size_t qh = 0, qt = 0;
	bool *seen_sw = NULL;
	struct iface *found = NULL;

	if (l == NULL || !l->up)
		return NULL;
	queue[qt++] = l;
	while (qh < qt && found == NULL) {
		struct link *cur = queue[qh++];

		for (size_t e = 0; e < cur->nends && found == NULL; e++) {
			struct iface *end = cur->ends[e];
			struct node *n = end->node;

			if (end == ifp || (ifp->parent && end == ifp->parent))
				continue;
			if (!n->up || !end->admin_up)
				continue;
			if (n->type == NODE_SWITCH) {
				if (seen_sw == NULL)
					seen_sw = xcalloc(net->nnodes, sizeof(*seen_sw));
				if (seen_sw[n->id])
					continue;
				seen_sw[n->id] = true;
				for (size_t k = 0; k < n->nifs; k++) {
					struct link *nl = n->ifs[k]->link;

					if (nl && nl != cur && nl->up && n->ifs[k]->admin_up &&
					    qt < ARRAY_LEN(queue))
						queue[qt++] = nl;
				}
				continue;
			}
			for (size_t k = 0; k < n->nifs; k++) {
				struct iface *x = n->ifs[k];

				if (x->addr == gw && iface_is_up(x) &&
				    (found == NULL || x == end || x->parent == end))
					found = x;
			}
		}
	}
	free(seen_sw);
	return found;
}

static void
problem(struct fwd_walk *w, enum fwd_verdict v, uint32_t last)
{
	if (w->any_bad && !(v == FWD_LOOP && w->worst != FWD_LOOP))
		return;
	w->any_bad = true;
	w->worst = v;
	memcpy(w->bad, w->path, sizeof(*w->path) * (size_t)w->npath);
	w->nbad = w->npath;
	if (v == FWD_LOOP)
		w->bad[w->nbad++] = last;
}

static void step(struct fwd_walk *, struct node *, uint16_t vrf);

/* Follow one next hop of n. */
static void
follow(struct fwd_walk *w, struct node *n, const struct nexthop *nh)
{
	struct iface *ifp = n->ifs[nh->ifindex];
	struct iface *next;

	if (!iface_is_up(ifp)) {
		problem(w, FWD_DOWN, n->id);
		return;
	}
	next = next_hop(w->net, ifp, nh->gw ? nh->gw : w->dst);
	if (next == NULL)
		problem(w, FWD_UNRESOLVED, n->id);
	else
		step(w, next->node, next->vrf);
}

static void
step(struct fwd_walk *w, struct node *n, uint16_t vrf)
{
	struct fib_entry fe;

	if (++w->steps > WALK_MAX_STEPS)
		return;
	for (int i = 0; i < w->npath; i++)
		if (w->path[i] == n->id) {
			problem(w, FWD_LOOP, n->id);
			return;
		}
	if (w->npath >= FWD_MAX_HOPS) {
		problem(w, FWD_LOOP, n->id);
		return;
	}
	w->path[w->npath++] = n->id;
	if (node_is_local_vrf(n, vrf, w->dst)) {
		if (!w->delivered) {
			memcpy(w->good, w->path, sizeof(*w->path) * (size_t)w->npath);
			w->ngood = w->npath;
		}
		w->delivered = true;
	} else if (!n->up || n->rib == NULL) {
		problem(w, FWD_DOWN, n->id);
	} else if (!fib_lookup(node_rib(n, vrf), w->dst, &fe)) {
		problem(w, FWD_NOROUTE, n->id);
	} else if (fe.nhg == NULL || fe.nhg->n == 0) {
		problem(w, FWD_BLACKHOLE, n->id);
	} else if (w->flow_src != 0) {
		follow(w, n, fib_select_up(n, &fe, w->flow_src, w->dst));
	} else {
		for (int i = 0; i < fe.nhg->n; i++)
			follow(w, n, &fe.nhg->nh[i]);
	}
	w->npath--;
}

void
fwd_walk(struct network *net, struct node *src, uint32_t dst, uint32_t flow_src,
    struct fwd_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->net = net;
	w->dst = dst;
	w->flow_src = flow_src;
	step(w, src, VRF_DEFAULT);
}
