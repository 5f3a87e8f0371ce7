/**
 * Find a mount everywhere: every namespace with a mount on a path, of a
 * source, or of a device — with whoever keeps each namespace alive, so the
 * EBUSY on removing a container's directory has a name (answered by hand with
 * `grep -l PATH /proc/*\/mountinfo`, one namespace per process, duplicates and all).
 */
import type { Mount, MountNamespace, NamespaceHolder, Process, Snapshot } from './types.js';

export type WhereQuery = { kind: 'device'; major: number; minor: number; text: string } | { kind: 'name'; text: string };

/** `MAJ:MIN` is a device; anything else a mount point or a source (both are tried). */
export function parseWhereQuery(arg: string): WhereQuery {
  const dev = /^(\d{1,10}):(\d{1,10})$/.exec(arg);
  if (dev) return { kind: 'device', major: Number(dev[1]), minor: Number(dev[2]), text: arg };
  // A path as people type it: `/srv/data/` is /srv/data.
  return { kind: 'name', text: arg.length > 1 && arg.startsWith('/') ? arg.replace(/\/+$/, '') : arg };
}

/** How a mount matched: its mount point, its source, or its device. */
export type WhereMatch = 'target' | 'source' | 'device';

export interface WhereHit {
  ns: MountNamespace;
  mounts: Array<{ mount: Mount; match: WhereMatch }>;
  /** What keeps the namespace alive: its processes, else its bind mounts and fds. */
  processes: Process[];
  holders: NamespaceHolder[];
}

function matchOf(m: Mount, q: WhereQuery): WhereMatch | null {
  if (q.kind === 'device') return m.major === q.major && m.minor === q.minor ? 'device' : null;
  if (m.target === q.text) return 'target';
  if (m.source === q.text) return 'source';
  return null;
}

/** Every namespace of `snap` with a mount `q` names, in the snapshot's order. */
export function findEverywhere(snap: Snapshot, q: WhereQuery): WhereHit[] {
  const hits: WhereHit[] = [];
  for (const ns of snap.namespaces) {
    const mounts: WhereHit['mounts'] = [];
    for (const m of ns.mounts) {
      const match = matchOf(m, q);
      if (match) mounts.push({ mount: m, match });
    }
    if (mounts.length) hits.push({ ns, mounts, processes: ns.processes, holders: ns.holders });
  }
  return hits;
}
