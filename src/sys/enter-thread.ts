/**
 * Worker-thread entry that starts a shell as a process of another namespace set
 * runs: its mount, UTS, IPC, network, PID and cgroup namespaces, its root and
 * working directory, its uids, gids and groups, its capability bounding and
 * inheritable sets and its no_new_privs — and nothing of the host's beyond that.
 *
 * Why a thread: namespaces, root, credentials and capabilities are each
 * thread's own, and a child takes them from the thread that forks it (libuv
 * forks on the thread that calls spawn). So this thread becomes that process in
 * everything but its binary, then spawns the shell; no host binary runs after
 * the switch and no binary of the namespace runs before it. nsenter cannot do
 * this: it cannot drop the bounding set, and a setpriv run after it would be the
 * namespace's own binary, running with all of our capabilities.
 *
 * Only synchronous calls until the spawn (see ns-thread.ts: libuv's pool must
 * never start on a thread that is inside another namespace). The thread is
 * spoilt for anything else afterwards: it reports the shell's exit and ends.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import {
  CLONE_FS,
  CLONE_NEWCGROUP,
  CLONE_NEWIPC,
  CLONE_NEWNET,
  CLONE_NEWNS,
  CLONE_NEWPID,
  CLONE_NEWUTS,
  O_CLOEXEC,
  O_DIRECTORY,
  O_PATH,
  PR_CAPBSET_DROP,
  PR_CAP_AMBIENT,
  PR_CAP_AMBIENT_CLEAR_ALL,
  PR_SET_NO_NEW_PRIVS,
  loadLibc,
} from './libc.js';
import type { EnterJob, EnterMessage } from './enter-shell.js';
import { parseCredentials, type Credentials } from './credentials.js';
import { errnoName } from './errno.js';

const { job } = workerData as { job: EnterJob };

/** Its namespace, the one of ours it replaces (children go to pid_for_children), the setns flag. */
const NAMESPACES: ReadonlyArray<[string, string, number]> = [
  ['mnt', 'mnt', CLONE_NEWNS],
  ['uts', 'uts', CLONE_NEWUTS],
  ['ipc', 'ipc', CLONE_NEWIPC],
  ['net', 'net', CLONE_NEWNET],
  ['pid', 'pid_for_children', CLONE_NEWPID],
  ['cgroup', 'cgroup', CLONE_NEWCGROUP],
];
const post = (m: EnterMessage): void => parentPort!.postMessage(m);

const groupKey = (groups: number[]): string => [...groups].sort((a, b) => a - b).join(',');

/** Becomes the process in `job` (all but its binary); null when done, else why not. */
function become(): string | null {
  const c = loadLibc();
  const fail = (what: string): string => `${what}: ${errnoName(c.errno())}`;
  if (!c.threadCreds) return `no per-thread credential calls known for ${process.arch}`;
  const dir = `${job.procRoot}/${job.pid}`;
  // The pidfd names the process for good: everything read below is checked to
  // have been read while it still lived (a pid may be reused at any moment).
  const pidfd = c.pidfdOpen(job.pid);
  if (pidfd < 0) return fail(`pid ${job.pid}`);
  const own = [pidfd];
  try {
    const root = c.open(`${dir}/root`, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) return fail(`its root`);
    own.push(root);
    const cwd = c.open(`${dir}/cwd`, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (cwd >= 0) own.push(cwd);
    let creds: Credentials;
    let lastCap: number;
    let nsFlags = 0;
    let ourGroups: number[];
    try {
      creds = parseCredentials(readFileSync(`${dir}/status`, 'latin1'));
      // Read here, before the switch: afterwards /proc is whatever its root holds.
      ourGroups = parseCredentials(readFileSync(`/proc/thread-self/status`, 'latin1')).groups;
      lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'latin1')); // this kernel's, whatever procfs the job names
      // The user namespace needs a single-threaded process to enter (nsenter's
      // job: enter-helper.js runs in it), the time namespace too: neither is entered here.
      for (const kind of ['user', 'time'] as const) {
        const theirs = statSync(`${dir}/ns/${kind}`, { throwIfNoEntry: false })?.ino;
        if (theirs !== undefined && theirs !== statSync(`/proc/thread-self/ns/${kind}`).ino) return `it is in a ${kind} namespace of its own`;
      }
      // Only the namespaces that differ from ours: setns into one we are in already
      // needs capabilities over it we may not have (a container that shares the host's network).
      for (const [kind, ours, flag] of NAMESPACES) {
        const theirs = statSync(`${dir}/ns/${kind}`, { throwIfNoEntry: false })?.ino;
        if (theirs !== undefined && theirs !== statSync(`/proc/thread-self/ns/${ours}`).ino) nsFlags |= flag;
      }
    } catch (e) {
      return `pid ${job.pid}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
    if (c.pidfdSendSignal(pidfd, 0) !== 0) return `pid ${job.pid} is gone`;

    if (c.unshare(CLONE_FS) !== 0) return fail('unshare(CLONE_FS)');
    if (nsFlags && c.setns(pidfd, nsFlags) !== 0) return fail('setns');
    if (c.fchdir(root) !== 0 || c.chroot('.') !== 0) return fail('chroot to its root');
    if (cwd >= 0 ? c.fchdir(cwd) !== 0 : false) return fail('chdir to its working directory');

    // Capabilities while we still hold CAP_SETPCAP, ids last (they drop the rest).
    if (creds.noNewPrivs && c.prctl(PR_SET_NO_NEW_PRIVS, 1, 0) !== 0) return fail('no_new_privs');
    for (let cap = 0; cap <= lastCap; cap++) {
      if (!(creds.bounding & (1n << BigInt(cap))) && c.prctl(PR_CAPBSET_DROP, cap, 0) !== 0) return fail(`drop capability ${cap}`);
    }
    if (c.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0) !== 0) return fail('clear ambient capabilities');
    const hdr = Buffer.alloc(8);
    hdr.writeUInt32LE(0x20080522, 0); // _LINUX_CAPABILITY_VERSION_3, this thread
    const data = Buffer.alloc(24);
    if (c.capget(hdr, data) !== 0) return fail('capget');
    const inheritable = creds.inheritable & creds.bounding;
    data.writeUInt32LE(Number(inheritable & 0xffffffffn), 8);
    data.writeUInt32LE(Number(inheritable >> 32n), 20);
    if (c.capset(hdr, data) !== 0) return fail('capset');
    const t = c.threadCreds;
    // A user namespace may deny setgroups (/proc/PID/setgroups: deny): then ours
    // cannot change, and must already be its.
    if (groupKey(creds.groups) !== groupKey(ourGroups) && t.setgroups(creds.groups) !== 0) return fail('setgroups');
    if (t.setresgid(...creds.gids) !== 0) return fail('setresgid');
    if (t.setresuid(...creds.uids) !== 0) return fail('setresuid');
    return null;
  } finally {
    for (const fd of own) c.close(fd);
  }
}

let why: string | null;
try {
  why = become();
} catch (e) {
  why = (e as Error).message;
}
if (why !== null) {
  post({ type: 'error', message: why });
} else {
  // Looked up in its PATH inside its root: the namespace's own shell, run as it would run it.
  const child = spawn(job.shell, job.args ?? [], { stdio: [0, 1, 2], env: job.env });
  child.once('spawn', () => post({ type: 'spawn', pid: child.pid! }));
  child.once('error', (e: NodeJS.ErrnoException) => post({ type: 'error', message: `${job.shell}: ${e.code ?? e.message}` }));
  child.once('exit', (code, signal) => post({ type: 'exit', code, signal }));
}
