/*
 * test_tables_after.c -- the later stages of tables.c seen through gd_parse:
 * numbers left unplaced (inside text cells too), the template votes, the
 * findings for missing tables and rows, and the statistics table (统计表) of
 * reports from before 2019.  Values are the reports' own (dazu-gaj-2021.txt
 * as the seed, the 平潭 reports of 2011-2013).
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The statistics table of reports before 2019 ---- */

typedef struct {
    const char *label;
    const char *cells[3]; /* the cells' text, NULL-ended */
} stat_row;

/* The report's statistics rows (extras of table -1) read want[0..n) in
 * order: label and cells; every cell a number (numbers = 1) or text. */
static void check_statistics(const char *name, const stat_row *want, size_t n, int numbers)
{
    size_t len;
    char *text = t_read_corpus(name, &len);
    gd_report *rep = text ? t_parse(text, len, 0) : NULL;
    t_context("%s", name);
    if (rep) {
        CHECK_INT(rep->template, GD_TEMPLATE_UNKNOWN);
        CHECK(t_find_finding(rep, "parse.pre_template", GD_INFO, -1, -2, -2) != NULL);
        if (CHECK_INT(rep->nextras, n)) {
            for (size_t r = 0; r < n; r++) {
                const gd_extra *x = &rep->extras[r];
                t_context("%s, statistics row %zu (%s)", name, r, want[r].label);
                CHECK_INT(x->table, -1);
                CHECK_MEM(text + x->label.start, x->label.end - x->label.start, want[r].label);
                size_t nc = 0;
                while (nc < 3 && want[r].cells[nc])
                    nc++;
                if (!CHECK_INT(x->ncells, nc))
                    continue;
                for (size_t k = 0; k < nc; k++) {
                    const gd_cell *cell = &x->cells[k];
                    const char *w = want[r].cells[k];
                    CHECK_MEM(text + cell->raw.start, cell->raw.end - cell->raw.start, w);
                    CHECK_INT(cell->kind, numbers ? GD_CELL_NUMBER : GD_CELL_TEXT);
                    if (numbers)
                        CHECK_INT(cell->units, strtoll(w, NULL, 10));
                    CHECK_INT(cell->note.end - cell->note.start, 0);
                }
            }
        } else {
            for (size_t r = 0; r < rep->nextras; r++)
                printf("    extra %zu: %.*s (%zu cells)\n", r,
                       (int)(rep->extras[r].label.end - rep->extras[r].label.start),
                       text + rep->extras[r].label.start, rep->extras[r].ncells);
        }
        gd_report_free(rep);
    }
    free(text);
    t_context("%s", "");
}

/* 平潭 2011: 指标名称 计量 单位 2011 年度 历年累计, then each row as
 * label, unit (条) and two numbers, all separated by spaces. */
static void test_statistics_spaced(void)
{
    static const stat_row rows[] = {
        {"主动公开信息数", {"425", "1516"}},
        {"其中：1.网站公开", {"418", "1509"}},
        {"2.政府公报公开", {"7", "7"}},
        {"受理依申请公开信息总数", {"0", "0"}},
        {"其中：1.当面申请数", {"0", "0"}},
        {"2.传真申请数", {"0", "0"}},
        {"3.电子邮件申请数", {"0", "0"}},
        {"4.网上申请数", {"0", "0"}},
        {"5.信函申请数", {"0", "0"}},
        {"6.其它形式申请数", {"0", "0"}},
        {"对申请的答复数", {"0", "0"}},
        {"其中：1.同意公开答复数", {"0", "0"}},
        {"2.同意部分公开答复数", {"0", "0"}},
        {"3.否决公开答复数", {"0", "0"}},
        {"行政复议数", {"0", "0"}},
        {"行政诉讼数", {"0", "0"}},
        {"行政申诉数", {"0", "0"}},
    };
    check_statistics("pingtan-2011.txt", rows, sizeof rows / sizeof rows[0], 1);
}

/* 平潭 2013: one cell missing (2、政府公报公开 条 0), units 条 and 件. */
static void test_statistics_missing_cell(void)
{
    static const stat_row rows[] = {
        {"主动公开信息数", {"72804", "76424"}},
        {"其中：1、网站公开", {"72804", "76424"}},
        {"2、政府公报公开", {"0"}},
        {"受理依申请公开信息总数", {"0", "0"}},
        {"其中：1、当面申请数", {"0", "0"}},
        {"2、传真申请数", {"0", "0"}},
        {"3、电子邮件申请数", {"0", "0"}},
        {"4、网上申请数", {"0", "0"}},
        {"5、信函申请数", {"0", "0"}},
        {"对申请的答复总数", {"0", "0"}},
        {"其中：1、同意公开答复数", {"0", "0"}},
        {"2、同意部分公开答复数", {"0", "0"}},
        {"3、否决公开答复数", {"0", "0"}},
        {"行政复议数", {"0", "0"}},
        {"行政诉讼数", {"0", "0"}},
        {"行政申诉、举报数", {"0", "0"}},
    };
    check_statistics("pingtan-2013.txt", rows, sizeof rows / sizeof rows[0], 1);
}

/* 平潭县 2011 runs everything together, the header and the first row too
 * ('指标名称计量单位2011年度历年累计主动公开信息数条4251516'): each row's
 * label without its unit, its digits one text cell (425 | 1516 cannot be
 * told from 4251 | 516). */
