/*
 * intent.c: checking intents (intent.h) against a network's tables.
 *
 * Everything is read from the FIBs and RIBs as they are, through the walk of
 * walk.h; nothing is sent and no time passes, so a check is as cheap as the
 * walks and leaves the network as it was. A network that has not converged
 * makes every answer inconclusive: its tables are still moving.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/util.h"
#include "../net/dist_net.h"
#include "../net/fib.h"
#include "../net/rib.h"
#include "../net/vrf.h"
#include "../sim/dist.h"
#include "intent.h"
#include "walk.h"

#define NONE UINT32_MAX
/* no_loops and no_blackholes list at most this many of their failing walks. */
#define MAX_LISTED 10

static const char *const kind_names[] = {"reachable", "unreachable", "path", "route", "no_loops",
    "no_blackholes"};
static const char *const status_names[] = {"pass", "fail", "inconclusive"};

enum status { PASS, FAIL, INCONCLUSIVE };

/* A branch of a walk, kept. */
struct snap {
	bool set;
	enum walk_result r;
	int n;
	struct walk_hop hops[WALK_MAX_HOPS + 1];
};

/* The branches of one walk that the checks look at. */
struct seen {
	uint32_t via, avoid; /* devices a path must cross or avoid, or NONE */
	struct snap good;    /* the first branch delivered */
	struct snap bad;     /* the walk's problem (a loop before the others) */
	struct snap hole;    /* the first branch that ends in a black hole (not a loop) */
	struct snap odd;     /* the first delivered branch missing via / branch crossing avoid */
};

static void
take(struct snap *s, const struct walk *w, enum walk_result r)
{
	s->set = true;
	s->r = r;
	s->n = w->nhops;
	memcpy(s->hops, w->hops, sizeof(*s->hops) * (size_t)w->nhops);
}

static bool
crosses(const struct walk *w, uint32_t id)
{
	for (int i = 0; i < w->nhops; i++)
		if (w->hops[i].node == id)
			return true;
	return false;
}

static void
on_branch(void *arg, const struct walk *w, enum walk_result r)
{
	struct seen *s = arg;

	if (r == WALK_DELIVERED) {
		if (!s->good.set)
			take(&s->good, w, r);
		if (s->via != NONE && !s->odd.set && !crosses(w, s->via))
			take(&s->odd, w, r);
	} else {
		if (!s->bad.set || (r == WALK_LOOP && s->bad.r != WALK_LOOP))
			take(&s->bad, w, r);
		if (r != WALK_LOOP && !s->hole.set)
			take(&s->hole, w, r);
	}
	if (s->avoid != NONE && !s->odd.set && crosses(w, s->avoid))
		take(&s->odd, w, r);
}

struct check {
	struct network *net;
	struct json *j;
	struct intent_tally *tally;
	struct strbuf why; /* scratch for messages */
	bool lockstep;     /* under mpirun: every rank checks alike (by_owner) */
};

/*
 * Under mpirun every rank checks the same intents in the same order (Lua's
 * net:verify), walking in lockstep (walk_run_lockstep); what reads a
 * device's tables runs on the device's rank, and the other ranks take what
 * it wrote: the report's new bytes, the writer's state and the tally.
 */
static void
by_owner(struct check *c, uint32_t node, void (*fn)(struct check *, const void *),
    const void *arg)
{
	struct {
		struct intent_tally t;
		int depth;
		bool after_key, nonempty[JSON_MAXDEPTH];
	} st;
	struct strbuf b = STRBUF_INIT;
	size_t len = c->j->out->len;
	int owner;

	if (!c->lockstep) {
		fn(c, arg);
		return;
	}
	owner = dist_net_owner(c->net, node);
	memset(&st, 0, sizeof(st));
	if (owner == dist_rank) {
		fn(c, arg);
		st.t = *c->tally;
		st.depth = c->j->depth;
		st.after_key = c->j->after_key;
		memcpy(st.nonempty, c->j->nonempty, sizeof(st.nonempty));
		sb_addn(&b, (const char *)&st, sizeof(st));
		sb_addn(&b, c->j->out->s + len, c->j->out->len - len);
	}
	dist_bcast(&b, owner);
	if (owner != dist_rank) {
		memcpy(&st, b.s, sizeof(st));
		sb_addn(c->j->out, b.s + sizeof(st), b.len - sizeof(st));
		*c->tally = st.t;
		c->j->depth = st.depth;
		c->j->after_key = st.after_key;
		memcpy(c->j->nonempty, st.nonempty, sizeof(st.nonempty));
	}
	sb_free(&b);
}

