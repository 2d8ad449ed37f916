/*
 * meta.c -- agency, year and published date from the report's own words.
 *
 *   year:      统计期限/统计周期 … YYYY年, else the year in the title;
 *   dated:     a line that is only a date near the end (落款), else a
 *              成文日期 field or a date line in the head;
 *   published: a 发布时间/发布日期/公开日期 field, 时间 beside 来源, else a
 *              page's <meta name="PubDate"> (never 采集时间);
 *   agency:    the title (text before or after its year), else the line
 *              above a title that starts with the year, else the signature.
 */
#include "internal.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct {
    size_t start, end;
} line_t;

/* ---- Lines ---- */

static size_t next_line(const gd_ctx *c, size_t i, line_t *ln)
{
    const char *nl = memchr(c->text + i, '\n', c->len - i);
    ln->start = i;
    ln->end = nl ? (size_t)(nl - c->text) : c->len;
    return ln->end + 1;
}

static size_t ws_len(const char *s, size_t i, size_t end)
{
    unsigned char b = (unsigned char)s[i];
    if (b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == '\v')
        return 1;
    if (end - i >= 3 && memcmp(s + i, "\xE3\x80\x80", 3) == 0)
        return 3;
    if (end - i >= 2 && memcmp(s + i, "\xC2\xA0", 2) == 0)
        return 2;
    if (end - i >= 3 && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0)
        return 3; /* a byte order mark is no part of a name */
    return 0;
}

static line_t trim(const gd_ctx *c, line_t ln)
{
    size_t n;
    while (ln.start < ln.end && (n = ws_len(c->text, ln.start, ln.end)))
        ln.start += n;
    for (;;) {
        char last = ln.end > ln.start ? c->text[ln.end - 1] : 'x';
        if (last == ' ' || last == '\t' || last == '\r' || last == '\f' || last == '\v')
            ln.end--;
        else if (ln.end >= ln.start + 3 && memcmp(c->text + ln.end - 3, "\xE3\x80\x80", 3) == 0)
            ln.end -= 3;
        else if (ln.end >= ln.start + 2 && memcmp(c->text + ln.end - 2, "\xC2\xA0", 2) == 0)
            ln.end -= 2;
        else
            return ln;
    }
}

static int lit_at_n(const char *s, size_t i, size_t end, const char *lit, size_t n)
{
    return end - i >= n && memcmp(s + i, lit, n) == 0;
}
/* Does the literal lit stand at s[i]?  (Its length known at compile time.) */
#define lit_at(s, i, end, lit) lit_at_n(s, i, end, "" lit, sizeof(lit) - 1)

static size_t skip_ws(const char *s, size_t i, size_t end)
{
    size_t n;
    while (i < end && (n = ws_len(s, i, end)))
        i += n;
    return i;
}

/* ---- Numbers and dates ---- */

/* Can a digit (ASCII, or full width: EF BC 90-99) start at this byte? */
static int may_start_digit(char ch)
{
    return (ch >= '0' && ch <= '9') || ch == '\xEF';
}

/* The start of the line that ends at s[end] (the byte after its last): just
 * after the '\n' before end, or 0.  Eight bytes at a time: lines are long. */
static size_t line_start(const char *s, size_t end)
{
#if defined(__SSE2__)
    /* sixteen bytes at a time: the last '\n' of a block is its highest set bit */
    const __m128i nl = _mm_set1_epi8('\n');
    while (end >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + end - 16));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
        if (m) {
            unsigned hi = gd_top_bit32(m);
            return end - 16 + (size_t)hi + 1;
        }
        end -= 16;
    }
#endif
    const uint64_t ones = 0x0101010101010101ULL;
    while (end >= 8) {
        uint64_t w, x;
        memcpy(&w, s + end - 8, 8);
        x = w ^ (ones * '\n');
        if ((x - ones) & ~x & (ones * 0x80))
            break; /* a '\n' among them */
        end -= 8;
    }
    while (end > 0 && s[end - 1] != '\n')
        end--;
    return end;
}

/* An unsigned integer of 1..maxd digits (ASCII or full width) at s[i]. */
static size_t read_int(const char *s, size_t i, size_t end, int maxd, int *out)
{
    int64_t units;
    int scale, overflow;
    size_t e = gd_scan_number(s, i, end, &units, &scale, &overflow);
    if (e == i || scale || overflow || units > 9999)
        return i;
    size_t digits = 0;
    for (size_t k = i; k < e;)
        k += ((unsigned char)s[k] < 0x80) ? 1 : 3, digits++;
    if (digits > (size_t)maxd)
        return i;
    *out = (int)units;
    return e;
}

