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


/* ---- Normalisation (gd_normalize, gd_normalize_bloom in text.c) ---- */

/* The reference: one code point at a time, as gd_normalize's header says. */
static size_t ref_normalize(const char *s, size_t len, char *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < len) {
        const unsigned char *u = (const unsigned char *)s + i;
        size_t n = u[0] < 0x80 ? 1 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
        uint32_t cp = n == 1 ? u[0]
                      : n == 2 ? (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F)
                      : n == 3 ? (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F)
                               : (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
                                     (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
        i += n;
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
            cp == 0x3000 || cp == 0xA0 || cp == 0x2002 || cp == 0x2003 || cp == 0x200B ||
            cp == 0xFEFF || cp == '"' || cp == '\'' || cp == 0x201C || cp == 0x201D ||
            cp == 0x2018 || cp == 0x2019 || cp == 0x300C || cp == 0x300D)
            continue;
        char one;
        const char *src = (const char *)u;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            one = (char)(cp - 0xFF01 + 0x21), src = &one, n = 1;
        else if (cp == 0x3001)
            one = '.', src = &one, n = 1;
        if (o + n > cap)
            break;
        memcpy(out + o, src, n);
        o += n;
    }
    return o;
}

/* Mixed text (runs of CJK broken by every kind of character the normaliser
 * treats apart) at every start offset and every output limit: the same
 * bytes as the reference, nothing written past the limit, and a bloom equal
 * to gd_bloom of what was written. */
/* The two-character steps of gd_normalize stop at the first byte that is no
 * CJK lead byte, whatever follows: white space or ASCII punctuation right
 * after two CJK characters, then a CJK character three bytes on. */
static void test_normalize_after_a_cjk_pair(void)
{
    static const char *const texts[] = {
        "政府 a7规章", "政府!a7规章", "政府\x1C" "a7规章", "政府\x1F" "a7规章", "政府信息 1.规章制度",
    };
    char got[64], want[64];
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        size_t n = strlen(texts[k]);
        size_t wn = ref_normalize(texts[k], n, want, sizeof want);
        size_t gn = gd_normalize(texts[k], n, got, sizeof got);
        CHECKF(gn == wn && memcmp(got, want, wn) == 0, "text %zu: length %zu, want %zu", k, gn, wn);
    }
}

static void test_normalize_every_offset_and_limit(void)
{
    static const char *const parts[] = {
        "政府信息公开", "规", "章", "a", "7", " ", "\t", "\"", "'", "\xEF\xBC\xA1" /* Ａ */,
        "\xEF\xBC\x91" /* １ */, "\xEF\xBC\x8C" /* ， */, "\xEF\xBC\x8E" /* ． */,
        "\xEF\xBC\x88" /* （ */, "\xE3\x80\x81" /* 、 */, "\xE3\x80\x80" /* U+3000 */,
        "\xE3\x80\x82" /* 。 */, "\xC2\xA0", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98",
        "\xE3\x80\x8C", "\xE2\x80\x8B", "\xEF\xBB\xBF", "\xC3\xA9" /* é */,
        "\xF0\x9F\x98\x80" /* U+1F600 */, "\xE4\xB8\x80\xE4\xB8\x80\xE4\xB8\x80", "\x7F", "/",
    };
    enum { NPARTS = sizeof parts / sizeof parts[0] };
    uint32_t x = 99;
    char text[400], got[420], want[420];
    for (int round = 0; round < 60; round++) {
        /* round 0-19: mostly CJK (the two-character steps), later: mixed */
        size_t len = 0;
        while (len < 300) {
            x = x * 1103515245u + 12345u;
            unsigned r = (x >> 16) % (round < 20 ? NPARTS * 4 : NPARTS);
            const char *p = r < NPARTS ? parts[r] : parts[r % 3 == 0 ? 0 : (r % 3 == 1 ? 1 : 26)];
            size_t pl = strlen(p);
            memcpy(text + len, p, pl);
            len += pl;
        }
        for (size_t start = 0; start < 24; start++) {
            /* a start inside a character is not a valid text: step to the next */
            if (((unsigned char)text[start] & 0xC0) == 0x80)
                continue;
            const char *s = text + start;
            size_t n = len - start;
            char *copy = malloc(n); /* exact size: ASan sees a read past the end */
            if (!CHECK(copy != NULL))
                return;
            memcpy(copy, s, n);
            for (size_t cap = 0; cap <= n + 1; cap += (cap < 40 || cap + 40 > n ? 1 : 7)) {
                size_t wn = ref_normalize(copy, n, want, cap);
                memset(got, 0x5A, sizeof got);
                size_t gn = gd_normalize(copy, n, got, cap);
                int ok = CHECKF(gn == wn && memcmp(got, want, wn) == 0,
                                "round %d start %zu cap %zu: length %zu, want %zu", round, start, cap,
                                gn, wn) &&
                         CHECKF(cap + 1 >= sizeof got || (unsigned char)got[cap] == 0x5A,
                                "round %d start %zu cap %zu: wrote past the limit", round, start, cap);
                uint64_t bloom = 0;
                memset(got, 0x5A, sizeof got);
                gn = gd_normalize_bloom(copy, n, got, cap, &bloom);
                ok = ok && CHECKF(gn == wn && memcmp(got, want, wn) == 0,
                                  "bloom form, round %d start %zu cap %zu", round, start, cap) &&
                     CHECKF(bloom == gd_bloom(got, gn), "round %d start %zu cap %zu: bloom", round,
                            start, cap);
                if (!ok) {
                    free(copy);
                    return;
                }
            }
            free(copy);
        }
    }
}

