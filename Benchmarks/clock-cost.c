// What one CLOCK_MONOTONIC read costs on this machine (tierbench reads the clock at most twice
// per batch; multiply by the JSON's clock_reads_per_io for the cost per I/O).
// cc -O2 -o /tmp/clock-cost Benchmarks/clock-cost.c && /tmp/clock-cost
#include <stdio.h>
#include <time.h>

int main(void) {
    enum { N = 20000000 };
    struct timespec a, b, t;
    unsigned long sink = 0;
    for (int round = 0; round < 3; round++) {
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (int i = 0; i < N; i++) { clock_gettime(CLOCK_MONOTONIC, &t); sink += (unsigned long)t.tv_nsec; }
        clock_gettime(CLOCK_MONOTONIC, &b);
        double ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / N;
        printf("round %d: %.1f ns per clock_gettime(CLOCK_MONOTONIC)\n", round + 1, ns);
    }
    return sink == 42;
}
