/* The region-name normaliser: two spellings match when they agree after
 * folding case (Latin and Cyrillic), ё to е, and dropping everything that
 * is not a letter or digit, so "North Ossetia–Alania", "north ossetia
 * alania" and "NORTH-OSSETIA-ALANIA" are one key. */
#include "percap/regions.h"

#include <stdint.h>

#include "utf8.h"

static uint32_t fold_code_point(uint32_t c)
{
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z')
            return c + 32;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            return c;
        return 0;
    }
    if (c == 0x0401 || c == 0x0451)        /* Ё ё */
        return 0x0435;                     /* е */
    if (c >= 0x0410 && c <= 0x042F)        /* А-Я */
        return c + 0x20;
    if (c >= 0x0400 && c <= 0x040F)        /* Ѐ-Џ */
        return c + 0x50;
    if (c >= 0x00C0 && c <= 0x00DE && c != 0x00D7)
        return c + 0x20;
    if (c >= 0x0100 && c <= 0x017F && (c % 2) == 0 && c != 0x0130 && c != 0x0138)
        return c + 1;
    if (c <= 0x00BF || (c >= 0x2000 && c <= 0x206F) || c == 0x2212 ||
        c == 0x3000 || c == 0xFEFF || (c >= 0x2E00 && c <= 0x2E7F))
        return 0;                          /* spaces, punctuation, symbols */
    return c;
}

size_t percap_region_normalize(const char *in, char *out, size_t size)
{
    size_t need = 0;
    while (*in) {
        uint32_t cp;
        in += percap_utf8_decode(in, &cp);
        uint32_t f = fold_code_point(cp);
        if (f == 0)
            continue;
        char buf[4];
        size_t n = percap_utf8_encode(f, buf);
        for (size_t i = 0; i < n; i++, need++)
            if (need + 1 < size)
                out[need] = buf[i];
    }
    if (size > 0)
        out[need < size ? need : size - 1] = '\0';
    return need;
}
