#!/usr/bin/env python3
"""Churn for the soak benchmark, run inside `unshare --mount --propagation private`.

usage: churner.py PROCS_PER_SEC MOUNT_PAIRS_PER_SEC [CHURN]

Makes a tmpfs lab made shared, and a peer namespace copied from it (so every mount
there propagates). Prints {"lab":..,"namespaces":[{"pid":..,"ns":..},..]}, then on
"go" on stdin starts:
  - short-lived processes at PROCS_PER_SEC (every other one in a new mount namespace),
    by CHURN (bench/churn.c built) when given: Python forks only ~600 a second,
  - mount+umount pairs at MOUNT_PAIRS_PER_SEC under LAB/m (CHURN too, when given),
and prints "procs N" / "mounts N" (totals) every second. On "stop": stops both and
leaves a known final state (10 mounts, 3 of them unmounted again). EOF ends it all.
"""
import ctypes, json, os, signal, sys, tempfile, time

libc = ctypes.CDLL("libc.so.6", use_errno=True)
CLONE_NEWNS = 0x20000
MS_REC, MS_PRIVATE, MS_SHARED = 0x4000, 1 << 18, 1 << 20
procs_rate, mounts_rate = int(sys.argv[1]), int(sys.argv[2])
churn_bin = sys.argv[3] if len(sys.argv) > 3 else None


def check(r, what):
    if r != 0:
        raise OSError(ctypes.get_errno(), what)


check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
lab = tempfile.mkdtemp(prefix="mntns-lab.")
check(libc.mount(b"mntns-soak", lab.encode(), b"tmpfs", 0, b"size=8m"), "mount lab")
os.mkdir(f"{lab}/m")
check(libc.mount(None, lab.encode(), None, MS_SHARED, None), "make lab shared")

r, w = os.pipe()
peer = os.fork()
if peer == 0:
    os.close(r)
    check(libc.unshare(CLONE_NEWNS), "unshare")
    os.write(w, b"x")
    signal.pause()
    os._exit(0)
os.close(w)
os.read(r, 1)
ns = lambda pid: os.stat(f"/proc/{pid}/ns/mnt").st_ino
print(json.dumps({"lab": lab, "namespaces": [{"pid": os.getpid(), "ns": ns(os.getpid())}, {"pid": peer, "ns": ns(peer)}]}), flush=True)

if sys.stdin.readline().strip() != "go":
    os.kill(peer, signal.SIGKILL)
    sys.exit(0)

# Process churn in a child of its own (forking from one loop per worker).
forker = os.fork()
if forker == 0 and churn_bin:
    os.execv(churn_bin, [churn_bin, "procs", str(procs_rate)])
if forker == 0:
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    n, last = 0, time.time()
    while True:
        t = time.time()
        for i in range(max(1, procs_rate // 100)):
            pid = os.fork()
            if pid == 0:
                if i % 2:
                    libc.unshare(CLONE_NEWNS)
                os._exit(0)
            n += 1
        while True:  # reap
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        if t - last >= 1:
            print(f"procs {n}", flush=True)
            last = t
        time.sleep(max(0, 0.01 - (time.time() - t)))

# Mount churn, until "stop" arrives on stdin.
mounter = None
if churn_bin:
    mounter = os.fork()
    if mounter == 0:
        os.execv(churn_bin, [churn_bin, "mounts", str(mounts_rate), f"{lab}/m"])
    for line in sys.stdin:
        if line.strip() == "stop":
            break
    os.kill(mounter, signal.SIGKILL)
    os.waitpid(mounter, 0)
    for i in range(100):  # a pair cut in half by the kill
        libc.umount2(f"{lab}/m/c{i}".encode(), 0)
os.set_blocking(0, False)
n, last, stop = 0, time.time(), mounter is not None
while not stop:
    t = time.time()
    for i in range(max(1, mounts_rate // 100)):
        d = f"{lab}/m/c{i}"
        os.makedirs(d, exist_ok=True)
        check(libc.mount(b"churn", d.encode(), b"tmpfs", 0, b"size=64k"), "mount")
        check(libc.umount2(d.encode(), 0), "umount")
        n += 1
    if t - last >= 1:
        print(f"mounts {n}", flush=True)
        last = t
        try:
            stop = "stop" in (sys.stdin.read() or "")
        except (BlockingIOError, TypeError):
            pass
    time.sleep(max(0, 0.01 - (time.time() - t)))
os.kill(forker, signal.SIGTERM)
os.waitpid(forker, 0)
if mounter is None:
    print(f"mounts {n}", flush=True)
for i in range(10):
    d = f"{lab}/m/final{i}"
    os.makedirs(d, exist_ok=True)
    check(libc.mount(b"final", d.encode(), b"tmpfs", 0, b"size=64k"), "mount final")
for i in range(3):
    check(libc.umount2(f"{lab}/m/final{i}".encode(), 0), "umount final")
os.set_blocking(0, True)
sys.stdin.read()  # until EOF
os.kill(peer, signal.SIGKILL)
libc.umount2(lab.encode(), 2)
try:
    os.rmdir(lab)
except OSError:
    pass
