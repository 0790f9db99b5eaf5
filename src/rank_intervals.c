/* Rank intervals: posterior simulation and the confidence sets of
 * Mogstad, Romano, Shaikh and Wilhelm. */
#include "percap/rank_intervals.h"
#include "root_find.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_roots.h>

/* ---- shared checks -------------------------------------------------- */

static percap_status no_memory(percap_error *err)
{
    return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Tables built by hand may have no registry; messages then give the row. */
static void area_label(const percap_areas *a, size_t i, char *buf, size_t size)
{
    const char *code = a->registry ? percap_areas_code(a, i) : NULL;
    if (code && *code)
        snprintf(buf, size, "%s", code);
    else
        snprintf(buf, size, "row %zu", i + 1);
}

static percap_status check_areas(const percap_areas *a, percap_error *err)
{
    if (!a || a->n == 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "there are no areas to rank");
    for (size_t i = 0; i < a->n; i++) {
        double d = a->rows[i].deaths, p = a->rows[i].population;
        char label[128];
        area_label(a, i, label, sizeof label);
        if (!(isfinite(d) && d >= 0 && floor(d) == d))
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "%s: the death count must be a whole number >= 0, "
                                    "got %.15g", label, d);
        if (!(isfinite(p) && p > 0))
            return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                    "%s: the denominator must be finite and > 0, got %.15g",
                                    label, p);
    }
    return PERCAP_OK;
}

static bool valid_level(double level)
{
    return level > 0 && level < 1;
}

/* ---- simulation ----------------------------------------------------- */

void percap_rank_sim_options_default(percap_rank_sim_options *o)
{
    o->draws = 10000;
    o->seed = PERCAP_RANK_DEFAULT_SEED;
    o->level = 0.95;
    o->top = 10;
    o->threads = 0;
}

static percap_status check_sim_options(const percap_rank_sim_options *o, size_t n,
                                       percap_error *err)
{
    if (!o)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0, "no simulation options given");
    if (o->draws == 0 || o->draws > UINT32_MAX)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the number of draws must be between 1 and %lu, got %zu",
                                (unsigned long)UINT32_MAX, o->draws);
    if (!valid_level(o->level))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the interval level must lie strictly between 0 and 1, "
                                "got %.15g", o->level);
    if (o->top == 0)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "'top' must be at least 1 (the number of leading places)");
    /* Area numbers travel as 32-bit indices through the sort. */
    if (n > UINT32_MAX || n > SIZE_MAX / sizeof(uint32_t) / n)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "too many areas (%zu) for a table of rank counts", n);
    return PERCAP_OK;
}

/* The draws are split into SIM_STREAMS blocks, each made by its own
 * generator, so that blocks can run on separate threads while the
 * numbers drawn depend only on the seed: which thread runs a block, and
 * how many threads there are, changes nothing but the time. The number
 * is fixed (never the number of cores) and large enough that blocks
 * claimed one at a time share out evenly over a few threads: with 64,
 * three threads differ by at most one block in 22. */
#define SIM_STREAMS 64

/* Each thread counts ranks in its own n x n table (40 MB for 3,143
 * areas, 632 MB for 12,572), summed at the end; threads beyond the first
 * are given up rather than let those copies pass an eighth of the
 * machine's (or the container's) memory, or this much if that is less. */
#define EXTRA_COUNTS_MIN_BUDGET ((size_t)512 << 20)

/* Ranks are counted a batch of draws at a time, area by area. Counting
 * each draw as it comes would touch n scattered cells of the n x n table
 * per draw, a cache miss each once the table outgrows the cache (40 MB
 * for 3,143 areas); area by area, each line of cells an area's ranks
 * fall in is fetched once per batch and then hit again and again. Small
 * areas' ranks spread over hundreds of places, so the batch must be
 * long for the hits to outnumber the fetches: 512 draws (6 MB of ranks
 * for 3,143 areas) count in half the time that 64 take. */
#define RANK_BATCH 512

/* What every thread reads, and the next block to hand out. */
typedef struct sim_plan {
    size_t n;
    size_t draws;
    unsigned long seed;
    double *shape, *scale;
    pthread_mutex_t lock;   /* guards next_stream */
    size_t next_stream;
} sim_plan;

