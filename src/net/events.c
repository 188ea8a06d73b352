/* events.c: the event bus (see events.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/log.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "../sim/dist.h"
#include "dist_net.h"
#include "events.h"
#include "net.h"

static const char *const kind_names[EV_KIND_COUNT] = {
	"log", "converged", "route_change", "adjacency_change", "link_down", "link_up",
	"interface_down", "interface_up", "node_down", "node_up", "chaos", "session_up",
	"session_down", "bestpath_change",
};

const char *
ev_kind_name(enum ev_kind k)
{
	return k < EV_KIND_COUNT ? kind_names[k] : "?";
}

int
ev_kind_parse(const char *s)
{
	for (int i = 0; i < EV_KIND_COUNT; i++)
		if (strcmp(kind_names[i], s) == 0)
			return i;
	return -1;
}

int
ev_subscribe(struct network *net, unsigned mask, ev_fn fn, void *arg)
{
	struct ev_sub s = {mask, fn, arg, true};

	for (size_t i = 0; i < net->nsubs; i++)
		if (!net->subs[i].live) {
			net->subs[i] = s;
			return (int)i;
		}
	VEC_PUSH(net->subs, net->nsubs, net->subcap, s);
	return (int)net->nsubs - 1;
}

void
ev_unsubscribe(struct network *net, int h)
{
	if (h >= 0 && (size_t)h < net->nsubs)
		net->subs[h].live = false;
}

bool
ev_wanted(const struct network *net, enum ev_kind k)
{
	for (size_t i = 0; i < net->nsubs; i++)
		if (net->subs[i].live && (net->subs[i].mask & (1u << k)))
			return true;
	return false;
}

static void
dispatch(struct network *net, const struct net_ev *e)
{
	/* Subscribers may subscribe others meanwhile: index, don't cache the array. */
	for (size_t i = 0; i < net->nsubs; i++)
		if (net->subs[i].live && (net->subs[i].mask & (1u << e->kind)))
			net->subs[i].fn(net, e, net->subs[i].arg);
}

static void
ev_clear(struct net_ev *e)
{
	free(e->text);
	free(e->text2);
}

void
ev_post(struct network *net, struct node *n, const struct net_ev *src)
{
	struct net_ev e = *src;

	if (!ev_wanted(net, e.kind))
		return;
	e.text = src->text ? xstrdup(src->text) : NULL;
	e.text2 = src->text2 ? xstrdup(src->text2) : NULL;
	e.node = n ? n->id : UINT32_MAX;
	if (n != NULL && n->actor.running) {
		e.t = n->actor.now;
		e.seq = n->actor.seq++;
		VEC_PUSH(n->evq, n->nevq, n->evcap, e);
		return;
	}
	e.t = n ? node_now(n) : net->sim.now;
	/*
	 * A distributed run's global context is the same on every rank, and so
	 * is a device at start-up (every rank starts every device); later, only
	 * its owner knows it: a command run on every rank queues it in its
	 * place (ev_flush_command), and anything else is not distributed.
	 */
	if (dist_on() && dist_in_command()) {
		dist_command_keep(n, &e);
		ev_clear(&e);
		return;
	}
	if (n != NULL && dist_on() && !dist_replicated())
		fatalx("distributed run: %s posted an event from a command or script: not "
		    "distributed yet (docs/distributed.md)", n->name);
	dispatch(net, &e);
	ev_clear(&e);
}

void
ev_log(struct network *net, struct node *n, const char *fmt, ...)
{
	struct net_ev e = {.kind = EV_LOG, .ifindex = -1, .link = -1};
	struct strbuf b = STRBUF_INIT;
	va_list ap;

	if (!ev_wanted(net, EV_LOG))
		return;
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	e.text = (char *)sb_str(&b);
	ev_post(net, n, &e);
	sb_free(&b);
}

static void
upper(struct strbuf *b, const char *s)
{
	for (; s && *s; s++)
		sb_addc(b, (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s));
}