/* Cells of bare digits, which the lexer reads in place (1 to 18 bytes) or
 * hands to gd_classify_cell: 1 to 20 digits after 0 to 3 leading zeros,
 * each the exact value, or (more than 18 significant digits) a text cell
 * with a finding, never a wrong number. */
static void test_bare_digit_cells(void)
{
    int rules = t_row(GD_TABLE_ACTIVE, "rules");
    int issued = rules >= 0 ? t_col(GD_TABLE_ACTIVE, rules, "issued") : -1;
    if (rules < 0 || issued < 0)
        return;
    static const char digits[] = "98765432109876543210";
    char buf[256];
    for (int nd = 1; nd <= 20; nd++)
        for (int lead0 = 0; lead0 <= 3; lead0++) {
            int n = snprintf(buf, sizeof buf,
                             "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
                             "规章\t%.*s%.*s\t0\t3\n",
                             lead0, "000", nd, digits);
            t_context("%d digits, %d leading zeros", nd, lead0);
            gd_report *rep = t_parse(buf, (size_t)n, 0);
            if (!rep)
                return;
            const gd_cell *cell = &rep->tables[GD_TABLE_ACTIVE].cells[rules][issued];
            if (nd <= GD_MAX_DIGITS) {
                int64_t v = 0;
                for (int k = 0; k < nd; k++)
                    v = v * 10 + (digits[k] - '0');
                CHECK_INT(cell->kind, GD_CELL_NUMBER);
                CHECK_INT(cell->units, v);
                CHECK_INT(cell->scale, 0);
                CHECK_INT(cell->note.end - cell->note.start, 0);
                CHECK_INT(cell->raw.end - cell->raw.start, lead0 + nd);
            } else {
                CHECK_INT(cell->kind, GD_CELL_TEXT);
                CHECK(t_count_findings(rep, NULL, -1) > 0);
            }
            gd_report_free(rep);
        }
    t_context("%s", "");
}

/* A cell copied out of a web page keeps the NBSP (C2 A0) that &nbsp; padding
 * becomes (pingtan-2019.html pads its cells with &nbsp;): trailing NBSPs are
 * white space, so "12" and the marker "—" are still read as such. */
static void test_cell_ending_in_nbsp(void)
{
    gd_tok t;
    memset(&t, 0, sizeof t);
    const char *num = "12\xC2\xA0\xC2\xA0";
    CHECK_INT(gd_classify_cell(num, 0, strlen(num), &t), TOK_NUMBER);
    CHECK_INT(t.units, 12);
    CHECK_INT(t.note_end - t.note_start, 0);
    const char *dash = "\xE2\x80\x94\xC2\xA0"; /* "—" then NBSP */
    CHECK_INT(gd_classify_cell(dash, 0, strlen(dash), &t), TOK_NA);
}

