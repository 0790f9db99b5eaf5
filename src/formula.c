/* R-style model formulas: a recursive-descent parser into small
 * expression trees, R's way of printing them back (the names users will
 * compare with R's output), and their evaluation over an area table. */
#include "percap/formula.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INTERCEPT_NAME "(Intercept)"
#define REASON_MAX 256

/* Variables the area table always has; covariates come after. */
enum { SRC_RATE = -1, SRC_DEATHS = -2, SRC_POPULATION = -3 };

/* ---- growable strings ------------------------------------------------- */

typedef struct strbuf {
    char *s;
    size_t len, cap;
    bool oom;
} strbuf;

static void sb_add(strbuf *b, const char *t)
{
    size_t k = strlen(t);
    if (b->oom)
        return;
    if (b->len + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->len + k + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->len, t, k + 1);
    b->len += k;
}

static char *copy_string(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

/* ---- expression trees ------------------------------------------------- */

typedef enum node_kind {
    N_NUM, N_VAR, N_NEG, N_POS, N_ADD, N_SUB, N_MUL, N_DIV, N_POW, N_PAREN,
    N_LOG, N_SQRT, N_EXP, N_I
} node_kind;

typedef struct node {
    node_kind kind;
    double num;
    char *name;          /* N_VAR */
    size_t slot;         /* N_VAR: index into the evaluation's bindings */
    long line, col;      /* where it was written, for messages */
    struct node *a, *b;
} node;

static void node_free(node *n)
{
    if (!n)
        return;
    node_free(n->a);
    node_free(n->b);
    free(n->name);
    free(n);
}

static const struct {
    const char *name;
    node_kind kind;
} functions[] = {{"log", N_LOG}, {"sqrt", N_SQRT}, {"exp", N_EXP}, {"I", N_I}};

#define NFUNCTIONS (sizeof functions / sizeof functions[0])

static const char *function_name(node_kind k)
{
    for (size_t i = 0; i < NFUNCTIONS; i++)
        if (functions[i].kind == k)
            return functions[i].name;
    return "?";
}

/* ---- printing as R does ----------------------------------------------- */

/* R's print rule at 15 significant digits (formatReal with scipen 0): the
 * fewest digits that show the value, in fixed notation unless scientific
 * is strictly narrower. So 1e5 prints "1e+05" but 10000 "10000". */
static void format_number(double v, char *buf, size_t size)
{
    char sci[40];
    snprintf(sci, sizeof sci, "%.14e", v);
    const char *e = strchr(sci, 'e');
    int expo = e ? atoi(e + 1) : 0;
    int nsig = 15;
    while (nsig > 1 && sci[nsig] == '0')
        nsig--;
    int rgt = expo >= 0 ? (nsig - 1 - expo > 0 ? nsig - 1 - expo : 0) : nsig - 1 - expo;
    int left = expo >= 0 ? expo + 1 : 1;
    int fixed_width = left + (rgt > 0 ? rgt + 1 : 0);
    int sci_width = (nsig > 1 ? nsig + 1 : 1) + (abs(expo) >= 100 ? 5 : 4);
    if (fixed_width <= sci_width)
        snprintf(buf, size, "%.*f", rgt, v);
    else
        snprintf(buf, size, "%.*e", nsig - 1, v);
}

static bool is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Names R would print without backticks. */
static bool syntactic(const char *s)
{
    static const char *const reserved[] = {"if", "else", "repeat", "while", "function",
                                           "for", "next", "break", "TRUE", "FALSE", "NULL",
                                           "Inf", "NaN", "NA", "in"};
    if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') ||
          (s[0] == '.' && !is_digit(s[1]))))
        return false;
    for (const char *p = s; *p; p++)
        if (!is_name_char(*p))
            return false;
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(s, reserved[i]) == 0)
            return false;
    return true;
}

static const char *binary_op(node_kind k)
{
    switch (k) {
    case N_ADD: return " + ";
    case N_SUB: return " - ";
    case N_MUL: return " * ";
    case N_DIV: return "/";   /* R prints / and ^ without spaces */
    case N_POW: return "^";
    default: return NULL;
    }
}

