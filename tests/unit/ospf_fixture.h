/*
 * ospf_fixture.h: helpers shared by the OSPF unit tests: a router with an
 * OSPF instance that is configured by hand (no YAML, engine not running), and
 * builders for LSAs in their wire format.
 */
#ifndef OSPF_FIXTURE_H
#define OSPF_FIXTURE_H

#include <string.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "net/net.h"
#include "proto/ospf/ospf.h"
#include "proto/proto.h"

struct fx {
	struct network *net;
	struct node *n;
	struct ospf *o;
	struct ospf_if_cfg ic[8];
};

static inline uint32_t
A(const char *s)
{
	uint32_t a = 0;

	ip_parse(s, &a);
	return a;
}

/* A router "r" with router ID rid; no interfaces yet. */
static inline void
fx_init(struct fx *f, const char *rid)
{
	struct proto_inst *pi;

	memset(f, 0, sizeof(*f));
	f->net = net_new("t", 1);
	f->n = net_add_node(f->net, "r", NODE_ROUTER);
	pi = proto_instance(f->n, &proto_ospf);
	proto_ospf.config(pi, NULL);
	f->o = pi->priv;
	f->o->rid = A(rid);
	f->o->rid_how = "configured";
	ospf_lsdb_timers_init(f->o);
	ospf_lsdb_init(&f->o->as_db, f->o, NULL);
}

/* An OSPF interface name/addr/plen in area, of the given type and cost. */
static inline struct ospf_if *
fx_if(struct fx *f, const char *name, const char *addr, int plen, uint32_t area,
      enum ospf_if_type type, int cost)
{
	struct iface *ifp = node_add_iface(f->n, name);
	struct ospf_if_cfg *ic = &f->ic[ifp->idx];
	struct ospf_if *oi;

	ifp->addr = A(addr);
	ifp->plen = (uint8_t)plen;
	memset(ic, 0, sizeof(*ic));
	ic->present = true;
	ic->area = area;
	ic->cost = cost;
	ic->type = (int)type;
	ic->prio = 1;
	oi = ospf_if_new(f->o, ifp, ic);
	VEC_PUSH(f->o->ifs, f->o->nifs, f->o->ifcap, oi);
	oi->area->active = true;
	return oi;
}

static inline struct ospf_nbr *
fx_nbr(struct ospf_if *oi, const char *rid, const char *addr, enum ospf_nsm_state st)
{
	struct ospf_nbr *nb = ospf_nbr_new(oi, A(rid), A(addr));

	nb->state = st;
	nb->prio = 1;
	return nb;
}

static inline void
fx_free(struct fx *f)
{
	net_free(f->net);
}

/* --- LSA builders ------------------------------------------------------------------------ */

struct fx_link {
	uint8_t type;
	const char *id, *data;
	uint16_t metric;
};

/* Bytes of an LSA: header (age, seq) and body; returns an interned instance. */
static inline struct ospf_blob *
fx_lsa(uint8_t type, uint32_t id, uint32_t adv, uint32_t seq, const uint8_t *body, size_t blen)
{
	uint8_t buf[2048];
	struct ospf_lsa_hdr h = {.options = OSPF_OPT_E,
	                         .type = type,
	                         .id = id,
	                         .adv_rtr = adv,
	                         .seq = seq,
	                         .length = (uint16_t)(OSPF_LSA_HDRLEN + blen)};

	ospf_lsa_hdr_encode(&h, buf);
	memcpy(buf + OSPF_LSA_HDRLEN, body, blen);
	ospf_lsa_cksum_set(buf, OSPF_LSA_HDRLEN + blen);
	return ospf_intern(buf, OSPF_LSA_HDRLEN + blen);
}

static inline struct ospf_blob *
fx_router_lsa(const char *rid, uint8_t flags, const struct fx_link *l, size_t n)
{
	uint8_t b[1024];
	size_t off = 4;

	b[0] = flags;
	b[1] = 0;
	put16(b + 2, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		put32(b + off, A(l[i].id));
		put32(b + off + 4, A(l[i].data));
		b[off + 8] = l[i].type;
		b[off + 9] = 0;
		put16(b + off + 10, l[i].metric);
		off += 12;
	}
	return fx_lsa(OSPF_LSA_ROUTER, A(rid), A(rid), OSPF_INITIAL_SEQ, b, off);
}

static inline struct ospf_blob *
fx_network_lsa(const char *id, const char *adv, int plen, const char *const *rtrs, size_t n)
{
	uint8_t b[256];

	put32(b, ip_mask((unsigned)plen));
	for (size_t i = 0; i < n; i++)
		put32(b + 4 + 4 * i, A(rtrs[i]));
	return fx_lsa(OSPF_LSA_NETWORK, A(id), A(adv), OSPF_INITIAL_SEQ, b, 4 + 4 * n);
}

static inline struct ospf_blob *
fx_summary_lsa(uint8_t type, const char *id, const char *adv, int plen, uint32_t metric)
{
	uint8_t b[8];

	put32(b, ip_mask((unsigned)plen));
	b[4] = 0;
	put24(b + 5, metric);
	return fx_lsa(type, A(id), A(adv), OSPF_INITIAL_SEQ, b, 8);
}

static inline struct ospf_blob *
fx_external_lsa(const char *id, const char *adv, int plen, bool e2, uint32_t metric,
                const char *fwd)
{
	uint8_t b[16];

	put32(b, ip_mask((unsigned)plen));
	b[4] = e2 ? 0x80 : 0;
	put24(b + 5, metric);
	put32(b + 8, fwd ? A(fwd) : 0);
	put32(b + 12, 0);
	return fx_lsa(OSPF_LSA_EXTERNAL, A(id), A(adv), OSPF_INITIAL_SEQ, b, 16);
}

static inline struct ospf_ent *
fx_install(struct ospf_lsdb *db, struct ospf_blob *b)
{
	return ospf_lsdb_install(db, b, 1, false, true);
}

/* The route to prefix s in t, or NULL. */
static inline const struct ospf_route *
fx_route(const struct ospf_table *t, const char *s)
{
	struct prefix p;

	prefix_parse(s, &p);
	for (size_t i = 0; i < t->n; i++)
		if (prefix_eq(&t->r[i].pfx, &p))
			return &t->r[i];
	return NULL;
}

#endif
