/*
 * test_format.c -- the messages of findings (gd_vformat in findings.c) and
 * cell paths (gd_cell_path): the same bytes and result as vsnprintf and
 * snprintf for every conversion findings use, at edge values (zero,
 * negative, the int and int64 limits, long strings, a precision past a NUL)
 * and at every buffer size from 0 to past the whole text (truncation).
 * And template_keys.c, the generated key index, against template.c.
 */
#include "test.h"

#include "../../src/internal.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int fmt_mine(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = gd_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Both formatters at every size 0..len+2 into guarded buffers: the same
 * result, the same bytes, and nothing written past size. */
#define SAME(fmt, ...)                                                                    \
    do {                                                                                  \
        char want[2048], got[2048];                                                       \
        int wn = snprintf(want, sizeof want, fmt, __VA_ARGS__);                           \
        t_context("format \"%s\"", fmt);                                                  \
        if (!CHECK(wn >= 0 && (size_t)wn < sizeof want - 4))                              \
            break;                                                                        \
        for (size_t size = 0; size <= (size_t)wn + 2; size++) {                           \
            memset(want, 'x', sizeof want);                                               \
            memset(got, 'x', sizeof got);                                                 \
            int a = snprintf(want, size, fmt, __VA_ARGS__);                               \
            int b = fmt_mine(got, size, fmt, __VA_ARGS__);                                \
            if (!CHECK_INT(b, a) ||                                                       \
                !CHECKF(memcmp(want, got, size + 2) == 0, "bytes differ at size %zu", size)) \
                break;                                                                    \
        }                                                                                 \
    } while (0)

static void test_format_matches_snprintf(void)
{
    char longs[1001];
    memset(longs, 'a', 1000);
    longs[1000] = '\0';
    const char *cjk = "（六）其他处理";
    SAME("%s", "");
    SAME("%s", "plain text");
    SAME("%s", longs);
    SAME("[%s]%s", cjk, " tail");
    SAME("100%% of %s", cjk);
    SAME("%d %d %d %d %d", 0, 1, -1, INT_MAX, INT_MIN);
    SAME("%zu %zu %zu", (size_t)0, (size_t)42, SIZE_MAX);
    SAME("%" PRId64 " %" PRId64 " %" PRId64, (int64_t)0, INT64_MAX, INT64_MIN);
    SAME("%" PRId64 "/%" PRId64, (int64_t)-1, (int64_t)1000000000000LL);
    SAME("%ld %lld", LONG_MIN, LLONG_MAX);
    SAME("'%.*s' x", 3, "123456");
    SAME("'%.*s' x", 0, "123456");
    SAME("'%.*s' x", 10, "12"); /* the precision goes past the NUL */
    SAME("'%.*s' x", -1, "123456");
    SAME("%.*s", 6, cjk);   /* cut inside a character: bytes, as printf */
    SAME("%zu number%s in table %s could not be placed in a cell (first: %.*s); end", (size_t)3,
         "s", "三", 5, "12345678");
    SAME("%s is %s but should be %" PRId64 " [%s]", "三.x.y", "-5", (int64_t)-9, longs);
    SAME("no conversion at all, %s", "");
}

static void test_format_declines_others(void)
{
    char buf[64];
    CHECK_INT(fmt_mine(buf, sizeof buf, "%5d", 1), -1);
    CHECK_INT(fmt_mine(buf, sizeof buf, "%x", 1u), -1);
    CHECK_INT(fmt_mine(buf, sizeof buf, "%018" PRId64, (int64_t)1), -1);
    /* a precision that is not '*', widths, an unsigned long: not ours either
     * (arguments as %.*s and %zu would read them, so a wrong match shows as a count) */
    CHECK_INT(fmt_mine(buf, sizeof buf, "%.3s", 3, "abcdef"), -1);
    CHECK_INT(fmt_mine(buf, sizeof buf, "%3*s", 3, "abcdef"), -1);
    CHECK_INT(fmt_mine(buf, sizeof buf, "%lu of them", (size_t)5), -1);
    CHECK_INT(fmt_mine(buf, sizeof buf, "%12d", (long long)5), -1);
    CHECK_INT(fmt_mine(buf, sizeof buf, "a%", 1), -1);
    CHECK_INT(fmt_mine(buf, sizeof buf, "%s", (const char *)NULL), -1);
    CHECK_INT(fmt_mine(buf, sizeof buf, "%.*s", 3, (const char *)NULL), -1);
}

/* gd_cell_path against the snprintf it replaced, for every table, row and
 * column (and out of range ones) at every buffer size. */
