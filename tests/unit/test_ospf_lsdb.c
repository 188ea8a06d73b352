/*
 * test_ospf_lsdb.c: the link state database and flooding decisions: interned
 * instances shared between routers with per-router ages, installing and
 * replacing (RFC 2328 13.2), the receive procedure's choices (13: newer,
 * same instance as an implied acknowledgement, older, MaxAge unknown, bad
 * checksum, MinLSArrival) and the flooding rules (13.3, with the DR/BDR rules
 * of broadcast networks and request lists of exchanging neighbors).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ospf_fixture.h"

static struct ospf_blob *
rlsa(const char *rid, uint32_t seq, uint16_t metric)
{
	uint8_t b[16];

	b[0] = 0;
	b[1] = 0;
	put16(b + 2, 1);
	put32(b + 4, A("10.9.0.0"));
	put32(b + 8, A("255.255.0.0"));
	b[12] = OSPF_LINK_STUB;
	b[13] = 0;
	put16(b + 14, metric);
	return fx_lsa(OSPF_LSA_ROUTER, A(rid), A(rid), seq, b, sizeof(b));
}

static void
test_intern_shared(void **state UNUSED)
{
	struct fx a, b;
	struct ospf_area *aa, *ab;
	struct ospf_blob *x1, *x2, *y;
	struct ospf_ent *ea, *eb;
	size_t before, n;

	ospf_intern_stats(&before, NULL, NULL);
	fx_init(&a, "1.1.1.1");
	fx_init(&b, "2.2.2.2");
	aa = ospf_area_get(a.o, 0);
	ab = ospf_area_get(b.o, 0);
	x1 = rlsa("9.9.9.9", OSPF_INITIAL_SEQ, 1);
	x2 = rlsa("9.9.9.9", OSPF_INITIAL_SEQ, 1);
	/* The same instance is stored once, whatever the age. */
	assert_ptr_equal(x1, x2);
	ea = ospf_lsdb_install(&aa->db, x1, 7, false, true);
	eb = ospf_lsdb_install(&ab->db, x2, 300, false, true);
	assert_ptr_equal(ea->lsa, eb->lsa);
	assert_int_equal(ea->lsa->refs, 2);
	ospf_intern_stats(&n, NULL, NULL);
	assert_int_equal(n, before + 1);
	/* Ages are per router, computed from the install time. */
	a.net->sim.now = 10 * SIM_S;
	assert_int_equal(ospf_lsdb_age(ea, 10 * SIM_S), 17);
	assert_int_equal(ospf_lsdb_age(eb, 10 * SIM_S), 310);
	assert_int_equal(ospf_lsdb_age(eb, 4000 * SIM_S), OSPF_MAX_AGE);
	/* A newer instance in one router: the old one lives on in the other. */
	y = rlsa("9.9.9.9", OSPF_INITIAL_SEQ + 1, 1);
	assert_ptr_not_equal(y, x1);
	ea = ospf_lsdb_install(&aa->db, y, 0, false, true);
	assert_ptr_equal(ea->lsa, y);
	assert_int_equal(eb->lsa->refs, 1);
	assert_int_equal(aa->db.count[OSPF_LSA_ROUTER], 1);
	ospf_intern_stats(&n, NULL, NULL);
	assert_int_equal(n, before + 2);
	/* ...and goes when the last router drops it. */
	eb = ospf_lsdb_install(&ab->db, ospf_intern_ref(y), 0, false, true);
	ospf_intern_stats(&n, NULL, NULL);
	assert_int_equal(n, before + 1);
	assert_int_equal(y->refs, 2);
	fx_free(&a);
	fx_free(&b);
	ospf_intern_stats(&n, NULL, NULL);
	assert_int_equal(n, before);
}

/*
 * Routers on several threads (shared.c): in a parallel section every actor
 * takes the same instance and one of its own, whose body numbers new keys
 * and prefixes; the counts change when the section ends, and what the next
 * section releases is freed then, with its numbers.
 */
enum { TACT = 16 };

struct tact {
	struct actor a;
	struct timer take, drop;
	struct ospf_blob *common, *own;
	int i;
};

