/*
 * test_utf8_wide.c -- the binding's UTF-8 -> str units (src/python/utf8_wide.c):
 * code points encoded by wide_utf8.c come back the same, with their count and
 * the narrowest kind that holds them, for every code point of every kind and
 * around the 8- and 16-byte steps.
 */
#include "test.h"

#include "../../src/python/utf8_wide.h"
#include "../../src/python/wide_utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cps[0, n) as units of kind (1, 2, 4) -> UTF-8 -> back: the same, and want_kind. */
static int round_trip(const uint32_t *cps, size_t n, int kind, int want_kind)
{
    int ok = 1;
    size_t width = (size_t)kind;
    unsigned char *units = malloc(n * width + 1);
    char *utf8 = malloc(gd_wide_utf8_bound(kind, n) + 1);
    unsigned char *back = malloc(n * 4 + 1);
    if (!CHECK(units && utf8 && back))
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (kind == 1)
            units[i] = (unsigned char)cps[i];
        else if (kind == 2) {
            uint16_t v = (uint16_t)cps[i];
            memcpy(units + 2 * i, &v, 2);
        } else
            memcpy(units + 4 * i, &cps[i], 4);
    }
    size_t bad;
    size_t len = gd_wide_to_utf8(units, kind, n, utf8, &bad);
    int got_kind = -1;
    ok &= CHECK_INT(bad, (size_t)-1);
    ok &= CHECK_INT(gd_utf8_measure(utf8, len, &got_kind), n);
    ok &= CHECK_INT(got_kind, want_kind);
    gd_utf8_to_wide(utf8, len, got_kind, back);
    ok &= CHECK(memcmp(back, units, n * width) == 0);
done:
    free(units);
    free(utf8);
    free(back);
    return ok;
}

static void test_every_code_point(void)
{
    uint32_t *cps = malloc(0x110000 * sizeof *cps);
    if (!CHECK(cps != NULL))
        return;
    size_t n = 0;
    for (uint32_t c = 0; c < 0x80; c++)
        cps[n++] = c;
    round_trip(cps, n, 1, 0);
    for (uint32_t c = 0x80; c < 0x100; c++)
        cps[n++] = c;
    round_trip(cps, n, 1, 1);
    for (uint32_t c = 0x100; c < 0x10000; c++)
        if (c < 0xD800 || c > 0xDFFF)
            cps[n++] = c;
    round_trip(cps, n, 2, 2);
    for (uint32_t c = 0x10000; c < 0x110000; c++)
        cps[n++] = c;
    round_trip(cps, n, 4, 4);
    /* one wide character among ASCII decides the kind */
    static const uint32_t one[] = {0xE9, 0x100, 0x7FF, 0x800, 0x4E2D, 0xFFFF, 0x10000, 0x10FFFF};
    static const int kinds[] = {1, 2, 2, 2, 2, 2, 4, 4};
    for (size_t k = 0; k < sizeof one / sizeof one[0]; k++)
        for (size_t at = 0; at < 40; at++) {
            for (size_t i = 0; i < 40; i++)
                cps[i] = 'a' + (uint32_t)(i % 26);
            cps[at] = one[k];
            t_context("U+%04lX at %zu", (unsigned long)one[k], at);
            if (!round_trip(cps, 40, kinds[k], kinds[k]))
                goto out;
        }
out:
    t_context("%s", "");
    free(cps);
}

static void test_empty(void)
{
    int kind = -1;
    CHECK_INT(gd_utf8_measure("", 0, &kind), 0);
    CHECK_INT(kind, 0);
}

const test_case utf8_wide_tests[] = {
    {"utf8_wide_every_code_point", test_every_code_point},
    {"utf8_wide_empty", test_empty},
    {NULL, NULL},
};
