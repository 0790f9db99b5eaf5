/* Internal: the block loop of the fast CSV scanner, included twice by
 * csv_fast.c -- once compiled for AVX2, once portable -- with
 *   K(name)      the name with this kernel's suffix,
 *   KATTR        the function attributes (the target),
 *   KERNEL_AVX2  1 or 0.
 * Only the block classifier and the UTF-8 check differ; the rest is
 * written once so the two cannot drift apart. */

#if KERNEL_AVX2

typedef struct K(state) {
    __m256i a, b;      /* the block's two halves */
    __m256i prev;      /* the previous block's second half */
    bool pending;      /* the previous block ended in a multi-byte lead */
    __m256i quote, delim, lf, cr, zero;
} K(state);

KATTR static inline void K(init)(K(state) *st, char delim)
{
    st->prev = _mm256_setzero_si256();
    st->pending = false;
    st->quote = _mm256_set1_epi8('"');
    st->delim = _mm256_set1_epi8(delim);
    st->lf = _mm256_set1_epi8('\n');
    st->cr = _mm256_set1_epi8('\r');
    st->zero = _mm256_setzero_si256();
}

KATTR static inline uint64_t K(eq)(const K(state) *st, __m256i c)
{
    uint32_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(st->a, c));
    uint32_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(st->b, c));
    return lo | ((uint64_t)hi << 32);
}

KATTR static inline void K(classify)(K(state) *st, const char *p, block *m)
{
    st->a = _mm256_loadu_si256((const __m256i *)(const void *)p);
    st->b = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    m->quote = K(eq)(st, st->quote);
    m->delim = K(eq)(st, st->delim);
    m->lf = K(eq)(st, st->lf);
    m->cr = K(eq)(st, st->cr);
    m->nul = K(eq)(st, st->zero);
    m->high = (uint32_t)_mm256_movemask_epi8(st->a) |
              ((uint64_t)(uint32_t)_mm256_movemask_epi8(st->b) << 32);
}

/* UTF-8 validation by table lookups on the high and low nibbles of each
 * byte and the one before it (J. Keiser and D. Lemire, "Validating UTF-8
 * in less than one instruction per byte", 2021, the "lookup4" tables of
 * simdjson), plus the rule that the two or three bytes after a three- or
 * four-byte lead are continuations. Nonzero bytes in the result are
 * errors; a sequence cut short by the block's end shows in the next
 * block, and at the end of the input in the LF of the padding. */
enum {
    U8_TOO_SHORT = 1 << 0, U8_TOO_LONG = 1 << 1, U8_OVERLONG_3 = 1 << 2,
    U8_TOO_LARGE = 1 << 3, U8_SURROGATE = 1 << 4, U8_OVERLONG_2 = 1 << 5,
    U8_TOO_LARGE_1000 = 1 << 6, U8_OVERLONG_4 = 1 << 6, U8_TWO_CONTS = 1 << 7,
    U8_CARRY = U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS
};

#define U8_TABLE(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)

KATTR static inline __m256i K(utf8_errors)(__m256i in, __m256i prev)
{
    const __m256i nib = _mm256_set1_epi8(0x0F);
    __m256i carried = _mm256_permute2x128_si256(prev, in, 0x21);
    __m256i prev1 = _mm256_alignr_epi8(in, carried, 15);
    __m256i prev2 = _mm256_alignr_epi8(in, carried, 14);
    __m256i prev3 = _mm256_alignr_epi8(in, carried, 13);
    const __m256i t1 = U8_TABLE(
        U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
        U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
        U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS,
        U8_TOO_SHORT | U8_OVERLONG_2,
        U8_TOO_SHORT,
        U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,
        U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4);
    const __m256i t2 = U8_TABLE(
        U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4,
        U8_CARRY | U8_OVERLONG_2,
        U8_CARRY,
        U8_CARRY,
        U8_CARRY | U8_TOO_LARGE,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_SURROGATE,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
        U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000);
    const __m256i t3 = U8_TABLE(
        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
        U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE_1000 |
            U8_OVERLONG_4,
        U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE,
        U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,
        U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,
        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT);
    __m256i b1h = _mm256_shuffle_epi8(t1, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nib));
    __m256i b1l = _mm256_shuffle_epi8(t2, _mm256_and_si256(prev1, nib));
    __m256i b2h = _mm256_shuffle_epi8(t3, _mm256_and_si256(_mm256_srli_epi16(in, 4), nib));
    __m256i special = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
    __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
    __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
    __m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth),
                                      _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must23, special);
}

