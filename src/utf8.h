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

/* How many bytes of s to quote so that at most `max` are taken and no
 * character is cut: for "%.*s" (with "..." after it when less than all). */
int percap_utf8_prefix(const char *s, size_t max);

/* Copies the NUL-terminated `in` into `out` (size > 4 bytes) as text fit
 * for a terminal or a log, for messages that quote data: control
 * characters become \xNN (a name must not move the cursor or clear the
 * screen), bytes that are not UTF-8 (a character cut by a printf
 * precision) are dropped, and text that does not fit is cut between two
 * characters and ends in "...". Returns the length written. */
size_t percap_utf8_printable(const char *in, char *out, size_t size);

#endif
