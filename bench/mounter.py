#!/usr/bin/env python3
"""Lab helper for the watch benchmarks, run inside `unshare --mount --propagation private`.

Makes a tmpfs lab, prints {"pid":..,"lab":..}, then obeys stdin lines:
  mount N   -> mounts a tmpfs on LAB/N, prints the wall time (ns) right after mount(2) returns
  umount N  -> unmounts LAB/N, prints the time
  churn SECS RATE -> mounts and unmounts RATE times a second for SECS, prints the count
  fill N    -> N bind mounts of one directory under LAB/fill (a big table), prints N
EOF-of-stdin ends it (the namespace and everything in it go away).
"""
import ctypes, json, os, sys, tempfile, time

libc = ctypes.CDLL("libc.so.6", use_errno=True)
libc.mount(None, b"/", None, 0x4000 | (1 << 18), None)  # MS_REC|MS_PRIVATE, inside our own namespace
lab = tempfile.mkdtemp(prefix="mntns-lab.")
if libc.mount(b"mntns-lab", lab.encode(), b"tmpfs", 0, b"size=64m") != 0:
    sys.exit("mount lab failed")
print(json.dumps({"pid": os.getpid(), "lab": lab}), flush=True)


def mnt(n):
    d = f"{lab}/{n}"
    os.makedirs(d, exist_ok=True)
    if libc.mount(b"bench", d.encode(), b"tmpfs", 0, b"size=64k") != 0:
        raise OSError(ctypes.get_errno(), "mount")


def umnt(n):
    if libc.umount2(f"{lab}/{n}".encode(), 0) != 0:
        raise OSError(ctypes.get_errno(), "umount")


for line in sys.stdin:
    cmd = line.split()
    if not cmd:
        continue
    if cmd[0] == "mount":
        mnt(cmd[1]); print(time.time_ns(), flush=True)
    elif cmd[0] == "umount":
        umnt(cmd[1]); print(time.time_ns(), flush=True)
    elif cmd[0] == "fill":
        os.makedirs(f"{lab}/fill/src", exist_ok=True)
        for i in range(int(cmd[1])):
            d = f"{lab}/fill/{i}"
            os.makedirs(d, exist_ok=True)
            if libc.mount(f"{lab}/fill/src".encode(), d.encode(), None, 4096, None) != 0:  # MS_BIND
                raise OSError(ctypes.get_errno(), "mount --bind")
        print(cmd[1], flush=True)
    elif cmd[0] == "churn":
        secs, rate = float(cmd[1]), int(cmd[2])
        end, n = time.time() + secs, 0
        while time.time() < end:
            t = time.time()
            for i in range(rate // 10):
                mnt("c%d" % i); umnt("c%d" % i); n += 1
            time.sleep(max(0, 0.1 - (time.time() - t)))
        print(n, flush=True)
libc.umount2(lab.encode(), 2)  # MNT_DETACH
try:
    os.rmdir(lab)  # the directory itself lives on the host's /tmp
except OSError:
    pass
