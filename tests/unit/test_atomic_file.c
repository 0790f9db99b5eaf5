/* Tests of percap/atomic_file.h: an output file appears whole on commit
 * or not at all, and every failure is reported.
 *
 * Each test works in its own empty directory under a private mkdtemp
 * directory, so "nothing is left behind" can be checked by listing it.
 *
 * Write errors. The obvious device, /dev/full, cannot be used as a
 * target path: the temporary file would be created beside it, in /dev,
 * and the final step is a rename over a device node, so the test would
 * exercise neither the write error nor a sane directory. Instead:
 *   - a real write error on a real temporary file comes from
 *     RLIMIT_FSIZE (with SIGXFSZ ignored, write() fails with EFBIG),
 *     set in a forked child so the limit cannot leak into other tests;
 *   - "-" (standard output, written directly) is pointed at /dev/full
 *     in a forked child with dup2, which is exactly the `percap ... > 
 *     /dev/full` case;
 *   - a failing rename comes from a target that is a directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "percap/atomic_file.h"

#include "test_util.h"

/* ---- helpers ---------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    return test_make_dir("atomic");
}

static int group_teardown(void **state)
{
    (void)state;
    test_remove_tree(test_dir());
    return 0;
}

/* A new empty directory for one test; returns its path. */
static const char *fresh_dir(const char *name)
{
    const char *path = test_path(name);
    assert_int_equal(mkdir(path, 0700), 0);
    return path;
}

static const char *join(const char *dir, const char *name)
{
    static char paths[8][PATH_MAX];
    static unsigned next;
    char *p = paths[next++ % 8];
    char whole[PATH_MAX]; /* not in p: `dir` may be an earlier result */
    int n = snprintf(whole, sizeof whole, "%s/%s", dir, name);
    assert_true(n > 0 && n < PATH_MAX); /* a cut path would test another file */
    memcpy(p, whole, (size_t)n + 1);
    return p;
}

/* The entries of `dir`, sorted, space-separated ("" when empty). */
static const char *listing(const char *dir)
{
    static char out[4096];
    char names[32][256];
    size_t n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 32)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    closedir(d);
    for (size_t i = 1; i < n; i++) /* insertion sort: a handful of names */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[256];
            memcpy(t, names[j], sizeof t);
            memcpy(names[j], names[j - 1], sizeof t);
            memcpy(names[j - 1], t, sizeof t);
        }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(out, i ? " " : "");
        strcat(out, names[i]);
    }
    return out;
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* The whole file, or NULL if it cannot be opened; caller frees. */
static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int c;
    while ((c = fgetc(fp)) != EOF) {
        if (len + 1 >= cap) {
            cap = cap ? cap * 2 : 256;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        buf[len++] = (char)c;
    }
    fclose(fp);
    if (!buf)
        buf = calloc(1, 1);
    else
        buf[len] = '\0';
    return buf;
}

static void assert_file_text(const char *path, const char *want)
{
    char *got = read_text(path);
    if (!got)
        fail_msg("%s cannot be read: %s", path, strerror(errno));
    if (strcmp(got, want) != 0)
        fail_msg("%s holds \"%s\", expected \"%s\"", path, got, want);
    free(got);
}

static void assert_absent(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 || errno != ENOENT)
        fail_msg("%s exists", path);
}

/* Runs `fn` in a child process; the child's exit status is 0 on success
 * or the number of the check that failed, reported here. */
static void run_in_child(int (*fn)(const char *), const char *arg, const char *what)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(fn(arg));
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status))
        fail_msg("%s: child did not exit normally (status 0x%x)", what, status);
    if (WEXITSTATUS(status) != 0)
        fail_msg("%s: check %d failed in the child", what, WEXITSTATUS(status));
}

/* An atomic file for `path`, or the test fails; `sync` as
 * percap_atomic_set_sync. */
static percap_atomic_file *opened(const char *path, bool sync)
{
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = percap_atomic_open(path, &err);
    if (!f)
        fail_msg("cannot open %s: %s", path, err.message);
    percap_atomic_set_sync(f, sync);
    return f;
}

/* ---- commit and abort -------------------------------------------------- */

/* Before commit the target does not exist, only a temporary file beside
 * it (same directory, so the rename is atomic); after commit the target
 * holds everything written and the temporary file is gone. */
static void file_appears_only_on_commit(void **state)
{
    (void)state;
    const char *dir = fresh_dir("commit");
    const char *path = join(dir, "rates.csv");
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = opened(path, true);
    FILE *fp = percap_atomic_stream(f);
    assert_non_null(fp);
    fputs("rank,region_code\n1,RU-TY\n", fp);
    fflush(fp); /* even flushed bytes must not show under the final name */
    assert_absent(path);
    const char *ls = listing(dir);
    if (strncmp(ls, "rates.csv.tmp.", 14) != 0 || strchr(ls, ' '))
        fail_msg("before commit the directory holds \"%s\"", ls);
    assert_int_equal(percap_atomic_commit(f, &err), PERCAP_OK);
    assert_file_text(path, "rank,region_code\n1,RU-TY\n");
    assert_string_equal(listing(dir), "rates.csv");
}

