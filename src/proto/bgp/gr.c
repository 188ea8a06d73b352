/*
 * gr.c: BGP graceful restart (RFC 4724), both roles, as FRR 8.4 behaves.
 *
 * Modes per neighbor (FRR's words): Restart (`graceful_restart: true`, FRR's
 * `bgp graceful-restart`): the capability lists IPv4 unicast, so the
 * neighbor keeps our routes while we restart; Helper (the default, as in
 * FRR): the capability without address families, we keep the routes of a
 * neighbor in Restart mode while it restarts; Disable (`graceful_restart:
 * false` on the neighbor, FRR's graceful-restart-disable): no capability.
 *
 * Helper (receiving speaker, 4.2): an Established session with a neighbor
 * that listed IPv4 unicast in its capability ends on a TCP failure (reset,
 * close, timeout; a session ended by a NOTIFICATION, the hold timer's
 * included, withdraws everything, as RFC 4724 alone specifies: netsim sends
 * no N bit, so RFC 8538's graceful NOTIFICATION never applies): its paths stay, marked stale, and
 * keep forwarding; its Restart Time runs. Not back in time: the stale paths
 * go. Back with an OPEN whose capability lacks IPv4 unicast or its F bit:
 * they go at once; else they stay until its End-of-RIB or our stalepath
 * time, and then those it did not send again go.
 *
 * Restarting speaker (4.1): `restart bgp` or a protocol restart (not a node
 * crash) with Restart mode on some neighbor keeps the B routes in the node's
 * RIB and FIB (rib_sync_begin), forgets everything else and starts again at
 * once. Its OPENs carry the F bit (and the R bit, which FRR sets in every
 * OPEN for the Restart Time after the process started); it runs no decision until
 * every neighbor that was up with graceful restart before sent End-of-RIB,
 * or select_defer_time passed; then it decides, advertises, sends its own
 * End-of-RIBs, and removes the RIB routes it did not learn again
 * (rib_sync_end).
 */
#include <stdarg.h>

#include "../../lib/util.h"
#include "../../net/events.h"
#include "bgp.h"

enum bgp_gr_mode
bgp_gr_mode(const struct bgp_peer *p)
{
	if (p->cfg->dont_capability_negotiate || p->cfg->gr == 0)
		return BGP_GR_DISABLE;
	if (p->cfg->gr == 1 || (p->cfg->gr < 0 && p->bgp->cfg.gr))
		return BGP_GR_RESTART;
	return BGP_GR_HELPER;
}

void
bgp_gr_open(const struct bgp_peer *p, struct bgp_open *o)
{
	const struct bgp *b = p->bgp;
	enum bgp_gr_mode m = bgp_gr_mode(p);

	o->cap_gr = m != BGP_GR_DISABLE;
	if (!o->cap_gr)
		return;
	o->gr_time = b->cfg.gr_restart_time;
	/*
	 * The R bit while the process is younger than its Restart Time, as FRR
	 * sets it (its startup timer): the peer then does not wait for our
	 * End-of-RIB before its own (RFC 4724 4.1).
	 */
	o->gr_flags = node_now(b->node) - b->started_at < (sim_time)b->cfg.gr_restart_time * SIM_S
	                  ? BGP_GR_FLAG_R
	                  : 0;
	if (m == BGP_GR_RESTART) {
		o->ngr_afi = 1;
		o->gr_afi[0].afi = BGP_AFI_IPV4;
		o->gr_afi[0].safi = BGP_SAFI_UNICAST;
		o->gr_afi[0].flags = b->gr_fwd_kept ? BGP_GR_AFI_F : 0;
	}
}

/* A timeline line (a `log` event): "BGP: r1 neighbor 10.0.12.2 graceful restart: ...". */
static void __attribute__((format(printf, 2, 3)))
gr_log(const struct bgp_peer *p, const char *fmt, ...)
{
	struct node *n = p->bgp->node;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	ev_log(n->net, n, "BGP: %s neighbor %s graceful restart: %s", n->name, ip_str(p->cfg->ip),
	       sb_str(&sb));
	sb_free(&sb);
}

