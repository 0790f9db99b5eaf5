/* Advisory notes collected for the caller. */
#include "percap/notes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "utf8.h"

struct percap_notes {
    char **items;
    size_t n, cap;
};

percap_notes *percap_notes_alloc(void) { return calloc(1, sizeof(percap_notes)); }

void percap_notes_free(percap_notes *notes)
{
    if (!notes)
        return;
    for (size_t i = 0; i < notes->n; i++)
        free(notes->items[i]);
    free(notes->items);
    free(notes);
}

percap_status percap_notes_add(percap_notes *notes, const char *fmt, ...)
{
    if (!notes)
        return PERCAP_OK;
    if (notes->n == notes->cap) {
        size_t cap = notes->cap ? notes->cap * 2 : 8;
        char **items = realloc(notes->items, cap * sizeof *items);
        if (!items)
            return PERCAP_ENOMEM;
        notes->items = items;
        notes->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return PERCAP_ENOMEM;
    char *raw = malloc((size_t)len + 1);
    /* printable: control characters from data take four bytes each */
    char *s = raw ? malloc(4 * (size_t)len + 5) : NULL;
    if (!s) {
        free(raw);
        return PERCAP_ENOMEM;
    }
    va_start(ap, fmt);
    vsnprintf(raw, (size_t)len + 1, fmt, ap);
    va_end(ap);
    percap_utf8_printable(raw, s, 4 * (size_t)len + 5);
    free(raw);
    notes->items[notes->n++] = s;
    return PERCAP_OK;
}

size_t percap_notes_count(const percap_notes *notes) { return notes ? notes->n : 0; }
const char *percap_notes_get(const percap_notes *notes, size_t i) { return notes->items[i]; }