static void test_statistics_run_together(void)
{
    static const stat_row rows[] = {
        {"主动公开信息数", {"4251516"}},
        {"其中：1.网站公开", {"4181509"}},
        {"2.政府公报公开", {"77"}},
        {"受理依申请公开信息总数", {"00"}},
        {"其中：1.当面申请数", {"00"}},
        {"2.传真申请数", {"00"}},
        {"3.电子邮件申请数", {"00"}},
        {"4.网上申请数", {"00"}},
        {"5.信函申请数", {"00"}},
        {"6.其它形式申请数", {"00"}},
        {"对申请的答复数", {"00"}},
        {"其中：1.同意公开答复数", {"00"}},
        {"2.同意部分公开答复数", {"00"}},
        {"3.否决公开答复数", {"00"}},
        {"行政复议数", {"00"}},
        {"行政诉讼数", {"00"}},
        {"行政申诉数", {"00"}},
    };
    check_statistics("pingtan-county-2011.txt", rows, sizeof rows / sizeof rows[0], 0);
}

/* ---- Digits inside a text cell ---- */

/* 一、本年新收's 自然人 cell (table 三; the seed prints 3 there) written as
 * words, in the tab layout: the cell is text; the digit runs of `unplaced`
 * (NULL-ended) are listed unplaced with one warning that counts them, and
 * item numbering ("1." "1、" "1．", one or two digits) and a header's one
 * trailing index digit ("数据1") are not numbers (tables.c's rule). */
static void check_text_digits(const char *words, const char *const *unplaced)
{
    t_doc *d = doc_load();
    if (!d)
        return;
    int row = t_row(GD_TABLE_REQUESTS, "new");
    doc_set(d, GD_TABLE_REQUESTS, row, 0, words);
    char *text = NULL;
    size_t len;
    gd_report *rep = doc_parse(d, LAYOUT_TABS, 0, &text, &len);
    t_context("text cell \"%s\"", words);
    if (rep) {
        CHECK_CELL(rep, text, len, GD_TABLE_REQUESTS, row, 0, GD_CELL_TEXT, 0, 0, words, "");
        size_t n = 0;
        while (unplaced[n])
            n++;
        if (CHECK_INT(rep->nunplaced, n)) {
            for (size_t k = 0; k < n; k++) {
                const char *q;
                size_t qn = t_span_text(text, rep->unplaced[k].raw, &q);
                CHECK_MEM(q, qn, unplaced[k]);
                CHECK_INT(rep->unplaced[k].table, GD_TABLE_REQUESTS);
            }
        }
        const gd_finding *f =
            t_find_finding(rep, "parse.unplaced_number", GD_WARNING, GD_TABLE_REQUESTS, -1, -1);
        CHECK_INT(t_count_findings(rep, "parse.unplaced_number", -1), n ? 1 : 0);
        if (n && CHECK(f != NULL)) {
            char want[160];
            snprintf(want, sizeof want,
                     "%zu number%s in table requests could not be placed in a cell (first: %s); "
                     "see unplaced",
                     n, n == 1 ? "" : "s", unplaced[0]);
            CHECK_STR(f->message, want);
            const char *q;
            size_t qn = t_span_text(text, f->span, &q);
            CHECK_MEM(q, qn, unplaced[0]);
        }
        gd_report_free(rep);
    }
    free(text);
    doc_free(d);
    t_context("%s", "");
}

static void test_text_digits(void)
{
    static const char *const none[] = {NULL};
    check_text_digits("1.见附件", none);
    check_text_digits("1、见附件", none);
    check_text_digits("1．见附件", none);
    check_text_digits("见附件1、", none); /* the mark ends the cell */
    check_text_digits("见附件1．", none);
    static const char *const d13[] = {"13", NULL};
    check_text_digits("见第12.13项", d13);
    /* a digit run with 、 after it inside the words, not at an item's
     * start: both numbers listed (nothing dropped on a guess) */
    static const char *const d12_13[] = {"12", "13", NULL};
    check_text_digits("见第12、13项", d12_13);
    static const char *const d19[] = {"19", NULL};
    check_text_digits("见第10.19项", d19);
    static const char *const d90[] = {"90", NULL};
    check_text_digits("见第9.90项", d90);
    static const char *const d123[] = {"123", "124", NULL};
    check_text_digits("见第123.124项", d123);
    static const char *const d2[] = {"2", NULL};
    check_text_digits("约2件左右", d2);
    /* a word and one digit is a count when no neighbour cell numbers the
     * same word (header_index_series) */
    check_text_digits("约2", d2);
    static const char *const d3[] = {"3", NULL};
    check_text_digits("共3", d3);
    static const char *const d1[] = {"1", NULL};
    check_text_digits("数据1", d1);
    /* full-width digits (TEMPLATES.md §7 lists １ as numbering) */
    static const char *const fw3[] = {"３", NULL};
    check_text_digits("约３", fw3);
    static const char *const fw2[] = {"２", NULL};
    check_text_digits("约２件左右", fw2);
    static const char *const fw12[] = {"１２", NULL};
    check_text_digits("见附件１２", fw12);
    check_text_digits("１．见附件", none);
    check_text_digits("１、见附件", none);
    static const char *const d12[] = {"12", NULL};
    check_text_digits("数据12", d12);
    static const char *const two[] = {"3", "2", NULL};
    check_text_digits("另有3件转办2件", two);
    static const char *const far[] = {"3", NULL};
    check_text_digits("详见本机关政府信息公开指南第3条", far);
    check_text_digits("详见本机关政府信息公开指南3条", far);
    check_text_digits("详见本机关政府信息公开指南之第3条", far);
    check_text_digits("详见本机关政府信息公开工作指南第3条", far);
}

/* shuyang-2025.txt names table 三's columns 数据1 … 数据6 on each of its
 * eight header lines (`| 类别 | 数据1 | … | 数据6 | 总计 |`): none of the
 * 48 indices is a number.  `from` (once in the file) is replaced by `to`;
 * the last digit of each word of `listed` (NULL-ended, each once in `to`)
 * must be listed unplaced, in that order, and nothing else. */
