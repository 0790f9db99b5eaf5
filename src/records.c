/* Counting a one-row-per-death list by region and month. The file is
 * streamed, so memory does not grow with the number of rows; every row
 * that is not counted is tallied under its reason.
 *
 * Rows come as spans from the fast CSV scanner (csv_fast.h), only the
 * region and date cells are looked at, and each distinct region cell is
 * normalised and looked up once: a small hash from its raw bytes to the
 * region. Large files are counted in parts, one thread each, and the
 * parts' counts added up; what depends on order (the first unknown
 * regions, the line of the first) is replayed in file order after. */
#include "percap/records.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "csv_fast.h"
#include "percap/numparse.h"
#include "region_guess.h"
#include "utf8.h"

#define SAMPLE_ROWS 500
#define MONTH_FIRST (1900 * 12)
#define MONTH_COUNT (201 * 12)   /* 1900-01 .. 2100-12 */
#define UNKNOWN_SHOWN 5
#define CACHE_MAX 16384          /* distinct region cells remembered */
#define CACHE_KEY_MAX 256        /* longer cells are looked up every time */
#define PARTS_MAX 8
#define KEY_MISSING (-2)
#define KEY_UNKNOWN (-1)
#define KEY_NOMEM (-3)

static const char *const region_names[] = {"region", "region_code", "iso_code", "code", "name"};

/* Raw bytes to a value, in insertion order. */
typedef struct key_entry {
    uint64_t hash;
    size_t off, len;
    long value;
} key_entry;

typedef struct keymap {
    uint32_t *slots;         /* 1 + index into entries; 0 is empty */
    size_t nslots;
    key_entry *entries;
    size_t n, cap;
    char *bytes;
    size_t used, room;
} keymap;

typedef struct scratch {
    char *p;
    size_t cap;
} scratch;

typedef struct counter {
    const char *path;
    const percap_registry *reg;
    const percap_records_options *opts;
    percap_records *rec;
    long region_col, date_col;
    bool need_dates;
    size_t ncols;
    size_t unknown_distinct;
    long first_unknown_line;
    char unknown[UNKNOWN_SHOWN][64];
    percap_registry *unknown_set;
    region_guess *guess;     /* while sampling: what each column's values look like */
    keymap cache;            /* region cell -> region index, KEY_MISSING, KEY_UNKNOWN */
    keymap unknowns;         /* unknown region cell -> line first seen, in order */
    scratch key, date, text; /* unquoted cells; NUL-terminated copies */
} counter;

static uint64_t key_hash(const char *p, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ len;
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, p, len);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 29);
}

static long *keymap_find(const keymap *m, const char *p, size_t len, uint64_t h)
{
    if (m->nslots == 0)
        return NULL;
    for (size_t i = (size_t)h & (m->nslots - 1);; i = (i + 1) & (m->nslots - 1)) {
        if (m->slots[i] == 0)
            return NULL;
        key_entry *e = &m->entries[m->slots[i] - 1];
        if (e->hash == h && e->len == len && memcmp(m->bytes + e->off, p, len) == 0)
            return &e->value;
    }
}

static bool keymap_rehash(keymap *m)
{
    size_t nslots = m->nslots ? m->nslots * 2 : 64;
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    for (size_t k = 0; k < m->n; k++) {
        size_t i = (size_t)m->entries[k].hash & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = (uint32_t)(k + 1);
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    return true;
}

static bool keymap_add(keymap *m, const char *p, size_t len, uint64_t h, long value)
{
    if ((m->n + 1) * 2 > m->nslots && !keymap_rehash(m))
        return false;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        key_entry *e = realloc(m->entries, cap * sizeof *e);
        if (!e)
            return false;
        m->entries = e;
        m->cap = cap;
    }
    /* allocated even for an empty key: memcpy and memcmp take no NULL */
    if (!m->bytes || m->room - m->used < len) {
        size_t room = m->room * 2 > m->used + len ? m->room * 2 : m->used + len + 4096;
        char *b = realloc(m->bytes, room);
        if (!b)
            return false;
        m->bytes = b;
        m->room = room;
    }
    memcpy(m->bytes + m->used, p, len);
    m->entries[m->n] = (key_entry){.hash = h, .off = m->used, .len = len, .value = value};
    m->used += len;
    size_t i = (size_t)h & (m->nslots - 1);
    while (m->slots[i])
        i = (i + 1) & (m->nslots - 1);
    m->slots[i] = (uint32_t)(++m->n);
    return true;
}

