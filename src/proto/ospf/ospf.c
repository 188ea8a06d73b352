/*
 * ospf.c: OSPFv2 (RFC 2328) as a netsim protocol plug-in.
 *
 * DOC: which file does what (one file per concept, as in OpenBSD ospfd):
 *   ospf.c       the plug-in table; start/stop (crash: all state lost); packet
 *                input checks (8.2) and dispatch; sending; interface events;
 *                the convergence hook (busy) and the end-of-run statistics
 *   config.c     the YAML/Lua configuration, router ID choice, interface cost
 *   iface.c      the interface state machine (9.3, table-driven), DR election (9.4)
 *   hello.c      the Hello protocol (9.5, 10.5), NBMA polling, triggered Hellos
 *   neighbor.c   the neighbor state machine (10.3, table-driven), adjacency
 *                decisions (10.4), retransmission lists
 *   dbex.c       database exchange: Database Description packets (10.6, 10.8)
 *   lsreq.c      Link State Requests (10.7, 10.9)
 *   lsupd.c      Link State Updates: receiving (13), flooding (13.3), retransmission (13.6)
 *   lsack.c      acknowledgements, delayed and direct (13.5, 13.7)
 *   auth.c       packet authentication: simple passwords, keyed MD5 (appendix D), HMAC-SHA
 *                (RFC 5709)
 *   lsdb.c       the per-router databases (12, 13.2), arrays indexed by LSA key number;
 *                aging and MaxAge removal (14); request lists
 *   lsakey.c     LSA keys numbered densely, shared by every router (database index)
 *   pfxindex.c   destination prefixes numbered densely (route table index)
 *   intern.c     LSA instances stored once network-wide, refcounted (age excluded),
 *                checksum verified once, parsed once with the numbers SPF follows
 *   originate.c  originating LSAs: sequence numbers and wrap (12.1.6), MinLSInterval,
 *                LSRefreshTime, premature aging (14.1), self-originated LSAs (13.4)
 *   area.c       areas; the contents of router-LSAs (12.4.1), network-LSAs (12.4.2),
 *                summary-LSAs, area ranges and the stub default (12.4.3), AS-external-LSAs
 *                for redistribution and default-information (12.4.4), and Type-7 LSAs
 *   nssa.c       NSSAs (RFC 3101): the translator election and what it translates
 *   spf.c        the routing table (16.1 intra-area with ECMP, 16.2 inter-area,
 *                16.4 external, RFC 3101 2.5 Type-7), the SPF throttle
 *   ispf.c       incremental SPF: repairing the last run's tree after a few
 *                router-LSA changes (a link failure in a large area)
 *   rtable.c     next-hop sets, routes by prefix number, giving the RIB what changed
 *   show.c       show ip ospf [neighbor|database|interface|route], its show ip protocols section
 *   packet.c, lsa_codec.c, dissect.c: the wire codec and the `netsim decode` dissector
 *
 * Deliberate simplifications are described where they are made and in docs/ospf.md.
 * Not implemented: virtual links (so no transit areas, 16.3), demand circuits,
 * opaque LSAs (received ones are discarded), unnumbered interfaces, TOS other
 * than 0, NSSA address ranges and forwarding address suppression (RFC 3101 3.2).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cli/cli.h"
#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../../net/ip4.h"
#include "ospf.h"

struct ospf *
ospf_of(struct node *n)
{
	struct proto_inst *pi = proto_get(n, &proto_ospf);

	return pi ? pi->priv : NULL;
}

sim_time
ospf_now(const struct ospf *o)
{
	return node_now(o->node);
}

sim_time
ospf_jitter(struct ospf *o, sim_time max)
{
	return max > 0 ? (sim_time)rng_below(&o->node->rng, (uint64_t)max) : 0;
}

void
ospf_trace(struct ospf *o, const char *fmt, ...)
{
	struct strbuf b = STRBUF_INIT;
	va_list ap;

	if (!proto_tracing(o->pi))
		return;
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	log_trace("[%s] ospf %s: %s", sim_time_str(ospf_now(o)), o->node->name, sb_str(&b));
	sb_free(&b);
}

struct ospf_area *
ospf_area_find(const struct ospf *o, uint32_t id)
{
	for (size_t i = 0; i < o->nareas; i++)
		if (o->areas[i]->id == id)
			return o->areas[i];
	return NULL;
}

/* RFC 2328 3.3: attached to more than one area (with an interface that is up). */
bool
ospf_is_abr(const struct ospf *o)
{
	int n = 0;

	for (size_t i = 0; i < o->nareas; i++)
		n += o->areas[i]->active;
	return n > 1;
}

