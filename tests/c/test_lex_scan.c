/*
 * test_lex_scan.c -- the lexer's one scan (gd_lex_masks, gd_lex_next in
 * internal.h): the bit masks of separator, piece-end and digit bytes, and
 * the search for the next byte of a kind, against a byte-by-byte reference
 * at every offset, length and 64-byte block boundary; then whole tables
 * lexed at every alignment must read the same cells.
 */
#include "test.h"

#include "../../src/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reference: is byte b of kind k? */
static int ref_kind(unsigned char b, int k)
{
    switch (k) {
    case GD_LEXM_SEP:
        return b == '\t' || b == '|' || b == 0xEF;
    case GD_LEXM_END:
        return b <= ' ' || b == 0xE3 || b == 0xC2;
    default:
        return b >= '0' && b <= '9';
    }
}

static size_t ref_next(const unsigned char *s, int k, size_t from, size_t lim)
{
    for (size_t i = from; i < lim; i++)
        if (ref_kind(s[i], k))
            return i;
    return lim;
}

/* Masks of s[0, len) from both builders, checked bit by bit (bits past len
 * clear); 1 when all hold.  s is an exact-size heap copy: ASan sees any read
 * past it. */
static int masks_hold(const unsigned char *s, size_t len, uint64_t *m, uint64_t *p)
{
    size_t nb = gd_lex_blocks(len);
    gd_lex_masks((const char *)s, len, m);
    gd_lex_masks_plain((const char *)s, len, p);
    if (!CHECKF(memcmp(m, p, nb * GD_LEXM_KINDS * sizeof *m) == 0, "vector and plain masks differ (len %zu)", len))
        return 0;
    for (size_t i = 0; i < nb * 64; i++)
        for (int k = 0; k < GD_LEXM_KINDS; k++) {
            int bit = (int)(m[(i / 64) * GD_LEXM_KINDS + (size_t)k] >> (i % 64) & 1);
            int want = i < len && ref_kind(s[i], k);
            if (!CHECKF(bit == want, "len %zu byte %zu (0x%02X) kind %d: bit %d", len, i,
                        i < len ? s[i] : 0, k, bit))
                return 0;
        }
    return 1;
}

/* Every byte value at every offset of buffers from 1 to 200 bytes (across
 * the 16-byte steps and 64-byte blocks), in a filler of no kind. */
static void test_masks_every_byte_every_offset(void)
{
    static const size_t lens[] = {1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 192, 200};
    uint64_t m[4 * GD_LEXM_KINDS], p[4 * GD_LEXM_KINDS];
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t len = lens[li];
        unsigned char *s = malloc(len);
        if (!CHECK(s != NULL))
            return;
        for (size_t at = 0; at < len; at++)
            for (unsigned b = 0; b < 256; b++) {
                memset(s, 'a', len);
                s[at] = (unsigned char)b;
                if (!masks_hold(s, len, m, p)) {
                    free(s);
                    return;
                }
                for (int k = 0; k < GD_LEXM_KINDS; k++) {
                    size_t want = ref_kind((unsigned char)b, k) ? at : len;
                    /* from every place at or before it, and with every limit */
                    for (size_t from = 0; from <= at; from += (at - from > 70 ? 13 : 1))
                        if (!CHECK_INT(gd_lex_next(m, k, from, len), want)) {
                            free(s);
                            return;
                        }
                    if (!CHECK_INT(gd_lex_next(m, k, at, at), at) ||
                        !CHECK_INT(gd_lex_next(m, k, at, at + 1), ref_kind((unsigned char)b, k) ? at : at + 1) ||
                        !CHECK_INT(gd_lex_next(m, k, at + 1, len), len)) {
                        free(s);
                        return;
                    }
                }
            }
        free(s);
    }
}

/* Mixed buffers (a fixed pseudo-random sequence) of every length to 140 and
 * a few longer: every start and every limit against the reference. */
static void test_next_every_start_and_limit(void)
{
    static const unsigned char bytes[] = {'a', 'a', 'a', 'a', 'x', '\t', '|', ' ', '\n', '\r', 0,
                                          '0', '5', '9', '/', ':', 0xEF, 0xE3, 0xC2, 0xE4, 0x80,
                                          0xBD, 0x9C, 0xFF, 0x7F, 0x21};
    uint64_t *m = malloc(8 * GD_LEXM_KINDS * sizeof *m), *p = malloc(8 * GD_LEXM_KINDS * sizeof *p);
    uint32_t x = 12345;
    if (!CHECK(m && p))
        goto out;
    for (size_t len = 0; len <= 400; len += len < 140 ? 1 : 63) {
        for (int round = 0; round < 3; round++) {
            unsigned char *s = malloc(len ? len : 1);
            if (!CHECK(s != NULL))
                goto out;
            for (size_t i = 0; i < len; i++) {
                x = x * 1103515245u + 12345u;
                /* round 1: sparse kinds (long runs to skip); 2: dense */
                unsigned r = (x >> 16) % (round == 1 ? 400 : sizeof bytes);
                s[i] = r < sizeof bytes ? bytes[r] : 'a';
            }
            int ok = masks_hold(s, len, m, p);
            for (int k = 0; ok && k < GD_LEXM_KINDS; k++)
                for (size_t from = 0; ok && from <= len + 1; from++)
                    for (size_t lim = from > 0 ? from - 1 : 0; ok && lim <= len; lim++) {
                        size_t want = from >= lim ? lim : ref_next(s, k, from, lim);
                        ok = CHECKF(gd_lex_next(m, k, from, lim) == want,
                                    "len %zu kind %d from %zu lim %zu: want %zu", len, k, from,
                                    lim, want);
                    }
            free(s);
            if (!ok)
                goto out;
        }
    }
out:
    free(m);
    free(p);
}