/* A cell is a number with a unit (件, 人次, 万元: kept as its note) or words:
 * "2021年" is a year, not a count of 年, so it stays text and is never
 * placed as a value; so is a number followed by a word that is no unit. */
static void test_cell_units(void)
{
    gd_tok t;
    memset(&t, 0, sizeof t);
    const char *count = "5件";
    CHECK_INT(gd_classify_cell(count, 0, strlen(count), &t), TOK_NUMBER);
    CHECK_INT(t.units, 5);
    CHECK_MEM(count + t.note_start, t.note_end - t.note_start, "件");
    /* cells in a row of text: the cell ends where the next one begins */
    const char *visits = "12人次|7";
    CHECK_INT(gd_classify_cell(visits, 0, strlen("12人次"), &t), TOK_NUMBER);
    CHECK_MEM(visits + t.note_start, t.note_end - t.note_start, "人次");
    const char *money = "3.5万元|7";
    CHECK_INT(gd_classify_cell(money, 0, strlen("3.5万元"), &t), TOK_NUMBER);
    CHECK_MEM(money + t.note_start, t.note_end - t.note_start, "万元");
    const char *year = "2021年";
    CHECK_INT(gd_classify_cell(year, 0, strlen(year), &t), TOK_TEXT);
    const char *months = "3月";
    CHECK_INT(gd_classify_cell(months, 0, strlen(months), &t), TOK_TEXT);
}

/* tables.c keeps a bloom for each of table 三's group keywords: there are
 * exactly GD_MAX_GROUPS of them. */
static void test_group_keywords_counted(void)
{
    size_t k = 0;
    while (gd_request_groups[k].marker)
        k++;
    CHECK_INT(k, GD_MAX_GROUPS);
}

/* gd_scan_number's full-width digits are U+FF10..U+FF19 (EF BC 90..99) and no more: the
 * characters just outside them, ／ (EF BC 8F) and ： (EF BC 9A), end a number, and so does
 * the end of the span, even inside a character (the bytes after it are not read).  Its
 * separators: ，／, thousands before exactly three digits, ．／. a decimal point. */
