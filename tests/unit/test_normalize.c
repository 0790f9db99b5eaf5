/* Unit tests for percap_region_normalize, the function that decides
 * whether two spellings of a region are the same key. A difference it
 * fails to fold makes a region "unknown" (its deaths are dropped from a
 * rate); a difference it folds too eagerly merges two regions. Both are
 * silent, so each folding rule is checked in both directions.
 *
 * Tests marked BUG_ fail against the current library: see the comment on
 * each for the expected behaviour. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "percap/regions.h"

#define BUF 512

/* Normalises `in` and checks the return value agrees with the output. */
static const char *norm_into(const char *in, char *out)
{
    size_t n = percap_region_normalize(in, out, BUF);
    if (n >= BUF)
        fail_msg("normalised form of \"%s\" does not fit in %d bytes", in, BUF);
    if (n != strlen(out))
        fail_msg("normalize(\"%s\") returned %zu but wrote \"%s\"", in, n, out);
    return out;
}

static void expect_norm(const char *in, const char *expected)
{
    char out[BUF];
    norm_into(in, out);
    if (strcmp(out, expected) != 0)
        fail_msg("normalize(\"%s\") = \"%s\", expected \"%s\"", in, out, expected);
}

static void expect_same(const char *a, const char *b)
{
    char na[BUF], nb[BUF];
    norm_into(a, na);
    norm_into(b, nb);
    if (strcmp(na, nb) != 0)
        fail_msg("\"%s\" -> \"%s\" but \"%s\" -> \"%s\"", a, na, b, nb);
}

static void expect_different(const char *a, const char *b)
{
    char na[BUF], nb[BUF];
    norm_into(a, na);
    norm_into(b, nb);
    if (strcmp(na, nb) == 0)
        fail_msg("\"%s\" and \"%s\" both normalise to \"%s\"", a, b, na);
}

/* ---- Latin ---- */

static void test_ascii_letters_fold_to_lower_case(void **state)
{
    (void)state;
    expect_norm("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz");
    expect_norm("abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz");
    expect_norm("TuVa", "tuva");
}

static void test_digits_are_kept(void **state)
{
    (void)state;
    /* OKATO codes and region numbers are keys too: "43" must not vanish */
    expect_norm("0123456789", "0123456789");
    expect_norm("RU-TY 17", "ruty17");
    expect_different("43", "34");
}

static void test_ascii_punctuation_and_spaces_dropped(void **state)
{
    (void)state;
    expect_norm(" a.b,c;d'e\"f(g)h/i-j_k\tl!m?n&o ", "abcdefghijklmno");
    expect_same("St.Petersburg", "St Petersburg");
    expect_same("ru_ty", "RU-TY");
}

static void test_latin1_letters_fold(void **state)
{
    (void)state;
    expect_same("\xC3\x89", "\xC3\xA9");                    /* É é */
    expect_same("\xC3\x96", "\xC3\xB6");                    /* Ö ö */
    expect_same("\xC3\x9E", "\xC3\xBE");                    /* Þ þ */
    expect_norm("\xC3\x80\xC3\x9E", "\xC3\xA0\xC3\xBE");    /* ÀÞ -> àþ */
    /* accented letters are letters: not dropped, not merged with ASCII */
    expect_different("\xC3\xA9", "e");
}

static void test_latin_extended_a_even_uppercase_folds(void **state)
{
    (void)state;
    /* pairs where the capital has the even code point */
    expect_same("\xC4\x80", "\xC4\x81"); /* Ā ā */
    expect_same("\xC4\x8C", "\xC4\x8D"); /* Č č */
    expect_same("\xC5\xA0", "\xC5\xA1"); /* Š š: "Baškortostan" */
    expect_same("\xC5\x90", "\xC5\x91"); /* Ő ő */
    expect_same("\xC5\xAA", "\xC5\xAB"); /* Ū ū */
    expect_same("Ba\xC5\xA0KORTOSTAN", "Ba\xC5\xA1kortostan");
}

