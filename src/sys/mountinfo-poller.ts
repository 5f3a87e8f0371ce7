/**
 * Main-thread side of poll-thread.ts: hands it the set of mountinfo fds to watch,
 * hears which fired, and closes fds only after the thread has stopped polling
 * them (closing an fd under a blocked poll could wake it on a reused number).
 */
import { writeSync } from 'node:fs';
import { closeQuietly, threadEntry } from './threads.js';
import { MessageChannel, Worker } from 'node:worker_threads';
import { EFD_CLOEXEC, EFD_NONBLOCK, loadLibc } from './libc.js';
import type { MountsReport, PollControl, PolledTable, PollReport } from './poll-thread.js';
import type { ProcEvents } from './proc-connector.js';
import { errnoName } from './errno.js';

export interface PollerHandlers {
  /** The fds whose mount table changed; `explained`: those whose namespace's mount events came with the wake. */
  onFire: (fds: number[], explained: number[]) => void;
  onError?: (message: string) => void;
  /** Process events from the kernel's connector; given, the thread subscribes to them. */
  onProcs?: (ev: ProcEvents) => void;
  /** Whether process events flow (root), or why not. */
  onProcsReady?: (ok: boolean, reason?: string) => void;
  /** The kernel's mount events (fanotify.ts): given, the thread opens a group and marks the tables' namespaces. */
  onMounts?: (r: MountsReport) => void;
  /** Whether there are mount events at all, or why not. */
  onMountsReady?: (ok: boolean, reason?: string) => void;
  /** The namespaces marked now, those that could not be (why), and how many are still to be. */
  onMarks?: (marked: number[], failed: Array<{ inode: number; reason: string }>, pending: number) => void;
}

export class MountinfoPoller {
  private readonly worker: Worker;
  private readonly control: MessageChannel['port1'];
  private readonly efd: number;
  private seq = 0;
  private toClose = new Map<number, number[]>();
  private closed = false;
  private readonly one = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);

  constructor(h: PollerHandlers) {
    const { onFire, onError = () => {} } = h;
    this.efd = loadLibc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (this.efd < 0) throw new Error(`eventfd failed: ${errnoName(loadLibc().errno())}`);
    const { port1, port2 } = new MessageChannel();
    this.control = port1;
    const workerData = { control: port2, efd: this.efd, procEvents: h.onProcs !== undefined, mountEvents: h.onMounts !== undefined, procRoot: '/proc' };
    this.worker = new Worker(threadEntry(import.meta.url, './poll-thread.js'), { workerData, transferList: [port2] });
    this.worker.unref();
    this.worker.on('message', (r: PollReport) => {
      if (r.type === 'fired') onFire(r.fds, r.explained);
      else if (r.type === 'error') onError(r.message);
      else if (r.type === 'procs') h.onProcs?.(r);
      else if (r.type === 'procs-ready') h.onProcsReady?.(r.ok, r.reason);
      else if (r.type === 'mounts') h.onMounts?.(r);
      else if (r.type === 'mounts-ready') h.onMountsReady?.(r.ok, r.reason);
      else if (r.type === 'marks') h.onMarks?.(r.marked, r.failed, r.pending);
      else {
        // The thread no longer polls fds dropped at or before this set: close them.
        for (const [seq, fds] of this.toClose) {
          if (seq > r.seq) continue;
          for (const fd of fds) closeQuietly(fd);
          this.toClose.delete(seq);
        }
      }
    });
    this.worker.on('error', (e) => onError(e.message));
  }

  private send(msg: PollControl): void {
    this.control.postMessage(msg);
    writeSync(this.efd, this.one);
  }

  /** Watches exactly these tables; `drop` are fds no longer needed, closed once the thread lets go. */
  setTables(tables: PolledTable[], drop: number[] = []): void {
    if (this.closed) return;
    const seq = ++this.seq;
    if (drop.length) this.toClose.set(seq, drop);
    this.send({ type: 'set', tables, seq });
  }

  /** Stops the thread and closes every fd handed to close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = new Promise<void>((r) => this.worker.once('exit', () => r()));
    this.send({ type: 'stop' });
    const t = setTimeout(() => void this.worker.terminate(), 1000);
    await exited;
    clearTimeout(t);
    for (const fds of this.toClose.values()) for (const fd of fds) closeQuietly(fd);
    this.toClose.clear();
    closeQuietly(this.efd);
    this.control.close();
  }
}
