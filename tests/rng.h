/*
 * rng.h - splitmix64 and the two draws built on it, for the test
 * programs that make labelled traffic (gen-traffic, test-beacon): small,
 * seedable and the same on every platform, so a seed names the same
 * events everywhere (no libc rand).  Header-only, like check.h.
 */
#ifndef BW_RNG_H
#define BW_RNG_H

#include <math.h>
#include <stdint.h>

struct rng { uint64_t s; };

static inline uint64_t
rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, 1) */
static inline double
unif(struct rng *r)
{
	return (double)(rnd(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* exponential with the given mean */
static inline double
expo(struct rng *r, double mean)
{
	return -mean * log(1 - unif(r));
}

#endif
