/*
 * gre.c: GRE tunnel interfaces: configuration, and whether a tunnel is up.
 *
 * A tunnel's state is decided here and nowhere else (gre_eval): down while
 * its source is not an address of the node on an interface that is up,
 * while its destination does not resolve through the RIB, and while that
 * resolution leads back into the tunnel (recursive routing, as Cisco's
 * %TUN-5-RECURDOWN). The destination is followed by next-hop tracking, so
 * the tunnel comes and goes with the underlay's routes, and the routes over
 * the tunnel (connected, static, OSPF) follow through the interface's state.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/cfg.h"
#include "../../lib/util.h"
#include "../../net/nht.h"
#include "gre.h"

struct gre *
gre_of(struct proto_inst *pi)
{
	if (pi->priv == NULL) {
		struct gre *g = xcalloc(1, sizeof(*g));

		g->node = pi->node;
		pi->priv = g;
	}
	return pi->priv;
}

uint16_t
gre_flags(const struct gre_tun *t)
{
	return (uint16_t)((t->csum ? GRE_C : 0) | (t->has_key ? GRE_K : 0) | (t->seq ? GRE_S : 0));
}

unsigned
gre_hlen(const struct gre_tun *t)
{
	return gre_hdr_len(gre_flags(t));
}

uint16_t
gre_default_mtu(const struct gre_tun *t)
{
	return (uint16_t)(1500 - 20 - gre_hlen(t));
}

uint32_t
gre_src_addr(const struct gre_tun *t)
{
	return t->src_if != NULL ? t->src_if->addr : t->src;
}

/* ---- state ---- */

/*
 * Does a datagram to t's destination leave through target, directly or
 * through tunnels that are up and whose own destinations lead there? depth
 * bounds the walk by the node's tunnel count (a loop among other tunnels is
 * theirs to find). So the tunnel whose route change closes a loop is the one
 * that goes down; the others then resolve around it.
 */
static bool
leads_to(const struct gre_tun *t, const struct gre_tun *target, size_t depth)
{
	const struct node *n = t->g->node;

	if (t->nh == NULL || !t->nh->res.reachable || depth > t->g->n)
		return false;
	for (unsigned i = 0; i < t->nh->res.n; i++) {
		const struct iface *out = n->ifs[t->nh->res.nh[i].ifindex];
		const struct gre_tun *u;

		if (out->kind != IF_TUNNEL || out->tun != &gre_tunnel_ops)
			continue;
		u = out->tun_priv;
		if (u == target)
			return true;
		/* A tunnel that is down carries nothing: its routes are on their way out. */
		if (u->up && leads_to(u, target, depth + 1))
			return true;
	}
	return false;
}

static bool
recursive(const struct gre_tun *t)
{
	/* The destination in the tunnel's own subnet can only be reached through it. */
	if (node_iface_for(t->g->node, t->dst) == t->ifp)
		return true;
	return leads_to(t, t, 0);
}

static void
hold_fire(struct timer *tm)
{
	struct gre_tun *t = tm->arg;

	t->held = false;
	gre_eval(t);
}

static void
eval_all(struct gre *g)
{
	for (size_t i = 0; i < g->n; i++)
		gre_eval(g->tun[i]);
}

void
gre_eval(struct gre_tun *t)
{
	struct node *n = t->g->node;
	const struct proto_inst *pi = proto_get(n, &proto_gre);
	bool was = iface_is_up(t->ifp);
	const char *why = NULL;
	uint32_t src = gre_src_addr(t);

	if (pi == NULL || !pi->running)
		why = "not running";
	else if (t->held)
		why = "recursive routing";
	else if (t->src_if != NULL && !iface_is_up(t->src_if))
		why = "source interface down";
	else if (src == 0)
		why = "no source address";
	else if (t->nh == NULL || !t->nh->res.reachable)
		why = "destination unreachable";
	else if (recursive(t)) {
		/* Down for a while, as routers do: the routes over it go, then it retries. */
		why = "recursive routing";
		t->held = true;
		timer_set(&t->hold, GRE_RECURSION_HOLD);
	} else if (t->ka_down)
		why = "keepalive";
	t->reason = why;
	if (t->up == (why == NULL))
		return;
	t->up = why == NULL;
	t->since = node_now(n);
	if (!t->up)
		t->flaps++;
	/* Its protocols hear of it, this one too (gre_if_notify: tunnels that depend on it). */
	iface_tunnel_changed(t->ifp, was, why);
}

/*
 * Each period: a tunnel with more than ka_retries keepalives unanswered goes
 * down (Cisco's line protocol down), and one more is sent while the far end
 * is routable, so that the tunnel comes back with the first reply.
 */
static void
ka_fire(struct timer *tm)
{
	struct gre_tun *t = tm->arg;

	if (!t->ifp->admin_up || (t->reason != NULL && strcmp(t->reason, "keepalive") != 0)) {
		t->ka_missed = 0; /* down for another reason: nothing to send to */
	} else {
		if (t->ka_missed >= t->ka_retries && !t->ka_down) {
			t->ka_down = true;
			gre_eval(t);
		}
		t->ka_missed++;
		gre_keepalive_send(t);
	}
	timer_set(&t->ka, t->ka_interval);
}

