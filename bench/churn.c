// Churn at a given rate, for the soak benchmark (Python tops out far below it):
//   churn procs RATE       fork; every other child unshare(CLONE_NEWNS)s; all _exit at once
//   churn mounts RATE DIR  mount a tmpfs on DIR/cN and unmount it again, RATE pairs a second
// Prints "procs N" or "mounts N" (totals) every second; runs until killed.
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int mounts = strcmp(argv[1], "mounts") == 0;
  long rate = atol(argv[2]), n = 0;
  if (mounts && argc < 4) return 2;
  char path[4096];
  signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
  double start = now(), last = start;
  for (;;) {
    double t = now();
    long due = (long)((t - start) * rate);
    /* Behind the rate (a busy machine), catch up, but still report every second. */
    for (; n < due && now() - last < 1; n++) {
      if (mounts) {
        snprintf(path, sizeof path, "%s/c%ld", argv[3], n % 100);
        mkdir(path, 0755);
        if (mount("churn", path, "tmpfs", 0, "size=64k") != 0) { perror("mount"); return 1; }
        if (umount2(path, 0) != 0) { perror("umount"); return 1; }
      } else {
        pid_t p = fork();
        if (p == 0) {
          if (n % 2) unshare(CLONE_NEWNS);
          _exit(0);
        }
        if (p < 0) usleep(1000);
      }
    }
    if (t - last >= 1) {
      printf("%s %ld\n", mounts ? "mounts" : "procs", n);
      fflush(stdout);
      last = t;
    }
    usleep(2000);
  }
}
