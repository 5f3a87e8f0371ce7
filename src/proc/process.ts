/**
 * Reads one process from procfs: the fields mntns shows and groups by.
 * A process that vanishes mid-read is normal on a live system (see lsns.c:
 * read_processes), so every read here can fail with ENOENT/ESRCH and the caller
 * counts it rather than crashing.
 */
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import type { Process } from '../model/types.js';
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
  const rest = text.slice(close + 2).split(' ');
  // rest[0] = state, [1] = ppid, ... [6] = flags (field 9 of proc_pid_stat(5))
  const ppid = Number(rest[1]);
  const flags = Number(rest[6]);
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

/**
 * Reads process `pid` under `procRoot`. Throws (ENOENT, EACCES, ...) only when the
 * mount namespace link itself can't be read: without it the process can't be placed.
 */
export function readProcess(procRoot: string, pid: number): Process {
  const dir = `${procRoot}/${pid}`;
  const mntLink = readlinkSync(`${dir}/ns/mnt`);
  const mntns = parseNsLink(mntLink);
  if (mntns === null) throw Object.assign(new Error(`unexpected ns link ${JSON.stringify(mntLink)}`), { code: 'EINVAL' });
  const stat = parseStat(readFileSync(`${dir}/stat`, 'utf8'));
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
      cmdline = parseCmdline(readFileSync(`${dir}/cmdline`, 'utf8'));
    } catch {
      /* vanished or a zombie */
    }
    try {
      rootPath = readlinkSync(`${dir}/root`);
    } catch {
      /* EACCES (e.g. PID 1 in a sandbox): root unknown */
    }
    try {
      container = parseCgroupHint(readFileSync(`${dir}/cgroup`, 'utf8'));
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