/* An existing file keeps its old content until the commit, then holds
 * only the new content. */
static void commit_replaces_existing_file(void **state)
{
    (void)state;
    const char *dir = fresh_dir("replace");
    const char *path = join(dir, "out.csv");
    write_text(path, "old table that is longer than the new one\n");
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = percap_atomic_open(path, &err);
    assert_non_null(f);
    fputs("new\n", percap_atomic_stream(f));
    assert_file_text(path, "old table that is longer than the new one\n");
    assert_int_equal(percap_atomic_commit(f, &err), PERCAP_OK);
    assert_file_text(path, "new\n");
    assert_string_equal(listing(dir), "out.csv");
}

/* Writes `text` to `path` through the atomic file and commits. */
static void write_atomically(const char *path, const char *text)
{
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = opened(path, true);
    fputs(text, percap_atomic_stream(f));
    assert_int_equal(percap_atomic_commit(f, &err), PERCAP_OK);
}

/* A fresh folder `name` with a subfolder "tables" (returned in *sub). */
static const char *dir_with_tables(const char *name, const char **sub)
{
    const char *dir = fresh_dir(name);
    *sub = join(dir, "tables");
    assert_int_equal(mkdir(*sub, 0700), 0);
    return dir;
}

static void assert_is_link(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
}

/* -o through a symbolic link writes the file it points to, beside that
 * file, and the link stays a link (it used to be replaced by a file,
 * leaving the target stale). */
static void commit_writes_through_symlink(void **state)
{
    (void)state;
    const char *sub;
    const char *dir = dir_with_tables("symlink", &sub);
    const char *target = join(sub, "real.csv");
    write_text(target, "old\n");
    const char *link = join(dir, "out.csv");
    assert_int_equal(symlink("tables/real.csv", link), 0);
    write_atomically(link, "new\n");
    assert_is_link(link);
    assert_file_text(target, "new\n");
    assert_string_equal(listing(sub), "real.csv");
    assert_string_equal(listing(dir), "out.csv tables");
}

/* A link whose target does not exist yet (through a second link, with
 * relative targets) is written through too: the target is created and
 * both links stay links, as with a shell's `>`. */
static void commit_creates_dangling_link_target(void **state)
{
    (void)state;
    const char *sub;
    const char *dir = dir_with_tables("dangling", &sub);
    assert_int_equal(symlink("real.csv", join(sub, "hop.csv")), 0);
    const char *link = join(dir, "out.csv");
    assert_int_equal(symlink("tables/hop.csv", link), 0);
    write_atomically(link, "new\n");
    assert_is_link(link);
    assert_file_text(join(sub, "real.csv"), "new\n");
    assert_string_equal(listing(sub), "hop.csv real.csv");
    assert_string_equal(listing(dir), "out.csv tables");
}

/* A loop of links is no file to write through: the link itself is
 * replaced, as before links were followed, rather than spinning. */
static void link_loop_is_replaced(void **state)
{
    (void)state;
    const char *dir = fresh_dir("loop");
    const char *a = join(dir, "a.csv");
    assert_int_equal(symlink("b.csv", a), 0);
    assert_int_equal(symlink("a.csv", join(dir, "b.csv")), 0);
    write_atomically(a, "x\n");
    assert_file_text(a, "x\n");
}

/* Closed but not committed, the file is whole under its temporary name
 * and the old target untouched; commit then only renames, abort removes
 * it (percap reproduce syncs both of its last files at once between). */
static void close_then_commit_or_abort(void **state)
{
    (void)state;
    const char *dir = fresh_dir("close");
    const char *path = join(dir, "report.md");
    write_text(path, "old\n");
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = opened(path, false);
    fputs("new\n", percap_atomic_stream(f));
    assert_int_equal(percap_atomic_close(f, &err), PERCAP_OK);
    assert_file_text(path, "old\n");
    const char *ls = listing(dir);
    if (strncmp(ls, "report.md report.md.tmp.", 24) != 0)
        fail_msg("after close the directory holds \"%s\"", ls);
    assert_int_equal(percap_atomic_close(f, &err), PERCAP_OK); /* twice is harmless */
    assert_int_equal(percap_atomic_commit(f, &err), PERCAP_OK);
    assert_file_text(path, "new\n");
    assert_string_equal(listing(dir), "report.md");

    f = opened(path, true);
    fputs("newer\n", percap_atomic_stream(f));
    assert_int_equal(percap_atomic_close(f, &err), PERCAP_OK);
    percap_atomic_abort(f);
    assert_file_text(path, "new\n");
    assert_string_equal(listing(dir), "report.md");
}