static void __attribute__((format(printf, 3, 4)))
verdict(struct check *c, enum status st, const char *fmt, ...)
{
	va_list ap;

	sb_reset(&c->why);
	va_start(ap, fmt);
	sb_vprintf(&c->why, fmt, ap);
	va_end(ap);
	json_kv_str(c->j, "status", status_names[st]);
	json_kv_str(c->j, "reason", sb_str(&c->why));
	if (st == PASS)
		c->tally->pass++;
	else if (st == FAIL)
		c->tally->fail++;
	else
		c->tally->inconclusive++;
}

/* The suggested read-only command: on a device, or "-" for the network scope. */
static void __attribute__((format(printf, 3, 4)))
suggest(struct check *c, const char *device, const char *fmt, ...)
{
	va_list ap;

	sb_reset(&c->why);
	va_start(ap, fmt);
	sb_vprintf(&c->why, fmt, ap);
	va_end(ap);
	json_key(c->j, "suggestion");
	json_obj_begin(c->j);
	json_kv_str(c->j, "device", device);
	json_kv_str(c->j, "command", sb_str(&c->why));
	json_obj_end(c->j);
}

/* One hop: the device, and the route and next hop it forwarded with, if it did. */
static void
hop_json(struct check *c, uint32_t dst, const struct walk_hop *h, bool last, enum walk_result r)
{
	struct node *n = c->net->nodes[h->node];
	struct fib_entry fe;

	json_obj_begin(c->j);
	json_kv_str(c->j, "device", n->name);
	if (h->vrf != VRF_DEFAULT)
		json_kv_int(c->j, "vrf", h->vrf);
	if (h->label != 0)
		json_kv_int(c->j, "label", h->label);
	/* A label switched on is the LFIB's business, not a route's. */
	if (h->label != 0 && h->nh < 0 && !last) {
		json_obj_end(c->j);
		return;
	}
	if (!(last && (r == WALK_DELIVERED || r == WALK_LOOP)) && n->up && n->rib != NULL &&
	    fib_lookup(node_rib(n, h->vrf), dst, &fe)) {
		struct rib_entry *e = rib_lookup_exact(node_rib(n, h->vrf), &fe.pfx);
		const struct rib_path *p = e ? rib_best(e) : NULL;

		json_kv_str(c->j, "prefix", prefix_str(&fe.pfx));
		if (p != NULL) {
			json_kv_str(c->j, "protocol", rib_path_src(p)->name);
			json_kv_int(c->j, "metric", p->metric);
		}
		if (h->nh >= 0 && fe.nhg != NULL && h->nh < fe.nhg->n) {
			const struct nexthop *nh = &fe.nhg->nh[h->nh];

			json_kv_str(c->j, "nexthop", nh->gw ? ip_str(nh->gw) : "connected");
			json_kv_str(c->j, "interface", n->ifs[nh->ifindex]->name);
		}
	}
	json_obj_end(c->j);
}

struct hop_arg {
	uint32_t dst;
	const struct walk_hop *h;
	bool last;
	enum walk_result r;
};

static void
hop_json_at(struct check *c, const void *arg)
{
	const struct hop_arg *a = arg;

	hop_json(c, a->dst, a->h, a->last, a->r);
}

/* A walk's branch as evidence: from, to, how it ended, its hops. */
static void
walk_json(struct check *c, uint32_t dst, const struct snap *s)
{
	json_kv_str(c->j, "from", c->net->nodes[s->hops[0].node]->name);
	json_kv_str(c->j, "to", ip_str(dst));
	json_kv_str(c->j, "result", walk_result_names[s->r]);
	json_key(c->j, "hops");
	json_arr_begin(c->j);
	for (int i = 0; i < s->n; i++) {
		struct hop_arg a = {.dst = dst, .h = &s->hops[i], .last = i == s->n - 1, .r = s->r};

		by_owner(c, s->hops[i].node, hop_json_at, &a);
	}
	json_arr_end(c->j);
}

