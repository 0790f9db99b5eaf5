/* percap: the region registry. Every code and spelling of a region maps
 * to one canonical entry (for Russia: keyed by ISO 3166-2 code), after a
 * normalisation that ignores case, spacing and punctuation and folds
 * Cyrillic case and ё/е. */
#ifndef PERCAP_REGIONS_H
#define PERCAP_REGIONS_H

#include <stddef.h>

#include "percap/csv_read.h"

typedef struct percap_registry percap_registry;

/* Loads a registry CSV. Required column: iso_code (or code). Optional:
 * name_en (or name), name_ru, short_en, okato, oktmo, region_number, and
 * aliases (entries separated by ';'), all of which become spellings that
 * resolve to the row; the code without its country prefix ("TY" for
 * "RU-TY") does too. Other columns are kept as attributes. A spelling
 * that would resolve to two regions is an error naming both. */
percap_registry *percap_registry_load(const char *path, const percap_csv_options *opts,
                                      percap_error *err);

/* An empty registry, filled with percap_registry_add: used for areas the
 * shipped registry does not know, whose keys are matched to each other. */
percap_registry *percap_registry_alloc(void);
void percap_registry_free(percap_registry *reg);

/* Adds a region whose code and name also become spellings of it.
 * Fails (PERCAP_EDATA, message naming the other region) if either is
 * already a spelling of another region. */
percap_status percap_registry_add(percap_registry *reg, const char *code,
                                  const char *name, size_t *index, percap_error *err);
percap_status percap_registry_add_alias(percap_registry *reg, size_t index,
                                        const char *alias, percap_error *err);

size_t percap_registry_size(const percap_registry *reg);
const char *percap_registry_code(const percap_registry *reg, size_t index);
const char *percap_registry_name(const percap_registry *reg, size_t index);

/* The value of an extra column for a region ("" if there is none). */
const char *percap_registry_attr(const percap_registry *reg, size_t index,
                                 const char *column);

/* Index of the region `key` spells, or -1. */
long percap_registry_lookup(const percap_registry *reg, const char *key);

/* Up to `max` regions whose spellings are closest to `key` (edit distance
 * on normalised forms), best first; returns how many. */
size_t percap_registry_suggest(const percap_registry *reg, const char *key,
                               size_t *out, size_t max);

/* Writes the normalised form of `in` to out (always NUL-terminated when
 * size > 0); returns the length it needed, like snprintf. */
size_t percap_region_normalize(const char *in, char *out, size_t size);

#endif