/* A date at s[i]: YYYY年M月D日 (spaces allowed) or YYYY-MM-DD / YYYY/MM/DD / YYYY.MM.DD. */
static size_t read_date(const char *s, size_t i, size_t end, int *y, int *m, int *d)
{
    size_t k = read_int(s, i, end, 4, y);
    if (k == i || *y < 1990 || *y > 2100)
        return i;
    k = skip_ws(s, k, end);
    if (lit_at(s, k, end, "年")) {
        size_t p = skip_ws(s, k + 3, end), q = read_int(s, p, end, 2, m);
        if (q == p)
            return i;
        q = skip_ws(s, q, end);
        if (!lit_at(s, q, end, "月"))
            return i;
        p = skip_ws(s, q + 3, end);
        q = read_int(s, p, end, 2, d);
        if (q == p)
            return i;
        q = skip_ws(s, q, end);
        if (!lit_at(s, q, end, "日"))
            return i;
        k = q + 3;
    } else if (k < end && (s[k] == '-' || s[k] == '/' || s[k] == '.')) {
        char sep = s[k];
        size_t q = read_int(s, k + 1, end, 2, m);
        if (q == k + 1 || q >= end || s[q] != sep)
            return i;
        size_t r = read_int(s, q + 1, end, 2, d);
        if (r == q + 1)
            return i;
        k = r;
    } else {
        return i;
    }
    if (*m < 1 || *m > 12 || *d < 1 || *d > 31)
        return i;
    return k;
}

/* Is the trimmed line only a date, perhaps in brackets? */
static int date_line(const gd_ctx *c, line_t ln, int *y, int *m, int *d, gd_span *span)
{
    ln = trim(c, ln);
    const char *s = c->text;
    size_t i = ln.start, end = ln.end;
    if (end - i > 48 || i >= end)
        return 0;
    if (s[i] == '(')
        i++;
    else if (lit_at(s, i, end, "（"))
        i += 3;
    i = skip_ws(s, i, end);
    size_t e = read_date(s, i, end, y, m, d);
    if (e == i)
        return 0;
    size_t after = skip_ws(s, e, end);
    if (after < end && (s[after] == ')' || lit_at(s, after, end, "）")))
        after = skip_ws(s, after + (s[after] == ')' ? 1 : 3), end);
    if (after != end)
        return 0;
    span->start = i;
    span->end = e;
    return 1;
}

/* ---- The stages ---- */

#define HEAD_BYTES 4000 /* the title block lies within the first few KB */
#define TAIL_LINES 12   /* the signature within the last non-empty lines */
/* A web page goes on after the report (links, contact lines, the licence):
 * there the signature is looked for after the last section's heading. */
#define LAST_SECTION "其他需要报告的事项"
#define AFTER_LAST_LINES 40

/* The first occurrence of lit in s[from, len), or len. */
static size_t find_lit(const char *s, size_t from, size_t len, const char *lit)
{
    return gd_find(s, from, len, lit);
}

/* Do the bytes E6 97 (the first two of 时 and of 日) stand in s[from, end)? */
static int has_e6_97(const char *s, size_t from, size_t end)
{
    while (end - from >= 2) {
        const char *p = memchr(s + from + 1, '\x97', end - from - 1);
        if (!p)
            return 0;
        if (p[-1] == '\xE6')
            return 1;
        from = (size_t)(p - s);
    }
    return 0;
}

/* A "name：date" field in the line t: the first of fields found, with its
 * date.  A field must not follow another Chinese character that would make
 * it another field (采集时间 is not 时间); 1 with *sp set when found. */
static int field_date(gd_ctx *c, line_t t, const char *const *fields, int *y, int *m, int *d,
                      gd_span *sp)
{
    const char *s = c->text;
    for (const char *const *f = fields; *f; f++) {
        size_t n = strlen(*f);
        for (size_t at = find_lit(s, t.start, t.end, *f); at < t.end;
             at = find_lit(s, at + 1, t.end, *f)) {
            /* a bare 时间 only at the start of a line or after a space */
            if (n == strlen("时间") && at > t.start && !ws_len(s, at - 1, t.end) &&
                !(at >= t.start + 3 && ws_len(s, at - 3, t.end)))
                continue;
            size_t k = at + n;
            if (lit_at(s, k, t.end, "："))
                k += 3;
            else if (k < t.end && s[k] == ':')
                k++;
            k = skip_ws(s, k, t.end);
            size_t e = read_date(s, k, t.end, y, m, d);
            if (e != k) {
                sp->start = k;
                sp->end = e;
                return 1;
            }
        }
    }
    return 0;
}

static void set_published(gd_ctx *c, int y, int m, int d, gd_span sp, int in_src)
{
    c->rep->pub_year = y;
    c->rep->pub_month = m;
    c->rep->pub_day = d;
    c->rep->published_span = sp;
    c->published_in_src = in_src;
}

/* The first line that is only a date among the AFTER_LAST_LINES non-empty
 * lines after the last 其他需要报告的事项 (the heading of section 六, the last
 * one, or its entry in a table of contents when the body has none). */
static int closing_after_last_section(gd_ctx *c, int *y, int *m, int *d, gd_span *sp)
{
    size_t n = strlen(LAST_SECTION), last = c->len;
    for (size_t at = find_lit(c->text, 0, c->len, LAST_SECTION); at < c->len;
         at = find_lit(c->text, at + n, c->len, LAST_SECTION))
        last = at;
    if (last == c->len)
        return 0;
    line_t ln;
    size_t i = next_line(c, last, &ln), seen = 0;
    while (i <= c->len && seen < AFTER_LAST_LINES) {
        i = next_line(c, i, &ln);
        line_t t = trim(c, ln);
        if (t.end == t.start)
            continue;
        seen++;
        if (date_line(c, ln, y, m, d, sp))
            return 1;
    }
    return 0;
}