typedef struct sim_worker {
    sim_plan *plan;
    uint64_t *key;          /* key[i]: the sort key of area i's draw */
    uint64_t *item[2];      /* high half of a key, area number in the low half */
    uint32_t *counts;       /* counts[i * n + r]: draws with area i at rank r + 1 */
    uint32_t *ranks;        /* ranks[b * n + i]: rank - 1 of area i in pending draw b */
    size_t batch;           /* room for this many pending draws */
    size_t pending;
    size_t digits[4][256];
    gsl_rng *rng;
    pthread_t thread;
    bool started;           /* runs on `thread`, to be joined */
} sim_worker;

/* splitmix64 (Steele, Lea and Flood 2014): output k + 1 of the generator
 * started at state `seed`, i.e. the mix of seed + (k + 1) * golden gamma.
 * MT19937 seeded with nearby integers starts from related states, and
 * gsl_rng_set keeps only 32 bits of a seed; the mix spreads all 64 bits
 * of the user's seed over those 32, different for each stream. */
static unsigned long stream_seed(unsigned long seed, size_t k)
{
    uint64_t z = (uint64_t)seed + (uint64_t)(k + 1) * UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    z ^= z >> 31;
    return (unsigned long)(z & UINT64_C(0xffffffff));
}

static size_t stream_draws(size_t draws, size_t k)
{
    return draws / SIM_STREAMS + (k < draws % SIM_STREAMS);
}

static void worker_free(sim_worker *w)
{
    free(w->key);
    free(w->item[0]);
    free(w->item[1]);
    free(w->counts);
    free(w->ranks);
    if (w->rng)
        gsl_rng_free(w->rng);
}

static bool worker_alloc(sim_worker *w, sim_plan *plan)
{
    size_t n = plan->n;
    *w = (sim_worker){.plan = plan};
    w->key = malloc(n * sizeof *w->key);
    w->item[0] = malloc(n * sizeof *w->item[0]);
    w->item[1] = malloc(n * sizeof *w->item[1]);
    w->counts = calloc(n * n, sizeof *w->counts);
    w->batch = plan->draws < RANK_BATCH ? plan->draws : RANK_BATCH;
    w->ranks = malloc(w->batch * n * sizeof *w->ranks);
    w->rng = gsl_rng_alloc(gsl_rng_mt19937);
    return w->key && w->item[0] && w->item[1] && w->counts && w->ranks && w->rng;
}

/* Positive doubles order like their bit patterns read as integers, so
 * complementing the bits gives keys whose ascending order is descending
 * rate. Gamma draws are never negative, and -0.0 cannot arise. */
static uint64_t descending_key(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return ~u;
}

#define AREA_MASK UINT64_C(0xffffffff)

/* Sorting a draw is most of the work besides drawing it, so it avoids
 * qsort's O(n log n) calls through a comparator. Each item packs the
 * high 32 bits of its key above its area number, and an LSD radix sort
 * orders the items a byte of that high half at a time: four passes at
 * most, fewer when all keys share a byte (the exponent's, mostly), each
 * stable, so areas stay in row order within equal high halves. Draws
 * whose keys differ only in the low half (rates within ~1e-6 of each
 * other: a few pairs per draw among thousands of areas) are then put in
 * order by an insertion pass on the full keys, which costs one
 * comparison per item when there are none. Equal full keys keep row
 * order throughout. (Digits of 11 bits on keys measured from the draw's
 * smallest, three passes instead of four, proved no faster: their
 * tables of 2,048 counts cost what the pass saves.) */
static uint64_t *radix_sort_high(sim_worker *w, size_t n)
{
    int src = 0;
    memset(w->digits, 0, sizeof w->digits);
    for (size_t i = 0; i < n; i++) {
        uint64_t v = w->item[0][i];
        for (int d = 0; d < 4; d++)
            w->digits[d][(v >> (32 + 8 * d)) & 0xff]++;
    }
    for (int d = 0; d < 4; d++) {
        size_t *count = w->digits[d];
        int shift = 32 + 8 * d;
        if (count[(w->item[0][0] >> shift) & 0xff] == n)
            continue;
        size_t offset = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = offset;
            offset += c;
        }
        const uint64_t *in = w->item[src];
        uint64_t *out = w->item[1 - src];
        for (size_t i = 0; i < n; i++)
            out[count[(in[i] >> shift) & 0xff]++] = in[i];
        src = 1 - src;
    }
    return w->item[src];
}

