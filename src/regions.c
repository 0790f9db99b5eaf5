/* The region registry: regions in an array, every normalised spelling in
 * an open-addressing hash table pointing at its region. */
#include "percap/regions.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percap/table.h"

#define KEY_MAX 512

typedef struct spelling {
    char *key;       /* normalised; NULL = empty slot */
    size_t region;
} spelling;

typedef struct region {
    char *code;
    char *name;
    size_t row;      /* row in the source table, for attributes */
} region;

struct percap_registry {
    region *regions;
    size_t n, cap;
    spelling *slots;
    size_t nslots, used;
    percap_table *source;  /* NULL for registries built in memory */
};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static spelling *find_slot(spelling *slots, size_t nslots, const char *key)
{
    size_t i = (size_t)hash_key(key) & (nslots - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (nslots - 1);
    return &slots[i];
}

static int rehash(percap_registry *reg)
{
    size_t nslots = reg->nslots ? reg->nslots * 2 : 256;
    spelling *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < reg->nslots; i++)
        if (reg->slots[i].key)
            *find_slot(slots, nslots, reg->slots[i].key) = reg->slots[i];
    free(reg->slots);
    reg->slots = slots;
    reg->nslots = nslots;
    return 0;
}

percap_registry *percap_registry_alloc(void)
{
    return calloc(1, sizeof(percap_registry));
}

void percap_registry_free(percap_registry *reg)
{
    if (!reg)
        return;
    for (size_t i = 0; i < reg->n; i++) {
        free(reg->regions[i].code);
        free(reg->regions[i].name);
    }
    for (size_t i = 0; i < reg->nslots; i++)
        free(reg->slots[i].key);
    free(reg->regions);
    free(reg->slots);
    percap_table_free(reg->source);
    free(reg);
}

percap_status percap_registry_add_alias(percap_registry *reg, size_t index,
                                        const char *alias, percap_error *err)
{
    char key[KEY_MAX];
    if (percap_region_normalize(alias, key, sizeof key) >= sizeof key)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "region name too long ('%.40s...')", alias);
    if (key[0] == '\0')
        return PERCAP_OK; /* nothing to match on; harmless */
    if ((reg->used + 1) * 2 > reg->nslots && rehash(reg) != 0)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    spelling *slot = find_slot(reg->slots, reg->nslots, key);
    if (slot->key) {
        if (slot->region == index)
            return PERCAP_OK;
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "'%s' would name two regions: %s and %s", alias,
                                reg->regions[slot->region].code, reg->regions[index].code);
    }
    if (!(slot->key = strdup(key)))
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    slot->region = index;
    reg->used++;
    return PERCAP_OK;
}

/* The code without its country prefix: "TY" for "RU-TY". Only for codes
 * shaped like ISO 3166-2 (a country's letters, a hyphen, one to three
 * letters or digits, at least one a letter): "Haute-Loire" must not answer to
 * "Loire", and Ukraine's "UA-43" must not become "43", Kirov's region
 * number. */
static const char *code_suffix(const char *code)
{
    const char *dash = strchr(code, '-');
    if (!dash || dash - code < 1 || dash - code > 3)
        return NULL;
    for (const char *p = code; p < dash; p++)
        if (!isalpha((unsigned char)*p))
            return NULL;
    size_t n = 0;
    bool letter = false;
    for (const char *p = dash + 1; *p; p++, n++) {
        if (!isalnum((unsigned char)*p))
            return NULL;
        letter = letter || isalpha((unsigned char)*p);
    }
    return n >= 1 && n <= 3 && letter ? dash + 1 : NULL;
}

/* Fails, naming the other region, if `spelling` already belongs to one:
 * checked before anything is added, so a failed add leaves no trace. */
static percap_status check_free(const percap_registry *reg, const char *text,
                                const char *code, percap_error *err)
{
    long other = text ? percap_registry_lookup(reg, text) : -1;
    if (other < 0)
        return PERCAP_OK;
    return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0, "'%s' would name two regions: %s and %s",
                            text, reg->regions[other].code, code);
}