KATTR static inline bool K(utf8_bad)(K(state) *st, const char *p, const block *m)
{
    (void)p;
    bool bad = false;
    /* all-ASCII blocks after a complete sequence cannot be wrong */
    if (m->high || st->pending) {
        __m256i e = _mm256_or_si256(K(utf8_errors)(st->a, st->prev),
                                    K(utf8_errors)(st->b, st->a));
        bad = !_mm256_testz_si256(e, e);
    }
    st->prev = st->b;
    st->pending = (m->high >> 61) != 0;
    return bad;
}

#else /* portable */

typedef struct K(state) {
    char delim;
    unsigned need;            /* continuation bytes still expected */
    unsigned char lo, hi;     /* range of the next one */
} K(state);

KATTR static inline void K(init)(K(state) *st, char delim)
{
    st->delim = delim;
    st->need = 0;
    st->lo = 0x80;
    st->hi = 0xBF;
}

KATTR static inline void K(classify)(K(state) *st, const char *p, block *m)
{
    uint64_t q = 0, d = 0, n = 0, c = 0, z = 0, h = 0;
    for (unsigned i = 0; i < 64; i++) {
        unsigned char x = (unsigned char)p[i];
        uint64_t bit = (uint64_t)1 << i;
        q |= x == '"' ? bit : 0;
        d |= x == (unsigned char)st->delim ? bit : 0;
        n |= x == '\n' ? bit : 0;
        c |= x == '\r' ? bit : 0;
        z |= x == 0 ? bit : 0;
        h |= x >= 0x80 ? bit : 0;
    }
    *m = (block){.quote = q, .delim = d, .lf = n, .cr = c, .nul = z, .high = h};
}

/* RFC 3629 as a state machine: the same language as percap_utf8_valid,
 * but fed a byte at a time so sequences may cross blocks. */
KATTR static inline bool K(utf8_byte)(K(state) *st, unsigned char x)
{
    if (st->need) {
        if (x < st->lo || x > st->hi)
            return false;
        st->need--;
        st->lo = 0x80;
        st->hi = 0xBF;
        return true;
    }
    if (x < 0x80)
        return true;
    if (x >= 0xC2 && x <= 0xDF)
        st->need = 1;
    else if (x >= 0xE0 && x <= 0xEF)
        st->need = 2;
    else if (x >= 0xF0 && x <= 0xF4)
        st->need = 3;
    else
        return false;
    if (x == 0xE0)
        st->lo = 0xA0;       /* overlong */
    else if (x == 0xED)
        st->hi = 0x9F;       /* surrogates */
    else if (x == 0xF0)
        st->lo = 0x90;       /* overlong */
    else if (x == 0xF4)
        st->hi = 0x8F;       /* above U+10FFFF */
    return true;
}

KATTR static inline bool K(utf8_bad)(K(state) *st, const char *p, const block *m)
{
    if (!m->high && !st->need)
        return false;
    for (unsigned i = 0; i < 64; i++)
        if (!K(utf8_byte)(st, (unsigned char)p[i]))
            return true;
    return false;
}

#endif

/* The row that ends at the LF at `pos`: its last field, and the row to
 * the callback unless it is a blank line. False if the callback said
 * stop (s->status). */
KATTR static inline bool K(end_row)(csv_fast *s, char *buf, size_t field_start, size_t pos,
                                    size_t nf, bool pairs, long row_line)
{
    /* a CR before the LF ended the row for libcsv */
    size_t fe = pos > field_start && buf[pos - 1] == '\r' ? pos - 1 : pos;
    s->fields[nf] = (csv_field){.p = buf + field_start, .len = fe - field_start, .raw = true,
                                .pairs = pairs, .delimiter = s->delimiter};
    if (nf == 0) {
        const char *v;
        bool any;
        if (csv_field_view(&s->fields[0], &v, &any) == 0 && buf[field_start] != '"')
            return true; /* a blank line */
    }
    s->rows++;
    percap_status r = s->fn(s->ctx, s->fields, nf + 1, row_line, s->err);
    s->status = r;
    return r == PERCAP_OK;
}

