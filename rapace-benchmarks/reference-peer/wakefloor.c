// The floor of a first call after idle on this machine, in C: a process that spins for the answer wakes one asleep
// in FUTEX_WAIT on a shared word (the wake extension's consumer), which answers at once; ROUNDS rounds, each after
// GAP_MS of idleness. Prints the latency percentiles and the FUTEX_WAKE system call's own time.
// Build and run: gcc -std=c11 -O2 -Wall -o wakefloor wakefloor.c && ./wakefloor 20 2000
// (docs/BENCHMARKS.md, "The wake path, compiled"). C11 and Linux only; no Rust crate or library needed.
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
struct shared { _Atomic uint32_t seq; _Atomic uint32_t waiting; _Atomic uint32_t req; _Atomic uint32_t ans; };
static long futex(void *a, int op, uint32_t v) { return syscall(SYS_futex, a, op, v, NULL, NULL, 0); }
static uint64_t now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000ull + t.tv_nsec; }
static int cmp(const void *a, const void *b) { uint64_t x = *(uint64_t *)a, y = *(uint64_t *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 50; int gap = argc > 2 ? atoi(argv[2]) : 20;
    struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pid_t child = fork();
    if (child == 0) {  // server: sleep until a request, answer it
        uint32_t served = 0;
        for (;;) {
            while (atomic_load(&s->req) == served) {
                uint32_t seq = atomic_load(&s->seq);
                atomic_store(&s->waiting, 1);
                if (atomic_load(&s->req) != served) { atomic_store(&s->waiting, 0); break; }
                futex(&s->seq, FUTEX_WAIT, seq);
                atomic_store(&s->waiting, 0);
            }
            served = atomic_load(&s->req);
            if (served == 0xffffffff) _exit(0);
            atomic_store(&s->ans, served);
        }
    }
    uint64_t *lat = calloc(rounds, sizeof *lat); uint64_t *wk = calloc(rounds, sizeof *wk);
    for (int i = 1; i <= rounds; i++) {
        usleep(gap * 1000);
        uint64_t t0 = now();
        atomic_store(&s->req, i);
        if (atomic_load(&s->waiting)) { atomic_fetch_add(&s->seq, 1); uint64_t w0 = now(); futex(&s->seq, FUTEX_WAKE, 1); wk[i - 1] = now() - w0; }
        while (atomic_load(&s->ans) != (uint32_t) i) { }
        lat[i - 1] = now() - t0;
    }
    atomic_store(&s->req, 0xffffffff); atomic_fetch_add(&s->seq, 1); futex(&s->seq, FUTEX_WAKE, 1); waitpid(child, NULL, 0);
    qsort(lat, rounds, sizeof *lat, cmp);
    printf("gap %d ms, %d rounds: min %.1f p10 %.1f median %.1f p90 %.1f max %.1f us\n", gap, rounds, lat[0] / 1e3,
        lat[rounds / 10] / 1e3, lat[rounds / 2] / 1e3, lat[rounds * 9 / 10] / 1e3, lat[rounds - 1] / 1e3);
    qsort(wk, rounds, sizeof *wk, cmp);
    printf("  FUTEX_WAKE syscall: min %.1f median %.1f max %.1f us\n", wk[0] / 1e3, wk[rounds / 2] / 1e3, wk[rounds - 1] / 1e3);
    return 0;
}
