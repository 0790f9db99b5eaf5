/* Unit tests for percap/error.h: recording errors and formatting them as
 * "FILE:LINE:COLUMN: message". Every message the user sees goes through
 * these two functions, so a wrong separator or a lost position here makes
 * every diagnostic of the tool harder to act on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "percap/error.h"

static void test_set_records_code_position_and_message(void **state)
{
    (void)state;
    percap_error err;
    percap_error_clear(&err);
    percap_status st = percap_error_set(&err, PERCAP_EDATA, "deaths.csv", 12, 3,
                                        "bad count '%s'", "x1");
    /* set returns the code so that `return percap_error_set(...)` works */
    assert_int_equal(st, PERCAP_EDATA);
    assert_int_equal(err.code, PERCAP_EDATA);
    assert_string_equal(err.file, "deaths.csv");
    assert_int_equal(err.line, 12);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.message, "bad count 'x1'");
}

static void test_set_applies_printf_formatting(void **state)
{
    (void)state;
    percap_error err;
    percap_error_set(&err, PERCAP_EUSAGE, NULL, 0, 0, "%d rows, %.1f%% of %s", 7, 12.5,
                     "total");
    assert_string_equal(err.message, "7 rows, 12.5% of total");
}

static void test_set_with_null_err_only_returns_code(void **state)
{
    (void)state;
    /* Callers that do not care about details pass NULL: must not crash and
     * must still propagate the status. */
    assert_int_equal(percap_error_set(NULL, PERCAP_EIO, "f", 1, 1, "x"), PERCAP_EIO);
    assert_int_equal(percap_error_set(NULL, PERCAP_ENOMEM, NULL, 0, 0, "y"), PERCAP_ENOMEM);
}

static void test_set_with_null_file_stores_empty_file(void **state)
{
    (void)state;
    percap_error err;
    memset(&err, 'Z', sizeof err); /* garbage that must be overwritten */
    percap_error_set(&err, PERCAP_EDATA, NULL, 0, 0, "no file");
    assert_string_equal(err.file, "");
    assert_string_equal(err.message, "no file");
}

static void test_set_overwrites_previous_error_completely(void **state)
{
    (void)state;
    /* A reused error record must not keep the old position: a stale file
     * name would send the user to the wrong file. */
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "old.csv", 9, 4, "old");
    percap_error_set(&err, PERCAP_EUSAGE, NULL, 0, 0, "new");
    char buf[128];
    percap_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "new");
    assert_int_equal(err.code, PERCAP_EUSAGE);
    assert_int_equal(err.line, 0);
    assert_int_equal(err.column, 0);
}

static void test_clear_resets_to_ok_and_empty(void **state)
{
    (void)state;
    percap_error err;
    percap_error_set(&err, PERCAP_EIO, "a.csv", 1, 2, "m");
    percap_error_clear(&err);
    assert_int_equal(err.code, PERCAP_OK);
    assert_string_equal(err.file, "");
    assert_string_equal(err.message, "");
    assert_int_equal(err.line, 0);
    assert_int_equal(err.column, 0);
    percap_error_clear(NULL); /* documented as allowed by analogy with set */
}

static void test_format_with_file_line_and_column(void **state)
{
    (void)state;
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "pop.csv", 42, 5, "not a number");
    char buf[128];
    percap_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "pop.csv:42:5: not a number");
}

static void test_format_with_file_and_line_only(void **state)
{
    (void)state;
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "pop.csv", 42, 0, "row too short");
    char buf[128];
    percap_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "pop.csv:42: row too short");
}

static void test_format_with_file_only(void **state)
{
    (void)state;
    percap_error err;
    percap_error_set(&err, PERCAP_EIO, "missing.csv", 0, 0, "cannot open");
    char buf[128];
    percap_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "missing.csv: cannot open");
}

static void test_format_drops_column_when_line_unknown(void **state)
{
    (void)state;
    /* "file:0:3:" or "file::3:" would be nonsense: a column needs a line. */
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "a.csv", 0, 3, "m");
    char buf[128];
    percap_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "a.csv: m");
}

static void test_format_without_file_is_message_only(void **state)
{
    (void)state;
    percap_error err;
    percap_error_set(&err, PERCAP_EUSAGE, NULL, 0, 0, "unknown option --x");
    char buf[128];
    percap_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "unknown option --x");
}

