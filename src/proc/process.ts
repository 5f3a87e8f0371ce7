/**
 * Reads one process from procfs: the fields mntns shows and groups by.
 * A process that vanishes mid-read is normal on a live system (see lsns.c:
 * read_processes), so every read here can fail with ENOENT/ESRCH and the caller
 * counts it rather than crashing.
 */
import { closeSync, openSync, readdirSync, readlinkSync, readSync, statSync } from 'node:fs';
import type { ContainerHint, Process } from '../model/types.js';
import { parseCgroupHint } from './cgroup.js';

const PF_KTHREAD = 0x00200000;

/** Parses the inode out of a namespace link such as `mnt:[4026531832]`. */
export function parseNsLink(link: string): number | null {
  const m = /^[a-z_]+:\[(\d+)\]$/.exec(link);
  return m ? Number(m[1]) : null;
}

/** Pure: comm, ppid and flags from /proc/PID/stat (comm may hold spaces and parentheses). */
export function parseStat(text: string): { comm: string; ppid: number; flags: number } | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // After ") ": state, ppid, pgrp, session, tty_nr, tpgid, flags (field 9 of
  // proc_pid_stat(5)). Found by their spaces: the other 45 fields are never cut out.
  let ppid = NaN;
  let flags = NaN;
  let start = close + 2;
  for (let k = 0; k <= 6 && start <= text.length; k++) {
    let end = text.indexOf(' ', start);
    if (end < 0) end = text.length;
    if (k === 1) ppid = Number(text.slice(start, end));
    else if (k === 6) flags = Number(text.slice(start, end));
    start = end + 1;
  }
  if (!Number.isFinite(ppid) || !Number.isFinite(flags)) return null;
  return { comm: text.slice(open + 1, close), ppid, flags };
}

/** Pure: argv from the NUL-separated /proc/PID/cmdline. */
export function parseCmdline(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function readNs(dir: string, kind: string): number | null {
  try {
    return parseNsLink(readlinkSync(`${dir}/ns/${kind}`));
  } catch {
    return null;
  }
}

// One buffer for every procfs file this thread reads whole: readFileSync would
// also fstat each file (procfs says size 0) and allocate a fresh buffer for it,
// three files for each of 10,000s of processes, and every namespace's mountinfo.
let buf = Buffer.allocUnsafe(16 * 1024);
const KEEP_BYTES = 1 << 20;

/**
 * The whole of a procfs file, as text (utf8) or one character per byte (latin1).
 * `oneShow`: a file procfs makes with one show() call (`stat`, `cgroup`: ONE()
 * in fs/proc/base.c, single_open): its first read hands over all of it when it
 * fits, so a read that leaves room is the end — no second read to be told so
 * (two syscalls fewer per process).
 */
export function readProcFile(path: string, encoding: 'utf8' | 'latin1' = 'utf8', oneShow = false): string {
  const fd = openSync(path, 'r');
  try {
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got > 0) {
        n += got;
        if (!oneShow || n === buf.length) continue;
      }
      const text = buf.toString(encoding, 0, n);
      // A table of 50,000 mounts grows it to 8 MB: not kept for the small files after it.
      if (buf.length > KEEP_BYTES) buf = Buffer.allocUnsafe(16 * 1024);
      return text;
    }
  } finally {
    closeSync(fd);
  }
}

// The processes of one container (or unit) share their cgroup file's text: its
// hint is worked out once per text. Bounded: texts of processes long gone go.
const hints = new Map<string, ContainerHint | null>();

function cgroupHint(text: string): ContainerHint | null {
  let hint = hints.get(text);
  if (hint === undefined) {
    if (hints.size >= 4096) hints.clear();
    hints.set(text, (hint = parseCgroupHint(text)));
  }
  return hint;
}

/**
 * Reads process `pid` under `procRoot`. Throws (ENOENT, EACCES, ...) only when the
 * mount namespace link itself can't be read: without it the process can't be placed.
 */
export function readProcess(procRoot: string, pid: number): Process {
  const dir = `${procRoot}/${pid}`;
  const mntLink = readlinkSync(`${dir}/ns/mnt`);
  const mntns = parseNsLink(mntLink);
  if (mntns === null) throw Object.assign(new Error(`unexpected ns link ${JSON.stringify(mntLink)}`), { code: 'EINVAL' });
  const stat = parseStat(readProcFile(`${dir}/stat`, 'utf8', true));
  if (!stat) throw Object.assign(new Error('malformed stat'), { code: 'EINVAL' });
  const kernel = (stat.flags & PF_KTHREAD) !== 0;
  let cmdline: string[] = [];
  let rootPath: string | null = null;
  let container = null;
  let uid = -1;
  try {
    uid = statSync(dir).uid;
  } catch {
    /* vanished: keep -1 */
  }
  if (!kernel) {
    try {
      cmdline = parseCmdline(readProcFile(`${dir}/cmdline`));
    } catch {
      /* vanished or a zombie */
    }
    try {
      rootPath = readlinkSync(`${dir}/root`);
    } catch {
      /* EACCES (e.g. PID 1 in a sandbox): root unknown */
    }
    try {
      container = cgroupHint(readProcFile(`${dir}/cgroup`, 'utf8', true));
    } catch {
      /* vanished */
    }
  } else {
    rootPath = '/';
  }
  return {
    pid,
    ppid: stat.ppid,
    comm: stat.comm,
    uid,
    cmdline,
    mntns,
    pidns: readNs(dir, 'pid'),
    userns: readNs(dir, 'user'),
    chrooted: rootPath !== null && rootPath !== '/',
    rootPath,
    container,
    kernel,
  };
}

/** Numeric entries of procfs: processes (thread-group leaders), not threads. */
export function listPids(procRoot: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync(procRoot)) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      const n = Number(name);
      if (Number.isInteger(n)) out.push(n);
    }
  }
  return out.sort((a, b) => a - b);
}
