/*
 * test_errors.c -- every error path of gd_parse(), a failing allocator, and
 * inputs that are not (whole) reports.
 */
#include "test.h"
#include "internal.h" /* gd_utf8_invalid_at, checked against a reference */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A non-NULL value gd_parse() must overwrite with NULL on every error. */
static gd_report *const SENTINEL = (gd_report *)(void *)&SENTINEL;

static void test_parse_null_out(void)
{
    CHECK_INT(gd_parse("abc", 3, NULL, NULL, NULL), GD_ERR_ARG);
    CHECK_INT(gd_parse(NULL, 0, NULL, NULL, NULL), GD_ERR_ARG);
}

static void test_parse_null_text_with_length(void)
{
    gd_report *rep = SENTINEL;
    size_t off = 12345;
    CHECK_INT(gd_parse(NULL, 5, NULL, &rep, &off), GD_ERR_ARG);
    CHECKF(rep == NULL, "*out not set to NULL on GD_ERR_ARG (header: on any error *out is NULL)");
    if (rep != NULL && rep != SENTINEL)
        gd_report_free(rep);
}

static void test_parse_empty(void)
{
    /* NULL with length 0 is an empty text: a report, not an error. */
    gd_report *rep = SENTINEL;
    CHECK_INT(gd_parse(NULL, 0, NULL, &rep, NULL), GD_OK);
    if (CHECK(rep != NULL && rep != SENTINEL)) {
        t_check_invariants(rep, "", 0);
        for (int t = 0; t < GD_NTABLES; t++)
            CHECKF(!rep->tables[t].present, "table %d present in an empty text", t);
        CHECK(rep->agency == NULL);
        CHECK_INT(rep->year, 0);
        CHECK_INT(rep->nunplaced, 0);
        gd_report_free(rep);
    }
    /* A non-NULL pointer with length 0 is the same. */
    rep = SENTINEL;
    CHECK_INT(gd_parse("ignored", 0, NULL, &rep, NULL), GD_OK);
    if (CHECK(rep != NULL && rep != SENTINEL)) {
        CHECK(!rep->tables[GD_TABLE_REQUESTS].present);
        gd_report_free(rep);
    }
}

static void test_report_free_null(void)
{
    gd_report_free(NULL);
    CHECK(1);
}

typedef struct {
    const char *what;
    const char *text;
    size_t len;
    size_t offset;
} bad_utf8;

#define BAD(what, lit, off) {what, lit, sizeof lit - 1, off}

static void test_utf8_invalid(void)
{
    /* Hex escapes are closed with "" so the next character is not read as a digit. */
    static const bad_utf8 cases[] = {
        BAD("lone continuation byte", "abc\x80" "def", 3),
        BAD("lone continuation byte first", "\x80", 0),
        BAD("continuation byte after a character", "规章\xBF", 6),
        BAD("truncated 3-byte sequence at the end", "规章\xE8\xA7", 6),
        BAD("truncated 3-byte sequence, 1 byte", "规章\xE8", 6),
        BAD("truncated 4-byte sequence at the end", "x\xF0\x9F\x98", 1),
        BAD("truncated 2-byte sequence before ASCII", "a\xC3" "(", 1),
        BAD("overlong 2-byte '/'", "ab\xC0\xAF", 2),
        BAD("overlong 2-byte C1", "\xC1\xBF", 0),
        BAD("overlong 3-byte", "1.\xE0\x80\xAF", 2),
        BAD("overlong 4-byte", "\xF0\x8F\xBF\xBF", 0),
        BAD("UTF-16 surrogate D800", "x\xED\xA0\x80" "y", 1),
        BAD("UTF-16 surrogate DFFF", "总计\xED\xBF\xBF", 6),
        BAD("0xF5 lead byte", "中\xF5\x80\x80\x80", 3),
        BAD("above U+10FFFF", "\xF4\x90\x80\x80", 0),
        BAD("0xFF", "0\t0\t\xFF", 4),
        BAD("0xFE", "\xFE\xFF", 0),
        BAD("first of two errors", "a\x80" "b\x80", 1),
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gd_report *rep = SENTINEL;
        size_t off = (size_t)-1;
        t_context("%s", cases[i].what);
        gd_status st = t_parse_with(cases[i].text, cases[i].len, NULL, &rep, &off);
        CHECK_INT(st, GD_ERR_UTF8);
        CHECK_INT(off, cases[i].offset);
        CHECK(rep == NULL);
        /* err_offset may be NULL. */
        rep = SENTINEL;
        CHECK_INT(t_parse_with(cases[i].text, cases[i].len, NULL, &rep, NULL), GD_ERR_UTF8);
        CHECK(rep == NULL);
    }
    t_context("%s", "");
}