static void test_format_null_err_gives_empty_string(void **state)
{
    (void)state;
    char buf[16];
    memset(buf, 'Z', sizeof buf);
    percap_error_format(NULL, buf, sizeof buf);
    assert_string_equal(buf, "");
}

static void test_format_size_zero_writes_nothing(void **state)
{
    (void)state;
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "a.csv", 1, 1, "m");
    char buf[4] = {'Z', 'Z', 'Z', '\0'};
    percap_error_format(&err, buf, 0);
    assert_memory_equal(buf, "ZZZ", 4);
}

static void test_format_truncates_message_and_terminates(void **state)
{
    (void)state;
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "a.csv", 7, 2, "a long message");
    char buf[16];
    memset(buf, 'Z', sizeof buf);
    percap_error_format(&err, buf, sizeof buf);
    /* like snprintf: the first size-1 characters of the full text */
    assert_string_equal(buf, "a.csv:7:2: a lo");
}

static void test_format_truncates_inside_the_position_prefix(void **state)
{
    (void)state;
    /* When the prefix alone fills the buffer, the message must not be
     * appended at buf + (length the prefix needed): that is past the end.
     * The guard bytes after the buffer catch such a write even without
     * AddressSanitizer. */
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "abcdefgh.csv", 7, 2, "m");
    struct {
        char buf[6];
        char guard[64];
    } out;
    memset(&out, 'Z', sizeof out);
    percap_error_format(&err, out.buf, sizeof out.buf);
    assert_string_equal(out.buf, "abcde");
    for (size_t i = 0; i < sizeof out.guard; i++)
        assert_int_equal(out.guard[i], 'Z');
}

static void test_format_exact_fit(void **state)
{
    (void)state;
    /* Off-by-one check: a buffer exactly one byte larger than the text
     * holds all of it. */
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "f", 1, 2, "xyz");
    char buf[sizeof "f:1:2: xyz"];
    percap_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "f:1:2: xyz");
    char small[sizeof "f:1:2: xyz" - 1];
    percap_error_format(&err, small, sizeof small);
    assert_string_equal(small, "f:1:2: xy");
}

/* A message too long for the record ends in "..." so that nobody takes
 * the cut for the whole. */
static void test_set_truncates_long_message(void **state)
{
    (void)state;
    char longmsg[3 * PERCAP_ERROR_MSG_MAX];
    for (size_t i = 0; i < sizeof longmsg - 1; i++)
        longmsg[i] = (char)('a' + i % 26);
    longmsg[sizeof longmsg - 1] = '\0';
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "f.csv", 1, 1, "%s", longmsg);
    assert_int_equal(strlen(err.message), PERCAP_ERROR_MSG_MAX - 1);
    assert_memory_equal(err.message, longmsg, PERCAP_ERROR_MSG_MAX - 4);
    assert_string_equal(err.message + PERCAP_ERROR_MSG_MAX - 4, "...");
}

/* Cyrillic letters are two bytes: a long name is cut between letters,
 * never inside one (the message would not be UTF-8 any more). */
static void test_set_cuts_long_message_between_characters(void **state)
{
    (void)state;
    char longmsg[3 * PERCAP_ERROR_MSG_MAX];
    size_t used = 0;
    longmsg[used++] = 'x'; /* odd, so that bytes and letters disagree */
    while (used + 3 < sizeof longmsg) {
        memcpy(longmsg + used, "\xd0\x96", 2); /* Ж */
        used += 2;
    }
    longmsg[used] = '\0';
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "f.csv", 1, 1, "%s", longmsg);
    size_t len = strlen(err.message);
    assert_true(len <= PERCAP_ERROR_MSG_MAX - 1 && len >= PERCAP_ERROR_MSG_MAX - 5);
    assert_string_equal(err.message + len - 3, "...");
    assert_memory_equal(err.message, longmsg, len - 3);
    assert_int_equal((len - 3 - 1) % 2, 0); /* whole letters after the x */
}

/* Data quoted in a message may hold control characters; a terminal must
 * not act on them (ESC [2J clears the screen). A character cut by a
 * printf precision ('%.2s' of "Ж" is its first byte) is dropped. */
static void test_set_makes_quoted_data_printable(void **state)
{
    (void)state;
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, "f.csv", 1, 1, "name '%s' and '%.1s'",
                     "a\x1b[2J\nb\x7f", "\xd0\x96");
    assert_string_equal(err.message, "name 'a\\x1b[2J\\x0ab\\x7f' and ''");
}

