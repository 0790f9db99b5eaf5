/* percap: notes for the user. The library never prints; what it chose
 * (which column holds regions, how many rows it dropped and why) is
 * collected here and the caller decides where it goes. */
#ifndef PERCAP_NOTES_H
#define PERCAP_NOTES_H

#include <stddef.h>

#include "percap/error.h"

typedef struct percap_notes percap_notes;

percap_notes *percap_notes_alloc(void);
void percap_notes_free(percap_notes *notes);

/* Adds a note; a NULL `notes` discards it. Returns PERCAP_ENOMEM only
 * if memory ran out, which callers may ignore: notes are advisory. */
percap_status percap_notes_add(percap_notes *notes, const char *fmt, ...)
    PERCAP_PRINTF(2, 3);

size_t percap_notes_count(const percap_notes *notes);
const char *percap_notes_get(const percap_notes *notes, size_t i);

#endif