static void check_shuyang(const char *from, const char *to, const char *const *listed)
{
    size_t len;
    char *seed = t_read_corpus("shuyang-2025.txt", &len);
    if (!seed)
        return;
    size_t fn = strlen(from), tn = strlen(to);
    char *z = malloc(len + tn + 1);
    const char *p = strstr(seed, from);
    t_context("shuyang-2025.txt, %s", to);
    if (CHECK(z != NULL && p != NULL)) {
        size_t off = (size_t)(p - seed), n = len - fn + tn, want = 0;
        memcpy(z, seed, off);
        memcpy(z + off, to, tn);
        memcpy(z + off + tn, p + fn, len - off - fn);
        gd_report *rep = t_parse(z, n, 0);
        while (listed[want])
            want++;
        if (rep && CHECK_INT(rep->nunplaced, want)) {
            for (size_t k = 0; k < want; k++) {
                size_t at = off + (size_t)(strstr(to, listed[k]) - to) + strlen(listed[k]) - 1;
                CHECK_INT(rep->unplaced[k].raw.start, at);
                CHECK_INT(rep->unplaced[k].raw.end, at + 1);
                CHECK_INT(rep->unplaced[k].table, GD_TABLE_REQUESTS);
            }
        }
        if (rep)
            CHECK_INT(t_count_findings(rep, "parse.unplaced_number", -1), want ? 1 : 0);
        gd_report_free(rep);
    }
    t_context("%s", "");
    free(z);
    free(seed);
}

static void test_header_index_series(void)
{
    static const char *const none[] = {NULL};
    check_shuyang("| 类别 | 数据1 |", "| 类别 | 数据1 |", none);
    /* the first header line wrapped after 数据1 and after 数据5: 数据1 and
     * 数据6 have no numbered neighbour on their line */
    static const char *const one_six[] = {"数据1", "数据6", NULL};
    check_shuyang("| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |",
                  "| 类别 | 数据1 |\n| 数据2 | 数据3 | 数据4 | 数据5 |\n| 数据6 | 总计 |", one_six);
    /* a neighbour numbers the same word with the digit before or after:
     * 数据2 misread as 数据9 leaves 数据1 and 数据9 without one */
    static const char *const gap[] = {"数据1", "数据9", NULL};
    check_shuyang("| 类别 | 数据1 | 数据2 |", "| 类别 | 数据1 | 数据9 |", gap);
    /* the first row's 法人或其他组织 cell (3) written as a count with a word */
    static const char *const three[] = {"约3", NULL};
    check_shuyang("| 本年新收政府信息公开申请数量 | 705 | 3 |",
                  "| 本年新收政府信息公开申请数量 | 705 | 约3 |", three);
}

/* ---- Reports from before the 2019 template ---- */

/* A report with no table is from before the 2019 template (parse.pre_template)
 * when the first 4096 bytes of its text name a year 2007年-2018年 and neither
 * 2019年 nor 2020年 (tables.c's rule).  The title is 平潭县 2011's with its
 * year changed (`title_year`), then `rest`; with `at` > 0, `rest` is put at
 * that byte, after filler text with no digit. */
static void check_pre_template(const char *title_year, const char *rest, size_t at, int want)
{
    char *text = malloc(at + 512);
    if (!text)
        return;
    int n = snprintf(text, 512, "标题: 平潭县人民政府%s政府信息公开工作年度报告\n", title_year);
    size_t len = (size_t)n;
    static const char filler[] = "主动公开政府信息。";
    while (len + sizeof filler - 1 <= at) {
        memcpy(text + len, filler, sizeof filler - 1);
        len += sizeof filler - 1;
    }
    while (len < at)
        text[len++] = ' ';
    memcpy(text + len, rest, strlen(rest));
    len += strlen(rest);
    t_context("title year %s, then %s at %zu", title_year, rest, at);
    gd_report *rep = t_parse(text, len, 0);
    if (rep) {
        CHECK_INT(t_count_findings(rep, "parse.pre_template", GD_INFO), want);
        /* on the whole report: no table, row or column */
        CHECK_INT(t_find_finding(rep, "parse.pre_template", GD_INFO, -1, -1, -1) != NULL, want);
        gd_report_free(rep);
    }
    t_context("%s", "");
    free(text);
}

static void test_pre_template_years(void)
{
    static const char period[] = "\n本报告所列数据的统计期限自2011年1月1日起至2011年12月31日止。\n";
    check_pre_template("2011年", period, 0, 1);
    static const struct {
        const char *year;
        int pre;
    } years[] = {{"2007年", 1}, {"2008年", 1}, {"2010年", 1}, {"2018年", 1},
                 {"2006年", 0}, {"2019年", 0}, {"2020年", 0}, {"2018", 0}};
    for (size_t k = 0; k < sizeof years / sizeof years[0]; k++)
        check_pre_template(years[k].year, "", 0, years[k].pre);
    /* a year of the template's time beside one before it */
    check_pre_template("2018年", "\n统计期限至2019年12月31日。\n", 0, 0);
    check_pre_template("2018年", "\n统计期限至2020年12月31日。\n", 0, 0);
    /* the year as the text's last bytes */
    check_pre_template("", "\n统计期限至2018年", 0, 1);
    /* 2019年 ending at byte 4096 (inside the head) or at 4097 (not) */
    check_pre_template("2018年", "2019年", 4089, 0);
    check_pre_template("2018年", "2019年", 4090, 1);
}

/* ---- A section printed twice ---- */

/* `name` with its section 三 (from the heading `from` to 四's `to`) printed
 * twice, as a scrape that took a page twice: a copy of it, or (with `cut`)
 * one that stops at `cut` (the rest of its page lost), after it or before.
 * Each copy is a candidate region, read dry, then the one with more cells is
 * read again for real (the reads share the region's counters: glued rows,
 * groups, unlabelled rows, floating labels); the table must read as in the
 * report printed once: the same cells (shifted by the copy put before) and
 * the same warnings on table 三. */
