/*
 * test_ospf_fsm.c: the OSPF interface and neighbor state machines (RFC 2328
 * 9.3, 10.3): every row of both tables is found for every state it names,
 * events the RFC does not list are ignored, and the transitions the rows
 * describe happen on a router configured by hand. Then DR election (9.4)
 * on the RFC's cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "ospf_fixture.h"

/* --- the tables --------------------------------------------------------------------------- */

/* Rows never overlap: the lookup finds each row in every state it names. Returns the rows. */
static int
check_rows(const struct fsm_row *table, int nstates)
{
	int rows = 0;

	for (const struct fsm_row *r = table; r->states; r++, rows++)
		for (int s = 0; s < nstates; s++)
			if (r->states & (1u << s))
				assert_ptr_equal(fsm_lookup(table, s, r->ev), r);
	return rows;
}

/* (state, event) pairs the RFC lists no transition for, ended by {-1}: they are ignored. */
struct pair {
	int state, ev;
};

static void
check_ignored(const struct fsm_row *table, const struct pair *p)
{
	for (; p->state >= 0; p++)
		assert_null(fsm_lookup(table, p->state, p->ev));
}

static void
test_ism_table_rows(void **state UNUSED)
{
	assert_int_equal(check_rows(ospf_ism_table, ISM_NSTATES), 7);
	/* RFC 2328 9.3. */
	check_ignored(ospf_ism_table, (const struct pair[]){{ISM_DOWN, ISM_EV_WAIT_TIMER},
	                                                    {ISM_WAITING, ISM_EV_NBR_CHANGE},
	                                                    {ISM_P2P, ISM_EV_NBR_CHANGE},
	                                                    {ISM_DR, ISM_EV_BACKUP_SEEN},
	                                                    {ISM_DOWN, ISM_EV_UNLOOP_IND},
	                                                    {ISM_DR, ISM_EV_UP},
	                                                    {-1, 0}});
	/* InterfaceDown and LoopInd apply in every state. */
	for (int s = 0; s < ISM_NSTATES; s++) {
		assert_non_null(fsm_lookup(ospf_ism_table, s, ISM_EV_DOWN));
		assert_non_null(fsm_lookup(ospf_ism_table, s, ISM_EV_LOOP_IND));
	}
}

static void
test_nsm_table_rows(void **state UNUSED)
{
	assert_int_equal(check_rows(ospf_nsm_table, NSM_NSTATES), 18);
	/* RFC 2328 10.3. */
	check_ignored(ospf_nsm_table, (const struct pair[]){{NSM_DOWN, NSM_EV_2WAY_RCVD},
	                                                    {NSM_2WAY, NSM_EV_NEG_DONE},
	                                                    {NSM_FULL, NSM_EV_EXCH_DONE},
	                                                    {NSM_EXCHANGE, NSM_EV_LOAD_DONE},
	                                                    {NSM_INIT, NSM_EV_SEQ_MISMATCH},
	                                                    {NSM_DOWN, NSM_EV_1WAY_RCVD},
	                                                    {NSM_ATTEMPT, NSM_EV_START},
	                                                    {-1, 0}});
	for (int s = 0; s < NSM_NSTATES; s++) {
		assert_non_null(fsm_lookup(ospf_nsm_table, s, NSM_EV_KILL));
		assert_non_null(fsm_lookup(ospf_nsm_table, s, NSM_EV_LL_DOWN));
		assert_non_null(fsm_lookup(ospf_nsm_table, s, NSM_EV_INACTIVITY));
	}
	for (int s = NSM_INIT; s < NSM_NSTATES; s++)
		assert_non_null(fsm_lookup(ospf_nsm_table, s, NSM_EV_HELLO_RCVD));
}

/* --- the interface machine ---------------------------------------------------------------- */