/* Regression test for a fixed bug. Was: fold_code_point (src/normalize.c) treats every even code point in
 * U+0100..U+017F as a capital. In U+0139..U+0148 and U+0179..U+017E the
 * capitals are the ODD code points (Ĺ ĺ, Ľ ľ, Ł ł, Ń ń, Ň ň, Ź ź, Ż ż,
 * Ž ž), and Ÿ (U+0178) pairs with ÿ (U+00FF). So "Ž" and "ž" do not
 * match (e.g. "Nižnij" vs "NIŽNIJ" in transliterated names). */
static void test_latin_extended_a_odd_uppercase_folds(void **state)
{
    (void)state;
    expect_same("\xC5\xBD", "\xC5\xBE"); /* Ž ž */
    expect_same("\xC5\xBB", "\xC5\xBC"); /* Ż ż */
    expect_same("\xC5\xB9", "\xC5\xBA"); /* Ź ź */
    expect_same("\xC5\x81", "\xC5\x82"); /* Ł ł */
    expect_same("\xC5\x83", "\xC5\x84"); /* Ń ń */
    expect_same("\xC5\x87", "\xC5\x88"); /* Ň ň */
    expect_same("\xC4\xB9", "\xC4\xBA"); /* Ĺ ĺ */
    expect_same("\xC4\xBD", "\xC4\xBE"); /* Ľ ľ */
    expect_same("\xC5\xB8", "\xC3\xBF"); /* Ÿ ÿ */
}

/* Regression test for a fixed bug. Was: same cause, other direction: the lower-case letters of those
 * ranges are moved to the NEXT letter, so distinct letters merge:
 * ł (U+0142) becomes Ń (U+0143), ž (U+017E) becomes ſ (U+017F),
 * ĺ (U+013A) becomes Ļ (U+013B). */
static void test_latin_extended_a_distinct_letters_stay_distinct(void **state)
{
    (void)state;
    expect_different("\xC5\x82", "\xC5\x83"); /* ł vs Ń */
    expect_different("\xC5\xBE", "\xC5\xBF"); /* ž vs ſ */
    expect_different("\xC4\xBA", "\xC4\xBB"); /* ĺ vs Ļ */
    expect_different("\xC5\xB8", "\xC5\xB9"); /* Ÿ vs Ź */
}

/* ---- Cyrillic ---- */

static void test_all_33_russian_capitals_fold_to_lower_case(void **state)
{
    (void)state;
    /* А..Я are U+0410..U+042F, а..я U+0430..U+044F; Ё U+0401 is outside
     * that block and folds to е (U+0435), as does ё (U+0451). */
    int letters = 0;
    for (unsigned cp = 0x0410; cp <= 0x042F; cp++) {
        char up[3] = {(char)(0xC0 | (cp >> 6)), (char)(0x80 | (cp & 0x3F)), 0};
        unsigned lo = cp + 0x20;
        char low[3] = {(char)(0xC0 | (lo >> 6)), (char)(0x80 | (lo & 0x3F)), 0};
        expect_norm(up, low);
        expect_norm(low, low); /* lower case is already folded */
        letters++;
    }
    expect_norm("\xD0\x81", "\xD0\xB5"); /* Ё -> е */
    letters++;
    assert_int_equal(letters, 33);
}

static void test_yo_folds_to_ye(void **state)
{
    (void)state;
    /* "Орёл" is often written "Орел" */
    expect_norm("\xD1\x91", "\xD0\xB5");                            /* ё -> е */
    expect_same("\xD0\x9E\xD1\x80\xD1\x91\xD0\xBB",                 /* Орёл */
                "\xD0\x9E\xD0\xA0\xD0\x95\xD0\x9B");                /* ОРЕЛ */
    /* but е and э, и and й stay distinct letters */
    expect_different("\xD0\xB5", "\xD1\x8D");
    expect_different("\xD0\xB8", "\xD0\xB9");
    expect_different("\xD1\x8C", "\xD1\x8A"); /* ь vs ъ */
}

