/*
 * glued.c -- split digits that a scraper ran together ("640020470" is
 * 64 | 0 | 0 | 2 | 0 | 4 | 70) when, and only when, the table's own
 * identity forces the split.
 *
 * Input: groups of digits (white space in the text is a hard boundary: a
 * number never spans it), the number of cells wanted and the identity that
 * must hold.  A cell has no leading zero unless it is "0".  The search keeps
 * up to `max` solutions and stops past it: one is a forced split; more are
 * candidates the caller may narrow with the table's column identities.
 */
#include "internal.h"

#include <string.h>

/* Bound on the search steps of one split: past it the digits count as
 * ambiguous.  The caller also passes what is left of a budget for the whole
 * parse, so that a document of many long runs stays linear. */
#define SPLIT_BUDGET 50000

typedef struct {
    const char *s;
    const gd_span *groups;
    size_t ngroups;
    int nparts;
    gd_split_rule rule;
    long steps;
    int found, max;
    long budget;      /* steps this split may take */
    int64_t sum;      /* of the parts placed so far (GD_SPLIT_LAST_IS_SUM) */
    size_t after[32]; /* digits in the groups after group g */
    gd_span cur[GD_SPLIT_MAX_PARTS];
    int64_t val[GD_SPLIT_MAX_PARTS];
    gd_span *out;
    int64_t *outval;
} splitter;

/* Does the identity hold for the parts placed so far (checked as groups close)? */
static int rule_holds(const splitter *sp, int placed)
{
    switch (sp->rule) {
    case GD_SPLIT_FREE:
        return 1;
    case GD_SPLIT_LAST_IS_SUM:
        if (placed < sp->nparts)
            return 1;
        {
            int64_t sum = 0;
            for (int k = 0; k < sp->nparts - 1; k++)
                sum += sp->val[k];
            return sum == sp->val[sp->nparts - 1];
        }
    case GD_SPLIT_FIVES:
        if (placed % 5 != 0)
            return 1;
        {
            int b = placed - 5;
            return sp->val[b] + sp->val[b + 1] + sp->val[b + 2] + sp->val[b + 3] == sp->val[b + 4];
        }
    }
    return 0;
}

static size_t digits_left(const splitter *sp, size_t g, size_t pos)
{
    return sp->groups[g].end - pos + sp->after[g];
}

/* Place part number `part` starting at byte pos of group g. */
static void search(splitter *sp, int part, size_t g, size_t pos)
{
    if (sp->found > sp->max || ++sp->steps > sp->budget) {
        sp->found = sp->max + 1;
        return;
    }
    if (pos == sp->groups[g].end) {
        if (g + 1 == sp->ngroups) {
            if (part == sp->nparts && ++sp->found <= sp->max) {
                size_t at = (size_t)(sp->found - 1) * (size_t)sp->nparts;
                memcpy(sp->out + at, sp->cur, sizeof(gd_span) * (size_t)sp->nparts);
                memcpy(sp->outval + at, sp->val, sizeof(int64_t) * (size_t)sp->nparts);
            }
            return;
        }
        g++;
        pos = sp->groups[g].start;
    }
    if (part == sp->nparts)
        return;
    size_t left = digits_left(sp, g, pos);
    int parts_left = sp->nparts - part;
    if (left < (size_t)parts_left || left > (size_t)parts_left * GD_MAX_DIGITS)
        return;
    size_t end = sp->groups[g].end;
    int64_t v = 0;
    for (size_t e = pos + 1; e <= end && e - pos <= GD_MAX_DIGITS; e++) {
        v = v * 10 + (sp->s[e - 1] - '0');
        if (e - pos > 1 && sp->s[pos] == '0')
            break; /* no leading zeros */
        sp->cur[part].start = pos;
        sp->cur[part].end = e;
        sp->val[part] = v;
        if (sp->rule == GD_SPLIT_LAST_IS_SUM && part < sp->nparts - 1) {
            /* the total, last, has at most the digits the other parts leave:
             * a sum already past the largest such number cannot close */
            size_t left_after = digits_left(sp, g, e);
            int others = sp->nparts - 2 - part;
            size_t total_digits = left_after > (size_t)others ? left_after - (size_t)others : 0;
            if (total_digits < GD_MAX_DIGITS) {
                int64_t most = 1;
                for (size_t q = 0; q < total_digits; q++)
                    most *= 10;
                if (sp->sum + v > most - 1)
                    break; /* longer parts only make it larger */
            }
            sp->sum += v;
            search(sp, part + 1, g, e);
            sp->sum -= v;
        } else if (rule_holds(sp, part + 1)) {
            search(sp, part + 1, g, e);
        }
        if (sp->found > sp->max)
            return;
    }
}

int gd_split_digits(const char *s, const gd_span *groups, size_t ngroups, int nparts,
                    gd_split_rule rule, int max, gd_span *out, int64_t *values, long *budget)
{
    if (nparts <= 0 || nparts > GD_SPLIT_MAX_PARTS || ngroups == 0 || max < 1)
        return 0;
    for (size_t k = 0; k < ngroups; k++)
        for (size_t i = groups[k].start; i < groups[k].end; i++)
            if (s[i] < '0' || s[i] > '9')
                return 0;
    if (ngroups > 32)
        return 0;
    splitter sp;
    memset(&sp, 0, sizeof sp);
    for (size_t k = ngroups; k-- > 0;)
        sp.after[k] = k + 1 < ngroups ? sp.after[k + 1] + (groups[k + 1].end - groups[k + 1].start) : 0;
    sp.s = s;
    sp.groups = groups;
    sp.ngroups = ngroups;
    sp.nparts = nparts;
    sp.rule = rule;
    sp.out = out;
    sp.outval = values;
    sp.max = max;
    sp.budget = *budget < SPLIT_BUDGET ? *budget : SPLIT_BUDGET;
    if (sp.budget <= 0)
        return max + 1; /* the parse spent its budget: ambiguous */
    search(&sp, 0, 0, groups[0].start);
    *budget -= sp.steps;
    return sp.found;
}
