/**
 * The one place the live state lives, outside React: the current Snapshot, when
 * it was taken, what failed. The view subscribes (useSyncExternalStore); readers
 * and watchers feed it. Nothing here knows about Ink.
 */
import type { Mount, MountNamespace, Snapshot } from '../model/types.js';
import type { WatchEvent } from '../watch/events.js';
import type { ShellLaunch } from '../sys/enter-shell.js';

/** How many events the log keeps. */
export const LOG_SIZE = 500;

export interface StoreState {
  snapshot: Snapshot | null;
  /** A refresh is running. */
  loading: boolean;
  /** The last refresh failed with this message (the previous snapshot stays). */
  error: string | null;
  lastRefresh: Date | null;
  /** How long the last snapshot took, in ms. */
  lastDurationMs: number | null;
  /** One-line notices for the status bar (newest last). */
  notice: string | null;
  /** The newest events, oldest first, at most LOG_SIZE. */
  events: WatchEvent[];
  /** When each namespace (`ns:INODE`) or mount (`m:INODE:ID`) last changed, ms since epoch. */
  changedAt: ReadonlyMap<string, number>;
  /** Namespaces whose table is being read off the main thread (a slow one): drawn "reading…". */
  reading: ReadonlySet<number>;
}

export type Snapshotter = () => Promise<Snapshot>;

/** What the system can be asked to do; given by whoever owns the system side (run.tsx). */
export interface Actions {
  /**
   * Changes propagation and re-reads: `after` is the mount as the kernel now shows
   * it. `uniqueId` (from pin): refuse unless the mount is still that very one.
   */
  setPropagation(ns: MountNamespace, mount: Mount, kind: 'private' | 'shared' | 'slave' | 'unbindable', recursive: boolean, uniqueId?: string | null):
    Promise<{ ok: true; after: Mount | null } | { ok: false; message: string }>;
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

export class Store {
  private state: StoreState = {
    snapshot: null, loading: false, error: null, lastRefresh: null, lastDurationMs: null, notice: null, events: [], changedAt: new Map(), reading: new Set(),
  };
  private listeners = new Set<() => void>();
  private inflight: Promise<void> | null = null;

  /**
   * `shape` narrows what the view sees (mntns lab shows only the lab's namespaces);
   * events about namespaces it leaves out are dropped too.
   */
  constructor(
    private readonly take: Snapshotter,
    readonly actions: Actions | null = null,
    private readonly shape: (s: Snapshot) => Snapshot = (s) => s,
  ) {}

  getState = (): StoreState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private set(patch: Partial<StoreState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** Replaces the snapshot (watchers and tests use this directly). */
  setSnapshot(snapshot: Snapshot, durationMs: number | null = null): void {
    this.set({ snapshot: this.shape(snapshot), loading: false, error: null, lastRefresh: new Date(), lastDurationMs: durationMs });
  }

  /** A watcher's batch: the new snapshot and the events that led to it. */
  applyEvents(full: Snapshot, all: WatchEvent[]): void {
    const snapshot = this.shape(full);
    const shown = new Set(snapshot.namespaces.map((n) => n.inode));
    const events = snapshot === full ? all : all.filter((e) => shown.has(e.ns));
    const now = Date.now();
    const changedAt = new Map(this.state.changedAt);
    for (const [k, t] of changedAt) if (now - t > 10_000) changedAt.delete(k);
    for (const e of events) {
      changedAt.set(`ns:${e.ns}`, now);
      if (e.mount) changedAt.set(`m:${e.ns}:${e.mount.id}`, now);
    }
    const log = this.state.events.concat(events);
    this.set({ snapshot, events: log.length > LOG_SIZE ? log.slice(log.length - LOG_SIZE) : log, changedAt, lastRefresh: new Date(), error: null });
  }

  setReading(inodes: ReadonlySet<number>): void {
    this.set({ reading: new Set(inodes) });
  }

  notify(notice: string | null): void {
    this.set({ notice });
  }

  /** Takes a new snapshot; concurrent calls share one run. */
  refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    this.set({ loading: true });
    const t0 = performance.now();
    this.inflight = this.take()
      .then(
        (snap) => this.setSnapshot(snap, performance.now() - t0),
        (e: unknown) => this.set({ loading: false, error: (e as Error).message ?? String(e) }),
      )
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }
}
