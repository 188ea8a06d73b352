/*
 * isis.c: the IS-IS plug-in: life cycle, interfaces, receiving and sending.
 *
 * IS-IS PDUs are not IP: they ride 802.2 LLC with DSAP and SSAP 0xfe (OSI)
 * and control 0x03 (UI), behind an 802.3 length (ISO 10589 8.4.8, RFC 1195
 * 2). LAN PDUs go to AllL1ISs or AllL2ISs; point-to-point ones to AllISs
 * (09:00:2b:00:00:05), as routers on Ethernet send them.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/util.h"
#include "../../net/eth.h"
#include "dissect.h"
#include "isis.h"

#define LLC_OSI 0xfe
#define LLC_UI  0x03

static const uint8_t all_l1_iss[6] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x14};
static const uint8_t all_l2_iss[6] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x15};
static const uint8_t all_iss[6] = {0x09, 0x00, 0x2b, 0x00, 0x00, 0x05};

const struct rib_src isis_rib_src = {"isis", ISIS_DISTANCE, true};

const uint8_t *
isis_level_mac(int level, bool p2p)
{
	if (p2p)
		return all_iss;
	return level == ISIS_LEVEL1 ? all_l1_iss : all_l2_iss;
}

sim_time
isis_now(const struct isis *is)
{
	return node_now(is->node);
}

sim_time
isis_jitter(struct isis *is, sim_time iv)
{
	return iv - (sim_time)rng_below(&is->node->rng, (uint64_t)(iv / 4) + 1);
}

void
isis_trace(const struct isis *is, const char *fmt, ...)
{
	struct strbuf b = STRBUF_INIT;
	va_list ap;

	if (!proto_tracing(is->pi))
		return;
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	log_trace("[%s] isis %s: %s", sim_time_str(isis_now(is)), is->node->name, sb_str(&b));
	sb_free(&b);
}

bool
isis_is_l1(const struct isis *is)
{
	return (is->cfg.level & ISIS_LEVEL1) != 0;
}

bool
isis_is_l2(const struct isis *is)
{
	return (is->cfg.level & ISIS_LEVEL2) != 0;
}

/* Do areas share an area address with ours (ISO 10589 8.4.2.2 b, 8.2.5)? */
bool
isis_area_match(const struct isis *is, const struct isis_area *areas, int n)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; k < is->cfg.nareas; k++)
			if (areas[i].len == is->cfg.areas[k].len &&
			    memcmp(areas[i].a, is->cfg.areas[k].a, areas[i].len) == 0)
				return true;
	return false;
}

/* RFC 5304 2 / ISO 10589 9.9: the TLV 10 of a key: the password, or room for the 16-octet digest. */
void
isis_auth_tlv(struct isis_pdu *pdu, const struct isis_key *k)
{
	if (k->type == ISIS_AUTH_MD5)
		isis_add_auth(pdu, k->type, NULL, 16);
	else if (k->type)
		isis_add_auth(pdu, k->type, k->key, k->len);
}

const struct isis_key *
isis_iih_key(const struct isis_circ *c)
{
	return c->cfg.auth.type ? &c->cfg.auth : &c->is->cfg.auth;
}

void
isis_send(struct isis_circ *c, const uint8_t dst[6], const uint8_t *pdu, size_t len, uint8_t cls)
{
	struct pkt *p = isis_pkt(len, cls);

	memcpy(p->data + 3, pdu, len);
	isis_output(c, dst, p);
}

struct pkt *
isis_pkt(size_t len, uint8_t cls)
{
	struct pkt *p = pkt_new_room(len + 3, 32); /* Ethernet, a VLAN tag: IS-IS has no more below */

	p->data[0] = LLC_OSI;
	p->data[1] = LLC_OSI;
	p->data[2] = LLC_UI;
	p->cls = cls;
	return p;
}

void
isis_output(struct isis_circ *c, const uint8_t dst[6], struct pkt *p)
{
	eth_output(c->ifp, dst, (uint16_t)p->len, p);
}