static void test_cell_path_matches_snprintf(void)
{
    for (int t = -1; t <= 3; t++) {
        const gd_tabledef *d = gd_table_def((gd_table_id)t);
        int nrows = d ? (int)d->nrows : 1;
        for (int r = -1; r <= nrows; r++) {
            int ncols = d && r >= 0 && r < nrows ? (int)d->rows[r].ncols : 1;
            for (int k = -1; k <= ncols; k++) {
                char full[256], want[256], got[256];
                int n;
                if (!d)
                    n = snprintf(full, sizeof full, "%s", "");
                else if (r < 0 || r >= nrows)
                    n = snprintf(full, sizeof full, "%s", d->id);
                else if (k < 0 || k >= ncols)
                    n = snprintf(full, sizeof full, "%s.%s", d->id, d->rows[r].id);
                else
                    n = snprintf(full, sizeof full, "%s.%s.%s", d->id, d->rows[r].id,
                                 d->rows[r].cols[k].id);
                t_context("table %d row %d col %d", t, r, k);
                if (!CHECK(n >= 0 && (size_t)n < sizeof full - 4))
                    return;
                if (d && r >= 0 && r < nrows && k >= 0 && k < ncols && !CHECK(n > 4))
                    return;
                for (size_t size = 0; size <= (size_t)n + 2; size++) {
                    memset(want, 'x', sizeof want);
                    memset(got, 'x', sizeof got);
                    if (size)
                        snprintf(want, size, "%s", full);
                    size_t m = gd_cell_path(t, r, k, got, size);
                    if (!CHECK_INT(m, n) ||
                        !CHECKF(memcmp(want, got, size + 2) == 0, "bytes differ at size %zu", size))
                        return;
                }
            }
        }
    }
    t_context("%s", "");
}

/* template_keys.c against template.c: every row key, in row then key order,
 * with its length and gd_bloom; nothing after the last.  A stale table would
 * silently stop labels matching their rows. */
static void test_template_keys_match(void)
{
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *d = gd_table_def((gd_table_id)t);
        const gd_keyindex *ki = &gd_key_index[t];
        unsigned e = 0;
        t_context("table %s (regenerate with tools/gen_template_keys.c)", d->id);
        for (unsigned r = 0; r < GD_MAX_ROWS; r++) {
            for (unsigned q = 0; q < 5; q++) {
                const char *key = r < d->nrows ? d->rows[r].keys[q] : NULL;
                size_t len = key ? strlen(key) : 0;
                if (!CHECK_INT(ki->keylen[r][q], len))
                    return;
                if (!key)
                    continue;
                if (!CHECK(e < ki->nkeys) || !CHECK_INT(ki->krow[e], r) ||
                    !CHECK_INT(ki->kkey[e], q) ||
                    !CHECKF(ki->kbloom[e] == gd_bloom(key, len), "bloom of row %u key %u", r, q))
                    return;
                e++;
            }
        }
        if (!CHECK_INT(ki->nkeys, e))
            return;
        for (; e < GD_MAX_ROWS * 5; e++)
            if (!CHECK(ki->kbloom[e] == 0 && ki->krow[e] == 0 && ki->kkey[e] == 0))
                return;
    }
    /* tables.c's words and table 三's group keywords */
    t_context("%s", "words (regenerate with tools/gen_template_keys.c)");
    for (unsigned k = 0; k < GD_NWORDS; k++) {
        const char *wd = gd_table_words[k];
        if (!CHECK(wd != NULL) || !CHECK_INT(gd_word_idx.len[k], strlen(wd)) ||
            !CHECKF(gd_word_idx.bloom[k] == gd_bloom(wd, strlen(wd)), "bloom of word %u", k))
            return;
    }
    t_context("%s", "groups (regenerate with tools/gen_template_keys.c)");
    for (unsigned k = 0; k < GD_MAX_GROUPS; k++) {
        const char *kw = gd_request_groups[k].marker ? gd_request_groups[k].keyword : NULL;
        size_t len = kw ? strlen(kw) : 0;
        if (!CHECK_INT(gd_group_idx.len[k], len) ||
            !CHECKF(gd_group_idx.bloom[k] == (kw ? gd_bloom(kw, len) : 0), "bloom of group %u", k))
            return;
    }
    t_context("%s", "");
}

const test_case format_tests[] = {
    {"template_keys_match", test_template_keys_match},
    {"format_matches_snprintf", test_format_matches_snprintf},
    {"format_declines_others", test_format_declines_others},
    {"cell_path_matches_snprintf", test_cell_path_matches_snprintf},
    {NULL, NULL},
};
