/*
 * fuzz_check.c -- the reconciliation on arbitrary tables.
 *
 * Random bytes rarely spell a table, so this target spends them on values
 * only: it lays a real report skeleton -- title, 一、总体情况, the headings of
 * 二 三 四 with their official column headers and row labels (taken from the
 * template the core itself uses, gd_table_def), 五、六 -- and writes into
 * every cell a value made from the fuzzer's bytes: small counts, 18-digit
 * counts, counts of 19 to 40 digits, negative, decimal, full-width, with
 * thousands separators, units or bracketed notes, blank and dash cells.
 * Optionally the totals are written as the true sums, so that the identities
 * hold (or hold only through blanks) with huge values too.
 *
 * The first byte chooses the template (2019/2021), GD_STRICT, the layout
 * (one row per line with tabs, markdown pipes, or one cell per line as
 * Word-to-text copies give) and whether totals are filled.
 *
 * Oracles, each a crash when broken:
 *  1. every value written comes back as written (kind, units, scale), or a
 *     finding names its row or table: never a silently wrong or lost number;
 *  2. every identity instance whose cells are all numbers or blanks is
 *     recomputed here in 128-bit arithmetic: a broken identity must give an
 *     error finding (or, in strict mode with blanks, a warning) at the target
 *     cell whose expected/actual are the true figures; a holding one none;
 *  3. the contract of govdisclose.h (fuzz_common.h).
 */
#include "fuzz_common.h"

#include <inttypes.h>

/* ---- Reading the fuzzer's bytes ---- */

typedef struct {
    const uint8_t *p;
    size_t n;
} reader;

static unsigned take(reader *rd)
{
    if (!rd->n)
        return 0;
    rd->n--;
    return *rd->p++;
}

static uint64_t take64(reader *rd)
{
    uint64_t v = 0;
    for (int k = 0; k < 8; k++)
        v = (v << 8) | take(rd);
    return v;
}

/* ---- Cells: decided first, laid out afterwards ---- */

#define CELL_TEXT_MAX 96

typedef struct {
    int written;       /* a value is laid into this cell */
    gd_cell_kind kind; /* what the core must read */
    int64_t units;
    int scale;
    char text[CELL_TEXT_MAX]; /* as written */
} plan_t;

static plan_t plan[GD_NTABLES][GD_MAX_ROWS][GD_MAX_COLS];

static const char *const na_spellings[] = {"—", "-", "/", "无", "——", "－", "N/A", "×", "不适用"};
static const char *const notes[] = {"（含依申请公开3件）", "(其中2件为网上申请)", "【注】",
                                    "（单位：件）"};
