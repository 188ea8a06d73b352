/*
 * test_ospf_spf.c: the routing table calculation (RFC 2328 16) on fixture
 * databases: a transit network, equal-cost paths, stub networks, the two-way
 * check, inter-area routes (and the backbone rule for ABRs), AS-external
 * routes E1/E2 with and without a forwarding address (one no route reaches,
 * one of the router's own), and unreachable ASBRs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "ospf_fixture.h"

static void
assert_nh(const struct ospf_route *r, int n, const char *gw1, int if1, const char *gw2, int if2)
{
	assert_non_null(r);
	assert_int_equal(r->nnh, n);
	assert_int_equal(r->nh[0].gw, A(gw1));
	assert_int_equal(r->nh[0].ifindex, if1);
	if (n > 1) {
		assert_int_equal(r->nh[1].gw, A(gw2));
		assert_int_equal(r->nh[1].ifindex, if2);
	}
}

/*
 *   R1 --(N1 10.0.12.0/24, DR R2)-- R2 --p2p-- R4 -- 10.4.0.0/24 (cost 1)
 *    \                                        /
 *     `--p2p 10.0.13.0/30-- R3 --p2p---------'
 * All costs 10: R4 is at 20 through both R2 and R3.
 */
static void
area0(struct fx *f)
{
	struct ospf_if *e0, *e1;
	struct ospf_lsdb *db;

	fx_init(f, "1.1.1.1");
	e0 = fx_if(f, "eth0", "10.0.12.1", 24, 0, OSPF_IFT_BROADCAST, 10);
	e1 = fx_if(f, "eth1", "10.0.13.1", 30, 0, OSPF_IFT_P2P, 10);
	e0->state = ISM_DROTHER;
	e0->dr = A("10.0.12.2");
	e1->state = ISM_P2P;
	fx_nbr(e0, "2.2.2.2", "10.0.12.2", NSM_FULL);
	fx_nbr(e1, "3.3.3.3", "10.0.13.2", NSM_FULL);
	db = &e0->area->db;
	{
		struct fx_link l[] = {
		    {OSPF_LINK_TRANSIT, "10.0.12.2", "10.0.12.1", 10},
		    {OSPF_LINK_PTP, "3.3.3.3", "10.0.13.1", 10},
		    {OSPF_LINK_STUB, "10.0.13.0", "255.255.255.252", 10},
		};
		fx_install(db, fx_router_lsa("1.1.1.1", 0, l, 3));
	}
	{
		const char *rt[] = {"1.1.1.1", "2.2.2.2"};

		fx_install(db, fx_network_lsa("10.0.12.2", "2.2.2.2", 24, rt, 2));
	}
	{
		struct fx_link l[] = {
		    {OSPF_LINK_TRANSIT, "10.0.12.2", "10.0.12.2", 10},
		    {OSPF_LINK_PTP, "4.4.4.4", "10.0.24.1", 10},
		    {OSPF_LINK_STUB, "10.0.24.0", "255.255.255.252", 10},
		};
		fx_install(db, fx_router_lsa("2.2.2.2", 0, l, 3));
	}
	{
		struct fx_link l[] = {
		    {OSPF_LINK_PTP, "1.1.1.1", "10.0.13.2", 10},
		    {OSPF_LINK_STUB, "10.0.13.0", "255.255.255.252", 10},
		    {OSPF_LINK_PTP, "4.4.4.4", "10.0.34.1", 10},
		    {OSPF_LINK_STUB, "10.0.34.0", "255.255.255.252", 10},
		};
		fx_install(db, fx_router_lsa("3.3.3.3", 0, l, 4));
	}
	{
		struct fx_link l[] = {
		    {OSPF_LINK_PTP, "2.2.2.2", "10.0.24.2", 10},
		    {OSPF_LINK_STUB, "10.0.24.0", "255.255.255.252", 10},
		    {OSPF_LINK_PTP, "3.3.3.3", "10.0.34.2", 10},
		    {OSPF_LINK_STUB, "10.0.34.0", "255.255.255.252", 10},
		    {OSPF_LINK_STUB, "10.4.0.0", "255.255.255.0", 1},
		};
		fx_install(db, fx_router_lsa("4.4.4.4", OSPF_RTR_E, l, 5));
	}
	/* R5 claims a link to R1, which does not list it: fails the two-way check. */
	{
		struct fx_link l[] = {
		    {OSPF_LINK_PTP, "1.1.1.1", "10.0.15.2", 1},
		    {OSPF_LINK_STUB, "10.5.0.0", "255.255.255.0", 1},
		};
		fx_install(db, fx_router_lsa("5.5.5.5", 0, l, 2));
	}
}