/* Regression test for a fixed bug. Was: fold_code_point (src/normalize.c) keeps combining marks
 * (U+0300..U+036F), although the normaliser is documented to drop
 * everything that is not a letter or digit. Text in decomposed form (NFD:
 * macOS, some PDFs and web pages) or with stress marks (Russian
 * dictionaries, Wikipedia: "Ты́ва") then fails to match:
 *   "Оре" U+0308 "л" (ё decomposed)    should equal "Орёл"
 *   "Краснодарски" U+0306 (й decomposed) should equal "Краснодарский"
 *   "Ты" U+0301 "ва" (stress mark)       should equal "Тыва"
 * Fix: compose е/Е + U+0308 to ё and и/И + U+0306 to й before folding,
 * and drop the remaining combining marks U+0300..U+036F. */
static void test_combining_marks_do_not_break_matching(void **state)
{
    (void)state;
    expect_same("\xD0\x9E\xD1\x80\xD0\xB5\xCC\x88\xD0\xBB",          /* Орёл (NFD) */
                "\xD0\x9E\xD1\x80\xD1\x91\xD0\xBB");                 /* Орёл */
    expect_same("\xD0\x9A\xD1\x80\xD0\xB0\xD1\x81\xD0\xBD\xD0\xBE\xD0\xB4\xD0\xB0\xD1\x80"
                "\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB8\xCC\x86",          /* Краснодарский (NFD) */
                "\xD0\x9A\xD1\x80\xD0\xB0\xD1\x81\xD0\xBD\xD0\xBE\xD0\xB4\xD0\xB0\xD1\x80"
                "\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9");                 /* Краснодарский */
    expect_same("\xD0\xA2\xD1\x8B\xCC\x81\xD0\xB2\xD0\xB0",          /* Ты́ва */
                "\xD0\xA2\xD1\x8B\xD0\xB2\xD0\xB0");                 /* Тыва */
}

static void test_cyrillic_extensions_u0400_fold(void **state)
{
    (void)state;
    /* Ukrainian letters used by the Crimea/Sevastopol aliases */
    expect_same("\xD0\x86", "\xD1\x96"); /* І і */
    expect_same("\xD0\x87", "\xD1\x97"); /* Ї ї */
    expect_same("\xD0\x84", "\xD1\x94"); /* Є є */
    expect_same("\xD0\xA1\xD0\x95\xD0\x92\xD0\x90\xD0\xA1\xD0\xA2\xD0\x9E\xD0\x9F\xD0\x86\xD0\x9B\xD0\xAC",
                "\xD0\xA1\xD0\xB5\xD0\xB2\xD0\xB0\xD1\x81\xD1\x82\xD0\xBE\xD0\xBF\xD1\x96\xD0\xBB\xD1\x8C");
    /* Ukrainian і is not Russian и nor Latin i */
    expect_different("\xD1\x96", "\xD0\xB8");
    expect_different("\xD1\x96", "i");
}

static void test_cyrillic_and_latin_lookalikes_stay_distinct(void **state)
{
    (void)state;
    /* Cyrillic "А" and Latin "A" look alike but are different keys */
    expect_different("\xD0\x90", "A");
    expect_different("\xD1\x80", "p");
}

static void test_saint_petersburg_in_russian(void **state)
{
    (void)state;
    expect_same("\xD0\xA1\xD0\xB0\xD0\xBD\xD0\xBA\xD1\x82-\xD0\x9F\xD0\xB5\xD1\x82\xD0\xB5"
                "\xD1\x80\xD0\xB1\xD1\x83\xD1\x80\xD0\xB3", /* Санкт-Петербург */
                "\xD0\xA1\xD0\x90\xD0\x9D\xD0\x9A\xD0\xA2 \xD0\x9F\xD0\x95\xD0\xA2\xD0\x95"
                "\xD0\xA0\xD0\x91\xD0\xA3\xD0\xA0\xD0\x93"); /* САНКТ ПЕТЕРБУРГ */
}

/* ---- Unicode punctuation and spaces ---- */

static void test_dashes_dropped(void **state)
{
    (void)state;
    expect_norm("a\xE2\x80\x93" "b", "ab"); /* en dash */
    expect_norm("a\xE2\x80\x94" "b", "ab"); /* em dash */
    expect_norm("a\xE2\x80\x90" "b", "ab"); /* hyphen U+2010 */
    expect_norm("a\xE2\x88\x92" "b", "ab"); /* minus sign U+2212 */
}