static void
evidence_walk(struct check *c, uint32_t dst, const struct snap *s)
{
	json_key(c->j, "evidence");
	json_obj_begin(c->j);
	walk_json(c, dst, s);
	json_obj_end(c->j);
}

struct stop_arg {
	uint32_t dst;
	const struct snap *s;
	struct node *n; /* the device to look at */
};

static void
suggest_stop_at(struct check *c, const void *arg)
{
	const struct stop_arg *a = arg;
	const struct snap *s = a->s;
	const struct walk_hop *last = &s->hops[s->n - 1];
	struct node *n = a->n;
	uint32_t dst = a->dst;
	struct fib_entry fe;

	if (s->r == WALK_DOWN && !n->up) {
		suggest(c, "-", "events");
	} else if (s->r == WALK_DOWN && last->nh >= 0 && fib_lookup(node_rib(n, last->vrf), dst, &fe) &&
	    fe.nhg != NULL && last->nh < fe.nhg->n) {
		suggest(c, n->name, "show interfaces %s", n->ifs[fe.nhg->nh[last->nh].ifindex]->name);
	} else {
		suggest(c, n->name, "show ip route %s", ip_str(dst));
	}
}

/* Where a failed walk stopped, the command that shows why (from that device's tables). */
static void
suggest_stop(struct check *c, uint32_t dst, const struct snap *s)
{
	struct stop_arg a = {.dst = dst, .s = s, .n = c->net->nodes[s->hops[s->n - 1].node]};

	/* A loop: the device that sent the packet back to one it had crossed. */
	if (s->r == WALK_LOOP && s->n >= 2)
		a.n = c->net->nodes[s->hops[s->n - 2].node];
	by_owner(c, a.n->id, suggest_stop_at, &a);
}

/* A device that forwards (router or host), or NULL with why. */
static struct node *
l3_device(struct check *c, const char *name)
{
	struct node *n = net_node(c->net, name);

	if (n == NULL)
		sb_printf(&c->why, "no device '%s'", name);
	else if (n->rib == NULL)
		sb_printf(&c->why, "'%s' is a switch: it has no routing table", name);
	return n != NULL && n->rib != NULL ? n : NULL;
}

/*
 * A destination: an address; a prefix (the address a device has in it, else
 * its first host address); a device (its source address). false with why.
 */
static bool
destination(struct check *c, const char *s, uint32_t *addr)
{
	struct prefix p;
	struct node *n;

	if (ip_parse(s, addr))
		return true;
	if (strchr(s, '/') != NULL && prefix_parse(s, &p)) {
		for (size_t i = 0; i < c->net->nnodes; i++) {
			n = c->net->nodes[i];
			for (size_t k = 0; k < n->nifs; k++)
				if (n->ifs[k]->addr != 0 && prefix_contains(&p, n->ifs[k]->addr)) {
					*addr = n->ifs[k]->addr;
					return true;
				}
		}
		*addr = p.len >= 31 ? p.addr : p.addr + 1;
		return true;
	}
	if ((n = net_node(c->net, s)) == NULL) {
		sb_printf(&c->why, "'%s' is neither an address, a prefix nor a device", s);
		return false;
	}
	if ((*addr = node_source_addr(n)) == 0) {
		sb_printf(&c->why, "device '%s' has no IPv4 address", s);
		return false;
	}
	return true;
}

static void
inconclusive(struct check *c)
{
	char *why = xstrdup(sb_str(&c->why));

	verdict(c, INCONCLUSIVE, "%s", why);
	free(why);
}

static const char *
hops_names(struct check *c, const struct snap *s, struct strbuf *b)
{
	for (int i = 0; i < s->n; i++)
		sb_printf(b, "%s%s", i ? " -> " : "", c->net->nodes[s->hops[i].node]->name);
	return sb_str(b);
}