static const char *const units[] = {"件", "万元", "项", "次"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void append(plan_t *p, const char *s)
{
    size_t n = strlen(p->text), m = strlen(s);
    if (n + m < CELL_TEXT_MAX)
        memcpy(p->text + n, s, m + 1);
}

/* v in decimal, ASCII or full width, with or without thousands separators. */
static void append_int(plan_t *p, __int128 v, int fullwidth, int thousands)
{
    char digits[48];
    int n = 0;
    unsigned __int128 u = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
    do {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    if (v < 0)
        append(p, "-");
    for (int i = n - 1; i >= 0; i--) {
        char one[4] = {digits[i], 0, 0, 0};
        if (fullwidth) {
            one[0] = '\xEF', one[1] = '\xBC', one[2] = (char)(0x90 + digits[i] - '0');
        }
        append(p, one);
        if (thousands && i > 0 && i % 3 == 0)
            append(p, ",");
    }
}

/* A cell holding exactly v: a number when it has at most GD_MAX_DIGITS
 * digits, else text (with a parse.number_too_large finding). */
static void set_exact(plan_t *p, __int128 v)
{
    static const __int128 limit = 1000000000000000000ll; /* 10^18 */
    memset(p, 0, sizeof *p);
    p->written = 1;
    append_int(p, v, 0, 0);
    if (v >= limit || v <= -limit) {
        p->kind = GD_CELL_TEXT;
    } else {
        p->kind = GD_CELL_NUMBER;
        p->units = (int64_t)v;
    }
}

/* A value made from the fuzzer's bytes. */
static void set_fuzzed(plan_t *p, reader *rd)
{
    unsigned sel = take(rd) % 16;
    int64_t v;
    memset(p, 0, sizeof *p);
    p->written = 1;
    p->kind = GD_CELL_NUMBER;
    switch (sel) {
    default: /* 0..5: a small count, the common case */
        set_exact(p, take(rd));
        return;
    case 6: /* any count of at most 18 digits */
        set_exact(p, (int64_t)(take64(rd) % 1000000000000000000ull));
        return;
    case 7: /* the largest counts the core accepts */
        set_exact(p, 999999999999999999ll - (int64_t)take(rd));
        return;
    case 8: { /* more digits than GD_MAX_DIGITS: text with a finding */
        int ndig = GD_MAX_DIGITS + 1 + (int)(take(rd) % 22);
        char d[2] = {(char)('1' + take(rd) % 9), 0};
        append(p, d);
        for (int k = 1; k < ndig; k++)
            append(p, (take(rd) & 1) ? "9" : "0");
        p->kind = GD_CELL_TEXT;
        return;
    }
    case 9: /* blank */
        p->kind = GD_CELL_EMPTY;
        return;
    case 10: /* a dash or none marker */
        append(p, na_spellings[take(rd) % COUNT(na_spellings)]);
        p->kind = GD_CELL_NA;
        return;
    case 11: /* negative */
        set_exact(p, -(1 + (int64_t)take(rd)));
        return;
    case 12: { /* decimal */
        unsigned whole = take(rd), frac = take(rd) % 100;
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%u.%02u", whole, frac);
        append(p, tmp);
        p->units = (int64_t)whole * 100 + frac;
        p->scale = 2;
        return;
    }
    case 13: /* full-width digits */
        v = take(rd) * 37;
        append_int(p, v, 1, 0);
        p->units = v;
        return;
    case 14: /* thousands separators */
        v = (int64_t)(take64(rd) % 1000000000000ull);
        append_int(p, v, 0, 1);
        p->units = v;
        return;
    case 15: /* a unit or a bracketed note after the count */
        v = take(rd);
        append_int(p, v, 0, 0);
        if (take(rd) & 1)
            append(p, units[take(rd) % COUNT(units)]);
        else
            append(p, notes[take(rd) % COUNT(notes)]);
        p->units = v;
        return;
    }
}

/* The value a planned cell stands for in a sum: *ok = 0 when it cannot take
 * part (text, decimal); blank and na are 0. */
static __int128 plan_value(const plan_t *p, int *ok)
{
    *ok = (p->kind == GD_CELL_NUMBER && p->scale == 0) || p->kind == GD_CELL_EMPTY ||
          p->kind == GD_CELL_NA;
    return p->kind == GD_CELL_NUMBER ? p->units : 0;
}

/* Set the target cell to the sum of the terms when all can take part. */
static void set_sum(plan_t *target, plan_t *const *terms, const int *signs, int n)
{
    __int128 s = 0;
    for (int k = 0; k < n; k++) {
        int ok;
        __int128 v = plan_value(terms[k], &ok);
        if (!ok)
            return; /* keep the fuzzed value */
        s += signs[k] * v;
    }
    set_exact(target, s);
}

/* ---- The text ---- */

typedef struct {
    char *s;
    size_t len, cap;
} buf;

static void put(buf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8192;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->s = realloc(b->s, cap);
        if (!b->s)
            abort();
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

enum { LAYOUT_TABS = 0, LAYOUT_PIPES = 1, LAYOUT_LINES = 2 };

/* One row of cells, label first (NULL: none), in the chosen layout:
 *   tabs:  "label\tv1\tv2"
 *   pipes: "| label | v1 | v2 |"
 *   lines: "\tlabel\n\tv1\n\tv2\n" then a blank line (Word copied to text) */
static void row_out(buf *b, int layout, const char *label, const char *const *cells, int n)
{
    int k = 0;
    if (layout == LAYOUT_PIPES)
        put(b, "|");
    if (label) {
        put(b, layout == LAYOUT_PIPES ? " " : layout == LAYOUT_LINES ? "\t" : "");
        put(b, label);
        put(b, layout == LAYOUT_PIPES ? " |" : layout == LAYOUT_LINES ? "\n" : "");
        k++;
    }
    for (int i = 0; i < n; i++, k++) {
        if (layout == LAYOUT_PIPES) {
            put(b, " ");
            put(b, cells[i]);
            put(b, " |");
        } else if (layout == LAYOUT_LINES) {
            put(b, "\t");
            put(b, cells[i]);
            put(b, "\n");
        } else {
            if (k)
                put(b, "\t");
            put(b, cells[i]);
        }
    }
    put(b, "\n");
}

static void text_line(buf *b, const char *s)
{
    put(b, s);
    put(b, "\n");
}

/* The row of table t, row r: its planned cells in column order. */
static void plan_row_out(buf *b, int layout, gd_table_id t, int r, unsigned tpl)
{
    const gd_rowdef *rd = &gd_table_def(t)->rows[r];
    const char *cells[GD_MAX_COLS];
    int n = 0;
    for (unsigned col = 0; col < rd->ncols; col++)
        if (t != GD_TABLE_ACTIVE || (rd->cols[col].templates & tpl))
            cells[n++] = plan[t][r][col].text;
    row_out(b, layout, rd->label, cells, n);
}

static const char *const active_2021[] = {"信息内容", "本年制发件数", "本年废止件数",
                                          "现行有效件数"};
static const char *const active_2019[] = {"信息内容", "本年新制作数量", "本年新公开数量",
                                          "对外公开总数量"};
static const char *const applicants[] = {"申请人情况", "自然人", "商业企业", "科研机构",
                                         "社会公益组织", "法律服务机构", "其他", "总计"};
static const char *const review_groups[] = {"行政复议", "行政诉讼"};
static const char *const review_cols[] = {"结果维持", "结果纠正", "其他结果", "尚未审结",
                                          "总计", "未经复议直接起诉", "复议后起诉"};
static const char *const captions[7] = {NULL, NULL, NULL, "（三）不予公开", "（四）无法提供",
                                        "（五）不予处理", "（六）其他处理"};

/* Plan every cell of the tables the template has, then lay out the report. */
static void build(buf *b, reader *rd, unsigned tpl, int layout, int fill_totals)
{
    memset(plan, 0, sizeof plan);
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        for (unsigned r = 0; r < def->nrows; r++) {
            if (!(def->rows[r].templates & tpl))
                continue;
            for (unsigned col = 0; col < def->rows[r].ncols; col++)
                if (t != GD_TABLE_ACTIVE || (def->rows[r].cols[col].templates & tpl))
                    set_fuzzed(&plan[t][r][col], rd);
        }
    }
    if (fill_totals) {
        /* the identities of template.c, made to hold */
        size_t nid;
        const gd_identity *ids = gd_identities(&nid);
        /* row totals first (每行的总计), then column totals, then the balance */
        for (int pass = 0; pass < 3; pass++)
            for (size_t k = 0; k < nid; k++) {
                const gd_identity *id = &ids[k];
                const gd_tabledef *def = gd_table_def(id->table);
                int is_balance = id->nterms > 0 && id->signs[id->nterms - 1] < 0;
                int want = id->each == GD_EACH_ROW ? 0 : is_balance ? 2 : 1;
                if (want != pass)
                    continue;
                int lines = id->each == GD_EACH_COLUMN ? (int)def->rows[id->target].ncols
                                                       : (int)def->nrows;
                for (int line = 0; line < lines; line++) {
                    plan_t *terms[GD_MAX_TERMS];
                    int signs[GD_MAX_TERMS], n = 0;
                    int trow = id->each == GD_EACH_COLUMN ? id->target : line;
                    int tcol = id->each == GD_EACH_COLUMN ? line : id->target;
                    if (!(def->rows[trow].templates & tpl))
                        continue;
                    plan_t *target = &plan[id->table][trow][tcol];
                    if (is_balance) {
                        /* new + carried_over = total + carried_forward:
                         * solve for carried_forward, the last term */
                        plan_t *a = &plan[id->table][id->terms[0]][tcol];
                        plan_t *c = &plan[id->table][id->terms[1]][tcol];
                        plan_t *fwd = &plan[id->table][id->terms[2]][tcol];
                        plan_t *ts[3] = {a, c, target};
                        int sg[3] = {1, 1, -1};
                        set_sum(fwd, ts, sg, 3);
                        continue;
                    }
                    for (int j = 0; j < id->nterms; j++) {
                        int r = id->each == GD_EACH_COLUMN ? id->terms[j] : line;
                        int col = id->each == GD_EACH_COLUMN ? line : id->terms[j];
                        if (!(def->rows[r].templates & tpl))
                            continue;
                        terms[n] = &plan[id->table][r][col];
                        signs[n++] = id->signs[j];
                    }
                    set_sum(target, terms, signs, n);
                }
            }
    }

    int year = tpl == GD_TPL_2019 ? 2019 : 2021;
    char tmp[160];
    snprintf(tmp, sizeof tmp, "某某市某某局%d年政府信息公开工作年度报告", year);
    text_line(b, tmp);
    text_line(b, "");
    text_line(b, "一、总体情况");
    text_line(b, "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。");
    text_line(b, "");

    const gd_tabledef *act = gd_table_def(GD_TABLE_ACTIVE);
    text_line(b, act->label);
    row_out(b, layout, NULL, tpl == GD_TPL_2019 ? active_2019 : active_2021, 4);
    for (unsigned r = 0; r < act->nrows; r++)
        if (act->rows[r].templates & tpl)
            plan_row_out(b, layout, GD_TABLE_ACTIVE, (int)r, tpl);
    text_line(b, "");

    const gd_tabledef *req = gd_table_def(GD_TABLE_REQUESTS);
    text_line(b, req->label);
    row_out(b, layout, NULL, applicants, 8);
    int group = 0;
    for (unsigned r = 0; r < req->nrows; r++) {
        const gd_rowdef *rdef = &req->rows[r];
        if (r == 2)
            row_out(b, layout, "三、本年度办理结果", NULL, 0);
        if (rdef->group >= 3 && rdef->group != group) {
            group = rdef->group;
            /* a caption row, unless the caption is itself a data row (2019 （六）) */
            if (!((rdef->flags & GD_ROW_GROUP) && (rdef->templates & tpl)))
                row_out(b, layout, captions[group], NULL, 0);
        }
        if (rdef->templates & tpl)
            plan_row_out(b, layout, GD_TABLE_REQUESTS, (int)r, tpl);
    }
    text_line(b, "");

    text_line(b, gd_table_def(GD_TABLE_REVIEWS)->label);
    row_out(b, layout, NULL, review_groups, 2);
    row_out(b, layout, NULL, review_cols, 7);
    {
        const char *cells[15];
        for (int k = 0; k < 15; k++)
            cells[k] = plan[GD_TABLE_REVIEWS][k / 5][k % 5].text;
        row_out(b, layout, NULL, cells, 15);
    }
    text_line(b, "");
    text_line(b, "五、存在的主要问题及改进情况");
    text_line(b, "一是公开内容不够全面。");
    text_line(b, "六、其他需要报告的事项");
    text_line(b, "本机关无其他需要报告的事项。");
    text_line(b, "某某市某某局");
    snprintf(tmp, sizeof tmp, "%d年1月20日", year + 1);
    text_line(b, tmp);
}

/* ---- Oracles ---- */


/* Does a parse.* finding name table t, row r (or the whole table)? */
static int explained(const gd_report *r, int t, int row)
{
    for (size_t i = 0; i < r->nfindings; i++) {
        const gd_finding *f = &r->findings[i];
        if (strncmp(f->code, "parse.", 6) == 0 && f->table == t && (f->row == row || f->row < 0))
            return 1;
    }
    return 0;
}

static void cell_text(const gd_report *r, const gd_cell *c, char *out, size_t cap)
{
    size_t n = c->raw.end - c->raw.start;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, r->text + c->raw.start, n);
    out[n] = 0;
}

/* 1. Every value comes back as written, or a finding says why not. */
static void check_values(const gd_report *r)
{
    for (int t = 0; t < GD_NTABLES; t++)
        for (int row = 0; row < GD_MAX_ROWS; row++)
            for (int col = 0; col < GD_MAX_COLS; col++) {
                const plan_t *p = &plan[t][row][col];
                if (!p->written)
                    continue;
                const gd_cell *c = &r->tables[t].cells[row][col];
                int same = c->kind == p->kind;
                if (same && c->kind == GD_CELL_NUMBER)
                    same = c->units == p->units && c->scale == p->scale;
                if (same)
                    continue;
                char got[CELL_TEXT_MAX];
                cell_text(r, c, got, sizeof got);
                FUZZ_REQUIRE(explained(r, t, row),
                             "table %d row %d col %d: wrote '%s' (kind %d, %lld/10^%d), read "
                             "'%s' (kind %d, %lld/10^%d) and no finding says so",
                             t, row, col, p->text, (int)p->kind, (long long)p->units, p->scale,
                             got, (int)c->kind, (long long)c->units, c->scale);
            }
}

typedef struct {
    int ok, blank;
    __int128 value;
} term_t;

static term_t term_of(const gd_cell *c)
{
    term_t v = {0, 0, 0};
    if (c->kind == GD_CELL_NUMBER && c->scale == 0)
        v.ok = 1, v.value = c->units;
    else if (c->kind == GD_CELL_EMPTY || c->kind == GD_CELL_NA)
        v.ok = 1, v.blank = 1;
    return v;
}

static const gd_finding *finding_at(const gd_report *r, const char *code, int t, int row, int col)
{
    for (size_t i = 0; i < r->nfindings; i++) {
        const gd_finding *f = &r->findings[i];
        if (strcmp(f->code, code) == 0 && f->table == t && f->row == row && f->col == col)
            return f;
    }
    return NULL;
}

/* 2. Every identity instance, recomputed exactly from the cells read. */
static void check_identities(const gd_report *r, int strict)
{
    size_t nid;
    const gd_identity *ids = gd_identities(&nid);
    for (size_t k = 0; k < nid; k++) {
        const gd_identity *id = &ids[k];
        const gd_table *tab = &r->tables[id->table];
        const gd_tabledef *def = gd_table_def(id->table);
        if (!tab->present)
            continue;
        unsigned bit = tab->template == GD_TEMPLATE_2019 ? GD_TPL_2019 : GD_TPL_2021;
        int lines = id->each == GD_EACH_COLUMN ? (int)def->rows[id->target].ncols
                                               : (int)def->nrows;
        for (int line = 0; line < lines; line++) {
            int trow = id->each == GD_EACH_COLUMN ? id->target : line;
            int tcol = id->each == GD_EACH_COLUMN ? line : id->target;
            if (!tab->row_present[trow])
                continue;
            term_t target = term_of(&tab->cells[trow][tcol]);
            if (!target.ok)
                continue;
            __int128 sum = 0;
            int blanks = target.blank, cells = 1, checkable = 1;
            for (int j = 0; j < id->nterms && checkable; j++) {
                int row = id->each == GD_EACH_COLUMN ? id->terms[j] : line;
                int col = id->each == GD_EACH_COLUMN ? line : id->terms[j];
                if (!(def->rows[row].templates & bit))
                    continue;
                if (!tab->row_present[row]) {
                    checkable = 0;
                    break;
                }
                term_t v = term_of(&tab->cells[row][col]);
                if (!v.ok) {
                    checkable = 0;
                    break;
                }
                cells++;
                blanks += v.blank;
                sum += id->signs[j] * v.value;
            }
            if (!checkable || blanks == cells)
                continue;
            const gd_finding *f = finding_at(r, id->code, id->table, trow, tcol);
            char path[96];
            gd_cell_path(id->table, trow, tcol, path, sizeof path);
            if (strict && blanks) {
                /* not checkable; or broken whatever the blanks hold, when the known
                 * terms alone are beyond what a 64-bit count holds */
                if (f && f->severity == GD_ERROR && (sum > INT64_MAX || sum < INT64_MIN))
                    continue;
                FUZZ_REQUIRE(f && f->severity == GD_WARNING,
                             "%s: %d blanks in strict mode and no not-checkable warning", path,
                             blanks);
                continue;
            }
            if (sum == target.value) {
                FUZZ_REQUIRE(!f || f->severity == GD_INFO, "%s holds (%lld) but: %s", path,
                             (long long)sum, f ? f->message : "");
                continue;
            }
            if ((sum > INT64_MAX || sum < INT64_MIN) && !f && known_open("int64-sum"))
                continue;
            FUZZ_REQUIRE(f && f->severity == GD_ERROR,
                         "%s is %lld, the terms sum to %s%llu%s, and no error finding says so",
                         path, (long long)target.value, sum < 0 ? "-" : "",
                         (unsigned long long)(sum < 0 ? -sum : sum),
                         (sum > INT64_MAX || sum < INT64_MIN) ? " (beyond int64)" : "");
            if (sum >= INT64_MIN && sum <= INT64_MAX)
                FUZZ_REQUIRE(f->has_expected && f->expected == (int64_t)sum,
                             "%s: finding's expected %lld, true sum %lld", path,
                             (long long)f->expected, (long long)sum);
            if (!target.blank)
                FUZZ_REQUIRE(f->has_actual && f->actual == (int64_t)target.value,
                             "%s: finding's actual %lld, cell %lld", path, (long long)f->actual,
                             (long long)target.value);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader rd = {data, size};
    unsigned opt = take(&rd);
    unsigned tpl = (opt & 1) ? GD_TPL_2019 : GD_TPL_2021;
    int strict = (opt >> 1) & 1;
    int layout = (int)((opt >> 2) & 3) % 3;
    int fill_totals = (opt >> 4) & 1;

    buf b = {NULL, 0, 0};
    build(&b, &rd, tpl, layout, fill_totals);

    gd_report *r = NULL;
    gd_options o = {strict ? GD_STRICT : 0u, NULL, GD_FORMAT_TEXT};
    gd_status st = gd_parse(b.s, b.len, &o, &r, NULL);
    FUZZ_REQUIRE(st == GD_OK, "status %d on a generated report", (int)st);
    if (getenv("FUZZ_CHECK_PRINT"))
        fprintf(stderr, "---- generated report ----\n%s---- end ----\n", b.s);
    fuzz_check_report(r, b.s, b.len, GD_FORMAT_TEXT);
    for (int t = 0; t < GD_NTABLES; t++)
        FUZZ_REQUIRE(r->tables[t].present || explained(r, t, -1),
                     "table %d of a generated report not found, and no finding says so", t);
    check_values(r);
    check_identities(r, strict);
    gd_report_free(r);
    free(b.s);
    return 0;
}