static void settle_low_halves(uint64_t *item, size_t n, const uint64_t *key)
{
    for (size_t p = 1; p < n; p++) {
        uint64_t v = item[p];
        uint64_t kv = key[v & AREA_MASK];
        size_t q = p;
        while (q > 0 && (item[q - 1] >> 32) == (v >> 32) && key[item[q - 1] & AREA_MASK] > kv) {
            item[q] = item[q - 1];
            q--;
        }
        item[q] = v;
    }
}

static void worker_draw(sim_worker *w)
{
    const sim_plan *p = w->plan;
    size_t n = p->n;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = descending_key(gsl_ran_gamma(w->rng, p->shape[i], p->scale[i]));
        w->key[i] = k;
        w->item[0][i] = (k & ~AREA_MASK) | (uint64_t)i;
    }
    uint64_t *order = radix_sort_high(w, n);
    settle_low_halves(order, n, w->key);
    uint32_t *ranks = w->ranks + w->pending * n;
    for (size_t r = 0; r < n; r++)
        ranks[order[r] & AREA_MASK] = (uint32_t)r;
    w->pending++;
}

static void worker_count(sim_worker *w)
{
    size_t n = w->plan->n;
    for (size_t i = 0; i < n; i++) {
        uint32_t *row = w->counts + i * n;
        for (size_t b = 0; b < w->pending; b++)
            row[w->ranks[b * n + i]]++;
    }
    w->pending = 0;
}

/* Blocks go to whichever thread asks first; the counts they add up to
 * are the same whatever the order. */
static size_t claim_stream(sim_plan *p)
{
    pthread_mutex_lock(&p->lock);
    size_t k = p->next_stream;
    if (k < SIM_STREAMS)
        p->next_stream++;
    pthread_mutex_unlock(&p->lock);
    return k;
}

static void *worker_run(void *arg)
{
    sim_worker *w = arg;
    sim_plan *p = w->plan;
    for (size_t k; (k = claim_stream(p)) < SIM_STREAMS;) {
        gsl_rng_set(w->rng, stream_seed(p->seed, k));
        for (size_t t = stream_draws(p->draws, k); t > 0; t--) {
            worker_draw(w);
            if (w->pending == w->batch)
                worker_count(w);
        }
    }
    worker_count(w);
    return NULL;
}

/* The smallest rank whose cumulative count reaches p * draws. */
static double rank_quantile(const uint32_t *row, size_t n, double target)
{
    double cum = 0;
    for (size_t r = 0; r < n; r++) {
        cum += row[r];
        if (cum >= target)
            return (double)(r + 1);
    }
    return (double)n;
}

/* Adds the other threads' counts into the first one's, row by row just
 * before the row is read. No cell can pass `draws`, below 2^32. */
static void sim_summarise(sim_worker *w, size_t nworkers, const percap_rank_sim_options *o,
                          percap_rank_interval *out)
{
    double draws = (double)o->draws;
    double p_low = (1.0 - o->level) / 2.0;
    double p_high = 1.0 - p_low;
    size_t n = w[0].plan->n;
    size_t top = o->top < n ? o->top : n;
    for (size_t i = 0; i < n; i++) {
        uint32_t *row = w[0].counts + i * n;
        for (size_t t = 1; t < nworkers; t++) {
            const uint32_t *more = w[t].counts + i * n;
            for (size_t r = 0; r < n; r++)
                row[r] += more[r];
        }
        double in_top = 0;
        for (size_t r = 0; r < top; r++)
            in_top += row[r];
        out[i].median = rank_quantile(row, n, 0.5 * draws);
        out[i].low = rank_quantile(row, n, p_low * draws);
        out[i].high = rank_quantile(row, n, p_high * draws);
        out[i].p_top = in_top / draws;
    }
}