static struct isis_circ *
circ_of(const struct isis *is, const struct iface *ifp)
{
	return ifp->idx < is->ncirc_at ? is->circ_at[ifp->idx] : NULL;
}

/*
 * ISO 10589 7.3.15.1 a and 7.3.15.2 a: an LSP or SNP is taken only from a
 * neighbor with an Up adjacency of its level on the circuit it came in on.
 */
static bool
from_adjacency(const struct isis_circ *c, int level, const uint8_t mac[6])
{
	if (!(c->levels & level))
		return false;
	if (c->cfg.p2p)
		return c->p2p && c->p2p->state == ISIS_ADJ_UP && (c->p2p->levels & level) &&
		       memcmp(c->p2p->mac, mac, 6) == 0;
	for (int i = 0; i < c->lv[LV(level)].nadj; i++) {
		const struct isis_adj *a = c->lv[LV(level)].adj[i];

		if (a->state == ISIS_ADJ_UP && memcmp(a->mac, mac, 6) == 0)
			return true;
	}
	return false;
}

static void
isis_input(struct proto_inst *pi, const struct rx_ctx *ctx, struct pkt *p)
{
	struct isis *is = pi->priv;
	struct isis_circ *c = circ_of(is, ctx->ifp);
	struct isis_pdu pdu;
	const char *err = NULL;
	const uint8_t *b;
	size_t len;

	if (c == NULL || !c->up || c->cfg.passive || p->len < 3 || p->data[1] != LLC_OSI ||
	    p->data[2] != LLC_UI) {
		ctx->ifp->st.rx_drops++;
		pkt_free(p);
		return;
	}
	b = p->data + 3;
	len = p->len - 3;
	/*
	 * A frame longer than the interface's MTU is not received (as a NIC drops
	 * it): what IIH padding (ISO 10589 8.2.3, 8.4.1) is there to reveal.
	 */
	if (p->len > ctx->ifp->mtu) {
		c->st.rejected++;
		isis_trace(is, "%s: %zu-octet PDU from %s exceeds the MTU (%u)", c->ifp->name, len,
		           mac_str(ctx->eth->src), ctx->ifp->mtu);
		pkt_free(p);
		return;
	}
	/* LSPs are flooded by their header; their octets are parsed once per process (blob.c). */
	if (len > 4 && ((b[4] & 0x1f) == ISIS_L1_LSP || (b[4] & 0x1f) == ISIS_L2_LSP) &&
	    is->cfg.auth.type == 0) {
		if (from_adjacency(c, (b[4] & 0x1f) == ISIS_L1_LSP ? ISIS_LEVEL1 : ISIS_LEVEL2,
		                   ctx->eth->src))
			isis_lsp_input(c, b, len);
		else
			c->st.rejected++;
		pkt_free(p);
		return;
	}
	if (isis_pdu_parse(&pdu, b, len, &err) < 0) {
		c->st.bad++;
		isis_trace(is, "%s: bad PDU from %s: %s", c->ifp->name, mac_str(ctx->eth->src), err);
		pkt_free(p);
		return;
	}
	switch (pdu.type) {
	case ISIS_L1_LAN_IIH:
	case ISIS_L2_LAN_IIH:
	case ISIS_P2P_IIH:
		if (isis_iih_key(c)->type &&
		    !isis_auth_ok(&pdu, b, len, isis_iih_key(c)->type, isis_iih_key(c)->key,
		                  isis_iih_key(c)->len)) {
			c->st.auth_fail++;
			is->st.auth_fail++;
			isis_trace(is, "%s: IIH from %s fails authentication", c->ifp->name,
			           mac_str(ctx->eth->src));
			break;
		}
		c->st.iih_in++;
		isis_iih_input(c, &pdu, ctx->eth->src);
		break;
	default: {
		int level = (pdu.type == ISIS_L1_LSP || pdu.type == ISIS_L1_CSNP ||
		             pdu.type == ISIS_L1_PSNP)
		                ? ISIS_LEVEL1
		                : ISIS_LEVEL2;
		const struct isis_key *k = &is->cfg.auth;

		if (!from_adjacency(c, level, ctx->eth->src)) {
			c->st.rejected++;
			break;
		}
		if (k->type && !isis_auth_ok(&pdu, b, len, k->type, k->key, k->len)) {
			c->st.auth_fail++;
			is->st.auth_fail++;
			isis_trace(is, "%s: %s from %s fails authentication", c->ifp->name,
			           isis_pdu_type_name(pdu.type), mac_str(ctx->eth->src));
			break;
		}
		if (pdu.type == ISIS_L1_LSP || pdu.type == ISIS_L2_LSP)
			isis_lsp_input(c, b, len);
		else
			isis_snp_input(c, &pdu);
		break;
	}
	}
	isis_pdu_free(&pdu);
	pkt_free(p);
}

