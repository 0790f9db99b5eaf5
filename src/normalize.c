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
    if (c >= 0x0300 && c <= 0x036F)        /* combining marks: stress, diaeresis */
        return 0;
    if (c == 0x0178)                       /* Ÿ */
        return 0x00FF;
    /* Latin Extended-A pairs capitals with the even code point, except in
     * U+0139-U+0148 and U+0179-U+017E, where the capital is odd */
    if ((c >= 0x0100 && c <= 0x0137) || (c >= 0x014A && c <= 0x0177))
        return c % 2 == 0 && c != 0x0130 ? c + 1 : c;
    if ((c >= 0x0139 && c <= 0x0148) || (c >= 0x0179 && c <= 0x017E))
        return c % 2 == 1 ? c + 1 : c;
    if (c <= 0x00BF || (c >= 0x2000 && c <= 0x206F) || c == 0x2212 ||
        c == 0x3000 || c == 0xFEFF || (c >= 0x2E00 && c <= 0x2E7F))
        return 0;                          /* spaces, punctuation, symbols */
    return c;
}

size_t percap_region_normalize(const char *in, char *out, size_t size)
{
    size_t need = 0;
    while (*in) {
        uint32_t cp, next;
        in += percap_utf8_decode(in, &cp);
        /* и + combining breve is й (a decomposed "Краснодарский"); е + diaeresis
         * needs nothing, as ё folds to е and the mark is dropped */
        if ((cp == 0x0418 || cp == 0x0438) && *in && percap_utf8_decode(in, &next) &&
            next == 0x0306) {
            in += percap_utf8_decode(in, &next);
            cp = 0x0439;
        }
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
