/* markup.c -- stub: HTML and DOCX to text is being written. */
#include "internal.h"

#include <string.h>

int gd_markup_to_text(gd_ctx *c)
{
    char *text = gd_malloc(c, c->src_len + 1);
    uint32_t *map = gd_malloc(c, (c->src_len + 1) * sizeof *map);
    if (!text || !map) {
        gd_free(c, text);
        gd_free(c, map);
        return -1;
    }
    memcpy(text, c->src, c->src_len);
    for (size_t i = 0; i <= c->src_len; i++)
        map[i] = (uint32_t)i;
    c->text = text;
    c->len = c->src_len;
    c->map = map;
    return 0;
}
