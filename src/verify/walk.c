/*
 * walk.c: the FIB walk of walk.h.
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../net/dist_net.h"
#include "../net/fib.h"
#include "../net/rib.h"
#include "../net/ip4.h"
#include "../net/mpls.h"
#include "../net/vrf.h"
#include "../sim/dist.h"
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

/* A label stack a packet carries, outermost first (none: plain IPv4). */
struct stack {
	int n;
	uint32_t l[LABEL_STACK_MAX * 2];
};

/*
 * What the walk does at a device, in order: a branch that ends there, or
 * the next device the packet goes to, each with the hop's next hop and VRF
 * at that moment (walk_branch_fn reads them). A device's acts are decided
 * from its FIB and LFIB alone, so under mpirun its owner decides them
 * (walk_run_lockstep), and every rank follows.
 */
struct walk_act {
	int32_t end; /* a branch end's walk_result, or -1: on to node */
	int32_t nh;
	uint16_t vrf;
	uint16_t nvrf; /* node's VRF */
	uint32_t node;
	struct stack s; /* what the packet carries to node */
};

/* The acts of one device being decided: the device and the hop's next hop and VRF meanwhile. */
struct plan {
	struct walk *w;
	struct node *n;
	int nh;
	uint16_t vrf;
};

/* An act: a branch ending as r (next NULL), or the packet going to next with s. */
static void
act(struct plan *p, enum walk_result r, const struct iface *next, const struct stack *s)
{
	struct walk *w = p->w;
	struct walk_act a = {.end = next ? -1 : (int32_t)r, .nh = p->nh, .vrf = p->vrf};

	if (next != NULL) {
		a.node = next->node->id;
		a.nvrf = next->vrf;
		a.s = *s;
	}
	VEC_PUSH(w->acts, w->nacts, w->actcap, a);
}

/* The packet leaves out of ifp towards gw with stack s (a branch ends where it cannot). */
static void
send_on(struct plan *p, struct iface *ifp, uint32_t gw, const struct stack *s)
{
	struct iface *next;

	if (!iface_is_up(ifp)) {
		act(p, WALK_DOWN, NULL, NULL);
		return;
	}
	next = next_hop(p->w->net, ifp, gw);
	act(p, WALK_UNRESOLVED, next, s);
}

/* The datagram is routed at the device in vrf. */
static void
route(struct plan *p, uint16_t vrf)
{
	struct walk *w = p->w;
	struct node *n = p->n;
	struct fib_entry fe;
	struct rib *rib = node_rib(n, vrf);

	if (node_is_local_vrf(n, vrf, w->dst)) {
		act(p, WALK_DELIVERED, NULL, NULL);
	} else if (!fib_lookup(rib, w->dst, &fe)) {
		act(p, WALK_NOROUTE, NULL, NULL);
	} else if (fe.nhg == NULL || fe.nhg->n == 0) {
		act(p, WALK_BLACKHOLE, NULL, NULL);
	} else {
		/* A flow's walk: only the next hop its packets take. */
		int only = w->flow_src == 0 ? -1 :
		    (int)(fib_select_up(n, &fe, w->flow_src, w->dst) - fe.nhg->nh);

		for (int i = 0; i < fe.nhg->n; i++) {
			const struct nexthop *nh = &fe.nhg->nh[i];
			const struct label_stack *ls = rib_labels(rib, nh->labels);
			struct stack s = {0};

			if (only >= 0 && i != only)
				continue;
			p->nh = i;
			/* The route's labels are pushed (an LSP, a VPN route's two labels). */
			for (int k = 0; ls != NULL && k < ls->n; k++)
				s.l[s.n++] = ls->label[k];
			send_on(p, n->ifs[nh->ifindex], nh->gw ? nh->gw : w->dst, &s);
		}
	}
}

/*
 * A labelled packet at the device, as mpls_input handles it
 * (mpls_classify): the top label's LFIB entries (every one of an ECMP set,
 * or the flow's), and what each does with the stack.
 */
static void
label_switch(struct plan *p, uint16_t vrf, const struct stack *s)
{
	struct walk *w = p->w;
	struct node *n = p->n;
	size_t cnt;
	const struct mpls_entry *v = mpls_lfib_entries(n, s->l[0], &cnt);
	size_t from = 0, to = cnt > 0 ? cnt : 1;

	if (w->flow_src != 0 && cnt > 1) { /* the data plane's choice for the flow */
		from = fib_flow_hash(w->flow_src, w->dst) % cnt;
		to = from + 1;
	}
	for (size_t i = from; i < to; i++) {
		const struct mpls_entry *e = cnt > 0 ? &v[i] : NULL;
		struct stack rest = {.n = s->n - 1};
		struct iface *oif;
		uint32_t gw;

		memcpy(rest.l, s->l + 1, (size_t)rest.n * sizeof(rest.l[0]));
		switch (mpls_classify(e, s->l[0])) {
		case MPLS_OP_VPN: /* the bottom label, into its VRF */
			if (rest.n > 0) {
				act(p, WALK_BLACKHOLE, NULL, NULL);
			} else {
				p->vrf = e->vrf;
				route(p, e->vrf);
				p->vrf = vrf;
			}
			break;
		case MPLS_OP_LOCAL_POP:
			if (rest.n > 0)
				label_switch(p, vrf, &rest);
			else
				route(p, vrf);
			break;
		case MPLS_OP_BAD:
			act(p, WALK_BLACKHOLE, NULL, NULL);
			break;
		case MPLS_OP_NO_LABEL:
			act(p, WALK_NOROUTE, NULL, NULL);
			break;
		case MPLS_OP_PHP:
		case MPLS_OP_SWAP:
			if (!ip4_route(n, 0, e->via, &oif, &gw) || node_is_local(n, gw)) {
				act(p, WALK_NOROUTE, NULL, NULL);
				break;
			}
			if (mpls_classify(e, s->l[0]) == MPLS_OP_SWAP) {
				struct stack sw = {.n = e->nout + rest.n};

				if (sw.n > (int)(sizeof(sw.l) / sizeof(sw.l[0]))) {
					act(p, WALK_BLACKHOLE, NULL, NULL);
					break;
				}
				memcpy(sw.l, e->out, (size_t)e->nout * sizeof(sw.l[0]));
				memcpy(sw.l + e->nout, rest.l, (size_t)rest.n * sizeof(sw.l[0]));
				send_on(p, oif, gw, &sw);
			} else {
				send_on(p, oif, gw, &rest);
			}
			break;
		}
	}
}

