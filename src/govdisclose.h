/*
 * govdisclose.h -- the one public header of the govdisclose core.
 *
 * The core turns the text of a Chinese government information disclosure
 * annual report (政府信息公开工作年度报告) into the cells of its three standard
 * tables and reconciles them.  It is plain C99 with libc only: no Python.
 *
 * Conventions
 *  - Strings travel as (pointer, length) and are never assumed NUL-terminated.
 *  - Every position is a byte offset into the UTF-8 text given to gd_parse().
 *  - Whatever gd_parse() returns is owned by the caller and released with
 *    gd_report_free(); everything inside a gd_report lives as long as it does.
 *  - The core has no mutable global state: parses may run in parallel threads.
 *  - The core never aborts: out of memory is an error code, not a crash.
 */
#ifndef GOVDISCLOSE_H
#define GOVDISCLOSE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GD_VERSION "0.1.0"

/* ---- Limits, each with its reason ------------------------------------- */

/* Inputs larger than this are refused: no real report is near it, and it
 * keeps every byte offset and token count well inside 32 bits. */
#define GD_MAX_INPUT ((size_t)1 << 30)
/* A number with more digits than this cannot be a count or an amount in a
 * report; it becomes a text cell with a finding instead of a wrong value.
 * 18 digits always fit an int64. */
#define GD_MAX_DIGITS 18
/* A text token longer than this (in bytes) is prose, not a table label --
 * unless a value follows it at once: then a scraper ran the label into the
 * text before it, and the token's last GD_MAX_LABEL_BYTES bytes are read. */
#define GD_MAX_LABEL_BYTES 240
/* Rows of the largest table: table 三 with the rows of both templates. */
#define GD_MAX_ROWS 26
/* Cells of the widest row: the seven applicant columns of table 三. */
#define GD_MAX_COLS 7

/* ---- Templates as data ------------------------------------------------- */

typedef enum {
    GD_TABLE_ACTIVE = 0,   /* 二 主动公开政府信息情况 */
    GD_TABLE_REQUESTS = 1, /* 三 收到和处理政府信息公开申请情况 */
    GD_TABLE_REVIEWS = 2,  /* 四 行政复议、行政诉讼情况 */
    GD_NTABLES = 3
} gd_table_id;

/* Bits naming the national templates a row or column belongs to. */
#define GD_TPL_2019 1u
#define GD_TPL_2021 2u
#define GD_TPL_BOTH (GD_TPL_2019 | GD_TPL_2021)

typedef enum {
    GD_TEMPLATE_UNKNOWN = 0,
    GD_TEMPLATE_2019 = 1,
    GD_TEMPLATE_2021 = 2,
    GD_TEMPLATE_MIXED = 3
} gd_template;

typedef struct {
    const char *id;     /* SCHEMA id: "issued", "natural_person", "upheld" */
    const char *label;  /* the official header, UTF-8 */
    unsigned templates; /* GD_TPL_* bits */
    int money;          /* 1: an amount of money, kept as an exact decimal */
} gd_coldef;

/* Row flags. */
#define GD_ROW_EXACT 1u    /* a key must equal the label once its numbering is cut */
#define GD_ROW_GROUP 2u    /* a group caption: sets context, holds no cells of its own
                              unless the row is also a data row of some template */
#define GD_ROW_NEEDS_GROUP 4u /* matches only while its group is the current one */

typedef struct {
    const char *id;       /* SCHEMA id, dotted: "withheld.state_secret" */
    const char *label;    /* the official label, UTF-8 */
    unsigned templates;   /* GD_TPL_* bits; 0 for a pure group caption */
    const gd_coldef *cols;/* the row's columns (union of both templates) */
    unsigned ncols;
    const char *keys[5];  /* normalised substrings (see gd_normalize), NULL-ended */
    unsigned char group;  /* requests: 3..6 for （三）…（六）, 0 otherwise */
    unsigned char flags;  /* GD_ROW_* */
} gd_rowdef;

typedef struct {
    const char *id;       /* "active", "requests", "reviews" */
    const char *label;    /* the official section heading */
    const gd_rowdef *rows;
    unsigned nrows;
} gd_tabledef;

/* The definition of table t; never NULL for t < GD_NTABLES. */
const gd_tabledef *gd_table_def(gd_table_id t);

/* Identities (勾稽关系): for each column (or each row) of the table,
 * target == sum(sign[i] * term[i]).  Indices are row indices for
 * GD_EACH_COLUMN and column indices for GD_EACH_ROW. */
typedef enum { GD_EACH_COLUMN = 0, GD_EACH_ROW = 1 } gd_each;

/* Terms of the longest identity: （七）总计 = the 22 result rows of both templates. */
#define GD_MAX_TERMS 24
typedef struct {
    const char *code;     /* "requests.balance", ... */
    gd_table_id table;
    gd_each each;
    int target;
    int nterms;
    int terms[GD_MAX_TERMS];
    signed char signs[GD_MAX_TERMS];
    const char *rule;     /* the identity in words, for messages */
} gd_identity;

