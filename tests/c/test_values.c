/*
 * test_values.c -- what a cell holds: numbers (ASCII and full-width digits,
 * thousands separators, decimals), notes, blank and none markers, text; and
 * the seed report read in full, in each layout.
 *
 * Every text is the real dazu-gaj-2021.txt (see test_doc.c) with at most a few
 * cells changed; the numbers not changed are the report's own.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_RULES = 0, A_NORMATIVE = 1, A_LICENSING = 2, A_PENALTIES = 4, A_ENFORCEMENT = 5,
       A_FEES = 6 };

/* A seed cell's value: digits, optional decimals, optional note in brackets. */
static void seed_value(const char *s, long long *units, int *scale)
{
    *units = 0;
    *scale = 0;
    int frac = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            *units = *units * 10 + (*s - '0');
            *scale += frac;
        } else if (*s == '.') {
            frac = 1;
        } else {
            break;
        }
    }
}

static int has_parse_finding_for(const gd_report *rep, gd_table_id t, int row, int col)
{
    const gd_cell *c = col >= 0 ? &rep->tables[t].cells[row][col] : NULL;
    for (size_t i = 0; i < rep->nfindings; i++) {
        const gd_finding *f = &rep->findings[i];
        if (!f->code || strncmp(f->code, "parse.", 6) != 0 || f->severity == GD_INFO)
            continue;
        if (f->table == (int)t && f->row == row && f->col == col)
            return 1;
        if (c && f->span.end > c->raw.start && f->span.start < c->raw.end)
            return 1;
    }
    return 0;
}

/* ---- The converter the other tests rely on ---- */

static void test_seed_layouts(void)
{
    t_doc *d = doc_load(); /* checks that cutting the seed is lossless */
    if (!d)
        return;
    static const char *const expect[NLAYOUTS][3] = {
        {"\t（一）予以公开\n\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t2\n",
         "\t行政处罚\n\t211184（含交通行政处罚实施数量209995）\n", "\t商业\n企业\n"},
        {"\n三、本年度办理结果\n（一）予以公开\t2\t0\t0\t0\t0\t0\t2\n",
         "\n行政处罚\t211184（含交通行政处罚实施数量209995）\n",
         "\n商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n"},
        {"\n| 三、本年度办理结果 |\n| （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n",
         "\n| 行政处罚 | 211184（含交通行政处罚实施数量209995） |\n",
         "| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n"},
        {"\n三、本年度办理结果\n（一）予以公开   2   0   0   0   0   0   2\n",
         "\n行政处罚   211184（含交通行政处罚实施数量209995）\n",
         "\n商业企业   科研机构   社会公益组织   法律服务机构   其他\n"},
    };
    for (int layout = 0; layout < NLAYOUTS; layout++) {
        size_t len;
        char *text = doc_render(d, (t_layout)layout, &len);
        t_context("layout=%s", t_layout_names[layout]);
        if (!CHECK(text != NULL))
            continue;
        for (int k = 0; k < 3; k++)
            CHECKF(strstr(text, expect[layout][k]) != NULL, "rendered text lacks \"%s\"",
                   expect[layout][k]);
        CHECK(strstr(text, "二、主动公开政府信息情况\n") != NULL);
        CHECK(strstr(text, "五、存在的主要问题及改进情况\n") != NULL);
        CHECK(strstr(text, "重庆市大足区公安局    \n\n2022年1月20日") != NULL);
        if (layout == LAYOUT_TABS) /* table 四: one line of 15 numbers */
            CHECK(strstr(text, "\n0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n") != NULL);
        if (layout == LAYOUT_PIPES)
            CHECK(strstr(text, "| --- | --- | --- | --- | --- | --- | --- | --- |\n| 一、") !=
                  NULL);
        size_t a, b;
        if (CHECK(doc_cell_offset(d, (t_layout)layout, GD_TABLE_ACTIVE, A_FEES, 0, &a, &b)))
            CHECK_MEM(text + a, b - a, "221.67");
        free(text);
    }
    doc_free(d);
}

/* ---- The seed, read in full ---- */

