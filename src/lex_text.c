/* lex_text.c -- stub, being written */
#include "internal.h"
int gd_lex_text(gd_ctx *c) { (void)c; return 0; }
