/**
 * The mount-table event source (findmnt --poll's loop, for every namespace at
 * once): one open mountinfo fd per namespace, polled for POLLPRI by the poll
 * thread; a wake reads that table's appended lines, then the whole table, and
 * diffs it. Reads of one table are spaced during a storm, and a big table is
 * read on libuv's pool. It also holds the namespaces' state, which the process
 * source and the coordinator share.
 */
import { openSync } from 'node:fs';
import { diffMounts } from '../model/diff.js';
import type { Mount, MountNamespace } from '../model/types.js';
import { holderPaths, pinnedNamespace } from '../proc/holders.js';
import type { WatchEvent } from './events.js';
import { append } from '../util/append.js';
import { FollowedTable, type TableChange } from './table.js';
import { coalesceWait, stamp, type Clock } from './schedule.js';
import { nsId } from '../format/describe.js';
import type { PolledTable } from '../sys/poll-thread.js';
import type { MountEventRecord } from '../sys/fanotify.js';

/** A namespace the watcher follows. */
export interface NsState {
  /** The namespace but its mounts, which are the table's (snapshot() puts them in). */
  ns: MountNamespace;
  table: FollowedTable;
}

/** What an event source gets from the coordinator. */
export interface SourceContext {
  procRoot: string;
  clock: Clock;
  /** Only this process's namespace is followed (--pid on watch), else every one. */
  onlyPid?: number;
  trace?: (message: string) => void;
  /** Hands events on (nothing happens for none). */
  emit(events: WatchEvent[]): void;
  /** The state changed without an event: the next snapshot() is built anew. */
  changed(): void;
  stopped(): boolean;
  /** A full rediscovery (a pin for a namespace we don't know). */
  rediscover(): void;
}

export interface TableOptions {
  /** Gap between two reads of one table during a storm, as a multiple of what the last read cost (default 2). */
  coalesceFactor?: number;
  /** Reads a held namespace's mountinfo through its holder path (a worker thread). */
  readHeld?: (nsPath: string) => string;
}

export class MountTables {
  readonly states = new Map<number, NsState>();
  private fdToNs = new Map<number, number>();
  /** mountinfo fds of process-less namespaces mntns holds (adopt), by inode. */
  private held = new Map<number, number>();
  private dirty = new Set<number>();
  /** Tables whose whole read is under way on libuv's pool. */
  private offThread = new Set<number>();
  private readingListeners = new Set<(inodes: ReadonlySet<number>) => void>();
  private flushTimer: NodeJS.Timeout | null = null;
  /** Namespaces with a mount-event mark: their events are the change source, the table's wake only the fallback. */
  private marked = new Set<number>();
  /** Mount events for a table being read off-thread: applied once that read is in (those it saw, skipped). */
  private waiting = new Map<number, Array<{ records: MountEventRecord[]; at: number }>>();

  constructor(
    private readonly ctx: SourceContext,
    private readonly setTables: (tables: PolledTable[], drop: number[]) => void,
    private readonly opts: TableOptions = {},
  ) {}

  /** Follows a namespace that has no process through a mountinfo fd opened in it (a copy made with `u`); ours from now on. */
  adopt(inode: number, fd: number): void {
    this.held.set(inode, fd);
  }

  /** Opens the namespace's table through its process, to follow from these mounts (a snapshot's, or none yet). */
  follow(ns: MountNamespace): FollowedTable {
    // Gone already, or unreadable: the namespace is followed by re-reads.
    let fd = ns.readVia === null ? null : this.openTable(ns.inode, ns.readVia);
    const held = this.held.get(ns.inode);
    if (fd === null && held !== undefined) {
      fd = held;
      this.fdToNs.set(fd, ns.inode);
    }
    return new FollowedTable(fd, ns.mounts, ns.mountErrors);
  }

  /**
   * Follows a namespace's table through `pid` from now on: its mountinfo is
   * opened, the old fd handed back to close, and a whole read diffs what this
   * reader sees against what was shown (a chroot's view becomes the namespace's).
   */
  readThrough(s: NsState, pid: number, drop: number[]): void {
    const fd = this.openTable(s.ns.inode, pid);
    if (fd === null) return; // gone already: the next one, or the next re-read
    if (s.table.fd !== null) {
      this.fdToNs.delete(s.table.fd);
      if (this.held.get(s.ns.inode) === s.table.fd) this.held.delete(s.ns.inode);
      drop.push(s.table.fd);
    }
    s.table = new FollowedTable(fd, s.table.mounts, s.table.errors);
    s.ns = { ...s.ns, readVia: pid };
    this.ctx.trace?.(`${nsId(s.ns.inode)} now read through pid ${pid}`);
    this.dirty.add(s.ns.inode);
    this.scheduleFlush();
  }

