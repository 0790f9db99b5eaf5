/* libFuzzer target: the gnuplot string emitter (percap/gp_emit.h) on
 * arbitrary text standing for data -- region names, titles, file names.
 *
 * Checks, for percap_gp_quote: the length returned does not depend on the
 * buffer size and a short buffer gets a NUL-terminated prefix; the result
 * is valid UTF-8 with no control character; read back the way gnuplot
 * reads it (single-quoted runs, in which nothing is special but the
 * closing quote, and the variable percap_quote, joined by '.') it is
 * exactly the text with control characters made spaces and malformed
 * UTF-8 made U+FFFD.
 *
 * For a whole script that puts the text everywhere text can go (the
 * description comment, title, label, tics, an array, a plot title): the
 * emitter accepts it (data must never trip the safety net), and outside
 * comments, single-quoted strings and datablocks the script holds no
 * backquote, double quote, '@' (macros) or control character: the places
 * where gnuplot would turn text into code. */
#include "fuzz_common.h"
#include "percap/gp_emit.h"

/* What next_char in gp_emit.c makes of the text, written out again. */
static size_t cleaned(const char *s, char *out)
{
    size_t n = 0;
    while (*s) {
        const unsigned char c = (unsigned char)*s;
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4 : 0;
        uint32_t cp;
        if (len == 0 || strnlen(s, 4) < len || !percap_utf8_valid(s, len)) {
            cp = 0xFFFD;
            len = 1;
        } else {
            percap_utf8_decode(s, &cp);
        }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            cp = ' ';
        else if (cp == 0xFFFE || cp == 0xFFFF)
            cp = 0xFFFD;
        n += percap_utf8_encode(cp, out + n);
        s += len;
    }
    out[n] = '\0';
    return n;
}

/* Reads a quoted expression back as gnuplot would; false if it is not
 * one. */
static bool read_back(const char *q, char *out)
{
    size_t n = 0;
    bool first = true;
    while (*q) {
        if (!first) {
            if (*q != '.')
                return false;
            q++;
        }
        first = false;
        if (*q == '\'') {
            const char *end = strchr(q + 1, '\'');
            if (!end)
                return false;
            memcpy(out + n, q + 1, (size_t)(end - q - 1));
            n += (size_t)(end - q - 1);
            q = end + 1;
        } else if (strncmp(q, "percap_quote", 12) == 0) {
            out[n++] = '\'';
            q += 12;
        } else {
            return false;
        }
    }
    out[n] = '\0';
    return true;
}

static void check_quote(const char *text, size_t size)
{
    size_t need = percap_gp_quote(text, NULL, 0);
    char *q = malloc(need + 1);
    FUZZ_ASSERT(q != NULL);
    FUZZ_ASSERT(percap_gp_quote(text, q, need + 1) == need);
    FUZZ_ASSERT(strlen(q) == need);
    FUZZ_ASSERT(percap_utf8_valid(q, need));
    for (size_t i = 0; i < need; i++)
        FUZZ_ASSERT((unsigned char)q[i] >= 0x20 && q[i] != 0x7F);
    char small[8];
    for (size_t k = 1; k <= sizeof small; k++) {
        FUZZ_ASSERT(percap_gp_quote(text, small, k) == need);
        size_t kept = need < k ? need : k - 1;
        FUZZ_ASSERT(small[kept] == '\0' && memcmp(small, q, kept) == 0);
    }
    char *want = malloc(3 * size + 4);
    char *got = malloc(need + 1);
    FUZZ_ASSERT(want && got);
    cleaned(text, want);
    FUZZ_ASSERT(read_back(q, got));
    FUZZ_ASSERT(strcmp(got, want) == 0);
    FUZZ_ASSERT(percap_gp_text_length(text) <= strlen(text));
    free(got);
    free(want);
    free(q);
}

/* Outside comments, strings and datablocks: nothing gnuplot expands. */
static void check_script(const char *s, size_t len)
{
    FUZZ_ASSERT(memchr(s, '\0', len) == NULL && percap_utf8_valid(s, len));
    bool in_block = false;
    for (const char *line = s; line < s + len;) {
        const char *nl = memchr(line, '\n', (size_t)(s + len - line));
        FUZZ_ASSERT(nl != NULL);
        size_t n = (size_t)(nl - line);
        if (in_block) {
            in_block = !(n == 10 && strncmp(line, "PERCAP_EOD", 10) == 0);
        } else if (line[0] != '#') {
            bool quoted = false;
            for (size_t i = 0; i < n; i++) {
                char c = line[i];
                if (c == '\'') {
                    quoted = !quoted;
                    continue;
                }
                FUZZ_ASSERT((unsigned char)c >= 0x20 && c != 0x7F);
                if (!quoted)
                    FUZZ_ASSERT(c != '`' && c != '"' && c != '@' &&
                                (c != '\\' || i + 1 == n));
            }
            FUZZ_ASSERT(!quoted);
            /* "$name << PERCAP_EOD", written by percap_gp_block_begin */
            in_block = line[0] == '$' && n > 14 && strncmp(line + n - 14, " << PERCAP_EOD", 14) == 0;
        } else {
            FUZZ_ASSERT(n == 0 || line[n - 1] != '\\');
        }
        line = nl + 1;
    }
    FUZZ_ASSERT(!in_block);
}

static void whole_script(const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    FUZZ_ASSERT(fp != NULL);
    percap_gp_canvas canvas = {.name = "fuzz", .width = 800, .height = 600, .font_size = 10};
    percap_gp *gp = percap_gp_begin(fp, &canvas, text);
    FUZZ_ASSERT(gp != NULL);
    percap_gp_set_text(gp, "title", text, NULL);
    percap_gp_set_text(gp, "key title", text, "left");
    percap_gp_label(gp, text, "graph", 0.5, 0.5, "center");
    const char *labels[] = {text, "x", text};
    const double values[] = {1, 2, 3};
    percap_gp_tics(gp, "y", labels, values, 3, NULL);
    percap_gp_array(gp, "names", labels, 3);
    percap_gp_block_begin(gp, "rows", text, 2);
    const double row[] = {1.5, -2e300};
    percap_gp_block_row(gp, row);
    percap_gp_block_end(gp);
    percap_gp_plot_begin(gp);
    percap_gp_plot_item(gp, text, "$rows using 1:2 with points");
    percap_gp_plot_item(gp, NULL, "$rows using 1:2 with lines");
    percap_gp_plot_end(gp);
    percap_error err;
    percap_status st = percap_gp_end(gp, &err);
    FUZZ_ASSERT(fclose(fp) == 0);
    FUZZ_ASSERT(st == PERCAP_OK);
    check_script(buf, len);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size);
    check_quote(text, size);
    whole_script(text);
    char cmd[64];
    size_t need = percap_gp_render_command("svg", text, cmd, sizeof cmd);
    FUZZ_ASSERT(need >= strlen(cmd));
    free(text);
    return 0;
}
