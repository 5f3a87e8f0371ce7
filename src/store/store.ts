/**
 * The one place the live state lives, outside React: the current Snapshot, when
 * it was taken, what failed. The view subscribes (useSyncExternalStore); readers
 * and watchers feed it. Nothing here knows about Ink.
 */
import type { Snapshot } from '../model/types.js';

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
}

export type Snapshotter = () => Promise<Snapshot>;

export class Store {
  private state: StoreState = { snapshot: null, loading: false, error: null, lastRefresh: null, lastDurationMs: null, notice: null };
  private listeners = new Set<() => void>();
  private inflight: Promise<void> | null = null;

  constructor(private readonly take: Snapshotter) {}

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
    this.set({ snapshot, loading: false, error: null, lastRefresh: new Date(), lastDurationMs: durationMs });
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