static void keymap_free(keymap *m)
{
    free(m->slots);
    free(m->entries);
    free(m->bytes);
}

static char *scratch_get(scratch *s, size_t n)
{
    if (n > s->cap) {
        size_t cap = n > 2 * s->cap ? n : 2 * s->cap;
        char *p = realloc(s->p, cap);
        if (!p)
            return NULL;
        s->p = p;
        s->cap = cap;
    }
    return s->p;
}

/* bytes as a C string, in s */
static const char *as_string(scratch *s, const char *p, size_t len)
{
    char *out = scratch_get(s, len + 1);
    if (out) {
        memcpy(out, p, len);
        out[len] = '\0';
    }
    return out;
}

/* A cell's value: quoted cells with doubled quotes are undoubled into s. */
static const char *cell(const csv_field *f, scratch *s, size_t *len)
{
    const char *p;
    bool pairs;
    *len = csv_field_view(f, &p, &pairs);
    if (!pairs)
        return p;
    char *out = scratch_get(s, f->len);
    if (out)
        *len = csv_field_unescape(f, out);
    return out;
}

static long find_name(const char *const *fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(fields[i], name) == 0)
            return (long)i;
    return -1;
}

static long find_date_column(const char *const *fields, size_t n, const char *path,
                             percap_error *err)
{
    long found = -1;
    for (size_t i = 0; i < n; i++) {
        bool has = false;
        for (const char *p = fields[i]; *p && !has; p++)
            has = strncasecmp(p, "date", 4) == 0;
        if (has && found >= 0)
            return percap_error_set(err, PERCAP_EUSAGE, path, 1, 0,
                                    "several columns could hold the date ('%s', '%s'): "
                                    "give --date-col", fields[found], fields[i]), -2;
        if (has)
            found = (long)i;
    }
    if (found < 0)
        percap_error_set(err, PERCAP_EUSAGE, path, 1, 0,
                         "dates are needed but no column name contains 'date': give --date-col");
    return found < 0 ? -2 : found;
}

static percap_status take_header(counter *c, const char *const *f, size_t n, percap_error *err)
{
    const percap_records_options *o = c->opts;
    c->ncols = n;
    /* a given name that this file lacks falls back to the search below:
     * one --region-col serves several files */
    if (o->region_col && c->region_col < 0)
        c->region_col = find_name(f, n, o->region_col);
    if (o->region_col && c->region_col < 0 && o->region_col_required)
        return percap_error_set(err, PERCAP_EUSAGE, c->path, 1, 0, "no column '%s' (the region "
                                "column given)", o->region_col);
    for (size_t i = 0; c->region_col < 0 && i < sizeof region_names / sizeof *region_names; i++)
        c->region_col = find_name(f, n, region_names[i]);
    c->need_dates = o->has_since || o->has_until || o->by_month;
    if (o->date_col && (c->date_col = find_name(f, n, o->date_col)) < 0)
        return percap_error_set(err, PERCAP_EDATA, c->path, 1, 0, "no date column '%s'",
                                o->date_col);
    if (!o->date_col && c->need_dates && (c->date_col = find_date_column(f, n, c->path, err)) < 0)
        return err->code;
    if (c->date_col >= 0)
        snprintf(c->rec->date_col, sizeof c->rec->date_col, "%s", f[c->date_col]);
    if (c->region_col < 0)
        return PERCAP_CSV_STOP; /* the caller samples the values to find it */
    snprintf(c->rec->region_col, sizeof c->rec->region_col, "%s", f[c->region_col]);
    return PERCAP_OK;
}