/* The stale paths of p go: it did not come back, or sent End-of-RIB, or took too long. */
static void
purge(struct bgp_peer *p, const char *why)
{
	if (!p->gr.nsf)
		return;
	p->gr.nsf = false;
	timer_cancel(&p->gr.restart_t);
	timer_cancel(&p->gr.stale_t);
	gr_log(p, "%s, %zu stale paths removed", why, bgp_peer_stale(p->bgp, p, false));
}

static void
restart_fire(struct timer *t)
{
	purge(t->arg, "restart time expired");
}

static void
stale_fire(struct timer *t)
{
	purge(t->arg, "stalepath time expired");
}

static void defer_fire(struct timer *);

/* The routes kept at the stop go (the process is back and did not learn them, or is not back). */
static void
sweep(struct bgp *b)
{
	if (!b->gr_preserved)
		return;
	rib_sync_end(bgp_rib(b), &bgp_src_ebgp);
	rib_sync_end(bgp_rib(b), &bgp_src_ibgp);
	b->gr_preserved = false;
}

/*
 * The process stopped with its routes kept and did not start again within
 * its Restart Time: they go, as zebra sweeps a graceful-restart client that
 * did not reconnect.
 */
static void
sweep_fire(struct timer *t)
{
	struct bgp *b = t->arg;

	bgp_trace(b, "graceful restart: not started again in %us: kept routes removed",
	          b->cfg.gr_restart_time);
	sweep(b);
}

void
bgp_gr_init(struct bgp *b)
{
	timer_init_new(&b->gr_defer_t, &b->node->actor, defer_fire, b);
	timer_init_new(&b->gr_sweep_t, &b->node->actor, sweep_fire, b);
}

void
bgp_gr_peer_init(struct bgp_peer *p)
{
	struct actor *a = &p->bgp->node->actor;

	timer_init_new(&p->gr.restart_t, a, restart_fire, p);
	timer_init_new(&p->gr.stale_t, a, stale_fire, p);
}

void
bgp_gr_session_up(struct bgp_peer *p)
{
	const struct bgp_open *o = &p->est->open;

	p->gr.eor_sent = p->gr.eor_rcvd = p->gr.eor_after_update = false;
	p->gr.peer_time = p->gr_cap ? o->gr_time : 0;
	p->gr.peer_r = p->gr_cap && (o->gr_flags & BGP_GR_FLAG_R);
	p->gr.peer_afi = p->gr.peer_f = false;
	for (unsigned i = 0; p->gr_cap && i < o->ngr_afi; i++)
		if (o->gr_afi[i].afi == BGP_AFI_IPV4 && o->gr_afi[i].safi == BGP_SAFI_UNICAST) {
			p->gr.peer_afi = true;
			p->gr.peer_f = (o->gr_afi[i].flags & BGP_GR_AFI_F) != 0;
		}
	if (!p->gr.nsf)
		return;
	timer_cancel(&p->gr.restart_t);
	/* 4.2: forwarding not preserved (no F bit, or the family gone): the stale paths go now. */
	if (!p->gr.peer_afi || !p->gr.peer_f || bgp_gr_mode(p) == BGP_GR_DISABLE) {
		purge(p, "forwarding state not preserved");
		return;
	}
	timer_set(&p->gr.stale_t, (sim_time)p->bgp->cfg.gr_stalepath_time * SIM_S);
}

bool
bgp_gr_session_down(struct bgp_peer *p, bool tcp_failed)
{
	struct bgp *b = p->bgp;

	if (!tcp_failed || !p->gr_cap || !p->gr.peer_afi || bgp_gr_mode(p) == BGP_GR_DISABLE) {
		p->gr.nsf = false; /* the caller withdraws everything, stale paths included */
		timer_cancel(&p->gr.restart_t);
		timer_cancel(&p->gr.stale_t);
		return false;
	}
	/* Helper (4.2): keep its paths, stale, for its Restart Time. */
	bgp_peer_reset_why(p, "NSF peer closed the session");
	gr_log(p, "%zu paths kept stale for its Restart Time, %us", bgp_peer_stale(b, p, true),
	       p->gr.peer_time);
	p->gr.nsf = true;
	timer_cancel(&p->gr.stale_t);
	timer_set(&p->gr.restart_t, (sim_time)p->gr.peer_time * SIM_S);
	return true;
}