static void test_utf8_valid_edges(void)
{
    static const struct {
        const char *what, *text;
    } cases[] = {
        {"4-byte emoji", "\xF0\x9F\x98\x80"},
        {"U+10FFFF", "\xF4\x8F\xBF\xBF"},
        {"U+D7FF", "\xED\x9F\xBF"},
        {"U+E000", "\xEE\x80\x80"},
        {"byte order mark", "\xEF\xBB\xBF" "二、主动公开政府信息情况"},
        {"U+0080", "\xC2\x80"},
        {"U+07FF and U+0800", "\xDF\xBF\xE0\xA0\x80"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t_context("%s", cases[i].what);
        gd_report *rep = t_parse(cases[i].text, strlen(cases[i].text), 0);
        gd_report_free(rep);
    }
    t_context("%s", "");
}

/* The UTF-8 check skips ASCII by words and runs through multi-byte
 * characters; the reference decodes byte by byte, as the rules say. */
static size_t ref_utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char b = s[i];
        size_t n;
        uint32_t cp, min;
        if (b < 0x80) {
            i++;
            continue;
        }
        if ((b & 0xE0) == 0xC0)
            n = 2, cp = b & 0x1F, min = 0x80;
        else if ((b & 0xF0) == 0xE0)
            n = 3, cp = b & 0x0F, min = 0x800;
        else if ((b & 0xF8) == 0xF0)
            n = 4, cp = b & 0x07, min = 0x10000;
        else
            return i;
        if (len - i < n)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n;
    }
    return len;
}

static int utf8_check_agrees(const char *s, size_t len)
{
    size_t got = gd_utf8_invalid_at(s, len), want = ref_utf8_invalid_at((const unsigned char *)s, len);
    return CHECKF(got == want, "%zu bytes: invalid at %zu, expected %zu", len, got, want);
}

/* Every lead byte with every second byte and the telling third bytes, after
 * ASCII and before more: overlongs, surrogates, past U+10FFFF, stray
 * continuation bytes and truncated sequences all come out of this. */