static percap_status on_sample_row(void *ctx, const char *const *f, size_t n, long line,
                                   percap_error *err)
{
    counter *c = ctx;
    (void)line;
    (void)err;
    if (c->ncols == 0) {
        c->ncols = n;
        c->guess = calloc(n ? n : 1, sizeof *c->guess);
        for (size_t i = 0; c->guess && i < n; i++)
            region_guess_header(&c->guess[i], f[i]);
        return c->guess ? PERCAP_OK : PERCAP_ENOMEM;
    }
    for (size_t i = 0; i < n && i < c->ncols; i++) {
        double x;
        if (!percap_is_missing(f[i]))
            region_guess_add(&c->guess[i], f[i], percap_registry_lookup(c->reg, f[i]) >= 0,
                             percap_parse_number(f[i], &x) == PERCAP_NUM_OK);
    }
    return ++c->rec->rows >= SAMPLE_ROWS ? PERCAP_CSV_STOP : PERCAP_OK;
}

/* With no column named as a region, the one whose first values the
 * registry knows best. */
static percap_status sample_region_column(counter *c, percap_error *err)
{
    counter s = {.reg = c->reg, .rec = c->rec};
    percap_status st = percap_csv_read(c->path, &c->opts->csv, on_sample_row, &s, NULL, err);
    c->rec->rows = 0;
    size_t best = 0, best_score = 0;
    for (size_t i = 0; st == PERCAP_OK && i < s.ncols; i++)
        if (region_guess_score(&s.guess[i]) > best_score) {
            best_score = region_guess_score(&s.guess[i]);
            best = i;
        }
    if (st == PERCAP_OK && best_score == 0)
        st = percap_error_set(err, PERCAP_EUSAGE, c->path, 1, 0,
                              "cannot tell which column holds the regions: name it "
                              "'region' or give --region-col");
    if (st == PERCAP_ENOMEM)
        percap_error_set(err, st, c->path, 0, 0, "out of memory");
    if (st == PERCAP_OK)
        c->region_col = (long)best;
    free(s.guess);
    return st;
}

/* The spelling under which an unknown name is remembered: the name, or,
 * for one too long for a registry key (a 10 MB field), its start and a
 * hash of the whole, so that it is still counted and still told apart. */
static const char *unknown_key(const char *key, char *buf, size_t size)
{
    size_t len = strlen(key), cut = 200;
    if (len < 256)
        return key;
    while (cut > 0 && ((unsigned char)key[cut] & 0xC0) == 0x80)
        cut--; /* not inside a UTF-8 character */
    snprintf(buf, size, "%.*s %016" PRIx64 " %zu", (int)cut, key, key_hash(key, len), len);
    return buf;
}

/* Unknown names are kept in a registry of their own, so that repeats are
 * recognised however many there are (and however spelt). Returns false
 * if out of memory. */
static bool note_unknown(counter *c, const char *key, long line)
{
    if (!c->unknown_set && !(c->unknown_set = percap_registry_alloc()))
        return false;
    char buf[300];
    const char *as = unknown_key(key, buf, sizeof buf);
    if (percap_registry_lookup(c->unknown_set, as) >= 0)
        return true;
    /* a refusal other than for memory (a name whose ISO-like suffix is
     * another unknown name) still leaves a distinct unknown to report */
    if (percap_registry_add(c->unknown_set, as, as, NULL, NULL) == PERCAP_ENOMEM)
        return false;
    if (c->unknown_distinct == 0)
        c->first_unknown_line = line;
    if (c->unknown_distinct < UNKNOWN_SHOWN)
        snprintf(c->unknown[c->unknown_distinct], sizeof c->unknown[0], "%.*s%s",
                 percap_utf8_prefix(key, sizeof c->unknown[0] - 4), key,
                 strlen(key) > sizeof c->unknown[0] - 4 ? "..." : "");
    c->unknown_distinct++;
    return true;
}