static void
tact_take(struct timer *t)
{
	struct tact *x = t->arg;
	char rid[32];

	snprintf(rid, sizeof(rid), "10.77.0.%d", x->i + 1);
	x->common = rlsa("9.9.9.9", OSPF_INITIAL_SEQ + 7, 5);
	x->own = rlsa(rid, OSPF_INITIAL_SEQ, (uint16_t)(x->i + 1));
	assert_true(sim_parallel);
	assert_non_null(ospf_intern_body(x->own));
	/* Counts do not move inside the section: the first taker's 1 at most. */
	assert_true(x->common->refs <= 1);
}

static void
tact_drop(struct timer *t)
{
	struct tact *x = t->arg;

	ospf_intern_unref(x->common);
	ospf_intern_unref(x->own);
}

static void
test_intern_threads(void **state UNUSED)
{
	struct sim s;
	struct tact *v = xcalloc(TACT, sizeof(*v));
	size_t before, n;
	uint32_t keys_before = ospf_lsakey_live();

	(void)state;
	ospf_shared_init();
	sim_set_threads(2);
	ospf_intern_stats(&before, NULL, NULL);
	sim_init(&s, SIM_MS);
	for (int i = 0; i < TACT; i++) {
		sim_add_actor(&s, &v[i].a);
		v[i].i = i;
		timer_init(&v[i].take, &v[i].a, tact_take, &v[i]);
		timer_init(&v[i].drop, &v[i].a, tact_drop, &v[i]);
		timer_set_at(&v[i].take, 1 * SIM_MS);
		timer_set_at(&v[i].drop, 5 * SIM_MS);
	}
	sim_run_until(&s, 2 * SIM_MS);
	/* One shared instance with every actor's reference, one instance per actor. */
	for (int i = 1; i < TACT; i++)
		assert_ptr_equal(v[i].common, v[0].common);
	assert_int_equal(v[0].common->refs, TACT);
	for (int i = 0; i < TACT; i++) {
		assert_int_equal(v[i].own->refs, 1);
		for (int k = 0; k < i; k++)
			assert_int_not_equal(v[i].own->lsx, v[k].own->lsx);
	}
	ospf_intern_stats(&n, NULL, NULL);
	assert_int_equal(n, before + 1 + TACT);
	assert_int_equal(ospf_lsakey_live(), keys_before + 1 + TACT);
	/* Every reference released in one section: everything goes when it ends. */
	sim_run_until(&s, 10 * SIM_MS);
	ospf_intern_stats(&n, NULL, NULL);
	assert_int_equal(n, before);
	assert_int_equal(ospf_lsakey_live(), keys_before);
	for (int i = 0; i < TACT; i++) {
		free(v[i].a.heap.v);
		free(v[i].a.outbox);
	}
	sim_free(&s);
	free(v);
}

/* A router with a broadcast interface (DROther; DR .2, BDR .3, a DROther .4 in 2-Way),
 * a point-to-point neighbor Y (Full) and another Z in Exchange. */
struct flood_fx {
	struct fx f;
	struct ospf_if *bc, *p1, *p2;
	struct ospf_nbr *dr, *bdr, *other, *y, *z;
};

static void
flood_setup(struct flood_fx *x)
{
	fx_init(&x->f, "1.1.1.1");
	x->bc = fx_if(&x->f, "eth0", "10.0.1.1", 24, 0, OSPF_IFT_BROADCAST, 10);
	x->p1 = fx_if(&x->f, "eth1", "10.0.2.1", 30, 0, OSPF_IFT_P2P, 10);
	x->p2 = fx_if(&x->f, "eth2", "10.0.3.1", 30, 0, OSPF_IFT_P2P, 10);
	x->bc->state = ISM_DROTHER;
	x->bc->dr = A("10.0.1.2");
	x->bc->bdr = A("10.0.1.3");
	x->p1->state = x->p2->state = ISM_P2P;
	x->dr = fx_nbr(x->bc, "2.2.2.2", "10.0.1.2", NSM_FULL);
	x->bdr = fx_nbr(x->bc, "3.3.3.3", "10.0.1.3", NSM_FULL);
	x->other = fx_nbr(x->bc, "4.4.4.4", "10.0.1.4", NSM_2WAY);
	x->y = fx_nbr(x->p1, "5.5.5.5", "10.0.2.2", NSM_FULL);
	x->z = fx_nbr(x->p2, "6.6.6.6", "10.0.3.2", NSM_EXCHANGE);
}

