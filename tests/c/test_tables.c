/*
 * test_tables.c -- tables.c's small rules seen through gd_parse: how a
 * section heading's numbering is cut (a table's region ends at the next
 * heading of any section), on the seed report dazu-gaj-2021.txt.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Helpers ---- */

/* The report's unplaced numbers read want[0], want[1], ... (NULL-ended). */
static void check_unplaced(const gd_report *rep, const char *text, const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    if (!CHECK_INT(rep->nunplaced, n)) {
        t_dump_findings(rep);
        return;
    }
    for (size_t k = 0; k < n; k++) {
        const char *q;
        size_t qn = t_span_text(text, rep->unplaced[k].raw, &q);
        CHECK_MEM(q, qn, want[k]);
    }
}

/* The report lists one unplaced number, `want`. */
static void check_one_unplaced(const gd_report *rep, const char *text, const char *want)
{
    const char *const list[] = {want, NULL};
    check_unplaced(rep, text, list);
}

/* text with every line "\t<from>\n" made "\t<to>\n"; the caller frees it. */
static char *replace_cells(const char *text, size_t len, const char *const *from, const char *to,
                           size_t *out_len)
{
    char *out = malloc(len * 2 + 1), *o = out;
    if (!CHECK(out != NULL))
        return NULL;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) + 1 : len;
        int hit = 0;
        for (const char *const *f = from; *f && !hit; f++) {
            size_t fl = strlen(*f);
            hit = end - i == fl + 2 && text[i] == '\t' && memcmp(text + i + 1, *f, fl) == 0 &&
                  text[end - 1] == '\n';
        }
        if (hit) {
            *o++ = '\t';
            memcpy(o, to, strlen(to));
            o += strlen(to);
            *o++ = '\n';
        } else {
            memcpy(o, text + i, end - i);
            o += end - i;
        }
        i = end;
    }
    *out_len = (size_t)(o - out);
    return out;
}

/* The seed as a document with the cells of one row (table t, SCHEMA id
 * row) written cells[0], cells[1], ... (NULL-ended); NULL when it fails. */
static t_doc *doc_with_row(gd_table_id t, const char *row, const char *const *cells)
{
    t_doc *d = doc_load();
    int r = t_row(t, row);
    for (int col = 0; d && r >= 0 && cells[col]; col++)
        doc_set(d, t, r, col, cells[col]);
    return d;
}

/* ---- Numbering before a heading: 五、 （五） 第五部分 5. ... ---- */

/* Section 五 of the seed opens "2021年，区公安局政务公开工作…": when its
 * heading is read as one, table 四's region ends there and that 2021 is no
 * number of the table; when not, 四 runs on into 五 and lists it unplaced. */
static void check_heading_five(const char *heading, int is_heading)
{
    for (int layout = 0; layout < NLAYOUTS; layout++) {
        t_doc *d = doc_load();
        if (!d)
            return;
        doc_set_heading(d, 3, heading);
        char *text;
        size_t len;
        gd_report *rep = doc_parse(d, (t_layout)layout, 0, &text, &len);
        t_context("heading \"%s\", layout=%s", heading, t_layout_names[layout]);
        if (rep) {
            CHECK(rep->tables[GD_TABLE_REVIEWS].present);
            if (is_heading) {
                if (!CHECK_INT(rep->nunplaced, 0))
                    t_dump_findings(rep);
            } else {
                check_one_unplaced(rep, text, "2021");
                CHECK(rep->nunplaced == 0 || rep->unplaced[0].table == GD_TABLE_REVIEWS);
            }
            gd_report_free(rep);
        }
        free(text);
        doc_free(d);
    }
    t_context("%s", "");
}

static void test_heading_numbering(void)
{
    /* numbering as reports print it (TEMPLATES.md §2: headings are matched
     * by their words, whatever numbers them) */
    check_heading_five("五、存在的主要问题及改进情况", 1);
    check_heading_five("（五）存在的主要问题及改进情况", 1);
    check_heading_five("第五部分 存在的主要问题及改进情况", 1);
    check_heading_five("第五章 存在的主要问题及改进情况", 1);
    check_heading_five("第五部分存在的主要问题及改进情况", 1); /* one token: no space to cut it */
    check_heading_five("第五章存在的主要问题及改进情况", 1);
    check_heading_five("第十五章存在的主要问题及改进情况", 1);
    check_heading_five("(五)存在的主要问题及改进情况", 1);
    check_heading_five("## 五、存在的主要问题及改进情况", 1);
    check_heading_five("5.存在的主要问题及改进情况", 1);
    check_heading_five("5、存在的主要问题及改进情况", 1);
    check_heading_five("５．存在的主要问题及改进情况", 1); /* full-width digits: TEMPLATES.md §7 */
    check_heading_five("５、存在的主要问题及改进情况", 1);
    for (int k = 0; k < 10; k++) { /* each of ０…９ (U+FF10…U+FF19, EF BC 90…99) */
        char h[64] = "\xEF\xBC";
        h[2] = (char)(0x90 + k);
        strcpy(h + 3, "．存在的主要问题及改进情况");
        check_heading_five(h, 1);
    }
    check_heading_five("十五、存在的主要问题及改进情况", 1);
    check_heading_five("第十五章 存在的主要问题及改进情况", 1);
    /* two numberings, one after the other */
    check_heading_five("（五）5.存在的主要问题及改进情况", 1);
    check_heading_five("五、（一）存在的主要问题及改进情况", 1);
    check_heading_five("五、存在问题及改进情况", 1); /* TEMPLATES.md §2 */
    check_heading_five("第五部分 五、存在的主要问题及改进情况", 1);
    check_heading_five("第五部分五、存在的主要问题及改进情况", 1);
    check_heading_five("第五章(一)存在的主要问题及改进情况", 1);
    /* no heading: words of section 五 that do not open the line */
    check_heading_five("关于存在的主要问题及改进情况", 0);
    check_heading_five("第五节存在的主要问题及改进情况", 0); /* 部分 and 章 only */
    check_heading_five("第五存在的主要问题及改进情况", 0);
    /* a heading quoted (as prose names a section) is not one: a heading's
     * first character is numbering, a bracket or its first word's */
    check_heading_five("“五、存在的主要问题及改进情况”", 0);
}

/* ---- A heading with no table under it ---- */

/* The seed's headings of 二, 三 and 四, and the one after each. */
static const char *const seed_heading[GD_NTABLES + 1] = {
    "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
};

/* The seed with the body of table t's section cut out (its tables as
 * images, say) and its heading written as `heading`: t is missing with its
 * heading seen, the other two are read, and t's region (its heading to the
 * next) holds no number.  The numbers before it (title, preamble, section
 * 一, the tables before t) are not t's: none is unplaced. */
