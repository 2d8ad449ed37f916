/*
 * test_labels.c -- gd_normalize, the templates as data, gd_cell_path, and the
 * label variants real reports print (TEMPLATES.md §7).
 */
#include "test.h"
#include "internal.h" /* gd_bloom and gd_char_bit */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* gd_normalize into a static buffer, NUL-terminated. */
static const char *norm(const char *s)
{
    static char out[1024];
    size_t n = gd_normalize(s, strlen(s), out, sizeof out - 1);
    out[n] = '\0';
    return out;
}

#define CHECK_NORM(in, expected) CHECKF(strcmp(norm(in), (expected)) == 0, \
    "gd_normalize(\"%s\") is \"%s\", expected \"%s\"", (in), norm(in), (expected))

static void test_normalize_fullwidth(void)
{
    CHECK_NORM("（一）予以公开", "(一)予以公开");
    CHECK_NORM("第二十条第（一）项", "第二十条第(一)项");
    CHECK_NORM("（七）总计", "(七)总计");
    CHECK_NORM("０１２３４５６７８９", "0123456789");
    CHECK_NORM("１．属于国家秘密", "1.属于国家秘密");
    CHECK_NORM("Ｎ／Ａ", "N/A");
    CHECK_NORM("本年收费金额（单位：万元）", "本年收费金额(单位:万元)");
    CHECK_NORM("１，２３４", "1,234");
    /* Already ASCII: unchanged. */
    CHECK_NORM("(一)予以公开", "(一)予以公开");
    CHECK_NORM("abc-1.2/3", "abc-1.2/3");
    CHECK_NORM("", "");
}

static void test_normalize_whitespace(void)
{
    CHECK_NORM("商业\n企业", "商业企业");
    CHECK_NORM("商业\r\n企业", "商业企业");
    CHECK_NORM("\t结果\n纠正\t", "结果纠正");
    CHECK_NORM("商 业 企 业", "商业企业");
    CHECK_NORM("\xE3\x80\x80规章\xE3\x80\x80", "规章");          /* ideographic space U+3000 */
    CHECK_NORM("行政\xC2\xA0许可", "行政许可");                    /* no-break space */
    CHECK_NORM("（一）  予以\t公开\n", "(一)予以公开");
    CHECK_NORM(" \t\r\n\xE3\x80\x80", "");
}

static void test_normalize_quotes(void)
{
    CHECK_NORM("3.危及“三安全一稳定”", "3.危及三安全一稳定"); /* official: U+201C U+201D */
    CHECK_NORM("3.危及\"三安全一稳定\"", "3.危及三安全一稳定");
    CHECK_NORM("3.危及三安全一稳定", "3.危及三安全一稳定");
    CHECK_NORM("‘三安全一稳定’", "三安全一稳定");
    CHECK_NORM("'三安全一稳定'", "三安全一稳定");
}

static void test_normalize_item_numbers(void)
{
    CHECK_NORM("1.属于国家秘密", "1.属于国家秘密");
    CHECK_NORM("1、属于国家秘密", "1.属于国家秘密");
    CHECK_NORM("1．属于国家秘密", "1.属于国家秘密");
    CHECK_NORM("1. 属于国家秘密", "1.属于国家秘密");
    CHECK_NORM("一、本年新收政府信息公开申请数量", "一.本年新收政府信息公开申请数量");
}

static void test_normalize_idempotent_and_bounded(void)
{
    static const char *const samples[] = {
        "（一）予以公开", "3.危及“三安全一稳定”", "商 业\n企\xE3\x80\x80业", "１、属于国家秘密",
        "211184（含交通行政处罚实施数量209995）", "Ｎ／Ａ", "—", "不适用",
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char once[256], twice[256];
        size_t n1 = gd_normalize(samples[i], strlen(samples[i]), once, sizeof once);
        size_t n2 = gd_normalize(once, n1, twice, sizeof twice);
        CHECKF(n1 == n2 && memcmp(once, twice, n1) == 0, "normalising \"%s\" twice changes it",
               samples[i]);
    }

    /* cap is respected, the result is a prefix of the whole result and no
     * UTF-8 sequence is cut in two. */
    const char *s = "（一）予以公开";
    char full[64];
    size_t nfull = gd_normalize(s, strlen(s), full, sizeof full);
    for (size_t cap = 0; cap <= nfull + 2; cap++) {
        char out[64];
        memset(out, '#', sizeof out);
        size_t n = gd_normalize(s, strlen(s), out, cap);
        CHECKF(n <= cap, "cap %zu: returned %zu", cap, n);
        CHECKF(n <= nfull && memcmp(out, full, n) == 0, "cap %zu: not a prefix", cap);
        CHECKF(out[cap] == '#', "cap %zu: wrote past cap", cap);
        CHECKF(n == 0 || ((unsigned char)out[n - 1] < 0x80 ||
                          n == nfull || ((unsigned char)full[n] & 0xC0) != 0x80),
               "cap %zu: a character cut in two", cap);
    }
    CHECK_INT(gd_normalize(s, strlen(s), full, 0), 0);
}

/* gd_normalize copies the common characters without decoding them (a fast
 * path); it must give what decoding every character gives, for every cap
 * and also for text cut inside a character.  The reference: */
static size_t ref_char(const unsigned char *u, size_t len, size_t i, uint32_t *cp)
{
    unsigned char b = u[i];
    if (b < 0x80 || i + 1 >= len)
        return *cp = b, 1;
    if ((b & 0xE0) == 0xC0)
        return *cp = ((uint32_t)(b & 0x1F) << 6) | (u[i + 1] & 0x3F), 2;
    if ((b & 0xF0) == 0xE0 && i + 2 < len)
        return *cp = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) |
                     (u[i + 2] & 0x3F), 3;
    if ((b & 0xF8) == 0xF0 && i + 3 < len)
        return *cp = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(u[i + 1] & 0x3F) << 12) |
                     ((uint32_t)(u[i + 2] & 0x3F) << 6) | (u[i + 3] & 0x3F), 4;
    return *cp = b, 1;
}