/* The memory a cgroup (v2) allows, where it says: inside a container
 * sysconf still reports the host's. */
static unsigned long long cgroup_memory(void)
{
    unsigned long long v = ULLONG_MAX;
    FILE *fp = fopen("/sys/fs/cgroup/memory.max", "r");
    if (fp) {
        if (fscanf(fp, "%llu", &v) != 1) /* "max": no limit */
            v = ULLONG_MAX;
        fclose(fp);
    }
    return v;
}

static size_t extra_counts_budget(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    unsigned long long mem = pages > 0 && page > 0
                                 ? (unsigned long long)pages * (unsigned long long)page
                                 : 0;
    unsigned long long limit = cgroup_memory(), eighth = (mem < limit ? mem : limit) / 8;
    if (eighth > SIZE_MAX)
        eighth = SIZE_MAX;
    return eighth > EXTRA_COUNTS_MIN_BUDGET ? (size_t)eighth : EXTRA_COUNTS_MIN_BUDGET;
}

/* One thread per core, no more than there are blocks with draws, and no
 * more than the memory for their counts allows. */
static size_t sim_threads(const percap_rank_sim_options *o, size_t n)
{
    size_t t = o->threads;
    if (t == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        t = cores > 0 ? (size_t)cores : 1;
    }
    size_t busy = o->draws < SIM_STREAMS ? o->draws : SIM_STREAMS;
    size_t copies = extra_counts_budget() / (n * n * sizeof(uint32_t));
    if (t > busy)
        t = busy;
    if (t > 1 + copies)
        t = 1 + copies;
    return t;
}

static bool plan_alloc(sim_plan *p, const percap_areas *a)
{
    size_t n = a->n;
    p->shape = malloc(n * sizeof *p->shape);
    p->scale = malloc(n * sizeof *p->scale);
    if (!p->shape || !p->scale)
        return false;
    for (size_t i = 0; i < n; i++) {
        p->shape[i] = a->rows[i].deaths + 0.5;
        p->scale[i] = 1.0 / a->rows[i].population;
    }
    return true;
}

static void plan_free(sim_plan *p)
{
    free(p->shape);
    free(p->scale);
}

/* Everything is allocated before any thread starts. gsl_rng_alloc
 * reports a failed allocation through GSL's handler, whose default
 * aborts. */
static sim_worker *workers_alloc(sim_plan *p, size_t nworkers)
{
    sim_worker *w = calloc(nworkers, sizeof *w);
    if (!w)
        return NULL;
    gsl_error_handler_t *saved = gsl_set_error_handler_off();
    bool ok = true;
    for (size_t t = 0; t < nworkers && ok; t++)
        ok = worker_alloc(&w[t], p);
    gsl_set_error_handler(saved);
    if (!ok) {
        for (size_t t = 0; t < nworkers; t++)
            worker_free(&w[t]);
        free(w);
        return NULL;
    }
    return w;
}

/* A thread that cannot be started leaves its blocks to the others: the
 * calling thread, last to start work, takes whatever is left. */
static void run_workers(sim_worker *w, size_t nworkers)
{
    for (size_t t = 1; t < nworkers; t++)
        w[t].started = pthread_create(&w[t].thread, NULL, worker_run, &w[t]) == 0;
    worker_run(&w[0]);
    for (size_t t = 1; t < nworkers; t++)
        if (w[t].started)
            pthread_join(w[t].thread, NULL);
}

percap_status percap_rank_intervals_simulate(const percap_areas *areas,
                                             const percap_rank_sim_options *o,
                                             percap_rank_interval *out, percap_error *err)
{
    if (!out)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "no place to store the rank intervals");
    percap_status st = check_areas(areas, err);
    if (st == PERCAP_OK)
        st = check_sim_options(o, areas->n, err);
    if (st != PERCAP_OK)
        return st;
    sim_plan plan = {.n = areas->n, .draws = o->draws, .seed = o->seed,
                     .lock = PTHREAD_MUTEX_INITIALIZER};
    size_t nworkers = sim_threads(o, areas->n);
    sim_worker *w = NULL;
    if (plan_alloc(&plan, areas))
        w = workers_alloc(&plan, nworkers);
    if (w) {
        run_workers(w, nworkers);
        sim_summarise(w, nworkers, o, out);
        for (size_t t = 0; t < nworkers; t++)
            worker_free(&w[t]);
        free(w);
    }
    plan_free(&plan);
    pthread_mutex_destroy(&plan.lock);
    return w ? PERCAP_OK : no_memory(err);
}

