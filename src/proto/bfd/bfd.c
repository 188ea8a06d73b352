/*
 * bfd.c: the BFD plug-in: configuration (`bfd:` at device level for
 * multi-hop sessions and as the interfaces' default, and per interface),
 * the node's sessions, the client API of bfd.h, and reception: a packet is
 * checked (packet.c, RFC 5880 6.8.6), matched to its session by Your
 * Discriminator or, while that is zero, by source address and interface
 * (RFC 5881 3, RFC 5883 3), and single-hop packets must arrive with TTL 255
 * (RFC 5881 5; multi-hop: at least 254, FRR's minimum-ttl).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/cfg.h"
#include "../../lib/ip.h"
#include "../../lib/log.h"
#include "../../lib/strbuf.h"
#include "../../lib/util.h"
#include "../../net/ip4.h"
#include "bfd_int.h"

extern const struct cli_cmd bfd_cmds[];
void bfd_dissect_init(void);

static const struct bfd_params dflt_params = {BFD_INTERVAL_DFLT, BFD_INTERVAL_DFLT,
                                              BFD_MULT_DFLT, false};

static struct bfd *
bfd_of(struct proto_inst *pi)
{
	if (pi->priv == NULL) {
		struct bfd *b = xcalloc(1, sizeof(*b));

		b->pi = pi;
		b->node = pi->node;
		b->dflt = dflt_params;
		pi->priv = b;
	}
	return pi->priv;
}

void
bfd_trace(const struct bfd *b, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (!proto_tracing(b->pi))
		return;
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	log_trace("[%s] bfd %s: %s", sim_time_str(node_now(b->node)), b->node->name, sb_str(&sb));
	sb_free(&sb);
}

const struct bfd_params *
bfd_params_for(const struct bfd *b, const struct iface *ifp)
{
	if (ifp != NULL && ifp->idx < b->nif && b->ifset[ifp->idx])
		return &b->ifparams[ifp->idx];
	return &b->dflt;
}

/* --- configuration ---------------------------------------------------------------------------- */

/* An interval in whole microseconds, FRR's range 10 ms .. 60 s. */
static bool
interval(const struct cfg *m, const char *key, uint32_t *us)
{
	const struct cfg *c = cfg_get(m, key);
	sim_time t;

	if (c == NULL)
		return true;
	if (!cfg_time(c, key, false, &t))
		return false;
	if (t < 10 * SIM_MS || t > 60 * SIM_S)
		return cfg_error(c, "bfd: '%s' must be 10ms to 60s", key);
	if (t % SIM_US != 0)
		return cfg_error(c, "bfd: '%s' is carried in whole microseconds", key);
	*us = (uint32_t)(t / SIM_US);
	return true;
}

/* {interval, multiplier, min_rx, min_tx, passive} over p. */
static bool
read_params(const struct cfg *blk, struct bfd_params *p)
{
	long long v = p->mult;
	bool ok = true;

	if (!cfg_is_map(blk, "bfd"))
		return false;
	if (interval(blk, "interval", &p->min_tx))
		p->min_rx = p->min_tx;
	else
		ok = false;
	ok &= interval(blk, "min_rx", &p->min_rx);
	ok &= interval(blk, "min_tx", &p->min_tx);
	if (cfg_opt_int(blk, "multiplier", 1, 255, &v))
		p->mult = (uint8_t)v;
	else
		ok = false;
	ok &= cfg_opt_bool(blk, "passive", &p->passive);
	cfg_check_unknown(blk, "bfd");
	return ok;
}

static int
bfd_config(struct proto_inst *pi, const struct cfg *blk)
{
	struct bfd *b = bfd_of(pi);

	if (blk == NULL)
		return 0;
	b->at = blk;
	return read_params(blk, &b->dflt) ? 0 : -1;
}

static int
bfd_config_iface(struct proto_inst *pi, struct iface *ifp, const struct cfg *blk)
{
	struct bfd *b = bfd_of(pi);

	if (ifp->idx >= b->nif) {
		size_t n = (size_t)ifp->idx + 1;

		b->ifparams = xrealloc(b->ifparams, n * sizeof(*b->ifparams));
		b->ifset = xrealloc(b->ifset, n * sizeof(*b->ifset));
		memset(b->ifset + b->nif, 0, (n - b->nif) * sizeof(*b->ifset));
		b->nif = n;
	}
	/* An interface block starts from the device's (device-level blocks are read first). */
	b->ifparams[ifp->idx] = b->dflt;
	b->ifset[ifp->idx] = true;
	b->at = blk;
	if (ifp->kind == IF_LOOPBACK) {
		cfg_error(blk, "bfd: %s is a loopback (single-hop BFD runs on links)", ifp->name);
		return -1;
	}
	return read_params(blk, &b->ifparams[ifp->idx]) ? 0 : -1;
}

bool
bfd_enable(struct node *n, const struct cfg *at)
{
	struct proto_inst *pi;

	if (n->type != NODE_ROUTER)
		return cfg_error(at, "%s: only routers run BFD", n->name);
	pi = proto_instance(n, &proto_bfd);
	bfd_of(pi);
	return true;
}