/* Redistributing into OSPF, with somewhere to flood the AS-external-LSAs to. */
bool
ospf_is_asbr(const struct ospf *o)
{
	bool redist = redist_any(&o->cfg.redist) || o->cfg.definfo.on, normal = false;

	/* An NSSA takes Type-7 LSAs for them (RFC 3101 2.3); a translator says Type-5s (3.2). */
	for (size_t i = 0; i < o->nareas; i++) {
		normal |= !o->areas[i]->stub;
		if (o->areas[i]->translator)
			return true;
	}
	return redist && normal;
}

/*
 * RFC 2328 A.2: the E bit says "AS-external-LSAs flood here"; clear in stub
 * areas and NSSAs, which set the N bit instead (RFC 3101 2.2).
 */
uint8_t
ospf_options(const struct ospf_area *a)
{
	return a->stub ? 0 : a->nssa ? OSPF_OPT_NP : OSPF_OPT_E;
}

bool
ospf_area_takes(const struct ospf_area *a, uint8_t type)
{
	if (type >= OSPF_LSA_ROUTER && type <= OSPF_LSA_ASBR_SUMMARY)
		return true;
	return type == OSPF_LSA_EXTERNAL ? ospf_area_ext(a) : type == OSPF_LSA_NSSA && a->nssa;
}

size_t
ospf_if_maxpkt(const struct ospf_if *oi)
{
	return (size_t)oi->ifp->mtu - IP_HLEN;
}

/* --- sending ---------------------------------------------------------------------------------- */

void
ospf_send(struct ospf_if *oi, uint32_t dst, const uint8_t *bytes, size_t len, uint8_t cls)
{
	ospf_send_buf(oi, dst, pkt_from(bytes, len), cls);
}

void
ospf_send_buf(struct ospf_if *oi, uint32_t dst, struct pkt *p, uint8_t cls)
{
	bool mcast = (dst >> 28) == 14;

	p->cls = cls;
	ospf_auth_sign(oi, &p);
	/* RFC 2328 A.1: TTL 1, precedence Internetwork Control. */
	ip4_output(oi->o->node, p,
	           &(struct ip4_out){.src = oi->ifp->addr,
	                             .dst = dst,
	                             .proto = OSPF_IPPROTO,
	                             .ttl = 1,
	                             .tos = 0xc0,
	                             .oif = oi->ifp,
	                             .nexthop = mcast ? 0 : dst});
}

void
ospf_hdr_init(struct ospf_if *oi, struct ospf_pkt *pkt, uint8_t type)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->hdr.version = OSPF_VERSION;
	pkt->hdr.type = type;
	pkt->hdr.rtr_id = oi->o->rid;
	pkt->hdr.area_id = oi->area->id;
	pkt->hdr.autype = OSPF_AUTH_NULL;
}

int
ospf_send_pkt(struct ospf_if *oi, uint32_t dst, const struct ospf_pkt *pkt, uint8_t cls)
{
	struct strbuf b = STRBUF_INIT;
	char err[OSPF_ERRLEN];

	if (ospf_pkt_encode(pkt, &b, err) < 0) {
		log_warn("ospf %s: %s", oi->o->node->name, err);
		sb_free(&b);
		return -1;
	}
	ospf_send(oi, dst, (const uint8_t *)b.s, b.len, cls);
	sb_free(&b);
	return 0;
}

/* --- receiving (RFC 2328 8.2) -------------------------------------------------------------- */

