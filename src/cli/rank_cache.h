/* Rank simulations kept for the later commands of one process tree.
 * percap reproduce asks twice for the same simulation (the rates table
 * and the rank-intervals chart), and it is most of the work of either;
 * the simulation is a pure function of the counts, denominators and
 * options (not of the threads), so the second asker may take the first
 * one's answer and write exactly the bytes it would have computed. */
#ifndef PERCAP_CLI_RANK_CACHE_H
#define PERCAP_CLI_RANK_CACHE_H

#include "percap/areas.h"
#include "percap/rank_intervals.h"

/* From now on, keep the result of each simulation run in this process
 * (the last one), for this process and the copies it forks. */
void cli_rank_cache_keep(void);
/* Forgets the kept result and keeps no more. */
void cli_rank_cache_drop(void);

/* percap_rank_intervals_simulate, answered from the kept result when the
 * areas' counts and denominators and the options (all but threads) are
 * the same, exactly. */
percap_status cli_rank_simulate(const percap_areas *areas, const percap_rank_sim_options *o,
                                percap_rank_interval *out, percap_error *err);

#endif