static bool
on_rxmt(struct ospf_nbr *nb, const char *rid)
{
	return ospf_nbr_rxmt_find(nb, OSPF_LSA_ROUTER, A(rid), A(rid)) != NULL;
}

static void
test_flood_rules(void **state UNUSED)
{
	struct flood_fx x;
	struct ospf_lsdb *db;
	struct ospf_ent *e;
	bool back;

	flood_setup(&x);
	db = &x.bc->area->db;
	/* Z is exchanging and asked for an older instance: it gets the new one instead. */
	{
		struct ospf_lsa_hdr old = {.type = OSPF_LSA_ROUTER,
		                           .id = A("9.9.9.9"),
		                           .adv_rtr = A("9.9.9.9"),
		                           .seq = OSPF_INITIAL_SEQ};

		ospf_lslist_add(&x.z->req, &old);
	}
	e = fx_install(db, rlsa("9.9.9.9", OSPF_INITIAL_SEQ + 1, 1));
	/* Received from the DR: the DR floods on the segment, we do not (13.3 step 3). */
	back = ospf_lsupd_flood(x.f.o, e, x.dr);
	assert_false(back);
	assert_false(on_rxmt(x.dr, "9.9.9.9"));    /* the sender */
	assert_true(on_rxmt(x.bdr, "9.9.9.9"));    /* adjacent: expects an ack */
	assert_false(on_rxmt(x.other, "9.9.9.9")); /* 2-Way: not adjacent */
	assert_true(on_rxmt(x.y, "9.9.9.9"));
	assert_true(on_rxmt(x.z, "9.9.9.9"));
	assert_int_equal(x.z->req.n, 0);
	assert_int_equal(x.bc->nfq, 0);
	assert_int_equal(x.p1->nfq, 1);
	assert_int_equal(x.p2->nfq, 1);
	assert_int_equal(e->nrxmt, 3);

	/* Received from Y on a p2p link: back out of the segment to AllDRouters. */
	e = fx_install(db, rlsa("8.8.8.8", OSPF_INITIAL_SEQ, 1));
	back = ospf_lsupd_flood(x.f.o, e, x.y);
	assert_false(back);
	assert_true(on_rxmt(x.dr, "8.8.8.8"));
	assert_int_equal(x.bc->nfq, 1);
	assert_false(on_rxmt(x.y, "8.8.8.8"));

	/* Received from a DROther on the segment: as DROther we flood it back (step 5). */
	x.other->state = NSM_FULL;
	e = fx_install(db, rlsa("7.7.7.7", OSPF_INITIAL_SEQ, 1));
	back = ospf_lsupd_flood(x.f.o, e, x.other);
	assert_true(back);
	/* As BDR, we would keep quiet (step 4). */
	x.bc->state = ISM_BACKUP;
	x.bc->bdr = A("10.0.1.1");
	e = fx_install(db, rlsa("6.6.6.7", OSPF_INITIAL_SEQ, 1));
	back = ospf_lsupd_flood(x.f.o, e, x.other);
	assert_false(back);
	assert_true(on_rxmt(x.dr, "6.6.6.7"));

	/* A request for a newer instance than ours: that neighbor does not get ours. */
	{
		struct ospf_lsa_hdr newer = {.type = OSPF_LSA_ROUTER,
		                             .id = A("5.5.5.6"),
		                             .adv_rtr = A("5.5.5.6"),
		                             .seq = OSPF_INITIAL_SEQ + 5};

		ospf_lslist_add(&x.z->req, &newer);
		e = fx_install(db, rlsa("5.5.5.6", OSPF_INITIAL_SEQ, 1));
		ospf_lsupd_flood(x.f.o, e, NULL);
		assert_false(on_rxmt(x.z, "5.5.5.6"));
		assert_int_equal(x.z->req.n, 1);
		assert_true(on_rxmt(x.y, "5.5.5.6"));
	}
	fx_free(&x.f);
}

/* An LS Update packet carrying the given instances, as decoded from the wire. */
static void
lsu(struct ospf_pkt *p, struct ospf_lsa *v, uint8_t (*buf)[64], struct ospf_blob **b,
    const uint16_t *ages, size_t n)
{
	memset(p, 0, sizeof(*p));
	p->hdr.type = OSPF_LSU;
	p->lsu.nlsas = n;
	p->lsu.lsas = v;
	for (size_t i = 0; i < n; i++) {
		memcpy(buf[i], b[i]->bytes, b[i]->hdr.length);
		put16(buf[i], ages[i]);
		ospf_lsa_decode(buf[i], b[i]->hdr.length, &v[i], NULL);
	}
}

