/*
 * meta.c -- agency, year and published date from the report's own words.
 *
 *   year:      统计期限/统计周期 … YYYY年, else the year in the title;
 *   published: a line that is only a date near the end (落款), else one
 *              right under the title, else a 发布时间/发布日期 field;
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
            int hi = 31 - __builtin_clz(m);
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

/* The first occurrence of lit in s[from, len), or len. */
static size_t find_lit(const char *s, size_t from, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    /* probe with the last byte of a Chinese first character: its first byte
     * is that of nearly every character (see gd_contains_n) */
    size_t k = (n >= 3 && ((unsigned char)lit[0] & 0xF0) == 0xE0) ? 2 : 0;
    while (from + n <= len) {
        const char *p = memchr(s + from + k, lit[k], len - from - n + 1);
        if (!p)
            break;
        p -= k;
        if (memcmp(p, lit, n) == 0)
            return (size_t)(p - s);
        from = (size_t)(p - s) + 1;
    }
    return len;
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

static void find_published(gd_ctx *c)
{
    gd_report *r = c->rep;
    int y, m, d;
    gd_span sp;
    /* 1. the 落款 date: one of the last non-empty lines */
    size_t end = c->len, seen = 0;
    while (end > 0 && seen < TAIL_LINES) {
        size_t s = line_start(c->text, end);
        line_t ln = {s, end};
        line_t t = trim(c, ln);
        if (t.end > t.start) {
            seen++;
            if (date_line(c, ln, &y, &m, &d, &sp))
                goto found;
        }
        end = s ? s - 1 : 0;
        if (s == 0)
            break;
    }
    /* 2. a date line under the title, 3. a 发布时间 field */
    size_t head = c->len < HEAD_BYTES ? c->len : HEAD_BYTES;
    for (size_t i = 0; i < head;) {
        line_t ln;
        i = next_line(c, i, &ln);
        if (date_line(c, ln, &y, &m, &d, &sp))
            goto found;
        line_t t = trim(c, ln);
        /* every field ends in 时间 or 日期, both E6 97 ..: one search rules
         * out the lines (nearly all) that hold none */
        if (!has_e6_97(c->text, t.start, t.end))
            continue;
        /* 时间 alone only in a web page's box, after its 来源 (source) field */
        static const char *const fields[] = {"发布时间", "发布日期", "成文日期", "发文日期", "时间",
                                             NULL};
        for (const char *const *f = fields; *f; f++) {
            size_t at = find_lit(c->text, t.start, t.end, *f);
            if (at >= t.end)
                continue;
            if (f[1] == NULL && find_lit(c->text, t.start, at, "来源") >= at)
                continue;
            size_t k = at + strlen(*f);
            if (lit_at(c->text, k, t.end, "："))
                k += 3;
            else if (k < t.end && c->text[k] == ':')
                k++;
            k = skip_ws(c->text, k, t.end);
            size_t e = read_date(c->text, k, t.end, &y, &m, &d);
            if (e != k) {
                sp.start = k;
                sp.end = e;
                goto found;
            }
        }
    }
    return;
found:
    r->pub_year = y;
    r->pub_month = m;
    r->pub_day = d;
    r->published_span = sp;
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
    if (!cjk)
        return 0;
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

static int find_agency(gd_ctx *c)
{
    line_t title, prev;
    const char *s = c->text;
    if (find_title(c, &title, &prev)) {
        size_t i = title.start;
        static const char *const labels[] = {"标题：", "标题:", "题目：", NULL};
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
    /* the signature: the line above the closing date */
    if (c->rep->pub_year) {
        size_t e = c->rep->published_span.start;
        while (e > 0 && s[e - 1] != '\n')
            e--;
        while (e > 0) {
            size_t ls = e - 1;
            while (ls > 0 && s[ls - 1] != '\n')
                ls--;
            line_t ln = trim(c, (line_t){ls, e - 1});
            if (ln.end > ln.start) {
                if (ln.end - ln.start <= 90 && set_agency(c, ln.start, ln.end) < 0)
                    return -1;
                break;
            }
            e = ls;
        }
        if (c->rep->agency)
            return 0;
    }
    return page_box(c) < 0 ? -1 : 0;
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

static int find_level(gd_ctx *c)
{
    gd_report *r = c->rep;
    const char *a = r->agency;
    if (!a)
        return 0;
    size_t n = strlen(a), place_end = 0;
    const char *level = NULL;
    /* the longest prefix that ends in a place suffix */
    for (size_t i = 3; i <= n; i++) {
        for (size_t k = 0; k < sizeof places / sizeof places[0]; k++)
            if (ends_with(a, i, places[k].suffix, places[k].len)) {
                place_end = i;
                level = places[k].level;
                break;
            }
    }
    if (place_end <= 3)
        return 0; /* a suffix alone ("区政府办公室") names no place */
    if (strcmp(level, "city") == 0 && is_municipality(a, place_end))
        level = "province";
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

int gd_parse_meta(gd_ctx *c)
{
    find_year(c);
    find_published(c);
    if (find_agency(c) || find_level(c))
        return -1;
    if (!c->rep->year)
        year_before_subject(c);
    if (!c->rep->year && c->rep->pub_year)
        c->rep->year = c->rep->pub_year - 1; /* reports appear early in the next year */
    return c->oom ? -1 : 0;
}
