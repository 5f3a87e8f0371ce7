/**
 * Follows the system live, the way findmnt --poll does for one table, for every
 * mount namespace at once:
 * - mount tables: one open mountinfo fd per namespace (table.ts), polled for
 *   POLLPRI in a worker; a wake reads that table's appended lines, then the
 *   whole table, and diffs it;
 * - propagation changes wake nobody: every table is re-read on a slow timer and
 *   right after mntns's own actions (refresh());
 * - processes: a /proc readdir diff about once a second that reads only new pids;
 * - namespaces held without processes, and pins: a full reconcile when the kernel
 *   lists a namespace we don't know, or a watched pin directory changes.
 */
import { openSync, readFileSync } from 'node:fs';
import { closeQuietly } from '../sys/threads.js';
import { diffMounts } from '../model/diff.js';
import { linkPeerGroups, sortedGroups } from '../model/peer-groups.js';
import { attachFindings } from '../discover/snapshot.js';
import type { Finding, Mount, MountNamespace, Process, Snapshot } from '../model/types.js';
import { holderPaths, pinnedNamespace } from '../proc/holders.js';
import { listPids, readProcess } from '../proc/process.js';
import type { WatchEvent } from './events.js';
import type { PollerHandlers } from '../sys/mountinfo-poller.js';
import type { ProcEvents } from '../sys/proc-connector.js';
import { append } from '../util/append.js';
import { FollowedTable, type TableChange } from './table.js';

export interface WatcherDeps {
  /** A full snapshot (the discovery pipeline). */
  takeSnapshot: () => Promise<Snapshot>;
  /** Every mount namespace the kernel has, or null when it can't tell. */
  listNamespaces?: () => Promise<number[] | null>;
  /** Reads a held namespace's mountinfo through its holder path (a worker thread). */
  readHeld?: (nsPath: string) => string;
  /** Watches fds for POLLPRI (and, where it can, the kernel's process events); a handle to change the set. */
  poller: (h: PollerHandlers) => { setFds(fds: number[], drop?: number[]): void; close(): Promise<void> };
}

export interface WatcherOptions {
  procRoot?: string;
  /** Only this process's namespace, read through it. */
  pid?: number;
  /** Scan /proc for new and exited processes this often when the kernel's process events are not available. */
  processIntervalMs?: number;
  /** With process events flowing, still scan this often: a setns without exec sends none. */
  safetyScanMs?: number;
  /** Re-read every table this often, exactly. Without it: every 10 s, stretched by rescanBudget. */
  rescanIntervalMs?: number;
  /**
   * Without rescanIntervalMs, the share of one core the slow re-reads may take
   * (default 0.002): a host with thousands of mounts in hundreds of namespaces is
   * re-read less often rather than costing its admin a busy core.
   */
  rescanBudget?: number;
  /**
   * Gap between two reads of one table during a storm, as a multiple of what the
   * last read cost (default 2: reading takes at most a third of a core).
   */
  coalesceFactor?: number;
  /** Says how each wake was served (MNTNS_TRACE): the appended lines, or why not. */
  trace?: (message: string) => void;
}

interface NsState {
  /** The namespace but its mounts, which are the table's (snapshot() puts them in). */
  ns: MountNamespace;
  table: FollowedTable;
}

/** The first re-read after start reads tables up to this size (see start()). */
const FIRST_PASS_MAX_MOUNTS = 5000;

export type BatchListener = (events: WatchEvent[]) => void;