static void check_heading_without_table(gd_table_id t, const char *heading)
{
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    t_context("table %d under \"%s\"", (int)t, heading);
    char *a = strstr(text, seed_heading[t]);
    char *b = a ? strstr(a, seed_heading[t + 1]) : NULL;
    size_t hl = strlen(heading), n = 0;
    char *cut = a && b ? malloc(len + hl) : NULL;
    if (CHECK(cut != NULL)) {
        memcpy(cut, text, (size_t)(a - text));
        n = (size_t)(a - text);
        memcpy(cut + n, heading, hl);
        n += hl;
        cut[n++] = '\n';
        memcpy(cut + n, b, (size_t)(text + len - b));
        n += (size_t)(text + len - b);
        gd_report *rep = t_parse(cut, n, 0);
        if (rep) {
            for (int u = 0; u < GD_NTABLES; u++)
                CHECKF(rep->tables[u].present == (u != (int)t), "table %d present: %d", u,
                       rep->tables[u].present);
            const gd_finding *f = t_find_finding(rep, "parse.missing_table", GD_WARNING, t, -2, -2);
            if (CHECK(f != NULL))
                CHECKF(strstr(f->message, "its heading was found") != NULL, "%s", f->message);
            if (!CHECK_INT(rep->nunplaced, 0))
                t_dump_findings(rep);
            CHECK_INT(t_count_findings(rep, "parse.unplaced_number", -1), 0);
            CHECK_INT(t_count_findings(rep, "parse.incomplete_table", -1), 0); /* no cell: none */
            gd_report_free(rep);
        }
    }
    free(cut);
    free(text);
    t_context("%s", "");
}

/* The seed with section 二's template column headers gone (本年制发件数 …
 * 本年收费金额, as when a converter loses a header row): no template names
 * the table, so it is not read, and its ten numbers are listed unplaced in
 * order, not dropped; none from before its heading is. */
static void check_table_without_its_headers(void)
{
    size_t len, n;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    static const char *const headers[] = {"本年制发件数", "本年废止件数", "现行有效件数",
                                          "本年处理决定数量", "本年收费金额（单位：万元）", NULL};
    char *edited = text ? replace_cells(text, len, headers, "\x01", &n) : NULL;
    size_t k = 0;
    for (size_t i = 0; edited && i < n; i++) /* drop the lines "\t\x01\n" */
        if (!(edited[i] == '\t' && i + 2 < n && edited[i + 1] == '\x01' && edited[i + 2] == '\n'))
            edited[k++] = edited[i];
        else
            i += 2;
    gd_report *rep = edited ? t_parse(edited, k, 0) : NULL;
    if (rep) {
        CHECK(!rep->tables[GD_TABLE_ACTIVE].present);
        static const char *const numbers[] = {"0", "0", "0", "0", "0", "0", "192406",
                                              "211184（含交通行政处罚实施数量209995）",
                                              "3945（含交通行政强制措施实施数量3823）", "221.67",
                                              NULL};
        check_unplaced(rep, edited, numbers);
        for (size_t u = 0; u < rep->nunplaced; u++)
            CHECK_INT(rep->unplaced[u].table, GD_TABLE_ACTIVE);
        gd_report_free(rep);
    }
    free(edited);
    free(text);
}

/* Table 二 with one cell filled (行政许可 192406) and the others blank: a
 * table all the same, not a blank form. */
static void check_one_cell_filled(void)
{
    t_doc *d = doc_load();
    if (!d)
        return;
    static const char *const rows[] = {"rules", "normative_documents", "penalties",
                                       "enforcement", "fees"};
    for (size_t r = 0; r < 5; r++)
        for (int col = 0; col < (r < 2 ? 3 : 1); col++)
            doc_set(d, GD_TABLE_ACTIVE, t_row(GD_TABLE_ACTIVE, rows[r]), col, "");
    char *text;
    size_t len;
    gd_report *rep = doc_parse(d, LAYOUT_TABS, 0, &text, &len);
    if (rep) {
        CHECK(rep->tables[GD_TABLE_ACTIVE].present);
        CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, t_row(GD_TABLE_ACTIVE, "licensing"), 0,
                   GD_CELL_NUMBER, 192406, 0, "192406", "");
        gd_report_free(rep);
    }
    free(text);
    doc_free(d);
}

static void test_heading_without_its_table(void)
{
    check_one_cell_filled();
    check_table_without_its_headers();
    for (int t = 0; t < GD_NTABLES; t++)
        check_heading_without_table((gd_table_id)t, seed_heading[t]);
    /* 四 as other reports print it (TEMPLATES.md §2) */
    check_heading_without_table(GD_TABLE_REVIEWS,
                                "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况");
    check_heading_without_table(GD_TABLE_REVIEWS,
                                "四、因政府信息公开工作被申请行政复议提起行政诉讼情况");
}

/* ---- A heading run into its section's text ---- */

/* Section 五's heading and its second paragraph as one line of over 240
 * bytes (HEADING_MAX_BYTES: longer is prose, unless numbered), then its
 * first paragraph, "2021年，…": a numbered heading still ends table 四's
 * region there; without its numbering the line is prose and 2021 falls in
 * 四's region, unplaced. */
static void check_run_in_heading(const char *heading, size_t unplaced)
{
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    t_context("\"%s\" run into its text", heading);
    const char *h5 = "五、存在的主要问题及改进情况\n", *h6 = "六、其他需要报告的事项";
    char *a = strstr(text, h5), *e = a ? strstr(a, h6) : NULL;
    char *p1 = a ? a + strlen(h5) : NULL, *p2 = NULL, *p1_end = NULL;
    if (p1 && e) {
        p1_end = strchr(p1, '\n');
        p2 = p1_end;
        while (p2 && p2 < e && *p2 == '\n')
            p2++;
    }
    char *out = p2 && p2 < e ? malloc(len + strlen(heading) + 2) : NULL;
    if (CHECK(out != NULL)) {
        size_t n = (size_t)(a - text);
        memcpy(out, text, n);
        memcpy(out + n, heading, strlen(heading));
        n += strlen(heading);
        memcpy(out + n, p2, (size_t)(e - p2)); /* 今后，… (ends with its newline) */
        n += (size_t)(e - p2);
        memcpy(out + n, p1, (size_t)(p1_end - p1)); /* 2021年，… */
        n += (size_t)(p1_end - p1);
        out[n++] = '\n';
        memcpy(out + n, e, (size_t)(text + len - e));
        n += (size_t)(text + len - e);
        gd_report *rep = t_parse(out, n, 0);
        if (rep) {
            CHECK(rep->tables[GD_TABLE_REVIEWS].present);
            if (CHECK_INT(rep->nunplaced, unplaced) && unplaced) {
                const char *q;
                size_t qn = t_span_text(out, rep->unplaced[0].raw, &q);
                CHECK_MEM(q, qn, "2021");
            }
            gd_report_free(rep);
        }
    }
    free(out);
    free(text);
    t_context("%s", "");
}

static void test_run_in_heading(void)
{
    check_run_in_heading("五、存在的主要问题及改进情况", 0);
    check_run_in_heading("十五、存在的主要问题及改进情况", 0);
    check_run_in_heading("存在的主要问题及改进情况", 1);
}

/* ---- The column headers that name section 二's template ---- */

/* The seed's section 二 with each of its column headers replaced by one
 * word: any one of a template's column headers (TEMPLATES.md §3.1, §4.1,
 * §5) names the template the table is read under. */