static size_t ref_normalize(const char *s, size_t len, char *out, size_t cap)
{
    static const uint32_t dropped[] = {' ', '\t', '\n', '\r', '\f', '\v', 0x3000, 0xA0, 0x2002,
                                       0x2003, 0x200B, 0xFEFF, '"', '\'', 0x201C, 0x201D,
                                       0x2018, 0x2019, 0x300C, 0x300D};
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = ref_char((const unsigned char *)s, len, i, &cp), k, m = n;
        const char *src = s + i;
        char ascii;
        i += n;
        for (k = 0; k < sizeof dropped / sizeof dropped[0] && dropped[k] != cp; k++)
            ;
        if (k < sizeof dropped / sizeof dropped[0])
            continue;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            ascii = (char)(cp - 0xFF01 + 0x21), src = &ascii, m = 1;
        else if (cp == 0x3001 || cp == 0xFF0E)
            ascii = '.', src = &ascii, m = 1;
        if (o + m > cap)
            break;
        memcpy(out + o, src, m);
        o += m;
    }
    return o;
}

static void test_normalize_fast_path_as_decoding(void)
{
    const char *samples[] = {
        "（一）“予以” 公开　、．ＡＢ\t\"'「」‘’ \xC2\xA0x\xE2\x80\x83y\xEF\xBB\xBFz中文123",
        "本年新收政府信息公开申请数量\xE2\x80\x8B（含）12,345．6７件",
        "abc def\r\n\xF0\x9F\x98\x80末",
    };
    for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++) {
        size_t total = strlen(samples[k]);
        for (size_t len = 0; len <= total; len++) /* every prefix: characters cut too */
            for (size_t cap = 0; cap <= 2 * len + 1; cap++) {
                char got[256], want[256];
                size_t g = gd_normalize(samples[k], len, got, cap);
                size_t w = ref_normalize(samples[k], len, want, cap);
                if (!CHECKF(g == w && memcmp(got, want, g) == 0,
                            "sample %zu, %zu bytes, cap %zu: %zu bytes, expected %zu", k, len,
                            cap, g, w))
                    return;
            }
    }
}

/* gd_bloom takes three-byte characters without gd_char_bit (a fast path);
 * it must give the bits gd_char_bit gives character by character, for text
 * cut inside a character too. */
static void test_bloom_fast_path_as_char_bits(void)
{
    const char *samples[] = {
        "本年新收政府信息公开申请数量（含）12,345．6件 \xC2\xA0x\xF0\x9F\x98\x80末",
        "本年增/减\xE4\xB8\xAD\xE6\x96\x87" "abc",
    };
    for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++) {
        size_t total = strlen(samples[k]);
        for (size_t len = 0; len <= total; len++) {
            uint64_t want = 0;
            for (size_t i = 0, n; i < len; i += n)
                want |= gd_char_bit(samples[k] + i, len - i, &n);
            if (!CHECKF(gd_bloom(samples[k], len) == want, "sample %zu, %zu bytes", k, len))
                return;
        }
    }
}

/* gd_normalize_bloom makes its bloom while writing; it must be gd_bloom of
 * what it wrote, for text cut inside a character (a lead byte then dropped
 * spaces and quotes), stray continuation bytes and every output cap. */
static void test_normalize_bloom_as_bloom_of_output(void)
{
    const char *samples[] = {
        "（一）本年新收 “申请” 12，345．6件\xC2\xA0x\xF0\x9F\x98\x80末、",
        "\xF0 \x80\xE5\x80\xE3\x80\x80\xC3\"\x80\xE0\x80 \xFF\xBF本年增／减",
        "\xE5 \x80\xF0\x9F \x98",
    };
    for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++) {
        size_t total = strlen(samples[k]);
        for (size_t len = 0; len <= total; len++)
            for (size_t cap = 0; cap <= len + 1; cap++) {
                char out[256], plain[256];
                uint64_t bloom = ~(uint64_t)0;
                size_t n = gd_normalize_bloom(samples[k], len, out, cap, &bloom);
                size_t p = gd_normalize(samples[k], len, plain, cap);
                if (!CHECKF(n == p && memcmp(out, plain, n) == 0 && bloom == gd_bloom(out, n),
                            "sample %zu, %zu bytes, cap %zu", k, len, cap))
                    return;
            }
    }
}

/* ---- The lexer's scans (sixteen or eight bytes a step) ---- */

static void *t_malloc(void *ctx, size_t n) { (void)ctx; return malloc(n); }
static void *t_realloc(void *ctx, void *p, size_t n) { (void)ctx; return realloc(p, n); }
static void t_free(void *ctx, void *p) { (void)ctx; free(p); }
static const gd_allocator t_alloc = {t_malloc, t_realloc, t_free, NULL};

/* Lex text into c (free c->toks after); 0 on success. */
static int lex(gd_ctx *c, const char *text)
{
    memset(c, 0, sizeof *c);
    c->text = c->src = text;
    c->len = c->src_len = strlen(text);
    c->alloc = &t_alloc;
    return gd_lex_text(c);
}

/* text = filler repeated n times, then tail; into buf. */
static const char *repeat(char *buf, size_t cap, const char *filler, size_t n, const char *tail)
{
    size_t o = 0, fl = strlen(filler), tl = strlen(tail);
    for (size_t k = 0; k < n && o + fl < cap; k++, o += fl)
        memcpy(buf + o, filler, fl);
    if (o + tl < cap) {
        memcpy(buf + o, tail, tl);
        o += tl;
    }
    buf[o] = '\0';
    return buf;
}

/* A separator is found wherever it stands in a line: inside or after a
 * block the scan skips, after full-width characters (lead byte EF, as '｜'). */
static void test_lex_separator_at_every_offset(void)
{
    const char *seps[] = {"\t", "|", "\xEF\xBD\x9C"};
    const char *fillers[] = {"\xE5\xAD\x97", "a", "\xEF\xBC\x8C"}; /* 字 a ， */
    char buf[512];
    for (size_t q = 0; q < 3; q++)
        for (size_t f = 0; f < 3; f++)
            for (size_t pad = 1; pad <= 40; pad++) {
                char tail[16];
                snprintf(tail, sizeof tail, "%s12\n", seps[q]);
                gd_ctx c;
                const char *text = repeat(buf, sizeof buf, fillers[f], pad, tail);
                size_t at = pad * strlen(fillers[f]) + strlen(seps[q]);
                int rc = lex(&c, text);
                size_t numbers = 0, number_at = 0;
                for (size_t i = 0; i < c.ntoks; i++)
                    if (c.toks[i].type == TOK_NUMBER && (c.toks[i].flags & TOKF_CELL)) {
                        numbers++;
                        number_at = c.toks[i].start;
                    }
                free(c.toks);
                if (!CHECKF(rc == 0 && numbers == 1 && number_at == at,
                            "separator %zu after %zu of filler %zu: %zu cells, at %zu", q, pad, f,
                            numbers, number_at))
                    return;
            }
}