static void
test_ism_transitions(void **state UNUSED)
{
	struct fx f;
	struct ospf_if *p2p, *bc, *lo, *nb0;

	fx_init(&f, "1.1.1.1");
	p2p = fx_if(&f, "eth0", "10.0.0.1", 30, 0, OSPF_IFT_P2P, 10);
	bc = fx_if(&f, "eth1", "10.0.1.1", 24, 0, OSPF_IFT_BROADCAST, 10);
	lo = fx_if(&f, "lo0", "10.9.9.9", 32, 0, OSPF_IFT_LOOPBACK, 0);
	nb0 = fx_if(&f, "eth2", "10.0.2.1", 24, 0, OSPF_IFT_BROADCAST, 10);
	nb0->prio = 0;

	/* Down -> InterfaceUp: point-to-point, Waiting (eligible) or DROther (priority 0). */
	ospf_if_fsm(p2p, ISM_EV_UP);
	assert_int_equal(p2p->state, ISM_P2P);
	assert_true(timer_pending(&p2p->hello_t));
	ospf_if_fsm(bc, ISM_EV_UP);
	assert_int_equal(bc->state, ISM_WAITING);
	assert_true(timer_pending(&bc->wait_t));
	assert_int_equal(timer_remaining(&bc->wait_t), 40 * SIM_S);
	ospf_if_fsm(nb0, ISM_EV_UP);
	assert_int_equal(nb0->state, ISM_DROTHER);

	/* Unexpected events change nothing. */
	ospf_if_fsm(p2p, ISM_EV_NBR_CHANGE);
	assert_int_equal(p2p->state, ISM_P2P);
	ospf_if_fsm(bc, ISM_EV_NBR_CHANGE);
	assert_int_equal(bc->state, ISM_WAITING);

	/* Waiting -> WaitTimer: alone on the segment, the router is DR. */
	ospf_if_fsm(bc, ISM_EV_WAIT_TIMER);
	assert_int_equal(bc->state, ISM_DR);
	assert_int_equal(bc->dr, A("10.0.1.1"));
	assert_int_equal(bc->bdr, 0);
	assert_false(timer_pending(&bc->wait_t));

	/* DR -> NeighborChange: a neighbor that declares itself DR with higher priority
	 * does not preempt (the router already is DR). */
	{
		struct ospf_nbr *n = fx_nbr(bc, "2.2.2.2", "10.0.1.2", NSM_2WAY);

		n->prio = 200;
		ospf_if_fsm(bc, ISM_EV_NBR_CHANGE);
		assert_int_equal(bc->state, ISM_DR);
		assert_int_equal(bc->bdr, A("10.0.1.2"));
		/* Now it declares itself DR: both declare, the higher priority wins. */
		n->dr = A("10.0.1.2");
		ospf_if_fsm(bc, ISM_EV_NBR_CHANGE);
		assert_int_equal(bc->dr, A("10.0.1.2"));
		assert_int_equal(bc->state, ISM_BACKUP);
	}

	/* InterfaceDown from any state: Down, neighbors gone, timers stopped. */
	ospf_if_fsm(bc, ISM_EV_DOWN);
	assert_int_equal(bc->state, ISM_DOWN);
	assert_int_equal(bc->nnbrs, 0);
	assert_int_equal(bc->dr, 0);
	assert_false(timer_pending(&bc->hello_t));

	/* Waiting -> BackupSeen. */
	ospf_if_fsm(bc, ISM_EV_UP);
	assert_int_equal(bc->state, ISM_WAITING);
	{
		struct ospf_nbr *n = fx_nbr(bc, "3.3.3.3", "10.0.1.3", NSM_2WAY);

		n->dr = A("10.0.1.3");
		ospf_if_fsm(bc, ISM_EV_BACKUP_SEEN);
		assert_int_equal(bc->state, ISM_BACKUP);
		assert_int_equal(bc->dr, A("10.0.1.3"));
		assert_int_equal(bc->bdr, A("10.0.1.1"));
	}

	/* LoopInd from any state, UnloopInd back to Down. */
	ospf_if_fsm(lo, ISM_EV_LOOP_IND);
	assert_int_equal(lo->state, ISM_LOOPBACK);
	ospf_if_fsm(lo, ISM_EV_UNLOOP_IND);
	assert_int_equal(lo->state, ISM_DOWN);
	ospf_if_fsm(p2p, ISM_EV_LOOP_IND);
	assert_int_equal(p2p->state, ISM_LOOPBACK);
	ospf_if_fsm(p2p, ISM_EV_DOWN);
	assert_int_equal(p2p->state, ISM_DOWN);
	fx_free(&f);
}