/* reachable, unreachable, path */
static void
check_walk(struct check *c, const struct intent *it)
{
	struct seen *s = xcalloc(1, sizeof(*s));
	struct strbuf b = STRBUF_INIT;
	struct node *src, *via = NULL, *avoid = NULL;
	struct walk w;
	uint32_t dst;

	sb_reset(&c->why);
	if ((src = l3_device(c, it->from)) == NULL || !destination(c, it->to, &dst) ||
	    (it->via != NULL && (via = l3_device(c, it->via)) == NULL) ||
	    (it->avoids != NULL && (avoid = l3_device(c, it->avoids)) == NULL)) {
		inconclusive(c);
		goto out;
	}
	s->via = via ? via->id : NONE;
	s->avoid = avoid ? avoid->id : NONE;
	walk_run_lockstep(&w, c->net, src, dst, on_branch, s);
	if (it->kind == INTENT_UNREACHABLE) {
		if (s->good.set) {
			verdict(c, FAIL, "%s reaches %s: %s", it->from, ip_str(dst),
			    hops_names(c, &s->good, &b));
			evidence_walk(c, dst, &s->good);
			suggest(c, src->name, "show ip route %s", ip_str(dst));
		} else {
			verdict(c, PASS, "not delivered: %s at %s", walk_result_names[s->bad.r],
			    c->net->nodes[s->bad.hops[s->bad.n - 1].node]->name);
			evidence_walk(c, dst, &s->bad);
		}
	} else if (s->bad.set) {
		verdict(c, FAIL, "%s%s at %s",
		    s->good.set ? "some equal-cost paths fail: " : "", walk_result_names[s->bad.r],
		    c->net->nodes[s->bad.hops[s->bad.n - 1].node]->name);
		evidence_walk(c, dst, &s->bad);
		suggest_stop(c, dst, &s->bad);
	} else if (s->odd.set) {
		const struct snap *o = &s->odd;
		int k = 0;

		/* The device that chose the way: the one before avoid, or the first router. */
		if (avoid != NULL)
			while (k + 1 < o->n && o->hops[k + 1].node != avoid->id)
				k++;
		else
			while (k + 1 < o->n && c->net->nodes[o->hops[k].node]->type != NODE_ROUTER)
				k++;
		verdict(c, FAIL, "the path %s %s: %s", via ? "does not cross" : "crosses",
		    via ? via->name : avoid->name, hops_names(c, o, &b));
		evidence_walk(c, dst, o);
		suggest(c, c->net->nodes[o->hops[k].node]->name, "show ip route %s", ip_str(dst));
	} else {
		verdict(c, PASS, "delivered: %s", hops_names(c, &s->good, &b));
		evidence_walk(c, dst, &s->good);
	}
out:
	sb_free(&b);
	free(s);
}

/* Is next hop nh one that want names (an address, or a device that has it)? */
static bool
nh_is(struct network *net, const struct nexthop *nh, const char *want)
{
	uint32_t a;
	struct node *n;

	if (ip_parse(want, &a))
		return nh->gw == a;
	if ((n = net_node(net, want)) == NULL || nh->gw == 0)
		return false;
	for (size_t i = 0; i < n->nifs; i++)
		if (n->ifs[i]->addr == nh->gw)
			return true;
	return false;
}

static void
route_json(struct check *c, const struct node *n, const struct rib_entry *e,
    const struct rib_path *p)
{
	struct prefix pfx = {.addr = e->addr, .len = e->len};
	const struct nhg *g = rib_path_nhg(n->rib, p);

	json_key(c->j, "evidence");
	json_obj_begin(c->j);
	json_key(c->j, "route");
	json_obj_begin(c->j);
	json_kv_str(c->j, "device", n->name);
	json_kv_str(c->j, "prefix", prefix_str(&pfx));
	json_kv_str(c->j, "protocol", rib_path_src(p)->name);
	json_kv_int(c->j, "distance", p->distance);
	json_kv_int(c->j, "metric", p->metric);
	json_key(c->j, "nexthops");
	json_arr_begin(c->j);
	for (int i = 0; g != NULL && i < g->n; i++) {
		json_obj_begin(c->j);
		json_kv_str(c->j, "nexthop", g->nh[i].gw ? ip_str(g->nh[i].gw) : "connected");
		json_kv_str(c->j, "interface", n->ifs[g->nh[i].ifindex]->name);
		json_obj_end(c->j);
	}
	json_arr_end(c->j);
	json_obj_end(c->j);
	json_obj_end(c->j);
}

