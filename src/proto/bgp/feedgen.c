/*
 * feedgen.c: the generated full table of a route feeder (docs/bgp-feed.md),
 * computed from (seed, index) alone, so that a stream needs nothing but a
 * cursor (struct feedgen_cur) however large the table.
 *
 * Prefix i gets a length drawn from an approximation of the public IPv4
 * table's (LEN_WEIGHT below); the k-th prefix of length L is slot
 * permute(k) of all the /L networks in the usable /8s, where permute is a
 * keyed Feistel permutation (with cycle walking onto the exact range), so
 * prefixes never repeat yet land all over the space. Prefixes of different
 * lengths may overlap, as more specifics do in the real table. A length
 * whose slots are all used hands its prefixes to the next longer one.
 *
 * Prefixes come in attribute groups of 1 to 8 consecutive prefixes (an
 * origin AS announcing several blocks): one UPDATE each. The group's origin
 * AS depends on the seed only, so every feeder of one table offers the same
 * prefix with the same origin; the ASes before it, the path's length and
 * the communities also depend on the feeder's first AS, so the receiver
 * gets different paths to choose from.
 */
#include <string.h>

#include "../../lib/rng.h"
#include "feed.h"

/* Per 10,000 prefixes, by length /8../24 (about the public table's shares). */
static const uint16_t LEN_WEIGHT[33] = {
    [8] = 1, [9] = 3, [10] = 8, [11] = 15, [12] = 30, [13] = 50, [14] = 70, [15] = 80,
    [16] = 200, [17] = 60, [18] = 83, [19] = 300, [20] = 500, [21] = 600, [22] = 1000,
    [23] = 1000, [24] = 6000,
};

/* Per 1,000 paths, by AS count 1..12 (mean 4.46). */
static const uint16_t PATH_WEIGHT[FEEDGEN_MAX_PATH + 1] = {
    0, 20, 100, 220, 240, 180, 110, 60, 30, 20, 10, 5, 5,
};

#define GROUP_MAX 8

/* Domains of the independent draws, so that they never reuse each other's values. */
enum { D_LEN = 1, D_GROUP, D_ORIGIN, D_PLEN, D_TRANSIT, D_COMM, D_PERM };

static uint64_t
draw(uint64_t seed, unsigned domain, uint64_t a, uint64_t b)
{
	return rng_mix(rng_mix(rng_mix(seed ^ ((uint64_t)domain << 56)) ^ a) ^ b);
}

/* Reserved or special first octets (RFC 6890, RFC 1918, RFC 6598, multicast and class E). */
static bool
reserved8(unsigned o)
{
	return o == 0 || o == 10 || o == 100 || o == 127 || o == 169 || o == 172 || o == 192 ||
	    o == 198 || o == 203 || o >= 224;
}

void
feedgen_init(struct feedgen *g, uint64_t seed, uint32_t n, const bool excluded8[256])
{
	uint64_t total = 0;

	memset(g, 0, sizeof(*g));
	g->seed = seed;
	g->n = n;
	for (unsigned o = 1; o < 224; o++)
		if (!reserved8(o) && (excluded8 == NULL || !excluded8[o]))
			g->ok8[g->nok8++] = (uint8_t)o;
	for (unsigned len = 8; len <= 24; len++) {
		g->cap[len] = (uint64_t)g->nok8 << (len - 8);
		total += g->cap[len];
	}
	/* Only a topology spread over nearly every /8 leaves less room than asked for. */
	if (g->n > total)
		g->n = (uint32_t)total;
}

/*
 * A bijection of [0, n): a four-round Feistel network on the smallest even
 * number of bits that holds n, applied again while the value falls outside
 * (cycle walking, which keeps it a bijection of the range).
 */
static uint64_t
permute(uint64_t key, uint64_t k, uint64_t n)
{
	unsigned m = 2, h;
	uint64_t mask, x = k;

	while ((1ULL << m) < n)
		m += 2;
	h = m / 2;
	mask = (1ULL << h) - 1;
	do {
		uint64_t l = x >> h, r = x & mask;

		for (uint64_t round = 0; round < 4; round++) {
			uint64_t t = l ^ (rng_mix(key ^ (round << 60) ^ r) & mask);

			l = r;
			r = t;
		}
		x = l << h | r;
	} while (x >= n);
	return x;
}

bool
feedgen_next(const struct feedgen *g, struct feedgen_cur *c, struct bgp_pfx *out, uint32_t *grp)
{
	unsigned len = 8, r;
	uint64_t slot;

	if (c->i >= g->n || g->nok8 == 0)
		return false;
	if (c->left == 0) {
		if (c->i > 0)
			c->grp++;
		c->left = 1 + (uint32_t)(draw(g->seed, D_GROUP, c->grp, 0) % GROUP_MAX);
	}
	r = (unsigned)(draw(g->seed, D_LEN, c->i, 0) % 10000);
	while (len < 24 && r >= LEN_WEIGHT[len])
		r -= LEN_WEIGHT[len++];
	/* A full length spills into the next (cyclically: the table's size is capped well below the total). */
	while (c->used[len] >= g->cap[len])
		len = len == 24 ? 8 : len + 1;
	slot = permute(draw(g->seed, D_PERM, len, 0), c->used[len]++, g->cap[len]);
	out->len = (uint8_t)len;
	out->addr = (uint32_t)g->ok8[slot >> (len - 8)] << 24 |
	    (uint32_t)(slot & ((1ULL << (len - 8)) - 1)) << (32 - len);
	*grp = c->grp;
	c->i++;
	c->left--;
	return true;
}

/* A public AS number from h (70% 2-octet, 30% 4-octet), none of avoid. */
static uint32_t
pick_as(uint64_t h, const uint32_t *avoid, size_t navoid)
{
	uint32_t as = h % 10 < 7 ? 1 + (uint32_t)((h >> 8) % 64495) :
	                          131072 + (uint32_t)((h >> 8) % 270000);

	for (bool again = true; again;) {
		again = as == 23456; /* AS_TRANS */
		for (size_t i = 0; i < navoid; i++)
			again |= as == avoid[i];
		as += again;
	}
	return as;
}

void
feedgen_attr(const struct feedgen *g, uint32_t grp, uint32_t first_as, const uint32_t *avoid,
    size_t navoid, struct feedgen_attr *out)
{
	unsigned r = (unsigned)(draw(g->seed, D_PLEN, grp, first_as) % 1000), n = 1;
	uint64_t h;

	while (n < FEEDGEN_MAX_PATH && r >= PATH_WEIGHT[n])
		r -= PATH_WEIGHT[n++];
	memset(out, 0, sizeof(*out));
	out->npath = (uint8_t)n;
	out->path[0] = first_as;
	if (n > 1)
		out->path[n - 1] = pick_as(draw(g->seed, D_ORIGIN, grp, 0), avoid, navoid);
	for (unsigned k = 1; k + 1 < n; k++)
		out->path[k] = pick_as(draw(g->seed, D_TRANSIT, grp, (uint64_t)first_as << 8 | k), avoid,
		    navoid);
	/* 40% of groups without communities, the rest with 1 to 3 of the first AS's. */
	h = draw(g->seed, D_COMM, grp, first_as);
	if (h % 10 >= 4) {
		out->ncomm = (uint8_t)(1 + (h >> 8) % FEEDGEN_MAX_COMM);
		for (unsigned k = 0; k < out->ncomm; k++)
			out->comm[k] = (first_as & 0xffff) << 16 | (uint32_t)(1000 + 10 * ((h >> (16 + 8 * k)) % 100));
	}
}