/* The 落款 date: a line that is only a date among the last non-empty lines,
 * or after the last section (a page's footer follows the report); else a
 * 成文日期 field or a date line in the head.  The date the report was
 * signed, not the one it was published. */
static void find_dated(gd_ctx *c)
{
    gd_report *r = c->rep;
    int y, m, d;
    gd_span sp;
    size_t end = c->len, seen = 0;
    while (end > 0 && seen < TAIL_LINES) {
        size_t s = line_start(c->text, end);
        line_t ln = {s, end};
        line_t t = trim(c, ln);
        if (t.end > t.start) {
            seen++;
            if (date_line(c, ln, &y, &m, &d, &sp)) {
                c->dated_closing = 1;
                goto found;
            }
        }
        end = s ? s - 1 : 0;
        if (s == 0)
            break;
    }
    if (closing_after_last_section(c, &y, &m, &d, &sp)) {
        c->dated_closing = 1;
        goto found;
    }
    static const char *const fields[] = {"成文日期", "发文日期", NULL};
    size_t head = c->len < HEAD_BYTES ? c->len : HEAD_BYTES;
    for (size_t i = 0; i < head;) {
        line_t ln;
        i = next_line(c, i, &ln);
        if (date_line(c, ln, &y, &m, &d, &sp))
            goto found;
        line_t t = trim(c, ln);
        /* both fields hold 日 (E6 97 A5): one search rules out most lines */
        if (has_e6_97(c->text, t.start, t.end) && field_date(c, t, fields, &y, &m, &d, &sp))
            goto found;
    }
    return;
found:
    r->dated_year = y;
    r->dated_month = m;
    r->dated_day = d;
    r->dated_span = sp;
}

/* ASCII letters of s[0, n) equal to lower-case lit (n bytes). */
static int ascii_ieq(const char *s, size_t n, const char *lit)
{
    if (strlen(lit) != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch != lit[i])
            return 0;
    }
    return 1;
}

/* The value of attribute attr (lower case) in the tag s[from, to): its span,
 * quotes stripped; 0 when the tag has none. */