/* The route intent at its device (by_owner), once it is known to make sense. */
static void
route_at(struct check *c, const void *arg)
{
	const struct intent *it = arg;
	struct strbuf miss = STRBUF_INIT;
	struct rib_entry *e = NULL;
	const struct rib_path *p;
	const struct nhg *g;
	struct node *n = net_node(c->net, it->device);
	struct prefix pfx;
	struct fib_entry fe;
	int nnh;

	prefix_parse(it->prefix, &pfx); /* checked when read */
	/* As dev:route: an address is a longest match, a prefix an exact one. */
	if (strchr(it->prefix, '/') == NULL) {
		if (fib_lookup(n->rib, pfx.addr, &fe))
			e = rib_lookup_exact(n->rib, &fe.pfx);
	} else {
		e = rib_lookup_exact(n->rib, &pfx);
	}
	if (e == NULL || (p = rib_best(e)) == NULL) {
		verdict(c, FAIL, "%s has no route to %s", n->name, it->prefix);
		suggest(c, n->name, "show ip route %s", it->prefix);
		return;
	}
	g = rib_path_nhg(n->rib, p);
	nnh = g ? g->n : 0;
	if (it->protocol != NULL && strcmp(rib_path_src(p)->name, it->protocol) != 0)
		sb_printf(&miss, "; protocol %s, not %s", rib_path_src(p)->name, it->protocol);
	for (size_t i = 0; i < it->nvias; i++) {
		bool hit = false;

		for (int k = 0; k < nnh && !hit; k++)
			hit = nh_is(c->net, &g->nh[k], it->vias[i]);
		if (!hit)
			sb_printf(&miss, "; no next hop %s", it->vias[i]);
	}
	if (it->vias_exact && (size_t)nnh != it->nvias)
		sb_printf(&miss, "; %d next hops, not %zu", nnh, it->nvias);
	if (it->metric >= 0 && p->metric != it->metric)
		sb_printf(&miss, "; metric %u, not %lld", p->metric, it->metric);
	if (miss.len > 0)
		verdict(c, FAIL, "%s", miss.s + 2);
	else
		verdict(c, PASS, "%s has the route", n->name);
	route_json(c, n, e, p);
	if (miss.len > 0)
		suggest(c, n->name, "show ip route %s", it->prefix);
	sb_free(&miss);
}

static void
check_route(struct check *c, const struct intent *it)
{
	struct node *n;

	sb_reset(&c->why);
	if ((n = l3_device(c, it->device)) == NULL) {
		inconclusive(c);
		return;
	}
	for (size_t i = 0; i < it->nvias; i++) {
		uint32_t a;

		if (!ip_parse(it->vias[i], &a) && net_node(c->net, it->vias[i]) == NULL) {
			sb_printf(&c->why, "via '%s' is neither an address nor a device", it->vias[i]);
			inconclusive(c);
			return;
		}
	}
	by_owner(c, n->id, route_at, it);
}

/* no_loops, no_blackholes: every source towards every destination. */
static void
check_all(struct check *c, const struct intent *it)
{
	struct seen *s = xcalloc(1, sizeof(*s));
	struct snap *first = xcalloc(1, sizeof(*first));
	bool loops = it->kind == INTENT_NO_LOOPS;
	uint32_t *dsts = xcalloc(it->ndests, sizeof(*dsts)), first_dst = 0;
	struct node **srcs;
	size_t nsrcs = 0, walks = 0, failing = 0;

	sb_reset(&c->why);
	srcs = xcalloc(it->nsrcs ? it->nsrcs : c->net->nnodes, sizeof(*srcs));
	for (size_t i = 0; i < it->ndests; i++)
		if (!destination(c, it->dests[i], &dsts[i]))
			goto bad;
	for (size_t i = 0; i < it->nsrcs; i++)
		if ((srcs[nsrcs++] = l3_device(c, it->srcs[i])) == NULL)
			goto bad;
	for (size_t i = 0; it->nsrcs == 0 && i < c->net->nnodes; i++)
		if (c->net->nodes[i]->rib != NULL && c->net->nodes[i]->up)
			srcs[nsrcs++] = c->net->nodes[i];
	/* The failing walks are listed as they are found, the verdict written after. */
	{
		struct strbuf list = STRBUF_INIT;
		struct json lj;

		json_init(&lj, &list, false);
		json_arr_begin(&lj);
		for (size_t d = 0; d < it->ndests; d++)
			for (size_t i = 0; i < nsrcs; i++) {
				struct walk w;
				const struct snap *f;

				memset(s, 0, sizeof(*s));
				s->via = s->avoid = NONE;
				walk_run_lockstep(&w, c->net, srcs[i], dsts[d], on_branch, s);
				walks++;
				f = loops ? (s->bad.set && s->bad.r == WALK_LOOP ? &s->bad : NULL) :
				            (s->hole.set ? &s->hole : NULL);
				if (f == NULL)
					continue;
				if (failing++ == 0) {
					*first = *f;
					first_dst = dsts[d];
				}
				if (failing <= MAX_LISTED) {
					json_obj_begin(&lj);
					json_kv_str(&lj, "from", srcs[i]->name);
					json_kv_str(&lj, "to", ip_str(dsts[d]));
					json_kv_str(&lj, "result", walk_result_names[f->r]);
					json_kv_str(&lj, "at", c->net->nodes[f->hops[f->n - 1].node]->name);
					json_obj_end(&lj);
				}
			}
		json_arr_end(&lj);
		if (failing == 0)
			verdict(c, PASS, "no %s in %zu walks", loops ? "loop" : "black hole", walks);
		else
			verdict(c, FAIL, "%zu of %zu walks end in a %s", failing, walks,
			    loops ? "loop" : "black hole");
		json_key(c->j, "evidence");
		json_obj_begin(c->j);
		json_kv_int(c->j, "walks", (int64_t)walks);
		json_kv_int(c->j, "failing", (int64_t)failing);
		json_key(c->j, "failures");
		json_raw(c->j, sb_str(&list));
		if (failing > 0) {
			json_key(c->j, "first");
			json_obj_begin(c->j);
			walk_json(c, first_dst, first);
			json_obj_end(c->j);
		}
		json_obj_end(c->j);
		if (failing > 0)
			suggest_stop(c, first_dst, first);
		sb_free(&list);
	}
	goto out;
bad:
	inconclusive(c);
out:
	free(srcs);
	free(dsts);
	free(first);
	free(s);
}

