/* Writing gnuplot scripts: the one place that knows gnuplot's syntax and
 * how to keep data out of it (see percap/gp_emit.h for the rules). */
#include "percap/gp_emit.h"

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "percap/output.h"
#include "utf8.h"

#define NUM_SLOTS 16
#define NUM_SIZE 40

/* The datablock terminator. Rows hold only numbers, so none can begin
 * with it. */
#define BLOCK_END "PERCAP_EOD"

/* How a single quote is spelled inside a script (defined by the header)
 * and on gnuplot's command line (where the script has not run yet). */
#define QUOTE_VAR "percap_quote"
#define QUOTE_EXPR "sprintf('%c', 39)"

struct percap_gp {
    FILE *fp;
    percap_status status;
    char message[PERCAP_ERROR_MSG_MAX];
    bool in_plot, in_block;
    size_t plot_items, block_cols;
    char block_name[64];
    char ring[NUM_SLOTS][NUM_SIZE];
    unsigned next_slot;
};

/* ---- the first problem wins ------------------------------------------------ */

static void refuse(percap_gp *gp, const char *fmt, ...) PERCAP_PRINTF(2, 3);

static void refuse(percap_gp *gp, const char *fmt, ...)
{
    if (gp->status != PERCAP_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(gp->message, sizeof gp->message, fmt, ap);
    va_end(ap);
    gp->status = PERCAP_EUSAGE;
}

static bool out_of_memory(percap_gp *gp)
{
    if (gp->status == PERCAP_OK) {
        gp->status = PERCAP_ENOMEM;
        snprintf(gp->message, sizeof gp->message, "out of memory");
    }
    return false;
}

/* ---- cleaned text ------------------------------------------------------------ */

/* A bounded buffer with snprintf's contract: len counts what was wanted. */
typedef struct sink {
    char *buf;
    size_t size, len;
} sink;

static void put(sink *s, const char *p, size_t n)
{
    if (s->size > 0 && s->len + 1 < s->size) {
        size_t room = s->size - 1 - s->len;
        memcpy(s->buf + s->len, p, n < room ? n : room);
    }
    s->len += n;
    if (s->size > 0)
        s->buf[s->len < s->size ? s->len : s->size - 1] = '\0';
}

static void puts_sink(sink *s, const char *p) { put(s, p, strlen(p)); }

static size_t sequence_length(unsigned char c)
{
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) return 2;
    if ((c & 0xF0) == 0xE0) return 3;
    if ((c & 0xF8) == 0xF0) return 4;
    return 0;
}

/* The next code point of s as it will be shown: controls (C0, DEL, C1)
 * become spaces, since a newline would end the statement and others mean
 * nothing on a chart; malformed UTF-8 and the non-characters XML forbids
 * become U+FFFD. Returns the bytes consumed, at least 1. */
static size_t next_char(const char *s, uint32_t *cp)
{
    size_t n = sequence_length((unsigned char)s[0]);
    size_t avail = strnlen(s, 4);
    if (n == 0 || n > avail || !percap_utf8_valid(s, n)) {
        *cp = 0xFFFD;
        return 1;
    }
    percap_utf8_decode(s, cp);
    if (*cp < 0x20 || (*cp >= 0x7F && *cp < 0xA0))
        *cp = ' ';
    else if (*cp == 0xFFFE || *cp == 0xFFFF)
        *cp = 0xFFFD;
    return n;
}

/* Single-quoted runs joined by `quote` where the text has a quote: the
 * one spelling gnuplot 5.4 reads back exactly, whatever the quotes. With
 * `percent`, '%' is doubled, for the contexts where gnuplot treats the
 * text as a printf format (explicit tic labels). */
static void quote_into(sink *s, const char *text, const char *quote, bool percent)
{
    bool open = false, any = false;
    while (*text) {
        uint32_t cp;
        text += next_char(text, &cp);
        if (cp == '\'') {
            if (open)
                put(s, "'", 1);
            if (any)
                put(s, ".", 1);
            puts_sink(s, quote);
            open = false;
            any = true;
            continue;
        }
        if (!open) {
            if (any)
                put(s, ".", 1);
            put(s, "'", 1);
            open = any = true;
        }
        char bytes[4];
        put(s, bytes, percap_utf8_encode(cp, bytes));
        if (percent && cp == '%')
            put(s, "%", 1);
    }
    if (open)
        put(s, "'", 1);
    if (!any)
        put(s, "''", 2);
}

