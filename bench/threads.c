// Thread churn for bench/watch.mjs: RATE pthread_create+join per second for SECS seconds, nothing else
// (no process, no mount changes): what a busy JVM or Go server does all day.
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static void *noop(void *a) { return a; }
int main(int argc, char **argv) {
  int rate = argc > 1 ? atoi(argv[1]) : 4000, secs = argc > 2 ? atoi(argv[2]) : 10;
  struct timespec t0; clock_gettime(CLOCK_MONOTONIC, &t0);
  long n = 0;
  for (;;) {
    struct timespec now; clock_gettime(CLOCK_MONOTONIC, &now);
    double el = (now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9;
    if (el >= secs) break;
    if (n < el * rate) { pthread_t t; pthread_create(&t, 0, noop, 0); pthread_join(t, 0); n++; }
    else usleep(200);
  }
  return 0;
}