/* The assertion in one line, as reports name it. */
static void
describe(const struct intent *it, struct strbuf *b)
{
	sb_add(b, kind_names[it->kind]);
	switch (it->kind) {
	case INTENT_REACHABLE:
	case INTENT_UNREACHABLE:
	case INTENT_PATH:
		sb_printf(b, " %s -> %s", it->from, it->to);
		if (it->via != NULL)
			sb_printf(b, " via %s", it->via);
		if (it->avoids != NULL)
			sb_printf(b, " avoids %s", it->avoids);
		break;
	case INTENT_ROUTE:
		sb_printf(b, " %s %s", it->device, it->prefix);
		if (it->protocol != NULL)
			sb_printf(b, " protocol %s", it->protocol);
		for (size_t i = 0; i < it->nvias; i++)
			sb_printf(b, "%s%s", i ? "," : " via ", it->vias[i]);
		if (it->metric >= 0)
			sb_printf(b, " metric %lld", it->metric);
		break;
	case INTENT_NO_LOOPS:
	case INTENT_NO_BLACKHOLES:
		for (size_t i = 0; i < it->ndests; i++)
			sb_printf(b, "%s%s", i ? ", " : " to ", it->dests[i]);
		for (size_t i = 0; i < it->nsrcs; i++)
			sb_printf(b, "%s%s", i ? ", " : " from ", it->srcs[i]);
		break;
	}
}

void
intents_check(struct network *net, const struct intents *in, struct json *j,
    struct intent_tally *tally)
{
	struct check c = {.net = net, .j = j, .tally = tally, .why = STRBUF_INIT,
	    .lockstep = dist_on()};
	struct strbuf d = STRBUF_INIT;

