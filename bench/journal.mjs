// `node --expose-gc bench/journal.mjs [--events 10000]`: what the TUI's journal
// (--journal N) costs in memory when it is full of mount events that say who
// made them — overlay mounts with long paths and options, as a container host has.
import { Store } from '../dist/store/store.js';
import { parseMountinfo } from '../dist/proc/mountinfo.js';
import { flag } from './lib.mjs';

const N = flag('events', 10_000);
if (typeof global.gc !== 'function') {
  console.log('run with node --expose-gc');
  process.exit(2);
}
const snap = { version: 1, time: '', namespaces: [], peerGroups: [], errors: [] };
const store = new Store(
  async () => snap,
  null,
  (s) => s,
  N,
);
global.gc();
const before = process.memoryUsage().heapUsed;
for (let b = 0; b * 100 < N; b++) {
  const events = [];
  for (let i = 0; i < 100; i++) {
    const n = b * 100 + i;
    const line = `${n} 1 0:${n % 200} / /var/lib/containers/storage/overlay/${n.toString(16).padStart(40, 'a')}/merged rw,nosuid,nodev,relatime shared:${n} - overlay overlay rw,lowerdir=/a:/b,upperdir=/c,workdir=/d`;
    const by = {
      pid: 4242 + n,
      comm: 'mount',
      cmdline: ['mount', '-t', 'overlay', 'overlay', `/var/lib/containers/${n}`],
      ns: 1,
      ppid: 1,
      chain: [
        { pid: 1, comm: 'systemd' },
        { pid: 2, comm: 'containerd' },
      ],
    };
    events.push({ time: new Date().toISOString(), type: 'mount', ns: 4026532177, mount: parseMountinfo(line).mounts[0], by });
  }
  store.applyEvents(snap, events);
}
global.gc();
const mb = (process.memoryUsage().heapUsed - before) / 1048576;
console.log(`journal: ${store.getState().events.length} mount events with who made them: ${mb.toFixed(1)} MB of heap (${((mb * 1048576) / N / 1024).toFixed(2)} KB each)`);
