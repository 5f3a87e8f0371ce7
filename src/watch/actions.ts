/**
 * The store's Actions over a live watcher: the change runs in the target
 * namespace (sys/propagation.ts, a worker thread, no shell), then every table is
 * re-read at once — propagation changes wake no poll.
 */
import type { Mount, MountNamespace } from '../model/types.js';
import type { Actions } from '../store/store.js';
import { runSetPropagation } from '../sys/propagation.js';
import type { Watcher } from './watcher.js';

/** A path to the namespace's nsfs file: through a process, else through a holder. */
export function nsPathOf(ns: MountNamespace, procRoot: string, byInode: (inode: number) => MountNamespace | undefined): string | null {
  if (ns.readVia !== null) return `${procRoot}/${ns.readVia}/ns/mnt`;
  for (const h of ns.holders) {
    if (h.kind === 'fd') return `${procRoot}/${h.pid}/fd/${h.fd}`;
    const via = byInode(h.ns)?.readVia;
    if (via != null) return `${procRoot}/${via}/root${h.path}`;
  }
  return null;
}

export function watcherActions(watcher: Watcher, procRoot: string, shell: string): Actions {
  return {
    enterArgv(ns) {
      const snap = watcher.snapshot();
      const path = ns.readVia !== null ? null : nsPathOf(ns, procRoot, (i) => snap.namespaces.find((n) => n.inode === i));
      if (ns.readVia === null && !path) return { error: 'no way into that namespace (no process and no holder left)' };
      // argv only, `--` before the command: nothing here is ever parsed by a shell.
      return ns.readVia !== null ? ['nsenter', '-t', String(ns.readVia), '-m', '--', shell] : ['nsenter', `--mount=${path}`, '--', shell];
    },
    reread: () => watcher.refresh(),
    async setPropagation(ns: MountNamespace, mount: Mount, kind, recursive) {
      const reader = ns.processes.find((p) => p.pid === ns.readVia);
      if (reader?.chrooted) {
        return { ok: false, message: 'this namespace was read through a chrooted process: its paths are relative to that root' };
      }
      const snap = watcher.snapshot();
      const nsPath = nsPathOf(ns, procRoot, (i) => snap.namespaces.find((n) => n.inode === i));
      if (!nsPath) return { ok: false, message: 'no way into that namespace (no process and no holder left)' };
      const r = runSetPropagation(nsPath, mount.target, kind, recursive);
      if (!r.ok) return r;
      watcher.refresh();
      const after = watcher.snapshot().namespaces.find((n) => n.inode === ns.inode)?.mounts.find((m) => m.id === mount.id) ?? null;
      return { ok: true, after };
    },
  };
}
