/* percap: how sure is each area's place in the league table?
 *
 * A bare ranking of rates hides that small areas move many places on one
 * death. Two answers are offered:
 *
 *  - simulation: draws of every area's rate from its posterior, ranked
 *    draw by draw; each area gets the median and an equal-tailed interval
 *    of its rank and the probability of being in the top `top`;
 *  - csranks: the frequentist confidence sets for ranks of Mogstad,
 *    Romano, Shaikh and Wilhelm (2023, Review of Economic Studies,
 *    "Inference for ranks with applications to mobility across
 *    neighbourhoods and academic achievement across countries"), marginal
 *    or simultaneous, as the R package csranks computes them with
 *    stepdown = FALSE.
 *
 * Ranks count from 1 = highest rate. Both read only `deaths` and
 * `population` of the areas: deaths must be whole numbers >= 0 and
 * denominators finite and > 0. */
#ifndef PERCAP_RANK_INTERVALS_H
#define PERCAP_RANK_INTERVALS_H

#include <stdbool.h>
#include <stddef.h>

#include "percap/areas.h"
#include "percap/error.h"

/* The seed both defaults use: the date of the shipped death counts. */
#define PERCAP_RANK_DEFAULT_SEED 20230412UL

typedef struct percap_rank_interval {
    double median;  /* simulation: median rank; csranks: rank of the estimate */
    double low;     /* best rank in the interval (the smaller number) */
    double high;    /* worst rank in the interval */
    double p_top;   /* P(rank <= top) (simulation); NAN for csranks */
} percap_rank_interval;

/* ---- simulation ------------------------------------------------------
 *
 * Each draw gives area i the rate Gamma(shape = deaths_i + 1/2,
 * scale = 1/population_i), its posterior under the Jeffreys prior for a
 * Poisson mean, drawn with gsl_ran_gamma (areas in table order). The
 * draws come in 64 blocks, k = 0..63: block k holds
 * floor(draws / 64) + (k < draws mod 64 ? 1 : 0) draws, made one after
 * another by its own gsl_rng_mt19937 seeded (gsl_rng_set) with the low
 * 32 bits of
 *
 *   z = seed + (k + 1) * 0x9e3779b97f4a7c15          (mod 2^64)
 *   z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
 *   z = (z ^ (z >> 27)) * 0x94d049bb133111eb
 *   z = z ^ (z >> 31)
 *
 * i.e. output k + 1 of splitmix64 started at `seed` (a value of 0 makes
 * mt19937 use its default seed 4357). Every bit of `seed` counts. The
 * blocks run on up to one thread per online core; the draws do not
 * depend on which thread makes them, so the same seed and inputs give
 * the same output bit for bit on any machine: nothing else (thread
 * count, environment, GSL defaults, other calls) feeds the generators.
 *
 * The areas are ranked within each draw, equal rates (which need a
 * coincidence of doubles) going to the earlier row. Per area, from its
 * rank counts over all draws (an n x n table of 4-byte counts, 36 MB for
 * 3,000 areas, one per thread; the draws themselves are not kept):
 *
 *   quantile(p) = the smallest rank r with #{draws: rank <= r} >= p * draws
 *                 (R's quantile type 1, the inverse of the empirical CDF)
 *   median      = quantile(0.5)
 *   low, high   = quantile((1 - level) / 2), quantile(1 - (1 - level) / 2)
 *   p_top       = #{draws: rank <= top} / draws
 *
 * A thread beyond the first is used only while the extra tables stay
 * within an eighth of the machine's memory (at least 512 MB: 13 extra
 * tables for 3,143 areas, 1 for 10,000). Work is about linear in draws x
 * areas, most of it in gsl_ran_gamma, plus n^2 to read the tables: ~1.4 s
 * of CPU for 10,000 draws of 3,143 areas, shared among the threads. */
