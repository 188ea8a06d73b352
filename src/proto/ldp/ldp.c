/*
 * ldp.c: the LDP plug-in: configuration (`ldp:` at device level and on each
 * interface that runs it), the node's neighbors, the life cycle, and what
 * the core asks of a protocol (busy, stats, interface events).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/cfg.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../../net/mpls.h"
#include "../../net/tcp.h"
#include "ldp.h"

extern const struct cli_cmd ldp_cmds[];
void ldp_dissect_init(void);

static const struct ldp_cfg dflt_cfg = {
    .label_min = 16, .label_max = LABEL_MAX, .hello = LDP_HELLO_DFLT, .hold = LDP_HOLD_DFLT,
    .keepalive = LDP_KA_DFLT, .gtsm = true,
};

static struct ldp *
ldp_of(struct proto_inst *pi)
{
	if (pi->priv == NULL) {
		struct ldp *l = xcalloc(1, sizeof(*l));

		l->pi = pi;
		l->node = pi->node;
		l->cfg = dflt_cfg;
		hmap_init(&l->fecs);
		hmap_init(&l->labels);
		pi->priv = l;
	}
	return pi->priv;
}

struct ldp *
ldp_running(const struct node *n)
{
	struct proto_inst *pi = proto_get(n, &proto_ldp);

	return pi != NULL && pi->running ? pi->priv : NULL;
}

void
ldp_trace(const struct ldp *l, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (!proto_tracing(l->pi))
		return;
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	log_trace("[%s] ldp %s: %s", sim_time_str(node_now(l->node)), l->node->name, sb_str(&sb));
	sb_free(&sb);
}

/* --- configuration ---------------------------------------------------------------------------- */

/* hello and hold, at device level (the interfaces' default) or on an interface. */
static bool
read_timers(const struct cfg *blk, sim_time *hello, uint16_t *hold)
{
	long long v = *hold;
	bool ok = cfg_opt_time(blk, "hello", true, hello);

	if (ok && (*hello < SIM_S || *hello > 65535 * (sim_time)SIM_S || *hello % SIM_S != 0))
		ok = cfg_error(cfg_get(blk, "hello"), "ldp: 'hello' must be whole seconds, 1s to 65535s");
	if (cfg_get(blk, "hold") != NULL &&
	    !cfg_seconds(cfg_get(blk, "hold"), "hold", 1, 65535, "LDP carries it in seconds", &v))
		ok = false;
	*hold = (uint16_t)v;
	if (cfg_get(blk, "hello") == NULL && cfg_get(blk, "hold") == NULL)
		return ok; /* inherited, and checked where they were given */
	if (ok && *hold * (sim_time)SIM_S <= *hello)
		ok = cfg_error(cfg_get(blk, "hold") ? cfg_get(blk, "hold") : blk,
		    "ldp: the hold time (%us) must exceed the hello interval (%llds)", *hold,
		    (long long)(*hello / SIM_S));
	return ok;
}

static bool
read_unicast(const struct cfg *blk, const char *key, uint32_t *out)
{
	const struct cfg *c = cfg_get(blk, key);

	if (c == NULL)
		return true;
	if (!cfg_ip(c, key, out))
		return false;
	if (ip_not_unicast(*out) != NULL)
		return cfg_error(c, "ldp: %s %s is %s", key, ip_str(*out), ip_not_unicast(*out));
	return true;
}