size_t percap_gp_quote(const char *text, char *out, size_t size)
{
    sink s = {out, size, 0};
    if (size > 0)
        out[0] = '\0';
    quote_into(&s, text ? text : "", QUOTE_VAR, false);
    return s.len;
}

size_t percap_gp_render_command(const char *format, const char *output, char *out,
                                size_t size)
{
    sink s = {out, size, 0};
    if (size > 0)
        out[0] = '\0';
    puts_sink(&s, "percap_format=");
    quote_into(&s, format ? format : "", QUOTE_EXPR, false);
    puts_sink(&s, "; percap_output=");
    /* gnuplot pipes output to a command for names starting with '|'. */
    if (output && (output[0] == '|' || output[0] == '<'))
        puts_sink(&s, "'./'.");
    quote_into(&s, output ? output : "", QUOTE_EXPR, false);
    return s.len;
}

size_t percap_gp_text_length(const char *text)
{
    size_t n = 0;
    uint32_t cp;
    for (; text && *text; n++)
        text += next_char(text, &cp);
    return n;
}

/* A quoted copy in fresh memory, or NULL (recorded) if memory ran out. */
static char *quoted_as(percap_gp *gp, const char *text, bool percent)
{
    sink count = {NULL, 0, 0};
    quote_into(&count, text ? text : "", QUOTE_VAR, percent);
    char *q = malloc(count.len + 1);
    if (!q)
        return out_of_memory(gp), NULL;
    sink s = {q, count.len + 1, 0};
    q[0] = '\0';
    quote_into(&s, text ? text : "", QUOTE_VAR, percent);
    return q;
}

static char *quoted(percap_gp *gp, const char *text)
{
    return quoted_as(gp, text, false);
}

/* ---- numbers ---------------------------------------------------------------------- */

/* printf follows LC_NUMERIC; gnuplot reads only '.'. */
static void c_locale_point(char *buf, size_t size)
{
    const char *point = localeconv()->decimal_point;
    if (!point || !*point || strcmp(point, ".") == 0)
        return;
    char *at = strstr(buf, point);
    if (!at)
        return;
    size_t plen = strlen(point);
    *at = '.';
    memmove(at + 1, at + plen, strlen(at + plen) + 1);
    (void)size;
}

void percap_gp_number(double v, char *buf, size_t size)
{
    if (size == 0)
        return;
    if (!isfinite(v)) {
        snprintf(buf, size, "%s", "NaN");
        return;
    }
    percap_output_number(v, buf, size);
    c_locale_point(buf, size);
}

void percap_gp_fixed(double v, int decimals, char *buf, size_t size)
{
    if (size == 0)
        return;
    if (!isfinite(v)) {
        snprintf(buf, size, "%s", "NA");
        return;
    }
    if (decimals < 0)
        decimals = 0;
    if (decimals > 17)
        decimals = 17;
    snprintf(buf, size, "%.*f", decimals, v);
    c_locale_point(buf, size);
    /* -0.0 and values that round to it read as zero, not "-0.0". */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
}

const char *percap_gp_num(percap_gp *gp, double v)
{
    char *slot = gp->ring[gp->next_slot++ % NUM_SLOTS];
    percap_gp_number(v, slot, NUM_SIZE);
    return slot;
}

/* ---- checks on percap's own code ------------------------------------------------- */

/* Floating conversions follow the locale; %n writes memory. */
static bool format_ok(const char *fmt)
{
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
        p++;
        if (*p == '%') {
            p++;
            continue;
        }
        p += strspn(p, "-+ #0123456789.*hlLqjzt");
        if (*p && strchr("aAeEfFgGn", *p))
            return false;
    }
    return true;
}