const gd_identity *gd_identities(size_t *count);

/* ---- Results ------------------------------------------------------------ */

typedef struct {
    size_t start, end; /* byte offsets, end exclusive */
} gd_span;

typedef enum {
    GD_CELL_ABSENT = 0, /* not in the report (row not found, or other template) */
    GD_CELL_NUMBER = 1, /* a number (0 is a number) */
    GD_CELL_EMPTY = 2,  /* a blank cell */
    GD_CELL_NA = 3,     /* a dash or none marker: — - / 无 空 不适用 N/A */
    GD_CELL_TEXT = 4    /* words, or a number we cannot trust */
} gd_cell_kind;

typedef struct {
    gd_cell_kind kind;
    int scale;       /* digits after the decimal point, 0 for integers */
    int64_t units;   /* the value times 10^scale, exact; sign kept */
    gd_span raw;     /* the cell as written, in gd_report.text */
    gd_span note;    /* text besides the number, brackets stripped, in gd_report.text;
                        an empty span when there is none */
    gd_span span;    /* the cell in the input given to gd_parse() (for HTML: the markup) */
} gd_cell;

typedef struct {
    int present;          /* the table was found with at least one value */
    gd_template template; /* which template this table follows */
    gd_span span;         /* from its first to its last recognised token */
    unsigned char row_present[GD_MAX_ROWS];
    gd_cell cells[GD_MAX_ROWS][GD_MAX_COLS];
} gd_table;

typedef enum { GD_INFO = 0, GD_WARNING = 1, GD_ERROR = 2 } gd_severity;

typedef struct {
    const char *code;     /* static string: "requests.balance", "parse.unplaced_number" */
    gd_severity severity;
    int table;            /* gd_table_id, or -1 */
    int row, col;         /* the cell named (-1 when none; col -1 with a row names the row) */
    int has_expected, has_actual;
    int64_t expected, actual;
    gd_span span;         /* where in the text, or {0,0} */
    const char *message;  /* NUL-terminated UTF-8, owned by the report */
} gd_finding;

typedef struct {
    int table;    /* gd_table_id of the region it was seen in */
    gd_span raw;  /* the number as written, in gd_report.text */
    gd_span span; /* the same in the input */
} gd_unplaced;

/* A row a body added to an official table (湖北 2020: 其他主动公开文件):
 * kept with its label and cells, not dropped and not an error. */
typedef struct {
    int table;             /* gd_table_id; -1 for a row of the statistics table (统计表)
                              of a report from before 2019, which has none of the three */
    gd_span label;         /* the label as written, in gd_report.text */
    gd_span label_span;    /* the same in the input */
    size_t ncells;
    gd_cell cells[GD_MAX_COLS];
} gd_extra;

typedef struct gd_report {
    /* The text the parser read: the input itself for GD_FORMAT_TEXT, the
     * text extracted from the markup for HTML and DOCX (owned by the report).
     * raw and note spans point into it; every other span points into the input. */
    const char *text;
    size_t text_len;
    const char *agency;   /* NUL-terminated UTF-8 or NULL; owned by the report */
    gd_span agency_span;
    int year;             /* 0 when unknown */
    gd_span year_span;
    int pub_year, pub_month, pub_day; /* pub_year 0 when unknown */
    gd_span published_span;
    gd_template template;
    gd_table tables[GD_NTABLES];
    gd_finding *findings;
    size_t nfindings;
    gd_unplaced *unplaced;
    size_t nunplaced;
    gd_extra *extras;
    size_t nextras;
    /* Read from the agency's name: "province", "city", "county", "township",
     * "zone" or "department" (static strings), or NULL; and the place it
     * governs or serves ("重庆市大足区"), owned by the report, or NULL. */
    const char *level;
    const char *region;
    struct gd_private *priv; /* allocator and bookkeeping; not for callers */
} gd_report;

/* ---- Parsing ------------------------------------------------------------ */

typedef struct {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t size);
    void (*free)(void *ctx, void *ptr);
    void *ctx;
} gd_allocator;

/* Option flags. */
#define GD_STRICT 1u /* blank and na cells make an identity not checkable */
/* The caller vouches that the input is valid UTF-8 because it made it so (the
 * Python binding encodes a str itself): gd_parse() skips its own check, a
 * pass over the whole input.  Input that is not valid UTF-8 must never come
 * with this flag; bytes from outside always go through the check. */
#define GD_VALID_UTF8 2u

/* What the input is.  HTML and DOCX are turned into text in one pass
 * (tables to rows of cells) before parsing; every span in the report except
 * raw and note still points into the input. */
typedef enum {
    GD_FORMAT_TEXT = 0, /* plain text or markdown */
    GD_FORMAT_HTML = 1, /* an HTML page, already decoded to UTF-8 */
    GD_FORMAT_DOCX = 2  /* word/document.xml of a DOCX file */
} gd_format;