static void check_section_twice(const char *name, const char *from, const char *to,
                                const char *cut, int before)
{
    size_t len;
    char *seed = t_read_corpus(name, &len);
    if (!seed)
        return;
    t_context("%s, section 三 twice (%s, %s)", name, cut ? cut : "whole", before ? "before" : "after");
    const char *a = strstr(seed, from);
    const char *b = a ? strstr(a, to) : NULL;
    const char *e = cut && b ? strstr(a, cut) : b;
    char *z = malloc(2 * len);
    if (CHECK(a != NULL && b != NULL && e != NULL && e <= b && z != NULL)) {
        /* the copy [a, e) goes before a or at b */
        size_t at = (size_t)((before ? a : b) - seed), n = (size_t)(e - a), shift = before ? n : 0;
        memcpy(z, seed, at);
        memcpy(z + at, a, n);
        memcpy(z + at + n, seed + at, len - at);
        gd_report *once = t_parse(seed, len, 0), *twice = t_parse(z, len + n, 0);
        if (once && twice) {
            const gd_table *x = &once->tables[GD_TABLE_REQUESTS], *y = &twice->tables[GD_TABLE_REQUESTS];
            CHECK(x->present && y->present);
            CHECK_INT(y->template, x->template);
            for (int r = 0; r < GD_MAX_ROWS; r++) {
                CHECK_INT(y->row_present[r], x->row_present[r]);
                for (int k = 0; k < GD_MAX_COLS; k++) {
                    const gd_cell *p = &x->cells[r][k], *q = &y->cells[r][k];
                    size_t d = p->kind == GD_CELL_ABSENT ? 0 : shift;
                    t_context("%s, section 三 twice, row %d col %d", name, r, k);
                    CHECK_INT(q->kind, p->kind);
                    CHECK_INT(q->units, p->units);
                    CHECK_INT(q->raw.start, p->raw.start + d);
                    CHECK_INT(q->raw.end, p->raw.end + d);
                }
            }
            t_context("%s, section 三 twice (%s, %s)", name, cut ? cut : "whole",
                      before ? "before" : "after");
            CHECK_INT(y->span.start, x->span.start + shift);
            CHECK_INT(y->span.end, x->span.end + shift);
            static const char *const codes[] = {"parse.glued_cells", "parse.unlabelled_rows",
                                                "parse.missing_row"};
            for (size_t c = 0; c < sizeof codes / sizeof codes[0]; c++) {
                const gd_finding *f = t_find_finding(once, codes[c], -1, GD_TABLE_REQUESTS, -1, -1);
                const gd_finding *g = t_find_finding(twice, codes[c], -1, GD_TABLE_REQUESTS, -1, -1);
                CHECK_INT(g != NULL, f != NULL);
                if (f && g) {
                    CHECK_STR(g->message, f->message);
                    CHECK_INT(g->span.start, f->span.start + shift);
                    CHECK_INT(g->span.end, f->span.end + shift);
                }
            }
        }
        gd_report_free(once);
        gd_report_free(twice);
    }
    t_context("%s", "");
    free(z);
    free(seed);
}

static void test_section_twice(void)
{
    static const char three[] = "三、收到和处理政府信息公开申请情况", four[] = "四、政府信息公开行政复议";
    static const char *const cuts[] = {NULL, "7.属于行政执法案卷", "7.属于行政执法案卷"};
    for (int k = 0; k < 3; k++) {
        int before = k == 2;
        check_section_twice("pingtan-2021.txt", three, four, cuts[k], before); /* run together */
        check_section_twice("dazu-gaj-2021.txt", three, four, cuts[k], before); /* a cell a line */
        /* ten rows that lost their labels (parse.unlabelled_rows) */
        check_section_twice("shanghai-kewei-2024.md", "二、收到和处理政府信息公开申请情况",
                            "三、政府信息公开行政复议", cuts[k], before);
    }
    /* the warnings compared above, as the reports printed once give them: all
     * 25 rows of 三 (TEMPLATES.md's 2021 table) run together in pingtan-2021,
     * 10 rows without labels in shanghai-kewei-2024 (its gold file pairs them) */
    static const struct {
        const char *name, *code, *message;
    } warned[] = {
        {"pingtan-2021.txt", "parse.glued_cells",
         "table requests: 25 rows of digits run together were split where the table's own "
         "totals allow one reading only"},
        {"shanghai-kewei-2024.md", "parse.unlabelled_rows",
         "table requests: 10 rows of values had lost their labels; they were given, in template "
         "order, to the 10 rows whose labels stood apart"},
    };
    for (size_t k = 0; k < sizeof warned / sizeof warned[0]; k++) {
        size_t len;
        char *text = t_read_corpus(warned[k].name, &len);
        gd_report *rep = text ? t_parse(text, len, 0) : NULL;
        t_context("%s", warned[k].name);
        if (rep) {
            const gd_finding *f =
                t_find_finding(rep, warned[k].code, GD_WARNING, GD_TABLE_REQUESTS, -1, -1);
            if (CHECK(f != NULL))
                CHECK_STR(f->message, warned[k].message);
            gd_report_free(rep);
        }
        free(text);
    }
    t_context("%s", "");
}

/* ---- The template of table 三 ---- */

/* The seed (2021: （六） has three numbered rows) with the 2019 template's
 * one-row （六）其他处理 values under the caption as well (1 0 0 0 0 0 1, the
 * sum of the numbered rows): the numbered rows are kept, the table is 2021,
 * and the seven values go to unplaced with one warning on row other.all. */