/* Only routers run BFD (a host's block would configure nothing that runs). */
static int
bfd_validate(struct proto_inst *pi)
{
	struct bfd *b = bfd_of(pi);

	if (pi->node->type == NODE_ROUTER || b->at == NULL)
		return 0;
	cfg_error(b->at, "%s: only routers run BFD", pi->node->name);
	return -1;
}

/* --- sessions --------------------------------------------------------------------------------- */

static int
sess_cmp_key(const struct bfd_sess *s, uint32_t peer, const struct iface *ifp)
{
	uint32_t a = s->ifp ? s->ifp->idx : UINT32_MAX, k = ifp ? ifp->idx : UINT32_MAX;

	if (s->peer != peer)
		return s->peer < peer ? -1 : 1;
	return a < k ? -1 : a > k;
}

/* The index of (peer, ifp) in b->sess, or where it would go (*found says which). */
static size_t
sess_index(const struct bfd *b, uint32_t peer, const struct iface *ifp, bool *found)
{
	size_t lo = 0, hi = b->nsess;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = sess_cmp_key(b->sess[mid], peer, ifp);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static struct bfd_sess *
sess_by_disc(const struct bfd *b, uint32_t disc)
{
	for (size_t i = 0; i < b->nsess; i++)
		if (b->sess[i]->my_disc == disc)
			return b->sess[i];
	return NULL;
}

/* A discriminator and a source port of the node's own, from its generator (determinism). */
static void
sess_ids(struct bfd *b, struct bfd_sess *s)
{
	struct rng *r = &b->node->rng;
	bool clash;

	do
		s->my_disc = (uint32_t)rng_below(r, UINT32_MAX) + 1;
	while (sess_by_disc(b, s->my_disc) != NULL);
	s->sport = (uint16_t)(BFD_SPORT_MIN + rng_below(r, 65536 - BFD_SPORT_MIN));
	do {
		clash = false;
		for (size_t i = 0; i < b->nsess; i++)
			if (b->sess[i]->sport == s->sport)
				clash = true;
		if (clash)
			s->sport = s->sport == 65535 ? BFD_SPORT_MIN : (uint16_t)(s->sport + 1);
	} while (clash);
}

static void
sess_remove(struct bfd *b, struct bfd_sess *s)
{
	bool found;
	size_t i = sess_index(b, s->peer, s->ifp, &found);

	if (!found || b->sess[i] != s)
		bug("bfd: session %s not in its table", ip_str(s->peer));
	memmove(&b->sess[i], &b->sess[i + 1], (b->nsess - i - 1) * sizeof(*b->sess));
	b->nsess--;
	bfd_trace(b, "peer %s: session deleted (no client left)", ip_str(s->peer));
	bfd_sess_free(s);
}

/* Drop unregistered clients once no callback runs; a session without clients goes. */
static void
sess_gc(struct bfd_sess *s)
{
	size_t k = 0;

	if (s->notifying)
		return;
	for (size_t i = 0; i < s->nclients; i++) {
		if (s->clients[i]->cb != NULL)
			s->clients[k++] = s->clients[i];
		else
			free(s->clients[i]);
	}
	s->nclients = k;
	if (k == 0)
		sess_remove(s->b, s);
}

struct bfd_client *
bfd_register(struct node *n, uint32_t peer, uint32_t local, struct iface *ifp, bfd_cb cb,
    void *arg)
{
	struct proto_inst *pi = proto_get(n, &proto_bfd);
	struct bfd *b;
	struct bfd_client *c;
	struct bfd_sess *s;
	bool found;
	size_t i;

	if (pi == NULL || !pi->running || pi->priv == NULL)
		return NULL;
	b = pi->priv;
	if (local == 0 && ifp != NULL)
		local = ifp->addr;
	i = sess_index(b, peer, ifp, &found);
	if (found) {
		s = b->sess[i];
	} else {
		s = bfd_sess_new(b, peer, local, ifp);
		sess_ids(b, s);
		grow_array((void **)&b->sess, &b->scap, b->nsess + 1, sizeof(*b->sess));
		memmove(&b->sess[i + 1], &b->sess[i], (b->nsess - i) * sizeof(*b->sess));
		b->sess[i] = s;
		b->nsess++;
		bfd_trace(b, "peer %s%s%s: session created (discriminator %u)", ip_str(peer),
		    ifp ? " on " : " multihop", ifp ? ifp->name : "", s->my_disc);
		bfd_sess_start(s);
	}
	c = xcalloc(1, sizeof(*c));
	c->s = s;
	c->cb = cb;
	c->arg = arg;
	VEC_PUSH(s->clients, s->nclients, s->ccap, c);
	return c;
}

void
bfd_unregister(struct bfd_client *c)
{
	if (c == NULL)
		return;
	if (c->s == NULL) { /* its session went with a restart of BFD alone */
		free(c);
		return;
	}
	c->cb = NULL;
	sess_gc(c->s);
}

void
bfd_sess_hold(struct bfd_sess *s)
{
	s->notifying++;
}

void
bfd_sess_release(struct bfd_sess *s)
{
	s->notifying--;
	sess_gc(s);
}

/* --- reception -------------------------------------------------------------------------------- */

static void
bfd_input(struct proto_inst *pi, const struct rx_ctx *c, struct pkt *p)
{
	struct bfd *b = pi->priv;
	bool mh = c->dport == BFD_MH_PORT;
	struct bfd_sess *s = NULL;
	struct bfd_pkt bp;
	const char *err;
	bool found;

	b->st.rx++;
	if (bfd_pkt_decode(&bp, p->data, p->len, &err) < 0) {
		bfd_trace(b, "%s: packet from %s dropped: %s", c->ifp->name, ip_str(c->ip->src), err);
		goto drop;
	}
	/* RFC 5881 5 (GTSM); RFC 5883 5 leaves it to configuration: FRR's 254. */
	if (c->ip->ttl < (mh ? BFD_MH_MIN_TTL : 255)) {
		bfd_trace(b, "%s: packet from %s dropped: TTL %u", c->ifp->name, ip_str(c->ip->src),
		    c->ip->ttl);
		goto drop;
	}
	if (bp.your_disc != 0) {
		s = sess_by_disc(b, bp.your_disc);
	} else {
		size_t i = sess_index(b, c->ip->src, mh ? NULL : c->ifp, &found);

		s = found ? b->sess[i] : NULL;
	}
	/* A single-hop session is bound to its interface, and each kind to its port. */
	if (s == NULL || (s->ifp == NULL) != mh || (s->ifp != NULL && s->ifp != c->ifp) ||
	    s->peer != c->ip->src) {
		bfd_trace(b, "%s: packet from %s dropped: no session", c->ifp->name,
		    ip_str(c->ip->src));
		goto drop;
	}
	/* No authentication is configured: an authenticated packet is refused (6.8.6). */
	if (bp.flags & BFD_F_AUTH) {
		bfd_trace(b, "%s: packet from %s dropped: authentication not configured",
		    c->ifp->name, ip_str(c->ip->src));
		goto drop;
	}
	bfd_sess_hold(s);
	bfd_sess_input(s, &bp);
	bfd_sess_release(s);
	pkt_free(p);
	return;
drop:
	b->st.drops++;
	c->ifp->st.rx_drops++;
	pkt_free(p);
}

static const struct proto_rx bfd_rx[] = {
    {DEMUX_UDP, BFD_PORT, bfd_input},
    {DEMUX_UDP, BFD_MH_PORT, bfd_input},
    {0},
};

/* --- life cycle ------------------------------------------------------------------------------- */

static void
bfd_start(struct proto_inst *pi)
{
	bfd_of(pi);
}

/*
 * A crash (or a restart of BFD alone): every session goes without a word.
 * BFD is last in the registry, so it stops before its clients: their
 * registrations are left without a session (and without callbacks) until
 * they unregister, which they do as they stop.
 */
static void
bfd_stop(struct proto_inst *pi)
{
	struct bfd *b = bfd_of(pi);

	for (size_t i = 0; i < b->nsess; i++) {
		struct bfd_sess *s = b->sess[i];

		for (size_t k = 0; k < s->nclients; k++) {
			if (s->clients[k]->cb == NULL)
				free(s->clients[k]);
			else
				s->clients[k]->s = NULL;
		}
		bfd_sess_free(s);
	}
	b->nsess = 0;
}

static void
bfd_destroy(struct proto_inst *pi)
{
	struct bfd *b = pi->priv;

	if (b == NULL)
		return;
	bfd_stop(pi);
	free(b->sess);
	free(b->ifparams);
	free(b->ifset);
	free(b);
	pi->priv = NULL;
}

static void
bfd_stats(struct proto_inst *pi, struct strbuf *sb)
{
	const struct network *net = pi->node->net;
	uint64_t tx = 0, rx = 0, up = 0, down = 0;
	size_t ns = 0;

	/* One line for the network, summed on the first call. */
	if (sb->len > 0)
		return;
	for (size_t i = 0; i < net->nnodes; i++) {
		struct proto_inst *q = proto_get(net->nodes[i], &proto_bfd);
		const struct bfd *b = q ? q->priv : NULL;

		if (b == NULL)
			continue;
		tx += b->st.tx;
		rx += b->st.rx;
		ns += b->nsess;
		for (size_t k = 0; k < b->nsess; k++) {
			up += b->sess[k]->st.up;
			down += b->sess[k]->st.down;
		}
	}
	sb_printf(sb, "bfd: %zu sessions, %llu packets sent, %llu received, %llu up, %llu down events",
	    ns, (unsigned long long)tx, (unsigned long long)rx, (unsigned long long)up,
	    (unsigned long long)down);
}

static void
bfd_init(void)
{
	bfd_dissect_init();
}

const struct protocol proto_bfd = {
    .name = "bfd",
    .rx = bfd_rx,
    .init = bfd_init,
    .config = bfd_config,
    .config_iface = bfd_config_iface,
    .validate = bfd_validate,
    .start = bfd_start,
    .stop = bfd_stop,
    .destroy = bfd_destroy,
    .stats = bfd_stats,
    .cmds = bfd_cmds,
};