static void test_north_ossetia_alania_spellings_match(void **state)
{
    (void)state;
    expect_same("North Ossetia\xE2\x80\x93" "Alania", "north-ossetia alania");
    expect_same("North Ossetia\xE2\x80\x94" "Alania", "NORTH-OSSETIA-ALANIA");
    expect_norm("North Ossetia\xE2\x80\x93" "Alania", "northossetiaalania");
}

static void test_unicode_spaces_dropped(void **state)
{
    (void)state;
    expect_norm("a\xC2\xA0" "b", "ab");         /* NBSP */
    expect_norm("a\xE2\x80\xAF" "b", "ab");     /* narrow NBSP */
    expect_norm("a\xE2\x80\x89" "b", "ab");     /* thin space */
    expect_norm("a\xE3\x80\x80" "b", "ab");     /* ideographic space */
    expect_norm("\xEF\xBB\xBF" "ab", "ab");     /* BOM / ZWNBSP */
    expect_norm("a\xE2\x80\x8B" "b", "ab");     /* zero-width space */
}

static void test_apostrophes_and_quotes_dropped(void **state)
{
    (void)state;
    expect_norm("O'Brien", "obrien");
    expect_norm("O\xE2\x80\x99" "Brien", "obrien"); /* right single quote */
    expect_norm("O\xE2\x80\x98" "Brien", "obrien"); /* left single quote */
    expect_norm("\xC2\xAB" "x" "\xC2\xBB", "x");    /* « x » */
    expect_norm("\xE2\x80\x9E" "x" "\xE2\x80\x9C", "x"); /* „ x “ */
    expect_same("Donetsk People's Republic", "Donetsk People\xE2\x80\x99s Republic");
}