static void
test_spf_intra(void **state UNUSED)
{
	struct fx f;
	struct ospf_table t;
	const struct ospf_route *r;

	area0(&f);
	ospf_spf_compute(f.o, &t);
	/* The transit network, directly attached. */
	r = fx_route(&t, "10.0.12.0/24");
	assert_nh(r, 1, "0.0.0.0", 0, NULL, 0);
	assert_int_equal(r->cost, 10);
	assert_true(r->connected);
	assert_int_equal(r->ptype, OSPF_PATH_INTRA);
	/* ECMP to R4's stub through R2 (across the transit net) and R3 (p2p). */
	r = fx_route(&t, "10.4.0.0/24");
	assert_int_equal(r->cost, 21);
	assert_nh(r, 2, "10.0.12.2", 0, "10.0.13.2", 1);
	/* Stub links of both ends of a p2p link: the cheaper one counts. */
	r = fx_route(&t, "10.0.24.0/30");
	assert_int_equal(r->cost, 20);
	assert_nh(r, 1, "10.0.12.2", 0, NULL, 0);
	r = fx_route(&t, "10.0.34.0/30");
	assert_int_equal(r->cost, 20);
	assert_nh(r, 1, "10.0.13.2", 1, NULL, 0);
	r = fx_route(&t, "10.0.13.0/30");
	assert_int_equal(r->cost, 10);
	assert_true(r->connected);
	/* The two-way check keeps R5 out. */
	assert_null(fx_route(&t, "10.5.0.0/24"));
	/* R4 is an ASBR: it has a router route. */
	assert_int_equal(t.nrr, 1);
	assert_int_equal(t.rr[0].rid, A("4.4.4.4"));
	assert_true(t.rr[0].asbr);
	assert_int_equal(t.rr[0].cost, 20);
	assert_int_equal(t.rr[0].nnh, 2);
	ospf_spf_table_free(&t);

	/* The neighbor over the p2p link is no longer Full: that link is not used. */
	f.o->ifs[1]->nbrs[0]->state = NSM_INIT;
	ospf_spf_compute(f.o, &t);
	r = fx_route(&t, "10.4.0.0/24");
	assert_int_equal(r->cost, 21);
	assert_nh(r, 1, "10.0.12.2", 0, NULL, 0);
	r = fx_route(&t, "10.0.34.0/30");
	assert_int_equal(r->cost, 30);
	ospf_spf_table_free(&t);
	fx_free(&f);
}