/* Cells of a report equal another's with every span moved by `shift`. */
static int same_cells_shifted(const gd_report *a, const gd_report *b, size_t shift)
{
    for (int t = 0; t < GD_NTABLES; t++)
        for (int r = 0; r < GD_MAX_ROWS; r++)
            for (int c = 0; c < GD_MAX_COLS; c++) {
                const gd_cell *x = &a->tables[t].cells[r][c], *y = &b->tables[t].cells[r][c];
                if (!CHECKF(x->kind == y->kind && x->units == y->units && x->scale == y->scale &&
                                (x->kind == GD_CELL_ABSENT ||
                                 (x->raw.start + shift == y->raw.start &&
                                  x->raw.end + shift == y->raw.end)),
                            "table %d row %d col %d differs at shift %zu", t, r, c, shift))
                    return 0;
            }
    return CHECK_INT(b->nunplaced, a->nunplaced) && CHECK_INT(b->nextras, a->nextras);
}

/* Table 二's first rows in each separator (tab, pipe, full-width bar, runs
 * of spaces, ideographic spaces), the row moved by 0 to 130 bytes of
 * padding on its own line, so that every separator, piece end and digit
 * falls at every place in a 16-byte step and a 64-byte block. */
static void test_tables_at_every_alignment(void)
{
    static const char *const seps[] = {"\t", "|", "\xEF\xBD\x9C", "   ", "\xE3\x80\x80\xE3\x80\x80"};
    int rules = t_row(GD_TABLE_ACTIVE, "rules"), docs = t_row(GD_TABLE_ACTIVE, "normative_documents");
    int issued = rules >= 0 ? t_col(GD_TABLE_ACTIVE, rules, "issued") : -1;
    int in_force = rules >= 0 ? t_col(GD_TABLE_ACTIVE, rules, "in_force") : -1;
    if (rules < 0 || docs < 0 || issued < 0 || in_force < 0)
        return;
    char buf[1024];
    for (size_t si = 0; si < sizeof seps / sizeof seps[0]; si++) {
        const char *sp = seps[si];
        gd_report *base = NULL;
        size_t base_at = 0;
        for (size_t pad = 0; pad <= 130; pad++) {
            int n = snprintf(buf, sizeof buf, "二、主动公开政府信息情况\n%*s\n", (int)pad, "");
            size_t at = (size_t)n;
            n += snprintf(buf + n, sizeof buf - (size_t)n,
                          "信息内容%s本年制发件数%s本年废止件数%s现行有效件数\n"
                          "规章%s12%s0%s345\n行政规范性文件%s6%s1%s78\n",
                          sp, sp, sp, sp, sp, sp, sp, sp, sp);
            t_context("separator %zu, pad %zu", si, pad);
            gd_report *rep = t_parse(buf, (size_t)n, 0);
            if (!rep)
                break;
            if (!base) {
                /* the real values, read at the first alignment */
                CHECK_CELL(rep, buf, (size_t)n, GD_TABLE_ACTIVE, rules, issued, GD_CELL_NUMBER,
                           12, 0, "12", "");
                CHECK_CELL(rep, buf, (size_t)n, GD_TABLE_ACTIVE, rules, in_force, GD_CELL_NUMBER,
                           345, 0, "345", "");
                CHECK_CELL(rep, buf, (size_t)n, GD_TABLE_ACTIVE, docs, in_force, GD_CELL_NUMBER,
                           78, 0, "78", "");
                base = rep;
                base_at = at;
                continue;
            }
            int ok = same_cells_shifted(base, rep, at - base_at);
            gd_report_free(rep);
            if (!ok)
                break;
        }
        gd_report_free(base);
    }
    t_context("%s", "");
}

const test_case lex_scan_tests[] = {
    {"lex_masks_every_byte_every_offset", test_masks_every_byte_every_offset},
    {"lex_next_every_start_and_limit", test_next_every_start_and_limit},
    {"lex_tables_at_every_alignment", test_tables_at_every_alignment},
    {NULL, NULL},
};