/* A piece ends at the first white space (ASCII, U+3000, NBSP) wherever it
 * stands, also after bytes that may end a piece but do not (。: E3). */
static void test_lex_piece_end_at_every_offset(void)
{
    const char *spaces[] = {" ", "\r", "\xE3\x80\x80", "\xC2\xA0"};
    const char *fillers[] = {"\xE5\xAD\x97", "a", "\xE3\x80\x82"}; /* 字 a 。 */
    char buf[512];
    for (size_t q = 0; q < 4; q++)
        for (size_t f = 0; f < 3; f++)
            for (size_t pad = 1; pad <= 40; pad++) {
                char tail[16];
                snprintf(tail, sizeof tail, "%sx\n", spaces[q]);
                gd_ctx c;
                const char *text = repeat(buf, sizeof buf, fillers[f], pad, tail);
                int rc = lex(&c, text);
                size_t n = c.ntoks, end = n ? c.toks[0].end : 0;
                free(c.toks);
                if (!CHECKF(rc == 0 && n == 2 && end == pad * strlen(fillers[f]),
                            "space %zu after %zu of filler %zu: %zu pieces, first ends at %zu", q,
                            pad, f, n, end))
                    return;
            }
}

/* ---- The templates as data ---- */

static void test_template_tables(void)
{
    static const char *const ids[] = {"active", "requests", "reviews"};
    static const char *const labels[] = {
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    };
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        if (!CHECKF(def != NULL, "gd_table_def(%d) is NULL", t))
            continue;
        CHECK_STR(def->id, ids[t]);
        CHECK_STR(def->label, labels[t]);
        CHECK(def->rows != NULL);
        CHECK(def->nrows <= GD_MAX_ROWS);
    }
    CHECK(gd_table_def(GD_NTABLES) == NULL);
    CHECK_INT(gd_table_def(GD_TABLE_ACTIVE)->nrows, 8);
    CHECK_INT(gd_table_def(GD_TABLE_REQUESTS)->nrows, 26);
    CHECK_INT(gd_table_def(GD_TABLE_REVIEWS)->nrows, 3);
}

/* The captions over table 三's rows: 三、本年度办理结果 over （一）…（七）, the
 * group caption over each numbered item, nothing over 一、二、四 or table 二/四. */
static void test_row_captions(void)
{
    const gd_tabledef *rq = gd_table_def(GD_TABLE_REQUESTS);
    const char *cap[2] = {NULL, NULL};
    for (unsigned r = 0; r < rq->nrows; r++) {
        int n = gd_row_captions(GD_TABLE_REQUESTS, r, cap);
        const char *id = rq->rows[r].id;
        int result = strcmp(id, "new") != 0 && strcmp(id, "carried_over") != 0 &&
                     strcmp(id, "carried_forward") != 0;
        int item = rq->rows[r].group != 0 && strcmp(id, "other.all") != 0;
        if (!CHECKF(n == result + item, "%s has %d captions", id, n) || n == 0)
            continue;
        CHECK_STR(cap[0], "三、本年度办理结果");
        if (n == 2) {
            static const char *const groups[] = {"（三）不予公开", "（四）无法提供",
                                                 "（五）不予处理", "（六）其他处理"};
            CHECK_STR(cap[1], groups[rq->rows[r].group - 3]);
        }
    }
    CHECK_INT(gd_row_captions(GD_TABLE_ACTIVE, 0, cap), 0);
    CHECK_INT(gd_row_captions(GD_TABLE_REVIEWS, 1, cap), 0);
    CHECK_INT(gd_row_captions(GD_TABLE_REQUESTS, 999, cap), 0);
}

static int has_col(const gd_rowdef *row, const char *id, unsigned tpl, int money)
{
    for (unsigned c = 0; c < row->ncols; c++)
        if (strcmp(row->cols[c].id, id) == 0)
            return (row->cols[c].templates & tpl) == tpl && row->cols[c].money == money;
    return 0;
}

static unsigned count_cols(const gd_rowdef *row, unsigned tpl)
{
    unsigned n = 0;
    for (unsigned c = 0; c < row->ncols; c++)
        n += (row->cols[c].templates & tpl) != 0;
    return n;
}

static void test_template_active(void)
{
    /* SCHEMA.md "active": the 2021 rows, then the 2019-only ones in place. */
    static const struct {
        const char *id, *label;
        unsigned tpl;
        unsigned ncols2021, ncols2019;
    } want[] = {
        {"rules", "规章", GD_TPL_BOTH, 3, 3},
        {"normative_documents", "行政规范性文件", GD_TPL_BOTH, 3, 3},
        {"licensing", "行政许可", GD_TPL_BOTH, 1, 3},
        {"other_services", "其他对外管理服务事项", GD_TPL_2019, 0, 3},
        {"penalties", "行政处罚", GD_TPL_BOTH, 1, 3},
        {"enforcement", "行政强制", GD_TPL_BOTH, 1, 3},
        {"fees", "行政事业性收费", GD_TPL_BOTH, 1, 2},
        {"procurement", "政府集中采购", GD_TPL_2019, 0, 2},
    };
    const gd_tabledef *def = gd_table_def(GD_TABLE_ACTIVE);
    if (!CHECK_INT(def->nrows, 8))
        return;
    unsigned cells2021 = 0;
    for (unsigned r = 0; r < 8; r++) {
        const gd_rowdef *row = &def->rows[r];
        t_context("row %u", r);
        CHECK_STR(row->id, want[r].id);
        CHECK_STR(row->label, want[r].label);
        CHECK_INT(row->templates, want[r].tpl);
        CHECK_INT(count_cols(row, GD_TPL_2021), want[r].ncols2021);
        CHECK_INT(count_cols(row, GD_TPL_2019), want[r].ncols2019);
        CHECK(row->ncols <= GD_MAX_COLS);
        cells2021 += count_cols(row, GD_TPL_2021);
    }
    t_context("%s", "");
    CHECK_INT(cells2021, 10); /* issue: 二 主动公开 has 10 cells */
    CHECK(has_col(&def->rows[0], "issued", GD_TPL_2021, 0));
    CHECK(has_col(&def->rows[0], "repealed", GD_TPL_2021, 0));
    CHECK(has_col(&def->rows[0], "in_force", GD_TPL_2021, 0));
    CHECK(has_col(&def->rows[0], "new_made", GD_TPL_2019, 0));
    CHECK(has_col(&def->rows[0], "published_total", GD_TPL_2019, 0));
    CHECK(has_col(&def->rows[2], "count", GD_TPL_2021, 0));
    CHECK(has_col(&def->rows[2], "items_delta", GD_TPL_2019, 0));
    CHECK(has_col(&def->rows[4], "count", GD_TPL_2021, 0));
    CHECK(has_col(&def->rows[5], "count", GD_TPL_2021, 0));
    CHECK(has_col(&def->rows[6], "amount", GD_TPL_2021, 1)); /* 万元, exact decimal */
    CHECK(has_col(&def->rows[7], "amount", GD_TPL_2019, 1));
    CHECK(has_col(&def->rows[7], "projects", GD_TPL_2019, 0));
    /* 本年新制作数量 is never 本年制发件数: different ids, different templates. */
    CHECK(!has_col(&def->rows[0], "issued", GD_TPL_2019, 0));
}

