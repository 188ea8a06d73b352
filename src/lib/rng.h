/*
 * rng.h: the engine's only source of randomness.
 *
 * xoshiro256** seeded through splitmix64. Each node owns a generator derived
 * from (run seed, node id), so draws do not depend on the order in which
 * devices are processed within a tick.
 */
#ifndef NETSIM_RNG_H
#define NETSIM_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *);
/* Uniform in [0, n) without modulo bias; n > 0. */
uint64_t rng_below(struct rng *, uint64_t n);
/* Uniform double in [0, 1). */
double rng_double(struct rng *);
/* splitmix64's step as a stateless hash: every output bit depends on every input bit. */
uint64_t rng_mix(uint64_t x);

#endif