/* --- the neighbor machine ----------------------------------------------------------------- */

static void
test_nsm_transitions(void **state UNUSED)
{
	struct fx f;
	struct ospf_if *p2p, *bc;
	struct ospf_nbr *n, *m;

	fx_init(&f, "1.1.1.1");
	p2p = fx_if(&f, "eth0", "10.0.0.1", 30, 0, OSPF_IFT_P2P, 10);
	bc = fx_if(&f, "eth1", "10.0.1.1", 24, 0, OSPF_IFT_BROADCAST, 10);
	ospf_if_fsm(p2p, ISM_EV_UP);
	ospf_if_fsm(bc, ISM_EV_UP);

	n = ospf_nbr_new(p2p, A("2.2.2.2"), A("10.0.0.2"));
	assert_int_equal(n->state, NSM_DOWN);
	/* Down -> HelloReceived -> Init, with the inactivity timer. */
	ospf_nbr_fsm(n, NSM_EV_HELLO_RCVD);
	assert_int_equal(n->state, NSM_INIT);
	assert_int_equal(timer_remaining(&n->inactivity), 40 * SIM_S);
	/* Not work convergence waits for: it may stay one-way (see ospf_nbr_is_busy). */
	assert_int_equal(f.o->nbusy_nbrs, 0);
	/* Init -> 1-WayReceived: stays. Init -> 2-WayReceived on p2p: ExStart, master claimed. */
	ospf_nbr_fsm(n, NSM_EV_1WAY_RCVD);
	assert_int_equal(n->state, NSM_INIT);
	ospf_nbr_fsm(n, NSM_EV_2WAY_RCVD);
	assert_int_equal(n->state, NSM_EXSTART);
	assert_int_equal(f.o->nbusy_nbrs, 1);
	assert_true(n->master);
	assert_non_null(n->last_dd);
	assert_true(timer_pending(&n->dd_rxmt));
	/* ExStart -> NegotiationDone -> Exchange (summary list made). */
	ospf_nbr_fsm(n, NSM_EV_NEG_DONE);
	assert_int_equal(n->state, NSM_EXCHANGE);
	/* Exchange -> SeqNumberMismatch -> ExStart with a new sequence number. */
	{
		uint32_t seq = n->dd_seq;

		ospf_nbr_fsm(n, NSM_EV_SEQ_MISMATCH);
		assert_int_equal(n->state, NSM_EXSTART);
		assert_int_equal(n->dd_seq, seq + 1);
	}
	ospf_nbr_fsm(n, NSM_EV_NEG_DONE);
	/* Exchange -> ExchangeDone with an empty request list: Full. */
	ospf_nbr_fsm(n, NSM_EV_EXCH_DONE);
	assert_int_equal(n->state, NSM_FULL);
	assert_int_equal(f.o->nbusy_nbrs, 0);
	/* Full -> BadLSReq -> ExStart; again to Loading, then LoadingDone -> Full. */
	ospf_nbr_fsm(n, NSM_EV_BAD_LSREQ);
	assert_int_equal(n->state, NSM_EXSTART);
	ospf_nbr_fsm(n, NSM_EV_NEG_DONE);
	{
		struct ospf_lsa_hdr h = {.type = 1, .id = A("9.9.9.9"), .adv_rtr = A("9.9.9.9")};

		ospf_lslist_add(&n->req, &h);
	}
	ospf_nbr_fsm(n, NSM_EV_EXCH_DONE);
	assert_int_equal(n->state, NSM_LOADING);
	assert_int_equal(n->lsr_out, 1); /* entering Loading sends the request */
	ospf_nbr_fsm(n, NSM_EV_LOAD_DONE);
	assert_int_equal(n->state, NSM_FULL);
	/* Full -> 1-WayReceived -> Init, lists cleared. */
	ospf_nbr_fsm(n, NSM_EV_1WAY_RCVD);
	assert_int_equal(n->state, NSM_INIT);
	assert_int_equal(n->req.n, 0);
	/* Any -> InactivityTimer / KillNbr / LLDown -> Down. */
	ospf_nbr_fsm(n, NSM_EV_INACTIVITY);
	assert_int_equal(n->state, NSM_DOWN);
	assert_false(timer_pending(&n->inactivity));
	ospf_nbr_fsm(n, NSM_EV_HELLO_RCVD);
	ospf_nbr_fsm(n, NSM_EV_KILL);
	assert_int_equal(n->state, NSM_DOWN);
	ospf_nbr_fsm(n, NSM_EV_HELLO_RCVD);
	ospf_nbr_fsm(n, NSM_EV_LL_DOWN);
	assert_int_equal(n->state, NSM_DOWN);

	/* Broadcast, Waiting: no adjacency decision yet, 2-Way. */
	m = ospf_nbr_new(bc, A("3.3.3.3"), A("10.0.1.3"));
	ospf_nbr_fsm(m, NSM_EV_HELLO_RCVD);
	ospf_nbr_fsm(m, NSM_EV_2WAY_RCVD);
	assert_int_equal(m->state, NSM_2WAY);
	assert_false(ospf_nbr_is_busy(m));
	/* 2-Way -> AdjOK? after we became DR: ExStart. */
	bc->state = ISM_DR;
	ospf_nbr_fsm(m, NSM_EV_ADJ_OK);
	assert_int_equal(m->state, NSM_EXSTART);
	/* ExStart+ -> AdjOK? once neither of us is DR/BDR: back to 2-Way. */
	bc->state = ISM_DROTHER;
	bc->dr = A("10.0.1.9");
	bc->bdr = A("10.0.1.8");
	ospf_nbr_fsm(m, NSM_EV_ADJ_OK);
	assert_int_equal(m->state, NSM_2WAY);
	/* ...but stays when the neighbor is the DR. */
	bc->dr = A("10.0.1.3");
	ospf_nbr_fsm(m, NSM_EV_ADJ_OK);
	assert_int_equal(m->state, NSM_EXSTART);
	ospf_nbr_fsm(m, NSM_EV_ADJ_OK);
	assert_int_equal(m->state, NSM_EXSTART);
	/* 2-Way+ -> 2-WayReceived: no change. */
	ospf_nbr_fsm(m, NSM_EV_2WAY_RCVD);
	assert_int_equal(m->state, NSM_EXSTART);

	/* NBMA: Down -> Start -> Attempt -> HelloReceived -> Init. */
	{
		struct ospf_if *nbma = fx_if(&f, "eth2", "10.0.2.1", 24, 0, OSPF_IFT_NBMA, 10);
		struct ospf_nbr *k = ospf_nbr_new(nbma, 0, A("10.0.2.2"));

		ospf_nbr_fsm(k, NSM_EV_START);
		assert_int_equal(k->state, NSM_ATTEMPT);
		assert_true(timer_pending(&k->inactivity));
		ospf_nbr_fsm(k, NSM_EV_HELLO_RCVD);
		assert_int_equal(k->state, NSM_INIT);
	}
	fx_free(&f);
}

