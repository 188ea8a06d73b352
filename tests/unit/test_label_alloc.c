/*
 * test_label_alloc.c: the node's MPLS label space (src/net/label_alloc.c),
 * which LDP and BGP share.
 *
 *   (a) next-fit from the owner's cursor: labels come in order from min,
 *       wrap at max, skip what is taken, and 0 says the range is used up;
 *   (b) two owners never get the same label: one skips the other's labels
 *       and the LFIB's static entries, whether or not an LFIB entry exists;
 *   (c) a freed label can be had again, by anyone; the bounds are clamped
 *       to the incoming labels (16 and up, 20 bits);
 *   (d) mpls_vpn_label_set refuses another owner's label, a label with
 *       another owner's LFIB entries, a VRF the router lacks, a reserved
 *       label; mpls_vpn_label_del removes VPN entries only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/ip.h"
#include "lib/util.h"
#include "net/mpls.h"
#include "net/net.h"
#include "net/vrf.h"

/* Each test has a router of its own, in a network of its own (net_free at the end). */
static struct node *
router(struct network **net)
{
	*net = net_new("labels", 1);
	return net_add_node(*net, "r1", NODE_ROUTER);
}

/* (a) */
static void
test_next_fit(void **state UNUSED)
{
	struct network *net;
	struct node *nd = router(&net);

	assert_int_equal(mpls_label_alloc(nd, 100, 103, "LDP"), 100);
	assert_int_equal(mpls_label_alloc(nd, 100, 103, "LDP"), 101);
	mpls_label_free(nd, 100);
	/* Next-fit: the cursor goes on past the freed label, then wraps to it. */
	assert_int_equal(mpls_label_alloc(nd, 100, 103, "LDP"), 102);
	assert_int_equal(mpls_label_alloc(nd, 100, 103, "LDP"), 103);
	assert_int_equal(mpls_label_alloc(nd, 100, 103, "LDP"), 100);
	assert_int_equal(mpls_label_alloc(nd, 100, 103, "LDP"), 0);
	assert_string_equal(mpls_label_owner(nd, 101), "LDP");
	assert_null(mpls_label_owner(nd, 104));
	net_free(net);
}

/* (b) */
static void
test_owners_apart(void **state UNUSED)
{
	struct network *net;
	struct node *nd = router(&net);
	struct mpls_entry st = {.in = 17, .action = MPLS_POP, .owner = "static"};
	char err[160];
	uint32_t got[6];

	assert_int_equal(mpls_lfib_add(nd, &st, err, sizeof(err)), 0);
	got[0] = mpls_label_alloc(nd, 16, 1000, "LDP"); /* 16 */
	got[1] = mpls_label_alloc(nd, 16, 1000, "BGP"); /* 16 is LDP's, 17 the LFIB's: 18 */
	got[2] = mpls_label_alloc(nd, 16, 1000, "LDP"); /* 17 taken, 18 BGP's: 19 */
	got[3] = mpls_label_alloc(nd, 16, 1000, "BGP"); /* BGP's cursor is at 19: 20 */
	assert_int_equal(got[0], 16);
	assert_int_equal(got[1], 18);
	assert_int_equal(got[2], 19);
	assert_int_equal(got[3], 20);
	assert_string_equal(mpls_label_owner(nd, 18), "BGP");
	/* None of them twice, none the static entry's. */
	for (int i = 0; i < 4; i++) {
		assert_int_not_equal(got[i], 17);
		for (int k = 0; k < i; k++)
			assert_int_not_equal(got[i], got[k]);
	}
	/* (c) BGP frees one: LDP's cursor wraps round to it in a small range. */
	mpls_label_free(nd, 18);
	got[4] = mpls_label_alloc(nd, 16, 20, "LDP"); /* cursor 20: taken; wraps: 16, 17 taken, 18 */
	assert_int_equal(got[4], 18);
	assert_int_equal(mpls_label_alloc(nd, 16, 20, "LDP"), 0);
	/* Bounds clamped: reserved labels are never handed out, nor above 20 bits. */
	got[5] = mpls_label_alloc(nd, 0, 15, "BGP");
	assert_int_equal(got[5], 0);
	assert_int_equal(mpls_label_alloc(nd, LABEL_MAX, UINT32_MAX, "BGP"), LABEL_MAX);
	assert_int_equal(mpls_label_alloc(nd, LABEL_MAX, UINT32_MAX, "BGP"), 0);
	net_free(net);
}

/* (d) VPN labels: programmed for their allocator only, into a VRF the router has. */
static void
test_vpn_label(void **state UNUSED)
{
	struct network *net;
	struct node *nd = router(&net);
	struct mpls_entry st = {.in = 40, .action = MPLS_POP, .owner = "static"};
	uint32_t ldp = mpls_label_alloc(nd, 16, 100, "LDP"), bgp = mpls_label_alloc(nd, 16, 100, "BGP");
	char err[160];

	node_vrf_add(nd, "red");
	assert_int_equal(mpls_lfib_add(nd, &st, err, sizeof(err)), 0);
	assert_int_equal(mpls_vpn_label_set(nd, bgp, 1, "BGP", err, sizeof(err)), 0);
	assert_true(mpls_lfib_has(nd, bgp));
	/* Again: the same entry, no change and no error. */
	assert_int_equal(mpls_vpn_label_set(nd, bgp, 1, "BGP", err, sizeof(err)), 0);
	assert_int_equal(mpls_vpn_label_set(nd, ldp, 1, "BGP", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "allocated to LDP"));
	assert_int_equal(mpls_vpn_label_set(nd, 40, 1, "BGP", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "in the LFIB already (static)"));
	assert_int_equal(mpls_vpn_label_set(nd, 41, 2, "BGP", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no VRF 2"));
	assert_int_equal(mpls_vpn_label_set(nd, 7, 1, "BGP", err, sizeof(err)), -1);
	assert_false(mpls_lfib_has(nd, 41) || mpls_lfib_has(nd, 7) || mpls_lfib_has(nd, ldp));
	/* Removal takes VPN entries only. */
	assert_false(mpls_vpn_label_del(nd, 40));
	assert_true(mpls_lfib_has(nd, 40));
	assert_true(mpls_vpn_label_del(nd, bgp));
	assert_false(mpls_lfib_has(nd, bgp));
	assert_false(mpls_vpn_label_del(nd, bgp));
	net_free(net);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_fit),
		cmocka_unit_test(test_owners_apart),
		cmocka_unit_test(test_vpn_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