static struct ospf_if *
if_of(const struct ospf *o, const struct iface *ifp)
{
	for (size_t i = 0; i < o->nifs; i++)
		if (o->ifs[i]->ifp == ifp)
			return o->ifs[i];
	return NULL;
}

/* The neighbor a packet from src with header h comes from (8.2), or NULL. */
static struct ospf_nbr *
sender(struct ospf_if *oi, uint32_t src, const struct ospf_hdr *h)
{
	return oi->type == OSPF_IFT_P2P ? ospf_if_nbr_by_rid(oi, h->rtr_id)
	                                : ospf_if_nbr_by_addr(oi, src);
}

/*
 * D.4.3: remember the neighbor's cryptographic sequence number, which may not
 * go back. Looked up again after the packet was processed: a Hello may have
 * made the neighbor, a bad LS Request or DD may have reset it.
 */
static void
note_seq(struct ospf_if *oi, uint32_t src, const struct ospf_hdr *h)
{
	struct ospf_nbr *nb;

	if (oi->auth.type != OSPF_AUTH_CRYPT || (nb = sender(oi, src, h)) == NULL)
		return;
	if (ospf_auth_seq(h) > nb->crypt_seq)
		nb->crypt_seq = ospf_auth_seq(h);
}

/* AuType as FRR names it in its logs. */
static const char *
autype_str(uint16_t t)
{
	switch (t) {
	case OSPF_AUTH_NULL:
		return "Null";
	case OSPF_AUTH_SIMPLE:
		return "Simple";
	case OSPF_AUTH_CRYPT:
		return "Cryptographic";
	}
	return "unknown";
}