static void test_active_template_words(void)
{
    static const char *const seed_headers[] = {"本年制发件数", "本年废止件数", "现行有效件数",
                                               "本年处理决定数量", "本年收费金额（单位：万元）",
                                               NULL};
    static const struct {
        const char *word;
        gd_template tpl;
    } cases[] = {
        {"本年制发件数", GD_TEMPLATE_2021},   {"本年废止件数", GD_TEMPLATE_2021},
        {"现行有效件数", GD_TEMPLATE_2021},   {"本年处理决定数量", GD_TEMPLATE_2021},
        {"本年收费金额（单位：万元）", GD_TEMPLATE_2021},
        {"本年新制作数量", GD_TEMPLATE_2019}, {"本年新公开数量", GD_TEMPLATE_2019},
        {"对外公开总数量", GD_TEMPLATE_2019}, {"上一年项目数量", GD_TEMPLATE_2019},
        {"本年增/减", GD_TEMPLATE_2019},      {"采购项目数量", GD_TEMPLATE_2019},
        {"采购总金额", GD_TEMPLATE_2019},
    };
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t n;
        char *edited = replace_cells(text, len, seed_headers, cases[k].word, &n);
        t_context("every column header of 二 written %s", cases[k].word);
        gd_report *rep = edited ? t_parse(edited, n, 0) : NULL;
        if (rep) {
            CHECK(rep->tables[GD_TABLE_ACTIVE].present);
            CHECK_INT(rep->tables[GD_TABLE_ACTIVE].template, cases[k].tpl);
            gd_report_free(rep);
        }
        free(edited);
    }
    /* headers of both: the template most of them name (one of 2021's left,
     * or only one of them written as 2019's) */
    static const char *const all_but_fees[] = {"本年制发件数", "本年废止件数", "现行有效件数",
                                               "本年处理决定数量", NULL};
    static const char *const issued[] = {"本年制发件数", NULL};
    const char *const *mixed[2] = {all_but_fees, issued};
    for (int k = 0; k < 2; k++) {
        size_t n;
        char *edited = replace_cells(text, len, mixed[k], "本年新制作数量", &n);
        t_context("%s written 本年新制作数量", k ? "本年制发件数" : "all but 本年收费金额");
        gd_report *rep = edited ? t_parse(edited, n, 0) : NULL;
        if (rep) {
            CHECK_INT(rep->tables[GD_TABLE_ACTIVE].template,
                      k ? GD_TEMPLATE_2021 : GD_TEMPLATE_2019);
            gd_report_free(rep);
        }
        free(edited);
    }
    t_context("%s", "");
    free(text);
}

/* ---- A table found by its own words, without its heading ---- */

/* Every cell of the three tables of a and b is the same. */
static void check_same_cells(const gd_report *a, const gd_report *b)
{
    for (int t = 0; t < GD_NTABLES; t++) {
        CHECKF(a->tables[t].present == b->tables[t].present, "table %d present", t);
        for (int r = 0; r < GD_MAX_ROWS; r++)
            for (int c = 0; c < GD_MAX_COLS; c++) {
                const gd_cell *x = &a->tables[t].cells[r][c], *y = &b->tables[t].cells[r][c];
                CHECKF(x->kind == y->kind && x->units == y->units && x->scale == y->scale,
                       "table %d cell [%d][%d]: kind %d units %lld, not kind %d units %lld", t, r,
                       c, (int)x->kind, (long long)x->units, (int)y->kind, (long long)y->units);
            }
    }
}

/* text parses to the seed's cells, with nothing unplaced. */
static void check_as_seed(const char *text, size_t len)
{
    size_t sl;
    char *seed_txt = t_read_corpus("dazu-gaj-2021.txt", &sl);
    gd_report *seed = seed_txt ? t_parse(seed_txt, sl, 0) : NULL;
    gd_report *rep = t_parse(text, len, 0);
    if (seed && rep) {
        check_same_cells(rep, seed);
        if (!CHECK_INT(rep->nunplaced, 0))
            t_dump_findings(rep);
    }
    gd_report_free(rep);
    gd_report_free(seed);
    free(seed_txt);
}

/* The seed without the heading of one table and with some of the table's
 * own words (anchor words: 第二十条 信息内容 / 本年新收 勾稽关系 / 未经复议
 * 复议后起诉) written otherwise: the words left place the table, and every
 * cell is read as from the seed itself. */
static void check_found_without_heading(const char *heading, const char *const *from,
                                        const char *to, int drop)
{
    size_t len, n, n2;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    const char *none[] = {NULL};
    char *edited = replace_cells(text, len, from ? from : none, to, &n);
    char *h = edited ? strstr(edited, heading) : NULL;
    t_context("no \"%s\", \"%s\" as \"%s\"", heading, from ? from[0] : "", to);
    if (CHECK(h != NULL)) {
        size_t hl = strlen(heading) + 1; /* and its newline */
        memmove(h, h + hl, n - (size_t)(h - edited) - hl);
        n2 = n - hl;
        if (drop) { /* also drop the line holding from[0] */
            char *l = strstr(edited, to);
            char *e = l ? memchr(l, '\n', n2 - (size_t)(l - edited)) : NULL;
            while (l && l > edited && l[-1] != '\n')
                l--;
            if (CHECK(l && e)) {
                memmove(l, e + 1, n2 - (size_t)(e + 1 - edited));
                n2 -= (size_t)(e + 1 - l);
            }
        }
        check_as_seed(edited, n2);
    }
    free(edited);
    free(text);
    t_context("%s", "");
}