/* Redistributed sources changed: our LSPs follow. */
static void
rib_changed(struct node *n UNUSED, const struct rib_change *ch, void *arg)
{
	struct isis *is = arg;

	if (!is->running || ch->src == NULL || !redist_concerns(&is->cfg.redist, ch))
		return;
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++)
		if (is->cfg.level & l)
			isis_gen_schedule(is, l);
}

static void
isis_start(struct proto_inst *pi)
{
	struct isis *is = pi->priv;
	struct node *n = pi->node;

	if (is == NULL)
		return;
	is->running = true;
	for (int l = 0; l < ISIS_LEVELS; l++) {
		backoff_reset(&is->lv[l].spf_bo);
		backoff_reset(&is->lv[l].gen_bo);
	}
	for (size_t i = 0; i < is->ncfg_if && i < n->nifs; i++)
		if (is->cfg_if[i].on)
			isis_circ_new(is, n->ifs[i]);
	isis_lsp_bits_grow(is);
	if (!is->watching && redist_any(&is->cfg.redist)) {
		rib_watch(n->rib, rib_changed, is);
		is->watching = true;
	}
	for (int i = 0; i < is->ncircs; i++)
		if (iface_is_up(is->circs[i]->ifp))
			isis_circ_up(is->circs[i]);
	/*
	 * The first LSPs wait until the first Hellos (sent within ISIS_HELLO_START)
	 * had time to bring the adjacencies up, so that a cold start floods one
	 * instance per router, not one per adjacency that came up meanwhile.
	 */
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++)
		if (is->cfg.level & l)
			timer_set(&is->lv[LV(l)].gen_t, ISIS_HELLO_START + is->cfg.lspgen.initial);
}

/* A crash or a protocol restart: every dynamic state is lost, routes withdrawn. */
static void
isis_stop(struct proto_inst *pi)
{
	struct isis *is = pi->priv;

	if (is == NULL)
		return;
	is->running = false; /* a crash: nothing is announced or scheduled from here on */
	for (int i = 0; i < is->ncircs; i++)
		isis_circ_free(is->circs[i]);
	free(is->circs);
	free(is->circ_at);
	is->circs = NULL;
	is->circ_at = NULL;
	is->ncircs = is->ncirc_at = 0;
	is->words = 0;
	for (int l = 0; l < ISIS_LEVELS; l++) {
		struct isis_level *lv = &is->lv[l];

		isis_lspdb_clear(&lv->db);
		timer_cancel(&lv->spf_t);
		timer_cancel(&lv->gen_t);
		timer_cancel(&lv->refresh_t);
		free(lv->spt);
		free(lv->nhs);
		lv->spt = NULL;
		lv->nhs = NULL;
		lv->nspt = 0;
		lv->nnhs = lv->nnhs_kept = 0;
		isis_spf_done(lv);
		free(lv->chg);
		free(lv->touched);
		lv->chg = NULL;
		lv->pos = NULL;
		lv->touched = NULL;
		lv->chgcap = 0;
		lv->touchcap = 0;
		lv->npos = 0;
		lv->spt_simple = false;
		lv->att = false;
		lv->originated = false;
	}
	isis_orig_forget(is);
	for (int l = 0; l < ISIS_LEVELS; l++) {
		free(is->exp[l].v);
		is->exp[l] = (struct isis_export){0};
	}
	is->running = false;
	is->routes_valid = false;
	rib_flush(pi->node->rib, &isis_rib_src);
}