static void test_only_punctuation_gives_empty_key(void **state)
{
    (void)state;
    char out[8] = "zzzzzzz";
    assert_int_equal(percap_region_normalize(" -\xE2\x80\x94. ", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(percap_region_normalize("", out, sizeof out), 0);
    assert_string_equal(out, "");
}

static void test_normalisation_is_idempotent(void **state)
{
    (void)state;
    /* keys are stored normalised; normalising again must not change them */
    const char *names[] = {"North Ossetia\xE2\x80\x93" "Alania", "RU-TY",
                           "\xD0\x81\xD0\xBB\xD0\xBA\xD0\xB0", "\xC3\x89\xC3\x9E",
                           "Ba\xC5\xA0kortostan", "\xD0\x86\xD0\x87"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char once[BUF], twice[BUF];
        norm_into(names[i], once);
        norm_into(once, twice);
        assert_string_equal(once, twice);
    }
}

/* ---- output size and return value (snprintf contract) ---- */

static void test_return_value_is_full_length_in_bytes(void **state)
{
    (void)state;
    char out[BUF];
    assert_int_equal(percap_region_normalize("Tuva", out, sizeof out), 4);
    /* Cyrillic letters take two bytes each */
    assert_int_equal(percap_region_normalize("\xD0\xA2\xD1\x8B\xD0\xB2\xD0\xB0", out,
                                             sizeof out), 8);
}

static void test_truncation_returns_needed_length(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'Z', sizeof out);
    size_t n = percap_region_normalize("ABCDEF", out, 4);
    assert_int_equal(n, 6);
    assert_string_equal(out, "abc");
    /* nothing written past the given size */
    assert_int_equal(out[4], 'Z');
    assert_int_equal(out[7], 'Z');
}

static void test_truncation_with_size_one_gives_empty_string(void **state)
{
    (void)state;
    char out[4] = {'Z', 'Z', 'Z', 'Z'};
    assert_int_equal(percap_region_normalize("Tuva", out, 1), 4);
    assert_int_equal(out[0], '\0');
    assert_int_equal(out[1], 'Z');
}

static void test_exact_fit_is_not_truncated(void **state)
{
    (void)state;
    char out[5];
    memset(out, 'Z', sizeof out);
    assert_int_equal(percap_region_normalize("T-U-V-A", out, sizeof out), 4);
    assert_string_equal(out, "tuva");
    char small[4];
    assert_int_equal(percap_region_normalize("T-U-V-A", small, sizeof small), 4);
    assert_string_equal(small, "tuv");
}

static void test_truncation_of_multibyte_output_is_bytewise(void **state)
{
    (void)state;
    /* Like snprintf, the output is cut at a byte count; what matters is
     * that the bytes written are a prefix of the full result, terminated,
     * and that nothing beyond size is touched. */
    char full[BUF];
    norm_into("\xD0\xAF\xD0\xAF\xD0\xAF", full); /* ЯЯЯ -> яяя, 6 bytes */
    char out[8];
    memset(out, 'Z', sizeof out);
    size_t n = percap_region_normalize("\xD0\xAF\xD0\xAF\xD0\xAF", out, 4);
    assert_int_equal(n, 6);
    assert_int_equal(out[3], '\0');
    assert_memory_equal(out, full, 3);
    assert_int_equal(out[4], 'Z');
}

static void test_size_zero_writes_nothing(void **state)
{
    (void)state;
    char out[2] = {'Z', 'Z'};
    assert_int_equal(percap_region_normalize("Tuva", out, 0), 4);
    assert_int_equal(out[0], 'Z');
    /* snprintf(NULL, 0, ...) idiom: measure first */
    assert_int_equal(percap_region_normalize("R\xC3\x89-G", NULL, 0), 4);
}

static void test_invalid_utf8_does_not_read_past_the_end(void **state)
{
    (void)state;
    /* Lookups get raw user input, which the CSV reader validates but a
     * command-line argument may not. Truncated sequences at the end of
     * the string must stop at the terminator (exact-size heap copies let
     * AddressSanitizer catch an over-read). */
    const char *inputs[] = {"ab\xC3", "ab\xE2\x80", "ab\xF0\x9F\x98", "\xFF", "\x80x",
                            "\xC0\xAF", "\xED\xA0\x80"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        size_t len = strlen(inputs[i]);
        char *copy = malloc(len + 1);
        assert_non_null(copy);
        memcpy(copy, inputs[i], len + 1);
        char out[BUF];
        size_t n = percap_region_normalize(copy, out, sizeof out);
        assert_true(n < sizeof out);
        assert_int_equal(strlen(out), n);
        free(copy);
    }
    /* the valid ASCII part is still folded */
    char out[BUF];
    percap_region_normalize("AB\xC3", out, sizeof out);
    assert_memory_equal(out, "ab", 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_letters_fold_to_lower_case),
        cmocka_unit_test(test_digits_are_kept),
        cmocka_unit_test(test_ascii_punctuation_and_spaces_dropped),
        cmocka_unit_test(test_latin1_letters_fold),
        cmocka_unit_test(test_latin_extended_a_even_uppercase_folds),
        cmocka_unit_test(test_latin_extended_a_odd_uppercase_folds),
        cmocka_unit_test(test_latin_extended_a_distinct_letters_stay_distinct),
        cmocka_unit_test(test_all_33_russian_capitals_fold_to_lower_case),
        cmocka_unit_test(test_yo_folds_to_ye),
        cmocka_unit_test(test_combining_marks_do_not_break_matching),
        cmocka_unit_test(test_cyrillic_extensions_u0400_fold),
        cmocka_unit_test(test_cyrillic_and_latin_lookalikes_stay_distinct),
        cmocka_unit_test(test_saint_petersburg_in_russian),
        cmocka_unit_test(test_dashes_dropped),
        cmocka_unit_test(test_north_ossetia_alania_spellings_match),
        cmocka_unit_test(test_unicode_spaces_dropped),
        cmocka_unit_test(test_apostrophes_and_quotes_dropped),
        cmocka_unit_test(test_only_punctuation_gives_empty_key),
        cmocka_unit_test(test_normalisation_is_idempotent),
        cmocka_unit_test(test_return_value_is_full_length_in_bytes),
        cmocka_unit_test(test_truncation_returns_needed_length),
        cmocka_unit_test(test_truncation_with_size_one_gives_empty_string),
        cmocka_unit_test(test_exact_fit_is_not_truncated),
        cmocka_unit_test(test_truncation_of_multibyte_output_is_bytewise),
        cmocka_unit_test(test_size_zero_writes_nothing),
        cmocka_unit_test(test_invalid_utf8_does_not_read_past_the_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
