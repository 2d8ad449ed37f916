/*
 * test_longtail.c -- the long tail of real layouts (issue 14): traditional
 * characters, signed deltas written in words, pronoun agencies, the year
 * only in the prose.
 */
#include "test.h"
#include "internal.h"
#include "trad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Traditional characters ---- */

/* The table: sorted, each pair a CJK code point (three UTF-8 bytes) of the
 * bitmap's range, its bit set, and folding it gives its simplified form. */
static void test_trad_table(void)
{
    CHECK(gd_trad_count > 100);
    for (unsigned k = 0; k < gd_trad_count; k++) {
        uint32_t t = gd_trad_from[k], s = gd_trad_to[k];
        t_context("entry %u: U+%04X -> U+%04X", k, (unsigned)t, (unsigned)s);
        CHECK(k == 0 || gd_trad_from[k - 1] < t);
        CHECK(t >= GD_TRAD_FIRST && t <= GD_TRAD_LAST && s >= 0x800 && s != t);
        CHECK(gd_trad_bits[(t - GD_TRAD_FIRST) / 64] >> ((t - GD_TRAD_FIRST) % 64) & 1);
        CHECK_INT(gd_trad_fold_cp(t), s);
        CHECK_INT(gd_trad_fold_cp(s), s); /* a simplified form is never folded again */
    }
    t_context("%s", "");
    size_t bits = 0;
    for (unsigned w = 0; w < GD_TRAD_WORDS; w++)
        for (uint64_t x = gd_trad_bits[w]; x; x &= x - 1)
            bits++;
    CHECK_INT(bits, gd_trad_count); /* no bit without its pair */
    CHECK_INT(gd_trad_fold_cp('A'), 'A');
    CHECK_INT(gd_trad_fold_cp(0x10000), 0x10000);
}

/* A heading as a site's 繁体 view writes it (the 平潭 pages of the corpus load
 * pt-langBig5.js): folded to the template's words, byte for byte in place. */
static void test_trad_fold_text(void)
{
    const char *trad = "二、主動公開政府信息情況 第二十條第(五)項 行政許可 本年處理決定數量";
    const char *simp = "二、主动公开政府信息情况 第二十条第(五)项 行政许可 本年处理决定数量";
    size_t n = strlen(trad);
    CHECK_INT(strlen(simp), n);
    char *out = malloc(n);
    if (!CHECK(out != NULL))
        return;
    CHECK_INT(gd_trad_fold(trad, n, out), 9); /* 動 開 況 條 項 許 處 決 數 */
    CHECK(memcmp(out, simp, n) == 0);
    free(out);
}

/* Folding at every offset: a traditional character anywhere in a run of
 * ASCII, two-byte and four-byte characters is found and folded, nothing
 * else changes, and a text with none is copied as it is. */
static void test_trad_fold_offsets(void)
{
    static const char *const fillers[] = {"a", "\xC2\xA0", "\xF0\x9F\x98\x80", "公"};
    char buf[256], out[256];
    for (size_t f = 0; f < 4; f++)
        for (size_t lead = 0; lead < 20; lead++) {
            t_context("filler %zu lead %zu", f, lead);
            size_t n = 0;
            for (size_t k = 0; k < lead; k++) {
                memcpy(buf + n, fillers[f], strlen(fillers[f]));
                n += strlen(fillers[f]);
            }
            size_t at = n;
            memcpy(buf + n, "區", 3); /* U+5340 -> 区 U+533A */
            n += 3;
            memcpy(buf + n, fillers[f], strlen(fillers[f]));
            n += strlen(fillers[f]);
            CHECK_INT(gd_trad_count_in(buf, n, 5), 1);
            CHECK_INT(gd_trad_count_in(buf, at, 5), 0);
            CHECK_INT(gd_trad_fold(buf, n, out), 1);
            CHECK(memcmp(out, buf, at) == 0 && memcmp(out + at, "区", 3) == 0 &&
                  memcmp(out + at + 3, buf + at + 3, n - at - 3) == 0);
            /* cut just before the character's last byte: not read as one */
            CHECK_INT(gd_trad_count_in(buf, at + 2, 5), 0);
        }
    t_context("%s", "");
}

