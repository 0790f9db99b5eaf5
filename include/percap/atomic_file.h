/* percap: output files that appear whole or not at all. The file is
 * written under a temporary name beside the target and renamed over it
 * only once every byte has reached the disk, so a failed run leaves no
 * half-written table behind. */
#ifndef PERCAP_ATOMIC_FILE_H
#define PERCAP_ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "percap/error.h"

typedef struct percap_atomic_file percap_atomic_file;

/* Opens a temporary file for `path`; "-" means standard output, which is
 * written directly (and flushed and checked on commit). */
percap_atomic_file *percap_atomic_open(const char *path, percap_error *err);

FILE *percap_atomic_stream(percap_atomic_file *file);

/* Whether the commit waits for the bytes to reach the disk before the
 * rename (yes unless told otherwise). A caller that writes many files
 * may say no and sync them all at once (syncfs) before it relies on
 * them: a crash can then leave an empty file under the final name. */
void percap_atomic_set_sync(percap_atomic_file *file, bool sync);

/* Flushes, syncs (see above) and closes the temporary file, checking
 * every write, but leaves it under its temporary name: for a caller that
 * makes several files durable at once (one syncfs) before any of them
 * replaces an older one. Then percap_atomic_commit only renames; after a
 * failure, percap_atomic_abort. Standard output is only flushed. */
percap_status percap_atomic_close(percap_atomic_file *file, percap_error *err);

/* Closes as above (if not closed yet) and renames; on any failure
 * removes the temporary file and reports the error. Frees `file` in
 * every case. */
percap_status percap_atomic_commit(percap_atomic_file *file, percap_error *err);

/* Removes the temporary file; frees `file`. NULL is allowed. */
void percap_atomic_abort(percap_atomic_file *file);

#endif
