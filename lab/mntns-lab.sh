#!/usr/bin/env bash
# mntns-lab.sh — the experiments behind `mntns lab`, in a throwaway mount
# namespace of their own on a tmpfs: nothing here can reach the machine's own
# namespace. Prints one JSON line, then waits until stdin closes or SIGTERM;
# then every process it started is killed and the lab's mounts vanish with its
# namespace. Root only (exit 77 otherwise).
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "mntns lab: needs root (it makes mount namespaces)" >&2; exit 77; }
if [ -z "${MNTNS_LAB_INNER:-}" ]; then
  exec env MNTNS_LAB_INNER=1 unshare --mount --propagation private -- "$0" "$@"
fi
pids=()
lab=
teardown() {
  trap - EXIT INT
  trap '' TERM
  for p in "${pids[@]}" $(jobs -p); do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]}" $(jobs -p); do wait "$p" 2>/dev/null || true; done
  if [ -n "$lab" ]; then
    umount -l "$lab" 2>/dev/null || true
    rmdir "$lab" 2>/dev/null || true
  fi
  # A SIGTERM between a job's `&` and its `pids+=` leaves it out of pids, and the
  # PID-namespace pair below proc-host is not in them until it is read (its
  # unshare --fork ignores TERM, its child is a namespace's init): mntns starts
  # the lab as a process group of its own, so the group goes last, this shell
  # with it. Not a leader (run from a script): there is no group -$$.
  kill -KILL -- -$$ 2>/dev/null || true
}
trap teardown EXIT
trap 'exit 0' INT TERM
# Made after the traps: a SIGTERM now still takes the directory away.
lab=$(mktemp -d /tmp/mntns-tui-lab.XXXXXX) # not mntns-lab.*: those are ../shared/lab's
mount -t tmpfs -o size=16m,mode=755 mntns-tui-lab "$lab"
mkdir "$lab/.state"

# holder TAG PROPAGATION SCRIPT: a process in a new namespace (copied with
# --propagation), after SCRIPT ran there; its name says what it is for.
holder() {
  local tag=$1 prop=$2 script=$3
  unshare --mount --propagation "$prop" -- bash -c "$script
touch '$lab/.state/$tag'
exec -a 'lab:$tag' sleep infinity" </dev/null >/dev/null 2>"$lab/.state/$tag.err" &
  pids+=("$!")
  for _ in $(seq 1 300); do
    [ -e "$lab/.state/$tag" ] && return 0
    kill -0 "$!" 2>/dev/null || { cat "$lab/.state/$tag.err" >&2; return 1; }
    sleep 0.02
  done
  return 1
}
here() { (exec -a "lab:$1" sleep infinity) </dev/null >/dev/null 2>&1 & pids+=("$!"); }

# 1. The systemd leak: a shared "host root", a container copied with
#    --propagation unchanged that mounts a tmpfs: it shows up on the "host".
mkdir -p "$lab/host-root/mnt"
mount --bind "$lab/host-root" "$lab/host-root"; mount --make-shared "$lab/host-root"
here host
holder container-leaks unchanged "mount -t tmpfs leaked '$lab/host-root/mnt'"
# ... and its fix: the same, with mount --make-rprivate first.
mkdir -p "$lab/host-root/fixed"
holder container-fixed unchanged "mount --make-rprivate '$lab/host-root'; mount -t tmpfs stays-here '$lab/host-root/fixed'"
# 2. Peer groups: X shared; a second namespace copies it; X bound to Z here.
mkdir -p "$lab/peers/X" "$lab/peers/Z"
mount -t tmpfs x "$lab/peers/X"; mount --make-shared "$lab/peers/X"
holder peer-copy unchanged ":"
mount --bind "$lab/peers/X" "$lab/peers/Z"
# 3. A master/slave chain: a shared, b its slave made shared, c a slave of b.
mkdir -p "$lab/chain/a" "$lab/chain/b" "$lab/chain/c"
mount -t tmpfs a "$lab/chain/a"; mount --make-shared "$lab/chain/a"
mount --bind "$lab/chain/a" "$lab/chain/b"; mount --make-slave "$lab/chain/b"; mount --make-shared "$lab/chain/b"
mount --bind "$lab/chain/b" "$lab/chain/c"; mount --make-slave "$lab/chain/c"
holder slave-copy slave ":"
# 4. The /proc trap: a "host" whose /proc is shared; a child in new PID + mount
#    namespaces mounts proc on /proc, which lands on the host's /proc too.
holder proc-host private "mount --make-shared /proc
unshare --mount --pid --fork --propagation unchanged -- bash -c 'mount -t proc proc /proc; touch $lab/.state/pidns; exec -a lab:proc-child sleep infinity' </dev/null >/dev/null 2>&1 &
while [ ! -e $lab/.state/pidns ]; do sleep 0.02; done"
# The PID-namespace pair hangs below the holder: track it so teardown ends it too.
forker=$(awk '{print $1}' "/proc/${pids[-1]}/task/${pids[-1]}/children")
pids+=("$forker" "$(awk '{print $1}' "/proc/$forker/task/$forker/children")")

printf '{"lab":"%s","root":%s,"pids":[%s]}\n' "$lab" "$$" "$(IFS=,; echo "${pids[*]}")"
# stdin is mntns's end of a pipe or socketpair (Node's stdio pipes are socketpairs):
# its EOF is mntns going away, whichever way, kill -9 included.
if [ -p /dev/stdin ] || [ -S /dev/stdin ] || [ -t 0 ]; then
  cat <&0 >/dev/null & pids+=("$!"); wait "$!" || true
else
  sleep infinity & pids+=("$!"); wait "$!" || true
fi