static void
ospf_input(struct proto_inst *pi, const struct rx_ctx *c, struct pkt *p)
{
	struct iface *ifp = c->ifp;
	const struct ip4_hdr *ih = c->ip;
	struct ospf *o = pi->priv;
	struct ospf_if *oi = o ? if_of(o, ifp) : NULL;
	struct ospf_pkt pkt;
	struct ospf_nbr *nbr;
	char err[OSPF_ERRLEN];
	const char *why;

	if (oi == NULL || oi->state == ISM_DOWN || oi->passive || oi->type == OSPF_IFT_LOOPBACK)
		goto drop;
	if (ospf_pkt_decode(p->data, p->len, &pkt, err) < 0) {
		ospf_trace(o, "%s: bad packet from %s: %s", ifp->name, ip_str(ih->src), err);
		o->st.bad_pkts++;
		goto drop;
	}
	if (!ospf_pkt_cksum_ok(p->data, pkt.hdr.length)) {
		ospf_trace(o, "%s: %s from %s rejected: checksum", ifp->name,
		           ospf_pkt_type_name(pkt.hdr.type), ip_str(ih->src));
		o->st.bad_pkts++;
		ospf_pkt_free(&pkt);
		goto drop;
	}
	/* 8.2: the area must be the interface's; a router ID of ours is another router's mistake. */
	if (pkt.hdr.area_id != oi->area->id || pkt.hdr.rtr_id == o->rid) {
		if (pkt.hdr.area_id != oi->area->id)
			ospf_mismatch(oi, ih->src, pkt.hdr.rtr_id, OSPF_MIS_AREA,
			              "interface %s: ospf_read invalid Area ID %s", ifp->name,
			              ospf_area_str(pkt.hdr.area_id));
		else if (!node_is_local_vrf(o->node, o->cfg.vrf, ih->src))
			ospf_mismatch(oi, ih->src, pkt.hdr.rtr_id, OSPF_MIS_RID,
			              "OSPF detected duplicate router-id %s from %s on interface %s",
			              ip_str(pkt.hdr.rtr_id), ip_str(ih->src), ifp->name);
		o->st.bad_pkts++;
		ospf_pkt_free(&pkt);
		goto drop;
	}
	/* D.5: the neighbor, if known, for the cryptographic sequence number. */
	nbr = sender(oi, ih->src, &pkt.hdr);
	if ((why = ospf_auth_check(oi, nbr, p->data, p->len, &pkt.hdr, ospf_now(o))) != NULL) {
		/* A replayed or stale cryptographic sequence number is no misconfiguration. */
		if (pkt.hdr.autype != oi->auth.type)
			ospf_mismatch(oi, ih->src, pkt.hdr.rtr_id, OSPF_MIS_AUTH,
			              "interface %s: auth-type mismatch, local %s, rcvd %s", ifp->name,
			              autype_str(oi->auth.type), autype_str(pkt.hdr.autype));
		else if (why != ospf_auth_replay)
			ospf_mismatch(oi, ih->src, pkt.hdr.rtr_id, OSPF_MIS_AUTH,
			              "interface %s: %s auth failed (%s)", ifp->name,
			              autype_str(pkt.hdr.autype), why);
		o->st.auth_fails++;
		ospf_pkt_free(&pkt);
		goto drop;
	}
	/* The source must be on the interface's network, except on point-to-point links. */
	if (oi->type != OSPF_IFT_P2P) {
		struct prefix net = iface_prefix(ifp);

		if (!prefix_contains(&net, ih->src)) {
			o->st.bad_pkts++;
			ospf_pkt_free(&pkt);
			goto drop;
		}
	}
	/* AllDRouters is for the DR and the BDR only (multicast reaches everyone here). */
	if (ih->dst == OSPF_ALL_D_ROUTERS && oi->state != ISM_DR && oi->state != ISM_BACKUP) {
		ospf_pkt_free(&pkt);
		goto drop;
	}
	if (pkt.hdr.type == OSPF_HELLO) {
		o->st.hello_rx++;
		oi->hello_rx++;
		ospf_hello_input(oi, &pkt, ih->src);
		note_seq(oi, ih->src, &pkt.hdr);
		ospf_pkt_free(&pkt);
		pkt_free(p);
		return;
	}
	if (nbr == NULL || nbr->rid != pkt.hdr.rtr_id) {
		ospf_pkt_free(&pkt);
		goto drop;
	}
	switch (pkt.hdr.type) {
	case OSPF_DD:
		o->st.dd_rx++;
		ospf_dd_input(nbr, &pkt);
		break;
	case OSPF_LSR:
		o->st.lsr_rx++;
		ospf_lsreq_input(nbr, &pkt);
		break;
	case OSPF_LSU:
		o->st.lsu_rx++;
		ospf_lsupd_input(nbr, &pkt);
		break;
	case OSPF_LSACK:
		o->st.ack_rx++;
		ospf_lsack_input(nbr, &pkt);
		break;
	}
	note_seq(oi, ih->src, &pkt.hdr);
	ospf_pkt_free(&pkt);
	pkt_free(p);
	return;
drop:
	pkt_free(p);
}

/* --- life cycle --------------------------------------------------------------------------- */

static void
rib_changed(struct node *n UNUSED, const struct rib_change *ch, void *arg)
{
	struct ospf *o = arg;

	if (!o->pi->running || ch->src == NULL)
		return;
	/* Redistributed sources changed: the AS-external-LSAs follow. */
	if (redist_concerns(&o->cfg.redist, ch))
		ospf_orig_schedule(o);
	/* A default route came or went: so does the one default-information originates. */
	else if (o->cfg.definfo.on && !o->cfg.definfo.always && ch->pfx.len == 0)
		ospf_orig_schedule(o);
}

