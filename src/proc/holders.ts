/**
 * Finds what keeps mount namespaces alive besides their processes: open fds
 * (`/proc/PID/fd/N -> mnt:[INODE]`) and nsfs bind mounts (`nsfs` lines whose
 * root is `mnt:[INODE]`, the way `ip netns` pins network namespaces).
 */
import { readdirSync, readlinkSync } from 'node:fs';
import type { Mount } from '../model/types.js';

export interface FdHolder {
  pid: number;
  fd: number;
  inode: number;
}

/** Scans every fd of `pids` for mount-namespace links. Vanished processes are skipped. */
export function readFdHolders(procRoot: string, pids: number[]): FdHolder[] {
  const out: FdHolder[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${pid}/fd`);
    } catch {
      continue; // EACCES, or gone: lsns does the same
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (link.startsWith('mnt:[')) {
        const inode = Number(link.slice(5, -1));
        if (Number.isInteger(inode)) out.push({ pid, fd: Number(fd), inode });
      }
    }
  }
  return out;
}

/** Pure: the mount-namespace inode an nsfs bind mount pins, or null. */
export function pinnedNamespace(m: Mount): number | null {
  if (m.fstype !== 'nsfs') return null;
  const r = /^mnt:\[(\d+)\]$/.exec(m.root);
  return r ? Number(r[1]) : null;
}