static const char *const request_ids[26] = {
    "new", "carried_over", "granted", "partly_granted",
    "withheld.state_secret", "withheld.prohibited_by_law", "withheld.security_stability",
    "withheld.third_party_rights", "withheld.internal_affairs", "withheld.process_info",
    "withheld.enforcement_file", "withheld.inquiry",
    "unable.not_held", "unable.needs_creation", "unable.unclear",
    "not_processed.petition", "not_processed.repeated", "not_processed.publication",
    "not_processed.excessive", "not_processed.confirmation",
    "other.no_correction", "other.unpaid_fee", "other.other", "other.all",
    "total", "carried_forward",
};

static void test_template_requests(void)
{
    static const char *const col_ids[7] = {"natural_person", "commercial", "research",
                                           "public_interest", "legal_services", "other_org",
                                           "total"};
    static const char *const col_labels[7] = {"自然人", "商业企业", "科研机构", "社会公益组织",
                                              "法律服务机构", "其他", "总计"};
    const gd_tabledef *def = gd_table_def(GD_TABLE_REQUESTS);
    if (!CHECK_INT(def->nrows, 26))
        return;
    unsigned n2021 = 0, n2019 = 0;
    for (unsigned r = 0; r < 26; r++) {
        const gd_rowdef *row = &def->rows[r];
        t_context("row %u %s", r, request_ids[r]);
        CHECK_STR(row->id, request_ids[r]);
        if (CHECK_INT(row->ncols, 7))
            for (unsigned c = 0; c < 7; c++) {
                CHECK_STR(row->cols[c].id, col_ids[c]);
                CHECK_STR(row->cols[c].label, col_labels[c]);
                CHECK_INT(row->cols[c].templates, GD_TPL_BOTH);
                CHECK_INT(row->cols[c].money, 0);
            }
        unsigned want_group = r >= 4 && r <= 11 ? 3 : r >= 12 && r <= 14 ? 4
                              : r >= 15 && r <= 19 ? 5 : r >= 20 && r <= 23 ? 6 : 0;
        CHECK_INT(row->group, want_group);
        unsigned want_tpl = r >= 20 && r <= 22 ? GD_TPL_2021 : r == 23 ? GD_TPL_2019 : GD_TPL_BOTH;
        CHECK_INT(row->templates, want_tpl);
        n2021 += (row->templates & GD_TPL_2021) != 0;
        n2019 += (row->templates & GD_TPL_2019) != 0;
    }
    t_context("%s", "");
    CHECK_INT(n2021, 25); /* 25 rows x 7 columns = 175 cells */
    CHECK_INT(n2019, 23); /* （六）其他处理 is one row in 2019 */
    /* The indices the checks depend on. */
    CHECK_STR(def->rows[23].id, "other.all");
    CHECK_STR(def->rows[24].id, "total");
    CHECK_STR(def->rows[25].id, "carried_forward");
    /* Official labels (TEMPLATES.md §3.2), exactly. */
    CHECK_STR(def->rows[0].label, "一、本年新收政府信息公开申请数量");
    CHECK_STR(def->rows[2].label, "（一）予以公开");
    CHECK_STR(def->rows[3].label, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）");
    CHECK_STR(def->rows[6].label, "3.危及“三安全一稳定”");
    CHECK_STR(def->rows[22].label, "3.其他");
    CHECK_STR(def->rows[24].label, "（七）总计");
    CHECK_STR(def->rows[25].label, "四、结转下年度继续办理");
}

static void test_template_reviews(void)
{
    static const char *const ids[3] = {"review", "litigation_direct", "litigation_after_review"};
    static const char *const cols[5] = {"upheld", "corrected", "other", "pending", "total"};
    static const char *const labels[5] = {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"};
    const gd_tabledef *def = gd_table_def(GD_TABLE_REVIEWS);
    if (!CHECK_INT(def->nrows, 3))
        return;
    for (unsigned r = 0; r < 3; r++) {
        CHECK_STR(def->rows[r].id, ids[r]);
        CHECK_INT(def->rows[r].templates, GD_TPL_BOTH);
        if (!CHECK_INT(def->rows[r].ncols, 5))
            continue;
        for (unsigned c = 0; c < 5; c++) {
            CHECK_STR(def->rows[r].cols[c].id, cols[c]);
            CHECK_STR(def->rows[r].cols[c].label, labels[c]);
        }
    }
}

static const gd_identity *find_identity(const char *code)
{
    size_t n = 0;
    const gd_identity *ids = gd_identities(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i].code, code) == 0)
            return &ids[i];
    return NULL;
}