	memset(tally, 0, sizeof(*tally));
	json_obj_begin(j);
	json_kv_bool(j, "converged", net->converged);
	json_kv_double(j, "simTimeMs", (double)net->sim.now / SIM_MS);
	json_key(j, "results");
	json_arr_begin(j);
	for (size_t i = 0; i < in->n; i++) {
		const struct intent *it = &in->v[i];

		sb_reset(&d);
		describe(it, &d);
		json_obj_begin(j);
		json_kv_int(j, "index", (int64_t)i);
		json_kv_str(j, "kind", kind_names[it->kind]);
		json_kv_str(j, "assertion", sb_str(&d));
		json_kv_int(j, "line", it->line);
		if (!net->converged) {
			verdict(&c, INCONCLUSIVE, "the network has not converged (t=%s): its tables "
			    "are still changing", sim_time_str(net->sim.now));
			suggest(&c, "-", "converge");
		} else if (it->kind == INTENT_ROUTE) {
			check_route(&c, it);
		} else if (it->kind == INTENT_NO_LOOPS || it->kind == INTENT_NO_BLACKHOLES) {
			check_all(&c, it);
		} else {
			check_walk(&c, it);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_kv_int(j, "passed", tally->pass);
	json_kv_int(j, "failed", tally->fail);
	json_kv_int(j, "inconclusive", tally->inconclusive);
	json_obj_end(j);
	sb_free(&d);
	sb_free(&c.why);
}

static double
num(const struct jval *o, const char *key)
{
	const struct jval *v = jval_get(o, key);

	return v != NULL && v->type == J_NUM ? v->num : 0;
}

/* A walk (evidence) as "h1 [0.0.0.0/0 static via 10.0.1.1 eth0] -> r1 ... : delivered". */
static void
walk_text(const struct jval *w, struct strbuf *out)
{
	const struct jval *hops = jval_get(w, "hops");

	for (size_t i = 0; hops != NULL && hops->type == J_ARR && i < hops->n; i++) {
		const struct jval *h = hops->elem[i];

		sb_printf(out, "%s%s", i ? " -> " : "", jval_str(h, "device"));
		if (jval_get(h, "label") != NULL && jval_get(h, "label")->type == J_NUM)
			sb_printf(out, " [label %.0f]", jval_get(h, "label")->num);
		if (jval_str(h, "prefix") != NULL) {
			sb_printf(out, " [%s %s", jval_str(h, "prefix"),
			    jval_str(h, "protocol") ? jval_str(h, "protocol") : "?");
			if (jval_str(h, "nexthop") != NULL)
				sb_printf(out, "%s%s %s",
				    strcmp(jval_str(h, "nexthop"), "connected") ? " via " : "",
				    strcmp(jval_str(h, "nexthop"), "connected") ? jval_str(h, "nexthop") : "",
				    jval_str(h, "interface"));
			sb_addc(out, ']');
		}
	}
	sb_printf(out, ": %s\n", jval_str(w, "result"));
}

void
intents_text(const struct jval *report, struct strbuf *out)
{
	const struct jval *rs = jval_get(report, "results");

	for (size_t i = 0; rs != NULL && rs->type == J_ARR && i < rs->n; i++) {
		const struct jval *r = rs->elem[i], *ev = jval_get(r, "evidence"), *s;
		const char *st = jval_str(r, "status");

		sb_printf(out, "%s %s: %s\n", strcmp(st, "pass") == 0 ? "PASS" :
		    strcmp(st, "fail") == 0 ? "FAIL" : "INCONCLUSIVE",
		    jval_str(r, "assertion"), jval_str(r, "reason"));
		if (ev != NULL && jval_get(ev, "hops") != NULL) {
			sb_add(out, "  path: ");
			walk_text(ev, out);
		} else if (ev != NULL && jval_get(ev, "first") != NULL) {
			sb_add(out, "  first: ");
			walk_text(jval_get(ev, "first"), out);
		} else if (ev != NULL && (s = jval_get(ev, "route")) != NULL) {
			const struct jval *nhs = jval_get(s, "nexthops");

			sb_printf(out, "  route: %s %s %s metric %.0f", jval_str(s, "device"),
			    jval_str(s, "prefix"), jval_str(s, "protocol"), num(s, "metric"));
			for (size_t k = 0; nhs != NULL && k < nhs->n; k++)
				sb_printf(out, "%s%s %s", k ? ", " : " via ",
				    jval_str(nhs->elem[k], "nexthop"), jval_str(nhs->elem[k], "interface"));
			if (nhs == NULL || nhs->n == 0)
				sb_add(out, " (blackhole)");
			sb_addc(out, '\n');
		}
		if ((s = jval_get(r, "suggestion")) != NULL)
			sb_printf(out, "  next: %s%s%s\n", strcmp(jval_str(s, "device"), "-") ?
			    jval_str(s, "device") : "", strcmp(jval_str(s, "device"), "-") ? ": " : "",
			    jval_str(s, "command"));
	}
	sb_printf(out, "%.0f passed, %.0f failed, %.0f inconclusive\n",
	    num(report, "passed"), num(report, "failed"),
	    num(report, "inconclusive"));
}
