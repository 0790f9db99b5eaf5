/* Internal: the error of a failed system call. A call that fails for
 * want of memory (fopen and fdopen allocate their buffers) is reported
 * like any other allocation failure, as out of memory (PERCAP_ENOMEM,
 * exit status 4), not as an I/O error. */
#ifndef PERCAP_SYS_ERROR_H
#define PERCAP_SYS_ERROR_H

#include <errno.h>
#include <string.h>

#include "percap/error.h"

/* `what` says what failed ("cannot open"); errno says why. */
static inline percap_status sys_error(percap_error *err, const char *file, const char *what)
{
    int e = errno;
    if (e == ENOMEM)
        return percap_error_set(err, PERCAP_ENOMEM, file, 0, 0, "out of memory (%s)", what);
    return percap_error_set(err, PERCAP_EIO, file, 0, 0, "%s: %s", what, strerror(e));
}

#endif
