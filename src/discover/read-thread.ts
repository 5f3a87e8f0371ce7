/** Reader thread: runs read-steps.ts batches for reader-pool.ts. Sync calls only. */
import { parentPort, workerData } from 'node:worker_threads';
import { keepYoungGenerationSmall } from '../util/heap.js';
import { claimed, readFdBatch, readMountinfoBatch, readProcessBatch } from './read-steps.js';
import type { ReadJob } from './reader-pool.js';

// This thread's start set V8's flags back to their defaults, for the whole process.
if ((workerData as { smallYoungGeneration?: boolean } | null)?.smallYoungGeneration) keepYoungGenerationSmall();

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
