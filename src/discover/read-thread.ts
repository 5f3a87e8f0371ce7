/** Reader thread: runs read-steps.ts batches for reader-pool.ts. Sync calls only. */
import { parentPort } from 'node:worker_threads';
import { claimed, readFdBatch, readMountinfoBatch, readProcessBatch } from './read-steps.js';
import type { ReadJob } from './reader-pool.js';

parentPort!.on('message', ({ id, job }: { id: number; job: ReadJob }) => {
  let result: unknown;
  try {
    if (job.op === 'processes') result = readProcessBatch(job.procRoot, claimed(job.pids, new Int32Array(job.claim)));
    else if (job.op === 'mountinfo') result = readMountinfoBatch(job.procRoot, job.jobs);
    else result = readFdBatch(job.procRoot, claimed(job.pids, new Int32Array(job.claim)));
    parentPort!.postMessage({ id, result });
  } catch (e) {
    parentPort!.postMessage({ id, error: (e as Error).message });
  }
});