static void test_found_without_heading(void)
{
    static const char *const content[] = {"信息内容", NULL};
    static const char *const articles[] = {"第二十条第（一）项", "第二十条第（五）项",
                                           "第二十条第（六）项", "第二十条第（八）项", NULL};
    static const char *const after_review[] = {"复议后起诉", NULL};
    static const char *const unreviewed[] = {"未经复议直接起诉", NULL};
    check_found_without_heading("二、主动公开政府信息情况", NULL, "", 0);
    check_found_without_heading("二、主动公开政府信息情况", content, "项目", 0);
    check_found_without_heading("二、主动公开政府信息情况", articles, "分类", 0);
    check_found_without_heading("三、收到和处理政府信息公开申请情况", NULL, "", 0);
    /* without the note on the 勾稽关系 (the line goes): 本年新收 places it */
    static const char *const note[] = {
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", NULL};
    check_found_without_heading("三、收到和处理政府信息公开申请情况", note, "删去", 1);
    check_found_without_heading("四、政府信息公开行政复议、行政诉讼情况", NULL, "", 0);
    check_found_without_heading("四、政府信息公开行政复议、行政诉讼情况", after_review, "起诉", 0);
    check_found_without_heading("四、政府信息公开行政复议、行政诉讼情况", unreviewed, "直接起诉", 0);
}

/* ---- Labels written otherwise ---- */

/* The seed with some row labels written otherwise: every cell as the
 * seed's, nothing unplaced. */
static void check_relabelled(const char *const *from, const char *to)
{
    size_t len, n;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    char *edited = replace_cells(text, len, from, to, &n);
    t_context("\"%s\" written \"%s\"", from[0], to);
    if (edited)
        check_as_seed(edited, n);
    free(edited);
    free(text);
    t_context("%s", "");
}

static void test_relabelled_rows(void)
{
    /* a bare 总计 after the results is （七）总计 */
    static const char *const total[] = {"（七）总计", NULL};
    check_relabelled(total, "总计");
    check_relabelled(total, "7.总计"); /* numbered as an item: its numbering cut */
    /* labels cut by white space into pieces, one per character (PDF text
     * with spaced letters); TEMPLATES.md §7: "Delete all whitespace inside
     * labels before matching" */
    static const char *const licensing[] = {"行政许可", NULL};
    check_relabelled(licensing, "行 政 许 可");
    static const char *const normative[] = {"行政规范性文件", NULL};
    check_relabelled(normative, "行 政 规 范 性 文 件");
    static const char *const unclear[] = {"3.补正后申请内容仍不明确", NULL};
    check_relabelled(unclear, "3.补 正 后 申 请 内 容 仍 不 明 确");
    /* the numbering in a cell of its own, "1、" (its 1 is no number) */
    static const char *const secret[] = {"1.属于国家秘密", NULL};
    check_relabelled(secret, "1、\n\t属于国家秘密");
    check_relabelled(secret, "1、属于国家秘密"); /* TEMPLATES.md §7: 1、 and 1． number items */
    check_relabelled(secret, "1．属于国家秘密");
    static const char *const other[] = {"3.其他", NULL}; /* a label that must equal its key */
    check_relabelled(other, "3.其 他");
}

/* A row printed twice (the seed with a second 规章 | 1 | 2 | 3 after its
 * 规章 | 0 | 0 | 0): the first is kept, a warning names the row, and the
 * second's numbers are unplaced, not dropped. */
static void test_duplicate_row(void)
{
    size_t n;
    char *z = t_seed_edit("\t行政规范性文件\n", 0, NULL, "\t规章\n\t1\n\t2\n\t3\n\n", &n);
    gd_report *rep = z ? t_parse(z, n, 0) : NULL;
    if (rep) {
        int rules = t_row(GD_TABLE_ACTIVE, "rules");
        for (int col = 0; col < 3; col++)
            CHECK_CELL(rep, z, n, GD_TABLE_ACTIVE, rules, col, GD_CELL_NUMBER, 0, 0, "0", "");
        const gd_finding *f =
            t_find_finding(rep, "parse.duplicate_row", GD_WARNING, GD_TABLE_ACTIVE, rules, -1);
        if (CHECK(f != NULL))
            CHECK_STR(f->message,
                      "active.rules appears twice; the values of the second one are not used");
        static const char *const second[] = {"1", "2", "3", NULL};
        check_unplaced(rep, z, second);
        f = t_find_finding(rep, "parse.unplaced_number", GD_WARNING, GD_TABLE_ACTIVE, -1, -1);
        if (CHECK(f != NULL))
            CHECK_STR(f->message, "3 numbers in table active could not be placed in a cell "
                                  "(first: 1); see unplaced");
        gd_report_free(rep);
    }
    free(z);
}

/* ---- A table's span: its first to its last recognised token ---- */

/* The end of the n-th line after p that is a tab and a number ("\t0"). */
static const char *nth_value_line(const char *p, int n, const char **first)
{
    const char *end = NULL;
    for (int k = 0; k < n && p;) {
        p = strchr(p, '\n');
        if (!p)
            break;
        p++;
        size_t d = 0;
        while (p[0] == '\t' && ((p[1 + d] >= '0' && p[1 + d] <= '9') || p[1 + d] == '.'))
            d++;
        if (d && p[1 + d] == '\n') {
            if (k == 0 && first)
                *first = p + 1;
            end = p + 1 + d;
            k++;
        }
    }
    return end;
}

static void test_table_spans(void)
{
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    char *z = malloc(len + 1); /* NUL-terminated for strstr */
    if (!CHECK(z != NULL)) {
        free(text);
        return;
    }
    memcpy(z, text, len);
    z[len] = '\0';
    /* 二: its first row label 规章 to the fee 221.67 */
    const char *a0 = strstr(z, "\t规章\n"), *b0 = strstr(z, "221.67");
    /* 三: its first row label to the last cell of 四、结转下年度继续办理 */
    const char *a1 = strstr(z, "一、本年新收政府信息公开申请数量");
    const char *c1 = strstr(z, "四、结转下年度继续办理");
    const char *b1 = c1 ? nth_value_line(c1, 7, NULL) : NULL;
    /* 四: its first to its 15th value */
    const char *c2 = strstr(z, "四、政府信息公开行政复议、行政诉讼情况"), *a2 = NULL;
    const char *b2 = c2 ? nth_value_line(c2, 15, &a2) : NULL;
    gd_report *rep = t_parse(text, len, 0);
    if (rep && CHECK(a0 && b0 && a1 && b1 && a2 && b2)) {
        const size_t want[GD_NTABLES][2] = {
            {(size_t)(a0 + 1 - z), (size_t)(b0 + 6 - z)},
            {(size_t)(a1 - z), (size_t)(b1 - z)},
            {(size_t)(a2 - z), (size_t)(b2 - z)},
        };
        for (int t = 0; t < GD_NTABLES; t++) {
            t_context("table %d", t);
            CHECK_INT(rep->tables[t].span.start, want[t][0]);
            CHECK_INT(rep->tables[t].span.end, want[t][1]);
        }
        t_context("%s", "");
    }
    gd_report_free(rep);
    free(z);
    free(text);
}

/* Table 三 alone, cut from the seed (from its first row label to the line
 * before heading 四): found by its words at the text's first byte, its span
 * from byte 0 to its last value, every cell as in the whole seed. */
static void test_table_at_first_byte(void)
{
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    char *z = malloc(len + 1);
    gd_report *seed = t_parse(text, len, 0);
    const char *a = NULL, *b = NULL, *last = NULL;
    if (CHECK(z != NULL)) {
        memcpy(z, text, len);
        z[len] = '\0';
        a = strstr(z, "一、本年新收政府信息公开申请数量");
        b = a ? strstr(a, "四、政府信息公开行政复议、行政诉讼情况") : NULL;
        const char *c = a ? strstr(a, "四、结转下年度继续办理") : NULL;
        last = c ? nth_value_line(c, 7, NULL) : NULL;
    }
    if (seed && CHECK(a && b && last)) {
        gd_report *rep = t_parse(a, (size_t)(b - a), 0);
        if (rep) {
            const gd_table *x = &rep->tables[GD_TABLE_REQUESTS], *y = &seed->tables[GD_TABLE_REQUESTS];
            CHECK(x->present);
            CHECK_INT(x->span.start, 0);
            CHECK_INT(x->span.end, last - a);
            for (int r = 0; r < GD_MAX_ROWS; r++)
                for (int col = 0; col < GD_MAX_COLS; col++)
                    CHECKF(x->cells[r][col].kind == y->cells[r][col].kind &&
                               x->cells[r][col].units == y->cells[r][col].units,
                           "requests cell [%d][%d]", r, col);
            gd_report_free(rep);
        }
    }
    gd_report_free(seed);
    free(z);
    free(text);
}

/* A words cell in table 三 (for 一、本年新收's 自然人) where tabs or pipes
 * delimit the cells: one text cell, white space inside or not, and the other
 * six in their columns (0 0 0 0 0 and the total 3, as the seed prints
 * them).  A number inside the words is no cell: it is unplaced, with a
 * warning (nothing is dropped silently). */
static void check_words_cell(const char *words, const char *unplaced)
{
    static const t_layout layouts[] = {LAYOUT_TABS, LAYOUT_PIPES};
    for (size_t k = 0; k < 2; k++) {
        t_doc *d = doc_load();
        if (!d)
            return;
        int row = t_row(GD_TABLE_REQUESTS, "new");
        doc_set(d, GD_TABLE_REQUESTS, row, 0, words);
        char *text;
        size_t len;
        gd_report *rep = doc_parse(d, layouts[k], 0, &text, &len);
        t_context("words cell \"%s\", layout=%s", words, t_layout_names[layouts[k]]);
        if (rep) {
            CHECK_CELL(rep, text, len, GD_TABLE_REQUESTS, row, 0, GD_CELL_TEXT, 0, 0, words, "");
            for (int col = 1; col < 6; col++)
                CHECK_CELL(rep, text, len, GD_TABLE_REQUESTS, row, col, GD_CELL_NUMBER, 0, 0, "0",
                           "");
            CHECK_CELL(rep, text, len, GD_TABLE_REQUESTS, row, 6, GD_CELL_NUMBER, 3, 0, "3", "");
            CHECK_INT(t_count_findings(rep, "parse.incomplete_row", -1), 0);
            if (!unplaced) {
                if (!CHECK_INT(rep->nunplaced, 0))
                    t_dump_findings(rep);
            } else {
                check_one_unplaced(rep, text, unplaced);
                const gd_finding *f = t_find_finding(rep, "parse.unplaced_number", GD_WARNING,
                                                     GD_TABLE_REQUESTS, -1, -1);
                char want[160];
                snprintf(want, sizeof want,
                         "1 number in table requests could not be placed in a cell (first: %s); "
                         "see unplaced", unplaced);
                if (CHECK(f != NULL))
                    CHECK_STR(f->message, want);
            }
            gd_report_free(rep);
        }
        free(text);
        doc_free(d);
    }
    t_context("%s", "");
}

static void test_words_cell_in_requests(void)
{
    check_words_cell("见附件", NULL);
    check_words_cell("见 附件", NULL);
    check_words_cell("约2件左右", "2");
    check_words_cell("约 2 件", "2");
    check_words_cell("约109件左右", "109");
    check_words_cell("共计有5件", "5"); /* the 5 is the 10th byte: after a run of 8 without digits */
}

/* Cells that tabs delimit are never re-split as run-together digits: 规章
 * as "128\t121\t" (its last cell blank) keeps 128 and 121 in its first two
 * cells (the third is missing: a warning), with no glued_cells finding. */
static void test_delimited_cells_not_split(void)
{
    static const char *const cells[] = {"128", "121", "", NULL};
    t_doc *d = doc_with_row(GD_TABLE_ACTIVE, "rules", cells);
    int rules = t_row(GD_TABLE_ACTIVE, "rules");
    char *text = NULL;
    size_t len;
    gd_report *rep = d ? doc_parse(d, LAYOUT_TABS, 0, &text, &len) : NULL;
    if (rep) {
        CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, rules, 0, GD_CELL_NUMBER, 128, 0, "128", "");
        CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, rules, 1, GD_CELL_NUMBER, 121, 0, "121", "");
        CHECK_INT(t_count_findings(rep, "parse.glued_cells", -1), 0);
        CHECK_INT(rep->nunplaced, 0);
        gd_report_free(rep);
    }
    free(text);
    doc_free(d);
    t_context("%s", "");
}

