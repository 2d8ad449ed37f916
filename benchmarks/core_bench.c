/*
 * core_bench.c -- time gd_parse() alone: no Python, no objects but the core's.
 *
 * benchmarks/run.py compiles this at run time against the core (src/, every .c)
 * (cc -O2 -Isrc src/[a-z]*.c benchmarks/core_bench.c -lpthread) and runs it on the
 * same inputs it gives govdisclose.parse, so the difference between the two is
 * what the binding and the Python layer cost.
 *
 *   core_bench [-f text|html|docx] [-n REPORTS] [-t THREADS] [-r ROUNDS] FILE...
 *
 * Reads every FILE into memory first, then parses them in turn, over and over,
 * until REPORTS reports have been parsed (each one gd_parse + gd_report_free).
 * With -t N the same work is split over N threads (each thread parses
 * REPORTS / N reports), to show how the core itself scales.  The best of
 * ROUNDS rounds is printed as one line of key=value pairs, wall-clock seconds
 * and the process's CPU seconds (all threads; on a shared machine the CPU time
 * of one thread is the steadier figure of what a core does):
 *
 *   format=text reports=3000 bytes=27000000 seconds=0.41 cpu_seconds=0.40 threads=1 checksum=...
 *
 * checksum (cells and findings seen) keeps the compiler from dropping the work
 * and lets run.py check that the driver read the reports as the binding does.
 * Under valgrind --tool=callgrind, run it with -r 1 and a small -n: callgrind
 * counts instructions, so one round is as exact as a hundred.
 */
#define _POSIX_C_SOURCE 200809L
#include "govdisclose.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char *data;
    size_t len;
} input;

typedef struct {
    const input *inputs;
    size_t ninputs;
    size_t first;   /* index of the first input this thread parses */
    size_t reports; /* how many reports it parses */
    gd_format format;
    unsigned long long checksum;
    int failed;
} job;

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int read_file(const char *path, input *out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len < cap)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (buf == NULL || bad) {
        free(buf);
        return -1;
    }
    out->data = buf;
    out->len = len;
    return 0;
}

/* What a report holds, folded into one number. */
static unsigned long long digest(const gd_report *r)
{
    unsigned long long h = (unsigned long long)r->nfindings * 1000003u + r->nunplaced;
    for (int t = 0; t < GD_NTABLES; t++)
        for (int row = 0; row < GD_MAX_ROWS; row++)
            for (int col = 0; col < GD_MAX_COLS; col++) {
                const gd_cell *c = &r->tables[t].cells[row][col];
                if (c->kind != GD_CELL_ABSENT)
                    h = h * 31u + (unsigned long long)c->units + (unsigned)c->kind;
            }
    return h;
}

static void *run_job(void *arg)
{
    job *j = arg;
    gd_options opts = {0u, NULL, j->format};
    for (size_t k = 0; k < j->reports; k++) {
        const input *in = &j->inputs[(j->first + k) % j->ninputs];
        gd_report *rep = NULL;
        size_t err = 0;
        if (gd_parse(in->data, in->len, &opts, &rep, &err) != GD_OK) {
            j->failed = 1;
            return NULL;
        }
        j->checksum += digest(rep);
        gd_report_free(rep);
    }
    return NULL;
}

static int usage(void)
{
    fprintf(stderr, "usage: core_bench [-f text|html|docx] [-n REPORTS] [-t THREADS] "
                    "[-r ROUNDS] FILE...\n");
    return 2;
}

int main(int argc, char **argv)
{
    gd_format format = GD_FORMAT_TEXT;
    const char *format_name = "text";
    size_t reports = 1000, threads = 1, rounds = 3;
    int a = 1;
    for (; a < argc && argv[a][0] == '-'; a += 2) {
        if (a + 1 >= argc)
            return usage();
        const char *v = argv[a + 1];
        if (strcmp(argv[a], "-f") == 0) {
            format_name = v;
            if (strcmp(v, "text") == 0)
                format = GD_FORMAT_TEXT;
            else if (strcmp(v, "html") == 0)
                format = GD_FORMAT_HTML;
            else if (strcmp(v, "docx") == 0)
                format = GD_FORMAT_DOCX;
            else
                return usage();
        } else if (strcmp(argv[a], "-n") == 0) {
            reports = strtoul(v, NULL, 10);
        } else if (strcmp(argv[a], "-t") == 0) {
            threads = strtoul(v, NULL, 10);
        } else if (strcmp(argv[a], "-r") == 0) {
            rounds = strtoul(v, NULL, 10);
        } else {
            return usage();
        }
    }
    size_t ninputs = (size_t)(argc - a);
    if (ninputs == 0 || reports == 0 || threads == 0 || threads > 64 || rounds == 0)
        return usage();

    input *inputs = calloc(ninputs, sizeof *inputs);
    if (inputs == NULL)
        return 1;
    size_t total_bytes = 0;
    for (size_t i = 0; i < ninputs; i++) {
        if (read_file(argv[a + (int)i], &inputs[i]) != 0) {
            fprintf(stderr, "core_bench: cannot read %s\n", argv[a + (int)i]);
            return 1;
        }
        total_bytes += inputs[i].len;
    }
    /* The bytes parsed: whole passes over the inputs plus the partial last one. */
    size_t bytes = (reports / ninputs) * total_bytes;
    for (size_t i = 0; i < reports % ninputs; i++)
        bytes += inputs[i].len;

    double best = -1.0, best_cpu = -1.0;
    unsigned long long checksum = 0;
    job jobs[64];
    pthread_t tids[64];
    for (size_t round = 0; round < rounds; round++) {
        size_t first = 0;
        for (size_t t = 0; t < threads; t++) {
            size_t share = reports / threads + (t < reports % threads);
            jobs[t] = (job){inputs, ninputs, first, share, format, 0, 0};
            first += share;
        }
        double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        for (size_t t = 1; t < threads; t++) {
            if (pthread_create(&tids[t], NULL, run_job, &jobs[t]) != 0) {
                fprintf(stderr, "core_bench: cannot start a thread\n");
                return 1;
            }
        }
        run_job(&jobs[0]);
        for (size_t t = 1; t < threads; t++)
            pthread_join(tids[t], NULL);
        double dt = clock_s(CLOCK_MONOTONIC) - t0;
        double dc = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        checksum = 0;
        for (size_t t = 0; t < threads; t++) {
            if (jobs[t].failed) {
                fprintf(stderr, "core_bench: gd_parse failed\n");
                return 1;
            }
            checksum += jobs[t].checksum;
        }
        if (best < 0 || dt < best)
            best = dt;
        if (best_cpu < 0 || dc < best_cpu)
            best_cpu = dc;
    }
    printf("format=%s reports=%zu bytes=%zu seconds=%.6f cpu_seconds=%.6f threads=%zu "
           "checksum=%llu\n",
           format_name, reports, bytes, best, best_cpu, threads, checksum);
    for (size_t i = 0; i < ninputs; i++)
        free(inputs[i].data);
    free(inputs);
    return 0;
}
