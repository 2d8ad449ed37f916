/*
 * dump.c -- print what the core reads from a file: every cell, finding and
 * unplaced number.  For looking at a fuzz input by hand:
 *
 *   make -C tests/fuzz build/dump && tests/fuzz/build/dump [--html|--docx] [--strict] FILE
 *   FUZZ_CHECK_PRINT=1 build/fuzz_check INPUT 2> x; (cut the report out of x) build/dump report.txt
 */
#include "govdisclose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {"absent", "number", "empty", "na", "text"};

int main(int argc, char **argv)
{
    gd_options o = {0, NULL, GD_FORMAT_TEXT};
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--html"))
            o.format = GD_FORMAT_HTML;
        else if (!strcmp(argv[i], "--docx"))
            o.format = GD_FORMAT_DOCX;
        else if (!strcmp(argv[i], "--strict"))
            o.flags |= GD_STRICT;
        else
            path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: dump [--html|--docx] [--strict] FILE\n");
        return 2;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    size_t cap = 1 << 16, len = 0, n;
    char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0)
        if ((len += n) == cap)
            buf = realloc(buf, cap *= 2);
    fclose(f);
    if (!buf)
        return 2;
    gd_report *r;
    size_t off = 0;
    gd_status st = gd_parse(buf, len, &o, &r, &off);
    if (st != GD_OK) {
        printf("status %d: %s (offset %zu)\n", (int)st, gd_status_message(st), off);
        return 1;
    }
    printf("agency %s, year %d, template %d\n", r->agency ? r->agency : "-", r->year,
           (int)r->template);
    char path_buf[128];
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_table *tab = &r->tables[t];
        printf("table %d: present %d, template %d, span [%zu, %zu)\n", t, tab->present,
               (int)tab->template, tab->span.start, tab->span.end);
        for (int row = 0; row < GD_MAX_ROWS; row++)
            for (int col = 0; col < GD_MAX_COLS; col++) {
                const gd_cell *c = &tab->cells[row][col];
                if (c->kind == GD_CELL_ABSENT)
                    continue;
                gd_cell_path(t, row, col, path_buf, sizeof path_buf);
                printf("  %-48s %-6s %lld/10^%d '%.*s' [%zu, %zu)\n", path_buf, kinds[c->kind],
                       (long long)c->units, c->scale, (int)(c->raw.end - c->raw.start),
                       r->text + c->raw.start, c->span.start, c->span.end);
            }
    }
    for (size_t i = 0; i < r->nfindings; i++)
        printf("finding %s (%d) t%d r%d c%d: %s\n", r->findings[i].code,
               (int)r->findings[i].severity, r->findings[i].table, r->findings[i].row,
               r->findings[i].col, r->findings[i].message);
    for (size_t i = 0; i < r->nunplaced; i++)
        printf("unplaced t%d '%.*s' [%zu, %zu)\n", r->unplaced[i].table,
               (int)(r->unplaced[i].raw.end - r->unplaced[i].raw.start),
               r->text + r->unplaced[i].raw.start, r->unplaced[i].span.start,
               r->unplaced[i].span.end);
    gd_report_free(r);
    free(buf);
    return 0;
}