static void test_template_identities(void)
{
    size_t n = 0;
    const gd_identity *ids = gd_identities(&n);
    if (!CHECK(ids != NULL) || !CHECK_INT(n, 4))
        return;
    CHECK(gd_identities(NULL) == ids);
    CHECK_STR(ids[0].code, "requests.balance");
    CHECK_STR(ids[1].code, "requests.column_total");
    CHECK_STR(ids[2].code, "requests.row_total");
    CHECK_STR(ids[3].code, "reviews.total");

    for (size_t i = 0; i < n; i++) {
        const gd_identity *id = &ids[i];
        const gd_tabledef *def = gd_table_def(id->table);
        t_context("%s", id->code);
        if (!CHECK(def != NULL))
            continue;
        CHECK(id->rule != NULL && id->rule[0] != '\0');
        CHECK(id->nterms > 0 && id->nterms <= GD_MAX_TERMS);
        unsigned limit = id->each == GD_EACH_COLUMN ? def->nrows : def->rows[0].ncols;
        CHECKF(id->target >= 0 && (unsigned)id->target < limit, "target %d", id->target);
        for (int k = 0; k < id->nterms && k < GD_MAX_TERMS; k++) {
            CHECKF(id->terms[k] >= 0 && (unsigned)id->terms[k] < limit, "term %d is %d", k,
                   id->terms[k]);
            CHECKF(id->terms[k] != id->target, "term %d is the target", k);
            CHECKF(id->signs[k] == 1 || id->signs[k] == -1, "sign %d is %d", k, id->signs[k]);
        }
    }
    t_context("%s", "");

    /* §6.1: 一 + 二 = （七）总计 + 四, i.e. total = new + carried_over - carried_forward. */
    const gd_identity *b = find_identity("requests.balance");
    if (CHECK(b != NULL)) {
        CHECK_INT(b->table, GD_TABLE_REQUESTS);
        CHECK_INT(b->each, GD_EACH_COLUMN);
        CHECK_INT(b->target, 24);
        int sum[26] = {0};
        for (int k = 0; k < b->nterms; k++)
            sum[b->terms[k]] += b->signs[k];
        for (int r = 0; r < 26; r++)
            CHECKF(sum[r] == (r == 0 || r == 1 ? 1 : r == 25 ? -1 : 0),
                   "balance: row %s has weight %d", request_ids[r], sum[r]);
    }
    /* （七）总计 = every result row: granted .. other.other, and 2019's other.all. */
    const gd_identity *ct = find_identity("requests.column_total");
    if (CHECK(ct != NULL)) {
        CHECK_INT(ct->each, GD_EACH_COLUMN);
        CHECK_INT(ct->target, 24);
        int sum[26] = {0};
        for (int k = 0; k < ct->nterms; k++)
            sum[ct->terms[k]] += ct->signs[k];
        for (int r = 0; r < 26; r++)
            CHECKF(sum[r] == (r >= 2 && r <= 23 ? 1 : 0), "column_total: row %s has weight %d",
                   request_ids[r], sum[r]);
    }
    /* 总计 column = the six applicant columns. */
    const gd_identity *rt = find_identity("requests.row_total");
    if (CHECK(rt != NULL)) {
        CHECK_INT(rt->each, GD_EACH_ROW);
        CHECK_INT(rt->target, 6);
        int sum[7] = {0};
        for (int k = 0; k < rt->nterms; k++)
            sum[rt->terms[k]] += rt->signs[k];
        for (int c = 0; c < 7; c++)
            CHECKF(sum[c] == (c < 6 ? 1 : 0), "row_total: column %d has weight %d", c, sum[c]);
    }
    /* 总计 = 维持 + 纠正 + 其他 + 尚未审结 (尚未审结 included: TEMPLATES.md §6.2). */
    const gd_identity *rv = find_identity("reviews.total");
    if (CHECK(rv != NULL)) {
        CHECK_INT(rv->table, GD_TABLE_REVIEWS);
        CHECK_INT(rv->each, GD_EACH_ROW);
        CHECK_INT(rv->target, 4);
        int sum[5] = {0};
        for (int k = 0; k < rv->nterms; k++)
            sum[rv->terms[k]] += rv->signs[k];
        for (int c = 0; c < 5; c++)
            CHECKF(sum[c] == (c < 4 ? 1 : 0), "reviews.total: column %d has weight %d", c,
                   sum[c]);
    }
}

/* Strip leading item numbering ("3.", "(六)") from a normalised label. */
static const char *cut_numbering(const char *s)
{
    if (*s == '(') {
        const char *close = strchr(s, ')');
        return close ? close + 1 : s;
    }
    const char *p = s;
    while (*p >= '0' && *p <= '9')
        p++;
    return p > s && *p == '.' ? p + 1 : s;
}

static int label_matches(const gd_rowdef *row, const char *normalised_label)
{
    for (int k = 0; k < 5 && row->keys[k]; k++)
        if (strstr(normalised_label, row->keys[k]))
            return 1;
    return 0;
}

static void test_template_keys(void)
{
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        for (unsigned r = 0; r < def->nrows; r++) {
            const gd_rowdef *row = &def->rows[r];
            t_context("%s.%s", def->id, row->id);
            CHECK(row->id != NULL && row->id[0] != '\0');
            CHECK(row->label != NULL && row->label[0] != '\0');
            CHECK(row->cols != NULL && row->ncols > 0 && row->ncols <= GD_MAX_COLS);
            CHECKF(row->keys[0] != NULL, "no key");
            int ended = 0;
            for (int k = 0; k < 5; k++) {
                if (!row->keys[k]) {
                    ended = 1;
                    break;
                }
                CHECKF(row->keys[k][0] != '\0', "key %d is empty", k);
                CHECKF(strcmp(norm(row->keys[k]), row->keys[k]) == 0,
                       "key \"%s\" is not normalised (\"%s\")", row->keys[k], norm(row->keys[k]));
            }
            CHECKF(ended, "keys not NULL-ended");
            for (unsigned c = 0; c < row->ncols; c++)
                CHECKF(row->cols[c].id && row->cols[c].id[0] && row->cols[c].label &&
                           row->cols[c].label[0],
                       "column %u without id or label", c);

            /* The official label is recognised by its own row's keys. */
            char label[512];
            strcpy(label, norm(row->label));
            CHECKF(label_matches(row, label), "official label %s matches none of its keys",
                   row->label);
            if (row->flags & GD_ROW_EXACT) {
                int exact = 0;
                for (int k = 0; k < 5 && row->keys[k]; k++)
                    exact |= strcmp(cut_numbering(label), row->keys[k]) == 0;
                CHECKF(exact, "GD_ROW_EXACT row: no key equals the label without numbering");
            }
            /* ... and by no other ordinary row's keys (TEMPLATES.md §7: 其他 is ambiguous;
             * such rows carry GD_ROW_EXACT / GD_ROW_NEEDS_GROUP / GD_ROW_GROUP). */
            if (row->flags)
                continue;
            for (unsigned o = 0; o < def->nrows; o++) {
                if (o == r || def->rows[o].flags)
                    continue;
                CHECKF(!label_matches(&def->rows[o], label),
                       "official label %s is also matched by the keys of row %s", row->label,
                       def->rows[o].id);
            }
        }
    }
    /* Row and column ids are unique within a table / row. */
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        for (unsigned r = 0; r < def->nrows; r++) {
            for (unsigned o = r + 1; o < def->nrows; o++)
                CHECKF(strcmp(def->rows[r].id, def->rows[o].id) != 0, "duplicate row id %s.%s",
                       def->id, def->rows[r].id);
            for (unsigned c = 0; c < def->rows[r].ncols; c++)
                for (unsigned d = c + 1; d < def->rows[r].ncols; d++)
                    CHECKF(strcmp(def->rows[r].cols[c].id, def->rows[r].cols[d].id) != 0,
                           "duplicate column id %s.%s.%s", def->id, def->rows[r].id,
                           def->rows[r].cols[c].id);
        }
    }
}

