/* libFuzzer target: a region registry as `--regions` reads it
 * (percap_registry_load). Checks: errors are documented codes with a
 * message; in a registry that loads, every region's code and name
 * resolve to that region (no spelling names two), suggestions for each
 * name are regions of the registry, and attributes can be read. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned flags = fuzz_flags(&data, &size);
    percap_csv_options csv = fuzz_csv_options(flags);
    const char *path = fuzz_write_file(data, size);
    percap_error err;
    percap_registry *reg = percap_registry_load(path, &csv, &err);
    if (!reg) {
        fuzz_check_error(err.code, &err);
        return 0;
    }
    size_t n = percap_registry_size(reg);
    for (size_t i = 0; i < n; i++) {
        const char *code = percap_registry_code(reg, i);
        const char *name = percap_registry_name(reg, i);
        FUZZ_ASSERT(code && code[0] && name);
        char key[8];
        /* a spelling with no letter or digit has no key, and matches nothing */
        if (percap_region_normalize(code, key, sizeof key) > 0)
            FUZZ_ASSERT(percap_registry_lookup(reg, code) == (long)i);
        if (percap_region_normalize(name, key, sizeof key) > 0)
            FUZZ_ASSERT(percap_registry_lookup(reg, name) == (long)i);
        size_t best[3];
        size_t k = percap_registry_suggest(reg, name, best, 3);
        for (size_t j = 0; j < k; j++)
            FUZZ_ASSERT(best[j] < n);
        (void)percap_registry_attr(reg, i, "group");
    }
    percap_registry_free(reg);
    return 0;
}
