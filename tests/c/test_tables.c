/*
 * test_tables.c -- tables.c's small rules seen through gd_parse: how a
 * section heading's numbering is cut (a table's region ends at the next
 * heading of any section), on the seed report dazu-gaj-2021.txt.
 */
#include "test.h"

#include <stdlib.h>
#include <string.h>

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
            } else if (CHECK_INT(rep->nunplaced, 1)) {
                const char *p;
                size_t n = t_span_text(text, rep->unplaced[0].raw, &p);
                CHECK_MEM(p, n, "2021");
                CHECK_INT(rep->unplaced[0].table, GD_TABLE_REVIEWS);
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
    check_heading_five("十五、存在的主要问题及改进情况", 1);
    check_heading_five("第十五章 存在的主要问题及改进情况", 1);
    /* two numberings, one after the other */
    check_heading_five("（五）5.存在的主要问题及改进情况", 1);
    check_heading_five("五、（一）存在的主要问题及改进情况", 1);
    check_heading_five("第五部分 五、存在的主要问题及改进情况", 1);
    check_heading_five("第五部分五、存在的主要问题及改进情况", 1);
    check_heading_five("第五章(一)存在的主要问题及改进情况", 1);
    /* no heading: words of section 五 that do not open the line */
    check_heading_five("关于存在的主要问题及改进情况", 0);
    check_heading_five("第五节存在的主要问题及改进情况", 0); /* 部分 and 章 only */
    check_heading_five("第五存在的主要问题及改进情况", 0);
}

/* ---- A heading with no table under it ---- */

/* The seed with the body of section 二 cut out (its tables as images, say):
 * the heading stays, so 二 is missing with its heading seen, and its region
 * (heading 二 to heading 三) holds no number.  The numbers of the title, the
 * preamble and section 一 lie before that region: none is unplaced. */
static void test_heading_without_its_table(void)
{
    size_t len;
    char *text = t_read_corpus("dazu-gaj-2021.txt", &len);
    if (!text)
        return;
    const char *h2 = "\n二、主动公开政府信息情况\n", *h3 = "\n三、收到和处理政府信息公开申请情况\n";
    char *a = strstr(text, h2), *b = a ? strstr(a, h3) : NULL;
    if (CHECK(a && b)) {
        a += strlen(h2);
        memmove(a, b, (size_t)(text + len - b));
        len -= (size_t)(b - a);
        gd_report *rep = t_parse(text, len, 0);
        if (rep) {
            CHECK(!rep->tables[GD_TABLE_ACTIVE].present);
            CHECK(rep->tables[GD_TABLE_REQUESTS].present);
            CHECK(rep->tables[GD_TABLE_REVIEWS].present);
            const gd_finding *f =
                t_find_finding(rep, "parse.missing_table", GD_WARNING, GD_TABLE_ACTIVE, -2, -2);
            if (CHECK(f != NULL))
                CHECK(strstr(f->message, "its heading was found") != NULL);
            if (!CHECK_INT(rep->nunplaced, 0))
                t_dump_findings(rep);
            CHECK_INT(t_count_findings(rep, "parse.unplaced_number", -1), 0);
            gd_report_free(rep);
        }
    }
    free(text);
}

const test_case tables_tests[] = {
    {"heading_without_its_table", test_heading_without_its_table},
    {"heading_numbering", test_heading_numbering},
    {NULL, NULL},
};
