/* libFuzzer target: the region-name normaliser and the registry lookups
 * built on it, on arbitrary bytes (names typed by volunteers, files in
 * any encoding). Checks: the length returned does not depend on the
 * buffer size; a short buffer gets a NUL-terminated prefix of the full
 * key; normalising a key again changes nothing (the registry stores keys
 * and normalises queries, so a key must find itself); a lookup finds a
 * region that exists; suggestions are distinct regions, at most as many
 * as asked for. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    size_t need = percap_region_normalize(s, NULL, 0);
    char *full = malloc(need + 1);
    FUZZ_ASSERT(full != NULL);
    FUZZ_ASSERT(percap_region_normalize(s, full, need + 1) == need);
    FUZZ_ASSERT(strlen(full) == need);

    static const size_t sizes[] = {1, 2, 3, 7, 64};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        char small[64];
        size_t n = sizes[k];
        memset(small, 'x', sizeof small);
        FUZZ_ASSERT(percap_region_normalize(s, small, n) == need);
        size_t kept = need < n ? need : n - 1;
        FUZZ_ASSERT(small[kept] == '\0');
        FUZZ_ASSERT(memcmp(small, full, kept) == 0);
    }

    char *again = malloc(need + 1);
    FUZZ_ASSERT(again != NULL);
    FUZZ_ASSERT(percap_region_normalize(full, again, need + 1) == need);
    FUZZ_ASSERT(strcmp(again, full) == 0);

    const percap_registry *reg = fuzz_shipped_registry();
    long i = percap_registry_lookup(reg, s);
    FUZZ_ASSERT(i >= -1 && i < (long)percap_registry_size(reg));
    if (i >= 0)
        FUZZ_ASSERT(percap_registry_lookup(reg, full) == i);
    /* suggestions cost an edit distance per spelling, milliseconds over
     * the shipped registry: short inputs, one in 128 */
    size_t best[3];
    size_t n = size % 128 == 0 && need <= 64 ? percap_registry_suggest(reg, s, best, 3) : 0;
    FUZZ_ASSERT(n <= 3);
    for (size_t a = 0; a < n; a++) {
        FUZZ_ASSERT(best[a] < percap_registry_size(reg));
        for (size_t b = 0; b < a; b++)
            FUZZ_ASSERT(best[a] != best[b]);
    }
    free(again);
    free(full);
    free(s);
    return 0;
}