/* ---- Rows of digits run together (PDF text) ---- */

/* The finding's span holds exactly `quote`. */
static void check_finding_quotes(const gd_finding *f, const char *text, const char *quote)
{
    if (!CHECK(f != NULL))
        return;
    const char *q;
    size_t n = t_span_text(text, f->span, &q);
    CHECK_MEM(q, n, quote);
}

/* The seed with row `row` of table t written as the digits `run` in its
 * first cell and nothing in the others (run together in LAYOUT_SPACES). */
static t_doc *doc_run_together(gd_table_id t, const char *row, const char *run)
{
    const char *const seven[] = {run, "", "", "", "", "", "", NULL};
    const char *const three[] = {run, "", "", NULL};
    return doc_with_row(t, row, t == GD_TABLE_ACTIVE ? three : seven);
}

/* doc_run_together's document parsed in LAYOUT_SPACES; *text is its text
 * (the caller frees both). */
static gd_report *parse_run_together(gd_table_id t, const char *row, const char *run,
                                     char **text, size_t *len)
{
    t_doc *d = doc_run_together(t, row, run);
    *text = NULL;
    gd_report *rep = d ? doc_parse(d, LAYOUT_SPACES, 0, text, len) : NULL;
    doc_free(d);
    return rep;
}

/* 四、结转下年度继续办理 as "1000001" (the seed's 1 0 0 0 0 0 1 run
 * together): one reading has the total equal the six columns' sum, so it is
 * split; one summary warning quotes the digits; the table's span ends there. */
static void check_split_by_row_total(void)
{
    int row = t_row(GD_TABLE_REQUESTS, "carried_forward");
    char *text;
    size_t len;
    gd_report *rep = parse_run_together(GD_TABLE_REQUESTS, "carried_forward", "1000001", &text, &len);
    if (rep) {
        static const int want[7] = {1, 0, 0, 0, 0, 0, 1};
        for (int col = 0; col < 7; col++)
            CHECK_CELL(rep, text, len, GD_TABLE_REQUESTS, row, col, GD_CELL_NUMBER, want[col], 0,
                       NULL, NULL);
        const gd_finding *f =
            t_find_finding(rep, "parse.glued_cells", GD_WARNING, GD_TABLE_REQUESTS, -1, -1);
        check_finding_quotes(f, text, "1000001");
        if (f)
            CHECK_STR(f->message, "table requests: 1 row of digits run together were split where "
                                  "the table's own totals allow one reading only");
        const char *q;
        size_t n = t_span_text(text, rep->tables[GD_TABLE_REQUESTS].span, &q);
        CHECK(n >= 7 && memcmp(q + n - 7, "1000001", 7) == 0);
        CHECK_INT(rep->nunplaced, 0);
        gd_report_free(rep);
    }
    free(text);
}

/* （六）'s three rows run together (0000000, 0000000, 1000001: the seed's)
 * and （七）总计 written bare 总计: the split rows count as read, so 总计
 * after them is still （七）总计; every cell as the seed's. */