static void test_utf8_check_every_sequence(void)
{
    static const unsigned char thirds[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90,
                                           0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (unsigned b0 = 0x80; b0 <= 0xFF; b0++)
        for (unsigned b1 = 0; b1 <= 0xFF; b1++)
            for (size_t k = 0; k < sizeof thirds; k++)
                for (unsigned b3 = 0x41; b3 <= 0x80; b3 += 0x3F) {
                    char s[] = {'a', 'b', (char)b0, (char)b1, (char)thirds[k], (char)b3, 'c'};
                    for (size_t len = 2; len <= sizeof s; len++) /* cut at every byte too */
                        if (!utf8_check_agrees(s, len))
                            return;
                }
}

/* Each bad form at every offset of a text that mixes long ASCII runs with
 * CJK, so it falls before, inside and after the word-sized steps; through
 * gd_parse the offset must be the same. */
static void test_utf8_check_every_position(void)
{
    static const char *const bad[] = {
        "\x80", "\xBF", "\xC0\xAF", "\xC1\xBF", "\xC2", "\xC2\x41", "\xE0\x80\xAF",
        "\xE0\x9F\xBF", "\xED\xA0\x80", "\xED\xBF\xBF", "\xE4\xB8", "\xE4\x41\x80",
        "\xF0\x80\x80\xAF", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
        "\xF0\x9F\x98", "\xF8\x88\x80\x80\x80", "\xFE", "\xFF",
    };
    const char *base = "<p style=\"font-family:宋体\">本年新收申请 1234 件</p>"
                       "0123456789abcdefghijklmnopqrstuv总计\xF0\x9F\x98\x80 end\xC2\xA0";
    size_t blen = strlen(base);
    char s[256];
    for (size_t len = 0; len <= blen; len++) /* every prefix: characters cut too */
        if (!utf8_check_agrees(base, len))
            return;
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        for (size_t at = 0; at <= blen; at++) {
            size_t n = strlen(bad[k]);
            memcpy(s, base, at);
            memcpy(s + at, bad[k], n);
            memcpy(s + at + n, base + at, blen - at);
            size_t len = blen + n;
            if (!utf8_check_agrees(s, len))
                return;
            size_t want = ref_utf8_invalid_at((const unsigned char *)s, len), off = 0;
            gd_report *rep = SENTINEL;
            t_context("bad form %zu at %zu", k, at);
            CHECK_INT(t_parse_with(s, len, NULL, &rep, &off), GD_ERR_UTF8);
            CHECK_INT(off, want);
            CHECK(rep == NULL);
        }
    t_context("%s", "");
}

static void test_utf8_error_in_report(void)
{
    /* One bad byte deep inside the real report: the offset is exact. */
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    const char *cell = strstr(text, "211184（");
    if (CHECK(cell != NULL)) {
        size_t at = (size_t)(cell - text) + 6 + 1; /* （ is EF BC 88: BC -> FF breaks it */
        char *bad = malloc(len);
        if (CHECK(bad != NULL)) {
            memcpy(bad, text, len);
            bad[at] = (char)0xFF;
            size_t off = 0;
            gd_report *rep = SENTINEL;
            CHECK_INT(t_parse_with(bad, len, NULL, &rep, &off), GD_ERR_UTF8);
            /* The lead byte of （ is at cell+6; its broken sequence starts there. */
            CHECK_INT(off, (size_t)(cell - text) + 6);
            CHECK(rep == NULL);
            /* The last byte of the text cut: a truncated sequence at the end. */
            size_t cut = len;
            while (cut > 0 && ((unsigned char)text[cut - 1] < 0x80))
                cut--; /* the tail is ASCII (spaces, newlines): find a multibyte char */
            if (CHECK(cut >= 3)) {
                rep = SENTINEL;
                CHECK_INT(t_parse_with(text, cut - 1, NULL, &rep, &off), GD_ERR_UTF8);
                CHECK_INT(off, cut - 3);
                CHECK(rep == NULL);
            }
            free(bad);
        }
    }
    free(text);
}

static void test_too_large(void)
{
    /* The size is refused before a byte is read (GD_MAX_INPUT), so a short
     * buffer with a huge length is safe to pass. */
    static const char small[16] = "0";
    gd_report *rep = SENTINEL;
    CHECK_INT(gd_parse(small, GD_MAX_INPUT + 1, NULL, &rep, NULL), GD_ERR_TOO_LARGE);
    CHECK(rep == NULL);
    rep = SENTINEL;
    CHECK_INT(gd_parse(small, (size_t)-1, NULL, &rep, NULL), GD_ERR_TOO_LARGE);
    CHECK(rep == NULL);
}

static void test_options(void)
{
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    gd_options opts = {.flags = 0, .alloc = NULL}; /* alloc NULL: libc */
    gd_report *rep = NULL;
    CHECK_INT(t_parse_with(text, len, &opts, &rep, NULL), GD_OK);
    gd_report_free(rep);
    opts.flags = 0x80000000u; /* bits it does not know are ignored */
    rep = NULL;
    CHECK_INT(t_parse_with(text, len, &opts, &rep, NULL), GD_OK);
    gd_report_free(rep);
    rep = NULL;
    CHECK_INT(t_parse_with(text, len, NULL, &rep, NULL), GD_OK);
    gd_report_free(rep);
    free(text);
}

/* ---- A counting allocator that fails on request ---- */

/*
 * Every block carries a header with a magic word, so a free of a pointer that
 * did not come from this allocator, or a second free, is counted (and not
 * passed to libc) instead of crashing.
 */
#define HDR 16
/* 64 bits on every machine: unsigned long is 32 on 64-bit Windows */
#define MAGIC UINT64_C(0x67646973636c)

typedef struct {
    long calls;    /* malloc + realloc calls */
    long fail_at;  /* the call that fails (1-based); 0: none */
    int fail_rest; /* fail every call from fail_at on */
    long live;     /* blocks not yet freed */
    long bad_free; /* frees of unknown or already freed blocks */
    long wrong_ctx;
} t_alloc;

static t_alloc *ctx_of(void *ctx, t_alloc *expected)
{
    if (ctx != expected)
        expected->wrong_ctx++;
    return expected;
}

static t_alloc *the_alloc; /* to detect a wrong ctx */

static int should_fail(t_alloc *a)
{
    a->calls++;
    return a->fail_at > 0 && (a->calls == a->fail_at || (a->fail_rest && a->calls > a->fail_at));
}

static void *ta_malloc(void *ctx, size_t n)
{
    t_alloc *a = ctx_of(ctx, the_alloc);
    if (should_fail(a))
        return NULL;
    unsigned char *p = malloc(HDR + (n ? n : 1));
    if (!p)
        return NULL;
    uint64_t magic = MAGIC;
    memcpy(p, &magic, sizeof magic);
    a->live++;
    return p + HDR;
}

static int ours(t_alloc *a, void *ptr)
{
    uint64_t magic;
    memcpy(&magic, (unsigned char *)ptr - HDR, sizeof magic);
    if (magic != MAGIC) {
        a->bad_free++;
        return 0;
    }
    return 1;
}

static void *ta_realloc(void *ctx, void *ptr, size_t n)
{
    t_alloc *a = ctx_of(ctx, the_alloc);
    if (ptr && !ours(a, ptr))
        return NULL;
    if (should_fail(a))
        return NULL;
    unsigned char *old = ptr ? (unsigned char *)ptr - HDR : NULL;
    unsigned char *p = realloc(old, HDR + (n ? n : 1));
    if (!p)
        return NULL;
    if (!old) {
        uint64_t magic = MAGIC;
        memcpy(p, &magic, sizeof magic);
        a->live++;
    }
    return p + HDR;
}

static void ta_free(void *ctx, void *ptr)
{
    t_alloc *a = ctx_of(ctx, the_alloc);
    if (!ptr || !ours(a, ptr))
        return;
    uint64_t dead = 0;
    memcpy((unsigned char *)ptr - HDR, &dead, sizeof dead);
    free((unsigned char *)ptr - HDR);
    a->live--;
}

/* Run one parse with allocation number k failing; returns the status. */
static gd_status parse_failing(const char *text, size_t len, unsigned flags, long k, int rest,
                               t_alloc *a, gd_report **out)
{
    memset(a, 0, sizeof *a);
    a->fail_at = k;
    a->fail_rest = rest;
    the_alloc = a;
    gd_allocator al = {ta_malloc, ta_realloc, ta_free, a};
    gd_options opts = {.flags = flags, .alloc = &al};
    *out = SENTINEL;
    return t_parse_with(text, len, &opts, out, NULL);
}

/* Loop k = 1, 2, ... until the parse succeeds: each failure is GD_ERR_NOMEM,
 * leaves *out NULL and frees every block. */
static void alloc_failures(const char *what, const char *text, size_t len, unsigned flags,
                           int rest)
{
    /* Far more allocations than a parse of a few kB can need. */
    const long max_k = 200000;
    t_alloc a;
    gd_report *rep;
    long k;
    int reported = 0;
    t_context("%s%s", what, rest ? ", failing from k on" : "");
    for (k = 1; k <= max_k; k++) {
        gd_status st = parse_failing(text, len, flags, k, rest, &a, &rep);
        if (st == GD_OK)
            break;
        int ok = CHECKF(st == GD_ERR_NOMEM, "k=%ld: status %d, expected GD_ERR_NOMEM", k, (int)st);
        ok &= CHECKF(rep == NULL, "k=%ld: *out not NULL after GD_ERR_NOMEM", k);
        ok &= CHECKF(a.live == 0, "k=%ld: %ld block(s) leaked after GD_ERR_NOMEM", k, a.live);
        ok &= CHECKF(a.bad_free == 0, "k=%ld: %ld bad free(s)", k, a.bad_free);
        ok &= CHECKF(a.calls >= k, "k=%ld: GD_ERR_NOMEM after only %ld allocations", k, a.calls);
        if (rep != NULL && rep != SENTINEL)
            gd_report_free(rep);
        if (!ok && ++reported >= 3)
            return; /* enough to see the pattern */
    }
    if (!CHECKF(k <= max_k, "no success within %ld allocations", max_k))
        return;
    CHECKF(a.calls < k, "the parse succeeded although allocation %ld failed", k);
    if (CHECK(rep != NULL && rep != SENTINEL)) {
        t_check_invariants(rep, text, len);
        gd_report_free(rep);
    }
    CHECKF(a.live == 0, "%ld block(s) live after gd_report_free", a.live);
    CHECK_INT(a.bad_free, 0);
    CHECK_INT(a.wrong_ctx, 0);
    if (k == 1)
        CHECKF(0, "the parse allocated nothing through the allocator");
}

static void test_alloc_failures(void)
{
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    alloc_failures("dazu-gaj-2021.txt", text, len, 0, 0);
    alloc_failures("dazu-gaj-2021.txt", text, len, 0, 1);
    alloc_failures("dazu-gaj-2021.txt strict", text, len, GD_STRICT, 0);
    free(text);

    /* A report with findings (their messages are allocated too): the seed
     * with （一）予以公开 自然人 2 -> 3, as markdown pipe rows. */
    t_doc *d = doc_load();
    if (d) {
        doc_set(d, GD_TABLE_REQUESTS, 2, 0, "3");
        doc_set(d, GD_TABLE_ACTIVE, 2, 0, "1924061924061924061924061");
        doc_set(d, GD_TABLE_REQUESTS, 3, 1, "");
        doc_insert_after(d, GD_TABLE_REVIEWS, 2, 4, "7");
        for (int layout = 0; layout < NLAYOUTS; layout++) {
            char *t = doc_render(d, (t_layout)layout, &len);
            if (t) {
                char what[64];
                snprintf(what, sizeof what, "mutated seed, layout=%s", t_layout_names[layout]);
                alloc_failures(what, t, len, 0, 0);
                alloc_failures(what, t, len, GD_STRICT, 0);
            }
            free(t);
        }
        doc_free(d);
    }

    /* A page in traditional characters is read twice (report.c's parse_folded):
     * every allocation of the second reading fails cleanly too. */
    static const char trad[] = "重慶市某區統計局2021年政府信息公開工作年度報告\n"
                               "二、主動公開政府信息情況\n第二十條第(五)項\n"
                               "信息內容\t本年處理決定數量\n行政許可\t6436\n";
    alloc_failures("traditional page", trad, sizeof trad - 1, 0, 0);

    static const char not_report[] = "这不是一份年度报告。hello 123";
    alloc_failures("not a report", not_report, sizeof not_report - 1, 0, 0);
    alloc_failures("empty text", "", 0, 0, 0);
    t_context("%s", "");
}

static void test_alloc_success_accounting(void)
{
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    t_alloc a;
    gd_report *rep;
    CHECK_INT(parse_failing(text, len, 0, 0, 0, &a, &rep), GD_OK);
    CHECK(a.calls > 0);
    CHECK(a.live > 0); /* the report itself lives in the caller's allocator */
    gd_report_free(rep);
    CHECK_INT(a.live, 0);
    CHECK_INT(a.bad_free, 0);
    CHECK_INT(a.wrong_ctx, 0);
    free(text);
}

/* ---- Not a report, or not all of one ---- */

static void check_not_a_report(const char *what, const char *text, size_t len)
{
    t_context("%s", what);
    gd_report *rep = t_parse(text, len, 0);
    if (rep) {
        for (int t = 0; t < GD_NTABLES; t++)
            CHECKF(!rep->tables[t].present, "table %d present", t);
        if (!CHECKF(t_find_finding(rep, "parse.not_a_report", -1, -2, -2, -2) != NULL,
                    "no parse.not_a_report finding"))
            t_dump_findings(rep);
        CHECK_INT(t_count_findings(rep, NULL, GD_ERROR) -
                      t_count_findings(rep, "parse.not_a_report", GD_ERROR),
                  0);
        gd_report_free(rep);
    }
    t_context("%s", "");
}

static void test_not_a_report(void)
{
    check_not_a_report("empty", "", 0);
    static const char hello[] = "hello, world\n";
    check_not_a_report("hello", hello, sizeof hello - 1);
    static const char numbers[] = "1 2 3\n4\t5\t6\n| 7 | 8 |\n";
    check_not_a_report("numbers", numbers, sizeof numbers - 1);
    static const char prose[] = "今天天气很好，我们去公园散步，看见了3只鸟。";
    check_not_a_report("prose", prose, sizeof prose - 1);
}

static void test_missing_table(void)
{
    /* The seed without section 四: tables 二 and 三 as before, a finding that
     * names table 四 as missing, no identity error. */
    for (int layout = 0; layout < NLAYOUTS; layout++) {
        t_doc *d = doc_load();
        if (!d)
            return;
        doc_drop_table(d, GD_TABLE_REVIEWS);
        char *text;
        size_t len;
        gd_report *rep = doc_parse(d, (t_layout)layout, 0, &text, &len);
        if (rep) {
            CHECK(rep->tables[GD_TABLE_ACTIVE].present);
            CHECK(rep->tables[GD_TABLE_REQUESTS].present);
            CHECK(!rep->tables[GD_TABLE_REVIEWS].present);
            CHECK_INT(rep->tables[GD_TABLE_REVIEWS].cells[0][0].kind, GD_CELL_ABSENT);
            int named = 0;
            for (size_t i = 0; i < rep->nfindings; i++)
                named |= rep->findings[i].code &&
                         strncmp(rep->findings[i].code, "parse.", 6) == 0 &&
                         rep->findings[i].table == GD_TABLE_REVIEWS;
            if (!CHECKF(named, "no parse.* finding naming table reviews as missing"))
                t_dump_findings(rep);
            CHECK_INT(t_count_findings(rep, "reviews.total", -1), 0);
            CHECK_INT(rep->tables[GD_TABLE_REQUESTS].cells[2][0].units, 2);
            gd_report_free(rep);
        }
        free(text);
        doc_free(d);
    }
    t_context("%s", "");
}

static void test_nul_byte_inside(void)
{
    /* A NUL in section 一 does not end the text: the tables after it are read. */
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    const char *p = strstr(text, "一、总体情况");
    if (CHECK(p != NULL)) {
        text[p - text - 1] = '\0'; /* the newline before the heading */
        gd_report *rep = t_parse(text, len, 0);
        if (rep) {
            CHECK(rep->tables[GD_TABLE_REQUESTS].present);
            CHECK_INT(rep->tables[GD_TABLE_REQUESTS].cells[24][6].units, 3);
            CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0);
            gd_report_free(rep);
        }
    }
    free(text);
}