static void deparse(const node *n, strbuf *b)
{
    char num[64];
    switch (n->kind) {
    case N_NUM:
        format_number(n->num, num, sizeof num);
        sb_add(b, num);
        return;
    case N_VAR:
        if (syntactic(n->name)) {
            sb_add(b, n->name);
        } else {
            sb_add(b, "`");
            sb_add(b, n->name);
            sb_add(b, "`");
        }
        return;
    case N_NEG:
    case N_POS:
        sb_add(b, n->kind == N_NEG ? "-" : "+");
        deparse(n->a, b);
        return;
    case N_PAREN:
        sb_add(b, "(");
        deparse(n->a, b);
        sb_add(b, ")");
        return;
    case N_LOG:
    case N_SQRT:
    case N_EXP:
    case N_I:
        sb_add(b, function_name(n->kind));
        sb_add(b, "(");
        deparse(n->a, b);
        sb_add(b, ")");
        return;
    default:
        deparse(n->a, b);
        sb_add(b, binary_op(n->kind));
        deparse(n->b, b);
        return;
    }
}

static char *label_of(const node *n)
{
    strbuf b = {0};
    deparse(n, &b);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* ---- parsing ---------------------------------------------------------- */

typedef struct parser {
    const char *text;
    const char *p;
    const char *label;   /* "formula", or "term" for extra terms */
    percap_error *err;
    bool failed;
    size_t nslots;       /* variables seen so far */
    int depth;           /* nesting of parse_unary, which every recursion passes */
} parser;

/* Deep enough for any real formula, shallow enough that parsing, evaluating
 * and freeing the tree cannot run out of stack on hostile input. */
#define FORMULA_MAX_DEPTH 200

/* Line and column (in characters, from 1) of `at`; UTF-8 continuation
 * bytes do not start a character. */
static void position(const parser *ps, const char *at, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (const char *q = ps->text; q < at; q++) {
        if (*q == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)*q & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

static void fail_at(parser *ps, const char *at, percap_status code, const char *fmt, ...)
    PERCAP_PRINTF(4, 5);

static void fail_at(parser *ps, const char *at, percap_status code, const char *fmt, ...)
{
    char msg[PERCAP_ERROR_MSG_MAX];
    long line, col;
    va_list ap;
    if (ps->failed)
        return;
    ps->failed = true;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    position(ps, at, &line, &col);
    percap_error_set(ps->err, code, ps->label, line, col, "%s", msg);
}

static void out_of_memory(parser *ps)
{
    if (!ps->failed)
        percap_error_set(ps->err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    ps->failed = true;
}

static void skip_space(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

/* What is at `p`, for messages: a character, or "the end". */
static void describe(const char *p, char *buf, size_t size)
{
    if (*p == '\0')
        snprintf(buf, size, "the end of the formula");
    else if ((unsigned char)*p < 0x80)
        snprintf(buf, size, "'%c'", *p);
    else
        snprintf(buf, size, "a non-ASCII character");
}

static void expected(parser *ps, const char *what)
{
    char got[40];
    describe(ps->p, got, sizeof got);
    fail_at(ps, ps->p, PERCAP_EUSAGE, "expected %s, found %s", what, got);
}

static node *new_node(parser *ps, node_kind kind, const char *at)
{
    node *n = calloc(1, sizeof *n);
    if (!n) {
        out_of_memory(ps);
        return NULL;
    }
    n->kind = kind;
    position(ps, at, &n->line, &n->col);
    return n;
}

static node *binary(parser *ps, node_kind kind, node *a, node *b, const char *at)
{
    node *n = (a && b) ? new_node(ps, kind, at) : NULL;
    if (!n) {
        node_free(a);
        node_free(b);
        return NULL;
    }
    n->a = a;
    n->b = b;
    return n;
}

static bool at_number(const parser *ps)
{
    return is_digit(ps->p[0]) || (ps->p[0] == '.' && is_digit(ps->p[1]));
}

/* Digits, an optional fraction and exponent: R's numeric literals less
 * hex and the L suffix. */
static node *parse_number(parser *ps)
{
    const char *start = ps->p, *q = ps->p;
    while (is_digit(*q))
        q++;
    if (*q == '.')
        for (q++; is_digit(*q); q++)
            ;
    if (*q == 'e' || *q == 'E') {
        const char *r = q + 1;
        if (*r == '+' || *r == '-')
            r++;
        if (!is_digit(*r)) {
            fail_at(ps, r, PERCAP_EUSAGE, "expected the digits of an exponent");
            return NULL;
        }
        while (is_digit(*r))
            r++;
        q = r;
    }
    char buf[128];
    if ((size_t)(q - start) >= sizeof buf) {
        fail_at(ps, start, PERCAP_EUSAGE, "number too long");
        return NULL;
    }
    memcpy(buf, start, (size_t)(q - start));
    buf[q - start] = '\0';
    node *n = new_node(ps, N_NUM, start);
    if (n)
        n->num = strtod(buf, NULL);
    ps->p = q;
    return n;
}

/* A name, plain or in backticks; *at gets where it starts. */
static char *parse_name(parser *ps, const char **at)
{
    const char *start = ps->p;
    *at = start;
    if (*start == '`') {
        const char *end = strchr(start + 1, '`');
        if (!end) {
            fail_at(ps, start, PERCAP_EUSAGE, "unterminated name: no closing '`'");
            return NULL;
        }
        if (end == start + 1) {
            fail_at(ps, start, PERCAP_EUSAGE, "empty name ``");
            return NULL;
        }
        ps->p = end + 1;
        char *s = copy_string(start + 1, (size_t)(end - start - 1));
        if (!s)
            out_of_memory(ps);
        return s;
    }
    while (is_name_char(*ps->p))
        ps->p++;
    char *s = copy_string(start, (size_t)(ps->p - start));
    if (!s)
        out_of_memory(ps);
    return s;
}

static node *parse_sum(parser *ps);

static node *parse_call(parser *ps, const char *name, const char *at)
{
    node_kind kind = N_NUM;
    for (size_t i = 0; i < NFUNCTIONS; i++)
        if (strcmp(name, functions[i].name) == 0)
            kind = functions[i].kind;
    if (kind == N_NUM) {
        fail_at(ps, at, PERCAP_EUSAGE,
                "unknown function '%s'; the functions are log, sqrt, exp and I", name);
        return NULL;
    }
    ps->p++; /* '(' */
    node *arg = parse_sum(ps);
    if (!arg)
        return NULL;
    skip_space(ps);
    if (*ps->p != ')') {
        node_free(arg);
        expected(ps, "')'");
        return NULL;
    }
    ps->p++;
    node *n = new_node(ps, kind, at);
    if (!n) {
        node_free(arg);
        return NULL;
    }
    n->a = arg;
    return n;
}

static node *parse_variable_or_call(parser *ps)
{
    const char *at;
    char *name = parse_name(ps, &at);
    if (!name)
        return NULL;
    skip_space(ps);
    if (*ps->p == '(' && *at != '`') {
        node *call = parse_call(ps, name, at);
        free(name);
        return call;
    }
    node *n = new_node(ps, N_VAR, at);
    if (!n) {
        free(name);
        return NULL;
    }
    n->name = name;
    n->slot = ps->nslots++;
    return n;
}

static node *parse_primary(parser *ps)
{
    skip_space(ps);
    if (at_number(ps))
        return parse_number(ps);
    if (*ps->p == '(') {
        const char *at = ps->p++;
        node *inner = parse_sum(ps);
        if (!inner)
            return NULL;
        skip_space(ps);
        if (*ps->p != ')') {
            node_free(inner);
            expected(ps, "')'");
            return NULL;
        }
        ps->p++;
        node *n = new_node(ps, N_PAREN, at);
        if (!n) {
            node_free(inner);
            return NULL;
        }
        n->a = inner;
        return n;
    }
    if (is_name_start(*ps->p) || *ps->p == '`')
        return parse_variable_or_call(ps);
    expected(ps, "a number, a variable or '('");
    return NULL;
}

static node *parse_unary(parser *ps);

/* ^ binds tighter than unary minus on its left (-2^2 is -4) but takes a
 * signed operand on its right (2^-1), and groups to the right. */
static node *parse_power(parser *ps)
{
    node *base = parse_primary(ps);
    if (!base)
        return NULL;
    skip_space(ps);
    if (*ps->p != '^')
        return base;
    const char *at = ps->p++;
    return binary(ps, N_POW, base, parse_unary(ps), at);
}

static node *parse_unary_nested(parser *ps);

static node *parse_unary(parser *ps)
{
    if (ps->depth >= FORMULA_MAX_DEPTH) {
        skip_space(ps);
        long line, col;
        position(ps, ps->p, &line, &col);
        ps->failed = true;
        percap_error_set(ps->err, PERCAP_EUSAGE, ps->label, line, col,
                         "nested more than %d levels deep", FORMULA_MAX_DEPTH);
        return NULL;
    }
    ps->depth++;
    node *n = parse_unary_nested(ps);
    ps->depth--;
    return n;
}

static node *parse_unary_nested(parser *ps)
{
    skip_space(ps);
    if (*ps->p == '-' || *ps->p == '+') {
        const char *at = ps->p;
        node_kind kind = *ps->p == '-' ? N_NEG : N_POS;
        ps->p++;
        node *operand = parse_unary(ps);
        if (!operand)
            return NULL;
        node *n = new_node(ps, kind, at);
        if (!n) {
            node_free(operand);
            return NULL;
        }
        n->a = operand;
        return n;
    }
    return parse_power(ps);
}

static node *parse_product(parser *ps)
{
    node *left = parse_unary(ps);
    for (;;) {
        if (!left)
            return NULL;
        skip_space(ps);
        if (*ps->p != '*' && *ps->p != '/')
            return left;
        const char *at = ps->p;
        node_kind kind = *ps->p == '*' ? N_MUL : N_DIV;
        ps->p++;
        left = binary(ps, kind, left, parse_unary(ps), at);
    }
}

static node *parse_sum(parser *ps)
{
    node *left = parse_product(ps);
    for (;;) {
        if (!left)
            return NULL;
        skip_space(ps);
        if (*ps->p != '+' && *ps->p != '-')
            return left;
        const char *at = ps->p;
        node_kind kind = *ps->p == '+' ? N_ADD : N_SUB;
        ps->p++;
        left = binary(ps, kind, left, parse_product(ps), at);
    }
}

/* ---- the formula ------------------------------------------------------ */

typedef struct term {
    node *expr;
    char *label;
} term;

struct percap_formula {
    char *text;
    node *lhs;
    char *lhs_label;
    term *terms;
    size_t nterms, cap;
    bool intercept;
    const char **cols;   /* labels, not owned */
    size_t ncols;
    size_t nslots;
};

void percap_formula_free(percap_formula *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nterms; i++) {
        node_free(f->terms[i].expr);
        free(f->terms[i].label);
    }
    free(f->terms);
    node_free(f->lhs);
    free(f->lhs_label);
    free(f->cols);
    free(f->text);
    free(f);
}

static long find_term(const percap_formula *f, const char *label)
{
    for (size_t i = 0; i < f->nterms; i++)
        if (strcmp(f->terms[i].label, label) == 0)
            return (long)i;
    return -1;
}

/* R's rules: a repeated term counts once; '- term' removes it if there. */
static void add_or_remove(parser *ps, percap_formula *f, node *expr, char *label, int sign)
{
    long at = find_term(f, label);
    if (sign < 0 || at >= 0) {
        if (sign < 0 && at >= 0) {
            node_free(f->terms[at].expr);
            free(f->terms[at].label);
            memmove(&f->terms[at], &f->terms[at + 1],
                    (f->nterms - (size_t)at - 1) * sizeof *f->terms);
            f->nterms--;
        }
        node_free(expr);
        free(label);
        return;
    }
    if (f->nterms == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 8;
        term *t = realloc(f->terms, cap * sizeof *t);
        if (!t) {
            node_free(expr);
            free(label);
            out_of_memory(ps);
            return;
        }
        f->terms = t;
        f->cap = cap;
    }
    f->terms[f->nterms++] = (term){expr, label};
}

/* '1' and '0' switch the intercept; R reads '- 0' as '+ 1'. */
static void parse_intercept(parser *ps, percap_formula *f, int sign)
{
    const char *at = ps->p;
    node *n = parse_number(ps);
    if (!n)
        return;
    double v = n->num;
    node_free(n);
    if (v != 0 && v != 1) {
        fail_at(ps, at, PERCAP_EUSAGE,
                "a number among the terms must be 1 or 0 (to keep or drop the intercept)");
        return;
    }
    f->intercept = (v == 1) == (sign > 0);
}

static void reject_interaction(parser *ps)
{
    skip_space(ps);
    if (*ps->p && strchr(":*^/%|", *ps->p))
        fail_at(ps, ps->p, PERCAP_EUSAGE,
                "'%c' between terms (interactions, nesting) is not supported; "
                "write a product as I(a * b)",
                *ps->p);
}

static void parse_rhs_term(parser *ps, percap_formula *f, int sign)
{
    skip_space(ps);
    if (at_number(ps)) {
        parse_intercept(ps, f, sign);
        reject_interaction(ps);
        return;
    }
    if (*ps->p == '(') {
        fail_at(ps, ps->p, PERCAP_EUSAGE,
                "parentheses around terms are not supported; list the terms with '+'");
        return;
    }
    if (!is_name_start(*ps->p) && *ps->p != '`') {
        expected(ps, "a term");
        return;
    }
    node *expr = parse_variable_or_call(ps);
    if (!expr)
        return;
    char *label = label_of(expr);
    if (!label) {
        node_free(expr);
        out_of_memory(ps);
        return;
    }
    add_or_remove(ps, f, expr, label, sign);
    reject_interaction(ps);
}

static void parse_rhs(parser *ps, percap_formula *f)
{
    int sign = 1;
    skip_space(ps);
    if (*ps->p == '-' || *ps->p == '+')
        sign = *ps->p++ == '-' ? -1 : 1;
    for (;;) {
        parse_rhs_term(ps, f, sign);
        if (ps->failed)
            return;
        skip_space(ps);
        if (*ps->p == '\0')
            return;
        if (*ps->p != '+' && *ps->p != '-') {
            expected(ps, "'+', '-' or the end of the formula");
            return;
        }
        sign = *ps->p++ == '-' ? -1 : 1;
    }
}

static void parse_lhs(parser *ps, percap_formula *f)
{
    skip_space(ps);
    if (*ps->p == '~') {
        fail_at(ps, ps->p, PERCAP_EUSAGE, "the formula needs a response left of '~'");
        return;
    }
    f->lhs = parse_sum(ps);
    if (!f->lhs)
        return;
    skip_space(ps);
    if (*ps->p != '~') {
        expected(ps, "'~'");
        return;
    }
    ps->p++;
    f->lhs_label = label_of(f->lhs);
    if (!f->lhs_label)
        out_of_memory(ps);
}

static void check_terms(parser *ps, percap_formula *f)
{
    if (f->nterms == 0 && !f->intercept) {
        fail_at(ps, ps->p, PERCAP_EUSAGE, "the formula has no terms and no intercept");
        return;
    }
    if (find_term(f, f->lhs_label) >= 0)
        fail_at(ps, ps->text, PERCAP_EUSAGE, "the response '%s' is also a term",
                f->lhs_label);
}

static void list_columns(parser *ps, percap_formula *f)
{
    f->ncols = f->nterms + (f->intercept ? 1 : 0);
    f->cols = malloc(f->ncols * sizeof *f->cols);
    if (!f->cols) {
        out_of_memory(ps);
        return;
    }
    size_t j = 0;
    if (f->intercept)
        f->cols[j++] = INTERCEPT_NAME;
    for (size_t i = 0; i < f->nterms; i++)
        f->cols[j++] = f->terms[i].label;
}

percap_formula *percap_formula_parse(const char *text, percap_error *err)
{
    if (!text) {
        percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0, "no formula given");
        return NULL;
    }
    percap_formula *f = calloc(1, sizeof *f);
    parser ps = {.text = text, .p = text, .label = "formula", .err = err};
    if (!f || !(f->text = copy_string(text, strlen(text)))) {
        free(f);
        percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    f->intercept = true;
    parse_lhs(&ps, f);
    if (!ps.failed)
        parse_rhs(&ps, f);
    if (!ps.failed)
        check_terms(&ps, f);
    if (!ps.failed)
        list_columns(&ps, f);
    if (ps.failed) {
        percap_formula_free(f);
        return NULL;
    }
    f->nslots = ps.nslots;
    return f;
}

const char *percap_formula_text(const percap_formula *f)
{
    return f->text;
}

const char *percap_formula_response(const percap_formula *f)
{
    return f->lhs_label;
}

const char *percap_formula_response_variable(const percap_formula *f)
{
    return f->lhs->kind == N_VAR ? f->lhs->name : NULL;
}

bool percap_formula_has_intercept(const percap_formula *f)
{
    return f->intercept;
}

size_t percap_formula_ncols(const percap_formula *f)
{
    return f->ncols;
}

const char *percap_formula_column(const percap_formula *f, size_t j)
{
    return j < f->ncols ? f->cols[j] : NULL;
}

/* ---- binding variables to the area table ------------------------------ */

/* One expression group (the formula, or one extra term) with its text
 * for messages and the source of each of its variables. */
typedef struct group {
    const char *text;
    const char *label;
    long *bind;
} group;

static void list_variables(const percap_areas *a, char *buf, size_t size)
{
    size_t len = (size_t)snprintf(buf, size, "rate, deaths, population");
    for (size_t i = 0; i < a->ncov && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, ", %s", a->cov_names[i]);
}

static percap_status bind_variables(const node *n, const percap_areas *a, group *g,
                                    percap_error *err)
{
    if (!n)
        return PERCAP_OK;
    if (n->kind == N_VAR) {
        static const struct { const char *name; long src; } fixed[] = {
            {"rate", SRC_RATE}, {"deaths", SRC_DEATHS}, {"population", SRC_POPULATION}};
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
            if (strcmp(n->name, fixed[i].name) == 0) {
                g->bind[n->slot] = fixed[i].src;
                return PERCAP_OK;
            }
        }
        for (size_t i = 0; i < a->ncov; i++) {
            if (strcmp(n->name, a->cov_names[i]) == 0) {
                g->bind[n->slot] = (long)i;
                return PERCAP_OK;
            }
        }
        char avail[PERCAP_ERROR_MSG_MAX - 100];
        list_variables(a, avail, sizeof avail);
        return percap_error_set(err, PERCAP_EUSAGE, g->label, n->line, n->col,
                                "unknown variable '%s'; the variables are %s", n->name,
                                avail);
    }
    if (bind_variables(n->a, a, g, err) != PERCAP_OK)
        return err->code;
    return bind_variables(n->b, a, g, err);
}

/* ---- evaluation ------------------------------------------------------- */

typedef struct evalctx {
    const percap_areas *areas;
    size_t row;
    const long *bind;
    char why[REASON_MAX];   /* the first reason a value could not be had */
    const char *term;       /* ...and the term that needed it */
} evalctx;

static double why_not(evalctx *c, const char *fmt, ...) PERCAP_PRINTF(2, 3);

static double why_not(evalctx *c, const char *fmt, ...)
{
    if (!c->why[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->why, sizeof c->why, fmt, ap);
        va_end(ap);
    }
    return NAN;
}

static double variable_value(const evalctx *c, long src)
{
    const percap_area *r = &c->areas->rows[c->row];
    switch (src) {
    case SRC_RATE: return r->rate;
    case SRC_DEATHS: return r->deaths;
    case SRC_POPULATION: return r->population;
    default: return percap_areas_cov(c->areas, c->row, (size_t)src);
    }
}

static double eval(const node *n, evalctx *c);

static double eval_function(const node *n, evalctx *c)
{
    double x = eval(n->a, c);
    if (isnan(x))
        return x;
    switch (n->kind) {
    case N_LOG:
        return x > 0 ? log(x) : why_not(c, "log of %.15g is undefined", x);
    case N_SQRT:
        return x >= 0 ? sqrt(x) : why_not(c, "sqrt of %.15g is undefined", x);
    case N_EXP:
        return exp(x);
    default:
        return x;
    }
}

static double eval(const node *n, evalctx *c)
{
    double v;
    switch (n->kind) {
    case N_NUM: return n->num;
    case N_VAR:
        v = variable_value(c, c->bind[n->slot]);
        return isnan(v) ? why_not(c, "%s is missing", n->name) : v;
    case N_NEG: return -eval(n->a, c);
    case N_POS:
    case N_PAREN: return eval(n->a, c);
    case N_ADD: return eval(n->a, c) + eval(n->b, c);
    case N_SUB: return eval(n->a, c) - eval(n->b, c);
    case N_MUL: return eval(n->a, c) * eval(n->b, c);
    case N_DIV: return eval(n->a, c) / eval(n->b, c);
    case N_POW: return pow(eval(n->a, c), eval(n->b, c));
    default: return eval_function(n, c);
    }
}

/* The value of one term in one row, or false with the reason in c->why. */
static bool term_value(const node *expr, const char *label, evalctx *c, double *out)
{
    c->why[0] = '\0';
    c->term = label;
    double v = eval(expr, c);
    if (c->why[0] || !isfinite(v)) {
        if (!c->why[0])
            why_not(c, "the value %.15g is not finite", v);
        return false;
    }
    *out = v;
    return true;
}

/* ---- the frame -------------------------------------------------------- */

typedef struct extras {
    size_t n;
    node **expr;
    char **label;
    group *groups;
} extras;

static void extras_free(extras *x)
{
    for (size_t i = 0; i < x->n; i++) {
        node_free(x->expr[i]);
        free(x->label[i]);
        free(x->groups[i].bind);
    }
    free(x->expr);
    free(x->label);
    free(x->groups);
}

static percap_status parse_extra(const char *text, node **expr, char **label, size_t *nslots,
                                 percap_error *err)
{
    parser ps = {.text = text, .p = text, .label = "term", .err = err};
    *expr = parse_sum(&ps);
    if (*expr) {
        skip_space(&ps);
        if (*ps.p)
            expected(&ps, "the end of the term");
    }
    if (!ps.failed && !(*label = label_of(*expr)))
        out_of_memory(&ps);
    *nslots = ps.nslots;
    return ps.failed ? err->code : PERCAP_OK;
}

static percap_status prepare_extras(const char *const *list, const percap_areas *a, extras *x,
                                    percap_error *err)
{
    size_t n = 0;
    while (list && list[n])
        n++;
    x->expr = calloc(n ? n : 1, sizeof *x->expr);
    x->label = calloc(n ? n : 1, sizeof *x->label);
    x->groups = calloc(n ? n : 1, sizeof *x->groups);
    if (!x->expr || !x->label || !x->groups)
        return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++, x->n++) {
        size_t nslots;
        if (parse_extra(list[i], &x->expr[i], &x->label[i], &nslots, err) != PERCAP_OK) {
            x->n++;
            return err->code;
        }
        x->groups[i] = (group){list[i], "term", calloc(nslots ? nslots : 1, sizeof(long))};
        if (!x->groups[i].bind) {
            x->n++;
            return percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
        }
        if (bind_variables(x->expr[i], a, &x->groups[i], err) != PERCAP_OK) {
            x->n++;
            return err->code;
        }
    }
    return PERCAP_OK;
}

void percap_formula_frame_free(percap_formula_frame *fr)
{
    if (!fr)
        return;
    free(fr->area);
    free(fr->y);
    free(fr->x);
    free(fr->extra);
    free(fr);
}

static percap_formula_frame *frame_alloc(size_t rows, size_t p, size_t nextra, bool want_y)
{
    percap_formula_frame *fr = calloc(1, sizeof *fr);
    size_t r = rows ? rows : 1;
    if (!fr)
        return NULL;
    fr->p = p;
    fr->nextra = nextra;
    fr->area = malloc(r * sizeof *fr->area);
    fr->x = malloc(r * (p ? p : 1) * sizeof *fr->x);
    fr->extra = malloc(r * (nextra ? nextra : 1) * sizeof *fr->extra);
    fr->y = want_y ? malloc(r * sizeof *fr->y) : NULL;
    if (!fr->area || !fr->x || !fr->extra || (want_y && !fr->y)) {
        percap_formula_frame_free(fr);
        return NULL;
    }
    return fr;
}

typedef struct framing {
    const percap_formula *f;
    const percap_areas *areas;
    bool want_y;
    const long *bind;
    const extras *x;
    percap_formula_frame *fr;
} framing;

/* Fills kept row fr->n from area row `row`, or explains in c->why. */
static bool fill_row(const framing *g, size_t row, evalctx *c)
{
    percap_formula_frame *fr = g->fr;
    double *xrow = fr->x + fr->n * fr->p;
    size_t j = 0;
    c->row = row;
    c->bind = g->bind;
    if (g->want_y && !term_value(g->f->lhs, g->f->lhs_label, c, &fr->y[fr->n]))
        return false;
    if (g->f->intercept)
        xrow[j++] = 1.0;
    for (size_t i = 0; i < g->f->nterms; i++)
        if (!term_value(g->f->terms[i].expr, g->f->terms[i].label, c, &xrow[j++]))
            return false;
    for (size_t k = 0; k < g->x->n; k++) {
        c->bind = g->x->groups[k].bind;
        if (!term_value(g->x->expr[k], g->x->label[k], c, &fr->extra[fr->n * fr->nextra + k]))
            return false;
    }
    fr->area[fr->n++] = row;
    return true;
}

static percap_status fill_frame(const framing *g, percap_notes *notes, percap_error *err)
{
    evalctx c = {.areas = g->areas};
    size_t dropped = 0;
    for (size_t row = 0; row < g->areas->n; row++) {
        if (fill_row(g, row, &c))
            continue;
        dropped++;
        percap_notes_add(notes, "model frame: dropped %s (%s): %s (in %s)",
                         percap_areas_code(g->areas, row), percap_areas_name(g->areas, row),
                         c.why, c.term);
    }
    if (dropped)
        percap_notes_add(notes, "model frame: %zu of %zu areas used, %zu dropped", g->fr->n,
                         g->areas->n, dropped);
    if (g->fr->n == 0)
        return percap_error_set(err, PERCAP_EDATA, NULL, 0, 0,
                                "no area has every value the formula '%s' needs "
                                "(%zu of %zu dropped)",
                                g->f->text, dropped, g->areas->n);
    return PERCAP_OK;
}

static percap_status bind_formula(const percap_formula *f, const percap_areas *a, long *bind,
                                  percap_error *err)
{
    group g = {f->text, "formula", bind};
    if (bind_variables(f->lhs, a, &g, err) != PERCAP_OK)
        return err->code;
    for (size_t i = 0; i < f->nterms; i++)
        if (bind_variables(f->terms[i].expr, a, &g, err) != PERCAP_OK)
            return err->code;
    return PERCAP_OK;
}

percap_status percap_formula_evaluate(const percap_formula *f, const percap_areas *areas,
                                      const percap_formula_eval_options *opts,
                                      percap_formula_frame **out, percap_notes *notes,
                                      percap_error *err)
{
    static const percap_formula_eval_options none = {0};
    const percap_formula_eval_options *o = opts ? opts : &none;
    if (!f || !areas || !out)
        return percap_error_set(err, PERCAP_EUSAGE, NULL, 0, 0,
                                "percap_formula_evaluate needs a formula, areas and a result");
    *out = NULL;
    extras x = {0};
    long *bind = calloc(f->nslots ? f->nslots : 1, sizeof *bind);
    percap_status st = bind ? PERCAP_OK
                            : percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == PERCAP_OK)
        st = bind_formula(f, areas, bind, err);
    if (st == PERCAP_OK)
        st = prepare_extras(o->extra, areas, &x, err);
    framing g = {f, areas, !o->skip_response, bind, &x, NULL};
    if (st == PERCAP_OK && !(g.fr = frame_alloc(areas->n, f->ncols, x.n, g.want_y)))
        st = percap_error_set(err, PERCAP_ENOMEM, NULL, 0, 0, "out of memory");
    if (st == PERCAP_OK)
        st = fill_frame(&g, notes, err);
    extras_free(&x);
    free(bind);
    if (st != PERCAP_OK) {
        percap_formula_frame_free(g.fr);
        return st;
    }
    *out = g.fr;
    return PERCAP_OK;
}