/* What the walk does at n, looked at in vrf, the packet carrying s: appended to w->acts. */
static void
decide(struct walk *w, struct node *n, uint16_t vrf, const struct stack *s)
{
	struct plan p = {.w = w, .n = n, .nh = -1, .vrf = vrf};

	if (s->n == 0 && node_is_local_vrf(n, vrf, w->dst))
		act(&p, WALK_DELIVERED, NULL, NULL);
	else if (!n->up || n->rib == NULL)
		act(&p, WALK_DOWN, NULL, NULL);
	else if (s->n > 0)
		label_switch(&p, vrf, s);
	else
		route(&p, vrf);
}

/* Under mpirun (walk_run_lockstep): the acts n's owner decided, from w->acts[base], on every rank. */
static void
share(struct walk *w, const struct node *n, size_t base)
{
	struct strbuf b = STRBUF_INIT;
	int owner = dist_net_owner(w->net, n->id);

	if (owner == dist_rank)
		sb_addn(&b, (const char *)(w->acts + base), (w->nacts - base) * sizeof(*w->acts));
	dist_bcast(&b, owner);
	if (owner != dist_rank)
		for (size_t off = 0; off + sizeof(*w->acts) <= b.len; off += sizeof(*w->acts)) {
			struct walk_act a;

			memcpy(&a, b.s + off, sizeof(a));
			VEC_PUSH(w->acts, w->nacts, w->actcap, a);
		}
	sb_free(&b);
}

static void
step(struct walk *w, struct node *n, uint16_t vrf, const struct stack *s)
{
	struct walk_hop *h;
	bool again = w->nhops >= WALK_MAX_HOPS;
	size_t base = w->nacts, end;

	if (++w->steps > WALK_MAX_STEPS)
		return;
	for (int i = 0; i < w->nhops && !again; i++)
		again = w->hops[i].node == n->id;
	h = &w->hops[w->nhops++];
	h->node = n->id;
	h->vrf = vrf;
	h->nh = -1;
	h->label = s->n > 0 ? s->l[0] : 0;
	if (again) {
		branch_end(w, WALK_LOOP);
		w->nhops--;
		return;
	}
	if (!w->lockstep || dist_net_owner(w->net, n->id) == dist_rank)
		decide(w, n, vrf, s);
	if (w->lockstep)
		share(w, n, base);
	/* The acts in order (the deeper devices' are added after them, and gone on return). */
	end = w->nacts;
	for (size_t i = base; i < end; i++) {
		struct walk_act a = w->acts[i]; /* (a copy: the array grows) */

		h->nh = a.nh;
		h->vrf = a.vrf;
		if (a.end >= 0)
			branch_end(w, (enum walk_result)a.end);
		else
			step(w, w->net->nodes[a.node], a.nvrf, &a.s);
	}
	w->nacts = base;
	w->nhops--;
}

static void
run(struct walk *w, struct network *net, struct node *src, uint32_t dst, walk_branch_fn *branch,
    void *arg, uint32_t flow_src, bool lockstep)
{
	memset(w, 0, sizeof(*w));
	w->net = net;
	w->dst = dst;
	w->branch = branch;
	w->arg = arg;
	w->flow_src = flow_src;
	w->lockstep = lockstep && dist_on();
	step(w, src, VRF_DEFAULT, &(struct stack){0});
	free(w->acts);
	w->acts = NULL;
	w->nacts = w->actcap = 0;
}

void
walk_run(struct walk *w, struct network *net, struct node *src, uint32_t dst,
    walk_branch_fn *branch, void *arg)
{
	run(w, net, src, dst, branch, arg, 0, false);
}

void
walk_run_lockstep(struct walk *w, struct network *net, struct node *src, uint32_t dst,
    walk_branch_fn *branch, void *arg)
{
	run(w, net, src, dst, branch, arg, 0, true);
}

void
walk_flow(struct walk *w, struct network *net, struct node *src, uint32_t flow_src,
    uint32_t dst)
{
	run(w, net, src, dst, NULL, NULL, flow_src, false);
}

enum walk_result
walk_result(const struct walk *w)
{
	return w->any_bad ? w->worst : WALK_DELIVERED;
}