static void
ospf_start(struct proto_inst *pi)
{
	struct ospf *o = pi->priv;
	struct node *n = pi->node;

	ospf_shared_init();
	o->rid = ospf_config_router_id(o, &o->rid_how);
	o->started = node_now(n);
	o->spf_ran = false;
	o->spf_holdcur = o->cfg.spf_hold;
	o->dd_seq_seed = (uint32_t)rng_next(&n->rng);
	timer_init(&o->spf_t, &n->actor, ospf_spf_fire, o);
	timer_init(&o->orig_t, &n->actor, ospf_orig_fire, o);
	timer_init(&o->refresh_t, &n->actor, ospf_orig_refresh_fire, o);
	timer_init(&o->nssa_t, &n->actor, ospf_nssa_fire, o);
	ospf_lsdb_timers_init(o);
	ospf_lsdb_init(&o->as_db, o, NULL);
	for (size_t i = 0; i < o->cfg.nifs && i < n->nifs; i++) {
		const struct ospf_if_cfg *ic = &o->cfg.ifs[i];
		struct ospf_if *oi;

		if (!ic->present || n->ifs[i]->addr == 0)
			continue;
		oi = ospf_if_new(o, n->ifs[i], ic);
		VEC_PUSH(o->ifs, o->nifs, o->ifcap, oi);
	}
	if (!o->watching) {
		rib_watch(ospf_rib(o), rib_changed, o);
		o->watching = true;
	}
	for (size_t i = 0; i < o->nifs; i++)
		if (iface_is_up(o->ifs[i]->ifp))
			ospf_if_fsm(o->ifs[i], o->ifs[i]->type == OSPF_IFT_LOOPBACK
			                           ? ISM_EV_LOOP_IND
			                           : ISM_EV_UP);
	ospf_orig_schedule(o);
}

/* A crash or a protocol restart: every dynamic state is lost, routes withdrawn. */
static void
ospf_stop(struct proto_inst *pi)
{
	struct ospf *o = pi->priv;

	if (o == NULL)
		return;
	for (size_t i = 0; i < o->nifs; i++)
		ospf_if_free(o->ifs[i]);
	free(o->ifs);
	o->ifs = NULL;
	o->nifs = o->ifcap = 0;
	for (size_t i = 0; i < o->nareas; i++)
		ospf_area_free(o->areas[i]);
	free(o->areas);
	o->areas = NULL;
	o->nareas = o->areacap = 0;
	ospf_orig_free(&o->as_db);
	ospf_lsdb_clear(&o->as_db);
	timer_cancel(&o->spf_t);
	timer_cancel(&o->orig_t);
	timer_cancel(&o->refresh_t);
	timer_cancel(&o->maxage_t);
	timer_cancel(&o->aging_t);
	timer_cancel(&o->nssa_t);
	free(o->xlate);
	o->xlate = NULL;
	o->nxlate = 0;
	o->nbusy_nbrs = 0;
	o->ndeferred = 0;
	o->orig_pending = false;
	rib_flush(ospf_rib(o), &ospf_rib_src);
	rib_flush(ospf_rib(o), &ospf_discard_src);
	o->ndiscard = 0;
	ospf_rt_forget(o);
}

static void
ospf_destroy(struct proto_inst *pi)
{
	struct ospf *o = pi->priv;

	if (o == NULL)
		return;
	ospf_stop(pi);
	ospf_config_free(&o->cfg);
	free(o->cfg_ifblk);
	free(o);
	pi->priv = NULL;
}

static void
ospf_if_notify(struct proto_inst *pi, struct iface *ifp, enum if_event ev)
{
	struct ospf *o = pi->priv;
	struct ospf_if *oi = o ? if_of(o, ifp) : NULL;

	if (o == NULL)
		return;
	if (oi != NULL) {
		bool lo = oi->type == OSPF_IFT_LOOPBACK;

		switch (ev) {
		case IF_UP:
			ospf_if_fsm(oi, lo ? ISM_EV_LOOP_IND : ISM_EV_UP);
			break;
		case IF_DOWN:
			ospf_if_fsm(oi, lo ? ISM_EV_UNLOOP_IND : ISM_EV_DOWN);
			break;
		case IF_ADDR:
			ospf_if_fsm(oi, lo ? ISM_EV_UNLOOP_IND : ISM_EV_DOWN);
			if (iface_is_up(ifp))
				ospf_if_fsm(oi, lo ? ISM_EV_LOOP_IND : ISM_EV_UP);
			break;
		}
	}
	/* Connected routes may be redistributed; router-LSAs follow interfaces. */
	ospf_orig_schedule(o);
}

/* RFC 5443: LDP's readiness on a link changed its cost in our router-LSAs. */
static void
ospf_igp_hold_changed(struct proto_inst *pi, struct iface *ifp)
{
	struct ospf *o = pi->priv;

	if (o != NULL && if_of(o, ifp) != NULL)
		ospf_orig_schedule(o);
}

