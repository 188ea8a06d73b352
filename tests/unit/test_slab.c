/*
 * test_slab.c: the fixed-size object pool (src/lib/slab.h).
 *
 * A model of a slab with numbers: random allocations and frees against a
 * list of what is live. Every object is zeroed when handed out, numbers are
 * unique among live objects, slab_at gives back the object a number was
 * handed out with, objects never overlap (each keeps a pattern written over
 * its whole size), a freed number is the next one handed out (last freed,
 * first reused: the same operations give the same numbers), and objects of
 * an odd size keep their type's alignment without being rounded up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/rng.h"
#include "lib/slab.h"

#define NOBJ 5000

/* 28 octets with 4-octet alignment, as a RIB entry. */
struct odd {
	uint32_t w[7];
};

/* 12 octets with 4-octet alignment. */
struct small {
	uint32_t a, b;
	uint8_t c[4];
};

static void
fill(void *p, size_t size, uint32_t id)
{
	for (size_t i = 0; i < size; i++)
		((uint8_t *)p)[i] = (uint8_t)(id * 31 + i);
}

static void
check(const void *p, size_t size, uint32_t id)
{
	for (size_t i = 0; i < size; i++)
		assert_int_equal(((const uint8_t *)p)[i], (uint8_t)(id * 31 + i));
}

static void
model(size_t size, size_t align, size_t per)
{
	static uint32_t live[NOBJ];
	static void *ptr[NOBJ];
	static char *seen;
	struct slab s;
	struct rng r;
	int n = 0;

	seen = calloc(4 * NOBJ, 1);
	rng_seed(&r, size * 7 + per, 1);
	slab_init_ids(&s, size, per);
	assert_int_equal(s.size, size);
	for (int step = 0; step < 40000; step++) {
		bool add = n == 0 || (n < NOBJ && rng_below(&r, 100) < 60);

		if (add) {
			uint32_t id;
			void *p = slab_alloc_id(&s, &id);

			assert_true(id < 4 * NOBJ);
			assert_false(seen[id]);
			assert_ptr_equal(slab_at(&s, id), p);
			assert_int_equal((uintptr_t)p % align, 0);
			for (size_t i = 0; i < size; i++)
				assert_int_equal(((uint8_t *)p)[i], 0);
			fill(p, size, id);
			seen[id] = 1;
			live[n] = id;
			ptr[n++] = p;
		} else {
			int k = (int)rng_below(&r, (uint64_t)n);
			uint32_t id = live[k], again;

			check(ptr[k], size, id);
			slab_free_id(&s, id);
			seen[id] = 0;
			live[k] = live[--n];
			ptr[k] = ptr[n];
			if (rng_below(&r, 4) == 0) {
				/* The number just freed comes back first. */
				void *p = slab_alloc_id(&s, &again);

				assert_int_equal(again, id);
				fill(p, size, id);
				seen[id] = 1;
				live[n] = id;
				ptr[n++] = p;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		assert_ptr_equal(slab_at(&s, live[i]), ptr[i]);
		check(ptr[i], size, live[i]);
	}
	assert_int_equal(s.live, (size_t)n);
	slab_destroy(&s);
	free(seen);
}

static void
test_ids_odd(void **state)
{
	(void)state;
	model(sizeof(struct odd), _Alignof(struct odd), 256);
}

static void
test_ids_small(void **state)
{
	(void)state;
	model(sizeof(struct small), _Alignof(struct small), 64);
}

static void
test_ids_pointers(void **state)
{
	(void)state;
	model(3 * sizeof(void *), _Alignof(void *), 4096);
}

/* The first numbers come in order: 0, 1, 2... across the first chunks. */
static void
test_ids_order(void **state)
{
	struct slab s;

	(void)state;
	slab_init_ids(&s, sizeof(struct odd), 128);
	for (uint32_t i = 0; i < 1000; i++) {
		uint32_t id;

		slab_alloc_id(&s, &id);
		assert_int_equal(id, i);
	}
	slab_destroy(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ids_odd),
	    cmocka_unit_test(test_ids_small),
	    cmocka_unit_test(test_ids_pointers),
	    cmocka_unit_test(test_ids_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
