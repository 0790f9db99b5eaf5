/* percap: model formulas in R's syntax, and the model frame they make
 * from an area table.
 *
 *   rate ~ poverty_pct_2020 + I(100 - russian_pct_men_2010)
 *   log(rate) ~ log(mean_income_2020) - 1
 *
 * Left side: any expression (below). Right side: terms joined by '+';
 * '- term' removes a term, '- 1' or '+ 0' drops the intercept and '+ 1'
 * (or '- 0') restores it; repeated terms count once. A term is a
 * variable, log(e), sqrt(e), exp(e) or I(e). Inside the parentheses e is
 * arithmetic: numbers, variables, + - * / ^ (R's precedence: ^ binds
 * tightest and to the right, then unary minus, then * /, then + -),
 * parentheses and the same four functions. Interactions (':', '*' and '^'
 * between terms) are not supported; write I(a * b).
 *
 * Variables are names matching [A-Za-z_.][A-Za-z0-9_.]*, or any text in
 * backticks (`men 16-61`). Over an area table they are `rate`, `deaths`,
 * `population` (the denominator) and the covariate columns, matched
 * exactly (case matters, as in R). `rate` is whatever the rows hold, so
 * compute rates first (percap_rates_compute).
 *
 * Terms are named as R's model.matrix() names its columns: "(Intercept)",
 * "poverty_pct_2020", "I(100 - russian_pct_men_2010)", "log(x)",
 * "I(x/2)", "I(1e+05 * x)". */
#ifndef PERCAP_FORMULA_H
#define PERCAP_FORMULA_H

#include <stdbool.h>
#include <stddef.h>

#include "percap/areas.h"
#include "percap/error.h"
#include "percap/notes.h"

typedef struct percap_formula percap_formula;

/* Parses `text`. Errors are PERCAP_EUSAGE with file "formula", line 1
 * and the column (in characters, from 1) where the problem is, so that
 * percap_error_format gives "formula:1:12: expected ')'". */
percap_formula *percap_formula_parse(const char *text, percap_error *err);
void percap_formula_free(percap_formula *f);

/* The formula as it was written. */
const char *percap_formula_text(const percap_formula *f);

/* The left side as R prints it ("rate", "log(rate)"). */
const char *percap_formula_response(const percap_formula *f);

/* The left side's name when it is a bare variable, else NULL. */
const char *percap_formula_response_variable(const percap_formula *f);

bool percap_formula_has_intercept(const percap_formula *f);

/* Columns of the design matrix: "(Intercept)" first if there is one,
 * then the terms in the order written. */
size_t percap_formula_ncols(const percap_formula *f);
const char *percap_formula_column(const percap_formula *f, size_t j);

/* The data a model is fitted to: the rows of the area table that have
 * every value the formula uses. */
typedef struct percap_formula_frame {
    size_t n;        /* rows kept */
    size_t p;        /* design columns, percap_formula_ncols() */
    size_t *area;    /* row of the area table each kept row came from */
    double *y;       /* the response; NULL if skip_response */
    double *x;       /* n x p, row-major; the intercept column is 1 */
    size_t nextra;
    double *extra;   /* n x nextra: the values of the extra terms */
} percap_formula_frame;

typedef struct percap_formula_eval_options {
    bool skip_response;        /* the caller takes the response from elsewhere */
    /* More terms that every kept row must have, written like formula
     * terms ("population", "log(population)"), NULL-terminated; NULL for
     * none. Their values go to frame->extra. */
    const char *const *extra;
} percap_formula_eval_options;

/* Evaluates the formula over `areas` (opts may be NULL). A row is dropped
 * when a value it needs is missing (NAN) or a term cannot be computed
 * (log or sqrt out of domain, division by zero, overflow); each dropped
 * row gets a note naming its region code and the reason, and a last note
 * counts them. An unknown variable is an error (PERCAP_EUSAGE, with its
 * column) listing the variables there are; so is a frame with no rows
 * (PERCAP_EDATA). */
percap_status percap_formula_evaluate(const percap_formula *f, const percap_areas *areas,
                                      const percap_formula_eval_options *opts,
                                      percap_formula_frame **out, percap_notes *notes,
                                      percap_error *err);
void percap_formula_frame_free(percap_formula_frame *frame);

#endif
