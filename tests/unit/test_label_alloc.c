/*
 * test_label_alloc.c: the node's MPLS label space (src/net/label_alloc.c),
 * which LDP and BGP share.
 *
 *   (a) next-fit from the owner's cursor: labels come in order from min,
 *       wrap at max, skip what is taken, and 0 says the range is used up;
 *   (b) two owners never get the same label: one skips the other's labels
 *       and the LFIB's static entries, whether or not an LFIB entry exists;
 *   (c) a freed label can be had again, by anyone; the bounds are clamped
 *       to the incoming labels (16 and up, 20 bits).
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

static struct network *net;
static struct node *nd;

static int
setup(void **state UNUSED)
{
	net = net_new("labels", 1);
	nd = net_add_node(net, "r1", NODE_ROUTER);
	return 0;
}

static int
teardown(void **state UNUSED)
{
	net_free(net);
	net = NULL;
	return 0;
}

/* (a) */
static void
test_next_fit(void **state UNUSED)
{
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
}

/* (b) */
static void
test_owners_apart(void **state UNUSED)
{
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
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_next_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owners_apart, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