/* --- DR election (RFC 2328 9.4) --------------------------------------------------------------- */

#define C(rid, addr, prio, dr, bdr)                                                                \
	{                                                                                          \
		A(rid), A(addr), prio, A(dr), A(bdr)                                               \
	}

static void
elect(const struct ospf_dr_cand *c, size_t n, size_t self, const char *dr, const char *bdr)
{
	uint32_t d, b;

	ospf_if_elect(c, n, self, &d, &b);
	assert_int_equal(d, A(dr));
	assert_int_equal(b, A(bdr));
}

static void
test_dr_election(void **state UNUSED)
{
	/* Alone: DR, no BDR (the second round takes it out of the BDR race). */
	{
		struct ospf_dr_cand c[] = {C("1.1.1.1", "10.0.0.1", 1, "0.0.0.0", "0.0.0.0")};

		elect(c, 1, 0, "10.0.0.1", "0.0.0.0");
	}
	/* Nobody declared: the highest router ID becomes BDR, then DR (step 3); the
	 * higher router repeats the election (step 4) and the other becomes BDR. */
	{
		struct ospf_dr_cand c[] = {
		    C("1.1.1.1", "10.0.0.1", 1, "0.0.0.0", "0.0.0.0"),
		    C("2.2.2.2", "10.0.0.2", 1, "0.0.0.0", "0.0.0.0"),
		};

		elect(c, 2, 1, "10.0.0.2", "10.0.0.1");
		/* The lower one, not involved, takes the first round as it is (RFC text). */
		elect(c, 2, 0, "10.0.0.2", "10.0.0.2");
	}
	/* Priority beats router ID. */
	{
		struct ospf_dr_cand c[] = {
		    C("9.9.9.9", "10.0.0.9", 1, "0.0.0.0", "0.0.0.0"),
		    C("1.1.1.1", "10.0.0.1", 5, "0.0.0.0", "0.0.0.0"),
		};

		elect(c, 2, 1, "10.0.0.1", "10.0.0.9");
	}
	/* No preemption: an existing DR stays even when a higher priority router appears. */
	{
		struct ospf_dr_cand c[] = {
		    C("5.5.5.5", "10.0.0.5", 200, "0.0.0.0", "0.0.0.0"),
		    C("1.1.1.1", "10.0.0.1", 1, "10.0.0.1", "0.0.0.0"),
		};

		elect(c, 2, 0, "10.0.0.1", "10.0.0.5");
	}
	/* Priority 0 is never elected, even alone with nobody else eligible. */
	{
		struct ospf_dr_cand c[] = {
		    C("9.9.9.9", "10.0.0.9", 0, "0.0.0.0", "0.0.0.0"),
		    C("1.1.1.1", "10.0.0.1", 1, "0.0.0.0", "0.0.0.0"),
		    C("2.2.2.2", "10.0.0.2", 1, "0.0.0.0", "0.0.0.0"),
		};

		elect(c, 3, 0, "10.0.0.2", "10.0.0.2");
		elect(c, 3, 2, "10.0.0.2", "10.0.0.1");
	}
	/* A router declaring itself BDR beats a higher priority one that does not (step 2). */
	{
		struct ospf_dr_cand c[] = {
		    C("7.7.7.7", "10.0.0.7", 100, "10.0.0.3", "0.0.0.0"),
		    C("3.3.3.3", "10.0.0.3", 1, "10.0.0.3", "10.0.0.4"),
		    C("4.4.4.4", "10.0.0.4", 1, "10.0.0.3", "10.0.0.4"),
		};

		elect(c, 3, 0, "10.0.0.3", "10.0.0.4");
	}
	/* The DR fails: the BDR declares BDR and no DR; it becomes DR and a new BDR is
	 * chosen in its second round (step 4). */
	{
		struct ospf_dr_cand c[] = {
		    C("4.4.4.4", "10.0.0.4", 1, "10.0.0.3", "10.0.0.4"),
		    C("2.2.2.2", "10.0.0.2", 1, "10.0.0.3", "10.0.0.4"),
		    C("1.1.1.1", "10.0.0.1", 1, "10.0.0.3", "10.0.0.4"),
		};

		elect(c, 3, 0, "10.0.0.4", "10.0.0.2");
	}
	/* Two routers declare DR (a partition healed): the higher priority, then router ID. */
	{
		struct ospf_dr_cand c[] = {
		    C("1.1.1.1", "10.0.0.1", 1, "10.0.0.1", "0.0.0.0"),
		    C("2.2.2.2", "10.0.0.2", 1, "10.0.0.2", "0.0.0.0"),
		    C("3.3.3.3", "10.0.0.3", 1, "10.0.0.1", "0.0.0.0"),
		};

		elect(c, 3, 2, "10.0.0.2", "10.0.0.3");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ism_table_rows),  cmocka_unit_test(test_nsm_table_rows),
	    cmocka_unit_test(test_ism_transitions), cmocka_unit_test(test_nsm_transitions),
	    cmocka_unit_test(test_dr_election),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
