/**
 * The process event source: the kernel's process events (proc connector, via
 * the poll thread) gathered for 50 ms, and a /proc readdir diff that reads only
 * new pids — once a second without the events, every 30 s with them (a setns
 * without exec sends none). New and exited processes become process events;
 * a namespace born with its first process is added from what was just read, one
 * that loses its last process (and has no pin) is dropped.
 */
import { readFileSync } from 'node:fs';
import type { MountNamespace, Process } from '../model/types.js';
import { listPids, readProcess } from '../proc/process.js';
import type { ProcEvents } from '../sys/proc-connector.js';
import type { WatchEvent } from './events.js';
import { append } from '../util/append.js';
import { stamp } from './schedule.js';
import type { MountTables, SourceContext } from './tables.js';

export interface ProcessOptions {
  /** Scan /proc this often when the kernel's process events are not available. */
  processIntervalMs?: number;
  /** With process events flowing, still scan this often. */
  safetyScanMs?: number;
}

export class Processes {
  /** Which namespace each known process is in. */
  private pidToNs = new Map<number, number>();
  /** `/proc/loadavg`'s last-pid and thread-count fields at the last scan. */
  private lastLoadKey = '';
  /** Process events from the kernel are flowing: the /proc scan is only a safety net. */
  private eventsFlow = false;
  private lastScan = 0;
  private pending: ProcEvents = { forked: [], execd: [], exited: [], overrun: false };
  private batchTimer: NodeJS.Timeout | null = null;
  private scanTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: SourceContext,
    private readonly tables: MountTables,
    /** A rediscovery under way, whose snapshot is about to become the state; null when none. */
    private readonly discovering: () => Promise<void> | null,
    private readonly opts: ProcessOptions = {},
  ) {}

  start(): void {
    this.scanTimer = setInterval(() => this.scan(), this.opts.processIntervalMs ?? 1000);
    this.scanTimer.unref();
  }

  stop(): void {
    if (this.scanTimer) clearInterval(this.scanTimer);
    if (this.batchTimer) clearTimeout(this.batchTimer);
  }

  /** The processes of a fresh snapshot are the ones known from now on. */
  reset(namespaces: MountNamespace[]): void {
    this.pidToNs = new Map(namespaces.flatMap((ns) => ns.processes.map((p) => [p.pid, ns.inode] as [number, number])));
  }

  nsOf(pid: number): number | undefined {
    return this.pidToNs.get(pid);
  }

  eventsReady(ok: boolean): void {
    this.eventsFlow = ok;
  }

  /** Kernel process events: gathered for a moment, so a storm of short-lived processes costs one pass. */
  onEvents(ev: ProcEvents): void {
    const p = this.pending;
    append(p.forked, ev.forked);
    append(p.execd, ev.execd);
    append(p.exited, ev.exited);
    p.overrun ||= ev.overrun;
    this.scheduleBatch();
  }

  private scheduleBatch(): void {
    if (this.ctx.stopped()) return;
    this.batchTimer ??= setTimeout(() => {
      this.batchTimer = null;
      // A scan is under way (the first one at start, a rediscovery): its snapshot
      // is about to become our state, so these events wait for it. Applied now,
      // they would build namespaces out of single processes — a partial first
      // frame, `namespace-added` for namespaces that were there all along.
      const busy = this.discovering();
      if (busy) {
        this.ctx.trace?.('process events held until the scan is done');
        void busy.then(() => this.scheduleBatch());
        return;
      }
      const batch = this.pending;
      this.pending = { forked: [], execd: [], exited: [], overrun: false };
      if (batch.overrun) {
        this.scan(true); // events were lost: look at /proc itself
        return;
      }
      const exited = new Set(batch.exited);
      // Born and gone within the batch: never shown, so never reported.
      const born = [...new Set([...batch.forked, ...batch.execd])].filter((pid) => !exited.has(pid) || this.pidToNs.has(pid));
      this.apply(
        born,
        [...exited].filter((pid) => this.pidToNs.has(pid)),
        new Set(batch.execd),
      );
    }, 50);
  }

  /** New and exited processes by a readdir diff that reads only new pids (the fallback, and the safety net). */
  private scan(force = false): void {
    if (this.ctx.stopped() || this.discovering()) return;
    const now = this.ctx.clock.now();
    if (!force && this.eventsFlow && now - this.lastScan < (this.opts.safetyScanMs ?? 30_000)) return;
    // /proc/loadavg ends with "running/threads lastpid": if neither moved, no
    // process came or went — skip the readdir, tens of ms on a big host.
    try {
      const f = readFileSync(`${this.ctx.procRoot}/loadavg`, 'latin1').trim().split(' ');
      const key = `${f[3]} ${f[4]}`;
      if (!force && key === this.lastLoadKey) return;
      this.lastLoadKey = key;
    } catch {
      /* no loadavg (a fake procfs): scan every time */
    }
    this.lastScan = now;
    let pids: number[];
    try {
      pids = listPids(this.ctx.procRoot);
    } catch {
      return;
    }
    const alive = new Set(pids);
    this.apply(
      pids.filter((pid) => !this.pidToNs.has(pid)),
      [...this.pidToNs.keys()].filter((pid) => !alive.has(pid)),
      new Set(),
    );
  }

  /**
   * Applies new (or exec'd) and exited pids: process events, and namespaces that
   * appear (added from the new process) or lose their last process (closed, unless pinned).
   */
  private apply(born: number[], gone: number[], execd: Set<number>): void {
    const { states } = this.tables;
    const now = stamp(this.ctx.clock);
    const events: WatchEvent[] = [];
    const touched = new Set<number>();
    let newTables = false;
    const remove = (pid: number): void => {
      const inode = this.pidToNs.get(pid);
      this.pidToNs.delete(pid);
      const s = inode === undefined ? undefined : states.get(inode);
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
        p = readProcess(this.ctx.procRoot, pid);
      } catch {
        if (this.pidToNs.has(pid)) remove(pid);
        continue; // gone already, or unreadable: the next full scan counts it
      }
      const known = this.pidToNs.get(pid);
      if (known !== undefined) {
        const s = states.get(known);
        if (known === p.mntns) {
          // exec: same process, new command line; no event of its own.
          if (s && execd.has(pid)) s.ns = { ...s.ns, processes: s.ns.processes.map((q) => (q.pid === pid ? p : q)) };
          if (s) touched.add(known);
          continue;
        }
        remove(pid); // it moved to another namespace (unshare, then exec)
      }
      this.pidToNs.set(pid, p.mntns);
      const s = states.get(p.mntns);
      if (!s) {
        // A namespace born with this process (unshare, a container start): add it
        // from what we just read — a full rescan of /proc would cost seconds here.
        if (this.ctx.onlyPid === undefined) {
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
      const s = states.get(inode);
      if (!s) continue;
      if (s.ns.processes.length > 0) {
        // A table read through a chrooted process shows only what lies under its
        // root, with paths relative to it: follow it through a process whose root
        // is the namespace's as soon as there is one. (A reader that exited leaves
        // a table fd that still reads fine.)
        const reader = s.ns.processes.find((p) => p.pid === s.ns.readVia);
        const better = reader?.chrooted || s.table.fd === null ? s.ns.processes.find((p) => !p.chrooted && !p.kernel) : undefined;
        if (better && better.pid !== s.ns.readVia) {
          this.tables.readThrough(s, better.pid, drop);
          newTables = true;
        }
        continue;
      }
      if (this.tables.isPinned(inode)) continue;
      // No process and no pin: the namespace is gone (or only our fd keeps it: close it).
      const fd = this.tables.drop(inode);
      if (fd !== null) drop.push(fd);
      events.push({ time: now, type: 'namespace-removed', ns: inode });
    }
    if (drop.length || newTables) this.tables.pushFds(drop);
    this.ctx.changed();
    this.ctx.emit(events);
  }

  /** A new namespace, read through its first process. */
  private addNamespace(p: Process, now: string, events: WatchEvent[]): void {
    const ns: MountNamespace = { inode: p.mntns, initial: false, readVia: p.pid, processes: [p], holders: [], mounts: [], findings: [], mountErrors: [] };
    const table = this.tables.follow(ns);
    try {
      table.readWhole();
    } catch {
      /* gone already: the next process pass removes it */
    }
    this.tables.states.set(ns.inode, { ns, table });
    events.push({ time: now, type: 'namespace-added', ns: ns.inode }, { time: now, type: 'process-added', ns: ns.inode, pid: p.pid, comm: p.comm });
  }
}
