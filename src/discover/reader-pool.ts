/**
 * Runs /proc reading batches either inline or spread over reader threads.
 * Threads only ever read procfs (no setns), so they are safe to keep around.
 */
import { availableParallelism } from 'node:os';
import { threadEntry } from '../sys/threads.js';
import { Worker } from 'node:worker_threads';
import type { FdHolder } from '../proc/holders.js';
import { claimed, readFdBatch, readMountinfoBatch, readProcessBatch, type MountinfoRead, type ProcessBatch } from './read-steps.js';

/** A thread's part of a batch. `claim`: the counter every reader of the batch takes its next pids from (read-steps.ts claimed). */
export type ReadJob =
  | { op: 'processes'; procRoot: string; pids: number[]; claim: SharedArrayBuffer }
  | { op: 'mountinfo'; procRoot: string; jobs: Array<{ inode: number; candidates: number[] }> }
  | { op: 'fds'; procRoot: string; pids: number[]; claim: SharedArrayBuffer };

/** What discovery needs from a reader; batches may run in parallel. */
export interface Reader {
  processes(procRoot: string, pids: number[]): Promise<ProcessBatch>;
  /** Chunks of results, each settling as soon as it is read, so the caller can parse while threads read on. */
  mountinfo(procRoot: string, jobs: Array<{ inode: number; candidates: number[] }>): Array<Promise<MountinfoRead[]>>;
  fds(procRoot: string, pids: number[]): Promise<FdHolder[]>;
  close(): Promise<void>;
}

/** Reads on the calling thread: for small hosts, fake procfs trees and tests. */
export const inlineReader: Reader = {
  processes: async (procRoot, pids) => readProcessBatch(procRoot, pids),
  mountinfo: (procRoot, jobs) => [Promise.resolve().then(() => readMountinfoBatch(procRoot, jobs))],
  fds: async (procRoot, pids) => readFdBatch(procRoot, pids),
  close: async () => {},
};

export interface PoolOptions {
  /** Reader threads; default: one per core (at most 4), one fewer with `ownShare` (none on one core). */
  threads?: number;
  /**
   * The calling thread reads a share of the processes too, instead of waiting
   * for the threads: for a one-shot snapshot (`--json`, `--tree`), where nothing
   * else needs the event loop meanwhile. It saves a thread's start and memory
   * (a V8 heap of its own) on small hosts, and on 2 cores it is as fast.
   */
  ownShare?: boolean;
  /** With ownShare: up to this many processes, no thread is started at all (default OWN_SHARE_ALONE). */
  alone?: number;
  /** Each thread keeps V8's young generation small as it starts (util/heap.ts): for a one-shot snapshot. */
  smallYoungGeneration?: boolean;
}

/**
 * With ownShare, up to this many processes are read on the calling thread alone
 * (no thread started). A thread takes 30–50 ms to start, and from then on takes
 * half of what is left (the processes, then the tables): it pays from about 700
 * processes. Measured at 3,000 processes in 30 namespaces of 1,000 mounts, runs
 * interleaved: `--json` alone 504–529 ms, with a thread 435–445 ms (3 each);
 * on a slower minute, medians of 10: 802 ms alone, 734 ms with a thread.
 */
export const OWN_SHARE_ALONE = 1000;

/**
 * With ownShare, the part of the mount tables the calling thread reads itself.
 * It parses every table too, so its share is the smaller: at 100 namespaces of
 * 1,000 mounts reading them all takes ~220 ms and parsing ~120 ms, which
 * balances near a quarter; a quarter to 0.4 measured alike (the step took
 * 190–260 ms, against 255–285 ms with the threads reading every table).
 */
export const OWN_TABLE_SHARE = 0.3;

/** A pool of reader threads (see PoolOptions). */
export class ReaderPool implements Reader {
  private workers: Worker[] = [];
  private next = 0;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly ownShare: boolean;

  private readonly threads: number;
  private readonly alone: number;
  private readonly smallYoungGeneration: boolean;

  constructor(opts: PoolOptions = {}) {
    this.ownShare = opts.ownShare === true;
    this.alone = opts.alone ?? OWN_SHARE_ALONE;
    this.smallYoungGeneration = opts.smallYoungGeneration === true;
    const cores = Math.min(4, availableParallelism());
    // On one core a thread only takes turns with this one: with a share of its own, none.
    this.threads = opts.threads ?? (this.ownShare ? cores - 1 : cores);
    // With a share of its own, this thread reads small hosts alone: a thread's
    // start (its V8 heap, its modules, its JIT) costs more than it saves there.
    if (!this.ownShare) this.start();
  }

