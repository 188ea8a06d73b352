/*
 * walk.c: the FIB walk of walk.h.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/fib.h"
#include "../net/rib.h"
#include "../net/vrf.h"
#include "walk.h"

const char *const walk_result_names[] = {"delivered", "loop", "no_route", "blackhole", "down",
    "unresolved"};

/*
 * The interface with address gw of the L3 device behind ifp (across its link
 * and switches), or NULL: the one on the link (or its sub-interface) when the
 * device has gw on several (in several VRFs). The switches seen are marked in
 * an array made when the first one is met: flows walk their paths after
 * every FIB change, mostly over point-to-point links.
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

/* A branch ended at the walk's last hop. */
static void
branch_end(struct walk *w, enum walk_result r)
{
	if (r == WALK_DELIVERED) {
		if (!w->delivered) {
			for (int i = 0; i < w->nhops; i++)
				w->good[i] = w->hops[i].node;
			w->ngood = w->nhops;
		}
		w->delivered = true;
	} else if (!w->any_bad || (r == WALK_LOOP && w->worst != WALK_LOOP)) {
		w->any_bad = true;
		w->worst = r;
		for (int i = 0; i < w->nhops; i++)
			w->bad[i] = w->hops[i].node;
		w->nbad = w->nhops;
	}
	if (w->branch != NULL)
		w->branch(w->arg, w, r);
}

static void
step(struct walk *w, struct node *n, uint16_t vrf)
{
	struct walk_hop *h;
	struct fib_entry fe;
	bool again = w->nhops >= WALK_MAX_HOPS;

	if (++w->steps > WALK_MAX_STEPS)
		return;
	for (int i = 0; i < w->nhops && !again; i++)
		again = w->hops[i].node == n->id;
	h = &w->hops[w->nhops++];
	h->node = n->id;
	h->vrf = vrf;
	h->nh = -1;
	if (again) {
		branch_end(w, WALK_LOOP);
	} else if (node_is_local_vrf(n, vrf, w->dst)) {
		branch_end(w, WALK_DELIVERED);
	} else if (!n->up || n->rib == NULL) {
		branch_end(w, WALK_DOWN);
	} else if (!fib_lookup(node_rib(n, vrf), w->dst, &fe)) {
		branch_end(w, WALK_NOROUTE);
	} else if (fe.nhg == NULL || fe.nhg->n == 0) {
		branch_end(w, WALK_BLACKHOLE);
	} else {
		/* A flow's walk: only the next hop its packets take. */
		int only = w->flow_src == 0 ? -1 :
		    (int)(fib_select_up(n, &fe, w->flow_src, w->dst) - fe.nhg->nh);

		for (int i = 0; i < fe.nhg->n; i++) {
			const struct nexthop *nh = &fe.nhg->nh[i];
			struct iface *ifp = n->ifs[nh->ifindex];
			struct iface *next;

			if (only >= 0 && i != only)
				continue;
			h->nh = i;
			if (!iface_is_up(ifp)) {
				branch_end(w, WALK_DOWN);
				continue;
			}
			next = next_hop(w->net, ifp, nh->gw ? nh->gw : w->dst);
			if (next == NULL)
				branch_end(w, WALK_UNRESOLVED);
			else
				step(w, next->node, next->vrf);
		}
	}
	w->nhops--;
}

static void
run(struct walk *w, struct network *net, struct node *src, uint32_t dst, walk_branch_fn *branch,
    void *arg, uint32_t flow_src)
{
	memset(w, 0, sizeof(*w));
	w->net = net;
	w->dst = dst;
	w->branch = branch;
	w->arg = arg;
	w->flow_src = flow_src;
	step(w, src, VRF_DEFAULT);
}

void
walk_run(struct walk *w, struct network *net, struct node *src, uint32_t dst,
    walk_branch_fn *branch, void *arg)
{
	run(w, net, src, dst, branch, arg, 0);
}

void
walk_flow(struct walk *w, struct network *net, struct node *src, uint32_t flow_src,
    uint32_t dst)
{
	run(w, net, src, dst, NULL, NULL, flow_src);
}

enum walk_result
walk_result(const struct walk *w)
{
	return w->any_bad ? w->worst : WALK_DELIVERED;
}
