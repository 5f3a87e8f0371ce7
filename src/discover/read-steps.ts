/**
 * The /proc-reading steps of discovery as plain synchronous functions over a
 * batch. They run inline or, for big hosts, in reader threads (reader-pool.ts):
 * procfs reads are kernel-bound and spread well over cores.
 */
import { readProcess, readProcFile } from '../proc/process.js';
import { readFdHolders, type FdHolder } from '../proc/holders.js';
import type { Process, ScanError } from '../model/types.js';

export interface ProcessBatch {
  processes: Process[];
  errors: ScanError[];
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? 'EIO';
}

/** How many pids a reader takes from a shared counter at a time (a few ms of reads). */
const CLAIM_STEP = 64;

/**
 * The pids of `all` this thread reads, taken CLAIM_STEP at a time from a
 * counter every reader of the batch shares: whoever is free takes the next ones,
 * so a thread still starting (a Worker takes 30–50 ms) simply reads fewer.
 */
export function* claimed(all: number[], counter: Int32Array): Generator<number> {
  for (;;) {
    const at = Atomics.add(counter, 0, CLAIM_STEP);
    if (at >= all.length) return;
    const end = Math.min(all.length, at + CLAIM_STEP);
    for (let i = at; i < end; i++) yield all[i];
  }
}

/** Reads `pids`; a pid that vanished mid-scan is normal and not counted. */
export function readProcessBatch(procRoot: string, pids: Iterable<number>): ProcessBatch {
  const processes: Process[] = [];
  const errors: ScanError[] = [];
  for (const pid of pids) {
    try {
      processes.push(readProcess(procRoot, pid));
    } catch (e) {
      const code = errCode(e);
      if (code === 'ENOENT' || code === 'ESRCH') continue;
      errors.push({ pid, code, message: `cannot read process ${pid}: ${code}` });
    }
  }
  return { processes, errors };
}

/** One namespace's mountinfo text, read through the first candidate that works. */
export interface MountinfoRead {
  inode: number;
  readVia: number | null;
  text: string;
  errors: ScanError[];
}

/** For each namespace, tries its candidate pids in order until one mountinfo reads. */
export function readMountinfoBatch(procRoot: string, jobs: Array<{ inode: number; candidates: number[] }>): MountinfoRead[] {
  return jobs.map(({ inode, candidates }) => {
    const errors: ScanError[] = [];
    for (const pid of candidates) {
      try {
        return { inode, readVia: pid, text: readProcFile(`${procRoot}/${pid}/mountinfo`, 'latin1'), errors }; // bytes: parseMountinfoBytes
      } catch (e) {
        const code = errCode(e);
        if (code !== 'ENOENT' && code !== 'ESRCH' && code !== 'EINVAL') {
          errors.push({ pid, code, message: `cannot read mountinfo of ${pid}: ${code}` });
        }
      }
    }
    return { inode, readVia: null, text: '', errors };
  });
}

/** Fd holders among `pids` (the same scan lsns would do). */
export function readFdBatch(procRoot: string, pids: Iterable<number>): FdHolder[] {
  return readFdHolders(procRoot, pids);
}
