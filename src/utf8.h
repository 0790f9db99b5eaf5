/* Internal: UTF-8 helpers shared by the CSV reader and the name normaliser. */
#ifndef PERCAP_UTF8_H
#define PERCAP_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool percap_utf8_valid(const char *s, size_t len);

/* Decodes one code point at s (well-formed input assumed); returns its
 * length in bytes, at least 1. */
size_t percap_utf8_decode(const char *s, uint32_t *cp);

/* Encodes cp into out (room for 4 bytes); returns the length. */
size_t percap_utf8_encode(uint32_t cp, char *out);

#endif
