/*
 * bgp.c: BGP-4 as a netsim protocol plug-in (docs/protocols.md): start and
 * stop, the listener on TCP port 179, interface events, convergence and
 * statistics. The pieces are listed in bgp.h.
 *
 * A crash forgets everything, as a real one does: the node's TCP drops its
 * connections without a word, so neighbors learn it from their hold timer
 * or from the RST the restarted node answers their next segment with.
 * A restart of the protocol alone (`restart bgp`, chaos.restart) is bgpd
 * crashing on a live box: the kernel resets its connections (RSTs), and with
 * graceful restart the routes stay in the RIB while it starts again (gr.c).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/json.h"
#include "../../lib/util.h"
#include "../../net/tcp.h"
#include "bgp.h"
#include "l3vpn.h"
#include "dissect.h"

void
bgp_trace_line(const struct bgp *b, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	log_trace("[%s] bgp %s: %s", sim_time_str(node_now(b->node)), b->node->name, sb_str(&sb));
	sb_free(&sb);
}

/* The peers, made once from the configuration (sorted by address, as cfg.nbrs). */
static void
peers_create(struct bgp *b)
{
	b->npeers = b->cfg.nnbrs;
	b->peers = xcalloc(b->npeers ? b->npeers : 1, sizeof(*b->peers));
	for (size_t i = 0; i < b->npeers; i++) {
		struct bgp_peer *p = &b->peers[i];

		p->bgp = b;
		p->cfg = &b->cfg.nbrs[i];
		p->ebgp = p->cfg->remote_as != b->cfg.as;
		p->admin_down = p->cfg->shutdown;
		bgp_peer_init(p);
		bgp_filter_init(p);
		bgp_gr_peer_init(p);
	}
}

/* Start one instance: the device's, or a VRF's (PE-CE sessions). */
static void
instance_start(struct bgp *b, struct proto_inst *pi)
{
	struct node *n = pi->node;
	const char *how;

	b->pi = pi;
	b->node = n;
	/* bgp.router_id, the device's, else an address; a VRF's instance has its device's */
	b->router_id = b->parent ? b->parent->router_id : bgp_config_router_id(b, &how);
	if (b->peers == NULL) {
		peers_create(b);
		bgp_rib_init(b);
		bgp_gr_init(b);
	}
	b->listener = tcp_listen_vrf(n, b->vrf, 0, BGP_PORT, bgp_tcp_accept, bgp_tcp_accepted, b);
	b->started = true;
	b->started_at = node_now(n);
	bgp_gr_start(b); /* before anything is decided: a restarted speaker defers */
	bgp_feed_start(b);
	bgp_origin_start(b);
	bgp_vpn_start(b);
	for (size_t i = 0; i < b->npeers; i++)
		bgp_peer_start(&b->peers[i]);
}

static void
bgp_start(struct proto_inst *pi)
{
	struct bgp *b = bgp_of(pi);

	instance_start(b, pi);
	for (size_t i = 0; i < b->nvrf_insts; i++)
		instance_start(b->vrf_insts[i], pi);
}

/*
 * The node crashed, or the protocol stops: forget every session, path and
 * route; but a restart of the process (the node's TCP is alive) with
 * graceful restart keeps the routes in the RIB (gr.c).
 */
static void
instance_stop(struct bgp *b)
{
	bool keep = bgp_gr_stop(b, !tcp_node_is_quiet(b->node));

	b->started = false;
	for (size_t i = 0; i < b->npeers; i++) {
		struct bgp_peer *p = &b->peers[i];

		bgp_peer_forget(p);
		bgp_filter_peer_down(p);
		/* What waited for TCP goes with the connection (and must not start the next one). */
		free(p->outq);
		p->outq = NULL;
		p->outq_len = p->outq_cap = 0;
	}
	if (b->listener != NULL)
		tcp_abort(b->listener);
	b->listener = NULL;
	bgp_out_free(b);
	bgp_vpn_stop(b);
	bgp_rib_flush(b, keep);
	bgp_feed_stop(b);
	for (size_t i = 0; i < b->npeers; i++)
		b->peers[i].st.pfx_in = 0; /* their paths are gone with the table */
}

static void
bgp_stop(struct proto_inst *pi)
{
	struct bgp *b = bgp_of(pi);

	for (size_t i = 0; i < b->nvrf_insts; i++)
		instance_stop(b->vrf_insts[i]);
	instance_stop(b);
}