static bool identifier(const char *s)
{
    if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/* Words that read or write files, run commands or evaluate strings as
 * code. percap's charts never need them. */
static const char *const forbidden[] = {"system", "shell", "load",   "call",  "save",
                                        "cd",     "print", "output", "table", "eval",
                                        "evaluate", "import", "exec", "fit", "history",
                                        "pause",  "pipe",  "reread", NULL};

static const char *forbidden_word(const char *line)
{
    const char *p = line;
    while (*p) {
        if (*p == '\'') {
            const char *close = strchr(p + 1, '\'');
            p = close ? close + 1 : p + strlen(p);
            continue;
        }
        if (!isalpha((unsigned char)*p) && *p != '_') {
            p++;
            continue;
        }
        size_t n = 0;
        while (isalnum((unsigned char)p[n]) || p[n] == '_')
            n++;
        for (size_t k = 0; forbidden[k]; k++)
            if (strlen(forbidden[k]) == n && strncasecmp(p, forbidden[k], n) == 0)
                return forbidden[k];
        p += n;
    }
    return NULL;
}

/* The safety net for code lines: one line, no backquote or double quote
 * (the two ways gnuplot substitutes text into code), no shell escape, no
 * word that touches files or commands. */
static bool code_ok(percap_gp *gp, const char *line)
{
    for (const char *p = line; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F || *p == '`' || *p == '"') {
            refuse(gp, "gnuplot code may not hold control characters, backquotes or double "
                       "quotes: %.200s", line);
            return false;
        }
    if (line[strspn(line, " ")] == '!') {
        refuse(gp, "gnuplot code may not start with '!' (a shell command): %.200s", line);
        return false;
    }
    const char *w = forbidden_word(line);
    if (w) {
        refuse(gp, "gnuplot code may not use '%s': %.200s", w, line);
        return false;
    }
    return true;
}

/* fmt and its arguments as a checked line in fresh memory, or NULL. */
static char *format_code(percap_gp *gp, const char *fmt, va_list ap)
{
    if (!format_ok(fmt)) {
        refuse(gp, "floating-point conversion in a gnuplot code format (use percap_gp_num): %s",
               fmt);
        return NULL;
    }
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        refuse(gp, "bad gnuplot code format: %s", fmt);
        return NULL;
    }
    char *line = malloc((size_t)n + 1);
    if (!line)
        return out_of_memory(gp), NULL;
    vsnprintf(line, (size_t)n + 1, fmt, ap);
    if (!code_ok(gp, line)) {
        free(line);
        return NULL;
    }
    return line;
}

/* Options appended to a statement are code too. */
static bool options_ok(percap_gp *gp, const char *options)
{
    return !options || code_ok(gp, options);
}

static bool usable(percap_gp *gp)
{
    if (!gp || gp->status != PERCAP_OK)
        return false;
    if (gp->in_plot || gp->in_block) {
        refuse(gp, "a gnuplot statement inside an unfinished %s",
               gp->in_plot ? "plot" : "datablock");
        return false;
    }
    return true;
}

/* ---- the script -------------------------------------------------------------------- */

static bool stem_ok(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

static bool font_ok(const char *s)
{
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != ' ' && *s != '-')
            return false;
    return true;
}

/* The svg terminal takes font sizes as pixels and the cairo one as points
 * at 96 dpi; fontscale makes the two files look alike. */
static void terminal(percap_gp *gp, const char *indent, const char *term,
                     const percap_gp_canvas *c, const char *font)
{
    fprintf(gp->fp, "%sset terminal %s size %d,%d noenhanced font '%s,%s'%s "
                    "background rgb '#ffffff'\n",
            indent, term, c->width, c->height, font, percap_gp_num(gp, c->font_size),
            strcmp(term, "svg") == 0 ? " fontscale 1.31" : "");
}

static void header(percap_gp *gp, const percap_gp_canvas *c, const char *description)
{
    const char *font = c->font ? c->font : "DejaVu Sans";
    percap_gp_comment(gp, "%s", description ? description : "");
    percap_gp_comment(gp, "Written by percap. The data are inline: this script reads no file "
                          "and runs no command.");
    percap_gp_comment(gp, "gnuplot %s.gp writes %s.png; gnuplot -e \"percap_format='svg'\" "
                          "%s.gp writes %s.svg.", c->name, c->name, c->name, c->name);
    FILE *fp = gp->fp;
    fputs("reset\nset encoding utf8\n", fp);
    fputs(QUOTE_VAR " = " QUOTE_EXPR "\n", fp);
    fputs("if (!exists('percap_format')) percap_format = 'png'\n", fp);
    fprintf(fp, "if (!exists('percap_output')) percap_output = '%s.' . percap_format\n",
            c->name);
    fputs("if (percap_format eq 'svg') {\n", fp);
    terminal(gp, "    ", "svg", c, font);
    fputs("} else {\n    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n", fp);
    terminal(gp, "        ", "pngcairo", c, font);
    fputs("    } else {\n", fp);
    terminal(gp, "        ", "png", c, font);
    fputs("    }\n}\nset output percap_output\n", fp);
}

percap_gp *percap_gp_begin(FILE *fp, const percap_gp_canvas *canvas, const char *description)
{
    percap_gp *gp = calloc(1, sizeof *gp);
    if (!gp)
        return NULL;
    gp->fp = fp;
    const percap_gp_canvas *c = canvas;
    if (!fp || !c || !stem_ok(c->name) || c->width < 50 || c->height < 50 ||
        c->width > 20000 || c->height > 20000 || !(c->font_size > 0 && c->font_size < 100) ||
        (c->font && !font_ok(c->font))) {
        refuse(gp, "bad canvas: the name must be letters, digits, '-' or '_', the size "
                   "50..20000 pixels, the font plain");
        return gp;
    }
    header(gp, c, description);
    return gp;
}