/* ---- Robustness: any valid UTF-8 parses, and reports keep their invariants ---- */

static void test_prefixes(void)
{
    /* Every prefix of the seed that ends at a line break, in every layout,
     * and every prefix that ends on a character boundary in the tables. */
    t_doc *d = doc_load();
    if (!d)
        return;
    for (int layout = 0; layout < NLAYOUTS; layout++) {
        size_t len;
        char *text = doc_render(d, (t_layout)layout, &len);
        if (!text)
            continue;
        const char *tables = strstr(text, "二、主动公开政府信息情况");
        size_t from = tables ? (size_t)(tables - text) : len;
        t_context("layout=%s", t_layout_names[layout]);
        for (size_t n = 0; n <= len; n++) {
            int line_end = n == len || text[n] == '\n';
            int in_tables = n >= from && ((unsigned char)text[n < len ? n : 0] & 0xC0) != 0x80 &&
                            (n - from) % 5 == 0;
            if (!line_end && !in_tables)
                continue;
            gd_report *rep = t_parse(text, n, 0);
            if (!rep) {
                CHECKF(0, "prefix of %zu bytes", n);
                break;
            }
            gd_report_free(rep);
        }
        free(text);
    }
    t_context("%s", "");
    doc_free(d);
}

static void test_deterministic(void)
{
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    gd_report *a = t_parse(text, len, 0), *b = t_parse(text, len, 0);
    if (a && b) {
        CHECK(memcmp(a->tables, b->tables, sizeof a->tables) == 0);
        CHECK_INT(a->nfindings, b->nfindings);
        CHECK_INT(a->nunplaced, b->nunplaced);
        for (size_t i = 0; i < a->nfindings && i < b->nfindings; i++)
            CHECK(strcmp(a->findings[i].code, b->findings[i].code) == 0 &&
                  strcmp(a->findings[i].message, b->findings[i].message) == 0);
    }
    gd_report_free(a);
    gd_report_free(b);
    free(text);
}