static void test_both_shapes_of_other(void)
{
    size_t len;
    char *seed = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!seed)
        return;
    static const char at[] = "\t（六）其他处理\n";
    static const char add[] = "\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n\n\t\n";
    char *z = malloc(len + sizeof add);
    const char *p = NULL;
    if (z) {
        memcpy(z, seed, len);
        z[len] = '\0';
        p = strstr(z, at);
    }
    if (CHECK(p != NULL)) {
        size_t off = (size_t)(p - z) + strlen(at), n = strlen(add);
        memmove(z + off + n, z + off, len - off + 1);
        memcpy(z + off, add, n);
        gd_report *rep = t_parse(z, len + n, 0);
        if (rep) {
            const gd_table *tab = &rep->tables[GD_TABLE_REQUESTS];
            int all = t_row(GD_TABLE_REQUESTS, "other.all");
            int other = t_row(GD_TABLE_REQUESTS, "other.other");
            CHECK_INT(tab->template, GD_TEMPLATE_2021);
            CHECK_INT(rep->template, GD_TEMPLATE_2021);
            CHECK(!tab->row_present[all]);
            for (int col = 0; col < GD_MAX_COLS; col++)
                CHECK_INT(tab->cells[all][col].kind, GD_CELL_ABSENT);
            CHECK(tab->row_present[other]);
            CHECK_CELL(rep, z, len + n, GD_TABLE_REQUESTS, other, 0, GD_CELL_NUMBER, 1, 0, "1", "");
            static const char *const seven[] = {"1", "0", "0", "0", "0", "0", "1"};
            if (CHECK_INT(rep->nunplaced, 7))
                for (size_t k = 0; k < 7; k++) {
                    const char *q;
                    size_t qn = t_span_text(z, rep->unplaced[k].raw, &q);
                    CHECK_MEM(q, qn, seven[k]);
                    CHECK_INT(rep->unplaced[k].raw.start, off + 1 + 3 * k);
                    CHECK_INT(rep->unplaced[k].table, GD_TABLE_REQUESTS);
                }
            CHECK_INT(t_count_findings(rep, "parse.unplaced_number", -1), 1);
            const gd_finding *f =
                t_find_finding(rep, "parse.unplaced_number", GD_WARNING, GD_TABLE_REQUESTS, all, -1);
            if (CHECK(f != NULL)) {
                CHECK_STR(f->message, "7 values follow the caption （六）其他处理 in a table whose "
                                      "（六） has numbered rows; they belong to no row and are "
                                      "listed in unplaced");
                CHECK_INT(f->span.start, off + 1);
                CHECK_INT(f->span.end, off + 2);
            }
            CHECK_INT(t_count_findings(rep, "parse.missing_row", -1), 0);
            gd_report_free(rep);
        }
    }
    free(z);
    free(seed);
}

/* ---- Missing tables ---- */

/* The seed without table 二, or without 四 (heading and rows): one warning
 * that says neither was found, on no cell and no span; 二 and 三 that
 * remain stay 2021. */
static void check_table_not_found(gd_table_id dropped, const char *message)
{
    t_doc *d = doc_load();
    if (!d)
        return;
    doc_drop_table(d, dropped);
    char *text = NULL;
    size_t len;
    gd_report *rep = doc_parse(d, LAYOUT_CELLS, 0, &text, &len);
    if (rep) {
        CHECK_INT(t_count_findings(rep, "parse.missing_table", -1), 1);
        const gd_finding *f = t_find_finding(rep, "parse.missing_table", GD_WARNING, dropped, -1, -1);
        if (CHECK(f != NULL)) {
            CHECK_STR(f->message, message);
            CHECK_INT(f->span.start, 0);
            CHECK_INT(f->span.end, 0);
        }
        CHECK_INT(t_count_findings(rep, "parse.missing_row", -1), 0);
        CHECK_INT(t_count_findings(rep, "parse.not_a_report", -1), 0);
        CHECK_INT(t_count_findings(rep, "parse.pre_template", -1), 0);
        if (dropped != GD_TABLE_ACTIVE)
            CHECK_INT(rep->tables[GD_TABLE_ACTIVE].template, GD_TEMPLATE_2021);
        CHECK_INT(rep->tables[GD_TABLE_REQUESTS].template, GD_TEMPLATE_2021);
        CHECK_INT(rep->template, GD_TEMPLATE_2021);
        CHECK_INT(rep->nunplaced, 0);
        gd_report_free(rep);
    }
    free(text);
    doc_free(d);
}

static void test_table_not_found(void)
{
    check_table_not_found(GD_TABLE_ACTIVE, "table active (二、主动公开政府信息情况): neither its "
                                           "heading nor its rows were found");
    check_table_not_found(GD_TABLE_REVIEWS, "table reviews (四、政府信息公开行政复议、行政诉讼情况): "
                                            "neither its heading nor its rows were found");
}

/* Table 三's heading and a number under it that fills no cell, after its
 * header words or after none of its words (合计 is no label of table 三):
 * the number is listed unplaced (nothing dropped), with no title (not a
 * report) and with one (the table's heading found, no cell read). */
