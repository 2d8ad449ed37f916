/*
 * report.c -- gd_parse(): validate the input, run the stages, own the memory.
 */
#include "internal.h"
#include "trad.h"

#include <string.h>

/* ---- The entry point ---- */

const char *gd_status_message(gd_status status)
{
    switch (status) {
    case GD_OK: return "ok";
    case GD_ERR_NOMEM: return "out of memory";
    case GD_ERR_UTF8: return "input is not valid UTF-8";
    case GD_ERR_TOO_LARGE: return "input is larger than the core accepts (GD_MAX_INPUT)";
    case GD_ERR_ARG: return "invalid argument";
    case GD_ERR_FORMAT: return "the input is no document the reader can read";
    }
    return "unknown status";
}

/* ---- Spans back to the input ---- */

/* A span in the text the stages read, as offsets into the input. */
static gd_span to_source(const gd_ctx *c, gd_span sp)
{
    /* {0,0} is "no place" (a finding about the whole report, an agency not
     * found): it stays {0,0}, not the offset where the input's text begins */
    if (!c->map || (sp.start == 0 && sp.end == 0))
        return sp;
    gd_span out;
    if (sp.start >= c->len)
        sp.start = c->len;
    if (sp.end > c->len)
        sp.end = c->len;
    out.start = c->map[sp.start];
    if (sp.end <= sp.start) {
        out.end = out.start;
        return out;
    }
    /* just past the source of the last byte: a whole UTF-8 character or entity */
    size_t e = c->map[sp.end - 1];
    if (e < c->src_len && c->src[e] == '&') {
        const char *semi = memchr(c->src + e, ';', c->src_len - e < 12 ? c->src_len - e : 12);
        e = semi ? (size_t)(semi - c->src) + 1 : e + 1;
    } else {
        e++;
        while (e < c->src_len && ((unsigned char)c->src[e] & 0xC0) == 0x80)
            e++;
    }
    out.end = e < out.start ? out.start : e;
    return out;
}

static void map_spans(gd_ctx *c)
{
    gd_report *r = c->rep;
    for (int t = 0; t < GD_NTABLES; t++) {
        gd_table *tab = &r->tables[t];
        tab->span = to_source(c, tab->span);
        for (int row = 0; row < GD_MAX_ROWS; row++)
            for (int col = 0; col < GD_MAX_COLS; col++)
                if (tab->cells[row][col].kind != GD_CELL_ABSENT)
                    tab->cells[row][col].span = to_source(c, tab->cells[row][col].raw);
    }
    for (size_t i = 0; i < r->nunplaced; i++)
        r->unplaced[i].span = to_source(c, r->unplaced[i].raw);
    for (size_t i = 0; i < r->nextras; i++) {
        gd_extra *x = &r->extras[i];
        x->label_span = to_source(c, x->label);
        for (size_t k = 0; k < x->ncells; k++)
            x->cells[k].span = to_source(c, x->cells[k].raw);
    }
    for (size_t i = 0; i < r->nfindings; i++)
        r->findings[i].span = to_source(c, r->findings[i].span);
    r->agency_span = to_source(c, r->agency_span);
    r->year_span = to_source(c, r->year_span);
    if (!c->published_in_src)
        r->published_span = to_source(c, r->published_span);
    r->dated_span = to_source(c, r->dated_span);
}

void gd_report_free(gd_report *r)
{
    if (!r)
        return;
    gd_allocator a = r->priv->alloc;
    for (size_t i = 0; i < r->nfindings; i++)
        a.free(a.ctx, (void *)r->findings[i].message);
    if (r->findings)
        a.free(a.ctx, r->findings);
    if (r->unplaced)
        a.free(a.ctx, r->unplaced);
    if (r->priv->agency)
        a.free(a.ctx, r->priv->agency);
    if (r->priv->text)
        a.free(a.ctx, r->priv->text);
    if (r->priv->region)
        a.free(a.ctx, r->priv->region);
    if (r->extras)
        a.free(a.ctx, r->extras);
    a.free(a.ctx, r->priv);
    a.free(a.ctx, r);
}

/* ---- The stages, and a second reading with traditional characters folded ---- */

static gd_report *new_report(const gd_allocator *a)
{
    gd_report *r = a->malloc(a->ctx, sizeof *r);
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    r->priv = a->malloc(a->ctx, sizeof *r->priv);
    if (!r->priv) {
        a->free(a->ctx, r);
        return NULL;
    }
    memset(r->priv, 0, sizeof *r->priv);
    r->priv->alloc = *a;
    return r;
}

/* 0, or -1 when a stage stopped (out of memory). */
static int run_stages(gd_ctx *c)
{
    return gd_lex_text(c) == 0 && gd_parse_tables(c) == 0 && gd_parse_meta(c) == 0 &&
                   gd_check(c) == 0 && gd_check_prose(c) == 0 && gd_check_deadline(c) == 0 &&
                   gd_check_sections(c) == 0
               ? 0
               : -1;
}

/* Did the reading miss something that traditional characters could hide:
 * the agency, the year, a table (unless the report predates the templates)
 * or a row?  A report read completely is never searched for them, so
 * simplified text pays nothing; numbers left unplaced alone do not count
 * (they are common, and a row whose label is traditional is missing too). */