/* GD_VALID_UTF8 (the binding's str input) skips the UTF-8 check and nothing
 * else: every corpus text report, and the same reports as HTML table rows,
 * give the same report with it and without it. */
static void same_with_valid_utf8(const char *name, const char *text, size_t len, gd_format fmt)
{
    gd_options plain = {.flags = 0, .alloc = NULL, .format = fmt};
    gd_options vouched = {.flags = GD_VALID_UTF8, .alloc = NULL, .format = fmt};
    gd_report *a = NULL, *b = NULL;
    t_context("%s (format %d)", name, (int)fmt);
    if (CHECK_INT(t_parse_with(text, len, &plain, &a, NULL), GD_OK) &&
        CHECK_INT(t_parse_with(text, len, &vouched, &b, NULL), GD_OK)) {
        CHECK(memcmp(a->tables, b->tables, sizeof a->tables) == 0);
        CHECK_INT(b->text_len, a->text_len);
        if (fmt != GD_FORMAT_TEXT) /* text: the input, a copy t_parse_with freed */
            CHECK(a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0);
        CHECK_INT(b->year, a->year);
        CHECK(a->agency == b->agency || (a->agency && b->agency &&
                                         strcmp(a->agency, b->agency) == 0));
        CHECK_INT(b->nfindings, a->nfindings);
        CHECK_INT(b->nunplaced, a->nunplaced);
        for (size_t i = 0; i < a->nfindings && i < b->nfindings; i++)
            CHECK(strcmp(a->findings[i].code, b->findings[i].code) == 0 &&
                  strcmp(a->findings[i].message, b->findings[i].message) == 0 &&
                  a->findings[i].span.start == b->findings[i].span.start &&
                  a->findings[i].span.end == b->findings[i].span.end);
    }
    gd_report_free(a);
    gd_report_free(b);
    t_context("%s", "");
}

