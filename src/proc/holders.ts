/**
 * Finds what keeps mount namespaces alive besides their processes: open fds
 * (`/proc/PID/fd/N -> mnt:[INODE]`) and nsfs bind mounts (`nsfs` lines whose
 * root is `mnt:[INODE]`, the way `ip netns` pins network namespaces).
 */
import { readdirSync, readlinkSync } from 'node:fs';
import type { Mount, NamespaceHolder } from '../model/types.js';

/** argv[0] of the process that holds, by fds, the namespaces a user kept when quitting mntns. */
export const KEEPER_NAME = 'mntns-kept';

export interface FdHolder {
  pid: number;
  fd: number;
  inode: number;
}

/** Scans every fd of `pids` for mount-namespace links. Vanished processes are skipped. */
export function readFdHolders(procRoot: string, pids: Iterable<number>): FdHolder[] {
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

/**
 * Pure: the paths to a held namespace's nsfs file, one per holder that can be
 * reached — an fd through its process, a pin through the root of a process of
 * the namespace it is mounted in (`readViaOf` names that process).
 */
export function holderPaths(holders: NamespaceHolder[], procRoot: string, readViaOf: (inode: number) => number | null | undefined): string[] {
  const out: string[] = [];
  for (const h of holders) {
    if (h.kind === 'fd') out.push(`${procRoot}/${h.pid}/fd/${h.fd}`);
    else {
      const via = readViaOf(h.ns);
      if (via != null) out.push(`${procRoot}/${via}/root${h.path}`);
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