static void check_empty_region(const char *title, const char *row, int is_report)
{
    static const char heading[] = "三、收到和处理政府信息公开申请情况\n";
    size_t tl = strlen(title), hl = sizeof heading - 1, rl = strlen(row), len = tl + hl + rl;
    char *text = malloc(len);
    if (!text)
        return;
    memcpy(text, title, tl);
    memcpy(text + tl, heading, hl);
    memcpy(text + tl + hl, row, rl);
    t_context("title \"%s\", row \"%s\"", title, row);
    gd_report *rep = t_parse(text, len, 0);
    if (rep) {
        CHECK_INT(t_count_findings(rep, "parse.not_a_report", GD_WARNING), !is_report);
        CHECK_INT(t_find_finding(rep, "parse.not_a_report", GD_WARNING, -1, -1, -1) != NULL,
                  !is_report);
        CHECK_INT(t_count_findings(rep, "parse.missing_table", GD_WARNING), is_report ? 3 : 0);
        const gd_finding *f =
            t_find_finding(rep, "parse.missing_table", GD_WARNING, GD_TABLE_REQUESTS, -1, -1);
        if (is_report && CHECK(f != NULL))
            CHECK_STR(f->message, "table requests (三、收到和处理政府信息公开申请情况): its "
                                  "heading was found but no cell could be read");
        for (int t = 0; t < GD_NTABLES; t++)
            CHECK(!rep->tables[t].present);
        if (CHECK_INT(rep->nunplaced, 1)) {
            CHECK_INT(rep->unplaced[0].table, GD_TABLE_REQUESTS);
            size_t at = tl + hl + (size_t)(strstr(row, "12") - row);
            CHECK_INT(rep->unplaced[0].raw.start, at);
            CHECK_INT(rep->unplaced[0].raw.end, at + 2);
        }
        f = t_find_finding(rep, "parse.unplaced_number", GD_WARNING, GD_TABLE_REQUESTS, -1, -1);
        if (CHECK(f != NULL))
            CHECK_STR(f->message, "1 number in table requests could not be placed in a cell "
                                  "(first: 12); see unplaced");
        CHECK_INT(rep->template, GD_TEMPLATE_UNKNOWN);
        gd_report_free(rep);
    }
    free(text);
    t_context("%s", "");
}

/* Without a title (not a report), under table 二's heading: a number under
 * it is listed for table active; with 二's header and one row, the table is
 * read and the text is no "not a report" (one table is enough). */
static void test_active_without_title(void)
{
    static const char heading[] = "二、主动公开政府信息情况\n";
    static const char row[] = "合计\t12\n";
    static const char table[] = "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t5\n";
    char text[256];
    size_t hl = sizeof heading - 1;
    memcpy(text, heading, hl);
    memcpy(text + hl, row, sizeof row - 1);
    gd_report *rep = t_parse(text, hl + sizeof row - 1, 0);
    t_context("%s", "二's heading and 合计 12");
    if (rep) {
        CHECK(t_find_finding(rep, "parse.not_a_report", GD_WARNING, -1, -1, -1) != NULL);
        if (CHECK_INT(rep->nunplaced, 1)) {
            CHECK_INT(rep->unplaced[0].table, GD_TABLE_ACTIVE);
            CHECK_INT(rep->unplaced[0].raw.start, hl + strlen("合计\t"));
        }
        gd_report_free(rep);
    }
    memcpy(text + hl, table, sizeof table - 1);
    rep = t_parse(text, hl + sizeof table - 1, 0);
    t_context("%s", "二's heading and its 规章 row");
    if (rep) {
        CHECK(rep->tables[GD_TABLE_ACTIVE].present);
        CHECK_INT(t_count_findings(rep, "parse.not_a_report", -1), 0);
        gd_report_free(rep);
    }
    t_context("%s", "");
}

static void test_empty_region_keeps_its_numbers(void)
{
    static const char *const rows[] = {"申请人情况\t自然人\t12\n", "合计\t12\n", "| 合计 | 12 |\n",
                                       "合计 12\n"};
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        check_empty_region("", rows[r], 0);
        check_empty_region("某局2021年政府信息公开工作年度报告\n", rows[r], 1);
        check_empty_region("某局2021年政府信息公开年报\n", rows[r], 1);
        check_empty_region("某局2021年政府信息公开工作报告\n", rows[r], 1);
    }
}

/* ---- The unplaced warning's quote ---- */

/* An eighth value after 一、本年新收's seven in table 三, written as the seed
 * writes 行政处罚's cell (211184（含交通行政处罚实施数量209995）, 51 bytes)
 * or shorter: unplaced whole, and the warning quotes its first 40 bytes at
 * most, cut back to a character boundary. */
static void check_quote(const char *cell, const char *quote)
{
    t_doc *d = doc_load();
    if (!d)
        return;
    int row = t_row(GD_TABLE_REQUESTS, "new");
    doc_insert_after(d, GD_TABLE_REQUESTS, row, 6, cell);
    char *text = NULL;
    size_t len;
    gd_report *rep = doc_parse(d, LAYOUT_CELLS, 0, &text, &len);
    t_context("extra cell %s", cell);
    if (rep) {
        CHECK_CELL(rep, text, len, GD_TABLE_REQUESTS, row, 6, GD_CELL_NUMBER, 3, 0, "3", "");
        if (CHECK_INT(rep->nunplaced, 1)) {
            const char *q;
            size_t qn = t_span_text(text, rep->unplaced[0].raw, &q);
            CHECK_MEM(q, qn, cell);
        }
        const gd_finding *f =
            t_find_finding(rep, "parse.unplaced_number", GD_WARNING, GD_TABLE_REQUESTS, -1, -1);
        char want[200];
        snprintf(want, sizeof want,
                 "1 number in table requests could not be placed in a cell (first: %s); "
                 "see unplaced",
                 quote);
        if (CHECK(f != NULL))
            CHECK_STR(f->message, want);
        gd_report_free(rep);
    }
    free(text);
    doc_free(d);
    t_context("%s", "");
}

static void test_unplaced_quote_is_cut(void)
{
    /* 40 bytes end inside 量: back to 数 (39 bytes) */
    check_quote("211184（含交通行政处罚实施数量209995）", "211184（含交通行政处罚实施数");
    /* 41 bytes: cut too; the 40th byte is inside ）, so 38 bytes are left */
    check_quote("21（含交通行政处罚实施数量）", "21（含交通行政处罚实施数量");
    /* 40 bytes: whole */
    check_quote("2（含交通行政处罚实施数量）", "2（含交通行政处罚实施数量）");
}

/* ---- Rows and templates ---- */

/* The seed without （二）部分公开's row (its seven 0): one warning on that
 * row, over the table's span; the other rows are read as before. */