export class Watcher {
  private readonly procRoot: string;
  private states = new Map<number, NsState>();
  private fdToNs = new Map<number, number>();
  /** Tables whose whole read is under way on libuv's pool. */
  private offThread = new Set<number>();
  private readingListeners = new Set<(inodes: ReadonlySet<number>) => void>();
  /** mountinfo fds of process-less namespaces mntns holds (adoptTable), by inode. */
  private heldTables = new Map<number, number>();
  private pidToNs = new Map<number, number>();
  private dirty = new Set<number>();
  /** `/proc/loadavg`'s last-pid and thread-count fields at the last process scan. */
  private lastLoadKey = '';
  private flushTimer: NodeJS.Timeout | null = null;
  private timers: NodeJS.Timeout[] = [];
  private listeners = new Set<BatchListener>();
  private poll: ReturnType<WatcherDeps['poller']> | null = null;
  private cached: Snapshot | null = null;
  /** The tables the last peer-group link was made from, and its results. */
  private linked: { mounts: Mount[][]; peerGroups: Snapshot['peerGroups']; findings: Map<number, Finding[]> } | null = null;
  private errors: Snapshot['errors'] = [];
  private stopped = false;
  private reconciling: Promise<void> | null = null;
  /** Namespaces the kernel lists that the last full scan could not explain (no process, pin or fd). */
  private unexplained = new Set<number>();
  /** Unknown namespaces the kernel listed at the last slow tick (a scan waits for a second listing). */
  private listedOnce = new Set<number>();
  /** Process events from the kernel are flowing: the /proc scan is only a safety net. */
  private procEvents = false;
  private lastScan = 0;
  private pendingProcs: ProcEvents = { forked: [], execd: [], exited: [], overrun: false };
  private procTimer: NodeJS.Timeout | null = null;
  private slowTimer: NodeJS.Timeout | null = null;
  /** What the last slow re-read of every table cost (ms), for its budget. */
  private rescanCostMs = 0;
  /** The first slow re-read (of the small tables only) is done. */
  private reReadOnce = false;

  constructor(private readonly deps: WatcherDeps, private readonly opts: WatcherOptions = {}) {
    this.procRoot = opts.procRoot ?? '/proc';
  }

  /** Takes the first snapshot, opens the fds and starts the timers. */
  async start(): Promise<Snapshot> {
    this.poll = this.deps.poller({
      onFire: (fds) => this.onFire(fds),
      onProcs: (ev) => this.onProcs(ev),
      onProcsReady: (ok) => {
        this.procEvents = ok;
      },
    });
    await this.reconcile(false);
    this.timers.push(setInterval(() => this.processTick(), this.opts.processIntervalMs ?? 1000));
    for (const t of this.timers) t.unref();
    // A first re-read comes a second after start, not after the full interval: the
    // snapshot's tables were read elsewhere (reader threads), and our own read is
    // what lets the next wake read just the appended lines. It skips big tables:
    // one read of 50,000 mounts holds the event loop ~0.4 s, a freeze just as
    // people start pressing keys; their first wake or the next re-read does it.
    this.scheduleSlowTick(1000);
    return this.snapshot();
  }