void
bgp_restart(struct bgp *b)
{
	struct proto_inst *pi = b->pi;

	if (!pi->running)
		return;
	pi->running = false;
	bgp_stop(pi);
	pi->running = true;
	bgp_start(pi);
}

/* Free an instance's tables and peers (its configuration goes with the device's). */
static void
instance_free(struct bgp *b)
{
	if (b->started)
		instance_stop(b);
	bgp_vpn_destroy(b);
	idtab_free(&b->dests);
	hmap_free(&b->nhs);
	hmap_free(&b->best_was);
	slab_destroy(&b->dest_slab);
	slab_destroy(&b->path_slab);
	slab_destroy(&b->nh_slab);
	for (size_t i = 0; i < b->npeers; i++)
		bgp_filter_free(&b->peers[i]);
	free(b->peers);
	free(b->aggr_dirty);
}

static void
bgp_destroy(struct proto_inst *pi)
{
	struct bgp *b = bgp_of(pi);

	if (b == NULL)
		return;
	for (size_t i = 0; i < b->nvrf_insts; i++)
		instance_free(b->vrf_insts[i]);
	instance_free(b);
	bgp_cfg_free(&b->cfg);
	free(b);
	pi->priv = NULL;
}

/*
 * An interface went down: a directly connected eBGP session over it ends
 * now rather than at the hold timer (FRR's fast-external-failover, on by
 * default).
 */
static void
bgp_if_notify(struct proto_inst *pi, struct iface *ifp, enum if_event ev)
{
	struct bgp *b = bgp_of(pi);
	struct prefix sub = {ifp->addr & ip_mask(ifp->plen), ifp->plen};

	if (ev != IF_DOWN || ifp->addr == 0)
		return;
	for (size_t i = 0; i < b->nvrf_insts; i++)
		if (b->vrf_insts[i]->vrf == ifp->vrf)
			b = b->vrf_insts[i];
	if (b->vrf != ifp->vrf)
		return;
	for (size_t i = 0; i < b->npeers; i++) {
		struct bgp_peer *p = &b->peers[i];

		if (!p->ebgp || p->cfg->ebgp_multihop || p->est == NULL ||
		    !prefix_contains(&sub, p->cfg->ip))
			continue;
		bgp_peer_stop(p, 0, "Interface down");
		bgp_peer_start(p);
	}
}

static bool
instance_busy(const struct bgp *b)
{
	/* A restarted speaker that has not selected yet is not converged (graceful restart). */
	return bgp_rib_busy(b) || bgp_out_busy(b) || bgp_feed_busy(b) || b->gr_deferring ||
	    bgp_vpn_busy(b);
}

static bool
bgp_busy(struct proto_inst *pi)
{
	const struct bgp *b = bgp_of(pi);

	for (size_t i = 0; i < b->nvrf_insts; i++)
		if (instance_busy(b->vrf_insts[i]))
			return true;
	return instance_busy(b);
}

static void
bgp_stats(struct proto_inst *pi, struct strbuf *sb)
{
	struct network *net = pi->node->net;
	int id = proto_id(&proto_bgp);
	struct bgp_stats t = {0};

	if (sb->len > 0)
		return;
	for (size_t i = 0; i < net->nnodes; i++) {
		struct proto_inst *q = net->nodes[i]->pi ? net->nodes[i]->pi[id] : NULL;
		const struct bgp *b = q ? q->priv : NULL;

		if (b == NULL)
			continue;
		t.sessions_established += b->st.sessions_established;
		t.updates_out += b->st.updates_out;
		t.updates_in += b->st.updates_in;
		t.originated += b->st.originated;
	}
	sb_printf(sb, "BGP events: %llu sessions established, %llu routes originated, %llu UPDATEs sent",
	    (unsigned long long)t.sessions_established, (unsigned long long)t.originated,
	    (unsigned long long)t.updates_out);
}

static void
bgp_init(void)
{
	bgp_dissect_init();
}

static const char *const bgp_route_codes[] = {"B - BGP", NULL};

const struct protocol proto_bgp = {
    .name = "bgp",
    .init = bgp_init,
    .config = bgp_config,
    .validate = bgp_validate,
    .start = bgp_start,
    .stop = bgp_stop,
    .destroy = bgp_destroy,
    .if_notify = bgp_if_notify,
    .busy = bgp_busy,
    .stats = bgp_stats,
    .show_protocols = bgp_show_protocols,
    .route_codes = bgp_route_codes,
    .cmds = bgp_cmds,
    .policy_changed = bgp_policy_changed,
};
