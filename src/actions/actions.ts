/**
 * What the user can ask of the system — enter a namespace, copy one, change a
 * mount's propagation — as one interface the store hands to the view; the live
 * implementation is live-actions.ts, the syscalls and argv it uses are in sys/.
 */
import type { Mount, MountNamespace, PropagationKind } from '../model/types.js';
import type { ShellLaunch } from '../sys/enter-shell.js';

/** What the system can be asked to do; given by whoever owns the system side (tui.ts). */
export interface Actions {
  /**
   * Changes propagation and re-reads: `after` is the mount as the kernel now shows
   * it. `uniqueId` (from pin): refuse unless the mount is still that very one.
   */
  setPropagation(ns: MountNamespace, mount: Mount, kind: PropagationKind, recursive: boolean, uniqueId?: string | null): Promise<{ ok: true; after: Mount | null } | { ok: false; message: string }>;
  /** The never-reused id of the mount as it is now (when a dialog about it opens), or null where there is none. */
  pin(ns: MountNamespace, mount: Mount): string | null;
  /**
   * How to run the user's shell inside `ns`, and in words whose binaries run
   * with which privileges; or why it can't. `asItRuns`: as one of its processes
   * runs (a container's shell as the container sees it: its namespaces, root,
   * credentials and capability bounding set); else in its mount namespace
   * only, as host root.
   */
  enterHow(ns: MountNamespace, asItRuns: boolean): { launch: ShellLaunch; as: string } | { error: string };
  /** Re-read every table now (after a shell in a namespace returns). */
  reread(): void;
  /** A new mount namespace copied from `ns`, held by mntns (`pid` is the holder's). */
  unshare(ns: MountNamespace, propagation: UnsharePropagation): Promise<{ ok: true; inode: number; pid: number } | { ok: false; message: string }>;
  /** Namespaces made by mntns (inode → holder pid). */
  made(): ReadonlyMap<number, number>;
  /** Lets go of a namespace mntns made; false when mntns did not make it. */
  end(inode: number): boolean;
  /** Lets go of every namespace mntns made. */
  endAll(): void;
  /** Hands the namespaces mntns made to a process that outlives it (quit → keep); who holds them now. */
  keepAll(): { pid: number | null; name: string; inodes: number[] } | null;
}

/** unshare(1)'s --propagation values; private is its default. */
export type UnsharePropagation = 'private' | 'slave' | 'shared' | 'unchanged';