static void test_valid_utf8_flag(void)
{
    static const char *const names[] = {
        "dazu-gaj-2021.txt", "shuyang-2025.txt", "pingtan-2021.txt", "pingtan-2013.txt",
        "excerpt-erdao-2022.txt", "huaian-2024-page4.txt", "shanghai-kewei-2024.md"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t len;
        char *text = t_read_corpus(names[k], &len);
        if (!text)
            continue;
        same_with_valid_utf8(names[k], text, len, GD_FORMAT_TEXT);
        /* as a page: each line a table row, so the markup stage runs too */
        size_t cap = 64 + len * 2, n = 0;
        char *page = malloc(cap);
        if (CHECK(page != NULL)) {
            n += (size_t)sprintf(page, "<html><body><table>");
            for (size_t i = 0; i < len;) {
                const char *nl = memchr(text + i, '\n', len - i);
                size_t e = nl ? (size_t)(nl - text) : len;
                if (n + (e - i) + 32 > cap)
                    break;
                n += (size_t)sprintf(page + n, "<tr><td>");
                memcpy(page + n, text + i, e - i);
                n += e - i;
                n += (size_t)sprintf(page + n, "</td></tr>\n");
                i = e + 1;
            }
            same_with_valid_utf8(names[k], page, n, GD_FORMAT_HTML);
            free(page);
        }
        free(text);
    }
}

