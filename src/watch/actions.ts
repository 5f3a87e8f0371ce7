/**
 * The store's Actions over a live watcher: the change runs in the target
 * namespace (sys/propagation.ts, a worker thread, no shell), then every table is
 * re-read at once — propagation changes wake no poll.
 */
import type { Mount, MountNamespace } from '../model/types.js';
import type { Actions } from '../store/store.js';
import { runSetPropagation } from '../sys/propagation.js';
import { holderPaths } from '../proc/holders.js';
import type { Watcher } from './watcher.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';

function nsInode(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

/** A path to the namespace's nsfs file: through a process, else through a holder. */
export function nsPathOf(ns: MountNamespace, procRoot: string, byInode: (inode: number) => MountNamespace | undefined): string | null {
  if (ns.readVia !== null) return `${procRoot}/${ns.readVia}/ns/mnt`;
  return holderPaths(ns.holders, procRoot, (i) => byInode(i)?.readVia)[0] ?? null;
}

export function watcherActions(watcher: Watcher, procRoot: string, shell: string): Actions {
  // Holders mntns started: ns inode → process. Only these are ever killed, by pid.
  const holders = new Map<number, ChildProcess>();
  const kill = (inode: number): boolean => {
    const p = holders.get(inode);
    if (!p) return false;
    holders.delete(inode);
    p.kill('SIGKILL');
    return true;
  };
  return {
    made: () => new Map([...holders].map(([inode, p]) => [inode, p.pid!])),
    end: (inode) => {
      const ok = kill(inode);
      if (ok) setTimeout(() => void watcher.resync(), 100);
      return ok;
    },
    endAll: () => {
      for (const inode of [...holders.keys()]) kill(inode);
    },
    async unshare(ns, propagation) {
      const reader = ns.readVia;
      if (reader === null) return { ok: false, message: 'can only copy a namespace that has a process' };
      const before = nsInode(`${procRoot}/${reader}/ns/mnt`);
      // The child starts in our own namespace, passes through `before` (nsenter),
      // and ends in the new one (unshare): only a third inode is the copy.
      const ours = nsInode(`${procRoot}/self/ns/mnt`);
      // nsenter joins the namespace, unshare(1) copies it; both resolved inside it, argv only.
      const p = spawn('nsenter', ['-t', String(reader), '-m', '--', 'unshare', '--mount', `--propagation=${propagation}`, '--', 'sleep', 'infinity'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr!.on('data', (d) => (err += d));
      for (let i = 0; i < 200; i++) {
        if (p.exitCode !== null) return { ok: false, message: `unshare failed: ${err.trim() || `exit ${p.exitCode}`} (it needs nsenter, unshare and sleep inside that namespace)` };
        const now = p.pid ? nsInode(`${procRoot}/${p.pid}/ns/mnt`) : null;
        if (now !== null && now !== before && now !== ours) {
          holders.set(now, p);
          p.once('exit', () => holders.delete(now));
          p.stderr!.destroy(); // a kept holder must not tie mntns's exit to it
          p.unref();
          await watcher.resync();
          return { ok: true, inode: now, pid: p.pid! };
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      p.kill('SIGKILL');
      return { ok: false, message: 'the new namespace did not appear in 2 s' };
    },
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