static void test_seed_all_cells(void)
{
    for (int layout = 0; layout < NLAYOUTS; layout++) {
        t_doc *d = doc_load();
        if (!d)
            return;
        char *text;
        size_t len;
        gd_report *rep = doc_parse(d, (t_layout)layout, 0, &text, &len);
        if (rep) {
            CHECK_INT(rep->template, GD_TEMPLATE_2021);
            for (int t = 0; t < GD_NTABLES; t++) {
                const gd_tabledef *def = gd_table_def((gd_table_id)t);
                const gd_table *tab = &rep->tables[t];
                CHECKF(tab->present, "table %s not found", def->id);
                if (t != GD_TABLE_REVIEWS) /* 四 is the same in both templates */
                    CHECKF(tab->template == GD_TEMPLATE_2021, "table %s template %d", def->id,
                           (int)tab->template);
                for (unsigned r = 0; r < def->nrows; r++) {
                    int in2021 = (def->rows[r].templates & GD_TPL_2021) != 0;
                    CHECKF(tab->row_present[r] == in2021, "%s.%s present is %d", def->id,
                           def->rows[r].id, tab->row_present[r]);
                    for (unsigned c = 0; c < def->rows[r].ncols; c++) {
                        const char *seed = in2021 && (def->rows[r].cols[c].templates & GD_TPL_2021)
                                               ? doc_get(d, (gd_table_id)t, (int)r, (int)c)
                                               : NULL;
                        if (!seed) { /* another template's cell: absent */
                            CHECK_CELL(rep, text, len, (gd_table_id)t, (int)r, (int)c,
                                       GD_CELL_ABSENT, 0, 0, NULL, NULL);
                            continue;
                        }
                        long long units;
                        int scale;
                        seed_value(seed, &units, &scale);
                        CHECK_CELL(rep, text, len, (gd_table_id)t, (int)r, (int)c, GD_CELL_NUMBER,
                                   units, scale, seed, NULL);
                    }
                }
            }
            gd_report_free(rep);
        }
        free(text);
        doc_free(d);
    }
}

static void test_seed_no_findings(void)
{
    /* Issue 2: r.findings == [] -- this report adds up, and every number in
     * its tables is placed (the notes' own digits are not numbers). */
    for (int layout = 0; layout < NLAYOUTS; layout++) {
        t_doc *d = doc_load();
        if (!d)
            return;
        char *text;
        size_t len;
        gd_report *rep = doc_parse(d, (t_layout)layout, 0, &text, &len);
        if (rep) {
            if (!CHECK_INT(rep->nfindings, 0))
                t_dump_findings(rep);
            CHECK_INT(rep->nunplaced, 0);
            gd_report_free(rep);
        }
        rep = text ? t_parse(text, len, GD_STRICT) : NULL;
        if (rep) { /* no blank cell: strict changes nothing */
            t_context("layout=%s, strict", t_layout_names[layout]);
            if (!CHECK_INT(rep->nfindings, 0))
                t_dump_findings(rep);
            gd_report_free(rep);
        }
        free(text);
        doc_free(d);
    }
}

static void test_seed_meta(void)
{
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    gd_report *rep = t_parse(text, len, 0);
    if (rep) {
        const char *p;
        size_t n;
        CHECK_STR(rep->agency, "重庆市大足区公安局");
        n = t_span_text(text, rep->agency_span, &p);
        CHECK_MEM(p, n, "重庆市大足区公安局");
        CHECK_INT(rep->year, 2021);
        n = t_span_text(text, rep->year_span, &p);
        CHECKF(n >= 4 && memcmp(p, "2021", 4) == 0, "year span is \"%.*s\"", (int)n, p);
        /* signed (落款) on 2022-01-20; the text states no publication date */
        CHECK_INT(rep->pub_year, 0);
        CHECK_INT(rep->dated_year, 2022);
        CHECK_INT(rep->dated_month, 1);
        CHECK_INT(rep->dated_day, 20);
        n = t_span_text(text, rep->dated_span, &p);
        CHECK_MEM(p, n, "2022年1月20日");
        /* a department of a county-level government: 31 January, met */
        CHECK_INT(rep->deadline_year, 2022);
        CHECK_INT(rep->deadline_month, 1);
        CHECK_INT(rep->deadline_day, 31);
        CHECK_INT(rep->nfindings, 0);
        CHECK_INT(rep->template, GD_TEMPLATE_2021);
        gd_report_free(rep);
    }
    free(text);
}