static int tag_attr(const char *s, size_t from, size_t to, const char *attr, gd_span *out)
{
    size_t n = strlen(attr);
    for (size_t i = from; i + n < to; i++) {
        if (!(s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' || s[i - 1] == '\r') ||
            !ascii_ieq(s + i, n, attr))
            continue;
        size_t k = i + n;
        while (k < to && s[k] == ' ')
            k++;
        if (k >= to || s[k] != '=')
            continue;
        k++;
        while (k < to && s[k] == ' ')
            k++;
        char q = k < to && (s[k] == '"' || s[k] == '\'') ? s[k] : 0;
        size_t v = q ? k + 1 : k, e = v;
        while (e < to && (q ? s[e] != q : (s[e] != ' ' && s[e] != '/' && s[e] != '>')))
            e++;
        out->start = v;
        out->end = e;
        return 1;
    }
    return 0;
}

#define META_BYTES 65536 /* a page's <meta> tags stand in its <head> */

/* <meta name="PubDate" content="2025-03-10 15:35"> and its cousins, in the
 * markup itself (the span is then one in the input). */
static int meta_published(gd_ctx *c)
{
    static const char *const names[] = {"pubdate", "publishdate", "firstpublishedtime",
                                        "publishtime", "others", NULL};
    const char *s = c->src;
    size_t lim = c->src_len < META_BYTES ? c->src_len : META_BYTES;
    for (const char *p = s; (p = memchr(p, '<', lim - (size_t)(p - s))) != NULL; p++) {
        size_t at = (size_t)(p - s);
        if (lim - at < 6 || !ascii_ieq(s + at + 1, 4, "meta"))
            continue;
        const char *gt = memchr(s + at, '>', lim - at);
        if (!gt)
            return 0;
        size_t to = (size_t)(gt - s);
        gd_span name, content;
        if (!tag_attr(s, at + 5, to, "name", &name) ||
            !tag_attr(s, at + 5, to, "content", &content))
            continue;
        for (const char *const *nm = names; *nm; nm++) {
            if (!ascii_ieq(s + name.start, name.end - name.start, *nm))
                continue;
            size_t k = content.start;
            if (strcmp(*nm, "others") == 0) { /* "页面生成时间 2020-01-20 15:22:00" */
                k = find_lit(s, k, content.end, "页面生成时间");
                if (k >= content.end)
                    break;
                k += strlen("页面生成时间");
            }
            while (k < content.end && (s[k] == ' ' || s[k] == ':'))
                k++;
            int y, m, d;
            size_t e = read_date(s, k, content.end, &y, &m, &d);
            if (e != k) {
                set_published(c, y, m, d, (gd_span){k, e}, c->map != NULL);
                return 1;
            }
            break;
        }
    }
    return 0;
}

/* The date the page or file says it was published: a 发布时间-like field in
 * the head (时间 only beside 来源), else a <meta> of the page.  Never a date
 * of collection (采集时间) nor a bare date line, which may be either. */
static void find_published(gd_ctx *c)
{
    static const char *const fields[] = {"发布时间", "发布日期", "公开日期", "公开时间",
                                         "发稿时间", NULL};
    static const char *const bare[] = {"时间", NULL};
    int y, m, d;
    gd_span sp;
    size_t head = c->len < HEAD_BYTES ? c->len : HEAD_BYTES;
    int source_line = 0; /* the previous line named 来源 */
    for (size_t i = 0; i < head;) {
        line_t ln;
        i = next_line(c, i, &ln);
        line_t t = trim(c, ln);
        int has_source = find_lit(c->text, t.start, t.end, "来源") < t.end;
        /* every field ends in 时间 or 日期, both E6 97 ..: one search rules
         * out the lines (nearly all) that hold none */
        if (has_e6_97(c->text, t.start, t.end) &&
            (field_date(c, t, fields, &y, &m, &d, &sp) ||
             ((has_source || source_line) && field_date(c, t, bare, &y, &m, &d, &sp)))) {
            set_published(c, y, m, d, sp, 0);
            return;
        }
        if (t.end > t.start)
            source_line = has_source;
    }
    if (c->map)
        meta_published(c);
}

/* "关于2022年度政府信息公开情况的报告", "现将我办2022年度政府信息公开…":
 * the year the report covers, named before 政府信息公开 near the top. */
static void year_before_subject(gd_ctx *c)
{
    size_t head = c->len < HEAD_BYTES ? c->len : HEAD_BYTES;
    static const char *const subjects[] = {"年度政府信息公开", "年政府信息公开", NULL};
    for (const char *const *sub = subjects; *sub; sub++) {
        size_t at = find_lit(c->text, 0, head, *sub);
        if (at >= head || at < 4)
            continue;
        size_t i = at;
        while (i > 0 && c->text[i - 1] == ' ')
            i--;
        int y;
        if (i >= 4 && read_int(c->text, i - 4, i, 4, &y) == i && y >= 1990 && y <= 2100) {
            c->rep->year = y;
            c->rep->year_span.start = i - 4;
            c->rep->year_span.end = i;
            return;
        }
    }
}

static void find_year(gd_ctx *c)
{
    gd_report *r = c->rep;
    static const char *const keys[] = {"统计期限", "统计周期", "统计时限", "统计时间", "统计区间",
                                       "统计期间", NULL};
    for (const char *const *k = keys; *k; k++) {
        for (size_t at = find_lit(c->text, 0, c->len, *k); at < c->len;
             at = find_lit(c->text, at + 1, c->len, *k)) {
            size_t i = at + strlen(*k), stop = i + 90 < c->len ? i + 90 : c->len;
            for (; i < stop; i++) {
                int y;
                if (!may_start_digit(c->text[i]))
                    continue;
                size_t e = read_int(c->text, i, stop, 4, &y);
                if (e != i && y >= 1990 && y <= 2100 &&
                    lit_at(c->text, skip_ws(c->text, e, stop), stop, "年")) {
                    r->year = y;
                    r->year_span.start = i;
                    r->year_span.end = e;
                    return;
                }
            }
        }
    }
}

/* Does s[start, end) name a year ("2023年", "2023 年")? */
static int names_year(const char *s, size_t start, size_t end)
{
    for (size_t k = start; k < end; k++) {
        int y;
        if (!may_start_digit(s[k]))
            continue;
        size_t e = read_int(s, k, end, 4, &y);
        if (e != k && y >= 1990 && y <= 2100 && lit_at(s, skip_ws(s, e, end), end, "年"))
            return 1;
        if (e > k)
            k = e - 1;
    }
    return 0;
}

/* Find the title: the first line of the head that names the report and a
 * year; else the first that names the report.  A line that names no year
 * ("政府信息公开年报") is a column of the site's navigation more often than
 * the title, which a web page repeats below it with its year. */
static int find_title(gd_ctx *c, line_t *title, line_t *prev)
{
    size_t head = c->len < HEAD_BYTES ? c->len : HEAD_BYTES;
    line_t last = {0, 0}, before_last = {0, 0}, first_title = {0, 0}, first_prev = {0, 0};
    for (size_t i = 0; i < head;) {
        line_t ln;
        i = next_line(c, i, &ln);
        line_t t = trim(c, ln);
        if (t.end == t.start)
            continue;
        if (t.end - t.start < 200 &&
            (gd_contains(c->text + t.start, t.end - t.start, "年度报告") ||
             gd_contains(c->text + t.start, t.end - t.start, "年报"))) {
            *title = t;
            *prev = last;
            /* "2024 年上海市科委政府信息公开工作" + "年度报告": the title is two lines */
            if (!gd_contains(c->text + t.start, t.end - t.start, "信息公开") && last.end > last.start &&
                gd_contains(c->text + last.start, last.end - last.start, "信息公开")) {
                *title = last;
                *prev = before_last;
            }
            if (names_year(c->text, title->start, t.end))
                return 1;
            if (first_title.end == first_title.start) {
                first_title = *title;
                first_prev = *prev;
            }
        }
        before_last = last;
        last = t;
    }
    *title = first_title;
    *prev = first_prev;
    return first_title.end > first_title.start;
}

/* A control byte (NUL, tab, ...): never part of a name. */
static int is_control(char b)
{
    return (unsigned char)b < 0x20 || b == 0x7F;
}

/* The length of a pronoun naming the body at s[i] (我局, 我办, 本机关,
 * 本单位, 我委 ...), or 0. */
static size_t pronoun_len(const char *s, size_t i, size_t end)
{
    static const char *const bodies[] = {
        "办公室", "委员会", "机关", "单位", "部门", "中心", "机构", "街道", "政府",
        "局", "办", "委", "院", "厅", "部", "署", "所", "站", "队", "处", "区", "县",
        "市", "镇", "乡", NULL,
    };
    if (!lit_at(s, i, end, "我") && !lit_at(s, i, end, "本"))
        return 0;
    for (const char *const *b = bodies; *b; b++)
        if (lit_at_n(s, i + 3, end, *b, strlen(*b)))
            return 3 + strlen(*b);
    return 0;
}

/* A page box's field label before a name ("发布机构：重庆市…"), or 0. */
static size_t box_label(const char *s, size_t i, size_t end)
{
    static const char *const labels[] = {"发布机构", "发文机关", "发布单位", "信息来源", "来源", NULL};
    for (const char *const *l = labels; *l; l++) {
        size_t n = strlen(*l);
        if (lit_at_n(s, i, end, *l, n) && (lit_at(s, i + n, end, "：") || lit_at(s, i + n, end, ":")))
            return n;
    }
    return 0;
}

static int set_agency(gd_ctx *c, size_t start, size_t end)
{
    gd_report *r = c->rep;
    const char *s = c->text;
    /* trim white space, control bytes and stray punctuation around the name */
    for (;;) {
        size_t n;
        if (start < end && (n = ws_len(s, start, end)))
            start += n;
        else if (start < end && (s[start] == '#' || s[start] == ':' || is_control(s[start])))
            start++;
        else if (lit_at(s, start, end, "："))
            start += 3;
        else if (box_label(s, start, end))
            start += box_label(s, start, end);
        else
            break;
    }
    while (end > start && (s[end - 1] == ' ' || is_control(s[end - 1])))
        end--;
    while (end >= start + 3 && memcmp(s + end - 3, "\xE3\x80\x80", 3) == 0)
        end -= 3;
    /* whole characters only: a scan bounded by a byte count may cut one */
    while (start < end && ((unsigned char)s[start] & 0xC0) == 0x80)
        start++;
    for (size_t p = end; p > start;) {
        unsigned char b = (unsigned char)s[--p];
        if ((b & 0xC0) == 0x80)
            continue; /* find the last character's first byte */
        size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        if (p + n > end)
            end = p;
        break;
    }
    if (end <= start || end - start > 120)
        return 0;
    /* a name is Chinese words: no digits, at least one CJK character */
    int cjk = 0;
    for (size_t i = start; i < end; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            return 0;
        cjk |= (unsigned char)s[i] >= 0xE4 && (unsigned char)s[i] <= 0xE9;
    }
    if (!cjk || pronoun_len(s, start, end) == end - start || lit_at(s, start, end, "我"))
        return 0; /* 我局, 本单位: no report's name for itself */
    char *copy = gd_malloc(c, end - start + 1);
    if (!copy)
        return -1;
    size_t o = 0;
    for (size_t i = start; i < end;) {
        size_t n = ws_len(s, i, end);
        if (n) {
            i += n;
            continue;
        }
        if (is_control(s[i])) { /* a NUL would end the name early */
            i++;
            continue;
        }
        copy[o++] = s[i++];
    }
    copy[o] = '\0';
    if (r->agency) {
        /* a name is known: only a fuller form of it replaces it (市统计局 -> X市统计局) */
        size_t have = strlen(r->agency);
        if (o <= have || memcmp(copy + o - have, r->agency, have) != 0) {
            gd_free(c, copy);
            return 0;
        }
        gd_free(c, r->priv->agency);
    }
    r->priv->agency = copy;
    r->agency = copy;
    r->agency_span.start = start;
    r->agency_span.end = end;
    return 1;
}

/* Where the subject of the opening sentence ends: the verb after it. */
static const char *const opening_verbs[] = {
    "认真", "坚持", "深入", "全面", "严格", "紧紧", "按照", "围绕", "始终", "积极", "进一步",
    "继续", "高度", "着力", "聚焦", "立足", "持续", "切实", "扎实", "不断", "强化", "充分",
    "主动", "在", "以", "共", "全年", NULL,
};

/* What an agency's name ends with. */
static const char *const agency_suffixes[] = {
    "局", "委员会", "委", "办公室", "政府", "中心", "院", "厅", "办", "管委会", "办事处",
    "部", "署", "所", "站", "队", NULL,
};

static int opening_sentence(gd_ctx *c)
{
    const char *s = c->text;
    size_t head = c->len < HEAD_BYTES ? c->len : HEAD_BYTES;
    for (size_t i = 0; i + 4 < head; i++) {
        int y;
        if (!may_start_digit(s[i]))
            continue;
        size_t e = read_int(s, i, head, 4, &y);
        if (e == i || y < 1990 || y > 2100 || (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'))
            continue;
        size_t k = skip_ws(s, e, head);
        if (!lit_at(s, k, head, "年"))
            continue;
        k = skip_ws(s, k + 3, head);
        if (lit_at(s, k, head, "度"))
            k += 3;
        if (lit_at(s, k, head, "，"))
            k += 3;
        else if (k < head && s[k] == ',')
            k++;
        else
            continue;
        size_t name = skip_ws(s, k, head);
        /* the subject: up to the first verb, at most 40 characters on */
        for (size_t q = name + 3; q < head && q < name + 120; q++) {
            if (s[q] == '\n' || lit_at(s, q, head, "，") || lit_at(s, q, head, "。"))
                break;
            if ((unsigned char)s[q] < 0xE4 || (unsigned char)s[q] > 0xE9 || head - q < 3)
                continue; /* every verb starts with a Chinese character (E4-E9) */
            for (const char *const *v = opening_verbs; *v; v++) {
                if (s[q + 1] != (*v)[1] || !lit_at_n(s, q, head, *v, strlen(*v)))
                    continue;
                for (const char *const *suf = agency_suffixes; *suf; suf++) {
                    size_t l = strlen(*suf);
                    if (q - name >= l + 3 && memcmp(s + q - l, *suf, l) == 0)
                        return set_agency(c, name, q);
                }
                goto next_year;
            }
        }
    next_year:;
    }
    return 0;
}

/* The name in an announcement of the report: "现公布区统计局2023年政府信息
 * 公开工作年度报告", "现将重庆市大足区公安局2021年度…" (up to the year). */
static int announcement(gd_ctx *c)
{
    static const char *const verbs[] = {"现公布", "现予公布", "现将", "现发布", "特发布", NULL};
    const char *s = c->text;
    size_t head = c->len < HEAD_BYTES ? c->len : HEAD_BYTES;
    for (const char *const *v = verbs; *v; v++)
        for (size_t at = find_lit(s, 0, head, *v); at < head; at = find_lit(s, at + 1, head, *v)) {
            size_t name = at + strlen(*v), q = name;
            while (q < head && q < name + 120 && !may_start_digit(s[q]) && s[q] != '\n')
                q++;
            int y;
            if (q == name || q >= head || read_int(s, q, head, 4, &y) == q || y < 1990 || y > 2100)
                continue;
            for (const char *const *suf = agency_suffixes; *suf; suf++) {
                size_t l = strlen(*suf);
                if (q - name >= l + 3 && memcmp(s + q - l, *suf, l) == 0) {
                    int rc = set_agency(c, name, q);
                    if (rc)
                        return rc;
                    break;
                }
            }
        }
    return 0;
}

/* A web page's box: 发布机构：…  来源：… */
static int page_box(gd_ctx *c)
{
    static const char *const fields[] = {"发布机构", "发文机关", "来源", NULL};
    const char *s = c->text;
    size_t head = c->len < HEAD_BYTES ? c->len : HEAD_BYTES;
    for (const char *const *f = fields; *f; f++) {
        for (size_t at = find_lit(s, 0, head, *f); at < head; at = find_lit(s, at + 1, head, *f)) {
            size_t k = at + strlen(*f);
            if (lit_at(s, k, head, "："))
                k += 3;
            else if (k < head && s[k] == ':')
                k++;
            else
                continue;
            k = skip_ws(s, k, head);
            size_t e = k;
            while (e < head && s[e] != '\n' && !ws_len(s, e, head))
                e++;
            int rc = set_agency(c, k, e);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int signature(gd_ctx *c);

static int first_agency(gd_ctx *c)
{
    line_t title, prev;
    const char *s = c->text;
    if (find_title(c, &title, &prev)) {
        size_t i = title.start;
        static const char *const labels[] = {"标题：", "标题:", "题目：", "现公布", "现予公布",
                                             "现将", "现发布", NULL};
        for (const char *const *l = labels; *l; l++)
            if (lit_at_n(s, i, title.end, *l, strlen(*l)))
                i += strlen(*l);
        while (i < title.end && (s[i] == '#' || ws_len(s, i, title.end)))
            i += ws_len(s, i, title.end) ? ws_len(s, i, title.end) : 1;
        /* the year in the title */
        for (size_t k = i; k < title.end; k++) {
            int y;
            if (!may_start_digit(s[k]))
                continue;
            size_t e = read_int(s, k, title.end, 4, &y);
            if (e == k || y < 1990 || y > 2100)
                continue;
            size_t after = skip_ws(s, e, title.end);
            if (!lit_at(s, after, title.end, "年"))
                continue;
            if (!c->rep->year) {
                c->rep->year = y;
                c->rep->year_span.start = k;
                c->rep->year_span.end = e;
            }
            int rc = set_agency(c, i, k);
            if (rc)
                return rc < 0 ? -1 : 0;
            /* the name follows the year: up to 政府信息公开 */
            size_t from = after + 3;
            if (lit_at(s, from, title.end, "度"))
                from += 3;
            for (size_t q = from; q < title.end; q++)
                if (lit_at(s, q, title.end, "政府信息公开") || lit_at(s, q, title.end, "信息公开")) {
                    rc = set_agency(c, from, q);
                    if (rc)
                        return rc < 0 ? -1 : 0;
                    break;
                }
            break;
        }
        /* the name stands on the line above the title */
        if (prev.end > prev.start && prev.end - prev.start <= 90) {
            int rc = set_agency(c, prev.start, prev.end);
            if (rc)
                return rc < 0 ? -1 : 0;
        }
        /* no year: the name is what precedes 政府信息公开 */
        for (size_t q = i; q < title.end; q++)
            if (lit_at(s, q, title.end, "政府信息公开")) {
                int rc = set_agency(c, i, q);
                if (rc)
                    return rc < 0 ? -1 : 0;
                break;
            }
    }
    /* the opening sentence: "2022年，二道区房屋征收工作管理办公室认真贯彻…" */
    int rc = opening_sentence(c);
    if (rc)
        return rc < 0 ? -1 : 0;
    rc = announcement(c);
    if (rc)
        return rc < 0 ? -1 : 0;
    if (signature(c) < 0)
        return -1;
    if (c->rep->agency)
        return 0;
    return page_box(c) < 0 ? -1 : 0;
}

/* The signature: the line above the closing date. */
static int signature(gd_ctx *c)
{
    const char *s = c->text;
    if (!c->dated_closing)
        return 0;
    size_t e = c->rep->dated_span.start;
    while (e > 0 && s[e - 1] != '\n')
        e--;
    while (e > 0) {
        size_t ls = e - 1;
        while (ls > 0 && s[ls - 1] != '\n')
            ls--;
        line_t ln = trim(c, (line_t){ls, e - 1});
        if (ln.end > ln.start)
            return ln.end - ln.start <= 90 ? set_agency(c, ln.start, ln.end) : 0;
        e = ls;
    }
    return 0;
}

/* The agency: the first name found (its fullest form: find_level).  Only a
 * pronoun (我局): no agency, and a finding says so. */
static int find_agency(gd_ctx *c)
{
    if (first_agency(c) < 0)
        return -1;
    if (c->rep->agency)
        return 0;
    const char *s = c->text;
    size_t head = c->len < HEAD_BYTES ? c->len : HEAD_BYTES;
    for (size_t i = 0; i + 6 <= head; i++) {
        /* the subject of a sentence ("2023年，我局…", "现将我局…"), not a
         * label's words ("1.本机关不掌握相关政府信息"); 我 and 本 start with E6 */
        if (s[i] != '\xE6' ||
            !(i == 0 || s[i - 1] == '\n' || s[i - 1] == ' ' ||
              (i >= 3 && (memcmp(s + i - 3, "，", 3) == 0 || memcmp(s + i - 3, "。", 3) == 0 ||
                          memcmp(s + i - 3, "将", 3) == 0))))
            continue;
        size_t n = pronoun_len(s, i, head);
        if (!n)
            continue;
        if (gd_add_finding(c, "parse.agency_pronoun", GD_WARNING, -1, -1, -1, NULL, NULL,
                           (gd_span){i, i + n},
                           "the report names its body only as \"%.*s\"; the agency is unknown",
                           (int)n, s + i))
            return -1;
        break;
    }
    return 0;
}

/* ---- Level and region, from the agency's name ---- */

/* Does s[0, n) end with lit (l bytes)?  The last bytes are compared first:
 * most names end with none of the suffixes tried. */
static int ends_with(const char *s, size_t n, const char *lit, size_t l)
{
    return n >= l && s[n - 1] == lit[l - 1] && memcmp(s + n - l, lit, l) == 0;
}

/* Place suffixes, longest first, with the level a government of that
 * place has.  直辖市 are provinces. */
#define PLACE(suffix, level) {suffix, sizeof(suffix) - 1, level}
static const struct {
    const char *suffix;
    size_t len;
    const char *level;
} places[] = {
    PLACE("特别行政区", "province"), PLACE("自治区", "province"), PLACE("省", "province"),
    PLACE("综合实验区", "zone"), PLACE("开发区", "zone"), PLACE("高新区", "zone"),
    PLACE("新区", "zone"), PLACE("自治州", "city"), PLACE("自治县", "county"),
    PLACE("街道", "township"), PLACE("市", "city"), PLACE("州", "city"), PLACE("盟", "city"),
    PLACE("区", "county"), PLACE("县", "county"), PLACE("旗", "county"),
    PLACE("乡", "township"), PLACE("镇", "township"),
};
#undef PLACE

static int is_municipality(const char *s, size_t n)
{
    static const char *const names[] = {"北京市", "上海市", "天津市", "重庆市", NULL};
    for (const char *const *m = names; *m; m++)
        if (n == strlen(*m) && memcmp(s, *m, n) == 0)
            return 1;
    return 0;
}

/* The end of the place a name starts with (the longest prefix that ends in
 * a place suffix), setting *level (if not NULL); 0 when it names none: a
 * suffix alone ("区政府办公室") names no place. */
static size_t place_end_of(const char *a, size_t n, const char **level)
{
    size_t place_end = 0;
    for (size_t i = 3; i <= n; i++) {
        for (size_t k = 0; k < sizeof places / sizeof places[0]; k++)
            if (ends_with(a, i, places[k].suffix, places[k].len)) {
                place_end = i;
                if (level)
                    *level = places[k].level;
                break;
            }
    }
    return place_end > 3 ? place_end : 0;
}

static int find_level(gd_ctx *c)
{
    gd_report *r = c->rep;
    const char *a = r->agency;
    if (!a)
        return 0;
    size_t n, place_end;
    const char *level = NULL;
    for (int fuller = 0;; fuller = 1) {
        n = strlen(a);
        if ((place_end = place_end_of(a, n, &level)) || fuller)
            break;
        /* a name that names no place (区统计局, from the title) may be written in
         * full by the announcement, the signature or the page's box */
        if (announcement(c) < 0 || signature(c) < 0 || page_box(c) < 0)
            return -1;
        if (r->agency == a)
            return 0;
        a = r->agency;
    }
    if (!place_end)
        return 0;
    if (strcmp(level, "city") == 0 && is_municipality(a, place_end))
        level = "province";
    c->place_level = level;
    const char *rest = a + place_end;
    size_t rlen = n - place_end;
    if (rlen && !(rlen == strlen("人民政府") && memcmp(rest, "人民政府", rlen) == 0) &&
        !(rlen == strlen("人民政府办公室") && memcmp(rest, "人民政府办公室", rlen) == 0) &&
        !(rlen == strlen("管委会") && memcmp(rest, "管委会", rlen) == 0) &&
        !(rlen == strlen("管理委员会") && memcmp(rest, "管理委员会", rlen) == 0))
        level = "department"; /* 公安局, 审计局, 科委 … of that place */
    char *region = gd_malloc(c, place_end + 1);
    if (!region)
        return -1;
    memcpy(region, a, place_end);
    region[place_end] = '\0';
    r->priv->region = region;
    r->region = region;
    r->level = level;
    return 0;
}

/* A year read at s[i] that 年 follows (white space between allowed): its
 * end, setting *y; i when there is none. */
static size_t year_at(const char *s, size_t i, size_t end, int *y, size_t *after)
{
    if (i >= end || !may_start_digit(s[i]) || (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'))
        return i;
    size_t e = read_int(s, i, end, 4, y);
    if (e == i || *y < 1990 || *y > 2100)
        return i;
    size_t k = skip_ws(s, e, end);
    if (!lit_at(s, k, end, "年"))
        return i;
    *after = skip_ws(s, k + 3, end);
    return e;
}

/* The year from the prose, when neither the title nor 统计期限 gives it:
 * the end of the statistics period ("截止2023年12月31日", "截至2023年底"),
 * else the first section's opening ("2023年，我局…", "2023年度，…"). */
static void year_from_prose(gd_ctx *c)
{
    const char *s = c->text;
    static const char *const untils[] = {"截止", "截至", NULL};
    size_t best = c->len, best_end = 0;
    int best_year = 0;
    for (const char *const *u = untils; *u; u++)
        for (size_t at = find_lit(s, 0, c->len, *u); at < best; at = find_lit(s, at + 1, c->len, *u)) {
            size_t i = skip_ws(s, at + 6, c->len), after;
            int y;
            size_t e = year_at(s, i, c->len, &y, &after);
            if (e == i)
                continue;
            size_t k = after;
            if (lit_at(s, k, c->len, "底") || lit_at(s, k, c->len, "末")) {
                /* 2023年底 */
            } else {
                int m, d;
                size_t me = read_int(s, k, c->len, 2, &m);
                me = skip_ws(s, me, c->len);
                if (me == k || m != 12 || !lit_at(s, me, c->len, "月"))
                    continue;
                size_t ds = skip_ws(s, me + 3, c->len), de = read_int(s, ds, c->len, 2, &d);
                if (de == ds || d != 31)
                    continue;
            }
            best = i, best_end = e, best_year = y;
            break;
        }
    if (!best_year) {
        size_t head = c->len < HEAD_BYTES ? c->len : HEAD_BYTES;
        for (size_t i = 0; i < head; i++) {
            if (!may_start_digit(s[i]))
                continue;
            /* at the start of a line or a sentence, and a comma after it */
            size_t b = i;
            while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t'))
                b--;
            if (!(b == 0 || s[b - 1] == '\n' || (b >= 3 && memcmp(s + b - 3, "。", 3) == 0) ||
                  (b >= 3 && memcmp(s + b - 3, "\xE3\x80\x80", 3) == 0)))
                continue;
            size_t after;
            int y;
            size_t e = year_at(s, i, head, &y, &after);
            if (e == i)
                continue;
            if (lit_at(s, after, head, "度"))
                after += 3;
            if (lit_at(s, after, head, "，") || (after < head && s[after] == ',')) {
                best = i, best_end = e, best_year = y;
                break;
            }
        }
    }
    if (best_year) {
        c->rep->year = best_year;
        c->rep->year_span.start = best;
        c->rep->year_span.end = best_end;
    }
}

int gd_parse_meta(gd_ctx *c)
{
    find_year(c);
    find_dated(c);
    find_published(c);
    if (find_agency(c) || find_level(c))
        return -1;
    if (!c->rep->year)
        year_before_subject(c);
    if (!c->rep->year)
        year_from_prose(c);
    /* reports appear early in the next year */
    if (!c->rep->year && c->rep->pub_year)
        c->rep->year = c->rep->pub_year - 1;
    else if (!c->rep->year && c->rep->dated_year)
        c->rep->year = c->rep->dated_year - 1;
    return c->oom ? -1 : 0;
}