static void test_missing_row(void)
{
    size_t len;
    char *z = t_seed_edit("\t（二）部分公开", 0, "\t（三）不予公开", "", &len);
    gd_report *rep = z ? t_parse(z, len, 0) : NULL;
    if (rep) {
        int row = t_row(GD_TABLE_REQUESTS, "partly_granted");
        const gd_table *tab = &rep->tables[GD_TABLE_REQUESTS];
        CHECK(!tab->row_present[row]);
        CHECK_INT(t_count_findings(rep, "parse.missing_row", -1), 1);
        const gd_finding *f =
            t_find_finding(rep, "parse.missing_row", GD_WARNING, GD_TABLE_REQUESTS, row, -1);
        if (CHECK(f != NULL)) {
            CHECK_STR(f->message, "row requests.partly_granted (（二）部分公开（区分处理的，只计"
                                  "这一情形，不计其他情形）) was not found; identities using it "
                                  "are not checked");
            CHECK_INT(f->span.start, tab->span.start);
            CHECK_INT(f->span.end, tab->span.end);
        }
        CHECK_INT(tab->template, GD_TEMPLATE_2021);
        CHECK_CELL(rep, z, len, GD_TABLE_REQUESTS, t_row(GD_TABLE_REQUESTS, "granted"), 6,
                   GD_CELL_NUMBER, 2, 0, "2", "");
        gd_report_free(rep);
    }
    free(z);
}

/* The seed without table 三's first row (一、本年新收…, 3 0 0 0 0 0 3): that
 * row is reported missing like any other. */
static void test_first_row_missing(void)
{
    size_t len;
    char *z = t_seed_edit("\t一、本年新收政府信息公开申请数量", 0, "\t二、上年结转政府信息公开申请数量", "",
                       &len);
    gd_report *rep = z ? t_parse(z, len, 0) : NULL;
    if (rep) {
        int row = t_row(GD_TABLE_REQUESTS, "new");
        CHECK(rep->tables[GD_TABLE_REQUESTS].present);
        CHECK(!rep->tables[GD_TABLE_REQUESTS].row_present[row]);
        const gd_finding *f =
            t_find_finding(rep, "parse.missing_row", GD_WARNING, GD_TABLE_REQUESTS, row, -1);
        if (CHECK(f != NULL))
            CHECK_STR(f->message, "row requests.new (一、本年新收政府信息公开申请数量) was not "
                                  "found; identities using it are not checked");
        gd_report_free(rep);
    }
    free(z);
}

/* The seed with （六） printed as the 2019 template's one row (1 0 0 0 0 0 1,
 * the sum of its three numbered rows), as 洪泽区 2023 prints it: table 三
 * follows 2019, table 二 2021, so the report is mixed; the numbered rows are
 * not missing (not in that table's template). */
static void test_one_row_other_is_mixed(void)
{
    size_t len;
    char *z = t_seed_edit("\t1.申请人无正当理由", 0, "\t（七）总计",
                       "\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n\n\t\n", &len);
    gd_report *rep = z ? t_parse(z, len, 0) : NULL;
    if (rep) {
        const gd_table *tab = &rep->tables[GD_TABLE_REQUESTS];
        int all = t_row(GD_TABLE_REQUESTS, "other.all");
        CHECK(tab->row_present[all]);
        CHECK_CELL(rep, z, len, GD_TABLE_REQUESTS, all, 0, GD_CELL_NUMBER, 1, 0, "1", "");
        CHECK_CELL(rep, z, len, GD_TABLE_REQUESTS, all, 6, GD_CELL_NUMBER, 1, 0, "1", "");
        CHECK(!tab->row_present[t_row(GD_TABLE_REQUESTS, "other.other")]);
        CHECK_INT(tab->template, GD_TEMPLATE_2019);
        CHECK_INT(rep->tables[GD_TABLE_ACTIVE].template, GD_TEMPLATE_2021);
        CHECK_INT(rep->template, GD_TEMPLATE_MIXED);
        CHECK_INT(t_count_findings(rep, "parse.missing_row", -1), 0);
        CHECK_INT(rep->nunplaced, 0);
        gd_report_free(rep);
    }
    free(z);
}

/* The seed without （六） (caption and rows): table 三 gives no vote on its
 * template (TEMPLATES.md: decide per table), the report follows table 二
 * (2021), and the three numbered rows of 2021's （六） are each missing. */
static void test_no_other_rows_no_vote(void)
{
    size_t len;
    char *z = t_seed_edit("\t（六）其他处理", 0, "\t（七）总计", "", &len);
    gd_report *rep = z ? t_parse(z, len, 0) : NULL;
    if (rep) {
        const gd_table *tab = &rep->tables[GD_TABLE_REQUESTS];
        CHECK(tab->present);
        CHECK_INT(tab->template, GD_TEMPLATE_UNKNOWN);
        CHECK_INT(rep->template, GD_TEMPLATE_2021);
        CHECK_INT(t_count_findings(rep, "parse.missing_row", -1), 3);
        static const char *const rows[] = {"other.no_correction", "other.unpaid_fee",
                                           "other.other"};
        for (int k = 0; k < 3; k++)
            CHECKF(t_find_finding(rep, "parse.missing_row", GD_WARNING, GD_TABLE_REQUESTS,
                                  t_row(GD_TABLE_REQUESTS, rows[k]), -1) != NULL,
                   "no missing_row for %s", rows[k]);
        gd_report_free(rep);
    }
    free(z);
}

/* ---- Several headings of one section ---- */

/* The seed with a table of contents (the six headings, as long reports
 * print one) after its title (at = 0) or after its end (at = 1): each
 * table's section heading is then seen twice; the region under the real one
 * is read, so every cell is the seed's and nothing is unplaced or missing. */