static int
ldp_config(struct proto_inst *pi, const struct cfg *blk)
{
	static const struct cfg_word binds[] = {{"loopbacks", 0}, {"all", 1}};
	struct ldp *l = ldp_of(pi);
	struct ldp_cfg *c = &l->cfg;
	const struct cfg *v;
	bool ok = true;

	if (blk == NULL)
		return 0;
	l->at = blk;
	if (!cfg_is_map(blk, "ldp"))
		return -1;
	ok &= read_unicast(blk, "router_id", &c->lsr_id);
	ok &= read_unicast(blk, "transport_address", &c->transport);
	if ((v = cfg_get(blk, "label_range")) != NULL) {
		long long lo, hi;

		if (!cfg_is_seq(v, "label_range") || v->n != 2)
			ok = cfg_error(v, "ldp: label_range is [FIRST, LAST]");
		else if (cfg_int(v->v[0], "label_range", 16, LABEL_MAX, &lo) &&
		         cfg_int(v->v[1], "label_range", 16, LABEL_MAX, &hi)) {
			if (hi - lo < 15)
				ok = cfg_error(v, "ldp: label_range %lld-%lld holds fewer than 16 labels", lo, hi);
			c->label_min = (uint32_t)lo;
			c->label_max = (uint32_t)hi;
		} else {
			ok = false;
		}
	}
	if ((v = cfg_get(blk, "bind")) != NULL) {
		int b;

		if (cfg_keyword(v, "bind", binds, ARRAY_LEN(binds), "loopbacks or all", &b))
			c->bind_all = b == 1;
		else
			ok = false;
	}
	ok &= cfg_opt_bool(blk, "explicit_null", &c->explicit_null);
	ok &= cfg_opt_bool(blk, "igp_sync", &c->igp_sync);
	ok &= cfg_opt_bool(blk, "gtsm", &c->gtsm);
	ok &= ldp_targeted_config(l, blk) == 0;
	if (cfg_get(blk, "password") != NULL) {
		const char *pw = NULL;

		/* Copied: the configuration tree goes once the topology is built. */
		if (cfg_opt_str(blk, "password", &pw) && pw != NULL)
			c->password = xstrdup(pw);
		else
			ok = false;
	}
	ok &= read_timers(blk, &c->hello, &c->hold);
	if ((v = cfg_get(blk, "keepalive")) != NULL) {
		long long ka;

		if (cfg_seconds(v, "keepalive", 15, 65535, "LDP carries it in seconds", &ka))
			c->keepalive = (uint16_t)ka;
		else
			ok = false;
	}
	cfg_check_unknown(blk, "ldp");
	return ok ? 0 : -1;
}

static int
ldp_config_iface(struct proto_inst *pi, struct iface *ifp, const struct cfg *blk)
{
	struct ldp *l = ldp_of(pi);
	struct ldp_if *lif;

	if (l->at == NULL)
		l->at = blk;
	if (!cfg_is_map(blk, "ldp"))
		return -1;
	if (ifp->kind == IF_LOOPBACK) {
		cfg_error(blk, "ldp: %s is a loopback (LDP Hellos go out on links; loopbacks are "
		    "bound by `bind:`)", ifp->name);
		return -1;
	}
	if (ifp->idx >= l->nif) {
		size_t n = (size_t)ifp->idx + 1;

		l->ifs = xrealloc(l->ifs, n * sizeof(*l->ifs));
		memset(l->ifs + l->nif, 0, (n - l->nif) * sizeof(*l->ifs));
		l->nif = n;
	}
	lif = xcalloc(1, sizeof(*lif));
	lif->l = l;
	lif->ifp = ifp;
	lif->hello = l->cfg.hello;
	lif->hold = l->cfg.hold;
	timer_init_new(&lif->hello_t, &pi->node->actor, NULL, lif);
	l->ifs[ifp->idx] = lif;
	if (!read_timers(blk, &lif->hello, &lif->hold))
		return -1;
	cfg_check_unknown(blk, "ldp");
	return 0;
}

static int
ldp_validate(struct proto_inst *pi)
{
	struct ldp *l = ldp_of(pi);

	if (pi->node->type != NODE_ROUTER) {
		cfg_error(l->at, "%s: only routers run LDP", pi->node->name);
		return -1;
	}
	return 0;
}

/* --- neighbors -------------------------------------------------------------------------------- */

