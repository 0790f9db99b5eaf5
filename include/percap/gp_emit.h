/* percap: writing gnuplot scripts. Every byte of gnuplot syntax percap
 * produces goes through this module, so the rules that keep data from
 * becoming code are enforced in one place:
 *
 *  - text from data (region names, file names, titles) is only ever
 *    written as a single-quoted string literal, in which gnuplot expands
 *    neither backquotes nor macros nor backslash escapes. A single quote
 *    inside it is written as the variable percap_quote (the script
 *    defines it as sprintf('%c', 39)) joined with `.`, because gnuplot
 *    5.4 misreads doubled quotes at the start of a string or in runs
 *    ('''x' and 'a''''b' are syntax errors);
 *  - control characters become spaces and malformed UTF-8 becomes
 *    U+FFFD, so a string is always one line of well-formed UTF-8 (the
 *    SVG output stays valid XML);
 *  - the terminal is noenhanced and so is every text setting, so
 *    _ ^ @ & ~ { } in names are not markup;
 *  - text is placed with `set label`, set xlabel/ylabel/..., plot titles
 *    and explicit tic lists: contexts that print a string as it is,
 *    except that tic labels are printf formats to gnuplot, so their '%'
 *    is doubled. The `labels` plot style is never used: it applies
 *    backslash escapes to its strings ('A\nB' becomes two lines);
 *  - datablocks hold numbers only, so no row can equal the terminator
 *    and no quote in a name can confuse gnuplot's column parser (it has
 *    no way to escape '"' inside a quoted field); the strings that go
 *    with rows live in arrays indexed by a row column;
 *  - numbers are written in the C locale whatever the program's locale;
 *  - a script never reads or writes a file other than its own output
 *    and never runs a command (no system, no backquotes, no pipes).
 *
 * percap_gp_code and percap_gp_plot_item take printf formats for percap's
 * own code; their %s arguments must be keywords, colours or the numbers
 * percap_gp_num formats, never data. As a safety net a line holding a
 * backquote, a double quote, a control character or the words system,
 * shell or load, or a format with a floating-point conversion (which
 * would follow the locale), is refused and makes percap_gp_end fail. */
#ifndef PERCAP_GP_EMIT_H
#define PERCAP_GP_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "percap/error.h"

typedef struct percap_gp percap_gp;

/* What the script draws on. The script writes NAME.png by default, or
 * NAME.svg when run as gnuplot -e "percap_format='svg'" NAME.gp;
 * percap_output, if defined the same way, overrides the file name. */
typedef struct percap_gp_canvas {
    const char *name;     /* file stem, [A-Za-z0-9_-]+ */
    int width, height;    /* pixels, 50..20000 */
    double font_size;     /* points */
    const char *font;     /* font family; NULL: "DejaVu Sans" */
} percap_gp_canvas;

/* Starts a script on fp: header comments (`description`, one line, may
 * hold data), reset, UTF-8, the quote variable and the terminal block
 * (pngcairo, or png where gnuplot lacks cairo, or svg). NULL only if
 * memory ran out. */
percap_gp *percap_gp_begin(FILE *fp, const percap_gp_canvas *canvas, const char *description);

/* Ends the script (closing the output) and frees the emitter. Returns
 * the first problem: a refused line or argument (PERCAP_EUSAGE, naming
 * it), or a write error (PERCAP_EIO). */
percap_status percap_gp_end(percap_gp *gp, percap_error *err);

/* ---- text, for the layout code ----------------------------------------- */

/* The gnuplot expression for `text` (see above), NUL-terminated in out;
 * returns the length it needed, like snprintf. */
size_t percap_gp_quote(const char *text, char *out, size_t size);

/* Shortest text that reads back as exactly v, in the C locale; "NaN"
 * (which gnuplot reads as a missing value) for NaN and infinities. */
void percap_gp_number(double v, char *buf, size_t size);

/* v with `decimals` digits after the point (0..17), in the C locale, for
 * labels a reader sees: "12.3". "NA" for NaN. */
void percap_gp_fixed(double v, int decimals, char *buf, size_t size);

/* How many characters `text` shows once cleaned as above (code points),
 * for estimating its width. */
size_t percap_gp_text_length(const char *text);

/* percap_gp_number into a small ring of buffers owned by gp: valid until
 * 16 more calls, long enough for one percap_gp_code call. */
const char *percap_gp_num(percap_gp *gp, double v);

/* ---- statements ---------------------------------------------------------- */

/* A comment line; control characters and backslashes (which would join
 * the next line to the comment) are replaced. */
void percap_gp_comment(percap_gp *gp, const char *fmt, ...) PERCAP_PRINTF(2, 3);

/* One line of percap's own code (see the rules above). */
void percap_gp_code(percap_gp *gp, const char *fmt, ...) PERCAP_PRINTF(2, 3);

/* set AXISrange [lo:hi] (axis x, y, x2, y2 or cb); a bound that is not
 * finite is left to gnuplot ('*'). */
void percap_gp_range(percap_gp *gp, const char *axis, double lo, double hi);

/* set SETTING 'text' noenhanced OPTIONS, for title, xlabel, ylabel,
 * y2label, x2label, cblabel and key title. options is code (may be NULL). */
void percap_gp_set_text(percap_gp *gp, const char *setting, const char *text,
                        const char *options);

/* set label 'text' at COORD x, COORD y noenhanced OPTIONS; coord is first,
 * second, graph or screen; options is code (may be NULL). */
void percap_gp_label(percap_gp *gp, const char *text, const char *coord, double x, double y,
                     const char *options);

/* set AXIStics ('label' value, ...) noenhanced OPTIONS: tics at chosen
 * places with chosen text (axis x, y, x2, y2 or cb). gnuplot reads these
 * labels as printf formats, so '%' is written doubled ('100%' would
 * otherwise be an error, '%g' would print the tic's value). */
void percap_gp_tics(percap_gp *gp, const char *axis, const char *const *labels,
                    const double *values, size_t n, const char *options);

/* array NAME[n] and one line per element, NAME[i] = 'text' (from 1). An
 * empty list makes an array of one empty string, since gnuplot has no
 * empty arrays. */
void percap_gp_array(percap_gp *gp, const char *name, const char *const *texts, size_t n);

/* A datablock $NAME << PERCAP_EOD of rows of ncols numbers; `columns`
 * names them in a comment line above. */
void percap_gp_block_begin(percap_gp *gp, const char *name, const char *columns, size_t ncols);
void percap_gp_block_row(percap_gp *gp, const double *values);
/* A blank line: gnuplot's break between line segments. */
void percap_gp_block_break(percap_gp *gp);
void percap_gp_block_end(percap_gp *gp);

/* plot item, item, ...: each item is code from fmt (a source such as
 * $block or a function, `using`, `with`) and its key entry `title`
 * (text, or NULL for notitle). */
void percap_gp_plot_begin(percap_gp *gp);
void percap_gp_plot_item(percap_gp *gp, const char *title, const char *fmt, ...)
    PERCAP_PRINTF(3, 4);
void percap_gp_plot_end(percap_gp *gp);

/* The command for gnuplot's -e option that makes a script percap wrote
 * draw `format` (png or svg) into the file `output` (relative to the
 * directory gnuplot runs in), as
 *   percap_format='svg'; percap_output='map.svg.tmp'
 * with the same quoting as the scripts. Returns the length it needed,
 * like snprintf. */
size_t percap_gp_render_command(const char *format, const char *output, char *out,
                                size_t size);

#endif
