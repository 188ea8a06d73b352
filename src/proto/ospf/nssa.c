/*
 * nssa.c: not-so-stubby areas (RFC 3101).
 *
 * An NSSA takes no AS-external-LSAs (like a stub area), but its own ASBRs
 * import external routes as Type-7 LSAs, flooded in the NSSA only (area.c
 * originates them, spf.c computes N1/N2 routes from them). At the border,
 * one NSSA border router translates them into AS-external-LSAs for the rest
 * of the AS: the elected translator (3.1). This file holds the election and
 * the list of Type-7 LSAs to translate (3.2), both from the routing table
 * SPF just computed; the translated AS-external-LSAs are originated with the
 * router's own (area.c), so that one pass owns every Type-5 this router says.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../lib/util.h"
#include "ospf.h"

/* RFC 3101 3.1: TranslatorStabilityInterval. */
#define STABILITY (40 * SIM_S)

/* Does the router-LSA of border router rid in a have the Nt bit? */
static bool
nt_bit(struct ospf_area *a, uint32_t rid)
{
	struct ospf_ent *e = ospf_lsdb_get(&a->db, OSPF_LSA_ROUTER, rid, rid);
	const struct ospf_lsa_body *b = e != NULL ? ospf_intern_body(e->lsa) : NULL;

	return b != NULL && (b->rtr.flags & OSPF_RTR_NT);
}

/*
 * 3.1: translate when the role is Always; as a Candidate, when no other
 * border router reachable in the NSSA translates always (Nt bit) and this
 * one has the highest router ID among them. A translator that loses the
 * election goes on for TranslatorStabilityInterval.
 */
static bool
elect(struct ospf *o, struct ospf_area *a, const struct ospf_table *t)
{
	sim_time now = ospf_now(o);
	bool elected = ospf_is_abr(o) && a->cfg->translate != OSPF_NSSA_NEVER;

	if (elected && a->cfg->translate == OSPF_NSSA_CANDIDATE)
		for (size_t i = 0; i < t->nrr && elected; i++) {
			const struct ospf_rroute *r = &t->rr[i];

			if (r->area != a->id || r->ptype != OSPF_PATH_INTRA || !r->abr ||
			    r->rid == o->rid)
				continue;
			elected = r->rid < o->rid && !nt_bit(a, r->rid);
		}
	if (elected || !a->translator) {
		a->translator_until = 0;
		return elected;
	}
	if (a->translator_until == 0) {
		a->translator_until = now + STABILITY;
		timer_set_at(&o->nssa_t, a->translator_until);
	}
	return now < a->translator_until;
}

static bool
same_list(const struct ospf_xlate *a, size_t na, const struct ospf_xlate *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!prefix_eq(&a[i].pfx, &b[i].pfx) || a[i].metric != b[i].metric ||
		    a[i].fwd != b[i].fwd || a[i].tag != b[i].tag || a[i].ebit != b[i].ebit)
			return false;
	return true;
}

static int
xlate_cmp(const void *a, const void *b)
{
	return prefix_cmp(&((const struct ospf_xlate *)a)->pfx, &((const struct ospf_xlate *)b)->pfx);
}

/*
 * 3.2: the Type-7 LSAs to translate, in each NSSA where this router
 * translates: those with the P-bit set, a forwarding address, not a default
 * route, whose prefix's route in the table SPF just computed is the N1/N2
 * route they gave (one LSA per prefix: the route names its advertising router).
 */
static void
collect(struct ospf *o, struct ospf_area *a, struct ospf_xlate **v, size_t *n, size_t *cap)
{
	size_t ne;
	struct ospf_ent **es = ospf_lsdb_sorted_types(&a->db, OSPF_LSA_NSSA, OSPF_LSA_NSSA, &ne);

	for (size_t k = 0; k < ne; k++) {
		const struct ospf_blob *b = es[k]->lsa;
		const struct ospf_lsa_body *body = ospf_intern_body(es[k]->lsa);
		const struct ospf_rt *r = b->pid != OSPF_PFX_NONE ? ospf_rt_get(b->pid) : NULL;

		if (r == NULL || !OSPF_PATH_NSSA(r->ptype) || r->area != a->id ||
		    r->adv != b->hdr.adv_rtr || body == NULL || !(b->hdr.options & OSPF_OPT_NP) ||
		    body->ext.fwd == 0 || ospf_pfx_of(b->pid).len == 0 || b->hdr.adv_rtr == o->rid)
			continue;
		VEC_PUSH(*v, *n, *cap,
		         ((struct ospf_xlate){ospf_pfx_of(b->pid), body->ext.metric, body->ext.fwd,
		                              body->ext.tag, body->ext.ebit}));
	}
	free(es);
}

/* After a full SPF run: the elections (3.1), then what to translate (3.2). */
void
ospf_nssa_update(struct ospf *o, const struct ospf_table *t)
{
	struct ospf_xlate *v = NULL;
	size_t n = 0, cap = 0;
	bool changed = false;

	for (size_t i = 0; i < o->nareas; i++) {
		struct ospf_area *a = o->areas[i];
		bool tr = a->nssa && a->active && elect(o, a, t);

		if (tr != a->translator) {
			a->translator = tr;
			changed = true;
			ospf_trace(o, "area %s: NSSA translator %s", ospf_area_str(a->id),
			           tr ? "elected" : "no more");
		}
		if (tr)
			collect(o, a, &v, &n, &cap);
	}
	/* In prefix order: the list compares, and the origination pass reads it in order. */
	if (n > 1)
		qsort(v, n, sizeof(*v), xlate_cmp);
	if (changed || !same_list(v, n, o->xlate, o->nxlate))
		ospf_orig_schedule(o);
	free(o->xlate);
	o->xlate = v;
	o->nxlate = n;
}

const char *
ospf_nssa_role_name(const struct ospf_area *a)
{
	static const char *const names[] = {"candidate", "always", "never"};

	return names[a->cfg->translate];
}

/* The stability interval of a translator that lost the election ran out: elect again. */
void
ospf_nssa_fire(struct timer *t)
{
	ospf_spf_schedule(t->arg);
}

/*
 * 2.3: a Type-7 LSA with the P-bit set carries a forwarding address, one of
 * the router's addresses in the NSSA: a loopback's if it has one there (the
 * highest), else the highest interface address.
 */
uint32_t
ospf_nssa_fwd(const struct ospf *o, const struct ospf_area *a)
{
	uint32_t best = 0;
	bool loop = false;

	for (size_t i = 0; i < o->nifs; i++) {
		const struct ospf_if *oi = o->ifs[i];
		bool l = oi->state == ISM_LOOPBACK;

		if (oi->area != a || oi->state == ISM_DOWN)
			continue;
		if ((l && !loop) || (l == loop && oi->ifp->addr > best)) {
			best = oi->ifp->addr;
			loop = l;
		}
	}
	return best;
}