/* Checks the row's date; returns false (after tallying why) if the row
 * must not be counted, and gives its month. */
static bool date_ok(counter *c, const char *text, int32_t *month)
{
    percap_records *r = c->rec;
    const percap_records_options *o = c->opts;
    int32_t day;
    if (percap_is_missing(text)) {
        r->no_date++;
        return false;
    }
    int y, m, d;
    if (!percap_parse_date(text, &day) || (percap_date_split(day, &y, &m, &d), y < 1900) ||
        y > 2100) {
        r->bad_date++;
        return false;
    }
    if ((o->has_since && day < o->since) || (o->has_until && day > o->until)) {
        r->outside++;
        return false;
    }
    *month = y * 12 + (m - 1) - MONTH_FIRST;
    return true;
}

/* A cell of exactly "YYYY-MM-DD", the usual case, read without copying
 * it or dividing: 1 and the day (since 1970-01-01) and month if it is a
 * valid date from 1900 to 2100; 0 if it is not one, or is out of that
 * range (either way a bad date, as date_ok would say); -1 if it has
 * another shape and must go to date_ok. Checked against
 * percap_parse_date for every day from 1900 to 2100. */
static int iso_day(const char *p, size_t len, int32_t *day, int *month_index)
{
    static const unsigned short before_month[12] = {0,   31,  59,  90,  120, 151,
                                                    181, 212, 243, 273, 304, 334};
    static const unsigned char month_len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    static const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    if (len != 10 || p[4] != '-' || p[7] != '-')
        return -1;
    unsigned v[8];
    for (int i = 0; i < 8; i++)
        if ((v[i] = (unsigned)((unsigned char)p[at[i]] - '0')) > 9)
            return -1;
    unsigned y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], m = v[4] * 10 + v[5],
             d = v[6] * 10 + v[7];
    /* 1900 and 2100 are the range's only years divisible by 4 that are
     * not leap years */
    bool leap = y % 4 == 0 && y != 1900 && y != 2100;
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 ||
        d > month_len[m - 1] + (unsigned)(m == 2 && leap))
        return 0;
    unsigned leap_days = y > 1900 ? (y - 1901) / 4 : 0; /* Feb 29ths before y */
    *day = -25567 /* 1900-01-01 */ + (int32_t)(365 * (y - 1900) + leap_days +
                                               before_month[m - 1] + (m > 2 && leap) + d - 1);
    *month_index = (int)(y * 12 + m - 1) - MONTH_FIRST;
    return 1;
}

/* date_ok on a cell; false with *nomem when a copy could not be made. */
static bool cell_date_ok(counter *c, const csv_field *f, int32_t *month, bool *nomem)
{
    size_t len;
    const char *p = cell(f, &c->date, &len);
    int32_t day;
    int index;
    int shape = p ? iso_day(p, len, &day, &index) : -1;
    if (shape < 0) {
        const char *text = p ? as_string(&c->text, p, len) : NULL;
        if (!text)
            return *nomem = true, false;
        return date_ok(c, text, month);
    }
    percap_records *r = c->rec;
    const percap_records_options *o = c->opts;
    if (shape == 0) {
        r->bad_date++;
        return false;
    }
    if ((o->has_since && day < o->since) || (o->has_until && day > o->until)) {
        r->outside++;
        return false;
    }
    *month = index;
    return true;
}

/* The region a cell names (an index), KEY_MISSING, KEY_UNKNOWN or
 * KEY_NOMEM; the answer for each distinct cell is kept. */
static long key_class(counter *c, const char *p, size_t len, uint64_t h)
{
    long *known = keymap_find(&c->cache, p, len, h);
    if (known)
        return *known;
    const char *key = as_string(&c->text, p, len);
    if (!key)
        return KEY_NOMEM;
    long v = percap_is_missing(key) ? KEY_MISSING : percap_registry_lookup(c->reg, key);
    if (v < 0 && v != KEY_MISSING)
        v = KEY_UNKNOWN;
    if (c->cache.n < CACHE_MAX && len <= CACHE_KEY_MAX)
        keymap_add(&c->cache, p, len, h, v); /* a failure only costs speed */
    return v;
}

