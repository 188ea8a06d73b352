/*
 * maxpfx.c: a neighbor's maximum-prefix limit (FRR's `neighbor X
 * maximum-prefix N [THRESHOLD] [warning-only|restart M]`).
 *
 * After each UPDATE the prefixes accepted from the neighbor are counted: at
 * the threshold (75% of the limit by default) a warning goes on the timeline
 * (a `log` event) once per session; over the limit the session ends with Cease/Maximum Number of
 * Prefixes Reached (RFC 4486 3), whose data is the AFI, SAFI and the limit
 * (RFC 4486 4), and the neighbor stays Idle until `clear bgp` (FRR's
 * "Idle (PfxCt)"), or for `restart` minutes. warning_only logs and keeps the
 * session.
 */
#include "../../lib/buf.h"
#include "../../net/events.h"
#include "../../lib/util.h"
#include "bgp.h"

static void
restart_fire(struct timer *t)
{
	struct bgp_peer *p = t->arg;

	bgp_trace(p->bgp, "%s: maximum-prefix restart timer expired", ip_str(p->cfg->ip));
	bgp_peer_start(p);
}

void
bgp_maxpfx_init(struct bgp_peer *p)
{
	timer_init_new(&p->pfx_restart_t, &p->bgp->node->actor, restart_fire, p);
}

void
bgp_maxpfx_clear(struct bgp_peer *p)
{
	p->pfx_overflow = false;
	p->pfx_warned = p->pfx_over_warned = false;
	timer_cancel(&p->pfx_restart_t);
}

void
bgp_maxpfx_check(struct bgp_peer *p)
{
	const struct bgp_maxpfx_cfg *m = &p->cfg->maxpfx;
	struct node *node = p->bgp->node;
	uint64_t n = p->st.pfx_in;
	struct bgp_err e;
	uint8_t data[7];

	if (m->limit == 0 || p->est == NULL)
		return;
	if (n <= m->limit) {
		if (n < m->limit)
			p->pfx_over_warned = false; /* back under: warn again next time */
		/* FRR's words (bgp_route.c, bgp_maximum_prefix_overflow). */
		if (!p->pfx_warned && n * 100 >= (uint64_t)m->limit * m->threshold) {
			p->pfx_warned = true;
			ev_log(node->net, node,
			       "BGP: %s %%MAXPFX: No. of IPv4 Unicast prefix received from %s "
			       "reaches %llu, max %u",
			       node->name, ip_str(p->cfg->ip), (unsigned long long)n, m->limit);
		}
		return;
	}
	if (!p->pfx_over_warned) /* once, as FRR's PEER_STATUS_PREFIX_LIMIT */
		ev_log(node->net, node,
		       "BGP: %s %%MAXPFXEXCEED: No. of IPv4 Unicast prefix received from %s "
		       "%llu exceed, limit %u",
		       node->name, ip_str(p->cfg->ip), (unsigned long long)n, m->limit);
	p->pfx_over_warned = true;
	if (m->warning_only)
		return;
	/* RFC 4486 4: AFI (2 octets), SAFI (1), the upper bound (4). */
	put16(data, BGP_AFI_IPV4);
	data[2] = BGP_SAFI_UNICAST;
	put32(data + 3, m->limit);
	bgp_err_set(&e, BGP_ERR_CEASE, BGP_CEASE_MAX_PREFIX, data, sizeof(data));
	p->pfx_overflow = true; /* before the session goes: no automatic restart */
	p->est->err = e;
	bgp_fsm(p->est, BGP_EV_UPDATE_ERR);
	if (m->restart > 0)
		timer_set(&p->pfx_restart_t, (sim_time)m->restart * 60 * SIM_S);
}