/* The seed report with every character the table can write in a
 * traditional form so written (the first form for each): the same cells,
 * at the same offsets, as the simplified report, and its raw text the
 * traditional one. */
static void test_trad_seed_report(void)
{
    size_t len;
    char *simp = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!simp)
        return;
    char *trad = malloc(len ? len : 1);
    if (!CHECK(trad != NULL)) {
        free(simp);
        return;
    }
    memcpy(trad, simp, len);
    size_t changed = 0;
    for (size_t i = 0; i + 2 < len; i++) {
        unsigned char *u = (unsigned char *)trad + i;
        if ((u[0] & 0xF0) != 0xE0)
            continue;
        uint32_t cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
        for (unsigned k = 0; k < gd_trad_count; k++)
            if (gd_trad_to[k] == cp) {
                uint32_t t = gd_trad_from[k];
                u[0] = (unsigned char)(0xE0 | t >> 12);
                u[1] = (unsigned char)(0x80 | ((t >> 6) & 0x3F));
                u[2] = (unsigned char)(0x80 | (t & 0x3F));
                changed++;
                break;
            }
        i += 2;
    }
    CHECK(changed > 300);
    gd_report *a = t_parse(simp, len, 0), *b = t_parse(trad, len, 0);
    if (CHECK(a && b)) {
        CHECK_INT(t_count_findings(a, "parse.traditional", -1), 0);
        CHECK_INT(t_count_findings(b, "parse.traditional", GD_INFO), 1);
        CHECK_INT(b->year, a->year);
        CHECK_INT(b->template, a->template);
        CHECK(b->agency && strlen(b->agency) == strlen(a->agency) && strcmp(b->agency, a->agency) != 0);
        size_t cells = 0;
        for (int t = 0; t < GD_NTABLES; t++) {
            CHECK_INT(b->tables[t].present, a->tables[t].present);
            for (int r = 0; r < GD_MAX_ROWS; r++)
                for (int c = 0; c < GD_MAX_COLS; c++) {
                    const gd_cell *x = &a->tables[t].cells[r][c], *y = &b->tables[t].cells[r][c];
                    t_context("table %d row %d col %d", t, r, c);
                    CHECK_INT(y->kind, x->kind);
                    CHECK_INT(y->units, x->units);
                    CHECK_INT(y->raw.start, x->raw.start);
                    CHECK_INT(y->raw.end, x->raw.end);
                    cells += x->kind != GD_CELL_ABSENT;
                }
        }
        t_context("%s", "");
        CHECK(cells > 150);
        /* the agency as the traditional text writes it, where it writes it */
        CHECK(b->agency && b->agency_span.end - b->agency_span.start == strlen(b->agency) &&
              memcmp(trad + b->agency_span.start, b->agency, strlen(b->agency)) == 0);
    }
    gd_report_free(a);
    gd_report_free(b);
    free(simp);
    free(trad);
}

/* ---- Signed deltas in the 2019 template's 本年增/减 column ---- */

/* Section 二 of a 2019 report in a PDF's tab layout, its licensing delta and
 * its penalties count given by the caller.  The forms are those real pages
 * write in 本年增/减 (减4, 增3, -4, +3, －4, ↓4, 减少4, 增加3; 湖北's 2020
 * notes ask for "减用负值表示，如-8", TEMPLATES.md §4.1). */
static int delta_report(char *buf, size_t cap, const char *delta, const char *penalties)
{
    int n = snprintf(buf, cap,
                     "测试市统计局2020年政府信息公开工作年度报告\n"
                     "二、主动公开政府信息情况\n"
                     "第二十条第（一）项\n"
                     "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
                     "规章\t0\t0\t0\n"
                     "规范性文件\t2\t2\t15\n"
                     "第二十条第（五）项\n"
                     "信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
                     "行政许可\t120\t%s\t3560\n"
                     "其他对外管理服务事项\t35\t0\t880\n"
                     "第二十条第（六）项\n"
                     "信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
                     "行政处罚\t210\t2\t%s\n"
                     "行政强制\t18\t0\t5\n"
                     "三、收到和处理政府信息公开申请情况\n",
                     delta, penalties);
    return n > 0 && (size_t)n < cap ? n : 0;
}

