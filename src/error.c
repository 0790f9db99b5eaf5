/* Error records: every failure carries a code, and where known the file,
 * line and field it came from, so the user can go straight to the cell. */
#include "percap/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

void percap_error_clear(percap_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

percap_status percap_error_set(percap_error *err, percap_status code,
                               const char *file, long line, long column,
                               const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->line = line;
    err->column = column;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    /* messages quote data (names, cells), which may be long or hold
     * control characters: formatted with room to spare, then made
     * printable and cut between characters */
    char raw[4 * sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    percap_utf8_printable(raw, err->message, sizeof err->message);
    return code;
}

void percap_error_format(const percap_error *err, char *buf, size_t size)
{
    if (size == 0)
        return;
    buf[0] = '\0';
    if (!err)
        return;
    int n = 0;
    if (err->file[0] && err->line > 0 && err->column > 0)
        n = snprintf(buf, size, "%s:%ld:%ld: ", err->file, err->line, err->column);
    else if (err->file[0] && err->line > 0)
        n = snprintf(buf, size, "%s:%ld: ", err->file, err->line);
    else if (err->file[0])
        n = snprintf(buf, size, "%s: ", err->file);
    if (n < 0 || (size_t)n >= size)
        return;
    snprintf(buf + n, size - (size_t)n, "%s", err->message);
}

const char *percap_status_name(percap_status code)
{
    switch (code) {
    case PERCAP_OK: return "ok";
    case PERCAP_EDATA: return "bad data";
    case PERCAP_EUSAGE: return "bad usage";
    case PERCAP_EIO: return "input/output error";
    case PERCAP_ENOMEM: return "out of memory";
    }
    return "unknown error";
}
