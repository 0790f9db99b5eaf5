/* Shared by the libFuzzer targets: the input goes to a file (the loaders
 * read paths), the shipped registry is loaded once, and a violated
 * property aborts so that libFuzzer keeps the input. */
#ifndef PERCAP_FUZZ_COMMON_H
#define PERCAP_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "percap/percap.h"
#include "utf8.h"

#ifndef PERCAP_SOURCE_DIR
#define PERCAP_SOURCE_DIR "."
#endif

/* A property the code must keep: a failure is a finding, so it must be
 * loud and leave a reproducer (libFuzzer saves the input on abort). */
#define FUZZ_ASSERT(cond)                                                       \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "fuzz property violated at %s:%d: %s\n", __FILE__,  \
                    __LINE__, #cond);                                           \
            abort();                                                            \
        }                                                                       \
    } while (0)

/* /dev/shm keeps the per-input write off the disk; one name per process,
 * since libFuzzer's -jobs/-workers run several. */
static char fuzz_path[128];

static void fuzz_remove_file(void) { unlink(fuzz_path); }

static inline const char *fuzz_write_file(const uint8_t *data, size_t size)
{
    char *path = fuzz_path;
    if (!path[0]) {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(path, sizeof fuzz_path, "%s/percap-fuzz-%ld.csv", dir, (long)getpid());
        atexit(fuzz_remove_file);
    }
    FILE *fp = fopen(path, "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
        perror(path);
        abort();
    }
    return path;
}

/* A copy with a terminating NUL, for the string APIs. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

static inline percap_registry *fuzz_shipped_registry(void)
{
    static percap_registry *reg;
    if (!reg) {
        const char *path = getenv("PERCAP_REGIONS");
        percap_error err;
        reg = percap_registry_load(path && *path ? path
                                                 : PERCAP_SOURCE_DIR "/datasets/regions.csv",
                                   NULL, &err);
        if (!reg) {
            fprintf(stderr, "cannot load the registry: %s\n", err.message);
            abort();
        }
    }
    return reg;
}

/* Every error a loader returns must be one of the documented codes with
 * a message, and a position that is not negative. */
static inline void fuzz_check_error(percap_status st, const percap_error *err)
{
    FUZZ_ASSERT(st == PERCAP_EDATA || st == PERCAP_EUSAGE || st == PERCAP_EIO ||
                st == PERCAP_ENOMEM);
    FUZZ_ASSERT(err->code == st);
    FUZZ_ASSERT(err->message[0] != '\0');
    FUZZ_ASSERT(err->line >= 0 && err->column >= 0);
    char buf[PERCAP_ERROR_MSG_MAX + PERCAP_ERROR_FILE_MAX + 64];
    percap_error_format(err, buf, sizeof buf);
}

/* An optional first byte 0x01-0x07 holds option bits for the loaders,
 * so that plain CSV files serve as seeds unchanged and the fuzzer still
 * reaches the options by mutating one byte. */
static inline unsigned fuzz_flags(const uint8_t **data, size_t *size)
{
    if (*size == 0 || (*data)[0] < 0x01 || (*data)[0] > 0x07)
        return 0;
    unsigned f = (*data)[0];
    (*data)++;
    (*size)--;
    return f;
}

/* Bits 0-1 of the flags: the delimiter (detected, ',', ';', tab). */
static inline percap_csv_options fuzz_csv_options(unsigned flags)
{
    static const char delim[] = {0, ',', ';', '\t'};
    return (percap_csv_options){.delimiter = delim[flags & 3]};
}

/* Output of the writers must be text a reader can take: valid UTF-8 and
 * no NUL bytes. */
static inline void fuzz_check_text(const char *buf, size_t len)
{
    FUZZ_ASSERT(memchr(buf, '\0', len) == NULL);
    FUZZ_ASSERT(percap_utf8_valid(buf, len));
}

#endif