/* ---- Cell values ---- */

/* Parse the seed with a few cells changed, in the given layouts. */
typedef struct {
    gd_table_id t;
    int row, col;
    const char *text;
} edit;

typedef void (*cell_check)(const gd_report *rep, const char *text, size_t len, void *arg);

static void with_edits(const edit *edits, size_t nedits, unsigned layouts, unsigned flags,
                       cell_check fn, void *arg)
{
    for (int layout = 0; layout < NLAYOUTS; layout++) {
        if (!(layouts & (1u << layout)))
            continue;
        t_doc *d = doc_load();
        if (!d)
            return;
        for (size_t i = 0; i < nedits; i++)
            doc_set(d, edits[i].t, edits[i].row, edits[i].col, edits[i].text);
        char *text;
        size_t len;
        gd_report *rep = doc_parse(d, (t_layout)layout, flags, &text, &len);
        if (rep) {
            fn(rep, text, len, arg);
            gd_report_free(rep);
        }
        free(text);
        doc_free(d);
    }
    t_context("%s", "");
}


static void check_notes(const gd_report *rep, const char *text, size_t len, void *arg)
{
    const char *bracket = arg;
    const char *raw = bracket[0] == '(' ? "211184(含交通行政处罚实施数量209995)"
                      : bracket[0] == ' ' ? "211184 （含交通行政处罚实施数量209995）"
                                          : "211184（含交通行政处罚实施数量209995）";
    CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, A_PENALTIES, 0, GD_CELL_NUMBER, 211184, 0, raw,
               "含交通行政处罚实施数量209995");
    CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, A_ENFORCEMENT, 0, GD_CELL_NUMBER, 3945, 0,
               "3945（含交通行政强制措施实施数量3823）", "含交通行政强制措施实施数量3823");
    CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, A_LICENSING, 0, GD_CELL_NUMBER, 192406, 0,
               "192406", "");
    /* The note's digits are neither a value nor an unplaced number. */
    for (size_t i = 0; i < rep->nunplaced; i++) {
        const gd_cell *c = &rep->tables[GD_TABLE_ACTIVE].cells[A_PENALTIES][0];
        CHECKF(!(rep->unplaced[i].raw.start >= c->raw.start &&
                 rep->unplaced[i].raw.end <= c->raw.end),
               "the note's number is in unplaced");
    }
    CHECK_INT(t_count_findings(rep, NULL, -1), 0);
}

static void test_value_note(void)
{
    /* As the seed prints it: 211184（含交通行政处罚实施数量209995） */
    with_edits(NULL, 0, ALL_LAYOUTS, 0, check_notes, "（");
    /* Half-width brackets. */
    const edit half[] = {{GD_TABLE_ACTIVE, A_PENALTIES, 0, "211184(含交通行政处罚实施数量209995)"}};
    with_edits(half, 1, ALL_LAYOUTS, 0, check_notes, "(");
}

static void test_value_note_spaced(void)
{
    /* A space between the number and its note (issue 2: the note stays with
     * its number); not in LAYOUT_SPACES, where a space run separates cells. */
    const edit spaced[] = {{GD_TABLE_ACTIVE, A_PENALTIES, 0, "211184 （含交通行政处罚实施数量209995）"}};
    with_edits(spaced, 1, NO_SPACES, 0, check_notes, " ");
}

typedef struct {
    long long units;
    int scale;
    const char *raw;
} want_number;

static void check_fee(const gd_report *rep, const char *text, size_t len, void *arg)
{
    const want_number *w = arg;
    CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, A_FEES, 0, GD_CELL_NUMBER, w->units, w->scale,
               w->raw, "");
    CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0);
}

