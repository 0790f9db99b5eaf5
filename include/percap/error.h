/* percap: error codes and messages that carry a position in a file. */
#ifndef PERCAP_ERROR_H
#define PERCAP_ERROR_H

#include <stddef.h>

#if defined(__GNUC__)
#define PERCAP_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PERCAP_PRINTF(fmt, args)
#endif

/* Status codes double as the command-line tool's exit statuses. */
typedef enum percap_status {
    PERCAP_OK = 0,
    PERCAP_EDATA = 1,  /* the input data is wrong: bad number, unknown region... */
    PERCAP_EUSAGE = 2, /* the caller asked for something impossible */
    PERCAP_EIO = 3,    /* a file could not be read or written */
    PERCAP_ENOMEM = 4  /* an allocation failed */
} percap_status;

#define PERCAP_ERROR_MSG_MAX 1024
#define PERCAP_ERROR_FILE_MAX 512

/* One error, with the place it was found when there is one (line and
 * column are 0 when unknown; column counts fields, from 1). */
typedef struct percap_error {
    percap_status code;
    char file[PERCAP_ERROR_FILE_MAX];
    long line;
    long column;
    char message[PERCAP_ERROR_MSG_MAX];
} percap_error;

void percap_error_clear(percap_error *err);

/* Records an error and returns its code, so callers can write
 * `return percap_error_set(err, ...)`. err may be NULL. */
percap_status percap_error_set(percap_error *err, percap_status code,
                               const char *file, long line, long column,
                               const char *fmt, ...) PERCAP_PRINTF(6, 7);

/* "FILE:LINE:COLUMN: message", leaving out the parts that are unknown. */
void percap_error_format(const percap_error *err, char *buf, size_t size);

const char *percap_status_name(percap_status code);

#endif