  /** Opens `pid`'s mountinfo as the table fd of `inode`; null when it can't be opened. */
  private openTable(inode: number, pid: number): number | null {
    try {
      const fd = openSync(`${this.ctx.procRoot}/${pid}/mountinfo`, 'r');
      this.fdToNs.set(fd, inode);
      return fd;
    } catch {
      return null;
    }
  }

  /** Stops following a namespace: its table fd (for the caller to close), or null. */
  drop(inode: number): number | null {
    const s = this.states.get(inode);
    this.states.delete(inode);
    this.waiting.delete(inode);
    if (!s || s.table.fd === null) return null;
    if (this.held.get(inode) === s.table.fd) this.held.delete(inode);
    this.fdToNs.delete(s.table.fd);
    return s.table.fd;
  }

  /** Hands the poll thread the tables to watch now (and where to mark their namespaces for mount events), and the fds to close. */
  pushFds(drop: number[] = []): void {
    const tables = [...this.states.values()].flatMap(({ table, ns }) =>
      table.fd === null ? [] : [{ fd: table.fd, inode: ns.inode, nsPath: ns.readVia === null ? null : `${this.ctx.procRoot}/${ns.readVia}/ns/mnt` }],
    );
    this.setTables(tables, drop);
  }

  /** Every fd this source opened or was given (to close at the end). */
  openFds(): Set<number> {
    const open = new Set([...this.states.values()].flatMap((s) => (s.table.fd === null ? [] : [s.table.fd])));
    for (const fd of this.held.values()) open.add(fd);
    return open;
  }

  clear(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.states.clear();
    this.held.clear();
    this.waiting.clear();
  }

  /** The namespaces marked for mount events now. */
  setMarked(inodes: Iterable<number>): void {
    this.marked = new Set(inodes);
  }

  /**
   * The kernel's mount events, as the poll thread placed them (`at`: when it
   * read them): each marked table takes its own — attached mounts from its
   * appended lines, detached ones out by identity — and needs no whole read.
   * Where they do not explain the table, it is read whole.
   */
  onRecords(records: MountEventRecord[], at: number, reread: readonly number[] = []): void {
    for (const inode of reread) if (this.states.has(inode)) this.dirty.add(inode);
    if (reread.length) {
      this.ctx.trace?.(`${reread.length} table(s) read whole: mount events lost or not placed`);
      this.scheduleFlush();
    }
    const byNs = new Map<number, MountEventRecord[]>();
    for (const r of records) {
      if (!this.marked.has(r.inode) || !this.states.has(r.inode)) continue;
      const list = byNs.get(r.inode);
      if (list) list.push(r);
      else byNs.set(r.inode, [r]);
    }
    const now = stamp(this.ctx.clock);
    for (const [inode, recs] of byNs) {
      if (this.offThread.has(inode)) {
        const list = this.waiting.get(inode) ?? [];
        list.push({ records: recs, at });
        this.waiting.set(inode, list);
      } else this.ctx.emit(this.applyRecords(inode, recs, at, now));
    }
  }

  private applyRecords(inode: number, recs: MountEventRecord[], at: number, now: string): WatchEvent[] {
    const s = this.states.get(inode);
    if (!s) return [];
    // A move (both at once) may have a new mount point, which only a whole read says.
    const moved = recs.some((r) => r.attach && r.detach);
    const errorsBefore = s.table.errors.length;
    const change = moved
      ? 'unfit'
      : s.table.applyEvents(
          recs.filter((r) => r.detach),
          recs.filter((r) => r.attach),
          at,
        );
    if (change === 'unfit') {
      this.ctx.trace?.(`${nsId(inode)} ${recs.length} mount event(s) do not explain the table: whole read`);
      this.dirty.add(inode);
      this.scheduleFlush();
      return [];
    }
    if (change) this.ctx.trace?.(`${nsId(inode)} from ${recs.length} mount event(s): ${change.fresh.length} in, ${change.gone.length} out`);
    return this.tableEvents(inode, change, errorsBefore, now);
  }