static void test_set_truncates_long_file_name(void **state)
{
    (void)state;
    char path[2 * PERCAP_ERROR_FILE_MAX];
    memset(path, 'p', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    percap_error err;
    percap_error_set(&err, PERCAP_EIO, path, 3, 0, "m");
    assert_int_equal(strlen(err.file), PERCAP_ERROR_FILE_MAX - 1);
    assert_memory_equal(err.file, path, PERCAP_ERROR_FILE_MAX - 1);
}

static void test_format_with_maximal_file_and_message(void **state)
{
    (void)state;
    /* Largest possible record into a buffer big enough: every byte of both
     * parts appears, in order, with the position between them. */
    char path[PERCAP_ERROR_FILE_MAX + 10], msg[PERCAP_ERROR_MSG_MAX + 10];
    memset(path, 'f', sizeof path - 1);
    path[sizeof path - 1] = '\0';
    memset(msg, 'm', sizeof msg - 1);
    msg[sizeof msg - 1] = '\0';
    percap_error err;
    percap_error_set(&err, PERCAP_EDATA, path, 123456789L, 987654321L, "%s", msg);
    char buf[PERCAP_ERROR_FILE_MAX + PERCAP_ERROR_MSG_MAX + 64];
    percap_error_format(&err, buf, sizeof buf);
    size_t flen = PERCAP_ERROR_FILE_MAX - 1, mlen = PERCAP_ERROR_MSG_MAX - 1;
    const char *pos = ":123456789:987654321: ";
    assert_int_equal(strlen(buf), flen + strlen(pos) + mlen);
    assert_memory_equal(buf + flen, pos, strlen(pos));
    assert_int_equal(buf[flen - 1], 'f');
    assert_int_equal(buf[flen + strlen(pos)], 'm');
}

static void test_status_names_are_distinct(void **state)
{
    (void)state;
    assert_string_equal(percap_status_name(PERCAP_OK), "ok");
    const percap_status all[] = {PERCAP_OK, PERCAP_EDATA, PERCAP_EUSAGE, PERCAP_EIO,
                                 PERCAP_ENOMEM};
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(percap_status_name(all[i]),
                                    percap_status_name(all[j]));
    assert_string_equal(percap_status_name((percap_status)77), "unknown error");
}

static void test_status_codes_match_exit_statuses(void **state)
{
    (void)state;
    /* The codes double as the CLI's exit statuses, which scripts rely on. */
    assert_int_equal(PERCAP_OK, 0);
    assert_int_equal(PERCAP_EDATA, 1);
    assert_int_equal(PERCAP_EUSAGE, 2);
    assert_int_equal(PERCAP_EIO, 3);
    assert_int_equal(PERCAP_ENOMEM, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_records_code_position_and_message),
        cmocka_unit_test(test_set_applies_printf_formatting),
        cmocka_unit_test(test_set_with_null_err_only_returns_code),
        cmocka_unit_test(test_set_with_null_file_stores_empty_file),
        cmocka_unit_test(test_set_overwrites_previous_error_completely),
        cmocka_unit_test(test_clear_resets_to_ok_and_empty),
        cmocka_unit_test(test_format_with_file_line_and_column),
        cmocka_unit_test(test_format_with_file_and_line_only),
        cmocka_unit_test(test_format_with_file_only),
        cmocka_unit_test(test_format_drops_column_when_line_unknown),
        cmocka_unit_test(test_format_without_file_is_message_only),
        cmocka_unit_test(test_format_null_err_gives_empty_string),
        cmocka_unit_test(test_format_size_zero_writes_nothing),
        cmocka_unit_test(test_format_truncates_message_and_terminates),
        cmocka_unit_test(test_format_truncates_inside_the_position_prefix),
        cmocka_unit_test(test_format_exact_fit),
        cmocka_unit_test(test_set_truncates_long_message),
        cmocka_unit_test(test_set_cuts_long_message_between_characters),
        cmocka_unit_test(test_set_makes_quoted_data_printable),
        cmocka_unit_test(test_set_truncates_long_file_name),
        cmocka_unit_test(test_format_with_maximal_file_and_message),
        cmocka_unit_test(test_status_names_are_distinct),
        cmocka_unit_test(test_status_codes_match_exit_statuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
