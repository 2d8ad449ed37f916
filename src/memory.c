/*
 * memory.c -- every byte a parse takes goes through the caller's allocator.
 */
#include "internal.h"

#include <stdlib.h>

/* ---- Allocation: every byte goes through the caller's allocator ---- */

static void *libc_malloc(void *ctx, size_t n) { (void)ctx; return malloc(n); }
static void *libc_realloc(void *ctx, void *p, size_t n) { (void)ctx; return realloc(p, n); }
static void libc_free(void *ctx, void *p) { (void)ctx; free(p); }
const gd_allocator gd_libc_allocator = {libc_malloc, libc_realloc, libc_free, NULL};

void *gd_malloc(gd_ctx *c, size_t n)
{
    void *p = c->alloc->malloc(c->alloc->ctx, n ? n : 1);
    if (!p)
        c->oom = 1;
    return p;
}

void gd_free(gd_ctx *c, void *p)
{
    if (p)
        c->alloc->free(c->alloc->ctx, p);
}

/* Grow *arr (elements of size sz) so that it holds at least need elements. */
int gd_grow(gd_ctx *c, void **arr, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *p = c->alloc->realloc(c->alloc->ctx, *arr, ncap * sz);
    if (!p) {
        c->oom = 1;
        return -1;
    }
    *arr = p;
    *cap = ncap;
    return 0;
}