percap_status percap_gp_end(percap_gp *gp, percap_error *err)
{
    if (!gp)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (gp->status == PERCAP_OK && (gp->in_plot || gp->in_block))
        refuse(gp, "the script ends inside an unfinished %s", gp->in_plot ? "plot" : "datablock");
    if (gp->status == PERCAP_OK)
        fputs("unset output\n", gp->fp);
    percap_status st = gp->status;
    if (st == PERCAP_OK && (fflush(gp->fp) != 0 || ferror(gp->fp)))
        st = percap_error_set(err, PERCAP_EIO, NULL, 0, 0, "write error");
    else if (st != PERCAP_OK)
        percap_error_set(err, st, NULL, 0, 0, "%s", gp->message);
    free(gp);
    return st;
}

/* ---- statements ---------------------------------------------------------------------- */

void percap_gp_comment(percap_gp *gp, const char *fmt, ...)
{
    if (!usable(gp))
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!text) {
        out_of_memory(gp);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    fputs("# ", gp->fp);
    for (const char *p = text; *p;) {
        uint32_t cp;
        p += next_char(p, &cp);
        char bytes[4];
        /* a comment ending in a backslash would swallow the next line */
        if (cp == '\\')
            cp = '/';
        fwrite(bytes, 1, percap_utf8_encode(cp, bytes), gp->fp);
    }
    fputc('\n', gp->fp);
    free(text);
}

void percap_gp_code(percap_gp *gp, const char *fmt, ...)
{
    if (!usable(gp))
        return;
    va_list ap;
    va_start(ap, fmt);
    char *line = format_code(gp, fmt, ap);
    va_end(ap);
    if (line)
        fprintf(gp->fp, "%s\n", line);
    free(line);
}

static bool axis_ok(const char *axis)
{
    static const char *const axes[] = {"x", "y", "x2", "y2", "cb", NULL};
    for (size_t i = 0; axis && axes[i]; i++)
        if (strcmp(axis, axes[i]) == 0)
            return true;
    return false;
}

void percap_gp_range(percap_gp *gp, const char *axis, double lo, double hi)
{
    if (!usable(gp))
        return;
    if (!axis_ok(axis)) {
        refuse(gp, "not an axis: %.100s", axis ? axis : "(null)");
        return;
    }
    fprintf(gp->fp, "set %srange [%s:%s]\n", axis, isfinite(lo) ? percap_gp_num(gp, lo) : "*",
            isfinite(hi) ? percap_gp_num(gp, hi) : "*");
}

static const char *const text_settings[] = {"title",   "xlabel",  "ylabel",    "x2label",
                                            "y2label", "cblabel", "key title", NULL};

void percap_gp_set_text(percap_gp *gp, const char *setting, const char *text,
                        const char *options)
{
    if (!usable(gp) || !options_ok(gp, options))
        return;
    bool known = false;
    for (size_t i = 0; text_settings[i] && !known; i++)
        known = setting && strcmp(setting, text_settings[i]) == 0;
    if (!known) {
        refuse(gp, "not a text setting: %.100s", setting ? setting : "(null)");
        return;
    }
    char *q = quoted(gp, text);
    if (q)
        fprintf(gp->fp, "set %s %s noenhanced%s%s\n", setting, q, options ? " " : "",
                options ? options : "");
    free(q);
}

static bool coord_ok(const char *coord)
{
    static const char *const ok[] = {"first", "second", "graph", "screen", NULL};
    for (size_t i = 0; coord && ok[i]; i++)
        if (strcmp(coord, ok[i]) == 0)
            return true;
    return false;
}

void percap_gp_label(percap_gp *gp, const char *text, const char *coord, double x, double y,
                     const char *options)
{
    if (!usable(gp) || !options_ok(gp, options))
        return;
    if (!coord_ok(coord)) {
        refuse(gp, "not a coordinate system: %.100s", coord ? coord : "(null)");
        return;
    }
    char *q = quoted(gp, text);
    if (q)
        fprintf(gp->fp, "set label %s at %s %s, %s %s noenhanced%s%s\n", q, coord,
                percap_gp_num(gp, x), coord, percap_gp_num(gp, y), options ? " " : "",
                options ? options : "");
    free(q);
}