static void
test_spf_external(void **state UNUSED)
{
	struct fx f;
	struct ospf_table t;
	const struct ospf_route *r;

	area0(&f);
	fx_install(&f.o->as_db, fx_external_lsa("192.168.1.0", "4.4.4.4", 24, true, 20, NULL));
	fx_install(&f.o->as_db, fx_external_lsa("192.168.2.0", "4.4.4.4", 24, false, 5, NULL));
	/* Forwarding address on R3-R4: the route follows the path to it (through R3). */
	fx_install(&f.o->as_db,
	           fx_external_lsa("192.168.3.0", "4.4.4.4", 24, true, 7, "10.0.34.2"));
	/* An ASBR nobody can reach. */
	fx_install(&f.o->as_db, fx_external_lsa("192.168.4.0", "6.6.6.6", 24, true, 1, NULL));
	/* A prefix that is also intra-area: the intra-area route wins. */
	fx_install(&f.o->as_db, fx_external_lsa("10.4.0.0", "4.4.4.4", 24, false, 0, NULL));
	/* 16.4 step 3: a forwarding address no intra- or inter-area route reaches: no route. */
	fx_install(&f.o->as_db,
	           fx_external_lsa("192.168.5.0", "4.4.4.4", 24, true, 1, "172.31.0.1"));
	/* A forwarding address of this router's own (on the segment with R2): no route either. */
	fx_install(&f.o->as_db,
	           fx_external_lsa("192.168.6.0", "4.4.4.4", 24, true, 1, "10.0.12.1"));
	/* One on the segment, another router's: straight to it, not through R4. */
	fx_install(&f.o->as_db,
	           fx_external_lsa("192.168.7.0", "4.4.4.4", 24, false, 1, "10.0.12.2"));
	ospf_spf_compute(f.o, &t);
	r = fx_route(&t, "192.168.1.0/24");
	assert_int_equal(r->ptype, OSPF_PATH_E2);
	assert_int_equal(r->cost2, 20);
	assert_int_equal(r->cost, 20);
	assert_nh(r, 2, "10.0.12.2", 0, "10.0.13.2", 1);
	r = fx_route(&t, "192.168.2.0/24");
	assert_int_equal(r->ptype, OSPF_PATH_E1);
	assert_int_equal(r->cost, 25);
	r = fx_route(&t, "192.168.3.0/24");
	assert_int_equal(r->ptype, OSPF_PATH_E2);
	assert_int_equal(r->cost, 20);
	assert_nh(r, 1, "10.0.13.2", 1, NULL, 0);
	assert_null(fx_route(&t, "192.168.4.0/24"));
	assert_null(fx_route(&t, "192.168.5.0/24"));
	assert_null(fx_route(&t, "192.168.6.0/24"));
	r = fx_route(&t, "192.168.7.0/24");
	assert_int_equal(r->ptype, OSPF_PATH_E1);
	assert_int_equal(r->cost, 11);
	assert_nh(r, 1, "10.0.12.2", 0, NULL, 0);
	r = fx_route(&t, "10.4.0.0/24");
	assert_int_equal(r->ptype, OSPF_PATH_INTRA);
	ospf_spf_table_free(&t);
	fx_free(&f);
}