/* ---- confidence sets for ranks -------------------------------------- */

/* The estimation errors are standard normal times se, far below the
 * level of any useful quantile beyond this many standard deviations:
 * the mass outside is 2e-19. */
#define Z_LIMIT 9.0

/* Marginal critical values: each evaluation of P(c) integrates to this
 * absolute error, and c is found to C_TOL. The density of the maximum
 * near its upper quantiles is ~0.1 or more, so P's error moves c by
 * ~1e-11; the rank sets change only where a normalised gap between two
 * estimates equals c, and the tests ask for agreement 1e-6 away. */
#define P_ABS_TOL 1e-12
#define C_TOL 1e-11
#define QUAD_LIMIT 2000

void percap_csranks_options_default(percap_csranks_options *o)
{
    o->level = 0.95;
    o->simultaneous = true;
    o->bootstrap = 1000;
    o->seed = PERCAP_RANK_DEFAULT_SEED;
}

static percap_status check_cs_options(const percap_csranks_options *o, percap_error *err)
{
    if (!o)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "no confidence-set options given");
    if (!valid_level(o->level))
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "the coverage level must lie strictly between 0 and 1, "
                                "got %.15g", o->level);
    if (o->simultaneous && o->bootstrap == 0)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "simultaneous rank sets need at least one bootstrap draw");
    return PERCAP_OK;
}

typedef struct estimates {
    size_t n;
    double *theta;  /* log-rates */
    double *se;
    double *var;
} estimates;

static void estimates_free(estimates *e)
{
    free(e->theta);
    free(e->se);
    free(e->var);
}

static bool estimates_alloc(estimates *e, const percap_areas *a)
{
    size_t n = a->n;
    *e = (estimates){.n = n};
    e->theta = malloc(n * sizeof *e->theta);
    e->se = malloc(n * sizeof *e->se);
    e->var = malloc(n * sizeof *e->var);
    if (!e->theta || !e->se || !e->var)
        return false;
    for (size_t i = 0; i < n; i++) {
        double count = a->rows[i].deaths + 0.5;
        e->theta[i] = log(count / a->rows[i].population);
        e->var[i] = 1.0 / count;
        e->se[i] = sqrt(e->var[i]);
    }
    return true;
}

/* Phi(hi) - Phi(lo) for lo < hi, taken from whichever tail keeps it
 * free of cancellation. */
static double normal_mass(double lo, double hi)
{
    if (lo >= 0)
        return 0.5 * erfc(lo / M_SQRT2) - 0.5 * erfc(hi / M_SQRT2);
    if (hi <= 0)
        return 0.5 * erfc(-hi / M_SQRT2) - 0.5 * erfc(-lo / M_SQRT2);
    return 1.0 - 0.5 * erfc(-lo / M_SQRT2) - 0.5 * erfc(hi / M_SQRT2);
}

/* Marginal critical values depend on an area only through its count
 * and the counts of the others, so areas are grouped by count and each
 * group solved once: with thousands of small areas many counts repeat. */
typedef struct count_group {
    double var;    /* the variance of the log-rate, 1 / (deaths + 1/2) */
    size_t size;
} count_group;

/* For an area of group g, one factor per other group h, raised to the
 * number of its other members: a[h] = se_g / se_h and b[h] = s_gh / se_h,
 * so that given e_g = z se_g the event |e_g - e_h| <= c s_gh is
 * Z_h in [z a[h] - c b[h], z a[h] + c b[h]]. */
typedef struct marginal {
    size_t m;          /* number of factors */
    double *a, *b, *power;
    size_t others;     /* areas compared with, sum of power */
    double c;
} marginal;