static int wants_folding(const gd_report *r)
{
    if (!r->agency || !r->year)
        return 1;
    int missing_table = 0;
    for (int t = 0; t < GD_NTABLES; t++)
        missing_table |= !r->tables[t].present;
    for (size_t i = 0; i < r->nfindings; i++) {
        if (strcmp(r->findings[i].code, "parse.missing_row") == 0)
            return 1;
        if (strcmp(r->findings[i].code, "parse.pre_template") == 0)
            missing_table = 0; /* its tables are not the templates' */
    }
    return missing_table;
}

/* The characters of the NUL-terminated copy `name`, which set_agency made
 * from folded[start, end) leaving out white space and control bytes, as
 * the original text writes them: the same bytes everywhere but in folded
 * characters, which keep their length. */
static void unfold_copy(char *name, const char *orig, const char *folded, size_t start,
                        size_t end)
{
    size_t j = 0, n;
    for (size_t i = start; i < end && name[j]; i += n) {
        gd_utf8_decode(folded, end, i, &n);
        if (memcmp(folded + i, name + j, n) == 0) { /* a character the copy kept */
            memcpy(name + j, orig + i, n);
            j += n;
        }
    }
}

/* When the text holds traditional characters of trad.h's table, read a
 * copy with them folded to simplified ones (the same offsets) into a new
 * report that replaces c->rep.  Every span, raw text and note still points
 * into the original text, and the agency is copied as the original writes
 * it.  0, or -1 on out of memory. */
static int parse_folded(gd_ctx *c)
{
    size_t ntrad = gd_trad_count_in(c->text, c->len, 1);
    if (!ntrad)
        return 0;
    char *folded = gd_malloc(c, c->len ? c->len : 1);
    gd_report *r = folded ? new_report(c->alloc) : NULL;
    if (!r) {
        gd_free(c, folded);
        c->oom = 1;
        return -1;
    }
    ntrad = gd_trad_fold(c->text, c->len, folded);
    gd_report *old = c->rep;
    const char *orig = c->text;
    r->priv->text = old->priv->text; /* the extracted text moves to the new report */
    old->priv->text = NULL;
    gd_report_free(old);
    r->text = orig;
    r->text_len = c->len;
    c->rep = r;
    c->ntoks = 0;
    c->norm_used = 0;
    memset(c->uncertain, 0, sizeof c->uncertain);
    memset(c->empty_region, 0, sizeof c->empty_region);
    memset(c->empty_cells_from, 0, sizeof c->empty_cells_from);
    c->split_budget = GD_SPLIT_PARSE_BUDGET;
    c->text = folded;
    int rc = run_stages(c);
    c->text = orig;
    if (rc == 0 && r->agency) {
        unfold_copy(r->priv->agency, orig, folded, r->agency_span.start, r->agency_span.end);
        if (r->priv->region) /* a prefix of the agency's name */
            memcpy(r->priv->region, r->agency, strlen(r->priv->region));
    }
    if (rc == 0 && gd_add_finding(c, "parse.traditional", GD_INFO, -1, -1, -1, NULL, NULL,
                                  (gd_span){0, 0},
                                  "the text writes %zu traditional characters of the "
                                  "template's words; they were read as their simplified forms",
                                  ntrad))
        rc = -1;
    gd_free(c, folded);
    return rc;
}


gd_status gd_parse(const char *text, size_t len, const gd_options *opts, gd_report **out,
                   size_t *err_offset)
{
    if (!out)
        return GD_ERR_ARG;
    *out = NULL;
    if (!text && len)
        return GD_ERR_ARG;
    if (len > GD_MAX_INPUT)
        return GD_ERR_TOO_LARGE;
    if (!text)
        text = "";
    size_t bad = opts && (opts->flags & GD_VALID_UTF8) ? len : gd_utf8_invalid_at(text, len);
    if (bad != len) {
        if (err_offset)
            *err_offset = bad;
        return GD_ERR_UTF8;
    }

    gd_ctx c;
    memset(&c, 0, sizeof c);
    c.text = c.src = text;
    c.len = c.src_len = len;
    c.flags = opts ? opts->flags : 0;
    c.format = opts ? opts->format : GD_FORMAT_TEXT;
    c.split_budget = GD_SPLIT_PARSE_BUDGET;
    if (c.format != GD_FORMAT_TEXT && c.format != GD_FORMAT_HTML && c.format != GD_FORMAT_DOCX)
        return GD_ERR_ARG;
    c.alloc = opts && opts->alloc ? opts->alloc : &gd_libc_allocator;

    gd_report *r = new_report(c.alloc);
    if (!r)
        return GD_ERR_NOMEM;
    c.rep = r;

    if (c.format != GD_FORMAT_TEXT && gd_markup_to_text(&c) == 0)
        r->priv->text = (char *)c.text; /* the report keeps the text its spans point into */
    r->text = c.text;
    r->text_len = c.len;
    int done = !c.oom && run_stages(&c) == 0;
    if (done && wants_folding(r))
        done = parse_folded(&c) == 0;
    if (done)
        map_spans(&c);

    gd_free(&c, c.toks);
    gd_free(&c, c.map);
    gd_free(&c, c.norm);
    r = c.rep; /* parse_folded may have replaced it */
    if (c.oom) {
        gd_report_free(r);
        return GD_ERR_NOMEM;
    }
    *out = r;
    return GD_OK;
}
