/** What a Watcher is built from (its event sources' system side) and how it is tuned. */
import type { Snapshot } from '../model/types.js';
import type { PollerHandlers } from '../sys/mountinfo-poller.js';
import type { Clock } from './schedule.js';

export interface WatcherDeps {
  /** A full snapshot (the discovery pipeline). */
  takeSnapshot: () => Promise<Snapshot>;
  /** Every mount namespace the kernel has, or null when it can't tell. */
  listNamespaces?: () => Promise<number[] | null>;
  /** Reads a held namespace's mountinfo through its holder path (a worker thread). */
  readHeld?: (nsPath: string) => string;
  /** Watches fds for POLLPRI (and, where it can, the kernel's process events); a handle to change the set. */
  poller: (h: PollerHandlers) => { setFds(fds: number[], drop?: number[], readable?: number[]): void; close(): Promise<void> };
  /** Follow the kernel's mount events (fanotify) to say who made each mount; said once through `notice` where it cannot. */
  mountEvents?: { notice(message: string): void };
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
