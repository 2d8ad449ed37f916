/*
 * report.c -- gd_parse(): validate the input, run the stages, own the memory.
 */
#include "internal.h"

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
    if (!c->map)
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
    r->published_span = to_source(c, r->published_span);
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

    gd_report *r = c.alloc->malloc(c.alloc->ctx, sizeof *r);
    if (!r)
        return GD_ERR_NOMEM;
    memset(r, 0, sizeof *r);
    r->priv = c.alloc->malloc(c.alloc->ctx, sizeof *r->priv);
    if (!r->priv) {
        c.alloc->free(c.alloc->ctx, r);
        return GD_ERR_NOMEM;
    }
    memset(r->priv, 0, sizeof *r->priv);
    r->priv->alloc = *c.alloc;
    c.rep = r;

    if (c.format != GD_FORMAT_TEXT && gd_markup_to_text(&c) == 0)
        r->priv->text = (char *)c.text; /* the report keeps the text its spans point into */
    r->text = c.text;
    r->text_len = c.len;
    if (!c.oom && gd_lex_text(&c) == 0 && gd_parse_tables(&c) == 0 && gd_parse_meta(&c) == 0 &&
        gd_check(&c) == 0 && gd_check_prose(&c) == 0)
        map_spans(&c);

    gd_free(&c, c.toks);
    gd_free(&c, c.map);
    gd_free(&c, c.norm);
    if (c.oom) {
        gd_report_free(r);
        return GD_ERR_NOMEM;
    }
    *out = r;
    return GD_OK;
}