static void check_split_rows_then_bare_total(void)
{
    t_doc *d = doc_load();
    if (!d)
        return;
    char *text;
    size_t len;
    gd_report *seed = doc_parse(d, LAYOUT_SPACES, 0, &text, &len);
    free(text);
    static const char *const six[3] = {"other.no_correction", "other.unpaid_fee", "other.other"};
    static const char *const glued[3] = {"0000000", "0000000", "1000001"};
    for (int k = 0; k < 3; k++) {
        int r6 = t_row(GD_TABLE_REQUESTS, six[k]);
        for (int col = 0; col < 7; col++)
            doc_set(d, GD_TABLE_REQUESTS, r6, col, col ? "" : glued[k]);
    }
    doc_set_label(d, GD_TABLE_REQUESTS, t_row(GD_TABLE_REQUESTS, "total"), "总计");
    gd_report *rep = doc_parse(d, LAYOUT_SPACES, 0, &text, &len);
    if (seed && rep) {
        check_same_cells(rep, seed);
        CHECK_INT(rep->nunplaced, 0);
    }
    gd_report_free(seed);
    gd_report_free(rep);
    free(text);
    doc_free(d);
}

/* 一、本年新收 as 12 1 0 0 0 0 13 run together, "121000013": the row
 * identity allows two readings (12 1 … 13 and 1 2 10 … 13).  With the
 * seed's other rows edited to fit the first (予以公开 11 1 … 12, 总计
 * 12 1 … 13) table 三's column identities keep it; with them as they are,
 * neither fits, and the row is left out (not present, no cell), its digits
 * unplaced, a warning on the row. */
static void check_split_by_column_identities(int fits)
{
    int row = t_row(GD_TABLE_REQUESTS, "new");
    t_doc *d = doc_run_together(GD_TABLE_REQUESTS, "new", "121000013");
    if (!d)
        return;
    static const char *const granted[7] = {"11", "1", "0", "0", "0", "0", "12"};
    static const char *const total[7] = {"12", "1", "0", "0", "0", "0", "13"};
    for (int col = 0; col < 7 && fits; col++) {
        doc_set(d, GD_TABLE_REQUESTS, t_row(GD_TABLE_REQUESTS, "granted"), col, granted[col]);
        doc_set(d, GD_TABLE_REQUESTS, t_row(GD_TABLE_REQUESTS, "total"), col, total[col]);
    }
    char *text;
    size_t len;
    gd_report *rep = doc_parse(d, LAYOUT_SPACES, 0, &text, &len);
    t_context("other rows %s", fits ? "fit 12 1 … 13" : "as the seed's");
    if (rep && fits) {
        static const int want[7] = {12, 1, 0, 0, 0, 0, 13};
        for (int col = 0; col < 7; col++)
            CHECK_CELL(rep, text, len, GD_TABLE_REQUESTS, row, col, GD_CELL_NUMBER, want[col], 0,
                       NULL, NULL);
        check_finding_quotes(
            t_find_finding(rep, "parse.glued_cells", GD_WARNING, GD_TABLE_REQUESTS, -1, -1), text,
            "121000013");
        CHECK_INT(rep->nunplaced, 0);
        CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0);
    } else if (rep) {
        const gd_table *tab = &rep->tables[GD_TABLE_REQUESTS];
        CHECK(tab->present && !tab->row_present[row]);
        for (int col = 0; col < GD_MAX_COLS; col++)
            CHECK_INT(tab->cells[row][col].kind, GD_CELL_ABSENT);
        check_finding_quotes(
            t_find_finding(rep, "parse.glued_cells", GD_WARNING, GD_TABLE_REQUESTS, row, -1), text,
            "121000013");
        check_one_unplaced(rep, text, "121000013");
    }
    gd_report_free(rep);
    free(text);
    doc_free(d);
    t_context("%s", "");
}

/* 规章 as "12345": three cells split many ways, so none is filled, the
 * digits are unplaced and a warning on the row quotes them (the row is not
 * reported missing: it was seen, only not read). */
static void check_split_many_ways(void)
{
    int rules = t_row(GD_TABLE_ACTIVE, "rules");
    char *text;
    size_t len;
    gd_report *rep = parse_run_together(GD_TABLE_ACTIVE, "rules", "12345", &text, &len);
    if (rep) {
        CHECK(!rep->tables[GD_TABLE_ACTIVE].row_present[rules]);
        const gd_finding *f =
            t_find_finding(rep, "parse.glued_cells", GD_WARNING, GD_TABLE_ACTIVE, rules, -1);
        check_finding_quotes(f, text, "12345");
        if (f)
            CHECK_STR(f->message, "active.rules: the digits '12345' were run together and split "
                                  "more than one way or not at all; the cells are left empty and "
                                  "the digits listed in unplaced");
        CHECK_INT(t_count_findings(rep, "parse.missing_row", -1), 0);
        CHECK_INT(t_count_findings(rep, "parse.glued_cells", -1), 1); /* reported once */
        check_one_unplaced(rep, text, "12345");
        gd_report_free(rep);
    }
    free(text);
}

/* Table 四 with its first group run together, "10001" (PDF text), and the
 * other ten values apart, a note line after them: 11 values for 15 cells,
 * split by the groups' totals (总计 = 维持 + 纠正 + 其他 + 尚未审结):
 * 1 0 0 0 1, then zeros. */
static void check_reviews_run_together(void)
{
    static const char *const cells[] = {"10001", "", "", "", "", NULL};
    t_doc *d = doc_with_row(GD_TABLE_REVIEWS, "review", cells);
    size_t n = 0, len;
    char *rendered = d ? doc_render(d, LAYOUT_SPACES, &n) : NULL;
    doc_free(d);
    const char *h5 = "五、存在的主要问题及改进情况", *note = "注：本年度无行政复议和行政诉讼。\n";
    char *text = rendered ? malloc(n + strlen(note) + 1) : NULL;
    char *p = NULL;
    if (text) {
        memcpy(text, rendered, n);
        text[n] = '\0';
        p = strstr(text, h5);
    }
    free(rendered);
    gd_report *rep = NULL;
    if (CHECK(p != NULL)) {
        memmove(p + strlen(note), p, n - (size_t)(p - text) + 1);
        memcpy(p, note, strlen(note));
        len = n + strlen(note);
        rep = t_parse(text, len, 0);
    }
    if (rep) {
        static const int first[5] = {1, 0, 0, 0, 1};
        for (int g = 0; g < 3; g++)
            for (int col = 0; col < 5; col++)
                CHECK_CELL(rep, text, len, GD_TABLE_REVIEWS, g, col, GD_CELL_NUMBER,
                           g ? 0 : first[col], 0, NULL, NULL);
        CHECK_INT(t_count_findings(rep, "parse.incomplete_table", -1), 0);
        CHECK_INT(rep->nunplaced, 0);
        gd_report_free(rep);
    }
    free(text);
}

/* Table 四 with its last cell blank (PDF text: 14 values, nothing to split):
 * the 14 values in order, and a warning that one cell is missing. */