static size_t
nbr_index(const struct ldp *l, uint32_t id, bool *found)
{
	size_t lo = 0, hi = l->nnbr;

	*found = false;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (l->nbrs[mid]->lsr_id == id) {
			*found = true;
			return mid;
		}
		if (l->nbrs[mid]->lsr_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct ldp_nbr *
ldp_nbr_find(const struct ldp *l, uint32_t id)
{
	bool found;
	size_t i = nbr_index(l, id, &found);

	return found ? l->nbrs[i] : NULL;
}

struct ldp_nbr *
ldp_nbr_get(struct ldp *l, uint32_t id)
{
	struct ldp_nbr *nb;
	bool found;
	size_t i = nbr_index(l, id, &found);

	if (found)
		return l->nbrs[i];
	nb = xcalloc(1, sizeof(*nb));
	nb->l = l;
	nb->lsr_id = id;
	nb->since = node_now(l->node);
	nb->backoff = LDP_RETRY_FIRST;
	timer_init_new(&nb->ka_t, &l->node->actor, NULL, nb);
	timer_init_new(&nb->ka_hold_t, &l->node->actor, NULL, nb);
	timer_init_new(&nb->retry_t, &l->node->actor, NULL, nb);
	timer_init_new(&nb->flush_t, &l->node->actor, NULL, nb);
	grow_array((void **)&l->nbrs, &l->nbrcap, l->nnbr + 1, sizeof(*l->nbrs));
	memmove(&l->nbrs[i + 1], &l->nbrs[i], (l->nnbr - i) * sizeof(*l->nbrs));
	l->nbrs[i] = nb;
	l->nnbr++;
	return nb;
}

void
ldp_nbr_delete(struct ldp_nbr *nb)
{
	struct ldp *l = nb->l;
	bool found;
	size_t i;

	while (nb->nadj > 0)
		ldp_adj_free(nb->adj[nb->nadj - 1]);
	ldp_session_close(nb, 0, NULL);
	timer_cancel(&nb->retry_t);
	timer_cancel(&nb->flush_t);
	i = nbr_index(l, nb->lsr_id, &found);
	if (!found || l->nbrs[i] != nb)
		bug("ldp: neighbor %s not in its table", ip_str(nb->lsr_id));
	memmove(&l->nbrs[i], &l->nbrs[i + 1], (l->nnbr - i - 1) * sizeof(*l->nbrs));
	l->nnbr--;
	free(nb->adj);
	free(nb->addrs);
	free(nb->rbuf);
	free(nb->pdu);
	sb_free(&nb->txq);
	free(nb);
}

/* --- LDP-IGP synchronization (RFC 5443) ----------------------------------------------------- */

static bool
lif_synced(const struct ldp *l, const struct ldp_if *lif)
{
	for (size_t i = 0; i < l->nnbr; i++) {
		const struct ldp_nbr *nb = l->nbrs[i];

		for (size_t k = 0; nb->state == LDP_OPERATIONAL && k < nb->nadj; k++)
			if (nb->adj[k]->lif == lif)
				return true;
	}
	return false;
}

void
ldp_sync_update(struct ldp *l)
{
	for (size_t i = 0; l->cfg.igp_sync && i < l->nif; i++) {
		struct ldp_if *lif = l->ifs[i];
		bool s;

		if (lif == NULL || (s = lif_synced(l, lif)) == lif->synced)
			continue;
		lif->synced = s;
		ldp_trace(l, "%s: LDP-IGP sync %s", lif->ifp->name, s ? "achieved" : "lost");
		proto_igp_hold_changed(l->node, lif->ifp);
	}
}

/*
 * 4: until a session is operational over the link, the IGPs advertise it at
 * their maximum metric (no hold-down timer: the wait ends with the session).
 */
static bool
ldp_igp_hold(struct proto_inst *pi, const struct iface *ifp)
{
	const struct ldp *l = pi->priv;
	const struct ldp_if *lif = l != NULL && ifp->idx < l->nif ? l->ifs[ifp->idx] : NULL;

	return lif != NULL && l->cfg.igp_sync && iface_is_up(ifp) && !lif->synced;
}

/* --- life cycle ------------------------------------------------------------------------------- */

static void
ldp_start(struct proto_inst *pi)
{
	struct ldp *l = ldp_of(pi);
	const char *how;

	l->lsr_id = l->cfg.lsr_id ? l->cfg.lsr_id : node_router_id(l->node, &how);
	l->transport = l->cfg.transport ? l->cfg.transport : l->lsr_id;
	ldp_session_listen(l);
	ldp_labels_start(l);
	ldp_targeted_start(l);
	for (size_t i = 0; i < l->nif; i++) {
		if (l->ifs[i] == NULL)
			continue;
		if (iface_is_up(l->ifs[i]->ifp))
			ldp_if_start(l->ifs[i]);
		if (l->cfg.igp_sync) /* the IGPs may have originated before LDP held the link */
			proto_igp_hold_changed(l->node, l->ifs[i]->ifp);
	}
}

/*
 * A crash, or LDP stopped alone: every session goes (with a Shutdown
 * Notification unless the box is dead: the TCP stack then sends nothing),
 * and with them the labels this router pushed and switched.
 */
static void
ldp_stop(struct proto_inst *pi)
{
	struct ldp *l = ldp_of(pi);

	for (size_t i = 0; i < l->nif; i++)
		if (l->ifs[i] != NULL)
			ldp_if_stop(l->ifs[i]);
	while (l->nnbr > 0)
		ldp_nbr_delete(l->nbrs[l->nnbr - 1]);
	ldp_targeted_stop(l);
	if (l->listener != NULL) {
		tcp_close(l->listener);
		l->listener = NULL;
	}
	ldp_labels_stop(l);
	/* LDP holds no link any more: the IGPs hear of it. */
	for (size_t i = 0; l->cfg.igp_sync && i < l->nif; i++)
		if (l->ifs[i] != NULL) {
			l->ifs[i]->synced = false;
			proto_igp_hold_changed(l->node, l->ifs[i]->ifp);
		}
}

static void
ldp_destroy(struct proto_inst *pi)
{
	struct ldp *l = pi->priv;

	if (l == NULL)
		return;
	l->quiet = true; /* sessions and adjacencies go with the network: nobody is to hear of it */
	if (pi->running)
		ldp_stop(pi);
	for (size_t i = 0; i < l->nif; i++)
		free(l->ifs[i]);
	free(l->ifs);
	free(l->nbrs);
	free((char *)l->cfg.password);
	free(l->cfg.targets);
	ldp_conns_free(l);
	hmap_free(&l->fecs);
	hmap_free(&l->labels);
	free(l);
	pi->priv = NULL;
}

static void
ldp_if_notify(struct proto_inst *pi, struct iface *ifp, enum if_event ev)
{
	struct ldp *l = pi->priv;
	struct ldp_if *lif = l && ifp->idx < l->nif ? l->ifs[ifp->idx] : NULL;

	if (lif == NULL)
		return;
	if (ev == IF_DOWN)
		ldp_if_stop(lif);
	else if (ev == IF_UP)
		ldp_if_start(lif);
}

/*
 * A session's first set-up is work in progress (its bytes are counted by
 * TCP's busy); a retry is not (session.c), so a session that cannot come up
 * (GTSM, a password mismatch) leaves the network converged without it.
 */
static bool
ldp_busy(struct proto_inst *pi)
{
	const struct ldp *l = pi->priv;

	for (size_t i = 0; l != NULL && i < l->nnbr; i++) {
		const struct ldp_nbr *nb = l->nbrs[i];

		if (nb->attempts <= 1 && nb->state != LDP_OPERATIONAL &&
		    (nb->state != LDP_NONEXISTENT || nb->conn != NULL))
			return true;
	}
	return false;
}

static void
ldp_stats(struct proto_inst *pi, struct strbuf *sb)
{
	const struct network *net = pi->node->net;
	uint64_t hello = 0, up = 0, down = 0, maps = 0;
	size_t ops = 0;

	/* One line for the network, summed on the first call. */
	if (sb->len > 0)
		return;
	for (size_t i = 0; i < net->nnodes; i++) {
		struct proto_inst *q = proto_get(net->nodes[i], &proto_ldp);
		const struct ldp *l = q ? q->priv : NULL;

		if (l == NULL)
			continue;
		hello += l->st.hello_tx;
		up += l->st.sessions_up;
		down += l->st.sessions_down;
		/*
		 * A session once, at the end with the lower LSR ID: a count over
		 * devices, which adds up over the ranks of a distributed run.
		 */
		for (size_t k = 0; k < l->nnbr; k++) {
			ops += l->nbrs[k]->state == LDP_OPERATIONAL && l->lsr_id < l->nbrs[k]->lsr_id;
			maps += l->nbrs[k]->st.tx[ldp_msg_kind(LDP_LABEL_MAPPING)];
		}
	}
	sb_printf(sb, "ldp: %zu sessions operational, %llu hellos, %llu label mappings sent, "
	    "%llu up, %llu down events", ops, (unsigned long long)hello,
	    (unsigned long long)maps, (unsigned long long)up, (unsigned long long)down);
}

static void
ldp_init(void)
{
	ldp_dissect_init();
}

static const struct proto_rx ldp_rx[] = {
    {DEMUX_UDP, LDP_PORT, ldp_hello_input},
    {0},
};

const struct protocol proto_ldp = {
    .name = "ldp",
    .rx = ldp_rx,
    .init = ldp_init,
    .config = ldp_config,
    .config_iface = ldp_config_iface,
    .validate = ldp_validate,
    .start = ldp_start,
    .stop = ldp_stop,
    .destroy = ldp_destroy,
    .if_notify = ldp_if_notify,
    .busy = ldp_busy,
    .igp_hold = ldp_igp_hold,
    .stats = ldp_stats,
    .cmds = ldp_cmds,
};
