// Short-lived processes at a given rate: fork, (every other one) unshare(CLONE_NEWNS), _exit.
// usage: forker RATE ; prints "procs N" (total) every second on stdout.
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
  long rate = argc > 1 ? atol(argv[1]) : 5000, n = 0;
  signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
  double start = now(), last = start;
  for (;;) {
    double t = now();
    long due = (long)((t - start) * rate);
    for (; n < due; n++) {
      pid_t p = fork();
      if (p == 0) {
        if (n % 2) unshare(CLONE_NEWNS);
        _exit(0);
      }
      if (p < 0) usleep(1000);
    }
    if (t - last >= 1) { printf("procs %ld\n", n); fflush(stdout); last = t; }
    usleep(2000);
  }
}