/*
 * Pending work, for convergence detection: neighbors on their way to Full
 * (Init, ExStart, Exchange, Loading; not 2-Way, which is where two DROthers
 * stay), non-empty retransmission and request lists, the Wait timer, a first
 * Hello not yet sent, LSAs queued for flooding, delayed acknowledgements,
 * originations deferred by MinLSInterval, a scheduled SPF, and an NSSA
 * translator's stability interval (it will flush its Type-5 LSAs: RFC 3101
 * 3.1). Periodic Hellos are not work.
 */
static bool
ospf_busy(struct proto_inst *pi)
{
	struct ospf *o = pi->priv;

	if (o == NULL)
		return false;
	if (o->nbusy_nbrs || o->ndeferred || timer_pending(&o->spf_t) ||
	    timer_pending(&o->orig_t) || timer_pending(&o->maxage_t) || timer_pending(&o->nssa_t))
		return true;
	for (size_t i = 0; i < o->nifs; i++) {
		const struct ospf_if *oi = o->ifs[i];

		if (oi->first_hello || oi->nacks || oi->nfq || timer_pending(&oi->wait_t) ||
		    timer_pending(&oi->hello_now))
			return true;
	}
	return false;
}

/*
 * The end-of-run line, one for the whole network: the runner calls the hook
 * once per router with one buffer per protocol, so the first call sums over
 * every router and the later ones add nothing.
 */
static void
ospf_stats(struct proto_inst *pi, struct strbuf *b)
{
	struct network *net = pi->node->net;
	uint64_t hellos = 0, lsus = 0, spf = 0;
	int id = proto_id(&proto_ospf);

	if (b->len > 0)
		return;
	for (size_t i = 0; i < net->nnodes; i++) {
		struct proto_inst *p = net->nodes[i]->pi[id];
		struct ospf *o = p ? p->priv : NULL;

		if (o == NULL)
			continue;
		hellos += o->st.hello_tx;
		lsus += o->st.lsu_tx;
		spf += o->st.spf_runs;
	}
	sb_printf(b, "OSPF events: %llu hellos, %llu LSUs, %llu SPF runs",
	          (unsigned long long)hellos, (unsigned long long)lsus, (unsigned long long)spf);
}

static void
ospf_init(void)
{
	/* `netsim decode` learns IP protocol 89 through the plug-in table. */
	ospf_dissect_setup();
}

const struct rib_src ospf_rib_src = {"ospf", 110, true};

/* RFC 2328 A.1: OSPF packets are IP datagrams of protocol 89. */
static const struct proto_rx ospf_rx[] = {
    {DEMUX_IPPROTO, OSPF_IPPROTO, ospf_input},
    {0},
};

/* The `show ip route` legend for the codes rtable.c gives OSPF routes ("O IA", "O E2"...). */
static const char *const ospf_route_codes[] = {
    "O - OSPF",
    "IA - OSPF inter-area",
    "N1 - OSPF NSSA external type 1",
    "N2 - OSPF NSSA external type 2",
    "E1 - OSPF external type 1",
    "E2 - OSPF external type 2",
    NULL,
};

/* `ospf: {vrf: NAME}`: the VRF the instance runs in (PE-CE routing). */
static uint16_t
ospf_vrf(const struct proto_inst *pi)
{
	const struct ospf *o = pi->priv;

	return o->cfg.vrf;
}

const struct protocol proto_ospf = {
    .name = "ospf",
    .rx = ospf_rx,
    .init = ospf_init,
    .config = ospf_config_device,
    .config_iface = ospf_config_iface,
    .vrf = ospf_vrf,
    .validate = ospf_config_validate,
    .start = ospf_start,
    .stop = ospf_stop,
    .destroy = ospf_destroy,
    .if_notify = ospf_if_notify,
    .igp_hold_changed = ospf_igp_hold_changed,
    .busy = ospf_busy,
    .stats = ospf_stats,
    .show_protocols = ospf_show_protocols,
    .route_codes = ospf_route_codes,
    .cmds = ospf_show_cmds,
};