static percap_status header_row(counter *c, const csv_field *f, size_t n, percap_error *err)
{
    char **text = calloc(n ? n : 1, sizeof *text);
    bool ok = text != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        ok = (text[i] = malloc(f[i].len + 1)) != NULL;
        if (ok)
            text[i][csv_field_unescape(&f[i], text[i])] = '\0';
    }
    percap_status st = ok ? take_header(c, (const char *const *)text, n, err)
                          : percap_error_set(err, PERCAP_ENOMEM, c->path, 1, 0, "out of memory");
    for (size_t i = 0; text && i < n; i++)
        free(text[i]);
    free(text);
    return st;
}

static percap_status on_row(void *ctx, const csv_field *f, size_t n, long line,
                            percap_error *err)
{
    counter *c = ctx;
    percap_records *r = c->rec;
    if (c->ncols == 0)
        return header_row(c, f, n, err);
    r->rows++;
    if (n != c->ncols)
        return percap_error_set(err, PERCAP_EDATA, c->path, line,
                                (long)(n < c->ncols ? n + 1 : c->ncols + 1),
                                "row has %zu fields, the header has %zu", n, c->ncols);
    size_t len;
    const char *key = cell(&f[c->region_col], &c->key, &len);
    uint64_t h = key ? key_hash(key, len) : 0;
    long i = key ? key_class(c, key, len, h) : KEY_NOMEM;
    bool nomem = i == KEY_NOMEM;
    int32_t month = 0;
    if (i == KEY_MISSING) {
        r->no_region++;
        return PERCAP_OK;
    }
    if (!nomem && c->need_dates && !cell_date_ok(c, &f[c->date_col], &month, &nomem) && !nomem)
        return PERCAP_OK;
    if (!nomem && i == KEY_UNKNOWN) {
        r->unmatched++;
        if (keymap_find(&c->unknowns, key, len, h) || keymap_add(&c->unknowns, key, len, h, line))
            return PERCAP_OK;
        nomem = true;
    }
    if (nomem)
        return percap_error_set(err, PERCAP_ENOMEM, c->path, line, 0, "out of memory");
    r->counts[i] += 1;
    if (r->month_counts)
        r->month_counts[(size_t)i * MONTH_COUNT + (size_t)month] += 1;
    r->counted++;
    return PERCAP_OK;
}

static percap_status unknown_error(counter *c, percap_error *err)
{
    char list[UNKNOWN_SHOWN * 70] = "";
    size_t used = 0;
    for (size_t i = 0; i < c->unknown_distinct && i < UNKNOWN_SHOWN; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s'%s'", i ? ", " : "",
                         c->unknown[i]);
        used += w > 0 ? (size_t)w : 0;
    }
    const char *more = c->unknown_distinct > UNKNOWN_SHOWN ? ", ..." : "";
    if (c->opts->allow_unmatched)
        return PERCAP_OK;
    size_t best[3];
    size_t ns = percap_registry_suggest(c->reg, c->unknown[0], best, 3);
    char hint[300] = "";
    for (size_t i = 0, u = 0; i < ns && u < sizeof hint; i++) {
        int w = snprintf(hint + u, sizeof hint - u, "%s'%s' (%s)",
                         i == 0 ? "; did you mean " : ", ",
                         percap_registry_name(c->reg, best[i]), percap_registry_code(c->reg, best[i]));
        u += w > 0 ? (size_t)w : 0;
    }
    return percap_error_set(err, PERCAP_EDATA, c->path, c->first_unknown_line,
                            c->region_col + 1,
                            "unknown region ('%s')%s%s; %zu row%s name%s %zu unknown region%s: "
                            "%s%s%s", c->unknown[0], hint, ns ? "?" : "", c->rec->unmatched,
                            c->rec->unmatched == 1 ? "" : "s", c->rec->unmatched == 1 ? "s" : "",
                            c->unknown_distinct, c->unknown_distinct == 1 ? "" : "s", list, more,
                            c->opts->unmatched_hint ? c->opts->unmatched_hint : "");
}