/* Abort removes the temporary file and leaves an existing target as it
 * was: a failed run changes nothing. */
static void abort_leaves_nothing(void **state)
{
    (void)state;
    const char *dir = fresh_dir("abort");
    const char *fresh = join(dir, "new.csv");
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = percap_atomic_open(fresh, &err);
    assert_non_null(f);
    fputs("half a table", percap_atomic_stream(f));
    percap_atomic_abort(f);
    assert_string_equal(listing(dir), "");

    const char *old = join(dir, "old.csv");
    write_text(old, "keep me\n");
    f = percap_atomic_open(old, &err);
    assert_non_null(f);
    fputs("half a table", percap_atomic_stream(f));
    percap_atomic_abort(f);
    assert_file_text(old, "keep me\n");
    assert_string_equal(listing(dir), "old.csv");

    percap_atomic_abort(NULL); /* documented as allowed */
}

/* A large output arrives byte for byte (several stdio buffers' worth). */
static void large_output_is_complete(void **state)
{
    (void)state;
    const char *dir = fresh_dir("large");
    const char *path = join(dir, "big.csv");
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = percap_atomic_open(path, &err);
    assert_non_null(f);
    for (int i = 0; i < 50000; i++)
        fprintf(percap_atomic_stream(f), "%d,RU-%05d\n", i, i);
    assert_int_equal(percap_atomic_commit(f, &err), PERCAP_OK);
    char *text = read_text(path);
    assert_non_null(text);
    size_t lines = 0;
    for (char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 50000);
    assert_non_null(strstr(text, "\n49999,RU-49999\n"));
    free(text);
}

/* The committed file gets the mode a plain fopen would give (0666 less
 * the umask), not mkstemp's private 0600. */
static void committed_file_mode_follows_umask(void **state)
{
    (void)state;
    const char *dir = fresh_dir("mode");
    static const struct { mode_t mask, mode; } cases[] = {{022, 0644}, {027, 0640}, {0, 0666}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "m%zu.csv", i);
        const char *path = join(dir, name);
        mode_t old = umask(cases[i].mask);
        percap_error err;
        percap_error_clear(&err);
        percap_atomic_file *f = percap_atomic_open(path, &err);
        percap_status st = f ? percap_atomic_commit(f, &err) : PERCAP_EIO;
        umask(old);
        assert_int_equal(st, PERCAP_OK);
        struct stat sb;
        assert_int_equal(stat(path, &sb), 0);
        if ((sb.st_mode & 0777) != cases[i].mode)
            fail_msg("umask %03o: mode %03o, expected %03o", (unsigned)cases[i].mask,
                     (unsigned)(sb.st_mode & 0777), (unsigned)cases[i].mode);
    }
}

/* ---- failures ------------------------------------------------------------ */

/* A directory that does not exist: no file can be created, and the
 * error is an I/O error naming the path and the reason. */
static void open_in_missing_directory_is_io_error(void **state)
{
    (void)state;
    const char *path = join(test_dir(), "no-such-dir/out.csv");
    percap_error err;
    percap_error_clear(&err);
    assert_null(percap_atomic_open(path, &err));
    assert_int_equal(err.code, PERCAP_EIO);
    assert_string_equal(err.file, path);
    if (!strstr(err.message, strerror(ENOENT)))
        fail_msg("message \"%s\" does not give the reason", err.message);
}

/* A rename that fails (the target is a directory) is reported, the
 * temporary file is removed, and the directory is left alone. */
static void failed_rename_reports_and_cleans_up(void **state)
{
    (void)state;
    const char *dir = fresh_dir("rename");
    const char *path = join(dir, "out");
    assert_int_equal(mkdir(path, 0700), 0);
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = percap_atomic_open(path, &err);
    assert_non_null(f);
    fputs("data\n", percap_atomic_stream(f));
    assert_int_equal(percap_atomic_commit(f, &err), PERCAP_EIO);
    assert_string_equal(err.file, path);
    assert_string_equal(listing(dir), "out");
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
}

/* In the child: the file system refuses the data (file size limit).
 * Commit must fail with an I/O error, and leave neither the target nor
 * the temporary file. */
static bool child_sync = true;