void
gre_keepalive_reply(struct gre_tun *t)
{
	t->st.ka_rcvd++;
	t->ka_missed = 0;
	if (t->ka_down) {
		t->ka_down = false;
		gre_eval(t);
	}
}

static void
dest_changed(struct node *n UNUSED, struct nht *h UNUSED, void *arg)
{
	gre_eval(arg);
}

void
gre_track(struct gre_tun *t)
{
	nht_untrack(t->nh);
	t->nh = nht_track(t->g->node, t->dst, NHT_ANY_ROUTE, dest_changed, t);
	t->rx_seq_valid = false;
	gre_eval(t);
}

/* ---- tunnel_ops ---- */

static bool
tun_is_up(const struct iface *ifp)
{
	const struct gre_tun *t = ifp->tun_priv;

	return t->up;
}

static void
tun_endpoints(const struct iface *ifp, uint32_t *src, uint32_t *dst)
{
	const struct gre_tun *t = ifp->tun_priv;

	*src = gre_src_addr(t);
	*dst = t->dst;
}

static const char *
tun_down_reason(const struct iface *ifp)
{
	const struct gre_tun *t = ifp->tun_priv;

	return t->up ? NULL : t->reason ? t->reason : "not running";
}

const struct tunnel_ops gre_tunnel_ops = {
	.type = "gre",
	.output = gre_output,
	.is_up = tun_is_up,
	.endpoints = tun_endpoints,
	.down_reason = tun_down_reason,
};

/* ---- configuration ---- */

/*
 * source: an address of the node, or the name of one of its interfaces
 * (whose address it follows). The name is looked up at validate: the
 * interface may come later in the file.
 */
static bool
config_source(struct gre_tun *t, const struct cfg *c)
{
	const char *s;

	if (!cfg_str(c, "source", &s))
		return false;
	if (ip_parse(s, &t->src))
		return true;
	t->src_name = xstrdup(s);
	return true;
}

static int
gre_config_tunnel(struct proto_inst *pi, struct iface *ifp, const struct cfg *ic)
{
	static const struct cfg_word dfs[] = {
	    {"copy", GRE_DF_COPY}, {"set", GRE_DF_SET}, {"clear", GRE_DF_CLEAR}};
	struct gre *g = gre_of(pi);
	struct gre_tun *t = xcalloc(1, sizeof(*t));
	const struct cfg *c;
	long long v;
	bool ok = true;
	int df = GRE_DF_COPY;

	t->g = g;
	t->ifp = ifp;
	t->at = ic;
	t->ttl = 255;
	t->reason = "not running";
	timer_init_new(&t->hold, &g->node->actor, hold_fire, t);
	timer_init_new(&t->ka, &g->node->actor, ka_fire, t);
	t->ka_retries = GRE_KEEPALIVE_RETRIES;
	ifp->kind = IF_TUNNEL;
	ifp->tun = &gre_tunnel_ops;
	ifp->tun_priv = t;
	VEC_PUSH(g->tun, g->n, g->cap, t);
	if ((c = cfg_get(ic, "source")) == NULL)
		ok = cfg_error(ic, "gre tunnel %s needs a 'source' (an address or an interface)",
		    ifp->name);
	else
		ok &= config_source(t, c);
	if ((c = cfg_get(ic, "destination")) == NULL)
		ok = cfg_error(ic, "gre tunnel %s needs a 'destination' address", ifp->name);
	else if (cfg_ip(c, "destination", &t->dst) && ip_not_unicast(t->dst) != NULL)
		ok = cfg_error(c, "gre destination %s is %s, not a tunnel end", ip_str(t->dst),
		    ip_not_unicast(t->dst));
	if ((c = cfg_get(ic, "key")) != NULL) {
		if (cfg_int(c, "key", 0, UINT32_MAX, &v)) {
			t->has_key = true;
			t->key = (uint32_t)v;
		} else {
			ok = false;
		}
	}
	ok &= cfg_opt_bool(ic, "checksum", &t->csum);
	ok &= cfg_opt_bool(ic, "sequence", &t->seq);
	if ((c = cfg_get(ic, "ttl")) != NULL) {
		if (c->type == CFG_SCALAR && strcmp(c->str, "inherit") == 0)
			t->ttl = 0;
		else if (cfg_int(c, "ttl", 1, 255, &v))
			t->ttl = (uint8_t)v;
		else
			ok = false;
	}
	if ((c = cfg_get(ic, "keepalive")) != NULL) {
		/* true (Cisco's 10 s), or the period in seconds */
		bool on;

		if (c->type == CFG_SCALAR && (strcmp(c->str, "true") == 0 ||
		    strcmp(c->str, "false") == 0) && cfg_bool(c, "keepalive", &on))
			t->ka_interval = on ? GRE_KEEPALIVE_DFLT : 0;
		else if (cfg_int(c, "keepalive", 1, 32767, &v))
			t->ka_interval = v * SIM_S;
		else
			ok = false;
	}
	v = t->ka_retries;
	ok &= cfg_opt_int(ic, "keepalive_retries", 1, 255, &v);
	t->ka_retries = (unsigned)v;
	if ((c = cfg_get(ic, "df")) != NULL)
		ok &= cfg_keyword(c, "df", dfs, ARRAY_LEN(dfs), "copy, set or clear", &df);
	t->df = (enum gre_df)df;
	ifp->mtu = gre_default_mtu(t);
	return ok ? 0 : -1;
}