static void check_reviews_one_short(void)
{
    static const char *const cells[] = {"0", "0", "0", "0", "", NULL};
    t_doc *d = doc_with_row(GD_TABLE_REVIEWS, "litigation_after_review", cells);
    char *text = NULL;
    size_t len;
    gd_report *rep = d ? doc_parse(d, LAYOUT_SPACES, 0, &text, &len) : NULL;
    if (rep) {
        CHECK(rep->tables[GD_TABLE_REVIEWS].present);
        for (int k = 0; k < 14; k++)
            CHECK_CELL(rep, text, len, GD_TABLE_REVIEWS, k / 5, k % 5, GD_CELL_NUMBER, 0, 0, "0",
                       "");
        const gd_finding *f =
            t_find_finding(rep, "parse.incomplete_table", GD_WARNING, GD_TABLE_REVIEWS, -1, -1);
        if (CHECK(f != NULL))
            CHECK_STR(f->message, "table 四 has 14 of its 15 cells; the others are missing");
        gd_report_free(rep);
    }
    free(text);
    doc_free(d);
}

static void test_run_together_rows(void)
{
    check_reviews_one_short();
    check_reviews_run_together();
    check_split_by_row_total();
    check_split_rows_then_bare_total();
    check_split_by_column_identities(1);
    check_split_by_column_identities(0);
    check_split_many_ways();
}

/* A long label that tabs cut in two, its second part opening with a
 * bracket ("（二）部分公开 | （区分处理的，只计这一情形，不计其他情形） |
 * 0 | …"): the bracket part is the rest of the label, not a words cell, and
 * the row's values are the seed's. */
static void test_label_cut_before_bracket(void)
{
    static const char *const tails[] = {"（区分处理的，只计这一情形，不计其他情形）",
                                        "(区分处理的，只计这一情形，不计其他情形)",
                                        "【区分处理的，只计这一情形，不计其他情形】"};
    for (size_t k = 0; k < 3; k++) {
        t_doc *d = doc_load();
        if (!d)
            return;
        char *text;
        size_t len;
        gd_report *seed = doc_parse(d, LAYOUT_TABS, 0, &text, &len);
        free(text);
        char label[256];
        snprintf(label, sizeof label, "（二）部分公开\t%s", tails[k]);
        int row = t_row(GD_TABLE_REQUESTS, "partly_granted");
        doc_set_label(d, GD_TABLE_REQUESTS, row, label);
        gd_report *rep = doc_parse(d, LAYOUT_TABS, 0, &text, &len);
        t_context("label cut before \"%s\"", tails[k]);
        if (seed && rep) {
            check_same_cells(rep, seed);
            CHECK_INT(rep->nunplaced, 0);
            CHECK_INT(t_count_findings(rep, "parse.incomplete_row", -1), 0);
        }
        gd_report_free(seed);
        gd_report_free(rep);
        free(text);
        doc_free(d);
    }
    t_context("%s", "");
}

/* ---- Rows the body added to section 二 (extra rows) ---- */

/* The seed with "\t<label>\n\t5\n\n" put before the line `at`: a label of
 * six Chinese characters or more (项 among them, U+9879, lead byte E9) is
 * a row the body added, kept as an extra row with its value (the rows
 * around it read as in the seed); a shorter one is a garbled label, its
 * value unplaced (with a warning). */
static void check_extra_row(const char *at, const char *label, int kept)
{
    char add[128];
    snprintf(add, sizeof add, "\t%s\n\t5\n\n", label);
    size_t n;
    char *z = t_seed_edit(at, 0, NULL, add, &n);
    t_context("extra row %s", label);
    gd_report *rep = z ? t_parse(z, n, 0) : NULL;
    if (rep && kept && CHECK_INT(rep->nextras, 1)) {
        const gd_extra *x = &rep->extras[0];
        const char *q;
        size_t qn = t_span_text(z, x->label, &q);
        CHECK_MEM(q, qn, label);
        CHECK_INT(x->table, GD_TABLE_ACTIVE);
        CHECK(x->ncells == 1 && x->cells[0].kind == GD_CELL_NUMBER && x->cells[0].units == 5);
        CHECK_INT(rep->nunplaced, 0);
        CHECK_INT(t_count_findings(rep, "parse.missing_row", -1), 0);
    } else if (rep && !kept) {
        CHECK_INT(rep->nextras, 0);
        check_one_unplaced(rep, z, "5");
    }
    gd_report_free(rep);
    free(z);
    t_context("%s", "");
}

/* An extra row at the table's end, a number with its note and an NA cell
 * (其他公开事项 | 12（含3件） | — after 行政事业性收费 | 221.67): its cells,
 * and the table's span running to its last value. */
static void check_extra_row_at_end(void)
{
    size_t n;
    char *z = t_seed_edit("\t221.67\n", 1, NULL, "\n\t其他公开事项\n\t12（含3件）\n\t—\n", &n);
    gd_report *rep = z ? t_parse(z, n, 0) : NULL;
    if (rep && CHECK_INT(rep->nextras, 1) && CHECK_INT(rep->extras[0].ncells, 2)) {
        const gd_cell *x = rep->extras[0].cells;
        const char *q;
        size_t qn = t_span_text(z, x[0].raw, &q);
        CHECK(x[0].kind == GD_CELL_NUMBER && x[0].units == 12);
        CHECK_MEM(q, qn, "12（含3件）");
        CHECK_MEM(z + x[0].note.start, x[0].note.end - x[0].note.start, "含3件");
        CHECK_INT(x[1].kind, GD_CELL_NA);
        qn = t_span_text(z, x[1].raw, &q);
        CHECK_MEM(q, qn, "—");
        CHECK_INT(rep->tables[GD_TABLE_ACTIVE].span.end, x[1].raw.end);
    }
    gd_report_free(rep);
    free(z);
}

/* A words cell is no extra row's label: 行政许可 | 详见政务公开专栏 | 5
 * (tabs) keeps the words as its cell and lists the 5 no column wants. */
static void check_words_cell_then_value(void)
{
    static const char *const cells[] = {"详见政务公开专栏", NULL};
    t_doc *d = doc_with_row(GD_TABLE_ACTIVE, "licensing", cells);
    if (!d)
        return;
    int licensing = t_row(GD_TABLE_ACTIVE, "licensing");
    doc_insert_after(d, GD_TABLE_ACTIVE, licensing, 0, "5");
    char *text;
    size_t len;
    gd_report *rep = doc_parse(d, LAYOUT_TABS, 0, &text, &len);
    if (rep) {
        CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, licensing, 0, GD_CELL_TEXT, 0, 0,
                   "详见政务公开专栏", "");
        CHECK_INT(rep->nextras, 0);
        check_one_unplaced(rep, text, "5");
        gd_report_free(rep);
    }
    free(text);
    doc_free(d);
}

/* Table 三 keeps no extra rows (SCHEMA.md: only active.extra): a row the
 * body added there (其他渠道转来的申请 | 1 0 0 0 0 0 1, before 三、本年度办理
 * 结果) leaves its numbers unplaced, with a warning. */