/* Random texts from the words reports are made of (deterministic: a fixed LCG). */
static const char *const words[] = {
    "二、主动公开政府信息情况\n", "三、收到和处理政府信息公开申请情况\n",
    "四、政府信息公开行政复议、行政诉讼情况\n", "五、存在的主要问题及改进情况\n",
    "（一）予以公开", "(三)不予公开", "1.属于国家秘密", "3.其他", "（六）其他处理", "（七）总计",
    "一、本年新收政府信息公开申请数量", "四、结转下年度继续办理", "规章", "行政处罚",
    "行政事业性收费", "总计", "自然人", "商业\n企业", "结果维持", "尚未\n审结", "\t", "\n",
    "\n\n", " ", "|", " | ", "| --- |", "0", "7", "12", "1,234", "221.67", "２", "—", "-", "/",
    "无", "不适用", "（", "）", "(含", "209995", "99999999999999999999999", "年", "2021",
    "2022年1月20日", "重庆市大足区公安局", "\xE3\x80\x80", "“", "”", "、", "．", "+", "-8",
};

static unsigned long lcg(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned long)((*s >> 33) & 0x7fffffffULL);
}

static void test_random_texts(void)
{
    unsigned long long seed = 20220120;
    char buf[8192];
    for (int iter = 0; iter < 400; iter++) {
        size_t n = 0;
        size_t nwords = 1 + lcg(&seed) % 300;
        for (size_t w = 0; w < nwords; w++) {
            const char *word = words[lcg(&seed) % (sizeof words / sizeof words[0])];
            size_t wl = strlen(word);
            if (n + wl > sizeof buf)
                break;
            memcpy(buf + n, word, wl);
            n += wl;
        }
        t_context("random text %d", iter);
        gd_report *rep = t_parse(buf, n, iter % 2 ? GD_STRICT : 0);
        gd_report_free(rep);
    }
    t_context("%s", "");
}