static void test_value_decimal(void)
{
    /* 221.67 万元 is the seed's; 24252.311082 is pingtan-2021.txt's fee. */
    static const want_number cases[] = {
        {22167, 2, "221.67"},
        {24252311082LL, 6, "24252.311082"},
        {5, 1, "0.5"},
        {122167, 2, "1,221.67"},
        {0, 0, "0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const edit e[] = {{GD_TABLE_ACTIVE, A_FEES, 0, cases[i].raw}};
        with_edits(e, 1, ALL_LAYOUTS, 0, check_fee, (void *)&cases[i]);
    }
}

static void check_licensing(const gd_report *rep, const char *text, size_t len, void *arg)
{
    const want_number *w = arg;
    CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, A_LICENSING, 0, GD_CELL_NUMBER, w->units,
               w->scale, w->raw, "");
    CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0);
    CHECK_INT(rep->nunplaced, 0);
}

static void test_value_thousands(void)
{
    static const want_number cases[] = {
        {192406, 0, "192,406"},
        {192406, 0, "192，406"}, /* full-width comma */
        {1234567, 0, "1,234,567"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const edit e[] = {{GD_TABLE_ACTIVE, A_LICENSING, 0, cases[i].raw}};
        with_edits(e, 1, ALL_LAYOUTS, 0, check_licensing, (void *)&cases[i]);
    }
}

static void check_granted_two(const gd_report *rep, const char *text, size_t len, void *arg)
{
    (void)arg;
    CHECK_CELL(rep, text, len, GD_TABLE_REQUESTS, 2, 0, GD_CELL_NUMBER, 2, 0, "２", "");
    CHECK_CELL(rep, text, len, GD_TABLE_REQUESTS, 24, 6, GD_CELL_NUMBER, 3, 0, "３", "");
    if (!CHECK_INT(t_count_findings(rep, NULL, -1), 0))
        t_dump_findings(rep);
}

static void test_value_fullwidth_digits(void)
{
    static const want_number lic = {192406, 0, "１９２４０６"};
    const edit e[] = {{GD_TABLE_ACTIVE, A_LICENSING, 0, lic.raw}};
    with_edits(e, 1, ALL_LAYOUTS, 0, check_licensing, (void *)&lic);
    /* The seed's 2 and 3 in table 三 written full width: still adds up. */
    const edit e3[] = {{GD_TABLE_REQUESTS, 2, 0, "２"}, {GD_TABLE_REQUESTS, 24, 6, "３"}};
    with_edits(e3, 2, ALL_LAYOUTS, 0, check_granted_two, NULL);
}

static const char *const na_markers[] = {"—", "-", "/", "无", "空", "不适用", "N/A"};
#define NMARKERS (sizeof na_markers / sizeof na_markers[0])

static void check_markers(const gd_report *rep, const char *text, size_t len, void *arg)
{
    (void)arg;
    static const int cells[][2] = {{A_RULES, 0}, {A_RULES, 1}, {A_RULES, 2},
                                   {A_NORMATIVE, 0}, {A_NORMATIVE, 1}, {A_NORMATIVE, 2},
                                   {A_LICENSING, 0}};
    for (size_t i = 0; i < NMARKERS; i++)
        CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, cells[i][0], cells[i][1], GD_CELL_NA, 0, 0,
                   na_markers[i], NULL);
    CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0);
    CHECK_INT(rep->nunplaced, 0);
}

static void test_value_na_markers(void)
{
    /* — - / 无 空 不适用 N/A: no number, kept as written, never 0. */
    const edit e[] = {
        {GD_TABLE_ACTIVE, A_RULES, 0, na_markers[0]},
        {GD_TABLE_ACTIVE, A_RULES, 1, na_markers[1]},
        {GD_TABLE_ACTIVE, A_RULES, 2, na_markers[2]},
        {GD_TABLE_ACTIVE, A_NORMATIVE, 0, na_markers[3]},
        {GD_TABLE_ACTIVE, A_NORMATIVE, 1, na_markers[4]},
        {GD_TABLE_ACTIVE, A_NORMATIVE, 2, na_markers[5]},
        {GD_TABLE_ACTIVE, A_LICENSING, 0, na_markers[6]},
    };
    with_edits(e, sizeof e / sizeof e[0], ALL_LAYOUTS, 0, check_markers, NULL);
}