static void describe(const counter *c, percap_notes *notes)
{
    const percap_records *r = c->rec;
    percap_notes_add(notes, "%s: %zu rows, %zu counted (region column '%s'%s%s%s)", c->path,
                     r->rows, r->counted, r->region_col, c->date_col >= 0 ? ", date column '" : "",
                     c->date_col >= 0 ? r->date_col : "", c->date_col >= 0 ? "'" : "");
    if (r->no_region)
        percap_notes_add(notes, "%s: %zu rows without a region, not counted", c->path, r->no_region);
    if (r->unmatched)
        percap_notes_add(notes, "%s: %zu rows naming %zu unknown regions dropped", c->path,
                         r->unmatched, c->unknown_distinct);
    if (r->no_date)
        percap_notes_add(notes, "%s: %zu rows without a date, not counted", c->path, r->no_date);
    if (r->bad_date)
        percap_notes_add(notes, "%s: %zu rows with an unusable date, not counted", c->path,
                         r->bad_date);
    if (r->outside)
        percap_notes_add(notes, "%s: %zu rows dated outside the period, not counted", c->path,
                         r->outside);
}

/* Trims the month table to the months that hold deaths. */
static void trim_months(percap_records *r)
{
    size_t lo = MONTH_COUNT, hi = 0;
    for (size_t i = 0; i < r->nregions; i++)
        for (size_t m = 0; m < MONTH_COUNT; m++)
            if (r->month_counts[i * MONTH_COUNT + m] > 0) {
                lo = m < lo ? m : lo;
                hi = m > hi ? m : hi;
            }
    if (lo > hi) {
        r->nmonths = 0;
        return;
    }
    r->nmonths = hi - lo + 1;
    for (size_t i = 0; i < r->nregions; i++)
        memmove(r->month_counts + i * r->nmonths, r->month_counts + i * MONTH_COUNT + lo,
                r->nmonths * sizeof *r->month_counts);
    r->first_month = (int32_t)(MONTH_FIRST + lo);
}

static percap_records *records_alloc(size_t nregions, bool by_month)
{
    percap_records *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->nregions = nregions;
    r->counts = calloc(nregions ? nregions : 1, sizeof *r->counts);
    if (by_month)
        r->month_counts = calloc((nregions ? nregions : 1) * MONTH_COUNT, sizeof(double));
    if (!r->counts || (by_month && !r->month_counts)) {
        percap_records_free(r);
        return NULL;
    }
    return r;
}

static void counter_init(counter *c, const char *path, const percap_registry *reg,
                         const percap_records_options *opts, percap_records *r, long region_col)
{
    *c = (counter){.path = path, .reg = reg, .opts = opts, .rec = r, .region_col = region_col,
                   .date_col = -1};
}

static void counter_free(counter *c)
{
    keymap_free(&c->cache);
    keymap_free(&c->unknowns);
    free(c->key.p);
    free(c->date.p);
    free(c->text.p);
    percap_registry_free(c->unknown_set);
}