  private start(): void {
    for (let i = this.workers.length; i < this.threads; i++) {
      const w = new Worker(threadEntry(import.meta.url, './read-thread.js'), { workerData: { smallYoungGeneration: this.smallYoungGeneration } });
      w.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
        const p = this.pending.get(id);
        this.pending.delete(id);
        this.holdLoop();
        if (error !== undefined) p?.reject(new Error(error));
        else p?.resolve(result);
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      w.unref();
      this.workers.push(w);
    }
  }

  /** Idle threads must not keep the process alive; busy ones must (or awaits never end). */
  private holdLoop(): void {
    for (const w of this.workers) {
      if (this.pending.size > 0) w.ref();
      else w.unref();
    }
  }

  private run<T>(worker: Worker, job: ReadJob): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.holdLoop();
      worker.postMessage({ id, job });
    });
  }

  /**
   * Runs `read` over `pids` on every thread (and here, with ownShare), each
   * taking the next pids from one shared counter until none are left.
   */
  private fan<R>(pids: number[], make: (claim: SharedArrayBuffer) => ReadJob, read: (pids: Iterable<number>) => R): Promise<R[]> {
    if (this.ownShare && this.workers.length === 0) {
      if (pids.length <= this.alone) return Promise.resolve([read(pids)]);
      this.start();
    }
    const claim = new SharedArrayBuffer(4);
    const theirs = this.workers.map((w) => this.run<R>(w, make(claim)));
    if (!this.ownShare) return Promise.all(theirs);
    let own: R;
    try {
      own = read(claimed(pids, new Int32Array(claim)));
    } catch (e) {
      // The threads' answers still come; nobody waits for them.
      for (const t of theirs) t.catch(() => {});
      return Promise.reject(e as Error);
    }
    return Promise.all([...theirs, own]);
  }

  async processes(procRoot: string, pids: number[]): Promise<ProcessBatch> {
    const parts = await this.fan<ProcessBatch>(
      pids,
      (claim) => ({ op: 'processes', procRoot, pids, claim }),
      (p) => readProcessBatch(procRoot, p),
    );
    // In pid order, as one thread reads them (the threads took pids in turns).
    return { processes: parts.flatMap((b) => b.processes).sort((a, b) => a.pid - b.pid), errors: parts.flatMap((b) => b.errors).sort((a, b) => (a.pid ?? 0) - (b.pid ?? 0)) };
  }

  mountinfo(procRoot: string, jobs: Array<{ inode: number; candidates: number[] }>): Array<Promise<MountinfoRead[]>> {
    // A host small enough to read its processes here has few tables: read them here too.
    if (this.workers.length === 0) return inlineReader.mountinfo(procRoot, jobs);
    // With a share of its own, this thread reads the first tables while the
    // threads read the rest, then parses theirs as they come: it parses every
    // table, so its share is smaller than theirs (OWN_TABLE_SHARE).
    const own = this.ownShare ? Math.floor(jobs.length * OWN_TABLE_SHARE) : 0;
    const CHUNK = 4;
    const theirs: Array<Promise<MountinfoRead[]>> = [];
    for (let i = own; i < jobs.length; i += CHUNK) {
      const w = this.workers[((i - own) / CHUNK) % this.workers.length];
      theirs.push(this.run<MountinfoRead[]>(w, { op: 'mountinfo', procRoot, jobs: jobs.slice(i, i + CHUNK) }));
    }
    if (own === 0) return theirs;
    // Read once the caller awaits the first chunk: the threads' jobs are posted by then.
    return [Promise.resolve().then(() => readMountinfoBatch(procRoot, jobs.slice(0, own))), ...theirs];
  }

  async fds(procRoot: string, pids: number[]): Promise<FdHolder[]> {
    const parts = await this.fan<FdHolder[]>(
      pids,
      (claim) => ({ op: 'fds', procRoot, pids, claim }),
      (p) => readFdBatch(procRoot, p),
    );
    return parts.flat().sort((a, b) => a.pid - b.pid || a.fd - b.fd);
  }

  /** Ends the threads; a second call (while the first is under way, too) has nothing left to end. */
  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