static void check_empty(const gd_report *rep, const char *text, size_t len, void *arg)
{
    (void)text;
    (void)len;
    const gd_table *tab = &rep->tables[GD_TABLE_ACTIVE];
    int col = *(const int *)arg;
    CHECK_INT(tab->cells[A_RULES][0].kind, GD_CELL_NUMBER);
    CHECK_INT(tab->cells[A_RULES][col].kind, GD_CELL_EMPTY);
    CHECK_INT(tab->cells[A_RULES][3 - col].kind, GD_CELL_NUMBER);
    CHECK_INT(tab->cells[A_NORMATIVE][0].kind, GD_CELL_NUMBER);
    CHECK_INT(tab->cells[A_LICENSING][0].units, 192406);
    /* The row is still the seed's rules row, and the next row is in place. */
    CHECK(tab->row_present[A_RULES]);
    CHECK_INT(tab->cells[A_NORMATIVE][2].kind, GD_CELL_NUMBER);
    CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0);
}

static void test_value_empty(void)
{
    /* An empty pipe cell "|  |"; in the seed's layout an empty cell line "\t". */
    static const int cols[] = {1, 2};
    for (int i = 0; i < 2; i++) {
        const edit e[] = {{GD_TABLE_ACTIVE, A_RULES, cols[i], ""}};
        with_edits(e, 1, CELLS_AND_PIPES, 0, check_empty, (void *)&cols[i]);
    }
}

static void test_value_nbsp(void)
{
    /* SCHEMA.md: empty is a blank cell or &nbsp; (left in text converted from HTML). */
    static const int col = 2;
    const edit e[] = {{GD_TABLE_ACTIVE, A_RULES, col, "&nbsp;"}};
    with_edits(e, 1, CELLS_AND_PIPES, 0, check_empty, (void *)&col);
}

static void check_text_cell(const gd_report *rep, const char *text, size_t len, void *arg)
{
    const char *raw = arg;
    CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, A_LICENSING, 0, GD_CELL_TEXT, 0, 0, raw, NULL);
    CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, A_PENALTIES, 0, GD_CELL_NUMBER, 211184, 0, NULL,
               NULL);
}

static void check_too_long(const gd_report *rep, const char *text, size_t len, void *arg)
{
    check_text_cell(rep, text, len, arg);
    CHECKF(has_parse_finding_for(rep, GD_TABLE_ACTIVE, A_LICENSING, 0),
           "no parse.* warning about the number that is too long");
    CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0);
}

static void test_value_too_many_digits(void)
{
    /* More than GD_MAX_DIGITS (18) digits is no count: a text cell and a finding. */
    static const char *const too_long[] = {"1924061924061924061924061", /* 25 digits */
                                           "1234567890123456789"};      /* 19 */
    for (size_t i = 0; i < 2; i++) {
        const edit e[] = {{GD_TABLE_ACTIVE, A_LICENSING, 0, too_long[i]}};
        with_edits(e, 1, ALL_LAYOUTS, 0, check_too_long, (void *)too_long[i]);
    }
    static const want_number max = {999999999999999999LL, 0, "999999999999999999"};
    const edit e[] = {{GD_TABLE_ACTIVE, A_LICENSING, 0, max.raw}};
    with_edits(e, 1, ALL_LAYOUTS, 0, check_licensing, (void *)&max);
}

/* Words where a value belongs are a text cell where the layout delimits
 * cells (tabs, pipes).  One cell per line and space-separated rows cannot
 * tell them from a label broken over lines: there the cell is left out, and
 * a finding says the row is short -- never silently. */