  /**
   * The poll thread saw these fds change. `explained`: those whose namespace's
   * mount events came with the wake (and were applied with them): not read.
   */
  onFire(fds: number[], explained: readonly number[] = []): void {
    const woke: number[] = [];
    const done = new Set(explained);
    for (const fd of fds) {
      const inode = this.fdToNs.get(fd);
      if (inode !== undefined && !(done.has(fd) && this.marked.has(inode))) {
        this.dirty.add(inode);
        woke.push(inode);
      }
    }
    // Whole reads already wait for the storm's spacing: the new mounts go out now.
    if (this.flushTimer) this.emitAppended(woke);
    this.scheduleFlush();
  }

  /**
   * Only the whole reads wait in a storm: new mounts appended to a table go out
   * at its wake (a few bytes read), not after the spacing — at 5,000 mounts that
   * was 120 ms, and every new mount's latency with it.
   */
  private emitAppended(inodes: Iterable<number>): void {
    const now = stamp(this.ctx.clock);
    for (const inode of inodes) if (!this.offThread.has(inode)) this.ctx.emit(this.readAppended(inode, now));
  }

  /** Re-reads this table with the next flush. */
  markDirty(inode: number): void {
    this.dirty.add(inode);
  }

  /** Re-reads every table now. */
  rereadAllNow(): void {
    for (const inode of this.states.keys()) this.dirty.add(inode);
    this.flush();
  }