static void check_no_extra_row_in_requests(void)
{
    size_t n;
    char *z = t_seed_edit("\t三、本年度办理结果\n", 0, NULL,
                          "\t其他渠道转来的申请\n\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1\n\n", &n);
    gd_report *rep = z ? t_parse(z, n, 0) : NULL;
    if (rep) {
        CHECK_INT(rep->nextras, 0);
        static const char *const added[] = {"1", "0", "0", "0", "0", "0", "1", NULL};
        check_unplaced(rep, z, added);
        CHECK(t_find_finding(rep, "parse.unplaced_number", GD_WARNING, GD_TABLE_REQUESTS, -1, -1) !=
              NULL);
        gd_report_free(rep);
    }
    free(z);
}

static void test_extra_rows(void)
{
    check_no_extra_row_in_requests();
    check_extra_row("\t第二十条第（五）项\n", "其他公开事项", 1);
    check_extra_row("\t第二十条第（五）项\n", "其他公开项", 0);
    check_extra_row("\t行政规范性文件\n", "其他公开事项", 1); /* between two rows */
    check_extra_row_at_end();
    check_words_cell_then_value();
}

/* A stray value on a label's line, then the row's values as a full line
 * (tabs): the full line is the row (the seed's 3 0 0 0 0 0 3), the stray
 * 1 is unplaced. */
static void test_full_line_beats_stray_value(void)
{
    t_doc *d = doc_load();
    if (!d)
        return;
    size_t len;
    char *text = doc_render(d, LAYOUT_TABS, &len);
    doc_free(d);
    const char *row = "一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3";
    const char *stray = "一、本年新收政府信息公开申请数量\t1\n3\t0\t0\t0\t0\t0\t3";
    char *z = text ? malloc(len + strlen(stray) + 1) : NULL;
    char *p = NULL;
    if (z) {
        memcpy(z, text, len);
        z[len] = '\0';
        p = strstr(z, row);
    }
    if (CHECK(p != NULL)) {
        size_t off = (size_t)(p - z), tail = len - off - strlen(row);
        memmove(p + strlen(stray), p + strlen(row), tail + 1);
        memcpy(p, stray, strlen(stray));
        size_t n = off + strlen(stray) + tail;
        gd_report *rep = t_parse(z, n, 0);
        if (rep) {
            int r = t_row(GD_TABLE_REQUESTS, "new");
            static const int want[7] = {3, 0, 0, 0, 0, 0, 3};
            for (int col = 0; col < 7; col++)
                CHECK_CELL(rep, z, n, GD_TABLE_REQUESTS, r, col, GD_CELL_NUMBER, want[col], 0, NULL,
                           NULL);
            check_one_unplaced(rep, z, "1");
            gd_report_free(rep);
        }
    }
    free(z);
    free(text);
}

/* Table 二's heading twice: a second 二 heading over one row (规章 | 7 |
 * 8 | 9) after the seed's (at its end) or before it (after section 一).  The
 * region with most cells wins, not the first one: every cell as the seed's,
 * and table 二's span still the seed's own table (规章 to 221.67). */
static void check_heading_twice(int before)
{
    size_t len, n;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    gd_report *seed = text ? t_parse(text, len, 0) : NULL;
    const char *add = "\n二、主动公开政府信息情况\n\n\t第二十条第（一）项\n\n\t信息内容\n"
                      "\t本年制发件数\n\t本年废止件数\n\t现行有效件数\n\n\t规章\n\t7\n\t8\n\t9\n\n";
    char *z = before ? t_seed_edit("二、主动公开政府信息情况\n", 0, NULL, add + 1, &n)
                     : t_seed_edit("其他需要报告的事项", 1, NULL, add, &n);
    t_context("second heading %s", before ? "before" : "after");
    gd_report *rep = z ? t_parse(z, n, 0) : NULL;
    if (seed && rep) {
        check_same_cells(rep, seed);
        const char *q;
        size_t qn = t_span_text(z, rep->tables[GD_TABLE_ACTIVE].span, &q);
        CHECK(qn > 12 && memcmp(q, "规章\n\t0", 8) == 0 && memcmp(q + qn - 6, "221.67", 6) == 0);
    }
    gd_report_free(seed);
    gd_report_free(rep);
    free(z);
    free(text);
    t_context("%s", "");
}

static void test_heading_twice(void)
{
    check_heading_twice(0);
    check_heading_twice(1);
}

/* The unplaced warning quotes the first unplaced number's text, 40 bytes at
 * most, cut at a character boundary: the seed with 行政处罚 garbled (行/政
 * 处罚, no row) leaves its cell unplaced, as written or made 41 bytes. */
static void check_unplaced_quote(const char *cell, const char *quote)
{
    size_t len, n;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    static const char *const label[] = {"行政处罚", NULL};
    static const char *const value[] = {"211184（含交通行政处罚实施数量209995）", NULL};
    char *a = text ? replace_cells(text, len, label, "行/政处罚", &n) : NULL;
    char *b = a ? replace_cells(a, n, value, cell, &n) : NULL;
    gd_report *rep = b ? t_parse(b, n, 0) : NULL;
    t_context("cell %s", cell);
    if (rep) {
        check_one_unplaced(rep, b, cell);
        const gd_finding *f =
            t_find_finding(rep, "parse.unplaced_number", GD_WARNING, GD_TABLE_ACTIVE, -1, -1);
        char want[200];
        snprintf(want, sizeof want,
                 "1 number in table active could not be placed in a cell (first: %s); see unplaced",
                 quote);
        if (CHECK(f != NULL))
            CHECK_STR(f->message, want);
        gd_report_free(rep);
    }
    t_context("%s", "");
    free(b);
    free(a);
    free(text);
}

static void test_unplaced_quote(void)
{
    /* 51 bytes: the 40th is inside 量 (bytes 39-41), so 39 are quoted */
    check_unplaced_quote("211184（含交通行政处罚实施数量209995）", "211184（含交通行政处罚实施数");
    /* 41 bytes: the 40th is inside ）(bytes 38-40), so 38 are quoted */
    check_unplaced_quote("12（含交通行政处罚实施数量）", "12（含交通行政处罚实施数量");
    /* 40 bytes: quoted whole */
    check_unplaced_quote("1（含交通行政处罚实施数量）", "1（含交通行政处罚实施数量）");
}

const test_case tables_tests[] = {
    {"unplaced_quote", test_unplaced_quote},
    {"heading_twice", test_heading_twice},
    {"full_line_beats_stray_value", test_full_line_beats_stray_value},
    {"extra_rows", test_extra_rows},
    {"label_cut_before_bracket", test_label_cut_before_bracket},
    {"run_together_rows", test_run_together_rows},
    {"delimited_cells_not_split", test_delimited_cells_not_split},
    {"words_cell_in_requests", test_words_cell_in_requests},
    {"table_at_first_byte", test_table_at_first_byte},
    {"duplicate_row", test_duplicate_row},
    {"table_spans", test_table_spans},
    {"relabelled_rows", test_relabelled_rows},
    {"found_without_heading", test_found_without_heading},
    {"active_template_words", test_active_template_words},
    {"heading_without_its_table", test_heading_without_its_table},
    {"run_in_heading", test_run_in_heading},
    {"heading_numbering", test_heading_numbering},
    {NULL, NULL},
};