percap_status percap_registry_add(percap_registry *reg, const char *code,
                                  const char *name, size_t *index, percap_error *err)
{
    if (check_free(reg, code, code, err) != PERCAP_OK ||
        check_free(reg, code_suffix(code), code, err) != PERCAP_OK ||
        check_free(reg, name, code, err) != PERCAP_OK)
        return PERCAP_EDATA;
    if (reg->n == reg->cap) {
        size_t cap = reg->cap ? reg->cap * 2 : 64;
        region *r = realloc(reg->regions, cap * sizeof *r);
        if (!r)
            return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
        reg->regions = r;
        reg->cap = cap;
    }
    region *r = &reg->regions[reg->n];
    r->code = strdup(code);
    r->name = strdup(name && name[0] ? name : code);
    r->row = reg->n;
    if (!r->code || !r->name) {
        free(r->code);
        free(r->name);
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t i = reg->n++;
    if (index)
        *index = i;
    percap_status st = percap_registry_add_alias(reg, i, code, err);
    if (st == PERCAP_OK && code_suffix(code))
        st = percap_registry_add_alias(reg, i, code_suffix(code), err);
    if (st == PERCAP_OK && name)
        st = percap_registry_add_alias(reg, i, name, err);
    return st;
}

size_t percap_registry_size(const percap_registry *reg) { return reg->n; }
const char *percap_registry_code(const percap_registry *reg, size_t i) { return reg->regions[i].code; }
const char *percap_registry_name(const percap_registry *reg, size_t i) { return reg->regions[i].name; }

const char *percap_registry_attr(const percap_registry *reg, size_t i, const char *column)
{
    if (!reg->source)
        return "";
    long c = percap_table_find(reg->source, column);
    return c < 0 ? "" : percap_table_cell(reg->source, reg->regions[i].row, (size_t)c);
}

long percap_registry_lookup(const percap_registry *reg, const char *key)
{
    char norm[KEY_MAX];
    if (reg->nslots == 0 || percap_region_normalize(key, norm, sizeof norm) >= sizeof norm)
        return -1;
    const spelling *slot = find_slot(reg->slots, reg->nslots, norm);
    return slot->key ? (long)slot->region : -1;
}

/* Adds the aliases of one row: every ';'-separated entry of the
 * `aliases` column and the value of each single-spelling column. */
static percap_status add_row_spellings(percap_registry *reg, size_t i, percap_error *err)
{
    static const char *const columns[] = {"name_ru", "short_en", "okato", "oktmo",
                                          "region_number"};
    const percap_table *t = reg->source;
    for (size_t c = 0; c < sizeof columns / sizeof columns[0]; c++) {
        const char *v = percap_registry_attr(reg, i, columns[c]);
        if (v[0] && percap_registry_add_alias(reg, i, v, err) != PERCAP_OK) {
            err->column = percap_table_find(t, columns[c]) + 1;
            return err->code;
        }
    }

    long ac = percap_table_find(t, "aliases");
    if (ac < 0)
        return PERCAP_OK;
    char *list = strdup(percap_table_cell(t, i, (size_t)ac));
    if (!list)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    percap_status st = PERCAP_OK;
    char *save = NULL;
    for (char *a = strtok_r(list, ";", &save); a && st == PERCAP_OK;
         a = strtok_r(NULL, ";", &save))
        st = percap_registry_add_alias(reg, i, a, err);
    if (st != PERCAP_OK)
        err->column = ac + 1;
    free(list);
    return st;
}

static percap_status load_rows(percap_registry *reg, percap_error *err)
{
    const percap_table *t = reg->source;
    const char *path = percap_table_path(t);
    long code_col = percap_table_find(t, "iso_code");
    if (code_col < 0)
        code_col = percap_table_find(t, "code");
    if (code_col < 0)
        return percap_error_set(err, PERCAP_EDATA, path, 1, 0,
                                "a registry needs an 'iso_code' or 'code' column");
    long name_col = percap_table_find(t, "name_en");
    if (name_col < 0)
        name_col = percap_table_find(t, "name");
    for (size_t i = 0; i < percap_table_rows(t); i++) {
        const char *code = percap_table_cell(t, i, (size_t)code_col);
        const char *name = name_col >= 0 ? percap_table_cell(t, i, (size_t)name_col) : "";
        percap_status st;
        if (code[0] == '\0')
            st = percap_error_set(err, PERCAP_EDATA, NULL, 0, 0, "empty region code");
        else if ((st = percap_registry_add(reg, code, name, NULL, err)) == PERCAP_OK)
            st = add_row_spellings(reg, i, err);
        if (st != PERCAP_OK) {
            /* the adders know no position: give the row's, and the column
             * of the spelling that clashed when it is the name */
            long clash = name_col >= 0 && name[0] && percap_registry_lookup(reg, name) >= 0 &&
                                 percap_registry_lookup(reg, code) < 0
                             ? name_col : code_col;
            snprintf(err->file, sizeof err->file, "%s", path);
            err->line = percap_table_line(t, i);
            err->column = err->column ? err->column : clash + 1;
            return st;
        }
    }
    return PERCAP_OK;
}

percap_registry *percap_registry_load(const char *path, const percap_csv_options *opts,
                                      percap_error *err)
{
    percap_error local;
    if (!err)
        err = &local;
    percap_registry *reg = percap_registry_alloc();
    if (!reg) {
        percap_error_set(err, PERCAP_ENOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    reg->source = percap_table_read(path, opts, err);
    if (!reg->source || load_rows(reg, err) != PERCAP_OK) {
        percap_registry_free(reg);
        return NULL;
    }
    return reg;
}

/* Edit distance between two normalised keys, bytewise: good enough to rank
 * suggestions, and Cyrillic letters are two bytes, which only scales it.
 * Only distances up to `bound` matter, so only the diagonal band of that
 * width is computed and a row wholly past the bound ends the work: a long
 * unknown name then costs its length, not its length times every alias.
 * Returns bound + 1 for anything farther. */
static size_t edit_distance(const char *a, const char *b, size_t bound)
{
    size_t la = strlen(a), lb = strlen(b), far = bound + 1;
    if (la > 200 || lb > 200 || (la > lb ? la - lb : lb - la) > bound)
        return far;
    size_t rows[2][201], *prev = rows[0], *cur = rows[1];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j <= bound ? j : far;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i > bound ? i - bound : 1, hi = i + bound < lb ? i + bound : lb;
        size_t row_min = cur[0] = i <= bound ? i : far;
        cur[lo - 1] = lo > 1 ? far : cur[0];
        if (hi < lb)
            cur[hi + 1] = far; /* the next row's band reaches one further */
        for (size_t j = lo; j <= hi; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t d = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            cur[j] = d < far ? d : far;
            if (cur[j] < row_min)
                row_min = cur[j];
        }
        if (row_min > bound)
            return far;
        size_t *swap = prev;
        prev = cur;
        cur = swap;
    }
    return prev[lb];
}

size_t percap_registry_suggest(const percap_registry *reg, const char *key,
                               size_t *out, size_t max)
{
    char norm[KEY_MAX];
    percap_region_normalize(key, norm, sizeof norm);
    /* about one typo in four letters, so "Burjatia" finds Buryatia and
     * not every name of similar length */
    size_t limit = strlen(norm) / 4 + 1;
    size_t *best = calloc(reg->n ? reg->n : 1, sizeof *best);
    if (!best)
        return 0;
    for (size_t i = 0; i < reg->n; i++)
        best[i] = SIZE_MAX;
    for (size_t s = 0; s < reg->nslots; s++) {
        if (!reg->slots[s].key)
            continue;
        size_t d = edit_distance(norm, reg->slots[s].key, limit);
        size_t r = reg->slots[s].region;
        if (d < best[r])
            best[r] = d;
    }
    size_t found = 0;
    for (; found < max; found++) {
        size_t pick = SIZE_MAX, pick_d = limit + 1;
        for (size_t i = 0; i < reg->n; i++)
            if (best[i] < pick_d) {
                pick_d = best[i];
                pick = i;
            }
        if (pick == SIZE_MAX)
            break;
        out[found] = pick;
        best[pick] = SIZE_MAX;
    }
    free(best);
    return found;
}