void
ev_format(const struct network *net, const struct net_ev *e, struct strbuf *b)
{
	const struct node *n = e->node < net->nnodes ? net->nodes[e->node] : NULL;
	const char *ifn = n && e->ifindex >= 0 && (size_t)e->ifindex < n->nifs ?
	    n->ifs[e->ifindex]->name : "";

	switch (e->kind) {
	case EV_ROUTE_CHANGE:
		sb_printf(b, "%s: route %s %s%s%s%s", n ? n->name : "?", prefix_str(&e->pfx),
		    e->text ? e->text : "change", e->proto ? " (" : "", e->proto ? e->proto : "",
		    e->proto ? ")" : "");
		break;
	case EV_ADJ_CHANGE:
		upper(b, e->proto);
		sb_printf(b, ": %s %s neighbor %s %s", n ? n->name : "?", ifn,
		    e->text ? e->text : "?", e->text2 ? e->text2 : "");
		break;
	case EV_SESSION_UP:
	case EV_SESSION_DOWN:
		upper(b, e->proto);
		sb_printf(b, ": %s neighbor %s session %s%s%s", n ? n->name : "?", e->text ? e->text : "?",
		    e->kind == EV_SESSION_UP ? "up" : "down", e->text2 ? ": " : "",
		    e->text2 ? e->text2 : "");
		break;
	case EV_BESTPATH_CHANGE:
		upper(b, e->proto);
		sb_printf(b, ": %s best path to %s via %s (%s)", n ? n->name : "?", prefix_str(&e->pfx),
		    e->text2 ? e->text2 : "none", e->text ? e->text : "");
		break;
	case EV_LINK_DOWN:
	case EV_LINK_UP:
		sb_printf(b, "link %s %s", e->link >= 0 && (size_t)e->link < net->nlinks ?
		    net->links[e->link]->name : "?", e->kind == EV_LINK_UP ? "up" : "down");
		break;
	case EV_IFACE_DOWN:
	case EV_IFACE_UP:
		sb_printf(b, "%s: interface %s %s", n ? n->name : "?", ifn,
		    e->kind == EV_IFACE_UP ? "up" : "down");
		if (e->text != NULL) /* a tunnel's reason: "recursive routing" */
			sb_printf(b, " (%s)", e->text);
		break;
	case EV_NODE_DOWN:
	case EV_NODE_UP:
		sb_printf(b, "%s %s", n ? n->name : "?", e->kind == EV_NODE_UP ? "restarted" : "crashed");
		break;
	default:
		sb_add(b, e->text ? e->text : ev_kind_name(e->kind));
	}
}

static int
ev_cmp(const void *pa, const void *pb)
{
	const struct net_ev *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void
ev_flush_command(struct network *net)
{
	struct net_ev *all;
	size_t n;

	dist_command_end(net, &all, &n);
	for (size_t i = 0; i < n; i++) {
		dispatch(net, &all[i]);
		ev_clear(&all[i]);
	}
	free(all);
}

void
ev_flush(struct network *net)
{
	struct net_ev *all = NULL;
	size_t n = 0, cap = 0;
	struct sim *s = &net->sim;

	/* Only nodes that ran in the last tick can have queued anything. */
	for (size_t i = 0; i < s->ndue; i++) {
		struct node *nd = container_of(s->due[i], struct node, actor);

		for (size_t k = 0; k < nd->nevq; k++)
			VEC_PUSH(all, n, cap, nd->evq[k]);
		nd->nevq = 0;
	}
	if (dist_on())
		dist_events_gather(net, &all, &n, &cap); /* every rank's, on every rank */
	if (n == 0) {
		free(all);
		return;
	}
	qsort(all, n, sizeof(*all), ev_cmp);
	for (size_t i = 0; i < n; i++) {
		dispatch(net, &all[i]);
		ev_clear(&all[i]);
	}
	free(all);
}
