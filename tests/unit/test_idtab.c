/*
 * test_idtab.c: the table of object numbers (src/lib/idtab.h).
 *
 * A model: random additions and removals of numbers, each with a key, into
 * an idtab hashed with hmap_hash and into an hmap of the same keys; after
 * every step each live key is found under its number and each removed one
 * is not, and the table lists the numbers in exactly the order the hmap
 * lists the keys (the BGP table relies on it to walk its destinations as it
 * did when they were in an hmap). The same with numbers of 24 bits and more,
 * which turn a table wide midway: it finds and orders them all the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "lib/hmap.h"
#include "lib/idtab.h"
#include "lib/rng.h"
#include "lib/util.h"

#define NKEYS 3000

/* Number i's key: numbers are spread (base + i * stride) to reach 24 bits. */
struct model {
	uint32_t base, stride;
	uint64_t key[NKEYS];
	bool live[NKEYS];
};

static uint32_t
num_of(const struct model *m, size_t i)
{
	return m->base + (uint32_t)i * m->stride;
}

static size_t
home(const void *ctx, uint32_t x)
{
	const struct model *m = ctx;

	return hmap_hash(m->key[(x - m->base) / m->stride]);
}

/* The number under key k, or UINT32_MAX. */
static uint32_t
lookup(const struct idtab *t, const struct model *m, uint64_t k)
{
	size_t h = hmap_hash(k);
	uint32_t v;

	for (size_t i = idtab_first(t, h); (v = idtab_find(t, &i, h)) != 0; i = idtab_step(t, i))
		if (m->key[(v - 1 - m->base) / m->stride] == k)
			return v - 1;
	return UINT32_MAX;
}

static void
check(const struct idtab *t, const struct hmap *hm, const struct model *m)
{
	size_t i = 0, j = 0, n = 0;
	uint64_t k;
	void *val;
	uint32_t x = 0;

	for (size_t q = 0; q < NKEYS; q++) {
		assert_int_equal(lookup(t, m, m->key[q]), m->live[q] ? num_of(m, q) : UINT32_MAX);
		n += m->live[q];
	}
	assert_int_equal(t->n, n);
	while (hmap_next(hm, &i, &k, &val)) {
		assert_true(idtab_next(t, &j, &x));
		assert_int_equal(x, num_of(m, (size_t)(uintptr_t)val - 1));
		assert_true(m->key[(x - m->base) / m->stride] == k);
	}
	assert_false(idtab_next(t, &j, &x));
}

static void
run_model(uint32_t base, uint32_t stride, uint64_t seed, bool expect_wide)
{
	static struct model m;
	struct idtab t = {0};
	struct hmap hm;
	struct rng r;

	rng_seed(&r, seed, 0);
	m.base = base;
	m.stride = stride;
	for (size_t i = 0; i < NKEYS; i++) {
		/* Few distinct hash tags among many keys: prefixes as the RIB keys them. */
		m.key[i] = (uint64_t)(0x0a000000u + (uint32_t)rng_below(&r, 1u << 20) * 256) << 8 | 24;
		for (size_t q = 0; q < i; q++)
			if (m.key[q] == m.key[i]) {
				m.key[i] += 1; /* /25: distinct */
				q = (size_t)-1;
			}
		m.live[i] = false;
	}
	hmap_init(&hm);
	for (int step = 0; step < 4 * NKEYS; step++) {
		size_t q = (size_t)rng_below(&r, NKEYS);

		if (m.live[q] && rng_below(&r, 3) == 0) {
			idtab_del(&t, num_of(&m, q), home, &m);
			assert_non_null(hmap_del(&hm, m.key[q]));
			m.live[q] = false;
		} else if (!m.live[q]) {
			idtab_put(&t, num_of(&m, q), hmap_hash(m.key[q]), home, &m);
			assert_null(hmap_put(&hm, m.key[q], (void *)(uintptr_t)(q + 1)));
			m.live[q] = true;
		}
		if (step % 500 == 0 || step == 4 * NKEYS - 1)
			check(&t, &hm, &m);
	}
	assert_int_equal(t.wide, expect_wide);
	/* Emptying by slot, as the RIB does: every number comes back once. */
	while (t.n > 0) {
		size_t i = 0;
		uint32_t x = 0, v;
		uint64_t k;

		assert_true(idtab_next(&t, &i, &x));
		k = m.key[(x - base) / stride];
		i = idtab_first(&t, hmap_hash(k));
		while ((v = idtab_find(&t, &i, hmap_hash(k))) != 0 && v != x + 1)
			i = idtab_step(&t, i);
		assert_int_equal(v, x + 1);
		assert_int_equal(idtab_del_slot(&t, i, home, &m), x);
		m.live[(x - base) / stride] = false;
		assert_non_null(hmap_del(&hm, k));
	}
	check(&t, &hm, &m);
	idtab_free(&t);
	hmap_free(&hm);
}

static void
test_small_numbers(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 5; seed++)
		run_model(0, 1, seed, false);
}

/* Numbers from 2^24 - 1000 on, some over 24 bits: the table turns wide once one comes. */
static void
test_wide_numbers(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 3; seed++)
		run_model(IDTAB_NUM - 1000, 1, seed, true);
	run_model(7, 1431655, 9, true); /* spread over the whole 32 bits */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_small_numbers),
	    cmocka_unit_test(test_wide_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