typedef struct percap_rank_sim_options {
    size_t draws;        /* >= 1, at most 2^32 - 1 */
    unsigned long seed;
    double level;        /* in (0, 1) */
    size_t top;          /* >= 1; above n makes p_top 1 */
    size_t threads;      /* at most this many threads; 0: one per online core.
                            The results do not depend on it (tests prove that). */
} percap_rank_sim_options;

/* draws 10000, seed PERCAP_RANK_DEFAULT_SEED, level 0.95, top 10, threads 0. */
void percap_rank_sim_options_default(percap_rank_sim_options *o);

/* Fills out[0..n) in the areas' row order. */
percap_status percap_rank_intervals_simulate(const percap_areas *areas,
                                             const percap_rank_sim_options *o,
                                             percap_rank_interval *out,
                                             percap_error *err);

/* ---- confidence sets for ranks ----------------------------------------
 *
 * Ranks are of the log-rates theta_i, estimated by
 *
 *   theta_i = log((deaths_i + 1/2) / population_i),
 *   se_i    = 1 / sqrt(deaths_i + 1/2),
 *
 * independently across areas. The half keeps zero counts finite, makes
 * log(X + 1/2) unbiased for log E[X] to O(1/E[X]^2) for Poisson X, and is
 * the posterior mean count the simulation uses; se_i is the delta-method
 * standard error with the same count. For areas j and k let
 * s_jk = sqrt(se_j^2 + se_k^2). The set for area j is
 *
 *   low  = 1 + #{k: theta_j - theta_k + c s_jk < 0}  (k surely higher)
 *   high = n - #{k: theta_j - theta_k - c s_jk > 0}  (k surely lower)
 *
 * where c is the `level` quantile of the largest normalised estimation
 * error |e_j - e_k| / s_jk, e ~ N(0, diag(se^2)):
 *
 *  - marginal sets (simultaneous = false): the largest over k for the
 *    given j, whose distribution is the one-dimensional integral
 *      P(c) = int phi(z) prod_{k != j} [Phi((z se_j + c s_jk) / se_k)
 *                                        - Phi((z se_j - c s_jk) / se_k)] dz,
 *    computed by adaptive quadrature and solved for P(c) = level, so it
 *    is exact to ~1e-10 and needs no draws (bootstrap and seed unused).
 *    Areas with equal counts share c. Time grows with the square of the
 *    number of distinct counts: 0.4 s for the 85 regions, about a minute for
 *    3,000 areas with 610 distinct counts.
 *  - simultaneous sets: the largest over all pairs, which has no such
 *    form; c is R's default (type 7) quantile of `bootstrap` parametric
 *    bootstrap draws of it, normals by gsl_ran_gaussian_ziggurat from a
 *    gsl_rng_mt19937 seeded with `seed`, areas in table order; 0.4 s for
 *    1,000 draws over 3,000 areas.
 *
 * `median` is the rank of theta_j itself, 1 + #{k: theta_k > theta_j},
 * which always lies in the set. It is the league-table rank except where
 * the half reorders small counts or breaks ties of deaths/population. */
typedef struct percap_csranks_options {
    double level;        /* coverage, in (0, 1) */
    bool simultaneous;   /* cover all areas' ranks at once */
    size_t bootstrap;    /* draws for simultaneous sets, >= 1 */
    unsigned long seed;
} percap_csranks_options;

/* level 0.95, simultaneous (csranks' default), bootstrap 1000 (csranks'
 * R = 1000), seed PERCAP_RANK_DEFAULT_SEED. */
void percap_csranks_options_default(percap_csranks_options *o);

/* Fills out[0..n) in row order; p_top is NAN. */
percap_status percap_rank_intervals_csranks(const percap_areas *areas,
                                            const percap_csranks_options *o,
                                            percap_rank_interval *out,
                                            percap_error *err);

/* The critical values c behind those sets: crit[j] for area j (all equal
 * for simultaneous sets); NAN when n = 1, where there is nothing to
 * compare. */
percap_status percap_rank_intervals_csranks_critical(const percap_areas *areas,
                                                     const percap_csranks_options *o,
                                                     double *crit, percap_error *err);

#endif
