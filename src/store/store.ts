/**
 * The one place the live state lives, outside React: the current Snapshot, when
 * it was taken, what failed. The view subscribes (useSyncExternalStore); readers
 * and watchers feed it. Nothing here knows about Ink.
 */
import { writeFileSync } from 'node:fs';
import { eventJson } from '../format/event-json.js';
import type { MountBy, Snapshot } from '../model/types.js';
import type { WatchEvent } from '../watch/events.js';
import type { Actions } from '../actions/actions.js';

/** How many events the log keeps. */
/** Events kept by default (--journal N): about 10 MB of mounts at most. */
export const JOURNAL_SIZE = 10_000;

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
  /** The journal: the newest events, oldest first, at most the journal's size. */
  events: WatchEvent[];
  /** When each namespace (`ns:INODE`) or mount (`m:INODE:ID`) last changed, ms since epoch. */
  changedAt: ReadonlyMap<string, number>;
  /** When each mount seen arriving (`INODE:ID`) appeared, who made it and where it came from; until it goes. */
  appeared: ReadonlyMap<string, Appearance>;
  /** What "changes since" compares with: the first snapshot, or the one when `m` was pressed. */
  mark: { time: Date; snapshot: Snapshot } | null;
  /** Namespaces whose table is being read off the main thread (a slow one): drawn "reading…". */
  reading: ReadonlySet<number>;
}

export type Snapshotter = () => Promise<Snapshot>;

/** A mount seen arriving: when, who made it (null: not known; absent: no mount events), from which namespace. */
export interface Appearance {
  time: string;
  by?: MountBy | null;
  from?: number;
}

export class Store {
  private state: StoreState = {
    snapshot: null,
    loading: false,
    error: null,
    lastRefresh: null,
    lastDurationMs: null,
    notice: null,
    events: [],
    changedAt: new Map(),
    appeared: new Map(),
    mark: null,
    reading: new Set(),
  };
  private listeners = new Set<() => void>();
  private inflight: Promise<void> | null = null;
  /** The snapshot shown is a preview: its namespaces are marked reading until the first real one. */
  private previewing = false;

  /**
   * `shape` narrows what the view sees (mntns lab shows only the lab's namespaces);
   * events about namespaces it leaves out are dropped too.
   */
  constructor(
    private readonly take: Snapshotter,
    readonly actions: Actions | null = null,
    private readonly shape: (s: Snapshot) => Snapshot = (s) => s,
    private readonly journal = JOURNAL_SIZE,
  ) {}

  getState = (): StoreState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private set(patch: Partial<StoreState>): void {
    // The first snapshot is the mark until `m` sets another.
    if (!this.state.mark && patch.snapshot) patch = { ...patch, mark: { time: new Date(), snapshot: patch.snapshot } };
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** Replaces the snapshot (watchers and tests use this directly). */
  setSnapshot(snapshot: Snapshot, durationMs: number | null = null): void {
    const reading = this.previewing ? { reading: new Set<number>() } : {};
    this.previewing = false;
    this.set({ snapshot: this.shape(snapshot), loading: false, error: null, lastRefresh: new Date(), lastDurationMs: durationMs, ...reading });
  }

  /**
   * The first snapshot's namespaces and processes, before their mounts are read
   * (a big host's tables take as long again): shown at once, each namespace
   * "reading…". Never the mark, and ignored once a real snapshot came.
   */
  preview(snapshot: Snapshot): void {
    if (this.state.lastRefresh !== null) return;
    const shaped = this.shape(snapshot);
    this.previewing = true;
    this.state = { ...this.state, snapshot: shaped, reading: new Set(shaped.namespaces.map((n) => n.inode)) };
    for (const fn of this.listeners) fn();
  }

  /** A watcher's batch: the new snapshot and the events that led to it. */
  applyEvents(full: Snapshot, all: WatchEvent[]): void {
    const snapshot = this.shape(full);
    const shown = new Set(snapshot.namespaces.map((n) => n.inode));
    const events = snapshot === full ? all : all.filter((e) => shown.has(e.ns));
    const now = Date.now();
    const changedAt = new Map(this.state.changedAt);
    for (const [k, t] of changedAt) if (now - t > 10_000) changedAt.delete(k);
    // Copied only when a mount came or went: process events leave it as it was.
    let appeared: Map<string, Appearance> | null = null;
    for (const e of events) {
      changedAt.set(`ns:${e.ns}`, now);
      if ('mount' in e) changedAt.set(`m:${e.ns}:${e.mount.id}`, now);
      if (e.type !== 'mount' && e.type !== 'umount') continue;
      appeared ??= new Map(this.state.appeared);
      if (e.type === 'umount') appeared.delete(`${e.ns}:${e.mount.id}`);
      else appeared.set(`${e.ns}:${e.mount.id}`, { time: e.time, by: e.by, from: e.from });
    }
    const log = this.state.events.concat(events);
    this.set({ snapshot, events: log.length > this.journal ? log.slice(log.length - this.journal) : log, changedAt, appeared: appeared ?? this.state.appeared, lastRefresh: new Date(), error: null });
  }

  /** `m`: changes are counted from now; false when there is nothing to mark yet. */
  setMark(): boolean {
    const snapshot = this.state.snapshot;
    if (!snapshot) return false;
    this.set({ mark: { time: new Date(), snapshot } });
    return true;
  }

  /**
   * Writes the journal to a new file at `path` (never over an existing one, nor
   * through a symlink: O_EXCL; mode 0600, command lines can be private), one
   * event per line as `mntns watch --json` prints them; how many.
   */
  saveJournal(path: string): number {
    const events = this.state.events;
    writeFileSync(path, events.map(eventJson).join(''), { flag: 'wx', mode: 0o600 });
    return events.length;
  }

  setReading(inodes: ReadonlySet<number>): void {
    this.set({ reading: new Set(inodes) });
  }

  notify(notice: string | null): void {
    this.set({ notice });
  }

  /** Takes a new snapshot (for a watcher: everything rediscovered); concurrent calls share one run. */
  rediscover(): Promise<void> {
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