static void
test_receive(void **state UNUSED)
{
	struct flood_fx x;
	struct ospf_lsdb *db;
	struct ospf_pkt p;
	struct ospf_lsa v[2];
	uint8_t buf[2][64];
	struct ospf_blob *b[2];
	uint16_t ages[2] = {5, 5};
	struct ospf_ent *e;

	flood_setup(&x);
	db = &x.bc->area->db;
	x.z->state = NSM_FULL;

	/* Newer (unknown): installed, flooded to the others, acknowledged (delayed). */
	b[0] = rlsa("9.9.9.9", OSPF_INITIAL_SEQ, 1);
	lsu(&p, v, buf, b, ages, 1);
	ospf_lsupd_input(x.y, &p);
	e = ospf_lsdb_get(db, OSPF_LSA_ROUTER, A("9.9.9.9"), A("9.9.9.9"));
	assert_non_null(e);
	assert_int_equal(e->age0, 5);
	assert_true(e->flooded);
	assert_true(on_rxmt(x.z, "9.9.9.9"));
	assert_true(on_rxmt(x.dr, "9.9.9.9"));
	assert_false(on_rxmt(x.y, "9.9.9.9"));
	assert_int_equal(x.p1->nacks, 1);

	/* The same instance from Z, which has it on its retransmission list: an implied ack. */
	ospf_lsupd_input(x.z, &p);
	assert_false(on_rxmt(x.z, "9.9.9.9"));
	assert_int_equal(x.p2->nacks, 0);
	assert_ptr_equal(ospf_lsdb_get(db, OSPF_LSA_ROUTER, A("9.9.9.9"), A("9.9.9.9")), e);

	/* A newer instance within MinLSArrival of the last: discarded, not acknowledged. */
	b[1] = rlsa("9.9.9.9", OSPF_INITIAL_SEQ + 1, 1);
	lsu(&p, v, buf, b + 1, ages, 1);
	ospf_lsupd_input(x.y, &p);
	assert_ptr_equal(e->lsa, b[0]);
	assert_int_equal(x.p1->nacks, 1);
	/* Two seconds later it is accepted. */
	x.f.net->sim.now = 2 * SIM_S;
	ospf_lsupd_input(x.y, &p);
	assert_ptr_equal(e->lsa, b[1]);

	/* An older instance: ours stays (and is sent back). */
	lsu(&p, v, buf, b, ages, 1);
	ospf_lsupd_input(x.y, &p);
	assert_ptr_equal(e->lsa, b[1]);
	assert_int_equal(ospf_lsdb_sentback(db, e), 2 * SIM_S);

	/* A MaxAge LSA we never had, nobody exchanging: acknowledged, not installed. */
	{
		uint16_t maxage[1] = {OSPF_MAX_AGE};
		struct ospf_blob *m = rlsa("3.3.3.4", OSPF_INITIAL_SEQ, 1);

		lsu(&p, v, buf, &m, maxage, 1);
		ospf_lsupd_input(x.y, &p);
		assert_null(ospf_lsdb_get(db, OSPF_LSA_ROUTER, A("3.3.3.4"), A("3.3.3.4")));
		ospf_intern_unref(m);
	}
	/* A bad LSA checksum: discarded. */
	{
		struct ospf_blob *c = rlsa("3.3.3.5", OSPF_INITIAL_SEQ, 1);

		lsu(&p, v, buf, &c, ages, 1);
		buf[0][25] ^= 0xff;
		ospf_lsupd_input(x.y, &p);
		assert_null(ospf_lsdb_get(db, OSPF_LSA_ROUTER, A("3.3.3.5"), A("3.3.3.5")));
		ospf_intern_unref(c);
	}
	fx_free(&x.f);
	ospf_intern_unref(b[0]);
	ospf_intern_unref(b[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_intern_shared),
	    cmocka_unit_test(test_intern_threads),
	    cmocka_unit_test(test_flood_rules),
	    cmocka_unit_test(test_receive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