static void check_text_cell_unknown(const gd_report *rep, const char *text, size_t len,
                                    void *arg)
{
    (void)arg;
    (void)text;
    (void)len;
    CHECK_INT(rep->tables[GD_TABLE_ACTIVE].cells[A_LICENSING][0].kind, GD_CELL_ABSENT);
    CHECKF(has_parse_finding_for(rep, GD_TABLE_ACTIVE, A_LICENSING, -1) ||
               has_parse_finding_for(rep, GD_TABLE_ACTIVE, A_LICENSING, 0),
           "no parse.* finding about the row whose value is words");
    CHECK_CELL(rep, text, len, GD_TABLE_ACTIVE, A_PENALTIES, 0, GD_CELL_NUMBER, 211184, 0, NULL,
               NULL);
}

static void test_value_text(void)
{
    const edit e[] = {{GD_TABLE_ACTIVE, A_LICENSING, 0, "见附件"}};
    with_edits(e, 1, (1u << LAYOUT_TABS) | (1u << LAYOUT_PIPES), 0, check_text_cell, "见附件");
    with_edits(e, 1, (1u << LAYOUT_CELLS) | (1u << LAYOUT_SPACES), 0, check_text_cell_unknown,
               NULL);
}

/* ---- Unplaced numbers ---- */

static void check_unplaced(t_doc *d, t_layout layout, gd_table_id t, const char *number)
{
    char *text;
    size_t len;
    gd_report *rep = doc_parse(d, layout, 0, &text, &len);
    if (rep) {
        int found = 0;
        for (size_t i = 0; i < rep->nunplaced; i++) {
            const char *p;
            size_t n = t_span_text(text, rep->unplaced[i].raw, &p);
            if (rep->unplaced[i].table == (int)t && n == strlen(number) &&
                memcmp(p, number, n) == 0)
                found = 1;
        }
        CHECKF(found, "%s not in unplaced (%zu unplaced)", number, rep->nunplaced);
        const gd_finding *f = t_find_finding(rep, "parse.unplaced_number", GD_WARNING, -2, -2, -2);
        CHECKF(f != NULL, "no parse.unplaced_number warning");
        /* The cells of the seed are still read as they are. */
        CHECK_INT(rep->tables[GD_TABLE_REQUESTS].cells[2][0].units, 2);
        CHECK_INT(rep->tables[GD_TABLE_REQUESTS].cells[24][6].units, 3);
        for (int g = 0; g < 3; g++)
            for (int c = 0; c < 5; c++)
                CHECK_CELL(rep, text, len, GD_TABLE_REVIEWS, g, c, GD_CELL_NUMBER, 0, 0, "0",
                           NULL);
        CHECK_INT(t_count_findings(rep, NULL, GD_ERROR), 0);
        gd_report_free(rep);
    }
    free(text);
}

static void test_unplaced_number(void)
{
    for (int layout = 0; layout < NLAYOUTS; layout++) {
        /* A 16th number after the 15 cells of table 四. */
        t_doc *d = doc_load();
        if (!d)
            return;
        doc_insert_after(d, GD_TABLE_REVIEWS, 2, 4, "7");
        check_unplaced(d, (t_layout)layout, GD_TABLE_REVIEWS, "7");
        doc_free(d);
        /* An 8th number in the row （一）予以公开 of table 三. */
        d = doc_load();
        if (!d)
            return;
        doc_insert_after(d, GD_TABLE_REQUESTS, 2, 6, "9");
        check_unplaced(d, (t_layout)layout, GD_TABLE_REQUESTS, "9");
        doc_free(d);
    }
    t_context("%s", "");
}

const test_case values_tests[] = {
    {"seed_layouts", test_seed_layouts},
    {"seed_all_cells", test_seed_all_cells},
    {"seed_no_findings", test_seed_no_findings},
    {"seed_meta", test_seed_meta},
    {"value_note", test_value_note},
    {"value_note_spaced", test_value_note_spaced},
    {"value_decimal", test_value_decimal},
    {"value_thousands", test_value_thousands},
    {"value_fullwidth_digits", test_value_fullwidth_digits},
    {"value_na_markers", test_value_na_markers},
    {"value_empty", test_value_empty},
    {"value_nbsp", test_value_nbsp},
    {"value_too_many_digits", test_value_too_many_digits},
    {"value_text", test_value_text},
    {"unplaced_number", test_unplaced_number},
    {NULL, NULL},
};