static void test_scan_fullwidth_edges(void)
{
    static const struct {
        const char *s;
        size_t end;           /* the span: s[0, end) */
        size_t want_end;      /* where the number ends */
        long long want_units; /* its value */
        int want_scale;
        int want_overflow;    /* more than GD_MAX_DIGITS digits: value and scale 0 */
    } cases[] = {
        {"\xEF\xBC\x99\xEF\xBC\x9A", 6, 3, 9, 0, 0},      /* ９： */
        {"\xEF\xBC\x90\xEF\xBC\x8F", 6, 3, 0, 0, 0},      /* ０／ */
        {"\xEF\xBC\x91\xEF\xBC\x99", 6, 6, 19, 0, 0},     /* １９ */
        {"5\xEF\xBC\x99", 3, 1, 5, 0, 0},                   /* 5 and ９ cut by the span */
        {"5\xEF\xBC\x99", 2, 1, 5, 0, 0},
        {"12\xEF\xBD\x9E", 5, 2, 12, 0, 0},                 /* 12～ (EF BD 9E) */
        /* ２２１．６７ and １，０００; ／ is no decimal point */
        {"\xEF\xBC\x92\xEF\xBC\x92\xEF\xBC\x91\xEF\xBC\x8E\xEF\xBC\x96\xEF\xBC\x97", 18, 18,
         22167, 2, 0},
        {"\xEF\xBC\x91\xEF\xBC\x8C\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90", 15, 15, 1000, 0, 0},
        {"5\xEF\xBC\x8F" "5", 5, 1, 5, 0, 0},
        /* 伌 and 伎 (E4 BC 8C, E4 BC 8E) end like ， and ．: no separators */
        {"1\xE4\xBC\x8C" "000", 7, 1, 1, 0, 0},
        {"5\xE4\xBC\x8E" "3", 5, 1, 5, 0, 0},
        /* a thousands separator needs exactly three digits after it, and a digit before */
        {"1,23", 4, 1, 1, 0, 0},
        {"1,0000", 6, 1, 1, 0, 0},
        {"1,000", 5, 5, 1000, 0, 0},
        {",123", 4, 0, 0, 0, 0},
        /* a span that ends inside digits: the digits past it are not the number's */
        {"12", 1, 1, 1, 0, 0},
        {"1,234", 4, 1, 1, 0, 0},
        {"1,2345", 5, 5, 1234, 0, 0},
        {"5.3", 2, 1, 5, 0, 0},
        {"5.3", 3, 3, 53, 1, 0},
        /* a decimal point needs a digit (0 too) after it, inside the span */
        {"5.x", 3, 1, 5, 0, 0},
        {"5.05", 4, 4, 505, 2, 0},
        {"5.34", 3, 3, 53, 1, 0},
        /* 19 digits, before or after the point: too many, nothing kept */
        {"1234567890123456789", 19, 19, 0, 0, 1},
        {"1.234567890123456789", 20, 20, 0, 0, 1},
        {"123456789012345678", 18, 18, 123456789012345678LL, 0, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int64_t units = -1;
        int scale = -1, overflow = -1;
        t_context("case %zu", k);
        CHECK_INT(gd_scan_number(cases[k].s, 0, cases[k].end, &units, &scale, &overflow),
                  cases[k].want_end);
        CHECK_INT(units, cases[k].want_units);
        CHECK_INT(scale, cases[k].want_scale);
        CHECK_INT(overflow, cases[k].want_overflow);
    }
    t_context("%s", "");
}

/* A cell's white space around its number: the six ASCII ones, U+3000 and NBSP, before
 * it and after it; a cell cut inside U+3000 or NBSP keeps the cut bytes (text). */
static void test_classify_white_space(void)
{
    static const char *const ws[] = {" ", "\t", "\r", "\n", "\f", "\v", "\xE3\x80\x80",
                                     "\xC2\xA0"};
    char cell[16];
    for (size_t k = 0; k < sizeof ws / sizeof ws[0]; k++) {
        for (int after = 0; after < 2; after++) {
            size_t n = (size_t)snprintf(cell, sizeof cell, after ? "5%s" : "%s5", ws[k]);
            gd_tok t;
            memset(&t, 0, sizeof t);
            t_context("white space %zu %s", k, after ? "after" : "before");
            CHECK_INT(gd_classify_cell(cell, 0, n, &t), TOK_NUMBER);
            CHECK_INT(t.units, 5);
        }
    }
    /* a marker with white space after it is the marker (na); the byte after the span
     * is no NUL, as in a text */
    char marked[16];
    for (size_t k = 0; k < sizeof ws / sizeof ws[0]; k++) {
        size_t n = (size_t)snprintf(marked, sizeof marked, "-%sX", ws[k]) - 1;
        gd_tok t;
        memset(&t, 0, sizeof t);
        t_context("marker, white space %zu", k);
        CHECK_INT(gd_classify_cell(marked, 0, n, &t), TOK_NA);
    }
    /* bytes that only look like white space: · (C2 B7), à (C3 A0) before a number */
    static const char *const not_ws[] = {"\xC2\xB7" "5", "\xC3\xA0" "5"};
    for (size_t k = 0; k < sizeof not_ws / sizeof not_ws[0]; k++) {
        gd_tok t;
        memset(&t, 0, sizeof t);
        t_context("not white space %zu", k);
        CHECK_INT(gd_classify_cell(not_ws[k], 0, strlen(not_ws[k]), &t), TOK_TEXT);
    }
    /* a count with its unit 项 (E9 A1 B9: the last lead byte units have) */
    {
        gd_tok t;
        memset(&t, 0, sizeof t);
        t_context("%s", "unit");
        CHECK_INT(gd_classify_cell("5\xE9\xA1\xB9", 0, 4, &t), TOK_NUMBER);
        CHECK_INT(t.units, 5);
    }
    /* U+3000 and NBSP with their last byte outside the span: no white space */
    static const struct {
        const char *s;
        size_t end;
    } cut[] = {{"\xE3\x80\x80" "5", 2}, {"5\xE3\x80\x80", 3}, {"5\xC2\xA0", 2},
               {"\xC2\xA0" "5", 1}};
    for (size_t k = 0; k < sizeof cut / sizeof cut[0]; k++) {
        gd_tok t;
        memset(&t, 0, sizeof t);
        t_context("cut %zu", k);
        CHECK(gd_classify_cell(cut[k].s, 0, cut[k].end, &t) != TOK_EMPTY);
        CHECK((unsigned)gd_classify_cell(cut[k].s, 0, cut[k].end, &t) != TOK_NUMBER ||
              t.note_end > t.note_start);
    }
    t_context("%s", "");
}

/* gd_bracket_end: the index after the close that matches the bracket at s[0], or 0 (no
 * bracket there, or not closed inside the span); （ may be closed by ) and ( by ）. */
static void test_bracket_end(void)
{
#define OPEN_FW "\xEF\xBC\x88"  /* （ */
#define CLOSE_FW "\xEF\xBC\x89" /* ） */
#define OPEN_LB "\xE3\x80\x90"  /* 【 */
#define CLOSE_LB "\xE3\x80\x91" /* 】 */
#define NOTE "\xE6\xB3\xA8"     /* 注 */
    static const struct {
        const char *s;
        size_t end, want;
    } cases[] = {
        {"(a)", 3, 3},
        {"[a]", 3, 3},
        {"(a(b)c)x", 8, 7},
        {OPEN_FW NOTE CLOSE_FW, 9, 9},
        {OPEN_LB NOTE CLOSE_LB, 9, 9},
        {OPEN_FW NOTE ")", 7, 7},
        {"(" NOTE CLOSE_FW, 7, 7},
        {"x", 1, 0},
        {"a" OPEN_LB NOTE CLOSE_LB, 10, 0},  /* the bracket must be at s[0] */
        {"[a", 2, 0},
        {OPEN_LB NOTE, 6, 0},
        /* closes cut by the span's end: not closed */
        {"[a]", 2, 0},
        {OPEN_FW NOTE ")", 6, 0},
        {OPEN_FW NOTE CLOSE_FW, 7, 0},
        {OPEN_FW NOTE CLOSE_FW, 8, 0},
        {"(" NOTE CLOSE_FW, 5, 0},
        {OPEN_LB NOTE CLOSE_LB, 8, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        t_context("case %zu", k);
        CHECK_INT(gd_bracket_end(cases[k].s, 0, cases[k].end), cases[k].want);
    }
    t_context("%s", "");
#undef OPEN_FW
#undef CLOSE_FW
#undef OPEN_LB
#undef CLOSE_LB
#undef NOTE
}

/* Cells longer than nine bytes, past the shortcut that calls a long piece
 * text when it cannot start a number: a count with a long note after any
 * first digit, a signed count with a note, a change written with a word or
 * an arrow (本年增/减), a blank copied as &nbsp;s; notes in every bracket.
 * The note is dazu's own (its 行政强制 cell, 3945（含交通行政强制措施实施数量3823）). */
static void test_classify_long_cells(void)
{
#define NOTE "含交通行政强制措施实施数量3823"
    static const struct {
        const char *cell;
        gd_tok_type type;
        long long units;
        const char *note; /* NULL: an empty note */
        int sign_word;
    } cases[] = {
        {"1（" NOTE "）", TOK_NUMBER, 1, NOTE, 0},
        {"5（" NOTE "）", TOK_NUMBER, 5, NOTE, 0},
        {"9（" NOTE "）", TOK_NUMBER, 9, NOTE, 0},
        {"3945(" NOTE ")", TOK_NUMBER, 3945, NOTE, 0},
        {"3945[" NOTE "]", TOK_NUMBER, 3945, NOTE, 0},
        {"3945【" NOTE "】", TOK_NUMBER, 3945, NOTE, 0},
        {"3945件 （" NOTE "）", TOK_NUMBER, 3945, "件 （" NOTE "）", 0},
        {"+1036（新增）", TOK_NUMBER, 1036, "新增", 0},
        {"-8（调整）", TOK_NUMBER, -8, "调整", 0},
        {"－8（调整）", TOK_NUMBER, -8, "调整", 0},
        {"减少1036", TOK_NUMBER, -1036, NULL, 1},
        {"增加12345", TOK_NUMBER, 12345, NULL, 1},
        {"↓1,234,567", TOK_NUMBER, -1234567, NULL, 1},
        {"↑1234567", TOK_NUMBER, 1234567, NULL, 1},
        {"&nbsp;&nbsp;", TOK_EMPTY, 0, NULL, 0},
        {"&nbsp; &nbsp;", TOK_EMPTY, 0, NULL, 0},
        {"一二三四五六七八九十", TOK_TEXT, 0, NULL, 0},
        {"增长率较上年提高", TOK_TEXT, 0, NULL, 0},
        {"——", TOK_NA, 0, NULL, 0},
        {"不适用", TOK_NA, 0, NULL, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *cell = cases[k].cell;
        gd_tok t;
        memset(&t, 0, sizeof t);
        t_context("'%s'", cell);
        if (!CHECK_INT(gd_classify_cell(cell, 0, strlen(cell), &t), cases[k].type))
            continue;
        /* a cell that holds no number has no value: units and scale 0 */
        CHECK_INT(t.units, cases[k].units);
        CHECK_INT(t.scale, 0);
        if (cases[k].note)
            CHECK_MEM(cell + t.note_start, t.note_end - t.note_start, cases[k].note);
        else
            CHECK(t.note_end == t.note_start);
        CHECK_INT((t.flags & TOKF_SIGN_WORD) != 0, cases[k].sign_word);
    }
    t_context("%s", "");
#undef NOTE
}

/* Cells that end the input: each in a buffer of its own length, no NUL after
 * it and another cell before it, so that a read past the cell is a read past
 * the buffer (the plain build cannot see one; make asan does). */
static void test_classify_cells_ending_the_input(void)
{
    static const struct {
        const char *cell;
        gd_tok_type type;
    } cases[] = {
        {"5", TOK_NUMBER},      /* shorter than ＋, and no note after it */
        {"12", TOK_NUMBER},
        {" ", TOK_EMPTY},       /* nothing left once white space is skipped */
        {"减", TOK_TEXT},       /* shorter than 减少 */
        {"增", TOK_TEXT},
        {"↑", TOK_TEXT},
        {"审核中", TOK_TEXT},   /* starts as 减 and 增 do (E5), no sign word */
        {"√", TOK_TEXT},        /* starts as ↑ and ↓ do (E2), no sign word */
        {"&nb", TOK_TEXT},      /* shorter than &nbsp; */
        {"&nbsp;", TOK_EMPTY},
    };
    static const char before[] = "12345|"; /* the cell before it in the row */
    size_t at = sizeof before - 1;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t n = strlen(cases[k].cell);
        char *text = malloc(at + n);
        if (!CHECK(text != NULL))
            return;
        memcpy(text, before, at);
        memcpy(text + at, cases[k].cell, n);
        gd_tok t;
        memset(&t, 0, sizeof t);
        t_context("'%s'", cases[k].cell);
        CHECK_INT(gd_classify_cell(text, at, at + n, &t), cases[k].type);
        free(text);
    }
    t_context("%s", "");
}

const test_case lex_scan_tests[] = {
    {"lex_masks_every_byte_every_offset", test_masks_every_byte_every_offset},
    {"lex_next_every_start_and_limit", test_next_every_start_and_limit},
    {"lex_tables_at_every_alignment", test_tables_at_every_alignment},
    {"normalize_every_offset_and_limit", test_normalize_every_offset_and_limit},
    {"normalize_after_a_cjk_pair", test_normalize_after_a_cjk_pair},
    {"scan_fullwidth_edges", test_scan_fullwidth_edges},
    {"classify_white_space", test_classify_white_space},
    {"bracket_end", test_bracket_end},
    {"lex_bare_digit_cells", test_bare_digit_cells},
    {"lex_cell_ending_in_nbsp", test_cell_ending_in_nbsp},
    {"lex_cell_units", test_cell_units},
    {"group_keywords_counted", test_group_keywords_counted},
    {"classify_long_cells", test_classify_long_cells},
    {"classify_cells_ending_the_input", test_classify_cells_ending_the_input},
    {NULL, NULL},
};
