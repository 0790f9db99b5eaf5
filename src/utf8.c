/* UTF-8 validation and decoding (RFC 3629). */
#include "utf8.h"

#include <limits.h>
#include <string.h>

bool percap_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t min;
        if ((c & 0xE0) == 0xC0) { n = 2; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { n = 3; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { n = 4; min = 0x10000; }
        else return false;
        if (i + n > len)
            return false;
        uint32_t cp = c & (0x7F >> n);
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n;
    }
    return true;
}

/* The printable form of the character `s` starts with, written into
 * piece (room for 4 bytes): its length, 0 for a byte to drop. *in_len is
 * how many bytes of s it stands for. */
static size_t printable_piece(const char *s, char *piece, size_t *in_len)
{
    unsigned char c = (unsigned char)s[0];
    *in_len = 1;
    if (c < 0x20 || c == 0x7F) {
        static const char hex[] = "0123456789abcdef";
        piece[0] = '\\';
        piece[1] = 'x';
        piece[2] = hex[c >> 4];
        piece[3] = hex[c & 15];
        return 4;
    }
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    size_t have = 1;
    while (have < n && s[have] != '\0')
        have++; /* never past the terminator */
    if (have < n || !percap_utf8_valid(s, n))
        return 0;
    memcpy(piece, s, n);
    *in_len = n;
    return n;
}

size_t percap_utf8_printable(const char *in, char *out, size_t size)
{
    size_t used = 0, fits = 0; /* fits: where "..." can still go */
    for (size_t i = 0, in_len; in[i] != '\0'; i += in_len) {
        char piece[4];
        size_t n = printable_piece(in + i, piece, &in_len);
        if (used + n > size - 1) {
            memcpy(out + fits, "...", 4);
            return fits + 3;
        }
        memcpy(out + used, piece, n);
        used += n;
        if (used + 3 <= size - 1)
            fits = used;
    }
    out[used] = '\0';
    return used;
}

int percap_utf8_prefix(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    if (s[n] != '\0')
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--; /* s[n] continues a character: leave all of it out */
    return n > INT_MAX ? INT_MAX : (int)n;
}

size_t percap_utf8_decode(const char *str, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : 4;
    uint32_t v = n == 1 ? s[0] : s[0] & (0x7F >> n);
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return k;
        }
        v = (v << 6) | (s[k] & 0x3F);
    }
    *cp = v;
    return n;
}

size_t percap_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}