static double marginal_integrand(double z, void *params)
{
    const marginal *mg = params;
    double prod = exp(-0.5 * z * z) / sqrt(2.0 * M_PI);
    for (size_t k = 0; k < mg->m && prod > 0; k++) {
        double centre = z * mg->a[k], half = mg->c * mg->b[k];
        double g = fmax(normal_mass(centre - half, centre + half), 0.0);
        prod *= mg->power[k] == 1 ? g : pow(g, mg->power[k]);
    }
    return prod;
}

typedef struct root_params {
    marginal *mg;
    gsl_integration_workspace *ws;
    double level;
    int failed;
} root_params;

/* P(c) - level. */
static double marginal_residual(double c, void *params)
{
    root_params *rp = params;
    gsl_function f = {marginal_integrand, rp->mg};
    double p = NAN, abserr;
    rp->mg->c = c;
    if (gsl_integration_qag(&f, -Z_LIMIT, Z_LIMIT, P_ABS_TOL, 0, QUAD_LIMIT,
                            GSL_INTEG_GAUSS21, rp->ws, &p, &abserr) != GSL_SUCCESS)
        rp->failed = 1;
    return p - rp->level;
}

/* The largest of m normalised gaps exceeds the quantile of any one of
 * them (bracket's low end) and, by Bonferroni, is below the quantile at
 * m times the tail (high end). The margins cover m = 1, where the root
 * is the low end itself. */
static double marginal_critical(root_params *rp, gsl_root_fsolver *s)
{
    double tail = 1.0 - rp->level;
    double lo = gsl_cdf_ugaussian_Qinv(tail / 2.0) * 0.99;
    double hi = gsl_cdf_ugaussian_Qinv(tail / (2.0 * (double)rp->mg->others)) * 1.01 + 0.01;
    gsl_function f = {marginal_residual, rp};
    rp->failed = 0;
    double c = root_brent(s, &f, lo, hi, C_TOL, 0.0);
    return rp->failed ? NAN : c;
}

static void marginal_setup(marginal *mg, const count_group *groups, size_t ngroups, size_t g)
{
    double se = sqrt(groups[g].var);
    mg->m = 0;
    mg->others = 0;
    for (size_t h = 0; h < ngroups; h++) {
        size_t power = groups[h].size - (h == g);
        if (power == 0)
            continue;
        double se_h = sqrt(groups[h].var);
        mg->a[mg->m] = se / se_h;
        mg->b[mg->m] = sqrt(groups[g].var + groups[h].var) / se_h;
        mg->power[mg->m] = (double)power;
        mg->m++;
        mg->others += power;
    }
}

typedef struct marginal_work {
    marginal mg;
    count_group *groups;
    size_t ngroups;
    size_t *group_of;  /* area -> group */
    gsl_integration_workspace *ws;
    gsl_root_fsolver *solver;
} marginal_work;

static void marginal_work_free(marginal_work *w)
{
    free(w->mg.a);
    free(w->mg.b);
    free(w->mg.power);
    free(w->groups);
    free(w->group_of);
    if (w->ws)
        gsl_integration_workspace_free(w->ws);
    if (w->solver)
        gsl_root_fsolver_free(w->solver);
}

static bool marginal_work_alloc(marginal_work *w, size_t n)
{
    *w = (marginal_work){.ws = NULL};
    w->mg.a = malloc(n * sizeof *w->mg.a);
    w->mg.b = malloc(n * sizeof *w->mg.b);
    w->mg.power = malloc(n * sizeof *w->mg.power);
    w->groups = malloc(n * sizeof *w->groups);
    w->group_of = malloc(n * sizeof *w->group_of);
    w->ws = gsl_integration_workspace_alloc(QUAD_LIMIT);
    w->solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    return w->mg.a && w->mg.b && w->mg.power && w->groups && w->group_of && w->ws &&
           w->solver;
}

/* Quadratic in the number of distinct counts, which is small next to the
 * time each group's solution takes. */