void
bgp_gr_peer_stop(struct bgp_peer *p)
{
	purge(p, "helper stopped");
}

/* ---- the restarting speaker ---- */

/* The deferral ends: decide, advertise, End-of-RIB, and drop the routes not learned again. */
static void
defer_done(struct bgp *b, const char *why)
{
	b->gr_deferring = false;
	timer_cancel(&b->gr_defer_t);
	bgp_trace(b, "graceful restart: selection deferral ends (%s)", why);
	bgp_rib_run(b);
	bgp_out_eor_all(b);
	sweep(b);
}

static bool
waiting(const struct bgp *b)
{
	for (size_t i = 0; i < b->npeers; i++)
		if (b->peers[i].gr.wait_eor && !b->peers[i].gr.eor_rcvd)
			return true;
	return false;
}

static void
defer_fire(struct timer *t)
{
	struct bgp *b = t->arg;

	defer_done(b, waiting(b) ? "select_defer_time expired" : "nobody to wait for");
}

/* Every neighbor we wait for sent End-of-RIB? */
static void
defer_check(struct bgp *b)
{
	if (b->gr_deferring && !waiting(b))
		defer_done(b, "End-of-RIB from every neighbor");
}

void
bgp_gr_eor_rcvd(struct bgp_peer *p)
{
	p->gr.eor_rcvd = true;
	purge(p, "End-of-RIB received");
	defer_check(p->bgp);
}

bool
bgp_gr_may_send_eor(const struct bgp *b)
{
	return !b->gr_deferring;
}

/* Does any neighbor run in Restart mode (so that a restart keeps forwarding)? */
static bool
restart_mode(const struct bgp *b)
{
	for (size_t i = 0; i < b->npeers; i++)
		if (bgp_gr_mode(&b->peers[i]) == BGP_GR_RESTART)
			return true;
	return false;
}

bool
bgp_gr_stop(struct bgp *b, bool restart)
{
	bool keep = restart && restart_mode(b);

	for (size_t i = 0; i < b->npeers; i++) {
		struct bgp_peer *p = &b->peers[i];

		/* Wait after the restart for those that were up with graceful restart negotiated.
		 */
		p->gr.wait_eor =
		    keep && p->est != NULL && p->gr_cap && bgp_gr_mode(p) != BGP_GR_DISABLE;
		p->gr.eor_rcvd = false;
		p->gr.nsf = false; /* the table is forgotten whole */
		timer_cancel(&p->gr.restart_t);
		timer_cancel(&p->gr.stale_t);
	}
	timer_cancel(&b->gr_defer_t);
	b->gr_deferring = false;
	if (!keep)
		timer_cancel(&b->gr_sweep_t);
	else if (!b->gr_preserved || !timer_pending(&b->gr_sweep_t))
		timer_set(&b->gr_sweep_t, (sim_time)b->cfg.gr_restart_time * SIM_S);
	b->gr_preserved = keep;
	b->gr_fwd_kept = keep;
	b->gr_crashes = b->node->crashes;
	return keep;
}

void
bgp_gr_start(struct bgp *b)
{
	timer_cancel(&b->gr_sweep_t);
	if (b->gr_preserved && b->node->crashes != b->gr_crashes) {
		/* The node crashed while the process was stopped: nothing was preserved. */
		sweep(b);
		b->gr_fwd_kept = false;
	}
	if (!b->gr_preserved)
		return;
	b->gr_deferring = true;
	/* Nobody to wait for: the deferral ends once this instant's work (networks) is queued. */
	timer_set(&b->gr_defer_t, waiting(b) ? (sim_time)b->cfg.gr_defer_time * SIM_S : 0);
}
