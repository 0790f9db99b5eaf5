/* Internal: the names of an enum's values, for parsing options and
 * printing settings. Every module with a named enum uses these two. */
#ifndef PERCAP_ENUM_NAMES_H
#define PERCAP_ENUM_NAMES_H

#include <stddef.h>
#include <string.h>

/* Index of `name` among names[0..n), or -1 (also for NULL). */
static inline int enum_names_find(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

/* names[value], or "unknown" when out of range. */
static inline const char *enum_names_get(const char *const *names, size_t n, unsigned value)
{
    return value < n ? names[value] : "unknown";
}

#endif