static int
gre_validate(struct proto_inst *pi)
{
	struct gre *g = pi->priv;
	bool ok = true;

	for (size_t i = 0; i < g->n; i++) {
		struct gre_tun *t = g->tun[i];

		if (t->src_name != NULL) {
			t->src_if = node_iface(g->node, t->src_name);
			if (t->src_if == NULL || t->src_if == t->ifp)
				ok = cfg_error(cfg_get(t->at, "source"),
				    "gre tunnel %s: source '%s' is neither an address nor another "
				    "interface of %s", t->ifp->name, t->src_name, g->node->name);
			else if (t->src_if->addr == 0)
				ok = cfg_error(cfg_get(t->at, "source"),
				    "gre tunnel %s: source interface %s has no address", t->ifp->name,
				    t->src_name);
		} else {
			/* The interface that holds the address: the tunnel needs it up. */
			t->src_if = node_iface_with_addr(g->node, t->src);
			if (t->src_if == NULL || t->src_if == t->ifp)
				ok = cfg_error(cfg_get(t->at, "source"),
				    "gre tunnel %s: source %s is not an address of another interface of %s",
				    t->ifp->name,
				    ip_str(t->src), g->node->name);
		}
		if (t->dst != 0 && node_is_local(g->node, t->dst))
			ok = cfg_error(cfg_get(t->at, "destination"),
			    "gre tunnel %s: destination %s is an address of %s itself", t->ifp->name,
			    ip_str(t->dst), g->node->name);
		/* RFC 2890 2.1: the key tells tunnels between the same two ends apart. */
		for (size_t k = 0; k < i && ok; k++) {
			const struct gre_tun *u = g->tun[k];

			if (gre_src_addr(u) == gre_src_addr(t) && u->dst == t->dst &&
			    u->has_key == t->has_key && u->key == t->key)
				ok = cfg_error(t->at,
				    "gre tunnels %s and %s have the same source, destination and key "
				    "(received packets could not be told apart)", u->ifp->name,
				    t->ifp->name);
		}
	}
	return ok ? 0 : -1;
}

static void
gre_start(struct proto_inst *pi)
{
	struct gre *g = pi->priv;

	for (size_t i = 0; i < g->n; i++) {
		struct gre_tun *t = g->tun[i];

		t->tx_seq = 0; /* RFC 2890 2.2: the first packet carries 0 */
		t->ka_missed = 0;
		t->ka_down = false;
		gre_track(t);
		if (t->ka_interval != 0)
			timer_set(&t->ka, t->ka_interval);
	}
}

static void
gre_stop(struct proto_inst *pi)
{
	struct gre *g = pi->priv;

	for (size_t i = 0; i < g->n; i++) {
		struct gre_tun *t = g->tun[i];

		nht_untrack(t->nh);
		t->nh = NULL;
		timer_cancel(&t->hold);
		timer_cancel(&t->ka);
		t->held = false;
		t->ka_down = false;
		/*
		 * Silently, as a crash takes every interface with it: the node's
		 * other protocols stop too (a Lua stop_protocol("gre") alone
		 * leaves them to notice through their own timers).
		 */
		if (t->up) {
			t->flaps++;
			t->since = node_now(g->node);
		}
		t->up = false;
		t->reason = "not running";
		t->rx_seq_valid = false;
	}
}

static void
gre_destroy(struct proto_inst *pi)
{
	struct gre *g = pi->priv;

	if (g == NULL)
		return;
	for (size_t i = 0; i < g->n; i++) {
		nht_untrack(g->tun[i]->nh);
		timer_cancel(&g->tun[i]->hold);
		timer_cancel(&g->tun[i]->ka);
		free(g->tun[i]->src_name);
		free(g->tun[i]);
	}
	free(g->tun);
	free(g);
	pi->priv = NULL;
}

/* Another interface changed: a tunnel sourced from it, or routed through it, may follow. */
static void
gre_if_notify(struct proto_inst *pi, struct iface *ifp UNUSED, enum if_event ev UNUSED)
{
	eval_all(pi->priv);
}

static void
gre_init(void)
{
	gre_dissect_setup();
}

static const struct proto_rx gre_rx[] = {
	{DEMUX_IPPROTO, IPPROTO_GRE, gre_input},
	{0},
};

const struct protocol proto_gre = {
	.name = "gre",
	.rx = gre_rx,
	.init = gre_init,
	.config_tunnel = gre_config_tunnel,
	.validate = gre_validate,
	.start = gre_start,
	.stop = gre_stop,
	.destroy = gre_destroy,
	.if_notify = gre_if_notify,
	.cmds = gre_cmds,
};