typedef struct {
    unsigned flags;
    const gd_allocator *alloc; /* NULL: libc malloc/realloc/free */
    gd_format format;
} gd_options;

typedef enum {
    GD_OK = 0,
    GD_ERR_NOMEM = 1,    /* an allocation failed; nothing is leaked */
    GD_ERR_UTF8 = 2,     /* the input is not valid UTF-8; *err_offset says where */
    GD_ERR_TOO_LARGE = 3,/* the input is larger than GD_MAX_INPUT */
    GD_ERR_ARG = 4,      /* a NULL pointer where one is not allowed */
    GD_ERR_FORMAT = 5    /* a reader found no document it can read; *why says what it found */
} gd_status;

/* Parse and reconcile one report.  text need not be NUL-terminated and may
 * be NULL when len is 0.  opts may be NULL.  On GD_OK, *out is a report the
 * caller frees with gd_report_free(); on any error *out is NULL and, for
 * GD_ERR_UTF8, *err_offset (if not NULL) is the offset of the first bad byte.
 * The input must stay unchanged while gd_parse() runs; the report refers to
 * it only through spans. */
gd_status gd_parse(const char *text, size_t len, const gd_options *opts,
                   gd_report **out, size_t *err_offset);

/* Offset of the first byte of text[0, len) that is not valid UTF-8 (the
 * start of the character that breaks it), or len when all of it is: the
 * check gd_parse() makes, for a caller that must know before it parses (the
 * binding, on a page whose declared charset its bytes may contradict). */
size_t gd_utf8_invalid_at(const char *text, size_t len);

/* Free a report and everything it owns.  NULL is fine. */
void gd_report_free(gd_report *report);

/* A short English description of a status code (static string). */
const char *gd_status_message(gd_status status);

/* ---- GB18030 (and so GB2312 and GBK) -> UTF-8 --------------------------- */

/* Decoding flag: an invalid or truncated sequence becomes U+FFFD (as Python's
 * errors="replace": an invalid sequence gives one U+FFFD for its first byte
 * and decoding goes on at the next byte; a sequence cut short by the end
 * gives one U+FFFD for all the bytes left).  Without it decoding stops at the
 * first such sequence (as errors="strict"). */
#define GD_GB18030_REPLACE 1u

/* The most bytes gd_gb18030_to_utf8() writes for len bytes of input. */
size_t gd_gb18030_utf8_bound(size_t len, unsigned flags);

/* Decode GB18030 bytes to UTF-8 exactly as Python's gb18030 codec does: ASCII,
 * two-byte sequences (lead 0x81..0xFE, trail 0x40..0x7E or 0x80..0xFE), and
 * four-byte ones (0x81308130..0x8431A439 in the BMP, 0x90308130..0xE3329A35
 * for U+10000..U+10FFFF).  out must hold gd_gb18030_utf8_bound(len, flags)
 * bytes.  Returns the bytes written; *bad (if not NULL) gets the offset of the
 * first byte of the first sequence that does not decode, or (size_t)-1 when
 * all of in does (always so with GD_GB18030_REPLACE).  Without the flag, out
 * then holds the UTF-8 of the bytes before *bad.  Thread-safe, allocates
 * nothing. */
size_t gd_gb18030_to_utf8(const char *in, size_t len, unsigned flags, char *out, size_t *bad);

/* ---- Word 97-2003 (.doc, and WPS files in the same container) -> text ---- */

/* The main text of a Word 97-2003 document (a compound file with a
 * WordDocument stream) as the UTF-8 text gd_parse() reads: paragraphs as
 * lines, table rows as "|cell|cell|" lines (read/doc.c says the rules);
 * headers, footers, notes, comments and field instructions left out.
 * *text (allocated with alloc, NULL: libc malloc; the caller frees it) and
 * *text_len on GD_OK.  GD_ERR_FORMAT when the input is not a Word document
 * it can read (an .xls, a .ppt, an encrypted or Word 95 document, a
 * corrupt or truncated container): *why (if not NULL) is an English
 * sentence naming what was found (a static string).  Also GD_ERR_NOMEM,
 * GD_ERR_TOO_LARGE (more than GD_MAX_INPUT bytes), GD_ERR_ARG.
 * Thread-safe; every integer is read byte by byte (any endianness). */
gd_status gd_doc_to_text(const char *data, size_t len, const gd_allocator *alloc, char **text,
                         size_t *text_len, const char **why);

/* The dotted SCHEMA path of a cell ("requests.total.natural_person"), of a
 * row when col < 0, or of a table when row < 0, written NUL-terminated into
 * buf.  Returns the length it needs (like snprintf). */
size_t gd_cell_path(int table, int row, int col, char *buf, size_t size);

/* Normalise a label for matching: full-width ASCII folded to ASCII, ideographic
 * space and all white space removed, quotes removed, 、．and ． folded to '.'.
 * Writes at most cap bytes to out and returns the length written. */
size_t gd_normalize(const char *s, size_t len, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* GOVDISCLOSE_H */