static void
isis_destroy(struct proto_inst *pi)
{
	struct isis *is = pi->priv;

	if (is == NULL)
		return;
	isis_stop(pi);
	isis_config_free(is);
	slab_destroy(&is->lsps);
	free(is);
	pi->priv = NULL;
}

static void
isis_if_notify(struct proto_inst *pi, struct iface *ifp, enum if_event ev)
{
	struct isis *is = pi->priv;
	struct isis_circ *c = is ? circ_of(is, ifp) : NULL;

	if (c == NULL)
		return;
	if (ev != IF_UP)
		isis_circ_down(c);
	if (ev != IF_DOWN && iface_is_up(ifp))
		isis_circ_up(c);
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++)
		if (is->cfg.level & l)
			isis_gen_schedule(is, l);
}

/* RFC 5443: LDP's readiness on a circuit changed its metric in our LSPs. */
static void
isis_igp_hold_changed(struct proto_inst *pi, struct iface *ifp)
{
	struct isis *is = pi->priv;

	if (is == NULL || circ_of(is, ifp) == NULL)
		return;
	for (int l = ISIS_LEVEL1; l <= ISIS_LEVEL2; l++)
		if (is->cfg.level & l)
			isis_gen_schedule(is, l);
}

/*
 * Pending work: LSPs waiting to be sent or acknowledged, requests, a CSNP
 * that synchronises a new neighbor, a scheduled SPF or LSP generation, an
 * adjacency on its way up. Periodic IIHs and CSNPs are not work.
 */
static bool
isis_busy(struct proto_inst *pi)
{
	struct isis *is = pi->priv;

	if (is == NULL || !is->running)
		return false;
	for (int l = 0; l < ISIS_LEVELS; l++)
		if (timer_pending(&is->lv[l].spf_t) || timer_pending(&is->lv[l].gen_t))
			return true;
	return isis_flood_busy(is);
}

static void
isis_stats(struct proto_inst *pi, struct strbuf *b)
{
	struct network *net = pi->node->net;
	uint64_t hellos = 0, lsps = 0, spf = 0;
	int id = proto_id(&proto_isis);

	if (b->len > 0)
		return;
	for (size_t i = 0; i < net->nnodes; i++) {
		struct proto_inst *p = net->nodes[i]->pi ? net->nodes[i]->pi[id] : NULL;
		struct isis *is = p ? p->priv : NULL;

		if (is == NULL)
			continue;
		hellos += is->st.hello_tx;
		lsps += is->st.lsp_gen;
		spf += is->st.spf_runs;
	}
	sb_printf(b, "IS-IS events: %llu hellos, %llu LSPs, %llu SPF runs",
	          (unsigned long long)hellos, (unsigned long long)lsps, (unsigned long long)spf);
}

static void
isis_init(void)
{
	isis_dissect_init();
}

static const struct proto_rx isis_rx[] = {
    {DEMUX_LLC, LLC_OSI, isis_input},
    {0},
};

static const char *const isis_route_codes[] = {
    "i - IS-IS",
    "L1 - IS-IS level-1",
    "L2 - IS-IS level-2",
    "ia - IS-IS inter area",
    NULL,
};

const struct protocol proto_isis = {
    .name = "isis",
    .rx = isis_rx,
    .init = isis_init,
    .config = isis_config_device,
    .config_iface = isis_config_iface,
    .validate = isis_config_validate,
    .start = isis_start,
    .stop = isis_stop,
    .destroy = isis_destroy,
    .if_notify = isis_if_notify,
    .igp_hold_changed = isis_igp_hold_changed,
    .busy = isis_busy,
    .stats = isis_stats,
    .show_protocols = isis_show_protocols,
    .route_codes = isis_route_codes,
    .cmds = isis_show_cmds,
};
