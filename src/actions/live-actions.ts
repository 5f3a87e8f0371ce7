/**
 * The Actions over a live watcher: a change runs in the target namespace
 * (sys/propagation.ts, a worker thread, no shell), then every table is re-read
 * at once — propagation changes wake no poll.
 */
import type { Mount, MountNamespace } from '../model/types.js';
import type { Actions } from './actions.js';
import { runCopyNamespace, runSetPropagation, runUniqueMountId } from '../sys/propagation.js';
import { enterMountArgv, inUsernsArgv, spawnKeeper } from '../sys/nsenter.js';
import { closeQuietly } from '../sys/threads.js';
import { KEEPER_NAME, holderPaths } from '../proc/holders.js';
import { unescapeBytes } from '../proc/mountinfo.js';
import type { Watcher } from '../watch/watcher.js';
import { capabilityCount, parseCredentials } from '../sys/credentials.js';
import { fstatSync, readFileSync, statSync } from 'node:fs';

/** A path to the namespace's nsfs file: through a process, else through a holder. */
export function nsPathOf(ns: MountNamespace, procRoot: string, byInode: (inode: number) => MountNamespace | undefined): string | null {
  // The table's reader if it still lives (its table fd outlives it), else any process of the namespace.
  const via = ns.processes.find((p) => p.pid === ns.readVia) ?? ns.processes[0];
  if (via) return `${procRoot}/${via.pid}/ns/mnt`;
  if (ns.readVia !== null) return `${procRoot}/${ns.readVia}/ns/mnt`;
  return holderPaths(ns.holders, procRoot, (i) => byInode(i)?.readVia)[0] ?? null;
}

/** The inode of one of our own namespaces (null when unreadable). */
function nsIno(kind: 'pid' | 'user'): number | null {
  try {
    return statSync(`/proc/self/ns/${kind}`).ino;
  } catch {
    return null;
  }
}

/** A name that is not UTF-8 is acted on by its exact bytes, not by its text. */
const targetBytes = (m: Mount): Uint8Array | undefined => (m.targetRaw === undefined ? undefined : unescapeBytes(m.targetRaw));

export function watcherActions(watcher: Watcher, procRoot: string, shell: string): Actions {
  /** The namespace's nsfs path as the watcher knows it now. */
  const pathInto = (ns: MountNamespace): string | null => {
    const snap = watcher.snapshot();
    return nsPathOf(ns, procRoot, (i) => snap.namespaces.find((n) => n.inode === i));
  };
  /** A table read through a chrooted process names paths relative to that root: no action on them. */
  const chrootedReader = (ns: MountNamespace): boolean => ns.processes.find((p) => p.pid === ns.readVia)?.chrooted === true;
  // Namespaces mntns made (u): inode → the nsfs fd that holds it. Held by fds
  // and no process, so they end with mntns whatever way it ends (q, a signal,
  // a crash, kill -9, the OOM killer) unless the user keeps them.
  const held = new Map<number, number>();
  const release = (inode: number): boolean => {
    const fd = held.get(inode);
    if (fd === undefined) return false;
    held.delete(inode);
    closeQuietly(fd);
    watcher.releaseTable(inode);
    return true;
  };
  return {
    made: () => new Map([...held.keys()].map((inode) => [inode, process.pid])),
    end: (inode) => {
      const ok = release(inode);
      if (ok) void watcher.rediscover();
      return ok;
    },
    endAll: () => {
      for (const inode of [...held.keys()]) release(inode);
    },
    keepAll() {
      if (held.size === 0) return null;
      const fds = [...held.values()];
      const keeper = spawnKeeper(KEEPER_NAME, fds);
      const inodes = [...held.keys()];
      for (const fd of fds) closeQuietly(fd);
      held.clear();
      return { pid: keeper, name: KEEPER_NAME, inodes };
    },
    async unshare(ns, propagation) {
      const nsPath = pathInto(ns);
      if (!nsPath) return { ok: false, message: 'no way into that namespace (no process and no holder left)' };
      const r = runCopyNamespace(nsPath, propagation);
      if (!r.ok) return { ok: false, message: `unshare failed: ${r.message}` };
      const inode = fstatSync(r.nsFd).ino;
      held.set(inode, r.nsFd);
      watcher.adoptTable(inode, r.mountinfoFd);
      await watcher.rediscover();
      return { ok: true, inode, pid: process.pid };
    },
    enterHow(ns, asItRuns) {
      const via = ns.processes.find((p) => p.pid === ns.readVia) ?? ns.processes[0];
      const path = via ? null : pathInto(ns);
      if (!via && !path) return { error: 'no way into that namespace (no process and no holder left)' };
      if (!asItRuns) {
        return {
          launch: { argv: enterMountArgv(via ? { pid: via.pid } : { path: path! }, shell) },
          as: `as HOST ROOT (all capabilities, this host's pid, net and user namespaces), running the namespace's own ${shell}`,
        };
      }
      if (!via) return { error: 'no process to take namespaces and credentials from (held only): h enters as host root' };
      // The process furthest from us: in a namespace shared by a runtime's helper
      // and the container (or `unshare --fork` and its child), the container's own.
      const ours = { pid: nsIno('pid'), user: nsIno('user') };
      const away = (p: (typeof ns.processes)[number]): number => Number(p.pidns !== null && p.pidns !== ours.pid) + Number(p.userns !== null && p.userns !== ours.user);
      const inner = ns.processes.filter((p) => !p.kernel).reduce((best, p) => (away(p) > away(best) ? p : best), via);
      // The shell takes its namespaces, root, credentials and capability bounding
      // set, on a thread of ours; in a user namespace of its own, from inside that
      // (entered by nsenter: it takes a single-threaded process).
      let caps: string;
      try {
        caps = `its ${capabilityCount(parseCredentials(readFileSync(`${procRoot}/${inner.pid}/status`, 'latin1')).bounding)} capabilities`;
      } catch {
        return { error: `pid ${inner.pid} is gone or unreadable` };
      }
      if (inner.userns !== null && inner.userns !== ours.user) {
        return {
          launch: { argv: inUsernsArgv({ pid: inner.pid, procRoot, shell }) },
          as: `as pid ${inner.pid} runs: its user namespace (its uid there) and its other namespaces, root and ${caps}; its own ${shell}`,
        };
      }
      return {
        launch: { asProcess: { pid: inner.pid, procRoot, shell, env: process.env } },
        as: `as pid ${inner.pid} runs: its namespaces, root, uid ${inner.uid} and ${caps}; its own ${shell}`,
      };
    },
    reread: () => watcher.reread(),
    pin(ns, mount) {
      const nsPath = chrootedReader(ns) ? null : pathInto(ns);
      return nsPath ? runUniqueMountId(nsPath, mount.target, mount.id, targetBytes(mount)) : null;
    },
    async setPropagation(ns: MountNamespace, mount: Mount, kind, recursive, uniqueId) {
      if (chrootedReader(ns)) {
        return { ok: false, message: 'this namespace was read through a chrooted process: its paths are relative to that root' };
      }
      const nsPath = pathInto(ns);
      if (!nsPath) return { ok: false, message: 'no way into that namespace (no process and no holder left)' };
      const r = runSetPropagation(nsPath, mount.target, mount.id, kind, recursive, targetBytes(mount), uniqueId ?? undefined);
      if (!r.ok) return r;
      watcher.reread();
      const after =
        watcher
          .snapshot()
          .namespaces.find((n) => n.inode === ns.inode)
          ?.mounts.find((m) => m.id === mount.id) ?? null;
      return { ok: true, after };
    },
  };
}