  onBatch(fn: BatchListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The current state as a snapshot; a new object after every change, so views can memoise. */
  snapshot(): Snapshot {
    if (this.cached) return this.cached;
    const namespaces = [...this.states.values()]
      .map((s) => (s.ns = { ...s.ns, mounts: s.table.mounts, mountErrors: s.table.errors }))
      .sort((a, b) => Number(b.initial) - Number(a.initial) || a.inode - b.inode);
    // Peer groups and findings depend on the tables only: when no table changed
    // (processes came and went), reuse them instead of relinking every mount.
    const linked = this.linked;
    if (linked && linked.mounts.length === namespaces.length && namespaces.every((n, i) => n.mounts === linked.mounts[i])) {
      for (const n of namespaces) n.findings = linked.findings.get(n.inode) ?? [];
    } else {
      const index = linkPeerGroups(namespaces);
      attachFindings(namespaces, index);
      this.linked = { mounts: namespaces.map((n) => n.mounts), peerGroups: sortedGroups(index), findings: new Map(namespaces.map((n) => [n.inode, n.findings])) };
    }
    this.cached = { version: 1, time: new Date().toISOString(), namespaces, peerGroups: this.linked!.peerGroups, errors: this.errors };
    return this.cached;
  }

  /**
   * Follows a namespace that has no process through a mountinfo fd opened in
   * it (a copy made with `u`, held by mntns): poll(2) wakes on it like on any
   * process's table. The watcher owns the fd from now on.
   */
  adoptTable(inode: number, fd: number): void {
    this.heldTables.set(inode, fd);
  }

  /** Stops following a namespace mntns let go of (K): its table fd is closed, so nothing of ours holds it. */
  releaseTable(inode: number): void {
    this.heldTables.delete(inode);
    const fd = this.dropState(inode);
    if (fd === null) return;
    this.pushFds([fd]);
    this.emit([{ time: new Date().toISOString(), type: 'namespace-removed', ns: inode }]);
  }

  /** Re-reads every table now (after our own actions: propagation changes wake nobody). */
  reread(): void {
    for (const inode of this.states.keys()) this.dirty.add(inode);
    this.flush();
  }

  /** A full rediscovery (pins changed, or a namespace we don't know exists). */
  rediscover(): Promise<void> {
    return this.reconcile(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.slowTimer) clearTimeout(this.slowTimer);
    if (this.procTimer) clearTimeout(this.procTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.poll?.close();
    const open = new Set([...this.states.values()].flatMap((s) => (s.table.fd === null ? [] : [s.table.fd])));
    for (const fd of this.heldTables.values()) open.add(fd);
    for (const fd of open) closeQuietly(fd);
    this.states.clear();
    this.heldTables.clear();
  }

  // --- internals -----------------------------------------------------------

  private emit(events: WatchEvent[]): void {
    if (events.length === 0) return;
    this.cached = null;
    for (const fn of this.listeners) fn(events);
  }

  private wanted(inode: number): boolean {
    if (this.opts.pid === undefined) return true;
    return this.pidToNs.get(this.opts.pid) === inode;
  }

  private pushFds(drop: number[] = []): void {
    const fds = [...this.states.values()].flatMap((s) => (s.table.fd === null ? [] : [s.table.fd]));
    this.poll?.setFds(fds, drop);
  }

  /** Opens the namespace's table through its process, to follow from these mounts (a snapshot's, or none yet). */
  private follow(ns: MountNamespace): FollowedTable {
    // Gone already, or unreadable: the namespace is followed by rescans.
    let fd = ns.readVia === null ? null : this.openTable(ns.inode, ns.readVia);
    const held = this.heldTables.get(ns.inode);
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
  private readThrough(s: NsState, pid: number, drop: number[]): void {
    const fd = this.openTable(s.ns.inode, pid);
    if (fd === null) return; // gone already: the next one, or the next rescan
    if (s.table.fd !== null) {
      this.fdToNs.delete(s.table.fd);
      if (this.heldTables.get(s.ns.inode) === s.table.fd) this.heldTables.delete(s.ns.inode);
      drop.push(s.table.fd);
    }
    s.table = new FollowedTable(fd, s.table.mounts, s.table.errors);
    s.ns = { ...s.ns, readVia: pid };
    this.opts.trace?.(`mnt:[${s.ns.inode}] now read through pid ${pid}`);
    this.dirty.add(s.ns.inode);
    this.scheduleFlush();
  }

  /** Opens `pid`'s mountinfo as the table fd of `inode`; null when it can't be opened. */
  private openTable(inode: number, pid: number): number | null {
    try {
      const fd = openSync(`${this.procRoot}/${pid}/mountinfo`, 'r');
      this.fdToNs.set(fd, inode);
      return fd;
    } catch {
      return null;
    }
  }

  private dropState(inode: number): number | null {
    const s = this.states.get(inode);
    this.states.delete(inode);
    if (!s || s.table.fd === null) return null;
    if (this.heldTables.get(inode) === s.table.fd) this.heldTables.delete(inode);
    this.fdToNs.delete(s.table.fd);
    return s.table.fd;
  }

  /** Aligns our state with a fresh snapshot; emits what differs when `report`. */
  private reconcile(report: boolean): Promise<void> {
    if (this.reconciling) return this.reconciling;
    this.reconciling = (async () => {
      const snap = await this.deps.takeSnapshot();
      if (this.stopped) return;
      const now = new Date().toISOString();
      const events: WatchEvent[] = [];
      const drop: number[] = [];
      const seen = new Set<number>();
      this.pidToNs = new Map(snap.namespaces.flatMap((ns) => ns.processes.map((p) => [p.pid, ns.inode] as [number, number])));
      for (const ns of snap.namespaces) {
        if (!this.wanted(ns.inode)) continue;
        seen.add(ns.inode);
        const old = this.states.get(ns.inode);
        if (!old) {
          this.states.set(ns.inode, { ns, table: this.follow(ns) });
          if (report) {
            events.push({ time: now, type: 'namespace-added', ns: ns.inode });
            for (const p of ns.processes) events.push({ time: now, type: 'process-added', ns: ns.inode, pid: p.pid, comm: p.comm });
          }
          continue;
        }
        // A table we follow through its fd may have moved on while the snapshot was
        // taken (seconds on a big host): keep ours and re-read it now, so the diff
        // is against what we last reported — a stale snapshot must neither report
        // old news nor become our state (an unchanged re-read would never fix it).
        const live = old.table.fd !== null;
        if (report) {
          if (!live) append(events, this.mountEvents(ns.inode, old.table.mounts, ns.mounts, now));
          const before = new Set(old.ns.processes.map((p) => p.pid));
          const after = new Set(ns.processes.map((p) => p.pid));
          for (const p of ns.processes) if (!before.has(p.pid)) events.push({ time: now, type: 'process-added', ns: ns.inode, pid: p.pid, comm: p.comm });
          for (const p of old.ns.processes) if (!after.has(p.pid)) events.push({ time: now, type: 'process-removed', ns: ns.inode, pid: p.pid, comm: p.comm });
        }
        if (live) {
          const via = old.ns.readVia;
          old.ns = ns; // its mounts stay the table's
          old.table.invalidate();
          this.dirty.add(ns.inode);
          // Ours is read through a chrooted process and the snapshot found one whose root is the namespace's.
          const ours = ns.processes.find((p) => p.pid === via);
          if (ours?.chrooted && ns.readVia !== null && ns.readVia !== via) this.readThrough(old, ns.readVia, drop);
          else old.ns = { ...ns, readVia: via };
        } else {
          old.ns = ns;
          old.table = this.follow(ns);
        }
      }
      for (const inode of [...this.states.keys()]) {
        if (seen.has(inode)) continue;
        const fd = this.dropState(inode);
        if (fd !== null) drop.push(fd);
        if (report) events.push({ time: now, type: 'namespace-removed', ns: inode });
      }
      this.errors = snap.errors;
      this.cached = null;
      this.pushFds(drop);
      this.emit(events);
      this.flush(); // the re-reads: after this, snapshot() is current

    })().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  private mountEvents(inode: number, before: MountNamespace['mounts'], after: MountNamespace['mounts'], time: string): WatchEvent[] {
    const d = diffMounts(before, after);
    return [
      ...d.removed.map((m): WatchEvent => ({ time, type: 'umount', ns: inode, mount: m })),
      ...d.added.map((m): WatchEvent => ({ time, type: 'mount', ns: inode, mount: m })),
      ...d.changed.map((c): WatchEvent => ({ time, type: 'change', ns: inode, mount: c.after, before: c.before })),
    ];
  }

  private onFire(fds: number[]): void {
    for (const fd of fds) {
      const inode = this.fdToNs.get(fd);
      if (inode !== undefined) this.dirty.add(inode);
    }
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.stopped) return;
    // Tables being read off-thread wait for that read; its end schedules them again.
    if (![...this.dirty].some((inode) => !this.offThread.has(inode))) return;
    // During a storm, space the reads of a table by a multiple of what reading it
    // costs; the last wake after the last change always leads to a read, so the
    // final state is kept. A quiet table is read at once.
    const factor = this.opts.coalesceFactor ?? 2;
    let wait = 0;
    const now = performance.now();
    for (const inode of this.dirty) {
      if (this.offThread.has(inode)) continue;
      const last = this.states.get(inode)?.table.lastRead;
      if (last) wait = Math.max(wait, last.at + last.cost * factor - now);
    }
    // A quiet table is read right here, in the wake's own turn of the event loop:
    // even setImmediate would cost a tenth of a millisecond of latency.
    if (wait <= 0.5) {
      this.flush();
      return;
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const now = new Date().toISOString();
    const batch = [...this.dirty].filter((inode) => !this.offThread.has(inode));
    for (const inode of batch) this.dirty.delete(inode); // a table being read off-thread stays dirty for after
    // Each table's events go out as soon as it is read: with big tables, the
    // first namespace's news need not wait for the reads of the others. New
    // mounts go out before the table is read whole (which still follows).
    for (const inode of batch) {
      this.emit(this.readAppended(inode, now));
      if (this.states.get(inode)?.table.slow()) void this.readOffThread(inode);
      else this.emit(this.readTable(inode, now));
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
      if (!this.stopped && this.states.get(inode) === s) this.emit(this.tableEvents(inode, change, errorsBefore, new Date().toISOString()));
    } catch {
      // the namespace is going away; the process tick will say so
    } finally {
      this.offThread.delete(inode);
      for (const fn of this.readingListeners) fn(this.offThread);
      this.scheduleFlush(); // wakes that came meanwhile
    }
  }

  /**
   * The slow re-read of every table, in slices of about 20 ms with the event loop
   * turning in between: on a host with hundreds of big tables a wake from a real
   * mount is served between two slices instead of after the whole pass.
   * Returns what the reads cost (ms).
   */
  private async rescanAll(maxMounts = Infinity): Promise<{ cost: number; tables: number }> {
    const queue = [...this.states].filter(([, s]) => s.table.mounts.length <= maxMounts).map(([inode]) => inode);
    let cost = 0;
    for (let i = 0; i < queue.length && !this.stopped; ) {
      const t0 = performance.now();
      const now = new Date().toISOString();
      const events: WatchEvent[] = [];
      const slow: number[] = [];
      for (; i < queue.length && performance.now() - t0 < 20; i++) {
        if (this.dirty.has(queue[i]) || this.offThread.has(queue[i])) continue; // a woken one is read by flush
        if (this.states.get(queue[i])?.table.slow()) slow.push(queue[i]);
        else append(events, this.readTable(queue[i], now));
      }
      cost += performance.now() - t0;
      this.emit(events);
      for (const inode of slow) {
        const t1 = performance.now();
        await this.readOffThread(inode);
        cost += performance.now() - t1;
      }
      await new Promise((r) => setImmediate(r));
    }
    return { cost, tables: queue.length };
  }

  /** Re-reads one table whole; the events of what changed since the last read. */
  private readTable(inode: number, now: string): WatchEvent[] {
    const s = this.states.get(inode);
    if (!s) return [];
    const errorsBefore = s.table.errors.length;
    let change;
    try {
      change = s.table.readWhole(this.deps.readHeld && s.ns.holders.length ? () => this.readHeld(s.ns) : undefined);
    } catch {
      return []; // the namespace is going away; the process tick will say so
    }
    return this.tableEvents(inode, change, errorsBefore, now);
  }

  /** The events of a whole read's change. */
  private tableEvents(inode: number, change: TableChange | null, errorsBefore: number, now: string): WatchEvent[] {
    const s = this.states.get(inode);
    if (!change || !s) return [];
    const evs = this.mountEvents(inode, change.gone, change.fresh, now);
    // E.g. the same lines in another order: the snapshot stays as it is.
    if (evs.length === 0 && s.table.errors.length === errorsBefore) return [];
    this.cached = null;
    this.noticePins(evs);
    return evs;
  }

  /** A new pin for a namespace we don't know (its processes may be gone already) needs a full scan. */
  private noticePins(evs: WatchEvent[]): void {
    for (const e of evs) {
      const pinned = e.type === 'mount' && e.mount ? pinnedNamespace(e.mount) : null;
      if (pinned !== null && !this.states.has(pinned) && this.opts.pid === undefined) void this.reconcile(true);
    }
  }

  /** New mounts from the lines appended to a table since its last read (FollowedTable.readAppended). */
  private readAppended(inode: number, now: string): WatchEvent[] {
    const s = this.states.get(inode);
    const r = s?.table.readAppended();
    if (!s || !r) return [];
    if ('declined' in r) {
      this.opts.trace?.(`mnt:[${inode}] ${r.declined} appended line(s), not plain new leaves: whole read`);
      return [];
    }
    this.opts.trace?.(`mnt:[${inode}] ${r.added.length} new mount(s) from ${r.bytes} appended bytes`);
    this.cached = null;
    const evs = r.added.map((m): WatchEvent => ({ time: now, type: 'mount', ns: inode, mount: m }));
    this.noticePins(evs);
    return evs;
  }

  private readHeld(ns: MountNamespace): string {
    const [path] = holderPaths(ns.holders, this.procRoot, (i) => this.states.get(i)?.ns.readVia);
    if (!path) throw new Error('no holder path');
    return this.deps.readHeld!(path);
  }

  /** Kernel process events: gathered for a moment, so a storm of short-lived processes costs one pass. */
  private onProcs(ev: ProcEvents): void {
    const p = this.pendingProcs;
    append(p.forked, ev.forked);
    append(p.execd, ev.execd);
    append(p.exited, ev.exited);
    p.overrun ||= ev.overrun;
    this.scheduleProcs();
  }

  private scheduleProcs(): void {
    if (this.stopped) return;
    this.procTimer ??= setTimeout(() => {
      this.procTimer = null;
      // A scan is under way (the first one at start, a rediscovery): its snapshot
      // is about to become our state, so these events wait for it. Applied now,
      // they would build namespaces out of single processes — a partial first
      // frame, `namespace-added` for namespaces that were there all along.
      if (this.reconciling) {
        this.opts.trace?.('process events held until the scan is done');
        void this.reconciling.then(() => this.scheduleProcs());
        return;
      }
      const batch = this.pendingProcs;
      this.pendingProcs = { forked: [], execd: [], exited: [], overrun: false };
      if (batch.overrun) {
        this.processTick(true); // events were lost: look at /proc itself
        return;
      }
      const exited = new Set(batch.exited);
      // Born and gone within the batch: never shown, so never reported.
      const born = [...new Set([...batch.forked, ...batch.execd])].filter((pid) => !exited.has(pid) || this.pidToNs.has(pid));
      this.applyProcesses(born, [...exited].filter((pid) => this.pidToNs.has(pid)), new Set(batch.execd));
    }, 50);
  }

  /** New and exited processes by a readdir diff that reads only new pids (the fallback, and the safety net). */
  private processTick(force = false): void {
    if (this.stopped || this.reconciling) return;
    const now = Date.now();
    if (!force && this.procEvents && now - this.lastScan < (this.opts.safetyScanMs ?? 30_000)) return;
    // /proc/loadavg ends with "running/threads lastpid": if neither moved, no
    // process came or went — skip the readdir, tens of ms on a big host.
    try {
      const f = readFileSync(`${this.procRoot}/loadavg`, 'latin1').trim().split(' ');
      const key = `${f[3]} ${f[4]}`;
      if (!force && key === this.lastLoadKey) return;
      this.lastLoadKey = key;
    } catch {
      /* no loadavg (a fake procfs): scan every time */
    }
    this.lastScan = now;
    let pids: number[];
    try {
      pids = listPids(this.procRoot);
    } catch {
      return;
    }
    const alive = new Set(pids);
    this.applyProcesses(
      pids.filter((pid) => !this.pidToNs.has(pid)),
      [...this.pidToNs.keys()].filter((pid) => !alive.has(pid)),
      new Set(),
    );
  }

  /**
   * Applies new (or exec'd) and exited pids: process events, and namespaces that
   * appear (a full reconcile) or lose their last process (closed, unless pinned).
   */
  private applyProcesses(born: number[], gone: number[], execd: Set<number>): void {
    const now = new Date().toISOString();
    const events: WatchEvent[] = [];
    const touched = new Set<number>();
    let newTables = false;
    const remove = (pid: number): void => {
      const inode = this.pidToNs.get(pid);
      this.pidToNs.delete(pid);
      const s = inode === undefined ? undefined : this.states.get(inode);
      if (!s) return;
      const was = s.ns.processes.find((p) => p.pid === pid);
      s.ns = { ...s.ns, processes: s.ns.processes.filter((p) => p.pid !== pid) };
      touched.add(s.ns.inode);
      events.push({ time: now, type: 'process-removed', ns: s.ns.inode, pid, comm: was?.comm });
    };
    for (const pid of gone) remove(pid);
    for (const pid of born) {
      let p: Process;
      try {
        p = readProcess(this.procRoot, pid);
      } catch {
        if (this.pidToNs.has(pid)) remove(pid);
        continue; // gone already, or unreadable: the next full scan counts it
      }
      const known = this.pidToNs.get(pid);
      if (known !== undefined) {
        const s = this.states.get(known);
        if (known === p.mntns) {
          // exec: same process, new command line; no event of its own.
          if (s && execd.has(pid)) s.ns = { ...s.ns, processes: s.ns.processes.map((q) => (q.pid === pid ? p : q)) };
          if (s) touched.add(known);
          continue;
        }
        remove(pid); // it moved to another namespace (unshare, then exec)
      }
      this.pidToNs.set(pid, p.mntns);
      const s = this.states.get(p.mntns);
      if (!s) {
        // A namespace born with this process (unshare, a container start): add it
        // from what we just read — a full rescan of /proc would cost seconds here.
        if (this.opts.pid === undefined) {
          this.addNamespace(p, now, events);
          newTables = true;
        }
        continue;
      }
      s.ns = { ...s.ns, processes: [...s.ns.processes, p].sort((a, b) => a.pid - b.pid) };
      touched.add(p.mntns);
      events.push({ time: now, type: 'process-added', ns: p.mntns, pid, comm: p.comm });
    }
    const drop: number[] = [];
    for (const inode of touched) {
      const s = this.states.get(inode);
      if (!s) continue;
      if (s.ns.processes.length > 0) {
        // A table read through a chrooted process shows only what lies under its
        // root, with paths relative to it: follow it through a process whose root
        // is the namespace's as soon as there is one. (A reader that exited leaves
        // a table fd that still reads fine.)
        const reader = s.ns.processes.find((p) => p.pid === s.ns.readVia);
        const better = reader?.chrooted || s.table.fd === null ? s.ns.processes.find((p) => !p.chrooted && !p.kernel) : undefined;
        if (better && better.pid !== s.ns.readVia) {
          this.readThrough(s, better.pid, drop);
          newTables = true;
        }
        continue;
      }
      if (this.isPinned(inode)) continue;
      // No process and no pin: the namespace is gone (or only our fd keeps it: close it).
      const fd = this.dropState(inode);
      if (fd !== null) drop.push(fd);
      events.push({ time: now, type: 'namespace-removed', ns: inode });
    }
    if (drop.length || newTables) this.pushFds(drop);
    this.cached = null;
    this.emit(events);
  }

  /** A new namespace, read through its first process. */
  private addNamespace(p: Process, now: string, events: WatchEvent[]): void {
    const ns: MountNamespace = { inode: p.mntns, initial: false, readVia: p.pid, processes: [p], holders: [], mounts: [], findings: [], mountErrors: [] };
    const table = this.follow(ns);
    try {
      table.readWhole();
    } catch {
      /* gone already: the next process pass removes it */
    }
    this.states.set(ns.inode, { ns, table });
    events.push({ time: now, type: 'namespace-added', ns: ns.inode }, { time: now, type: 'process-added', ns: ns.inode, pid: p.pid, comm: p.comm });
  }

  private isPinned(inode: number): boolean {
    for (const s of this.states.values()) for (const m of s.table.mounts) if (pinnedNamespace(m) === inode) return true;
    return false;
  }

  /** The next slow tick, after the fixed interval, or later when the last re-read was costly. */
  private scheduleSlowTick(first?: number): void {
    if (this.stopped) return;
    const fixed = this.opts.rescanIntervalMs;
    // Never past 2^31 - 1 ms: a longer timer fires at once, a hot loop.
    const wait = Math.min(first ?? Infinity, fixed ?? Math.max(10_000, this.rescanCostMs / (this.opts.rescanBudget ?? 0.002)), 2 ** 31 - 1);
    this.slowTimer = setTimeout(() => void this.slowTick().finally(() => this.scheduleSlowTick()), wait);
    this.slowTimer.unref();
  }

  /** Slow re-read of every table (propagation changes), and a check for namespaces we don't know. */
  private async slowTick(): Promise<void> {
    if (this.stopped) return;
    const first = !this.reReadOnce;
    this.reReadOnce = true;
    const { cost, tables } = await this.rescanAll(first ? FIRST_PASS_MAX_MOUNTS : Infinity);
    if (!first) this.rescanCostMs = cost; // the budget counts whole passes only
    const which = first ? `${tables} of ${this.states.size} table(s) (up to ${FIRST_PASS_MAX_MOUNTS} mounts)` : `every table (${tables})`;
    this.opts.trace?.(`re-read ${which} in ${cost.toFixed(1)} ms`);
    if (this.opts.pid !== undefined || !this.deps.listNamespaces) return;
    const all = await this.deps.listNamespaces();
    if (!all) return;
    const listed = new Set(all);
    for (const inode of this.unexplained) if (!listed.has(inode)) this.unexplained.delete(inode);
    // A full scan costs seconds on a big host: run it only for a namespace not seen
    // before, and only once it is listed twice in a row. A namespace with processes
    // arrives through them; what is left is one held by an fd or a pin — or one
    // caught being born and torn down (unshare churn), which must not cost a scan.
    const fresh = all.filter((inode) => !this.states.has(inode) && !this.unexplained.has(inode));
    const lasting = fresh.filter((inode) => this.listedOnce.has(inode));
    this.listedOnce = new Set(fresh);
    if (lasting.length === 0) return;
    await this.reconcile(true);
    for (const inode of lasting) if (!this.states.has(inode)) this.unexplained.add(inode);
  }
}