static void group_by_count(marginal_work *w, const estimates *e)
{
    w->ngroups = 0;
    for (size_t i = 0; i < e->n; i++) {
        size_t g = 0;
        while (g < w->ngroups && w->groups[g].var != e->var[i])
            g++;
        if (g == w->ngroups)
            w->groups[w->ngroups++] = (count_group){e->var[i], 0};
        w->groups[g].size++;
        w->group_of[i] = g;
    }
}

static percap_status marginal_all(const estimates *e, double level, double *crit,
                                  percap_error *err)
{
    marginal_work w;
    if (!marginal_work_alloc(&w, e->n)) {
        marginal_work_free(&w);
        return no_memory(err);
    }
    group_by_count(&w, e);
    percap_status st = PERCAP_OK;
    root_params rp = {&w.mg, w.ws, level, 0};
    for (size_t g = 0; g < w.ngroups && st == PERCAP_OK; g++) {
        marginal_setup(&w.mg, w.groups, w.ngroups, g);
        double c = marginal_critical(&rp, w.solver);
        if (isnan(c))
            st = percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                  "could not compute the critical value of the marginal "
                                  "rank set for areas with %.15g deaths at level %.15g",
                                  1.0 / w.groups[g].var - 0.5, level);
        for (size_t i = 0; i < e->n; i++)
            if (w.group_of[i] == g)
                crit[i] = c;
    }
    marginal_work_free(&w);
    return st;
}

/* ---- simultaneous: parametric bootstrap ----------------------------- */

/* An area's |z| in a bootstrap draw, for visiting areas by decreasing |z|. */
typedef struct abs_z {
    double value;
    size_t area;
} abs_z;

typedef struct boot {
    size_t n;
    double *x;
    abs_z *order;
    double *stat;   /* one maximum per draw */
    gsl_rng *rng;
} boot;

static void boot_free(boot *b)
{
    free(b->x);
    free(b->order);
    free(b->stat);
    if (b->rng)
        gsl_rng_free(b->rng);
}

static bool boot_alloc(boot *b, size_t n, size_t draws, unsigned long seed)
{
    *b = (boot){.n = n};
    b->x = malloc(n * sizeof *b->x);
    b->order = malloc(n * sizeof *b->order);
    b->stat = malloc(draws * sizeof *b->stat);
    b->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!b->x || !b->order || !b->stat || !b->rng)
        return false;
    gsl_rng_set(b->rng, seed);
    return true;
}

static int by_abs_desc(const void *pa, const void *pb)
{
    const abs_z *a = pa, *b = pb;
    if (a->value != b->value)
        return a->value > b->value ? -1 : 1;
    return (a->area > b->area) - (a->area < b->area);
}

/* One bootstrap draw: e = z se with z standard normal, areas in row
 * order. Returns max over pairs of |e_j - e_k| / s_jk. Since s_jk exceeds
 * both se_j and se_k, each term is below |z_j| + |z_k|; taking areas in
 * decreasing |z| lets the scan stop once that bound falls below the
 * maximum so far, which after the first few areas it does, making a draw
 * O(n log n) rather than O(n^2). The slack keeps rounding from skipping
 * a term that could equal the maximum. */
static double max_normalised_gap(boot *b, const estimates *e)
{
    size_t n = b->n;
    for (size_t i = 0; i < n; i++) {
        double z = gsl_ran_gaussian_ziggurat(b->rng, 1.0);
        b->x[i] = z * e->se[i];
        b->order[i] = (abs_z){fabs(z), i};
    }
    qsort(b->order, n, sizeof *b->order, by_abs_desc);
    double best = 0;
    const double slack = 1.0 + 1e-12;
    for (size_t p = 0; p + 1 < n; p++) {
        const abs_z *zj = &b->order[p];
        if ((zj->value + b->order[p + 1].value) * slack < best)
            break;
        for (size_t q = p + 1; q < n; q++) {
            const abs_z *zk = &b->order[q];
            if ((zj->value + zk->value) * slack < best)
                break;
            size_t j = zj->area, k = zk->area;
            double t = fabs(b->x[j] - b->x[k]) / sqrt(e->var[j] + e->var[k]);
            if (t > best)
                best = t;
        }
    }
    return best;
}

