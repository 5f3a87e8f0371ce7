/**
 * Follows the system live, the way findmnt --poll does for one table, for every
 * mount namespace at once. A coordinator over event sources, one file each:
 * - mount tables (tables.ts): POLLPRI on one mountinfo fd per namespace, then
 *   the appended lines and a whole read, diffed;
 * - processes (processes.ts): the kernel's process events and a safety scan;
 * - pins (pins.ts, wired in live.ts): a pin directory changing asks for a rediscovery.
 * Propagation changes wake nobody: every table is re-read on a slow timer
 * (schedule.ts) and right after mntns's own actions (reread()). A namespace held
 * without processes is found by a rediscovery when the kernel lists one we
 * don't know, twice in a row.
 */
import { closeQuietly } from '../sys/threads.js';
import { linkPeerGroups, sortedGroups } from '../model/peer-groups.js';
import { attachFindings } from '../discover/snapshot.js';
import type { Finding, Mount, Snapshot } from '../model/types.js';
import type { WatchEvent } from './events.js';
import type { PollerHandlers } from '../sys/mountinfo-poller.js';
import { append } from '../util/append.js';
import { MountTables, mountEvents, type SourceContext } from './tables.js';
import { Processes } from './processes.js';
import { MountAuthors } from './mount-authors.js';
import type { PolledTable } from '../sys/poll-thread.js';
import { namespacesToScan, rescanWait, stamp, systemClock, type Clock } from './schedule.js';

export interface WatcherDeps {
  /** A full snapshot (the discovery pipeline). */
  takeSnapshot: () => Promise<Snapshot>;
  /** Every mount namespace the kernel has, or null when it can't tell. */
  listNamespaces?: () => Promise<number[] | null>;
  /** Reads a held namespace's mountinfo through its holder path (a worker thread). */
  readHeld?: (nsPath: string) => string;
  /** Watches the tables' fds for POLLPRI (and, where it can, the kernel's process and mount events); a handle to change the set. */
  poller: (h: PollerHandlers) => { setTables(tables: PolledTable[], drop?: number[]): void; close(): Promise<void> };
  /** Given, the kernel's mount events say who made each mount; `notice` says once why they can't. */
  mountEvents?: { notice: (message: string) => void };
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
  clock?: Clock;
}

/** How long start() waits for the namespaces to be marked for mount events. */
const MARKS_WAIT_MS = 2000;

/** The first re-read after start reads tables up to this size (see start()). */
const FIRST_PASS_MAX_MOUNTS = 5000;

export type BatchListener = (events: WatchEvent[]) => void;

export class Watcher {
  private readonly clock: Clock;
  private readonly tables: MountTables;
  private readonly processes: Processes;
  private readonly authors: MountAuthors | null;
  private listeners = new Set<BatchListener>();
  private poll: ReturnType<WatcherDeps['poller']> | null = null;
  private cached: Snapshot | null = null;
  /** The tables the last peer-group link was made from, and its results. */
  private linked: { mounts: Mount[][]; peerGroups: Snapshot['peerGroups']; findings: Map<number, Finding[]> } | null = null;
  private errors: Snapshot['errors'] = [];
  private stopped = false;
  private discovering: Promise<void> | null = null;
  /** Namespaces the kernel lists that the last rediscovery could not explain (no process, pin or fd). */
  private unexplained = new Set<number>();
  /** Unknown namespaces the kernel listed at the last slow tick (a scan waits for a second listing). */
  private listedOnce = new Set<number>();
  private slowTimer: NodeJS.Timeout | null = null;
  /** What the last slow re-read of every table cost (ms), for its budget. */
  private rescanCostMs = 0;
  /** The first slow re-read (of the small tables only) is done. */
  private reReadOnce = false;

  constructor(
    private readonly deps: WatcherDeps,
    private readonly opts: WatcherOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    const ctx: SourceContext = {
      procRoot: opts.procRoot ?? '/proc',
      clock: this.clock,
      onlyPid: opts.pid,
      trace: opts.trace,
      emit: (events) => this.emit(events),
      changed: () => {
        this.cached = null;
      },
      stopped: () => this.stopped,
      rediscover: () => void this.discover(true),
    };
    this.tables = new MountTables(ctx, (tables, drop) => this.poll?.setTables(tables, drop), { coalesceFactor: opts.coalesceFactor, readHeld: deps.readHeld });
    this.processes = new Processes(ctx, this.tables, () => this.discovering, opts);
    this.authors = deps.mountEvents ? new MountAuthors(this.clock, deps.mountEvents.notice, opts.trace) : null;
  }