static void check_path(int table, int row, int col, const char *want)
{
    char buf[128];
    memset(buf, '#', sizeof buf);
    size_t n = gd_cell_path(table, row, col, buf, sizeof buf);
    CHECKF(strcmp(buf, want) == 0 && n == strlen(want),
           "gd_cell_path(%d, %d, %d) is \"%s\" (%zu), expected \"%s\"", table, row, col, buf, n,
           want);
}

static void test_cell_path(void)
{
    check_path(GD_TABLE_REQUESTS, 24, 0, "requests.total.natural_person");
    check_path(GD_TABLE_REQUESTS, 4, -1, "requests.withheld.state_secret");
    check_path(GD_TABLE_REQUESTS, 4, 6, "requests.withheld.state_secret.total");
    check_path(GD_TABLE_REQUESTS, 2, 0, "requests.granted.natural_person");
    check_path(GD_TABLE_ACTIVE, -1, -1, "active");
    check_path(GD_TABLE_ACTIVE, 4, 0, "active.penalties.count");
    check_path(GD_TABLE_ACTIVE, 6, 0, "active.fees.amount");
    check_path(GD_TABLE_REVIEWS, 2, 4, "reviews.litigation_after_review.total");
    check_path(GD_TABLE_REVIEWS, -1, 3, "reviews");

    /* Every cell of every table: table.row.column. */
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        for (unsigned r = 0; r < def->nrows; r++)
            for (unsigned c = 0; c < def->rows[r].ncols; c++) {
                char want[128], buf[128];
                snprintf(want, sizeof want, "%s.%s.%s", def->id, def->rows[r].id,
                         def->rows[r].cols[c].id);
                size_t n = gd_cell_path(t, (int)r, (int)c, buf, sizeof buf);
                CHECKF(n == strlen(want) && strcmp(buf, want) == 0, "path of (%d,%u,%u) is %s",
                       t, r, c, buf);
            }
    }

    /* Like snprintf: the length it needs, truncated and NUL-terminated. */
    char small[9];
    memset(small, '#', sizeof small);
    size_t n = gd_cell_path(GD_TABLE_REQUESTS, 24, 0, small, 8);
    CHECK_INT(n, strlen("requests.total.natural_person"));
    CHECK_STR(small, "request");
    CHECK(small[8] == '#');
    CHECK_INT(gd_cell_path(GD_TABLE_REQUESTS, 24, 0, NULL, 0),
              strlen("requests.total.natural_person"));
    /* Out of range: a string, not a crash. */
    char buf[64];
    n = gd_cell_path(17, 3, 3, buf, sizeof buf);
    CHECK(n < sizeof buf && strlen(buf) == n);
}

static void test_status_messages(void)
{
    const gd_status all[] = {GD_OK, GD_ERR_NOMEM, GD_ERR_UTF8, GD_ERR_TOO_LARGE, GD_ERR_ARG};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        const char *m = gd_status_message(all[i]);
        if (!CHECKF(m != NULL && m[0] != '\0', "no message for status %d", (int)all[i]))
            continue;
        for (size_t j = 0; j < i; j++)
            CHECKF(strcmp(m, gd_status_message(all[j])) != 0, "statuses %d and %d share \"%s\"",
                   (int)all[i], (int)all[j], m);
    }
    const char *unknown = gd_status_message((gd_status)99);
    CHECK(unknown != NULL && unknown[0] != '\0');
}

/* ---- Label variants, parsed (TEMPLATES.md §7) ---- */

/*
 * Each variant is written into the real seed, in each layout.  To prove that a
 * row label was recognised (and not just skipped), one application of the
 * seed (自然人, row 3.其他) is moved into the row under test; the report still
 * adds up only if the row was read.
 */
static void move_one_application(t_doc *d, int row)
{
    doc_set(d, GD_TABLE_REQUESTS, 22, 0, "0"); /* other.other: 1 -> 0 */
    doc_set(d, GD_TABLE_REQUESTS, 22, 6, "0");
    doc_set(d, GD_TABLE_REQUESTS, row, 0, "1");
    doc_set(d, GD_TABLE_REQUESTS, row, 6, "1");
}

static void check_variant_in(unsigned layouts, const char *what, int row, const char *label,
                             int moved)
{
    for (int layout = 0; layout < NLAYOUTS; layout++) {
        if (!(layouts & (1u << layout)))
            continue;
        t_doc *d = doc_load();
        if (!d)
            return;
        if (moved)
            move_one_application(d, row);
        doc_set_label(d, GD_TABLE_REQUESTS, row, label);
        size_t len;
        char *text = doc_render(d, (t_layout)layout, &len);
        t_context("%s \"%s\", layout=%s", what, label, t_layout_names[layout]);
        gd_report *rep = text ? t_parse(text, len, 0) : NULL;
        if (rep) {
            const gd_table *tab = &rep->tables[GD_TABLE_REQUESTS];
            int want = moved ? 1 : row == 2 ? 2 : 0;
            CHECK(tab->present);
            CHECKF(tab->row_present[row], "row %s not recognised", request_ids[row]);
            CHECK_INT(tab->cells[row][0].kind, GD_CELL_NUMBER);
            CHECK_INT(tab->cells[row][0].units, want);
            CHECK_INT(tab->cells[row][6].units, want);
            if (moved)
                CHECK_INT(tab->cells[22][0].units, 0);
            if (!CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0))
                t_dump_findings(rep);
            gd_report_free(rep);
        }
        free(text);
        doc_free(d);
    }
    t_context("%s", "");
}

static void check_variant(const char *what, int row, const char *label, int moved)
{
    check_variant_in(ALL_LAYOUTS, what, row, label, moved);
}