static void test_pathological(void)
{
    /* Long runs that a careless scanner could make quadratic or overflow on. */
    static const char *const units[] = {"9", "|", "\t", "\n", "（", "一、", "0\t", "| 0 "};
    size_t n = 200000;
    char *buf = malloc(n);
    if (!CHECK(buf != NULL))
        return;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t ul = strlen(units[u]), len = 0;
        const char *head = "三、收到和处理政府信息公开申请情况\n";
        memcpy(buf, head, strlen(head));
        len = strlen(head);
        while (len + ul <= n) {
            memcpy(buf + len, units[u], ul);
            len += ul;
        }
        t_context("200 kB of \"%s\"", units[u]);
        gd_report *rep = t_parse(buf, len, 0);
        gd_report_free(rep);
    }
    t_context("%s", "");
    free(buf);
}

const test_case errors_tests[] = {
    {"parse_null_out", test_parse_null_out},
    {"utf8_check_every_sequence", test_utf8_check_every_sequence},
    {"utf8_check_every_position", test_utf8_check_every_position},
    {"parse_null_text_with_length", test_parse_null_text_with_length},
    {"parse_empty", test_parse_empty},
    {"report_free_null", test_report_free_null},
    {"utf8_invalid", test_utf8_invalid},
    {"utf8_valid_edges", test_utf8_valid_edges},
    {"utf8_error_in_report", test_utf8_error_in_report},
    {"too_large", test_too_large},
    {"options", test_options},
    {"alloc_failures", test_alloc_failures},
    {"alloc_success_accounting", test_alloc_success_accounting},
    {"not_a_report", test_not_a_report},
    {"missing_table", test_missing_table},
    {"nul_byte_inside", test_nul_byte_inside},
    {"prefixes", test_prefixes},
    {"deterministic", test_deterministic},
    {"valid_utf8_flag_changes_nothing_else", test_valid_utf8_flag},
    {"random_texts", test_random_texts},
    {"pathological", test_pathological},
    {NULL, NULL},
};