/* Root in area 1 behind ABR R2 (and, in the second part, also in area 0). */
static void
test_spf_inter_area(void **state UNUSED)
{
	struct fx f;
	struct ospf_table t;
	const struct ospf_route *r;
	struct ospf_if *e0;
	struct ospf_lsdb *db;

	fx_init(&f, "1.1.1.1");
	e0 = fx_if(&f, "eth0", "10.1.0.1", 30, 1, OSPF_IFT_P2P, 10);
	e0->state = ISM_P2P;
	fx_nbr(e0, "2.2.2.2", "10.1.0.2", NSM_FULL);
	db = &e0->area->db;
	{
		struct fx_link l[] = {
		    {OSPF_LINK_PTP, "2.2.2.2", "10.1.0.1", 10},
		    {OSPF_LINK_STUB, "10.1.0.0", "255.255.255.252", 10},
		};
		fx_install(db, fx_router_lsa("1.1.1.1", 0, l, 2));
	}
	{
		struct fx_link l[] = {
		    {OSPF_LINK_PTP, "1.1.1.1", "10.1.0.2", 10},
		    {OSPF_LINK_STUB, "10.1.0.0", "255.255.255.252", 10},
		};
		fx_install(db, fx_router_lsa("2.2.2.2", OSPF_RTR_B, l, 2));
	}
	fx_install(db, fx_summary_lsa(OSPF_LSA_SUMMARY, "10.99.0.0", "2.2.2.2", 16, 15));
	fx_install(db, fx_summary_lsa(OSPF_LSA_SUMMARY, "0.0.0.0", "2.2.2.2", 0, 1));
	/* From an ABR that is not reachable: ignored. */
	fx_install(db, fx_summary_lsa(OSPF_LSA_SUMMARY, "10.98.0.0", "8.8.8.8", 16, 1));
	/* Summary of an intra-area prefix: the intra-area route stays. */
	fx_install(db, fx_summary_lsa(OSPF_LSA_SUMMARY, "10.1.0.0", "2.2.2.2", 30, 1));
	/* ASBR 7.7.7.7 in another area, through an ASBR-summary, and its external. */
	fx_install(db, fx_summary_lsa(OSPF_LSA_ASBR_SUMMARY, "7.7.7.7", "2.2.2.2", 0, 5));
	fx_install(&f.o->as_db, fx_external_lsa("172.16.0.0", "7.7.7.7", 16, false, 3, NULL));
	ospf_spf_compute(f.o, &t);
	r = fx_route(&t, "10.99.0.0/16");
	assert_int_equal(r->ptype, OSPF_PATH_INTER);
	assert_int_equal(r->cost, 25);
	assert_nh(r, 1, "10.1.0.2", 0, NULL, 0);
	r = fx_route(&t, "0.0.0.0/0");
	assert_int_equal(r->ptype, OSPF_PATH_INTER);
	assert_int_equal(r->cost, 11);
	assert_null(fx_route(&t, "10.98.0.0/16"));
	r = fx_route(&t, "10.1.0.0/30");
	assert_int_equal(r->ptype, OSPF_PATH_INTRA);
	r = fx_route(&t, "172.16.0.0/16");
	assert_int_equal(r->ptype, OSPF_PATH_E1);
	assert_int_equal(r->cost, 18);
	ospf_spf_table_free(&t);

	/* Now the root is an ABR too (an interface in area 0): RFC 2328 16.2 says it
	 * looks at backbone summaries only, so area 1's are ignored. */
	{
		struct ospf_if *bb = fx_if(&f, "eth1", "10.0.0.1", 30, 0, OSPF_IFT_P2P, 10);
		struct fx_link l[] = {{OSPF_LINK_STUB, "10.0.0.0", "255.255.255.252", 10}};

		bb->state = ISM_P2P;
		fx_install(&bb->area->db, fx_router_lsa("1.1.1.1", OSPF_RTR_B, l, 1));
	}
	assert_true(ospf_is_abr(f.o));
	ospf_spf_compute(f.o, &t);
	assert_null(fx_route(&t, "10.99.0.0/16"));
	assert_null(fx_route(&t, "0.0.0.0/0"));
	assert_non_null(fx_route(&t, "10.0.0.0/30"));
	assert_non_null(fx_route(&t, "10.1.0.0/30"));
	ospf_spf_table_free(&t);
	fx_free(&f);
}

/* MaxAge LSAs take no part in the calculation. */
static void
test_spf_maxage(void **state UNUSED)
{
	struct fx f;
	struct ospf_table t;
	struct ospf_ent *e;

	area0(&f);
	e = ospf_lsdb_get(&f.o->ifs[0]->area->db, OSPF_LSA_ROUTER, A("4.4.4.4"), A("4.4.4.4"));
	e->age0 = OSPF_MAX_AGE;
	ospf_spf_compute(f.o, &t);
	assert_null(fx_route(&t, "10.4.0.0/24"));
	assert_non_null(fx_route(&t, "10.0.24.0/30"));
	ospf_spf_table_free(&t);
	fx_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spf_intra),
	    cmocka_unit_test(test_spf_external),
	    cmocka_unit_test(test_spf_inter_area),
	    cmocka_unit_test(test_spf_maxage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
