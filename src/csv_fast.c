/* The fast CSV scanner: see csv_fast.h for what it accepts and why it may
 * hand a row to libcsv. The block loop lives in csv_fast_kernel.h,
 * compiled here once for AVX2 (chosen at run time) and once portable. */
#include "csv_fast.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CSV_HAVE_AVX2_KERNEL 1
#include <immintrin.h>
#else
#define CSV_HAVE_AVX2_KERNEL 0
#endif

/* One bit per byte of a 64-byte block. */
typedef struct block {
    uint64_t quote, delim, lf, cr, nul, high;
} block;

/* Bit i set when an odd number of quotes stand at or before byte i:
 * inside quotes, counting the opening quote and not the closing one. */
static inline uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

static inline csv_stop scan_stop(csv_fast *s, csv_stop why, size_t pos, long line)
{
    s->stop_pos = pos;
    s->stop_line = line;
    return why;
}

/* Room for `more` fields after the first nf. */
static bool fields_room(csv_fast *s, size_t nf, size_t more)
{
    if (nf + more <= s->cap)
        return true;
    size_t cap = s->cap * 2 > nf + more ? s->cap * 2 : nf + more;
    csv_field *f = realloc(s->fields, cap * sizeof *f);
    if (!f)
        return false;
    s->fields = f;
    s->cap = cap;
    return true;
}

static inline bool is_blank(unsigned char c, unsigned char delim)
{
    return (c == ' ' || c == '\t') && c != delim;
}

#define K(name) name##_portable
#define KATTR
#define KERNEL_AVX2 0
#include "csv_fast_kernel.h"
#undef K
#undef KATTR
#undef KERNEL_AVX2

#if CSV_HAVE_AVX2_KERNEL
#define K(name) name##_avx2
#define KATTR __attribute__((target("avx2,bmi")))
#define KERNEL_AVX2 1
#include "csv_fast_kernel.h"
#undef K
#undef KATTR
#undef KERNEL_AVX2
#endif

static bool cpu_has_avx2(void)
{
#if CSV_HAVE_AVX2_KERNEL
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");
#else
    return false;
#endif
}

bool csv_kernel_available(csv_kernel k)
{
    return k != CSV_KERNEL_AVX2 || cpu_has_avx2();
}

csv_stop csv_fast_scan(csv_fast *s, char *buf, size_t start, size_t end, bool at_eof, long line)
{
    if (start >= s->limit)
        return scan_stop(s, CSV_STOP_LIMIT, start, line);
#if CSV_HAVE_AVX2_KERNEL
    if (s->kernel == CSV_KERNEL_AUTO)
        s->kernel = cpu_has_avx2() ? CSV_KERNEL_AVX2 : CSV_KERNEL_SCALAR;
    if (s->kernel == CSV_KERNEL_AVX2)
        return scan_avx2(s, buf, start, end, at_eof, line);
#endif
    return scan_portable(s, buf, start, end, at_eof, line);
}

void csv_fast_free(csv_fast *s)
{
    free(s->fields);
    s->fields = NULL;
    s->cap = 0;
}

size_t csv_field_view(const csv_field *f, const char **p, bool *pairs)
{
    *pairs = false;
    const char *a = f->p, *b = f->p + f->len;
    if (f->raw && a < b && *a == '"') {
        /* the scanner vouched for it: a closing quote ends it */
        *p = a + 1;
        *pairs = f->pairs;
        return f->len - 2;
    }
    while (f->raw && a < b && is_blank((unsigned char)*a, (unsigned char)f->delimiter))
        a++;
    while (f->raw && b > a && is_blank((unsigned char)b[-1], (unsigned char)f->delimiter))
        b--;
    *p = a;
    return (size_t)(b - a);
}

size_t csv_field_unescape(const csv_field *f, char *out)
{
    const char *p;
    bool pairs;
    size_t len = csv_field_view(f, &p, &pairs);
    if (!pairs) {
        memmove(out, p, len);
        return len;
    }
    /* every quote inside is the first of a pair; out never runs ahead of
     * p, so it may be f->p itself */
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        out[n++] = p[i];
        if (p[i] == '"')
            i++;
    }
    return n;
}