static int by_value(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* R's quantile(x, p) with its default type 7. */
static double quantile_type7(double *x, size_t m, double p)
{
    qsort(x, m, sizeof *x, by_value);
    double index = (double)(m - 1) * p;
    size_t lo = (size_t)floor(index);
    if (lo + 1 >= m)
        return x[m - 1];
    double h = index - (double)lo;
    return (1.0 - h) * x[lo] + h * x[lo + 1];
}

static percap_status simultaneous_critical(const estimates *e,
                                           const percap_csranks_options *o, double *crit,
                                           percap_error *err)
{
    boot b = {.n = 0};
    if (o->bootstrap > SIZE_MAX / sizeof(double) ||
        !boot_alloc(&b, e->n, o->bootstrap, o->seed)) {
        boot_free(&b);
        return no_memory(err);
    }
    for (size_t t = 0; t < o->bootstrap; t++)
        b.stat[t] = max_normalised_gap(&b, e);
    double c = quantile_type7(b.stat, o->bootstrap, o->level);
    for (size_t j = 0; j < e->n; j++)
        crit[j] = c;
    boot_free(&b);
    return PERCAP_OK;
}

/* ---- the sets ------------------------------------------------------- */

static percap_status critical_values(const estimates *e, const percap_csranks_options *o,
                                     double *crit, percap_error *err)
{
    if (e->n == 1) {
        crit[0] = NAN;
        return PERCAP_OK;
    }
    /* GSL's default handler aborts; integration and root finding report
     * trouble through it. It is process-wide: put the caller's back. */
    gsl_error_handler_t *saved = gsl_set_error_handler_off();
    percap_status st = o->simultaneous ? simultaneous_critical(e, o, crit, err)
                                       : marginal_all(e, o->level, crit, err);
    gsl_set_error_handler(saved);
    return st;
}

static void rank_set(const estimates *e, size_t j, double c, percap_rank_interval *out)
{
    size_t above = 0, surely_above = 0, surely_below = 0;
    for (size_t k = 0; k < e->n; k++) {
        if (k == j)
            continue;
        double diff = e->theta[j] - e->theta[k];
        double half = c * sqrt(e->var[j] + e->var[k]);
        above += e->theta[k] > e->theta[j];
        surely_above += diff + half < 0;
        surely_below += diff - half > 0;
    }
    out->median = (double)(1 + above);
    out->low = (double)(1 + surely_above);
    out->high = (double)(e->n - surely_below);
    out->p_top = NAN;
}

static percap_status prepare(const percap_areas *areas, const percap_csranks_options *o,
                             const void *dest, estimates *e, percap_error *err)
{
    *e = (estimates){0};
    if (!dest)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "no place to store the rank sets");
    percap_status st = check_areas(areas, err);
    if (st == PERCAP_OK)
        st = check_cs_options(o, err);
    if (st != PERCAP_OK)
        return st;
    if (!estimates_alloc(e, areas))
        return no_memory(err);
    return PERCAP_OK;
}

percap_status percap_rank_intervals_csranks_critical(const percap_areas *areas,
                                                     const percap_csranks_options *o,
                                                     double *crit, percap_error *err)
{
    estimates e;
    percap_status st = prepare(areas, o, crit, &e, err);
    if (st == PERCAP_OK)
        st = critical_values(&e, o, crit, err);
    estimates_free(&e);
    return st;
}

percap_status percap_rank_intervals_csranks(const percap_areas *areas,
                                            const percap_csranks_options *o,
                                            percap_rank_interval *out, percap_error *err)
{
    estimates e;
    double *crit = NULL;
    percap_status st = prepare(areas, o, out, &e, err);
    if (st == PERCAP_OK && !(crit = malloc(e.n * sizeof *crit)))
        st = no_memory(err);
    if (st == PERCAP_OK)
        st = critical_values(&e, o, crit, err);
    for (size_t j = 0; st == PERCAP_OK && j < e.n; j++) {
        if (e.n == 1)
            out[j] = (percap_rank_interval){1, 1, 1, NAN};
        else
            rank_set(&e, j, crit[j], &out[j]);
    }
    free(crit);
    estimates_free(&e);
    return st;
}