/* The block loop: see csv_fast.h for what it accepts. */
KATTR static csv_stop K(scan)(csv_fast *s, char *buf, size_t start, size_t end, bool at_eof,
                              long line)
{
    /* events at or past stop_at are not trusted: past the end of the
     * input, or (mid-input) next to bytes not read yet */
    const size_t stop_at = at_eof ? end + 1 : (end > start + 1 ? end - 1 : start);
    const unsigned char delim = (unsigned char)s->delimiter;
    K(state) st;
    K(init)(&st, s->delimiter);
    size_t row_start = start, field_start = start, nf = 0;
    bool field_pairs = false; /* the field being read holds "" */
    long row_line = line;
    uint64_t in_carry = 0, prev_sepq = 1; /* a row start counts as after an LF */
    for (size_t base = start; base < stop_at; base += 64) {
        block m;
        K(classify)(&st, buf + base, &m);
        if (K(utf8_bad)(&st, buf + base, &m))
            return scan_stop(s, !at_eof && base + 64 > end ? CSV_STOP_MORE : CSV_STOP_FALLBACK,
                             row_start, row_line);
        uint64_t in = prefix_xor(m.quote) ^ in_carry;
        in_carry = (uint64_t)((int64_t)in >> 63);
        uint64_t sepq = m.delim | m.lf | m.quote;
        uint64_t prevok = (sepq << 1) | prev_sepq;
        prev_sepq = sepq >> 63;
        unsigned char nb = (unsigned char)buf[base + 64];
        uint64_t nb_lf = nb == '\n';
        uint64_t nb_ok = nb == delim || nb == '\n' || nb == '\r' || nb == '"';
        uint64_t nextok = ((sepq | m.cr) >> 1) | (nb_ok << 63);
        uint64_t lone_cr = m.cr & ~in & ~((m.lf >> 1) | (nb_lf << 63));
        /* an opening quote must follow a field's start or a closing
         * quote (""), a closing quote must precede a field's end or an
         * opening quote */
        uint64_t bad = (m.quote & in & ~prevok) | (m.quote & ~in & ~nextok) | lone_cr | m.nul;
        uint64_t rowend = m.lf & ~in;
        uint64_t fieldend = (m.delim & ~in) | rowend;
        uint64_t lf_in = m.lf & in;
        /* "" inside quotes: a closing quote with an opening one next */
        uint64_t pairs = m.quote & ~in & (((m.quote & in) >> 1) | ((uint64_t)(nb == '"') << 63));
        if (!fields_room(s, nf, 65))
            return scan_stop(s, CSV_STOP_NOMEM, row_start, row_line);
        if (!(bad | lf_in | pairs) && !field_pairs && base + 64 <= stop_at) {
            /* the usual block: ends of fields and rows, nothing else */
            for (uint64_t ev = fieldend; ev; ev &= ev - 1) {
                size_t pos = base + (unsigned)__builtin_ctzll(ev);
                if (!(rowend & (ev & -ev))) {
                    s->fields[nf++] = (csv_field){.p = buf + field_start,
                                                  .len = pos - field_start, .raw = true,
                                                  .delimiter = s->delimiter};
                    field_start = pos + 1;
                    continue;
                }
                if (!K(end_row)(s, buf, field_start, pos, nf, false, row_line))
                    return scan_stop(s, CSV_STOP_STATUS, pos + 1, line + 1);
                nf = 0;
                row_start = field_start = pos + 1;
                row_line = ++line;
                if (row_start >= s->limit)
                    return scan_stop(s, CSV_STOP_LIMIT, row_start, row_line);
            }
            continue;
        }
        for (uint64_t ev = fieldend | lf_in | bad | pairs; ev; ev &= ev - 1) {
            unsigned i = (unsigned)__builtin_ctzll(ev);
            size_t pos = base + i;
            uint64_t bit = (uint64_t)1 << i;
            if (pos >= stop_at)
                break;
            if (bad & bit)
                return scan_stop(s, CSV_STOP_FALLBACK, row_start, row_line);
            if (lf_in & bit) {
                line++;
                continue;
            }
            if (pairs & bit) {
                field_pairs = true;
                continue;
            }
            if (!(rowend & bit)) {
                s->fields[nf++] = (csv_field){.p = buf + field_start, .len = pos - field_start,
                                              .raw = true, .pairs = field_pairs,
                                              .delimiter = s->delimiter};
                field_start = pos + 1;
                field_pairs = false;
                continue;
            }
            if (!K(end_row)(s, buf, field_start, pos, nf, field_pairs, row_line))
                return scan_stop(s, CSV_STOP_STATUS, pos + 1, line + 1);
            field_pairs = false;
            nf = 0;
            row_start = field_start = pos + 1;
            row_line = ++line;
            if (row_start >= s->limit)
                return scan_stop(s, CSV_STOP_LIMIT, row_start, row_line);
        }
    }
    if (at_eof && row_start > end)
        return scan_stop(s, CSV_STOP_DONE, row_start, row_line);
    return scan_stop(s, at_eof ? CSV_STOP_FALLBACK : CSV_STOP_MORE, row_start, row_line);
}
