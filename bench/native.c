// The least work a full snapshot needs, in C: for every /proc/PID, stat of
// ns/mnt (the namespace) and of the directory (owner), a read of stat and of
// cmdline; then every namespace's mountinfo read once, through its first pid.
// Prints the namespaces, processes and bytes seen, and the time it took (ms).
// The native limit mntns's snapshot is measured against (bench/snapshot.mjs).
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static char buf[1 << 20];

static long slurp(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) total += n;
  close(fd);
  return total;
}

int main(void) {
  double t0 = now();
  static unsigned long inodes[1 << 16];
  static int pids[1 << 16];
  int nns = 0, nprocs = 0;
  long bytes = 0;
  DIR *d = opendir("/proc");
  if (!d) return 1;
  struct dirent *e;
  char path[64];
  while ((e = readdir(d))) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    struct stat st;
    snprintf(path, sizeof path, "/proc/%s/ns/mnt", e->d_name);
    if (stat(path, &st) != 0) continue;
    snprintf(path, sizeof path, "/proc/%s", e->d_name);
    struct stat dir;
    if (stat(path, &dir) != 0) continue;
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    bytes += slurp(path);
    snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
    bytes += slurp(path);
    nprocs++;
    int seen = 0;
    for (int i = 0; i < nns && !seen; i++) seen = inodes[i] == st.st_ino;
    if (!seen && nns < (1 << 16)) {
      inodes[nns] = st.st_ino;
      pids[nns++] = atoi(e->d_name);
    }
  }
  closedir(d);
  for (int i = 0; i < nns; i++) {
    snprintf(path, sizeof path, "/proc/%d/mountinfo", pids[i]);
    bytes += slurp(path);
  }
  printf("{\"namespaces\":%d,\"processes\":%d,\"bytes\":%ld,\"ms\":%.1f}\n", nns, nprocs, bytes, now() - t0);
  return 0;
}