static void check_table_of_contents(int at)
{
    static const char toc[] = "目录\n一、总体情况\n二、主动公开政府信息情况\n"
                              "三、收到和处理政府信息公开申请情况\n"
                              "四、政府信息公开行政复议、行政诉讼情况\n"
                              "五、存在的主要问题及改进情况\n六、其他需要报告的事项\n\n";
    size_t len, n;
    char *seed = t_read_corpus("dazu-gaj-2021.txt", &len);
    gd_report *want = seed ? t_parse(seed, len, 0) : NULL;
    char *z = NULL;
    if (want && at == 0) {
        z = t_seed_edit("本年度报告根据", 0, "本年度报告根据", toc, &n);
    } else if (want) {
        n = len + sizeof toc;
        z = malloc(n);
        if (z) {
            memcpy(z, seed, len);
            z[len] = '\n';
            memcpy(z + len + 1, toc, sizeof toc - 1);
        }
    }
    gd_report *rep = z ? t_parse(z, n, 0) : NULL;
    t_context("contents %s", at ? "at the end" : "after the title");
    if (rep) {
        size_t shift = at ? 0 : n - len;
        for (int t = 0; t < GD_NTABLES; t++) {
            const gd_table *a = &rep->tables[t], *b = &want->tables[t];
            CHECK(a->present);
            CHECK_INT(a->template, b->template);
            CHECK_INT(a->span.start, b->span.start + shift);
            CHECK_INT(a->span.end, b->span.end + shift);
            for (int r = 0; r < GD_MAX_ROWS; r++)
                for (int col = 0; col < GD_MAX_COLS; col++)
                    CHECKF(a->cells[r][col].kind == b->cells[r][col].kind &&
                               a->cells[r][col].units == b->cells[r][col].units &&
                               (b->cells[r][col].kind == GD_CELL_ABSENT ||
                                a->cells[r][col].raw.start == b->cells[r][col].raw.start + shift),
                           "table %d cell [%d][%d]", t, r, col);
        }
        CHECK_INT(rep->nunplaced, 0);
        CHECK_INT(rep->nextras, want->nextras);
        CHECK_INT(t_count_findings(rep, "parse.missing_table", -1), 0);
        CHECK_INT(t_count_findings(rep, "parse.missing_row", -1), 0);
        CHECK_INT(rep->template, GD_TEMPLATE_2021);
    }
    t_context("%s", "");
    gd_report_free(rep);
    gd_report_free(want);
    free(z);
    free(seed);
}

static void test_table_of_contents(void)
{
    check_table_of_contents(0);
    check_table_of_contents(1);
}

/* The seed with only one of （六）'s numbered rows: still the 2021 shape
 * (any one of them votes for it); the other two are missing. */
static void check_one_numbered_row(const char *from, const char *upto, const char *kept)
{
    size_t len;
    char *z = t_seed_edit(from, 0, upto, "", &len);
    gd_report *rep = z ? t_parse(z, len, 0) : NULL;
    t_context("only %s", kept);
    if (rep) {
        const gd_table *tab = &rep->tables[GD_TABLE_REQUESTS];
        CHECK(tab->row_present[t_row(GD_TABLE_REQUESTS, kept)]);
        CHECK_INT(tab->template, GD_TEMPLATE_2021);
        CHECK_INT(rep->template, GD_TEMPLATE_2021);
        CHECK_INT(t_count_findings(rep, "parse.missing_row", -1), 2);
        CHECK(!tab->row_present[t_row(GD_TABLE_REQUESTS, "other.all")]);
        gd_report_free(rep);
    }
    free(z);
    t_context("%s", "");
}

static void test_one_numbered_row_of_other(void)
{
    check_one_numbered_row("\t1.申请人无正当理由", "\t3.其他", "other.other");
    check_one_numbered_row("\t2.申请人逾期未按收费", "\t（七）总计", "other.no_correction");
}

/* The same with the caption's cells all dashes (— is a none marker, no
 * number): the numbered rows are kept, and nothing is unplaced. */
static void test_both_shapes_without_values(void)
{
    size_t len;
    char *z = t_seed_edit("\t1.申请人无正当理由", 0, "\t1.申请人无正当理由",
                       "\t—\n\t—\n\t—\n\t—\n\t—\n\t—\n\t—\n\n\t\n", &len);
    gd_report *rep = z ? t_parse(z, len, 0) : NULL;
    if (rep) {
        const gd_table *tab = &rep->tables[GD_TABLE_REQUESTS];
        CHECK_INT(tab->template, GD_TEMPLATE_2021);
        CHECK(!tab->row_present[t_row(GD_TABLE_REQUESTS, "other.all")]);
        CHECK(tab->row_present[t_row(GD_TABLE_REQUESTS, "other.other")]);
        CHECK_INT(rep->nunplaced, 0);
        CHECK_INT(t_count_findings(rep, "parse.unplaced_number", -1), 0);
        gd_report_free(rep);
    }
    free(z);
}

const test_case tables_after_tests[] = {
    {"statistics_spaced", test_statistics_spaced},
    {"statistics_missing_cell", test_statistics_missing_cell},
    {"statistics_run_together", test_statistics_run_together},
    {"text_digits", test_text_digits},
    {"header_index_series", test_header_index_series},
    {"section_twice", test_section_twice},
    {"pre_template_years", test_pre_template_years},
    {"both_shapes_of_other", test_both_shapes_of_other},
    {"table_not_found", test_table_not_found},
    {"empty_region_keeps_its_numbers", test_empty_region_keeps_its_numbers},
    {"active_without_title", test_active_without_title},
    {"unplaced_quote_is_cut", test_unplaced_quote_is_cut},
    {"missing_row", test_missing_row},
    {"first_row_missing", test_first_row_missing},
    {"one_row_other_is_mixed", test_one_row_other_is_mixed},
    {"no_other_rows_no_vote", test_no_other_rows_no_vote},
    {"table_of_contents", test_table_of_contents},
    {"one_numbered_row_of_other", test_one_numbered_row_of_other},
    {"both_shapes_without_values", test_both_shapes_without_values},
    {NULL, NULL},
};