void percap_gp_tics(percap_gp *gp, const char *axis, const char *const *labels,
                    const double *values, size_t n, const char *options)
{
    if (!usable(gp) || !options_ok(gp, options))
        return;
    if (!axis_ok(axis) || n == 0) {
        refuse(gp, "tics need an axis (x, y, x2, y2, cb) and at least one label");
        return;
    }
    fprintf(gp->fp, "set %stics (", axis);
    for (size_t i = 0; i < n; i++) {
        char *q = quoted_as(gp, labels[i], true);
        if (!q)
            return;
        fprintf(gp->fp, "%s %s %s", i ? ", \\\n   " : "", q, percap_gp_num(gp, values[i]));
        free(q);
    }
    fprintf(gp->fp, ") noenhanced%s%s\n", options ? " " : "", options ? options : "");
}

void percap_gp_array(percap_gp *gp, const char *name, const char *const *texts, size_t n)
{
    if (!usable(gp))
        return;
    if (!identifier(name)) {
        refuse(gp, "not a gnuplot variable name: %.100s", name ? name : "(null)");
        return;
    }
    fprintf(gp->fp, "array %s[%zu]\n", name, n ? n : 1);
    if (n == 0)
        fprintf(gp->fp, "%s[1] = ''\n", name);
    for (size_t i = 0; i < n; i++) {
        char *q = quoted(gp, texts[i]);
        if (!q)
            return;
        fprintf(gp->fp, "%s[%zu] = %s\n", name, i + 1, q);
        free(q);
    }
}

/* ---- datablocks ------------------------------------------------------------------- */

void percap_gp_block_begin(percap_gp *gp, const char *name, const char *columns, size_t ncols)
{
    if (!usable(gp))
        return;
    if (!identifier(name) || strlen(name) >= sizeof gp->block_name || ncols == 0) {
        refuse(gp, "a datablock needs a variable name and at least one column");
        return;
    }
    percap_gp_comment(gp, "$%s: %s", name, columns ? columns : "");
    fprintf(gp->fp, "$%s << " BLOCK_END "\n", name);
    snprintf(gp->block_name, sizeof gp->block_name, "%s", name);
    gp->in_block = true;
    gp->block_cols = ncols;
}

void percap_gp_block_row(percap_gp *gp, const double *values)
{
    if (!gp || gp->status != PERCAP_OK)
        return;
    if (!gp->in_block) {
        refuse(gp, "a datablock row outside a datablock");
        return;
    }
    for (size_t i = 0; i < gp->block_cols; i++)
        fprintf(gp->fp, "%s%s", i ? " " : "", percap_gp_num(gp, values[i]));
    fputc('\n', gp->fp);
}

void percap_gp_block_break(percap_gp *gp)
{
    if (!gp || gp->status != PERCAP_OK)
        return;
    if (!gp->in_block) {
        refuse(gp, "a datablock break outside a datablock");
        return;
    }
    fputc('\n', gp->fp);
}

void percap_gp_block_end(percap_gp *gp)
{
    if (!gp || gp->status != PERCAP_OK)
        return;
    if (!gp->in_block) {
        refuse(gp, "the end of a datablock that was not begun");
        return;
    }
    fputs(BLOCK_END "\n", gp->fp);
    gp->in_block = false;
}

/* ---- plot ---------------------------------------------------------------------------- */

void percap_gp_plot_begin(percap_gp *gp)
{
    if (!usable(gp))
        return;
    fputs("plot ", gp->fp);
    gp->in_plot = true;
    gp->plot_items = 0;
}

void percap_gp_plot_item(percap_gp *gp, const char *title, const char *fmt, ...)
{
    if (!gp || gp->status != PERCAP_OK)
        return;
    if (!gp->in_plot) {
        refuse(gp, "a plot item outside a plot");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *spec = format_code(gp, fmt, ap);
    va_end(ap);
    char *q = spec && title ? quoted(gp, title) : NULL;
    if (spec && (!title || q)) {
        fprintf(gp->fp, "%s%s", gp->plot_items++ ? ", \\\n     " : "", spec);
        if (q)
            fprintf(gp->fp, " title %s noenhanced", q);
        else
            fputs(" notitle", gp->fp);
    }
    free(q);
    free(spec);
}

void percap_gp_plot_end(percap_gp *gp)
{
    if (!gp || gp->status != PERCAP_OK)
        return;
    if (!gp->in_plot || gp->plot_items == 0) {
        refuse(gp, "a plot needs at least one item");
        return;
    }
    fputc('\n', gp->fp);
    gp->in_plot = false;
}