  /** Takes the first snapshot, opens the fds and starts the timers. */
  async start(): Promise<Snapshot> {
    this.poll = this.deps.poller({
      onFire: (fds, explained) => this.tables.onFire(fds, explained),
      onProcs: (ev) => this.processes.onEvents(ev),
      onProcsReady: (ok) => this.processes.eventsReady(ok),
      ...(this.authors && {
        // Who first: the tables' events from these records are named as they go out.
        onMounts: (r) => {
          this.authors?.onMounts(r);
          this.tables.onRecords(r.records, r.at, r.reread);
        },
        onMountsReady: (ok, reason) => this.authors?.onReady(ok, reason),
        onMarks: (marked, failed, pending) => {
          this.tables.setMarked(marked);
          this.authors?.onMarks(marked, failed, pending);
        },
      }),
    });
    await this.discover(false);
    // Events say who from the first one: wait (a moment, at most 2 s) for the namespaces to be marked.
    if (this.authors) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.authors.settled(), new Promise((r) => (timer = setTimeout(r, MARKS_WAIT_MS)))]);
      clearTimeout(timer);
    }
    this.processes.start();
    // A first re-read comes a second after start, not after the full interval: the
    // snapshot's tables were read elsewhere (reader threads), and our own read is
    // what lets the next wake read just the appended lines. It skips big tables:
    // one read of a huge table holds the event loop for a noticeable time, a freeze just as
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
    const namespaces = [...this.tables.states.values()]
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
    this.cached = { version: 1, time: stamp(this.clock), namespaces, peerGroups: this.linked!.peerGroups, errors: this.errors };
    return this.cached;
  }

  /**
   * Follows a namespace that has no process through a mountinfo fd opened in
   * it (a copy made with `u`, held by mntns): poll(2) wakes on it like on any
   * process's table. The watcher owns the fd from now on.
   */
  adoptTable(inode: number, fd: number): void {
    this.tables.adopt(inode, fd);
  }

  /** Stops following a namespace mntns let go of (K): its table fd is closed, so nothing of ours holds it. */
  releaseTable(inode: number): void {
    const fd = this.tables.drop(inode);
    if (fd === null) return;
    this.tables.pushFds([fd]);
    this.emit([{ time: stamp(this.clock), type: 'namespace-removed', ns: inode }]);
  }

  /** Re-reads every table now (after our own actions: propagation changes wake nobody). */
  reread(): void {
    this.tables.rereadAllNow();
  }

  /** A full rediscovery (pins changed, or a namespace we don't know exists). */
  rediscover(): Promise<void> {
    return this.discover(true);
  }

  /** Tables being read off the main thread now (the TUI marks them "reading…"). */
  reading(): ReadonlySet<number> {
    return this.tables.reading();
  }

  onReading(fn: (inodes: ReadonlySet<number>) => void): () => void {
    return this.tables.onReading(fn);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.slowTimer) clearTimeout(this.slowTimer);
    this.processes.stop();
    await this.poll?.close();
    for (const fd of this.tables.openFds()) closeQuietly(fd);
    this.tables.clear();
  }

  private emit(events: WatchEvent[]): void {
    if (events.length === 0) return;
    this.authors?.decorate(events);
    this.cached = null;
    for (const fn of this.listeners) fn(events);
  }

  /** Aligns our state with a fresh snapshot; emits what differs when `report`. */
  private discover(report: boolean): Promise<void> {
    if (this.discovering) return this.discovering;
    this.discovering = (async () => {
      const snap = await this.deps.takeSnapshot();
      if (this.stopped) return;
      const { states } = this.tables;
      const now = stamp(this.clock);
      const events: WatchEvent[] = [];
      const drop: number[] = [];
      const seen = new Set<number>();
      this.processes.reset(snap.namespaces);
      for (const ns of snap.namespaces) {
        if (this.opts.pid !== undefined && this.processes.nsOf(this.opts.pid) !== ns.inode) continue;
        seen.add(ns.inode);
        const old = states.get(ns.inode);
        if (!old) {
          states.set(ns.inode, { ns, table: this.tables.follow(ns) });
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
          if (!live) append(events, mountEvents(ns.inode, old.table.mounts, ns.mounts, now));
          const before = new Set(old.ns.processes.map((p) => p.pid));
          const after = new Set(ns.processes.map((p) => p.pid));
          for (const p of ns.processes) if (!before.has(p.pid)) events.push({ time: now, type: 'process-added', ns: ns.inode, pid: p.pid, comm: p.comm });
          for (const p of old.ns.processes) if (!after.has(p.pid)) events.push({ time: now, type: 'process-removed', ns: ns.inode, pid: p.pid, comm: p.comm });
        }
        if (live) {
          const via = old.ns.readVia;
          old.ns = ns; // its mounts stay the table's
          old.table.invalidate();
          this.tables.markDirty(ns.inode);
          // Ours is read through a chrooted process and the snapshot found one whose root is the namespace's.
          const ours = ns.processes.find((p) => p.pid === via);
          if (ours?.chrooted && ns.readVia !== null && ns.readVia !== via) this.tables.readThrough(old, ns.readVia, drop);
          else old.ns = { ...ns, readVia: via };
        } else {
          old.ns = ns;
          old.table = this.tables.follow(ns);
        }
      }
      for (const inode of [...states.keys()]) {
        if (seen.has(inode)) continue;
        const fd = this.tables.drop(inode);
        if (fd !== null) drop.push(fd);
        if (report) events.push({ time: now, type: 'namespace-removed', ns: inode });
      }
      this.errors = snap.errors;
      this.cached = null;
      // The snapshot linked its peer groups and found its findings over these
      // very tables (a big host's take as long as reading them): snapshot() keeps
      // them while its tables are still these, and links afresh once one is not.
      // With a pid, the snapshot linked namespaces we do not follow: not ours.
      if (this.opts.pid === undefined) {
        this.linked = { mounts: snap.namespaces.map((n) => n.mounts), peerGroups: snap.peerGroups, findings: new Map(snap.namespaces.map((n) => [n.inode, n.findings])) };
      }
      this.tables.pushFds(drop);
      this.emit(events);
      this.tables.flush(); // the re-reads: after this, snapshot() is current
    })().finally(() => {
      this.discovering = null;
    });
    return this.discovering;
  }

  /** The next slow tick, after the fixed interval, or later when the last re-read was costly. */
  private scheduleSlowTick(firstMs?: number): void {
    if (this.stopped) return;
    const wait = rescanWait({ fixedMs: this.opts.rescanIntervalMs, lastCostMs: this.rescanCostMs, budget: this.opts.rescanBudget, firstMs });
    this.slowTimer = setTimeout(() => void this.slowTick().finally(() => this.scheduleSlowTick()), wait);
    this.slowTimer.unref();
  }

  /** Slow re-read of every table (propagation changes), and a check for namespaces we don't know. */
  private async slowTick(): Promise<void> {
    if (this.stopped) return;
    const first = !this.reReadOnce;
    this.reReadOnce = true;
    const { cost, tables } = await this.tables.rereadAll(first ? FIRST_PASS_MAX_MOUNTS : Infinity);
    if (!first) this.rescanCostMs = cost; // the budget counts whole passes only
    const which = first ? `${tables} of ${this.tables.states.size} table(s) (up to ${FIRST_PASS_MAX_MOUNTS} mounts)` : `every table (${tables})`;
    this.opts.trace?.(`re-read ${which} in ${cost.toFixed(1)} ms`);
    if (this.opts.pid !== undefined || !this.deps.listNamespaces) return;
    const all = await this.deps.listNamespaces();
    if (!all) return;
    const listed = new Set(all);
    for (const inode of this.unexplained) if (!listed.has(inode)) this.unexplained.delete(inode);
    const { scan, listedOnce } = namespacesToScan(all, (i) => this.tables.states.has(i), this.unexplained, this.listedOnce);
    this.listedOnce = listedOnce;
    if (scan.length === 0) return;
    await this.discover(true);
    for (const inode of scan) if (!this.tables.states.has(inode)) this.unexplained.add(inode);
  }
}