static void test_delta_words(void)
{
    static const struct {
        const char *raw;
        long long value;
    } forms[] = {
        {"减4", -4}, {"增3", 3}, {"-4", -4}, {"+3", 3}, {"－4", -4}, {"＋3", 3},
        {"↓4", -4}, {"↑3", 3}, {"减少4", -4}, {"增加3", 3}, {"减1036", -1036},
    };
    char buf[1024];
    int lic = t_row(GD_TABLE_ACTIVE, "licensing");
    int delta = t_col(GD_TABLE_ACTIVE, lic, "items_delta");
    int dec = t_col(GD_TABLE_ACTIVE, lic, "decisions");
    int prev = t_col(GD_TABLE_ACTIVE, lic, "items_prev");
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        t_context("delta %s", forms[k].raw);
        int n = delta_report(buf, sizeof buf, forms[k].raw, "96");
        gd_report *r = n ? t_parse(buf, (size_t)n, 0) : NULL;
        if (!CHECK(r != NULL))
            continue;
        const gd_cell *c = &r->tables[GD_TABLE_ACTIVE].cells[lic][delta];
        CHECK_INT(c->kind, GD_CELL_NUMBER);
        CHECK_INT(c->units, forms[k].value);
        CHECK_MEM(buf + c->raw.start, c->raw.end - c->raw.start, forms[k].raw);
        /* the numbers beside it stay in their row and columns */
        CHECK_INT(r->tables[GD_TABLE_ACTIVE].cells[lic][prev].units, 120);
        CHECK_INT(r->tables[GD_TABLE_ACTIVE].cells[lic][dec].units, 3560);
        CHECK_INT(r->tables[GD_TABLE_ACTIVE].cells[lic][dec].kind, GD_CELL_NUMBER);
        CHECK_INT(r->nunplaced, 0);
        CHECK_INT(t_count_findings(r, "parse.unplaced_number", -1), 0);
        CHECK_INT(t_count_findings(r, "parse.incomplete_row", -1), 0);
        gd_report_free(r);
    }
    t_context("%s", "");
}

/* A count column keeps its rules: 减4 there is words (kind text, raw kept),
 * never -4, and still the cell it stands in. */
static void test_delta_word_outside_the_delta_column(void)
{
    char buf[1024];
    int pen = t_row(GD_TABLE_ACTIVE, "penalties");
    int dec = t_col(GD_TABLE_ACTIVE, pen, "decisions");
    int n = delta_report(buf, sizeof buf, "0", "减4");
    gd_report *r = n ? t_parse(buf, (size_t)n, 0) : NULL;
    if (!CHECK(r != NULL))
        return;
    const gd_cell *c = &r->tables[GD_TABLE_ACTIVE].cells[pen][dec];
    CHECK_INT(c->kind, GD_CELL_TEXT);
    CHECK_MEM(buf + c->raw.start, c->raw.end - c->raw.start, "减4");
    CHECK_INT(r->nunplaced, 0);
    gd_report_free(r);
    /* words with a count after them are prose, not a cell: "增加3件" */
    gd_tok t;
    memset(&t, 0, sizeof t);
    CHECK_INT(gd_classify_cell("增加3件", 0, strlen("增加3件"), &t), TOK_TEXT);
    CHECK_INT(gd_classify_cell("减少", 0, strlen("减少"), &t), TOK_TEXT);
    CHECK_INT(gd_classify_cell("增强", 0, strlen("增强"), &t), TOK_TEXT);
    CHECK_INT(gd_classify_cell("减4", 0, strlen("减4"), &t), TOK_NUMBER);
    CHECK(t.units == -4 && (t.flags & TOKF_SIGN_WORD));
}

const test_case longtail_tests[] = {
    {"delta_words", test_delta_words},
    {"delta_word_outside_the_delta_column", test_delta_word_outside_the_delta_column},
    {"trad_table", test_trad_table},
    {"trad_fold_text", test_trad_fold_text},
    {"trad_fold_offsets", test_trad_fold_offsets},
    {"trad_seed_report", test_trad_seed_report},
    {NULL, NULL},
};