static void test_label_brackets(void)
{
    check_variant("granted", 2, "（一）予以公开", 0); /* as the seed prints it */
    check_variant("granted", 2, "(一)予以公开", 0);
    check_variant("partly_granted", 3,
                  "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", 1);
}

static void test_label_whitespace(void)
{
    /* TEMPLATES.md §7: delete all white space inside labels before matching. */
    /* (Not in LAYOUT_SPACES, where a space may separate cells.) */
    check_variant_in(NO_SPACES, "granted", 2, "（一） 予以 公开", 0);
    check_variant_in(NO_SPACES, "granted", 2, "（一）予以\xE3\x80\x80公开", 0);
    check_variant_in(NO_SPACES, "state_secret", 4, "1.属于 国家 秘密", 1);
}

static void test_label_item_numbers(void)
{
    check_variant("state_secret", 4, "1.属于国家秘密", 1);
    check_variant("state_secret", 4, "1、属于国家秘密", 1);
    check_variant("state_secret", 4, "1．属于国家秘密", 1);
    check_variant("state_secret", 4, "１．属于国家秘密", 1);
    check_variant_in(NO_SPACES, "state_secret", 4, "1. 属于国家秘密", 1);
    check_variant("not_held", 12, "1、本机关不掌握相关政府信息", 1);
}

static void test_label_quotes(void)
{
    check_variant("security_stability", 6, "3.危及“三安全一稳定”", 1);
    check_variant("security_stability", 6, "3.危及\"三安全一稳定\"", 1);
    check_variant("security_stability", 6, "3.危及三安全一稳定", 1);
    check_variant("security_stability", 6, "3、危及“三安全一稳定”", 1);
}

static void test_label_header_broken(void)
{
    /* The seed prints 商业\n企业 and 科研\n机构 over two lines each.  Moving one
     * application of the seed from 自然人 to 商业企业 (rows 一, （一）, （七）)
     * shows the columns stay in place whatever the header looks like. */
    static const char *const variants[] = {"商业\n企业", "商业企业", "商\xE3\x80\x80业\n企 业"};
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        for (int layout = 0; layout < NLAYOUTS; layout++) {
            if (v == 2 && layout == LAYOUT_SPACES)
                continue; /* spaces inside a header cell: ambiguous there */
            t_doc *d = doc_load();
            if (!d)
                return;
            if (v > 0)
                doc_replace_cell(d, "商业\n企业", variants[v]);
            static const int rows[] = {0, 2, 24}; /* new, granted, total */
            for (int k = 0; k < 3; k++) {
                char np[32];
                snprintf(np, sizeof np, "%ld",
                         strtol(doc_get(d, GD_TABLE_REQUESTS, rows[k], 0), NULL, 10) - 1);
                doc_set(d, GD_TABLE_REQUESTS, rows[k], 0, np);
                doc_set(d, GD_TABLE_REQUESTS, rows[k], 1, "1");
            }
            size_t len;
            char *text = doc_render(d, (t_layout)layout, &len);
            t_context("header variant %zu, layout=%s", v, t_layout_names[layout]);
            gd_report *rep = text ? t_parse(text, len, 0) : NULL;
            if (rep) {
                const gd_table *tab = &rep->tables[GD_TABLE_REQUESTS];
                CHECK_INT(tab->cells[2][0].units, 1); /* granted.natural_person */
                CHECK_INT(tab->cells[2][1].units, 1); /* granted.commercial */
                CHECK_INT(tab->cells[2][1].kind, GD_CELL_NUMBER);
                CHECK_INT(tab->cells[2][2].units, 0); /* granted.research */
                CHECK_INT(tab->cells[24][1].units, 1);
                CHECK_INT(tab->cells[0][1].units, 1);
                if (!CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0))
                    t_dump_findings(rep);
                gd_report_free(rep);
            }
            free(text);
            doc_free(d);
        }
    }
    t_context("%s", "");
}

static void test_label_other_needs_group(void)
{
    /* "3.其他" is other.other only under （六）其他处理; the seed's 1 application
     * sits there.  With the caption written （六）其他处理 / (六)其他处理 it is found. */
    for (int v = 0; v < 2; v++) {
        for (int layout = 0; layout < NLAYOUTS; layout++) {
            t_doc *d = doc_load();
            if (!d)
                return;
            if (v == 1)
                doc_replace_cell(d, "（六）其他处理", "(六)其他处理");
            size_t len;
            char *text = doc_render(d, (t_layout)layout, &len);
            t_context("caption variant %d, layout=%s", v, t_layout_names[layout]);
            gd_report *rep = text ? t_parse(text, len, 0) : NULL;
            if (rep) {
                const gd_table *tab = &rep->tables[GD_TABLE_REQUESTS];
                CHECK(tab->row_present[22]);
                CHECK_INT(tab->cells[22][0].units, 1);
                CHECK_INT(tab->cells[22][6].units, 1);
                CHECK(!tab->row_present[23]); /* not 2019's other.all */
                CHECK_INT(tab->cells[23][0].kind, GD_CELL_ABSENT);
                CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0);
                gd_report_free(rep);
            }
            free(text);
            doc_free(d);
        }
    }
    t_context("%s", "");
}

/* ---- Headings matched by keywords, not numerals (TEMPLATES.md §2) ---- */

