/**
 * The kernel's mount-event queue overflowing, for real: a group marked on a lab
 * namespace and not read while that namespace makes more events than the queue
 * holds (fs.fanotify.max_queued_events, 16,384 by default). The drain must say
 * overflow (the watcher then reads every marked table whole: unit-tested in
 * event-sources.test.ts) and still hand over the events that were queued.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { expect, it, onTestFinished } from 'vitest';
import { loadLibc } from '../../src/sys/libc.js';
import { MountMarks } from '../../src/sys/fanotify.js';
import { describeRoot, startLab } from '../helpers/lab.js';
import { hasPython } from '../helpers/new-mount-api.js';

const PAIRS = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
for i in range(int(sys.argv[2])):
    if libc.mount(b"x", d.encode(), b"tmpfs", 0, None) != 0 or libc.umount2(d.encode(), 0) != 0:
        sys.exit(os.strerror(ctypes.get_errno()))
`;

describeRoot('the mount-event queue overflowing', () => {
  it.skipIf(!hasPython)('is said by the drain, with the events queued before it', async () => {
    const lab = await startLab<{ ns1: { pid: number; ns: number }; X: string }>('peers');
    onTestFinished(() => lab.stop());
    const max = Number(readFileSync('/proc/sys/fs/fanotify/max_queued_events', 'utf8'));
    const marks = MountMarks.open(loadLibc());
    if (typeof marks === 'string') throw new Error(marks);
    onTestFinished(() => marks.close());
    expect(marks.mark(lab.info.ns1.ns, `/proc/${lab.info.ns1.pid}/ns/mnt`)).toBeNull();
    // An attach and a detach per pair: past the queue's end by a good margin.
    const r = spawnSync('nsenter', ['-t', String(lab.info.ns1.pid), '-m', '--', 'python3', '-c', PAIRS, `${lab.info.X}/storm`, String(Math.ceil(max / 2) + 500)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const { raw, overflow } = marks.drain();
    expect(overflow).toBe(true);
    expect(raw.length).toBeGreaterThan(max / 2);
    expect(raw.length).toBeLessThanOrEqual(max);
  });
});