static int child_write_error(const char *dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_FSIZE, &rl) != 0)
        return 1;
    rl.rlim_cur = 4096;
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
        return 2;
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = percap_atomic_open(path, &err);
    if (!f)
        return 3;
    percap_atomic_set_sync(f, child_sync);
    for (int i = 0; i < 10000; i++)
        fprintf(percap_atomic_stream(f), "%d,some region,%d\n", i, i * 7);
    if (percap_atomic_commit(f, &err) != PERCAP_EIO)
        return 4;
    if (strcmp(err.file, path) != 0)
        return 5;
    if (!strstr(err.message, "write error"))
        return 6;
    if (access(path, F_OK) == 0)
        return 7;
    DIR *d = opendir(dir);
    if (!d)
        return 8;
    struct dirent *e;
    int left = 0;
    while ((e = readdir(d)) != NULL)
        left += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return left ? 9 : 0;
}

static void write_error_reports_and_leaves_nothing(void **state)
{
    (void)state;
    child_sync = true;
    run_in_child(child_write_error, fresh_dir("fsize"), "write past RLIMIT_FSIZE");
}

/* Without the sync (percap reproduce syncs once for all its files) the
 * commit still checks every write and renames only a whole file. */
static void unsynced_write_error_reports_and_leaves_nothing(void **state)
{
    (void)state;
    child_sync = false;
    run_in_child(child_write_error, fresh_dir("fsize_nosync"),
                 "write past RLIMIT_FSIZE, unsynced");
}

static void unsynced_file_appears_only_on_commit(void **state)
{
    (void)state;
    const char *dir = fresh_dir("nosync");
    const char *path = join(dir, "rates.csv");
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = opened(path, false);
    fputs("rank,region_code\n1,RU-TY\n", percap_atomic_stream(f));
    assert_absent(path);
    assert_int_equal(percap_atomic_commit(f, &err), PERCAP_OK);
    assert_file_text(path, "rank,region_code\n1,RU-TY\n");
    assert_string_equal(listing(dir), "rates.csv");
}

/* In the child: standard output is /dev/full. "-" writes to stdout
 * directly; commit must flush, see ENOSPC and report it. */
static int child_stdout_full(const char *unused)
{
    (void)unused;
    int fd = open("/dev/full", O_WRONLY);
    if (fd < 0)
        return 0; /* no /dev/full here: nothing to test (checked by the parent) */
    if (dup2(fd, STDOUT_FILENO) < 0)
        return 1;
    close(fd);
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = percap_atomic_open("-", &err);
    if (!f)
        return 2;
    if (percap_atomic_stream(f) != stdout)
        return 3;
    fputs("rank,region_code\n", stdout);
    if (percap_atomic_commit(f, &err) != PERCAP_EIO)
        return 4;
    if (!strstr(err.message, strerror(ENOSPC)))
        return 5;
    return 0;
}

static void stdout_write_error_is_reported(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        skip();
    run_in_child(child_stdout_full, NULL, "stdout on /dev/full");
}

/* In the child: standard output is a file. "-" commits without error,
 * creates no temporary file, and leaves stdout open for more output. */
static int child_stdout_ok(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
        return 1;
    close(fd);
    percap_error err;
    percap_error_clear(&err);
    percap_atomic_file *f = percap_atomic_open("-", &err);
    if (!f)
        return 2;
    fputs("table\n", percap_atomic_stream(f));
    if (percap_atomic_commit(f, &err) != PERCAP_OK)
        return 3;
    if (fputs("after\n", stdout) < 0 || fflush(stdout) != 0)
        return 4;
    return 0;
}

static void stdout_dash_writes_directly(void **state)
{
    (void)state;
    const char *dir = fresh_dir("stdout");
    const char *path = join(dir, "captured.txt");
    run_in_child(child_stdout_ok, path, "stdout to a file");
    assert_file_text(path, "table\nafter\n");
    assert_string_equal(listing(dir), "captured.txt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_appears_only_on_commit),
        cmocka_unit_test(commit_replaces_existing_file),
        cmocka_unit_test(commit_writes_through_symlink),
        cmocka_unit_test(commit_creates_dangling_link_target),
        cmocka_unit_test(link_loop_is_replaced),
        cmocka_unit_test(abort_leaves_nothing),
        cmocka_unit_test(close_then_commit_or_abort),
        cmocka_unit_test(large_output_is_complete),
        cmocka_unit_test(committed_file_mode_follows_umask),
        cmocka_unit_test(open_in_missing_directory_is_io_error),
        cmocka_unit_test(failed_rename_reports_and_cleans_up),
        cmocka_unit_test(write_error_reports_and_leaves_nothing),
        cmocka_unit_test(unsynced_write_error_reports_and_leaves_nothing),
        cmocka_unit_test(unsynced_file_appears_only_on_commit),
        cmocka_unit_test(stdout_write_error_is_reported),
        cmocka_unit_test(stdout_dash_writes_directly),
    };
    return cmocka_run_group_tests_name("atomic_file", tests, group_setup, group_teardown);
}
