/*
 * test_wide_utf8.c -- the binding's str -> UTF-8 encoder (src/python/wide_utf8.c),
 * checked against a plain one-code-point-at-a-time encoder written here.
 *
 * Every code point of every width, at every position around the 16-unit
 * blocks; lone surrogates and code points above U+10FFFF must be found, at
 * the right index, wherever they are.
 */
#include "test.h"

#include "../../src/python/wide_utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The reference: UTF-8 of one code point, or 0 for one UTF-8 cannot hold. */
static size_t ref_put(uint32_t c, char *o)
{
    if ((c >= 0xD800u && c <= 0xDFFFu) || c > 0x10FFFFu)
        return 0;
    if (c < 0x80u) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800u) {
        o[0] = (char)(0xC0u | (c >> 6));
        o[1] = (char)(0x80u | (c & 0x3Fu));
        return 2;
    }
    if (c < 0x10000u) {
        o[0] = (char)(0xE0u | (c >> 12));
        o[1] = (char)(0x80u | ((c >> 6) & 0x3Fu));
        o[2] = (char)(0x80u | (c & 0x3Fu));
        return 3;
    }
    o[0] = (char)(0xF0u | (c >> 18));
    o[1] = (char)(0x80u | ((c >> 12) & 0x3Fu));
    o[2] = (char)(0x80u | ((c >> 6) & 0x3Fu));
    o[3] = (char)(0x80u | (c & 0x3Fu));
    return 4;
}

/* Encode n code points stored at width kind both ways and compare. */
static int same_as_reference(const uint32_t *cps, size_t n, int kind)
{
    void *units = malloc(n * (size_t)kind + 1);
    char *want = malloc(n * 4 + 1);
    if (!CHECK(units != NULL && want != NULL)) {
        free(units);
        free(want);
        return 0;
    }
    size_t want_len = 0, want_bad = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        if (kind == 1)
            ((uint8_t *)units)[i] = (uint8_t)cps[i];
        else if (kind == 2)
            ((uint16_t *)units)[i] = (uint16_t)cps[i];
        else
            ((uint32_t *)units)[i] = cps[i];
        size_t k = ref_put(cps[i], want + want_len);
        if (k == 0 && want_bad == (size_t)-1)
            want_bad = i;
        want_len += k;
    }
    size_t bad;
    size_t room = gd_wide_utf8_bound(kind, n);
    char *got = malloc(room + 1); /* just the bound: ASan sees a write past it */
    if (!CHECK(got != NULL)) {
        free(units);
        free(want);
        return 0;
    }
    size_t len = gd_wide_to_utf8(units, kind, n, got, &bad);
    int ok = CHECK_INT(bad, want_bad);
    if (ok && want_bad == (size_t)-1) {
        ok &= CHECK_INT(len, want_len);
        ok &= CHECKF(len <= room && memcmp(got, want, len) == 0,
                     "kind %d, %zu units: bytes differ", kind, n);
    }
    free(got);
    free(units);
    free(want);
    return ok;
}

static void test_every_code_point(void)
{
    /* Each code point of the width, 40 to a string: every one passes through
     * the vector step and the one-by-one step at some position. */
    uint32_t cps[40];
    const uint32_t limits[] = {0x100u, 0x10000u, 0x110000u};
    for (int w = 0; w < 3; w++) {
        int kind = w == 0 ? 1 : w == 1 ? 2 : 4;
        uint32_t step = kind == 4 ? 7u : 1u; /* astral planes sampled */
        size_t n = 0;
        for (uint32_t c = 0; c < limits[w]; c += step) {
            if (c >= 0xD800u && c <= 0xDFFFu)
                continue;
            cps[n++] = c;
            if (n == 40) {
                if (!same_as_reference(cps, n, kind))
                    return;
                n = 0;
            }
        }
        if (n && !same_as_reference(cps, n, kind))
            return;
    }
}

static void test_runs_around_vector_steps(void)
{
    /* ASCII runs of every length 0..40 with a wide character before, inside
     * and after: the SSE2 step must stop and restart at the right unit. */
    uint32_t cps[90];
    const uint32_t wide[] = {0xE9u, 0x4E2Du, 0xFF11u, 0x1F600u};
    for (int k = 0; k < 4; k++) {
        int kind = wide[k] > 0xFFFFu ? 4 : 2;
        for (size_t run = 0; run <= 40; run++) {
            for (size_t at = 0; at <= run; at++) {
                size_t n = 0;
                cps[n++] = wide[k];
                for (size_t i = 0; i < run; i++)
                    cps[n++] = i == at ? wide[k] : (uint32_t)('a' + i % 26);
                cps[n++] = wide[k];
                /* with the wide characters around it, without the first one,
                 * and without the last one (the input ends in the run) */
                if (!same_as_reference(cps, n, kind) ||
                    !same_as_reference(cps + 1, n - 1, kind) ||
                    !same_as_reference(cps, n - 1, kind))
                    return;
            }
        }
    }
}

static void test_bad_code_points_found(void)
{
    /* A lone surrogate (or a code point past U+10FFFF) at each position around
     * the 16-unit blocks is found, and its index is the first one. */
    enum { N = 600 };
    static uint32_t cps[N];
    const size_t places[] = {0, 1, 15, 16, 17, 254, 255, 256, 257, 511, 512, 513, N - 1};
    const uint32_t bad[] = {0xD800u, 0xDBFFu, 0xDC00u, 0xDFFFu, 0x110000u};
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        int kind = bad[b] > 0xFFFFu ? 4 : 2;
        for (size_t p = 0; p < sizeof places / sizeof places[0]; p++) {
            for (size_t i = 0; i < N; i++)
                cps[i] = i % 3 ? (uint32_t)'x' : 0x4E2Du;
            cps[places[p]] = bad[b];
            t_context("bad U+%04lX at %zu", (unsigned long)bad[b], places[p]);
            if (!same_as_reference(cps, N, kind))
                return;
            if (places[p] + 2 < N) { /* a second one later changes nothing */
                cps[places[p] + 2] = 0xDFFFu;
                if (!same_as_reference(cps, N, kind))
                    return;
            }
        }
    }
    t_context("%s", "");
}

static void test_empty(void)
{
    size_t bad;
    CHECK_INT(gd_wide_utf8_bound(2, 0), 0);
    CHECK_INT(gd_wide_to_utf8("", 2, 0, NULL, &bad), 0);
    CHECK_INT(bad, (size_t)-1);
}

const test_case wide_utf8_tests[] = {
    {"wide_utf8_every_code_point", test_every_code_point},
    {"wide_utf8_runs_around_vector_steps", test_runs_around_vector_steps},
    {"wide_utf8_bad_code_points_found", test_bad_code_points_found},
    {"wide_utf8_empty", test_empty},
    {NULL, NULL},
};