static void test_heading_variants(void)
{
    static const char *const sets[][4] = {
        /* 四 and 五 as other reports print them */
        {NULL, NULL, "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
         "五、政府信息公开工作存在的主要问题及改进情况"},
        {NULL, NULL, "四、因政府信息公开工作被申请行政复议提起行政诉讼情况",
         "五、存在的主要问题和改进情况"},
        {NULL, NULL, NULL, "五、存在问题及改进情况"},
        /* mis-numbered, as if a section had been inserted before them */
        {"三、主动公开政府信息情况", "四、收到和处理政府信息公开申请情况",
         "五、政府信息公开行政复议、行政诉讼情况", "六、存在的主要问题及改进情况"},
    };
    for (size_t v = 0; v < sizeof sets / sizeof sets[0]; v++) {
        for (int layout = 0; layout < NLAYOUTS; layout++) {
            t_doc *d = doc_load();
            if (!d)
                return;
            for (int h = 0; h < 4; h++)
                if (sets[v][h])
                    doc_set_heading(d, h, sets[v][h]);
            /* a non-zero cell in 四 that balances, to see it read */
            doc_set(d, GD_TABLE_REVIEWS, 1, 3, "2");
            doc_set(d, GD_TABLE_REVIEWS, 1, 4, "2");
            char *text;
            size_t len;
            gd_report *rep = doc_parse(d, (t_layout)layout, 0, &text, &len);
            t_context("heading set %zu, layout=%s", v, t_layout_names[layout]);
            if (rep) {
                for (int t = 0; t < GD_NTABLES; t++)
                    CHECKF(rep->tables[t].present, "table %d not found", t);
                CHECK_INT(rep->tables[GD_TABLE_ACTIVE].cells[4][0].units, 211184);
                CHECK_INT(rep->tables[GD_TABLE_REQUESTS].cells[2][0].units, 2);
                CHECK_INT(rep->tables[GD_TABLE_REVIEWS].cells[1][3].units, 2);
                CHECK_INT(rep->tables[GD_TABLE_REVIEWS].cells[1][4].units, 2);
                /* mis-numbered: 二 to 五 are missing as the template numbers
                 * them (sections.c), and nothing else is wrong */
                size_t want = v == 3 ? 4 : 0;
                for (size_t f = 0; f < rep->nfindings && f < want; f++)
                    CHECK_STR(rep->findings[f].code, "structure.missing_section");
                if (!CHECK_INT(rep->nfindings, want))
                    t_dump_findings(rep);
                gd_report_free(rep);
            }
            free(text);
            doc_free(d);
        }
    }
    t_context("%s", "");
}

/* ---- Section 四 as PDF text: narrow headers one character per line ---- */

static void check_pdf_reviews(const char *what, const char *block)
{
    /* The seed in LAYOUT_SPACES with section 四's three header rows replaced
     * by `block`, which ends with the 15 numbers on one line.  The numbers are
     * edited (the seed's are all 0) so that their order shows; each group adds
     * up: 1+0+0+1 = 2, 0+1+0+0 = 1, 0+0+1+0 = 1. */
    t_doc *d = doc_load();
    if (!d)
        return;
    size_t len;
    char *text = doc_render(d, LAYOUT_SPACES, &len);
    t_context("%s", what);
    const char *from = text ? strstr(text, "行政复议   行政诉讼\n") : NULL;
    const char *nums = from ? strstr(from, "\n0   0   0   0   0   0   0   0   0   0   0   0   0   0   0\n")
                            : NULL;
    if (CHECKF(from && nums, "seed in LAYOUT_SPACES not as expected")) {
        const char *to = nums + strlen("\n0   0   0   0   0   0   0   0   0   0   0   0   0   0   0\n");
        size_t head = (size_t)(from - text), tail = len - (size_t)(to - text);
        size_t n = head + strlen(block) + tail;
        char *pdf = malloc(n);
        if (CHECK(pdf != NULL)) {
            memcpy(pdf, text, head);
            memcpy(pdf + head, block, strlen(block));
            memcpy(pdf + head + strlen(block), to, tail);
            gd_report *rep = t_parse(pdf, n, 0);
            if (rep) {
                static const int want[3][5] = {{1, 0, 0, 1, 2}, {0, 1, 0, 0, 1}, {0, 0, 1, 0, 1}};
                CHECK(rep->tables[GD_TABLE_REVIEWS].present);
                for (int g = 0; g < 3; g++)
                    for (int c = 0; c < 5; c++)
                        CHECK_CELL(rep, pdf, n, GD_TABLE_REVIEWS, g, c, GD_CELL_NUMBER,
                                   want[g][c], 0, NULL, NULL);
                if (!CHECK_INT(rep->nfindings, 0))
                    t_dump_findings(rep);
                gd_report_free(rep);
            }
            free(pdf);
        }
    }
    free(text);
    doc_free(d);
    t_context("%s", "");
}

static void test_pdf_reviews_vertical_headers(void)
{
    check_pdf_reviews("characters in columns",
                      "行政复议                    行政诉讼\n"
                      "                    未经复议直接起诉          复议后起诉\n"
                      "结  结  其  尚  总  结  结  其  尚  总  结  结  其  尚  总\n"
                      "果  果  他  未  计  果  果  他  未  计  果  果  他  未  计\n"
                      "维  纠  结  审      维  纠  结  审      维  纠  结  审\n"
                      "持  正  果  结      持  正  果  结      持  正  果  结\n"
                      "1 0 0 1 2 0 1 0 0 1 0 0 1 0 1\n");
    check_pdf_reviews("one character per line",
                      "行政复议\n行政诉讼\n未经复议直接起诉\n复议后起诉\n"
                      "结\n果\n维\n持\n结\n果\n纠\n正\n其\n他\n结\n果\n尚\n未\n审\n结\n总\n计\n"
                      "1 0 0 1 2 0 1 0 0 1 0 0 1 0 1\n");
}

const test_case labels_tests[] = {
    {"normalize_fullwidth", test_normalize_fullwidth},
    {"normalize_whitespace", test_normalize_whitespace},
    {"normalize_quotes", test_normalize_quotes},
    {"normalize_item_numbers", test_normalize_item_numbers},
    {"normalize_idempotent_and_bounded", test_normalize_idempotent_and_bounded},
    {"bloom_fast_path_as_char_bits", test_bloom_fast_path_as_char_bits},
    {"normalize_bloom_as_bloom_of_output", test_normalize_bloom_as_bloom_of_output},
    {"lex_separator_at_every_offset", test_lex_separator_at_every_offset},
    {"lex_piece_end_at_every_offset", test_lex_piece_end_at_every_offset},
    {"normalize_fast_path_as_decoding", test_normalize_fast_path_as_decoding},
    {"template_tables", test_template_tables},
    {"row_captions", test_row_captions},
    {"template_active", test_template_active},
    {"template_requests", test_template_requests},
    {"template_reviews", test_template_reviews},
    {"template_identities", test_template_identities},
    {"template_keys", test_template_keys},
    {"cell_path", test_cell_path},
    {"status_messages", test_status_messages},
    {"label_brackets", test_label_brackets},
    {"label_whitespace", test_label_whitespace},
    {"label_item_numbers", test_label_item_numbers},
    {"label_quotes", test_label_quotes},
    {"label_header_broken", test_label_header_broken},
    {"label_other_needs_group", test_label_other_needs_group},
    {"heading_variants", test_heading_variants},
    {"pdf_reviews_vertical_headers", test_pdf_reviews_vertical_headers},
    {NULL, NULL},
};