  isDirty(inode: number): boolean {
    return this.dirty.has(inode) || this.offThread.has(inode);
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.ctx.stopped()) return;
    // Tables being read off-thread wait for that read; its end schedules them again.
    if (![...this.dirty].some((inode) => !this.offThread.has(inode))) return;
    // The last wake after the last change always leads to a read, so the final state is kept.
    let wait = 0;
    const now = this.ctx.clock.mono();
    for (const inode of this.dirty) {
      if (!this.offThread.has(inode)) wait = Math.max(wait, coalesceWait(this.states.get(inode)?.table.lastRead, now, this.opts.coalesceFactor));
    }
    // A quiet table is read right here, in the wake's own turn of the event loop:
    // even setImmediate would cost a tenth of a millisecond of latency.
    if (wait <= 0.5) {
      this.flush();
      return;
    }
    this.emitAppended(this.dirty);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, wait);
  }

  /** Reads the dirty tables: each one's events go out as soon as it is read. */
  flush(): void {
    const now = stamp(this.ctx.clock);
    const batch = [...this.dirty].filter((inode) => !this.offThread.has(inode));
    for (const inode of batch) this.dirty.delete(inode); // a table being read off-thread stays dirty for after
    // With big tables, the first namespace's news need not wait for the reads of
    // the others. New mounts go out before the table is read whole (which still follows).
    for (const inode of batch) {
      this.ctx.emit(this.readAppended(inode, now));
      if (this.states.get(inode)?.table.slow()) void this.readOffThread(inode);
      else this.ctx.emit(this.readTable(inode, now));
    }
    this.scheduleFlush();
  }

  /** Tables being read off the main thread now (the TUI marks them "reading…"). */
  reading(): ReadonlySet<number> {
    return this.offThread;
  }

  onReading(fn: (inodes: ReadonlySet<number>) => void): () => void {
    this.readingListeners.add(fn);
    return () => this.readingListeners.delete(fn);
  }

  /** A slow table's whole read on libuv's pool; its events when it is done. */
  private async readOffThread(inode: number): Promise<void> {
    const s = this.states.get(inode);
    if (!s || this.offThread.has(inode)) return;
    this.offThread.add(inode);
    for (const fn of this.readingListeners) fn(this.offThread);
    const errorsBefore = s.table.errors.length;
    try {
      const change = await s.table.readWholeOffThread();
      if (!this.ctx.stopped() && this.states.get(inode) === s) this.ctx.emit(this.tableEvents(inode, change, errorsBefore, stamp(this.ctx.clock)));
    } catch {
      // the namespace is going away; the process source will say so
    } finally {
      this.offThread.delete(inode);
      const waiting = this.waiting.get(inode);
      this.waiting.delete(inode);
      // Those read before this read began are in it (applyEvents skips them).
      for (const w of waiting ?? []) if (!this.ctx.stopped() && this.states.get(inode) === s) this.ctx.emit(this.applyRecords(inode, w.records, w.at, stamp(this.ctx.clock)));
      for (const fn of this.readingListeners) fn(this.offThread);
      this.scheduleFlush(); // wakes that came meanwhile
    }
  }

  /**
   * The slow re-read of every table (up to `maxMounts` mounts), in slices of
   * about 20 ms with the event loop turning in between: on a host with hundreds
   * of big tables a wake from a real mount is served between two slices instead
   * of after the whole pass. Returns what the reads cost (ms).
   */
  async rereadAll(maxMounts = Infinity): Promise<{ cost: number; tables: number }> {
    const { clock } = this.ctx;
    const queue = [...this.states].filter(([, s]) => s.table.mounts.length <= maxMounts).map(([inode]) => inode);
    let cost = 0;
    for (let i = 0; i < queue.length && !this.ctx.stopped();) {
      const t0 = clock.mono();
      const now = stamp(clock);
      const events: WatchEvent[] = [];
      const slow: number[] = [];
      for (; i < queue.length && clock.mono() - t0 < 20; i++) {
        if (this.isDirty(queue[i])) continue; // a woken one is read by flush
        if (this.states.get(queue[i])?.table.slow()) slow.push(queue[i]);
        else append(events, this.readTable(queue[i], now));
      }
      cost += clock.mono() - t0;
      this.ctx.emit(events);
      for (const inode of slow) {
        const t1 = clock.mono();
        await this.readOffThread(inode);
        cost += clock.mono() - t1;
      }
      await new Promise((r) => setImmediate(r));
    }
    return { cost, tables: queue.length };
  }

  /** Re-reads one table whole; the events of what changed since the last read. */
  readTable(inode: number, now: string): WatchEvent[] {
    const s = this.states.get(inode);
    if (!s) return [];
    const errorsBefore = s.table.errors.length;
    let change;
    try {
      change = s.table.readWhole(this.opts.readHeld && s.ns.holders.length ? () => this.readHeld(s.ns) : undefined);
    } catch {
      return []; // the namespace is going away; the process source will say so
    }
    return this.tableEvents(inode, change, errorsBefore, now);
  }

  /** The events of a whole read's change. */
  private tableEvents(inode: number, change: TableChange | null, errorsBefore: number, now: string): WatchEvent[] {
    const s = this.states.get(inode);
    if (!change || !s) return [];
    const evs = mountEvents(inode, change.gone, change.fresh, now);
    // E.g. the same lines in another order: the snapshot stays as it is.
    if (evs.length === 0 && s.table.errors.length === errorsBefore) return [];
    this.ctx.changed();
    this.noticePins(evs);
    return evs;
  }

  /** A new pin for a namespace we don't know (its processes may be gone already) needs a full scan. */
  private noticePins(evs: WatchEvent[]): void {
    for (const e of evs) {
      const pinned = e.type === 'mount' ? pinnedNamespace(e.mount) : null;
      if (pinned !== null && !this.states.has(pinned) && this.ctx.onlyPid === undefined) this.ctx.rediscover();
    }
  }

  /** New mounts from the lines appended to a table since its last read (FollowedTable.readAppended). */
  private readAppended(inode: number, now: string): WatchEvent[] {
    const s = this.states.get(inode);
    const r = s?.table.readAppended();
    if (!s || !r) return [];
    if ('declined' in r) {
      this.ctx.trace?.(`${nsId(inode)} ${r.declined} appended line(s), not plain new leaves: whole read`);
      return [];
    }
    this.ctx.trace?.(`${nsId(inode)} ${r.added.length} new mount(s) from ${r.bytes} appended bytes`);
    this.ctx.changed();
    const evs = r.added.map((mount): WatchEvent => ({ time: now, type: 'mount', ns: inode, mount }));
    this.noticePins(evs);
    return evs;
  }

  private readHeld(ns: MountNamespace): string {
    const [path] = holderPaths(ns.holders, this.ctx.procRoot, (i) => this.states.get(i)?.ns.readVia);
    if (!path) throw new Error('no holder path');
    return this.opts.readHeld!(path);
  }

  /** Some followed table has a pin (an nsfs bind mount) of `inode`. */
  isPinned(inode: number): boolean {
    for (const s of this.states.values()) for (const m of s.table.mounts) if (pinnedNamespace(m) === inode) return true;
    return false;
  }
}

/** The events that turn table `before` into `after`. */
export function mountEvents(inode: number, before: Mount[], after: Mount[], time: string): WatchEvent[] {
  const d = diffMounts(before, after);
  return [
    ...d.removed.map((mount): WatchEvent => ({ time, type: 'umount', ns: inode, mount })),
    ...d.added.map((mount): WatchEvent => ({ time, type: 'mount', ns: inode, mount })),
    ...d.changed.map((c): WatchEvent => ({ time, type: 'change', ns: inode, mount: c.after, before: c.before })),
  ];
}