/* PERCAP_THREADS, else one part per processor. */
static size_t parts_wanted(void)
{
    const char *e = getenv("PERCAP_THREADS");
    long n = e && *e ? strtol(e, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > PARTS_MAX ? PARTS_MAX : (size_t)n;
}

static void add_counts(percap_records *into, const percap_records *from)
{
    for (size_t i = 0; i < into->nregions; i++)
        into->counts[i] += from->counts[i];
    for (size_t i = 0; into->month_counts && i < into->nregions * MONTH_COUNT; i++)
        into->month_counts[i] += from->month_counts[i];
    into->rows += from->rows;
    into->counted += from->counted;
    into->no_region += from->no_region;
    into->unmatched += from->unmatched;
    into->no_date += from->no_date;
    into->bad_date += from->bad_date;
    into->outside += from->outside;
}

/* The unknown cells one part met, noted in the order met, as one pass
 * over the whole file would have noted them. */
static bool replay_unknowns(counter *into, const counter *part, long line_offset)
{
    for (size_t k = 0; k < part->unknowns.n; k++) {
        const key_entry *e = &part->unknowns.entries[k];
        const char *key = as_string(&into->text, part->unknowns.bytes + e->off, e->len);
        if (!key)
            return false;
        if (!note_unknown(into, key, e->value + line_offset))
            return false;
    }
    return true;
}

/* One pass over the list, in parts when it is large: the parts' counts
 * end up in c->rec and their unknown cells are noted in c, in order. */
static percap_status count_pass(counter *c, percap_error *err)
{
    size_t n = parts_wanted(), made = 1;
    counter more[PARTS_MAX];
    csv_part parts[PARTS_MAX];
    parts[0].ctx = c;
    for (; made < n; made++) {
        percap_records *r = records_alloc(c->rec->nregions, c->opts->by_month);
        if (!r)
            break;
        counter_init(&more[made], c->path, c->reg, c->opts, r, c->region_col);
        parts[made].ctx = &more[made];
    }
    percap_status st = csv_read_spans_split(c->path, &c->opts->csv, NULL, on_row, parts, made, err);
    for (size_t k = 0; st == PERCAP_OK && k < made; k++) {
        if (k > 0 && parts[k].used)
            add_counts(c->rec, more[k].rec);
        if (parts[k].used && !replay_unknowns(c, k ? &more[k] : c, parts[k].line_offset))
            st = percap_error_set(err, PERCAP_ENOMEM, c->path, 0, 0, "out of memory");
    }
    for (size_t k = 1; k < made; k++) {
        percap_records_free(more[k].rec);
        counter_free(&more[k]);
    }
    return st;
}

percap_status percap_records_count(const char *path, const percap_registry *reg,
                                   const percap_records_options *opts,
                                   percap_records **out, percap_notes *notes,
                                   percap_error *err)
{
    *out = NULL;
    percap_records *r = records_alloc(percap_registry_size(reg), opts->by_month);
    if (!r)
        return percap_error_set(err, PERCAP_ENOMEM, path, 0, 0, "out of memory");
    counter c;
    counter_init(&c, path, reg, opts, r, -1);
    percap_status st = count_pass(&c, err);
    if (st == PERCAP_OK && c.region_col < 0) {
        /* no column named for regions: pick one from the values, count again */
        if ((st = sample_region_column(&c, err)) == PERCAP_OK) {
            long col = c.region_col;
            counter_free(&c);
            memset(r->counts, 0, r->nregions * sizeof *r->counts);
            counter_init(&c, path, reg, opts, r, col);
            st = count_pass(&c, err);
        }
    }
    if (st == PERCAP_OK && c.ncols == 0)
        st = percap_error_set(err, PERCAP_EDATA, path, 0, 0, "no header row");
    if (st == PERCAP_OK && c.region_col < 0)
        st = percap_error_set(err, PERCAP_EUSAGE, path, 1, 0, "no region column found");
    /* as with a table of counts: a list cut short by a failed download
     * must not pass for a list of no deaths */
    if (st == PERCAP_OK && r->rows == 0)
        st = percap_error_set(err, PERCAP_EDATA, path, 1, 0, "no records, only a header");
    if (st == PERCAP_OK && c.unknown_distinct > 0)
        st = unknown_error(&c, err);
    if (st == PERCAP_OK && r->month_counts)
        trim_months(r);
    if (st == PERCAP_OK)
        describe(&c, notes);
    counter_free(&c);
    if (st != PERCAP_OK) {
        percap_records_free(r);
        return st;
    }
    *out = r;
    return PERCAP_OK;
}

void percap_records_free(percap_records *r)
{
    if (!r)
        return;
    free(r->counts);
    free(r->month_counts);
    free(r);
}
