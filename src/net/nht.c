/* nht.c: next-hop tracking (nht.h). */
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "fib.h"
#include "net.h"
#include "nht.h"
#include "vrf.h"

struct nht_set {
	struct node *node;
	uint16_t vrf;          /* whose RIB and interfaces (vrf.h) */
	struct nht *list, *tail; /* in the order of tracking (the order of callbacks) */
	struct nht **by;       /* the same entries sorted by address, to find those a change covers */
	size_t n, cap;
	struct timer redo;     /* re-resolves the marked addresses */
};

/* The first index of by[] whose address is not below addr (past it: above addr). */
static size_t
bound(const struct nht_set *s, uint32_t addr, bool past)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->by[mid]->addr < addr || (past && s->by[mid]->addr == addr))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
nht_resolve(struct node *n, uint32_t addr, int min_len, struct nht_res *r)
{
	return nht_resolve_vrf(n, VRF_DEFAULT, addr, min_len, r);
}

bool
nht_resolve_vrf(struct node *n, uint16_t vrf, uint32_t addr, int min_len, struct nht_res *r)
{
	struct iface *ifp = node_iface_for_vrf(n, vrf, addr);
	struct rib *rib = node_rib(n, vrf);
	struct fib_entry fe;

	memset(r, 0, sizeof(*r));
	if (ifp != NULL) {
		if (!iface_is_up(ifp))
			return false;
		r->connected = true;
		r->via = iface_prefix(ifp);
		r->nh[0].gw = addr;
		r->nh[0].ifindex = ifp->idx;
		r->n = 1;
		return r->reachable = true;
	}
	if (!fib_lookup(rib, addr, &fe) || fe.nhg == NULL || (int)fe.pfx.len <= min_len)
		return false;
	r->via = fe.pfx;
	for (int i = 0; i < fe.nhg->n; i++) {
		r->nh[r->n].gw = fe.nhg->nh[i].gw ? fe.nhg->nh[i].gw : addr;
		r->nh[r->n].ifindex = fe.nhg->nh[i].ifindex;
		/* An LSP to the next hop (LDP's labels on the IGP route) carries its traffic too. */
		r->nh[r->n].labels = fe.nhg->nh[i].labels;
		r->n++;
	}
	{
		const struct rib_path *best = rib_best(rib_lookup_exact(rib, &fe.pfx));

		if (best != NULL) {
			r->src = rib_path_src(best);
			r->metric = best->metric;
		}
	}
	return r->reachable = r->n > 0;
}

bool
nht_res_eq(const struct nht_res *a, const struct nht_res *b)
{
	return a->reachable == b->reachable && a->connected == b->connected &&
	       prefix_eq(&a->via, &b->via) && a->src == b->src && a->metric == b->metric &&
	       a->n == b->n && memcmp(a->nh, b->nh, sizeof(a->nh[0]) * a->n) == 0;
}

static void
redo(struct timer *t)
{
	struct nht_set *s = t->arg;

	/* A callback may untrack its own or another entry: restart after each call. */
	for (bool again = true; again;) {
		again = false;
		for (struct nht *h = s->list; h != NULL; h = h->next) {
			struct nht_res r;

			if (!h->marked)
				continue;
			h->marked = false;
			nht_resolve_vrf(s->node, s->vrf, h->addr, h->min_len, &r);
			if (nht_res_eq(&r, &h->res))
				continue;
			h->res = r;
			h->fn(s->node, h, h->arg);
			again = true;
			break;
		}
	}
}

/* A change to a prefix that covers a tracked address may change its resolution. */
static void
rib_changed(struct node *n UNUSED, const struct rib_change *ch, void *arg)
{
	struct nht_set *s = arg;
	uint32_t last = ch->pfx.addr | ~ip_mask(ch->pfx.len);
	bool any = false;

	/* The tracked addresses inside the prefix: a range of the sorted index. */
	for (size_t i = bound(s, ch->pfx.addr, false); i < s->n && s->by[i]->addr <= last; i++) {
		s->by[i]->marked = true;
		any = true;
	}
	if (any && !timer_pending(&s->redo))
		timer_set(&s->redo, 0);
}

/* Where the VRF's set lives: node->nht for the default VRF, else its struct vrf. */
static struct nht_set **
slot(struct node *n, uint16_t vrf)
{
	return vrf == VRF_DEFAULT ? &n->nht : &n->vrfs[vrf - 1].nht;
}

static struct nht_set *
set_of(struct node *n, uint16_t vrf)
{
	struct nht_set **sp = slot(n, vrf);

	if (*sp == NULL) {
		struct nht_set *s = xcalloc(1, sizeof(*s));

		s->node = n;
		s->vrf = vrf;
		timer_init(&s->redo, &n->actor, redo, s);
		rib_watch(node_rib(n, vrf), rib_changed, s);
		*sp = s;
	}
	return *sp;
}

struct nht *
nht_track(struct node *n, uint32_t addr, int min_len, nht_fn fn, void *arg)
{
	return nht_track_vrf(n, VRF_DEFAULT, addr, min_len, fn, arg);
}

struct nht *
nht_track_vrf(struct node *n, uint16_t vrf, uint32_t addr, int min_len, nht_fn fn, void *arg)
{
	struct nht_set *s = set_of(n, vrf);
	struct nht *h = xcalloc(1, sizeof(*h)), **pp;

	h->set = s;
	h->addr = addr;
	h->min_len = min_len;
	h->fn = fn;
	h->arg = arg;
	size_t at;

	nht_resolve_vrf(n, vrf, addr, min_len, &h->res);
	/* At the list's end: the callbacks of one instant run in the order of tracking. */
	pp = s->tail != NULL ? &s->tail->next : &s->list;
	*pp = h;
	s->tail = h;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->by = xrealloc(s->by, s->cap * sizeof(*s->by));
	}
	at = bound(s, addr, true); /* after the entries of the same address: tracking order */
	memmove(&s->by[at + 1], &s->by[at], (s->n - at) * sizeof(*s->by));
	s->by[at] = h;
	s->n++;
	return h;
}

void
nht_untrack(struct nht *h)
{
	struct nht_set *s;
	struct nht **pp, *prev = NULL;

	if (h == NULL)
		return;
	s = h->set;
	for (pp = &s->list; *pp != NULL; prev = *pp, pp = &(*pp)->next)
		if (*pp == h) {
			*pp = h->next;
			if (s->tail == h)
				s->tail = prev;
			break;
		}
	for (size_t i = bound(s, h->addr, false); i < s->n && s->by[i]->addr == h->addr; i++)
		if (s->by[i] == h) {
			memmove(&s->by[i], &s->by[i + 1], (s->n - i - 1) * sizeof(*s->by));
			s->n--;
			break;
		}
	if (s->list == NULL)
		timer_cancel(&s->redo);
	free(h);
}

void
nht_free(struct node *n)
{
	nht_free_vrf(n, VRF_DEFAULT);
}

void
nht_free_vrf(struct node *n, uint16_t vrf)
{
	struct nht_set **sp = slot(n, vrf), *s = *sp;

	if (s == NULL)
		return;
	timer_cancel(&s->redo);
	while (s->list != NULL)
		nht_untrack(s->list);
	free(s->by);
	free(s);
	*sp = NULL;
}
